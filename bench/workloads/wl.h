/* Internal to bench/workloads/: what the workload files share beyond bench.h
 * (thread counts, the calibrated extra-work knob, cache sizes, running external
 * programs, and the fio / iperf3 output parsers). Tests include it too. */
#ifndef HVB_WL_H
#define HVB_WL_H

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
 * carries. For each counted operation a fraction f of an additional, identical
 * operation is executed inside the timed region but not counted, so the figure per
 * operation rises by exactly (1 + f) in expectation and rates fall by 1 / (1 + f):
 * real work of the same kind, proportional, no sleeping or spinning on a clock. */
#define HVB_WL_EXTRA_WORK_OPTION                                                                         \
	{ .name = "extra_work", .type = HVB_OPT_FLOAT, .def = "0", .min = 0, .max = 1,                  \
	  .help = "calibration: also run this fraction of uncounted, identical operations inside the "  \
		  "timed region (per-op cost x (1 + f)); 0 for real measurements" }
struct hvb_extra {
	double f, credit;
};
/* Number of extra operations owed after n counted ones. */
static inline uint64_t hvb_extra_due(struct hvb_extra *e, uint64_t n)
{
	uint64_t k;

	if (e->f <= 0)
		return 0;
	e->credit += e->f * (double)n;
	k = (uint64_t)e->credit;
	e->credit -= (double)k;
	return k;
}

/* A LIST parameter of choices[] as flags: want[i] = 1 for each choice named.
 * Returns how many were named, or a negative code. */
int hvb_wl_choice_set(const struct hvb_params *p, const char *name, const char *const *choices, int *want);

/* Last-level cache size in bytes from sysfs (cpu0's highest unified level),
 * else sysconf; 0 when neither says. */
uint64_t hvb_llc_size(void);

/* Looks a program up in $PATH; 1 when found (path filled), 0 otherwise. */
int hvb_find_program(const char *name, char *path, size_t len);

/* Runs argv[0] (a path) with posix_spawn, stdin from /dev/null, and collects stdout
 * and stderr (each capped at cap bytes). Kills it (SIGKILL to its process group)
 * after timeout_s. *status is the wait status. Returns 0, or a negative code with
 * err filled when it could not run or timed out. */
struct hvb_spawn_out {
	char *out, *err;
	size_t outlen, errlen;
	int status;
};
int hvb_spawn_capture(char *const argv[], double timeout_s, size_t cap, struct hvb_spawn_out *o, char *err,
		      size_t errlen);
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
 * with duplicate keys (the last wins). On failure err names what it got. */
int hvb_fio_parse(const char *text, size_t len, struct hvb_fio_result *r, char *err, size_t errlen);

/* ---- iperf3 --json (bench/workloads/iperf3-json.c) ---- */
struct hvb_iperf3_result {
	int udp, reverse;
	double bits_per_second;     /* receiver side for TCP; for UDP the sum as iperf3 reports it */
	double sent_bits_per_second;
	double retransmits;         /* TCP; -1 when not reported */
	double cpu_host, cpu_remote; /* percent total */
	double jitter_ms, lost_percent; /* UDP */
	double bytes;
	double seconds;
};
/* Parses iperf3 --json output: may be followed by error text and hold -nan/nan;
 * an "error" member in the object is reported as the run's failure. */
int hvb_iperf3_parse(const char *text, size_t len, struct hvb_iperf3_result *r, char *err, size_t errlen);

/* Shared by both parsers: finds the outermost JSON object in text (skipping text
 * before the first '{' that starts a line, or any '{') and decodes it with jansson,
 * leaving trailing text alone. Returns a json_t* as void*, or NULL with err set. */
void *hvb_json_find_object(const char *text, size_t len, const char *what, char *err, size_t errlen);

#endif
