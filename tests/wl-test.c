/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wl-test: prints a workload's metrics one per line, "NAME VALUE UNIT BETTER".
 *   wl-test -r < REPLY   decodes one reply line of `hvbench agent` (how the tests
 *                        and benchmark scripts run workloads: through the agent)
 *   wl-test WORKLOAD [-d SECONDS] [-s SEED] [-c NCPUS] [-t SCRATCH] [-D DISK]
 *           [-P PEER] [-p PORT] [KEY=VALUE ...]
 *                        runs it through its ops table directly (for debugging)
 * Exit: 0 ok, 1 run failed, 2 usage, 77 not supported here. */
#include "config.h"
#include <jansson.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench/bench.h"

static void print_metric(const char *name, double value, const char *unit, const char *better)
{
	printf("%s %.17g %s %s\n", name, value, unit, better);
}

/* The agent's reply: {"ok":true,"ops":N,"metrics":[{name,value,unit,better}...]}
 * or {"ok":false,"error":"..."}. A workload the agent cannot run here is a skip. */
static int decode_reply(void)
{
	char line[1 << 20];
	json_error_t je;
	json_t *r, *ms, *m;
	const char *err = NULL;
	int ok = 0, rc = 0;
	size_t i;

	if (!fgets(line, sizeof(line), stdin)) {
		fprintf(stderr, "wl-test: no reply from the agent\n");
		return 1;
	}
	if (!(r = json_loads(line, 0, &je))) {
		fprintf(stderr, "wl-test: reply is not JSON (%s): %.200s\n", je.text, line);
		return 1;
	}
	if (json_unpack_ex(r, &je, 0, "{s:b, s?s}", "ok", &ok, "error", &err) < 0) {
		fprintf(stderr, "wl-test: bad reply (%s): %.200s\n", je.text, line);
		json_decref(r);
		return 1;
	}
	if (!ok) {
		int skip = err && strstr(err, "cannot run here");
		printf("%s %s\n", skip ? "SKIP" : "ERROR", err ? err : "(no message)");
		json_decref(r);
		return skip ? 77 : 1;
	}
	/* What else the sample sent: facts ("fact:KEY VALUE") and raw outputs
	 * ("artifact:NAME BYTES MIME"), beside the metrics. */
	{
		const char *k;
		json_t *v, *a;
		json_object_foreach(json_object_get(r, "facts"), k, v)
			printf("fact:%s %s\n", k, json_string_value(v) ? json_string_value(v) : "?");
		json_array_foreach(json_object_get(r, "artifacts"), i, a)
			printf("artifact:%s %zu %s\n", json_string_value(json_object_get(a, "name")),
			       json_string_length(json_object_get(a, "data")), json_string_value(json_object_get(a, "mime")));
	}
	ms = json_object_get(r, "metrics");
	json_array_foreach(ms, i, m) {
		const char *name = "", *unit = "", *better = "";
		double v = NAN;
		json_unpack(m, "{s:s, s:F, s:s, s:s}", "name", &name, "value", &v, "unit", &unit, "better", &better);
		print_metric(name, v, unit, better);
		if (!isfinite(v))
			rc = 1;
	}
	if (!json_array_size(ms)) {
		fprintf(stderr, "wl-test: reply has no metrics\n");
		rc = 1;
	}
	json_decref(r);
	return rc;
}

int main(int argc, char **argv)
{
	struct hvb_wl_ctx ctx = { .duration_s = 0.2, .seed = 1, .scratch_dir = "/tmp", .peer_port = 5201 };
	struct hvb_wl_result res;
	const struct hvb_workload_ops *wl;
	struct hvb_params p;
	char why[512] = "", err[512];
	cpu_set_t set;
	int c, rc;

	if (argc == 2 && !strcmp(argv[1], "-r"))
		return decode_reply();
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
			print_metric(m->name, m->value, m->unit, hvb_better_name(m->better));
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
