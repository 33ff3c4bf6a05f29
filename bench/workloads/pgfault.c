/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pgfault: the page-table paths, where PV (page-table updates validated by the
 * hypervisor, MMU hypercalls) and PVH/HVM (nested paging, EPT/NPT faults) part:
 *   mmap    anonymous mmap + first write to every 4 KiB + munmap of a region
 *   fork    fork + child _exit + wait, while the parent holds fork_mem touched
 *           (so fork copies real page tables)
 *   exec    fork + execv(true) + wait: adds building a new address space
 *   mprotect  flipping protection of one page at a time inside a touched region
 * pages = thp asks for transparent huge pages (madvise) on every region, and
 * mprotect then works on whole 2 MiB pages so as not to split them. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

enum test { T_MMAP, T_FORK, T_EXEC, T_MPROTECT, NTESTS };
static const char *const test_names[] = { "mmap", "fork", "exec", "mprotect", NULL };
static const char *const page_kinds[] = { "4k", "thp", NULL };
static const char *const true_paths[] = { "/bin/true", "/usr/bin/true", NULL };

static const struct hvb_option pgfault_options[] = {
	{ .name = "tests", .type = HVB_OPT_ENUM, .def = "mmap,fork,exec,mprotect", .choices = test_names,
	  .flags = HVB_OPT_LIST, .help = "paths measured in the sample" },
	{ .name = "pages", .type = HVB_OPT_ENUM, .def = "4k", .choices = page_kinds,
	  .help = "4k pages, or transparent huge pages (madvise) for every region" },
	{ .name = "region", .type = HVB_OPT_SIZE, .def = "16M", .mapped = 1, .min = 2 << 20, .max = 16.0 * (1ULL << 30),
	  .help = "bytes mapped, touched and unmapped per mmap operation; the mprotect region" },
	{ .name = "fork_mem", .type = HVB_OPT_SIZE, .def = "64M", .mapped = 1, .min = 0, .max = 64.0 * (1ULL << 30),
	  .help = "touched memory the parent holds while it forks" },
	{ 0 },
};

static const struct hvb_metric_doc pgfault_metrics[] = {
	{ "mmap_touch_us", "us", HVB_LOWER, "one mmap + first touch of every 4 KiB + munmap of `region`" },
	{ "fault_ns", "ns", HVB_LOWER, "the same per page of the size in use (4 KiB or 2 MiB)" },
	{ "fork_exit_us", "us", HVB_LOWER, "fork + child exit + wait (median call of the sample)" },
	{ "fork_exec_us", "us", HVB_LOWER, "fork + execv(true) + wait (median call of the sample)" },
	{ "mprotect_ns", "ns", HVB_LOWER, "one mprotect() of one page" },
	{ "mmap_ops", "ops", HVB_INFO, "mmap + touch + munmap operations counted in the sample" },
	{ "fork_ops", "ops", HVB_INFO, "fork + exit operations counted in the sample" },
	{ "exec_ops", "ops", HVB_INFO, "fork + exec operations counted in the sample" },
	{ "mprotect_ops", "ops", HVB_INFO, "mprotect() calls counted in the sample" },
	{ "ops", "ops", HVB_INFO, "when tests names one path: its operations (probe figures are then per operation); "
				  "with several paths there is no single operation, and no ops" },
	{ 0 },
};

static const char *true_path(void)
{
	for (int i = 0; true_paths[i]; i++)
		if (access(true_paths[i], X_OK) == 0)
			return true_paths[i];
	return NULL;
}

static int pgfault_supported(char *why, size_t len) { return 1; }

static int run_mmap(size_t region, int thp, double budget_s, double *us, double *fault_ns, uint64_t *ops)
{
	double t0 = hvb_now(), t;
	uint64_t n = 0;

	do {
		void *base;
		size_t maplen;
		char *p = hvb_mm_map(region, thp, &base, &maplen);
		if (!p)
			return HVB_ENOMEM;
		hvb_mm_touch(p, region);
		munmap(base, maplen);
		n++;
		t = hvb_now();
	} while (t - t0 < budget_s);
	*us = (t - t0) * 1e6 / (double)n;
	*fault_ns = (t - t0) * 1e9 / (double)n / (double)(region / (thp ? HVB_HUGE_PAGE : HVB_SMALL_PAGE));
	*ops += n;
	return 0;
}

#define FORK_SAMPLES 8192

/* fork + (exit | execv true) + wait, repeated; 0 or a message in res. */
static int run_fork(const char *exe, double budget_s, double *us, uint64_t *ops, struct hvb_wl_result *res)
{
	char *const argv[] = { (char *)exe, NULL }, why[256];
	double t0 = hvb_now(), lat[FORK_SAMPLES], s;
	uint64_t n = 0;
	int rc;

	do {
		if ((rc = hvb_fork_once(exe ? argv : NULL, -1, &s, why, sizeof(why))) < 0)
			return hvb_wl_fail(res, rc, "pgfault: %s", why);
		if (n < FORK_SAMPLES)
			lat[n] = s;
		n++;
	} while (hvb_now() - t0 < budget_s);
	/* The median call: a call the scheduler preempted (a loaded host, a guest
	 * whose vCPU lost its pCPU) does not move it, as it would move the mean. */
	*ops += n;
	n = n < FORK_SAMPLES ? n : FORK_SAMPLES;
	hvb_sort_doubles(lat, n);
	*us = hvb_quantile_sorted(lat, n, 0.5) * 1e6;
	return 0;
}

static int run_mprotect(char *p, size_t region, int thp, double budget_s, double *ns, uint64_t *ops)
{
	size_t page = thp ? HVB_HUGE_PAGE : HVB_SMALL_PAGE, npages = region / page;
	double t0 = hvb_now(), t;
	uint64_t n = 0;

	do {
		/* one lap read-only, one lap back: every call changes the PTEs it covers */
		int prot = (n / npages) % 2 ? PROT_READ | PROT_WRITE : PROT_READ;
		for (size_t i = 0; i < npages; i++)
			if (mprotect(p + i * page, page, prot) < 0)
				return HVB_EIO;
		n += npages;
		t = hvb_now();
	} while (t - t0 < budget_s);
	if ((n / npages) % 2 && mprotect(p, region, PROT_READ | PROT_WRITE) < 0)
		return HVB_EIO;
	*ns = (t - t0) * 1e9 / (double)n;
	*ops += n;
	return 0;
}

static int pgfault_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	size_t region = hvb_param_size(ctx->params, "region"), fork_mem = hvb_param_size(ctx->params, "fork_mem");
	int thp = !strcmp(hvb_param_str(ctx->params, "pages"), "thp"), want[NTESTS] = { 0 }, nwant, rc = 0;
	const char *exe = true_path();
	void *fbase = NULL, *mbase = NULL;
	size_t fmaplen = 0, mmaplen = 0;
	double budget, v, v2;
	uint64_t ops[NTESTS] = { 0 };

	if ((nwant = hvb_wl_choice_set(ctx->params, "tests", test_names, want)) <= 0)
		return hvb_wl_fail(res, HVB_EINVAL, "pgfault: nothing to measure");
	if (thp && !hvb_mm_thp_available())
		return hvb_wl_fail(res, HVB_ESKIP, "pgfault: transparent huge pages are disabled on this host "
						   "(/sys/kernel/mm/transparent_hugepage/enabled)");
	if (want[T_EXEC] && !exe)
		return hvb_wl_fail(res, HVB_ESKIP, "pgfault: no true program (/bin/true, /usr/bin/true) to exec");
	region = (region + HVB_HUGE_PAGE - 1) & ~(HVB_HUGE_PAGE - 1);
	budget = ctx->duration_s / nwant;
	if (want[T_MMAP]) {
		if ((rc = run_mmap(region, thp, budget, &v, &v2, &ops[T_MMAP])) < 0)
			return hvb_wl_fail(res, rc, "pgfault: cannot map %zu bytes", region);
		hvb_metrics_add(&res->metrics, "mmap_touch_us", v, "us", HVB_LOWER);
		hvb_metrics_add(&res->metrics, "fault_ns", v2, "ns", HVB_LOWER);
	}
	if ((want[T_FORK] || want[T_EXEC]) && fork_mem) {
		char *f = hvb_mm_map(fork_mem, thp, &fbase, &fmaplen);
		if (!f)
			return hvb_wl_fail(res, HVB_ENOMEM, "pgfault: cannot map fork_mem of %zu bytes", fork_mem);
		hvb_mm_touch(f, fork_mem);
	}
	if (want[T_FORK] && (rc = run_fork(NULL, budget, &v, &ops[T_FORK], res)) == 0)
		hvb_metrics_add(&res->metrics, "fork_exit_us", v, "us", HVB_LOWER);
	if (!rc && want[T_EXEC] && (rc = run_fork(exe, budget, &v, &ops[T_EXEC], res)) == 0)
		hvb_metrics_add(&res->metrics, "fork_exec_us", v, "us", HVB_LOWER);
	if (fbase)
		munmap(fbase, fmaplen);
	if (!rc && want[T_MPROTECT]) {
		char *p = hvb_mm_map(region, thp, &mbase, &mmaplen);
		if (!p)
			return hvb_wl_fail(res, HVB_ENOMEM, "pgfault: cannot map %zu bytes", region);
		hvb_mm_touch(p, region);
		if (run_mprotect(p, region, thp, budget, &v, &ops[T_MPROTECT]) < 0)
			rc = hvb_wl_fail(res, HVB_EIO, "pgfault: mprotect: %s", strerror(errno));
		else
			hvb_metrics_add(&res->metrics, "mprotect_ns", v, "ns", HVB_LOWER);
		munmap(mbase, mmaplen);
	}
	/* Each path its own count: the paths cost 100-fold apart, a sum of them is no figure. */
	for (int t = 0; !rc && t < NTESTS; t++)
		if (want[t]) {
			char name[32];
			snprintf(name, sizeof(name), "%s_ops", test_names[t]);
			hvb_wl_path_ops(res, name, ops[t], "ops", nwant);
		}
	return rc;
}

const struct hvb_workload_ops hvb_wl_pgfault = {
	.name = "pgfault",
	.summary = "page-table paths: mmap + first touch + munmap, fork + exit, fork + exec, mprotect; 4k or THP",
	.options = pgfault_options,
	.metrics = pgfault_metrics,
	.op_name = "page-table operation",
	.supported = pgfault_supported,
	.run = pgfault_run,
};
