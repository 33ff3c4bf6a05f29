/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A run as the analysis sees it: each cell with its metrics' values (ok samples
 * only, in repetition order), how many samples failed and why, and which NUMA
 * nodes its CPUs and memory were on (from the stored placement and the host's
 * topology), for the placement heat map. */
#include "config.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"

#define MAX_CPUS 1024

struct load_ctx {
	struct hvb_store *s;
	struct hvb_run_data *d;
	json_t *nodes; /* the host topology's node list, or NULL */
	int rc;
};

/* "0-3,8" into a bitmap; returns 0 or -1. */
static int cpulist_parse(const char *s, unsigned char *bits)
{
	memset(bits, 0, MAX_CPUS);
	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b = a;
		if (end == s || a < 0 || a >= MAX_CPUS)
			return -1;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a || b >= MAX_CPUS)
				return -1;
			s = end;
		}
		for (long i = a; i <= b; i++)
			bits[i] = 1;
		if (*s == ',')
			s++;
		else if (*s)
			return -1;
	}
	return 0;
}

/* The nodes holding the plan's CPUs, as "0" or "0,1"; "any" when unpinned. */
static void cpu_nodes_of(json_t *nodes, const char *cpus, char *out, size_t len)
{
	unsigned char want[MAX_CPUS], have[MAX_CPUS];
	size_t i, off = 0;
	json_t *n;

	out[0] = 0;
	if (!strcmp(cpus, "any") || !*cpus) {
		snprintf(out, len, "any");
		return;
	}
	if (!nodes || cpulist_parse(cpus, want) < 0)
		return;
	json_array_foreach(nodes, i, n) {
		const char *nc = json_string_value(json_object_get(n, "cpus"));
		int hit = 0;
		if (!nc || cpulist_parse(nc, have) < 0)
			continue;
		for (int c = 0; c < MAX_CPUS && !hit; c++)
			hit = want[c] && have[c];
		if (hit && off < len)
			off += (size_t)snprintf(out + off, len - off, "%s%lld", off ? "," : "",
						(long long)json_integer_value(json_object_get(n, "node")));
	}
}

static void placement_nodes(struct hvb_cell_data *c, json_t *nodes)
{
	json_t *pj, *plan;
	const char *cpus, *mem;

	if (!c->row.placement_json || !(pj = json_loads(c->row.placement_json, 0, NULL)))
		return;
	plan = json_object_get(pj, "plan");
	cpus = json_string_value(json_object_get(plan, "cpus"));
	mem = json_string_value(json_object_get(plan, "mem_nodes"));
	if (cpus)
		cpu_nodes_of(nodes, cpus, c->cpu_nodes, sizeof(c->cpu_nodes));
	if (mem)
		snprintf(c->mem_nodes, sizeof(c->mem_nodes), "%s", *mem ? mem : "any");
	json_decref(pj);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int copy_cell(const struct hvb_cell_row *r, struct hvb_cell_data *c)
{
	c->row = *r;
	c->row.params_json = dup_or_null(r->params_json);
	c->row.reason = dup_or_null(r->reason);
	c->row.placement_json = dup_or_null(r->placement_json);
	if ((r->params_json && !c->row.params_json) || (r->reason && !c->row.reason) ||
	    (r->placement_json && !c->row.placement_json))
		return HVB_ENOMEM;
	return 0;
}

int hvb_metric_xen_role(const char *metric, const char *backend, char *out, size_t len)
{
	/* The xentrace probe's figures before they were stored by role (xen.guest., xen.backend.,
	 * xen.host.): then they were the watched domain's, a guest's in a Xen cell, every
	 * domain's (dom0's) in a native cell. Other xen.* names are not the probe's. */
	static const char *const old[] = { "hypercall.", "hypercalls", "exit.", "exit_cycles.", "grant.", "grant_for.", "runstate.",
					   "wake_latency.", "spinlock.", "lost_records", "tsc_skew_cycles", "tsc_jumps",
					   "trace_truncated_at", NULL };

	if (strncmp(metric, "xen.", 4))
		return 0;
	for (size_t i = 0; old[i]; i++)
		if (!strncmp(metric + 4, old[i], strlen(old[i])) &&
		    (old[i][strlen(old[i]) - 1] == '.' || !metric[4 + strlen(old[i])])) {
			snprintf(out, len, "xen.%s.%s", backend && !strcmp(backend, "xen") ? "guest" : "host", metric + 4);
			return 1;
		}
	return 0;
}

static int value_cb(int64_t sample_id, int rep, const char *metric, double value, const char *unit,
		    const char *better, void *arg)
{
	struct hvb_cell_data *c = arg;
	struct hvb_series *m = c->nm ? &c->m[c->nm - 1] : NULL;
	char role[96];

	if (hvb_metric_xen_role(metric, c->row.backend, role, sizeof(role)))
		metric = role;

	/* Values come ordered by metric, then repetition; pooled runs' values (cell_pool) in any order. */
	for (size_t k = 0; m && strcmp(m->name, metric) && k < c->nm; k++)
		if (!strcmp(c->m[k].name, metric))
			m = &c->m[k];
	if (!m || strcmp(m->name, metric)) {
		struct hvb_series *nm = realloc(c->m, (c->nm + 1) * sizeof(*nm));
		if (!nm)
			return HVB_ENOMEM;
		c->m = nm;
		m = &c->m[c->nm++];
		memset(m, 0, sizeof(*m));
		snprintf(m->name, sizeof(m->name), "%s", metric);
		snprintf(m->unit, sizeof(m->unit), "%s", unit ? unit : "");
		if (!better || hvb_better_parse(better, &m->better) < 0)
			m->better = HVB_INFO;
	}
	double *nv = realloc(m->v, (m->n + 1) * sizeof(double));
	if (nv)
		m->v = nv;
	int *nr = realloc(m->rep, (m->n + 1) * sizeof(int));
	if (nr)
		m->rep = nr;
	if (!nv || !nr)
		return HVB_ENOMEM;
	m->v[m->n] = value;
	m->rep[m->n++] = rep;
	return 0;
}

/* Says SQLite's error with what was being read, finalizes st (may be NULL) and
 * returns HVB_EDB: a damaged store must never read as one without the rows. */
static int db_fail(struct hvb_store *s, sqlite3_stmt *st, const char *what)
{
	hvb_log(HVB_LOG_ERROR, "%s: %s: %s", hvb_store_path(s), what, sqlite3_errmsg(hvb_store_db(s)));
	sqlite3_finalize(st);
	return HVB_EDB;
}

/* The end of a loop over rows: rc is sqlite3_step's last answer. */
static int rows_end(struct hvb_store *s, sqlite3_stmt *st, int rc, const char *what)
{
	if (rc != SQLITE_DONE)
		return db_fail(s, st, what);
	sqlite3_finalize(st);
	return 0;
}

static int sample_troubles(struct hvb_store *s, struct hvb_cell_data *c)
{
	sqlite3 *db = hvb_store_db(s);
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, "SELECT sum(status='ok'), sum(status NOT IN ('ok','warmup')),"
				   " (SELECT reason FROM samples WHERE cell_id=?1 AND status NOT IN ('ok','warmup') ORDER BY rep LIMIT 1)"
				   " FROM samples WHERE cell_id=?1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, NULL, "cannot read the samples");
	sqlite3_bind_int64(st, 1, c->row.id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return db_fail(s, st, "cannot read the samples");
	c->nok = sqlite3_column_int(st, 0);
	c->nbad = sqlite3_column_int(st, 1);
	c->bad_reason = dup_or_null((const char *)sqlite3_column_text(st, 2));
	sqlite3_finalize(st);
	return 0;
}

/* Adds v to the merged value of key in m (distinct values joined by " | "). */
static void fact_merge(json_t *m, const char *key, const char *v)
{
	const char *old = json_string_value(json_object_get(m, key));
	size_t n = strlen(v);

	if (!old) {
		json_object_set_new(m, key, json_string(v));
		return;
	}
	for (const char *p = old; (p = strstr(p, v)); p += n) /* already there, whole */
		if ((p == old || (p - old >= 3 && !strncmp(p - 3, " | ", 3))) && (!p[n] || !strncmp(p + n, " | ", 3)))
			return;
	json_object_set_new(m, key, json_sprintf("%s | %s", old, v));
}

int hvb_cell_facts(struct hvb_store *s, int64_t cell_id, char **facts)
{
	sqlite3_stmt *st;
	json_t *m;
	char *out = NULL;
	size_t len = 0, cap = 0;
	const char *k;
	json_t *v;
	int rc;

	*facts = NULL;
	if (sqlite3_prepare_v2(hvb_store_db(s), "SELECT data FROM artifacts WHERE cell_id=? AND name='facts.json'"
				   " ORDER BY sample_id", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, NULL, "cannot read the cells' facts");
	if (!(m = json_object())) {
		sqlite3_finalize(st);
		return HVB_ENOMEM;
	}
	sqlite3_bind_int64(st, 1, cell_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *f = json_loadb(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), 0, NULL);
		json_object_foreach(f, k, v)
			if (json_is_string(v))
				fact_merge(m, k, json_string_value(v));
		json_decref(f);
	}
	if ((rc = rows_end(s, st, rc, "cannot read the cells' facts")) < 0) {
		json_decref(m);
		return rc;
	}
	json_object_foreach(m, k, v) { /* jansson keeps keys in insertion order: sorted when stored */
		const char *val = json_string_value(v);
		size_t need = len + strlen(k) + strlen(val) + 5;
		if (need > cap) {
			char *nb = realloc(out, cap = need * 2);
			if (!nb)
				break;
			out = nb;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s%s: %s", len ? "; " : "", k, val);
	}
	json_decref(m);
	*facts = out;
	return 0;
}

int hvb_run_warnings(struct hvb_store *s, int64_t run_id, char **warnings)
{
	sqlite3_stmt *st;
	char *out = NULL;
	size_t len = 0;
	int rc;

	*warnings = NULL;
	if (sqlite3_prepare_v2(hvb_store_db(s), "SELECT data FROM artifacts WHERE run_id=? AND cell_id IS NULL AND"
				   " name='warnings.log' ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, NULL, "cannot read the run's warnings");
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) { /* one per invocation: a --resume adds its own */
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		char *nb = realloc(out, len + n + 1);
		if (!nb) {
			free(out);
			sqlite3_finalize(st);
			return HVB_ENOMEM;
		}
		out = nb;
		memcpy(out + len, sqlite3_column_blob(st, 0), n);
		out[len += n] = 0;
	}
	if ((rc = rows_end(s, st, rc, "cannot read the run's warnings")) < 0) {
		free(out);
		return rc;
	}
	*warnings = out;
	return 0;
}

/* The convergence series the cell's ok samples stored (autonuma's looks). */
static int convergence_load(struct hvb_store *s, struct hvb_cell_data *c)
{
	sqlite3_stmt *st;
	int step;

	if (sqlite3_prepare_v2(hvb_store_db(s), "SELECT a.data FROM artifacts a JOIN samples s ON s.id = a.sample_id"
				   " WHERE a.cell_id=? AND a.name='numa-convergence.csv' AND s.status='ok'"
				   " ORDER BY s.rep", -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, NULL, "cannot read the convergence series");
	sqlite3_bind_int64(st, 1, c->row.id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);
		char **nc = realloc(c->conv, (c->nconv + 1) * sizeof(char *)), *t = malloc(n + 1);
		if (nc)
			c->conv = nc;
		if (!nc || !t) {
			free(t);
			sqlite3_finalize(st);
			return HVB_ENOMEM;
		}
		memcpy(t, sqlite3_column_blob(st, 0), n);
		t[n] = 0;
		c->conv[c->nconv++] = t;
	}
	return rows_end(s, st, step, "cannot read the convergence series");
}

static int cell_cb(const struct hvb_cell_row *r, void *arg)
{
	struct load_ctx *x = arg;
	struct hvb_run_data *d = x->d;
	struct hvb_cell_data *nc = realloc(d->cells, (d->n + 1) * sizeof(*nc)), *c;
	int rc;

	if (!nc)
		return x->rc = HVB_ENOMEM;
	d->cells = nc;
	c = &d->cells[d->n++];
	memset(c, 0, sizeof(*c));
	if ((rc = copy_cell(r, c)) < 0 || (rc = sample_troubles(x->s, c)) < 0 ||
	    (rc = hvb_store_values_foreach(x->s, r->id, value_cb, c)) < 0)
		return x->rc = rc;
	placement_nodes(c, x->nodes);
	if ((rc = hvb_cell_facts(x->s, r->id, &c->facts)) < 0 || (rc = convergence_load(x->s, c)) < 0)
		return x->rc = rc;
	return 0;
}

static int part_add(struct hvb_run_data *d);

int hvb_run_load(struct hvb_store *s, int64_t run_id, struct hvb_run_data *d)
{
	struct load_ctx x = { .s = s, .d = d };
	json_t *host = NULL;
	int rc;

	memset(d, 0, sizeof(*d));
	if ((rc = hvb_store_run_get(s, run_id, &d->info)) < 0)
		return rc;
	if (d->info.host_json && (host = json_loads(d->info.host_json, 0, NULL)))
		x.nodes = json_object_get(json_object_get(host, "topology"), "nodes");
	rc = hvb_store_cells_foreach(s, run_id, cell_cb, &x);
	json_decref(host);
	if (rc == 0 && x.rc < 0)
		rc = x.rc;
	if (rc == 0)
		rc = hvb_run_warnings(s, run_id, &d->warnings);
	if (rc == 0)
		rc = part_add(d);
	if (rc < 0)
		hvb_run_data_free(d);
	return rc < 0 ? rc : 0;
}

static int part_add(struct hvb_run_data *d)
{
	struct hvb_run_part *np = realloc(d->parts, (d->nparts + 1) * sizeof(*np)), *p;

	if (!np)
		return HVB_ENOMEM;
	d->parts = np;
	p = &d->parts[d->nparts++];
	memset(p, 0, sizeof(*p));
	p->id = d->info.id;
	p->shard_index = d->info.shard_index;
	p->shard_count = d->info.shard_count;
	snprintf(p->uuid, sizeof(p->uuid), "%s", d->info.uuid);
	snprintf(p->host_class, sizeof(p->host_class), "%s", d->info.host_class);
	snprintf(p->status, sizeof(p->status), "%s", d->info.status);
	snprintf(p->label, sizeof(p->label), "%s", d->info.label);
	return 0;
}

/* Appends src's values to dst's series of the same metrics; the repetitions of
 * src are moved by rep_base, so that each stays paired with its own sample's. */
static int cell_pool(struct hvb_cell_data *dst, const struct hvb_cell_data *src, int rep_base)
{
	for (size_t k = 0; k < src->nm; k++)
		for (size_t i = 0; i < src->m[k].n; i++) {
			int rc = value_cb(0, src->m[k].rep[i] + rep_base, src->m[k].name, src->m[k].v[i], src->m[k].unit,
					  hvb_better_name(src->m[k].better), dst);
			if (rc < 0)
				return rc;
		}
	dst->nok += src->nok;
	dst->nbad += src->nbad;
	return 0;
}

int hvb_runs_load(struct hvb_store *s, const int64_t *ids, size_t n, int pool, struct hvb_run_data *d)
{
	int rc;

	if ((rc = hvb_run_load(s, ids[0], d)) < 0)
		return rc;
	for (size_t r = 1; r < n; r++) {
		struct hvb_run_data o;
		if ((rc = hvb_run_load(s, ids[r], &o)) < 0) {
			hvb_run_data_free(d);
			return rc;
		}
		/* parts[0] is o's own: d takes it. */
		struct hvb_run_part *np = realloc(d->parts, (d->nparts + 1) * sizeof(*np));
		if (np) {
			d->parts = np;
			d->parts[d->nparts++] = o.parts[0];
		}
		for (size_t i = 0; np && rc == 0 && i < o.n; i++) {
			struct hvb_cell_data *c = &o.cells[i], *same = NULL;
			for (size_t j = 0; j < d->n && !same; j++)
				if (!strcmp(d->cells[j].row.key, c->row.key) &&
				    (pool || !strcmp(d->cells[j].row.host_class, c->row.host_class)))
					same = &d->cells[j];
			if (same) {
				rc = cell_pool(same, c, (int)r * 1000000);
				if (strcmp(same->row.host_class, c->row.host_class))
					snprintf(same->row.host_class, sizeof(same->row.host_class), "*");
				continue;
			}
			struct hvb_cell_data *nc = realloc(d->cells, (d->n + 1) * sizeof(*nc));
			if (!nc) {
				rc = HVB_ENOMEM;
				break;
			}
			d->cells = nc;
			d->cells[d->n++] = *c; /* moved: o no longer owns it */
			memset(c, 0, sizeof(*c));
		}
		hvb_run_data_free(&o);
		if (!np || rc < 0) {
			hvb_run_data_free(d);
			return np ? rc : HVB_ENOMEM;
		}
	}
	return 0;
}

int hvb_cell_is_infra(const struct hvb_cell_data *c)
{
	static const char *const broken[] = { "failed", "interrupted", "planned", "running", NULL };

	for (size_t i = 0; broken[i]; i++)
		if (!strcmp(c->row.status, broken[i]))
			return c->nok == 0;
	return 0;
}

void hvb_run_data_free(struct hvb_run_data *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct hvb_cell_data *c = &d->cells[i];
		for (size_t k = 0; k < c->nm; k++) {
			free(c->m[k].v);
			free(c->m[k].rep);
		}
		free(c->m);
		free(c->bad_reason);
		free(c->facts);
		for (size_t k = 0; k < c->nconv; k++)
			free(c->conv[k]);
		free(c->conv);
		hvb_cell_row_free(&c->row);
	}
	free(d->cells);
	free(d->warnings);
	free(d->parts);
	hvb_run_info_free(&d->info);
	memset(d, 0, sizeof(*d));
}

const struct hvb_series *hvb_cell_series(const struct hvb_cell_data *c, const char *metric)
{
	for (size_t k = 0; k < c->nm; k++)
		if (!strcmp(c->m[k].name, metric))
			return &c->m[k];
	return NULL;
}

/* The namespaces of probe and trace figures ("perf.cycles", "xen.exits"). A
 * workload's own figures may have dots too ("lat_ns.16K"), so the prefix must be
 * one of these; analysis cannot ask probes/ (it sees results/ only), hence the
 * list, kept in step with the probes and the Xen trace classes. */
static const char *const probe_spaces[] = { "perf", "xen", "cost", "xentrace", "xenstat", "xenperf", "xenlockprof", "lock", "numa", "tracefs",
					    "trace", "sched", "block", "net", "napi", "netback", "blkback", "steal", "vmstat", "probe",
					    NULL };

int hvb_metric_is_probe(const char *name)
{
	const char *dot = strchr(name, '.');

	if (!dot)
		return 0;
	for (size_t i = 0; probe_spaces[i]; i++)
		if (strlen(probe_spaces[i]) == (size_t)(dot - name) && !strncmp(name, probe_spaces[i], (size_t)(dot - name)))
			return 1;
	return 0;
}

int hvb_metric_is_amount(const char *name, const char *unit)
{
	/* Levels (how many vCPUs, MiB in use, a share) and distribution points
	 * (latency percentiles, maxima) do not grow with the work done. */
	static const char *const level_units[] = { "count", "MiB", "GiB", "KiB", "%", "MHz", NULL };
	static const char *const point_names[] = { ".p50", ".p90", ".p95", ".p99", "_p50", "_p90", "_p95", "_p99",
						   ".max", "_max", ".min", "_min", ".mean", "_mean", NULL };

	for (size_t i = 0; level_units[i]; i++)
		if (unit && !strcmp(unit, level_units[i]))
			return 0;
	if (strstr(name, ".per_")) /* already per packet, per request (cost.*) */
		return 0;
	for (size_t i = 0; point_names[i]; i++)
		if (strstr(name, point_names[i]))
			return 0;
	return 1;
}

size_t hvb_series_per_op(const struct hvb_series *m, const struct hvb_series *ops, double *out)
{
	size_t k = 0;

	for (size_t i = 0; i < m->n; i++)
		for (size_t j = 0; j < ops->n; j++)
			if (ops->rep[j] == m->rep[i] && ops->v[j] > 0) {
				out[k++] = m->v[i] / ops->v[j];
				break;
			}
	return k;
}

/* Parameters as " k=v" pairs, in the stored object's order. */
static size_t params_text(const char *params_json, char *buf, size_t len)
{
	json_t *p = params_json ? json_loads(params_json, 0, NULL) : NULL, *v;
	const char *k;
	size_t off = 0;

	if (len)
		buf[0] = 0;
	json_object_foreach(p, k, v) {
		const char *s = json_string_value(v);
		char num[64];
		if (!s) { /* numbers or booleans, should a writer store them so */
			char *t = json_dumps(v, JSON_ENCODE_ANY);
			snprintf(num, sizeof(num), "%s", t ? t : "?");
			free(t);
			s = num;
		}
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, " %s=%s", k, s);
	}
	json_decref(p);
	return off;
}

void hvb_cell_key_without(const struct hvb_cell_row *c, const char *dim, char *buf, size_t len)
{
	int no_mode = !strcmp(dim, "mode"), no_place = !strcmp(dim, "placement");
	size_t off;

	/* Across modes the guest memory is not compared: the native baseline has none. */
	off = (size_t)snprintf(buf, len, "%s%s%s placement=%s vcpus=%d memory=%llu %s", no_mode ? "" : c->backend,
			       no_mode ? "" : ":", no_mode ? "" : c->mode, no_place ? "*" : c->placement, c->vcpus,
			       no_mode ? 0ULL : (unsigned long long)c->memory, c->section);
	if (off < len)
		off += params_text(c->params_json, buf + off, len - off);
	/* Never across host classes: a cell of another class is another cell ("*": pooled, asked for). */
	if (off < len && c->host_class[0] && strcmp(c->host_class, "*"))
		snprintf(buf + off, len - off, " host_class=%s", c->host_class);
}

void hvb_cell_title(const struct hvb_cell_row *c, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "%s", c->section);
	char mem[32];

	if (off < len)
		off += params_text(c->params_json, buf + off, len - off);
	hvb_format_size(c->memory, mem, sizeof(mem));
	if (off < len)
		snprintf(buf + off, len - off, " vcpus=%d%s%s", c->vcpus, c->memory ? " memory=" : "",
			 c->memory ? mem : "");
}
