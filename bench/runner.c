/* The runner: walks the plan cell by cell, starts the backend's agent with the
 * cell's placement, verifies it, and stores each sample as soon as it is
 * measured. A hung agent is killed and the run goes on; Ctrl-C ends the run
 * with status "interrupted" and everything measured kept. */
#include "config.h"
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
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

/* Per-metric values of the current cell, for repetitions = auto. */
struct series {
	char name[96];
	double *v;
	size_t n;
};

struct run_state {
	struct hvb_store *s;
	struct hvb_experiment *ex;
	const struct hvb_run_opts *o;
	int64_t run_id;
	struct hvb_topo *topo[8]; /* per backend index */
	size_t samples_done, samples_total;
	double sample_time;      /* total seconds spent on samples so far */
	struct series *ser;
	size_t nser;
};

/* A live agent: the backend's guest and the channel to it. */
struct agent {
	const struct hvb_backend_ops *be;
	struct hvb_guest *g;
	struct hvb_agent_conn conn;
	struct hvb_probe_set *host_probes;
	char probe_notes[1024];
	char artifact_dir[4096]; /* where probes leave files (trace captures) */
};

static void progress(struct run_state *rs, size_t cell, int rep, int nreps, int warmup, const char *event,
		     const char *detail)
{
	struct hvb_progress p = { .cell = cell + 1, .ncells = rs->ex->ncells, .rep = rep + 1, .nreps = nreps,
				  .warmup = warmup, .c = &rs->ex->cells[cell], .event = event, .detail = detail,
				  .eta_s = -1 };

	if (rs->samples_done && rs->samples_total >= rs->samples_done)
		p.eta_s = rs->sample_time / (double)rs->samples_done * (double)(rs->samples_total - rs->samples_done);
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
		/* A polite quit first, so the agent can clean up its workload's leftovers. */
		if (hvb_agent_call(&a->conn, "{\"v\":1,\"op\":\"quit\"}", 2.0, &reply, err, sizeof(err)) == 0)
			json_decref(reply);
	}
	if (a->g)
		a->be->stop(a->g, force);
	a->g = NULL;
	hvb_agent_conn_free(&a->conn);
}

/* Probe files go beside the database: DBDIR/hvbench-artifacts/run-R/cell-C. */
static void artifact_dir(const struct run_state *rs, const struct hvb_cell *c, char *buf, size_t len)
{
	const char *db = hvb_store_path(rs->s), *slash = strrchr(db, '/');

	snprintf(buf, len, "%.*s%shvbench-artifacts/run-%lld/cell-%d", slash ? (int)(slash - db) : 0, db,
		 slash ? "/" : "", (long long)rs->run_id, c->idx);
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

/* Checks what the agent says of its own affinity and memory policy against the
 * plan: the placement is verified, not assumed. */
static int verify(const struct hvb_placement *plan, json_t *hello, char *why, size_t len)
{
	struct hvb_placement_seen seen = { 0 };
	const char *cpus = "", *pol = "", *nodes = "";

	json_unpack(hello, "{s?s, s?s, s?s}", "cpus", &cpus, "mempolicy", &pol, "mem_nodes", &nodes);
	if (hvb_cpuset_parse(cpus, &seen.cpus) < 0) {
		snprintf(why, len, "the agent reported no readable CPU set ('%s')", cpus);
		return 0;
	}
	seen.mempolicy = !strcmp(pol, "bind") ? HVB_MEM_BIND : !strcmp(pol, "interleave") ? HVB_MEM_INTERLEAVE
											 : HVB_MEM_DEFAULT;
	if (seen.mempolicy != HVB_MEM_DEFAULT) {
		struct hvb_cpuset ns;
		if (hvb_cpuset_parse(nodes, &ns) == 0)
			seen.mem_nodes = ns.bits[0];
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

static int agent_start(struct run_state *rs, const struct hvb_cell *c, const struct hvb_placement *plan,
		       struct agent *a, int64_t row_id, char **placement_json, char *why, size_t len)
{
	char name[64], err[512], console[512] = "", *rb = NULL, *pj;
	void *reply = NULL;
	json_t *hello, *wls, *w, *pl;
	size_t i;
	int rfd, wfd, rc;
	struct hvb_guest_spec spec = { .mode = c->mode, .vcpus = c->vcpus, .memory = c->memory,
				       .placement = plan, .name = name, .boot_timeout_s = rs->ex->boot_timeout_s,
				       .need_disk = !!(c->wl->flags & HVB_WL_NEEDS_DISK),
				       .need_peer = !!(c->wl->flags & HVB_WL_NEEDS_PEER),
				       .console_path = console, .console_path_len = sizeof(console) };

	snprintf(name, sizeof(name), "hvbench-%lld-%d", (long long)rs->run_id, c->idx);
	memset(a, 0, sizeof(*a));
	a->be = hvb_backend_find(c->backend);
	if ((rc = a->be->start(&spec, &a->g, why, len)) < 0) {
		attach_console(rs, row_id, console[0] ? console : NULL); /* why a guest never came up */
		return rc;
	}
	a->be->channel(a->g, &rfd, &wfd);
	hvb_agent_conn_init(&a->conn, rfd, wfd);
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
	if ((pj = hvb_placement_json(plan)))
		json_object_set_new(pl, "plan", json_loads(pj, 0, NULL));
	free(pj);
	json_object_set(pl, "agent", hello);
	if (a->be->readback && a->be->readback(a->g, &rb) == 0 && rb) {
		json_t *r = json_loads(rb, 0, NULL);
		if (r)
			json_object_set_new(pl, "readback", r);
		free(rb);
	}
	*placement_json = json_dumps(pl, JSON_COMPACT);
	json_decref(pl);
	/* In a guest the agent sees vCPUs: the backend checks the plan from outside. */
	if (a->be->verify ? (rc = a->be->verify(a->g, plan, err, sizeof(err))) <= 0 : !verify(plan, hello, err, sizeof(err))) {
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
	artifact_dir(rs, c, a->artifact_dir, sizeof(a->artifact_dir));
	struct hvb_probe_target t = { .pid = a->be->pid(a->g), .domid = a->be->domid ? a->be->domid(a->g) : -1,
				      .guest_name = a->be->domid ? name : NULL, .artifact_dir = a->artifact_dir };
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

static void series_add(struct run_state *rs, const struct hvb_metrics *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		struct series *se = NULL;
		/* Only the workload's own judged figures decide when a cell has enough. */
		if (ms->m[i].better == HVB_INFO || hvb_probe_owns_metric(ms->m[i].name))
			continue;
		for (size_t k = 0; k < rs->nser; k++)
			if (!strcmp(rs->ser[k].name, ms->m[i].name))
				se = &rs->ser[k];
		if (!se) {
			struct series *ns = realloc(rs->ser, (rs->nser + 1) * sizeof(*ns));
			if (!ns)
				return;
			rs->ser = ns;
			se = &rs->ser[rs->nser++];
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

static void series_clear(struct run_state *rs)
{
	for (size_t k = 0; k < rs->nser; k++)
		free(rs->ser[k].v);
	free(rs->ser);
	rs->ser = NULL;
	rs->nser = 0;
}

/* repetitions = auto: stop when every judged metric's median is known to the
 * target, or at the cap. */
static int enough(struct run_state *rs, int tried, int done, char *why, size_t len)
{
	const struct hvb_experiment *ex = rs->ex;

	if (ex->repetitions)
		return tried >= ex->repetitions;
	if (tried >= ex->max_repetitions) {
		snprintf(why, len, "stopped at the cap of %d repetitions", ex->max_repetitions);
		return 1;
	}
	if (done < ex->min_repetitions || !rs->o->enough || !rs->nser)
		return 0;
	for (size_t k = 0; k < rs->nser; k++) {
		char w[256];
		if (!rs->o->enough(rs->ser[k].v, rs->ser[k].n, ex->ci_target, w, sizeof(w)))
			return 0;
	}
	snprintf(why, len, "every metric's median CI within %.1f%% after %d repetitions", ex->ci_target * 100, done);
	return 1;
}

/* One request: a warm-up (not stored) or a sample (stored at once). */
static int one_sample(struct run_state *rs, struct hvb_cell_row *row, const struct hvb_cell *c, struct agent *a,
		      int rep, int warmup, int *ok, char *why_skip, size_t why_len)
{
	uint64_t seed = hvb_sample_seed(rs->ex->seed, c->key, warmup ? -1 - rep : rep);
	char *req = request_json(rs, c, a, seed), err[1024] = "", notebuf[2200];
	struct hvb_metrics ms = { 0 };
	struct hvb_sample_row sr = { .cell_id = row->id, .rep = rep, .seed = seed, .started = wall_now() };
	void *reply = NULL;
	double t0, t1;
	int rc;

	hvb_probe_set_start(a->host_probes);
	t0 = hvb_now();
	rc = req ? hvb_agent_call(&a->conn, req, rs->ex->timeout_s, &reply, err, sizeof(err)) : HVB_ENOMEM;
	t1 = hvb_now();
	hvb_probe_set_stop(a->host_probes);
	free(req);
	rs->sample_time += t1 - t0;
	*ok = 0;
	if (rc == 0) {
		json_t *r = reply;
		const char *e = json_string_value(json_object_get(r, "error"));
		if (json_is_true(json_object_get(r, "skip"))) {
			/* The workload cannot run here: the cell is skipped, not failed. */
			snprintf(why_skip, why_len, "%s", e ? e : "the workload cannot run here");
			json_decref(r);
			return HVB_ESKIP;
		}
		if (!json_is_true(json_object_get(r, "ok")))
			snprintf(err, sizeof(err), "%s", e ? e : "the agent said no, without a reason");
		else if (hvb_metrics_from_json(json_object_get(r, "metrics"), &ms, err, sizeof(err)) == 0) {
			*ok = 1;
			sr.workload_s = json_real_value(json_object_get(r, "workload_s"));
			hvb_probe_set_collect(a->host_probes, &ms);
			const char *notes = json_string_value(json_object_get(r, "notes"));
			if ((notes && *notes) || a->probe_notes[0]) {
				snprintf(notebuf, sizeof(notebuf), "%s%s%s", a->probe_notes,
					 a->probe_notes[0] && notes && *notes ? "; " : "", notes ? notes : "");
				sr.reason = notebuf;
			}
		}
		json_decref(r);
	}
	sr.wall_s = t1 - t0;
	snprintf(sr.status, sizeof(sr.status), "%s", *ok ? "ok" : rc == HVB_ETIMEDOUT ? "timeout" : "failed");
	if (!*ok)
		sr.reason = err;
	if (rc == HVB_EINTR) {
		hvb_metrics_free(&ms);
		return rc;
	}
	if (!warmup) {
		if (*ok)
			series_add(rs, &ms);
		rs->samples_done++;
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
		record_artifacts(rs, row->id, sr.id, a->artifact_dir, sr.started);
	hvb_metrics_free(&ms);
	progress(rs, (size_t)c->idx, rep, rs->ex->repetitions, warmup, *ok ? "sample" : "fail", *ok ? NULL : err);
	return rc;
}

static int run_cell(struct run_state *rs, const struct hvb_cell *c)
{
	struct hvb_cell_row row = { .run_id = rs->run_id, .idx = c->idx, .vcpus = c->vcpus, .memory = c->memory };
	const struct hvb_backend_ops *be = hvb_backend_find(c->backend);
	struct hvb_placement plan;
	struct agent a = { 0 };
	char why[1024] = "", stop_why[256] = "", *pj = NULL, *params;
	int rc = 0, nok = 0, nfail = 0, rep, ok, kind = hvb_placement_kind_parse(c->placement);
	size_t bi = 0;

	snprintf(row.key, sizeof(row.key), "%s", c->key);
	snprintf(row.backend, sizeof(row.backend), "%s", c->backend);
	snprintf(row.mode, sizeof(row.mode), "%s", c->mode);
	snprintf(row.placement, sizeof(row.placement), "%s", c->placement);
	snprintf(row.workload, sizeof(row.workload), "%s", c->wl->name);
	snprintf(row.section, sizeof(row.section), "%s", c->section);
	row.params_json = params = hvb_params_to_json(&c->params);
	rc = hvb_store_cell_put(rs->s, &row);
	free(params);
	row.params_json = NULL;
	if (rc < 0)
		return rc;
	if (rs->o->resume_run > 0 && hvb_store_cell_status(rs->s, row.id, why, sizeof(why)) == 0 &&
	    (!strcmp(why, "done") || !strcmp(why, "skipped")))
		return 0; /* --resume: finished before */
	why[0] = 0;
	while (hvb_backends[bi] && hvb_backends[bi] != be)
		bi++;
	/* Skipped with a reason: never a silent fallback. */
	if (!be->supported(c->mode, why, sizeof(why)))
		goto skip;
	if (!rs->topo[bi] && !(rs->topo[bi] = be->topology())) {
		snprintf(why, sizeof(why), "%s: cannot read the topology", be->name);
		goto failed;
	}
	if ((rc = hvb_placement_plan(rs->topo[bi], (enum hvb_placement_kind)kind, c->vcpus,
				     hvb_sample_seed(rs->ex->seed, c->key, 0), &plan, why, sizeof(why))) < 0) {
		if (rc == HVB_ESKIP)
			goto skip;
		goto failed;
	}
	for (rep = 0, series_clear(rs);; rep++) {
		if (hvb_run_interrupted()) {
			rc = HVB_EINTR;
			break;
		}
		if (!a.g) {
			free(pj);
			pj = NULL;
			rc = agent_start(rs, c, &plan, &a, row.id, &pj, why, sizeof(why));
			if (pj)
				hvb_store_cell_update(rs->s, row.id, "running", NULL, pj);
			if (rc == HVB_ESKIP) {
				agent_stop(&a, 1);
				goto skip;
			}
			if (rc < 0) {
				agent_stop(&a, 1);
				if (rc == HVB_EINTR)
					break;
				goto failed;
			}
			for (int w = 0; w < rs->ex->warmup && rep == 0 && rc != HVB_EINTR; w++)
				if ((rc = one_sample(rs, &row, c, &a, w, 1, &ok, why, sizeof(why))) == HVB_ETIMEDOUT ||
				    rc == HVB_ECHILD || rc == HVB_ESKIP)
					break;
			if (rc == HVB_EINTR)
				break;
			if (rc == HVB_ESKIP) {
				agent_stop(&a, 0);
				goto skip;
			}
			if (rc == HVB_ETIMEDOUT || rc == HVB_ECHILD) {
				agent_stop(&a, 1);
				continue;
			}
		}
		if (enough(rs, rep, nok, stop_why, sizeof(stop_why)))
			break;
		/* A cell that keeps failing stops, and says so for each sample it did not try. */
		if (nfail >= 3 && !nok) {
			snprintf(stop_why, sizeof(stop_why), "stopped after %d failed samples in a row", nfail);
			for (int r = rep; rs->ex->repetitions && r < rs->ex->repetitions; r++) {
				struct hvb_sample_row sr = { .cell_id = row.id, .rep = r, .started = wall_now(),
							     .reason = stop_why };
				snprintf(sr.status, sizeof(sr.status), "failed");
				hvb_store_sample_add(rs->s, &sr, NULL);
			}
			break;
		}
		if (hvb_store_sample_done(rs->s, row.id, rep) > 0) {
			nok++; /* --resume: measured before */
			continue;
		}
		rc = one_sample(rs, &row, c, &a, rep, 0, &ok, why, sizeof(why));
		if (rc == HVB_EINTR || rc == HVB_EDB)
			break;
		if (rc == HVB_ESKIP) {
			agent_stop(&a, 0);
			goto skip;
		}
		nok += ok;
		nfail += !ok;
		if (rc == HVB_ETIMEDOUT || rc == HVB_ECHILD || rc == HVB_EPROTO)
			agent_stop(&a, 1); /* killed with its children; the next sample starts afresh */
		rc = 0;
	}
	agent_stop(&a, rc == HVB_EINTR);
	free(pj);
	series_clear(rs);
	if (rc == HVB_EINTR || rc == HVB_EDB) {
		hvb_store_cell_update(rs->s, row.id, nok ? "partial" : "planned", "interrupted", NULL);
		return rc;
	}
	snprintf(why, sizeof(why), "%s", stop_why);
	hvb_store_cell_update(rs->s, row.id, nfail == 0 ? "done" : nok ? "partial" : "failed", why[0] ? why : NULL,
			      NULL);
	progress(rs, (size_t)c->idx, rep, rs->ex->repetitions, 0, "cell-done", why);
	return 0;
skip:
	hvb_store_cell_update(rs->s, row.id, "skipped", why, pj);
	free(pj);
	series_clear(rs);
	progress(rs, (size_t)c->idx, 0, 0, 0, "skip", why);
	return 0;
failed:
	hvb_store_cell_update(rs->s, row.id, "failed", why, pj);
	free(pj);
	progress(rs, (size_t)c->idx, 0, 0, 0, "fail", why);
	return 0;
}

int hvb_run(struct hvb_store *s, struct hvb_experiment *ex, const struct hvb_run_opts *o, int64_t *run_id)
{
	struct run_state rs = { .s = s, .ex = ex, .o = o };
	int rc = 0;

	if (o->resume_run > 0) {
		rs.run_id = o->resume_run;
		if ((rc = hvb_store_run_status(s, rs.run_id, "running")) < 0)
			return rc;
	} else {
		struct hvb_topo *t = hvb_topo_native();
		char *facts = hvb_host_facts_json(t);
		hvb_topo_free(t);
		rc = hvb_store_run_begin(s, o->label, ex->name, ex->path, ex->text, facts ? facts : "{}", o->lab,
					 &rs.run_id);
		free(facts);
		if (rc < 0)
			return rc;
	}
	*run_id = rs.run_id;
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
	rs.samples_total = ex->ncells * (size_t)(ex->repetitions ? ex->repetitions : ex->min_repetitions);
	for (size_t i = 0; i < ex->ncells && rc == 0; i++)
		rc = run_cell(&rs, &ex->cells[i]);
	for (size_t i = 0; i < 8; i++)
		hvb_topo_free(rs.topo[i]);
	hvb_store_run_status(s, rs.run_id, rc == 0 ? "done" : rc == HVB_EINTR ? "interrupted" : "failed");
	return rc;
}
