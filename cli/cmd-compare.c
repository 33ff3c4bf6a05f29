/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench compare RUN_A RUN_B: the cells of two runs matched by their canonical
 * key, side by side, with a verdict per metric. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include "cli/cli.h"
#include "results/results.h"
#ifdef HAVE_GSL
#include "analysis/analysis.h"

HVB_COMMAND(compare)
{
	static const struct option longopts[] = {
		HVB_CLI_ANALYSIS_OPTIONS, { "min-effect", required_argument, NULL, 'm' },
		{ "ignore-param", required_argument, NULL, 'i' }, { 0 },
	};
	struct hvb_cli_aopts ao;
	struct hvb_report r;
	struct hvb_store *s;
	int64_t id[2];
	int c, rc;

	hvb_cli_aopts_init(&ao, "compare");
	optind = 1;
	while ((c = hvb_cli_getopt("compare", argc, argv, HVB_CLI_ANALYSIS_SHORT "i:m:", longopts, NULL)) != -1)
		if ((rc = hvb_cli_aopt(&ao, c, optarg)) <= 0)
			return rc < 0 ? HVB_EXIT_USAGE : hvb_cli_usage("compare");
	if (argc - optind != 2)
		return hvb_cli_usage("compare");
	if ((rc = hvb_cli_open_runs(&ao, (const char *const *)argv + optind, 2, &s, id)) != HVB_EXIT_OK)
		return rc;
	rc = hvb_compare_build_sets(s, ao.set[0], ao.nset[0], ao.set[1], ao.nset[1], &ao.o, &r);
	hvb_cli_aopts_free(&ao);
	if (rc < 0) {
		fprintf(stderr, "hvbench compare: %s\n", hvb_strerror(rc));
		hvb_store_close(s);
		return HVB_EXIT_FAIL;
	}
	rc = hvb_cli_emit("compare", &r, ao.format, ao.output, hvb_store_path(s));
	hvb_report_free(&r);
	hvb_store_close(s);
	return rc;
}
#else
HVB_COMMAND(compare) { return hvb_cli_needs_gsl("compare"); }
#endif
