/* wl-test: runs one workload through its ops table, as the agent would, and
 * prints its metrics one per line: "NAME VALUE UNIT BETTER". Used by the
 * workload tests and benchmark scripts.
 *   wl-test WORKLOAD [-d SECONDS] [-s SEED] [-c NCPUS] [-t SCRATCH] [-D DISK]
 *           [-P PEER] [-p PORT] [KEY=VALUE ...]
 * Exit: 0 ok, 1 run failed, 2 usage, 77 not supported here. */
#include "config.h"
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench/bench.h"

int main(int argc, char **argv)
{
	struct hvb_wl_ctx ctx = { .duration_s = 0.2, .seed = 1, .scratch_dir = "/tmp", .peer_port = 5201 };
	struct hvb_wl_result res;
	const struct hvb_workload_ops *wl;
	struct hvb_params p;
	char why[512] = "", err[512];
	cpu_set_t set;
	int c, rc;

	ctx.scratch_dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	while ((c = getopt(argc, argv, "d:s:c:t:D:P:p:")) != -1) {
		switch (c) {
		case 'd': ctx.duration_s = atof(optarg); break;
		case 's': ctx.seed = strtoull(optarg, NULL, 0); break;
		case 'c': ctx.ncpus = atoi(optarg); break;
		case 't': ctx.scratch_dir = optarg; break;
		case 'D': ctx.disk = optarg; break;
		case 'P': ctx.peer = optarg; break;
		case 'p': ctx.peer_port = atoi(optarg); break;
		default: return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: wl-test WORKLOAD [options] [KEY=VALUE ...]\n");
		return 2;
	}
	if (!(wl = hvb_workload_find(argv[optind]))) {
		fprintf(stderr, "wl-test: no workload '%s'\n", argv[optind]);
		return 2;
	}
	if (!ctx.ncpus && sched_getaffinity(0, sizeof(set), &set) == 0)
		ctx.ncpus = CPU_COUNT(&set);
	if (!wl->supported(why, sizeof(why))) {
		printf("SKIP %s: %s\n", wl->name, why);
		return 77;
	}
	if (hvb_params_init(&p, wl->options) < 0)
		return 1;
	for (int i = optind + 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "wl-test: expected KEY=VALUE, got '%s'\n", argv[i]);
			return 2;
		}
		*eq = 0;
		if (hvb_params_set(&p, argv[i], eq + 1, err, sizeof(err)) < 0) {
			fprintf(stderr, "wl-test: %s\n", err);
			return 2;
		}
	}
	ctx.params = &p;
	memset(&res, 0, sizeof(res));
	rc = wl->run(&ctx, &res);
	if (rc == HVB_ESKIP) {
		printf("SKIP %s: %s\n", wl->name, res.error);
		rc = 77;
	} else if (rc < 0) {
		fprintf(stderr, "wl-test: %s failed: %s (%s)\n", wl->name, res.error, hvb_strerror(rc));
		rc = 1;
	} else {
		for (size_t i = 0; i < res.metrics.n; i++) {
			const struct hvb_metric *m = &res.metrics.m[i];
			printf("%s %.17g %s %s\n", m->name, m->value, m->unit, hvb_better_name(m->better));
			if (!isfinite(m->value))
				rc = 1;
		}
		if (rc)
			fprintf(stderr, "wl-test: %s reported a non-finite value\n", wl->name);
	}
	hvb_metrics_free(&res.metrics);
	hvb_params_free(&p);
	return rc;
}
