/* hvbench report [RUN]: one run's guest modes against a baseline mode, its
 * placements against local, its cells, failures and host. Also holds the small
 * helpers the analysis commands (report, compare, gate, history) share. */
#include "config.h"
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
int hvb_cli_emit(const char *cmd, const struct hvb_report *r, const char *format, const char *output)
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
	if (output && strcmp(output, "-") && !(out = fopen(output, "w"))) {
		perror(output);
		return HVB_EXIT_FAIL;
	}
	rc = f->write(r, out);
	if (out != stdout && fclose(out) != 0)
		rc = HVB_EIO;
	if (rc < 0) {
		fprintf(stderr, "hvbench %s: cannot write the %s report to %s: %s\n", cmd, format, output ? output : "stdout",
			hvb_strerror(rc));
		return HVB_EXIT_FAIL;
	}
	return HVB_EXIT_OK;
}

HVB_COMMAND(report)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },   { "output", required_argument, NULL, 'o' },
		{ "baseline", required_argument, NULL, 'b' }, { "db", required_argument, NULL, 'd' },
		{ "alpha", required_argument, NULL, 'a' },    { "min-effect", required_argument, NULL, 'm' },
		{ 0 },
	};
	const char *format = "text", *output = NULL, *baseline = "native", *db = NULL, *spec = "last";
	struct hvb_judge_opts o;
	struct hvb_report r;
	struct hvb_store *s;
	int64_t id;
	int c, rc;

	hvb_judge_opts_default(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:b:d:a:m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'b': baseline = optarg; break;
		case 'd': db = optarg; break;
		case 'a':
			if (hvb_cli_parse_alpha("report", optarg, &o.alpha) < 0)
				return HVB_EXIT_USAGE;
			break;
		case 'm':
			if (hvb_cli_parse_pct("report", "--min-effect", optarg, &o.min_effect) < 0)
				return HVB_EXIT_USAGE;
			break;
		default: return hvb_cli_usage("report");
		}
	}
	if (argc - optind > 1)
		return hvb_cli_usage("report");
	if (optind < argc)
		spec = argv[optind];
	if (!hvb_format_find(format))
		return hvb_cli_emit("report", NULL, format, NULL);
	if (!(s = hvb_store_open(hvb_cli_db(db), 1)))
		return HVB_EXIT_USAGE;
	if (hvb_cli_resolve(s, "report", spec, &id) < 0) {
		hvb_store_close(s);
		return HVB_EXIT_USAGE;
	}
	if ((rc = hvb_report_build(s, id, baseline, &o, &r)) < 0) {
		fprintf(stderr, "hvbench report: run %lld: %s\n", (long long)id, hvb_strerror(rc));
		hvb_store_close(s);
		return HVB_EXIT_FAIL;
	}
	rc = hvb_cli_emit("report", &r, format, output);
	hvb_report_free(&r);
	hvb_store_close(s);
	return rc;
}
#else
HVB_COMMAND(report) { return hvb_cli_needs_gsl("report"); }
#endif
