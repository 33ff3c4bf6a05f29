/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syscall: the cost of entering and leaving the kernel. getppid through
 * syscall() is the null call (no libc caching, almost no work inside); read() of
 * /dev/zero with a small and a large buffer is the cheap-versus-expensive pair:
 * the small one is dominated by the entry, the large one by the copy to user
 * memory. PV guests take the entry through the hypervisor on 64-bit; PVH and HVM
 * enter the guest kernel directly, so the null call is where the modes part. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

#define BATCH 1024 /* calls between two clock reads */

enum call { C_GETPPID, C_READ_SMALL, C_READ_LARGE, NCALLS };
static const char *const call_names[] = { "getppid", "read-small", "read-large", NULL };
static const char *const metric_names[] = { "getppid_ns", "read_small_ns", "read_large_ns" };
static const char *const count_names[] = { "getppid_ops", "read_small_ops", "read_large_ops" };

static const struct hvb_option syscall_options[] = {
	{ .name = "calls", .type = HVB_OPT_ENUM, .def = "getppid,read-small,read-large", .choices = call_names,
	  .flags = HVB_OPT_LIST, .help = "system calls measured in the sample" },
	{ .name = "small", .type = HVB_OPT_SIZE, .def = "64", .min = 1, .max = 1 << 20,
	  .help = "bytes of the small read of /dev/zero" },
	{ .name = "large", .type = HVB_OPT_SIZE, .def = "64K", .min = 1, .max = 64 << 20,
	  .help = "bytes of the large read of /dev/zero" },
	HVB_WL_EXTRA_WORK_OPTION,
	{ 0 },
};

static const struct hvb_metric_doc syscall_metrics[] = {
	{ "getppid_ns", "ns", HVB_LOWER, "ns per getppid() through syscall(): the null system call" },
	{ "read_small_ns", "ns", HVB_LOWER, "ns per read() of `small` bytes from /dev/zero" },
	{ "read_large_ns", "ns", HVB_LOWER, "ns per read() of `large` bytes from /dev/zero" },
	{ "getppid_ops", "calls", HVB_INFO, "getppid() calls counted in the sample" },
	{ "read_small_ops", "calls", HVB_INFO, "small read() calls counted in the sample" },
	{ "read_large_ops", "calls", HVB_INFO, "large read() calls counted in the sample" },
	{ "ops", "calls", HVB_INFO, "when calls names one: its calls (probe figures are then per call); with "
				    "several there is no single operation, and no ops" },
	HVB_WL_EXTRA_WORK_METRIC("extra_work.%s"),
	{ 0 },
};

static int syscall_supported(char *why, size_t len) { return 1; }

/* n calls of one kind; returns 0, or the errno of a failing call. */
static int calls(enum call c, int fd, char *buf, size_t len, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		if (c == C_GETPPID)
			syscall(SYS_getppid);
		else if (read(fd, buf, len) != (ssize_t)len)
			return errno ? errno : EIO;
	}
	return 0;
}

/* One kind of call on one descriptor and buffer: also extra_work's operation. */
struct call_args {
	enum call c;
	int fd;
	char *buf;
	size_t len;
};

static int more_calls(void *arg, uint64_t n)
{
	const struct call_args *a = arg;
	return calls(a->c, a->fd, a->buf, a->len, n);
}

static int measure(struct call_args *a, double budget_s, const struct hvb_params *params, double *ns,
		   uint64_t *ops, struct hvb_extra *ex)
{
	uint64_t n = 0;
	double t0, t;
	int e;

	hvb_extra_init(ex, params, more_calls, a);
	if ((e = calls(a->c, a->fd, a->buf, a->len, BATCH))) /* warm: page in buf, fault the path */
		return e;
	t = t0 = hvb_now();
	do {
		if ((e = calls(a->c, a->fd, a->buf, a->len, BATCH)) || (e = hvb_extra_pay(ex, BATCH, &t)))
			return e;
		n += BATCH;
	} while (t - t0 < budget_s || (!hvb_extra_settled(ex) && t - t0 < 2 * budget_s));
	*ns = (t - t0) * 1e9 / (double)n;
	*ops += n;
	return 0;
}

static int syscall_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	size_t small = hvb_param_size(ctx->params, "small"), large = hvb_param_size(ctx->params, "large");
	int want[NCALLS] = { 0 }, nwant = 0, fd, rc = 0;
	char *buf;

	if ((nwant = hvb_wl_choice_set(ctx->params, "calls", call_names, want)) <= 0)
		return hvb_wl_fail(res, HVB_EINVAL, "syscall: nothing to measure");
	if ((fd = open("/dev/zero", O_RDONLY | O_CLOEXEC)) < 0)
		return hvb_wl_fail(res, HVB_ESKIP, "syscall: cannot open /dev/zero: %s", strerror(errno));
	if (!(buf = malloc(large > small ? large : small))) {
		close(fd);
		return hvb_wl_fail(res, HVB_ENOMEM, "syscall: out of memory");
	}
	for (int c = 0; c < NCALLS && !rc; c++) {
		struct call_args a = { (enum call)c, fd, buf, c == C_READ_LARGE ? large : small };
		struct hvb_extra ex;
		double ns;
		uint64_t n = 0;
		int e;

		if (!want[c])
			continue;
		e = measure(&a, ctx->duration_s / nwant, ctx->params, &ns, &n, &ex);
		if (e)
			rc = hvb_wl_fail(res, HVB_EIO, "syscall: %s failed: %s", call_names[c], strerror(e));
		else {
			hvb_metrics_add(&res->metrics, metric_names[c], ns, "ns", HVB_LOWER);
			hvb_wl_path_ops(res, count_names[c], n, "calls", nwant);
			hvb_extra_report(&ex, &res->metrics, call_names[c]);
		}
	}
	free(buf);
	close(fd);
	return rc;
}

const struct hvb_workload_ops hvb_wl_syscall = {
	.name = "syscall",
	.summary = "system call cost: null call (getppid) and small versus large read of /dev/zero, ns per call",
	.options = syscall_options,
	.metrics = syscall_metrics,
	.op_name = "system call",
	.supported = syscall_supported,
	.run = syscall_run,
};
