/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench hv check: which tracing hooks the running hypervisor has, and so
 * which probes can run here. hvbench hv build: a hypervisor with them, from a
 * Xen source tree the user has (hv/xen-build.c). */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "hv/hv.h"
#include "probes/probes.h"

static int check(int json)
{
	struct hvb_hv_hooks h;
	int rc = hvb_hv_hooks_read(&h);

	if (json) {
		json_t *o = hvb_hv_hooks_json(&h);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		printf("%s\n", s ? s : "{}");
		free(s);
		json_decref(o);
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

/* hv/xen's series and fragment: $HVBENCH_XENDIR, the build tree beside this
 * binary, or pkgdatadir (xen-patches/, hvbench.config). */
static int find_series(char *patches, char *fragment, size_t len)
{
	const char *env = getenv("HVBENCH_XENDIR");
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", hvb_self_exe());
	if ((slash = strrchr(dir, '/')))
		*slash = 0;
	if (env && *env) {
		snprintf(patches, len, "%.3800s/patches", env);
		snprintf(fragment, len, "%.3800s/hvbench.config", env);
	} else {
		snprintf(patches, len, "%.3800s/hv/xen/patches", dir);
		snprintf(fragment, len, "%.3800s/hv/xen/hvbench.config", dir);
		if (access(patches, R_OK) < 0 || access(fragment, R_OK) < 0) {
			snprintf(patches, len, "%s/xen-patches", HVB_DATADIR);
			snprintf(fragment, len, "%s/hvbench.config", HVB_DATADIR);
		}
	}
	return access(patches, R_OK) == 0 && access(fragment, R_OK) == 0 ? 0 : -1;
}

static int build(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' }, { "tools", no_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct hvb_xen_build_opts o = { .out = "xen-hooks-build" };
	struct hvb_xen_build_result *r;
	char patches[PATH_MAX], fragment[PATH_MAX], *end;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int c, rc;

	o.jobs = cpus > 0 ? (int)cpus : 1;
	optind = 1;
	while ((c = hvb_cli_getopt("hv build", argc, argv, "o:tj:h", longopts, NULL)) != -1)
		switch (c) {
		case 'o': o.out = optarg; break;
		case 't': o.tools = 1; break;
		case 'j':
			errno = 0;
			o.jobs = (int)strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || o.jobs < 1 || o.jobs > 1024) {
				fprintf(stderr, "hvbench hv build: --jobs '%s': expected an integer in [1, 1024]\n", optarg);
				return HVB_EXIT_USAGE;
			}
			break;
		default: return hvb_cli_usage("hv");
		}
	if (optind != argc - 1)
		return hvb_cli_usage("hv");
	o.tree = argv[optind];
	if (find_series(patches, fragment, sizeof(patches)) < 0) {
		fprintf(stderr, "hvbench hv build: cannot find hvbench's Xen series (%s) and fragment (%s): set "
			"HVBENCH_XENDIR to hv/xen of hvbench's sources\n", patches, fragment);
		return HVB_EXIT_FAIL;
	}
	o.patches = patches;
	o.fragment = fragment;
	if (!(r = calloc(1, sizeof(*r))))
		return HVB_EXIT_FAIL;
	rc = hvb_xen_build(&o, r);
	if (rc < 0) {
		fprintf(stderr, "hvbench hv build: %s\n", r->why);
		free(r);
		return rc == HVB_EINVAL ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
	}
	printf("built:     %s\n", r->image);
	printf("from:      %s, commit %s (%s)\n", o.tree, r->commit, r->describe);
	printf("with:      %u patches of %s, Kconfig fragment %s\n", r->npatches, patches, fragment);
	printf("config:    %s\n", r->config);
	if (r->tools[0])
		printf("tools:     %s\n", r->tools);
	printf("log:       %s\n", r->log);
	printf("took:      %.0f s\n", r->seconds);
	printf("boot it in the lab: hvbench lab --xen 4.20 --xen-image %s ...\n", r->image);
	free(r);
	return HVB_EXIT_OK;
}

HVB_COMMAND(hv)
{
	if (argc >= 2 && !strcmp(argv[1], "build"))
		return build(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return argc == 2 ? check(0) : argc == 3 && !strcmp(argv[2], "--json") ? check(1) : hvb_cli_usage("hv");
	return hvb_cli_usage("hv");
}
