/* hvbench run: expand an experiment file and run it into the result store. */
#include "config.h"
#include <getopt.h>
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
	char eta[32], reps[32];

	fmt_time(p->eta_s, eta, sizeof(eta));
	if (p->nreps)
		snprintf(reps, sizeof(reps), "%d/%d", p->rep, p->nreps);
	else
		snprintf(reps, sizeof(reps), "%d/auto", p->rep);
	if (pg->tty) {
		if (!strcmp(p->event, "sample") || !strcmp(p->event, "fail"))
			fprintf(stderr, "\r\033[K[cell %zu/%zu] %s:%s %s %s vcpus=%d %s%s %s  ETA %s", p->cell,
				p->ncells, p->c->backend, p->c->mode, p->c->section, p->c->placement, p->c->vcpus,
				p->warmup ? "warm-up " : "rep ", reps, !strcmp(p->event, "fail") ? "FAILED" : "",
				eta);
		if (!strcmp(p->event, "skip") || (!strcmp(p->event, "fail") && p->detail))
			fprintf(stderr, "\r\033[K[cell %zu/%zu] %s: %s\n", p->cell, p->ncells,
				!strcmp(p->event, "skip") ? "skipped" : "failed", p->detail ? p->detail : "");
		if (!strcmp(p->event, "cell-done") && p->cell == p->ncells)
			fprintf(stderr, "\r\033[K");
		return;
	}
	/* Not a terminal: plain lines, one per event worth a line. */
	if (!strcmp(p->event, "skip") || !strcmp(p->event, "fail"))
		fprintf(stderr, "hvbench: cell %zu/%zu %s %s: %s\n", p->cell, p->ncells, p->c->key,
			!strcmp(p->event, "skip") ? "skipped" : "failed", p->detail ? p->detail : "");
	else if (!strcmp(p->event, "cell-done"))
		fprintf(stderr, "hvbench: cell %zu/%zu done (%d samples)%s%s, ETA %s\n", p->cell, p->ncells, p->rep - 1,
			p->detail && *p->detail ? ": " : "", p->detail ? p->detail : "", eta);
}

static void print_plan(const struct hvb_experiment *ex)
{
	struct hvb_topo *t = hvb_topo_native();
	char est[32];

	printf("experiment %s: %zu cells, %d warm-up samples per cell, %.3gs per sample, timeout %.3gs\n", ex->name,
	       ex->ncells, ex->warmup, ex->duration_s, ex->timeout_s);
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

		printf("[%zu] %s\n", i, c->key);
		if (!be->supported(c->mode, why, sizeof(why)))
			printf("    will be skipped: %s\n", why);
		else if (!strcmp(c->backend, "native") && t &&
			 hvb_placement_plan(t, (enum hvb_placement_kind)kind, c->vcpus,
					    hvb_sample_seed(ex->seed, c->key, 0), &pl, why, sizeof(why)) < 0)
			printf("    will be skipped: %s\n", why);
		else if (!strcmp(c->backend, "native") && t)
			printf("    %s\n", pl.desc);
	}
	fmt_time(hvb_experiment_estimate(ex), est, sizeof(est));
	printf("estimated duration: %s%s\n", ex->repetitions ? "" : "at least ", est);
	hvb_topo_free(t);
}

HVB_COMMAND(run)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' }, { "db", required_argument, NULL, 'd' },
		{ "label", required_argument, NULL, 'l' }, { "resume", required_argument, NULL, 'r' },
		{ "lab", no_argument, NULL, 'L' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char *db = NULL, *label = NULL, *resume = NULL;
	int dry = 0, lab = 0, c, rc;
	struct hvb_experiment ex;
	struct hvb_store *s;
	struct hvb_run_opts o = { 0 };
	struct prog pg = { .tty = isatty(2) };
	int64_t run_id = 0;

	while ((c = getopt_long(argc, argv, "nd:l:r:h", longopts, NULL)) != -1)
		switch (c) {
		case 'n': dry = 1; break;
		case 'd': db = optarg; break;
		case 'l': label = optarg; break;
		case 'r': resume = optarg; break;
		case 'L': lab = 1; break;
		default: return hvb_cli_usage("run");
		}
	if ((optind >= argc && !resume) || argc - optind > 1)
		return hvb_cli_usage("run");
	if (resume) {
		struct hvb_run_info ri;
		if (!(s = hvb_store_open(hvb_cli_db(db), 0)))
			return HVB_EXIT_FAIL;
		if (hvb_store_run_resolve(s, resume, &o.resume_run) < 0 ||
		    hvb_store_run_get(s, o.resume_run, &ri) < 0) {
			fprintf(stderr, "hvbench: no run '%s' in %s\n", resume, hvb_store_path(s));
			hvb_store_close(s);
			return HVB_EXIT_USAGE;
		}
		/* The stored text, not today's file: a resumed run finishes the same plan. */
		rc = hvb_experiment_load_text(ri.config_path ? ri.config_path : "stored config", ri.config_text, &ex);
		lab = ri.lab;
		hvb_run_info_free(&ri);
		if (rc < 0) {
			hvb_store_close(s);
			return HVB_EXIT_USAGE;
		}
	} else {
		if (hvb_experiment_load(argv[optind], &ex) < 0)
			return HVB_EXIT_USAGE; /* nothing was written anywhere */
		if (dry) {
			print_plan(&ex);
			hvb_experiment_free(&ex);
			return HVB_EXIT_OK;
		}
		if (!(s = hvb_store_open(hvb_cli_db(db), 0))) {
			hvb_experiment_free(&ex);
			return HVB_EXIT_FAIL;
		}
	}
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART: waits wake up */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	o.label = label;
	o.lab = lab;
	o.progress = on_progress;
	o.progress_arg = &pg;
	o.enough = hvb_adaptive_enough;
	rc = hvb_run(s, &ex, &o, &run_id);
	if (run_id > 0) {
		printf("run %lld (%s) in %s: %s\n", (long long)run_id, ex.name, hvb_store_path(s),
		       rc == 0 ? "done" : rc == HVB_EINTR ? "interrupted; finish it with --resume" : hvb_strerror(rc));
		hvb_cli_print_summary(s, run_id, stdout);
	}
	hvb_experiment_free(&ex);
	hvb_store_close(s);
	return rc == 0 ? HVB_EXIT_OK : rc == HVB_EINTR ? HVB_EXIT_INTERRUPTED : HVB_EXIT_FAIL;
}
