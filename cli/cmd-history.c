/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench history SELECTOR: one metric's median across runs, with the change
 * points E-Divisive finds, and optionally a plot. */
#include "config.h"
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "cli/cli.h"
#include "results/results.h"
#ifdef HAVE_GSL
#include "analysis/analysis.h"

/* FILE for the first series, FILE with -2, -3 ... before its extension for the others. */
static void plot_name(const char *base, size_t i, char *buf, size_t len)
{
	const char *dot = strrchr(base, '.'), *slash = strrchr(base, '/');

	if (!i)
		snprintf(buf, len, "%s", base);
	else if (dot && (!slash || dot > slash))
		snprintf(buf, len, "%.*s-%zu%s", (int)(dot - base), base, i + 1, dot);
	else
		snprintf(buf, len, "%s-%zu", base, i + 1);
}

/* The plot in the format its file name says: .svg or .png, nothing else. */
static int plot_format(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (dot && (!slash || dot > slash) && !strcasecmp(dot, ".svg"))
		return 0;
	if (dot && (!slash || dot > slash) && !strcasecmp(dot, ".png"))
		return 1;
	fprintf(stderr, "hvbench history: --plot '%s': expected a file name ending in .svg or .png (the format of the plot)\n",
		path);
	return -1;
}

static int write_plot(const struct hvb_history *h, const char *path, const char *db)
{
	char *out = NULL, *body, why[128];
	size_t len = 0;
	int png = plot_format(path);
	FILE *f;

	if (!hvb_plot_available(why, sizeof(why))) {
		fprintf(stderr, "hvbench history: --plot: %s\n", why);
		return -1;
	}
	if (hvb_plot_history(h, png, &out, &len) < 0) {
		fprintf(stderr, "hvbench history: the plot of %s failed\n", h->key);
		return -1;
	}
	if (!(f = hvb_cli_output_open("history", path, db))) {
		free(out);
		return hvb_cli_output_exit() == HVB_EXIT_USAGE ? -2 : -1; /* -2: refused */
	}
	if (png) {
		/* hvbench's mark in a text chunk after the header: the file may be written over next time. */
		if (hvb_cli_png_write(f, out, len) < 0)
			fprintf(stderr, "hvbench history: gnuplot's PNG for %s is not one\n", h->key);
	} else {
		/* hvbench's mark after the XML declaration: the file may be written over next time. */
		body = !strncmp(out, "<?xml", 5) && strchr(out, '\n') ? strchr(out, '\n') + 1 : out;
		fprintf(f, "%.*s%s -->\n%s", (int)(body - out), out, HVB_CLI_SVG_MARK, body);
	}
	free(out);
	if (hvb_cli_output_close("history", path, f) < 0)
		return -1;
	printf("plot: %s\n", path);
	return 0;
}

static void print_series(const struct hvb_history *h)
{
	size_t k = 0;
	char key[1200], metric[400], unit[100], label[400];

	/* Keys, metric names, units and labels are anyone's text: escaped for the terminal. */
	printf("\n%s\n  %s (%s): %zu runs, %zu change point%s\n", hvb_esc_buf(h->key, HVB_ESC_TEXT, key, sizeof(key)),
	       hvb_esc_buf(h->metric, HVB_ESC_TEXT, metric, sizeof(metric)), hvb_esc_buf(h->unit, HVB_ESC_TEXT, unit, sizeof(unit)),
	       h->n, h->ncp, h->ncp == 1 ? "" : "s");
	for (size_t i = 0; i < h->n; i++) {
		const struct hvb_history_point *p = &h->pt[i];
		char when[32] = "-", med[32];
		time_t t = (time_t)p->started;
		struct tm tm;
		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		hvb_fmt_num(p->median, med, sizeof(med));
		if (k < h->ncp && h->cps[k].index == i) {
			char pct[32];
			hvb_fmt_pct(h->cps[k].before != 0 ? h->cps[k].after / h->cps[k].before : NAN, pct, sizeof(pct));
			printf("  ---- change point: median %s (p = %.3g, permutation test)\n", pct, h->cps[k].p);
			k++;
		}
		printf("  run %-5lld %-16s %-24s %12s  n=%zu\n", (long long)p->run_id, when,
		       hvb_esc_buf(p->label, HVB_ESC_TEXT, label, sizeof(label)), med, p->n);
	}
}

HVB_COMMAND(history)
{
	static const struct option longopts[] = {
		{ "label", required_argument, NULL, 'l' }, { "min-segment", required_argument, NULL, 'm' },
		{ "plot", required_argument, NULL, 'p' },  { "db", required_argument, NULL, 'd' },
		{ "across-hosts", no_argument, NULL, 'H' }, { 0 },
	};
	const char *label = NULL, *plot = NULL, *db = NULL;
	struct hvb_edm_opts eo;
	struct hvb_history *h;
	struct hvb_store *s;
	size_t nh;
	int64_t v;
	int c, rc = HVB_EXIT_OK, across = 0;

	hvb_edm_opts_default(&eo);
	optind = 1;
	while ((c = hvb_cli_getopt("history", argc, argv, "l:m:p:d:H", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': label = optarg; break;
		case 'm':
			if (hvb_cli_parse_int("history", "--min-segment", optarg, 2, 1000, &v) < 0)
				return HVB_EXIT_USAGE;
			eo.min_seg = (size_t)v;
			break;
		case 'p':
			if (plot_format(optarg) < 0)
				return HVB_EXIT_USAGE;
			plot = optarg;
			break;
		case 'd': db = optarg; break;
		case 'H': across = 1; break;
		default: return hvb_cli_usage("history");
		}
	}
	if (argc - optind != 1)
		return hvb_cli_usage("history");
	if (!(s = hvb_cli_store_open_ro(hvb_cli_db(db), &rc)))
		return rc;
	if (hvb_history_load(s, argv[optind], label, across, &h, &nh) < 0) {
		hvb_store_close(s);
		return HVB_EXIT_USAGE;
	}
	if (!nh) {
		char sel[400], lab[400];
		fprintf(stderr, "hvbench history: no measured values of '%s'%s%s (lab runs are not performance and are "
				"left out)\n", hvb_esc_buf(argv[optind], HVB_ESC_TEXT, sel, sizeof(sel)),
			label ? " in runs labelled " : "", label ? hvb_esc_buf(label, HVB_ESC_TEXT, lab, sizeof(lab)) : "");
		rc = HVB_EXIT_FAIL;
	}
	for (size_t i = 0; i < nh; i++) {
		char path[1024];
		if (hvb_history_changes(&h[i], &eo) < 0)
			rc = HVB_EXIT_FAIL;
		print_series(&h[i]);
		if (plot) {
			plot_name(plot, i, path, sizeof(path));
			int wr = write_plot(&h[i], path, hvb_store_path(s));
			if (wr < 0 && rc != HVB_EXIT_USAGE)
				rc = wr == -2 ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
		}
	}
	hvb_history_free(h, nh);
	hvb_store_close(s);
	return rc;
}
#else
HVB_COMMAND(history) { return hvb_cli_needs_gsl("history"); }
#endif
