/* SPDX-License-Identifier: GPL-2.0-or-later */
/* spinlock: N threads contending on one lock around a short critical section.
 * Kinds: ticket (FIFO, one shared line), tas (test-and-set with exponential
 * backoff, unfair), mcs (queued, each waiter spins on its own line) and the
 * pthread mutex (futex: sleeps in the kernel). With more threads than CPUs the
 * holder gets preempted and the spinning kinds collapse; in a guest this is where
 * lock-holder preemption, pause-loop exits and PV spinlock kicks show up.
 *
 * Wait time (lock call to lock held) is timed on every Nth acquisition only, so
 * the clock reads stay off most acquisitions; each thread keeps a reservoir of its
 * timings, and quantiles weight each thread's reservoir by what it stands for. */
#include "config.h"
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench/workloads/wl.h"

#define RESERVOIR 4096
#define BACKOFF_MIN 4
#define BACKOFF_MAX 1024
#define EXTRA_BATCH 64 /* counted acquisitions between two payments of extra work */

enum kind { K_TICKET, K_TAS, K_MCS, K_MUTEX };
static const char *const kinds[] = { "ticket", "tas", "mcs", "pthread-mutex", NULL };

static const struct hvb_option spinlock_options[] = {
	{ .name = "kind", .type = HVB_OPT_ENUM, .def = "ticket", .choices = kinds,
	  .help = "lock: ticket, tas (test-and-set with exponential backoff), mcs (queued), pthread-mutex" },
	{ .name = "threads", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 4096,
	  .help = "contending threads; may exceed the CPUs to provoke lock-holder preemption (auto = CPUs)" },
	{ .name = "hold", .type = HVB_OPT_INT, .def = "100", .min = 0, .max = 1000000,
	  .help = "critical-section work: steps of a dependent integer chain on the protected data" },
	{ .name = "think", .type = HVB_OPT_INT, .def = "100", .min = 0, .max = 1000000,
	  .help = "work between acquisitions, outside the lock, in the same steps" },
	{ .name = "sample_every", .type = HVB_OPT_INT, .def = "4", .min = 1, .max = 1000000,
	  .help = "time the wait of every Nth acquisition (clock reads cost too)" },
	HVB_WL_EXTRA_WORK_OPTION,
	{ 0 },
};

static const struct hvb_metric_doc spinlock_metrics[] = {
	{ "acq_per_s", "acq/s", HVB_HIGHER, "lock acquisitions per second, all threads" },
	{ "wait_ns.p50", "ns", HVB_LOWER, "median time from lock call to lock held (sampled acquisitions)" },
	{ "wait_ns.p99", "ns", HVB_LOWER, "99th percentile of the wait" },
	{ "wait_ns.max", "ns", HVB_LOWER, "longest sampled wait" },
	{ "fairness", "ratio", HVB_HIGHER, "acquisitions of the least served thread over the most served (1 = fair)" },
	{ "acq_thread_min", "acq", HVB_INFO, "acquisitions of the least served thread" },
	{ "acq_thread_max", "acq", HVB_INFO, "acquisitions of the most served thread" },
	{ "threads", "threads", HVB_INFO, "contending threads" },
	{ "ops", "acq", HVB_INFO, "acquisitions counted in the sample" },
	HVB_WL_EXTRA_WORK_METRIC("extra_work"),
	{ 0 },
};

struct mcs_node {
	alignas(64) _Atomic(struct mcs_node *) next;
	atomic_int locked;
};

/* The lock words and the data they protect, each on its own line. */
struct shared {
	alignas(64) atomic_uint t_next;
	atomic_uint t_owner;
	alignas(64) atomic_int tas;
	alignas(64) _Atomic(struct mcs_node *) mcs_tail;
	alignas(64) pthread_mutex_t mutex;
	alignas(64) uint64_t counter, data;
	alignas(64) atomic_int go, stop;
	enum kind kind;
	int hold, think, every;
	const struct hvb_params *params;
	double settle_until; /* extra_work: how long a thread may go on to settle its fraction */
};

struct worker {
	alignas(64) struct mcs_node node;
	struct shared *sh;
	pthread_t tid;
	uint64_t rng, acq, xacq, seen, kept, local;
	double wmax, t_end;
	struct hvb_extra ex;
	double *res; /* reservoir of sampled waits, ns */
};

static int spinlock_supported(char *why, size_t len) { return 1; }

static void lock(struct shared *sh, struct mcs_node *me)
{
	switch (sh->kind) {
	case K_TICKET: {
		unsigned my = atomic_fetch_add_explicit(&sh->t_next, 1, memory_order_relaxed);
		while (atomic_load_explicit(&sh->t_owner, memory_order_acquire) != my)
			hvb_cpu_relax();
		break;
	}
	case K_TAS: {
		unsigned delay = BACKOFF_MIN;
		while (atomic_exchange_explicit(&sh->tas, 1, memory_order_acquire)) {
			for (unsigned i = 0; i < delay; i++)
				hvb_cpu_relax();
			if (delay < BACKOFF_MAX)
				delay <<= 1;
		}
		break;
	}
	case K_MCS: {
		struct mcs_node *prev;
		atomic_store_explicit(&me->next, NULL, memory_order_relaxed);
		atomic_store_explicit(&me->locked, 1, memory_order_relaxed);
		prev = atomic_exchange_explicit(&sh->mcs_tail, me, memory_order_acq_rel);
		if (prev) {
			atomic_store_explicit(&prev->next, me, memory_order_release);
			while (atomic_load_explicit(&me->locked, memory_order_acquire))
				hvb_cpu_relax();
		}
		break;
	}
	case K_MUTEX:
		pthread_mutex_lock(&sh->mutex);
		break;
	}
}

static void unlock(struct shared *sh, struct mcs_node *me)
{
	switch (sh->kind) {
	case K_TICKET:
		atomic_store_explicit(&sh->t_owner, atomic_load_explicit(&sh->t_owner, memory_order_relaxed) + 1,
				      memory_order_release);
		break;
	case K_TAS:
		atomic_store_explicit(&sh->tas, 0, memory_order_release);
		break;
	case K_MCS: {
		struct mcs_node *next = atomic_load_explicit(&me->next, memory_order_acquire);
		if (!next) {
			struct mcs_node *expect = me;
			if (atomic_compare_exchange_strong_explicit(&sh->mcs_tail, &expect, NULL, memory_order_release,
								    memory_order_relaxed))
				return;
			while (!(next = atomic_load_explicit(&me->next, memory_order_acquire)))
				hvb_cpu_relax();
		}
		atomic_store_explicit(&next->locked, 0, memory_order_release);
		break;
	}
	case K_MUTEX:
		pthread_mutex_unlock(&sh->mutex);
		break;
	}
}

/* A dependent multiply-add chain: work the compiler cannot fold away. */
static inline uint64_t chain(uint64_t x, int steps)
{
	for (int i = 0; i < steps; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	return x;
}

static void critical(struct shared *sh, struct worker *w)
{
	lock(sh, &w->node);
	sh->data = chain(sh->data, sh->hold);
	sh->counter++; /* unprotected increment: checks the lock really excludes */
	unlock(sh, &w->node);
}

static void record(struct worker *w, double ns)
{
	w->seen++;
	if (ns > w->wmax)
		w->wmax = ns;
	if (w->kept < RESERVOIR) {
		w->res[w->kept++] = ns;
	} else {
		uint64_t j = hvb_rand_next(&w->rng) % w->seen; /* algorithm R */
		if (j < RESERVOIR)
			w->res[j] = ns;
	}
}

/* n uncounted acquisitions with their think time: extra_work's operation. */
static int more_acquisitions(void *arg, uint64_t n)
{
	struct worker *w = arg;

	for (; n; n--, w->xacq++) {
		critical(w->sh, w);
		w->local = chain(w->local, w->sh->think);
	}
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	struct hvb_extra *ex = &w->ex;
	uint64_t k = (uint64_t)sh->every - 1; /* the first acquisition is timed */
	double t;

	hvb_extra_init(ex, sh->params, more_acquisitions, w);
	w->local = w->rng;
	while (!atomic_load_explicit(&sh->go, memory_order_acquire))
		sched_yield();
	t = hvb_now();
	/* Calibrating, a thread that overshot its extra work goes on (counted) past
	 * the stop until the fraction is f again, within a bound. */
	while (!atomic_load_explicit(&sh->stop, memory_order_relaxed) ||
	       (!hvb_extra_settled(ex) && hvb_now() < sh->settle_until)) {
		if (++k % (uint64_t)sh->every == 0) {
			uint64_t t0 = hvb_now_ns();
			lock(sh, &w->node);
			record(w, (double)(hvb_now_ns() - t0));
			sh->data = chain(sh->data, sh->hold);
			sh->counter++;
			unlock(sh, &w->node);
		} else {
			critical(sh, w);
		}
		w->acq++;
		w->local = chain(w->local, sh->think);
		/* clock reads only when calibrating: off the real measurement */
		if (ex->f > 0 && w->acq % EXTRA_BATCH == 0)
			hvb_extra_pay(ex, EXTRA_BATCH, &t);
	}
	w->t_end = hvb_now();
	__asm__ volatile("" : : "r"(w->local));
	return NULL;
}

struct wait_sample {
	double ns, weight;
};

static int cmp_ws(const void *a, const void *b)
{
	double x = ((const struct wait_sample *)a)->ns, y = ((const struct wait_sample *)b)->ns;
	return x < y ? -1 : x > y;
}

/* Quantile over all threads' reservoirs, each sample weighted by the number of
 * acquisitions it stands for in its thread. */
static double weighted_quantile(const struct wait_sample *v, size_t n, double total, double q)
{
	double acc = 0;

	for (size_t i = 0; i < n; i++) {
		acc += v[i].weight;
		if (acc >= q * total)
			return v[i].ns;
	}
	return n ? v[n - 1].ns : 0;
}

static void sleep_s(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int report(struct worker *w, int n, double t0, struct hvb_wl_result *res)
{
	uint64_t total = 0, amin = UINT64_MAX, amax = 0, kept = 0;
	double wtot = 0, wmax = 0, t_end = t0;
	struct hvb_extra ex = { .f = w[0].ex.f }; /* all threads' */
	struct wait_sample *ws;
	size_t m = 0;

	for (int i = 0; i < n; i++) {
		total += w[i].acq;
		kept += w[i].kept;
		amin = w[i].acq < amin ? w[i].acq : amin;
		amax = w[i].acq > amax ? w[i].acq : amax;
		wmax = w[i].wmax > wmax ? w[i].wmax : wmax;
		t_end = w[i].t_end > t_end ? w[i].t_end : t_end;
		ex.counted_s += w[i].ex.counted_s;
		ex.extra_s += w[i].ex.extra_s;
	}
	if (!total || !kept)
		return hvb_wl_fail(res, HVB_EIO, "spinlock: no acquisition completed in %.3f s", t_end - t0);
	if (!(ws = malloc(kept * sizeof(*ws))))
		return hvb_wl_fail(res, HVB_ENOMEM, "spinlock: out of memory");
	for (int i = 0; i < n; i++)
		for (uint64_t j = 0; j < w[i].kept; j++) {
			ws[m].ns = w[i].res[j];
			ws[m++].weight = (double)w[i].seen / (double)w[i].kept;
			wtot += (double)w[i].seen / (double)w[i].kept;
		}
	qsort(ws, m, sizeof(*ws), cmp_ws);
	hvb_metrics_add(&res->metrics, "acq_per_s", (double)total / (t_end - t0), "acq/s", HVB_HIGHER);
	hvb_metrics_add(&res->metrics, "wait_ns.p50", weighted_quantile(ws, m, wtot, 0.50), "ns", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "wait_ns.p99", weighted_quantile(ws, m, wtot, 0.99), "ns", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "wait_ns.max", wmax, "ns", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "fairness", (double)amin / (double)amax, "ratio", HVB_HIGHER);
	hvb_metrics_add(&res->metrics, "acq_thread_min", (double)amin, "acq", HVB_INFO);
	hvb_metrics_add(&res->metrics, "acq_thread_max", (double)amax, "acq", HVB_INFO);
	hvb_metrics_add(&res->metrics, "threads", n, "threads", HVB_INFO);
	res->ops = total;
	hvb_metrics_add(&res->metrics, "ops", (double)total, "acq", HVB_INFO);
	hvb_extra_report(&ex, &res->metrics, NULL);
	free(ws);
	return 0;
}

static int spinlock_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	const struct hvb_params *p = ctx->params;
	int n = hvb_wl_threads(ctx, "threads"), started = 0, rc = 0;
	struct shared *sh;
	struct worker *w;
	double t0;
	uint64_t expect = 0;

	sh = aligned_alloc(64, sizeof(*sh));
	w = aligned_alloc(64, sizeof(*w) * (size_t)n);
	if (!sh || !w) {
		free(sh);
		free(w);
		return hvb_wl_fail(res, HVB_ENOMEM, "spinlock: out of memory for %d threads", n);
	}
	memset(sh, 0, sizeof(*sh));
	memset(w, 0, sizeof(*w) * (size_t)n);
	for (int i = 0; kinds[i]; i++)
		if (!strcmp(kinds[i], hvb_param_str(p, "kind")))
			sh->kind = (enum kind)i;
	sh->hold = (int)hvb_param_int(p, "hold");
	sh->think = (int)hvb_param_int(p, "think");
	sh->every = (int)hvb_param_int(p, "sample_every");
	sh->params = p;
	pthread_mutex_init(&sh->mutex, NULL);
	for (int i = 0; i < n; i++) {
		w[i].sh = sh;
		w[i].rng = ctx->seed ^ (0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1));
		if (!(w[i].res = malloc(RESERVOIR * sizeof(double)))) {
			rc = hvb_wl_fail(res, HVB_ENOMEM, "spinlock: out of memory");
			break;
		}
	}
	for (int i = 0; rc == 0 && i < n; i++) {
		int e = pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
		if (e) {
			rc = hvb_wl_fail(res, HVB_EIO, "spinlock: cannot start thread %d of %d: %s", i + 1, n,
					 strerror(e));
			break;
		}
		started++;
	}
	t0 = hvb_now();
	sh->settle_until = t0 + 2 * ctx->duration_s;
	if (rc)
		atomic_store(&sh->stop, 1);
	atomic_store_explicit(&sh->go, 1, memory_order_release);
	if (!rc)
		sleep_s(ctx->duration_s);
	atomic_store(&sh->stop, 1);
	for (int i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	if (!rc) {
		/* every acquisition, counted or extra, incremented the counter once */
		for (int i = 0; i < n; i++)
			expect += w[i].acq + w[i].xacq;
		if (sh->counter != expect)
			rc = hvb_wl_fail(res, HVB_EIO, "spinlock: %s lost updates (%llu of %llu): not exclusive",
					 kinds[sh->kind], (unsigned long long)sh->counter, (unsigned long long)expect);
		else
			rc = report(w, n, t0, res);
	}
	for (int i = 0; i < n; i++)
		free(w[i].res);
	pthread_mutex_destroy(&sh->mutex);
	free(w);
	free(sh);
	return rc;
}

const struct hvb_workload_ops hvb_wl_spinlock = {
	.name = "spinlock",
	.summary = "lock contention: ticket, test-and-set, MCS or pthread mutex; acquisitions/s, wait quantiles, fairness",
	.options = spinlock_options,
	.metrics = spinlock_metrics,
	.op_name = "lock acquisition",
	.supported = spinlock_supported,
	.run = spinlock_run,
};
