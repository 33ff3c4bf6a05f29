/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The agent: the only place a workload runs. It reads one request per line and
 * answers each with one reply line; a malformed request gets an error reply,
 * never a crash, and the agent goes on serving. */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "bench/bench.h"
#include "bench/protocol.h"
#include "bench/workloads/wl.h"
#include "hv/hv.h"
#include "probes/probes.h"

static json_t *error_reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *error_reply(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return json_pack("{s:i, s:b, s:s}", "v", HVB_PROTO_VERSION, "ok", 0, "error", msg);
}

/* Seconds of the CPU state check around each sample. 0 is one round of 32
 * system calls (microseconds), so that short samples under a tight timeout keep
 * their time; the agent's hello and a refused parameter look longer, with
 * task switches between two threads. */
#define CPUSTATE_BUDGET_S 0
#define CPUSTATE_LONG_S 0.2
#define CPUSTATE_HELLO_S 0.05

static json_t *cpustate_reply(const char *workload, const char *when, const char *why)
{
	return error_reply("workload %s: this CPU did not keep its floating-point/SIMD state %s (%s): the hypervisor "
			   "or emulator corrupts vCPU state, so no figure from here can be trusted",
			   workload, when, why);
}

/* Threads burning the vCPUs of an antagonist domain (hvbench.burn=1), started once. */
static int burning = -1;

/* What the check found at hello, if anything: every later sample fails with it. */
static char cpu_bad[256];

/* NUMA nodes the kernel runs with (/sys/devices/system/node/online; 1 without NUMA, -1 unread):
 * a split guest's virtual nodes, exposed or hidden (experiment key vnuma). */
static int online_nodes(void)
{
	char list[256] = "";
	struct hvb_cpuset s;
	FILE *f = fopen("/sys/devices/system/node/online", "r");

	if (!f)
		return access("/sys/devices/system/node", F_OK) == 0 ? -1 : 1;
	if (!fgets(list, sizeof(list), f))
		list[0] = 0;
	fclose(f);
	list[strcspn(list, "\n")] = 0;
	return hvb_cpuset_parse(list, &s) == 0 ? hvb_cpuset_count(&s) : -1;
}

static json_t *hello(void)
{
	struct hvb_placement_seen seen;
	struct utsname u;
	char cpus[512] = "?", nodes[128] = "?";
	json_t *r, *wl = json_array();

	if (hvb_placement_self(&seen) == 0) {
		hvb_cpuset_format(&seen.cpus, cpus, sizeof(cpus));
		hvb_cpuset_format(&seen.mem_nodes, nodes, sizeof(nodes));
	}
	uname(&u);
	for (size_t i = 0; hvb_workloads[i]; i++) {
		char why[256] = "";
		int ok = hvb_workloads[i]->supported(why, sizeof(why));
		json_array_append_new(wl, json_pack("{s:s, s:b, s:s}", "name", hvb_workloads[i]->name, "supported", ok,
						    "why", why));
	}
	r = json_pack("{s:i, s:b, s:s, s:i, s:s, s:s, s:s, s:s, s:I}", "v", HVB_PROTO_VERSION, "ok", 1, "agent",
		      PACKAGE_STRING, "pid", (int)getpid(), "cpus", cpus, "mempolicy",
		      hvb_mempolicy_name(seen.mempolicy), "mem_nodes", nodes, "kernel", u.release, "online_cpus",
		      (json_int_t)sysconf(_SC_NPROCESSORS_ONLN));
	json_object_set_new(r, "workloads", wl);
	/* The guest kernel's own mitigations (PTI, retpolines...): a guest's figures depend on them. */
	char *vj = hvb_cpu_vulnerabilities_json();
	json_object_set_new(r, "cpu_vulnerabilities", vj ? json_loads(vj, 0, NULL) : json_object());
	free(vj);
	json_object_set_new(r, "burning", json_integer(burning));
	json_object_set_new(r, "numa_nodes", json_integer(online_nodes()));
	/* The guest kernel's PV spinlocks as it says (experiment key pvspin). */
	json_object_set_new(r, "pvspin", hvb_pvspin_seen());
	if (hvb_cpustate_check(CPUSTATE_HELLO_S, cpu_bad, sizeof(cpu_bad)) < 0)
		hvb_log(HVB_LOG_WARN, "this CPU does not keep its floating-point/SIMD state: %s", cpu_bad);
	else
		cpu_bad[0] = 0;
	json_object_set_new(r, "cpu_state", json_string(cpu_bad[0] ? cpu_bad : "ok"));
	return r;
}

/* Validates the request's params against the workload's own table: the agent
 * trusts nothing that arrives on the channel. */
static int load_params(const struct hvb_workload_ops *w, json_t *jp, struct hvb_params *p, char *err, size_t len)
{
	const char *k;
	json_t *v;

	if (hvb_params_init(p, w->options) < 0)
		return HVB_ENOMEM;
	if (jp && !json_is_object(jp)) {
		snprintf(err, len, "\"params\" must be an object of strings");
		return HVB_EINVAL;
	}
	json_object_foreach(jp, k, v) {
		if (!json_is_string(v)) {
			snprintf(err, len, "parameter %s: expected a string value", k);
			return HVB_EINVAL;
		}
		if (hvb_params_set(p, k, json_string_value(v), err, len) < 0)
			return HVB_EINVAL;
	}
	for (size_t i = 0; i < p->n; i++)
		if (!p->values[i]) {
			snprintf(err, len, "parameter %s is required", p->table[i].name);
			return HVB_EINVAL;
		}
	return 0;
}

/* Guest-side probes named in the request, each with its params, checked
 * against the probe's own table. */
static struct hvb_probe_set *open_probes(json_t *jprobes, char *notes, size_t len)
{
	char *names[16];
	struct hvb_params params[16];
	size_t n = 0;
	const char *k, *pk;
	json_t *v, *pv;
	struct hvb_probe_target t = { .pid = getpid(), .domid = -1 };
	struct hvb_probe_set *ps;
	char err[256];

	if (!json_is_object(jprobes))
		return NULL;
	json_object_foreach(jprobes, k, v) {
		const struct hvb_probe_ops *po = hvb_probe_find(k);
		if (n >= 16 || !po || hvb_params_init(&params[n], po->options) < 0)
			continue;
		json_object_foreach(v, pk, pv) {
			if (!json_is_string(pv) || hvb_params_set(&params[n], pk, json_string_value(pv), err, sizeof(err)) < 0)
				hvb_log(HVB_LOG_WARN, "probe %s: ignoring parameter %s", k, pk);
		}
		names[n++] = (char *)k;
	}
	ps = n ? hvb_probe_set_open(names, params, n, HVB_PROBE_GUEST, &t, notes, len) : NULL;
	for (size_t i = 0; i < n; i++)
		hvb_params_free(&params[i]);
	return ps;
}

/* Text from a program, as a JSON string: bytes that are not UTF-8 escaped. */
static json_t *utf8_string(const char *text)
{
	char *u = hvb_esc_dup(text, HVB_ESC_UTF8);
	json_t *j = json_string(u ? u : "");

	free(u);
	return j ? j : json_string("");
}

/* The sample's raw outputs and facts, for the runner to store with it. */
static void add_outputs(json_t *r, const struct hvb_wl_result *res)
{
	json_t *arts = json_array(), *facts = json_object();

	for (size_t i = 0; i < res->nartifacts; i++)
		json_array_append_new(arts, json_pack("{s:s, s:s, s:o}", "name", res->artifacts[i].name, "mime",
						      res->artifacts[i].mime, "data", utf8_string(res->artifacts[i].data)));
	for (size_t i = 0; i < res->nfacts; i++)
		json_object_set_new(facts, res->facts[i].key, utf8_string(res->facts[i].value));
	json_object_set_new(r, "artifacts", arts);
	json_object_set_new(r, "facts", facts);
}

static json_t *run(json_t *req)
{
	const char *name = NULL, *disk = NULL, *peer = NULL;
	double duration = 1.0;
	json_int_t seed = 1, ncpus = 1, port = 5201;
	json_t *jp = NULL, *jprobes = NULL, *r;
	json_error_t je;
	const struct hvb_workload_ops *w;
	struct hvb_params p = { 0 };
	struct hvb_wl_result res;
	struct hvb_probe_set *ps;
	char err[512] = "", notes[1024] = "", cpu_why[256], *warnings;
	double t0, t1;
	int rc;

	if (json_unpack_ex(req, &je, 0, "{s:s, s?o, s?F, s?I, s?I, s?o, s?s, s?s, s?I}", "workload", &name, "params",
			   &jp, "duration", &duration, "seed", &seed, "ncpus", &ncpus, "probes", &jprobes, "disk",
			   &disk, "peer", &peer, "peer_port", &port) < 0)
		return error_reply("bad run request: %s", je.text);
	if (!(w = hvb_workload_find(name)))
		return error_reply("no workload '%s'", name);
	if (!isfinite(duration) || duration <= 0 || duration > 86400 || ncpus < 1 || ncpus > HVB_MAX_CPUS)
		return error_reply("bad run request: duration or ncpus out of range");
	if (!w->supported(err, sizeof(err))) {
		r = error_reply("workload %s cannot run here: %s", name, err);
		json_object_set_new(r, "skip", json_true());
		return r;
	}
	/* A vCPU whose FPU/SIMD state is corrupted makes every figure and parse
	 * suspect: say so instead of measuring (bench/cpustate.c says why). */
	if (cpu_bad[0])
		return cpustate_reply(name, "when the agent started", cpu_bad);
	if (hvb_cpustate_check(CPUSTATE_BUDGET_S, cpu_why, sizeof(cpu_why)) < 0)
		return cpustate_reply(name, "before the sample", cpu_why);
	if (load_params(w, jp, &p, err, sizeof(err)) < 0) {
		hvb_params_free(&p);
		/* The runner validated these values with this same code: a refusal here
		 * may be the CPU's fault rather than the value's. Look harder first. */
		if (hvb_cpustate_check(CPUSTATE_LONG_S, cpu_why, sizeof(cpu_why)) < 0)
			return cpustate_reply(name, "after refusing its parameters", cpu_why);
		return error_reply("workload %s: %s", name, err);
	}
	struct hvb_wl_ctx ctx = { .params = &p, .duration_s = duration, .seed = (uint64_t)seed,
				  .ncpus = (int)ncpus, .scratch_dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
				  .disk = disk, .peer = peer, .peer_port = (int)port };
	memset(&res, 0, sizeof(res));
	hvb_log(HVB_LOG_DEBUG, "agent %ld: %s for %.3g s on %lld CPU(s), seed %lld, in %s", (long)getpid(), name,
		duration, (long long)ncpus, (long long)seed, ctx.scratch_dir);
	hvb_log_capture_begin(); /* what the sample warned of goes back with it */
	ps = open_probes(jprobes, notes, sizeof(notes));
	hvb_probe_set_start(ps);
	t0 = hvb_now();
	rc = w->run(&ctx, &res);
	t1 = hvb_now();
	hvb_probe_set_stop(ps);
	if (rc == 0)
		hvb_probe_set_collect(ps, &res.metrics);
	hvb_probe_set_close(ps);
	hvb_params_free(&p);
	warnings = hvb_log_capture_end();
	hvb_log(HVB_LOG_DEBUG, "agent %ld: %s %s in %.3f s, %llu operations%s%s", (long)getpid(), name,
		rc == 0 ? "done" : "failed", t1 - t0, (unsigned long long)res.ops, res.error[0] ? ": " : "", res.error);
	if (rc == 0 && hvb_cpustate_check(CPUSTATE_BUDGET_S, cpu_why, sizeof(cpu_why)) < 0) {
		hvb_wl_result_free(&res);
		free(warnings);
		return cpustate_reply(name, "after the sample", cpu_why);
	}
	for (size_t i = 0; rc == 0 && i < res.metrics.n; i++)
		if (!isfinite(res.metrics.m[i].value)) {
			snprintf(res.error, sizeof(res.error), "metric %s is not a finite number", res.metrics.m[i].name);
			rc = HVB_EINVAL;
		}
	if (rc == HVB_ESKIP) {
		/* Not a failure: this host cannot run the cell (no such node, THP off). */
		r = error_reply("workload %s cannot run here: %s", name, res.error[0] ? res.error : hvb_strerror(rc));
		json_object_set_new(r, "skip", json_true());
	} else if (rc < 0) {
		r = error_reply("workload %s failed: %s", name, res.error[0] ? res.error : hvb_strerror(rc));
		add_outputs(r, &res); /* what the program said is most wanted when it failed */
	} else {
		r = json_pack("{s:i, s:b, s:I, s:f, s:s}", "v", HVB_PROTO_VERSION, "ok", 1, "ops", (json_int_t)res.ops,
			      "workload_s", t1 - t0, "notes", notes);
		json_object_set_new(r, "metrics", hvb_metrics_to_json(&res.metrics));
		add_outputs(r, &res);
	}
	if (warnings)
		json_object_set_new(r, "warnings", utf8_string(warnings));
	free(warnings);
	hvb_wl_result_free(&res);
	return r;
}

int hvb_agent_serve(int in_fd, int out_fd)
{
	struct hvb_linebuf lb = { 0 };
	char *line, err[512];
	int rc;

	hvb_log(HVB_LOG_DEBUG, "agent %ld: serving requests (hvbench %s)", (long)getpid(), PACKAGE_VERSION);
	if (burning < 0)
		burning = hvb_burn_start();
	/* Scratch files of an agent killed before it could remove them. */
	hvb_wl_scratch_sweep(getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	hvb_wl_scratch_guard();
	while ((rc = hvb_line_read(in_fd, &lb, -1, NULL, &line)) != 0) {
		json_t *req = NULL, *reply;
		const char *op = "";
		char *text;
		int quit = 0;

		if (rc == HVB_EINVAL)
			reply = error_reply("request longer than %u bytes", HVB_PROTO_MAX_LINE);
		else if (rc < 0)
			break;
		else if (!(req = hvb_proto_parse(line, lb.line_len, err, sizeof(err))))
			reply = error_reply("%s", err);
		else if (json_unpack(req, "{s:s}", "op", &op) < 0)
			reply = error_reply("request has no \"op\"");
		else if (!strcmp(op, "hello"))
			reply = hello();
		else if (!strcmp(op, "run"))
			reply = run(req);
		else if (!strcmp(op, "quit")) {
			reply = json_pack("{s:i, s:b}", "v", HVB_PROTO_VERSION, "ok", 1);
			quit = 1;
		} else
			reply = error_reply("unknown op '%s': expected hello, run or quit", op);
		if (rc > 0)
			hvb_line_consume(&lb);
		/* The request's id comes back, so that the runner can tell a reply
		 * from a stale one. */
		if (reply && json_object_get(req, "id"))
			json_object_set(reply, "id", json_object_get(req, "id"));
		json_decref(req);
		text = json_dumps(reply, JSON_COMPACT);
		if (text && strlen(text) >= HVB_PROTO_MAX_LINE && json_object_get(reply, "artifacts")) {
			/* The raw outputs would not fit in one reply: the figures go without them, and say so. */
			size_t n = strlen(text);
			free(text);
			json_object_del(reply, "artifacts");
			json_t *facts = json_object_get(reply, "facts");
			if (json_is_object(facts))
				json_object_set_new(facts, "artifacts", json_sprintf("left out: the reply would be %zu bytes, "
										       "over the protocol's %u", n,
										       HVB_PROTO_MAX_LINE));
			text = json_dumps(reply, JSON_COMPACT);
		}
		json_decref(reply);
		rc = text ? hvb_line_write(out_fd, text) : HVB_ENOMEM;
		free(text);
		if (rc < 0 || quit)
			break;
	}
	hvb_linebuf_free(&lb);
	return rc < 0 ? rc : 0;
}
