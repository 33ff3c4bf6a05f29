/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench import: the runs of another store copied into this one with their
 * cells, samples, metrics and artifacts, under new ids, one transaction per
 * run. A run is known by what cannot be the same in two runs measured apart
 * (its start to the microsecond, experiment, label, config text and host):
 * importing a file twice, or a copy of this store, adds nothing. */
#include "config.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "results/results.h"
#include "results/store-internal.h"

/* Old id -> new id, for the artifacts' cell and sample. */
struct idmap {
	int64_t *from, *to;
	size_t n, cap;
};

static int map_add(struct idmap *m, int64_t from, int64_t to)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		int64_t *f = realloc(m->from, cap * sizeof(*f)), *t;
		if (!f)
			return HVB_ENOMEM;
		m->from = f;
		if (!(t = realloc(m->to, cap * sizeof(*t))))
			return HVB_ENOMEM;
		m->to = t;
		m->cap = cap;
	}
	m->from[m->n] = from;
	m->to[m->n++] = to;
	return 0;
}

static int64_t map_get(const struct idmap *m, int64_t from)
{
	for (size_t i = m->n; i-- > 0;)
		if (m->from[i] == from)
			return m->to[i];
	return 0;
}

/* Each row of sel (its column 0 the old id, bound to parent) inserted by ins
 * with columns 1.. as parameters 1..; column fk (>= 1) gets new_parent, and
 * columns remap[0], remap[1] (>= 1) go through maps[0], maps[1]. New ids into
 * out when not NULL. */
static int copy_rows(struct hvb_store *src, struct hvb_store *dst, const char *sel, const char *ins,
		     int64_t parent, int fk, int64_t new_parent, const int *remap, struct idmap *const *maps,
		     struct idmap *out)
{
	sqlite3_stmt *a = NULL, *b = NULL;
	int rc = 0, step;

	if (sqlite3_prepare_v2(src->db, sel, -1, &a, NULL) != SQLITE_OK) {
		rc = hvb_store_fail(src, "cannot read the runs to import");
		goto out;
	}
	if (sqlite3_prepare_v2(dst->db, ins, -1, &b, NULL) != SQLITE_OK) {
		rc = hvb_store_fail(dst, "cannot import");
		goto out;
	}
	sqlite3_bind_int64(a, 1, parent);
	while (!rc && (step = sqlite3_step(a)) == SQLITE_ROW) {
		int n = sqlite3_column_count(a);
		sqlite3_reset(b);
		sqlite3_clear_bindings(b);
		for (int i = 1; i < n; i++) {
			int64_t to;
			if (i == fk)
				sqlite3_bind_int64(b, i, new_parent);
			else if (remap && (i == remap[0] || i == remap[1]) && sqlite3_column_type(a, i) != SQLITE_NULL &&
				 (to = map_get(maps[i == remap[0] ? 0 : 1], sqlite3_column_int64(a, i))))
				sqlite3_bind_int64(b, i, to);
			else if (remap && (i == remap[0] || i == remap[1]))
				sqlite3_bind_null(b, i);
			else
				sqlite3_bind_value(b, i, sqlite3_column_value(a, i));
		}
		if (sqlite3_step(b) != SQLITE_DONE)
			rc = hvb_store_fail(dst, "cannot import a row");
		else if (out)
			rc = map_add(out, sqlite3_column_int64(a, 0), sqlite3_last_insert_rowid(dst->db));
	}
	if (!rc && step != SQLITE_DONE)
		rc = hvb_store_fail(src, "cannot read the runs to import");
out:
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	return rc;
}

#define RUN_COLS "label, experiment, config_path, config_text, host_json, status, started, ended, lab, version"

/* 1 when dst holds the run that st (columns 1.. RUN_COLS) describes. */
static int present(struct hvb_store *dst, sqlite3_stmt *st)
{
	sqlite3_stmt *q;
	int rc;

	if (sqlite3_prepare_v2(dst->db, "SELECT 1 FROM runs WHERE label=? AND experiment=? AND config_text=? AND"
			       " host_json=? AND started=?", -1, &q, NULL) != SQLITE_OK)
		return hvb_store_fail(dst, "cannot look up a run");
	sqlite3_bind_value(q, 1, sqlite3_column_value(st, 1));
	sqlite3_bind_value(q, 2, sqlite3_column_value(st, 2));
	sqlite3_bind_value(q, 3, sqlite3_column_value(st, 4));
	sqlite3_bind_value(q, 4, sqlite3_column_value(st, 5));
	sqlite3_bind_value(q, 5, sqlite3_column_value(st, 7));
	rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : hvb_store_fail(dst, "cannot look up a run");
	sqlite3_finalize(q);
	return rc;
}

static int import_run(struct hvb_store *src, struct hvb_store *dst, int64_t old)
{
	struct idmap cells = { 0 }, samples = { 0 };
	struct idmap *maps[2] = { &cells, &samples };
	static const int art_remap[2] = { 2, 3 };
	int64_t run = 0;
	int rc;

	if (sqlite3_exec(dst->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return hvb_store_fail(dst, "cannot begin a transaction");
	struct idmap runs = { 0 };
	rc = copy_rows(src, dst, "SELECT id, " RUN_COLS " FROM runs WHERE id=?",
		       "INSERT INTO runs(" RUN_COLS ") VALUES(?,?,?,?,?,?,?,?,?,?)", old, 0, 0, NULL, NULL, &runs);
	run = runs.n ? runs.to[0] : 0;
	free(runs.from);
	free(runs.to);
	if (!rc)
		rc = copy_rows(src, dst, "SELECT id, run_id, idx, key, backend, mode, placement, vcpus, memory, workload,"
			       " section, params_json, status, reason, placement_json FROM cells WHERE run_id=?",
			       "INSERT INTO cells(run_id, idx, key, backend, mode, placement, vcpus, memory, workload,"
			       " section, params_json, status, reason, placement_json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       old, 1, run, NULL, NULL, &cells);
	for (size_t i = 0; !rc && i < cells.n; i++) {
		size_t before = samples.n;
		rc = copy_rows(src, dst, "SELECT id, cell_id, rep, status, reason, seed, started, wall_s, workload_s"
			       " FROM samples WHERE cell_id=?", "INSERT INTO samples(cell_id, rep, status, reason, seed,"
			       " started, wall_s, workload_s) VALUES(?,?,?,?,?,?,?,?)", cells.from[i], 1, cells.to[i], NULL,
			       NULL, &samples);
		for (size_t k = before; !rc && k < samples.n; k++)
			rc = copy_rows(src, dst, "SELECT 0, sample_id, name, value, unit, better FROM metrics WHERE sample_id=?",
				       "INSERT INTO metrics(sample_id, name, value, unit, better) VALUES(?,?,?,?,?)",
				       samples.from[k], 1, samples.to[k], NULL, NULL, NULL);
	}
	if (!rc)
		rc = copy_rows(src, dst, "SELECT id, run_id, cell_id, sample_id, name, mime, data FROM artifacts WHERE run_id=?",
			       "INSERT INTO artifacts(run_id, cell_id, sample_id, name, mime, data) VALUES(?,?,?,?,?,?)",
			       old, 1, run, art_remap, maps, NULL);
	free(cells.from);
	free(cells.to);
	free(samples.from);
	free(samples.to);
	if (!rc && sqlite3_exec(dst->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = hvb_store_fail(dst, "cannot commit");
	if (!sqlite3_get_autocommit(dst->db))
		sqlite3_exec(dst->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int hvb_store_import(struct hvb_store *dst, struct hvb_store *src, int *added, int *known, int *running)
{
	sqlite3_stmt *st;
	int rc = 0, step;

	*added = *known = *running = 0;
	if (sqlite3_prepare_v2(src->db, "SELECT id, " RUN_COLS " FROM runs ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return hvb_store_fail(src, "cannot read the runs");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		char who[256];
		/* Still being measured (a live process holds it): its samples are not all there. */
		if (!strcmp((const char *)sqlite3_column_text(st, 6), "running") &&
		    hvb_store_run_holder(src, id, who, sizeof(who)) == 1) {
			hvb_log(HVB_LOG_WARN, "%s: run %lld is being measured (%s): not imported", src->path,
				(long long)id, who);
			(*running)++;
		} else if ((rc = present(dst, st)) == 1) {
			(*known)++;
			rc = 0;
		} else if (!rc && !(rc = import_run(src, dst, id)))
			(*added)++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = hvb_store_fail(src, "cannot read the runs");
	sqlite3_finalize(st);
	return rc;
}
