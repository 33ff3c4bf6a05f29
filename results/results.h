/* SPDX-License-Identifier: GPL-2.0-or-later */
/* results/: the bottom layer every other folder may include.
 * The SQLite result store, and the base types the store holds: error codes, the
 * one logging function, option tables with their parameter values, and metrics. */
#ifndef HVB_RESULTS_H
#define HVB_RESULTS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- errors: one list, one hvb_strerror() ---- */
enum hvb_err {
	HVB_OK = 0,
	HVB_EINVAL = -1,    /* bad input: config, request, file */
	HVB_ENOMEM = -2,
	HVB_EIO = -3,       /* system call failed */
	HVB_ESKIP = -4,     /* cannot run on this host or build: skipped with a reason */
	HVB_ETIMEDOUT = -5,
	HVB_EPROTO = -6,    /* agent protocol violated */
	HVB_EDB = -7,       /* SQLite error */
	HVB_EINTR = -8,     /* interrupted by the user */
	HVB_ENOENT = -9,    /* no such run, file or object */
	HVB_ECHILD = -10,   /* an external program or the agent failed */
	HVB_ETRUNC = -11,   /* input ends in the middle of a record */
	HVB_EBUSY = -12,    /* in use by another process (a run being measured) */
	HVB_ECONFLICT = -13,/* two stores hold different figures under one natural key */
};
const char *hvb_strerror(int err);

/* ---- logging: the only way library code speaks ---- */
enum hvb_log_level { HVB_LOG_ERROR, HVB_LOG_WARN, HVB_LOG_INFO, HVB_LOG_DEBUG };
/* Escaping for each output format (results/escape.c): every string that did
 * not come from hvbench itself goes through the one of its format. */
enum hvb_esc {
	HVB_ESC_TEXT,    /* a terminal line: control characters and bytes not UTF-8 shown as \xNN, \uNNNN */
	HVB_ESC_LOG,     /* the same, newlines and tabs kept */
	HVB_ESC_MD,      /* Markdown inline text: no links, images, emphasis, HTML or line breaks */
	HVB_ESC_XML,     /* XML 1.0 and HTML text or attribute value */
	HVB_ESC_GNUPLOT, /* inside a single-quoted gnuplot string */
	HVB_ESC_UTF8,    /* valid UTF-8 only (JSON: jansson escapes the rest) */
};
void hvb_esc_write(FILE *out, const char *s, enum hvb_esc kind);
/* Into buf, cut at a whole character or escape; returns buf. */
char *hvb_esc_buf(const char *s, enum hvb_esc kind, char *buf, size_t len);
/* A new string (caller frees), or NULL when out of memory. */
char *hvb_esc_dup(const char *s, enum hvb_esc kind);

typedef void (*hvb_log_sink)(enum hvb_log_level lvl, const char *msg, void *arg);
void hvb_log(enum hvb_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hvb_log_set_sink(hvb_log_sink sink, void *arg);
void hvb_log_set_level(enum hvb_log_level max);
/* The level set (HVB_LOG_INFO by default): passed on to the agent it starts. */
enum hvb_log_level hvb_log_get_level(void);
/* Keeps a copy of every warning and error logged from now on, each line with
 * its UTC time, until hvb_log_capture_end, which returns them (caller frees;
 * NULL when none): a run stores its warnings with it. One capture at a time. */
void hvb_log_capture_begin(void);
char *hvb_log_capture_end(void);
/* Adds text (whole lines) to the capture when one is on, without printing it:
 * what an agent logged, sent back with its reply. */
void hvb_log_capture_add(const char *text);

/* ---- option tables: drive config parsing, validation, help and docs ---- */
enum hvb_opt_type {
	HVB_OPT_INT,      /* integer within [min, max] */
	HVB_OPT_SIZE,     /* bytes, with K M G T suffixes (binary) */
	HVB_OPT_TIME,     /* seconds, with ns us ms s m suffixes; stored as seconds */
	HVB_OPT_FLOAT,
	HVB_OPT_BOOL,     /* on or off, one spelling each (a cell's key holds the text: "yes" would be
			   * another cell); hvb_parse_bool also reads yes/no, true/false, 1/0 */
	HVB_OPT_ENUM,     /* one of choices[] */
	HVB_OPT_STRING,
};
/* A LIST option keeps a comma list as one value inside a cell (memlat sizes);
 * any other option with a comma list expands into the matrix. */
#define HVB_OPT_LIST 0x1u
#define HVB_OPT_AUTO 0x2u /* also accepts the word "auto" */
#define HVB_OPT_TUPLE 0x4u /* a LIST whose positions mean something (A,B): a value may repeat */

struct hvb_option {
	const char *name;
	enum hvb_opt_type type;
	const char *def;            /* default as text; NULL = required */
	const char *help;
	const char *const *choices; /* ENUM: NULL-terminated */
	double min, max;            /* INT, SIZE, TIME, FLOAT when max > min */
	unsigned flags;
	/* SIZE: how many buffers of this size an agent maps at once for a sample (0:
	 * none; a LIST's largest, its sizes measured one at a time; "auto" not
	 * counted: sized from the LLC). What the native plan checks against
	 * the host's memory (hvb_params_mapped). */
	unsigned mapped;
};

const struct hvb_option *hvb_option_find(const struct hvb_option *table, const char *name);
/* Checks one scalar value (one element of a list); on error writes what was expected. */
int hvb_option_check(const struct hvb_option *o, const char *value, char *err, size_t len);
/* Checks a value for a LIST option, or a scalar otherwise. */
int hvb_option_check_value(const struct hvb_option *o, const char *value, char *err, size_t len);
/* Refuses a list that names one value twice (16K and 16KiB, 1s and 1000ms): it
 * would measure the same thing twice under two names, or make two equal cells. */
/* 1-based position of the first empty item of a comma list ("16K,,64K", "16K,"), or 0. */
size_t hvb_list_empty_item(const char *s);
int hvb_option_check_distinct(const struct hvb_option *o, char *const *words, size_t n, char *err, size_t len);
/* A checked value in its one spelling, so that a cell key does not depend on how it
 * was written: sizes as hvb_format_size writes them (16k, 16KiB, 16384 -> 16K; a
 * list item by item), other types unchanged. HVB_EINVAL when buf is too small. */
int hvb_option_canonical(const struct hvb_option *o, const char *value, char *buf, size_t len);
/* The closest name in names[] (edit distance), or NULL when nothing is close. */
const char *hvb_did_you_mean(const char *word, const char *const *names, size_t n);
const char *hvb_option_suggest(const struct hvb_option *table, const char *name);
/* "one of a, b, c" or "an integer in [1, 64]" */
void hvb_option_expect(const struct hvb_option *o, char *buf, size_t len);
/* For help and man: what o.mapped means for o ("; each agent maps it ..."), "" when 0. */
void hvb_option_mapped_note(const struct hvb_option *o, char *buf, size_t len);
/* The one syntax of numbers (results/option.c): decimal, no leading zeros, no
 * exponent; sizes (K M G T, optional i and B: 1024-based; option values refuse KB, MB) and times (ns us ms s m min h)
 * may have a fraction, rounded half up to a byte or a nanosecond. 0 or HVB_EINVAL. */
int hvb_parse_size(const char *s, uint64_t *out);
int hvb_parse_time(const char *s, double *seconds);
int hvb_parse_time_ns(const char *s, uint64_t *ns);
int hvb_parse_bool(const char *s, int *out);
int hvb_parse_int(const char *s, int64_t *out);
void hvb_format_size(uint64_t bytes, char *buf, size_t len);

/* ---- text for the terminal (results/text.c) ---- */
/* The scale of a figure's unit for the magnitude ref: ns, µs, ms, s; bytes,
 * KiB, MiB, GiB; counts and rates with k, M, G from ten thousand on. Figures
 * written with one scale share its unit and decimals (four significant digits
 * of ref), so that a row or a column reads at a glance. */
struct hvb_scale {
	double mul;
	int decimals;
	char unit[32];
};
void hvb_unit_scale(double ref, const char *unit, struct hvb_scale *sc);
void hvb_unit_fmt(double v, const struct hvb_scale *sc, char *buf, size_t len);
/* Names compared with their numbers by value, sizes with their suffix (K M G
 * T): lat_ns.4K < lat_ns.16K < lat_ns.1M. Also the store's "hvb_name" collation. */
int hvb_name_cmp(const char *a, const char *b);
int hvb_name_cmp_n(const char *a, size_t na, const char *b, size_t nb);
/* Columns a UTF-8 text takes. */
size_t hvb_text_cols(const char *s);
/* A paragraph escaped and wrapped at width: the first line indented by indent, the others by hang. */
void hvb_text_wrap(FILE *f, const char *text, int indent, int hang, int width);
/* A table that fits width (<= 0: any): columns too wide wrap their text. */
#define HVB_TABLE_MAX_COLS 16
struct hvb_table;
struct hvb_table *hvb_table_new(size_t ncols);
void hvb_table_right(struct hvb_table *t, size_t col); /* numbers: aligned right */
int hvb_table_row(struct hvb_table *t, const char *const *cells, size_t n);
int hvb_table_span(struct hvb_table *t, const char *text); /* a line across every column */
void hvb_table_print(struct hvb_table *t, FILE *f, int indent, int width);
void hvb_table_free(struct hvb_table *t);

/* Parameter values for one option table, as canonical text. */
struct hvb_params {
	const struct hvb_option *table;
	size_t n;
	char **values; /* values[i] belongs to table[i]; defaults filled in */
};
int hvb_params_init(struct hvb_params *p, const struct hvb_option *table);
void hvb_params_free(struct hvb_params *p);
int hvb_params_set(struct hvb_params *p, const char *name, const char *value, char *err, size_t len);
const char *hvb_param_str(const struct hvb_params *p, const char *name);
int64_t hvb_param_int(const struct hvb_params *p, const char *name);
uint64_t hvb_param_size(const struct hvb_params *p, const char *name);
double hvb_param_time(const struct hvb_params *p, const char *name);
double hvb_param_float(const struct hvb_params *p, const char *name);
int hvb_param_bool(const struct hvb_params *p, const char *name);
int hvb_param_is_auto(const struct hvb_params *p, const char *name);
/* Splits a LIST value of sizes; returns the count or a negative error. */
int hvb_param_sizes(const struct hvb_params *p, const char *name, uint64_t *out, int max);
/* Splits a comma list into trimmed words (caller frees with hvb_words_free). */
int hvb_split_list(const char *s, char ***words, size_t *n);
void hvb_words_free(char **words, size_t n);

/* ---- metrics: what a sample is made of ---- */
enum hvb_better { HVB_LOWER = 0, HVB_HIGHER = 1, HVB_INFO = 2 /* context, not judged */ };
struct hvb_metric {
	char name[96];
	char unit[16];
	double value;
	enum hvb_better better;
};
struct hvb_metrics {
	size_t n, cap;
	struct hvb_metric *m;
};
/* Documentation of a metric a workload or probe produces. */
struct hvb_metric_doc {
	const char *name; /* may contain a %s placeholder (e.g. "lat_ns.%s") */
	const char *unit;
	enum hvb_better better;
	const char *help;
};
int hvb_metrics_add(struct hvb_metrics *ms, const char *name, double value, const char *unit,
		    enum hvb_better better);
int hvb_metrics_addf(struct hvb_metrics *ms, double value, const char *unit, enum hvb_better better,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
const struct hvb_metric *hvb_metrics_get(const struct hvb_metrics *ms, const char *name);
void hvb_metrics_free(struct hvb_metrics *ms);
const char *hvb_better_name(enum hvb_better b);
int hvb_better_parse(const char *s, enum hvb_better *out);

/* ---- the SQLite result store ---- */
struct hvb_store;
#define HVB_DEFAULT_DB "hvbench.db"
/* path NULL: $HVBENCH_DB, else ./hvbench.db. Always a file name, never an
 * SQLite URI; refuses what is not an hvbench store (a directory, a FIFO,
 * another program's file or database, a newer schema) without writing to it. */
struct hvb_store *hvb_store_open(const char *path, int readonly);
void hvb_store_close(struct hvb_store *s);
const char *hvb_store_path(const struct hvb_store *s);
int hvb_store_schema_version(struct hvb_store *s);
/* Raw handle for the analysis queries (sqlite3 *). */
void *hvb_store_db(struct hvb_store *s);

struct hvb_run_info {
	int64_t id;
	char label[128];
	char experiment[128];
	char status[16];      /* running, done, interrupted, failed */
	double started, ended;/* unix seconds */
	int lab;              /* measured in the QEMU lab: never performance */
	char *config_path;
	char *config_text;
	char *host_json;
	char version[32];
	char uuid[40];        /* the run's natural key across stores (merge) */
	char host_class[24];  /* hvb_host_class of its host facts */
	int shard_index, shard_count; /* run --shard K/N (1-based); 0, 0: the whole matrix */
};
void hvb_run_info_free(struct hvb_run_info *r);
/* FNV-1a, 64 bits, of a string: a hash that is the same on every host and build
 * (shards of a plan, host classes). */
uint64_t hvb_fnv1a(const char *s);
/* A new random (version 4) UUID, lower case, into buf (37 bytes or more). */
int hvb_uuid_new(char *buf, size_t len);
/* The class of the host a run's facts describe (results/run-ident.c): runs of one
 * class may be compared and pooled, runs of two never unless asked. It is made of
 * the CPU model, the host kind (bare metal, virtual machine, dom0), the logical
 * CPUs, the memory rounded up to a power of two GiB, and the NUMA nodes with
 * each one's CPUs; never the host name, kernel, hypervisor or microcode (what a
 * gate compares; compare and gate warn when they differ). "hc-" and 10 hex
 * digits of its hash into cls, the text hashed into basis (may be NULL);
 * HVB_ENOENT ("unknown") when host_json holds no facts. A valid name in
 * host_json's "host_class_named" (HVBENCH_HOST_CLASS at run time) is the class
 * instead, and basis says so. */
int hvb_host_class(const char *host_json, char *cls, size_t len, char *basis, size_t blen);
/* The hypervisor's hooks a run's host facts hold (host_json "xen"."hooks", from
 * hvb_hv_hooks_read in a dom0), in one line for comparing and showing: the
 * Kconfig names of those present, space-separated ("CONFIG_TRACEBUFFER
 * CONFIG_PERF_COUNTERS"), "none" when none is, "unknown: WHY" when the
 * hypervisor could not be asked; "" when the facts hold no hooks (not a Xen
 * dom0, or an hvbench that did not record them). xen may be NULL. */
struct json_t;
void hvb_xen_hooks_line(const struct json_t *xen, char *buf, size_t len);
/* A host class name given by a person: 1 to 23 letters, digits, '.', '_', '-',
 * a letter or digit first; HVB_EINVAL with why otherwise. */
int hvb_host_class_name_check(const char *name, char *why, size_t len);

/* A new run, with a new UUID; its host class and shard (host_json's "shard":
 * "K/N") are taken from host_json. */
int hvb_store_run_begin(struct hvb_store *s, const char *label, const char *experiment,
			const char *config_path, const char *config_text, const char *host_json, int lab,
			int64_t *run_id);
int hvb_store_run_status(struct hvb_store *s, int64_t run_id, const char *status);
int hvb_store_run_get(struct hvb_store *s, int64_t run_id, struct hvb_run_info *out);
/* The process measuring a run holds it (released when the run ends or the
 * process dies); HVB_EBUSY, said with who holds it, when another one does. */
int hvb_store_run_claim(struct hvb_store *s, int64_t run_id);
void hvb_store_run_release(struct hvb_store *s, int64_t run_id);
/* 1 when another live process holds the run, with who in who[]; 0 when none. */
int hvb_store_run_holder(struct hvb_store *s, int64_t run_id, char *who, size_t len);
/* HVB_EINVAL with the reason when a label would read as a run id or 'last'
 * ("" is no label: a run named by its id alone). */
int hvb_store_label_check(const char *label, char *why, size_t len);
/* Where a run's probes leave files: beside the database, in a directory of
 * that run of that database alone (DBDIR/hvbench-artifacts/DB-run-R-START_IN_MICROSECONDS). */
int hvb_store_artifact_dir(struct hvb_store *s, int64_t run_id, char *buf, size_t len);
/* RUN as a number, "last", or a label (newest run with that label); an empty or
 * blank RUN is HVB_ENOENT, never the newest unlabelled run. */
int hvb_store_run_resolve(struct hvb_store *s, const char *spec, int64_t *run_id);
/* The runs SPEC names for analysis: a run id or "last" names that run; a label
 * names the newest run with it and, beside it, the newest run with that label,
 * experiment and shard count of every other (shard, host class): the shards of a
 * sharded run, and the same matrix measured on hosts of other classes. *ids is
 * malloc'd (caller frees), newest first. */
int hvb_store_run_set(struct hvb_store *s, const char *spec, int64_t **ids, size_t *n);
typedef int (*hvb_run_cb)(const struct hvb_run_info *r, int ncells, int nsamples, void *arg);
int hvb_store_runs_foreach(struct hvb_store *s, hvb_run_cb cb, void *arg);

struct hvb_cell_row {
	int64_t id, run_id;
	int idx;
	char key[512];         /* canonical description of the cell */
	char backend[32], mode[16], placement[32], workload[32], section[64];
	int vcpus;
	uint64_t memory;
	char *params_json;
	char status[16];       /* planned, running, done, partial, failed, skipped, interrupted (bench/runner.c) */
	char *reason;
	char *placement_json;  /* the plan and what was read back */
	char host_class[24];   /* its run's host class (hvb_store_cells_foreach) */
};
void hvb_cell_row_free(struct hvb_cell_row *c);
int hvb_store_cell_put(struct hvb_store *s, struct hvb_cell_row *c); /* insert or find by (run, idx) */
int hvb_store_cell_update(struct hvb_store *s, int64_t cell_id, const char *status, const char *reason,
			  const char *placement_json);
int hvb_store_cell_status(struct hvb_store *s, int64_t cell_id, char *status, size_t len);
typedef int (*hvb_cell_cb)(const struct hvb_cell_row *c, void *arg);
int hvb_store_cells_foreach(struct hvb_store *s, int64_t run_id, hvb_cell_cb cb, void *arg);

struct hvb_sample_row {
	int64_t id, cell_id;
	int rep;               /* 0-based; warm-ups are not stored */
	char status[16];       /* ok, failed, timeout */
	char *reason;
	uint64_t seed;
	double started;        /* unix seconds */
	double wall_s;         /* request sent to reply read */
	double workload_s;     /* time the agent spent inside the workload */
};
/* Commits one sample and its metrics in one transaction. */
int hvb_store_sample_add(struct hvb_store *s, struct hvb_sample_row *row, const struct hvb_metrics *ms);
/* 1 when (cell, rep) already has an ok sample. */
int hvb_store_sample_done(struct hvb_store *s, int64_t cell_id, int rep);
int hvb_store_artifact_add(struct hvb_store *s, int64_t run_id, int64_t cell_id, int64_t sample_id,
			   const char *name, const char *mime, const void *data, size_t len);
typedef int (*hvb_value_cb)(int64_t sample_id, int rep, const char *metric, double value,
			    const char *unit, const char *better, void *arg);
/* The ok samples' metrics of one cell, ordered by metric then rep. */
int hvb_store_values_foreach(struct hvb_store *s, int64_t cell_id, hvb_value_cb cb, void *arg);
/* The mean wall time of the ok samples of every cell with this key, in any run
 * (-1: none measured): what a plan's estimate takes instead of a guess. */
int hvb_store_sample_time(struct hvb_store *s, const char *cell_key, double *mean_s);
/* Counts of samples of a run by status; any pointer may be NULL. */
int hvb_store_sample_counts(struct hvb_store *s, int64_t run_id, int *ok, int *failed);

/* ---- exports and imports (results/export.c, results/import.c) ---- */
/* The version of the export's columns: a column renamed, dropped or given
 * another meaning or unit makes a new version. */
#define HVB_EXPORT_SCHEMA 2 /* 2: JSON's seed is a decimal string (1 rounded it as a number) */
#define HVB_STR_(x) #x
#define HVB_STR(x) HVB_STR_(x)
struct hvb_export_column {
	const char *name, *unit, *help;
};
/* name, unit ("-": none), meaning: the table below, and the text of 'hvbench help export'. */
#define HVB_EXPORT_COLUMNS(X) \
	X("schema_version", "-", "the version of this schema (HVB_EXPORT_SCHEMA)") \
	X("run_id", "-", "the run's id in the store exported") \
	X("run_label", "-", "the run's label (empty: none)") \
	X("experiment", "-", "the experiment's name") \
	X("run_status", "-", "running, done, incomplete, interrupted, failed") \
	X("lab", "-", "1: measured in the QEMU lab (emulation, never performance)") \
	X("cell", "-", "the cell's index in its run's plan") \
	X("cell_key", "-", "canonical text of the cell: how compare matches cells") \
	X("backend", "-", "native or xen") \
	X("mode", "-", "native, pv, pvh, hvm, hvm-emu") \
	X("placement", "-", "NUMA placement") \
	X("vcpus", "-", "CPUs (native) or vCPUs of the guest") \
	X("memory", "bytes", "guest memory (0: the host's, native)") \
	X("workload", "-", "the workload's name") \
	X("section", "-", "the experiment file's section of the cell") \
	X("cell_status", "-", "done, partial, failed, skipped, interrupted, planned") \
	X("rep", "-", "the repetition, from 0 (warm-ups are not stored)") \
	X("sample_status", "-", "ok, failed, timeout") \
	X("sample_reason", "-", "why a sample failed (empty when ok)") \
	X("seed", "-", "the sample's seed (unsigned 64-bit; in JSON a decimal string: a number would lose its low bits)") \
	X("started", "s", "start of the sample, Unix time (UTC seconds since 1970)") \
	X("started_utc", "-", "the same, ISO 8601 UTC to the microsecond") \
	X("wall_s", "s", "request sent to reply read") \
	X("workload_s", "s", "time spent inside the workload") \
	X("metric", "-", "the metric's name (empty: a sample without metrics, e.g. failed)") \
	X("value", "-", "the metric's value, in unit") \
	X("unit", "-", "the metric's unit") \
	X("better", "-", "lower, higher or info (context, not judged)") \
	X("param.NAME", "-", "one column per parameter of any exported cell's workload (empty: not its parameter)")
extern const struct hvb_export_column hvb_export_columns[]; /* NULL-name terminated */
/* One row per sample and metric of runs ids[0..n) (a sample without metrics:
 * one row), CSV (RFC 4180, CRLF) or, json non-zero, one JSON object. */
int hvb_export_runs(struct hvb_store *s, const int64_t *ids, size_t n, int json, FILE *out);
/* hvbench merge: copies every finished run of src (cells, samples, metrics,
 * artifacts) into dst, one transaction per run. A run is known by its UUID (a
 * run from a store older than UUIDs by its start, experiment, label, config and
 * host): a run dst holds already adds only the samples it lacks (a file merged
 * again adds nothing); a sample of the same natural key (run, cell key,
 * repetition) stored with other figures is a conflict, said naming the run's
 * UUID, the cell and the repetition, and nothing of that run is written
 * (HVB_ECONFLICT once every other run is merged). Runs still being measured are left out. */
struct hvb_merge_counts {
	int added;   /* runs new to dst */
	int present; /* runs dst held whole already */
	int grown;   /* runs dst held, to which samples were added */
	int samples; /* samples added, in all */
	int running; /* not finished: left out */
	int conflicts; /* runs left out for a conflicting duplicate */
};
int hvb_store_import(struct hvb_store *dst, struct hvb_store *src, struct hvb_merge_counts *n);

/* v as the shortest decimal text (15 to 17 significant digits) that reads back as the
 * same double: exact, and what a person can compare (CSV export, merge conflicts). */
void hvb_double_text(double v, char *buf, size_t len);

#endif
