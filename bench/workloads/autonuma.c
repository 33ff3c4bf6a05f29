/* SPDX-License-Identifier: GPL-2.0-or-later */
/* autonuma: where a workload's memory lies over time, for placements that move
 * memory (the kernel's automatic NUMA balancing natively, Xen's placement in
 * guests), in the style of autonuma-benchmark: threads that share one buffer
 * (numa01: every thread writes all of it) or keep private slices (numa02).
 * The buffer is first touched by the main thread alone, so it starts on one
 * node whatever the threads' nodes; while the threads write, the main thread
 * asks the kernel every sample_every where a spread of the buffer's pages are
 * (move_pages(2) with no target nodes: a query, nothing moves) and where each
 * thread runs (getcpu), and records the share of accesses that are local.
 * The series is an artifact of the sample (numa-convergence.csv), plotted by
 * the report; the figures are its last value and the time it took to settle. */
#include "config.h"
#include <errno.h>
#include <math.h>
#include <numa.h>
#include <numaif.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "bench/workloads/wl.h"

#define MAX_NODES 64     /* nodes tallied per sample; pages on higher nodes count as other */
#define MAX_POINTS 4096  /* samples of the series kept */
#define SETTLED 0.05     /* within 5 points of the last share: settled */

static const char *const sharing_names[] = { "shared", "private", NULL };

static const struct hvb_option autonuma_options[] = {
	{ .name = "sharing", .type = HVB_OPT_ENUM, .def = "private", .choices = sharing_names,
	  .help = "shared: every thread writes the whole buffer (autonuma-benchmark's numa01); private: each "
		  "thread its own slice (numa02)" },
	{ .name = "size", .type = HVB_OPT_SIZE, .def = "64M", .mapped = 1, .min = 1 << 20, .max = 64.0 * (1ULL << 30),
	  .help = "bytes of the buffer, first touched by the main thread alone" },
	{ .name = "threads", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 1024,
	  .help = "writing threads (auto = CPUs)" },
	{ .name = "sample_every", .type = HVB_OPT_TIME, .def = "100ms", .min = 0.001, .max = 60,
	  .help = "how often where the memory lies is sampled during the sample" },
	{ .name = "pages", .type = HVB_OPT_INT, .def = "1024", .min = 1, .max = 1 << 20,
	  .help = "pages asked about each time, spread evenly over the buffer" },
	{ 0 },
};

static const struct hvb_metric_doc autonuma_metrics[] = {
	{ "write_bytes_per_s", "bytes/s", HVB_HIGHER, "bytes the threads wrote per second, all together" },
	{ "local_share", "ratio", HVB_HIGHER,
	  "at the sample's end: the share of (page, thread that writes it) pairs with the page on the node of the "
	  "CPU the thread runs on (private: a slice's pages and their thread; shared: every page and every thread)" },
	{ "local_share.start", "ratio", HVB_INFO, "the same at the first look, soon after the threads started" },
	{ "settle_s", "s", HVB_LOWER,
	  "seconds from the start until the local share came within 0.05 of its last value and stayed there" },
	{ "moved_share", "ratio", HVB_INFO, "share of the pages asked about that ended on another node than at the "
					      "first look" },
	{ "looks", "count", HVB_INFO, "times where the memory lies was asked" },
	{ "ops", "pages", HVB_INFO, "pages written by the threads" },
	{ 0 },
};

struct shared {
	char *buf;
	size_t len, npages;
	int nthreads, private_;
	atomic_int stop, failed;
	_Atomic int *node;        /* each thread's node, as last seen by itself */
	_Atomic uint64_t *written;/* pages each thread wrote */
};

struct worker {
	struct shared *sh;
	int id;
	pthread_t tid;
};

static int cpu_node(void)
{
	int cpu = sched_getcpu();
	int n = cpu >= 0 && numa_available() >= 0 ? numa_node_of_cpu(cpu) : 0;
	return n < 0 ? 0 : n;
}

static void *writer(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	size_t lo = 0, hi = sh->npages, pass = 0;

	if (sh->private_) {
		lo = sh->npages * (size_t)w->id / (size_t)sh->nthreads;
		hi = sh->npages * (size_t)(w->id + 1) / (size_t)sh->nthreads;
	}
	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
		size_t n = hi - lo;
		/* shared: each thread starts its walk at its own offset, as numa01's do */
		size_t off = sh->private_ ? 0 : sh->npages * (size_t)w->id / (size_t)sh->nthreads;
		for (size_t k = 0; k < n && !atomic_load_explicit(&sh->stop, memory_order_relaxed); k++) {
			size_t pg = lo + (off + k) % n;
			memset(sh->buf + pg * HVB_SMALL_PAGE, (int)(pass + 1), HVB_SMALL_PAGE);
			atomic_fetch_add_explicit(&sh->written[w->id], 1, memory_order_relaxed);
			if ((k & 63) == 0)
				atomic_store_explicit(&sh->node[w->id], cpu_node(), memory_order_relaxed);
		}
		pass++;
	}
	return NULL;
}

/* One look: each asked page's node into where[] (negative: not resident), the
 * local share into *share and the share per node into per[]. */
static int look(struct shared *sh, void **pages, int *where, size_t np, double *share, double *per)
{
	double local = 0, pairs = 0;

	if (move_pages(0, np, pages, NULL, where, 0) < 0)
		return -errno;
	memset(per, 0, MAX_NODES * sizeof(double));
	for (size_t i = 0; i < np; i++) {
		size_t pg = (size_t)((char *)pages[i] - sh->buf) / HVB_SMALL_PAGE;
		if (where[i] >= 0 && where[i] < MAX_NODES)
			per[where[i]] += 1.0 / (double)np;
		for (int t = 0; t < sh->nthreads; t++) {
			if (sh->private_ && pg * (size_t)sh->nthreads / sh->npages != (size_t)t)
				continue;
			pairs++;
			local += where[i] >= 0 && where[i] == atomic_load_explicit(&sh->node[t], memory_order_relaxed);
		}
	}
	*share = pairs ? local / pairs : NAN;
	return 0;
}

static int autonuma_supported(char *why, size_t len)
{
	int probe = 0, status = -1;
	void *page = &probe;

	/* a query of one page this process has: ENOSYS without NUMA support in the kernel */
	if (move_pages(0, 1, &page, NULL, &status, 0) < 0) {
		snprintf(why, len, "move_pages(2) cannot say where pages are: %s", strerror(errno));
		return 0;
	}
	return 1;
}

/* The kernel's automatic NUMA balancing setting, as a fact of the sample. */
static void balancing_fact(struct hvb_wl_result *res)
{
	char v[32] = "";
	FILE *f = fopen("/proc/sys/kernel/numa_balancing", "r");

	if (f) {
		if (fgets(v, sizeof(v), f))
			v[strcspn(v, "\n")] = 0;
		fclose(f);
	}
	hvb_wl_fact(res, "autonuma.numa_balancing", "%s", *v ? v : "absent (no NUMA balancing in this kernel)");
}

static int autonuma_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	struct shared sh = { 0 };
	struct worker *w = NULL;
	void *base = NULL, **pages = NULL;
	size_t maplen = 0, np = (size_t)hvb_param_int(ctx->params, "pages"), npts = 0, cap = 1 << 16, off = 0;
	int *where = NULL, *first = NULL, started = 0, rc = 0, maxnode = 0;
	double every = hvb_param_time(ctx->params, "sample_every"), t0, t1, per[MAX_NODES], share = NAN;
	double *ts = NULL, *sh_v = NULL;
	char *csv = NULL;

	sh.len = hvb_param_size(ctx->params, "size") / HVB_SMALL_PAGE * HVB_SMALL_PAGE;
	sh.npages = sh.len / HVB_SMALL_PAGE;
	sh.nthreads = hvb_wl_threads(ctx, "threads");
	sh.private_ = !strcmp(hvb_param_str(ctx->params, "sharing"), "private");
	if (np > sh.npages)
		np = sh.npages;
	if (sh.private_ && (size_t)sh.nthreads > sh.npages)
		return hvb_wl_fail(res, HVB_EINVAL, "%d threads with private slices need %d pages; size has %zu",
				   sh.nthreads, sh.nthreads, sh.npages);
	if (!(sh.buf = hvb_mm_map(sh.len, 0, &base, &maplen)))
		return hvb_wl_fail(res, HVB_ENOMEM, "mmap of %zu bytes: %s", sh.len, strerror(errno));
	/* first touch by this thread alone: the whole buffer starts where it runs */
	hvb_mm_touch(sh.buf, sh.len);
	sh.node = calloc((size_t)sh.nthreads, sizeof(*sh.node));
	sh.written = calloc((size_t)sh.nthreads, sizeof(*sh.written));
	w = calloc((size_t)sh.nthreads, sizeof(*w));
	pages = calloc(np, sizeof(*pages));
	where = calloc(np, sizeof(*where));
	first = calloc(np, sizeof(*first));
	ts = calloc(MAX_POINTS, sizeof(double));
	sh_v = calloc(MAX_POINTS, sizeof(double));
	csv = malloc(cap);
	if (!sh.node || !sh.written || !w || !pages || !where || !first || !ts || !sh_v || !csv) {
		rc = hvb_wl_fail(res, HVB_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < np; i++)
		pages[i] = sh.buf + (sh.npages * i / np) * HVB_SMALL_PAGE;
	for (int t = 0; t < sh.nthreads; t++)
		atomic_store(&sh.node[t], -1);
	t0 = hvb_now();
	for (; started < sh.nthreads; started++) {
		w[started] = (struct worker){ .sh = &sh, .id = started };
		if (pthread_create(&w[started].tid, NULL, writer, &w[started]) != 0) {
			rc = hvb_wl_fail(res, HVB_EIO, "pthread_create: %s", strerror(errno));
			goto stop;
		}
	}
	off = (size_t)snprintf(csv, cap, "t_s,local_share");
	/* the series, one look every sample_every until the duration is over; the
	 * first half an interval in (half the sample when that is shorter) */
	for (double next = t0 + fmin(every, ctx->duration_s) / 2;; next += every) {
		double now = hvb_now();
		if (next > t0 + ctx->duration_s)
			break;
		if (next > now) {
			struct timespec d = { (time_t)(next - now), (long)(fmod(next - now, 1) * 1e9) };
			nanosleep(&d, NULL);
		}
		if ((rc = look(&sh, pages, where, np, &share, per)) < 0) {
			rc = hvb_wl_fail(res, HVB_EIO, "move_pages: %s", strerror(-rc));
			goto stop;
		}
		if (!npts) {
			memcpy(first, where, np * sizeof(*first));
			for (int n = 0; n < MAX_NODES; n++)
				maxnode = per[n] > 0 && n > maxnode ? n : maxnode;
			/* the header names the nodes seen at the first look and every lower one */
			for (int n = 0; n <= maxnode; n++)
				off += (size_t)snprintf(csv + off, cap - off, ",node%d", n);
			off += (size_t)snprintf(csv + off, cap - off, "\n");
		}
		if (npts < MAX_POINTS) {
			ts[npts] = hvb_now() - t0;
			sh_v[npts] = share;
			npts++;
			if (off + 64 * (size_t)(maxnode + 2) < cap) {
				off += (size_t)snprintf(csv + off, cap - off, "%.4f,%.4f", ts[npts - 1], share);
				for (int n = 0; n <= maxnode; n++)
					off += (size_t)snprintf(csv + off, cap - off, ",%.4f", per[n]);
				off += (size_t)snprintf(csv + off, cap - off, "\n");
			}
		}
	}
stop:
	atomic_store(&sh.stop, 1);
	for (int t = 0; t < started; t++)
		pthread_join(w[t].tid, NULL);
	t1 = hvb_now();
	if (rc == 0 && npts) {
		uint64_t total = 0;
		size_t moved = 0, settle = 0;
		double last = sh_v[npts - 1];
		for (int t = 0; t < sh.nthreads; t++)
			total += atomic_load(&sh.written[t]);
		for (size_t i = 0; i < np; i++)
			moved += where[i] != first[i];
		/* settled: the first look from which every later one is within SETTLED of the last */
		for (size_t k = npts; k-- > 0;)
			if (!(fabs(sh_v[k] - last) <= SETTLED))
				break;
			else
				settle = k;
		hvb_metrics_add(&res->metrics, "write_bytes_per_s", (double)total * HVB_SMALL_PAGE / (t1 - t0), "bytes/s",
				HVB_HIGHER);
		if (isfinite(last)) {
			hvb_metrics_add(&res->metrics, "local_share", last, "ratio", HVB_HIGHER);
			hvb_metrics_add(&res->metrics, "local_share.start", sh_v[0], "ratio", HVB_INFO);
			hvb_metrics_add(&res->metrics, "settle_s", ts[settle], "s", HVB_LOWER);
		}
		hvb_metrics_add(&res->metrics, "moved_share", (double)moved / (double)np, "ratio", HVB_INFO);
		hvb_metrics_add(&res->metrics, "looks", (double)npts, "count", HVB_INFO);
		hvb_metrics_add(&res->metrics, "ops", (double)total, "pages", HVB_INFO);
		res->ops = total;
		hvb_wl_artifact(res, "numa-convergence.csv", "text/csv", csv, off);
		balancing_fact(res);
	} else if (rc == 0)
		rc = hvb_wl_fail(res, HVB_EIO, "the sample ended before its first look at the memory");
out:
	free(sh.node);
	free(sh.written);
	free(w);
	free(pages);
	free(where);
	free(first);
	free(ts);
	free(sh_v);
	free(csv);
	munmap(base, maplen);
	return rc;
}

const struct hvb_workload_ops hvb_wl_autonuma = {
	.name = "autonuma",
	.summary = "where memory lies over a sample: threads sharing a buffer (numa01) or with private slices "
		   "(numa02), first touched by one thread; local share and its settling time (move_pages query)",
	.options = autonuma_options,
	.metrics = autonuma_metrics,
	.op_name = "4 KiB page write",
	.supported = autonuma_supported,
	.run = autonuma_run,
};
