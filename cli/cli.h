/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/: the only code that decides what a person sees, and the only place exit codes are chosen. */
#ifndef HVB_CLI_H
#define HVB_CLI_H

/* Exit codes of every command. */
enum { HVB_EXIT_OK = 0, HVB_EXIT_FAIL = 1, HVB_EXIT_USAGE = 2, HVB_EXIT_INFRA = 3, HVB_EXIT_INTERRUPTED = 130 };

struct hvb_command {
	const char *name;
	const char *summary;
	const char *usage;  /* the argument synopsis */
	const char *help;   /* longer text for "hvbench help NAME" */
	int (*run)(int argc, char **argv);
};

extern const struct hvb_command hvb_commands[];
const struct hvb_command *hvb_command_find(const char *name);
/* 1 for a command that is no user's (the agent, started by the runner): left
 * out of the command list, the man pages and completion, still runnable. */
int hvb_command_internal(const struct hvb_command *c);
/* Prints "usage: hvbench NAME USAGE" to stderr and returns HVB_EXIT_USAGE. */
int hvb_cli_usage(const char *name);
/* A --label's value: 0, or HVB_EXIT_USAGE after saying why it is refused (one
 * that reads as a run id or 'last', or an empty or blank one: an unset
 * "$CI_COMMIT_SHA" would leave the run unlabelled without a word). */
int hvb_cli_label_check(const char *cmd, const char *label);
/* The --db value, $HVBENCH_DB or ./hvbench.db */
const char *hvb_cli_db(const char *opt);
struct hvb_store;
/* The store at db, read-only; NULL after saying why, with *exit_code 2 when
 * nothing is there (a name that names nothing is bad input), else 1. */
struct hvb_store *hvb_cli_store_open_ro(const char *db, int *exit_code);
/* -q/--quiet given: no progress lines, only warnings and errors. */
extern int hvb_cli_quiet;
/* Exit codes and environment variables, for help, the man pages and the README (cli/man.c). */
struct hvb_cli_doc {
	const char *name, *help;
};
extern const struct hvb_cli_doc hvb_cli_exit_codes[], hvb_cli_environment[];
/* "hvbench help --man PAGE" (roff on stdout), "--man-list", "--complete WHAT": cli/man.c, cli/complete.c. */
int hvb_cli_man(const char *page);
void hvb_cli_man_list(void);
int hvb_cli_complete(int argc, char **argv);
struct hvb_option;
/* The name of an option's type in help ("integer", "size", ...). */
const char *hvb_cli_type_name(const struct hvb_option *o);

#include <stdio.h>
#include <stdint.h>
/* An option's integer, in the one syntax of experiment files (decimal, no leading
 * zeros); else says "hvbench CMD: OPT 'S': expected ..." and returns -1. */
int hvb_cli_parse_int(const char *cmd, const char *opt, const char *s, int64_t min, int64_t max, int64_t *out);
struct option;
/* getopt_long, except that an option with a value given twice is refused: says
 * "hvbench CMD: --OPT given twice" on stderr and returns '?' (the command's
 * usage, exit 2), where getopt would let the last win silently. repeat: the
 * letters of options meant to repeat (run's --label, --set), or NULL. */
int hvb_cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts,
		   const char *repeat);
struct hvb_store;
/* help for workloads, probes, backends, "experiment"; -1 when NAME is none of them. */
int hvb_cli_help_topic(const char *name);
/* The closing table of run and show, then the cells that did not produce every
 * sample with their status and reason; returns how many there are. */
int hvb_cli_print_summary(struct hvb_store *s, int64_t run_id, FILE *out);

/* --json of list, show and topo: one object with "kind" and "schema_version"
 * (as export's), a change of a field's name or meaning making a new version. */
#define HVB_CLI_JSON_SCHEMA 1
#include <jansson.h>
/* A document {"kind": kind, "schema_version": HVB_CLI_JSON_SCHEMA}; a string of
 * anyone's text as valid UTF-8; the document on stdout, freed (exit code). */
json_t *hvb_cli_json_doc(const char *kind);
json_t *hvb_cli_json_str(const char *s);
int hvb_cli_json_print(json_t *doc);
/* show --json: {"cells": [{cell, key, status, reason, metrics: [{name, unit,
 * better, n, median, min, max, cov}]}], samples_ok, samples_failed}; NULL on error. */
json_t *hvb_cli_summary_json(struct hvb_store *s, int64_t run_id);

/* Opens PATH for a command's output: "-" is stdout; otherwise only a new
 * file, an empty one, or one that hvbench wrote (never the store DB, nor
 * anything else: cli/output.c). NULL after saying why on stderr. */
FILE *hvb_cli_output_open(const char *cmd, const char *path, const char *db);
/* The same checks without opening for writing (nothing is created or emptied): a
 * command with several outputs checks them all before it writes any. 0, or -1
 * after saying why. */
int hvb_cli_output_check(const char *cmd, const char *path, const char *db);
/* -1 after saying so when two of paths[0..n) (NULL: not given) name one file
 * ("-" is stdout), by name or through links: what one writes, the other
 * would write over (a JUnit file that is Markdown). opts name the options. */
int hvb_cli_outputs_distinct(const char *cmd, const char *const *opts, const char *const *paths, size_t n);
/* The exit code after a failed open or check: HVB_EXIT_USAGE when the file was
 * refused (nothing written), HVB_EXIT_FAIL for an I/O error. */
int hvb_cli_output_exit(void);
/* Closes (or flushes stdout); -1 after saying why. */
int hvb_cli_output_close(const char *cmd, const char *path, FILE *f);
/* The width text output fits: $COLUMNS, else the terminal's on stdout, else
 * HVB_CLI_WIDTH (piped or redirected), at least 40. */
#define HVB_CLI_WIDTH 100
int hvb_cli_width(void);
int hvb_cli_width_of(FILE *f); /* the same for what f writes to (--output FILE: $COLUMNS or 100) */
/* 1 when a file beginning with head[0..n) is an output of hvbench. */
int hvb_cli_is_own_output(const char *head, size_t n);
/* The comment after the XML declaration of the SVG plots hvbench writes. */
#define HVB_CLI_SVG_MARK "<!-- written by hvbench"
/* A PNG's text chunk after its header: keyword Software, this text. */
#define HVB_CLI_PNG_MARK "written by hvbench"
/* Writes the PNG png[0..len) to f with HVB_CLI_PNG_MARK in a tEXt chunk after
 * IHDR; -1 when png is not a PNG. */
int hvb_cli_png_write(FILE *f, const char *png, size_t len);
/* The first line of the list of files image build --out wrote. */
#define HVB_CLI_IMAGE_MARK "# hvbench image files"

/* run and bench (cli/cmd-run.c): with dry, prints each plan; else runs them into
 * s (NULL: opens db; closed at the end) with progress and the closing summary.
 * Returns the command's exit code. */
struct hvb_experiment;
struct hvb_run_opts;
int hvb_cli_run_plans(struct hvb_store *s, const char *db, struct hvb_experiment *exs, size_t nex,
		      const char *const *labels, size_t nlabels, struct hvb_run_opts *o, int dry);

#define HVB_COMMAND(n) int cmd_##n(int argc, char **argv)
HVB_COMMAND(help);
HVB_COMMAND(run);
HVB_COMMAND(list);
HVB_COMMAND(show);
HVB_COMMAND(topo);
HVB_COMMAND(agent);
HVB_COMMAND(trace);
HVB_COMMAND(cleanup);
HVB_COMMAND(hv);
HVB_COMMAND(report);
HVB_COMMAND(compare);
HVB_COMMAND(gate);
HVB_COMMAND(history);
HVB_COMMAND(bench);
HVB_COMMAND(export);
HVB_COMMAND(merge);


/* Shared by the analysis commands (cli/cmd-report.c). */
struct hvb_report;
int hvb_cli_needs_gsl(const char *cmd);
int hvb_cli_parse_pct(const char *cmd, const char *opt, const char *s, double *out);
int hvb_cli_parse_alpha(const char *cmd, const char *s, double *out);
int hvb_cli_resolve(struct hvb_store *s, const char *cmd, const char *spec, int64_t *id);
/* Writes the report to output (NULL or "-": stdout) by hvb_cli_output_open's rules; db is the store's path. */
int hvb_cli_emit(const char *cmd, const struct hvb_report *r, const char *format, const char *output,
		 const char *db);
#ifdef HAVE_GSL
#include "analysis/analysis.h"
/* The options every analysis command takes, as getopt_long entries and letters. */
#define HVB_CLI_ANALYSIS_OPTIONS                                                                              \
	{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },               \
	{ "db", required_argument, NULL, 'd' }, { "alpha", required_argument, NULL, 'a' },                    \
	{ "across-hosts", no_argument, NULL, 'H' },                                                           \
	{ "heatmap-metric", required_argument, NULL, HVB_CLI_OPT_HEATMAP }
#define HVB_CLI_OPT_HEATMAP 0x100 /* long only: no letter to clash with a command's own */
#define HVB_CLI_ANALYSIS_SHORT "f:o:d:a:H" /* each command adds the letters of its own options */
struct hvb_cli_aopts {
	const char *cmd, *format, *output, *db;
	int format_given; /* --format given: else the format follows --output's extension */
	struct hvb_judge_opts o;
	int64_t *set[2];  /* the runs each spec names (hvb_store_run_set), newest first */
	size_t nset[2];
};
void hvb_cli_aopts_free(struct hvb_cli_aopts *a);
void hvb_cli_aopts_init(struct hvb_cli_aopts *a, const char *cmd);
/* 1 when getopt's c is a shared option (also --ignore-param 'i' and --min-effect
 * 'm', for the commands that list them), applied to a; 0 when it is not one;
 * -1 when its value is bad (said on stderr). */
int hvb_cli_aopt(struct hvb_cli_aopts *a, int c, const char *arg);
/* Checks the format (or takes it from --output's extension: .json, .md, .html,
 * .txt; a --format that contradicts it is an error), opens the store read-only
 * and resolves each spec into ids (two specs must be two runs) and a->set[]
 * (a label: its shards and hosts): HVB_EXIT_OK with *s open, or the exit code
 * after saying why. */
int hvb_cli_open_runs(struct hvb_cli_aopts *a, const char *const *specs, size_t n, struct hvb_store **s,
		      int64_t *ids);
/* 0 when path's extension does not name another format than the one written
 * there (gate's --junit FILE.xml, --markdown FILE.md); else -1, said on stderr. */
int hvb_cli_output_named(const char *cmd, const char *opt, const char *path, const char *format);
#endif
HVB_COMMAND(image);
HVB_COMMAND(lab);
#endif
