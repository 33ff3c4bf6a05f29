/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tlbshoot: TLB shootdowns across CPUs. Threads of one address space, one per
 * CPU by default, each in a loop: mmap a region, touch every page, mprotect it
 * read-only, munmap it. With the other threads running on other CPUs, the
 * mprotect and the munmap must flush those CPUs' TLBs: IPIs natively; in a Xen
 * guest a PV guest's flush hypercall (MMUEXT_TLB_FLUSH_MULTI), an HVM or PVH
 * guest's IPIs (or HVMOP_flush_tlbs), each vCPU possibly descheduled when its
 * flush is wanted. The mprotect and munmap calls are timed one by one. */
#include "config.h"
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bench/workloads/wl.h"

static const struct hvb_option tlbshoot_options[] = {
	{ .name = "threads", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 4096,
	  .help = "threads of the one address space, each in its loop (auto = the CPUs; 1 = no remote flush)" },
	{ .name = "pages", .type = HVB_OPT_INT, .def = "16", .min = 1, .max = 262144,
	  .help = "4 KiB pages mapped, touched, protected and unmapped per cycle" },
	{ 0 },
};

static const struct hvb_metric_doc tlbshoot_metrics[] = {
	{ "mprotect_ns", "ns", HVB_LOWER, "one mprotect(PROT_READ) of a touched region, with its flush (mean call)" },
	{ "munmap_ns", "ns", HVB_LOWER, "one munmap of the region, with its flush (mean call)" },
	{ "cycle_ns", "ns", HVB_LOWER, "one cycle of one thread: mmap + touch + mprotect + munmap (mean)" },
	{ "cycles_per_s", "ops/s", HVB_HIGHER, "cycles per second, all threads" },
	{ "threads", "threads", HVB_INFO, "threads in the address space" },
	{ "ops", "ops", HVB_INFO, "cycles counted in the sample" },
	{ 0 },
};

struct tstat {
	alignas(64) uint64_t cycles;
	double prot_s, unmap_s, busy_s;
};

struct tlbshoot {
	size_t len;
	struct tstat *st;
};

static int tlbshoot_supported(char *why, size_t len) { return 1; }

static int cycle_loop(void *arg, int idx, struct hvb_team *t)
{
	struct tlbshoot *ts = arg;
	struct tstat *st = &ts->st[idx];
	double t0 = hvb_now(), a, b, c;

	while (hvb_team_running(t)) {
		char *p = mmap(NULL, ts->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return hvb_team_fail(t, HVB_ENOMEM, "mmap");
		hvb_mm_touch(p, ts->len);
		a = hvb_now();
		if (mprotect(p, ts->len, PROT_READ) < 0)
			return hvb_team_fail(t, HVB_EIO, "mprotect");
		b = hvb_now();
		if (munmap(p, ts->len) < 0)
			return hvb_team_fail(t, HVB_EIO, "munmap");
		c = hvb_now();
		st->prot_s += b - a;
		st->unmap_s += c - b;
		st->cycles++;
	}
	st->busy_s = hvb_now() - t0;
	return 0;
}

static int tlbshoot_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	int n = hvb_wl_threads(ctx, "threads"), rc;
	struct tlbshoot ts = { .len = (size_t)hvb_param_int(ctx->params, "pages") * HVB_SMALL_PAGE };
	struct hvb_team team = { .fn = cycle_loop, .arg = &ts };
	uint64_t cycles = 0;
	double prot = 0, unmap = 0, busy = 0;
	char err[320];

	if (!(ts.st = aligned_alloc(64, sizeof(*ts.st) * (size_t)n)))
		return hvb_wl_fail(res, HVB_ENOMEM, "tlbshoot: out of memory for %d threads", n);
	memset(ts.st, 0, sizeof(*ts.st) * (size_t)n);
	rc = hvb_team_run(&team, n, ctx->duration_s, err, sizeof(err));
	for (int i = 0; i < n; i++) {
		cycles += ts.st[i].cycles;
		prot += ts.st[i].prot_s;
		unmap += ts.st[i].unmap_s;
		busy += ts.st[i].busy_s;
	}
	free(ts.st);
	if (rc < 0)
		return hvb_wl_fail(res, rc, "tlbshoot: %s", err);
	if (!cycles)
		return hvb_wl_fail(res, HVB_EIO, "tlbshoot: no cycle completed in %.3f s", team.t_end - team.t_go);
	hvb_metrics_add(&res->metrics, "mprotect_ns", prot * 1e9 / (double)cycles, "ns", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "munmap_ns", unmap * 1e9 / (double)cycles, "ns", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "cycle_ns", busy * 1e9 / (double)cycles, "ns", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "cycles_per_s", (double)cycles / (team.t_end - team.t_go), "ops/s", HVB_HIGHER);
	hvb_metrics_add(&res->metrics, "threads", n, "threads", HVB_INFO);
	res->ops = cycles;
	hvb_metrics_add(&res->metrics, "ops", (double)cycles, "ops", HVB_INFO);
	return 0;
}

const struct hvb_workload_ops hvb_wl_tlbshoot = {
	.name = "tlbshoot",
	.summary = "TLB shootdowns: threads of one address space mmap, touch, mprotect and munmap on every CPU",
	.options = tlbshoot_options,
	.metrics = tlbshoot_metrics,
	.op_name = "mmap + touch + mprotect + munmap cycle",
	.supported = tlbshoot_supported,
	.run = tlbshoot_run,
};
