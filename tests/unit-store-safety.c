/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The store never destroys or hides data: what a database path may name,
 * concurrent creation, a run held by its live process, a newer schema,
 * another program's database, a full disk, labels that read as run ids. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "results/results.h"
#include "tests/check.h"

static char dir[] = "/tmp/hvb-safety-XXXXXX";

static void path_in(char *buf, size_t len, const char *name) { snprintf(buf, len, "%s/%s", dir, name); }

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = malloc(1 << 20);

	*n = f && b ? fread(b, 1, 1 << 20, f) : 0;
	if (f)
		fclose(f);
	return b;
}

/* Opening PATH read-write and read-only fails, and the file's bytes stay. */
static void refused_unchanged(const char *path)
{
	size_t n0, n1;
	char *a = slurp(path, &n0), *b;

	CHECK(hvb_store_open(path, 0) == NULL);
	CHECK(hvb_store_open(path, 1) == NULL);
	b = slurp(path, &n1);
	CHECK(n0 == n1 && !memcmp(a, b, n0));
	free(a);
	free(b);
}

static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
}

static int wait_ok(pid_t pid)
{
	int st;

	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Many processes opening one new database at once all succeed. */
static void concurrent_create(void)
{
	char p[256];
	int bad = 0;

	for (int round = 0; round < 20; round++) {
		pid_t kids[8];
		snprintf(p, sizeof(p), "%s/fresh%d.db", dir, round);
		for (int i = 0; i < 8; i++)
			if ((kids[i] = fork()) == 0) {
				struct hvb_store *s = hvb_store_open(p, 0);
				int64_t run;
				_exit(s && hvb_store_run_begin(s, "", "x", NULL, "", "{}", 0, &run) == 0 ? 0 : 1);
			}
		for (int i = 0; i < 8; i++)
			bad += wait_ok(kids[i]) != 0;
	}
	CHECK(bad == 0);
	if (bad)
		fprintf(stderr, "%d of 160 concurrent openers failed\n", bad);
}

/* A run is held while its process lives: another cannot take it over. */
static void live_run(void)
{
	char p[256], who[256];
	struct hvb_store *s, *t;
	int64_t run;
	pid_t pid;

	path_in(p, sizeof(p), "live.db");
	CHECK((s = hvb_store_open(p, 0)) != NULL);
	CHECK(hvb_store_run_begin(s, "", "x", NULL, "", "{}", 0, &run) == 0);
	if ((pid = fork()) == 0) {
		struct hvb_store *c = hvb_store_open(p, 0);
		char w[256] = "", mine[32];
		snprintf(mine, sizeof(mine), "pid %ld ", (long)getppid());
		_exit(c && hvb_store_run_claim(c, run) == HVB_EBUSY && hvb_store_run_status(c, run, "running") == HVB_EBUSY &&
		      hvb_store_run_holder(c, run, w, sizeof(w)) == 1 && strstr(w, mine) ? 0 : 1);
	}
	CHECK(wait_ok(pid) == 0);
	hvb_store_close(s); /* as when the process dies */
	CHECK((t = hvb_store_open(p, 0)) != NULL);
	CHECK(hvb_store_run_holder(t, run, who, sizeof(who)) == 0);
	CHECK(hvb_store_run_claim(t, run) == 0);
	hvb_store_close(t);
}

/* A full disk: the failed sample is an error, every committed one stays. */
static void disk_full(void)
{
	char p[256];
	int fds[2], stored = -1, err = 0, n = 0;
	struct hvb_store *s;
	pid_t pid;

	path_in(p, sizeof(p), "full.db");
	CHECK(pipe(fds) == 0);
	if ((pid = fork()) == 0) {
		struct rlimit rl = { 192 << 10, 192 << 10 };
		struct hvb_cell_row c = { .idx = 0, .vcpus = 1 };
		struct hvb_metrics ms = { 0 };
		int rc = 0, i;
		signal(SIGXFSZ, SIG_IGN); /* writes past the limit fail with EFBIG, as on a full disk */
		setrlimit(RLIMIT_FSIZE, &rl);
		s = hvb_store_open(p, 0);
		if (!s || hvb_store_run_begin(s, "", "x", NULL, "", "{}", 0, &c.run_id) < 0 || hvb_store_cell_put(s, &c) < 0)
			_exit(2);
		for (i = 0; i < 100000 && rc == 0; i++) {
			struct hvb_sample_row r = { .cell_id = c.id, .rep = i, .status = "ok" };
			ms.n = 0;
			for (int m = 0; m < 40; m++)
				hvb_metrics_addf(&ms, i + m, "ns", HVB_LOWER, "metric.with.a.long.name.%d", m);
			if ((rc = hvb_store_sample_add(s, &r, &ms)) == 0)
				n++;
		}
		/* The next one fails as well, and nothing crashes. */
		struct hvb_sample_row r = { .cell_id = c.id, .rep = i, .status = "ok" };
		int again = hvb_store_sample_add(s, &r, &ms);
		int out[2] = { n, rc < 0 && again < 0 };
		hvb_store_close(s);
		if (write(fds[1], out, sizeof(out)) != sizeof(out))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	{
		int in[2] = { -1, 0 };
		CHECK(read(fds[0], in, sizeof(in)) == sizeof(in));
		n = in[0];
		err = in[1];
	}
	close(fds[0]);
	CHECK(wait_ok(pid) == 0);
	CHECK(err == 1 && n > 0);
	if ((s = hvb_store_open(p, 1))) {
		CHECK(hvb_store_sample_counts(s, 1, &stored, NULL) == 0);
		hvb_store_close(s);
	}
	CHECK(stored == n);
	if (stored != n)
		fprintf(stderr, "disk full: %d samples committed, %d found after reopening\n", n, stored);
}

static void paths(void)
{
	char p[256], q[256];
	struct hvb_store *s;
	int64_t run;
	FILE *f;

	/* A name, not a URI nor ":memory:": the file of that name holds the run. */
	CHECK(chdir(dir) == 0);
	CHECK((s = hvb_store_open("file:uri.db?mode=memory", 0)) != NULL);
	CHECK(s && hvb_store_run_begin(s, "", "x", NULL, "", "{}", 0, &run) == 0);
	hvb_store_close(s);
	CHECK(access("file:uri.db?mode=memory", F_OK) == 0 && access("uri.db", F_OK) < 0);
	CHECK((s = hvb_store_open(":memory:", 0)) != NULL);
	hvb_store_close(s);
	CHECK(access(":memory:", F_OK) == 0);
	CHECK(hvb_store_open("", 0) == NULL);

	/* Not databases: refused, left as they are. */
	path_in(p, sizeof(p), "notes.txt");
	CHECK((f = fopen(p, "w")) && fputs("my notes, not a database\n", f) >= 0 && fclose(f) == 0);
	refused_unchanged(p);
	path_in(p, sizeof(p), "other.db");
	raw_sql(p, "CREATE TABLE accounts(name, balance); INSERT INTO accounts VALUES('a', 1)");
	refused_unchanged(p);
	path_in(p, sizeof(p), "newer.db");
	CHECK((s = hvb_store_open(p, 0)) != NULL);
	hvb_store_close(s);
	raw_sql(p, "PRAGMA user_version = 99");
	refused_unchanged(p);
	path_in(q, sizeof(q), "a-directory");
	CHECK(mkdir(q, 0755) == 0);
	CHECK(hvb_store_open(q, 0) == NULL && hvb_store_open(q, 1) == NULL);
	path_in(q, sizeof(q), "a-fifo");
	CHECK(mkfifo(q, 0644) == 0);
	alarm(20); /* a FIFO opened as a database would wait for a writer forever */
	CHECK(hvb_store_open(q, 0) == NULL && hvb_store_open(q, 1) == NULL);
	alarm(0);
	CHECK(hvb_store_open("/dev/null", 0) == NULL);
}

/* Two stores in one directory, or a store and its renamed predecessor, never
 * share the directory where their runs' probes leave files. */
static void artifact_dirs(void)
{
	char a[256], b[256], old[256], da[4096], db[4096], dold[4096];
	struct hvb_store *s;
	int64_t run;

	path_in(a, sizeof(a), "a.db");
	path_in(b, sizeof(b), "b.db");
	path_in(old, sizeof(old), "old.db");
	for (int i = 0; i < 3; i++) {
		const char *p = i == 1 ? b : a;
		char *out = i == 0 ? dold : i == 1 ? db : da;
		CHECK((s = hvb_store_open(p, 0)) != NULL);
		CHECK(s && hvb_store_run_begin(s, "", "x", NULL, "", "{}", 0, &run) == 0 && run == 1);
		CHECK(s && hvb_store_artifact_dir(s, run, out, 4096) == 0);
		hvb_store_close(s);
		if (i == 0) /* the first a.db is renamed, a new a.db made */
			CHECK(rename(a, old) == 0);
	}
	CHECK(strcmp(da, db) && strcmp(da, dold) && strcmp(db, dold));
	CHECK(!strncmp(da, dir, strlen(dir)) && strstr(da, "/hvbench-artifacts/"));
}

static void labels(void)
{
	/* Spaces around a label are invisible in list and the reports: "2 " reads as run 2. */
	const char *bad[] = { "2", "last", "010", "0x10", " 3", "-1", "2 ", " 3\t", "last ", " last", "0x1f " },
		   *good[] = { "v2", "nightly", "last-week", "2a", "", "la st", "x 2", "0x" };
	char why[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(hvb_store_label_check(bad[i], why, sizeof(why)) == HVB_EINVAL);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(hvb_store_label_check(good[i], why, sizeof(why)) == 0);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	labels();
	paths();
	artifact_dirs();
	concurrent_create();
	live_run();
	disk_full();
	if (chdir("/") < 0 || nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return CHECK_DONE();
}
