/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runner: walks the plan cell by cell (or lets the cells take turns, one
 * sample each), starts the backend's agent with the cell's placement, verifies
 * it, and stores each sample as soon as it is measured. A hung agent is killed
 * and the run goes on; Ctrl-C ends the run with status "interrupted" and
 * everything measured kept. */
#include "config.h"
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/time.h>
#include "bench/bench.h"
#include "bench/protocol.h"
#include "hv/hv.h"
#include "probes/probes.h"

static volatile sig_atomic_t interrupted;
void hvb_run_interrupt(void) { interrupted = 1; }
int hvb_run_interrupted(void) { return interrupted; }

static double wall_now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* Per-metric values of one cell, for repetitions = auto. */
struct series {
	char name[96];
	double *v;
	size_t n;
};

/* Shared by the runs of one invocation, for the ETA. */
struct run_clock {
	size_t done, total;
	double time; /* seconds spent on samples so far */
};

struct run_state {
	struct hvb_store *s;
	struct hvb_experiment *ex;
	const struct hvb_run_opts *o;
	const char *label;       /* shown in progress when runs are interleaved, else NULL */
	int64_t run_id;
	int ntrouble;             /* cells that ended without every repetition ok */
	struct hvb_topo *topo[8]; /* per backend index */
	struct run_clock *clk;
};

/* A live agent: the backend's guest and the channel to it. */
struct agent {
	const struct hvb_backend_ops *be;
	struct hvb_guest *g;
	struct hvb_agent_conn conn;
	struct hvb_probe_set *host_probes;
	char probe_notes[1024];
	char artifact_dir[4096]; /* where probes leave files (trace captures) */
	int paused;              /* paused by the runner for the other cells' turns */
};

/* c: a cell of rs's plan (a shard's cells keep their indices in the whole matrix). */
static void progress(struct run_state *rs, const struct hvb_cell *c, int rep, int nreps, int warmup, const char *event,
		     const char *detail)
{
	struct hvb_progress p = { .cell = (size_t)(c - rs->ex->cells) + 1, .ncells = rs->ex->ncells, .rep = rep + 1,
				  .nreps = nreps, .warmup = warmup, .c = c, .event = event, .detail = detail,
				  .eta_s = -1, .label = rs->label };
	const struct run_clock *k = rs->clk;

	if (k->done && k->total >= k->done)
		p.eta_s = k->time / (double)k->done * (double)(k->total - k->done);
	if (rs->o->progress)
		rs->o->progress(&p, rs->o->progress_arg);
}

static void agent_stop(struct agent *a, int force)
{
	if (a->host_probes)
		hvb_probe_set_close(a->host_probes);
	a->host_probes = NULL;
	if (a->g && !force) {
		void *reply = NULL;
		char err[128];
		/* A paused guest could not answer: it runs again for its last words. */
		if (a->paused && a->be->pause && a->be->pause(a->g, 0, err, sizeof(err)) < 0)
			hvb_log(HVB_LOG_WARN, "%s", err);
		a->paused = 0;
		/* A polite quit first, so the agent can clean up its workload's leftovers. */
		if (hvb_agent_call(&a->conn, "{\"v\":1,\"op\":\"quit\"}", 2.0, &reply, err, sizeof(err)) == 0)
			json_decref(reply);
	}
	if (a->g)
		a->be->stop(a->g, force);
	a->g = NULL;
	hvb_agent_conn_free(&a->conn);
}

/* Probe files go beside the database, in the run's own directory, one per cell. */
static void artifact_dir(const struct run_state *rs, const struct hvb_cell *c, char *buf, size_t len)
{
	char run[4000];

	if (hvb_store_artifact_dir(rs->s, rs->run_id, run, sizeof(run)) < 0)
		buf[0] = '\0'; /* no files kept: the probes fall back to their own place */
	else
		snprintf(buf, len, "%s/cell-%d", run, c->idx);
}

/* Files the probes wrote during a sample, recorded as artifacts by path. */
static void record_artifacts(struct run_state *rs, int64_t cell_id, int64_t sample_id, const char *dir,
			     double since)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[8192];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (double)st.st_mtime >= since - 1)
			hvb_store_artifact_add(rs->s, rs->run_id, cell_id, sample_id, path,
					       strstr(e->d_name, ".json") ? "application/json"
									 : "application/octet-stream",
					       NULL, 0);
	}
	if (d)
		closedir(d);
}

/* What a sample's agent sent besides figures: its program's raw output as
 * artifacts of the sample, the facts of what it measured (facts.json, shown
 * with the cell), and its warnings into the run's own. */
static void keep_outputs(struct run_state *rs, int64_t cell_id, int idx, int64_t sample_id, json_t *reply,
			 const char *prefix)
{
	json_t *arts = json_object_get(reply, "artifacts"), *facts = json_object_get(reply, "facts"), *a;
	const char *w = json_string_value(json_object_get(reply, "warnings"));
	size_t i;

	json_array_foreach(arts, i, a) {
		const char *name = json_string_value(json_object_get(a, "name"));
		const char *mime = json_string_value(json_object_get(a, "mime"));
		const char *data = json_string_value(json_object_get(a, "data"));
		char full[300];
		snprintf(full, sizeof(full), "%s%s", prefix, name ? name : "");
		if (name && *name && data && sample_id > 0 && !strchr(name, '/'))
			hvb_store_artifact_add(rs->s, rs->run_id, cell_id, sample_id, full, mime ? mime : "text/plain",
					       data, json_string_length(json_object_get(a, "data")));
	}
	/* The facts of what was measured: the first guest's (the guests share the host). */
	if (json_is_object(facts) && json_object_size(facts) && sample_id > 0 &&
	    (!*prefix || !strcmp(prefix, "guest0."))) {
		char *t = json_dumps(facts, JSON_COMPACT | JSON_SORT_KEYS);
		if (t)
			hvb_store_artifact_add(rs->s, rs->run_id, cell_id, sample_id, "facts.json", "application/json", t,
					       strlen(t));
		free(t);
	}
	/* Each line said where it came from: the agent of which cell. */
	while (w && *w) {
		char line[2300];
		size_t n = strcspn(w, "\n");
		snprintf(line, sizeof(line), "cell %d, agent%s%.*s: %.*s\n", idx, *prefix ? " of " : "",
			 *prefix ? (int)strlen(prefix) - 1 : 0, prefix, (int)(n > 2200 ? 2200 : n), w);
		hvb_log_capture_add(line);
		w += n + (w[n] == '\n');
	}
}

/* Checks what the agent says of its own affinity and memory policy against the
 * plan: the placement is verified, not assumed, the CPU count first (every
 * placement, none too, runs a cell on its vcpus CPUs). */
static int verify(const struct hvb_placement *plan, int vcpus, json_t *hello, char *why, size_t len)
{
	struct hvb_placement_seen seen = { 0 };
	const char *cpus = "", *pol = "", *nodes = "";

	json_unpack(hello, "{s?s, s?s, s?s}", "cpus", &cpus, "mempolicy", &pol, "mem_nodes", &nodes);
	if (hvb_cpuset_parse(cpus, &seen.cpus) < 0) {
		snprintf(why, len, "the agent reported no readable CPU set ('%s')", cpus);
		return 0;
	}
	if (plan->kind != HVB_PL_AUTO && hvb_cpuset_count(&seen.cpus) != vcpus) {
		snprintf(why, len, "the agent may run on %d CPUs (%s), the cell has %d vCPUs", hvb_cpuset_count(&seen.cpus),
			 cpus, vcpus);
		return 0;
	}
	seen.mempolicy = !strcmp(pol, "bind") ? HVB_MEM_BIND : !strcmp(pol, "interleave") ? HVB_MEM_INTERLEAVE
											 : HVB_MEM_DEFAULT;
	if (seen.mempolicy != HVB_MEM_DEFAULT) {
		struct hvb_cpuset ns;
		if (hvb_cpuset_parse(nodes, &ns) == 0)
			seen.mem_nodes = ns;
	}
	return hvb_placement_verify(plan, &seen, why, len);
}

/* Starts the agent and checks it; on failure why says what went wrong. Returns
 * 0, HVB_ESKIP (cannot run here), HVB_EINTR, or another error. */
/* A guest that did not come up: its console output goes with the failed cell. */
static void attach_console(struct run_state *rs, int64_t cell_id, const char *path)
{
	FILE *f = path ? fopen(path, "r") : NULL;
	char *buf;
	size_t n;

	if (!f)
		return;
	if ((buf = malloc(1 << 20))) {
		n = fread(buf, 1, 1 << 20, f);
		hvb_store_artifact_add(rs->s, rs->run_id, cell_id, 0, "console.log", "text/plain", buf, n);
		free(buf);
	}
	fclose(f);
}

static int agent_gone(void *arg, char *why, size_t len)
{
	struct agent *a = arg;

	return a->be->alive(a->g, why, len) < 0;
}

static int agent_start(struct run_state *rs, const struct hvb_cell *c, const struct hvb_placement *plan, int guest,
		       int nguests, struct agent *a, int64_t row_id, char **placement_json, char *why, size_t len)
{
	char name[64], err[512], console[512] = "";
	json_t *rb = NULL;
	void *reply = NULL;
	json_t *hello, *wls, *w, *pl;
	size_t i;
	int rfd, wfd, rc;
	struct hvb_guest_spec spec = { .mode = c->mode, .vcpus = c->vcpus, .memory = c->memory,
				       .placement = plan, .name = name, .boot_timeout_s = rs->ex->boot_timeout_s,
				       .need_disk = !!(c->wl->flags & HVB_WL_NEEDS_DISK),
				       .need_peer = !!(c->wl->flags & HVB_WL_NEEDS_PEER), .agent = rs->ex->agent,
				       .nopvspin = c->pvspin == 0, .hide_vnuma = c->vnuma == 0,
				       .persistent = HVB_SETTING_OF(c->persistent), .net_queues = c->net_queues,
				       .console_path = console, .console_path_len = sizeof(console) };

	/* Guests of one cell: hvbench-RUN-CELL-gK (hvb_xen_is_guest_name knows both). */
	if (nguests > 1)
		snprintf(name, sizeof(name), "hvbench-%lld-%d-g%d", (long long)rs->run_id, c->idx, guest);
	else
		snprintf(name, sizeof(name), "hvbench-%lld-%d", (long long)rs->run_id, c->idx);
	memset(a, 0, sizeof(*a));
	a->be = hvb_backend_find(c->backend);
	if ((rc = a->be->start(&spec, &a->g, why, len)) < 0) {
		attach_console(rs, row_id, console[0] ? console : NULL); /* why a guest never came up */
		return rc;
	}
	a->be->channel(a->g, &rfd, &wfd);
	hvb_agent_conn_init(&a->conn, rfd, wfd);
	if (a->be->alive) {
		a->conn.gone = agent_gone;
		a->conn.gone_arg = a;
	}
	rc = hvb_agent_call(&a->conn, "{\"v\":1,\"op\":\"hello\"}", rs->ex->boot_timeout_s, &reply, err, sizeof(err));
	if (rc < 0) {
		const char *log = a->be->console_log ? a->be->console_log(a->g) : NULL;
		snprintf(why, len, "agent did not come up: %s%s%s", err, log ? "; console log: " : "", log ? log : "");
		attach_console(rs, row_id, log);
		return rc;
	}
	hello = reply;
	if (!json_is_true(json_object_get(hello, "ok"))) {
		snprintf(why, len, "agent refused hello");
		json_decref(hello);
		return HVB_EPROTO;
	}
	pl = json_object();
	json_object_set_new(pl, "plan", hvb_placement_obj(plan));
	json_object_set(pl, "agent", hello);
	if (a->be->readback && a->be->readback(a->g, &rb) == 0 && rb)
		json_object_set_new(pl, "readback", rb);
	*placement_json = json_dumps(pl, JSON_COMPACT);
	json_decref(pl);
	/* pvspin: what the guest kernel did, against what the cell asked (recorded above in the hello). */
	if ((rc = hvb_pvspin_check(c->pvspin, c->vcpus, json_object_get(hello, "pvspin"), why, len)) < 0) {
		json_decref(hello);
		return rc;
	}
	/* vnuma: the NUMA nodes the guest kernel sees, against what the split cell asked. */
	if ((rc = hvb_vnuma_check(c->vnuma, json_is_integer(json_object_get(hello, "numa_nodes")) ?
				  (int)json_integer_value(json_object_get(hello, "numa_nodes")) : -1, why, len)) < 0) {
		json_decref(hello);
		return rc;
	}
	/* In a guest the agent sees vCPUs: the backend checks the plan from outside. */
	if (a->be->verify ? (rc = a->be->verify(a->g, plan, err, sizeof(err))) <= 0 : !verify(plan, c->vcpus, hello, err, sizeof(err))) {
		snprintf(why, len, "placement not %s: %s", a->be->verify && rc < 0 ? "verified" : "honoured", err);
		json_decref(hello);
		return HVB_EIO;
	}
	/* The workload's own verdict on this host, as the agent sees it. */
	wls = json_object_get(hello, "workloads");
	json_array_foreach(wls, i, w) {
		const char *n = json_string_value(json_object_get(w, "name"));
		if (n && !strcmp(n, c->wl->name) && !json_is_true(json_object_get(w, "supported"))) {
			snprintf(why, len, "%s: %s", n, json_string_value(json_object_get(w, "why")));
			json_decref(hello);
			return HVB_ESKIP;
		}
	}
	json_decref(hello);
	/* Host probes watch the first guest; the others' figures are their agents' own. */
	if (guest > 0)
		return 0;
	artifact_dir(rs, c, a->artifact_dir, sizeof(a->artifact_dir));
	struct hvb_probe_target t = { .pid = a->be->pid(a->g), .domid = a->be->domid ? a->be->domid(a->g) : -1,
				      .guest_name = a->be->domid ? name : NULL,
				      .artifact_dir = a->artifact_dir[0] ? a->artifact_dir : NULL,
				      .mode = c->mode, .run_id = rs->run_id, .cell = c->idx };
	a->probe_notes[0] = 0;
	a->host_probes = hvb_probe_set_open(rs->ex->probes, rs->ex->probe_params, rs->ex->nprobes, HVB_PROBE_HOST,
					    &t, a->probe_notes, sizeof(a->probe_notes));
	return 0;
}

static char *request_json(const struct run_state *rs, const struct hvb_cell *c, struct agent *a, uint64_t seed)
{
	json_t *r, *params = json_object(), *probes = json_object();
	const char *disk = a->be->disk(a->g), *peer = a->be->peer(a->g);
	char *s;

	for (size_t k = 0; k < c->params.n; k++)
		if (c->params.values[k])
			json_object_set_new(params, c->params.table[k].name, json_string(c->params.values[k]));
	/* Guest-side probes run inside the agent; the host-side ones are ours. */
	for (size_t k = 0; k < rs->ex->nprobes; k++) {
		const struct hvb_probe_ops *po = hvb_probe_find(rs->ex->probes[k]);
		if (po && (po->where & HVB_PROBE_GUEST) && !(po->where & HVB_PROBE_HOST)) {
			json_t *pp = json_object();
			for (size_t j = 0; j < rs->ex->probe_params[k].n; j++)
				if (rs->ex->probe_params[k].values[j])
					json_object_set_new(pp, rs->ex->probe_params[k].table[j].name,
							    json_string(rs->ex->probe_params[k].values[j]));
			json_object_set_new(probes, po->name, pp);
		}
	}
	r = json_pack("{s:i, s:s, s:s, s:o, s:f, s:I, s:i, s:o}", "v", HVB_PROTO_VERSION, "op", "run", "workload",
		      c->wl->name, "params", params, "duration", rs->ex->duration_s, "seed", (json_int_t)seed, "ncpus",
		      c->vcpus, "probes", probes);
	if (disk)
		json_object_set_new(r, "disk", json_string(disk));
	if (peer)
		json_object_set_new(r, "peer", json_string(peer));
	s = json_dumps(r, JSON_COMPACT);
	json_decref(r);
	return s;
}

/* One cell of a run, from its first sample to its last: cells that take turns
 * (order = interleaved, or several runs at once) each keep one of these, with
 * their agent alive between turns. */
struct cell_run {
	struct run_state *rs;
	const struct hvb_cell *c;
	struct hvb_cell_row row;
	struct hvb_placement *plan; /* one per guest */
	struct agent *a;            /* one per guest; a[0] carries the host probes */
	int ng;                     /* guests */
	int draw;                   /* placement = random: the draw the plans are of; -1 otherwise */
	const struct hvb_topo *topo;
	char why[1024], stop_why[1280], last_err[256], *pj;
	int rep, nok, nfail;
	int warmed; /* the warm-ups were tried: once per cell, whatever became of them */
	int boots;  /* guests (agents) that died before answering hello */
	char boot_note[1100]; /* why the last of them died, for the cell's reason */
	struct series *ser; /* repetitions = auto */
	size_t nser;
	size_t group; /* cells compared with each other, whose turns are shuffled together */
	size_t timed; /* its repetitions counted in the run clock's done */
	int settled;  /* its share of the clock's total made what it measured */
	int finished; /* taking turns: finished before the first round (skipped, done before a --resume) */
	struct turns *turns; /* taking turns: all the cells' guests alive together; NULL one cell at a time */
};

/* Cells taking turns: their guests live together, only the one sampling runs. */
struct turns {
	struct cell_run *cr;
	size_t n;
	size_t active; /* the cell whose guests run; n: none */
	int round;     /* 1-based, 0 before the first */
	unsigned long pauses, pause_failures;
};

/* The guests of the cells taking turns that their backend sees, and of the
 * other cells' those it reports paused: read back from the hypervisor or the
 * kernel, not the runner's own book. -1 each when a backend cannot say. */
static void turns_state(const struct cell_run *self, int *guests, int *paused)
{
	const struct turns *t = self->turns;
	int known = 1;

	*guests = *paused = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct cell_run *c = &t->cr[i];
		for (int g = 0; c->a && g < c->ng; g++) {
			const struct agent *a = &c->a[g];
			int p;
			if (!a->g)
				continue;
			if (!a->be->paused) {
				known = 0;
				continue;
			}
			if ((p = a->be->paused(a->g)) < 0)
				continue; /* gone, or the backend cannot find it: not alive */
			++*guests;
			*paused += c != self && p == 1;
		}
	}
	if (!known)
		*guests = *paused = -1;
}

/* A cell that ended (skipped, finished before a --resume, given up, done with
 * more or fewer repetitions than planned) owes the ETA no more samples than it
 * measured: the estimate leaves skipped cells out and keeps to measured times. */
static void clock_settle(struct cell_run *cr)
{
	struct run_clock *k = cr->rs->clk;
	size_t owed = (size_t)(cr->rs->ex->repetitions ? cr->rs->ex->repetitions : cr->rs->ex->min_repetitions);

	if (cr->settled)
		return;
	cr->settled = 1;
	k->total = k->total - owed + cr->timed;
}

static void series_add(struct cell_run *cr, const struct hvb_metrics *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		struct series *se = NULL;
		/* Only the workload's own judged figures decide when a cell has enough. */
		if (ms->m[i].better == HVB_INFO || hvb_probe_owns_metric(ms->m[i].name))
			continue;
		for (size_t k = 0; k < cr->nser; k++)
			if (!strcmp(cr->ser[k].name, ms->m[i].name))
				se = &cr->ser[k];
		if (!se) {
			struct series *ns = realloc(cr->ser, (cr->nser + 1) * sizeof(*ns));
			if (!ns)
				return;
			cr->ser = ns;
			se = &cr->ser[cr->nser++];
			memset(se, 0, sizeof(*se));
			snprintf(se->name, sizeof(se->name), "%s", ms->m[i].name);
		}
		double *nv = realloc(se->v, (se->n + 1) * sizeof(double));
		if (!nv)
			return;
		se->v = nv;
		se->v[se->n++] = ms->m[i].value;
	}
}

static void series_clear(struct cell_run *cr)
{
	for (size_t k = 0; k < cr->nser; k++)
		free(cr->ser[k].v);
	free(cr->ser);
	cr->ser = NULL;
	cr->nser = 0;
}

/* repetitions = auto: stop when every judged metric's median is known to the
 * target, or at the cap. */
static int enough(struct cell_run *cr, char *why, size_t len)
{
	const struct hvb_experiment *ex = cr->rs->ex;
	int tried = cr->rep, done = cr->nok;

	if (ex->repetitions)
		return tried >= ex->repetitions;
	if (tried >= ex->max_repetitions) {
		snprintf(why, len, "stopped at the cap of %d repetitions", ex->max_repetitions);
		return 1;
	}
	if (done < ex->min_repetitions || !cr->rs->o->enough || !cr->nser)
		return 0;
	for (size_t k = 0; k < cr->nser; k++) {
		char w[256];
		if (!cr->rs->o->enough(cr->ser[k].v, cr->ser[k].n, ex->ci_target, w, sizeof(w)))
			return 0;
	}
	snprintf(why, len, "every metric's median CI within %.1f%% after %d repetitions", ex->ci_target * 100, done);
	return 1;
}

/* Who measured, for messages about what it sent. */
static void agent_name(const struct cell_run *cr, char *buf, size_t len)
{
	if (cr->rs->ex->agent)
		snprintf(buf, len, "the agent %s", cr->rs->ex->agent);
	else if (cr->a[0].be && cr->a[0].be->domid)
		snprintf(buf, len, "the agent in guest hvbench-%lld-%d", (long long)cr->rs->run_id, cr->c->idx);
	else
		snprintf(buf, len, "the agent (hvbench agent, pid %d)", cr->a[0].be && cr->a[0].g ? (int)cr->a[0].be->pid(cr->a[0].g) : -1);
}

/* Repetitions a cell owes: all of them, or the least an auto cell takes. */
static int target_reps(const struct cell_run *cr)
{
	return cr->rs->ex->repetitions ? cr->rs->ex->repetitions : cr->rs->ex->min_repetitions;
}

/* One guest's request, sent and answered on its own thread when the cell has
 * several guests, so that they all run the workload at once. */
struct guest_call {
	struct hvb_agent_conn *conn;
	char *req;
	double timeout_s;
	void *reply;
	char err[1024];
	int rc;
};

static void *guest_call_run(void *arg)
{
	struct guest_call *gc = arg;

	gc->rc = gc->req ? hvb_agent_call(gc->conn, gc->req, gc->timeout_s, &gc->reply, gc->err, sizeof(gc->err))
			 : HVB_ENOMEM;
	return NULL;
}

/* Sends every guest its request and waits for every reply. */
static void guests_call(struct guest_call *gc, int ng)
{
	pthread_t th[HVB_MAX_GUESTS];
	int started[HVB_MAX_GUESTS] = { 0 };

	for (int g = 1; g < ng; g++)
		started[g] = pthread_create(&th[g], NULL, guest_call_run, &gc[g]) == 0;
	guest_call_run(&gc[0]);
	for (int g = 1; g < ng; g++) {
		if (started[g])
			pthread_join(th[g], NULL);
		else
			guest_call_run(&gc[g]); /* no thread: after the others, said by the times */
	}
}

/* The sample of a cell of several guests: each guest's workload figures as
 * guestK.METRIC, and the cell's own METRIC over the guests: their sum for rates
 * (a unit ending in /s) and for the operations counted (ops, ops.*), their mean otherwise
 * (latencies, levels). Probe figures are the first guest's (its host probes). */
static int guests_merge(struct hvb_metrics *total, struct hvb_metrics *per, int ng)
{
	int rc = 0;

	for (size_t i = 0; i < per[0].n && rc == 0; i++) {
		const struct hvb_metric *m = &per[0].m[i];
		size_t ulen = strlen(m->unit);
		int sum = !strcmp(m->name, "ops") || !strncmp(m->name, "ops.", 4) || (ulen >= 2 && !strcmp(m->unit + ulen - 2, "/s")),
		    all = 1;
		double v = 0;
		if (hvb_probe_owns_metric(m->name)) {
			rc = hvb_metrics_add(total, m->name, m->value, m->unit, m->better);
			continue;
		}
		for (int g = 0; g < ng && all; g++) {
			const struct hvb_metric *o = hvb_metrics_get(&per[g], m->name);
			if (!o)
				all = 0;
			else
				v += o->value;
		}
		if (all)
			rc = hvb_metrics_add(total, m->name, sum ? v : v / ng, m->unit, m->better);
	}
	for (int g = 0; g < ng && rc == 0; g++)
		for (size_t i = 0; i < per[g].n && rc == 0; i++)
			if (!hvb_probe_owns_metric(per[g].m[i].name))
				rc = hvb_metrics_addf(total, per[g].m[i].value, per[g].m[i].unit, per[g].m[i].better,
						      "guest%d.%s", g, per[g].m[i].name);
	return rc;
}

/* Where the sample ran, as context figures: the draw (placement = random) and
 * the share of the guests' CPUs whose memory is local by the plan, which the
 * agents' and backend's readback matched before the guests were used. */
static void placement_figures(const struct cell_run *cr, struct hvb_metrics *ms)
{
	double share = 0;
	int known = 1;

	if (cr->draw >= 0)
		hvb_metrics_add(ms, "placement.draw", cr->draw, "count", HVB_INFO);
	for (int g = 0; g < cr->ng && known; g++) {
		double s = hvb_placement_local_share(cr->topo, &cr->plan[g]);
		known = !isnan(s);
		share += s;
	}
	if (known && cr->ng)
		hvb_metrics_add(ms, "placement.local_share", share / cr->ng, "ratio", HVB_INFO);
}

/* One guest's reply into its figures: 0, HVB_ESKIP (the workload cannot run
 * here: why in cr->why), or another code with err. */
static int guest_reply(struct cell_run *cr, int g, json_t *r, struct hvb_metrics *ms, char *err, size_t len)
{
	const char *e = json_string_value(json_object_get(r, "error"));
	char who[256];

	if (json_is_true(json_object_get(r, "skip"))) {
		snprintf(cr->why, sizeof(cr->why), "%s", e ? e : "the workload cannot run here");
		return HVB_ESKIP;
	}
	if (!json_is_true(json_object_get(r, "ok"))) {
		snprintf(err, len, "%s", e ? e : "the agent said no, without a reason");
		return HVB_ECHILD;
	}
	if (hvb_metrics_from_json(json_object_get(r, "metrics"), ms, err, len) < 0)
		return HVB_ECHILD; /* a failed sample; the agent goes on */
	agent_name(cr, who, sizeof(who));
	if (cr->ng > 1) {
		size_t n = strlen(who);
		snprintf(who + n, sizeof(who) - n, ", guest %d", g);
	}
	if (hvb_metrics_accept(ms, cr->c->wl, cr->rs->ex->probes, cr->rs->ex->nprobes, who, err, len) < 0) {
		hvb_metrics_free(ms); /* none of what it sent is stored */
		return HVB_EPROTO;
	}
	return 0;
}

/* One request: a warm-up (stored flagged) or a sample (stored at once). */
static int one_sample(struct cell_run *cr, int rep, int warmup, int *ok)
{
	struct run_state *rs = cr->rs;
	const struct hvb_cell *c = cr->c;
	struct agent *a = &cr->a[0];
	uint64_t seed = hvb_sample_seed(rs->ex->seed, c->key, warmup ? -1 - rep : rep);
	char err[1024] = "", notebuf[2200];
	struct hvb_metrics ms = { 0 }, per[HVB_MAX_GUESTS];
	struct hvb_sample_row sr = { .cell_id = cr->row.id, .rep = rep, .seed = seed, .started = wall_now() };
	struct guest_call gc[HVB_MAX_GUESTS];
	struct hvb_antagonists *ant[HVB_MAX_GUESTS] = { 0 };
	char antnote[320] = "";
	double t0, t1, wl_s = 0;
	int rc = 0, ng = cr->ng, g;

	int tguests = -1, tpaused = -1;

	memset(gc, 0, sizeof(gc[0]) * (size_t)ng);
	memset(per, 0, sizeof(per[0]) * (size_t)ng);
	if (cr->turns && !warmup)
		turns_state(cr, &tguests, &tpaused);
	for (g = 0; g < ng; g++) {
		/* Each guest its own seed; guest 0 the sample's, as a cell of one guest has. */
		uint64_t gs = g ? hvb_sample_seed(rs->ex->seed ^ (uint64_t)g * 0xD1B54A32D192ED03ULL, c->key,
						  warmup ? -1 - rep : rep) : seed;
		gc[g] = (struct guest_call){ .conn = &cr->a[g].conn, .req = request_json(rs, c, &cr->a[g], gs),
					     .timeout_s = rs->ex->timeout_s };
	}
	/* The antagonists run through the whole sample, probes' windows included. */
	for (g = 0; g < ng && rc == 0 && c->antagonists; g++)
		rc = cr->a[g].be->antagonists_start(cr->a[g].g, c->antagonists, &ant[g], err, sizeof(err));
	hvb_probe_set_start(a->host_probes);
	t0 = hvb_now();
	if (rc == 0)
		guests_call(gc, ng);
	t1 = hvb_now();
	hvb_probe_set_stop(a->host_probes);
	for (g = 0; g < ng; g++)
		if (ant[g]) {
			size_t n = strlen(antnote);
			char note[320];
			cr->a[g].be->antagonists_stop(cr->a[g].g, ant[g], note, sizeof(note));
			snprintf(antnote + n, sizeof(antnote) - n, "%s%.300s", n ? "; " : "", note);
		}
	rs->clk->time += t1 - t0;
	*ok = 0;
	/* The first guest that failed decides the sample's fate; every guest's figures or none. */
	for (g = 0; g < ng && rc == 0; g++) {
		if ((rc = gc[g].rc) < 0) {
			snprintf(err, sizeof(err), "%s", gc[g].err);
			break;
		}
		rc = guest_reply(cr, g, gc[g].reply, &per[g], err, sizeof(err));
		if (rc == HVB_ESKIP) {
			keep_outputs(rs, cr->row.id, c->idx, 0, gc[g].reply, ""); /* its warnings */
			goto out;
		}
		if (rc < 0)
			break;
		wl_s = fmax(wl_s, json_real_value(json_object_get(gc[g].reply, "workload_s")));
	}
	if (rc < 0 && ng > 1) {
		char e[sizeof(err)];
		snprintf(e, sizeof(e), "guest %d: %.1000s", g, err);
		snprintf(err, sizeof(err), "%s", e);
	}
	if (rc == HVB_ECHILD && g < ng && gc[g].rc == 0)
		rc = 0; /* the agent said no: a failed sample, the agent is fine */
	else if (rc == 0 && !err[0]) {
		*ok = 1;
		if (ng > 1 && guests_merge(&ms, per, ng) < 0)
			rc = HVB_ENOMEM, *ok = 0;
		else if (ng == 1) {
			ms = per[0];
			memset(&per[0], 0, sizeof(per[0]));
		}
	}
	if (*ok) {
		sr.workload_s = wl_s;
		hvb_probe_set_collect(a->host_probes, &ms);
		hvb_backend_cost(&ms); /* per packet, per request: needs every probe's figures */
		hvb_spin_cost(&ms);    /* the spinlock slow path per operation: the same */
		if (cr->draw >= 0 || ng > 1)
			placement_figures(cr, &ms);
		/* Taking turns: the round, and the guests alive and paused around this one's, read back. */
		if (cr->turns && !warmup) {
			hvb_metrics_add(&ms, "turns.round", cr->turns->round, "count", HVB_INFO);
			if (tguests >= 0)
				hvb_metrics_add(&ms, "turns.guests", tguests, "count", HVB_INFO);
			if (tpaused >= 0)
				hvb_metrics_add(&ms, "turns.paused", tpaused, "count", HVB_INFO);
		}
		const char *notes = json_string_value(json_object_get(gc[0].reply, "notes"));
		if ((notes && *notes) || a->probe_notes[0] || antnote[0]) {
			snprintf(notebuf, sizeof(notebuf), "%s%s%s%s%s", antnote,
				 antnote[0] && a->probe_notes[0] ? "; " : "", a->probe_notes,
				 (antnote[0] || a->probe_notes[0]) && notes && *notes ? "; " : "", notes ? notes : "");
			sr.reason = notebuf;
		}
	}
	sr.wall_s = t1 - t0;
	snprintf(sr.status, sizeof(sr.status), "%s", *ok ? "ok" : rc == HVB_ETIMEDOUT ? "timeout" : "failed");
	if (!*ok) {
		sr.reason = err;
		if (!warmup)
			snprintf(cr->last_err, sizeof(cr->last_err), "%s", err);
	}
	if (rc == HVB_EINTR)
		goto out;
	if (!warmup) {
		if (*ok)
			series_add(cr, &ms);
		rs->clk->done++;
		cr->timed++;
	} else {
		/* Warm-ups are kept, flagged, and never enter the statistics: their time
		 * counts in the harness-overhead figure. */
		if (*ok)
			snprintf(sr.status, sizeof(sr.status), "warmup");
		else
			hvb_log(HVB_LOG_WARN, "cell %d warm-up: %s", c->idx, err);
		sr.rep = -1 - rep;
	}
	if (hvb_store_sample_add(rs->s, &sr, &ms) < 0)
		rc = HVB_EDB;
	else if (!warmup && a->host_probes && a->artifact_dir[0])
		record_artifacts(rs, cr->row.id, sr.id, a->artifact_dir, sr.started);
	/* The draw and every guest's placement as applied and read back, with the sample. */
	if (rc != HVB_EDB && !warmup && cr->pj && (cr->draw >= 0 || ng > 1))
		hvb_store_artifact_add(rs->s, rs->run_id, cr->row.id, sr.id, "placement.json", "application/json",
				       cr->pj, strlen(cr->pj));
	for (g = 0; g < ng; g++)
		if (gc[g].reply) {
			char prefix[16] = "";
			if (ng > 1)
				snprintf(prefix, sizeof(prefix), "guest%d.", g);
			keep_outputs(rs, cr->row.id, c->idx, rc == HVB_EDB || warmup ? 0 : sr.id, gc[g].reply, prefix);
		}
	progress(rs, c, rep, rs->ex->repetitions, warmup, *ok ? "sample" : "fail", *ok ? NULL : err);
out:
	for (g = 0; g < ng; g++) {
		free(gc[g].req);
		json_decref(gc[g].reply);
		hvb_metrics_free(&per[g]);
	}
	hvb_metrics_free(&ms);
	return rc;
}

static void agents_stop(struct cell_run *cr, int force)
{
	for (int g = 0; cr->a && g < cr->ng; g++)
		agent_stop(&cr->a[g], force);
}

/* The plans of every guest for draw d (-1: the cell's one placement); 0, or
 * HVB_ESKIP or another code with cr->why. */
static int plan_draw(struct cell_run *cr, int d)
{
	const struct run_state *rs = cr->rs;
	struct hvb_cpuset taken = { { 0 } };
	int kind = hvb_placement_kind_parse(cr->c->placement), rc;

	for (int g = 0; g < cr->ng; g++)
		if ((rc = hvb_placement_plan_guest(cr->topo, (enum hvb_placement_kind)kind, cr->c->vcpus,
						   hvb_draw_seed(rs->ex->seed, cr->c->key, d < 0 ? 0 : d, g), g, &taken,
						   &cr->plan[g], cr->why, sizeof(cr->why))) < 0) {
			if (cr->ng > 1) {
				char why[sizeof(cr->why)];
				snprintf(why, sizeof(why), "guest %d of %d: %.900s", g, cr->ng, cr->why);
				snprintf(cr->why, sizeof(cr->why), "%s", why);
			}
			return rc;
		}
	cr->draw = d;
	return 0;
}

/* The ends of a cell: 1 (finished) so that callers can return them. A cell
 * ends in one of these statuses, with its reason:
 *   done        every repetition it owes is stored and ok
 *   partial     every repetition is stored, some failed (each with its reason)
 *   failed      not one repetition ok
 *   skipped     it cannot run on this host
 *   interrupted stopped before every repetition was stored: --resume finishes it */
static int cell_skip(struct cell_run *cr)
{
	clock_settle(cr);
	hvb_store_cell_update(cr->rs->s, cr->row.id, "skipped", cr->why, cr->pj);
	progress(cr->rs, cr->c, 0, 0, 0, "skip", cr->why);
	return 1;
}

/* After the last sample, or interrupted (rc HVB_EINTR or HVB_EDB, returned). */
static int cell_stop(struct cell_run *cr, int rc)
{
	struct run_state *rs = cr->rs;
	const char *status;

	clock_settle(cr);
	agents_stop(cr, rc == HVB_EINTR);
	if (rc == HVB_EINTR || rc == HVB_EDB) {
		hvb_store_cell_update(rs->s, cr->row.id, "interrupted",
				      rc == HVB_EINTR ? "interrupted before every repetition was stored"
						      : "the result store failed before every repetition was stored", NULL);
		return rc;
	}
	status = !cr->nfail && cr->nok >= target_reps(cr) ? "done" : cr->nok ? "partial" : "failed";
	if (strcmp(status, "done")) {
		rs->ntrouble++;
		if (!cr->stop_why[0])
			snprintf(cr->stop_why, sizeof(cr->stop_why), "%d of %d repetitions failed%s%s", cr->nfail,
				 cr->nok + cr->nfail, cr->last_err[0] ? ", the last: " : "", cr->last_err);
	}
	if (cr->boot_note[0]) { /* said even of a done cell: the guest did not always come up */
		size_t n = strlen(cr->stop_why);
		snprintf(cr->stop_why + n, sizeof(cr->stop_why) - n, "%s%s", n ? "; " : "", cr->boot_note);
	}
	hvb_store_cell_update(rs->s, cr->row.id, status, cr->stop_why[0] ? cr->stop_why : NULL, NULL);
	progress(rs, cr->c, cr->rep, rs->ex->repetitions, 0, "cell-done",
		 strcmp(status, "done") ? status : cr->stop_why);
	return 1;
}

/* The cell cannot go on: every repetition it owes and has not stored is stored
 * failed with why, so that nothing planned goes missing without a word. */
static int cell_give_up(struct cell_run *cr, const char *why)
{
	char reason[sizeof(cr->stop_why)];

	snprintf(reason, sizeof(reason), "%s", why);
	for (; cr->rep < target_reps(cr); cr->rep++) {
		struct hvb_sample_row sr = { .cell_id = cr->row.id, .rep = cr->rep, .started = wall_now(),
					     .reason = reason };
		if (hvb_store_sample_done(cr->rs->s, cr->row.id, cr->rep) > 0) {
			cr->nok++; /* --resume: measured before */
			continue;
		}
		snprintf(sr.status, sizeof(sr.status), "failed");
		if (hvb_store_sample_add(cr->rs->s, &sr, NULL) < 0)
			return cell_stop(cr, HVB_EDB);
		cr->nfail++;
	}
	snprintf(cr->stop_why, sizeof(cr->stop_why), "%s", reason);
	progress(cr->rs, cr->c, 0, 0, 0, "fail", reason);
	return cell_stop(cr, 0);
}

/* --resume: whether a cell finished before. A "done" cell is checked for every
 * repetition (an earlier hvbench could call a cell done with one missing). */
static int finished_before(struct cell_run *cr)
{
	char status[32];

	if (hvb_store_cell_status(cr->rs->s, cr->row.id, status, sizeof(status)) < 0)
		return 0;
	if (!strcmp(status, "skipped"))
		return 1;
	if (strcmp(status, "done"))
		return 0;
	for (int r = 0; r < cr->rs->ex->repetitions; r++)
		if (hvb_store_sample_done(cr->rs->s, cr->row.id, r) <= 0)
			return 0;
	return 1;
}

/* The cell's row, and what decides whether it runs at all: 0 to run, 1 when
 * it is finished already (done before a --resume, skipped, failed), < 0 on error. */
static int cell_begin(struct cell_run *cr, struct run_state *rs, const struct hvb_cell *c)
{
	const struct hvb_backend_ops *be = hvb_backend_find(c->backend);
	int rc, kind = hvb_placement_kind_parse(c->placement);
	struct hvb_cell_row *row = &cr->row;
	size_t bi = 0;
	char *params;

	memset(cr, 0, sizeof(*cr));
	cr->rs = rs;
	cr->c = c;
	cr->ng = c->guests > 1 ? c->guests : 1;
	cr->draw = -1;
	if (!(cr->plan = calloc((size_t)cr->ng, sizeof(*cr->plan))) || !(cr->a = calloc((size_t)cr->ng, sizeof(*cr->a))))
		return HVB_ENOMEM;
	*row = (struct hvb_cell_row){ .run_id = rs->run_id, .idx = c->idx, .vcpus = c->vcpus, .memory = c->memory };
	snprintf(row->key, sizeof(row->key), "%s", c->key);
	snprintf(row->backend, sizeof(row->backend), "%s", c->backend);
	snprintf(row->mode, sizeof(row->mode), "%s", c->mode);
	snprintf(row->placement, sizeof(row->placement), "%s", c->placement);
	snprintf(row->workload, sizeof(row->workload), "%s", c->wl->name);
	snprintf(row->section, sizeof(row->section), "%s", c->section);
	row->params_json = params = hvb_cell_params_json(c);
	rc = hvb_store_cell_put(rs->s, row);
	free(params);
	row->params_json = NULL;
	if (rc < 0)
		return rc;
	if (rs->o->resume_run > 0 && finished_before(cr)) {
		clock_settle(cr);
		return 1;
	}
	while (hvb_backends[bi] && hvb_backends[bi] != be)
		bi++;
	/* Skipped with a reason: never a silent fallback. */
	if (!be->supported(c->mode, cr->why, sizeof(cr->why)))
		return cell_skip(cr);
	if (c->antagonists && !be->antagonists_start) {
		snprintf(cr->why, sizeof(cr->why), "antagonists = %d: the %s backend cannot start antagonists yet (an "
			 "antagonist domain pinned to the cell's pCPUs); natively they are CPU hogs", c->antagonists,
			 be->name);
		return cell_skip(cr);
	}
	if (!rs->topo[bi] && !(rs->topo[bi] = be->topology())) {
		snprintf(cr->why, sizeof(cr->why), "%s: cannot read the topology", be->name);
		return cell_give_up(cr, cr->why);
	}
	if (kind < 0) {
		snprintf(cr->why, sizeof(cr->why), "unknown placement '%s'", c->placement);
		return cell_give_up(cr, cr->why);
	}
	cr->topo = rs->topo[bi];
	if ((rc = plan_draw(cr, hvb_cell_draw(rs->ex, c, 0))) < 0)
		return rc == HVB_ESKIP ? cell_skip(cr) : cell_give_up(cr, cr->why);
	return 0;
}

/* Starts every guest of the cell on its plan; cr->pj becomes the cell's
 * placement as applied and read back: the first guest's, with the draw and,
 * for several guests, each guest's under "guests". */
static int guests_start(struct cell_run *cr)
{
	json_t *all = cr->ng > 1 ? json_array() : NULL, *top = NULL;
	int rc = 0;

	for (int g = 0; g < cr->ng && rc == 0; g++) {
		char *pj = NULL;
		rc = agent_start(cr->rs, cr->c, &cr->plan[g], g, cr->ng, &cr->a[g], cr->row.id, &pj, cr->why,
				 sizeof(cr->why));
		json_t *o = pj ? json_loads(pj, 0, NULL) : NULL;
		free(pj);
		if (rc < 0 && cr->ng > 1) {
			char why[sizeof(cr->why)];
			snprintf(why, sizeof(why), "guest %d of %d: %.900s", g, cr->ng, cr->why);
			snprintf(cr->why, sizeof(cr->why), "%s", why);
		}
		if (!o)
			continue;
		if (all)
			json_array_append(all, o);
		if (!top)
			top = json_deep_copy(o);
		json_decref(o);
	}
	if (top) {
		if (cr->draw >= 0)
			json_object_set_new(top, "draw", json_integer(cr->draw));
		if (all)
			json_object_set(top, "guests", all);
		cr->pj = json_dumps(top, JSON_COMPACT);
		json_decref(top);
	}
	json_decref(all);
	return rc;
}

/* The agent of a cell with its warm-ups: 0 ready, 1 when the cell is finished
 * (skipped or failed), 2 when a warm-up failed and the agent is to start afresh
 * at the next turn (no repetition is spent on it), < 0 interrupted. */
static int cell_agent(struct cell_run *cr)
{
	struct run_state *rs = cr->rs;
	int rc, ok;

	free(cr->pj);
	cr->pj = NULL;
	rc = guests_start(cr);
	if (cr->pj)
		hvb_store_cell_update(rs->s, cr->row.id, "running", NULL, cr->pj);
	if (rc < 0) {
		agents_stop(cr, 1);
		/* A guest that died before its agent answered (a crash, a triple fault) is
		 * built again, up to boot_attempts boots: nothing was measured in it. A
		 * boot that timed out is not tried again: it would take as long. */
		if (rc == HVB_ECHILD && ++cr->boots < rs->ex->boot_attempts) {
			hvb_log(HVB_LOG_WARN, "cell %d: boot %d of at most %d failed, starting again: %s", cr->c->idx,
				cr->boots, rs->ex->boot_attempts, cr->why);
			snprintf(cr->boot_note, sizeof(cr->boot_note), "%d boot%s failed before the agent answered, the last: %.900s",
				 cr->boots, cr->boots > 1 ? "s" : "", cr->why);
			return 2;
		}
		if (rc == HVB_ECHILD && cr->boots > 1) {
			char why[sizeof(cr->why)];
			snprintf(why, sizeof(why), "%d boots failed, the last: %.900s", cr->boots, cr->why);
			snprintf(cr->why, sizeof(cr->why), "%s", why);
		}
		return rc == HVB_EINTR ? cell_stop(cr, rc) : rc == HVB_ESKIP ? cell_skip(cr) : cell_give_up(cr, cr->why);
	}
	/* Once per cell: a warm-up that fails is not tried again, and takes no repetition's place. */
	for (int w = 0; w < rs->ex->warmup && !cr->warmed; w++)
		if ((rc = one_sample(cr, w, 1, &ok)) == HVB_ETIMEDOUT || rc == HVB_ECHILD || rc == HVB_EPROTO ||
		    rc == HVB_ESKIP || rc == HVB_EINTR || rc == HVB_EDB)
			break;
	cr->warmed = 1;
	if (rc == HVB_EINTR || rc == HVB_EDB)
		return cell_stop(cr, rc);
	if (rc == HVB_ESKIP) {
		agents_stop(cr, 0);
		return cell_skip(cr);
	}
	if (rc == HVB_ETIMEDOUT || rc == HVB_ECHILD || rc == HVB_EPROTO) {
		agents_stop(cr, 1);
		return 2;
	}
	return 0;
}

/* One turn of a cell: its agent (re)started when needed, then one repetition.
 * 0 to go on, 1 when the cell is finished, < 0 (HVB_EINTR, HVB_EDB) to stop the run. */
static int cell_turn(struct cell_run *cr)
{
	int rc, ok;

	if (hvb_run_interrupted())
		return cell_stop(cr, HVB_EINTR);
	if (enough(cr, cr->stop_why, sizeof(cr->stop_why)))
		return cell_stop(cr, 0);
	/* A cell that keeps failing stops, and says so for each sample it did not try. */
	if (cr->nfail >= 3 && !cr->nok) {
		char why[sizeof(cr->stop_why)];
		snprintf(why, sizeof(why), "stopped after %d failed samples in a row, the last: %s", cr->nfail,
			 cr->last_err);
		return cell_give_up(cr, why);
	}
	if (hvb_store_sample_done(cr->rs->s, cr->row.id, cr->rep) > 0) {
		cr->nok++; /* --resume: measured before */
		cr->rep++;
		return 0;
	}
	/* placement = random: a repetition of another draw runs on guests placed afresh. */
	int d = hvb_cell_draw(cr->rs->ex, cr->c, cr->rep);
	if (d >= 0 && d != cr->draw) {
		agents_stop(cr, 0);
		if ((rc = plan_draw(cr, d)) < 0)
			return rc == HVB_ESKIP ? cell_skip(cr) : cell_give_up(cr, cr->why);
	}
	if (!cr->a[0].g && (rc = cell_agent(cr)) != 0)
		return rc == 2 ? 0 : rc;
	rc = one_sample(cr, cr->rep, 0, &ok);
	if (rc == HVB_EINTR || rc == HVB_EDB)
		return cell_stop(cr, rc);
	if (rc == HVB_ESKIP) {
		agents_stop(cr, 0);
		return cell_skip(cr);
	}
	cr->nok += ok;
	cr->nfail += !ok;
	if (rc == HVB_ETIMEDOUT || rc == HVB_ECHILD || rc == HVB_EPROTO)
		agents_stop(cr, 1); /* killed with their children; the next sample starts afresh */
	cr->rep++;
	return 0;
}

static void cell_free(struct cell_run *cr)
{
	free(cr->pj);
	cr->pj = NULL;
	free(cr->plan);
	free(cr->a);
	cr->plan = NULL;
	cr->a = NULL;
	series_clear(cr);
}

/* The versions of the programs the workloads run (fio, iperf3), asked once
 * per run of those installed here: {"fio": "fio-3.33"}. */
static json_t *program_versions(void)
{
	json_t *o = json_object();
	char v[256];

	for (size_t i = 0; hvb_workloads[i]; i++)
		if (hvb_workloads[i]->program) {
			hvb_program_version(hvb_workloads[i]->program, v, sizeof(v));
			if (*v)
				json_object_set_new(o, hvb_workloads[i]->program, json_string(v));
		}
	return o;
}

static int run_begin(struct run_state *rs, struct hvb_store *s, struct hvb_experiment *ex, const char *label,
		     const struct hvb_run_opts *o, struct run_clock *clk)
{
	int rc;

	*rs = (struct run_state){ .s = s, .ex = ex, .o = o, .clk = clk };
	if (o->resume_run > 0) {
		rs->run_id = o->resume_run;
		if ((rc = hvb_store_run_status(s, rs->run_id, "running")) < 0)
			return rc;
	} else {
		struct hvb_topo *t = hvb_topo_native();
		char *facts = hvb_host_facts_json(t);
		json_t *f = facts ? json_loads(facts, 0, NULL) : NULL;
		hvb_topo_free(t);
		if (f) {
			char *nf;
			if (ex->agent) /* which build measured: part of the run's facts */
				json_object_set_new(f, "agent", json_string(ex->agent));
			json_object_set_new(f, "programs", program_versions());
			if ((nf = json_dumps(f, JSON_COMPACT))) {
				free(facts);
				facts = nf;
			}
			json_decref(f);
			/* The engine's job, the shard and the host class: how merged stores tell runs apart. */
			if ((nf = hvb_fingerprint_facts(facts, ex->shard_index, ex->shard_count))) {
				free(facts);
				facts = nf;
			}
		}
		rc = hvb_store_run_begin(s, label, ex->name, ex->path, ex->text, facts ? facts : "{}", o->lab,
					 &rs->run_id);
		free(facts);
		if (rc < 0)
			return rc;
	}
	/* tracefs instances left by a killed run are removed before new ones appear. */
	for (size_t i = 0; i < ex->nprobes; i++)
		if (!strcmp(ex->probes[i], "tracefs"))
			hvb_tracefs_cleanup_stale();
	/* Guests of killed runs would skew this one: destroyed first, and said so. */
	for (size_t b = 0; hvb_backends[b]; b++) {
		int used = 0;
		char report[2048], why[256];
		for (size_t i = 0; i < ex->ncells; i++)
			used |= !strcmp(ex->cells[i].backend, hvb_backends[b]->name);
		if (used && hvb_backends[b]->cleanup && hvb_backends[b]->supported(NULL, why, sizeof(why)) &&
		    hvb_backends[b]->cleanup(0, report, sizeof(report)) > 0)
			hvb_log(HVB_LOG_WARN, "%s: leftovers of earlier runs:\n%s", hvb_backends[b]->name, report);
	}
	clk->total += ex->ncells * (size_t)(ex->repetitions ? ex->repetitions : ex->min_repetitions);
	return 0;
}

/* A run is "done" when every cell that was not skipped stored every repetition
 * ok, "incomplete" when some did not (the cells say why), "interrupted" or
 * "failed" (the runner could not go on). */
static void run_end(struct run_state *rs, int rc)
{
	for (size_t i = 0; i < 8; i++)
		hvb_topo_free(rs->topo[i]);
	hvb_store_run_status(rs->s, rs->run_id, rc == HVB_EINTR ? "interrupted" : rc < 0 ? "failed"
						: rs->ntrouble ? "incomplete" : "done");
}

/* Pauses (on = 1) or lets run (0) every live guest of a cell. A guest that
 * cannot be paused keeps running idle: said in the run's warnings, and seen in
 * the samples' turns.paused. */
static void cell_pause(struct turns *t, struct cell_run *cr, int on)
{
	for (int g = 0; cr->a && g < cr->ng; g++) {
		struct agent *a = &cr->a[g];
		char why[512];
		if (!a->g || !a->be->pause || a->paused == on)
			continue;
		t->pauses++;
		if (a->be->pause(a->g, on, why, sizeof(why)) < 0) {
			t->pause_failures++;
			hvb_log(HVB_LOG_WARN, "cell %d%s: %s", cr->c->idx, cr->ng > 1 ? ", a guest" : "", why);
		} else
			a->paused = on;
	}
}

/* Every cell's guests are started (and warmed up) before the first round, each
 * paused once it is up, so that they live together through every round; a
 * cell whose guest does not come up ends with its reason (or, for a boot that
 * died, tries again at its turn), the others go on. < 0 (Ctrl-C) stops the run. */
static int turns_boot(struct turns *t, unsigned char *live, size_t *nlive)
{
	for (size_t i = 0; i < t->n; i++) {
		struct cell_run *cr = &t->cr[i];
		int rc;
		if (!live[i])
			continue;
		if (hvb_run_interrupted())
			return HVB_EINTR;
		if ((rc = cell_agent(cr)) < 0) {
			live[i] = 0; /* closed itself */
			--*nlive;
			return rc;
		}
		if (rc == 1) {
			live[i] = 0;
			--*nlive;
		} else
			cell_pause(t, cr, 1);
	}
	return 0;
}

/* Every cell of every run takes turns, one repetition each, until all are
 * finished, so that a drift of the machine's speed reaches them alike: rounds of
 * one turn per live cell, in an order drawn each round (hvb_turns_shuffle; a
 * cell finished before the first round keeps its place in the draw, so that
 * the order is the plan's). Only the cell whose turn it is runs: the others'
 * guests are paused. log (turns.json) gets each round's order. */
static int take_turns(struct cell_run *cr, size_t n, uint64_t seed, size_t nruns, json_t *log)
{
	unsigned char *live = calloc(n ? n : 1, 1);
	size_t *order = calloc(n ? n : 1, sizeof(*order)), *group = calloc(n ? n : 1, sizeof(*group)), nlive = 0;
	struct turns t = { .cr = cr, .n = n, .active = n };
	json_t *rounds = json_array();
	int rc = 0;

	if (!live || !order || !group) {
		free(live);
		free(order);
		free(group);
		return HVB_ENOMEM;
	}
	char sd[24];
	snprintf(sd, sizeof(sd), "%llu", (unsigned long long)seed); /* all 64 bits, as the plan shows it */
	json_object_set_new(log, "seed", json_string(sd));
	json_object_set_new(log, "rounds", rounds);
	for (size_t i = 0; i < n; i++) {
		nlive += live[i] = !cr[i].finished;
		order[i] = i;
		group[i] = cr[i].group;
		cr[i].turns = &t;
	}
	rc = turns_boot(&t, live, &nlive);
	while (nlive && rc == 0) {
		json_t *taken = json_array();
		hvb_turns_shuffle(order, group, n, &seed);
		t.round++;
		for (size_t k = 0; k < n && rc == 0; k++) {
			size_t i = order[k];
			if (!live[i])
				continue;
			/* the guests that ran last pause, this cell's run */
			if (t.active < n && t.active != i)
				cell_pause(&t, &cr[t.active], 1);
			cell_pause(&t, &cr[i], 0);
			t.active = i;
			int r = cell_turn(&cr[i]);
			if (r == 0) /* a repetition taken (a closing turn takes none) */
				json_array_append_new(taken, nruns > 1 ? json_pack("[I, i]", (json_int_t)cr[i].rs->run_id,
										   cr[i].c->idx)
								       : json_integer(cr[i].c->idx));
			if (r < 0)
				rc = r;
			if (r != 0) { /* a cell that stopped the run has closed itself */
				live[i] = 0;
				nlive--;
				t.active = n;
			}
		}
		if (json_array_size(taken))
			json_array_append(rounds, taken);
		json_decref(taken);
	}
	/* Interrupted: the cells not finished keep what they measured; their guests are destroyed. */
	for (size_t i = 0; i < n && rc < 0; i++)
		if (live[i])
			cell_stop(&cr[i], rc);
	json_object_set_new(log, "pauses", json_integer((json_int_t)t.pauses));
	json_object_set_new(log, "pause_failures", json_integer((json_int_t)t.pause_failures));
	for (size_t i = 0; i < n; i++)
		cr[i].turns = NULL;
	free(live);
	free(order);
	free(group);
	return rc;
}

int hvb_run_many(struct hvb_store *s, struct hvb_experiment *const *ex, const char *const *labels, size_t nruns,
		 const struct hvb_run_opts *o, int64_t *run_ids)
{
	struct run_clock clk = { 0 };
	struct run_state *rs = calloc(nruns ? nruns : 1, sizeof(*rs));
	struct cell_run *cr = NULL;
	size_t ncr = 0, total = 0, started = 0;
	int rc = 0, interleave = nruns > 1;

	if (!rs)
		return HVB_ENOMEM;
	hvb_log_capture_begin(); /* the run's warnings are stored with it */
	for (size_t r = 0; r < nruns; r++) {
		total += ex[r]->ncells;
		interleave |= ex[r]->interleave;
	}
	for (size_t r = 0; r < nruns && rc == 0; r++)
		if ((rc = run_begin(&rs[r], s, ex[r], labels ? labels[r] : o->label, o, &clk)) == 0) {
			run_ids[r] = rs[r].run_id;
			rs[r].label = nruns > 1 ? (labels && labels[r] ? labels[r] : ex[r]->name) : NULL;
			started++;
		}
	if (rc == 0 && !(cr = calloc(total ? total : 1, sizeof(*cr))))
		rc = HVB_ENOMEM;
	/* Sequential: each cell to its end before the next. Interleaved: cell 0 of
	 * every run, cell 1 of every run, ..., then turns over those that run. */
	for (size_t i = 0, more = 1; rc == 0 && more; i++) {
		more = 0;
		for (size_t r = 0; r < nruns && rc == 0; r++) {
			if (i >= ex[r]->ncells)
				continue;
			more = 1;
			struct cell_run *c = &cr[ncr];
			int b = cell_begin(c, &rs[r], &ex[r]->cells[i]);
			if (b < 0) {
				rc = b;
				cell_free(c);
			}
			else if (b == 1 && interleave) {
				/* finished: it keeps its place in the turns' draw, which is the plan's */
				cell_free(c);
				c->group = nruns > 1 ? i : 0;
				c->finished = 1;
				ncr++;
			}
			else if (b == 1)
				cell_free(c);
			else if (interleave) {
				/* Several runs: the same cell of each is compared; one run: all its cells. */
				c->group = nruns > 1 ? i : 0;
				ncr++;
			}
			else {
				while ((b = cell_turn(c)) == 0)
					;
				rc = b < 0 ? b : 0;
				cell_free(c);
			}
		}
	}
	json_t *log = interleave ? json_object() : NULL;
	if (rc == 0 && interleave) {
		char sd[24];
		snprintf(sd, sizeof(sd), "%llu", (unsigned long long)ex[0]->seed);
		json_object_set_new(log, "experiment_seed", json_string(sd));
		rc = take_turns(cr, ncr, hvb_turns_seed(labels, o->label, nruns, ex[0]->seed), nruns, log);
	}
	for (size_t i = 0; i < ncr; i++)
		cell_free(&cr[i]);
	free(cr);
	char *warnings = hvb_log_capture_end();
	for (size_t r = 0; r < started; r++) {
		/* Runs measured together share their warnings: each line names its cell. */
		if (warnings)
			hvb_store_artifact_add(s, rs[r].run_id, 0, 0, "warnings.log", "text/plain", warnings,
					       strlen(warnings));
		/* The turns' seed and each round's order: how the run took them, to take them again. */
		char *turns = log && json_object_size(log) > 1 ? json_dumps(log, JSON_COMPACT) : NULL;
		if (turns)
			hvb_store_artifact_add(s, rs[r].run_id, 0, 0, "turns.json", "application/json", turns,
					       strlen(turns));
		free(turns);
		run_end(&rs[r], rc);
		if (rc == 0 && rs[r].ntrouble)
			rc = 1;
	}
	free(warnings);
	json_decref(log);
	free(rs);
	return rc;
}

int hvb_run(struct hvb_store *s, struct hvb_experiment *ex, const struct hvb_run_opts *o, int64_t *run_id)
{
	return hvb_run_many(s, &ex, NULL, 1, o, run_id);
}
