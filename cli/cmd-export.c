/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench export RUN...: the store's samples for pandas and R. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "results/results.h"

#define MAX_EXPORT 256

HVB_COMMAND(export)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' },     { 0 },
	};
	const char *format = "csv", *output = "-", *db = NULL;
	int64_t ids[MAX_EXPORT];
	struct hvb_store *s;
	FILE *out;
	int c, rc;

	optind = 1;
	while ((c = hvb_cli_getopt("export", argc, argv, "f:o:d:", longopts, NULL)) != -1)
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'd': db = optarg; break;
		default: return hvb_cli_usage("export");
		}
	if (optind == argc || argc - optind > MAX_EXPORT)
		return hvb_cli_usage("export");
	if (strcmp(format, "csv") && strcmp(format, "json")) {
		fprintf(stderr, "hvbench export: --format '%s': expected csv or json\n", format);
		return HVB_EXIT_USAGE;
	}
	if (!(s = hvb_store_open(hvb_cli_db(db), 1)))
		return HVB_EXIT_FAIL;
	for (int i = optind; i < argc; i++)
		if ((rc = hvb_cli_resolve(s, "export", argv[i], &ids[i - optind])) < 0) {
			hvb_store_close(s);
			return rc == HVB_ENOENT ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
		}
	if (!(out = hvb_cli_output_open("export", output, hvb_store_path(s)))) {
		hvb_store_close(s);
		return hvb_cli_output_exit();
	}
	rc = hvb_export_runs(s, ids, (size_t)(argc - optind), !strcmp(format, "json"), out);
	if (hvb_cli_output_close("export", output, out) < 0 && rc == 0)
		rc = HVB_EIO;
	if (rc < 0)
		fprintf(stderr, "hvbench export: %s: %s\n", output, hvb_strerror(rc));
	hvb_store_close(s);
	return rc < 0 ? HVB_EXIT_FAIL : HVB_EXIT_OK;
}
