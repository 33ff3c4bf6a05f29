/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Who measures a run: the process that runs it holds a lock on one byte of
 * the database file for as long as it lives, so that --resume refuses a run
 * that is still being measured and accepts one whose process is gone (crash,
 * kill -9: the kernel drops the lock with the process). The lock is an open
 * file description lock far beyond the bytes SQLite locks; runs.owner says
 * who holds it, for the message. And what a label may be. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "results/results.h"
#include "results/store-internal.h"

/* SQLite locks bytes from 1 GiB (its pending byte) on; ours start at 1 TiB. */
#define RUN_LOCK_BASE ((off_t)1 << 40)

static int run_lock(struct hvb_store *s, int64_t run_id, int cmd, short type, struct flock *fl)
{
	memset(fl, 0, sizeof(*fl));
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	fl->l_start = RUN_LOCK_BASE + run_id;
	fl->l_len = 1;
	if (s->lock_fd < 0)
		s->lock_fd = open(s->path, O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (s->lock_fd < 0 && (errno == EACCES || errno == EROFS)) /* enough to see a lock */
		s->lock_fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (s->lock_fd < 0)
		return -errno;
	return fcntl(s->lock_fd, cmd, fl) < 0 ? -errno : 0;
}

static void owner_text(struct hvb_store *s, int64_t run_id, char *buf, size_t len)
{
	sqlite3_stmt *st;

	snprintf(buf, len, "another process");
	if (sqlite3_prepare_v2(s->db, "SELECT owner FROM runs WHERE id=? AND owner IS NOT NULL", -1, &st, NULL) !=
	    SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, run_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

int hvb_store_run_holder(struct hvb_store *s, int64_t run_id, char *who, size_t len)
{
	struct flock fl;
	int rc = run_lock(s, run_id, F_OFD_GETLK, F_WRLCK, &fl);

	if (rc < 0)
		return HVB_EIO;
	if (fl.l_type == F_UNLCK)
		return 0;
	owner_text(s, run_id, who, len);
	return 1;
}

int hvb_store_run_claim(struct hvb_store *s, int64_t run_id)
{
	char who[256], host[128] = "?", when[32];
	struct flock fl;
	sqlite3_stmt *st;
	time_t now = time(NULL);
	struct tm tm;
	int rc = run_lock(s, run_id, F_OFD_SETLK, F_WRLCK, &fl);

	if (rc == -EAGAIN || rc == -EACCES) {
		owner_text(s, run_id, who, sizeof(who));
		hvb_log(HVB_LOG_ERROR, "%s: run %lld is being measured by %s; --resume takes over a run only once its "
			"process is gone", s->path, (long long)run_id, who);
		return HVB_EBUSY;
	}
	if (rc < 0) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot lock run %lld: %s", s->path, (long long)run_id, strerror(-rc));
		return HVB_EIO;
	}
	gethostname(host, sizeof(host) - 1);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime_r(&now, &tm));
	snprintf(who, sizeof(who), "pid %ld on %s since %s", (long)getpid(), host, when);
	if (sqlite3_prepare_v2(s->db, "UPDATE runs SET owner=? WHERE id=?", -1, &st, NULL) != SQLITE_OK)
		return hvb_store_fail(s, "cannot record the run's owner");
	sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, run_id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : hvb_store_fail(s, "cannot record the run's owner");
	sqlite3_finalize(st);
	return rc;
}

void hvb_store_run_release(struct hvb_store *s, int64_t run_id)
{
	struct flock fl;

	if (s->lock_fd >= 0)
		run_lock(s, run_id, F_OFD_SETLK, F_UNLCK, &fl);
}

int hvb_store_label_check(const char *label, char *why, size_t len)
{
	int64_t n;

	/* Spaces around a label are invisible in list, show and every report. */
	size_t lead = strspn(label, " \t"), end = strlen(label);
	while (end > lead && (label[end - 1] == ' ' || label[end - 1] == '\t'))
		end--;
	if (end - lead == 4 && !memcmp(label + lead, "last", 4)) {
		snprintf(why, len, "'last' selects the newest run; a run with this label could never be named by it");
		return HVB_EINVAL;
	}
	if (hvb_parse_int(label, &n) == 0) {
		snprintf(why, len, "it reads as run id %lld, so the run could never be named by its label", (long long)n);
		return HVB_EINVAL;
	}
	/* Run ids are decimal only, but a person reads " 3", "010" or "0x1" as a
	 * number too: such a label would be taken for an id by a reader. */
	const char *p = label + lead, *e = label + end;
	p += p < e && (*p == '+' || *p == '-');
	if (p < e && (p + strspn(p, "0123456789") >= e ||
		      (e - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
		       p + 2 + strspn(p + 2, "0123456789abcdefABCDEF") >= e))) {
		snprintf(why, len, "it reads as a number, which a reader would take for a run id");
		return HVB_EINVAL;
	}
	return 0;
}
