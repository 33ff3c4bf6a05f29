/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* The summary as JSON: the one structured form; the text report and the tests read it. */
#include "config.h"
#include <stdlib.h>
#include "probes/xentrace/xt-internal.h"

/* Counts and cycles are unsigned; JSON integers here are int64: a value past
 * INT64_MAX (a corrupt TSC) is written as a number, not wrapped negative. */
static json_t *jint(uint64_t v) { return v > INT64_MAX ? json_real((double)v) : json_integer((json_int_t)v); }

static void add_seconds(const struct hvb_xt_summary *s, json_t *o, uint64_t cycles)
{
	if (s->o.cpu_hz > 0)
		json_object_set_new(o, "seconds", json_real((double)cycles / s->o.cpu_hz));
}

/* Percentiles need the samples sorted; finish() sorted them, so this only reads. */
static json_t *dist_json(const struct hvb_xt_summary *s, const struct xt_dist *cd)
{
	struct xt_dist *d = (struct xt_dist *)cd;
	json_t *o = json_object();

	json_object_set_new(o, "count", jint(d->events));
	json_object_set_new(o, "samples", jint(d->n));
	json_object_set_new(o, "cycles", jint(d->sum));
	add_seconds(s, o, d->sum);
	json_object_set_new(o, "avg", jint(d->n ? d->sum / d->n : 0));
	json_object_set_new(o, "p5", jint(xt_dist_pct(d, 5)));
	json_object_set_new(o, "p50", jint(xt_dist_pct(d, 50)));
	json_object_set_new(o, "p95", jint(xt_dist_pct(d, 95)));
	json_object_set_new(o, "exact", json_boolean(xt_dist_exact(d)));
	return o;
}

static json_t *volume_json(const struct hvb_xt_volume *v)
{
	json_t *o = json_object();

	for (int c = 0; c < HVB_XT_NCLASS; c++) {
		json_t *x;
		if (!v->records[c])
			continue;
		x = json_object();
		json_object_set_new(x, "records", jint(v->records[c]));
		json_object_set_new(x, "bytes", jint(v->bytes[c]));
		json_object_set_new(o, hvb_xt_class_name((enum hvb_xt_class)c), x);
	}
	return o;
}

static json_t *hypercalls_json(const uint64_t *count, const uint64_t *sub)
{
	json_t *a = json_array();

	for (uint32_t i = 0; i <= XT_NHC; i++) {
		const char *name = i < XT_NHC ? hvb_xt_hypercall_name(i) : "other";
		json_t *h;
		char buf[16];
		if (!count[i])
			continue;
		if (!name) {
			snprintf(buf, sizeof(buf), "hypercall_%u", i);
			name = buf;
		}
		h = json_object();
		json_object_set_new(h, "nr", i < XT_NHC ? jint(i) : json_null());
		json_object_set_new(h, "name", json_string(name));
		json_object_set_new(h, "count", jint(count[i]));
		if (sub)
			json_object_set_new(h, "subcalls", jint(sub[i]));
		json_array_append_new(a, h);
	}
	return a;
}

static int cmp_exit(const void *a, const void *b)
{
	uint32_t x = ((const struct xt_exit *)a)->reason, y = ((const struct xt_exit *)b)->reason;
	return x < y ? -1 : x > y;
}

static json_t *interval_json(const struct hvb_xt_summary *s, int state, uint64_t cycles)
{
	json_t *x = json_object();

	json_object_set_new(x, "state", json_string(hvb_xt_runstate_name((unsigned)state)));
	json_object_set_new(x, "cycles", jint(cycles));
	add_seconds(s, x, cycles);
	return x;
}

/* What the arguments of the vCPU's hypercall records said (hcargs.c). */
static json_t *hcargs_json(const struct xt_hcargs *a)
{
	json_t *o = json_object(), *g = json_object();

	for (unsigned i = 0; i <= XT_NGNTOP; i++)
		if (a->gnt_calls[i])
			json_object_set_new(g, xt_gnttabop_name(i),
					    json_pack("{s:o, s:o}", "calls", jint(a->gnt_calls[i]), "ops", jint(a->gnt_ops[i])));
	json_object_set_new(o, "grant_table_op", g);
	json_object_set_new(o, "mmu_update", json_pack("{s:o, s:o, s:o}", "calls", jint(a->mmu_calls), "updates",
							 jint(a->mmu_updates), "continued", jint(a->mmu_continued)));
	json_object_set_new(o, "mmuext_op", json_pack("{s:o, s:o, s:o}", "calls", jint(a->mmuext_calls), "ops",
							jint(a->mmuext_ops), "continued", jint(a->mmuext_continued)));
	json_object_set_new(o, "update_va_mapping", jint(a->uva_calls));
	json_object_set_new(o, "multicall", json_pack("{s:o, s:o}", "calls", jint(a->mc_calls), "entries",
							jint(a->mc_entries)));
	json_object_set_new(o, "hvm_hypercall_records", jint(a->hvm_records));
	json_object_set_new(o, "without_arguments", jint(a->noargs));
	return o;
}

static json_t *vcpu_json(const struct hvb_xt_summary *s, struct xt_vcpu *v)
{
	enum hvb_xt_vendor vendor = hvb_xt_summary_vendor(s);
	json_t *o = json_object(), *rs = json_object(), *ex = json_array(), *pe = json_object();
	json_t *spin = json_object();
	uint64_t total = 0, subs = 0;

	json_object_set_new(o, "vcpu", jint(v->vcpu));
	json_object_set_new(o, "records", jint(v->records));
	for (unsigned i = 0; i < XT_NSTATES; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "count", jint(v->state_count[i]));
		json_object_set_new(x, "cycles", jint(v->state_cycles[i]));
		add_seconds(s, x, v->state_cycles[i]);
		json_object_set_new(rs, hvb_xt_runstate_name(i), x);
	}
	json_object_set_new(o, "runstates", rs);
	/* The first interval (begun by the vCPU's first runstate record) and the one still open
	 * at the end of the trace (its real length is longer), both in the figures above. */
	{
		json_t *ends = json_object();
		if (v->first_state >= 0)
			json_object_set_new(ends, "first", interval_json(s, v->first_state, v->first_cycles));
		if (v->end_state >= 0)
			json_object_set_new(ends, "open_at_end", interval_json(s, v->end_state, v->end_cycles));
		json_object_set_new(o, "runstate_ends", ends);
	}
	json_object_set_new(o, "wakeups", jint(v->wakeups));
	/* Runstate and wake-up cycles measured from one pCPU to another whose TSCs were
	 * corrected for skew: only as exact as the correction (the skew's lower bound). */
	json_object_set_new(o, "tsc_skew_uncertain_cycles", jint(v->skew_cycles));
	/* The sections of this object those figures are in, by name, and how much of each
	 * is a bound: runstates its cycles, wake_latency its samples; {} without skew. */
	{
		json_t *u = json_object();
		if (v->skew_rs_cycles)
			json_object_set_new(u, "runstates", jint(v->skew_rs_cycles));
		if (v->skew_wakeups)
			json_object_set_new(u, "wake_latency", jint(v->skew_wakeups));
		json_object_set_new(o, "tsc_skew_uncertain", u);
	}
	json_object_set_new(o, "wake_latency", dist_json(s, &v->wake_lat));
	for (uint32_t i = 0; i <= XT_NHC; i++) {
		total += v->hc[i];
		subs += v->hc_sub[i];
	}
	json_object_set_new(o, "hypercalls_total", jint(total));
	json_object_set_new(o, "subcalls_total", jint(subs));
	json_object_set_new(o, "hypercalls", hypercalls_json(v->hc, v->hc_sub));
	json_object_set_new(o, "vmmcalls", hypercalls_json(v->vmmcall, NULL));
	json_object_set_new(o, "hypercall_args", hcargs_json(&v->args));
	for (unsigned m = 0; m < XT_NPVEV; m++)
		if (v->pv_ev[m])
			json_object_set_new(pe, xt_pv_event_name(m), jint(v->pv_ev[m]));
	json_object_set_new(o, "pv_events", pe);
	if (v->nexits)
		qsort(v->exits, v->nexits, sizeof(*v->exits), cmp_exit);
	for (uint32_t i = 0; i < v->nexits; i++) {
		const char *name = hvb_xt_exit_name(vendor, v->exits[i].reason);
		json_t *x = dist_json(s, &v->exits[i].cycles);
		char buf[24];
		if (!name) {
			snprintf(buf, sizeof(buf), "reason_0x%x", (unsigned)v->exits[i].reason);
			name = buf;
		}
		json_object_set_new(x, "reason", jint(v->exits[i].reason));
		json_object_set_new(x, "name", json_string(name));
		json_array_append_new(ex, x);
	}
	json_object_set_new(o, "exits", ex);
	json_object_set_new(o, "exits_unclosed", jint(v->exits_unclosed));
	/* counts only where every call's sub-operation was recorded: else null, and how many lack it */
	uint64_t sched = v->hc[XT_HC_SCHED_OP] + v->vmmcall[XT_HC_SCHED_OP];
	uint64_t evtchn = v->hc[XT_HC_EVTCHN_OP] + v->vmmcall[XT_HC_EVTCHN_OP];
	json_object_set_new(spin, "sched_poll", sched > v->sched_op_cmd ? json_null() : jint(v->sched_poll));
	json_object_set_new(spin, "sched_op_unknown", jint(sched > v->sched_op_cmd ? sched - v->sched_op_cmd : 0));
	json_object_set_new(spin, "evtchn_send", evtchn > v->evtchn_cmd ? json_null() : jint(v->evtchn_send));
	json_object_set_new(spin, "evtchn_op_unknown", jint(evtchn > v->evtchn_cmd ? evtchn - v->evtchn_cmd : 0));
	json_object_set_new(spin, "blocked_to_wake", dist_json(s, &v->spin_wait));
	json_object_set_new(o, "spinlock", spin);
	return o;
}

static json_t *grants_json(const uint64_t *g)
{
	json_t *o = json_object();

	json_object_set_new(o, "map", jint(g[XT_GRANT_MAP]));
	json_object_set_new(o, "unmap", jint(g[XT_GRANT_UNMAP]));
	json_object_set_new(o, "transfer", jint(g[XT_GRANT_TRANSFER]));
	return o;
}

static json_t *domains_json(const struct hvb_xt_summary *s)
{
	struct xt_domain **doms = xt_domains_sorted(s);
	struct xt_vcpu **vcpus = xt_vcpus_sorted(s);
	json_t *a = json_array();
	size_t k = 0;

	for (size_t i = 0; doms && vcpus && doms[i]; i++) {
		struct xt_domain *d = doms[i];
		const struct hvb_xt_meta_domain *md = hvb_xt_meta_domain(s->o.meta, d->dom);
		json_t *o = json_object(), *vs = json_array(), *g = json_object();

		json_object_set_new(o, "domid", d->dom == HVB_XT_DOM_UNKNOWN ? json_null() : jint(d->dom));
		json_object_set_new(o, "idle", json_boolean(d->dom == HVB_XT_DOM_IDLE));
		json_object_set_new(o, "unknown", json_boolean(d->dom == HVB_XT_DOM_UNKNOWN));
		if (md) {
			json_object_set_new(o, "name", json_string(md->name));
			json_object_set_new(o, "mode", json_string(md->mode));
		}
		json_object_set_new(g, "by", grants_json(d->grant_by));
		json_object_set_new(g, "for", grants_json(d->grant_for));
		/* hooks 0001's records, by the issuing domain */
		json_object_set_new(g, "copy", json_pack("{s:o, s:o, s:o, s:o}", "batches", jint(d->copy_batches), "ops",
							 jint(d->copy_ops), "failed", jint(d->copy_failed), "bytes",
							 jint(d->copy_bytes)));
		json_object_set_new(o, "grants", g);
		json_object_set_new(o, "mem_other", jint(d->mem_other));
		while (vcpus[k] && vcpus[k]->dom < d->dom)
			k++;
		for (; vcpus[k] && vcpus[k]->dom == d->dom; k++)
			json_array_append_new(vs, vcpu_json(s, vcpus[k]));
		json_object_set_new(o, "vcpus", vs);
		json_array_append_new(a, o);
	}
	free(doms);
	free(vcpus);
	return a;
}

json_t *hvb_xt_summary_json(const struct hvb_xt_summary *s)
{
	json_t *o = json_object(), *lost = json_object(), *pc = json_array();
	struct hvb_xt_volume tot = { { 0 }, { 0 } };
	enum hvb_xt_vendor vendor = hvb_xt_summary_vendor(s);
	uint64_t dur = s->last_tsc - s->first_tsc;

	if (!o)
		return NULL;
	json_object_set_new(o, "format", json_string("hvbench-xentrace-summary"));
	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "file_bytes", jint(s->rst.file_bytes));
	json_object_set_new(o, "records", jint(s->records));
	json_object_set_new(o, "windows", jint(s->rst.windows));
	json_object_set_new(o, "wrap_records", jint(s->rst.wrap_records));
	json_object_set_new(o, "unknown_events", jint(s->unknown_events));
	json_object_set_new(o, "unattributed_records", jint(s->unattributed));
	json_object_set_new(o, "out_of_order", jint(s->rst.out_of_order));
	json_object_set_new(lost, "markers", jint(s->lost_markers));
	json_object_set_new(lost, "records", jint(s->lost_records));
	json_object_set_new(o, "lost", lost);
	{
		json_t *sk = json_array();
		for (uint32_t i = 0; i < s->nskews; i++) {
			const struct xt_skew *k = &s->skews[i];
			json_t *x = json_object();
			json_object_set_new(x, "cpu", jint(k->behind));
			json_object_set_new(x, "behind_cpu", jint(k->ahead));
			json_object_set_new(x, "at_least_cycles", jint(k->cycles));
			json_object_set_new(x, "corrected_by", jint(k->behind < s->ntsc_off ? s->tsc_off[k->behind] : 0));
			json_array_append_new(sk, x);
		}
		json_object_set_new(o, "tsc_skew", sk);
		json_object_set_new(o, "tsc_skew_corrected", json_boolean(s->nskews && !s->skew_loop));
		json_object_set_new(o, "tsc_backwards", jint(s->rst.tsc_backwards));
		json_object_set_new(o, "tsc_jumps", jint(s->tsc_jumps));
	}
	if (s->truncated) {
		json_t *t = json_object();
		json_object_set_new(t, "at_byte", jint(s->trunc_off));
		json_object_set_new(t, "reason", json_string(s->trunc_why));
		json_object_set_new(o, "truncated", t);
	} else {
		json_object_set_new(o, "truncated", json_null());
	}
	json_object_set_new(o, "cpu_hz", s->o.cpu_hz > 0 ? json_real(s->o.cpu_hz) : json_null());
	json_object_set_new(o, "vendor", json_string(vendor == HVB_XT_VENDOR_SVM ? "svm" : "vmx"));
	json_object_set_new(o, "vendor_detected", json_boolean(s->vendor == HVB_XT_VENDOR_AUTO &&
								s->rec_vendor == HVB_XT_VENDOR_AUTO));
	json_object_set_new(o, "vendor_source", json_string(s->rec_vendor != HVB_XT_VENDOR_AUTO ? "record" :
							    s->vendor != HVB_XT_VENDOR_AUTO ? "given" : "detected"));
	json_object_set_new(o, "exit_records", jint(s->exit_records));
	json_object_set_new(o, "first_tsc", jint(s->first_tsc));
	json_object_set_new(o, "last_tsc", jint(s->last_tsc));
	/* After a TSC jump the span from the first to the last record is no time. */
	if (s->tsc_jumps) {
		json_object_set_new(o, "duration_cycles", json_null());
	} else {
		json_object_set_new(o, "duration_cycles", jint(dur));
		add_seconds(s, o, dur);
	}
	for (uint32_t c = 0; c < s->nvol; c++) {
		json_t *x;
		int any = 0;
		for (int k = 0; k < HVB_XT_NCLASS; k++) {
			tot.records[k] += s->vol[c].records[k];
			tot.bytes[k] += s->vol[c].bytes[k];
			any |= s->vol[c].records[k] != 0;
		}
		if (!any)
			continue;
		x = json_object();
		json_object_set_new(x, "cpu", jint(c));
		json_object_set_new(x, "classes", volume_json(&s->vol[c]));
		json_array_append_new(pc, x);
	}
	json_object_set_new(o, "pcpus", pc);
	json_object_set_new(o, "classes", volume_json(&tot));
	json_object_set_new(o, "domains", domains_json(s));
	return o;
}
