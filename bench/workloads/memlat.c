/* memlat: memory latency by a dependent-load pointer chase over a random cycle,
 * one cache line per element, for each working-set size. The chase defeats the
 * prefetchers, so ns per access is load-to-use latency of where the set lives
 * (cache, local or remote node; under Xen also the cost of nested paging). */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bench/bench.h"

#define LINE 64
#define MAX_SIZES 32

static const struct hvb_option memlat_options[] = {
	{ .name = "sizes", .type = HVB_OPT_SIZE, .def = "16K,256K,4M,64M", .flags = HVB_OPT_LIST,
	  .help = "working-set sizes, each measured in the same sample", .min = 4096, .max = 64.0 * (1ULL << 30) },
	{ .name = "hugepages", .type = HVB_OPT_BOOL, .def = "off",
	  .help = "back the buffer with transparent huge pages (madvise)" },
	{ 0 },
};

static const struct hvb_metric_doc memlat_metrics[] = {
	{ "lat_ns.%s", "ns", HVB_LOWER, "mean latency of one dependent load at working-set size %s" },
	{ "ops", "accesses", HVB_INFO, "loads performed in the sample" },
	{ 0 },
};

static int memlat_supported(char *why, size_t len) { return 1; }

/* Builds a random cyclic permutation over n lines (Sattolo), so every line is
 * visited once per lap in an order the prefetcher cannot follow. */
static void build_cycle(char *buf, size_t n, uint64_t *seed)
{
	size_t *order = malloc(n * sizeof(*order));

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
}

static double chase(char *buf, size_t n, double budget_s, uint64_t *ops)
{
	void **p = (void **)buf;
	uint64_t steps = 0, batch = n < 4096 ? 4096 : n;
	double t0 = hvb_now(), t;

	/* One untimed lap to fault the pages in and warm the caches and TLB. */
	for (size_t i = 0; i < n; i++)
		p = (void **)*p;
	t0 = hvb_now();
	do {
		for (uint64_t i = 0; i < batch; i += 8) {
			p = (void **)*p; p = (void **)*p; p = (void **)*p; p = (void **)*p;
			p = (void **)*p; p = (void **)*p; p = (void **)*p; p = (void **)*p;
		}
		steps += batch;
		t = hvb_now();
	} while (t - t0 < budget_s);
	/* Keep the chase alive: the compiler must not drop the loads. */
	__asm__ volatile("" : : "r"(p) : "memory");
	*ops += steps;
	return (t - t0) * 1e9 / (double)steps;
}

static int memlat_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	uint64_t sizes[MAX_SIZES], seed = ctx->seed;
	int n = hvb_param_sizes(ctx->params, "sizes", sizes, MAX_SIZES);
	int huge = hvb_param_bool(ctx->params, "hugepages");

	if (n <= 0)
		return hvb_wl_fail(res, HVB_EINVAL, "memlat: no working-set sizes");
	for (int i = 0; i < n; i++) {
		size_t lines = sizes[i] / LINE;
		char *buf, label[32];
		double ns;

		buf = mmap(NULL, sizes[i], PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED)
			return hvb_wl_fail(res, HVB_ENOMEM, "memlat: cannot map %llu bytes",
					   (unsigned long long)sizes[i]);
		madvise(buf, sizes[i], huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		build_cycle(buf, lines, &seed);
		ns = chase(buf, lines, ctx->duration_s / n, &res->ops);
		munmap(buf, sizes[i]);
		hvb_format_size(sizes[i], label, sizeof(label));
		hvb_metrics_addf(&res->metrics, ns, "ns", HVB_LOWER, "lat_ns.%s", label);
	}
	hvb_metrics_add(&res->metrics, "ops", (double)res->ops, "accesses", HVB_INFO);
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
