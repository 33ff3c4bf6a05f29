/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench list and hvbench show: what the result store holds. */
#include "config.h"
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analysis/analysis.h"
#include "cli/cli.h"
#include "results/results.h"

static void fmt_when(double t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	localtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

struct lister {
	struct hvb_store *s;
	struct hvb_table *t; /* text, or */
	json_t *runs;        /* --json */
};

static int list_one(const struct hvb_run_info *r, int ncells, int nsamples, void *arg)
{
	struct lister *l = arg;
	char when[32], who[256], id[32], nc[32], ns[32], note[128];
	/* "running" in the store, and nobody holds it: its process died. */
	int gone = !strcmp(r->status, "running") && hvb_store_run_holder(l->s, r->id, who, sizeof(who)) == 0;

	if (l->runs)
		return json_array_append_new(
			l->runs, json_pack("{s:I, s:o, s:o, s:s, s:o, s:o, s:i, s:i, s:b, s:b}", "id", (json_int_t)r->id,
					   "started", r->started > 0 ? json_real(r->started) : json_null(), "ended",
					   r->ended > 0 ? json_real(r->ended) : json_null(), "status", r->status,
					   "experiment", hvb_cli_json_str(r->experiment), "label", hvb_cli_json_str(r->label),
					   "cells", ncells, "samples", nsamples, "lab", r->lab, "process_gone", gone)) < 0
			       ? HVB_ENOMEM : 0;
	fmt_when(r->started, when, sizeof(when));
	snprintf(id, sizeof(id), "%lld", (long long)r->id);
	snprintf(nc, sizeof(nc), "%d", ncells);
	snprintf(ns, sizeof(ns), "%d", nsamples);
	snprintf(note, sizeof(note), "%s%s", r->lab ? "LAB (not performance) " : "",
		 gone ? "its process is gone: --resume finishes it" : "");
	/* Names and labels are anyone's text: the table escapes them for the terminal. */
	const char *cells[] = { id, when, r->status, r->experiment, r->label, nc, ns, note };
	return hvb_table_row(l->t, cells, 8);
}

/* Parses [--db PATH] [--json] and returns the index of the first operand, or -1. */
static int db_opt(int argc, char **argv, const char **db, int *json)
{
	static const struct option longopts[] = { { "db", required_argument, NULL, 'd' },
						  { "json", no_argument, NULL, 'j' }, { 0 } };
	int c;

	optind = 1;
	while ((c = hvb_cli_getopt(argv[0], argc, argv, "d:j", longopts, NULL)) != -1) {
		if (c == 'j')
			*json = 1;
		else if (c == 'd')
			*db = optarg;
		else
			return -1;
	}
	return optind;
}

HVB_COMMAND(list)
{
	static const char *const head[] = { "run", "started", "status", "experiment", "label", "cells", "samples", "" };
	const char *db = NULL;
	struct hvb_store *s;
	int json = 0, i = db_opt(argc, argv, &db, &json), rc;
	json_t *doc = NULL;

	if (i < 0 || i != argc)
		return hvb_cli_usage("list");
	if (!(s = hvb_cli_store_open_ro(hvb_cli_db(db), &rc)))
		return rc;
	struct lister l = { .s = s };
	if (json) {
		if ((doc = hvb_cli_json_doc("list")) && (l.runs = json_array()))
			json_object_set_new(doc, "runs", l.runs);
	} else if ((l.t = hvb_table_new(8))) {
		hvb_table_right(l.t, 0);
		hvb_table_right(l.t, 5);
		hvb_table_right(l.t, 6);
		hvb_table_row(l.t, head, 8);
	}
	rc = l.t || l.runs ? hvb_store_runs_foreach(s, list_one, &l) : HVB_ENOMEM;
	hvb_table_print(l.t, stdout, 0, hvb_cli_width());
	hvb_table_free(l.t);
	hvb_store_close(s);
	if (rc < 0) {
		json_decref(doc);
		return HVB_EXIT_FAIL;
	}
	return json ? hvb_cli_json_print(doc) : HVB_EXIT_OK;
}

/* One fact, wrapped to the width under its value (a kernel command line is long). */
static void show_fact(const char *k, const char *v, void *arg)
{
	char *line;

	if (!strncmp(k, "topology.", 9) || !(line = malloc(strlen(k) + strlen(v) + 24)))
		return;
	sprintf(line, "%-18s %s", k, v);
	hvb_text_wrap(stdout, line, 2, 2 + 19, *(const int *)arg);
	free(line);
}

HVB_COMMAND(show)
{
	const char *db = NULL;
	struct hvb_store *s;
	struct hvb_run_info r;
	int64_t id;
	int json = 0, i = db_opt(argc, argv, &db, &json), rc;
	char a[32], b[32];

	if (i < 0 || argc - i != 1)
		return hvb_cli_usage("show");
	if (!(s = hvb_cli_store_open_ro(hvb_cli_db(db), &rc)))
		return rc;
	if ((rc = hvb_store_run_resolve(s, argv[i], &id)) < 0 || (rc = hvb_store_run_get(s, id, &r)) < 0) {
		char arg[400];
		if (rc == HVB_ENOENT)
			fprintf(stderr, "hvbench: no run '%s' in %s (see hvbench list)\n",
				hvb_esc_buf(argv[i], HVB_ESC_TEXT, arg, sizeof(arg)), hvb_store_path(s));
		hvb_store_close(s);
		return rc == HVB_ENOENT ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
	}
	if (json) {
		json_t *doc = hvb_cli_json_doc("show"), *sum = hvb_cli_summary_json(s, id);
		json_error_t e;
		json_t *host = json_loads(r.host_json ? r.host_json : "{}", 0, &e);
		json_object_set_new(doc, "run", json_pack("{s:I, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:b, s:o}", "id",
							  (json_int_t)r.id, "experiment", hvb_cli_json_str(r.experiment),
							  "label", hvb_cli_json_str(r.label), "status", r.status, "started",
							  r.started > 0 ? json_real(r.started) : json_null(), "ended",
							  r.ended > 0 ? json_real(r.ended) : json_null(), "hvbench_version",
							  hvb_cli_json_str(r.version), "config", r.config_path ?
							  hvb_cli_json_str(r.config_path) : json_null(), "lab", r.lab,
							  "host", host ? host : json_object()));
		json_t *run = json_object_get(doc, "run");
		json_object_set_new(run, "uuid", hvb_cli_json_str(r.uuid));
		json_object_set_new(run, "host_class", hvb_cli_json_str(r.host_class));
		json_object_set_new(run, "shard", r.shard_count ? json_sprintf("%d/%d", r.shard_index, r.shard_count)
								 : json_null());
		if (sum)
			json_object_update(doc, sum);
		json_decref(sum);
		hvb_run_info_free(&r);
		hvb_store_close(s);
		return sum ? hvb_cli_json_print(doc) : (json_decref(doc), HVB_EXIT_FAIL);
	}
	fmt_when(r.started, a, sizeof(a));
	fmt_when(r.ended, b, sizeof(b));
	char ex[400], label[400], path[4200];
	printf("run %lld: %s, label '%s', %s\n  started %s, ended %s, hvbench %s\n  config %s\n", (long long)r.id,
	       hvb_esc_buf(r.experiment, HVB_ESC_TEXT, ex, sizeof(ex)), hvb_esc_buf(r.label, HVB_ESC_TEXT, label, sizeof(label)),
	       r.status, a, b, r.version, hvb_esc_buf(r.config_path ? r.config_path : "-", HVB_ESC_TEXT, path, sizeof(path)));
	printf("  uuid %s, host class %s%s", r.uuid[0] ? r.uuid : "-", r.host_class, r.shard_count ? ", shard " : "\n");
	if (r.shard_count)
		printf("%d/%d\n", r.shard_index, r.shard_count);
	if (r.lab)
		printf("  LAB RUN: measured under QEMU emulation; these figures are not performance\n");
	/* Every fact, nested ones as cpu_vulnerabilities.meltdown; the topology has
	 * `hvbench topo` and the reports. */
	int width = hvb_cli_width();
	hvb_host_facts(r.host_json, show_fact, &width);
	char *warnings;
	rc = hvb_run_warnings(s, id, &warnings);
	if (warnings) {
		printf("  warnings logged during the run:\n");
		for (char *line = strtok(warnings, "\n"); line; line = strtok(NULL, "\n"))
			hvb_text_wrap(stdout, line, 4, 6, width);
		free(warnings);
	}
	printf("\n");
	if (rc == 0)
		rc = hvb_cli_print_summary(s, id, stdout);
	hvb_run_info_free(&r);
	hvb_store_close(s);
	return rc < 0 ? HVB_EXIT_FAIL : HVB_EXIT_OK;
}
