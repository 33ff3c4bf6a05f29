/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A run's fingerprint, stored with its host facts: what a merged store needs to
 * know where and how a run was measured, among runs of many hosts started by an
 * engine (GitLab CI, Slurm, Buildbot, LAVA): the engine's job, the shard, and the
 * host class the comparisons go by. hvbench schedules nothing itself. */
#include "config.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "bench/bench.h"

/* Each engine's variables, the first its job's id: the engine is the first
 * whose job id is set. */
static const struct {
	const char *engine;
	const char *vars[6];
} engines[] = {
	{ "gitlab", { "CI_JOB_ID", "CI_PIPELINE_ID", "CI_NODE_INDEX", "CI_NODE_TOTAL", "CI_RUNNER_DESCRIPTION", NULL } },
	{ "slurm", { "SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURMD_NODENAME", NULL } },
	{ "buildbot", { "BUILDBOT_BUILDNUMBER", "BUILDBOT_BUILDERNAME", "BUILDBOT_WORKERNAME", NULL } },
	{ "lava", { "LAVA_JOB_ID", "LAVA_DEVICE_TYPE", NULL } },
	{ "github", { "GITHUB_RUN_ID", "GITHUB_JOB", NULL } },
};

static json_t *engine(void)
{
	for (size_t e = 0; e < sizeof(engines) / sizeof(engines[0]); e++) {
		const char *id = getenv(engines[e].vars[0]);
		if (!id || !*id)
			continue;
		json_t *o = json_pack("{s:s}", "name", engines[e].engine), *vars = json_object();
		json_object_set_new(o, "job_id", json_stringn(id, strnlen(id, 256)));
		for (size_t i = 0; engines[e].vars[i]; i++) {
			const char *v = getenv(engines[e].vars[i]);
			if (v && *v) /* anyone's text: kept short, escaped wherever shown */
				json_object_set_new(vars, engines[e].vars[i], json_stringn(v, strnlen(v, 256)));
		}
		json_object_set_new(o, "variables", vars);
		return o;
	}
	return NULL;
}

/* The NUMA layout in one line: "2 nodes: 0-3 (16 GiB), 4-7 (16 GiB)". */
static json_t *numa_line(json_t *topo)
{
	json_t *nodes = json_object_get(topo, "nodes"), *n;
	char buf[1024];
	size_t off, i;

	off = (size_t)snprintf(buf, sizeof(buf), "%zu node%s", json_array_size(nodes), json_array_size(nodes) == 1 ? "" : "s");
	json_array_foreach(nodes, i, n)
		if (off < sizeof(buf))
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s (%.1f GiB)", i ? ", " : ": ",
						json_string_value(json_object_get(n, "cpus")) ?: "?",
						(double)json_integer_value(json_object_get(n, "mem_bytes")) / (1u << 30));
	return json_string(buf);
}

char *hvb_fingerprint_facts(const char *facts, int k, int n)
{
	json_t *f = json_loads(facts, 0, NULL), *fp, *xen, *e;
	char cls[24], basis[1024], shard[32];
	char *out;

	if (!f)
		return NULL;
	xen = json_object_get(f, "xen");
	if (k > 0) {
		snprintf(shard, sizeof(shard), "%d/%d", k, n);
		json_object_set_new(f, "shard", json_string(shard));
	}
	if ((e = engine()))
		json_object_set_new(f, "engine", e);
	/* The class's name only (run checked it): the facts stay as measured. */
	const char *named = getenv("HVBENCH_HOST_CLASS");
	if (named && *named)
		json_object_set_new(f, "host_class_named", json_string(named));
	fp = json_object();
	/* The facts that tell hosts and their software apart, in one place, for show and merge. */
	json_object_set(fp, "cpu_model", json_object_get(f, "cpu_model"));
	json_object_set(fp, "microcode", json_object_get(f, "microcode"));
	json_object_set_new(fp, "numa", numa_line(json_object_get(f, "topology")));
	json_object_set(fp, "mem_total_bytes", json_object_get(f, "mem_total_bytes"));
	json_object_set(fp, "kernel", json_object_get(f, "kernel"));
	if (xen && json_object_get(xen, "hypervisor")) {
		json_object_set(fp, "xen", json_object_get(xen, "hypervisor"));
		json_object_set(fp, "xen_changeset", json_object_get(xen, "changeset"));
		json_object_set(fp, "xen_cmdline", json_object_get(xen, "commandline"));
		json_object_set(fp, "xen_mitigations", json_object_get(xen, "mitigations"));
	}
	/* A hypervisor built with hvbench's hooks is not Debian's of the same version; a
	 * dom0 whose hypervisor could not be asked says why ("unknown: ..."). */
	char hooks[320];
	hvb_xen_hooks_line(xen, hooks, sizeof(hooks));
	if (hooks[0])
		json_object_set_new(fp, "xen_hooks", json_string(hooks));
	if (e)
		json_object_set(fp, "job", json_object_get(e, "job_id"));
	if (k > 0)
		json_object_set_new(fp, "shard", json_string(shard));
	json_object_set_new(f, "fingerprint", fp);
	out = json_dumps(f, JSON_COMPACT);
	hvb_host_class(out, cls, sizeof(cls), basis, sizeof(basis));
	json_object_set_new(f, "host_class", json_string(cls));
	json_object_set_new(f, "host_class_of", json_string(basis));
	free(out);
	out = json_dumps(f, JSON_COMPACT);
	json_decref(f);
	return out;
}
