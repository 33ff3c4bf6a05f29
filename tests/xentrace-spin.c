/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The spinlock slow path from records built to Xen's layouts: SCHEDOP_poll counted where
 * sched_op's cmd is recorded (PV; HVM/PVH with the hooks' TRC_HVM_HYPERCALL) and unknown,
 * not zero, where it is not (VMMCALL alone); kicks unknown wherever event_channel_op was
 * called (Xen records none of its arguments) and zero only where it never was; the
 * poll-blocked to wake-up time from runstate records; pause-loop exits and VMMCALLs; and
 * each per operation of the workload (hvb_spin_cost). */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "probes/xentrace/xt-internal.h"
#include "probes/xentrace/xt-format.h"
#include "probes/probes.h"

static int failures, checks;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

#define ARG32(i) (1u << (20 + 2 * (i)))
#define RS(old, new) (TRC_SCHED_RUNSTATE_CHANGE | (old) << 8 | (new) << 4) /* 0 running 1 runnable 2 blocked */

static uint64_t tsc = 1000;

static void feed(struct hvb_xt_summary *s, uint32_t cpu, uint32_t event, unsigned n, const uint32_t *d, uint64_t dt)
{
	struct hvb_xt_rec r = { .tsc = tsc += dt, .event = event, .cpu = cpu, .nextra = (uint8_t)n, .has_tsc = 1,
				.cls = (uint8_t)hvb_xt_event_class(event) };
	memcpy(r.d, d, n * sizeof(uint32_t));
	hvb_xt_summary_add(&r, s);
}
#define FEED_DT(s, cpu, dt, ev, ...) do { const uint32_t w_[] = { __VA_ARGS__ }; feed(s, cpu, ev, sizeof(w_) / 4, w_, dt); } while (0)
#define FEED(s, cpu, ev, ...) FEED_DT(s, cpu, 100, ev, __VA_ARGS__)

static double get(const struct hvb_metrics *ms, const char *name)
{
	const struct hvb_metric *m = hvb_metrics_get(ms, name);
	return m ? m->value : -1;
}

/* A poll that blocks dom's vCPU 0 on cpu for `blocked` cycles, then it is woken and runs. */
static void poll_block(struct hvb_xt_summary *s, uint32_t cpu, uint32_t dom, uint32_t ev, uint64_t blocked)
{
	if (ev == TRC_PV_HYPERCALL_V2)
		FEED(s, cpu, ev, 29 | ARG32(0), 3);
	else {
		FEED(s, cpu, TRC_HVM_VMMCALL, 29);
		if (ev == TRC_HVM_HYPERCALL)
			FEED(s, cpu, ev, 29 | ARG32(0), 3);
	}
	FEED(s, cpu, RS(0, 2), dom << 16);
	FEED_DT(s, cpu, blocked, RS(2, 1), dom << 16);
	FEED(s, cpu, RS(1, 0), dom << 16);
}

int main(void)
{
	struct hvb_xt_opts o = { .cpu_hz = 1e9 };
	struct hvb_xt_summary *s = hvb_xt_summary_new(&o);
	struct hvb_metrics pv, hvm, hooks, quiet;

	if (!s)
		return 99;
	/* dom 1, PV, pCPU 0: two polls blocked 1000 and 3000 cycles, a block, a kick */
	FEED(s, 0, RS(1, 0), 1u << 16);
	poll_block(s, 0, 1, TRC_PV_HYPERCALL_V2, 1000);
	poll_block(s, 0, 1, TRC_PV_HYPERCALL_V2, 3000);
	FEED(s, 0, TRC_PV_HYPERCALL_V2, 29 | ARG32(0), 1);   /* SCHEDOP_block: not a poll */
	FEED(s, 0, RS(0, 2), 1u << 16);
	FEED_DT(s, 0, 9000, RS(2, 1), 1u << 16);             /* its wake-up is no lock's */
	FEED(s, 0, RS(1, 0), 1u << 16);
	FEED(s, 0, TRC_PV_HYPERCALL_V2, 32);                 /* event_channel_op: no cmd recorded */
	/* dom 2, HVM without the hooks, pCPU 1: VMMCALL eax only; two PAUSE exits (SVM 0x77) */
	FEED(s, 1, RS(1, 0), 2u << 16);
	poll_block(s, 1, 2, TRC_HVM_VMMCALL, 2000);
	FEED(s, 1, TRC_HVM_VMX_EXIT, 0x77, 0);
	FEED(s, 1, TRC_HVM_VMENTRY, 0);
	FEED(s, 1, TRC_HVM_VMX_EXIT, 0x77, 0);
	FEED(s, 1, TRC_HVM_VMENTRY, 0);
	/* dom 3, HVM with the hooks, pCPU 2: the poll is told from block */
	FEED(s, 2, RS(1, 0), 3u << 16);
	poll_block(s, 2, 3, TRC_HVM_HYPERCALL, 4000);
	FEED(s, 2, TRC_HVM_VMX_EXIT, 0x60, 0);               /* an interrupt: exits are traced, none a pause */
	FEED(s, 2, TRC_HVM_VMENTRY, 0);
	/* dom 4, PV, pCPU 3: no sched_op nor event_channel_op at all: zeros are measured */
	FEED(s, 3, RS(1, 0), 4u << 16);
	FEED(s, 3, TRC_PV_HYPERCALL_V2, 20 | ARG32(0) | ARG32(2), 5, 1);
	hvb_xt_summary_finish(s, NULL);

	memset(&pv, 0, sizeof(pv)), memset(&hvm, 0, sizeof(hvm)), memset(&hooks, 0, sizeof(hooks));
	memset(&quiet, 0, sizeof(quiet));
	CHECK(hvb_xt_summary_metrics_as(s, 1, "xen.guest", &pv) == 0, "metrics of dom1");
	CHECK(hvb_xt_summary_metrics_as(s, 2, "xen.guest", &hvm) == 0, "metrics of dom2");
	CHECK(hvb_xt_summary_metrics_as(s, 3, "xen.guest", &hooks) == 0, "metrics of dom3");
	CHECK(hvb_xt_summary_metrics_as(s, 4, "xen.guest", &quiet) == 0, "metrics of dom4");

	/* PV: polls counted, the block is not one; kicks unknown (1 call without its cmd), not 0 */
	CHECK(get(&pv, "xen.guest.spinlock.poll") == 2, "PV polls: %g", get(&pv, "xen.guest.spinlock.poll"));
	CHECK(get(&pv, "xen.guest.spinlock.kick") == -1, "PV kicks must be absent: %g", get(&pv, "xen.guest.spinlock.kick"));
	CHECK(get(&pv, "xen.guest.spinlock.kick_unknown") == 1, "PV kicks unknown: %g", get(&pv, "xen.guest.spinlock.kick_unknown"));
	CHECK(get(&pv, "xen.guest.spinlock.poll_wakeups") == 2, "PV poll wake-ups: %g", get(&pv, "xen.guest.spinlock.poll_wakeups"));
	/* blocked 1000 and 3000 cycles at 1 GHz: the order statistic n*p/100 (xenalyze's) is the second */
	CHECK(get(&pv, "xen.guest.spinlock.block_to_wake.p50") == 3000, "PV block to wake p50: %g",
	      get(&pv, "xen.guest.spinlock.block_to_wake.p50"));
	CHECK(get(&pv, "xen.guest.vmmcalls") == -1, "PV has no VMMCALLs");
	/* HVM without hooks: sched_op seen, polls unknown; pause exits and VMMCALLs counted */
	CHECK(get(&hvm, "xen.guest.spinlock.poll") == -1, "HVM polls must be absent without the hooks");
	CHECK(get(&hvm, "xen.guest.spinlock.poll_unknown") == 1, "HVM poll unknown: %g", get(&hvm, "xen.guest.spinlock.poll_unknown"));
	CHECK(get(&hvm, "xen.guest.spinlock.kick") == 0, "HVM made no event_channel_op: kicks are a measured 0");
	CHECK(get(&hvm, "xen.guest.exit.pause") == 2, "HVM pause exits: %g", get(&hvm, "xen.guest.exit.pause"));
	CHECK(get(&hvm, "xen.guest.vmmcalls") == 1, "HVM VMMCALLs: %g", get(&hvm, "xen.guest.vmmcalls"));
	/* the wait after any sched_op is attributed without the hooks (block and poll look alike) */
	CHECK(get(&hvm, "xen.guest.spinlock.block_to_wake.p50") == 2000, "HVM block to wake: %g",
	      get(&hvm, "xen.guest.spinlock.block_to_wake.p50"));
	/* HVM with the hooks: the poll counted from the TRC_HVM_HYPERCALL record */
	CHECK(get(&hooks, "xen.guest.spinlock.poll") == 1, "hooks polls: %g", get(&hooks, "xen.guest.spinlock.poll"));
	CHECK(get(&hooks, "xen.guest.spinlock.poll_unknown") == -1, "hooks: no unknown polls");
	/* no sched_op, no event_channel_op: both zeros are measured */
	CHECK(get(&quiet, "xen.guest.spinlock.poll") == 0 && get(&quiet, "xen.guest.spinlock.kick") == 0, "dom4 zeros");

	/* per operation: 100 acquisitions in the sample */
	hvb_metrics_add(&pv, "ops", 100, "acq", HVB_INFO);
	hvb_metrics_add(&hvm, "ops", 100, "acq", HVB_INFO);
	hvb_metrics_add(&hooks, "ops", 0, "acq", HVB_INFO);
	CHECK(hvb_spin_cost(&pv) == 0 && hvb_spin_cost(&hvm) == 0 && hvb_spin_cost(&hooks) == 0, "spin cost");
	CHECK(get(&pv, "cost.spin.guest.polls.per_op") == 0.02, "PV polls/op: %g", get(&pv, "cost.spin.guest.polls.per_op"));
	CHECK(get(&pv, "cost.spin.guest.kicks.per_op") == -1, "PV kicks/op must be absent");
	CHECK(get(&pv, "cost.spin.guest.evtchn_ops.per_op") == 0.01, "PV event_channel_op/op (the kicks' bound)");
	CHECK(get(&pv, "cost.spin.guest.sched_ops.per_op") == 0.03, "PV sched_op/op");
	CHECK(get(&pv, "cost.spin.guest.pause_exits.per_op") == -1, "PV has no exits: absent");
	CHECK(get(&hvm, "cost.spin.guest.polls.per_op") == -1, "HVM polls/op absent without the hooks");
	CHECK(get(&hvm, "cost.spin.guest.kicks.per_op") == 0, "HVM kicks/op: a measured 0");
	CHECK(get(&hvm, "cost.spin.guest.pause_exits.per_op") == 0.02, "HVM pause exits/op");
	CHECK(get(&hvm, "cost.spin.guest.vmmcalls.per_op") == 0.01, "HVM VMMCALLs/op");
	CHECK(get(&hooks, "cost.spin.guest.polls.per_op") == -1, "no operations: nothing per op");
	hvb_metrics_free(&pv), hvb_metrics_free(&hvm), hvb_metrics_free(&hooks), hvb_metrics_free(&quiet);
	hvb_xt_summary_free(s);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
