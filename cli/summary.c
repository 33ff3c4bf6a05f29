/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The closing table of `run` and `show`: per cell and metric the median,
 * min-max and coefficient of variation of the stored samples. */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"
#include "bench/bench.h"
#include "cli/cli.h"
#include "results/results.h"

struct acc {
	FILE *out;
	char metric[96], unit[16];
	double *v;
	size_t n, cap;
	const struct hvb_cell_row *cell;
	int printed_cell;
};

/* Cell keys, metric names, units and reasons are anyone's text: escaped for the terminal. */
static void put(FILE *out, const char *s)
{
	hvb_esc_write(out, s, HVB_ESC_TEXT);
}

static void cell_line(FILE *out, const struct hvb_cell_row *c)
{
	fprintf(out, "[%d] ", c->idx);
	put(out, c->key);
	fputc('\n', out);
}

static void flush_metric(struct acc *a)
{
	double mean = 0, var = 0;
	char name[200], unit[64];

	if (!a->n)
		return;
	hvb_sort_doubles(a->v, a->n);
	for (size_t i = 0; i < a->n; i++)
		mean += a->v[i];
	mean /= (double)a->n;
	for (size_t i = 0; i < a->n; i++)
		var += (a->v[i] - mean) * (a->v[i] - mean);
	var = a->n > 1 ? var / (double)(a->n - 1) : 0;
	if (!a->printed_cell) {
		cell_line(a->out, a->cell);
		a->printed_cell = 1;
	}
	fprintf(a->out, "    %-28s %12.4g %-10s %11.4g – %-11.4g CoV %5.1f%%  n=%zu\n",
		hvb_esc_buf(a->metric, HVB_ESC_TEXT, name, sizeof(name)), hvb_quantile_sorted(a->v, a->n, 0.5),
		hvb_esc_buf(a->unit, HVB_ESC_TEXT, unit, sizeof(unit)), a->v[0], a->v[a->n - 1],
		mean != 0 ? 100 * sqrt(var) / fabs(mean) : 0, a->n);
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
	int pass;      /* 0: the table; 1: count the cells that did not produce every sample; 2: list them */
	int ntrouble;
};

static void status_line(FILE *out, const struct hvb_cell_row *c, const char *open, const char *close)
{
	fprintf(out, "    %s%s", open, c->status);
	if (c->reason) {
		fputs(": ", out);
		put(out, c->reason);
	}
	fprintf(out, "%s\n", close);
}

/* Every cell not skipped owes every repetition, ok: "done". */
static int is_trouble(const struct hvb_cell_row *c)
{
	return strcmp(c->status, "done") && strcmp(c->status, "skipped");
}

static int on_cell(const struct hvb_cell_row *c, void *arg)
{
	struct walk *w = arg;
	struct acc a = { .out = w->out, .cell = c };
	int rc;

	if (w->pass) {
		if (w->pass == 1)
			w->ntrouble += is_trouble(c);
		else if (is_trouble(c)) {
			cell_line(w->out, c);
			status_line(w->out, c, "", "");
		}
		return 0;
	}
	if (!strcmp(c->status, "skipped") || !strcmp(c->status, "failed") || !strcmp(c->status, "planned")) {
		cell_line(w->out, c);
		status_line(w->out, c, "", "");
		return 0;
	}
	if ((rc = hvb_store_values_foreach(w->s, c->id, on_value, &a)) < 0) {
		free(a.v);
		return rc;
	}
	flush_metric(&a);
	if (!a.printed_cell) {
		cell_line(w->out, c);
		fputs("    no samples\n", w->out);
	} else if (strcmp(c->status, "done") || c->reason)
		status_line(w->out, c, "(", ")");
	char *facts = hvb_cell_facts(w->s, c->id); /* what it measured on: tmpfs is not a disk */
	if (facts) {
		fputs("    measured on: ", w->out);
		put(w->out, facts);
		fputc('\n', w->out);
		free(facts);
	}
	free(a.v);
	return 0;
}

int hvb_cli_print_summary(struct hvb_store *s, int64_t run_id, FILE *out)
{
	struct walk w = { s, out, 0, 0 };
	int ok = 0, failed = 0;
	int rc;

	fprintf(out, "%-33s %12s %-10s %25s\n", "cell / metric", "median", "unit", "min – max");
	if ((rc = hvb_store_cells_foreach(s, run_id, on_cell, &w)) < 0 ||
	    (rc = hvb_store_sample_counts(s, run_id, &ok, &failed)) < 0)
		return rc;
	fprintf(out, "%d samples stored, %d failed\n", ok, failed);
	/* Which cells did not produce their samples, and why: the exit code's reason. */
	w.pass = 1; /* count */
	hvb_store_cells_foreach(s, run_id, on_cell, &w);
	if (w.ntrouble) {
		fprintf(out, "%d cell%s did not produce every sample:\n", w.ntrouble, w.ntrouble == 1 ? "" : "s");
		w.pass = 2;
		hvb_store_cells_foreach(s, run_id, on_cell, &w);
	}
	return w.ntrouble;
}
