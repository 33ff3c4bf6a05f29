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

static int list_one(const struct hvb_run_info *r, int ncells, int nsamples, void *arg)
{
	char when[32], ex[400], label[400], who[256];
	/* "running" in the store, and nobody holds it: its process died. */
	int gone = !strcmp(r->status, "running") && hvb_store_run_holder(arg, r->id, who, sizeof(who)) == 0;

	fmt_when(r->started, when, sizeof(when));
	/* Names and labels are anyone's text: escaped for the terminal. */
	printf("%5lld  %-19s  %-12s %-20s %-20s %6d %8d%s%s\n", (long long)r->id, when, r->status,
	       hvb_esc_buf(r->experiment, HVB_ESC_TEXT, ex, sizeof(ex)), hvb_esc_buf(r->label, HVB_ESC_TEXT, label, sizeof(label)),
	       ncells, nsamples, r->lab ? "  LAB (not performance)" : "",
	       gone ? "  (its process is gone: --resume finishes it)" : "");
	return 0;
}

/* Parses [--db PATH] and returns the index of the first operand, or -1. */
static int db_opt(int argc, char **argv, const char **db, const char *cmd)
{
	static const struct option longopts[] = { { "db", required_argument, NULL, 'd' }, { 0 } };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:", longopts, NULL)) != -1) {
		if (c != 'd')
			return -1;
		*db = optarg;
	}
	return optind;
}

HVB_COMMAND(list)
{
	const char *db = NULL;
	struct hvb_store *s;
	int i = db_opt(argc, argv, &db, "list"), rc;

	if (i < 0 || i != argc)
		return hvb_cli_usage("list");
	if (!(s = hvb_cli_store_open_ro(hvb_cli_db(db), &rc)))
		return rc;
	printf("%5s  %-19s  %-12s %-20s %-20s %6s %8s\n", "run", "started", "status", "experiment", "label", "cells",
	       "samples");
	rc = hvb_store_runs_foreach(s, list_one, s);
	hvb_store_close(s);
	return rc < 0 ? HVB_EXIT_FAIL : HVB_EXIT_OK;
}

static void show_fact(const char *k, const char *v, void *arg)
{
	char key[200], val[4200];

	if (strncmp(k, "topology.", 9))
		printf("  %-18s %s\n", hvb_esc_buf(k, HVB_ESC_TEXT, key, sizeof(key)),
		       hvb_esc_buf(v, HVB_ESC_TEXT, val, sizeof(val)));
}

HVB_COMMAND(show)
{
	const char *db = NULL;
	struct hvb_store *s;
	struct hvb_run_info r;
	int64_t id;
	int i = db_opt(argc, argv, &db, "show"), rc;
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
	fmt_when(r.started, a, sizeof(a));
	fmt_when(r.ended, b, sizeof(b));
	char ex[400], label[400], path[4200];
	printf("run %lld: %s, label '%s', %s\n  started %s, ended %s, hvbench %s\n  config %s\n", (long long)r.id,
	       hvb_esc_buf(r.experiment, HVB_ESC_TEXT, ex, sizeof(ex)), hvb_esc_buf(r.label, HVB_ESC_TEXT, label, sizeof(label)),
	       r.status, a, b, r.version, hvb_esc_buf(r.config_path ? r.config_path : "-", HVB_ESC_TEXT, path, sizeof(path)));
	if (r.lab)
		printf("  LAB RUN: measured under QEMU emulation; these figures are not performance\n");
	/* Every fact, nested ones as cpu_vulnerabilities.meltdown; the topology has
	 * `hvbench topo` and the reports. */
	hvb_host_facts(r.host_json, show_fact, NULL);
	char *warnings = hvb_run_warnings(s, id);
	if (warnings) {
		printf("  warnings logged during the run:\n");
		for (char *line = strtok(warnings, "\n"); line; line = strtok(NULL, "\n")) {
			char esc[2400];
			printf("    %s\n", hvb_esc_buf(line, HVB_ESC_TEXT, esc, sizeof(esc)));
		}
		free(warnings);
	}
	printf("\n");
	rc = hvb_cli_print_summary(s, id, stdout);
	hvb_run_info_free(&r);
	hvb_store_close(s);
	return rc < 0 ? HVB_EXIT_FAIL : HVB_EXIT_OK;
}
