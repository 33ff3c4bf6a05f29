/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench merge (import): the runs of another store copied into this one with
 * their cells, samples, metrics and artifacts, under new ids, one transaction
 * per run, each deciding from what it reads inside its own write lock (one
 * writer at a time). Rows are known by their natural keys, never by their ids,
 * which collide between stores: a run by its UUID (a run from a store older
 * than UUIDs by what cannot be the same in two runs measured apart: its start
 * to the microsecond, experiment, label, config text and host), a cell by its
 * run and key, a sample by its cell and repetition. What this store holds
 * already is compared, never ignored: other figures under one key are a
 * conflict, and nothing of that run is written. */
#include "config.h"
#include <sqlite3.h>
#include <stdio.h>
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

/* Each row of sel (its column 0 the old id, bound to parent) inserted (or
 * updated) by ins with columns 1.. as parameters 1..; column fk (>= 1) gets
 * new_parent. New ids into out when not NULL. */
static int copy_rows(struct hvb_store *src, struct hvb_store *dst, const char *sel, const char *ins,
		     int64_t parent, int fk, int64_t new_parent, struct idmap *out)
{
	sqlite3_stmt *a = NULL, *b = NULL;
	int rc = 0, step;

	if (sqlite3_prepare_v2(src->db, sel, -1, &a, NULL) != SQLITE_OK) {
		rc = hvb_store_fail(src, "cannot read the runs to merge");
		goto out;
	}
	if (sqlite3_prepare_v2(dst->db, ins, -1, &b, NULL) != SQLITE_OK) {
		rc = hvb_store_fail(dst, "cannot merge");
		goto out;
	}
	sqlite3_bind_int64(a, 1, parent);
	while (!rc && (step = sqlite3_step(a)) == SQLITE_ROW) {
		int n = sqlite3_column_count(a);
		sqlite3_reset(b);
		sqlite3_clear_bindings(b);
		for (int i = 1; i < n; i++) {
			if (i == fk)
				sqlite3_bind_int64(b, i, new_parent);
			else
				sqlite3_bind_value(b, i, sqlite3_column_value(a, i));
		}
		if (sqlite3_step(b) != SQLITE_DONE)
			rc = hvb_store_fail(dst, "cannot merge a row");
		else if (out)
			rc = map_add(out, sqlite3_column_int64(a, 0), sqlite3_last_insert_rowid(dst->db));
	}
	if (!rc && step != SQLITE_DONE)
		rc = hvb_store_fail(src, "cannot read the runs to merge");
out:
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	return rc;
}

#define RUN_COLS "label, experiment, config_path, config_text, host_json, status, started, ended, lab, version"
#define RUN_IDENT ", uuid, host_class, shard_index, shard_count"

struct merge {
	struct hvb_store *src, *dst;
	struct hvb_run_info ri; /* the source run */
	int64_t run;            /* its id in dst */
	int samples;            /* samples added */
};

static int fail_src(struct merge *m) { return hvb_store_fail(m->src, "cannot read the runs to merge"); }

/* The id in dst of the run m->ri, 0 when dst has none. */
static int64_t find_run(struct merge *m, int *rc)
{
	sqlite3_stmt *q;
	int64_t id = 0;
	const char *sql = m->ri.uuid[0] ? "SELECT id FROM runs WHERE uuid=?1 UNION ALL SELECT id FROM runs WHERE"
					  " label=?2 AND experiment=?3 AND config_text=?4 AND host_json=?5 AND started=?6"
					: "SELECT id FROM runs WHERE label=?2 AND experiment=?3 AND config_text=?4 AND"
					  " host_json=?5 AND started=?6";

	*rc = 0;
	if (sqlite3_prepare_v2(m->dst->db, sql, -1, &q, NULL) != SQLITE_OK) {
		*rc = hvb_store_fail(m->dst, "cannot look up a run");
		return 0;
	}
	if (m->ri.uuid[0])
		sqlite3_bind_text(q, 1, m->ri.uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, m->ri.label, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, m->ri.experiment, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, m->ri.config_text ? m->ri.config_text : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, m->ri.host_json ? m->ri.host_json : "", -1, SQLITE_STATIC);
	sqlite3_bind_double(q, 6, m->ri.started);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		id = sqlite3_column_int64(q, 0);
	else if (step != SQLITE_DONE)
		*rc = hvb_store_fail(m->dst, "cannot look up a run");
	sqlite3_finalize(q);
	return id;
}

/* A statement walking src's rows (its parameter 1 bound to parent) and one for dst. */
static int prep_pair(struct merge *m, const char *sel, const char *other, int64_t parent, sqlite3_stmt **a,
		     sqlite3_stmt **b)
{
	*a = *b = NULL;
	if (sqlite3_prepare_v2(m->src->db, sel, -1, a, NULL) != SQLITE_OK)
		return fail_src(m);
	if (sqlite3_prepare_v2(m->dst->db, other, -1, b, NULL) != SQLITE_OK) {
		sqlite3_finalize(*a);
		return hvb_store_fail(m->dst, "cannot merge");
	}
	sqlite3_bind_int64(*a, 1, parent);
	return 0;
}

/* The end of a walk of prep_pair's: rc, or src's error when its rows did not end well. */
static int pair_end(struct merge *m, int rc, int step, sqlite3_stmt *a, sqlite3_stmt *b)
{
	if (!rc && step != SQLITE_DONE)
		rc = fail_src(m);
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	return rc;
}

/* dst's row under the natural key (owner, column 1 of src's row a) through the
 * query b (its parameters 1 and 2): 1 and its id in *id, 0 when dst has none, or
 * an error. */
static int find_in_dst(struct merge *m, sqlite3_stmt *b, int64_t owner, sqlite3_stmt *a, const char *what,
		       int64_t *id)
{
	char msg[64];

	sqlite3_reset(b);
	sqlite3_bind_int64(b, 1, owner);
	sqlite3_bind_value(b, 2, sqlite3_column_value(a, 1));
	switch (sqlite3_step(b)) {
	case SQLITE_ROW:
		*id = sqlite3_column_int64(b, 0);
		return 1;
	case SQLITE_DONE:
		return 0;
	}
	snprintf(msg, sizeof(msg), "cannot look up %s", what);
	return hvb_store_fail(m->dst, msg);
}

/* The artifacts of src's run, cell or sample (where: "run_id=? AND cell_id IS
 * NULL", "cell_id=? AND sample_id IS NULL", "sample_id=?"), with the new ids. */
static int copy_artifacts(struct merge *m, const char *where, int64_t old, int64_t cell, int64_t sample)
{
	char sel[256];
	sqlite3_stmt *a, *b;
	int rc = 0, step;

	snprintf(sel, sizeof(sel), "SELECT name, mime, data FROM artifacts WHERE %s ORDER BY id", where);
	if ((rc = prep_pair(m, sel, "INSERT INTO artifacts(run_id, cell_id, sample_id, name, mime, data)"
			    " VALUES(?,?,?,?,?,?)", old, &a, &b)) < 0)
		return rc;
	while (!rc && (step = sqlite3_step(a)) == SQLITE_ROW) {
		sqlite3_reset(b);
		sqlite3_clear_bindings(b);
		sqlite3_bind_int64(b, 1, m->run);
		if (cell)
			sqlite3_bind_int64(b, 2, cell);
		if (sample)
			sqlite3_bind_int64(b, 3, sample);
		for (int i = 0; i < 3; i++)
			sqlite3_bind_value(b, 4 + i, sqlite3_column_value(a, i));
		if (sqlite3_step(b) != SQLITE_DONE)
			rc = hvb_store_fail(m->dst, "cannot merge an artifact");
	}
	return pair_end(m, rc, step, a, b);
}

/* One sample of src (its old id) into dst's cell, with its metrics and artifacts. */
static int copy_sample(struct merge *m, int64_t old, int64_t cell)
{
	struct idmap one = { 0 };
	int rc = copy_rows(m->src, m->dst, "SELECT id, cell_id, rep, status, reason, seed, started, wall_s, workload_s"
			   " FROM samples WHERE id=?", "INSERT INTO samples(cell_id, rep, status, reason, seed, started,"
			   " wall_s, workload_s) VALUES(?,?,?,?,?,?,?,?)", old, 1, cell, &one);

	if (!rc && one.n == 1)
		rc = copy_rows(m->src, m->dst, "SELECT 0, sample_id, name, value, unit, better FROM metrics WHERE sample_id=?",
			       "INSERT INTO metrics(sample_id, name, value, unit, better) VALUES(?,?,?,?,?)", old, 1,
			       one.to[0], NULL);
	if (!rc && one.n == 1)
		rc = copy_artifacts(m, "sample_id=?", old, cell, one.to[0]);
	m->samples += !rc;
	free(one.from);
	free(one.to);
	return rc;
}

/* A sample's figures as one text (status, seed, times, then every metric),
 * each double in hexadecimal: equal texts are equal figures, to the bit. */

/* The sample's row and metrics as text into *text (caller frees). Returns 0,
 * or a negative code: a damaged store is an error, never a shorter text. */
static int sample_text(struct hvb_store *s, int64_t id, char **text)
{
	static const char *const sql[2] = {
		"SELECT status, coalesce(reason, ''), seed, started, wall_s, workload_s FROM samples WHERE id=?",
		"SELECT name, value, unit, better FROM metrics WHERE sample_id=? ORDER BY name",
	};
	char *out = NULL, num[32];
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int rc = f ? 0 : HVB_ENOMEM, step;

	for (int q = 0; !rc && q < 2; q++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s->db, sql[q], -1, &st, NULL) != SQLITE_OK) {
			rc = hvb_store_fail(s, "cannot read a sample to compare");
			break;
		}
		sqlite3_bind_int64(st, 1, id);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++)
				if (sqlite3_column_type(st, i) == SQLITE_FLOAT)
					fprintf(f, "%s%s", i ? " " : "", (hvb_double_text(sqlite3_column_double(st, i), num, sizeof(num)), num));
				else
					fprintf(f, "%s%s", i ? " " : "", (const char *)sqlite3_column_text(st, i) ?: "-");
			fputc('\n', f);
		}
		if (step != SQLITE_DONE)
			rc = hvb_store_fail(s, "cannot read a sample to compare");
		sqlite3_finalize(st);
	}
	if (f && fclose(f) != 0 && !rc)
		rc = HVB_ENOMEM;
	if (rc < 0 || !out) {
		free(out);
		return rc < 0 ? rc : HVB_ENOMEM;
	}
	*text = out;
	return 0;
}

/* The first line where two sample texts differ, for the message. */
static void first_difference(const char *a, const char *b, char *buf, size_t len)
{
	while (*a && *b) {
		size_t na = strcspn(a, "\n"), nb = strcspn(b, "\n");
		if (na != nb || strncmp(a, b, na)) {
			snprintf(buf, len, "'%.*s' here, '%.*s' in the file", (int)(na > 200 ? 200 : na), a,
				 (int)(nb > 200 ? 200 : nb), b);
			return;
		}
		a += na + (a[na] == '\n');
		b += nb + (b[nb] == '\n');
	}
	snprintf(buf, len, "%s", *a ? "a metric more here" : "a metric more in the file");
}

/* Each sample of src's cell: added when dst's cell lacks its repetition, compared when it has it. */
static int merge_samples(struct merge *m, int64_t old_cell, int64_t cell, const char *key)
{
	sqlite3_stmt *a, *b;
	int rc = 0, step;

	if ((rc = prep_pair(m, "SELECT id, rep FROM samples WHERE cell_id=? ORDER BY rep",
			    "SELECT id FROM samples WHERE cell_id=? AND rep=?", old_cell, &a, &b)) < 0)
		return rc;
	while (!rc && (step = sqlite3_step(a)) == SQLITE_ROW) {
		int64_t old = sqlite3_column_int64(a, 0), same;
		int rep = sqlite3_column_int(a, 1);
		int found = find_in_dst(m, b, cell, a, "a sample", &same);
		if (found <= 0) {
			rc = found ? found : copy_sample(m, old, cell);
			continue;
		}
		char *here = NULL, *there = NULL;
		if ((rc = sample_text(m->dst, same, &here)) == 0)
			rc = sample_text(m->src, old, &there);
		if (rc == 0 && strcmp(here, there)) {
			char d[600];
			first_difference(here, there, d, sizeof(d));
			hvb_log(HVB_LOG_ERROR, "%s: run %s, cell '%s', repetition %d: %s holds other figures under the "
				"same run, cell and repetition (%s): a conflicting duplicate; nothing of this run was merged",
				m->src->path, m->ri.uuid, key, rep, m->dst->path, d);
			rc = HVB_ECONFLICT;
		}
		free(here);
		free(there);
	}
	return pair_end(m, rc, step, a, b);
}

/* Each cell of src's run: a new one copied, a known one (same key) merged sample by
 * sample and given src's status (the later word on it when samples were added). */
static int merge_cells(struct merge *m, int64_t old_run)
{
	sqlite3_stmt *a, *b;
	int rc = 0, step;

	if ((rc = prep_pair(m, "SELECT id, key FROM cells WHERE run_id=? ORDER BY idx",
			    "SELECT id FROM cells WHERE run_id=? AND key=?", old_run, &a, &b)) < 0)
		return rc;
	while (!rc && (step = sqlite3_step(a)) == SQLITE_ROW) {
		int64_t old = sqlite3_column_int64(a, 0), cell = 0;
		const char *key = (const char *)sqlite3_column_text(a, 1);
		int before = m->samples;
		int found = find_in_dst(m, b, m->run, a, "a cell", &cell);
		if (found < 0) {
			rc = found;
			break;
		} else if (!found) {
			struct idmap one = { 0 };
			rc = copy_rows(m->src, m->dst, "SELECT id, run_id, idx, key, backend, mode, placement, vcpus, memory,"
				       " workload, section, params_json, status, reason, placement_json FROM cells WHERE id=?",
				       "INSERT INTO cells(run_id, idx, key, backend, mode, placement, vcpus, memory, workload,"
				       " section, params_json, status, reason, placement_json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
				       old, 1, m->run, &one);
			cell = one.n ? one.to[0] : 0;
			free(one.from);
			free(one.to);
			if (!rc)
				rc = copy_artifacts(m, "cell_id=? AND sample_id IS NULL", old, cell, 0);
		}
		if (!rc)
			rc = merge_samples(m, old, cell, key);
		if (!rc && found && m->samples > before)
			rc = copy_rows(m->src, m->dst, "SELECT id, status, reason, placement_json, 0 FROM cells WHERE id=?",
				       "UPDATE cells SET status=?1, reason=?2, placement_json=?3 WHERE id=?4", old, 4, cell, NULL);
	}
	return pair_end(m, rc, step, a, b);
}

/* A run dst lacks: its row (with src's UUID, or a new one for a run from before UUIDs), then its cells. */
static int add_run(struct merge *m, int64_t old)
{
	char sel[512], uuid[40];
	struct idmap one = { 0 };
	int rc;

	snprintf(sel, sizeof(sel), "SELECT id, " RUN_COLS "%s FROM runs WHERE id=?",
		 m->src->schema >= 3 ? RUN_IDENT : ", NULL, NULL, NULL, NULL");
	rc = copy_rows(m->src, m->dst, sel, "INSERT INTO runs(" RUN_COLS RUN_IDENT ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		       old, 0, 0, &one);
	m->run = one.n ? one.to[0] : 0;
	free(one.from);
	free(one.to);
	if (!rc && !m->ri.uuid[0]) {
		sqlite3_stmt *st;
		hvb_uuid_new(uuid, sizeof(uuid));
		snprintf(m->ri.uuid, sizeof(m->ri.uuid), "%s", uuid);
		if (sqlite3_prepare_v2(m->dst->db, "UPDATE runs SET uuid=?, host_class=? WHERE id=?", -1, &st, NULL) != SQLITE_OK)
			return hvb_store_fail(m->dst, "cannot merge");
		sqlite3_bind_text(st, 1, m->ri.uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, m->ri.host_class, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, m->run);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : hvb_store_fail(m->dst, "cannot merge");
		sqlite3_finalize(st);
	}
	if (!rc)
		rc = merge_cells(m, old);
	if (!rc)
		rc = copy_artifacts(m, "run_id=? AND cell_id IS NULL", old, 0, 0);
	return rc;
}

/* One run of src, in one transaction: 1 added, 2 present whole, 3 grown, or < 0. */
static int merge_run(struct merge *m, int64_t old)
{
	int rc, known;

	if (sqlite3_exec(m->dst->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return hvb_store_fail(m->dst, "cannot begin a transaction");
	m->samples = 0;
	if ((m->run = find_run(m, &rc)) && !rc) {
		known = 1;
		rc = merge_cells(m, old);
		/* Samples added: the run's end and status are src's, the later word. */
		if (!rc && m->samples)
			rc = copy_rows(m->src, m->dst, "SELECT id, status, ended, 0 FROM runs WHERE id=?",
				       "UPDATE runs SET status=?1, ended=?2 WHERE id=?3", old, 3, m->run, NULL);
	} else {
		known = 0;
		if (!rc)
			rc = add_run(m, old);
	}
	if (!rc && sqlite3_exec(m->dst->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = hvb_store_fail(m->dst, "cannot commit");
	if (!sqlite3_get_autocommit(m->dst->db))
		sqlite3_exec(m->dst->db, "ROLLBACK", NULL, NULL, NULL);
	return rc < 0 ? rc : !known ? 1 : m->samples ? 3 : 2;
}

int hvb_store_import(struct hvb_store *dst, struct hvb_store *src, struct hvb_merge_counts *n)
{
	struct merge m = { .src = src, .dst = dst };
	sqlite3_stmt *st;
	int rc = 0, step;

	memset(n, 0, sizeof(*n));
	if (sqlite3_prepare_v2(src->db, "SELECT id FROM runs ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return hvb_store_fail(src, "cannot read the runs");
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		char who[256];
		if ((rc = hvb_store_run_get(src, id, &m.ri)) < 0)
			break;
		/* Still being measured (a live process holds it): its samples are not all there. */
		if (!strcmp(m.ri.status, "running") && hvb_store_run_holder(src, id, who, sizeof(who)) == 1) {
			hvb_log(HVB_LOG_WARN, "%s: run %lld is being measured (%s): not merged", src->path,
				(long long)id, who);
			n->running++;
		} else if ((rc = merge_run(&m, id)) > 0) {
			n->added += rc == 1;
			n->present += rc == 2;
			n->grown += rc == 3;
			n->samples += m.samples;
			rc = 0;
		} else if (rc == HVB_ECONFLICT) { /* said; the other runs are merged still */
			n->conflicts++;
			rc = 0;
		}
		hvb_run_info_free(&m.ri);
	}
	if (!rc && step != SQLITE_DONE)
		rc = hvb_store_fail(src, "cannot read the runs");
	sqlite3_finalize(st);
	return rc < 0 ? rc : n->conflicts ? HVB_ECONFLICT : 0;
}
