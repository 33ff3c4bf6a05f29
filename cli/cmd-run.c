/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench run: expand an experiment file and run it into the result store. */
#include "config.h"
#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "analysis/analysis.h"
#include "bench/bench.h"
#include "cli/cli.h"
#include "hv/hv.h"

static void on_signal(int sig) { hvb_run_interrupt(); }

static void fmt_time(double s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "?");
	else if (s < 3600)
		snprintf(buf, len, "%d:%02d", (int)s / 60, (int)s % 60);
	else
		snprintf(buf, len, "%dh%02d", (int)s / 3600, (int)s % 3600 / 60);
}

struct prog {
	int tty, width;
	size_t last_cell;
};

static void on_progress(const struct hvb_progress *p, void *arg)
{
	struct prog *pg = arg;
	char eta[32], reps[32], lab[200], key[600], sec[200], det[2048];
	/* Labels, keys, sections and agents' messages are anyone's text: escaped for the terminal. */
	const char *label = p->label ? hvb_esc_buf(p->label, HVB_ESC_TEXT, lab, sizeof(lab)) : NULL;
	const char *detail = p->detail ? hvb_esc_buf(p->detail, HVB_ESC_TEXT, det, sizeof(det)) : NULL;

	/* -q: only what went wrong (skips and failures), on plain lines */
	if (hvb_cli_quiet && (!strcmp(p->event, "sample") || !strcmp(p->event, "cell-done")))
		return;
	hvb_esc_buf(p->c->key, HVB_ESC_TEXT, key, sizeof(key));
	hvb_esc_buf(p->c->section, HVB_ESC_TEXT, sec, sizeof(sec));

	fmt_time(p->eta_s, eta, sizeof(eta));
	if (p->nreps)
		snprintf(reps, sizeof(reps), "%d/%d", p->rep, p->nreps);
	else
		snprintf(reps, sizeof(reps), "%d/auto", p->rep);
	if (pg->tty) {
		if (!strcmp(p->event, "sample") || !strcmp(p->event, "fail"))
			fprintf(stderr, "\r\033[K[%s%scell %zu/%zu] %s:%s %s %s vcpus=%d %s%s %s  ETA %s",
				label ? label : "", label ? " " : "", p->cell, p->ncells, p->c->backend,
				p->c->mode, sec, p->c->placement, p->c->vcpus,
				p->warmup ? "warm-up " : "rep ", reps, !strcmp(p->event, "fail") ? "FAILED" : "",
				eta);
		if (!strcmp(p->event, "skip") || (!strcmp(p->event, "fail") && p->detail))
			fprintf(stderr, "\r\033[K[cell %zu/%zu] %s: %s\n", p->cell, p->ncells,
				!strcmp(p->event, "skip") ? "skipped" : "failed", detail ? detail : "");
		if (!strcmp(p->event, "cell-done") && p->cell == p->ncells)
			fprintf(stderr, "\r\033[K");
		return;
	}
	/* Not a terminal: plain lines, one per event worth a line. */
	if (!strcmp(p->event, "skip") || !strcmp(p->event, "fail"))
		fprintf(stderr, "hvbench: %s%scell %zu/%zu %s %s: %s\n", label ? label : "", label ? " " : "",
			p->cell, p->ncells, key, !strcmp(p->event, "skip") ? "skipped" : "failed", detail ? detail : "");
	else if (!strcmp(p->event, "cell-done"))
		fprintf(stderr, "hvbench: %s%scell %zu/%zu finished (%d repetitions)%s%s, ETA %s\n", label ? label : "",
			label ? " " : "", p->cell, p->ncells, p->rep - 1, detail && *detail ? ": " : "",
			detail ? detail : "", eta);
}

/* order = interleaved: the rounds' order the run will take (hvb_turns_rounds
 * from the seed the runner uses), and the memory check's lines. */
static void print_turns(const struct hvb_experiment *ex, const char *label, int alone, const char *memory)
{
	uint64_t seed = hvb_turns_seed(NULL, label, 1, ex->seed);
	int nrounds = ex->repetitions ? ex->repetitions : ex->min_repetitions, shown = nrounds < 20 ? nrounds : 20;
	size_t *order = calloc((size_t)shown * (ex->ncells ? ex->ncells : 1), sizeof(*order));
	char line[4096], lab[200];

	snprintf(line, sizeof(line), "order = interleaved: the %zu cells take turns, one sample each per round, in an "
		 "order drawn each round; every cell's guests are started first and live together, paused but for the "
		 "turn of their cell", ex->ncells);
	hvb_text_wrap(stdout, line, 0, 4, hvb_cli_width());
	if (alone && order) {
		snprintf(line, sizeof(line), "turns seed %llu (from seed = %llu%s%s%s); the cells by their index:",
			 (unsigned long long)seed, (unsigned long long)ex->seed, label ? " and the label '" : "",
			 label ? hvb_esc_buf(label, HVB_ESC_TEXT, lab, sizeof(lab)) : "", label ? "'" : "");
		hvb_text_wrap(stdout, line, 4, 6, hvb_cli_width());
		hvb_turns_rounds(ex->ncells, seed, shown, order);
		for (int r = 0; r < shown; r++) {
			size_t off = (size_t)snprintf(line, sizeof(line), "round %d:", r + 1);
			for (size_t k = 0; k < ex->ncells && off < sizeof(line); k++)
				off += (size_t)snprintf(line + off, sizeof(line) - off, " %d", ex->cells[order[r * ex->ncells + k]].idx);
			hvb_text_wrap(stdout, line, 4, 6, hvb_cli_width());
		}
		if (shown < nrounds || !ex->repetitions) {
			snprintf(line, sizeof(line), "%s rounds, each drawn anew (a cell that finished is passed over)",
				 ex->repetitions ? "and further" : "and, with repetitions = auto, as many further");
			hvb_text_wrap(stdout, line, 4, 6, hvb_cli_width());
		}
	} else if (!alone)
		hvb_text_wrap(stdout, "with the cells of the other runs: the same cell of each run side by side", 4, 6,
			      hvb_cli_width());
	free(order);
	for (const char *m = memory; m && *m;) {
		size_t n = strcspn(m, "\n");
		snprintf(line, sizeof(line), "memory: %.*s", (int)n, m);
		hvb_text_wrap(stdout, line, 4, 6, hvb_cli_width());
		m += n + (m[n] == '\n');
	}
}

/* The estimate leaves out the cells that will be skipped, and takes a sample's
 * time measured before (same cell key, in the store db if there is one). */
static void print_plan(const struct hvb_experiment *ex, struct hvb_store *db, const char *label, int alone,
		       const char *turns)
{
	struct hvb_topo *t = hvb_topo_native();
	char est[32], name[400];
	double total = 0;
	size_t nskip = 0, nmeasured = 0;

	hvb_esc_buf(ex->name, HVB_ESC_TEXT, name, sizeof(name));
	printf("experiment %s: %zu cells, %d warm-up samples per cell, %.3gs per sample, timeout %.3gs\n", name,
	       ex->ncells, ex->warmup, ex->duration_s, ex->timeout_s);
	if (ex->shard_count)
		printf("shard %d/%d: %zu of the matrix's %zu cells (each shown with its index in the matrix)\n",
		       ex->shard_index, ex->shard_count, ex->ncells, ex->matrix_cells);
	if (ex->repetitions)
		printf("repetitions: %d\n", ex->repetitions);
	else
		printf("repetitions: auto, %d to %d, until the median's CI is within %.1f%%\n", ex->min_repetitions,
		       ex->max_repetitions, ex->ci_target * 100);
	for (size_t i = 0; i < ex->ncells; i++) {
		const struct hvb_cell *c = &ex->cells[i];
		const struct hvb_backend_ops *be = hvb_backend_find(c->backend);
		struct hvb_placement pl;
		char why[512] = "";
		int kind = hvb_placement_kind_parse(c->placement);

		char line[1200];
		double sample_s = -1;
		int skip = 0;
		snprintf(line, sizeof(line), "[%d] %s", c->idx, c->key);
		hvb_text_wrap(stdout, line, 0, 4, hvb_cli_width());
		int ng = c->guests > 1 ? c->guests : 1, native = !strcmp(c->backend, "native") && t;
		struct hvb_cpuset taken = { { 0 } };
		skip = !be->supported(c->mode, why, sizeof(why));
		/* each guest's plan, as the runner makes it: the first draw of random */
		for (int g = 0; g < ng && !skip && native; g++) {
			skip = hvb_placement_plan_guest(t, (enum hvb_placement_kind)kind, c->vcpus,
							hvb_draw_seed(ex->seed, c->key, 0, g), g, &taken, &pl, why,
							sizeof(why)) < 0;
			if (!skip && ng > 1)
				snprintf(line, sizeof(line), "guest %d: %s", g, pl.desc);
			else if (!skip)
				snprintf(line, sizeof(line), "%s", pl.desc);
			if (!skip)
				hvb_text_wrap(stdout, line, 4, 6, hvb_cli_width());
		}
		if (skip) {
			snprintf(line, sizeof(line), "will be skipped: %s", why);
			hvb_text_wrap(stdout, line, 4, 6, hvb_cli_width());
		} else if (hvb_cell_draw(ex, c, 0) >= 0) {
			int nd = ex->random_draws ? ex->random_draws : ex->repetitions;
			snprintf(line, sizeof(line), "the first of %d%s draws, each applied, read back and stored with its "
				 "samples", nd, ex->repetitions ? "" : " or more");
			hvb_text_wrap(stdout, line, 4, 6, hvb_cli_width());
		}
		nskip += (size_t)skip;
		if (skip)
			continue;
		if (db && hvb_store_sample_time(db, c->key, &sample_s) == 0 && sample_s >= 0)
			nmeasured++;
		total += hvb_cell_estimate(ex, c, sample_s);
	}
	if (ex->interleave)
		print_turns(ex, label, alone, turns);
	fmt_time(total, est, sizeof(est));
	printf("estimated duration: %s%s", ex->repetitions ? "" : "at least ", est);
	if (nskip)
		printf("; %zu skipped cell%s left out", nskip, nskip == 1 ? "" : "s");
	if (nmeasured)
		printf("; %zu cell%s at the sample time measured before in %s", nmeasured, nmeasured == 1 ? "" : "s",
		       hvb_store_path(db));
	putchar('\n');
	hvb_topo_free(t);
}

#define MAX_RUNS 16

#ifdef HAVE_GSL
/* After runs measured side by side, hyperfine's closing line per cell and the
 * workload's primary metric (its first judged one): "B is 1.03 ± 0.02 × A", the
 * ratio of medians and half its 95% bootstrap interval, from compare's statistics. */
static void ratio_lines(struct hvb_store *s, int64_t a, int64_t b, const char *la, const char *lb)
{
	struct hvb_judge_opts o;
	struct hvb_report r;
	int first = 1;

	hvb_judge_opts_default(&o);
	if (hvb_compare_build(s, a, b, &o, &r) < 0)
		return;
	for (size_t k = 0; k < r.nsec; k++)
		for (size_t i = 0; i < r.sec[k].n; i++) {
			const struct hvb_cmp *c = &r.sec[k].cmps[i];
			const struct hvb_workload_ops *wl = hvb_workload_find(c->a->row.workload);
			const struct hvb_metric_doc *d = wl ? wl->metrics : NULL;
			while (d && d->name && d->better == HVB_INFO)
				d++;
			for (size_t j = 0; d && d->name && j < c->nm; j++) {
				const struct hvb_metric_cmp *m = &c->m[j];
				char line[1400];
				if (!hvb_metric_doc_matches(d->name, m->name) || !isfinite(m->ratio))
					continue;
				if (first) {
					snprintf(line, sizeof(line), "%s against %s: ratio of medians ± half its 95%% CI", lb, la);
					putchar('\n');
					hvb_text_wrap(stdout, line, 0, 2, hvb_cli_width());
				}
				first = 0;
				snprintf(line, sizeof(line), "%s %s: %s is %.2f ± %.2f × %s (%s is better)", c->title, m->name,
					 lb, m->ratio, isfinite(m->ci.lo) ? (m->ci.hi - m->ci.lo) / 2 : NAN, la,
					 m->better == HVB_LOWER ? "lower" : "higher");
				hvb_text_wrap(stdout, line, 2, 6, hvb_cli_width());
			}
		}
	hvb_report_free(&r);
}
#endif

/* --agent: another build measures the workloads; only a native agent is ours to choose. */
static int agent_check(struct hvb_experiment *ex, const char *agent)
{
	for (size_t i = 0; i < ex->ncells; i++)
		if (strcmp(ex->cells[i].backend, "native")) {
			fprintf(stderr, "hvbench run: --agent %s: %s has %s cells; a Xen guest runs the agent of its image "
				"(build it with hvbench image build --agent)\n", agent, ex->path, ex->cells[i].backend);
			return HVB_EINVAL;
		}
	ex->agent = agent;
	return 0;
}

/* Several configs take turns: every cell's guest stays alive, which only some backends allow. */
static int apart_check(const struct hvb_experiment *ex)
{
	const struct hvb_cell *c = hvb_experiment_apart(ex);

	if (!c)
		return 0;
	fprintf(stderr, "hvbench run: %s: several configs take turns, which keeps every cell's guest alive at once; "
		"the %s backend cannot (cell %s): run it on its own\n", ex->path, c->backend, c->key);
	return HVB_EINVAL;
}

/* 1 when the run's stored host facts name this host (or name none); else says why. */
static int same_host(const char *host_json, const char *run)
{
	json_t *h = host_json ? json_loads(host_json, 0, NULL) : NULL;
	const char *was = json_string_value(json_object_get(h, "hostname"));
	char here[256] = "";
	int same;

	gethostname(here, sizeof(here) - 1);
	same = !was || !strcmp(was, here);
	if (!same)
		fprintf(stderr, "hvbench run: --resume %s: the run was measured on host '%s', this is '%s': resume it "
			"there (its samples would mix two machines)\n", run, was, here);
	json_decref(h);
	return same;
}

/* --resume RUN: the stored text, not today's file, so that it finishes the same plan. */
static int load_resume(struct hvb_store *s, const char *resume, struct hvb_run_opts *o, struct hvb_experiment *ex)
{
	struct hvb_run_info ri;
	int rc;

	if ((rc = hvb_store_run_resolve(s, resume, &o->resume_run)) < 0 ||
	    (rc = hvb_store_run_get(s, o->resume_run, &ri)) < 0) {
		if (rc == HVB_ENOENT)
			fprintf(stderr, "hvbench: no run '%s' in %s\n", resume, hvb_store_path(s));
		return rc;
	}
	/* Its samples so far were measured on the host its facts name: another host's
	 * samples would mix two machines in one run (an imported run, a copied store). */
	if (!same_host(ri.host_json, resume)) {
		hvb_run_info_free(&ri);
		return HVB_EINVAL;
	}
	/* Held from here to the end of the run: a second --resume of it is refused. */
	if ((rc = hvb_store_run_claim(s, o->resume_run)) < 0) {
		hvb_run_info_free(&ri);
		return rc;
	}
	rc = hvb_experiment_load_text(ri.config_path ? ri.config_path : "stored config", ri.config_text, ex);
	/* A shard finishes its own cells, not the whole matrix. */
	if (rc == 0 && ri.shard_count)
		rc = hvb_experiment_shard(ex, ri.shard_index, ri.shard_count);
	o->lab = ri.lab;
	hvb_run_info_free(&ri);
	return rc;
}

int hvb_cli_run_plans(struct hvb_store *s, const char *db, struct hvb_experiment *exs, size_t nex,
		      const char *const *labels, size_t nlabels, struct hvb_run_opts *o, int dry)
{
	struct hvb_experiment *ex[MAX_RUNS];
	struct prog pg = { .tty = isatty(2) && !hvb_cli_quiet };
	int64_t run_ids[MAX_RUNS] = { 0 };
	char *turns[MAX_RUNS] = { 0 };
	int rc = 0;

	for (size_t i = 0; i < nex; i++)
		if (exs[i].shard_count && !exs[i].ncells) {
			char name[400];
			printf("shard %d/%d of %s: no cells (the matrix has %zu, fewer than %d shards)%s\n", exs[i].shard_index,
			       exs[i].shard_count, hvb_esc_buf(exs[i].name, HVB_ESC_TEXT, name, sizeof(name)),
			       exs[i].matrix_cells, exs[i].shard_count, dry ? "" : ": its run is recorded, with no cells");
		}
	/* Cells that take turns keep their guests alive together: checked before anything is built or stored. */
	for (size_t i = 0; i < nex && rc == 0; i++)
		if (exs[i].interleave && (turns[i] = calloc(1, 8192)) &&
		    (rc = hvb_turns_check(&exs[i], turns[i], 8192)) < 0)
			fprintf(stderr, "hvbench run: %s\n", turns[i]);
	if (rc < 0) {
		for (size_t i = 0; i < nex; i++)
			free(turns[i]);
		hvb_store_close(s);
		return HVB_EXIT_USAGE;
	}
	if (dry) {
		/* Only read, and only a store that is there: a dry run writes nothing. */
		const char *path = hvb_cli_db(db);
		struct hvb_store *known = access(path, R_OK) == 0 ? hvb_store_open(path, 1) : NULL;
		for (size_t i = 0; i < nex; i++)
			print_plan(&exs[i], known, nlabels == 1 ? labels[0] : NULL, nex == 1, turns[i]);
		hvb_store_close(known);
		if (nex > 1)
			printf("the %zu runs take turns, one sample per cell each\n", nex);
		for (size_t i = 0; i < nex; i++)
			free(turns[i]);
		return HVB_EXIT_OK;
	}
	for (size_t i = 0; i < nex; i++)
		free(turns[i]);
	if (!s && !(s = hvb_store_open(hvb_cli_db(db), 0)))
		return HVB_EXIT_FAIL;
	for (size_t i = 0; i < nex; i++)
		ex[i] = &exs[i];
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART: waits wake up */
	struct sigaction hup;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed terminal or a dropped ssh session ends the run as Ctrl-C does
	 * (kept and marked interrupted); under nohup it is ignored and stays so. */
	if (sigaction(SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	o->label = nlabels == 1 ? labels[0] : NULL;
	o->progress = on_progress;
	o->progress_arg = &pg;
	o->enough = hvb_adaptive_enough;
	rc = hvb_run_many(s, ex, nex > 1 && nlabels ? labels : NULL, nex, o, run_ids);
	for (size_t i = 0; i < nex; i++)
		if (run_ids[i] > 0) {
			char name[400];
			printf("run %lld (%s) in %s: %s\n", (long long)run_ids[i],
			       hvb_esc_buf(exs[i].name, HVB_ESC_TEXT, name, sizeof(name)), hvb_store_path(s),
			       rc == 0 ? "done" : rc == 1 ? "incomplete (the cells below did not produce every sample)"
			       : rc == HVB_EINTR ? "interrupted; finish it with --resume" : hvb_strerror(rc));
			hvb_cli_print_summary(s, run_ids[i], stdout);
		}
#ifdef HAVE_GSL
	for (size_t i = 1; i < nex && rc != HVB_EINTR; i++)
		if (run_ids[0] > 0 && run_ids[i] > 0) {
			char a[160], b[160];
			if (nlabels) {
				snprintf(a, sizeof(a), "%s", labels[0]);
				snprintf(b, sizeof(b), "%s", labels[i]);
			} else {
				snprintf(a, sizeof(a), "run %lld", (long long)run_ids[0]);
				snprintf(b, sizeof(b), "run %lld", (long long)run_ids[i]);
			}
			ratio_lines(s, run_ids[0], run_ids[i], a, b);
		}
#endif
	hvb_store_close(s);
	/* 0 only when every cell not skipped produced its samples. */
	return rc == 0 ? HVB_EXIT_OK : rc == HVB_EINTR ? HVB_EXIT_INTERRUPTED : HVB_EXIT_FAIL;
}

HVB_COMMAND(run)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' }, { "db", required_argument, NULL, 'd' },
		{ "label", required_argument, NULL, 'l' }, { "resume", required_argument, NULL, 'r' },
		{ "lab", no_argument, NULL, 'L' }, { "agent", required_argument, NULL, 'a' },
		{ "set", required_argument, NULL, 's' }, { "help", no_argument, NULL, 'h' },
		{ "shard", required_argument, NULL, 'S' }, { 0 },
	};
	int shard_k = 0, shard_n = 0;
	const char *db = NULL, *labels[MAX_RUNS], *agents[MAX_RUNS], *resume = NULL;
	int dry = 0, lab = 0, c, rc = 0;
	size_t nlabels = 0, nagents = 0, nex = 0;
	struct hvb_experiment exs[MAX_RUNS] = { 0 };
	char *sets[64];
	size_t nsets = 0, nstdin = 0;
	struct hvb_store *s = NULL;
	struct hvb_run_opts o = { 0 };
	char why[256];

	while ((c = hvb_cli_getopt("run", argc, argv, "nd:l:r:a:s:h", longopts, "las")) != -1)
		switch (c) {
		case 'n': dry = 1; break;
		case 'd': db = optarg; break;
		case 'l':
			if (nlabels == MAX_RUNS)
				return hvb_cli_usage("run");
			if (hvb_cli_label_check("run", optarg))
				return HVB_EXIT_USAGE;
			labels[nlabels++] = optarg;
			break;
		case 'a':
			if (nagents == MAX_RUNS)
				return hvb_cli_usage("run");
			if (access(optarg, X_OK) < 0) {
				fprintf(stderr, "hvbench run: --agent %s: %s (expected another build's hvbench binary)\n",
					optarg, strerror(errno));
				return HVB_EXIT_USAGE;
			}
			agents[nagents++] = optarg;
			break;
		case 's':
			if (nsets == sizeof(sets) / sizeof(sets[0]))
				return hvb_cli_usage("run");
			sets[nsets++] = optarg;
			break;
		case 'r': resume = optarg; break;
		case 'L': lab = 1; break;
		case 'S':
			if (hvb_shard_parse(optarg, &shard_k, &shard_n, why, sizeof(why)) < 0) {
				char arg[200];
				fprintf(stderr, "hvbench run: --shard '%s': %s\n", hvb_esc_buf(optarg, HVB_ESC_TEXT, arg, sizeof(arg)),
					why);
				return HVB_EXIT_USAGE;
			}
			break;
		default: return hvb_cli_usage("run");
		}
	size_t nconf = (size_t)(argc - optind);
	if ((!nconf && !resume) || (resume && nconf) || nconf > MAX_RUNS)
		return hvb_cli_usage("run");
	if (nconf > 1 && nlabels && nlabels != nconf) {
		fprintf(stderr, "hvbench run: %zu configs and %zu labels: give one --label per config, in order, or none\n",
			nconf, nlabels);
		return HVB_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++)
		nstdin += !strcmp(argv[i], "-");
	if (nstdin > 1 || (resume && nsets) || (resume && shard_n)) {
		fprintf(stderr, "hvbench run: %s\n", nstdin > 1 ? "'-' (standard input) can be read once"
			: nsets ? "--set changes a config: a resumed run finishes its stored one"
			: "--shard: a resumed run finishes its own shard, stored with it");
		return HVB_EXIT_USAGE;
	}
	if (nconf <= 1 && nlabels > 1) {
		fprintf(stderr, "hvbench run: one run takes one --label\n");
		return HVB_EXIT_USAGE;
	}
	/* A label names its newest run: of two runs measured side by side under one
	 * label, the older could never be named by it again. */
	for (size_t i = 0; i < nlabels; i++)
		for (size_t j = i + 1; j < nlabels; j++)
			if (!strcmp(labels[i], labels[j])) {
				char arg[200];
				fprintf(stderr, "hvbench run: --label '%s' is given to runs %zu and %zu: each run needs its "
					"own label, or compare and gate could name only one of them\n",
					hvb_esc_buf(labels[i], HVB_ESC_TEXT, arg, sizeof(arg)), i + 1, j + 1);
				return HVB_EXIT_USAGE;
			}
	if (nagents && (resume || nagents != (nconf ? nconf : 1))) {
		fprintf(stderr, "hvbench run: %zu configs and %zu agents: give one --agent per config, in order, or none%s\n",
			nconf, nagents, resume ? " (a resumed run keeps its own)" : "");
		return HVB_EXIT_USAGE;
	}
	const char *named = getenv("HVBENCH_HOST_CLASS");
	if (named && *named && !resume && hvb_host_class_name_check(named, why, sizeof(why)) < 0) {
		char arg[200];
		fprintf(stderr, "hvbench run: HVBENCH_HOST_CLASS '%s': %s\n",
			hvb_esc_buf(named, HVB_ESC_TEXT, arg, sizeof(arg)), why);
		return HVB_EXIT_USAGE;
	}
	if (resume) {
		if (!(s = hvb_store_open(hvb_cli_db(db), 0)))
			return HVB_EXIT_FAIL;
		if ((rc = load_resume(s, resume, &o, &exs[0])) < 0) {
			hvb_store_close(s);
			/* A live run refused: nothing was written (1 would read as an incomplete run). */
			return rc == HVB_EINVAL || rc == HVB_ENOENT || rc == HVB_EBUSY ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
		}
		nex = 1;
		lab = o.lab;
	} else {
		for (; nex < nconf; nex++)
			if (hvb_experiment_load_set(argv[optind + (int)nex], sets, nsets, &exs[nex]) < 0 ||
			    (shard_n && hvb_experiment_shard(&exs[nex], shard_k, shard_n) < 0) ||
			    (nagents && agent_check(&exs[nex], agents[nex]) < 0) ||
			    (nconf > 1 && apart_check(&exs[nex]) < 0)) {
				rc = HVB_EXIT_USAGE; /* nothing was written anywhere */
				nex++; /* freed whole or in part: safe to free again, zeroed */
				goto out;
			}
		if (dry) {
			rc = hvb_cli_run_plans(NULL, db, exs, nex, labels, nlabels, &o, 1);
			goto out;
		}
	}
	o.lab = lab;
	rc = hvb_cli_run_plans(s, db, exs, nex, labels, nlabels, &o, 0);
	s = NULL; /* closed */
out:
	for (size_t i = 0; i < nex; i++)
		hvb_experiment_free(&exs[i]);
	if (s)
		hvb_store_close(s);
	return rc;
}
