/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Opening the result store: what a database path may name, and how it is read.
 * The path is always a file name, never an SQLite URI nor ":memory:"; a file
 * that is not an hvbench store (another program's data, a directory, a FIFO)
 * is refused before SQLite writes anything into it; a WAL database on a
 * read-only file system is read as immutable when nothing waits in its -wal. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "results/results.h"
#include "results/store-internal.h"

#define SQLITE_MAGIC "SQLite format 3"

static const char *file_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
	       : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* 0 when PATH may be opened as a store, 1 when it does not exist, < 0 after
 * saying why not. hdr receives the first 100 bytes when there are that many. */
static int check_path(const char *path, unsigned char *hdr, size_t *nhdr)
{
	struct stat st;
	ssize_t n;
	int fd;

	*nhdr = 0;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 1;
		hvb_log(HVB_LOG_ERROR, "%s: cannot open result store: %s", path, strerror(errno));
		return HVB_EIO;
	}
	if (!S_ISREG(st.st_mode)) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot open result store: it is %s; --db names an SQLite file%s", path,
			file_kind(st.st_mode), S_ISDIR(st.st_mode) ? " (e.g. DIR/" HVB_DEFAULT_DB ")" : "");
		return HVB_EINVAL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot open result store: %s", path, strerror(errno));
		return HVB_EIO;
	}
	n = read(fd, hdr, 100);
	close(fd);
	if (n < 0) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot read result store: %s", path, strerror(errno));
		return HVB_EIO;
	}
	*nhdr = (size_t)n;
	if (n > 0 && ((size_t)n < sizeof(SQLITE_MAGIC) || memcmp(hdr, SQLITE_MAGIC, sizeof(SQLITE_MAGIC)))) {
		hvb_log(HVB_LOG_ERROR, "%s: not an SQLite database (it does not begin with \"" SQLITE_MAGIC "\"); "
			"hvbench neither reads it nor writes into it", path);
		return HVB_EINVAL;
	}
	return 0;
}

/* Relative names get "./" so that SQLite never reads "file:..." as a URI or
 * ":memory:" as a database in memory. */
static char *sqlite_name(const char *path)
{
	char *s = malloc(strlen(path) + 3);

	if (s)
		sprintf(s, "%s%s", path[0] == '/' ? "" : "./", path);
	return s;
}

/* "file:" and PATH made absolute with every byte outside [A-Za-z0-9/._~-]
 * percent-encoded: a URI of our own making, never the user's text read as one. */
static char *immutable_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char abs[PATH_MAX], *u, *p;

	if (!realpath(path, abs) || !(u = malloc(strlen(abs) * 3 + 32)))
		return NULL;
	p = u + sprintf(u, "file:");
	for (const unsigned char *c = (const unsigned char *)abs; *c; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    strchr("/._~-", *c))
			*p++ = (char)*c;
		else {
			*p++ = '%';
			*p++ = hex[*c >> 4];
			*p++ = hex[*c & 15];
		}
	strcpy(p, "?immutable=1");
	return u;
}

static off_t file_size(const char *path, const char *suffix)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	return stat(p, &st) == 0 ? st.st_size : -1;
}

static int on_read_only_fs(const char *path)
{
	struct statvfs v;

	return statvfs(path, &v) == 0 && (v.f_flag & ST_RDONLY);
}

/* A WAL database that SQLite cannot read read-only: it needs the -shm file
 * beside it and cannot create it. On a read-only file system nobody writes it,
 * so it is read as immutable, unless its -wal holds transactions that only the
 * -shm index could make visible: then say exactly that. */
static int reopen_wal_read_only(struct hvb_store *s, int why)
{
	off_t wal = file_size(s->path, "-wal");
	char *uri;

	if (!on_read_only_fs(s->path)) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot read the result store: %s: SQLite must create %s-shm beside a WAL "
			"database to read it, and this directory is not writable by you (copy the database, or ask "
			"its owner to run 'sqlite3 %s \"PRAGMA journal_mode=DELETE\"')", s->path,
			sqlite3_errstr(why), s->path, s->path);
		return HVB_EIO;
	}
	if (wal > 0 && file_size(s->path, "-shm") < 0) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot read the result store on this read-only file system: %s-wal holds "
			"%lld bytes of transactions not yet copied into the database, and without %s-shm SQLite "
			"cannot read them; copy the database with its -wal file to a writable place", s->path,
			s->path, (long long)wal, s->path);
		return HVB_EIO;
	}
	if (!(uri = immutable_uri(s->path)))
		return HVB_ENOMEM;
	sqlite3_close(s->db);
	s->db = NULL;
	why = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (why != SQLITE_OK)
		return hvb_store_fail(s, "cannot open result store read-only");
	return 0;
}

/* The schema version of a read-only store, or < 0 after saying why it cannot be read. */
static int read_only_version(struct hvb_store *s, const unsigned char *hdr, size_t nhdr)
{
	int v, rc = hvb_schema_read_version(s->db, &v);

	/* Header bytes 18 and 19 are 2 in WAL mode. */
	if (((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY) && nhdr >= 20 && hdr[18] == 2) {
		if ((rc = reopen_wal_read_only(s, rc)) < 0)
			return rc;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		return hvb_store_fail(s, "cannot read the result store");
	return hvb_schema_check(s->db, s->path, 1);
}

/* Metric names in the order of the sizes they carry (lat_ns.16K before lat_ns.1M). */
static int name_collation(void *arg, int na, const void *a, int nb, const void *b)
{
	return hvb_name_cmp_n(a, (size_t)na, b, (size_t)nb);
}

struct hvb_store *hvb_store_open(const char *path, int readonly)
{
	struct hvb_store *s;
	unsigned char hdr[100];
	size_t nhdr;
	char *name;
	int rc, rw_read;

	if (path && !*path) {
		hvb_log(HVB_LOG_ERROR, "the database path is empty");
		return NULL;
	}
	if (!path)
		path = getenv("HVBENCH_DB");
	if (!path || !*path)
		path = HVB_DEFAULT_DB;
	if ((rc = check_path(path, hdr, &nhdr)) < 0)
		return NULL;
	if (rc == 1 && readonly) {
		hvb_log(HVB_LOG_ERROR, "%s: no result store here (hvbench run makes one; --db or HVBENCH_DB name "
			"another)", path);
		return NULL;
	}
	if (!(s = calloc(1, sizeof(*s))) || !(s->path = strdup(path)) || !(name = sqlite_name(path))) {
		hvb_store_close(s);
		return NULL;
	}
	s->lock_fd = -1;
	/* Reading a WAL store where it can be written: opened read-write but
	 * query_only, so that closing the last connection removes the -wal and
	 * -shm files the read made (a read-only connection leaves them behind). */
	rw_read = readonly && access(path, W_OK) == 0;
	rc = sqlite3_open_v2(name, &s->db,
			     readonly && !rw_read ? SQLITE_OPEN_READONLY
			     : readonly	  ? SQLITE_OPEN_READWRITE
						  : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			     NULL);
	free(name);
	if (rc != SQLITE_OK) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot open result store: %s", path,
			s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	if (rw_read && sqlite3_exec(s->db, "PRAGMA query_only = ON", NULL, NULL, NULL) != SQLITE_OK) {
		hvb_store_fail(s, "cannot set up the database");
		goto fail;
	}
	if (readonly) {
		if ((s->schema = read_only_version(s, hdr, nhdr)) < 0)
			goto fail;
	} else if (hvb_schema_migrate(s->db, path) < 0)
		goto fail;
	else
		s->schema = hvb_schema_latest();
	if (sqlite3_create_collation(s->db, "hvb_name", SQLITE_UTF8, NULL, name_collation) != SQLITE_OK ||
	    sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
		hvb_store_fail(s, "cannot set up the database");
		goto fail;
	}
	return s;
fail:
	hvb_store_close(s);
	return NULL;
}

void hvb_store_close(struct hvb_store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	/* After SQLite's own descriptors are closed: closing ours drops this
	 * process's POSIX locks on the file, SQLite's included. */
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->path);
	free(s);
}
