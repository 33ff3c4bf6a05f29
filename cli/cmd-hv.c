/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench hv check: which tracing hooks the running hypervisor has, and so
 * which probes can run here. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "hv/hv.h"
#include "probes/probes.h"

static int check(int json)
{
	struct hvb_hv_hooks h;
	int rc = hvb_hv_hooks_read(&h);

	if (json) {
		char *s = hvb_hv_hooks_json(&h);
		printf("%s\n", s ? s : "{}");
		free(s);
		return rc < 0 ? HVB_EXIT_FAIL : HVB_EXIT_OK;
	}
	if (rc < 0) {
		fprintf(stderr, "hvbench hv check: %s\n", h.why);
		return HVB_EXIT_FAIL;
	}
	printf("hypervisor: %s\n", h.hypervisor);
	printf("changeset:  %s\n", h.changeset[0] ? h.changeset : "(none recorded by this build)");
	printf("scheduler:  %s\n", h.scheduler[0] ? h.scheduler : "(unknown)");
	printf("command line: %s\n", h.cmdline);
	for (int i = 0; i < HVB_HV_NHOOKS; i++) {
		const struct hvb_hv_hook *k = &h.hook[i];
		printf("  %-15s %-26s %-3s  %s\n", k->name, k->kconfig, k->present ? "yes" : "no", k->detail);
		if (k->probes && hvb_probe_find(k->probes))
			printf("  %-15s probe %s: %s\n", "", k->probes, k->present ? "available" : "unavailable");
		else
			printf("  %-15s no probe of hvbench reads it yet\n", "");
	}
	for (int i = 0; i < HVB_HV_NHOOKS; i++)
		if (!h.hook[i].present) {
			printf("hv/xen/hvbench.config (see hv/xen/README) builds a hypervisor with every hook.\n");
			break;
		}
	return HVB_EXIT_OK;
}

HVB_COMMAND(hv)
{
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return argc == 2 ? check(0) : argc == 3 && !strcmp(argv[2], "--json") ? check(1) : hvb_cli_usage("hv");
	return hvb_cli_usage("hv");
}
