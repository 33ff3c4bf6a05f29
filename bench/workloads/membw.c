/* SPDX-License-Identifier: GPL-2.0-or-later */
/* membw: streaming memory bandwidth, the four STREAM kernels (copy c=a, scale
 * b=s*c, add c=a+b, triad a=b+s*c) over arrays of doubles. Each thread owns a
 * contiguous slice and touches it first, so its pages sit on its node. Bytes are
 * counted the STREAM way (reads + writes, no write-allocate traffic), and each
 * kernel reports the best pass, as STREAM does. Under Xen this is where the
 * second-level page walk and the guest's memory placement show. */
#include "config.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bench/workloads/wl.h"

#define SCALAR 3.0
#define AUTO_LLC_FACTOR 4
#define AUTO_MIN (16ULL << 20)
#define AUTO_FALLBACK (64ULL << 20)
#define CHECK_POINTS 1024

enum kernel { K_COPY, K_SCALE, K_ADD, K_TRIAD, NKERNELS };
static const char *const kernel_names[] = { "copy", "scale", "add", "triad", NULL };
static const int kernel_arrays[] = { 2, 2, 3, 3 }; /* arrays each kernel reads + writes */

static const struct hvb_option membw_options[] = {
	{ .name = "size", .type = HVB_OPT_SIZE, .def = "auto", .flags = HVB_OPT_AUTO, .mapped = 3 /* a, b, c */, .min = 4096,
	  .max = 64.0 * (1ULL << 30),
	  .help = "bytes of each of the three arrays; auto = 4x the last-level cache (at least 16M)" },
	{ .name = "threads", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 1024,
	  .help = "threads, each streaming its own slice (auto = CPUs)" },
	{ .name = "kernels", .type = HVB_OPT_ENUM, .def = "copy,scale,add,triad", .choices = kernel_names,
	  .flags = HVB_OPT_LIST, .help = "STREAM kernels measured in the sample" },
	{ 0 },
};

static const struct hvb_metric_doc membw_metrics[] = {
	{ "%s_gbs", "GB/s", HVB_HIGHER, "best pass of kernel %s, 10^9 bytes read + written per second" },
	{ "%s_gbs_median", "GB/s", HVB_HIGHER, "median pass of kernel %s" },
	{ "array_bytes", "bytes", HVB_INFO, "size of each array" },
	{ "threads", "threads", HVB_INFO, "threads streaming" },
	{ "ops", "elements", HVB_INFO, "array elements processed (one per kernel step)" },
	{ 0 },
};

struct shared {
	double *a, *b, *c;
	size_t n;
	int nthreads;
	pthread_barrier_t bar;
	pthread_mutex_t mu; /* the start gate: workers wait until every thread exists */
	pthread_cond_t cv;
	int gate;           /* 0 closed, 1 run, -1 abort */
	/* written by thread 0 between barriers */
	enum kernel k;
	int go;         /* 0: stop */
	double t0;
};

struct worker {
	struct shared *sh;
	pthread_t tid;
	int id;
	size_t lo, hi;
};

static int membw_supported(char *why, size_t len) { return 1; }

static void run_kernel(enum kernel k, double *restrict a, double *restrict b, double *restrict c, size_t lo,
		       size_t hi)
{
	switch (k) {
	case K_COPY:
		for (size_t i = lo; i < hi; i++)
			c[i] = a[i];
		break;
	case K_SCALE:
		for (size_t i = lo; i < hi; i++)
			b[i] = SCALAR * c[i];
		break;
	case K_ADD:
		for (size_t i = lo; i < hi; i++)
			c[i] = a[i] + b[i];
		break;
	case K_TRIAD:
		for (size_t i = lo; i < hi; i++)
			a[i] = b[i] + SCALAR * c[i];
		break;
	default:
		break;
	}
}

/* Thread 0 is the timekeeper: it stamps the start after the first barrier and
 * the end after the second, and decides at the third whether to go on. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	int gate;

	pthread_mutex_lock(&sh->mu);
	while (!(gate = sh->gate))
		pthread_cond_wait(&sh->cv, &sh->mu);
	pthread_mutex_unlock(&sh->mu);
	if (gate < 0)
		return NULL;
	/* first touch by the owner */
	for (size_t i = w->lo; i < w->hi; i++) {
		sh->a[i] = 1.0;
		sh->b[i] = 2.0;
		sh->c[i] = 0.0;
	}
	for (;;) {
		pthread_barrier_wait(&sh->bar); /* thread 0 has set k and go */
		if (!sh->go)
			break;
		pthread_barrier_wait(&sh->bar);
		if (w->id == 0)
			sh->t0 = hvb_now();
		run_kernel(sh->k, sh->a, sh->b, sh->c, w->lo, w->hi);
		pthread_barrier_wait(&sh->bar);
	}
	return NULL;
}

static int cmp_d(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* The main thread plays worker 0 so that it can time and steer the passes. */
static void drive(struct shared *sh, struct worker *w0, const int *want, double budget_s, double *best,
		  double *median, uint64_t *ops)
{
	double passes[4096];

	for (size_t i = w0->lo; i < w0->hi; i++) {
		sh->a[i] = 1.0;
		sh->b[i] = 2.0;
		sh->c[i] = 0.0;
	}
	/* STREAM order, so values stay checkable: c=a, b=3c, c=a+b, a=b+3c */
	for (int k = 0; k < NKERNELS; k++) {
		int np = 0, warm = 1;
		double start = hvb_now();

		if (!want[k])
			continue;
		for (;;) {
			double t;
			sh->k = (enum kernel)k;
			sh->go = 1;
			pthread_barrier_wait(&sh->bar);
			pthread_barrier_wait(&sh->bar);
			sh->t0 = hvb_now();
			run_kernel(sh->k, sh->a, sh->b, sh->c, w0->lo, w0->hi);
			pthread_barrier_wait(&sh->bar);
			t = hvb_now() - sh->t0;
			if (warm)
				warm = 0; /* the first pass warms the TLB and faults nothing new, but is not kept */
			else if (np < 4096)
				passes[np++] = t;
			*ops += sh->n;
			if (np >= 3 && hvb_now() - start >= budget_s)
				break;
		}
		qsort(passes, (size_t)np, sizeof(double), cmp_d);
		best[k] = (double)kernel_arrays[k] * 8.0 * (double)sh->n / passes[0] / 1e9;
		median[k] = (double)kernel_arrays[k] * 8.0 * (double)sh->n / passes[np / 2] / 1e9;
	}
	sh->go = 0;
	pthread_barrier_wait(&sh->bar);
}

/* The STREAM check: after the kernels ran in order every element has a known value. */
static int check(const struct shared *sh, const int *want, struct hvb_wl_result *res)
{
	double a = 1.0, b = 2.0, c = 0.0;

	if (want[K_COPY])
		c = a;
	if (want[K_SCALE])
		b = SCALAR * c;
	if (want[K_ADD])
		c = a + b;
	if (want[K_TRIAD])
		a = b + SCALAR * c;
	for (size_t j = 0; j < CHECK_POINTS; j++) {
		size_t i = j * (sh->n / CHECK_POINTS);
		if (sh->a[i] != a || sh->b[i] != b || sh->c[i] != c)
			return hvb_wl_fail(res, HVB_EIO, "membw: wrong result at element %zu (%g %g %g, expected %g %g %g)",
					   i, sh->a[i], sh->b[i], sh->c[i], a, b, c);
	}
	return 0;
}

static double *map_array(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static int membw_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	struct shared sh = { 0 };
	struct worker *w;
	uint64_t bytes, llc = hvb_llc_size();
	int nt = hvb_wl_threads(ctx, "threads"), want[NKERNELS] = { 0 }, nwant = 0, started = 0, rc = 0;
	double best[NKERNELS], median[NKERNELS];

	if (hvb_param_is_auto(ctx->params, "size")) {
		bytes = llc ? llc * AUTO_LLC_FACTOR : AUTO_FALLBACK;
		if (bytes < AUTO_MIN)
			bytes = AUTO_MIN;
	} else {
		bytes = hvb_param_size(ctx->params, "size");
	}
	if ((nwant = hvb_wl_choice_set(ctx->params, "kernels", kernel_names, want)) <= 0)
		return hvb_wl_fail(res, HVB_EINVAL, "membw: nothing to measure");
	sh.n = bytes / sizeof(double);
	if (sh.n < (size_t)nt * CHECK_POINTS)
		return hvb_wl_fail(res, HVB_EINVAL, "membw: arrays of %llu bytes are too small for %d threads",
				   (unsigned long long)bytes, nt);
	sh.nthreads = nt;
	bytes = sh.n * sizeof(double);
	sh.a = map_array(bytes);
	sh.b = map_array(bytes);
	sh.c = map_array(bytes);
	w = calloc((size_t)nt, sizeof(*w));
	if (!sh.a || !sh.b || !sh.c || !w) {
		rc = hvb_wl_fail(res, HVB_ENOMEM, "membw: cannot map 3 arrays of %llu bytes", (unsigned long long)bytes);
		goto out;
	}
	for (int i = 0; i < nt; i++) {
		w[i] = (struct worker){ .sh = &sh, .id = i, .lo = sh.n * (size_t)i / (size_t)nt,
					.hi = sh.n * (size_t)(i + 1) / (size_t)nt };
	}
	pthread_mutex_init(&sh.mu, NULL);
	pthread_cond_init(&sh.cv, NULL);
	pthread_barrier_init(&sh.bar, NULL, (unsigned)nt);
	for (int i = 1; i < nt; i++) {
		int e = pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
		if (e) {
			rc = hvb_wl_fail(res, HVB_EIO, "membw: cannot start thread %d of %d: %s", i + 1, nt, strerror(e));
			break;
		}
		started++;
	}
	pthread_mutex_lock(&sh.mu);
	sh.gate = rc ? -1 : 1;
	pthread_cond_broadcast(&sh.cv);
	pthread_mutex_unlock(&sh.mu);
	if (!rc)
		drive(&sh, &w[0], want, ctx->duration_s / nwant, best, median, &res->ops);
	for (int i = 1; i <= started; i++)
		pthread_join(w[i].tid, NULL);
	pthread_barrier_destroy(&sh.bar);
	pthread_cond_destroy(&sh.cv);
	pthread_mutex_destroy(&sh.mu);
	if (rc)
		goto out;
	if ((rc = check(&sh, want, res)) < 0)
		goto out;
	for (int k = 0; k < NKERNELS; k++)
		if (want[k]) {
			hvb_metrics_addf(&res->metrics, best[k], "GB/s", HVB_HIGHER, "%s_gbs", kernel_names[k]);
			hvb_metrics_addf(&res->metrics, median[k], "GB/s", HVB_HIGHER, "%s_gbs_median", kernel_names[k]);
		}
	hvb_metrics_add(&res->metrics, "array_bytes", (double)bytes, "bytes", HVB_INFO);
	hvb_metrics_add(&res->metrics, "threads", nt, "threads", HVB_INFO);
	hvb_metrics_add(&res->metrics, "ops", (double)res->ops, "elements", HVB_INFO);
out:
	if (sh.a)
		munmap(sh.a, bytes);
	if (sh.b)
		munmap(sh.b, bytes);
	if (sh.c)
		munmap(sh.c, bytes);
	free(w);
	return rc;
}

const struct hvb_workload_ops hvb_wl_membw = {
	.name = "membw",
	.summary = "streaming memory bandwidth: STREAM copy, scale, add, triad in GB/s per thread count",
	.options = membw_options,
	.metrics = membw_metrics,
	.op_name = "array element",
	.supported = membw_supported,
	.run = membw_run,
};
