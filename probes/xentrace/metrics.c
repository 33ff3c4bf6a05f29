/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* A summary as hvbench metrics, so the xentrace probe can store them with each sample. */
#include "config.h"
#include <stdlib.h>
#include "probes/xentrace/xt-internal.h"

struct acc {
	uint64_t hc[XT_NHC + 1];
	uint64_t grant_by[XT_NGRANT], grant_for[XT_NGRANT];
	uint64_t state[XT_NSTATES];
	uint64_t poll, kick, sched_cmd, evtchn_cmd;
	struct xt_dist wake;        /* merged wake-up latencies (exact samples only) */
	struct xt_dist spin_wait;   /* merged poll-blocked to wake-up times */
	struct { uint32_t reason; uint64_t count, cycles; } ex[256];
	uint32_t nex;
	uint64_t sub[XT_NHC + 1];   /* multicall entries by hypercall */
	uint64_t vmmcalls;
	struct xt_hcargs args;
	uint64_t copy_batches, copy_ops, copy_failed, copy_bytes;
	uint64_t skew_rs, skew_wakes; /* measured across skew-corrected pCPUs (xt_vcpu) */
};

static void add_exit(struct acc *a, const struct xt_exit *e)
{
	uint32_t i;

	for (i = 0; i < a->nex && a->ex[i].reason != e->reason; i++)
		;
	if (i == a->nex) {
		if (a->nex == 256)
			return;
		a->ex[a->nex++].reason = e->reason;
	}
	a->ex[i].count += e->cycles.events;
	a->ex[i].cycles += e->cycles.sum;
}

static void add_vcpu(struct acc *a, const struct xt_vcpu *v)
{
	for (uint32_t i = 0; i <= XT_NHC; i++) {
		a->hc[i] += v->hc[i] + v->vmmcall[i];
		a->sub[i] += v->hc_sub[i];
		a->vmmcalls += v->vmmcall[i];
	}
	xt_hcargs_sum(&a->args, &v->args);
	for (uint32_t i = 0; i < XT_NSTATES; i++)
		a->state[i] += v->state_cycles[i];
	a->poll += v->sched_poll;
	a->kick += v->evtchn_send;
	a->sched_cmd += v->sched_op_cmd;
	a->evtchn_cmd += v->evtchn_cmd;
	for (uint64_t i = 0; v->spin_wait.samples && i < v->spin_wait.n; i++)
		xt_dist_add(&a->spin_wait, v->spin_wait.samples[i]);
	for (uint32_t i = 0; i < v->nexits; i++)
		add_exit(a, &v->exits[i]);
	for (uint64_t i = 0; v->wake_lat.samples && i < v->wake_lat.n; i++)
		xt_dist_add(&a->wake, v->wake_lat.samples[i]);
	a->skew_rs += v->skew_rs_cycles;
	a->skew_wakes += v->skew_wakeups;
}

/* A time of a distribution: ns when the CPU's frequency is known, else cycles. */
static int emit_time(const struct hvb_xt_summary *s, struct xt_dist *d, unsigned pct, const char *P, const char *what,
		     struct hvb_metrics *ms)
{
	double c = (double)xt_dist_pct(d, pct);

	return s->o.cpu_hz > 0 ? hvb_metrics_addf(ms, c * 1e9 / s->o.cpu_hz, "ns", HVB_LOWER, "%s.%s.p%u", P, what, pct)
			       : hvb_metrics_addf(ms, c, "cycles", HVB_LOWER, "%s.%s.p%u", P, what, pct);
}

/* The PV spinlock slow path: polls and kicks only where every sched_op's and every
 * event_channel_op's sub-operation was recorded (a zero then means none); otherwise how
 * many calls lack it, never a count that would read as zero. Xen records no argument of
 * event_channel_op (common/trace.c), so kicks stay unknown wherever the guest made one. */
static int emit_slowpath(const struct hvb_xt_summary *s, const struct acc *a, const char *P, struct hvb_metrics *ms)
{
	uint64_t sched = a->hc[XT_HC_SCHED_OP], evtchn = a->hc[XT_HC_EVTCHN_OP];
	int e;

	e = sched > a->sched_cmd ? hvb_metrics_addf(ms, (double)(sched - a->sched_cmd), "calls", HVB_INFO,
						    "%s.spinlock.poll_unknown", P)
				 : hvb_metrics_addf(ms, (double)a->poll, "calls", HVB_LOWER, "%s.spinlock.poll", P);
	if (!e)
		e = evtchn > a->evtchn_cmd ? hvb_metrics_addf(ms, (double)(evtchn - a->evtchn_cmd), "calls", HVB_INFO,
							      "%s.spinlock.kick_unknown", P)
					   : hvb_metrics_addf(ms, (double)a->kick, "calls", HVB_LOWER, "%s.spinlock.kick", P);
	/* HVM and PVH: every hypercall is a VMMCALL (VMCALL) exit; a zero says something there */
	if (!e && (a->vmmcalls || a->nex))
		e = hvb_metrics_addf(ms, (double)a->vmmcalls, "calls", HVB_LOWER, "%s.vmmcalls", P);
	/* a vCPU blocked in a poll until an event woke it: the lock's wait, kick included */
	if (!e && a->spin_wait.n)
		e = emit_time(s, (struct xt_dist *)&a->spin_wait, 50, P, "spinlock.block_to_wake", ms);
	if (!e && a->spin_wait.n)
		e = emit_time(s, (struct xt_dist *)&a->spin_wait, 95, P, "spinlock.block_to_wake", ms);
	if (!e && a->spin_wait.n)
		e = hvb_metrics_addf(ms, (double)a->spin_wait.n, "wakeups", HVB_INFO, "%s.spinlock.poll_wakeups", P);
	return e;
}

static int emit(const struct hvb_xt_summary *s, const struct acc *a, const char *P, struct hvb_metrics *ms)
{
	static const char *const grant[XT_NGRANT] = { "map", "unmap", "transfer" };
	enum hvb_xt_vendor vendor = hvb_xt_summary_vendor(s);
	int e = 0;

	for (uint32_t i = 0; i <= XT_NHC && !e; i++) {
		const char *n = i < XT_NHC ? hvb_xt_hypercall_name(i) : "other";
		if (!a->hc[i])
			continue;
		e = n ? hvb_metrics_addf(ms, (double)a->hc[i], "calls", HVB_LOWER, "%s.hypercall.%s", P, n)
		      : hvb_metrics_addf(ms, (double)a->hc[i], "calls", HVB_LOWER, "%s.hypercall.%u", P, i);
	}
	for (uint32_t i = 0; i < a->nex && !e; i++) {
		const char *n = hvb_xt_exit_name(vendor, a->ex[i].reason);
		char buf[24];
		if (!n) {
			snprintf(buf, sizeof(buf), "reason_0x%x", (unsigned)a->ex[i].reason);
			n = buf;
		}
		e = hvb_metrics_addf(ms, (double)a->ex[i].count, "exits", HVB_LOWER, "%s.exit.%s", P, n);
		if (!e)
			e = hvb_metrics_addf(ms, (double)a->ex[i].cycles, "cycles", HVB_LOWER, "%s.exit_cycles.%s", P, n);
	}
	for (int g = 0; g < XT_NGRANT && !e; g++) {
		e = hvb_metrics_addf(ms, (double)a->grant_by[g], "ops", HVB_LOWER, "%s.grant.%s", P, grant[g]);
		if (!e)
			e = hvb_metrics_addf(ms, (double)a->grant_for[g], "ops", HVB_LOWER, "%s.grant_for.%s", P, grant[g]);
	}
	for (unsigned i = 0; i < XT_NSTATES && !e; i++) {
		if (s->o.cpu_hz > 0)
			e = hvb_metrics_addf(ms, (double)a->state[i] / s->o.cpu_hz, "s", HVB_INFO, "%s.runstate.%s", P,
					     hvb_xt_runstate_name(i));
		else
			e = hvb_metrics_addf(ms, (double)a->state[i], "cycles", HVB_INFO, "%s.runstate.%s", P,
					     hvb_xt_runstate_name(i));
	}
	/* The mark of the runstate times above measured across skew-corrected pCPUs (bounds). */
	if (!e && a->skew_rs)
		e = s->o.cpu_hz > 0 ? hvb_metrics_addf(ms, (double)a->skew_rs / s->o.cpu_hz, "s", HVB_INFO,
						       "%s.runstate_skew_uncertain", P)
				    : hvb_metrics_addf(ms, (double)a->skew_rs, "cycles", HVB_INFO,
						       "%s.runstate_skew_uncertain", P);
	if (!e && a->wake.n) {
		struct xt_dist *w = (struct xt_dist *)&a->wake;
		e = hvb_metrics_addf(ms, (double)xt_dist_pct(w, 50), "cycles", HVB_LOWER, "%s.wake_latency.p50", P);
		if (!e)
			e = hvb_metrics_addf(ms, (double)xt_dist_pct(w, 95), "cycles", HVB_LOWER, "%s.wake_latency.p95", P);
		/* and of the wake-up latencies among them so measured */
		if (!e && a->skew_wakes)
			e = hvb_metrics_addf(ms, (double)a->skew_wakes, "wakeups", HVB_INFO,
					     "%s.wake_latency_skew_uncertain", P);
	}
	if (!e)
		e = emit_slowpath(s, a, P, ms);
	if (!e)
		e = hvb_metrics_addf(ms, (double)s->lost_records, "records", HVB_INFO, "%s.lost_records", P);
	if (!e && (s->nskews || s->rst.tsc_backwards)) { /* times across pCPUs are uncertain: say by how much */
		uint64_t mx = 0;
		for (uint32_t c = 0; c < s->ntsc_off; c++)
			mx = s->tsc_off[c] > mx ? s->tsc_off[c] : mx;
		for (uint32_t i = 0; i < s->nskews; i++)
			mx = s->skews[i].cycles > mx ? s->skews[i].cycles : mx;
		e = hvb_metrics_addf(ms, (double)mx, "cycles", HVB_INFO, "%s.tsc_skew_cycles", P);
	}
	/* Intervals a jumping or corrupt TSC made implausible, left out of the figures above. */
	if (!e && s->tsc_jumps)
		e = hvb_metrics_addf(ms, (double)s->tsc_jumps, "intervals", HVB_INFO, "%s.tsc_jumps", P);
	/* The mark of a cut capture, stored with the sample beside the figures it qualifies. */
	if (!e && s->truncated)
		e = hvb_metrics_addf(ms, (double)s->trunc_off, "byte", HVB_INFO, "%s.trace_truncated_at", P);
	return e;
}

/* What the hypercalls' arguments say (hcargs.c), and the hooks' grant copy records.
 * Without arguments (HVM and PVH hypercalls seen only as VMMCALL, the old PV record) the
 * sub-operation figures are absent and hypercall_args_absent says how many calls lack them. */
static int emit_args(const struct hvb_xt_summary *s, const struct acc *a, const char *P, int copy_records,
		     struct hvb_metrics *ms)
{
	const struct xt_hcargs *g = &a->args;
	uint64_t total = 0, noargs = g->noargs + (a->vmmcalls && !g->hvm_records ? a->vmmcalls : 0), exit_cycles = 0;
	int e;

	for (uint32_t i = 0; i <= XT_NHC; i++)
		total += a->hc[i];
	e = hvb_metrics_addf(ms, (double)total, "calls", HVB_LOWER, "%s.hypercalls", P);
	for (uint32_t i = 0; i < a->nex; i++)
		exit_cycles += a->ex[i].cycles;
	/* Time in Xen from each VM exit to the next entry (HVM, PVH); PV records have no end. */
	if (!e && a->nex && s->o.cpu_hz > 0)
		e = hvb_metrics_addf(ms, (double)exit_cycles / s->o.cpu_hz, "s", HVB_LOWER, "%s.xen_time", P);
	if (!e && noargs)
		e = hvb_metrics_addf(ms, (double)noargs, "calls", HVB_INFO, "%s.hypercall_args_absent", P);
	if (!e && !noargs) {
		/* map, unmap and copy always (a zero says something), the other sub-operations when seen */
		for (unsigned i = 0; i <= XT_NGNTOP && !e; i++) {
			if (i > 1 && i != 5 && !g->gnt_calls[i])
				continue;
			e = hvb_metrics_addf(ms, (double)g->gnt_calls[i], "calls", HVB_LOWER, "%s.gnttab.%s.calls", P,
					     xt_gnttabop_name(i));
			if (!e)
				e = hvb_metrics_addf(ms, (double)g->gnt_ops[i], "ops", HVB_LOWER, "%s.gnttab.%s.ops", P,
						     xt_gnttabop_name(i));
		}
		if (!e)
			e = hvb_metrics_addf(ms, (double)g->mmu_updates, "updates", HVB_LOWER, "%s.mmu_update.updates", P);
		if (!e)
			e = hvb_metrics_addf(ms, (double)g->mmu_continued, "calls", HVB_INFO, "%s.mmu_update.continued", P);
		if (!e)
			e = hvb_metrics_addf(ms, (double)g->mmuext_ops, "ops", HVB_LOWER, "%s.mmuext_op.ops", P);
		if (!e)
			e = hvb_metrics_addf(ms, (double)g->mmuext_continued, "calls", HVB_INFO, "%s.mmuext_op.continued", P);
		/* page-table entries written by hypercall: mmu_update's and update_va_mapping's (one each) */
		if (!e)
			e = hvb_metrics_addf(ms, (double)(g->mmu_updates + g->uva_calls), "updates", HVB_LOWER,
					     "%s.pt_updates", P);
	}
	if (!e && g->mc_calls) /* what the multicalls ran, entry by entry */
		e = hvb_metrics_addf(ms, (double)g->mc_entries, "calls", HVB_INFO, "%s.multicall.entries", P);
	for (uint32_t i = 0; i <= XT_NHC && !e; i++) {
		const char *n = i < XT_NHC ? hvb_xt_hypercall_name(i) : "other";
		if (a->sub[i])
			e = n ? hvb_metrics_addf(ms, (double)a->sub[i], "calls", HVB_LOWER, "%s.multicall.entry.%s", P, n)
			      : hvb_metrics_addf(ms, (double)a->sub[i], "calls", HVB_LOWER, "%s.multicall.entry.%u", P, i);
	}
	if (!e && copy_records) { /* the hooks' record is in this trace: its figures are exact, zeros too */
		e = hvb_metrics_addf(ms, (double)a->copy_ops, "ops", HVB_LOWER, "%s.grant.copy", P);
		if (!e)
			e = hvb_metrics_addf(ms, (double)a->copy_bytes, "bytes", HVB_INFO, "%s.grant.copy_bytes", P);
		if (!e)
			e = hvb_metrics_addf(ms, (double)a->copy_failed, "ops", HVB_LOWER, "%s.grant.copy_failed", P);
		if (!e)
			e = hvb_metrics_addf(ms, (double)a->copy_batches, "calls", HVB_INFO, "%s.grant.copy_batches", P);
	}
	return e;
}

int hvb_xt_summary_metrics(const struct hvb_xt_summary *s, int64_t domid, struct hvb_metrics *ms)
{
	return hvb_xt_summary_metrics_as(s, domid, "xen", ms);
}

int hvb_xt_summary_metrics_as(const struct hvb_xt_summary *s, int64_t domid, const char *prefix,
			      struct hvb_metrics *ms)
{
	int copy_records = 0;
	struct acc *a = calloc(1, sizeof(*a));
	int e;

	if (!a)
		return HVB_ENOMEM;
	for (uint32_t i = 0; i < s->ndoms; i++) {
		const struct xt_domain *d = s->doms[i];
		if (d->dom == HVB_XT_DOM_IDLE || d->dom == HVB_XT_DOM_UNKNOWN || (domid >= 0 && d->dom != domid))
			continue;
		for (int g = 0; g < XT_NGRANT; g++) {
			a->grant_by[g] += d->grant_by[g];
			a->grant_for[g] += d->grant_for[g];
		}
		a->copy_batches += d->copy_batches;
		a->copy_ops += d->copy_ops;
		a->copy_failed += d->copy_failed;
		a->copy_bytes += d->copy_bytes;
	}
	for (uint32_t i = 0; i < s->ndoms; i++)
		copy_records |= s->doms[i]->copy_batches != 0;
	for (uint32_t i = 0; i < s->vtab_cap; i++) {
		const struct xt_vcpu *v = s->vtab[i];
		if (!v || v->dom == HVB_XT_DOM_IDLE || v->dom == HVB_XT_DOM_UNKNOWN || (domid >= 0 && v->dom != domid))
			continue;
		add_vcpu(a, v);
	}
	e = emit(s, a, prefix, ms);
	if (!e)
		e = emit_args(s, a, prefix, copy_records, ms);
	xt_dist_free(&a->wake);
	xt_dist_free(&a->spin_wait);
	free(a);
	return e;
}
