/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memlat: memory latency by a dependent-load pointer chase over a random cycle,
 * one cache line per element, for each working-set size. The chase defeats the
 * prefetchers, so ns per access is load-to-use latency of where the set lives
 * (cache, local or remote node; under Xen also the cost of nested paging).
 * sizes = auto draws the curve: powers of two from 4 KiB to 4x the last-level
 * cache. node = N binds the buffer to NUMA node N with mbind(). */
#include "config.h"
#include <errno.h>
#include <numaif.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

#define LINE 64
#define MAX_SIZES 32
#define AUTO_MIN 4096
#define AUTO_LLC_FACTOR 4
#define AUTO_FALLBACK_MAX (256ULL << 20) /* when no cache size is known */
#define CHECK_STEPS 65536                /* loads between two clock reads */
#define WARM_MAX (1u << 20)              /* loads of the untimed warm-up */
#define MAX_NODES 1024

static const struct hvb_option memlat_options[] = {
	{ .name = "sizes", .type = HVB_OPT_SIZE, .def = "16K,256K,4M,64M", .flags = HVB_OPT_LIST | HVB_OPT_AUTO, .mapped = 1,
	  .help = "working-set sizes, each measured in the same sample; auto = powers of two from 4K to 4x the "
		  "last-level cache", .min = 4096, .max = 64.0 * (1ULL << 30) },
	{ .name = "hugepages", .type = HVB_OPT_BOOL, .def = "off",
	  .help = "back the buffer with transparent huge pages (madvise)" },
	{ .name = "node", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 0, .max = MAX_NODES - 1,
	  .help = "bind the buffer to this NUMA node (mbind); auto = no binding, the agent's placement decides" },
	HVB_WL_EXTRA_WORK_OPTION,
	{ 0 },
};

static const struct hvb_metric_doc memlat_metrics[] = {
	{ "lat_ns.%s", "ns", HVB_LOWER, "mean latency of one dependent load at working-set size %s" },
	{ "llc_bytes", "bytes", HVB_INFO, "last-level cache size the auto curve was drawn against" },
	{ "ops.%s", "accesses", HVB_INFO, "loads performed at working-set size %s" },
	{ "ops", "accesses", HVB_INFO, "with one working-set size: its loads (probe figures are then per load); "
				       "with several there is no single operation, and no ops" },
	HVB_WL_EXTRA_WORK_METRIC("extra_work.%s"),
	{ 0 },
};

static int memlat_supported(char *why, size_t len) { return 1; }

/* Builds a random cyclic permutation over n lines (Sattolo), so every line is
 * visited once per lap in an order the prefetcher cannot follow. */
static int build_cycle(char *buf, size_t n, uint64_t *seed)
{
	size_t *order = malloc(n * sizeof(*order));

	if (!order)
		return HVB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = hvb_rand_next(seed) % i, t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		*(void **)(buf + order[i] * LINE) = buf + order[(i + 1) % n] * LINE;
	free(order);
	return 0;
}

static void **walk(void **p, uint64_t steps)
{
	uint64_t i = 0;

	for (; i + 8 <= steps; i += 8) {
		p = (void **)*p; p = (void **)*p; p = (void **)*p; p = (void **)*p;
		p = (void **)*p; p = (void **)*p; p = (void **)*p; p = (void **)*p;
	}
	for (; i < steps; i++)
		p = (void **)*p;
	return p;
}

/* The chase goes on from where it stands: extra_work's operation. */
static int walk_more(void *arg, uint64_t steps)
{
	void ***p = arg;

	*p = walk(*p, steps);
	return 0;
}

/* extra_work: after each counted batch the same chase goes on, uncounted, for
 * f x the batch's time (hvb_extra_pay), so ns per counted load is (1 + f) times
 * the real one. */
static double chase(char *buf, size_t n, double budget_s, const struct hvb_params *params, uint64_t *ops,
		    struct hvb_extra *ex)
{
	void **p = (void **)buf;
	uint64_t steps = 0;
	double t0, t;

	hvb_extra_init(ex, params, walk_more, &p);
	/* Untimed: warm the caches and TLB (the pages are already faulted in). */
	p = walk(p, n < WARM_MAX ? n : WARM_MAX);
	t = t0 = hvb_now();
	do {
		p = walk(p, CHECK_STEPS);
		steps += CHECK_STEPS;
		hvb_extra_pay(ex, CHECK_STEPS, &t);
	} while (t - t0 < budget_s || (!hvb_extra_settled(ex) && t - t0 < 2 * budget_s));
	/* Keep the chase alive: the compiler must not drop the loads. */
	__asm__ volatile("" : : "r"(p) : "memory");
	*ops += steps;
	return (t - t0) * 1e9 / (double)steps;
}

/* sizes = auto: 4 KiB, 8 KiB ... up to AUTO_LLC_FACTOR x the LLC. */
static int auto_sizes(uint64_t llc, uint64_t *sizes, int max)
{
	uint64_t top = llc ? llc * AUTO_LLC_FACTOR : AUTO_FALLBACK_MAX;
	int n = 0;

	for (uint64_t s = AUTO_MIN; s <= top && n < max; s *= 2)
		sizes[n++] = s;
	if (n < max && sizes[n - 1] < top)
		sizes[n++] = top; /* an LLC that is not a power of two */
	return n;
}

/* Binds [buf, buf+len) to one node before first touch. */
static int bind_node(char *buf, size_t len, int node, struct hvb_wl_result *res)
{
	unsigned long mask[MAX_NODES / (8 * sizeof(unsigned long))] = { 0 };
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", node);
	if (access(path, F_OK))
		return hvb_wl_fail(res, HVB_ESKIP, "memlat: NUMA node %d does not exist on this host", node);
	mask[node / (8 * sizeof(unsigned long))] |= 1UL << (node % (8 * sizeof(unsigned long)));
	if (mbind(buf, len, MPOL_BIND, mask, MAX_NODES, MPOL_MF_STRICT) < 0)
		return hvb_wl_fail(res, errno == EINVAL || errno == ENOSYS ? HVB_ESKIP : HVB_EIO,
				   "memlat: cannot bind memory to node %d: %s", node, strerror(errno));
	return 0;
}

/* The binding is verified, not assumed: the node each end of the buffer landed on. */
static int check_node(char *buf, size_t len, int node, struct hvb_wl_result *res)
{
	char *at[2] = { buf, buf + len - LINE };

	for (int i = 0; i < 2; i++) {
		int got = -1;
		if (get_mempolicy(&got, NULL, 0, at[i], MPOL_F_NODE | MPOL_F_ADDR) < 0)
			return hvb_wl_fail(res, HVB_EIO, "memlat: get_mempolicy: %s", strerror(errno));
		if (got != node)
			return hvb_wl_fail(res, HVB_EIO, "memlat: buffer bound to node %d landed on node %d", node,
					   got);
	}
	return 0;
}

static int measure(const struct hvb_wl_ctx *ctx, uint64_t size, double budget_s, int nsizes, uint64_t *seed,
		   struct hvb_wl_result *res)
{
	int huge = hvb_param_bool(ctx->params, "hugepages"), rc = 0;
	int node = hvb_param_is_auto(ctx->params, "node") ? -1 : (int)hvb_param_int(ctx->params, "node");
	char *buf, label[32];

	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return hvb_wl_fail(res, HVB_ENOMEM, "memlat: cannot map %llu bytes", (unsigned long long)size);
	madvise(buf, size, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	if (node >= 0)
		rc = bind_node(buf, size, node, res);
	if (!rc && build_cycle(buf, size / LINE, seed) < 0)
		rc = hvb_wl_fail(res, HVB_ENOMEM, "memlat: out of memory for the cycle of %llu bytes",
				 (unsigned long long)size);
	if (!rc && node >= 0)
		rc = check_node(buf, size, node, res);
	if (!rc) {
		struct hvb_extra ex;
		uint64_t n = 0;
		double ns = chase(buf, size / LINE, budget_s, ctx->params, &n, &ex);
		char name[48];
		hvb_format_size(size, label, sizeof(label));
		hvb_metrics_addf(&res->metrics, ns, "ns", HVB_LOWER, "lat_ns.%s", label);
		snprintf(name, sizeof(name), "ops.%s", label);
		hvb_wl_path_ops(res, name, n, "accesses", nsizes);
		hvb_extra_report(&ex, &res->metrics, label);
	}
	munmap(buf, size);
	return rc;
}

static int memlat_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	uint64_t sizes[MAX_SIZES], seed = ctx->seed, llc = hvb_llc_size();
	int n, rc = 0;

	if (hvb_param_is_auto(ctx->params, "sizes"))
		n = auto_sizes(llc, sizes, MAX_SIZES);
	else
		n = hvb_param_sizes(ctx->params, "sizes", sizes, MAX_SIZES);
	if (n <= 0)
		return hvb_wl_fail(res, HVB_EINVAL, "memlat: no working-set sizes");
	for (int i = 0; i < n && !rc; i++)
		rc = measure(ctx, sizes[i] / LINE * LINE, ctx->duration_s / n, n, &seed, res);
	if (rc)
		return rc;
	if (llc)
		hvb_metrics_add(&res->metrics, "llc_bytes", (double)llc, "bytes", HVB_INFO);
	return 0;
}

const struct hvb_workload_ops hvb_wl_memlat = {
	.name = "memlat",
	.summary = "memory latency: dependent loads over a random cycle, ns per access per working-set size",
	.options = memlat_options,
	.metrics = memlat_metrics,
	.op_name = "access",
	.supported = memlat_supported,
	.run = memlat_run,
};
