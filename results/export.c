/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Exports for pandas and R: one row per sample and metric of the runs named,
 * with the cell's parameters as columns, in CSV (RFC 4180) or JSON, under a
 * versioned schema (hvb_export_columns documents it; a change of a column's
 * name, meaning or unit is a new HVB_EXPORT_SCHEMA). And import: the runs of
 * another store copied with everything they hold, once. */
#include "config.h"
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "results/results.h"
#include "results/store-internal.h"

#define COLUMN(name, unit, help) { name, unit, help },
const struct hvb_export_column hvb_export_columns[] = { HVB_EXPORT_COLUMNS(COLUMN) { NULL, NULL, NULL } };
#define NFIXED 28 /* the columns above before param.NAME */

void hvb_double_text(double v, char *buf, size_t len)
{
	for (int p = 15; p <= 17; p++) {
		snprintf(buf, len, "%.*g", p, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* Text a spreadsheet would run as a formula (OWASP "CSV injection"): it begins
 * with = + - @ TAB or CR and is not a number (-1.5 stays as it is). */
static int formula_like(const char *t)
{
	char *end;

	if (!*t || !strchr("=+-@\t\r", t[0]))
		return 0;
	(void)strtod(t, &end);
	return end == t || *end;
}

/* RFC 4180: quoted when it holds a comma, a quote, CR or LF (a quote doubled),
 * or begins or ends with a space; text not UTF-8 gets U+FFFD; formula-like text
 * gets a leading ' as spreadsheets expect, so that opening the file runs nothing. */
static void csv_field(FILE *out, const char *s, int first)
{
	char *u = hvb_esc_dup(s ? s : "", HVB_ESC_UTF8);
	const char *t = u ? u : "";
	size_t n = strlen(t);

	if (!first)
		fputc(',', out);
	if (strpbrk(t, ",\"\r\n") || (n && (t[0] == ' ' || t[n - 1] == ' '))) {
		fputc('"', out);
		if (formula_like(t))
			fputc('\'', out);
		for (const char *c = t; *c; c++) {
			if (*c == '"')
				fputc('"', out);
			fputc(*c, out);
		}
		fputc('"', out);
	} else
		fprintf(out, "%s%s", formula_like(t) ? "'" : "", t);
	free(u);
}

struct exporter {
	struct hvb_store *s;
	int json;
	FILE *out;
	char **params;     /* sorted names of every parameter */
	size_t nparams;
	json_t *rows;
	size_t nrows;
};

static int add_param(struct exporter *e, const char *name)
{
	size_t i = 0;
	char **np;

	while (i < e->nparams && strcmp(e->params[i], name) < 0)
		i++;
	if (i < e->nparams && !strcmp(e->params[i], name))
		return 0;
	if (!(np = realloc(e->params, (e->nparams + 1) * sizeof(*np))))
		return HVB_ENOMEM;
	e->params = np;
	memmove(np + i + 1, np + i, (e->nparams - i) * sizeof(*np));
	if (!(np[i] = strdup(name)))
		return HVB_ENOMEM;
	e->nparams++;
	return 0;
}

static int collect_params(struct exporter *e, int64_t run_id)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(e->s->db, "SELECT params_json FROM cells WHERE run_id=?", -1, &st, NULL) != SQLITE_OK)
		return hvb_store_fail(e->s, "cannot read the cells");
	sqlite3_bind_int64(st, 1, run_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
		const char *k;
		json_t *v;
		int r = 0;
		json_object_foreach(o, k, v) if (!r) r = add_param(e, k);
		json_decref(o);
		if (r) {
			sqlite3_finalize(st);
			return r;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : hvb_store_fail(e->s, "cannot read the cells");
}

#define ROW_SQL                                                                                                \
	"SELECT r.id, r.label, r.experiment, r.status, r.lab, c.idx, c.key, c.backend, c.mode, c.placement,"    \
	" c.vcpus, c.memory, c.workload, c.section, c.status, x.rep, x.status, x.reason, x.seed, x.started,"  \
	" x.wall_s, x.workload_s, m.name, m.value, m.unit, m.better, c.params_json"                            \
	" FROM runs r JOIN cells c ON c.run_id=r.id JOIN samples x ON x.cell_id=c.id"                          \
	" LEFT JOIN metrics m ON m.sample_id=x.id WHERE r.id=? ORDER BY c.idx, x.rep, m.name COLLATE hvb_name"

/* Column i of the row as text (NULL: none), numbers as they read back. */
static const char *cell_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL: return NULL;
	case SQLITE_INTEGER:
		if (i == 18) /* the seed, stored as a signed 64-bit integer */
			snprintf(buf, len, "%llu", (unsigned long long)sqlite3_column_int64(st, i));
		else
			snprintf(buf, len, "%lld", (long long)sqlite3_column_int64(st, i));
		return buf;
	case SQLITE_FLOAT: hvb_double_text(sqlite3_column_double(st, i), buf, len); return buf;
	default: return (const char *)sqlite3_column_text(st, i);
	}
}

static json_t *json_cell(sqlite3_stmt *st, int i)
{
	char *u;
	json_t *v;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL: return json_null();
	case SQLITE_INTEGER:
		if (i == 18) { /* the seed: all 64 bits, which a JSON number (a double to most readers) would round */
			char seed[24];
			snprintf(seed, sizeof(seed), "%llu", (unsigned long long)(uint64_t)sqlite3_column_int64(st, i));
			return json_string(seed);
		}
		return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT: return isfinite(sqlite3_column_double(st, i)) ? json_real(sqlite3_column_double(st, i)) : json_null();
	default:
		u = hvb_esc_dup((const char *)sqlite3_column_text(st, i), HVB_ESC_UTF8);
		v = u ? json_string(u) : json_null();
		free(u);
		return v;
	}
}

static void utc(double t, char *buf, size_t len)
{
	long long us = llround(t * 1e6);
	time_t s = (time_t)(us / 1000000);
	struct tm tm;
	char d[32];

	gmtime_r(&s, &tm);
	strftime(d, sizeof(d), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06lldZ", d, us % 1000000);
}

static int write_row(struct exporter *e, sqlite3_stmt *st)
{
	/* The query's columns in the schema's order; -1: computed here. */
	static const int col[NFIXED] = { -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
					 15, 16, 17, 18, 19, -1, 20, 21, 22, 23, 24, 25 };
	json_t *params = json_loads((const char *)sqlite3_column_text(st, 26), 0, NULL), *row = NULL;
	char buf[64], when[48];

	utc(sqlite3_column_double(st, 19), when, sizeof(when));
	if (e->json && !(row = json_object())) {
		json_decref(params);
		return HVB_ENOMEM;
	}
	for (int k = 0; k < NFIXED; k++) {
		const char *name = hvb_export_columns[k].name;
		if (e->json)
			json_object_set_new(row, name, k == 0 ? json_integer(HVB_EXPORT_SCHEMA) : k == 21 ? json_string(when)
							       : json_cell(st, col[k]));
		else
			csv_field(e->out, k == 0 ? HVB_STR(HVB_EXPORT_SCHEMA) : k == 21 ? when
					  : cell_text(st, col[k], buf, sizeof(buf)), k == 0);
	}
	for (size_t i = 0; i < e->nparams; i++) {
		json_t *v = json_object_get(params, e->params[i]);
		char name[300], *u = NULL;
		if (json_is_string(v))
			u = hvb_esc_dup(json_string_value(v), HVB_ESC_UTF8);
		snprintf(name, sizeof(name), "param.%s", e->params[i]);
		if (e->json)
			json_object_set_new(row, name, u ? json_string(u) : json_null());
		else
			csv_field(e->out, u, 0);
		free(u);
	}
	json_decref(params);
	if (e->json)
		return json_array_append_new(e->rows, row) ? HVB_ENOMEM : 0;
	fputs("\r\n", e->out);
	return 0;
}

static int export_run(struct exporter *e, int64_t run_id)
{
	sqlite3_stmt *st;
	int rc, wrc = 0;

	if (sqlite3_prepare_v2(e->s->db, ROW_SQL, -1, &st, NULL) != SQLITE_OK)
		return hvb_store_fail(e->s, "cannot read the samples");
	sqlite3_bind_int64(st, 1, run_id);
	while (!wrc && (rc = sqlite3_step(st)) == SQLITE_ROW)
		wrc = write_row(e, st);
	sqlite3_finalize(st);
	if (wrc)
		return wrc;
	return rc == SQLITE_DONE ? 0 : hvb_store_fail(e->s, "cannot read the samples");
}

int hvb_export_runs(struct hvb_store *s, const int64_t *ids, size_t n, int json, FILE *out)
{
	struct exporter e = { .s = s, .json = json, .out = out };
	json_t *doc = NULL, *cols;
	int rc = 0;

	for (size_t i = 0; i < n && !rc; i++)
		rc = collect_params(&e, ids[i]);
	if (!rc && json) {
		doc = json_object();
		cols = json_array();
		e.rows = json_array();
		if (!doc || !cols || !e.rows)
			rc = HVB_ENOMEM;
		json_object_set_new(doc, "kind", json_string("export"));
		json_object_set_new(doc, "schema_version", json_integer(HVB_EXPORT_SCHEMA));
		for (int k = 0; k < NFIXED; k++)
			json_array_append_new(cols, json_string(hvb_export_columns[k].name));
		for (size_t i = 0; i < e.nparams; i++) {
			char name[300];
			snprintf(name, sizeof(name), "param.%s", e.params[i]);
			json_array_append_new(cols, json_string(name));
		}
		json_object_set_new(doc, "columns", cols);
		json_object_set(doc, "rows", e.rows);
	} else if (!rc) {
		for (int k = 0; k < NFIXED; k++)
			csv_field(out, hvb_export_columns[k].name, k == 0);
		for (size_t i = 0; i < e.nparams; i++) {
			char name[300];
			snprintf(name, sizeof(name), "param.%s", e.params[i]);
			csv_field(out, name, 0);
		}
		fputs("\r\n", out);
	}
	for (size_t i = 0; i < n && !rc; i++)
		rc = export_run(&e, ids[i]);
	if (!rc && json && json_dumpf(doc, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0)
		rc = HVB_EIO;
	if (!rc && json)
		fputc('\n', out);
	json_decref(e.rows);
	json_decref(doc);
	for (size_t i = 0; i < e.nparams; i++)
		free(e.params[i]);
	free(e.params);
	return rc;
}
