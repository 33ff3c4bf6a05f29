/* SPDX-License-Identifier: GPL-2.0-or-later */
/* analysis/: statistics, comparison, gating, change points, and the report
 * formats (one file each) with their gnuplot plots.
 *
 * Everything here except adaptive.c needs GSL (HAVE_GSL): without it the
 * commands that use it say "needs GSL" and exit 2. adaptive.c is built always,
 * because the runner links its stop rule in every build. */
#ifndef HVB_ANALYSIS_H
#define HVB_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "results/results.h"

/* ---- adaptive repetitions (adaptive.c; no GSL needed) ---- */
/* The distribution-free confidence interval of the median from order statistics:
 * the widest-coverage-first pair (x(l), x(n-1-l)) whose binomial coverage is at
 * least level. Returns 0, or HVB_EINVAL when n is too small to reach the level. */
int hvb_median_ci_order(const double *v, size_t n, double level, double *lo, double *hi, double *coverage);
/* The stop rule of `repetitions = auto` (the runner's `enough` hook): 1 when the
 * 95% CI of the median of values[0..n) is within ci_target (relative full width,
 * e.g. 0.02) of the median; 0 to go on. why says which, with the figures. */
int hvb_adaptive_enough(const double *values, size_t n, double ci_target, char *why, size_t len);

/* ---- summaries (stats.c) ---- */
struct hvb_summary {
	size_t n;
	double median, mean, sd, cov; /* cov = sd / |mean| */
	double min, max, q1, q3;
	double mad;                   /* raw median absolute deviation (not scaled) */
	size_t outliers;              /* flagged by hvb_stats_outliers, never dropped */
};
/* Quantile of sorted data, linear interpolation between order statistics
 * (Hyndman-Fan type 7, R's default, GSL's gsl_stats_quantile_from_sorted_data). */
double hvb_stats_quantile(const double *sorted, size_t n, double q);
/* Median of unsorted data (copies). NAN when n is 0. */
double hvb_stats_median(const double *v, size_t n);
/* Flags values whose modified z-score 0.6745 |x - median| / MAD exceeds 3.5
 * (Iglewicz and Hoaglin). flags may be NULL; returns the count. */
size_t hvb_stats_outliers(const double *v, size_t n, unsigned char *flags);
int hvb_stats_summarize(const double *v, size_t n, struct hvb_summary *s);

/* ---- bootstrap confidence intervals (bootstrap.c; seeded, reproducible) ---- */
struct hvb_ci {
	double lo, hi;
};
#define HVB_BOOT_RESAMPLES 2000
/* Percentile bootstrap of the median. */
int hvb_boot_median_ci(const double *v, size_t n, double level, unsigned resamples, uint64_t seed,
		       struct hvb_ci *ci);
/* Percentile bootstrap of median(b) / median(a), each resampled on its own. */
int hvb_boot_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level, unsigned resamples,
		      uint64_t seed, struct hvb_ci *ci);

/* Percentile bootstrap of the share (median(x) - median(lo)) / (median(hi) -
 * median(lo)), each of the three resampled on its own (resamples whose
 * denominator is 0 left out; HVB_EINVAL when most are). */
int hvb_boot_share_ci(const double *x, size_t nx, const double *lo, size_t nlo, const double *hi, size_t nhi,
		      double level, unsigned resamples, uint64_t seed, struct hvb_ci *ci);

/* ---- Mann-Whitney U (mannwhitney.c) ---- */
struct hvb_mwu {
	double u;        /* U of the first sample: pairs (a_i, b_j) with a_i > b_j, ties counting 1/2 */
	double p;        /* two-sided */
	double p_greater;/* alternative: a tends to be larger than b */
	double p_less;
	double z;        /* normal approximation's statistic (0 when exact) */
	int exact;       /* 1: exact distribution (no ties, both samples < 50) */
	int ties;
};
int hvb_mwu_test(const double *a, size_t na, const double *b, size_t nb, struct hvb_mwu *out);
/* P(U <= u) under the null for samples of na and nb without ties. */
double hvb_mwu_exact_cdf(size_t na, size_t nb, double u);

/* ---- Holm's step-down adjustment (holm.c) ---- */
/* adj[i] is R's p.adjust(p, "holm")[i]; p and adj may be the same array. */
int hvb_holm(const double *p, size_t n, double *adj);

/* ---- verdicts (verdict.c) ---- */
/* The most repetitions an experiment may ask for; an estimate past it is out of reach. */
#define HVB_REPS_REACH 10000
enum hvb_verdict {
	HVB_V_SAME,
	HVB_V_BETTER,
	HVB_V_WORSE,
	HVB_V_INCONCLUSIVE, /* need_more says how many more repetitions per side */
	HVB_V_INFO,         /* context metric: shown, never judged */
	HVB_V_MISSING,      /* too few samples on one side to compare at all */
};
const char *hvb_verdict_name(enum hvb_verdict v);

struct hvb_judge_opts {
	double alpha;      /* significance after Holm across the metrics of one comparison */
	double min_effect; /* smallest relative change that matters (0.02 = 2%) */
	double level;      /* confidence level of the intervals */
	double power;      /* for the repetitions estimate of an inconclusive verdict */
	unsigned resamples;
	uint64_t seed;
	/* compare/gate: parameters left out when cells are matched across runs
	 * (comma list, e.g. "extra_work"), or NULL */
	const char *ignore_params;
	/* Runs of several host classes (hvb_store_run_set): 0 compares and pools a
	 * cell's samples only within one host class, 1 across them (--across-hosts). */
	int across_hosts;
	/* gate: the shards each side must have (--expect-shards), 0: not checked */
	int expect_shards;
	/* HTML: the metric of the NUMA heat maps (--heatmap-metric), NULL: the one
	 * placement moves most */
	const char *heat_metric;
	/* report: the placement others are compared with, and the optimised one of
	 * the NUMA comparison (--placement-baseline); NULL: local */
	const char *placement_baseline;
};
void hvb_judge_opts_default(struct hvb_judge_opts *o);

struct hvb_metric_cmp {
	char name[96], unit[16];
	enum hvb_better better;
	struct hvb_summary a, b; /* a = baseline, b = the other */
	struct hvb_ci ci_a, ci_b;/* of each median */
	double ratio;            /* median(b) / median(a) */
	struct hvb_ci ci;        /* of the ratio */
	double change;           /* relative change in the worse direction: +0.05 = 5% worse */
	double p, p_adj;
	int exact;
	enum hvb_verdict verdict;
	int need_more;           /* inconclusive: more repetitions per side (estimate); -1: over HVB_REPS_REACH */
	int regressed;           /* gate: worse beyond the threshold, with significance */
	double detectable;       /* smallest worse change these samples' spread lets be called (NAN: not judged) */
};
/* Fills summaries, CIs, p (unadjusted) and change of one metric's two samples. */
int hvb_metric_compare(const double *a, size_t na, const double *b, size_t nb, const struct hvb_judge_opts *o,
		       struct hvb_metric_cmp *m);
/* Decides m->verdict (and need_more) from m->p_adj, the CI of the ratio and min_effect. */
enum hvb_verdict hvb_verdict_decide(struct hvb_metric_cmp *m, const struct hvb_judge_opts *o);
/* The metrics of one comparison (hvb_metric_compare done on each): Holm across
 * the judged ones' p-values into p_adj, then each verdict. 0 or HVB_ENOMEM. */
int hvb_judge_family(struct hvb_metric_cmp *m, size_t n, const struct hvb_judge_opts *o);
/* The smallest relative change that n repetitions per side at a relative spread
 * rel_sd would call worse with probability o->power: it must be significant
 * (the inverse of hvb_reps_needed) and its estimate, the ratio of medians, must
 * reach o->min_effect. NAN when n < 2 or the spread is unknown. */
double hvb_detectable(double rel_sd, size_t n, const struct hvb_judge_opts *o);
/* Repetitions per side for a two-sided Mann-Whitney test to detect a relative
 * effect with the given relative spread (normal approximation, ARE 3/pi);
 * HVB_REPS_REACH + 1 when more than that would be needed. */
int hvb_reps_needed(double rel_sd, double effect, double alpha, double power);

/* ---- alternative regression rules, for the gate's calibration (rules.c) ---- */
enum hvb_rule {
	HVB_RULE_HVBENCH,    /* Holm-adjusted Mann-Whitney and a minimum effect (the gate's rule) */
	HVB_RULE_CI_OVERLAP, /* mmtests style: 95% t intervals of the means do not overlap */
	HVB_RULE_MINMAX,     /* LKP style: the [min, max] ranges do not overlap */
};
const char *hvb_rule_name(enum hvb_rule r);
int hvb_rule_parse(const char *s, enum hvb_rule *r);
/* 1 when b regressed against a by the rule (and by at least threshold, relative). */
int hvb_rule_regressed(enum hvb_rule r, const double *a, size_t na, const double *b, size_t nb,
		       enum hvb_better better, double threshold);

/* ---- change points: E-Divisive with means (edivisive.c) ---- */
struct hvb_edm_opts {
	size_t min_seg;   /* minimum segment length */
	double sig;       /* permutation test significance */
	unsigned perms;   /* permutations per test */
	double exponent;  /* alpha of |x - y|^alpha, in (0, 2]; 1 by default */
	uint64_t seed;
};
void hvb_edm_opts_default(struct hvb_edm_opts *o);
/* The scaled divergence Q-hat of x[0..tau) against x[tau..n). */
double hvb_edm_qhat(const double *x, size_t n, size_t tau, double exponent);
struct hvb_change_point {
	size_t index;     /* first point of the new segment */
	double qhat, p;
	double before, after; /* medians of the segments either side */
};
/* Finds change points, sorted by index (caller frees *cps). */
int hvb_edivisive(const double *x, size_t n, const struct hvb_edm_opts *o, struct hvb_change_point **cps,
		  size_t *ncp);

/* ---- a run as cells x metrics x values (load.c) ---- */
struct hvb_series {
	char name[96], unit[16];
	enum hvb_better better;
	size_t n;
	double *v;
	int *rep; /* the repetition of each value: pairs values of one sample */
};
struct hvb_cell_data {
	struct hvb_cell_row row;
	struct hvb_series *m;
	size_t nm;
	int nok, nbad;          /* samples ok, and failed or timed out (warm-ups are neither) */
	char *bad_reason;       /* the first failed sample's reason */
	char cpu_nodes[64], mem_nodes[64]; /* from the placement and host topology; "" unknown */
	char *facts;            /* what the samples measured on ("fio.fs_type: tmpfs; ..."), NULL: none */
	char **conv;            /* each ok sample's numa-convergence.csv (autonuma), in sample order */
	size_t nconv;
};
/* One run of a set of runs loaded as one (hvb_runs_load). */
struct hvb_run_part {
	int64_t id;
	char uuid[40], host_class[24], status[16], label[128];
	int shard_index, shard_count;
};
struct hvb_run_data {
	struct hvb_run_info info;
	struct hvb_cell_data *cells;
	size_t n;
	char *warnings;         /* logged while it was measured, NULL: none */
	struct hvb_run_part *parts; /* the runs loaded (one, or the shards and hosts of a label) */
	size_t nparts;
};
int hvb_run_load(struct hvb_store *s, int64_t run_id, struct hvb_run_data *d);
/* Runs ids[0..n) as one (info: ids[0]'s): their cells side by side, those of
 * one key and host class (pool: of one key) pooled into one cell. */
int hvb_runs_load(struct hvb_store *s, const int64_t *ids, size_t n, int pool, struct hvb_run_data *d);
/* 1 when a cell measured nothing for reasons outside the build under test: its
 * status failed, interrupted or never finished, not one sample ok (a guest that
 * did not boot, a host or job that died). */
int hvb_cell_is_infra(const struct hvb_cell_data *c);
/* The facts a cell's samples recorded (their facts.json artifacts: the fio
 * target's file system...), "KEY: VALUE; ..." sorted by key, a value that
 * changed between samples as "A | B", into *facts: caller frees; NULL when
 * there are none. Returns 0, or HVB_EDB (a damaged store, said) or HVB_ENOMEM. */
int hvb_cell_facts(struct hvb_store *s, int64_t cell_id, char **facts);
/* The warnings logged while the run was measured (its warnings.log) into
 * *warnings: caller frees; NULL when there were none. Returns 0, or HVB_EDB
 * (a damaged store, said) or HVB_ENOMEM. */
int hvb_run_warnings(struct hvb_store *s, int64_t run_id, char **warnings);
void hvb_run_data_free(struct hvb_run_data *d);
const struct hvb_series *hvb_cell_series(const struct hvb_cell_data *c, const char *metric);
/* Probe and trace figures are namespaced by a known probe ("perf.cycles", "xen.exits"). */
int hvb_metric_is_probe(const char *name);
/* Values of m divided by ops of the same sample; returns how many (out has m->n room). */
/* 1 when a figure is an amount accumulated over the sample (calls, exits, bytes,
 * seconds), which per operation makes sense of; 0 for levels and distribution points. */
/* A figure of the xentrace probe stored before its roles (xen.hypercall.iret) under its
 * role's name (xen.guest.hypercall.iret in a cell of backend "xen", xen.host.* in a native
 * one): 1 with out set, 0 for any other name. Runs of both forms then compare. */
int hvb_metric_xen_role(const char *metric, const char *backend, char *out, size_t len);
int hvb_metric_is_amount(const char *name, const char *unit);
size_t hvb_series_per_op(const struct hvb_series *m, const struct hvb_series *ops, double *out);
/* The cell's key without one of its dimensions ("mode" or "placement"): cells
 * equal but for that dimension share it. */
void hvb_cell_key_without(const struct hvb_cell_row *c, const char *dim, char *buf, size_t len);
/* A short description for titles: "memlat sizes=16K vcpus=1". */
void hvb_cell_title(const struct hvb_cell_row *c, char *buf, size_t len);

/* ---- which guest mode wins, where it changes, and why (modes.c) ---- */
#define HVB_MODES_MAX 16
/* One mode's figure at one vCPU count. */
struct hvb_mode_fig {
	char mode[16];
	const struct hvb_cell_data *cell;
	double median;
	struct hvb_ci ci;        /* of the median */
};
struct hvb_mode_point {
	int vcpus;
	struct hvb_mode_fig fig[HVB_MODES_MAX]; /* every mode measured, the baseline (native) among them */
	size_t nfig;
	char winner[16], runner_up[16]; /* among the guest modes (not the baseline); "" when fewer than two */
	struct hvb_metric_cmp cmp;      /* the runner-up (a) against the winner (b): ratio, CI, p (Holm across
					 * the group's metrics at this vCPU count), verdict */
	int decided;                    /* the winner is better, with significance and the minimum effect */
};
/* One metric of one workload cell (its parameters and placement: all but mode and vCPUs). */
struct hvb_mode_answer {
	char group[256];         /* "syscall calls=getppid placement=none" */
	char metric[96], unit[16];
	enum hvb_better better;
	struct hvb_mode_point *pt; /* by vCPUs, ascending */
	size_t npt;
	/* The crossover: the first vCPU count whose decided winner is not the decided winner of the vCPU
	 * count before it (undecided counts between them are passed over); 0: none. */
	int crossover, crossover_before; /* vCPUs where the new winner is decided, and of the one before */
	char crossover_from[16], crossover_to[16];
	int ncrossovers;         /* how many times the decided winner changes */
};
/* A guest mode's distance from the baseline at one vCPU count, and what Xen did
 * per operation (per sample when the workload counts none) from the xentrace
 * probe's figures: medians of each sample's sum; NAN when the run has none. */
struct hvb_mode_gap {
	char group[256], mode[16];
	int vcpus;
	struct hvb_metric_cmp cmp; /* the baseline (a) against the mode (b) on the group's first metric */
	char metric[96];
	int per_op;
	double exit_cycles, exits, hypercalls, pt_updates;
	char top_exits[256], top_hypercalls[256], guest_hypercalls[256]; /* largest first, "" none */
};
/* Builds the answers and gaps of a run: modes against baseline ("native"). */
int hvb_mode_answers(const struct hvb_run_data *d, const char *baseline, const struct hvb_judge_opts *o,
		     struct hvb_mode_answer **ans, size_t *nans, struct hvb_mode_gap **gaps, size_t *ngaps);
void hvb_mode_answers_free(struct hvb_mode_answer *ans, size_t nans, struct hvb_mode_gap *gaps);
/* The figures a run lacks for the decomposition, said in one sentence ("" when it has them all). */
void hvb_mode_gap_absent(const struct hvb_run_data *d, char *buf, size_t len);
/* A metric against vCPUs, one line per mode with its CI band (SVG, caller frees). */
int hvb_plot_modes(const struct hvb_mode_answer *a, char **svg);

/* ---- comparisons and reports (compare.c) ---- */
struct hvb_probe_fig {
	char name[96], unit[16];
	int per_op;          /* divided by the sample's `ops` */
	double a, b;         /* medians; NAN when absent on that side */
};
struct hvb_cmp {
	const struct hvb_cell_data *a, *b; /* a = baseline */
	char title[256];
	char label_a[64], label_b[64];
	struct hvb_metric_cmp *m;
	size_t nm;
	struct hvb_probe_fig *probes;
	size_t nprobes;
	int infra;           /* gate: one side measured nothing (hvb_cell_is_infra): neither pass nor regression */
};
enum hvb_section_kind { HVB_SEC_MODES, HVB_SEC_PLACEMENT, HVB_SEC_CELLS };
/* Randomised against optimised placement (numa.c, whose header says how). */
struct hvb_numa_fig {
	size_t n;
	double median;
	struct hvb_ci ci;
};
struct hvb_numa_row {
	char title[256], metric[96], unit[16];
	char optimised[32];                       /* the placement baseline */
	enum hvb_better better;
	struct hvb_numa_fig autop, opt, remote;   /* n 0: the run has no such cell */
	struct hvb_numa_fig random;               /* n: random's samples */
	size_t ndraws;                            /* 0: no random cell */
	double draw_median, draw_min, draw_max;   /* over the draws' medians */
	struct hvb_ci draw_ci;                    /* of draw_median, bootstrap over draws */
	double draw_worst;
	int worst_draw;                           /* its placement.draw (-1: one draw, unnumbered) */
	double gain;                              /* m_opt / m_remote */
	struct hvb_ci gain_ci;
	int gain_known;                           /* the gain's CI excludes 1 */
	double share, random_share;               /* of the optimised gain auto / random recovers; NAN: undefined */
	struct hvb_ci share_ci, random_share_ci;
};
struct hvb_section {
	enum hvb_section_kind kind;
	char title[128];
	char baseline[32];   /* the baseline's mode or placement; run label for CELLS */
	struct hvb_cmp *cmps;
	size_t n;
};
struct hvb_report {
	const char *kind;            /* "report", "compare", "gate" */
	struct hvb_run_data runs[2]; /* [0] the run (report) or the baseline; [1] the candidate */
	size_t nruns;
	struct hvb_judge_opts opts;
	struct hvb_section *sec;
	size_t nsec;
	struct hvb_numa_row *numa;   /* report: random, auto, optimised and remote placement side by side */
	size_t nnuma;
	char **unmatched;            /* compare/gate: cell keys present on one side only */
	size_t nunmatched;
	/* gate */
	double max_regression;
	enum hvb_rule rule;
	size_t nworse, nbetter, nsame, ninconclusive, nregressed, njudged;
	size_t nmissing;             /* baseline measured, candidate has no value */
	char **infra;                /* gate: infrastructure failures, one line each (a shard with no run, a cell
				      * that measured nothing, and why): the outcome is neither pass nor regression */
	size_t ninfra;
	int width;                   /* text: the columns tables and paragraphs fit (<= 0: any) */
	/* report: which guest mode wins per workload and vCPU count, and the gap to the baseline (modes.c) */
	struct hvb_mode_answer *answers;
	size_t nanswers;
	struct hvb_mode_gap *gaps;
	size_t ngaps;
	char gaps_absent[512];
};
/* hvbench report: guest modes against baseline_mode ("native" when NULL), and
 * placements against "local". */
int hvb_report_build(struct hvb_store *s, int64_t run_id, const char *baseline_mode,
		     const struct hvb_judge_opts *o, struct hvb_report *r);
/* The NUMA rows of run d into r->numa, optimised: the placement baseline. */
int hvb_numa_build(struct hvb_report *r, const struct hvb_run_data *d, const char *optimised);
/* hvbench compare: the cells of b matched to a's by their canonical key. */
int hvb_compare_build(struct hvb_store *s, int64_t run_a, int64_t run_b, const struct hvb_judge_opts *o,
		      struct hvb_report *r);
/* hvbench gate: compare, then mark regressions (worse, significant, beyond max_regression). */
int hvb_gate_build(struct hvb_store *s, int64_t baseline, int64_t candidate, const struct hvb_judge_opts *o,
		   double max_regression, enum hvb_rule rule, struct hvb_report *r);
/* The same on sets of runs (hvb_store_run_set): shards and hosts side by side,
 * never pooled or compared across host classes unless o->across_hosts. */
int hvb_report_build_set(struct hvb_store *s, const int64_t *ids, size_t n, const char *baseline_mode,
			 const struct hvb_judge_opts *o, struct hvb_report *r);
int hvb_compare_build_sets(struct hvb_store *s, const int64_t *a, size_t na, const int64_t *b, size_t nb,
			   const struct hvb_judge_opts *o, struct hvb_report *r);
int hvb_gate_build_sets(struct hvb_store *s, const int64_t *a, size_t na, const int64_t *b, size_t nb,
			const struct hvb_judge_opts *o, double max_regression, enum hvb_rule rule, struct hvb_report *r);
void hvb_report_free(struct hvb_report *r);
/* How two runs were measured: 1 when interleaved (their times overlap: one
 * `hvbench run` with both configs, samples taking turns), 0 when one after the
 * other, with *gap_s the seconds between the first's end and the second's start. */
int hvb_runs_interleaved(const struct hvb_run_info *a, const struct hvb_run_info *b, double *gap_s);
/* Whether two runs measured the same hypervisor: compares what each stored of
 * Xen (version, changeset, command line, scheduler and its parameters, the
 * hooks present). Returns how many differ, described in buf ("scheduler
 * 'credit2 ratelimit_us=1000' against 'credit'; ..."); 0 when alike. */
size_t hvb_runs_xen_differ(const struct hvb_run_info *a, const struct hvb_run_info *b, char *buf, size_t len);
/* The same for the kernel's environment: its command line, CPU mitigations
 * (cpu_vulnerabilities), microcode and SMT. */
size_t hvb_runs_env_differ(const struct hvb_run_info *a, const struct hvb_run_info *b, char *buf, size_t len);
/* Each way two runs' hosts may differ that a comparison warns of, NULL-terminated:
 * what differs ("hypervisors"), what a change may then come from ("the
 * hypervisor"), the key of the JSON report and JUnit property, the test. */
struct hvb_run_diff {
	const char *what, *cause, *key;
	size_t (*differ)(const struct hvb_run_info *a, const struct hvb_run_info *b, char *buf, size_t len);
};
extern const struct hvb_run_diff hvb_run_diffs[];

/* ---- history of a metric across runs (history.c) ---- */
struct hvb_history_point {
	int64_t run_id;
	char label[128];
	double started;
	double median;
	size_t n;
};
struct hvb_history {
	char key[560];        /* the cell key the series belongs to, and its host class */
	char metric[96], unit[16];
	struct hvb_history_point *pt;
	size_t n;
	struct hvb_change_point *cps;
	size_t ncp;
};
/* SELECTOR is "[WORD ...:]METRIC": the words must all occur in the cell key.
 * label_glob (fnmatch) may be NULL. One series per matching cell key. */
/* One series per cell key and host class (across_hosts: per cell key, hosts pooled). */
int hvb_history_load(struct hvb_store *s, const char *selector, const char *label_glob, int across_hosts,
		     struct hvb_history **h, size_t *nh);
int hvb_history_changes(struct hvb_history *h, const struct hvb_edm_opts *o);
void hvb_history_free(struct hvb_history *h, size_t nh);

/* ---- output formats: one file each, one const ops table, one list (format.c) ---- */
struct hvb_format_ops {
	const char *name;
	const char *summary;
	int (*write)(const struct hvb_report *r, FILE *out);
};
extern const struct hvb_format_ops *const hvb_formats[]; /* NULL-terminated */
const struct hvb_format_ops *hvb_format_find(const char *name);
/* JUnit XML: one test case per cell and metric (junit.c). */
int hvb_junit_write(const struct hvb_report *r, FILE *out);

/* helpers the formats share (format.c) */
/* "1.23", "123", "1.23e+06": 3-4 significant digits, NAN as "-" */
void hvb_fmt_num(double v, char *buf, size_t len);
/* "+5.2%" from a ratio */
void hvb_fmt_pct(double ratio, char *buf, size_t len);
/* The verdict as words: "worse", "inconclusive (need 6 more repetitions)". */
void hvb_fmt_verdict(const struct hvb_metric_cmp *m, char *buf, size_t len);
/* Writes s with XML/HTML special characters escaped. */
void hvb_xml_escape(FILE *out, const char *s);
/* Flattens host_json into "key: value" pairs; calls cb for each. */
int hvb_host_facts(const char *host_json, void (*cb)(const char *key, const char *value, void *arg), void *arg);
/* Failed/skipped cells of a run, for the formats. */
int hvb_cell_is_trouble(const struct hvb_cell_data *c);

/* ---- gnuplot (plot.c, plot-report.c) ---- */
/* 1 when gnuplot can be run; 0 with why. */
int hvb_plot_available(char *why, size_t len);
/* Runs gnuplot with the script (which sets its terminal, svg or pngcairo, and
 * writes to stdout) through posix_spawn; *out is what it wrote (caller frees),
 * *len its length (len may be NULL). */
int hvb_plot_run(const char *script, char **out, size_t *len);
/* Quotes s as a gnuplot single-quoted string into buf. */
void hvb_plot_quote(const char *s, char *buf, size_t len);
/* The SVG with every id, and every reference to one, prefixed: plots embedded
 * in one page must not share gnuplot's ids. Caller frees; NULL out of memory. */
char *hvb_svg_prefix_ids(const char *svg, const char *prefix);
/* A metric of a size series ("lat_ns.16K": family "lat_ns", 16384 bytes): 1; else 0. */
int hvb_metric_size(const char *name, char *family, size_t flen, uint64_t *bytes);
/* The families among names with two sizes or more, in order (at most max). */
size_t hvb_plot_families(const char *const *names, size_t nn, char (*fam)[96], size_t max);
/* The plots of one group of comparisons sharing their baseline cell (cmps[i].a),
 * SVG in *svg (caller frees):
 * every sample of each cell over its quartile box, with the median's 95% CI; */
int hvb_plot_distribution(const struct hvb_cmp *cmps, size_t n, const char *metric, char **svg);
/* a size series (family, among the group's metric names) against the working-set
 * size, log x axis, a line per cell with its CI band (lmbench's lat_mem_rd curve); */
int hvb_plot_curve(const struct hvb_cmp *cmps, size_t n, const char *const *names, size_t nn, const char *family,
		   char **svg);
/* the metric a heat map shows: wanted when measured on cells whose nodes are
 * known, else the one the comparisons move most (largest |log ratio|); NULL: none; */
const char *hvb_heat_metric(const struct hvb_cmp *cmps, size_t n, const char *wanted);
/* the median relative to the baseline's by CPU node x memory node (chosen: the
 * metric was asked for); HVB_EINVAL when no cell's nodes are known; */
int hvb_plot_heatmap(const struct hvb_cmp *cmps, size_t n, const char *metric, int chosen, char **svg);
/* compare, gate: candidate / baseline of each cmps[i] by its nodes. */
int hvb_plot_heatmap_change(const struct hvb_cmp *cmps, size_t n, const char *metric, int chosen, char **svg);
/* The forest plot: every judged comparison's ratio with its CI, in the order of
 * hvb_forest_rows: regressions, worse, inconclusive, better, same; within each,
 * the larger change in the worse direction first. */
struct hvb_forest_row {
	const struct hvb_cmp *c;
	const struct hvb_metric_cmp *m;
};
size_t hvb_forest_rows(const struct hvb_report *r, struct hvb_forest_row **rows);
int hvb_plot_forest(const struct hvb_report *r, char **svg);
/* A cell's convergence over time (plot-numa.c): the local share each sample's
 * autonuma looks saw, one line per sample; HVB_EINVAL when the cell has none. */
int hvb_plot_convergence(const struct hvb_cell_data *c, char **svg);
/* A history series with its change points, as SVG or (png) PNG. */
int hvb_plot_history(const struct hvb_history *h, int png, char **out, size_t *len);

#endif
