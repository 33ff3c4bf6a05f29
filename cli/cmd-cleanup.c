/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench cleanup: destroys the guests that killed runs left behind. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "hv/hv.h"

HVB_COMMAND(cleanup)
{
	static const struct option longopts[] = { { "dry-run", no_argument, NULL, 'n' }, { 0 } };
	int dry = 0, c, failed = 0;

	while ((c = hvb_cli_getopt("cleanup", argc, argv, "n", longopts, NULL)) != -1)
		switch (c) {
		case 'n': dry = 1; break;
		default: return hvb_cli_usage("cleanup");
		}
	if (optind != argc)
		return hvb_cli_usage("cleanup");
	for (size_t b = 0; hvb_backends[b]; b++) {
		const struct hvb_backend_ops *be = hvb_backends[b];
		char report[8192] = "", why[512] = "";
		int n;
		if (!be->cleanup)
			continue;
		if (!be->supported(NULL, why, sizeof(why))) {
			printf("%s: nothing to clean here: %s\n", be->name, why);
			continue;
		}
		n = be->cleanup(dry, report, sizeof(report));
		if (n < 0) {
			fprintf(stderr, "hvbench cleanup: %s: %s\n", be->name, report[0] ? report : "failed");
			failed = 1;
		} else if (n == 0) {
			printf("%s: no leftovers\n", be->name);
		} else {
			printf("%s\n", report);
			failed |= !dry && strstr(report, "could not destroy") != NULL;
		}
	}
	return failed ? HVB_EXIT_FAIL : HVB_EXIT_OK;
}
