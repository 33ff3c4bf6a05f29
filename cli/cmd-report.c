/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench report [RUN]: one run's guest modes against a baseline mode, its
 * placements against local, its cells, failures and host. */
#include "config.h"
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "hv/hv.h"
#include "results/results.h"
#ifdef HAVE_GSL
#include "analysis/analysis.h"
#endif

#ifdef HAVE_GSL
/* --baseline names a guest mode of some backend (native, pv, pvh, hvm, ...); else says which there are. */
static int known_mode(const char *mode)
{
	for (size_t i = 0; hvb_backends[i]; i++)
		for (const char *const *m = hvb_backends[i]->modes; *m; m++)
			if (!strcmp(*m, mode))
				return 1;
	fprintf(stderr, "hvbench report: --baseline '%s': expected a guest mode:", mode);
	for (size_t i = 0; hvb_backends[i]; i++)
		for (const char *const *m = hvb_backends[i]->modes; *m; m++)
			fprintf(stderr, " %s", *m);
	fputc('\n', stderr);
	return 0;
}

HVB_COMMAND(report)
{
	static const struct option longopts[] = {
		HVB_CLI_ANALYSIS_OPTIONS, { "baseline", required_argument, NULL, 'b' }, { "min-effect", required_argument, NULL, 'm' },
		{ "placement-baseline", required_argument, NULL, 'P' },
		{ 0 },
	};
	const char *baseline = "native", *spec = "last", *placement_baseline = NULL;
	struct hvb_cli_aopts ao;
	struct hvb_report r;
	struct hvb_store *s;
	int64_t id;
	int c, rc;

	hvb_cli_aopts_init(&ao, "report");
	optind = 1;
	while ((c = hvb_cli_getopt("report", argc, argv, HVB_CLI_ANALYSIS_SHORT "b:m:P:", longopts, NULL)) != -1) {
		if (c == 'P') {
			/* the placement others are compared with, and the optimised one of the NUMA part */
			if (hvb_placement_kind_parse(optarg) < 0) {
				fprintf(stderr, "hvbench report: --placement-baseline '%s': expected one of:", optarg);
				for (size_t i = 0; hvb_placement_names[i]; i++)
					fprintf(stderr, " %s", hvb_placement_names[i]);
				fputc('\n', stderr);
				return HVB_EXIT_USAGE;
			}
			placement_baseline = optarg;
		} else if (c == 'b') {
			if (!known_mode(optarg))
				return HVB_EXIT_USAGE;
			baseline = optarg;
		} else if ((rc = hvb_cli_aopt(&ao, c, optarg)) <= 0)
			return rc < 0 ? HVB_EXIT_USAGE : hvb_cli_usage("report");
	}
	if (argc - optind > 1)
		return hvb_cli_usage("report");
	if (optind < argc)
		spec = argv[optind];
	if ((rc = hvb_cli_open_runs(&ao, &spec, 1, &s, &id)) != HVB_EXIT_OK)
		return rc;
	ao.o.placement_baseline = placement_baseline;
	rc = hvb_report_build_set(s, ao.set[0], ao.nset[0], baseline, &ao.o, &r);
	hvb_cli_aopts_free(&ao);
	if (rc < 0) {
		fprintf(stderr, "hvbench report: run %lld: %s\n", (long long)id, hvb_strerror(rc));
		hvb_store_close(s);
		return HVB_EXIT_FAIL;
	}
	rc = hvb_cli_emit("report", &r, ao.format, ao.output, hvb_store_path(s));
	hvb_report_free(&r);
	hvb_store_close(s);
	return rc;
}
#else
HVB_COMMAND(report) { return hvb_cli_needs_gsl("report"); }
#endif
