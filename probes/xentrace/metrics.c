/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A summary as hvbench metrics, so the xentrace probe can store them with each sample. */
#include "config.h"
#include <stdlib.h>
#include "probes/xentrace/xt-internal.h"

struct acc {
	uint64_t hc[XT_NHC + 1];
	uint64_t grant_by[XT_NGRANT], grant_for[XT_NGRANT];
	uint64_t state[XT_NSTATES];
	uint64_t poll, kick;
	struct xt_dist wake;        /* merged wake-up latencies (exact samples only) */
	struct { uint32_t reason; uint64_t count, cycles; } ex[256];
	uint32_t nex;
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
	for (uint32_t i = 0; i <= XT_NHC; i++)
		a->hc[i] += v->hc[i] + v->vmmcall[i];
	for (uint32_t i = 0; i < XT_NSTATES; i++)
		a->state[i] += v->state_cycles[i];
	a->poll += v->sched_poll;
	a->kick += v->evtchn_send;
	for (uint32_t i = 0; i < v->nexits; i++)
		add_exit(a, &v->exits[i]);
	for (uint64_t i = 0; v->wake_lat.samples && i < v->wake_lat.n; i++)
		xt_dist_add(&a->wake, v->wake_lat.samples[i]);
}

static int emit(const struct hvb_xt_summary *s, const struct acc *a, struct hvb_metrics *ms)
{
	static const char *const grant[XT_NGRANT] = { "map", "unmap", "transfer" };
	enum hvb_xt_vendor vendor = hvb_xt_summary_vendor(s);
	int e = 0;

	for (uint32_t i = 0; i <= XT_NHC && !e; i++) {
		const char *n = i < XT_NHC ? hvb_xt_hypercall_name(i) : "other";
		if (!a->hc[i])
			continue;
		e = n ? hvb_metrics_addf(ms, (double)a->hc[i], "calls", HVB_LOWER, "xen.hypercall.%s", n)
		      : hvb_metrics_addf(ms, (double)a->hc[i], "calls", HVB_LOWER, "xen.hypercall.%u", i);
	}
	for (uint32_t i = 0; i < a->nex && !e; i++) {
		const char *n = hvb_xt_exit_name(vendor, a->ex[i].reason);
		char buf[24];
		if (!n) {
			snprintf(buf, sizeof(buf), "reason_0x%x", (unsigned)a->ex[i].reason);
			n = buf;
		}
		e = hvb_metrics_addf(ms, (double)a->ex[i].count, "exits", HVB_LOWER, "xen.exit.%s", n);
		if (!e)
			e = hvb_metrics_addf(ms, (double)a->ex[i].cycles, "cycles", HVB_LOWER, "xen.exit_cycles.%s", n);
	}
	for (int g = 0; g < XT_NGRANT && !e; g++) {
		e = hvb_metrics_addf(ms, (double)a->grant_by[g], "ops", HVB_LOWER, "xen.grant.%s", grant[g]);
		if (!e)
			e = hvb_metrics_addf(ms, (double)a->grant_for[g], "ops", HVB_LOWER, "xen.grant_for.%s", grant[g]);
	}
	for (unsigned i = 0; i < XT_NSTATES && !e; i++) {
		if (s->o.cpu_hz > 0)
			e = hvb_metrics_addf(ms, (double)a->state[i] / s->o.cpu_hz, "s", HVB_INFO, "xen.runstate.%s",
					     hvb_xt_runstate_name(i));
		else
			e = hvb_metrics_addf(ms, (double)a->state[i], "cycles", HVB_INFO, "xen.runstate.%s",
					     hvb_xt_runstate_name(i));
	}
	if (!e && a->wake.n) {
		struct xt_dist *w = (struct xt_dist *)&a->wake;
		e = hvb_metrics_add(ms, "xen.wake_latency.p50", (double)xt_dist_pct(w, 50), "cycles", HVB_LOWER);
		if (!e)
			e = hvb_metrics_add(ms, "xen.wake_latency.p95", (double)xt_dist_pct(w, 95), "cycles", HVB_LOWER);
	}
	if (!e)
		e = hvb_metrics_add(ms, "xen.spinlock.poll", (double)a->poll, "calls", HVB_LOWER);
	if (!e)
		e = hvb_metrics_add(ms, "xen.spinlock.kick", (double)a->kick, "calls", HVB_LOWER);
	if (!e)
		e = hvb_metrics_add(ms, "xen.lost_records", (double)s->lost_records, "records", HVB_INFO);
	if (!e && (s->nskews || s->rst.tsc_backwards)) { /* times across pCPUs are uncertain: say by how much */
		uint64_t mx = 0;
		for (uint32_t c = 0; c < s->ntsc_off; c++)
			mx = s->tsc_off[c] > mx ? s->tsc_off[c] : mx;
		for (uint32_t i = 0; i < s->nskews; i++)
			mx = s->skews[i].cycles > mx ? s->skews[i].cycles : mx;
		e = hvb_metrics_add(ms, "xen.tsc_skew_cycles", (double)mx, "cycles", HVB_INFO);
	}
	/* Intervals a jumping or corrupt TSC made implausible, left out of the figures above. */
	if (!e && s->tsc_jumps)
		e = hvb_metrics_add(ms, "xen.tsc_jumps", (double)s->tsc_jumps, "intervals", HVB_INFO);
	/* The mark of a cut capture, stored with the sample beside the figures it qualifies. */
	if (!e && s->truncated)
		e = hvb_metrics_add(ms, "xen.trace_truncated_at", (double)s->trunc_off, "byte", HVB_INFO);
	return e;
}

int hvb_xt_summary_metrics(const struct hvb_xt_summary *s, int64_t domid, struct hvb_metrics *ms)
{
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
	}
	for (uint32_t i = 0; i < s->vtab_cap; i++) {
		const struct xt_vcpu *v = s->vtab[i];
		if (!v || v->dom == HVB_XT_DOM_IDLE || v->dom == HVB_XT_DOM_UNKNOWN || (domid >= 0 && v->dom != domid))
			continue;
		add_vcpu(a, v);
	}
	e = emit(s, a, ms);
	xt_dist_free(&a->wake);
	free(a);
	return e;
}
