/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `hvbench help THING` for workloads, probes, backends and the [experiment]
 * section: printed from the same option tables that validate experiment files. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "bench/bench.h"
#include "cli/cli.h"
#include "hv/hv.h"
#include "probes/probes.h"

const char *hvb_cli_type_name(const struct hvb_option *o)
{
	static const char *const names[] = { "integer", "size", "time", "number", "on/off", "choice", "text" };
	return names[o->type];
}

/* axes: 1 for a workload's options (a list expands into the matrix), 0 for a
 * probe's (one value each), -1 for [experiment] (only its axes expand). */
static void print_options(const struct hvb_option *t, int axes)
{
	char expect[512], mapped[256];

	if (!t || !t->name) {
		printf("  (no options)\n");
		return;
	}
	for (; t->name; t++) {
		hvb_option_expect(t, expect, sizeof(expect));
		hvb_option_mapped_note(t, mapped, sizeof(mapped));
		printf("  %-16s %-7s default %-10s %s\n  %-16s         %s%s%s\n", t->name, hvb_cli_type_name(t),
		       t->def ? (*t->def ? t->def : "\"\"") : "(required)", t->help, "", expect,
		       t->flags & HVB_OPT_LIST                            ? "; a comma list stays one value"
		       : axes > 0 || (axes < 0 && hvb_experiment_axis(t->name)) ? "; a comma list expands into the matrix"
										: "; one value", mapped);
	}
}

static void print_metrics(const struct hvb_metric_doc *m)
{
	if (!m || !m->name)
		return;
	printf("\nmetrics:\n");
	for (; m->name; m++)
		printf("  %-24s %-10s %-7s %s\n", m->name, m->unit, hvb_better_name(m->better), m->help);
}

static void print_support(int ok, const char *why)
{
	printf("\non this host: %s%s\n", ok ? "supported" : "not supported: ", ok ? "" : why);
}

int hvb_cli_help_topic(const char *name)
{
	const struct hvb_workload_ops *w = hvb_workload_find(name);
	const struct hvb_probe_ops *p = hvb_probe_find(name);
	const struct hvb_backend_ops *b = hvb_backend_find(name);
	char why[512] = "";

	if (!strcmp(name, "experiment")) {
		printf("[experiment] section of an experiment file\n\noptions:\n");
		print_options(hvb_experiment_options, -1);
		char syntax[2048];
		printf("\nA workload section may also set any matrix axis (" HVB_EXPERIMENT_AXES "):\n"
		       "its cells then use those values instead of the [experiment]'s (e.g. fio on placement = local\n"
		       "only, pvspin = on, off for one lock workload).\n");
		hvb_experiment_syntax(syntax, sizeof(syntax));
		printf("\n%s", syntax);
	} else if (!strcmp(name, "environment")) {
		printf("environment variables:\n");
		for (const struct hvb_cli_doc *d = hvb_cli_environment; d->name; d++)
			printf("  %-26s %s\n", d->name, d->help);
	} else if (w) {
		printf("workload %s: %s\n\noptions (in a [%s] section):\n", w->name, w->summary, w->name);
		print_options(w->options, 1);
		print_metrics(w->metrics);
		print_support(w->supported(why, sizeof(why)), why);
	} else if (p) {
		printf("probe %s: %s\n\noptions (in a [probe.%s] section):\n", p->name, p->summary, p->name);
		print_options(p->options, 0);
		print_metrics(p->metrics);
		print_support(p->supported(why, sizeof(why)), why);
	} else if (b) {
		printf("backend %s: %s\nmodes:", b->name, b->summary);
		for (const char *const *m = b->modes; *m; m++)
			printf(" %s", *m);
		printf("\n");
		print_support(b->supported(NULL, why, sizeof(why)), why);
	} else if (!strcmp(name, "workloads") || !strcmp(name, "probes") || !strcmp(name, "backends")) {
		for (size_t i = 0; name[0] == 'w' && hvb_workloads[i]; i++)
			printf("  %-12s %s\n", hvb_workloads[i]->name, hvb_workloads[i]->summary);
		for (size_t i = 0; name[0] == 'p' && hvb_probes[i]; i++)
			printf("  %-12s %s\n", hvb_probes[i]->name, hvb_probes[i]->summary);
		for (size_t i = 0; name[0] == 'b' && hvb_backends[i]; i++)
			printf("  %-12s %s\n", hvb_backends[i]->name, hvb_backends[i]->summary);
	} else
		return -1;
	return 0;
}
