/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The spinlock slow path per operation: SCHEDOP_poll (a waiter blocking), EVTCHNOP_send
 * (the releaser's kick), pause-loop exits (SVM's PAUSE intercept, VMX's PAUSE_INSTRUCTION
 * exit: a vCPU spinning) and VMMCALLs, each divided by the operations the workload counted
 * in the sample (the spinlock workload's acquisitions, futexhash's calls, ipc's messages):
 * cost.spin.guest.<what>.per_op. From the guest role's xentrace figures of the same
 * sample, so that the statistics give each a confidence interval. A numerator the trace
 * could not measure is absent, never zero: polls where sched_op's cmd went unrecorded
 * (HVM/PVH without the hooks), kicks wherever the guest called event_channel_op (Xen
 * records none of its arguments); then sched_op and event_channel_op calls per op stand
 * as upper bounds (sends and polls are among them). */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "probes/probes-internal.h"

/* 1 with *v when the trace measured what: a name absent from a decoded trace means none. */
static int numerator(const struct hvb_metrics *ms, const char *what, double *v)
{
	double x;
	int traced = hvb_metric_value(ms, "xen.guest.hypercalls", NULL, &x);
	int hvm = hvb_metric_value(ms, "xen.guest.vmmcalls", NULL, &x);

	*v = 0;
	if (!strcmp(what, "polls"))
		return hvb_metric_value(ms, "xen.guest.spinlock.poll", NULL, v);
	if (!strcmp(what, "kicks"))
		return hvb_metric_value(ms, "xen.guest.spinlock.kick", NULL, v);
	if (!strcmp(what, "sched_ops"))
		return hvb_metric_value(ms, "xen.guest.hypercall.sched_op", NULL, v) || traced;
	if (!strcmp(what, "evtchn_ops"))
		return hvb_metric_value(ms, "xen.guest.hypercall.event_channel_op", NULL, v) || traced;
	if (!strcmp(what, "pause_exits")) /* exits are recorded for HVM and PVH guests only */
		return hvb_metric_value(ms, "xen.guest.exit.pause", NULL, v) || hvm;
	if (!strcmp(what, "vmmcalls"))
		return hvb_metric_value(ms, "xen.guest.vmmcalls", NULL, v);
	return 0;
}

int hvb_spin_cost(struct hvb_metrics *ms)
{
	static const char *const whats[] = { "polls", "kicks", "sched_ops", "evtchn_ops", "pause_exits", "vmmcalls",
					     NULL };
	double ops, v;
	int e = 0;

	if (!hvb_metric_value(ms, "ops", NULL, &ops) || !(ops > 0))
		return 0;
	for (size_t w = 0; whats[w] && !e; w++)
		if (numerator(ms, whats[w], &v))
			e = hvb_metrics_addf(ms, v / ops, "calls/op", HVB_LOWER, "cost.spin.guest.%s.per_op", whats[w]);
	return e;
}
