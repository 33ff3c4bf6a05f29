/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `hvbench help --complete WHAT`: the words bash completion offers
 * (cli/hvbench.bash), one per line, from the same tables as everything else. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "bench/bench.h"
#include "cli/cli.h"
#include "hv/hv.h"
#include "probes/probes.h"
#include "results/results.h"

/* The long options named in a command's usage ("--db", "--format", ...). */
static void long_options(const struct hvb_command *c)
{
	const char *p = c->usage;

	while ((p = strstr(p, "--"))) {
		size_t n = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		if (n > 2)
			printf("%.*s\n", (int)n, p);
		p += n;
	}
	printf("--help\n");
}

static int one_run(const struct hvb_run_info *r, int ncells, int nsamples, void *arg)
{
	printf("%lld\n", (long long)r->id);
	if (r->label[0] && !strpbrk(r->label, "\n\r\t "))
		printf("%s\n", r->label);
	return 0;
}

static void quiet_sink(enum hvb_log_level lvl, const char *msg, void *arg) {}

/* Run ids and labels of a store that exists; nothing (and no new file) otherwise. */
static void runs(const char *db)
{
	struct hvb_store *s;

	if (access(db, R_OK) != 0)
		return;
	hvb_log_set_sink(quiet_sink, NULL);
	if ((s = hvb_store_open(db, 1))) {
		printf("last\n");
		hvb_store_runs_foreach(s, one_run, NULL);
		hvb_store_close(s);
	}
}

int hvb_cli_complete(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	const struct hvb_command *c;

	if (!strcmp(what, "commands")) {
		for (c = hvb_commands; c->name; c++)
			if (!hvb_command_internal(c))
				printf("%s\n", c->name);
	} else if (!strcmp(what, "workloads")) {
		for (size_t i = 0; hvb_workloads[i]; i++)
			printf("%s\n", hvb_workloads[i]->name);
	} else if (!strcmp(what, "probes")) {
		for (size_t i = 0; hvb_probes[i]; i++)
			printf("%s\n", hvb_probes[i]->name);
	} else if (!strcmp(what, "backends")) {
		for (size_t i = 0; hvb_backends[i]; i++)
			for (const char *const *m = hvb_backends[i]->modes; *m; m++)
				printf("%s%s%s\n", hvb_backends[i]->name, strcmp(*m, hvb_backends[i]->name) ? ":" : "",
				       strcmp(*m, hvb_backends[i]->name) ? *m : "");
	} else if (!strcmp(what, "options") && argc == 3 && (c = hvb_command_find(argv[2]))) {
		long_options(c);
	} else if (!strcmp(what, "runs") && (argc == 2 || argc == 3)) {
		runs(hvb_cli_db(argc == 3 ? argv[2] : NULL));
	} else {
		fprintf(stderr, "hvbench: help --complete: expected commands, workloads, probes, backends, "
				"options COMMAND or runs [DB]\n");
		return HVB_EXIT_USAGE;
	}
	return HVB_EXIT_OK;
}
