/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A team of threads that start together, run for the sample's time and stop
 * together: the shape of every multi-threaded kernel-path workload (tlbshoot,
 * mmaplock, futexhash, forkexec's busy threads). The team owns the lifecycle
 * only; each workload keeps its own counters, indexed by the thread. */
#include "config.h"
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench/workloads/wl.h"

struct member {
	struct hvb_team *t;
	int idx, rc;
	pthread_t tid;
};

static void *member_main(void *arg)
{
	struct member *m = arg;
	struct hvb_team *t = m->t;

	while (!atomic_load_explicit(&t->go, memory_order_acquire))
		sched_yield();
	m->rc = t->fn(t->arg, m->idx, t);
	return NULL;
}

static void sleep_until_stop(const struct hvb_team *t, double s)
{
	double end = hvb_now() + s, left;

	/* Slices, so that a member that failed (stop set early) ends the sample. */
	while (!atomic_load(&t->stop) && (left = end - hvb_now()) > 0) {
		double d = left < 0.05 ? left : 0.05;
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)(d * 1e9) };
		nanosleep(&ts, NULL);
	}
}

int hvb_team_run(struct hvb_team *t, int n, double duration_s, char *err, size_t errlen)
{
	struct member *m = calloc((size_t)n, sizeof(*m));
	int started = 0, rc = 0;

	atomic_store(&t->go, 0);
	atomic_store(&t->stop, 0);
	if (!m) {
		snprintf(err, errlen, "out of memory for %d threads", n);
		return HVB_ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		int e;
		m[i] = (struct member){ .t = t, .idx = i };
		if ((e = pthread_create(&m[i].tid, NULL, member_main, &m[i])) != 0) {
			snprintf(err, errlen, "cannot start thread %d of %d: %s", i + 1, n, strerror(e));
			rc = HVB_EIO;
			break;
		}
		started++;
	}
	if (rc)
		atomic_store(&t->stop, 1);
	t->t_go = hvb_now();
	atomic_store_explicit(&t->go, 1, memory_order_release);
	if (!rc)
		sleep_until_stop(t, duration_s);
	atomic_store(&t->stop, 1);
	for (int i = 0; i < started; i++) {
		pthread_join(m[i].tid, NULL);
		if (!rc && m[i].rc < 0) {
			rc = m[i].rc;
			snprintf(err, errlen, "thread %d: %s", i + 1, t->why[0] ? t->why : hvb_strerror(rc));
		}
	}
	t->t_end = hvb_now();
	free(m);
	return rc;
}

int hvb_team_fail(struct hvb_team *t, int code, const char *what)
{
	int e = errno;

	/* The first failure is the one reported; the others stop. */
	if (!atomic_exchange(&t->failed, 1))
		snprintf(t->why, sizeof(t->why), "%s: %s", what, strerror(e));
	atomic_store(&t->stop, 1);
	return code;
}
