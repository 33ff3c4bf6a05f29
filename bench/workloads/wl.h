/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to bench/workloads/: what the workload files share beyond bench.h
 * (thread counts, the calibrated extra-work knob, cache sizes, running external
 * programs, and the fio / iperf3 output parsers). Tests include it too. */
#ifndef HVB_WL_H
#define HVB_WL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "bench/bench.h"

/* cpu_relax: tells the core (and under Xen HVM/PVH, pause-loop exiting) that we spin. */
static inline void hvb_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

/* A thread-count parameter: "auto" = the CPUs the agent may use. */
int hvb_wl_threads(const struct hvb_wl_ctx *ctx, const char *name);

/* The extra_work knob (0..1) every micro-benchmark that supports gate calibration
 * carries: after each timed batch of counted operations the workload calls
 * hvb_extra_pay(), which runs uncounted, identical operations inside the timed
 * region until the time they took reaches f times the time the counted ones took,
 * in the same sample. A closed loop, not a guess: each round is sized from the
 * operation's cost measured so far and the clock is read again after it, so a
 * shortfall or an overshoot is settled by the next batch, and at the end of the
 * sample the figure per operation is (1 + f) times what the same sample cost
 * without it (rates 1 / (1 + f)), however the operation's cost moved. Real work of
 * the same kind, no sleeping; the fraction achieved is reported as an info metric. */
#define HVB_WL_EXTRA_WORK_OPTION                                                                         \
	{ .name = "extra_work", .type = HVB_OPT_FLOAT, .def = "0", .min = 0, .max = 1,                  \
	  .help = "calibration: also run uncounted, identical operations inside the timed region until "\
		  "they took this fraction of the counted ones' time (per-op cost x (1 + f)); 0 for real "   \
		  "measurements" }
/* Its metric's documentation; NAME is "extra_work" or "extra_work.%s" (one per figure). */
#define HVB_WL_EXTRA_WORK_METRIC(NAME)                                                                   \
	{ NAME, "ratio", HVB_INFO,                                                                       \
	  "calibration only (extra_work > 0): CPU time of the uncounted extra operations over that of "  \
	  "the counted ones, as measured in the sample" }
/* Runs n uncounted operations; 0, or a negative code / an errno the workload reports. */
typedef int (*hvb_extra_op)(void *arg, uint64_t n);
struct hvb_extra {
	double f;
	/* the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID) spent on counted batches and
	 * on extra work: a preemption, which lands on either, is neither's cost (wall time made a
	 * fraction of 0.5 read 1.2 with other tests beside it) */
	double counted_s, extra_s;
	double cpu_t;                  /* the thread's CPU clock at the last pay; -1 before the first */
	uint64_t counted_ops, extra_ops;
	hvb_extra_op op;
	void *arg;
};
/* f from the workload's extra_work parameter. */
void hvb_extra_init(struct hvb_extra *e, const struct hvb_params *p, hvb_extra_op op, void *arg);
/* After a counted batch of n operations that began at *t (hvb_now()), the caller
 * having done nothing else since: pays the extra work owed. *t becomes the clock
 * at the end, where the next batch begins. With f = 0 it only reads the clock, as
 * the workload would. Returns 0 or what op returned. */
int hvb_extra_pay(struct hvb_extra *e, uint64_t n, double *t);
/* 1 when no more extra work than owed was done (within 1% of it and one operation):
 * a sample that overshot, e.g. because the extra work was preempted, may run more
 * counted batches, which owe nothing until the fraction is back to f. */
int hvb_extra_settled(const struct hvb_extra *e);
/* Adds the info metric "extra_work" (label NULL) or "extra_work.LABEL" when f > 0. */
int hvb_extra_report(const struct hvb_extra *e, struct hvb_metrics *m, const char *label);

/* A sample that measures several paths (sizes, calls, tests) counts each apart,
 * as the info metric name (unit: what one operation is), and gives "ops" -- the
 * base of probe figures per operation -- with res->ops only when it measured one
 * path: a sum over paths whose costs differ 100-fold is no base. */
void hvb_wl_path_ops(struct hvb_wl_result *res, const char *name, uint64_t n, const char *unit, int npaths);

/* A LIST parameter of choices[] as flags: want[i] = 1 for each choice named.
 * Returns how many were named, or a negative code. */
int hvb_wl_choice_set(const struct hvb_params *p, const char *name, const char *const *choices, int *want);

/* Last-level cache size in bytes from sysfs (cpu0's highest unified level),
 * else sysconf; 0 when neither says. */
uint64_t hvb_llc_size(void);

/* Looks a program up in $PATH; 1 when found (path filled), 0 otherwise. */
int hvb_find_program(const char *name, char *path, size_t len);
/* supported() of a workload that runs prog: 1, or 0 with why. */
int hvb_wl_program_supported(const char *prog, char *why, size_t len);

/* The type of the file system path is on, as the mount table names it (ext4,
 * tmpfs, xfs, 9p, overlay...), "block device" for one; *in_memory when it keeps
 * files in memory (tmpfs, ramfs, hugetlbfs). 0, or HVB_EIO with strerror in name. */
int hvb_fs_type(const char *path, char *name, size_t len, int *in_memory);

/* ---- address-space primitives (bench/workloads/wl-mm.c) ---- */
#define HVB_SMALL_PAGE 4096UL
#define HVB_HUGE_PAGE (2UL << 20)
/* Maps len bytes of anonymous memory; with thp aligned to a huge page and
 * advised (MADV_HUGEPAGE), else advised against. *base, *maplen: what to munmap.
 * NULL when mmap failed. */
char *hvb_mm_map(size_t len, int thp, void **base, size_t *maplen);
/* One write to every 4 KiB of p: the first touch faults each page in. */
void hvb_mm_touch(char *p, size_t len);
/* 1 when transparent huge pages are not disabled on this host. */
int hvb_mm_thp_available(void);
/* One fork + child (execv(argv[0], argv), or _exit(0) when argv is NULL) + wait,
 * timed into *s; the child's stdout and stderr go to null_fd (>= 0). Returns 0,
 * or a negative code with why (the child failed, or could not exec). */
int hvb_fork_once(char *const argv[], int null_fd, double *s, char *why, size_t len);

/* ---- a team of threads (bench/workloads/wl-team.c) ----
 * n threads that start together, run fn(arg, idx, team) until team->stop, and
 * are joined after duration_s (or as soon as one failed). fn returns 0 or a
 * negative code, having said why with hvb_team_fail. */
struct hvb_team;
typedef int (*hvb_team_fn)(void *arg, int idx, struct hvb_team *t);
struct hvb_team {
	hvb_team_fn fn;
	void *arg;
	atomic_int go, stop, failed;
	double t_go, t_end;    /* the start signal; after the last thread ended */
	char why[256];
};
/* Returns 0, or the first thread's negative code with err filled. */
int hvb_team_run(struct hvb_team *t, int n, double duration_s, char *err, size_t errlen);
/* From a member, after a failed system call (errno): records what failed
 * (the first failure only), stops the team, returns code. */
int hvb_team_fail(struct hvb_team *t, int code, const char *what);
static inline int hvb_team_running(struct hvb_team *t)
{
	return !atomic_load_explicit(&t->stop, memory_order_relaxed);
}

/* ---- external programs (bench/workloads/wl-proc.c) ----
 * Nothing a sample starts outlives it: each program runs under a supervisor
 * process that leads its process group and stops it (TERM, a grace, KILL), with
 * everything it started, when asked or when the agent dies however it dies, and
 * then removes the sample's scratch directory. */
struct hvb_proc {
	pid_t pid;       /* the supervisor, leader of the program's process group; 0 once reaped */
	int status_fd;
	int status;      /* the program's wait status, once ended */
	int exec_errno;  /* nonzero when the program could not be started */
};
/* Starts argv[0] (a path) with stdin from /dev/null, stdout to out_fd and stderr
 * to err_fd (-1: /dev/null). scratch_dir (or NULL) is removed should the agent
 * die first. Returns 0, or a negative code with err filled. */
int hvb_proc_start(struct hvb_proc *p, char *const argv[], int out_fd, int err_fd, const char *scratch_dir,
		   char *err, size_t errlen);
/* Waits up to timeout_s: 1 when it ended (status filled, reaped), 0 when not. */
int hvb_proc_wait(struct hvb_proc *p, double timeout_s);
/* Stops it and all it started, and reaps them: 1 when it had ended by itself. */
int hvb_proc_stop(struct hvb_proc *p);

/* A new directory of the sample's scratch files in parent (mkdtemp, named with
 * the agent's pid); removed with hvb_wl_scratch_remove. Returns 0 or a code. */
int hvb_wl_scratch_make(const char *parent, char *dir, size_t len, char *err, size_t errlen);
void hvb_wl_scratch_remove(const char *dir);
/* The agent: SIGTERM, SIGINT and SIGHUP remove the scratch directory in progress, then kill as before. */
void hvb_wl_scratch_guard(void);
/* Removes scratch directories in parent left by agents that are gone (killed
 * before their supervisors could). Called when the agent starts. */
void hvb_wl_scratch_sweep(const char *parent);

/* Runs argv[0] (a path) as above and collects stdout and stderr (each capped at
 * cap bytes); stops it after timeout_s. *status is the wait status. Returns 0,
 * or a negative code with err filled when it could not run or timed out. */
struct hvb_spawn_out {
	char *out, *err;
	size_t outlen, errlen;
	int status;
};
int hvb_spawn_capture(char *const argv[], double timeout_s, size_t cap, const char *scratch_dir,
		      struct hvb_spawn_out *o, char *err, size_t errlen);
void hvb_spawn_out_free(struct hvb_spawn_out *o);

/* ---- fio --output-format=json (bench/workloads/fio-json.c) ---- */
struct hvb_fio_result {
	double read_iops, write_iops;
	double read_bw_bytes, write_bw_bytes;      /* bytes per second */
	double clat_p50_ns, clat_p99_ns, clat_p999_ns; /* of the direction that did I/O; both: the worse */
	double ios;                                /* total I/Os completed */
	int jobs;
	char version[32];
};
/* Parses fio's output: JSON possibly preceded or followed by other text, possibly
 * with duplicate keys (the last wins). On failure err names what it got, r holds
 * no figure (its version only). A negative iops, bw_bytes, bw or total_ios (fio
 * prints -1 where it has none) is refused: err names the job, the direction, the
 * key and the value. */
int hvb_fio_parse(const char *text, size_t len, struct hvb_fio_result *r, char *err, size_t errlen);

/* ---- iperf3 --json (bench/workloads/iperf3-json.c) ---- */
struct hvb_iperf3_result {
	int udp, reverse;
	double bits_per_second;     /* receiver side for TCP; for UDP the sum as iperf3 reports it */
	double sent_bits_per_second;
	/* Figures iperf3 did not report, or reported as nan, are NAN. */
	double retransmits;         /* TCP */
	double cpu_host, cpu_remote; /* percent total */
	double jitter_ms, lost_percent; /* UDP */
	double bytes;
	double seconds;
	char trailing[256];         /* first line of any text after the JSON */
};
/* Parses iperf3 --json output: may be followed by error text and hold -nan/nan;
 * an "error" member in the object is reported as the run's failure. */
int hvb_iperf3_parse(const char *text, size_t len, struct hvb_iperf3_result *r, char *err, size_t errlen);

/* Shared by both parsers: finds the JSON object in text (skipping text before the
 * first '{' that starts a line, else the first '{') and decodes it with jansson,
 * leaving trailing text alone; *end = offset just past the object. Returns a
 * json_t* as void*, or NULL with err naming what was there. */
void *hvb_json_find_object(const char *text, size_t len, const char *what, size_t *end, char *err,
			   size_t errlen);

#endif
