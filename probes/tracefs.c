/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tracefs: tracepoints the experiment names, recorded in private tracefs
 * instances (never the global one) and folded in-process as they are read
 * (probes/tracefs-agg.c). Lock and sched events are limited to the target's
 * process tree (set_event_pid with the event-fork option); block, net and napi
 * events happen in interrupt context on behalf of anyone, so they go to a second
 * instance without a pid filter. Instances are named hvbench-<pid>-<n>; they
 * are removed on close, at exit, on a fatal signal nobody else handles, and,
 * when the process was killed outright, by the next hvbench through
 * hvb_tracefs_cleanup_stale(). */
#include "config.h"
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "probes/probes-internal.h"

#ifdef HAVE_LIBTRACEFS
#include <tracefs/tracefs.h>
#include <traceevent/event-parse.h>
#include "probes/tracefs-internal.h"
#endif

static const struct hvb_option tracefs_options[] = {
	{ .name = "events", .type = HVB_OPT_STRING, .flags = HVB_OPT_LIST,
	  .def = "lock:contention_begin,lock:contention_end,sched:sched_switch,sched:sched_wakeup",
	  .help = "SYSTEM:EVENT tracepoints; aggregated: lock:contention_begin/end, sched:sched_switch/sched_wakeup, "
		  "block:block_rq_issue/complete, net:net_dev_xmit, net:netif_receive_skb, napi:napi_poll; "
		  "any other event is counted" },
	{ .name = "follow", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "limit lock and sched events to the target's process tree (no: the whole system)" },
	{ .name = "buffer_kb", .type = HVB_OPT_INT, .def = "4096", .min = 64, .max = 1048576,
	  .help = "ring buffer per CPU, KiB" },
	{ .name = "poll", .type = HVB_OPT_TIME, .def = "50ms", .min = 0.001, .max = 10,
	  .help = "how often the buffers are drained during the sample" },
	{ 0 },
};

static const struct hvb_metric_doc tracefs_metrics[] = {
	{ "lock.contentions", "count", HVB_LOWER, "kernel lock contentions of the target (lock:contention_begin/end)" },
	{ "lock.%s.contentions", "count", HVB_LOWER, "contentions per lock kind (spinlock, rwlock_read, "
	  "rwsem_write, mutex, rtmutex, pcpu_rwsem_read ...)" },
	{ "lock.%s.wait_p50_ns", "ns", HVB_LOWER, "wait time, median (also _p99_ns, _max_ns, _total_ns)" },
	{ "sched.wakeup_lat_p50_ns", "ns", HVB_LOWER, "sched_wakeup to sched_switch into the task (also _p99, _max)" },
	{ "sched.involuntary", "count", HVB_LOWER, "switches away from a target task that was still runnable" },
	{ "sched.switches", "count", HVB_INFO, "switches away from target tasks" },
	{ "sched.wakeups", "count", HVB_INFO, "wake-ups of target tasks" },
	{ "block.lat_p99_ns", "ns", HVB_LOWER, "block_rq_issue to block_rq_complete, whole system (also _p50, _max)" },
	{ "block.requests", "count", HVB_INFO, "completed block requests, whole system" },
	{ "net.%s", "packets", HVB_INFO, "tx_packets rx_packets tx_pps rx_pps (net_dev_xmit, netif_receive_skb)" },
	{ "napi.%s", "count", HVB_INFO, "napi_poll calls (polls) and packets they handled (packets)" },
	{ "tracefs.%s", "count", HVB_INFO, "events seen per SYSTEM.EVENT; missed_events and lost_events (ring buffer "
	  "overruns: figures are then incomplete), unmatched (an end without its begin)" },
	{ 0 },
};

/* ---- instances alive in this process: removed at exit and on fatal signals ---- */

#define LIVE_MAX 16
static char live_path[LIVE_MAX][PATH_MAX];
static volatile sig_atomic_t live_used[LIVE_MAX];
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;
static int live_hooks;

/* Async-signal-safe: rmdir of an instance directory is how tracefs removes it. */
static void live_remove_all(void)
{
	for (int i = 0; i < LIVE_MAX; i++)
		if (live_used[i]) {
			rmdir(live_path[i]);
			live_used[i] = 0;
		}
}

static void on_fatal_signal(int sig)
{
	live_remove_all();
	raise(sig); /* SA_RESETHAND: the default action now ends the process */
}

/* The handler goes only where nobody else handles the signal: a caller that
 * handles Ctrl-C (the runner) ends cleanly and closes its probes itself. */
static void install_hooks(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

	if (live_hooks)
		return;
	live_hooks = 1;
	atexit(live_remove_all);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old, sa = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
}

static int live_add(const char *path)
{
	int slot = -1;

	pthread_mutex_lock(&live_mu);
	install_hooks();
	for (int i = 0; i < LIVE_MAX && slot < 0; i++)
		if (!live_used[i]) {
			snprintf(live_path[i], sizeof(live_path[i]), "%s", path);
			live_used[i] = 1;
			slot = i;
		}
	pthread_mutex_unlock(&live_mu);
	return slot;
}

static void live_del(int slot)
{
	if (slot < 0)
		return;
	pthread_mutex_lock(&live_mu);
	live_used[slot] = 0;
	pthread_mutex_unlock(&live_mu);
}

#ifdef HAVE_LIBTRACEFS

/* Instances of processes that are gone. A pid reused since is taken as alive:
 * its instance stays until that process ends too. */
int hvb_tracefs_cleanup_stale(void)
{
	char **names = tracefs_instances("^hvbench-"); /* a basic regex: no '+' */
	int removed = 0;

	for (size_t i = 0; names && names[i]; i++) {
		struct tracefs_instance *inst;
		unsigned n;
		long pid;
		char end;
		if (sscanf(names[i], "hvbench-%ld-%u%c", &pid, &n, &end) != 2 || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
		    errno != ESRCH)
			continue;
		if (!(inst = tracefs_instance_alloc(NULL, names[i])))
			continue;
		/* Stop what it records first, so that nothing keeps it busy. */
		tracefs_trace_off(inst);
		tracefs_event_disable(inst, NULL, NULL);
		if (tracefs_instance_destroy(inst) == 0) {
			hvb_log(HVB_LOG_INFO, "tracefs: removed instance %s left by process %ld", names[i], pid);
			removed++;
		} else
			hvb_log(HVB_LOG_WARN, "tracefs: cannot remove stale instance %s: %s", names[i], strerror(errno));
		tracefs_instance_free(inst);
	}
	tracefs_list_free(names);
	return removed;
}

struct inst {
	struct tracefs_instance *ti;
	int slot, nevents;
};

struct tracefs_state {
	struct inst in[2]; /* [0] the target's tree, [1] the whole system */
	struct tep_handle *tep;
	struct hvb_tracefs_agg *agg;
	double poll, t0, t1;
	uint64_t lost0, lost1;
	pthread_t reader;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int reading, stopping, started;
};

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int tracefs_supported(char *why, size_t len)
{
	const char *dir = tracefs_tracing_dir();
	char path[PATH_MAX];

	if (!dir) {
		snprintf(why, len, "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/instances", dir);
	if (access(path, W_OK)) {
		snprintf(why, len, "cannot create tracefs instances in %s (%s%s)", path, strerror(errno),
			 geteuid() ? "; tracing needs root" : "");
		return 0;
	}
	return 1;
}

/* block, net and napi events fire in interrupt context for anyone. */
static int systemwide(const char *sys)
{
	return !strcmp(sys, "block") || !strcmp(sys, "net") || !strcmp(sys, "napi") || !strcmp(sys, "irq");
}

static int inst_create(struct inst *in, int buffer_kb, char *why, size_t len)
{
	static unsigned counter;
	char name[64], *dir;

	snprintf(name, sizeof(name), "hvbench-%d-%u", (int)getpid(), __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
	if (!(in->ti = tracefs_instance_create(name))) {
		snprintf(why, len, "cannot create tracefs instance %s: %s", name, strerror(errno));
		return HVB_EIO;
	}
	dir = tracefs_instance_get_dir(in->ti);
	in->slot = dir ? live_add(dir) : -1;
	free(dir);
	tracefs_trace_off(in->ti);
	/* A clock that agrees across CPUs: wake-ups and switches pair up across them. */
	if (tracefs_instance_file_write(in->ti, "trace_clock", "mono") < 0)
		hvb_log(HVB_LOG_WARN, "tracefs: no mono trace clock; latencies across CPUs use the local clock");
	if (tracefs_instance_set_buffer_size(in->ti, (size_t)buffer_kb, -1) < 0)
		hvb_log(HVB_LOG_WARN, "tracefs: cannot set the buffer to %d KiB per CPU", buffer_kb);
	return 0;
}

static void inst_destroy(struct inst *in)
{
	if (!in->ti)
		return;
	tracefs_trace_off(in->ti);
	tracefs_event_disable(in->ti, NULL, NULL);
	if (tracefs_instance_destroy(in->ti) < 0)
		hvb_log(HVB_LOG_WARN, "tracefs: cannot remove instance %s: %s", tracefs_instance_get_name(in->ti),
			strerror(errno));
	tracefs_instance_free(in->ti);
	live_del(in->slot);
	in->ti = NULL;
}

static int enable(struct inst *in, const char *sys, const char *ev)
{
	if (tracefs_event_enable(in->ti, sys, ev) < 0) {
		hvb_log(HVB_LOG_WARN, "tracefs: event %s:%s is not available on this kernel; left out", sys, ev);
		return 0;
	}
	in->nevents++;
	return 1;
}

/* Limits an instance to pid and what it forks from now on. */
static int follow(struct inst *in, pid_t pid, char *why, size_t len)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	if (tracefs_instance_file_write(in->ti, "set_event_pid", buf) < 0 ||
	    tracefs_option_enable(in->ti, TRACEFS_OPTION_EVENT_FORK) < 0) {
		snprintf(why, len, "cannot limit the events to pid %d (set_event_pid, event-fork)", (int)pid);
		return HVB_EIO;
	}
	return 0;
}

static void tracefs_close(void *state);

/* The systems named in the event list, for the event parser. */
static const char **systems_of(char **w, size_t n)
{
	const char **sys = calloc(n + 2, sizeof(*sys));
	size_t k = 0;

	if (!sys)
		return NULL;
	sys[k++] = "sched"; /* sched_process_fork, for following the tree */
	for (size_t i = 0; i < n; i++) {
		int seen = 0;
		for (size_t j = 0; j < k; j++)
			seen |= !strcmp(sys[j], w[i]);
		if (!seen)
			sys[k++] = w[i];
	}
	return sys;
}

/* Parses the SYSTEM:EVENT list into w (each split at its ':') and opens the
 * instances that are needed. */
static int setup(struct tracefs_state *st, const struct hvb_params *p, pid_t pid, char *why, size_t len)
{
	int fol = hvb_param_bool(p, "follow"), kb = (int)hvb_param_int(p, "buffer_kb"), rc = 0, any_sched = 0;
	const char **sys = NULL;
	char **w;
	size_t n;

	if ((rc = hvb_split_list(hvb_param_str(p, "events"), &w, &n)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char *c = strchr(w[i], ':');
		if (!c || c == w[i] || !c[1]) {
			snprintf(why, len, "event '%s' is not SYSTEM:EVENT", w[i]);
			rc = HVB_EINVAL;
			goto out;
		}
		*c = 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct inst *in = &st->in[fol && systemwide(w[i]) ? 1 : 0];
		if (!in->ti && (rc = inst_create(in, kb, why, len)) < 0)
			goto out;
		enable(in, w[i], w[i] + strlen(w[i]) + 1);
		any_sched |= in == &st->in[0] && !strcmp(w[i], "sched");
	}
	if (fol && st->in[0].ti) {
		if ((rc = follow(&st->in[0], pid, why, len)) < 0)
			goto out;
		if (any_sched)
			enable(&st->in[0], "sched", "sched_process_fork");
	}
	if (st->in[0].nevents + st->in[1].nevents == 0) {
		snprintf(why, len, "none of the events exists on this kernel (see %s/available_events)",
			 tracefs_tracing_dir());
		rc = HVB_ESKIP;
		goto out;
	}
	if (!(sys = systems_of(w, n)) || !(st->tep = tracefs_local_events_system(NULL, sys))) {
		snprintf(why, len, "cannot parse the event formats");
		rc = HVB_EIO;
		goto out;
	}
	if (!(st->agg = hvb_tracefs_agg_new(st->tep, fol ? (int)pid : 0)))
		rc = HVB_ENOMEM;
out:
	free(sys);
	hvb_words_free(w, n);
	return rc;
}

static int tracefs_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	struct tracefs_state *st;
	int rc;

	if (!tracefs_supported(why, len))
		return HVB_ESKIP;
	if (!(st = calloc(1, sizeof(*st))))
		return HVB_ENOMEM;
	st->in[0].slot = st->in[1].slot = -1;
	st->poll = hvb_param_time(p, "poll");
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	if ((rc = setup(st, p, t->pid, why, len)) < 0) {
		tracefs_close(st);
		return rc;
	}
	*state = st;
	return 0;
}

static void drain(struct tracefs_state *st)
{
	for (int i = 0; i < 2; i++)
		if (st->in[i].ti)
			tracefs_iterate_raw_events(st->tep, st->in[i].ti, NULL, 0, hvb_tracefs_agg_event, st->agg);
}

static void *reader(void *arg)
{
	struct tracefs_state *st = arg;

	pthread_mutex_lock(&st->mu);
	while (!st->stopping) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)(st->poll * 1e9);
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&st->cv, &st->mu, &ts);
		if (st->stopping)
			break;
		pthread_mutex_unlock(&st->mu);
		drain(st);
		pthread_mutex_lock(&st->mu);
	}
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

/* Ring buffer overruns, all CPUs of both instances. */
static uint64_t lost_events(struct tracefs_state *st)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	uint64_t lost = 0;

	for (int i = 0; i < 2; i++)
		for (long c = 0; st->in[i].ti && c < ncpu; c++) {
			char file[64], *s, *o;
			snprintf(file, sizeof(file), "per_cpu/cpu%ld/stats", c);
			if (!(s = tracefs_instance_file_read(st->in[i].ti, file, NULL)))
				continue;
			if ((o = strstr(s, "overrun:")))
				lost += strtoull(o + 8, NULL, 10);
			if ((o = strstr(s, "dropped events:")))
				lost += strtoull(o + 15, NULL, 10);
			free(s);
		}
	return lost;
}

static int tracefs_start(void *state)
{
	struct tracefs_state *st = state;

	hvb_tracefs_agg_reset(st->agg);
	drain(st); /* whatever came in between samples is not this sample's */
	hvb_tracefs_agg_reset(st->agg);
	st->lost0 = lost_events(st);
	st->stopping = 0;
	st->reading = pthread_create(&st->reader, NULL, reader, st) == 0;
	st->t0 = now_mono();
	for (int i = 0; i < 2; i++)
		if (st->in[i].ti && tracefs_trace_on(st->in[i].ti) < 0)
			return HVB_EIO;
	st->started = 1;
	return 0;
}

static int tracefs_stop(void *state)
{
	struct tracefs_state *st = state;

	if (!st->started)
		return 0;
	for (int i = 0; i < 2; i++)
		if (st->in[i].ti)
			tracefs_trace_off(st->in[i].ti);
	st->t1 = now_mono();
	if (st->reading) {
		pthread_mutex_lock(&st->mu);
		st->stopping = 1;
		pthread_cond_signal(&st->cv);
		pthread_mutex_unlock(&st->mu);
		pthread_join(st->reader, NULL);
		st->reading = 0;
	}
	drain(st);
	st->lost1 = lost_events(st);
	st->started = 0;
	return 0;
}

static int tracefs_collect(void *state, struct hvb_metrics *out)
{
	struct tracefs_state *st = state;
	int rc = hvb_tracefs_agg_collect(st->agg, st->t1 - st->t0, out);
	uint64_t lost;

	if (!hvb_counter_delta("tracefs: the ring buffers' overrun count", st->lost0, st->lost1, &lost))
		return rc;
	if (hvb_metrics_add(out, "tracefs.lost_events", (double)lost, "count", HVB_LOWER) < 0)
		rc = HVB_ENOMEM;
	if (lost)
		hvb_log(HVB_LOG_WARN, "tracefs: %llu events lost to ring buffer overruns; raise buffer_kb",
			(unsigned long long)lost);
	return rc;
}

static void tracefs_close(void *state)
{
	struct tracefs_state *st = state;

	if (!st)
		return;
	tracefs_stop(st);
	for (int i = 0; i < 2; i++)
		inst_destroy(&st->in[i]);
	hvb_tracefs_agg_free(st->agg);
	if (st->tep)
		tep_free(st->tep);
	pthread_mutex_destroy(&st->mu);
	pthread_cond_destroy(&st->cv);
	free(st);
}

#else /* !HAVE_LIBTRACEFS */

int hvb_tracefs_cleanup_stale(void) { return 0; }

static int tracefs_supported(char *why, size_t len)
{
	snprintf(why, len, "built without libtracefs (configure --with-libtracefs; Debian: libtracefs-dev)");
	return 0;
}

static int tracefs_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	tracefs_supported(why, len);
	return HVB_ESKIP;
}

static int tracefs_start(void *state) { return HVB_ESKIP; }
static int tracefs_stop(void *state) { return HVB_ESKIP; }
static int tracefs_collect(void *state, struct hvb_metrics *out) { return HVB_ESKIP; }
static void tracefs_close(void *state) {}

#endif

const struct hvb_probe_ops hvb_probe_tracefs = {
	.name = "tracefs",
	.summary = "tracepoints in a private tracefs instance: lock contention and wait times per lock kind, wake-up "
		   "latency, involuntary preemptions, block I/O latency, packet rates",
	.options = tracefs_options,
	.metrics = tracefs_metrics,
	.where = HVB_PROBE_HOST | HVB_PROBE_GUEST,
	.supported = tracefs_supported,
	.open = tracefs_open,
	.start = tracefs_start,
	.stop = tracefs_stop,
	.collect = tracefs_collect,
	.close = tracefs_close,
};
