/* SPDX-License-Identifier: GPL-2.0-or-later */
/* wakeup: cross-CPU wake-up latency and timer precision.
 *   futex  two threads pinned to two CPUs play ping-pong on a futex word; each
 *          side sleeps in FUTEX_WAIT (no spinning), so every hand-over is a
 *          wake-up of an idle CPU: an IPI natively, an event channel or a
 *          virtual IPI in a guest. The latency is taken one way: the waker
 *          stamps the time just before FUTEX_WAKE, the woken reads the clock
 *          as soon as it runs.
 *   timer  how late a short relative nanosleep returns (timer slack set to
 *          1 ns for the measuring thread, so the figure is the timer path's).
 * cpus = auto takes the first two CPUs the agent may use. With one CPU (vcpus
 * = 1, or cpus = A,A) the ping-pong is a wake-up on the same CPU, a context
 * switch without an IPI: it is reported under its own name, wake_same_cpu_ns,
 * never as the cross-CPU wake_ns. */
#include "config.h"
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

#define MAX_SAMPLES (1u << 20)
#define WARM_TURNS 16 /* first hand-overs include thread start-up */
#define MIN_TURNS 32  /* wake-ups each side measures before the budget may end a sample */

enum test { T_FUTEX, T_TIMER, NTESTS };
static const char *const test_names[] = { "futex", "timer", NULL };

static const struct hvb_option wakeup_options[] = {
	{ .name = "tests", .type = HVB_OPT_ENUM, .def = "futex,timer", .choices = test_names, .flags = HVB_OPT_LIST,
	  .help = "futex ping-pong between two CPUs, and/or short-sleep timer overshoot" },
	{ .name = "cpus", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_LIST | HVB_OPT_AUTO | HVB_OPT_TUPLE, .min = 0,
	  .max = CPU_SETSIZE - 1, .help = "the two CPUs of the ping-pong, A,B (the timer runs on A); auto = the "
					  "first two CPUs the agent may use" },
	{ .name = "sleep", .type = HVB_OPT_TIME, .def = "50us", .min = 1e-6, .max = 0.1,
	  .help = "requested length of each short sleep" },
	{ 0 },
};

static const struct hvb_metric_doc wakeup_metrics[] = {
	{ "wake_ns.p50", "ns", HVB_LOWER, "median one-way futex wake-up latency, CPU A to B and back" },
	{ "wake_ns.p99", "ns", HVB_LOWER, "99th percentile of the wake-up latency" },
	{ "wake_same_cpu_ns.p50", "ns", HVB_LOWER, "one CPU only (vcpus = 1, or cpus = A,A): median futex hand-over "
						   "between two threads on the same CPU (a context switch, no IPI)" },
	{ "wake_same_cpu_ns.p99", "ns", HVB_LOWER, "one CPU only: 99th percentile of the same-CPU hand-over" },
	{ "timer_overshoot_ns.p50", "ns", HVB_LOWER, "median lateness of a `sleep` nanosleep" },
	{ "timer_overshoot_ns.p99", "ns", HVB_LOWER, "99th percentile of the lateness" },
	{ "cpu_a", "cpu", HVB_INFO, "CPU of the first thread (and of the timer)" },
	{ "cpu_b", "cpu", HVB_INFO, "CPU of the second thread" },
	{ "wake_ops", "wakeups", HVB_INFO, "wake-ups measured in the sample (futex test)" },
	{ "timer_ops", "wakeups", HVB_INFO, "sleeps measured in the sample (timer test)" },
	{ "ops", "wakeups", HVB_INFO, "when tests names one: its wake-ups or sleeps (probe figures are then per "
				      "operation); with both there is no single operation, and no ops" },
	{ 0 },
};

struct pingpong {
	atomic_int word;          /* 0: A's turn to run, 1: B's turn; 2: stop */
	_Atomic uint64_t stamp;   /* time just before the last FUTEX_WAKE */
	int cpu[2];
	double until;
	double *lat[2];
	size_t n[2];
	int err[2];
	double hard_until;
};

static int wakeup_supported(char *why, size_t len) { return 1; }

static long futex(atomic_int *uaddr, int op, int val)
{
	return syscall(SYS_futex, (int *)uaddr, op, val, NULL, NULL, 0);
}

static int pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	return pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
}

/* Side me (0 = A, 1 = B) runs when word == me, then hands the turn over. */
static void *side(struct pingpong *pp, int me)
{
	int other = !me;
	uint64_t turns = 0;

	if ((pp->err[me] = pin(pp->cpu[me]))) {
		atomic_store(&pp->word, 2);
		futex(&pp->word, FUTEX_WAKE_PRIVATE, 1);
		return NULL;
	}
	for (;;) {
		int w;
		while ((w = atomic_load(&pp->word)) == other)
			futex(&pp->word, FUTEX_WAIT_PRIVATE, other);
		if (w == 2)
			break;
		if (++turns > WARM_TURNS) {
			double ns = (double)(hvb_now_ns() - atomic_load(&pp->stamp));
			if (pp->n[me] < MAX_SAMPLES)
				pp->lat[me][pp->n[me]++] = ns;
		}
		/* The budget ends a sample only once both sides have a few wake-ups: on a
		 * loaded host (or a guest whose vCPUs are preempted) the first ones can take
		 * a whole time slice. A hard cap bounds that wait. */
		if (me == 0 && ((hvb_now() >= pp->until && pp->n[0] >= MIN_TURNS && pp->n[1] >= MIN_TURNS) ||
				hvb_now() >= pp->hard_until || pp->n[0] >= MAX_SAMPLES)) {
			atomic_store(&pp->word, 2);
			futex(&pp->word, FUTEX_WAKE_PRIVATE, 1);
			break;
		}
		atomic_store(&pp->stamp, hvb_now_ns());
		atomic_store(&pp->word, other);
		futex(&pp->word, FUTEX_WAKE_PRIVATE, 1);
	}
	return NULL;
}

static void *side_a(void *arg) { return side(arg, 0); }
static void *side_b(void *arg) { return side(arg, 1); }

static void add_quantiles(struct hvb_wl_result *res, const char *name, double *v, size_t n)
{
	hvb_sort_doubles(v, n);
	hvb_metrics_addf(&res->metrics, hvb_quantile_sorted(v, n, 0.50), "ns", HVB_LOWER, "%s.p50", name);
	hvb_metrics_addf(&res->metrics, hvb_quantile_sorted(v, n, 0.99), "ns", HVB_LOWER, "%s.p99", name);
}

static int run_futex(int a, int b, double budget_s, int npaths, struct hvb_wl_result *res)
{
	struct pingpong pp = { .cpu = { a, b } };
	pthread_t t[2];
	int e = 0, started = 0, rc = 0;

	pp.lat[0] = malloc(MAX_SAMPLES * sizeof(double));
	pp.lat[1] = malloc(MAX_SAMPLES * sizeof(double));
	if (!pp.lat[0] || !pp.lat[1]) {
		rc = hvb_wl_fail(res, HVB_ENOMEM, "wakeup: out of memory");
		goto out;
	}
	pp.until = hvb_now() + budget_s;
	pp.hard_until = pp.until + 10 * budget_s + 1;
	/* both sides on threads of their own: the caller's affinity stays as it was */
	for (; started < 2; started++)
		if ((e = pthread_create(&t[started], NULL, started ? side_b : side_a, &pp)))
			break;
	if (e) {
		atomic_store(&pp.word, 2);
		futex(&pp.word, FUTEX_WAKE_PRIVATE, 1);
		rc = hvb_wl_fail(res, HVB_EIO, "wakeup: cannot start a thread: %s", strerror(e));
	}
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	if (rc)
		goto out;
	if (pp.err[0] || pp.err[1]) {
		rc = hvb_wl_fail(res, HVB_ESKIP, "wakeup: cannot run on CPU %d: %s", pp.cpu[pp.err[0] ? 0 : 1],
				 strerror(pp.err[0] ? pp.err[0] : pp.err[1]));
		goto out;
	}
	if (!pp.n[0] || !pp.n[1]) {
		rc = hvb_wl_fail(res, HVB_EIO, "wakeup: no wake-up measured in %.3f s", budget_s);
		goto out;
	}
	/* one array: A's samples then B's */
	{
		double *all = realloc(pp.lat[0], (pp.n[0] + pp.n[1]) * sizeof(double));
		if (!all) {
			rc = hvb_wl_fail(res, HVB_ENOMEM, "wakeup: out of memory");
			goto out;
		}
		pp.lat[0] = all;
		memcpy(all + pp.n[0], pp.lat[1], pp.n[1] * sizeof(double));
		add_quantiles(res, a == b ? "wake_same_cpu_ns" : "wake_ns", all, pp.n[0] + pp.n[1]);
		hvb_wl_path_ops(res, "wake_ops", pp.n[0] + pp.n[1], "wakeups", npaths);
	}
out:
	free(pp.lat[0]);
	free(pp.lat[1]);
	return rc;
}

struct timer_run {
	int cpu, err;
	double sleep_s, until;
	double *over;
	size_t n;
};

static void *timer_main(void *arg)
{
	struct timer_run *tr = arg;
	struct timespec req = { .tv_sec = 0, .tv_nsec = (long)(tr->sleep_s * 1e9) };

	if ((tr->err = pin(tr->cpu)))
		return NULL;
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	while (tr->n < MAX_SAMPLES && hvb_now() < tr->until) {
		uint64_t t0 = hvb_now_ns();
		clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
		tr->over[tr->n++] = (double)(hvb_now_ns() - t0) - tr->sleep_s * 1e9;
	}
	return NULL;
}

static int run_timer(int cpu, double sleep_s, double budget_s, int npaths, struct hvb_wl_result *res)
{
	struct timer_run tr = { .cpu = cpu, .sleep_s = sleep_s, .until = hvb_now() + budget_s };
	pthread_t t;
	int e, rc = 0;

	if (!(tr.over = malloc(MAX_SAMPLES * sizeof(double))))
		return hvb_wl_fail(res, HVB_ENOMEM, "wakeup: out of memory");
	if ((e = pthread_create(&t, NULL, timer_main, &tr)))
		rc = hvb_wl_fail(res, HVB_EIO, "wakeup: cannot start a thread: %s", strerror(e));
	else
		pthread_join(t, NULL);
	if (!rc && tr.err)
		rc = hvb_wl_fail(res, HVB_ESKIP, "wakeup: cannot run on CPU %d: %s", cpu, strerror(tr.err));
	if (!rc && !tr.n)
		rc = hvb_wl_fail(res, HVB_EIO, "wakeup: no sleep measured");
	if (!rc) {
		add_quantiles(res, "timer_overshoot_ns", tr.over, tr.n);
		hvb_wl_path_ops(res, "timer_ops", tr.n, "wakeups", npaths);
	}
	free(tr.over);
	return rc;
}

/* cpus = auto: the first two CPUs of the agent's affinity (one CPU: both on it). */
static int pick_cpus(const struct hvb_wl_ctx *ctx, int *a, int *b, struct hvb_wl_result *res)
{
	cpu_set_t set;
	uint64_t v[2];
	int n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return hvb_wl_fail(res, HVB_EIO, "wakeup: sched_getaffinity: %s", strerror(errno));
	if (hvb_param_is_auto(ctx->params, "cpus")) {
		int got[2] = { -1, -1 };
		for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
			if (CPU_ISSET(c, &set))
				got[n++] = c;
		if (!n)
			return hvb_wl_fail(res, HVB_EIO, "wakeup: no CPU in the affinity mask");
		*a = got[0];
		*b = n > 1 ? got[1] : got[0];
		return 0;
	}
	/* a list of integers: reuse the size-list splitter, the values are plain numbers */
	if (hvb_param_sizes(ctx->params, "cpus", v, 2) != 2)
		return hvb_wl_fail(res, HVB_EINVAL, "wakeup: cpus needs two CPUs, A,B");
	*a = (int)v[0];
	*b = (int)v[1];
	for (int i = 0; i < 2; i++) {
		int c = i ? *b : *a;
		if (!CPU_ISSET(c, &set))
			return hvb_wl_fail(res, HVB_ESKIP, "wakeup: CPU %d is not among the CPUs this agent may use", c);
	}
	return 0;
}

static int wakeup_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	int want[NTESTS] = { 0 }, nwant, a = 0, b = 0, rc;
	double budget;

	if ((nwant = hvb_wl_choice_set(ctx->params, "tests", test_names, want)) <= 0)
		return hvb_wl_fail(res, HVB_EINVAL, "wakeup: nothing to measure");
	if ((rc = pick_cpus(ctx, &a, &b, res)) < 0)
		return rc;
	budget = ctx->duration_s / nwant;
	if (want[T_FUTEX] && (rc = run_futex(a, b, budget, nwant, res)) < 0)
		return rc;
	if (want[T_TIMER] && (rc = run_timer(a, hvb_param_time(ctx->params, "sleep"), budget, nwant, res)) < 0)
		return rc;
	hvb_metrics_add(&res->metrics, "cpu_a", a, "cpu", HVB_INFO);
	hvb_metrics_add(&res->metrics, "cpu_b", b, "cpu", HVB_INFO);
	return 0;
}

const struct hvb_workload_ops hvb_wl_wakeup = {
	.name = "wakeup",
	.summary = "cross-CPU wake-up latency (futex ping-pong between two pinned threads) and short-sleep timer overshoot",
	.options = wakeup_options,
	.metrics = wakeup_metrics,
	.op_name = "wake-up",
	.supported = wakeup_supported,
	.run = wakeup_run,
};
