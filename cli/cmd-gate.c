/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench gate: a CI pass/fail decision. Exit 0 when no metric regressed by more
 * than the threshold with significance, 1 when one did (or a metric measured
 * in the baseline is missing from the candidate), 3 when nothing regressed but
 * the gate could not judge everything for infrastructure failures (a shard
 * that never ran, a cell that measured nothing: never a pass, never a
 * regression), 2 on an error. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "results/results.h"
#ifdef HAVE_GSL
#include "analysis/analysis.h"

#define DEFAULT_MAX_REGRESSION 0.03

static int write_file(const char *path, const struct hvb_report *r, int junit, const char *db)
{
	FILE *f = hvb_cli_output_open("gate", path, db);
	int rc;

	if (!f)
		return -1;
	rc = junit ? hvb_junit_write(r, f) : hvb_format_find("md")->write(r, f);
	if (hvb_cli_output_close("gate", path, f) < 0 || rc < 0) {
		fprintf(stderr, "hvbench gate: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

HVB_COMMAND(gate)
{
	static const struct option longopts[] = {
		HVB_CLI_ANALYSIS_OPTIONS, { "baseline", required_argument, NULL, 'b' },
		{ "candidate", required_argument, NULL, 'c' },	{ "max-regression", required_argument, NULL, 'x' },
		{ "junit", required_argument, NULL, 'j' },	{ "markdown", required_argument, NULL, 'k' },
		{ "rule", required_argument, NULL, 'r' },	{ "ignore-param", required_argument, NULL, 'i' },
		{ "expect-shards", required_argument, NULL, 'E' }, { 0 },
	};
	const char *spec[2] = { NULL, NULL }, *junit = NULL, *md = NULL;
	double maxreg = DEFAULT_MAX_REGRESSION;
	enum hvb_rule rule = HVB_RULE_HVBENCH;
	struct hvb_cli_aopts ao;
	struct hvb_report r;
	struct hvb_store *s;
	int64_t id[2];
	int c, rc;

	hvb_cli_aopts_init(&ao, "gate");
	optind = 1;
	while ((c = hvb_cli_getopt("gate", argc, argv, HVB_CLI_ANALYSIS_SHORT "b:c:x:j:k:r:i:E:", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': spec[0] = optarg; break;
		case 'c': spec[1] = optarg; break;
		case 'x':
			if (hvb_cli_parse_pct("gate", "--max-regression", optarg, &maxreg) < 0)
				return HVB_EXIT_USAGE;
			break;
		case 'j': junit = optarg; break;
		case 'E': {
			int64_t v;
			if (hvb_cli_parse_int("gate", "--expect-shards", optarg, 1, 100000, &v) < 0)
				return HVB_EXIT_USAGE;
			ao.o.expect_shards = (int)v;
			break;
		}
		case 'k': md = optarg; break;
		case 'r':
			if (hvb_rule_parse(optarg, &rule) < 0) {
				fprintf(stderr, "hvbench gate: --rule '%s': expected one of hvbench, ci-overlap, minmax\n", optarg);
				return HVB_EXIT_USAGE;
			}
			break;
		default:
			if ((rc = hvb_cli_aopt(&ao, c, optarg)) <= 0)
				return rc < 0 ? HVB_EXIT_USAGE : hvb_cli_usage("gate");
		}
	}
	if (optind != argc || !spec[0] || !spec[1]) {
		if (!spec[0] || !spec[1])
			fprintf(stderr, "hvbench gate: --baseline and --candidate are both required\n");
		return hvb_cli_usage("gate");
	}
	if (hvb_cli_open_runs(&ao, spec, 2, &s, id) != HVB_EXIT_OK)
		return HVB_EXIT_USAGE; /* 1 would read as a regression */
	rc = hvb_gate_build_sets(s, ao.set[0], ao.nset[0], ao.set[1], ao.nset[1], &ao.o, maxreg, rule, &r);
	hvb_cli_aopts_free(&ao);
	if (rc < 0) {
		fprintf(stderr, "hvbench gate: %s\n", hvb_strerror(rc));
		hvb_store_close(s);
		return HVB_EXIT_USAGE;
	}
	/* Every output checked before any is written: a refused --junit must not leave --output written. */
	const char *const opts[] = { ao.output ? "--output" : "the report, without --output,", "--junit", "--markdown" };
	const char *const outs[] = { ao.output ? ao.output : "-", junit, md };
	if (hvb_cli_outputs_distinct("gate", opts, outs, 3) < 0 ||
	    hvb_cli_output_check("gate", ao.output, hvb_store_path(s)) < 0 ||
	    hvb_cli_output_check("gate", junit, hvb_store_path(s)) < 0 ||
	    hvb_cli_output_check("gate", md, hvb_store_path(s)) < 0 ||
	    hvb_cli_output_named("gate", "--junit", junit, "junit") < 0 || hvb_cli_output_named("gate", "--markdown", md, "md") < 0) {
		hvb_report_free(&r);
		hvb_store_close(s);
		return HVB_EXIT_USAGE; /* 1 would read as a regression */
	}
	rc = hvb_cli_emit("gate", &r, ao.format, ao.output, hvb_store_path(s));
	if ((junit && write_file(junit, &r, 1, hvb_store_path(s)) < 0) || (md && write_file(md, &r, 0, hvb_store_path(s)) < 0))
		rc = HVB_EXIT_USAGE;
	if (rc == HVB_EXIT_OK) {
		for (size_t i = 0; i < r.ninfra; i++) {
			char line[1400];
			hvb_esc_buf(r.infra[i], HVB_ESC_TEXT, line, sizeof(line));
			fprintf(stderr, "hvbench gate: infrastructure: %s\n", line);
		}
		/* A regression found is the finding; else what could not be judged is its own outcome. */
		if (r.nregressed || r.nmissing)
			rc = HVB_EXIT_FAIL;
		else if (r.ninfra)
			rc = HVB_EXIT_INFRA;
		else if (!r.njudged) {
			fprintf(stderr, "hvbench gate: no metric could be compared: do the runs share cells with samples%s?\n",
				ao.o.across_hosts ? "" : " on hosts of one class (--across-hosts compares across classes)");
			rc = HVB_EXIT_USAGE;
		}
	} else
		rc = HVB_EXIT_USAGE;
	hvb_report_free(&r);
	hvb_store_close(s);
	return rc;
}
#else
HVB_COMMAND(gate) { return hvb_cli_needs_gsl("gate"); }
#endif
