/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench/: the harness. Experiment files, plan expansion, the runner, the agent
 * and its protocol, and the workloads (bench/workloads/, one file each). */
#ifndef HVB_BENCH_H
#define HVB_BENCH_H

#include <stdint.h>
#include <sys/types.h>
#include "results/results.h"

/* ---- workloads: one file each, ending in a const ops table ---- */
#define HVB_WL_NEEDS_DISK 0x1u    /* the backend names a file or block device (fio) */
#define HVB_WL_NEEDS_PEER 0x2u    /* the backend names a network peer (iperf3) */
#define HVB_WL_EXTERNAL 0x4u      /* runs an external program */

/* What a workload is given inside the agent. */
struct hvb_wl_ctx {
	const struct hvb_params *params; /* validated against the workload's own table */
	double duration_s;               /* target time of one sample */
	uint64_t seed;                   /* recorded with the sample */
	int ncpus;                       /* CPUs this agent may run on */
	const char *scratch_dir;         /* a directory the workload may write to */
	const char *disk;                /* fio target named by the backend, or NULL */
	const char *peer;                /* iperf3 server address named by the backend, or NULL */
	int peer_port;
};

/* What a workload hands back besides figures: raw output of the program it ran
 * (stored as artifacts of the sample), and facts about what it measured, such as
 * the file system under fio (stored with the sample, shown with the cell). */
#define HVB_WL_MAX_ARTIFACTS 4
#define HVB_WL_MAX_FACTS 8
struct hvb_wl_artifact {
	char name[64];
	const char *mime;
	char *data;      /* malloc'd */
	size_t len;
};
struct hvb_wl_fact {
	char key[48], value[512];
};

/* What a workload returns: its metrics, the operations it counted (for per-operation
 * ratios of probe figures) and, on failure, why. */
struct hvb_wl_result {
	struct hvb_metrics metrics;
	uint64_t ops;
	char error[512];
	struct hvb_wl_artifact artifacts[HVB_WL_MAX_ARTIFACTS];
	size_t nartifacts;
	struct hvb_wl_fact facts[HVB_WL_MAX_FACTS];
	size_t nfacts;
};

struct hvb_workload_ops {
	const char *name;
	const char *summary;
	const struct hvb_option *options;
	const struct hvb_metric_doc *metrics; /* documented metrics, NULL-name terminated */
	const char *op_name;                  /* what one counted operation is ("access", "4 KiB read") */
	unsigned flags;
	const char *program;                  /* HVB_WL_EXTERNAL: the program it runs, whose --version a run records */
	/* 1 when it can run here; 0 with why filled in. */
	int (*supported)(char *why, size_t len);
	/* Runs inside the agent only. Returns 0, or a negative code with res->error set. */
	int (*run)(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res);
};

extern const struct hvb_workload_ops *const hvb_workloads[]; /* NULL-terminated */
const struct hvb_workload_ops *hvb_workload_find(const char *name);

/* ---- helpers workloads share (bench/wl-util.c) ---- */
double hvb_now(void);                 /* CLOCK_MONOTONIC seconds */
uint64_t hvb_now_ns(void);
/* xorshift64*: the workloads' seeded generator, identical everywhere. */
static inline uint64_t hvb_rand_next(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}
/* The q-quantile (0..1) of sorted v: GSL's (type 7, as analysis/ uses); 0 when n is 0. */
double hvb_quantile_sorted(const double *v, size_t n, double q);
void hvb_sort_doubles(double *v, size_t n);
/* The first line `PROG --version` prints (through an argv, never a shell), in
 * buf; "" when PROG is not installed or says nothing. */
void hvb_program_version(const char *prog, char *buf, size_t len);
/* Reports a failure into res->error and returns code. */
int hvb_wl_fail(struct hvb_wl_result *res, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Keeps a copy of len bytes of data as an artifact of the sample, cut at
 * HVB_WL_ARTIFACT_CAP (said in a fact NAME.cut); nothing when len is 0. */
#define HVB_WL_ARTIFACT_CAP (192u << 10)
void hvb_wl_artifact(struct hvb_wl_result *res, const char *name, const char *mime, const char *data, size_t len);
/* A fact about what the sample measured: KEY = the formatted value (replaced when set twice). */
void hvb_wl_fact(struct hvb_wl_result *res, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Frees what the workload returned (metrics, artifacts). */
void hvb_wl_result_free(struct hvb_wl_result *res);

/* ---- the agent protocol: one JSON object per line, versioned ---- */
#define HVB_PROTO_VERSION 1
#define HVB_PROTO_MAX_LINE (1u << 20)

struct hvb_agent_request {
	char op[16];            /* "hello", "run", "quit" */
	char workload[32];
	struct hvb_params params;
	double duration_s;
	uint64_t seed;
	char **probes;          /* guest-side probes to run around the workload */
	size_t nprobes;
	char disk[256], peer[128];
	int peer_port;
};

/* Runs the agent loop on a pair of descriptors until "quit" or end of input. */
int hvb_agent_serve(int in_fd, int out_fd);

/* Checks that this CPU keeps its floating-point and SIMD state: vector
 * registers across about budget_s seconds of system calls and context switches,
 * MXCSR and the x87 control word at their ABI values, and a fixed floating-point
 * computation bit-identical to its first result in this process (bench/cpustate.c).
 * budget_s <= 0 is one quick round without the second thread (between samples);
 * a longer budget also passes a token between two threads, which makes the
 * kernel switch tasks and so save and restore vector state (XSAVE/XRSTOR).
 * Returns 0, or HVB_EIO with what was found in why: a hypervisor or emulator
 * that corrupts vCPU state, whose figures cannot be trusted. */
int hvb_cpustate_check(double budget_s, char *why, size_t len);

/* The runner's side of the protocol. */
struct hvb_agent_conn {
	int rfd, wfd;
	char *buf;
	size_t len, cap;
	int overflow;       /* a reply passed HVB_PROTO_MAX_LINE and is being discarded */
	long long seq;      /* the id of the last request */
	/* Optional: asked about once a second while a reply is awaited; non-zero (a
	 * negative code, with why) when what runs the agent is gone. */
	int (*gone)(void *arg, char *why, size_t len);
	void *gone_arg;
};
void hvb_agent_conn_init(struct hvb_agent_conn *c, int rfd, int wfd);
void hvb_agent_conn_free(struct hvb_agent_conn *c);
/* Sends one request object and reads one reply object, within timeout_s (sooner
 * HVB_ECHILD when c->gone says the guest is gone). The reply
 * is returned as a jansson json_t* (cast from void*, to keep jansson out of this header).
 * Each request carries an id that the reply must echo: a reply out of step (stale,
 * extra, or to another request) is HVB_EPROTO, and the runner restarts the agent. */
int hvb_agent_call(struct hvb_agent_conn *c, const char *request_json, double timeout_s, void **reply,
		   char *err, size_t len);

/* 0 when every metric of ms is documented by the workload wl or by one of the
 * probes (those that run inside the agent); else HVB_EPROTO with err naming
 * the agent, the metric and the workload. */
/* 1 when a metric's name is the documented one (whose %s stands for a size, a kernel, an event). */
int hvb_metric_doc_matches(const char *doc, const char *name);
int hvb_metrics_accept(const struct hvb_metrics *ms, const struct hvb_workload_ops *wl, char *const *probes,
		       size_t nprobes, const char *agent, char *err, size_t len);

/* ---- experiments and plans ---- */
#define HVB_MAX_GUESTS 64 /* guests = N of one cell, at most */
struct hvb_cell {
	int idx;
	char backend[16];    /* "native", "xen" */
	char mode[16];       /* "native", "pv", "pvh", "hvm", "hvm-emu"; "-shadow" added for hap = off */
	char placement[16];
	int vcpus;
	uint64_t memory;
	int antagonists;     /* CPU hogs per CPU of the cell through each sample (0: none) */
	int guests;          /* guests (native: agents) of the cell's spec running the workload together */
	int pvspin;          /* the guest kernel's PV spinlocks: 1 on (its default), 0 off; -1 native (n/a) */
	int vnuma;           /* split placement of a guest: 1 its virtual NUMA nodes exposed (the default),
				0 hidden (one node seen, memory still on both); -1 does not apply */
	int persistent;      /* Xen PV disk's persistent grants: 1 on, 0 off; -1 auto or does not apply */
	int net_queues;      /* Xen vif's queues (max_queues) asked; 0 auto or does not apply */
	const struct hvb_workload_ops *wl;
	char section[64];
	struct hvb_params params;
	char key[512];       /* canonical text: how cells are matched across runs */
	char skip[256];      /* non-empty: the cell cannot run here, and why */
};

struct hvb_experiment {
	char *path, *text;   /* the file and its full text, stored with the run */
	char name[128];
	int repetitions;     /* 0 = auto */
	int max_repetitions, min_repetitions;
	double ci_target;    /* relative width of the median's CI that stops auto repetitions */
	int warmup;
	int interleave;      /* order = interleaved: the cells take turns, one sample each, shuffled per round,
			      * their guests alive together (the plan checks they fit: hvb_turns_check) */
	const char *agent;   /* set by the caller: another build's hvbench as the native agent, or NULL */
	uint64_t seed;
	int random_draws;    /* placement = random: draws over a cell's repetitions (0: one per repetition) */
	double timeout_s, duration_s, boot_timeout_s;
	int boot_attempts; /* boots of a cell's guest that dies before its agent answers */
	char **probes;
	size_t nprobes;
	struct hvb_params *probe_params; /* parallel to probes, from [probe.NAME] */
	struct hvb_cell *cells;
	size_t ncells;
	int shard_index, shard_count; /* hvb_experiment_shard: this part K of N (1-based); 0, 0: the whole matrix */
	size_t matrix_cells;          /* the whole matrix's cells, when sharded */
};

/* The matrix axes, as help and errors list them (bench/plan.c's axis_names, in order). */
#define HVB_EXPERIMENT_AXES "backends, placement, vcpus, memory, pv_drivers, hap, pvspin, vnuma, antagonists, " \
			    "guests, feature_persistent, max_queues"
extern const struct hvb_option hvb_experiment_options[];
/* 1 when an [experiment] option is a matrix axis (a comma list expands into
 * cells: backends, placement, vcpus, memory, pv_drivers, hap, pvspin, vnuma, antagonists, guests,
 * feature_persistent, max_queues); others take one value. */
int hvb_experiment_axis(const char *name);
/* The first cell whose backend cannot keep its guest alive cheaply beside
 * others' (so that the cells of several runs could take turns: hv.h's
 * side_by_side), or NULL when every cell's can. */
const struct hvb_cell *hvb_experiment_apart(const struct hvb_experiment *ex);
/* Parses and validates; on error logs "FILE:LINE: what (expected ...)" and returns HVB_EINVAL.
 * PATH "-" reads standard input (the same limits). */
int hvb_experiment_load(const char *path, struct hvb_experiment *ex);
int hvb_experiment_load_text(const char *path, const char *text, struct hvb_experiment *ex);
/* The name of standard input in messages and in the run: hvb_experiment_load("-"). */
#define HVB_EXPERIMENT_STDIN "<stdin>"
/* hvb_experiment_load, then each "SECTION.KEY=VALUE" of sets applied where it
 * belongs (a key of the file replaced, a new one under its section) and the
 * result read again as a file is: ex->text is what runs, every override marked.
 * The file must be valid on its own; a message about an override names it
 * ("--set 'experiment.seed=x': ..."). PATH "-" is standard input. */
int hvb_experiment_load_set(const char *path, char *const *sets, size_t nsets, struct hvb_experiment *ex);
/* One line of an experiment made from the command line: KEY = VALUE in
 * [SECTION] (key NULL: the section alone), and the name messages give it. */
struct hvb_experiment_arg {
	const char *section, *key, *value, *origin;
};
/* Builds the text (a "; comment" line, then each section once, in order of
 * first appearance, with its keys) and reads it as a file is read. */
int hvb_experiment_load_args(const char *path, const char *comment, const struct hvb_experiment_arg *a, size_t n,
			     struct hvb_experiment *ex);
void hvb_experiment_free(struct hvb_experiment *ex);
/* Keeps shard k of n (1 <= k <= n) of the plan: the cells ordered by the
 * FNV-1a hash of their key (then by index), dealt round-robin, the first to
 * shard 1. Every shard is a mix of the matrix's modes and placements, the
 * shards are disjoint, their union is the matrix, for any n (a shard may be
 * empty when n exceeds the cells), and a cell's shard depends on its key alone.
 * Cells keep their index in the whole matrix. 0, or HVB_EINVAL. */
int hvb_experiment_shard(struct hvb_experiment *ex, int k, int n);
/* Parses "K/N" (decimal, 1 <= K <= N <= HVB_SHARD_MAX); 0, or HVB_EINVAL with why. */
#define HVB_SHARD_MAX 100000
int hvb_shard_parse(const char *s, int *k, int *n, char *why, size_t len);
/* Adds to a run's host facts (JSON text; returns a new one, caller frees, or
 * NULL) its fingerprint (bench/fingerprint.c): the engine that started it and
 * the engine's job (GitLab CI, Slurm, Buildbot, LAVA, GitHub: their job id
 * variables), its shard K of N (0, 0: none), its host class and what makes it. */
char *hvb_fingerprint_facts(const char *facts, int k, int n);
/* The rules of an experiment file's syntax, as text for help. */
void hvb_experiment_syntax(char *buf, size_t len);
/* Seconds the plan should take, from durations, repetitions and start-up costs. */
double hvb_experiment_estimate(const struct hvb_experiment *ex);
/* One cell's seconds; sample_s: a sample's time measured before (< 0: unknown, the duration's). */
double hvb_cell_estimate(const struct hvb_experiment *ex, const struct hvb_cell *c, double sample_s);
/* The seed of one sample: derived from the experiment's seed, the cell and the repetition. */
uint64_t hvb_sample_seed(uint64_t seed, const char *cell_key, int rep);
/* placement = random: the draw repetition rep runs under (random_draws blocks of
 * repetitions, or one per repetition); -1 when the cell's placement is not random. */
int hvb_cell_draw(const struct hvb_experiment *ex, const struct hvb_cell *c, int rep);
/* The seed of draw d of guest g of a cell (independent across draws and guests). */
uint64_t hvb_draw_seed(uint64_t seed, const char *cell_key, int draw, int guest);
/* Params of a cell as a JSON object text (caller frees). */
char *hvb_params_to_json(const struct hvb_params *p);
/* What the store keeps as the cell's params: the workload's, and antagonists, guests, pvspin = off,
 * vnuma = off, feature_persistent and max_queues when there are any (so that cells that differ in them
 * stay apart in reports). */
char *hvb_cell_params_json(const struct hvb_cell *c);

/* ---- cells that take turns (bench/turns.c) ---- */
struct hvb_host_memory;
struct hvb_backend_ops;
/* The seed of the turns' order: the experiment's seed and the runs' labels
 * (labels[r], or label for each when labels is NULL), so that it is the same
 * for the same runs again and differs between the pairs of runs a calibration
 * takes (else every pair would take the same orders). Never 0. */
uint64_t hvb_turns_seed(const char *const *labels, const char *label, size_t nruns, uint64_t seed);
/* Draws a new order of turns inside each group: order holds n indices, those
 * of a group next to each other (group[index], or one group when group is
 * NULL), each group shuffled in place (Fisher-Yates on hvb_rand_next(state)).
 * A fixed order would give every comparison the bias of its position: what
 * the turn before left in the caches, how long the CPU was idle. */
void hvb_turns_shuffle(size_t *order, const size_t *group, size_t n, uint64_t *state);
/* The orders of nrounds rounds of the n cells of one run, as the runner draws
 * them from seed (hvb_turns_seed): out[r * n + k] is the index of the cell that
 * takes turn k of round r. A cell that has finished is passed over in its turn. */
void hvb_turns_rounds(size_t n, uint64_t seed, int nrounds, size_t *out);
/* Whether the guests of backend be that take turns together (the cells of ex
 * on be, those with runs[i] set, every one when runs is NULL) fit in host's
 * free memory, by be->footprint: 0 when they do, HVB_EINVAL when they do not.
 * msg says either, naming the file, each section's guests and MiB, the need
 * and the host's figures. */
int hvb_turns_memory(const struct hvb_experiment *ex, const struct hvb_backend_ops *be, const unsigned char *runs,
		     const struct hvb_host_memory *host, char *msg, size_t len);
/* The plan's memory check for order = interleaved: each backend of the cells,
 * its cells that can run here (be->supported) against its host's free memory
 * (be->memory). report: one line per backend. 0, or HVB_EINVAL when the guests
 * do not fit or the free memory cannot be read (report says which). */
int hvb_turns_check(const struct hvb_experiment *ex, char *report, size_t len);

/* ---- the runner ---- */
struct hvb_progress {
	size_t cell, ncells;   /* 1-based cell index */
	int rep, nreps;        /* 1-based; nreps 0 = auto */
	int warmup;
	const struct hvb_cell *c;
	double eta_s;          /* < 0 unknown */
	const char *event;     /* "sample", "skip", "fail", "cell-done" */
	const char *detail;
	const char *label;     /* the run's label when several runs take turns, else NULL */
};
struct hvb_run_opts {
	const char *label;
	int64_t resume_run;    /* > 0: finish that run */
	int lab;
	void (*progress)(const struct hvb_progress *p, void *arg);
	void *progress_arg;
	/* repetitions = auto: called after each sample with the values so far of one
	 * judged metric; returns 1 when the median is known well enough (why says so). */
	int (*enough)(const double *values, size_t n, double ci_target, char *why, size_t len);
};
/* Runs the plan into the store. Returns 0 when done (every cell not skipped
 * stored every repetition ok), 1 when the plan ran to its end but some cells did
 * not (run status "incomplete"; each such cell's status and reason say why),
 * HVB_EINTR when interrupted (status "interrupted", everything measured kept),
 * or another negative code. */
int hvb_run(struct hvb_store *s, struct hvb_experiment *ex, const struct hvb_run_opts *o, int64_t *run_id);
/* Several runs at once (labels[i] for ex[i]; labels may be NULL for o->label),
 * their cells taking turns, one sample each: baseline and candidate measured
 * side by side, so that the machine's drift reaches both alike. run_ids[i] is
 * set as each run is created. With one run, its experiment's order decides. */
int hvb_run_many(struct hvb_store *s, struct hvb_experiment *const *ex, const char *const *labels, size_t nruns,
		 const struct hvb_run_opts *o, int64_t *run_ids);
/* Set from a signal handler: the runner stops at the next safe point. */
void hvb_run_interrupt(void);
int hvb_run_interrupted(void);

#endif
