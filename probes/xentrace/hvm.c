/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* HVM records: VM exits with their reason and the cycles until the next VMENTRY, and the
 * hypercalls of HVM and PVH guests (VMMCALL/VMCALL, number in eax).
 * Exit reasons are SVM's on AMD and VMX's on Intel.  From Xen 4.19 the record says which:
 * TRC_HVM_SVM_EXIT[64] (0x81003/0x81103) for SVM, TRC_HVM_VMX_EXIT[64] for VMX.  Before,
 * both vendors wrote TRC_HVM_VMEXIT[64] (the VMX ids): then the vendor comes from the
 * options or metadata, or is detected from an exit code only SVM uses (0x60 and above). */
#include "config.h"
#include <stdlib.h>
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xt-internal.h"

static struct xt_exit *exit_get(struct xt_vcpu *v, uint32_t reason)
{
	for (uint32_t i = 0; i < v->nexits; i++)
		if (v->exits[i].reason == reason)
			return &v->exits[i];
	if (v->nexits >= 4096) /* garbage reasons: stop growing */
		return NULL;
	if (v->nexits == v->capexits) {
		uint32_t cap = v->capexits ? v->capexits * 2 : 8;
		struct xt_exit *e = realloc(v->exits, cap * sizeof(*e));
		if (!e)
			return NULL;
		v->exits = e;
		v->capexits = cap;
	}
	v->exits[v->nexits] = (struct xt_exit){ .reason = reason };
	return &v->exits[v->nexits++];
}

void xt_hvm_close_exit(struct hvb_xt_summary *s, struct xt_vcpu *v, uint64_t tsc)
{
	struct xt_exit *e;
	uint64_t d;

	if (!v->exit_open)
		return;
	v->exit_open = 0;
	/* An implausible length is counted as an exit without a time (as a zero-length
	 * one is, after xenalyze). */
	xt_interval(s, v->exit_tsc, tsc, v->exit_cpu, v->pcpu, &d);
	if ((e = exit_get(v, v->exit_reason)))
		xt_dist_add(&e->cycles, d);
}

/* The vendor a record names (4.19 and later): it wins over --vendor and the metadata. */
static void record_vendor(struct hvb_xt_summary *s, enum hvb_xt_vendor v, const struct hvb_xt_rec *r)
{
	if (s->rec_vendor == v)
		return;
	if (s->rec_vendor != HVB_XT_VENDOR_AUTO) {
		if (!s->vendor_mixed++)
			hvb_log(HVB_LOG_WARN, "xentrace: byte %llu: %s exit record in a trace that also has %s ones; "
				"exit reasons are named as %s's", (unsigned long long)r->off,
				v == HVB_XT_VENDOR_SVM ? "an SVM" : "a VMX",
				s->rec_vendor == HVB_XT_VENDOR_SVM ? "SVM" : "VMX",
				s->rec_vendor == HVB_XT_VENDOR_SVM ? "SVM" : "VMX");
		return;
	}
	s->rec_vendor = v;
	if (s->vendor != HVB_XT_VENDOR_AUTO && s->vendor != v)
		hvb_log(HVB_LOG_WARN, "xentrace: the vendor given (%s) contradicts the trace's %s exit records "
			"(byte %llu): the records win", s->vendor == HVB_XT_VENDOR_SVM ? "amd" : "intel",
			v == HVB_XT_VENDOR_SVM ? "SVM" : "VMX", (unsigned long long)r->off);
}

int xt_hvm_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r)
{
	struct xt_vcpu *v = xt_current(s, r->cpu);
	uint32_t ev = r->event & ~(uint32_t)TRC_HVM_NESTEDFLAG;

	if (!v)
		return 0;
	v->records++;
	switch (ev) {
	case TRC_HVM_SVM_EXIT:
	case TRC_HVM_SVM_EXIT64:
		record_vendor(s, HVB_XT_VENDOR_SVM, r);
		/* fall through */
	case TRC_HVM_VMX_EXIT:
	case TRC_HVM_VMX_EXIT64:
		if ((ev == TRC_HVM_VMX_EXIT || ev == TRC_HVM_VMX_EXIT64) && s->xen >= XT_XEN(4, 19))
			record_vendor(s, HVB_XT_VENDOR_VMX, r);
		if (r->nextra < 2)
			return 0;
		s->exit_records++;
		if (v->exit_open)
			v->exits_unclosed++;
		v->exit_open = 1;
		v->exit_reason = r->d[0];
		v->exit_tsc = r->tsc;
		v->exit_cpu = r->cpu;
		if (r->d[0] >= 0x60 && r->d[0] != 0xffffffffu)
			s->vendor_svm_seen = 1;
		return 0;
	case TRC_HVM_VMENTRY:
		xt_hvm_close_exit(s, v, r->tsc);
		return 0;
	case TRC_HVM_VMMCALL:
		if (r->nextra >= 1) {
			uint32_t nr = r->d[0];
			v->vmmcall[nr < XT_NHC ? nr : XT_NHC]++;
			/* Only eax is recorded, so sched_op poll and block cannot be told apart here:
			 * the blocked-to-wake time after any sched_op is attributed. */
			v->poll_pending = nr == XT_HC_SCHED_OP;
		}
		return 0;
	case TRC_HVM_HYPERCALL: /* hooks 0002: the same call as its VMMCALL record, with arguments */
		if (r->nextra >= 1) {
			uint64_t a0;
			v->args.hvm_records++;
			xt_hcargs_add(&v->args, r, 0);
			if (xt_hcargs_arg(r, 0, &a0)) /* polls now told from block, counted as PV's are */
				xt_pv_slowpath(v, r->d[0] & ~TRC_PV_HYPERCALL_V2_ARG_MASK, a0);
		}
		return 0;
	}
	return hvb_xt_event_name(r->event) == NULL;
}
