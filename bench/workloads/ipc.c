/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipc: hackbench-style messaging. Each group has `fds` senders and `fds`
 * receivers; every sender writes `loops` messages of `size` bytes to every
 * receiver of its group, over pipes or UNIX stream sockets, with the tasks as
 * processes or threads. A run is timed from the moment all tasks are released
 * to the moment the last one is done. It stresses wake-ups and the scheduler
 * (cross-CPU IPIs, in guests event channels and virtual IPIs) far more than
 * copying; the figures are seconds per run and messages per second. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

#define READY_TIMEOUT_S 30.0
#define THREAD_STACK (256 * 1024)
#define MAX_MSG 65536

static const char *const transports[] = { "pipe", "socket", NULL };
static const char *const modes[] = { "process", "thread", NULL };

static const struct hvb_option ipc_options[] = {
	{ .name = "transport", .type = HVB_OPT_ENUM, .def = "socket", .choices = transports,
	  .help = "pipes, or UNIX stream socket pairs (hackbench's default)" },
	{ .name = "mode", .type = HVB_OPT_ENUM, .def = "process", .choices = modes,
	  .help = "senders and receivers as processes or as threads" },
	{ .name = "groups", .type = HVB_OPT_INT, .def = "10", .min = 1, .max = 1000,
	  .help = "groups of senders and receivers" },
	{ .name = "fds", .type = HVB_OPT_INT, .def = "20", .min = 1, .max = 1000,
	  .help = "senders, and receivers, per group" },
	{ .name = "loops", .type = HVB_OPT_INT, .def = "100", .min = 1, .max = 1000000,
	  .help = "messages each sender sends to each receiver of its group" },
	{ .name = "size", .type = HVB_OPT_SIZE, .def = "100", .min = 1, .max = MAX_MSG,
	  .help = "bytes per message" },
	{ 0 },
};

static const struct hvb_metric_doc ipc_metrics[] = {
	{ "run_s", "s", HVB_LOWER, "seconds per run (hackbench's figure), mean over the runs in the sample" },
	{ "msgs_per_s", "msg/s", HVB_HIGHER, "messages delivered per second over all runs" },
	{ "msg_ns", "ns", HVB_LOWER, "time per message: the runs' time over the messages they delivered" },
	{ "runs", "runs", HVB_INFO, "runs in the sample" },
	{ "tasks", "tasks", HVB_INFO, "senders and receivers per run" },
	{ "ops", "msg", HVB_INFO, "messages delivered in the sample" },
	{ 0 },
};

struct run {
	int groups, fds, loops, threads, sock;
	size_t size;
	int *rx, *tx;        /* per receiver: read end, write end */
	int ready[2], wake[2];
	atomic_int abort, failed;
	pid_t *pids;
	pthread_t *tids;
	int ntasks;          /* started */
};

struct task {
	struct run *r;
	int group, idx, sender;
};

static int ipc_supported(char *why, size_t len) { return 1; }

/* Says "ready", then blocks until the parent closes the wake pipe. */
static int wait_start(struct run *r)
{
	char c = 0;

	if (write(r->ready[1], &c, 1) != 1)
		return -1;
	while (read(r->wake[0], &c, 1) < 0 && errno == EINTR)
		;
	return atomic_load(&r->abort) ? -1 : 0;
}

static int sender(struct run *r, int group)
{
	char buf[MAX_MSG];
	int *out = r->tx + group * r->fds;

	memset(buf, 's', r->size);
	for (int l = 0; l < r->loops; l++)
		for (int j = 0; j < r->fds; j++)
			for (size_t done = 0; done < r->size;) {
				ssize_t n = write(out[j], buf + done, r->size - done);
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0)
					return -1;
				done += (size_t)n;
			}
	return 0;
}

/* One message at a time, as hackbench does: a read per message, so each one
 * can cost a wake-up rather than being batched into a large read. */
static int receiver(struct run *r, int fd)
{
	char buf[MAX_MSG];
	size_t msgs = (size_t)r->fds * (size_t)r->loops;

	for (size_t i = 0; i < msgs; i++)
		for (size_t done = 0; done < r->size;) {
			ssize_t n = read(fd, buf + done, r->size - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return -1;
			done += (size_t)n;
		}
	return 0;
}

static int task_body(struct task *t)
{
	struct run *r = t->r;

	if (wait_start(r) < 0)
		return -1;
	return t->sender ? sender(r, t->group) : receiver(r, r->rx[t->group * r->fds + t->idx]);
}

static void *thread_main(void *arg)
{
	struct task *t = arg;

	if (task_body(t) < 0)
		atomic_store(&t->r->failed, 1);
	return NULL;
}

static int make_channels(struct run *r, struct hvb_wl_result *res)
{
	int n = r->groups * r->fds;

	for (int i = 0; i < n; i++) {
		int p[2];
		if (r->sock ? socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) : pipe2(p, O_CLOEXEC))
			return hvb_wl_fail(res, HVB_EIO, "ipc: cannot create channel %d of %d: %s", i + 1, n,
					   strerror(errno));
		r->rx[i] = p[0];
		r->tx[i] = p[1];
	}
	if (pipe2(r->ready, O_CLOEXEC) || pipe2(r->wake, O_CLOEXEC))
		return hvb_wl_fail(res, HVB_EIO, "ipc: pipe: %s", strerror(errno));
	return 0;
}

static void close_all(struct run *r)
{
	for (int i = 0; i < r->groups * r->fds; i++) {
		if (r->rx[i] >= 0)
			close(r->rx[i]);
		if (r->tx[i] >= 0)
			close(r->tx[i]);
	}
	for (int i = 0; i < 2; i++) {
		if (r->ready[i] >= 0)
			close(r->ready[i]);
		if (r->wake[i] >= 0)
			close(r->wake[i]);
	}
}

static int start_task(struct run *r, struct task *t, struct hvb_wl_result *res)
{
	if (r->threads) {
		pthread_attr_t at;
		int e;
		pthread_attr_init(&at);
		pthread_attr_setstacksize(&at, THREAD_STACK);
		e = pthread_create(&r->tids[r->ntasks], &at, thread_main, t);
		pthread_attr_destroy(&at);
		if (e)
			return hvb_wl_fail(res, HVB_EIO, "ipc: cannot start thread %d: %s", r->ntasks + 1, strerror(e));
	} else {
		pid_t pid = fork();
		if (pid < 0)
			return hvb_wl_fail(res, HVB_EIO, "ipc: cannot fork task %d: %s", r->ntasks + 1, strerror(errno));
		if (pid == 0) {
			close(r->wake[1]); /* else the wake pipe never reaches end of file */
			_exit(task_body(t) < 0 ? 1 : 0);
		}
		r->pids[r->ntasks] = pid;
	}
	r->ntasks++;
	return 0;
}

/* Waits until every started task said ready, or one died, or the time ran out. */
static int wait_ready(struct run *r, struct hvb_wl_result *res)
{
	double deadline = hvb_now() + READY_TIMEOUT_S;
	int got = 0;

	while (got < r->ntasks) {
		struct pollfd pf = { r->ready[0], POLLIN, 0 };
		char buf[256];
		ssize_t n;
		int left = (int)((deadline - hvb_now()) * 1000);

		if (left <= 0 || poll(&pf, 1, left) == 0)
			return hvb_wl_fail(res, HVB_ETIMEDOUT, "ipc: only %d of %d tasks ready after %.0f s", got,
					   r->ntasks, READY_TIMEOUT_S);
		n = read(r->ready[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return hvb_wl_fail(res, HVB_EIO, "ipc: ready pipe: %s", n ? strerror(errno) : "closed");
		got += (int)n;
	}
	return 0;
}

/* Releases (or, on abort, kills) the tasks and reaps them all. */
static int finish(struct run *r, int abort)
{
	int bad = 0;

	atomic_store(&r->abort, abort);
	close(r->wake[1]);
	r->wake[1] = -1;
	for (int i = 0; i < r->ntasks; i++) {
		if (r->threads) {
			pthread_join(r->tids[i], NULL);
		} else {
			int st = 0;
			if (abort)
				kill(r->pids[i], SIGKILL);
			while (waitpid(r->pids[i], &st, 0) < 0 && errno == EINTR)
				;
			bad |= !WIFEXITED(st) || WEXITSTATUS(st);
		}
	}
	return bad || atomic_load(&r->failed) ? -1 : 0;
}

/* One hackbench run; its wall time in *secs. */
static int one_run(struct run *r, struct task *tasks, double *secs, struct hvb_wl_result *res)
{
	int n = r->groups * r->fds, rc;
	double t0;

	for (int i = 0; i < n; i++)
		r->rx[i] = r->tx[i] = -1;
	r->ready[0] = r->ready[1] = r->wake[0] = r->wake[1] = -1;
	r->ntasks = 0;
	atomic_store(&r->abort, 0);
	atomic_store(&r->failed, 0);
	rc = make_channels(r, res);
	for (int i = 0; rc == 0 && i < 2 * n; i++)
		rc = start_task(r, &tasks[i], res);
	if (rc == 0)
		rc = wait_ready(r, res);
	if (rc) {
		finish(r, 1);
		close_all(r);
		return rc;
	}
	t0 = hvb_now();
	rc = finish(r, 0);
	*secs = hvb_now() - t0;
	close_all(r);
	if (rc)
		return hvb_wl_fail(res, HVB_EIO, "ipc: a sender or receiver failed (%s over %s)",
				   r->threads ? "threads" : "processes", r->sock ? "sockets" : "pipes");
	return 0;
}

static int ipc_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	struct run r = { 0 };
	struct task *tasks;
	struct rlimit rl;
	double total = 0, t = 0, start = hvb_now();
	int runs = 0, rc = 0, n, need;

	r.groups = (int)hvb_param_int(ctx->params, "groups");
	r.fds = (int)hvb_param_int(ctx->params, "fds");
	r.loops = (int)hvb_param_int(ctx->params, "loops");
	r.size = hvb_param_size(ctx->params, "size");
	r.sock = !strcmp(hvb_param_str(ctx->params, "transport"), "socket");
	r.threads = !strcmp(hvb_param_str(ctx->params, "mode"), "thread");
	n = r.groups * r.fds;
	need = 2 * n + 4 + 32;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (rlim_t)need > rl.rlim_cur)
		return hvb_wl_fail(res, HVB_ESKIP, "ipc: %d groups x %d fds need %d descriptors, the limit is %llu",
				   r.groups, r.fds, need, (unsigned long long)rl.rlim_cur);
	r.rx = calloc((size_t)n, sizeof(int));
	r.tx = calloc((size_t)n, sizeof(int));
	r.pids = calloc((size_t)(2 * n), sizeof(pid_t));
	r.tids = calloc((size_t)(2 * n), sizeof(pthread_t));
	tasks = calloc((size_t)(2 * n), sizeof(*tasks));
	if (!r.rx || !r.tx || !r.pids || !r.tids || !tasks) {
		rc = hvb_wl_fail(res, HVB_ENOMEM, "ipc: out of memory");
		goto out;
	}
	for (int i = 0; i < 2 * n; i++)
		tasks[i] = (struct task){ .r = &r, .group = (i % n) / r.fds, .idx = i % r.fds, .sender = i >= n };
	do {
		if ((rc = one_run(&r, tasks, &t, res)) < 0)
			break;
		total += t;
		runs++;
	} while (hvb_now() - start < ctx->duration_s); /* set-up counts: the sample keeps to its time */
	if (!rc) {
		double msgs = (double)runs * (double)n * r.fds * r.loops;
		res->ops = (uint64_t)msgs;
		hvb_metrics_add(&res->metrics, "run_s", total / runs, "s", HVB_LOWER);
		hvb_metrics_add(&res->metrics, "msgs_per_s", msgs / total, "msg/s", HVB_HIGHER);
		hvb_metrics_add(&res->metrics, "msg_ns", total * 1e9 / msgs, "ns", HVB_LOWER);
		hvb_metrics_add(&res->metrics, "runs", runs, "runs", HVB_INFO);
		hvb_metrics_add(&res->metrics, "tasks", 2 * n, "tasks", HVB_INFO);
		hvb_metrics_add(&res->metrics, "ops", msgs, "msg", HVB_INFO);
	}
out:
	free(r.rx);
	free(r.tx);
	free(r.pids);
	free(r.tids);
	free(tasks);
	return rc;
}

const struct hvb_workload_ops hvb_wl_ipc = {
	.name = "ipc",
	.summary = "hackbench-style messaging: groups of senders and receivers over pipes or UNIX sockets",
	.options = ipc_options,
	.metrics = ipc_metrics,
	.op_name = "message",
	.supported = ipc_supported,
	.run = ipc_run,
};
