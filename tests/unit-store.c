/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The result store: a round trip through a real SQLite file. */
#include "config.h"
#include <stdlib.h>
#include <unistd.h>
#include "results/results.h"
#include "tests/check.h"

static double sum;
static int nvals;
static int on_value(int64_t sid, int rep, const char *metric, double v, const char *unit, const char *better,
		    void *arg)
{
	if (!strcmp(metric, "lat_ns.16K") && !strcmp(unit, "ns") && !strcmp(better, "lower")) {
		sum += v;
		nvals++;
	}
	return 0;
}

static int ncells;
static int on_cell(const struct hvb_cell_row *c, void *arg)
{
	ncells++;
	CHECK(!strcmp(c->backend, "native") && c->vcpus == 2);
	CHECK(!strcmp(c->status, "skipped") && c->reason && !strcmp(c->reason, "one node"));
	return 0;
}

int main(void)
{
	char path[] = "/tmp/hvb-store-XXXXXX";
	int fd = mkstemp(path);
	struct hvb_store *s;
	struct hvb_cell_row c = { .idx = 0, .vcpus = 2, .memory = 0 };
	struct hvb_metrics ms = { 0 };
	struct hvb_run_info ri;
	int64_t run, run2, got;
	char status[16];
	int ok = -1, failed = -1;

	close(fd);
	unlink(path);
	CHECK((s = hvb_store_open(path, 0)) != NULL);
	if (!s)
		return 1;
	CHECK(hvb_store_schema_version(s) >= 1);
	CHECK(hvb_store_run_begin(s, "nightly", "exp", "x.ini", "[memlat]\n", "{\"host_kind\":\"bare metal\"}", 0,
				  &run) == 0);
	c.run_id = run;
	snprintf(c.key, sizeof(c.key), "native:native placement=local vcpus=2 memlat");
	snprintf(c.backend, sizeof(c.backend), "native");
	snprintf(c.mode, sizeof(c.mode), "native");
	snprintf(c.placement, sizeof(c.placement), "local");
	snprintf(c.workload, sizeof(c.workload), "memlat");
	snprintf(c.section, sizeof(c.section), "memlat");
	CHECK(hvb_store_cell_put(s, &c) == 0 && c.id > 0);
	int64_t first = c.id;
	CHECK(hvb_store_cell_put(s, &c) == 0 && c.id == first); /* same (run, idx): found, not duplicated */
	for (int rep = 0; rep < 3; rep++) {
		struct hvb_sample_row r = { .cell_id = c.id, .rep = rep, .seed = 7, .started = 1, .wall_s = 1 };
		snprintf(r.status, sizeof(r.status), "ok");
		ms.n = 0;
		hvb_metrics_add(&ms, "lat_ns.16K", 1.0 + rep, "ns", HVB_LOWER);
		hvb_metrics_add(&ms, "ops", 100, "accesses", HVB_INFO);
		CHECK(hvb_store_sample_add(s, &r, &ms) == 0 && r.id > 0);
	}
	/* A repeated (cell, rep) replaces the earlier sample. */
	{
		struct hvb_sample_row r = { .cell_id = c.id, .rep = 2, .seed = 7 };
		snprintf(r.status, sizeof(r.status), "ok");
		ms.n = 0;
		hvb_metrics_add(&ms, "lat_ns.16K", 10.0, "ns", HVB_LOWER);
		CHECK(hvb_store_sample_add(s, &r, &ms) == 0);
		snprintf(r.status, sizeof(r.status), "timeout");
		r.rep = 3;
		r.reason = "no reply";
		CHECK(hvb_store_sample_add(s, &r, NULL) == 0);
	}
	CHECK(hvb_store_sample_done(s, c.id, 0) == 1 && hvb_store_sample_done(s, c.id, 3) == 0);
	CHECK(hvb_store_cell_update(s, c.id, "skipped", "one node", "{\"plan\":{}}") == 0);
	CHECK(hvb_store_cell_status(s, c.id, status, sizeof(status)) == 0 && !strcmp(status, "skipped"));
	CHECK(hvb_store_artifact_add(s, run, c.id, 0, "trace.bin", "application/octet-stream", "abc", 3) == 0);
	CHECK(hvb_store_run_status(s, run, "done") == 0);
	CHECK(hvb_store_run_begin(s, "", "exp", NULL, "", "{}", 1, &run2) == 0 && run2 > run);
	hvb_store_close(s);

	/* Reopen read-only: everything is there. */
	CHECK((s = hvb_store_open(path, 1)) != NULL);
	if (!s)
		return 1;
	CHECK(hvb_store_run_resolve(s, "nightly", &got) == 0 && got == run);
	CHECK(hvb_store_run_resolve(s, "last", &got) == 0 && got == run2);
	CHECK(hvb_store_run_resolve(s, "nosuchlabel", &got) == HVB_ENOENT);
	CHECK(hvb_store_run_get(s, run, &ri) == 0);
	CHECK(!strcmp(ri.status, "done") && ri.ended >= ri.started && !strcmp(ri.config_text, "[memlat]\n"));
	CHECK(!strcmp(ri.label, "nightly") && ri.lab == 0);
	hvb_run_info_free(&ri);
	CHECK(hvb_store_run_get(s, run2, &ri) == 0 && ri.lab == 1);
	hvb_run_info_free(&ri);
	CHECK(hvb_store_values_foreach(s, c.id, on_value, NULL) == 0);
	CHECK(nvals == 3 && sum == 1 + 2 + 10);
	CHECK(hvb_store_cells_foreach(s, run, on_cell, NULL) == 0 && ncells == 1);
	CHECK(hvb_store_sample_counts(s, run, &ok, &failed) == 0 && ok == 3 && failed == 1);
	hvb_store_close(s);
	hvb_metrics_free(&ms);

	/* Not a database: a clear error, no crash. */
	{
		FILE *f = fopen(path, "w");
		fputs("this is not sqlite, just text that is long enough to look like a header........", f);
		fclose(f);
		char wal[4200];
		snprintf(wal, sizeof(wal), "%s-wal", path);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-shm", path);
		unlink(wal);
		CHECK(hvb_store_open(path, 0) == NULL);
	}
	unlink(path);
	return CHECK_DONE();
}
