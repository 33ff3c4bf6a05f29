/* SPDX-License-Identifier: GPL-2.0-or-later */
/* forkexec: fork + exec + wait while other threads of the process run. The
 * forking thread starts hvbench itself (its own binary, as /proc/self/exe names
 * it, with --version, which exits at once: present in every guest image the
 * agent runs in); the busy threads keep writing to memory of their own. fork
 * copies the page tables and write-protects every private page, which must be
 * flushed from the TLBs of the CPUs the busy threads run on, and the busy
 * threads then take copy-on-write faults; exec builds a new address space and
 * loads a dynamically linked program. Under Xen, PV guests validate every new
 * page table with the hypervisor, HVM and PVH guests do it under nested paging. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

#define LAT_KEEP 8192 /* fork + exec latencies kept for the quantiles: the first ones */

static const struct hvb_option forkexec_options[] = {
	{ .name = "busy", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 0, .max = 4096,
	  .help = "threads writing to memory while the other one forks (auto = the CPUs less one)" },
	{ .name = "mem", .type = HVB_OPT_SIZE, .def = "64M", .mapped = 1, .min = 0, .max = 64.0 * (1ULL << 30),
	  .help = "memory the process holds touched (the page tables fork copies), shared out among the busy threads" },
	{ 0 },
};

static const struct hvb_metric_doc forkexec_metrics[] = {
	{ "fork_exec_us", "us", HVB_LOWER, "fork + exec of hvbench --version + wait (median of the sample)" },
	{ "fork_exec_us.p99", "us", HVB_LOWER, "99th percentile of the same" },
	{ "spawns_per_s", "ops/s", HVB_HIGHER, "fork + exec + wait completed per second" },
	{ "busy_writes_per_s", "pages/s", HVB_HIGHER, "page writes per second of all busy threads (busy > 0)" },
	{ "threads", "threads", HVB_INFO, "busy threads and the forking one" },
	{ "ops", "ops", HVB_INFO, "fork + exec + wait counted in the sample" },
	{ 0 },
};

struct bstat {
	alignas(64) uint64_t writes;
};

struct forkexec {
	char exe[4096];
	int null_fd, busy;
	char *mem;
	size_t memlen;
	double *lat;
	uint64_t spawns;
	struct bstat *st;
};

static int forkexec_supported(char *why, size_t len)
{
	if (access("/proc/self/exe", F_OK) < 0) {
		snprintf(why, len, "/proc/self/exe is not readable (/proc not mounted?): nothing to exec");
		return 0;
	}
	return 1;
}

static int spawn_loop(struct forkexec *fe, struct hvb_team *t)
{
	char *const argv[] = { fe->exe, "--version", NULL };
	double s;
	int rc;

	while (hvb_team_running(t)) {
		if ((rc = hvb_fork_once(argv, fe->null_fd, &s, t->why, sizeof(t->why))) < 0) {
			atomic_store(&t->failed, 1);
			atomic_store(&t->stop, 1);
			return rc;
		}
		if (fe->spawns < LAT_KEEP)
			fe->lat[fe->spawns] = s;
		fe->spawns++;
	}
	return 0;
}

/* A busy thread: one write per page of its slice of mem, round after round
 * (or, without memory, one page of its own stack). */
static int busy_loop(struct forkexec *fe, int k, struct hvb_team *t)
{
	size_t slice = fe->memlen / (size_t)fe->busy / HVB_SMALL_PAGE * HVB_SMALL_PAGE;
	volatile char *p = fe->mem + (size_t)k * slice, local = 0;
	struct bstat *st = &fe->st[k];

	while (hvb_team_running(t)) {
		if (!slice) {
			local++;
			st->writes++;
			continue;
		}
		for (size_t off = 0; off < slice && hvb_team_running(t); off += HVB_SMALL_PAGE, st->writes++)
			p[off]++;
	}
	return 0;
}

static int member(void *arg, int idx, struct hvb_team *t)
{
	struct forkexec *fe = arg;

	return idx == 0 ? spawn_loop(fe, t) : busy_loop(fe, idx - 1, t);
}

static int forkexec_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	struct forkexec fe = { .memlen = hvb_param_size(ctx->params, "mem"), .null_fd = -1 };
	struct hvb_team team = { .fn = member, .arg = &fe };
	void *base = NULL;
	size_t maplen = 0;
	uint64_t writes = 0;
	ssize_t n;
	double wall;
	char err[320];
	int rc = 0;

	fe.busy = hvb_param_is_auto(ctx->params, "busy") ? ctx->ncpus - 1 : (int)hvb_param_int(ctx->params, "busy");
	fe.busy = fe.busy > 0 ? fe.busy : 0;
	if ((n = readlink("/proc/self/exe", fe.exe, sizeof(fe.exe) - 1)) <= 0)
		return hvb_wl_fail(res, HVB_ESKIP, "forkexec: /proc/self/exe: %s", strerror(errno));
	fe.exe[n] = 0;
	fe.lat = malloc(LAT_KEEP * sizeof(*fe.lat));
	fe.st = aligned_alloc(64, sizeof(*fe.st) * (size_t)(fe.busy + 1));
	if (fe.memlen && !(fe.mem = hvb_mm_map(fe.memlen, 0, &base, &maplen)))
		rc = hvb_wl_fail(res, HVB_ENOMEM, "forkexec: cannot map mem of %zu bytes", fe.memlen);
	else if (!fe.lat || !fe.st)
		rc = hvb_wl_fail(res, HVB_ENOMEM, "forkexec: out of memory for %d threads", fe.busy + 1);
	else if ((fe.null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
		rc = hvb_wl_fail(res, HVB_EIO, "forkexec: /dev/null: %s", strerror(errno));
	if (!rc) {
		memset(fe.st, 0, sizeof(*fe.st) * (size_t)(fe.busy + 1));
		if (fe.mem)
			hvb_mm_touch(fe.mem, fe.memlen);
		if ((rc = hvb_team_run(&team, fe.busy + 1, ctx->duration_s, err, sizeof(err))) < 0)
			hvb_wl_fail(res, rc, "forkexec: %s", err);
	}
	for (int i = 0; i < fe.busy && fe.st; i++)
		writes += fe.st[i].writes;
	wall = team.t_end - team.t_go;
	if (!rc && !fe.spawns)
		rc = hvb_wl_fail(res, HVB_EIO, "forkexec: no fork + exec completed in %.3f s", wall);
	if (!rc) {
		size_t kept = fe.spawns < LAT_KEEP ? (size_t)fe.spawns : LAT_KEEP;
		hvb_sort_doubles(fe.lat, kept);
		hvb_metrics_add(&res->metrics, "fork_exec_us", hvb_quantile_sorted(fe.lat, kept, 0.5) * 1e6, "us", HVB_LOWER);
		hvb_metrics_add(&res->metrics, "fork_exec_us.p99", hvb_quantile_sorted(fe.lat, kept, 0.99) * 1e6, "us",
				HVB_LOWER);
		hvb_metrics_add(&res->metrics, "spawns_per_s", (double)fe.spawns / wall, "ops/s", HVB_HIGHER);
		if (fe.busy)
			hvb_metrics_add(&res->metrics, "busy_writes_per_s", (double)writes / wall, "pages/s", HVB_HIGHER);
		hvb_metrics_add(&res->metrics, "threads", fe.busy + 1, "threads", HVB_INFO);
		res->ops = fe.spawns;
		hvb_metrics_add(&res->metrics, "ops", (double)fe.spawns, "ops", HVB_INFO);
	}
	if (fe.null_fd >= 0)
		close(fe.null_fd);
	if (base)
		munmap(base, maplen);
	free(fe.lat);
	free(fe.st);
	return rc;
}

const struct hvb_workload_ops hvb_wl_forkexec = {
	.name = "forkexec",
	.summary = "fork + exec of hvbench itself while other threads write to memory: page-table copies, TLB flushes",
	.options = forkexec_options,
	.metrics = forkexec_metrics,
	.op_name = "fork + exec + wait",
	.supported = forkexec_supported,
	.run = forkexec_run,
};
