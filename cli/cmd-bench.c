/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench bench WORKLOAD [KEY=VALUE ...]: one workload from the command line,
 * as perf bench and fio's command line allow. The arguments become an
 * experiment text (an [experiment] section and the workload's), read, planned,
 * run and stored exactly as a file would be, its messages naming the argument. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "bench/bench.h"
#include "cli/cli.h"
#include "results/results.h"

#define MAX_ARGS 128

/* The section a KEY=VALUE belongs to: experiment.KEY and probe.NAME.KEY say
 * it; else the workload's own keys and the matrix axes (which a workload
 * section may narrow) go to the workload, the other [experiment] keys there,
 * and anything unknown to the workload, whose table then names the mistake. */
static const char *section_of(const struct hvb_workload_ops *wl, char *key, char **rest)
{
	char *dot;

	*rest = key;
	if (!strncmp(key, "experiment.", 11)) {
		*rest = key + 11;
		return "experiment";
	}
	if (!strncmp(key, "probe.", 6) && (dot = strrchr(key + 6, '.'))) {
		*dot = 0;
		*rest = dot + 1;
		return key;
	}
	if (hvb_option_find(wl->options, key) || hvb_experiment_axis(key) ||
	    !hvb_option_find(hvb_experiment_options, key))
		return wl->name;
	return "experiment";
}

static int unknown_workload(const char *name)
{
	const char *names[64];
	size_t n = 0;
	const char *dym;

	for (size_t i = 0; hvb_workloads[i] && n < 64; i++)
		names[n++] = hvb_workloads[i]->name;
	dym = hvb_did_you_mean(name, names, n);
	fprintf(stderr, "hvbench bench: argument 1 '%s': no workload '%s'%s%s%s ('hvbench help workloads' lists them)\n",
		name, name, dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "");
	return HVB_EXIT_USAGE;
}

HVB_COMMAND(bench)
{
	static const struct option longopts[] = {
		{ "backend", required_argument, NULL, 'b' }, { "repetitions", required_argument, NULL, 'r' },
		{ "label", required_argument, NULL, 'l' },   { "db", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },       { 0 },
	};
	const char *db = NULL, *label = NULL, *backend = NULL, *reps = NULL;
	char *orig[MAX_ARGS], origin[MAX_ARGS + 2][300], keys[MAX_ARGS][128];
	struct hvb_experiment_arg a[MAX_ARGS + 4];
	struct hvb_experiment ex;
	struct hvb_run_opts o = { 0 };
	const struct hvb_workload_ops *wl;
	size_t n = 0;
	int c, dry = 0, rc, wi;

	if (argc > MAX_ARGS) {
		fprintf(stderr, "hvbench bench: more than %d arguments: write an experiment file\n", MAX_ARGS - 1);
		return HVB_EXIT_USAGE;
	}
	memcpy(orig, argv, (size_t)argc * sizeof(*argv)); /* getopt reorders argv: arguments are named by position */
	optind = 1;
	while ((c = hvb_cli_getopt("bench", argc, argv, "b:r:l:d:n", longopts, NULL)) != -1)
		switch (c) {
		case 'b': backend = optarg; break;
		case 'r': reps = optarg; break;
		case 'l':
			if (hvb_cli_label_check("bench", optarg))
				return HVB_EXIT_USAGE;
			label = optarg;
			break;
		case 'd': db = optarg; break;
		case 'n': dry = 1; break;
		default: return hvb_cli_usage("bench");
		}
	if (optind >= argc)
		return hvb_cli_usage("bench");
	if (!(wl = hvb_workload_find(argv[optind])))
		return unknown_workload(argv[optind]);
	for (wi = 0; orig[wi] != argv[optind]; wi++)
		;
	snprintf(origin[0], sizeof(origin[0]), "argument %d '%s'", wi, argv[optind]);
	a[n++] = (struct hvb_experiment_arg){ "experiment", NULL, NULL, origin[0] };
	if (backend) {
		snprintf(origin[1], sizeof(origin[1]), "--backend '%s'", backend);
		a[n++] = (struct hvb_experiment_arg){ "experiment", "backends", backend, origin[1] };
	}
	if (reps) {
		snprintf(origin[2], sizeof(origin[2]), "--repetitions '%s'", reps);
		a[n++] = (struct hvb_experiment_arg){ "experiment", "repetitions", reps, origin[2] };
	}
	a[n++] = (struct hvb_experiment_arg){ wl->name, NULL, NULL, origin[0] };
	for (int i = optind + 1; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *key;
		int pos;
		for (pos = 0; orig[pos] != argv[i]; pos++)
			;
		if (!eq || (size_t)(eq - argv[i]) >= sizeof(keys[0])) {
			fprintf(stderr, "hvbench bench: argument %d '%s': expected KEY=VALUE (e.g. sizes=16K,64M); "
					"'hvbench help %s' lists the keys\n", pos, argv[i], wl->name);
			return HVB_EXIT_USAGE;
		}
		snprintf(keys[i], sizeof(keys[i]), "%.*s", (int)(eq - argv[i]), argv[i]);
		snprintf(origin[i + 2], sizeof(origin[i + 2]), "argument %d '%s'", pos, argv[i]);
		const char *sec = section_of(wl, keys[i], &key);
		a[n++] = (struct hvb_experiment_arg){ sec, key, eq + 1, origin[i + 2] };
	}
	int named = 0;
	for (size_t i = 0; i < n; i++)
		named |= a[i].key && !strcmp(a[i].section, "experiment") && !strcmp(a[i].key, "name");
	char comment[200], name[64];
	snprintf(name, sizeof(name), "bench-%s", wl->name);
	if (!named) /* else the experiment is named after "<command line>" */
		a[n++] = (struct hvb_experiment_arg){ "experiment", "name", name, origin[0] };
	snprintf(comment, sizeof(comment), "hvbench bench %s: an experiment made from the command line", wl->name);
	if (hvb_experiment_load_args("<command line>", comment, a, n, &ex) < 0)
		return HVB_EXIT_USAGE;
	rc = hvb_cli_run_plans(NULL, db, &ex, 1, &label, label != NULL, &o, dry);
	hvb_experiment_free(&ex);
	return rc;
}
