/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* PV records: hypercalls (TRC_PV_HYPERCALL_V2 with its argument presence bits, multicall
 * entries as TRC_PV_HYPERCALL_SUBCALL, the old TRC_PV_HYPERCALL), and the other PV entry
 * points (page faults, emulated privileged ops, ptwr, ...) counted by kind. */
#include "config.h"
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xt-internal.h"

#define PV_MINOR(ev) ((ev) & 0xffu)

const char *xt_pv_event_name(unsigned minor)
{
	static const char *const n[XT_NPVEV] = {
		[1] = "hypercall", [3] = "trap", [4] = "page_fault", [5] = "forced_invalid_op",
		[6] = "emulate_privop", [7] = "emulate_4gb", [8] = "math_state_restore",
		[9] = "paging_fixup", [10] = "gdt_ldt_mapping_fault", [11] = "ptwr_emulation",
		[12] = "ptwr_emulation_pae", [13] = "hypercall_v2", [14] = "hypercall_subcall",
	};
	return minor < XT_NPVEV ? n[minor] : NULL;
}

void xt_pv_slowpath(struct xt_vcpu *v, uint32_t op, uint64_t cmd)
{
	if (op == XT_HC_SCHED_OP) {
		v->sched_op_cmd++;
		v->poll_pending = cmd == XT_SCHEDOP_POLL; /* told from block: its blocked time is a wait */
		v->sched_poll += cmd == XT_SCHEDOP_POLL;
	} else if (op == XT_HC_EVTCHN_OP) {
		v->evtchn_cmd++;
		v->evtchn_send += cmd == XT_EVTCHNOP_SEND;
	}
}

static void hypercall(struct xt_vcpu *v, uint32_t op, int sub, const struct hvb_xt_rec *r)
{
	uint32_t i = op < XT_NHC ? op : XT_NHC;
	uint64_t a0;

	v->hc[i]++;
	if (sub)
		v->hc_sub[i]++;
	v->poll_pending = 0;
	if (!r) {
		v->args.noargs++; /* the old record: no arguments */
		return;
	}
	xt_hcargs_add(&v->args, r, sub);
	if (xt_hcargs_arg(r, 0, &a0))
		xt_pv_slowpath(v, op, a0);
}

int xt_pv_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r)
{
	struct xt_vcpu *v = xt_current(s, r->cpu);
	unsigned minor = PV_MINOR(r->event);

	if (!v)
		return 0;
	v->records++;
	switch (r->event) {
	case TRC_PV_HYPERCALL_V2:
	case TRC_PV_HYPERCALL_SUBCALL:
		if (r->nextra >= 1)
			hypercall(v, r->d[0] & ~TRC_PV_HYPERCALL_V2_ARG_MASK, r->event == TRC_PV_HYPERCALL_SUBCALL, r);
		return 0;
	case TRC_PV_HYPERCALL:                 /* {eip, eax} */
		if (r->nextra >= 2)
			hypercall(v, r->d[1], 0, NULL);
		return 0;
	case TRC_PV_HYPERCALL + TRC_64_FLAG:  /* {eip lo, eip hi, eax} */
		if (r->nextra >= 3)
			hypercall(v, r->d[2], 0, NULL);
		return 0;
	}
	if ((r->event & 0xfffff000u) != TRC_PV_ENTRY || minor >= XT_NPVEV || !xt_pv_event_name(minor))
		return 1;
	v->pv_ev[minor == 12 ? 11 : minor]++; /* the PAE form of ptwr counts as ptwr */
	return 0;
}
