/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench topo: the machine as hvbench sees it, and what each placement would do. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "cli/cli.h"
#include "hv/hv.h"
#include "results/results.h"

/* --json: hvb_topo_json's object, the host's kind, and each placement planned. */
static int topo_json(struct hvb_topo *t, int native, int vcpus)
{
	json_t *tj = hvb_topo_json(t);
	json_t *doc = hvb_cli_json_doc("topo"), *pls = json_array();

	json_object_set_new(doc, "host_kind", native ? json_string(hvb_native_host_kind()) : json_null());
	json_object_set_new(doc, "topology", tj ? tj : json_null());
	json_object_set_new(doc, "vcpus", json_integer(vcpus));
	for (int k = 0; hvb_placement_names[k]; k++) {
		struct hvb_placement p;
		char why[512];
		int ok = hvb_placement_plan(t, (enum hvb_placement_kind)k, vcpus, 1, &p, why, sizeof(why)) == 0;
		json_array_append_new(pls, json_pack("{s:s, s:b, s:o}", "name", hvb_placement_names[k], "possible", ok,
						     ok ? "plan" : "why", hvb_cli_json_str(ok ? p.desc : why)));
	}
	json_object_set_new(doc, "placements", pls);
	hvb_topo_free(t);
	return hvb_cli_json_print(doc);
}

HVB_COMMAND(topo)
{
	static const struct option longopts[] = {
		{ "topology", required_argument, NULL, 't' }, { "vcpus", required_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'j' }, { 0 },
	};
	const char *spec = NULL;
	int vcpus = 1, json = 0, c;
	int64_t v;
	struct hvb_topo *t;
	char buf[512];

	while ((c = hvb_cli_getopt("topo", argc, argv, "t:v:j", longopts, NULL)) != -1)
		switch (c) {
		case 'j': json = 1; break;
		case 't': spec = optarg; break;
		case 'v':
			if (hvb_cli_parse_int("topo", "--vcpus", optarg, 1, HVB_MAX_CPUS, &v) < 0)
				return HVB_EXIT_USAGE;
			vcpus = (int)v;
			break;
		default: return hvb_cli_usage("topo");
		}
	if (optind != argc)
		return hvb_cli_usage("topo");
	if (!(t = spec ? hvb_topo_load(spec) : hvb_topo_native()))
		return spec ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
	if (json)
		return topo_json(t, !spec, vcpus);
	printf("source:   %s\n", t->source);
	if (!spec)
		printf("host:     %s\n", hvb_native_host_kind());
	hvb_cpuset_format(&t->allowed, buf, sizeof(buf));
	printf("packages: %d, cores: %d, PUs: %d (allowed: %s)\n", t->npackages, t->ncores, t->npus, buf);
	hvb_format_size(t->llc_bytes, buf, sizeof(buf));
	printf("LLC:      %s\n", t->llc_bytes ? buf : "unknown");
	printf("NUMA nodes: %d\n", t->nnodes);
	for (int i = 0; i < t->nnodes; i++) {
		char mem[32];
		hvb_cpuset_format(&t->nodes[i].cpus, buf, sizeof(buf));
		hvb_format_size(t->nodes[i].mem_bytes, mem, sizeof(mem));
		printf("  node %d: CPUs %s, memory %s", t->nodes[i].os_index, buf, mem);
		if (t->distances) {
			printf(", distances");
			for (int j = 0; j < t->nnodes; j++)
				printf(" %d", hvb_topo_distance(t, i, j));
		}
		printf("\n");
	}
	printf("placements for %d vCPU%s:\n", vcpus, vcpus == 1 ? "" : "s");
	for (int k = 0; hvb_placement_names[k]; k++) {
		struct hvb_placement p;
		char why[512];
		char line[1300];
		if (hvb_placement_plan(t, (enum hvb_placement_kind)k, vcpus, 1, &p, why, sizeof(why)) == 0)
			snprintf(line, sizeof(line), "%-10s %s", hvb_placement_names[k], p.desc);
		else
			snprintf(line, sizeof(line), "%-10s not possible: %s", hvb_placement_names[k], why);
		hvb_text_wrap(stdout, line, 2, 13, hvb_cli_width());
	}
	hvb_topo_free(t);
	return HVB_EXIT_OK;
}
