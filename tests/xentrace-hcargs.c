/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hypercall arguments on records built to Xen's layouts (common/trace.c __trace_hypercall,
 * the hooks series' TRC_MEM_PAGE_GRANT_COPY and TRC_HVM_HYPERCALL): the grant table's
 * sub-operations the real captures lack (map, unmap, copy, setup_table, transfer, ...) with
 * their batch counts, mmu_update and mmuext_op continuations, multicall entries, and the
 * figures that must be absent where the records carry no arguments (VMMCALL only). */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "probes/xentrace/xt-internal.h"
#include "probes/xentrace/xt-format.h"

static int failures, checks;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

#define ARG32(i) (1u << (20 + 2 * (i)))
#define ARG64(i) (2u << (20 + 2 * (i)))

static uint64_t tsc = 1000;

static void feed(struct hvb_xt_summary *s, uint32_t cpu, uint32_t event, unsigned n, const uint32_t *d)
{
	struct hvb_xt_rec r = { .tsc = tsc += 100, .event = event, .cpu = cpu, .nextra = (uint8_t)n, .has_tsc = 1,
				.cls = (uint8_t)hvb_xt_event_class(event) };
	memcpy(r.d, d, n * sizeof(uint32_t));
	hvb_xt_summary_add(&r, s);
}
#define FEED(s, cpu, ev, ...) do { const uint32_t w_[] = { __VA_ARGS__ }; feed(s, cpu, ev, sizeof(w_) / 4, w_); } while (0)

/* domain dom's vCPU 0 starts running on pCPU cpu (runnable -> running) */
static void run(struct hvb_xt_summary *s, uint32_t cpu, uint32_t dom)
{
	FEED(s, cpu, TRC_SCHED_RUNSTATE_CHANGE | 1u << 8 | 0u << 4, dom << 16);
}

static double get(const struct hvb_metrics *ms, const char *name)
{
	const struct hvb_metric *m = hvb_metrics_get(ms, name);
	return m ? m->value : -1;
}

int main(void)
{
	struct hvb_xt_opts o = { .cpu_hz = 1e9 };
	struct hvb_xt_summary *s = hvb_xt_summary_new(&o);
	struct hvb_metrics be, gu, hv;
	uint32_t gnt = 20 | ARG32(0) | ARG32(2), mmu = 1 | ARG32(1), ext = 26 | ARG32(1);

	if (!s)
		return 99;
	/* dom0 (a PV backend) on pCPU 0 */
	run(s, 0, 0);
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 0, 3);          /* map_grant_ref, 3 ops */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 0, 5);          /* map_grant_ref, 5 ops */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 1, 8);          /* unmap_grant_ref, 8 */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 5, 17);         /* copy, 17 */
	FEED(s, 0, TRC_MEM_PAGE_GRANT_COPY, 0, 17, 1, 69632, 0); /* hooks: 17 copies, one failed, 68 KiB */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 2, 1);          /* setup_table */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 4, 2);          /* transfer, 2 */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 12u | 3u << 12, 4); /* cache_flush continuing (opaque bits) */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 99, 1);         /* a sub-op past cache_flush */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, 20 | ARG32(0) | ARG64(2), 5, 2, 0); /* count as a 64-bit argument */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, mmu, 10);            /* 10 updates */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, mmu, 0x80000004u);  /* its continuation: 4 left, not counted again */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, ext, 6);
	FEED(s, 0, TRC_PV_HYPERCALL_V2, ext, 0x80000002u);
	FEED(s, 0, TRC_PV_HYPERCALL_V2, 14);                 /* update_va_mapping: no arguments recorded */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, 13 | ARG32(1), 3);   /* multicall of 3 ... */
	FEED(s, 0, TRC_PV_HYPERCALL_SUBCALL, gnt, 5, 4);     /* ... a grant copy of 4 */
	FEED(s, 0, TRC_PV_HYPERCALL_SUBCALL, 14);            /* ... update_va_mapping */
	FEED(s, 0, TRC_PV_HYPERCALL_SUBCALL, 32);            /* ... event_channel_op */
	FEED(s, 0, TRC_PV_HYPERCALL_V2, gnt, 5);             /* cut short: no count, not decoded */
	/* an HVM guest (dom 1) on pCPU 1 with the hooks' argument records */
	run(s, 1, 1);
	FEED(s, 1, TRC_HVM_VMMCALL, 20);
	FEED(s, 1, TRC_HVM_HYPERCALL, gnt, 5, 7);            /* copy, 7 */
	FEED(s, 1, TRC_HVM_VMMCALL, 32);
	FEED(s, 1, TRC_HVM_HYPERCALL, 32);
	/* a PVH domain (dom 2) on pCPU 1 without them: VMMCALL only */
	run(s, 1, 2);
	FEED(s, 1, TRC_HVM_VMMCALL, 20);
	FEED(s, 1, TRC_HVM_VMMCALL, 20);
	hvb_xt_summary_finish(s, NULL);

	memset(&be, 0, sizeof(be));
	memset(&gu, 0, sizeof(gu));
	memset(&hv, 0, sizeof(hv));
	CHECK(hvb_xt_summary_metrics_as(s, 0, "xen.backend", &be) == 0, "metrics of dom0");
	CHECK(hvb_xt_summary_metrics_as(s, 1, "xen.guest", &gu) == 0, "metrics of dom1");
	CHECK(hvb_xt_summary_metrics_as(s, 2, "xen.guest", &hv) == 0, "metrics of dom2");
	static const struct { const char *name; double v; } want[] = {
		{ "xen.backend.gnttab.map_grant_ref.calls", 2 }, { "xen.backend.gnttab.map_grant_ref.ops", 8 },
		{ "xen.backend.gnttab.unmap_grant_ref.ops", 8 }, { "xen.backend.gnttab.copy.calls", 3 },
		{ "xen.backend.gnttab.copy.ops", 23 }, { "xen.backend.gnttab.setup_table.calls", 1 },
		{ "xen.backend.gnttab.transfer.ops", 2 }, { "xen.backend.gnttab.cache_flush.ops", 4 },
		{ "xen.backend.gnttab.other.calls", 1 }, { "xen.backend.mmu_update.updates", 10 },
		{ "xen.backend.mmu_update.continued", 1 }, { "xen.backend.mmuext_op.ops", 6 },
		{ "xen.backend.mmuext_op.continued", 1 }, { "xen.backend.pt_updates", 12 },
		{ "xen.backend.multicall.entries", 3 }, { "xen.backend.multicall.entry.grant_table_op", 1 },
		{ "xen.backend.multicall.entry.event_channel_op", 1 },
		{ "xen.backend.hypercall.grant_table_op", 11 }, { "xen.backend.hypercalls", 19 },
		{ "xen.backend.grant.copy", 17 }, { "xen.backend.grant.copy_failed", 1 },
		{ "xen.backend.grant.copy_bytes", 69632 }, { "xen.backend.grant.copy_batches", 1 },
		{ "xen.guest.gnttab.copy.ops", 7 }, { "xen.guest.gnttab.map_grant_ref.ops", 0 },
		{ "xen.guest.hypercall.grant_table_op", 1 }, { "xen.guest.hypercalls", 2 },
		{ "xen.guest.grant.copy", 0 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct hvb_metrics *ms = !strncmp(want[i].name, "xen.backend.", 12) ? &be : &gu;
		CHECK(get(ms, want[i].name) == want[i].v, "%s: %g, want %g", want[i].name, get(ms, want[i].name), want[i].v);
	}
	CHECK(get(&gu, "xen.guest.hypercall_args_absent") == -1, "dom1 has its arguments (hooks 0002)");
	/* VMMCALL only: the sub-operations are absent, and why */
	CHECK(get(&hv, "xen.guest.hypercall_args_absent") == 2, "dom2: args absent %g", get(&hv, "xen.guest.hypercall_args_absent"));
	CHECK(get(&hv, "xen.guest.gnttab.copy.ops") == -1, "dom2: grant copies without arguments must be absent");
	CHECK(get(&hv, "xen.guest.hypercall.grant_table_op") == 2, "dom2: the calls still count");
	/* the public names, unprefixed */
	{
		struct hvb_metrics x;
		memset(&x, 0, sizeof(x));
		hvb_xt_summary_metrics(s, 0, &x);
		CHECK(get(&x, "xen.gnttab.copy.ops") == 23, "unprefixed xen.gnttab.copy.ops");
		hvb_metrics_free(&x);
	}
	/* the arguments of a record, one by one */
	{
		struct hvb_xt_rec r = { .nextra = 4, .d = { 20 | ARG32(0) | ARG64(2), 5, 7, 1 } };
		uint64_t v = 0;
		CHECK(xt_hcargs_arg(&r, 2, &v) && v == ((uint64_t)1 << 32 | 7), "64-bit argument 2: %llx", (unsigned long long)v);
		CHECK(!xt_hcargs_arg(&r, 1, &v), "argument 1 was not recorded");
		r.nextra = 3;
		CHECK(!xt_hcargs_arg(&r, 2, &v), "a 64-bit argument past the record's end");
	}
	hvb_metrics_free(&be);
	hvb_metrics_free(&gu);
	hvb_metrics_free(&hv);
	hvb_xt_summary_free(s);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
