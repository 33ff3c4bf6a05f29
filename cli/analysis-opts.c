/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the analysis commands (report, compare, gate, history) share: their
 * common options, opening the store with the runs named, writing a report. */
#include "config.h"
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli/cli.h"
#include "results/results.h"
#ifdef HAVE_GSL
#include "analysis/analysis.h"
#endif

int hvb_cli_needs_gsl(const char *cmd)
{
	fprintf(stderr, "hvbench %s: needs GSL: this hvbench was built without the GNU Scientific Library "
			"(Debian: libgsl-dev; then configure and build again)\n", cmd);
	return HVB_EXIT_USAGE;
}

int hvb_cli_parse_pct(const char *cmd, const char *opt, const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || (*end && strcmp(end, "%")) || !isfinite(v) || v < 0 || v >= 100) {
		fprintf(stderr, "hvbench %s: %s '%s': expected a percentage in [0, 100), e.g. 5 or 2.5%%\n", cmd, opt, s);
		return -1;
	}
	*out = v / 100;
	return 0;
}

int hvb_cli_parse_alpha(const char *cmd, const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v > 0 && v < 0.5)) {
		fprintf(stderr, "hvbench %s: --alpha '%s': expected a significance level in (0, 0.5), e.g. 0.05\n", cmd, s);
		return -1;
	}
	*out = v;
	return 0;
}

int hvb_cli_resolve(struct hvb_store *s, const char *cmd, const char *spec, int64_t *id)
{
	int rc = hvb_store_run_resolve(s, spec, id);

	if (rc == HVB_ENOENT)
		fprintf(stderr, "hvbench %s: %s: no run '%s' (expected a run id, 'last' or a label; 'hvbench list' shows "
				"them)\n", cmd, hvb_store_path(s), spec);
	else if (rc < 0)
		fprintf(stderr, "hvbench %s: %s: %s\n", cmd, hvb_store_path(s), hvb_strerror(rc));
	return rc;
}

#ifdef HAVE_GSL
/* The heat map's metric must be one the report judges. */
static int heat_metric_known(const char *cmd, const struct hvb_report *r)
{
	const char *want = r->opts.heat_metric;

	for (size_t s = 0; want && s < r->nsec; s++)
		for (size_t i = 0; i < r->sec[s].n; i++)
			for (size_t k = 0; k < r->sec[s].cmps[i].nm; k++)
				if (!strcmp(r->sec[s].cmps[i].m[k].name, want) && r->sec[s].cmps[i].m[k].better != HVB_INFO)
					return 1;
	if (!want)
		return 1;
	fprintf(stderr, "hvbench %s: --heatmap-metric '%s': no compared metric of that name in this %s (the tables "
			"list them)\n", cmd, want, r->kind);
	return 0;
}

int hvb_cli_emit(const char *cmd, const struct hvb_report *r, const char *format, const char *output,
		 const char *db)
{
	const struct hvb_format_ops *f = hvb_format_find(format);
	FILE *out = stdout;
	int rc;

	if (!f) {
		fprintf(stderr, "hvbench %s: --format '%s': expected one of", cmd, format);
		for (size_t i = 0; hvb_formats[i]; i++)
			fprintf(stderr, "%s %s", i ? "," : "", hvb_formats[i]->name);
		fputc('\n', stderr);
		return HVB_EXIT_USAGE;
	}
	if (!heat_metric_known(cmd, r))
		return HVB_EXIT_USAGE;
	if (output && !(out = hvb_cli_output_open(cmd, output, db)))
		return hvb_cli_output_exit();
	struct hvb_report fitted = *r;
	/* Text fits the terminal it goes to, else $COLUMNS or 100 columns (a file, a pipe). */
	fitted.width = hvb_cli_width_of(out);
	rc = f->write(&fitted, out);
	if (hvb_cli_output_close(cmd, output ? output : "-", out) < 0 && rc >= 0)
		rc = HVB_EIO;
	if (rc < 0) {
		fprintf(stderr, "hvbench %s: cannot write the %s report to %s: %s\n", cmd, format, output ? output : "stdout",
			hvb_strerror(rc));
		return HVB_EXIT_FAIL;
	}
	return HVB_EXIT_OK;
}

void hvb_cli_aopts_init(struct hvb_cli_aopts *a, const char *cmd)
{
	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->format = "text";
	hvb_judge_opts_default(&a->o);
}

int hvb_cli_aopt(struct hvb_cli_aopts *a, int c, const char *arg)
{
	switch (c) {
	case 'f': a->format = arg; a->format_given = 1; return 1;
	case 'o': a->output = arg; return 1;
	case 'd': a->db = arg; return 1;
	case 'i': a->o.ignore_params = arg; return 1;
	case 'H': a->o.across_hosts = 1; return 1;
	case 'a': return hvb_cli_parse_alpha(a->cmd, arg, &a->o.alpha) < 0 ? -1 : 1;
	case 'm': return hvb_cli_parse_pct(a->cmd, "--min-effect", arg, &a->o.min_effect) < 0 ? -1 : 1;
	case HVB_CLI_OPT_HEATMAP: a->o.heat_metric = arg; return 1;
	default: return 0;
	}
}

/* The format an output file's name says, or NULL. Files of other kinds are
 * named too, so that a report is never written into a file named for a plot. */
static const char *format_of(const char *path)
{
	static const char *const ext[][2] = {
		{ ".json", "json" }, { ".md", "md" },	{ ".markdown", "md" }, { ".html", "html" }, { ".htm", "html" },
		{ ".txt", "text" },  { ".xml", "junit" }, { ".svg", "svg" },   { ".png", "png" },   { ".pdf", "pdf" },
		{ ".csv", "csv" },
	};
	const char *dot = path ? strrchr(path, '.') : NULL;

	for (size_t i = 0; dot && !strchr(dot, '/') && i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcasecmp(dot, ext[i][0]))
			return ext[i][1];
	return NULL;
}

int hvb_cli_output_named(const char *cmd, const char *opt, const char *path, const char *format)
{
	const char *named = format_of(path);

	if (!named || !strcmp(named, format))
		return 0;
	fprintf(stderr, "hvbench %s: %s '%s': the name says %s, but %s writes %s there: name the file for what it holds\n",
		cmd, opt, path, named, opt, format);
	return -1;
}

int hvb_cli_open_runs(struct hvb_cli_aopts *a, const char *const *specs, size_t n, struct hvb_store **s,
		      int64_t *ids)
{
	const char *implied = format_of(a->output);
	int rc;

	if (implied && !hvb_format_find(implied)) {
		fprintf(stderr, "hvbench %s: --output '%s': the name says %s, but a report is text, md, html or json "
				"(its plots are inside the html report)\n", a->cmd, a->output, implied);
		return HVB_EXIT_USAGE;
	}
	if (implied && !a->format_given)
		a->format = implied;
	if (!hvb_format_find(a->format))
		return hvb_cli_emit(a->cmd, NULL, a->format, NULL, NULL);
	if (implied && strcmp(implied, a->format)) {
		fprintf(stderr, "hvbench %s: --format %s, but --output '%s' names a %s file: give one or the other\n", a->cmd,
			a->format, a->output, implied);
		return HVB_EXIT_USAGE;
	}
	if (!(*s = hvb_cli_store_open_ro(hvb_cli_db(a->db), &rc)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = hvb_cli_resolve(*s, a->cmd, specs[i], &ids[i])) < 0 ||
		    (i < 2 && (rc = hvb_store_run_set(*s, specs[i], &a->set[i], &a->nset[i])) < 0)) {
			if (rc != HVB_ENOENT && i < 2)
				fprintf(stderr, "hvbench %s: %s: %s\n", a->cmd, hvb_store_path(*s), hvb_strerror(rc));
			hvb_store_close(*s);
			*s = NULL;
			hvb_cli_aopts_free(a);
			return rc == HVB_ENOENT ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
		}
	/* A run against itself compares nothing, and a gate of it would always pass. */
	if (n == 2 && ids[0] == ids[1]) {
		fprintf(stderr, "hvbench %s: '%s' and '%s' are the same run (%lld): name two different runs\n", a->cmd,
			specs[0], specs[1], (long long)ids[0]);
		hvb_store_close(*s);
		*s = NULL;
		hvb_cli_aopts_free(a);
		return HVB_EXIT_USAGE;
	}
	return HVB_EXIT_OK;
}

void hvb_cli_aopts_free(struct hvb_cli_aopts *a)
{
	for (int i = 0; i < 2; i++) {
		free(a->set[i]);
		a->set[i] = NULL;
		a->nset[i] = 0;
	}
}
#endif
