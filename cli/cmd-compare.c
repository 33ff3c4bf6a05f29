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
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },     { "alpha", required_argument, NULL, 'a' },
		{ "min-effect", required_argument, NULL, 'm' }, { "ignore-param", required_argument, NULL, 'i' },
		{ 0 },
	};
	const char *format = "text", *output = NULL, *db = NULL;
	struct hvb_judge_opts o;
	struct hvb_report r;
	struct hvb_store *s;
	int64_t a, b;
	int c, rc;

	hvb_judge_opts_default(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:d:a:m:i:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'd': db = optarg; break;
		case 'i': o.ignore_params = optarg; break;
		case 'a':
			if (hvb_cli_parse_alpha("compare", optarg, &o.alpha) < 0)
				return HVB_EXIT_USAGE;
			break;
		case 'm':
			if (hvb_cli_parse_pct("compare", "--min-effect", optarg, &o.min_effect) < 0)
				return HVB_EXIT_USAGE;
			break;
		default: return hvb_cli_usage("compare");
		}
	}
	if (argc - optind != 2)
		return hvb_cli_usage("compare");
	if (!hvb_format_find(format))
		return hvb_cli_emit("compare", NULL, format, NULL);
	if (!(s = hvb_store_open(hvb_cli_db(db), 1)))
		return HVB_EXIT_USAGE;
	if (hvb_cli_resolve(s, "compare", argv[optind], &a) < 0 || hvb_cli_resolve(s, "compare", argv[optind + 1], &b) < 0) {
		hvb_store_close(s);
		return HVB_EXIT_USAGE;
	}
	if ((rc = hvb_compare_build(s, a, b, &o, &r)) < 0) {
		fprintf(stderr, "hvbench compare: %s\n", hvb_strerror(rc));
		hvb_store_close(s);
		return HVB_EXIT_FAIL;
	}
	rc = hvb_cli_emit("compare", &r, format, output);
	hvb_report_free(&r);
	hvb_store_close(s);
	return rc;
}
#else
HVB_COMMAND(compare) { return hvb_cli_needs_gsl("compare"); }
#endif
