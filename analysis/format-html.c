/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One self-contained HTML file: inline CSS, the gnuplot plots embedded as
 * inline SVG (each one's ids made its own), no scripts and nothing fetched.
 * Every text that came from a config file, the host or the store is escaped. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "analysis/format-internal.h"

static const char css[] =
	"body{font-family:sans-serif;margin:1.5em auto;max-width:78em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0 1em}"
	"td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;font-size:.9em}"
	"th{background:#eee}tr.worse td:last-child,tr.failed td{background:#f6d0cc}"
	"tr.better td:last-child{background:#d3ecd0}tr.inconclusive td:last-child{background:#fbf0c8}"
	"tr.skipped td{background:#eee}.banner{border:3px solid #c00;background:#fee;padding:.6em;font-weight:bold}"
	"figure{display:inline-block;margin:.3em}.plots{margin-bottom:1em}";

/* Of the document being written: plots so far (each one's ids get their own
 * prefix), and the heat maps' metric asked for. */
static unsigned nfig;
static const char *heat_want;

static void h_begin(FILE *f, const struct hvb_report *r)
{
	nfig = 0;
	heat_want = r->opts.heat_metric;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>hvbench %s", r->kind);
	for (size_t i = 0; i < r->nruns; i++) {
		fputs(i ? " / " : ": ", f);
		hvb_xml_escape(f, r->runs[i].info.label[0] ? r->runs[i].info.label : r->runs[i].info.experiment);
	}
	fprintf(f, "</title>\n<style>%s</style></head><body>\n", css);
}

static void h_end(FILE *f, const struct hvb_report *r) { fputs("</body></html>\n", f); }

static void h_heading(FILE *f, int level, const char *text)
{
	fprintf(f, "<h%d>", level);
	hvb_xml_escape(f, text);
	fprintf(f, "</h%d>\n", level);
}

static void h_para(FILE *f, const char *text)
{
	fputs("<p>", f);
	hvb_xml_escape(f, text);
	fputs("</p>\n", f);
}

static void h_banner(FILE *f, const char *text)
{
	fputs("<p class=\"banner\">", f);
	hvb_xml_escape(f, text);
	fputs("</p>\n", f);
}

static void cells(FILE *f, const char *tag, const char *const *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<%s>", tag);
		hvb_xml_escape(f, c[i]);
		fprintf(f, "</%s>", tag);
	}
}

static void h_table_begin(FILE *f, const char *const *head, size_t n)
{
	fputs("<table><tr>", f);
	cells(f, "th", head, n);
	fputs("</tr>\n", f);
}

static void h_row(FILE *f, const char *const *c, size_t n, const char *cls)
{
	fputs("<tr class=\"", f);
	hvb_xml_escape(f, cls);
	fputs("\">", f);
	cells(f, "td", c, n);
	fputs("</tr>\n", f);
}

static void h_table_end(FILE *f) { fputs("</table>\n", f); }


/* The SVG without gnuplot's XML prologue and DOCTYPE, which may not appear
 * inside an HTML document, and with ids of its own (f3-gnuplot_canvas). */
static void embed(FILE *f, const char *what, char *svg, int rc)
{
	const char *s = svg ? strstr(svg, "<svg") : NULL;
	char prefix[32], *own = NULL;

	snprintf(prefix, sizeof(prefix), "f%u-", ++nfig);
	fprintf(f, "<figure id=\"fig%u\">", nfig);
	if (rc == 0 && s && (own = hvb_svg_prefix_ids(s, prefix)))
		fputs(own, f);
	else {
		fputs("<figcaption>plot failed: ", f);
		hvb_xml_escape(f, what);
		fputs(" (see the log)</figcaption>", f);
	}
	fputs("</figure>\n", f);
	free(own);
	free(svg);
}

static int in_family(const char *metric, char (*fam)[96], size_t nf)
{
	char f[96];

	if (!hvb_metric_size(metric, f, sizeof(f), NULL))
		return 0;
	for (size_t i = 0; i < nf; i++)
		if (!strcmp(fam[i], f))
			return 1;
	return 0;
}

#define MAX_FAMILIES 8

static void h_group_end(FILE *f, const struct hvb_section *sec, const struct hvb_cmp *cmps, size_t n)
{
	const char **names;
	size_t nn, nf;
	char why[128], fam[MAX_FAMILIES][96];

	if (!hvb_plot_available(why, sizeof(why))) {
		h_para(f, why);
		return;
	}
	nn = hvb_group_metrics(cmps, n, &names);
	if (!nn) {
		free(names);
		return;
	}
	fputs("<div class=\"plots\">\n", f);
	/* A size series (memlat's lat_ns.SIZE) as one curve; each other metric's distribution. */
	nf = hvb_plot_families(names, nn, fam, MAX_FAMILIES);
	for (size_t k = 0; k < nf; k++) {
		char *svg = NULL;
		int rc = hvb_plot_curve(cmps, n, names, nn, fam[k], &svg);
		embed(f, fam[k], svg, rc);
	}
	for (size_t k = 0; k < nn; k++) {
		char *svg = NULL;
		if (in_family(names[k], fam, nf))
			continue;
		int rc = hvb_plot_distribution(cmps, n, names[k], &svg);
		embed(f, names[k], svg, rc);
	}
	if (sec->kind == HVB_SEC_PLACEMENT) {
		const char *want = heat_want, *metric = hvb_heat_metric(cmps, n, want);
		char *svg = NULL;
		int rc = metric ? hvb_plot_heatmap(cmps, n, metric, want != NULL, &svg) : HVB_EINVAL;
		if (rc != HVB_EINVAL) /* no node information, or not this group's metric: no map */
			embed(f, metric, svg, rc);
	}
	fputs("</div>\n", f);
	free(names);
}

/* Over the whole report: the forest plot of every comparison; in compare and
 * gate, the change by CPU node x memory node where placements were measured. */
static void h_overview(FILE *f, const struct hvb_report *r)
{
	char why[128], *svg = NULL;
	int rc;

	if (!hvb_plot_available(why, sizeof(why)))
		return; /* said at each group */
	fputs("<div class=\"plots\">\n", f);
	if ((rc = hvb_plot_forest(r, &svg)) != HVB_EINVAL)
		embed(f, "forest plot", svg, rc);
	for (size_t s = 0; strcmp(r->kind, "report") && s < r->nsec; s++) {
		const struct hvb_section *sec = &r->sec[s];
		const char *want = r->opts.heat_metric, *metric = hvb_heat_metric(sec->cmps, sec->n, want);
		size_t placed = 0;
		for (size_t i = 0; i < sec->n; i++)
			placed += sec->cmps[i].b->cpu_nodes[0] && sec->cmps[i].b->mem_nodes[0];
		if (!metric || placed < 2) /* a map of one square says nothing */
			continue;
		svg = NULL;
		if ((rc = hvb_plot_heatmap_change(sec->cmps, sec->n, metric, want != NULL, &svg)) != HVB_EINVAL)
			embed(f, metric, svg, rc);
	}
	fputs("</div>\n", f);
}

static void h_answer_end(FILE *f, const struct hvb_mode_answer *a)
{
	char why[128], what[400], *svg = NULL;
	int rc;

	if (!hvb_plot_available(why, sizeof(why)))
		return; /* said at each group */
	snprintf(what, sizeof(what), "%s against vCPUs", a->metric);
	fputs("<div class=\"plots\">\n", f);
	rc = hvb_plot_modes(a, &svg);
	embed(f, what, svg, rc);
	fputs("</div>\n", f);
}

/* Where memory lay over each sample of the cells that looked (autonuma). */
static void h_convergence(FILE *f, const struct hvb_report *r)
{
	char why[128];
	int any = 0;

	for (size_t k = 0; k < r->nruns; k++)
		for (size_t i = 0; i < r->runs[k].n; i++) {
			const struct hvb_cell_data *c = &r->runs[k].cells[i];
			char *svg = NULL;
			if (!c->nconv)
				continue;
			if (!any++) {
				h_heading(f, 2, "Convergence over time");
				if (!hvb_plot_available(why, sizeof(why))) {
					h_para(f, why);
					return;
				}
			}
			int rc = hvb_plot_convergence(c, &svg);
			embed(f, "convergence", svg, rc);
		}
}

static const struct hvb_doc_ops html_doc = {
	.begin = h_begin,
	.end = h_end,
	.heading = h_heading,
	.para = h_para,
	.banner = h_banner,
	.table_begin = h_table_begin,
	.row = h_row,
	.table_end = h_table_end,
	.group_end = h_group_end,
	.overview = h_overview,
	.answer_end = h_answer_end,
	.convergence = h_convergence,
};

static int html_write(const struct hvb_report *r, FILE *out) { return hvb_doc_write(r, &html_doc, out); }

const struct hvb_format_ops hvb_format_html = {
	.name = "html",
	.summary = "one self-contained HTML file with gnuplot SVG plots",
	.write = html_write,
};
