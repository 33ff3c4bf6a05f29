/* HVM records: VM exits (VMEXIT/VMEXIT64) with their reason and the cycles until the next
 * VMENTRY, and the hypercalls of HVM and PVH guests (VMMCALL/VMCALL, number in eax).
 * Exit reasons are SVM's on AMD and VMX's on Intel: the vendor comes from the options or
 * metadata, or is detected from an exit code only SVM uses (0x60 and above). */
#include "config.h"
#include <stdlib.h>
#include "probes/xentrace/xt-trace.h"
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

	(void)s;
	if (!v->exit_open)
		return;
	v->exit_open = 0;
	if ((e = exit_get(v, v->exit_reason)))
		xt_dist_add(&e->cycles, tsc >= v->exit_tsc ? tsc - v->exit_tsc : 0);
}

int xt_hvm_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r)
{
	struct xt_vcpu *v = xt_current(s, r->cpu);
	uint32_t ev = r->event & ~(uint32_t)TRC_HVM_NESTEDFLAG;

	if (!v)
		return 0;
	v->records++;
	switch (ev) {
	case TRC_HVM_VMEXIT:
	case TRC_HVM_VMEXIT64:
		if (r->nextra < 2)
			return 0;
		if (v->exit_open)
			v->exits_unclosed++;
		v->exit_open = 1;
		v->exit_reason = r->d[0];
		v->exit_tsc = r->tsc;
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
	}
	return hvb_xt_event_name(r->event) == NULL;
}
