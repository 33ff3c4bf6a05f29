/* SPDX-License-Identifier: GPL-2.0-or-later */
/* futexhash: contention on the kernel's futex hash table, as perf bench futex
 * hash measures it. Every thread calls FUTEX_WAIT on each of its many futexes
 * with a value the futex does not hold: the kernel hashes the address, takes the
 * hash bucket's spinlock, compares and returns EAGAIN, never sleeping. The
 * threads' futexes share the buckets, so with threads on several CPUs the
 * bucket spinlocks are contended: in a guest, a vCPU preempted while it holds
 * one stalls the others (lock-holder preemption on a kernel lock). */
#include "config.h"
#include <errno.h>
#include <linux/futex.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

static const struct hvb_option futexhash_options[] = {
	{ .name = "threads", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 4096,
	  .help = "threads, each on futexes of its own (auto = the CPUs)" },
	{ .name = "futexes", .type = HVB_OPT_INT, .def = "1024", .min = 1, .max = 1048576,
	  .help = "futexes per thread, called in turn" },
	{ .name = "shared", .type = HVB_OPT_BOOL, .def = "off",
	  .help = "off: private futexes (FUTEX_PRIVATE_FLAG, keyed by address space); on: shared ones (keyed "
		  "by the page: the page is looked up on every call)" },
	{ 0 },
};

static const struct hvb_metric_doc futexhash_metrics[] = {
	{ "ops_per_s", "ops/s", HVB_HIGHER, "futex calls per second, all threads" },
	{ "op_ns", "ns", HVB_LOWER, "one futex call of one thread (mean)" },
	{ "threads", "threads", HVB_INFO, "calling threads" },
	{ "ops", "ops", HVB_INFO, "futex calls counted in the sample" },
	{ 0 },
};

struct fstat {
	alignas(64) uint64_t ops;
	double busy_s;
};

struct futexhash {
	int nfutex, op;
	uint32_t *words; /* threads x nfutex, all 0 */
	struct fstat *st;
};

static int futexhash_supported(char *why, size_t len) { return 1; }

static int call_loop(void *arg, int idx, struct hvb_team *t)
{
	struct futexhash *fh = arg;
	struct fstat *st = &fh->st[idx];
	uint32_t *w = fh->words + (size_t)idx * (size_t)fh->nfutex;
	double t0 = hvb_now();

	while (hvb_team_running(t)) {
		for (int i = 0; i < fh->nfutex; i++)
			/* expects 1 where the word holds 0: EAGAIN, after the bucket lock */
			if (syscall(SYS_futex, &w[i], fh->op, 1, NULL, NULL, 0) == 0 || errno != EAGAIN)
				return hvb_team_fail(t, errno == ENOSYS ? HVB_ESKIP : HVB_EIO, "futex(FUTEX_WAIT)");
		st->ops += (uint64_t)fh->nfutex;
	}
	st->busy_s = hvb_now() - t0;
	return 0;
}

static int futexhash_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	int n = hvb_wl_threads(ctx, "threads"), rc;
	struct futexhash fh = { .nfutex = (int)hvb_param_int(ctx->params, "futexes"),
				.op = FUTEX_WAIT | (hvb_param_bool(ctx->params, "shared") ? 0 : FUTEX_PRIVATE_FLAG) };
	struct hvb_team team = { .fn = call_loop, .arg = &fh };
	uint64_t ops = 0;
	double busy = 0;
	char err[320];

	fh.words = calloc((size_t)n * (size_t)fh.nfutex, sizeof(*fh.words));
	fh.st = aligned_alloc(64, sizeof(*fh.st) * (size_t)n);
	if (!fh.words || !fh.st) {
		free(fh.words);
		free(fh.st);
		return hvb_wl_fail(res, HVB_ENOMEM, "futexhash: out of memory for %d x %d futexes", n, fh.nfutex);
	}
	memset(fh.st, 0, sizeof(*fh.st) * (size_t)n);
	rc = hvb_team_run(&team, n, ctx->duration_s, err, sizeof(err));
	for (int i = 0; i < n; i++) {
		ops += fh.st[i].ops;
		busy += fh.st[i].busy_s;
	}
	free(fh.words);
	free(fh.st);
	if (rc < 0)
		return hvb_wl_fail(res, rc, "futexhash: %s", err);
	if (!ops)
		return hvb_wl_fail(res, HVB_EIO, "futexhash: no round of futex calls completed in %.3f s",
				   team.t_end - team.t_go);
	hvb_metrics_add(&res->metrics, "ops_per_s", (double)ops / (team.t_end - team.t_go), "ops/s", HVB_HIGHER);
	hvb_metrics_add(&res->metrics, "op_ns", busy * 1e9 / (double)ops, "ns", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "threads", n, "threads", HVB_INFO);
	res->ops = ops;
	hvb_metrics_add(&res->metrics, "ops", (double)ops, "ops", HVB_INFO);
	return 0;
}

const struct hvb_workload_ops hvb_wl_futexhash = {
	.name = "futexhash",
	.summary = "futex hash table contention: threads calling FUTEX_WAIT on many futexes (perf bench futex hash)",
	.options = futexhash_options,
	.metrics = futexhash_metrics,
	.op_name = "futex call",
	.supported = futexhash_supported,
	.run = futexhash_run,
};
