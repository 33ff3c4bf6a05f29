/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Builds result stores for the analysis tests from recorded samples
 * (tests/data/analysis/native-samples.txt, measured by hvbench run), through
 * the store API as the runner writes them:
 *   aa       two runs (labels base, cand): the even and the odd repetitions of
 *            the same cells, i.e. the same build measured twice (A/A);
 *   regress  as aa, with the candidate's judged figures made 20% worse;
 *   report   one run with guest modes and placements (values of the recorded
 *            cells scaled per mode/placement: a test input, not a measurement),
 *            probe figures with ops, a skipped cell, a failed sample, hostile
 *            labels; "report-lab" marks it measured in the lab;
 *   modes    one run of native and guest modes at 1, 2, 4 and 8 vCPUs (the
 *            recorded syscall and memlat cells scaled per mode and vCPUs, a
 *            test input with known answers: see modes()); xentrace figures
 *            per operation of known size;
 *   spin     one run of native and PV cells with pvspin on and off and 0 or 1
 *            antagonists (the recorded syscall cells scaled per cell, a test
 *            input), the spinlock slow path per op and wait times given.
 * usage: analysis-fixture DB SCENARIO DATAFILE */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "results/results.h"

struct rec {
	char wl[32], name[96], unit[16];
	enum hvb_better better;
	int rep;
	double v;
};
static struct rec recs[1024];
static size_t nrecs;

static int load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512], better[16];

	if (!f) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), f) && nrecs < 1024) {
		struct rec *r = &recs[nrecs];
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%31s %95s %15s %15s %d %lf", r->wl, r->name, r->unit, better, &r->rep, &r->v) != 6 ||
		    hvb_better_parse(better, &r->better) < 0) {
			fprintf(stderr, "%s: bad line: %s", path, line);
			fclose(f);
			return -1;
		}
		nrecs++;
	}
	fclose(f);
	return 0;
}

static const char *const params[] = {
	"syscall", "{\"calls\":\"getppid,read-small\",\"small\":\"64\",\"large\":\"64K\",\"extra_work\":\"0\"}",
	"memlat", "{\"sizes\":\"16K,4M\",\"hugepages\":\"off\",\"node\":\"auto\",\"extra_work\":\"0\"}",
};

struct cellspec {
	const char *backend, *mode, *placement, *wl, *status, *reason, *plan;
	double scale;       /* applied to judged figures */
	double hypercalls;  /* per op, 0 = none */
	int rep_mod, rep_rem;/* repetitions taken: rep % mod == rem */
	int fail_one;       /* also store one failed sample */
	int vcpus;          /* 0: 1 */
	const char *probes; /* "NAME=PER_OP ..." probe figures, PER_OP times the sample's ops; cost.* and
			     * distribution points (NAME.pNN) are stored as given, +1% per repetition mod 5 */};
/* More params for the next put_cell ("\"pvspin\":\"off\""), or NULL: spin() sets it. */
static const char *cell_axes;

static int put_cell(struct hvb_store *s, int64_t run, int idx, const struct cellspec *c)
{
	struct hvb_cell_row row = { .run_id = run, .idx = idx, .vcpus = c->vcpus ? c->vcpus : 1 };
	const char *pj = NULL;
	char plan[256], pjx[400];

	for (size_t i = 0; i < 4; i += 2)
		if (!strcmp(params[i], c->wl))
			pj = params[i + 1];
	if (pj && cell_axes) {
		snprintf(pjx, sizeof(pjx), "%.*s,%.256s}", (int)strlen(pj) - 1, pj, cell_axes);
		pj = pjx;
	}
	snprintf(row.key, sizeof(row.key), "%s:%s placement=%s vcpus=%d memory=host %s %s", c->backend, c->mode,
		 c->placement, row.vcpus, c->wl, pj);
	snprintf(row.backend, sizeof(row.backend), "%s", c->backend);
	snprintf(row.mode, sizeof(row.mode), "%s", c->mode);
	snprintf(row.placement, sizeof(row.placement), "%s", c->placement);
	snprintf(row.workload, sizeof(row.workload), "%s", c->wl);
	snprintf(row.section, sizeof(row.section), "%s", c->wl);
	snprintf(row.status, sizeof(row.status), "%s", c->status);
	row.params_json = (char *)pj;
	row.reason = (char *)c->reason;
	if (c->plan) {
		snprintf(plan, sizeof(plan), "{\"plan\":%s}", c->plan);
		row.placement_json = plan;
	}
	if (hvb_store_cell_put(s, &row) < 0)
		return -1;
	if (!strcmp(c->status, "skipped"))
		return 0;
	for (int rep = 0; rep < 20; rep++) {
		struct hvb_metrics ms = { 0 };
		struct hvb_sample_row sr = { .cell_id = row.id, .rep = rep / c->rep_mod, .seed = (uint64_t)rep + 1,
					     .started = 1.7e9 + rep };
		double ops = 0;
		if (rep % c->rep_mod != c->rep_rem)
			continue;
		for (size_t i = 0; i < nrecs; i++) {
			const struct rec *r = &recs[i];
			if (strcmp(r->wl, c->wl) || r->rep != rep)
				continue;
			hvb_metrics_add(&ms, r->name, r->better == HVB_INFO ? r->v : r->v * c->scale, r->unit, r->better);
			if (!strcmp(r->name, "ops"))
				ops = r->v;
		}
		if (c->hypercalls > 0)
			hvb_metrics_add(&ms, "xen.hypercalls", ops * c->hypercalls, "calls", HVB_INFO);
		for (const char *p = c->probes; p && *p;) {
			char name[96];
			double per;
			int used;
			if (sscanf(p, " %95[^=]=%lf%n", name, &per, &used) != 2)
				break;
			const char *dot = strrchr(name, '.');
			int level = dot && dot[1] == 'p' && dot[2] >= '0' && dot[2] <= '9', cost = !strncmp(name, "cost.", 5);
			if (level || cost)
				hvb_metrics_add(&ms, name, per * (1 + 0.01 * (rep % 5)), cost ? "calls/op" : "ns", HVB_LOWER);
			else
				hvb_metrics_add(&ms, name, ops * per, strstr(name, "cycles") ? "cycles" :
						strstr(name, "exit.") ? "exits" : "calls", HVB_LOWER);
			p += used;
		}
		snprintf(sr.status, sizeof(sr.status), "ok");
		if (hvb_store_sample_add(s, &sr, &ms) < 0)
			return -1;
		hvb_metrics_free(&ms);
	}
	if (c->fail_one) {
		struct hvb_sample_row sr = { .cell_id = row.id, .rep = 20, .started = 1.7e9,
					     .reason = "agent timed out after 20 s" };
		snprintf(sr.status, sizeof(sr.status), "timeout");
		if (hvb_store_sample_add(s, &sr, NULL) < 0)
			return -1;
	}
	return 0;
}

static const char host_json[] =
	"{\"hostname\":\"<script>alert(1)</script>\",\"kernel\":\"Linux 6.1 x86_64\",\"cpu_model\":\"recorded\","
	"\"topology\":{\"nodes\":[{\"node\":0,\"cpus\":\"0-1\"},{\"node\":1,\"cpus\":\"2-3\"}]}}";

static int two_runs(struct hvb_store *s, double scale)
{
	const char *wls[] = { "syscall", "memlat" };
	int64_t run;

	for (int r = 0; r < 2; r++) {
		if (hvb_store_run_begin(s, r ? "cand" : "base", "fixture", NULL, "; recorded", host_json, 0, &run) < 0)
			return -1;
		for (int w = 0; w < 2; w++) {
			struct cellspec c = { "native", "native", "none", wls[w], "done", NULL, NULL, r ? scale : 1, 0, 2, r, 0, 0, NULL };
			if (put_cell(s, run, w, &c) < 0)
				return -1;
		}
		hvb_store_run_status(s, run, "done");
	}
	return 0;
}

static int report(struct hvb_store *s, int lab)
{
	static const struct cellspec cells[] = {
		{ "native", "native", "none", "syscall", "done", NULL, NULL, 1, 0.001, 1, 0, 0, 0, NULL },
		{ "xen", "pv", "none", "syscall", "done", NULL, NULL, 1.5, 2.0, 1, 0, 0, 0, NULL },
		{ "xen", "pvh", "none", "syscall", "done", NULL, NULL, 1.05, 0.3, 1, 0, 1, 0, NULL },
		{ "xen", "hvm", "none", "syscall", "skipped", "xen: not running in dom0", NULL, 1, 0, 1, 0, 0, 0, NULL },
		{ "native", "native", "local", "memlat", "done", NULL,
		  "{\"kind\":\"local\",\"cpus\":\"0\",\"mem_nodes\":\"0\"}", 1, 0, 1, 0, 0, 0, NULL },
		{ "native", "native", "remote", "memlat", "done", NULL,
		  "{\"kind\":\"remote\",\"cpus\":\"0\",\"mem_nodes\":\"1\"}", 1.4, 0, 1, 0, 0, 0, NULL },
		{ "native", "native", "interleave", "memlat", "done", NULL,
		  "{\"kind\":\"interleave\",\"cpus\":\"0-3\",\"mem_nodes\":\"0-1\"}", 1.2, 0, 1, 0, 0, 0, NULL },
	};
	int64_t run;

	if (hvb_store_run_begin(s, "<b>nightly & \"quoted\" 'label'</b>", "fixture", NULL, "; recorded", host_json, lab,
				&run) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
		if (put_cell(s, run, (int)i, &cells[i]) < 0)
			return -1;
	return hvb_store_run_status(s, run, "done");
}

static int modes(struct hvb_store *s)
{
	/* Times (lower is better) scaled per vCPUs 1, 2, 4, 8. syscall: pv wins at 1, hvm from 2 on, pvh
	 * level with hvm at 8 (no winner there). memlat: pv at 1, no winner at 2 (pv level with hvm), hvm
	 * at 4, pv again at 8 (two crossovers, the first at 4). */
	static const struct {
		const char *wl, *mode;
		double scale[4];
		const char *probes;
	} m[] = {
		{ "syscall", "native", { 1, 1, 1, 1 }, NULL },
		{ "syscall", "pv", { 1.2, 1.5, 2.0, 2.5 },
		  "xen.hypercall.mmu_update=3 xen.hypercall.mmuext_op=1 xen.hypercall.sched_op=0.5" },
		{ "syscall", "pvh", { 1.4, 1.4, 2.0, 1.1 }, "xen.exit_cycles.npf=800 xen.exit.npf=2 xen.hypercall.sched_op=0.25" },
		{ "syscall", "hvm", { 1.5, 1.2, 1.1, 1.1 },
		  "xen.exit_cycles.npf=1000 xen.exit_cycles.io=200 xen.exit.npf=2 xen.exit.io=1 xen.hypercall.sched_op=0.1" },
		{ "memlat", "native", { 1, 1, 1, 1 }, NULL },
		{ "memlat", "pv", { 1.1, 1.3, 1.6, 1.2 }, NULL },
		{ "memlat", "hvm", { 1.4, 1.3, 1.2, 1.5 }, NULL },
	};
	static const int vcpus[] = { 1, 2, 4, 8 };
	int64_t run;
	int idx = 0;

	if (hvb_store_run_begin(s, "modes", "fixture", NULL, "; recorded", host_json, 0, &run) < 0)
		return -1;
	for (size_t k = 0; k < sizeof(m) / sizeof(m[0]); k++)
		for (int v = 0; v < 4; v++) {
			struct cellspec c = { strcmp(m[k].mode, "native") ? "xen" : "native", m[k].mode, "none", m[k].wl,
					      "done", NULL, NULL, m[k].scale[v], 0, 1, 0, 0, vcpus[v], m[k].probes };
			if (put_cell(s, run, idx++, &c) < 0)
				return -1;
		}
	return hvb_store_run_status(s, run, "done");
}

static int spin(struct hvb_store *s)
{
	/* syscall's times (lower is better) scaled: PV with pvspin off is 1.5 times slower under
	 * overcommit, on 1.2 times; polls per op only with pvspin on; kicks unknown (the trace's
	 * event_channel_op calls bound them) */
	static const struct {
		const char *backend, *mode, *axes;
		double scale;
		const char *probes;
	} m[] = {
		{ "native", "native", NULL, 1, NULL },
		{ "native", "native", "\"antagonists\":\"1\"", 1.9, NULL },
		{ "xen", "pv", NULL, 1.1, "cost.spin.guest.polls.per_op=0.02 cost.spin.guest.evtchn_ops.per_op=0.03 "
		  "xen.guest.spinlock.block_to_wake.p50=4000 wait_ns.p99=900" },
		{ "xen", "pv", "\"antagonists\":\"1\"", 1.2, "cost.spin.guest.polls.per_op=0.3 "
		  "cost.spin.guest.evtchn_ops.per_op=0.4 xen.guest.spinlock.block_to_wake.p50=30000 wait_ns.p99=40000" },
		{ "xen", "pv", "\"pvspin\":\"off\"", 1.1, "cost.spin.guest.polls.per_op=0 "
		  "cost.spin.guest.evtchn_ops.per_op=0.001 wait_ns.p99=950" },
		{ "xen", "pv", "\"pvspin\":\"off\",\"antagonists\":\"1\"", 1.5, "cost.spin.guest.polls.per_op=0 "
		  "cost.spin.guest.evtchn_ops.per_op=0.001 wait_ns.p99=900000" },
	};
	int64_t run;

	if (hvb_store_run_begin(s, "spin", "fixture", NULL, "; recorded", host_json, 0, &run) < 0)
		return -1;
	for (size_t k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
		struct cellspec c = { m[k].backend, m[k].mode, "none", "syscall", "done", NULL, NULL, m[k].scale, 0, 1, 0, 0,
				      2, m[k].probes };
		cell_axes = m[k].axes;
		if (put_cell(s, run, (int)k, &c) < 0)
			return -1;
	}
	return hvb_store_run_status(s, run, "done");
}

int main(int argc, char **argv)
{
	struct hvb_store *s;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: analysis-fixture DB aa|regress|report|report-lab|modes|spin DATAFILE\n");
		return 2;
	}
	if (load(argv[3]) < 0 || !(s = hvb_store_open(argv[1], 0)))
		return 1;
	if (!strcmp(argv[2], "aa"))
		rc = two_runs(s, 1);
	else if (!strcmp(argv[2], "regress"))
		rc = two_runs(s, 1.2);
	else if (!strcmp(argv[2], "modes"))
		rc = modes(s);
	else if (!strcmp(argv[2], "spin"))
		rc = spin(s);
	else if (!strncmp(argv[2], "report", 6))
		rc = report(s, !strcmp(argv[2], "report-lab"));
	else
		rc = -1;
	hvb_store_close(s);
	return rc < 0;
}
