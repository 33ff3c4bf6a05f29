/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The closing table of `run` and `show`: per cell and metric the median,
 * min-max and coefficient of variation of the stored samples, in scaled units,
 * fitting the terminal (hvb_cli_width). */
#include "config.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"
#include "bench/bench.h"
#include "cli/cli.h"
#include "results/results.h"

struct acc {
	struct hvb_table *t;   /* the text table, or */
	json_t *json;          /* the cell's array of metrics (show --json) */
	char metric[96], unit[16], better[16];
	double *v;
	size_t n, cap;
	const struct hvb_cell_row *cell;
	int printed_cell;
};

/* Cell keys, metric names, units and reasons are anyone's text: the table escapes them for the terminal. */
static void cell_line(struct hvb_table *t, const struct hvb_cell_row *c)
{
	char *line = malloc(strlen(c->key) + 32);

	if (line)
		sprintf(line, "[%d] %s", c->idx, c->key);
	hvb_table_span(t, line ? line : c->key);
	free(line);
}

static void flush_metric(struct acc *a)
{
	double mean = 0, var = 0;

	if (!a->n)
		return;
	hvb_sort_doubles(a->v, a->n);
	for (size_t i = 0; i < a->n; i++)
		mean += a->v[i];
	mean /= (double)a->n;
	for (size_t i = 0; i < a->n; i++)
		var += (a->v[i] - mean) * (a->v[i] - mean);
	var = a->n > 1 ? var / (double)(a->n - 1) : 0;
	double med = hvb_quantile_sorted(a->v, a->n, 0.5), cv = mean != 0 ? sqrt(var) / fabs(mean) : 0;
	if (a->json) {
		json_array_append_new(a->json, json_pack("{s:o, s:o, s:s, s:I, s:f, s:f, s:f, s:f}", "name",
							 hvb_cli_json_str(a->metric), "unit", hvb_cli_json_str(a->unit),
							 "better", a->better, "n", (json_int_t)a->n, "median", med, "min",
							 a->v[0], "max", a->v[a->n - 1], "cov", cv));
		a->n = 0;
		return;
	}
	if (!a->printed_cell) {
		cell_line(a->t, a->cell);
		a->printed_cell = 1;
	}
	struct hvb_scale sc;
	char m[48], lo[48], hi[48], range[100], cov[32], n[32], name[110];
	hvb_unit_scale(med, a->unit, &sc);
	hvb_unit_fmt(med, &sc, m, sizeof(m));
	hvb_unit_fmt(a->v[0], &sc, lo, sizeof(lo));
	hvb_unit_fmt(a->v[a->n - 1], &sc, hi, sizeof(hi));
	snprintf(range, sizeof(range), "%s – %s", lo, hi);
	snprintf(cov, sizeof(cov), "%.1f%%", 100 * cv);
	snprintf(n, sizeof(n), "%zu", a->n);
	snprintf(name, sizeof(name), "  %s", a->metric);
	const char *cells[] = { name, m, sc.unit, range, cov, n };
	hvb_table_row(a->t, cells, 6);
	a->n = 0;
}

static int on_value(int64_t sample_id, int rep, const char *metric, double value, const char *unit,
		    const char *better, void *arg)
{
	struct acc *a = arg;

	if (strcmp(metric, a->metric)) {
		flush_metric(a);
		snprintf(a->metric, sizeof(a->metric), "%s", metric);
		snprintf(a->unit, sizeof(a->unit), "%s", unit);
		snprintf(a->better, sizeof(a->better), "%s", better ? better : "info");
	}
	if (a->n == a->cap) {
		double *nv = realloc(a->v, (a->cap = a->cap ? a->cap * 2 : 16) * sizeof(double));
		if (!nv)
			return HVB_ENOMEM;
		a->v = nv;
	}
	a->v[a->n++] = value;
	return 0;
}

struct walk {
	struct hvb_store *s;
	FILE *out;
	struct hvb_table *t;
	json_t *cells; /* show --json: the cells' array, instead of the table */
	int pass;      /* 0: the table; 1: count the cells that did not produce every sample; 2: list them */
	int ntrouble;
};

static void status_line(struct hvb_table *t, const struct hvb_cell_row *c, const char *open, const char *close)
{
	const char *r = c->reason ? c->reason : "";
	char *line = malloc(strlen(r) + strlen(c->status) + 16);

	if (line)
		sprintf(line, "  %s%s%s%s%s", open, c->status, c->reason ? ": " : "", r, close);
	hvb_table_span(t, line ? line : c->status);
	free(line);
}

/* Every cell not skipped owes every repetition, ok: "done". */
static int is_trouble(const struct hvb_cell_row *c)
{
	return strcmp(c->status, "done") && strcmp(c->status, "skipped");
}

static int on_cell(const struct hvb_cell_row *c, void *arg)
{
	struct walk *w = arg;
	struct acc a = { .t = w->t, .cell = c };
	int rc;

	if (w->cells) {
		json_t *ms = json_array();
		struct acc j = { .json = ms, .cell = c };
		json_array_append_new(w->cells, json_pack("{s:i, s:o, s:s, s:o, s:o}", "cell", c->idx, "key",
							  hvb_cli_json_str(c->key), "status", c->status, "reason",
							  c->reason ? hvb_cli_json_str(c->reason) : json_null(), "metrics", ms));
		rc = hvb_store_values_foreach(w->s, c->id, on_value, &j);
		flush_metric(&j);
		free(j.v);
		return rc < 0 ? rc : 0;
	}
	if (w->pass) {
		if (w->pass == 1)
			w->ntrouble += is_trouble(c);
		else if (is_trouble(c)) {
			cell_line(w->t, c);
			status_line(w->t, c, "", "");
		}
		return 0;
	}
	if (!strcmp(c->status, "skipped") || !strcmp(c->status, "failed") || !strcmp(c->status, "planned")) {
		cell_line(w->t, c);
		status_line(w->t, c, "", "");
		return 0;
	}
	if ((rc = hvb_store_values_foreach(w->s, c->id, on_value, &a)) < 0) {
		free(a.v);
		return rc;
	}
	flush_metric(&a);
	if (!a.printed_cell) {
		cell_line(w->t, c);
		hvb_table_span(w->t, "  no samples");
	} else if (strcmp(c->status, "done") || c->reason)
		status_line(w->t, c, "(", ")");
	char *facts; /* what it measured on: tmpfs is not a disk */
	if ((rc = hvb_cell_facts(w->s, c->id, &facts)) < 0) {
		free(a.v);
		return rc;
	}
	if (facts) {
		char *line = malloc(strlen(facts) + 20);
		if (line) {
			sprintf(line, "  measured on: %s", facts);
			hvb_table_span(w->t, line);
			free(line);
		}
		free(facts);
	}
	free(a.v);
	return 0;
}

int hvb_cli_print_summary(struct hvb_store *s, int64_t run_id, FILE *out)
{
	struct walk w = { s, out, NULL, NULL, 0, 0 };
	static const char *const head[] = { "cell / metric", "median", "unit", "min – max", "CoV", "n" };
	int ok = 0, failed = 0, width = hvb_cli_width();
	int rc;

	if (!(w.t = hvb_table_new(6)))
		return HVB_ENOMEM;
	for (size_t c = 1; c < 6; c++)
		if (c != 2)
			hvb_table_right(w.t, c);
	hvb_table_row(w.t, head, 6);
	if ((rc = hvb_store_cells_foreach(s, run_id, on_cell, &w)) < 0 ||
	    (rc = hvb_store_sample_counts(s, run_id, &ok, &failed)) < 0) {
		hvb_table_free(w.t);
		return rc;
	}
	hvb_table_print(w.t, out, 0, width);
	hvb_table_free(w.t);
	fprintf(out, "%d samples stored, %d failed\n", ok, failed);
	/* Which cells did not produce their samples, and why: the exit code's reason. */
	w.pass = 1; /* count */
	hvb_store_cells_foreach(s, run_id, on_cell, &w);
	if (w.ntrouble) {
		fprintf(out, "%d cell%s did not produce every sample:\n", w.ntrouble, w.ntrouble == 1 ? "" : "s");
		w.pass = 2;
		if ((w.t = hvb_table_new(1))) {
			hvb_store_cells_foreach(s, run_id, on_cell, &w);
			hvb_table_print(w.t, out, 0, width);
			hvb_table_free(w.t);
		}
	}
	return w.ntrouble;
}

json_t *hvb_cli_summary_json(struct hvb_store *s, int64_t run_id)
{
	struct walk w = { .s = s, .cells = json_array() };
	int ok = 0, failed = 0;

	if (!w.cells || hvb_store_cells_foreach(s, run_id, on_cell, &w) < 0 ||
	    hvb_store_sample_counts(s, run_id, &ok, &failed) < 0) {
		json_decref(w.cells);
		return NULL;
	}
	return json_pack("{s:o, s:i, s:i}", "cells", w.cells, "samples_ok", ok, "samples_failed", failed);
}
