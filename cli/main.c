/* hvbench: one commands[] table, git/perf style. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "results/results.h"

const struct hvb_command hvb_commands[] = {
	{ "help", "show help for hvbench or one of its commands", "[COMMAND]",
	  "Without an argument, lists the commands; with one, shows its usage and help.", cmd_help },
	{ "trace", "summarise or dump a xentrace file", "summary FILE [--json] [--metrics [--domain D]] [--cpu-hz HZ] [--vendor amd|intel] | dump FILE [--domain D] [--vcpu V] [--class NAME,...] [--from S] [--to S] [--cpu-hz HZ] | mask CLASSES", "summary: per domain and vCPU, hypercalls by name, VM exits by reason (count, cycles, p50/p95), grant operations done by and for, runstate times, wake-up latency; lost records; records and bytes per class.  The CPU frequency comes from FILE.meta.json or --cpu-hz.  dump: one record per line, filtered.  mask: the xentrace -e mask for class names (e.g. hvm,sched,pv).", cmd_trace },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct hvb_command *hvb_command_find(const char *name)
{
	for (const struct hvb_command *c = hvb_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int hvb_cli_usage(const char *name)
{
	const struct hvb_command *c = hvb_command_find(name);

	fprintf(stderr, "usage: hvbench %s %s\n", name, c ? c->usage : "");
	return HVB_EXIT_USAGE;
}

const char *hvb_cli_db(const char *opt)
{
	const char *env = getenv("HVBENCH_DB");

	return opt ? opt : env && *env ? env : HVB_DEFAULT_DB;
}

static void list_commands(FILE *f)
{
	fprintf(f, "usage: hvbench [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (const struct hvb_command *c = hvb_commands; c->name; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\n'hvbench help COMMAND' tells more about one command.\n");
}

HVB_COMMAND(help)
{
	const struct hvb_command *c;

	if (argc < 2) {
		list_commands(stdout);
		return HVB_EXIT_OK;
	}
	if (!(c = hvb_command_find(argv[1]))) {
		fprintf(stderr, "hvbench: no command '%s'; 'hvbench help' lists them\n", argv[1]);
		return HVB_EXIT_USAGE;
	}
	printf("usage: hvbench %s %s\n\n%s\n\n%s\n", c->name, c->usage, c->summary, c->help);
	return HVB_EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct hvb_command *c;

	if (argc < 2) {
		list_commands(stderr);
		return HVB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("hvbench %s\n", PACKAGE_VERSION);
		return HVB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv);
	if (!(c = hvb_command_find(argv[1]))) {
		const char *names[64];
		size_t n = 0;
		for (const struct hvb_command *k = hvb_commands; k->name && n < 64; k++)
			names[n++] = k->name;
		const char *dym = hvb_did_you_mean(argv[1], names, n);
		fprintf(stderr, "hvbench: '%s' is not a command%s%s%s; 'hvbench help' lists them\n", argv[1],
			dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "");
		return HVB_EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
