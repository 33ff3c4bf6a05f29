/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench merge FILE... (and its old name, import): the runs of other result
 * stores (one per host or shard) brought into this one, by natural key. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "results/results.h"

HVB_COMMAND(merge)
{
	static const struct option longopts[] = { { "db", required_argument, NULL, 'd' }, { 0 } };
	const char *db = NULL, *cmd = argv[0], *env = getenv("HVBENCH_DB");
	struct hvb_store *dst;
	int c, rc = HVB_EXIT_OK;

	optind = 1;
	while ((c = hvb_cli_getopt(cmd, argc, argv, "d:", longopts, NULL)) != -1)
		if (c == 'd')
			db = optarg;
		else
			return hvb_cli_usage(cmd);
	if (optind == argc)
		return hvb_cli_usage(cmd);
	/* Every file is a store, and not the target, before anything is written. */
	for (int i = optind; i < argc; i++) {
		struct stat a, b;
		struct hvb_store *src;
		if (stat(argv[i], &a) == 0 && stat(hvb_cli_db(db), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			char name[400];
			fprintf(stderr, "hvbench %s: %s is the target store (%s): a store holds its own runs already; name "
				"another with --db\n", cmd, hvb_esc_buf(argv[i], HVB_ESC_TEXT, name, sizeof(name)),
				db ? "--db" : env && *env ? "HVBENCH_DB" : "./hvbench.db, the default");
			return HVB_EXIT_USAGE;
		}
		/* as --db: a file that is not there is bad input (2), one that is no store a store error (1) */
		if (!(src = hvb_cli_store_open_ro(argv[i], &rc)))
			return rc;
		hvb_store_close(src);
	}
	if (!(dst = hvb_store_open(hvb_cli_db(db), 0)))
		return HVB_EXIT_FAIL;
	for (int i = optind; i < argc; i++) {
		struct hvb_store *src = hvb_store_open(argv[i], 1);
		struct hvb_merge_counts n;
		char name[400];
		int r = src ? hvb_store_import(dst, src, &n) : HVB_EDB;
		hvb_esc_buf(argv[i], HVB_ESC_TEXT, name, sizeof(name));
		if (src)
			printf("%s: %d run%s added, %d already here whole, %d with %d sample%s added, %d not finished "
			       "(left out)%s\n", name, n.added, n.added == 1 ? "" : "s", n.present, n.grown, n.samples,
			       n.samples == 1 ? "" : "s", n.running,
			       n.conflicts ? ", CONFLICTS: see above" : n.added || n.grown ? "" : ": nothing new");
		if (r < 0) {
			if (r != HVB_ECONFLICT)
				fprintf(stderr, "hvbench %s: %s: %s\n", cmd, name, hvb_strerror(r));
			rc = HVB_EXIT_FAIL;
		}
		hvb_store_close(src);
	}
	hvb_store_close(dst);
	return rc;
}
