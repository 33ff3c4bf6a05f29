/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mmaplock: page faults on several CPUs at once, against mmap/munmap in the
 * same address space. Faulting threads each touch every page of a region of
 * their own and drop the pages again (MADV_DONTNEED), in a loop: each touch is
 * a page fault that takes the address space's mmap_lock for reading (or, since
 * Linux 6.4, the VMA's own lock), and under Xen a page-table update (validated
 * by the hypervisor for PV; nested paging for HVM and PVH). Mapping threads map
 * and unmap a small region in a loop, taking mmap_lock for writing, which
 * stalls the faults. mappers = 0 measures concurrent faults alone. */
#include "config.h"
#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bench/workloads/wl.h"

#define MAP_PAGES 16 /* a mapper's region */

static const struct hvb_option mmaplock_options[] = {
	{ .name = "faulters", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 4096,
	  .help = "threads faulting pages in (auto = the CPUs)" },
	{ .name = "mappers", .type = HVB_OPT_INT, .def = "1", .min = 0, .max = 4096,
	  .help = "threads mapping and unmapping a 64 KiB region (mmap_lock for writing); 0: faults alone" },
	{ .name = "region", .type = HVB_OPT_SIZE, .def = "4M", .mapped = 1, .min = 64 << 10, .max = 16.0 * (1ULL << 30),
	  .help = "bytes each faulting thread touches and drops per round" },
	{ 0 },
};

static const struct hvb_metric_doc mmaplock_metrics[] = {
	{ "fault_ns", "ns", HVB_LOWER, "one page fault of a faulting thread (first write to a dropped 4 KiB page, mean)" },
	{ "faults_per_s", "faults/s", HVB_HIGHER, "page faults per second, all faulting threads" },
	{ "mmap_ns", "ns", HVB_LOWER, "one mmap + touch + munmap of a mapping thread (mean; mappers > 0)" },
	{ "mmaps_per_s", "ops/s", HVB_HIGHER, "mmap + munmap pairs per second, all mapping threads (mappers > 0)" },
	{ "threads", "threads", HVB_INFO, "faulting and mapping threads" },
	{ "ops", "faults", HVB_INFO, "page faults counted in the sample" },
	{ 0 },
};

struct mstat {
	alignas(64) uint64_t n; /* faults, or map cycles */
	double s;               /* time in them */
};

struct mmaplock {
	int faulters;
	size_t region;
	struct mstat *st;
};

static int mmaplock_supported(char *why, size_t len) { return 1; }

static int fault_loop(struct mmaplock *ml, struct mstat *st, struct hvb_team *t)
{
	void *base;
	size_t maplen, pages = ml->region / HVB_SMALL_PAGE;
	char *p = hvb_mm_map(ml->region, 0, &base, &maplen);

	if (!p)
		return hvb_team_fail(t, HVB_ENOMEM, "mmap of the faulting region");
	while (hvb_team_running(t)) {
		double a = hvb_now();
		hvb_mm_touch(p, ml->region);
		st->s += hvb_now() - a;
		st->n += pages;
		if (madvise(p, ml->region, MADV_DONTNEED) < 0) {
			munmap(base, maplen);
			return hvb_team_fail(t, HVB_EIO, "madvise(MADV_DONTNEED)");
		}
	}
	munmap(base, maplen);
	return 0;
}

static int map_loop(struct mstat *st, struct hvb_team *t)
{
	const size_t len = MAP_PAGES * HVB_SMALL_PAGE;

	while (hvb_team_running(t)) {
		double a = hvb_now();
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return hvb_team_fail(t, HVB_ENOMEM, "mmap");
		p[0] = 1;
		if (munmap(p, len) < 0)
			return hvb_team_fail(t, HVB_EIO, "munmap");
		st->s += hvb_now() - a;
		st->n++;
	}
	return 0;
}

/* The first faulters threads fault, the rest map. */
static int member(void *arg, int idx, struct hvb_team *t)
{
	struct mmaplock *ml = arg;

	return idx < ml->faulters ? fault_loop(ml, &ml->st[idx], t) : map_loop(&ml->st[idx], t);
}

static int mmaplock_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	int mappers = (int)hvb_param_int(ctx->params, "mappers"), n, rc;
	struct mmaplock ml = { .faulters = hvb_wl_threads(ctx, "faulters"),
			       .region = hvb_param_size(ctx->params, "region") & ~(HVB_SMALL_PAGE - 1) };
	struct hvb_team team = { .fn = member, .arg = &ml };
	struct mstat f = { 0 }, m = { 0 };
	double wall;
	char err[320];

	n = ml.faulters + mappers;
	if (!(ml.st = aligned_alloc(64, sizeof(*ml.st) * (size_t)n)))
		return hvb_wl_fail(res, HVB_ENOMEM, "mmaplock: out of memory for %d threads", n);
	memset(ml.st, 0, sizeof(*ml.st) * (size_t)n);
	rc = hvb_team_run(&team, n, ctx->duration_s, err, sizeof(err));
	for (int i = 0; i < n; i++) {
		struct mstat *sum = i < ml.faulters ? &f : &m;
		sum->n += ml.st[i].n;
		sum->s += ml.st[i].s;
	}
	free(ml.st);
	wall = team.t_end - team.t_go;
	if (rc < 0)
		return hvb_wl_fail(res, rc, "mmaplock: %s", err);
	if (!f.n || (mappers && !m.n))
		return hvb_wl_fail(res, HVB_EIO, "mmaplock: in %.3f s, %llu faults and %llu mmaps: a side never ran",
				   wall, (unsigned long long)f.n, (unsigned long long)m.n);
	hvb_metrics_add(&res->metrics, "fault_ns", f.s * 1e9 / (double)f.n, "ns", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "faults_per_s", (double)f.n / wall, "faults/s", HVB_HIGHER);
	if (mappers) {
		hvb_metrics_add(&res->metrics, "mmap_ns", m.s * 1e9 / (double)m.n, "ns", HVB_LOWER);
		hvb_metrics_add(&res->metrics, "mmaps_per_s", (double)m.n / wall, "ops/s", HVB_HIGHER);
	}
	hvb_metrics_add(&res->metrics, "threads", n, "threads", HVB_INFO);
	res->ops = f.n;
	hvb_metrics_add(&res->metrics, "ops", (double)f.n, "faults", HVB_INFO);
	return 0;
}

const struct hvb_workload_ops hvb_wl_mmaplock = {
	.name = "mmaplock",
	.summary = "page faults on every CPU at once, against mmap/munmap threads: mmap_lock contention",
	.options = mmaplock_options,
	.metrics = mmaplock_metrics,
	.op_name = "page fault",
	.supported = mmaplock_supported,
	.run = mmaplock_run,
};
