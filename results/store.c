/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SQLite result store: runs, cells, samples with their metrics, artifacts.
 * WAL mode, and one transaction per sample, so that a killed run keeps
 * everything it measured up to its last completed sample. */
#include "config.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <jansson.h>
#include "results/results.h"
#include "results/store-internal.h"

int hvb_store_fail(struct hvb_store *s, const char *what)
{
	hvb_log(HVB_LOG_ERROR, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
	return HVB_EDB;
}

static double now_s(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

const char *hvb_store_path(const struct hvb_store *s) { return s->path; }
void *hvb_store_db(struct hvb_store *s) { return s->db; }

int hvb_store_schema_version(struct hvb_store *s)
{
	int v;

	return hvb_schema_read_version(s->db, &v) == SQLITE_OK ? v : hvb_store_fail(s, "cannot read the schema version");
}

/* COMMIT when rc is 0, else ROLLBACK. A COMMIT that fails (disk full) is
 * said and rolled back, so that the next transaction does not pile onto it:
 * what was committed before stays. */
static int end_transaction(struct hvb_store *s, int rc)
{
	if (rc == 0 && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = hvb_store_fail(s, "cannot commit");
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int prep(struct hvb_store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return hvb_store_fail(s, "prepare");
	return 0;
}

/* One step of a statement that returns no row: 0, or the error said. */
static int step_done(struct hvb_store *s, sqlite3_stmt *st, const char *what)
{
	return sqlite3_step(st) == SQLITE_DONE ? 0 : hvb_store_fail(s, what);
}

/* The end of a loop over rows: rc is sqlite3_step's last answer, cbrc the
 * callback's (non-zero stops the loop and is returned). */
static int loop_end(struct hvb_store *s, int rc, int cbrc, const char *what)
{
	if (cbrc)
		return cbrc;
	return rc == SQLITE_DONE ? 0 : hvb_store_fail(s, what);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? strdup((const char *)t) : NULL;
}

static void col_copy(sqlite3_stmt *st, int i, char *dst, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	snprintf(dst, len, "%s", t ? (const char *)t : "");
}

int hvb_store_run_begin(struct hvb_store *s, const char *label, const char *experiment,
			const char *config_path, const char *config_text, const char *host_json, int lab,
			int64_t *run_id)
{
	sqlite3_stmt *st;
	char why[256], uuid[40], cls[24];
	int rc, k = 0, n = 0;

	if (label && hvb_store_label_check(label, why, sizeof(why)) < 0) {
		hvb_log(HVB_LOG_ERROR, "label '%s': %s", label, why);
		return HVB_EINVAL;
	}
	json_t *h = json_loads(host_json, 0, NULL);
	const char *shard = json_string_value(json_object_get(h, "shard"));
	if (shard && (sscanf(shard, "%d/%d", &k, &n) != 2 || k < 1 || k > n))
		k = n = 0;
	json_decref(h);
	hvb_host_class(host_json, cls, sizeof(cls), NULL, 0);
	hvb_uuid_new(uuid, sizeof(uuid));
	/* The row and its lock appear together: no other process sees the run unowned. */
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return hvb_store_fail(s, "cannot begin a transaction");
	if ((rc = prep(s, "INSERT INTO runs(label, experiment, config_path, config_text, host_json, status,"
			  " started, lab, version, uuid, host_class, shard_index, shard_count)"
			  " VALUES(?,?,?,?,?,'running',?,?,?,?,?,nullif(?,0),nullif(?,0))", &st)) < 0)
		return end_transaction(s, rc);
	sqlite3_bind_text(st, 1, label ? label : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, experiment, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, config_path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, config_text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, host_json, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 6, now_s());
	sqlite3_bind_int(st, 7, lab);
	sqlite3_bind_text(st, 8, PACKAGE_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, cls, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 11, k);
	sqlite3_bind_int(st, 12, n);
	rc = step_done(s, st, "cannot record the run");
	sqlite3_finalize(st);
	*run_id = sqlite3_last_insert_rowid(s->db);
	if (rc == 0)
		rc = hvb_store_run_claim(s, *run_id);
	return end_transaction(s, rc);
}

int hvb_store_run_status(struct hvb_store *s, int64_t run_id, const char *status)
{
	sqlite3_stmt *st;
	int rc, running = !strcmp(status, "running");

	if (running && (rc = hvb_store_run_claim(s, run_id)) < 0)
		return rc;
	if ((rc = prep(s, running ? "UPDATE runs SET status=?, ended=NULL WHERE id=?"
				  : "UPDATE runs SET status=?, ended=? WHERE id=?", &st)) < 0)
		return rc;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	if (running)
		sqlite3_bind_int64(st, 2, run_id);
	else {
		sqlite3_bind_double(st, 2, now_s());
		sqlite3_bind_int64(st, 3, run_id);
	}
	rc = step_done(s, st, "cannot update the run's status");
	sqlite3_finalize(st);
	if (!running && rc == 0)
		hvb_store_run_release(s, run_id);
	return rc;
}

#define RUN_COLS "id, label, experiment, status, started, ended, lab, config_path, config_text, host_json, version"
#define RUN_NCOLS 15

/* The columns run_from_row reads: a store read-only may be older than its
 * identity columns (schema 3), whose runs then have none stored. */
static const char *run_cols(const struct hvb_store *s)
{
	return s->schema >= 3 ? RUN_COLS ", uuid, host_class, shard_index, shard_count"
			      : RUN_COLS ", NULL, NULL, NULL, NULL";
}

/* "SELECT <the run columns> <rest>" */
static int prep_runs(struct hvb_store *s, const char *rest, sqlite3_stmt **st)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), "SELECT %s %s", run_cols(s), rest);
	return prep(s, sql, st);
}

static void run_from_row(sqlite3_stmt *st, struct hvb_run_info *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, r->label, sizeof(r->label));
	col_copy(st, 2, r->experiment, sizeof(r->experiment));
	col_copy(st, 3, r->status, sizeof(r->status));
	r->started = sqlite3_column_double(st, 4);
	r->ended = sqlite3_column_double(st, 5);
	r->lab = sqlite3_column_int(st, 6);
	r->config_path = col_dup(st, 7);
	r->config_text = col_dup(st, 8);
	r->host_json = col_dup(st, 9);
	col_copy(st, 10, r->version, sizeof(r->version));
	col_copy(st, 11, r->uuid, sizeof(r->uuid));
	col_copy(st, 12, r->host_class, sizeof(r->host_class));
	if (!r->host_class[0]) /* measured before classes were stored */
		hvb_host_class(r->host_json, r->host_class, sizeof(r->host_class), NULL, 0);
	r->shard_index = sqlite3_column_int(st, 13);
	r->shard_count = sqlite3_column_int(st, 14);
}

void hvb_run_info_free(struct hvb_run_info *r)
{
	free(r->config_path);
	free(r->config_text);
	free(r->host_json);
	r->config_path = r->config_text = r->host_json = NULL;
}

int hvb_store_artifact_dir(struct hvb_store *s, int64_t run_id, char *buf, size_t len)
{
	const char *slash = strrchr(s->path, '/');
	struct hvb_run_info r;
	int rc;

	if ((rc = hvb_store_run_get(s, run_id, &r)) < 0)
		return rc;
	hvb_run_info_free(&r);
	/* The database's name and the run's start: another store beside it (or
	 * this one's predecessor, renamed) never shares a directory with it. */
	snprintf(buf, len, "%.*s%shvbench-artifacts/%s-run-%lld-%.0f", slash ? (int)(slash - s->path) : 0, s->path,
		 slash ? "/" : "", slash ? slash + 1 : s->path, (long long)run_id, r.started * 1e6);
	return 0;
}

int hvb_store_run_get(struct hvb_store *s, int64_t run_id, struct hvb_run_info *out)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep_runs(s, "FROM runs WHERE id=?", &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		run_from_row(st, out);
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? HVB_ENOENT : hvb_store_fail(s, "cannot read the run");
	sqlite3_finalize(st);
	return rc;
}

int hvb_store_run_resolve(struct hvb_store *s, const char *spec, int64_t *run_id)
{
	sqlite3_stmt *st;
	int64_t n;
	int rc;

	/* An empty selector (an unset CI variable) would name every unlabelled run. */
	if (!spec[strspn(spec, " \t")])
		return HVB_ENOENT;
	if (!strcmp(spec, "last"))
		rc = prep(s, "SELECT id FROM runs ORDER BY id DESC LIMIT 1", &st);
	else if (hvb_parse_int(spec, &n) == 0) {
		*run_id = n;
		struct hvb_run_info r;
		rc = hvb_store_run_get(s, n, &r);
		if (rc == 0)
			hvb_run_info_free(&r);
		return rc;
	} else if ((rc = prep(s, "SELECT id FROM runs WHERE label=? ORDER BY id DESC LIMIT 1", &st)) == 0)
		sqlite3_bind_text(st, 1, spec, -1, SQLITE_TRANSIENT);
	if (rc < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*run_id = sqlite3_column_int64(st, 0);
		rc = 0;
	} else
		rc = rc == SQLITE_DONE ? HVB_ENOENT : hvb_store_fail(s, "cannot look up the run");
	sqlite3_finalize(st);
	return rc;
}

int hvb_store_run_set(struct hvb_store *s, const char *spec, int64_t **ids, size_t *n)
{
	struct hvb_run_info r, o;
	char (*seen)[40] = NULL;
	sqlite3_stmt *st;
	int64_t first, *v = NULL;
	int rc, step;

	*ids = NULL;
	*n = 0;
	if ((rc = hvb_store_run_resolve(s, spec, &first)) < 0)
		return rc;
	int64_t dummy;
	/* A run named by its id or "last" is that run alone. */
	if (!strcmp(spec, "last") || hvb_parse_int(spec, &dummy) == 0) {
		if (!(*ids = malloc(sizeof(**ids))))
			return HVB_ENOMEM;
		(*ids)[(*n)++] = first;
		return 0;
	}
	if ((rc = hvb_store_run_get(s, first, &r)) < 0)
		return rc;
	if ((rc = prep_runs(s, "FROM runs WHERE label=? AND experiment=? ORDER BY id DESC", &st)) < 0) {
		hvb_run_info_free(&r);
		return rc;
	}
	sqlite3_bind_text(st, 1, r.label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r.experiment, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t k;
		run_from_row(st, &o);
		hvb_run_info_free(&o);
		if (o.shard_count != r.shard_count)
			continue;
		/* The newest of each (shard, host class): the group's key in seen[]. */
		char key[40];
		snprintf(key, sizeof(key), "%d %s", o.shard_index, o.host_class);
		for (k = 0; k < *n && strcmp(seen[k], key); k++)
			;
		if (k < *n)
			continue;
		int64_t *nv = realloc(v, (*n + 1) * sizeof(*v));
		char (*ns)[40] = realloc(seen, (*n + 1) * sizeof(*seen));
		if (nv)
			v = nv;
		if (ns)
			seen = ns;
		if (!nv || !ns) {
			rc = HVB_ENOMEM;
			break;
		}
		v[*n] = o.id;
		snprintf(seen[(*n)++], sizeof(*seen), "%s", key);
	}
	sqlite3_finalize(st);
	hvb_run_info_free(&r);
	free(seen);
	if (!rc && step != SQLITE_DONE)
		rc = hvb_store_fail(s, "cannot read the runs");
	if (rc < 0) {
		free(v);
		*n = 0;
		return rc;
	}
	*ids = v;
	return 0;
}

int hvb_store_runs_foreach(struct hvb_store *s, hvb_run_cb cb, void *arg)
{
	sqlite3_stmt *st;
	int rc, cbrc = 0;

	if ((rc = prep_runs(s, ", (SELECT count(*) FROM cells c WHERE c.run_id=runs.id),"
			       " (SELECT count(*) FROM samples x JOIN cells c ON x.cell_id=c.id"
			       "  WHERE c.run_id=runs.id AND x.status='ok') FROM runs ORDER BY id", &st)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hvb_run_info r;
		run_from_row(st, &r);
		cbrc = cb(&r, sqlite3_column_int(st, RUN_NCOLS), sqlite3_column_int(st, RUN_NCOLS + 1), arg);
		hvb_run_info_free(&r);
		if (cbrc)
			break;
	}
	sqlite3_finalize(st);
	return loop_end(s, rc, cbrc, "cannot read the runs");
}

void hvb_cell_row_free(struct hvb_cell_row *c)
{
	free(c->params_json);
	free(c->reason);
	free(c->placement_json);
	c->params_json = c->reason = c->placement_json = NULL;
}

int hvb_store_cell_put(struct hvb_store *s, struct hvb_cell_row *c)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT id FROM cells WHERE run_id=? AND idx=?", &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, c->run_id);
	sqlite3_bind_int(st, 2, c->idx);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		c->id = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : hvb_store_fail(s, "cannot look up a cell");
	sqlite3_finalize(st);
	if (rc)
		return rc < 0 ? rc : 0;
	if ((rc = prep(s, "INSERT INTO cells(run_id, idx, key, backend, mode, placement, vcpus, memory, workload,"
			  " section, params_json, status, reason, placement_json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		       &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, c->run_id);
	sqlite3_bind_int(st, 2, c->idx);
	sqlite3_bind_text(st, 3, c->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->backend, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->mode, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->placement, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, c->vcpus);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)c->memory);
	sqlite3_bind_text(st, 9, c->workload, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, c->section, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, c->params_json ? c->params_json : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, c->status[0] ? c->status : "planned", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, c->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, c->placement_json, -1, SQLITE_STATIC);
	rc = step_done(s, st, "cannot record a cell");
	sqlite3_finalize(st);
	c->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int hvb_store_cell_update(struct hvb_store *s, int64_t cell_id, const char *status, const char *reason,
			  const char *placement_json)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "UPDATE cells SET status=?, reason=?, placement_json=coalesce(?, placement_json)"
			  " WHERE id=?", &st)) < 0)
		return rc;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, placement_json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, cell_id);
	rc = step_done(s, st, "cannot update a cell");
	sqlite3_finalize(st);
	return rc;
}

int hvb_store_cell_status(struct hvb_store *s, int64_t cell_id, char *status, size_t len)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT status FROM cells WHERE id=?", &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, cell_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		col_copy(st, 0, status, len);
	rc = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? HVB_ENOENT : hvb_store_fail(s, "cannot read a cell's status");
	sqlite3_finalize(st);
	return rc;
}

int hvb_store_cells_foreach(struct hvb_store *s, int64_t run_id, hvb_cell_cb cb, void *arg)
{
	sqlite3_stmt *st;
	struct hvb_run_info ri;
	char cls[24] = "";
	int rc, cbrc = 0;

	if (hvb_store_run_get(s, run_id, &ri) == 0) {
		snprintf(cls, sizeof(cls), "%s", ri.host_class);
		hvb_run_info_free(&ri);
	}
	if ((rc = prep(s, "SELECT id, run_id, idx, key, backend, mode, placement, vcpus, memory, workload, section,"
			  " params_json, status, reason, placement_json FROM cells WHERE run_id=? ORDER BY idx",
		       &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hvb_cell_row c;
		memset(&c, 0, sizeof(c));
		c.id = sqlite3_column_int64(st, 0);
		c.run_id = sqlite3_column_int64(st, 1);
		c.idx = sqlite3_column_int(st, 2);
		col_copy(st, 3, c.key, sizeof(c.key));
		col_copy(st, 4, c.backend, sizeof(c.backend));
		col_copy(st, 5, c.mode, sizeof(c.mode));
		col_copy(st, 6, c.placement, sizeof(c.placement));
		c.vcpus = sqlite3_column_int(st, 7);
		c.memory = (uint64_t)sqlite3_column_int64(st, 8);
		col_copy(st, 9, c.workload, sizeof(c.workload));
		col_copy(st, 10, c.section, sizeof(c.section));
		c.params_json = col_dup(st, 11);
		col_copy(st, 12, c.status, sizeof(c.status));
		c.reason = col_dup(st, 13);
		c.placement_json = col_dup(st, 14);
		snprintf(c.host_class, sizeof(c.host_class), "%s", cls);
		cbrc = cb(&c, arg);
		hvb_cell_row_free(&c);
		if (cbrc)
			break;
	}
	sqlite3_finalize(st);
	return loop_end(s, rc, cbrc, "cannot read the cells");
}

int hvb_store_sample_add(struct hvb_store *s, struct hvb_sample_row *row, const struct hvb_metrics *ms)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return hvb_store_fail(s, "cannot begin a transaction");
	/* A repeated (cell, rep) replaces the earlier attempt: that is how --resume redoes failures. */
	if ((rc = prep(s, "DELETE FROM samples WHERE cell_id=? AND rep=?", &st)) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, row->cell_id);
	sqlite3_bind_int(st, 2, row->rep);
	if ((rc = step_done(s, st, "cannot replace a sample")) < 0) {
		goto out;
	}
	sqlite3_finalize(st);
	if ((rc = prep(s, "INSERT INTO samples(cell_id, rep, status, reason, seed, started, wall_s, workload_s)"
			  " VALUES(?,?,?,?,?,?,?,?)", &st)) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, row->cell_id);
	sqlite3_bind_int(st, 2, row->rep);
	sqlite3_bind_text(st, 3, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)row->seed);
	sqlite3_bind_double(st, 6, row->started);
	sqlite3_bind_double(st, 7, row->wall_s);
	sqlite3_bind_double(st, 8, row->workload_s);
	if ((rc = step_done(s, st, "cannot record a sample")) < 0) {
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	row->id = sqlite3_last_insert_rowid(s->db);
	if (ms && ms->n) {
		if ((rc = prep(s, "INSERT OR REPLACE INTO metrics(sample_id, name, value, unit, better)"
				  " VALUES(?,?,?,?,?)", &st)) < 0)
			goto out;
		for (size_t i = 0; i < ms->n; i++) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, row->id);
			sqlite3_bind_text(st, 2, ms->m[i].name, -1, SQLITE_STATIC);
			sqlite3_bind_double(st, 3, ms->m[i].value);
			sqlite3_bind_text(st, 4, ms->m[i].unit, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 5, hvb_better_name(ms->m[i].better), -1, SQLITE_STATIC);
			if ((rc = step_done(s, st, "cannot record a metric")) < 0) {
				goto out;
			}
		}
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return end_transaction(s, rc);
}

int hvb_store_sample_done(struct hvb_store *s, int64_t cell_id, int rep)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT 1 FROM samples WHERE cell_id=? AND rep=? AND status='ok'", &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, cell_id);
	sqlite3_bind_int(st, 2, rep);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : hvb_store_fail(s, "cannot look up a sample");
	sqlite3_finalize(st);
	return rc;
}

int hvb_store_artifact_add(struct hvb_store *s, int64_t run_id, int64_t cell_id, int64_t sample_id,
			   const char *name, const char *mime, const void *data, size_t len)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "INSERT INTO artifacts(run_id, cell_id, sample_id, name, mime, data) VALUES(?,?,?,?,?,?)",
		       &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	if (cell_id > 0)
		sqlite3_bind_int64(st, 2, cell_id);
	if (sample_id > 0)
		sqlite3_bind_int64(st, 3, sample_id);
	sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, mime, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(st, 6, data, len, SQLITE_STATIC);
	rc = step_done(s, st, "cannot store an artifact");
	sqlite3_finalize(st);
	return rc;
}

int hvb_store_values_foreach(struct hvb_store *s, int64_t cell_id, hvb_value_cb cb, void *arg)
{
	sqlite3_stmt *st;
	int rc, cbrc = 0;

	if ((rc = prep(s, "SELECT x.id, x.rep, m.name, m.value, m.unit, m.better FROM samples x"
			  " JOIN metrics m ON m.sample_id=x.id WHERE x.cell_id=? AND x.status='ok'"
			  " ORDER BY m.name COLLATE hvb_name, x.rep", &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, cell_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cbrc = cb(sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1), (const char *)sqlite3_column_text(st, 2),
			sqlite3_column_double(st, 3), (const char *)sqlite3_column_text(st, 4),
			(const char *)sqlite3_column_text(st, 5), arg);
		if (cbrc)
			break;
	}
	sqlite3_finalize(st);
	return loop_end(s, rc, cbrc, "cannot read the samples' metrics");
}

int hvb_store_sample_counts(struct hvb_store *s, int64_t run_id, int *ok, int *failed)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = prep(s, "SELECT sum(x.status='ok'), sum(x.status IN ('failed','timeout') AND x.rep >= 0) FROM samples x JOIN cells c"
			  " ON x.cell_id=c.id WHERE c.run_id=?", &st)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (ok)
			*ok = sqlite3_column_int(st, 0);
		if (failed)
			*failed = sqlite3_column_int(st, 1);
	}
	rc = rc == SQLITE_ROW ? 0 : hvb_store_fail(s, "cannot count the samples");
	sqlite3_finalize(st);
	return rc;
}

int hvb_store_sample_time(struct hvb_store *s, const char *cell_key, double *mean_s)
{
	sqlite3_stmt *st;
	int rc;

	*mean_s = -1;
	if ((rc = prep(s, "SELECT avg(x.wall_s), count(*) FROM samples x JOIN cells c ON x.cell_id=c.id"
			  " WHERE c.key=? AND x.status='ok' AND x.wall_s > 0", &st)) < 0)
		return rc;
	sqlite3_bind_text(st, 1, cell_key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int(st, 1) > 0)
		*mean_s = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : hvb_store_fail(s, "cannot read the samples' times");
}
