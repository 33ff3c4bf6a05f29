/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* The table of record formats by Xen version: which event ids a Xen release writes, under
 * what name, and the layout of their extra words where it changed.  Written from Xen's
 * history (git log RELEASE-4.17.0..RELEASE-4.22.0 of xen/include/public/trace.h and of the
 * emitters); each entry names the Xen commit that introduced its form.  Entries without a
 * commit are the 4.17 forms, this table's baseline.
 *
 * Layouts: fields in payload order, each NAME:BITS, packed from the low bits of word 0
 * upwards as Xen's little-endian structs and bitfields are; "_" is padding (4.17's tail
 * padding holds stack rubble).  NULL: raw words (dump prints them as such).
 *
 * Choosing among entries of one id:
 *  - exits: the ids differ (4.19 gave SVM 0x81003/0x81103), so the record names its vendor;
 *    0x81002/0x81102 are VMX's from 4.19 on and either vendor's before;
 *  - TRC_MEM_* PoD/decrease_reservation, credit2 and RTDS records kept their sizes in 4.18,
 *    so only the Xen version tells them apart: --xen-version, else the version hvbench
 *    stored beside the trace (TRACE.meta.json); without either, only fields that read the
 *    same in both forms are decoded (the domain id in the low 16 bits) and dump says so. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xt-internal.h"

#define V417 XT_XEN(4, 17)
#define V418 XT_XEN(4, 18)
#define V419 XT_XEN(4, 19)
#define V421 XT_XEN(4, 21)
#define VNOW 0xffffu

/* Xen commits (xen-project/xen) that changed a record's id or layout. */
#define C_SVM_EXIT "320e644616c04655c353d7da4880cff555bc2055" /* 4.19: x86/hvm/trace: a different trace type for AMD */
#define C_MEM_PAD "83af664db3366d9c3047abd67655dce1796d005c"  /* 4.18: xen/memory: remove tail padding from TRC_MEM_* */
#define C_CS2_PAD "2992f4dcd5e981360cef3fe0e7aef670d5e02eb9"  /* 4.18: credit2: remove tail padding */
#define C_RTDS "6835f93573ad282a7cb01a6af9ee5c3add5cb4a8"     /* 4.18: trace: don't over-read (RTDS has_extratime u32) */
#define C_NO_LAZY_FPU "47d7556925"                            /* 4.22: x86/traps: remove lazy FPU support */
/* Not Xen's: hvbench's own hooks series (hv/xen/patches), applied by `hvbench hv build`;
 * its records appear only in traces of a hypervisor built with it (4.20 and later). */
#define C_HOOKS_GNTCOPY HVB_XT_HOOKS "0001-xen-gnttab-trace-GNTTABOP_copy-batches.patch"
#define C_HOOKS_HCALL HVB_XT_HOOKS "0002-x86-hvm-trace-hypercall-arguments-of-HVM-and-PVH-gue.patch"

#define B(id, n) { id, n, V417, VNOW, NULL, NULL }
#define BL(id, n, l) { id, n, V417, VNOW, NULL, l }

static const struct xt_format formats[] = {
	/* gen: the file's framing */
	BL(TRC_LOST_RECORDS, "gen.lost_records", "lost:32 did:16 vid:16 first_tsc:64"),
	B(TRC_TRACE_WRAP_BUFFER, "gen.wrap_buffer"),
	BL(TRC_TRACE_CPU_CHANGE, "gen.cpu_change", "cpu:32 bytes:32"),
	/* sched: word 0 of runstate records is vcpu:16 dom:16; wake and friends are two words */
	BL(TRC_SCHED_RUNSTATE_CHANGE, "sched.runstate_change", "vcpu:16 dom:16"),
	BL(TRC_SCHED_CONTINUE_RUNNING, "sched.continue_running", "vcpu:16 dom:16"),
	BL(TRC_SCHED_DOM_ADD, "sched.dom_add", "dom:32"), BL(TRC_SCHED_DOM_REM, "sched.dom_rem", "dom:32"),
	BL(TRC_SCHED_SLEEP, "sched.sleep", "dom:32 vcpu:32"), BL(TRC_SCHED_WAKE, "sched.wake", "dom:32 vcpu:32"),
	BL(TRC_SCHED_YIELD, "sched.yield", "dom:32 vcpu:32"), BL(TRC_SCHED_BLOCK, "sched.block", "dom:32 vcpu:32"),
	BL(TRC_SCHED_SHUTDOWN, "sched.shutdown", "dom:32 vcpu:32 reason:32"), B(TRC_SCHED_CTL, "sched.ctl"),
	BL(TRC_SCHED_ADJDOM, "sched.adjdom", "dom:32"),
	BL(TRC_SCHED_SWITCH, "sched.switch", "prev_dom:32 prev_unit:32 next_dom:32 next_unit:32"),
	B(TRC_SCHED_S_TIMER_FN, "sched.s_timer_fn"), B(TRC_SCHED_T_TIMER_FN, "sched.t_timer_fn"),
	B(TRC_SCHED_DOM_TIMER_FN, "sched.dom_timer_fn"),
	BL(TRC_SCHED_SWITCH_INFPREV, "sched.switch_infprev", "dom:32 unit:32 runtime:32"),
	BL(TRC_SCHED_SWITCH_INFNEXT, "sched.switch_infnext", "dom:32 unit:32 waited:32 next_time:32"),
	BL(TRC_SCHED_SHUTDOWN_CODE, "sched.shutdown_code", "dom:32 vcpu:32 reason:32"),
	BL(TRC_SCHED_SWITCH_INFCONT, "sched.switch_infcont", "dom:32 unit:32 runtime:32 next_time:32"),
	{ 0x0002220au, "sched.csched2_runq_assign", V417, XT_XEN(4, 17), NULL, "unit:16 dom:16 rqi:16 _:16" },
	{ 0x0002220au, "sched.csched2_runq_assign", V418, VNOW, C_CS2_PAD, "unit:16 dom:16 rqi:16 pad:16" },
	{ 0x0002220cu, "sched.csched2_update_runq_load", V417, XT_XEN(4, 17), NULL,
	  "rq_avgload:64 b_avgload:64 rq_load:16 rq_id:8 shift:8 _:32" },
	{ 0x0002220cu, "sched.csched2_update_runq_load", V418, VNOW, C_CS2_PAD,
	  "rq_avgload:64 b_avgload:64 rq_load:16 rq_id:8 shift:8 pad:32" },
	{ 0x00022211u, "sched.csched2_load_balance", V417, XT_XEN(4, 17), NULL,
	  "lb_avgload:64 ob_avgload:64 lrq_id:16 orq_id:16 _:32" },
	{ 0x00022211u, "sched.csched2_load_balance", V418, VNOW, C_CS2_PAD,
	  "lb_avgload:64 ob_avgload:64 lrq_id:16 orq_id:16 pad:32" },
	{ 0x00022803u, "sched.rtds_budget_burn", V417, XT_XEN(4, 17), NULL,
	  "unit:16 dom:16 cur_budget:64 delta:32 priority_level:32 has_extratime:8 _:24" },
	{ 0x00022803u, "sched.rtds_budget_burn", V418, VNOW, C_RTDS,
	  "unit:16 dom:16 cur_budget:64 delta:32 priority_level:32 has_extratime:32" },
	BL(TRC_DOM0_DOM_ADD, "dom0op.dom_add", "dom:32"), BL(TRC_DOM0_DOM_REM, "dom0op.dom_rem", "dom:32"),
	/* hvm: VM exits.  One id for both vendors until 4.18; 4.19 split them. */
	B(TRC_HVM_VMENTRY, "hvm.vmentry"),
	{ TRC_HVM_VMX_EXIT, "hvm.vmexit", V417, XT_XEN(4, 18), NULL, "reason:32 eip:32" },
	{ TRC_HVM_VMX_EXIT64, "hvm.vmexit64", V417, XT_XEN(4, 18), NULL, "reason:32 rip:64" },
	{ TRC_HVM_VMX_EXIT, "hvm.vmx_exit", V419, VNOW, C_SVM_EXIT, "reason:32 eip:32" },
	{ TRC_HVM_VMX_EXIT64, "hvm.vmx_exit64", V419, VNOW, C_SVM_EXIT, "reason:32 rip:64" },
	{ TRC_HVM_SVM_EXIT, "hvm.svm_exit", V419, VNOW, C_SVM_EXIT, "reason:32 eip:32" },
	{ TRC_HVM_SVM_EXIT64, "hvm.svm_exit64", V419, VNOW, C_SVM_EXIT, "reason:32 rip:64" },
	B(TRC_HVM_PF_XEN, "hvm.pf_xen"), B(TRC_HVM_PF_INJECT, "hvm.pf_inject"),
	B(TRC_HVM_INJ_EXC, "hvm.inj_exc"), B(TRC_HVM_INJ_VIRQ, "hvm.inj_virq"),
	B(TRC_HVM_REINJ_VIRQ, "hvm.reinj_virq"), B(TRC_HVM_IO_READ, "hvm.io_read"),
	B(TRC_HVM_IO_WRITE, "hvm.io_write"), B(TRC_HVM_CR_READ, "hvm.cr_read"),
	B(TRC_HVM_CR_WRITE, "hvm.cr_write"), B(TRC_HVM_DR_READ, "hvm.dr_read"),
	B(TRC_HVM_DR_WRITE, "hvm.dr_write"), B(TRC_HVM_MSR_READ, "hvm.msr_read"),
	B(TRC_HVM_MSR_WRITE, "hvm.msr_write"), B(TRC_HVM_CPUID, "hvm.cpuid"),
	B(TRC_HVM_INTR, "hvm.intr"), B(TRC_HVM_NMI, "hvm.nmi"), B(TRC_HVM_SMI, "hvm.smi"),
	BL(TRC_HVM_VMMCALL, "hvm.vmmcall", "eax:32"), B(TRC_HVM_HLT, "hvm.hlt"),
	B(TRC_HVM_INVLPG, "hvm.invlpg"), B(TRC_HVM_MCE, "hvm.mce"), B(TRC_HVM_IOPORT_READ, "hvm.ioport_read"),
	B(TRC_HVM_IOMEM_READ, "hvm.iomem_read"), B(TRC_HVM_CLTS, "hvm.clts"), B(TRC_HVM_LMSW, "hvm.lmsw"),
	B(TRC_HVM_RDTSC, "hvm.rdtsc"), B(TRC_HVM_INTR_WINDOW, "hvm.intr_window"), B(TRC_HVM_NPF, "hvm.npf"),
	B(TRC_HVM_REALMODE_EMULATE, "hvm.realmode_emulate"), B(TRC_HVM_TRAP, "hvm.trap"),
	B(TRC_HVM_TRAP_DEBUG, "hvm.trap_debug"), B(TRC_HVM_VLAPIC, "hvm.vlapic"),
	B(TRC_HVM_PF_XEN64, "hvm.pf_xen64"), B(TRC_HVM_PF_INJECT64, "hvm.pf_inject64"),
	B(TRC_HVM_CR_READ64, "hvm.cr_read64"), B(TRC_HVM_CR_WRITE64, "hvm.cr_write64"),
	B(TRC_HVM_INVLPG64, "hvm.invlpg64"), B(TRC_HVM_LMSW64, "hvm.lmsw64"),
	B(TRC_HVM_XCR_READ64, "hvm.xcr_read64"), B(TRC_HVM_XCR_WRITE64, "hvm.xcr_write64"),
	B(TRC_HVM_IOPORT_WRITE, "hvm.ioport_write"), B(TRC_HVM_IOMEM_WRITE, "hvm.iomem_write"),
	/* The emulated timers and PIC have written these since 4.5; xenalyze reads them from 4.18. */
	B(TRC_HVM_EMUL_HPET_START_TIMER, "hvm.emul_hpet_start_timer"),
	B(TRC_HVM_EMUL_PIT_START_TIMER, "hvm.emul_pit_start_timer"),
	B(TRC_HVM_EMUL_RTC_START_TIMER, "hvm.emul_rtc_start_timer"),
	B(TRC_HVM_EMUL_LAPIC_START_TIMER, "hvm.emul_lapic_start_timer"),
	B(TRC_HVM_EMUL_HPET_STOP_TIMER, "hvm.emul_hpet_stop_timer"),
	B(TRC_HVM_EMUL_PIT_STOP_TIMER, "hvm.emul_pit_stop_timer"),
	B(TRC_HVM_EMUL_RTC_STOP_TIMER, "hvm.emul_rtc_stop_timer"),
	B(TRC_HVM_EMUL_LAPIC_STOP_TIMER, "hvm.emul_lapic_stop_timer"),
	B(TRC_HVM_EMUL_PIT_TIMER_CB, "hvm.emul_pit_timer_cb"),
	B(TRC_HVM_EMUL_LAPIC_TIMER_CB, "hvm.emul_lapic_timer_cb"),
	B(TRC_HVM_EMUL_PIC_INT_OUTPUT, "hvm.emul_pic_int_output"),
	B(TRC_HVM_EMUL_PIC_KICK, "hvm.emul_pic_kick"), B(TRC_HVM_EMUL_PIC_INTACK, "hvm.emul_pic_intack"),
	B(TRC_HVM_EMUL_PIC_POSEDGE, "hvm.emul_pic_posedge"),
	B(TRC_HVM_EMUL_PIC_NEGEDGE, "hvm.emul_pic_negedge"),
	B(TRC_HVM_EMUL_PIC_PEND_IRQ_CALL, "hvm.emul_pic_pend_irq_call"),
	B(TRC_HVM_EMUL_LAPIC_PIC_INTR, "hvm.emul_lapic_pic_intr"),
	/* mem */
	BL(TRC_MEM_PAGE_GRANT_MAP, "mem.grant_map", "dom:32"), BL(TRC_MEM_PAGE_GRANT_UNMAP, "mem.grant_unmap", "dom:32"),
	BL(TRC_MEM_PAGE_GRANT_TRANSFER, "mem.grant_transfer", "dom:32"),
	{ 0x0010f006u, "mem.grant_copy", XT_XEN(4, 20), VNOW, C_HOOKS_GNTCOPY, "dom:32 ops:32 failed:32 bytes:64" },
	{ 0x00088001u, "hvm.hypercall", XT_XEN(4, 20), VNOW, C_HOOKS_HCALL, NULL },
	B(TRC_MEM_SET_P2M_ENTRY, "mem.set_p2m_entry"),
	{ TRC_MEM_DECREASE_RESERVATION, "mem.decrease_reservation", V417, XT_XEN(4, 17), NULL, "gfn:64 d:16 order:16 _:32" },
	{ TRC_MEM_DECREASE_RESERVATION, "mem.decrease_reservation", V418, VNOW, C_MEM_PAD, "gfn:64 d:32 order:32" },
	{ TRC_MEM_POD_POPULATE, "mem.pod_populate", V417, XT_XEN(4, 17), NULL, "gfn:64 mfn:64 d:16 order:16 _:32" },
	{ TRC_MEM_POD_POPULATE, "mem.pod_populate", V418, VNOW, C_MEM_PAD, "gfn:64 mfn:64 d:32 order:32" },
	{ TRC_MEM_POD_ZERO_RECLAIM, "mem.pod_zero_reclaim", V417, XT_XEN(4, 17), NULL, "gfn:64 mfn:64 d:16 order:16 _:32" },
	{ TRC_MEM_POD_ZERO_RECLAIM, "mem.pod_zero_reclaim", V418, VNOW, C_MEM_PAD, "gfn:64 mfn:64 d:32 order:32" },
	{ TRC_MEM_POD_SUPERPAGE_SPLINTER, "mem.pod_superpage_splinter", V417, XT_XEN(4, 17), NULL, "gfn:64 d:16 _:48" },
	{ TRC_MEM_POD_SUPERPAGE_SPLINTER, "mem.pod_superpage_splinter", V418, VNOW, C_MEM_PAD, "gfn:64 d:32 order:32" },
	/* pv */
	BL(TRC_PV_HYPERCALL, "pv.hypercall", "eip:32 eax:32"), B(TRC_PV_TRAP, "pv.trap"),
	B(TRC_PV_PAGE_FAULT, "pv.page_fault"), B(TRC_PV_FORCED_INVALID_OP, "pv.forced_invalid_op"),
	B(TRC_PV_EMULATE_PRIVOP, "pv.emulate_privop"), B(TRC_PV_EMULATE_4GB, "pv.emulate_4gb"),
	/* Lazy FPU went in 4.22: nothing writes this record any more. */
	{ TRC_PV_MATH_STATE_RESTORE, "pv.math_state_restore", V417, V421, NULL, NULL },
	B(TRC_PV_PAGING_FIXUP, "pv.paging_fixup"),
	B(TRC_PV_GDT_LDT_MAPPING_FAULT, "pv.gdt_ldt_mapping_fault"),
	B(TRC_PV_PTWR_EMULATION, "pv.ptwr_emulation"),
	B(TRC_PV_PTWR_EMULATION_PAE, "pv.ptwr_emulation_pae"),
	B(TRC_PV_HYPERCALL_V2, "pv.hypercall_v2"),
	BL(TRC_PV_HYPERCALL + TRC_64_FLAG, "pv.hypercall64", "rip:64 eax:32"), B(TRC_PV_TRAP + TRC_64_FLAG, "pv.trap64"),
	B(TRC_PV_PAGE_FAULT + TRC_64_FLAG, "pv.page_fault64"),
	B(TRC_PV_FORCED_INVALID_OP + TRC_64_FLAG, "pv.forced_invalid_op64"),
	B(TRC_PV_EMULATE_PRIVOP + TRC_64_FLAG, "pv.emulate_privop64"),
	B(TRC_PV_EMULATE_4GB + TRC_64_FLAG, "pv.emulate_4gb64"),
	B(TRC_PV_PAGING_FIXUP + TRC_64_FLAG, "pv.paging_fixup64"),
	B(TRC_PV_GDT_LDT_MAPPING_FAULT + TRC_64_FLAG, "pv.gdt_ldt_mapping_fault64"),
	B(TRC_PV_PTWR_EMULATION + TRC_64_FLAG, "pv.ptwr_emulation64"),
	B(TRC_PV_HYPERCALL_SUBCALL, "pv.hypercall_subcall"),
	/* shadow (the guest's paging levels are folded into bits 8-11 of the id) */
	B(TRC_SHADOW_NOT_SHADOW, "shadow.not_shadow"), B(TRC_SHADOW_FAST_PROPAGATE, "shadow.fast_propagate"),
	B(TRC_SHADOW_FAST_MMIO, "shadow.fast_mmio"), B(TRC_SHADOW_FALSE_FAST_PATH, "shadow.false_fast_path"),
	B(TRC_SHADOW_MMIO, "shadow.mmio"), B(TRC_SHADOW_FIXUP, "shadow.fixup"),
	B(TRC_SHADOW_DOMF_DYING, "shadow.domf_dying"), B(TRC_SHADOW_EMULATE, "shadow.emulate"),
	B(TRC_SHADOW_EMULATE_UNSHADOW_USER, "shadow.emulate_unshadow_user"),
	B(TRC_SHADOW_EMULATE_UNSHADOW_EVTINJ, "shadow.emulate_unshadow_evtinj"),
	B(TRC_SHADOW_EMULATE_UNSHADOW_UNHANDLED, "shadow.emulate_unshadow_unhandled"),
	B(TRC_SHADOW_WRMAP_BF, "shadow.wrmap_bf"), B(TRC_SHADOW_PREALLOC_UNPIN, "shadow.prealloc_unpin"),
	B(TRC_SHADOW_RESYNC_FULL, "shadow.resync_full"), B(TRC_SHADOW_RESYNC_ONLY, "shadow.resync_only"),
	/* hw */
	B(TRC_PM_FREQ_CHANGE, "hw.pm_freq_change"), B(TRC_PM_IDLE_ENTRY, "hw.pm_idle_entry"),
	B(TRC_PM_IDLE_EXIT, "hw.pm_idle_exit"),
	B(TRC_HW_IRQ_MOVE_CLEANUP_DELAY, "hw.irq_move_cleanup_delay"),
	B(TRC_HW_IRQ_MOVE_CLEANUP, "hw.irq_move_cleanup"), B(TRC_HW_IRQ_BIND_VECTOR, "hw.irq_bind_vector"),
	B(TRC_HW_IRQ_CLEAR_VECTOR, "hw.irq_clear_vector"), B(TRC_HW_IRQ_MOVE_FINISH, "hw.irq_move_finish"),
	B(TRC_HW_IRQ_ASSIGN_VECTOR, "hw.irq_assign_vector"),
	B(TRC_HW_IRQ_UNMAPPED_VECTOR, "hw.irq_unmapped_vector"), B(TRC_HW_IRQ_HANDLED, "hw.irq_handled"),
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

/* Runstate changes carry the old and new states in bits 4-11 of the id. */
static uint32_t canonical(uint32_t event)
{
	return (event & ~0xff0u) == TRC_SCHED_RUNSTATE_CHANGE ? TRC_SCHED_RUNSTATE_CHANGE : event;
}

const struct xt_format *xt_format_find(uint32_t event, unsigned xen, int *ambiguous)
{
	const struct xt_format *first = NULL;
	int n = 0;

	event = canonical(event);
	if (ambiguous)
		*ambiguous = 0;
	for (size_t i = 0; i < NFORMATS; i++) {
		const struct xt_format *f = &formats[i];
		if (f->id != event)
			continue;
		if (xen && xen >= f->from && xen <= f->to)
			return f;
		if (!first)
			first = f;
		n++;
	}
	/* Unknown version (or one outside every range): the oldest form, flagged when the
	 * forms differ in layout. */
	if (ambiguous && n > 1 && !xen)
		for (size_t i = 0; i < NFORMATS; i++)
			if (formats[i].id == event && &formats[i] != first &&
			    (!formats[i].layout || !first->layout || strcmp(formats[i].layout, first->layout)))
				*ambiguous = 1;
	return first;
}

const char *hvb_xt_event_name(uint32_t event)
{
	const struct xt_format *f = xt_format_find(event, 0, NULL);
	return f ? f->name : NULL;
}

const char *hvb_xt_event_name_v(uint32_t event, unsigned xen)
{
	const struct xt_format *f = xt_format_find(event, xen, NULL);
	return f ? f->name : NULL;
}

int hvb_xt_xen_version_parse(const char *s, unsigned *out)
{
	unsigned maj, min;
	int n = 0;

	*out = 0;
	if (!s || !*s)
		return 0;
	if (sscanf(s, "%u.%u%n", &maj, &min, &n) != 2 || maj > 255 || min > 255 ||
	    (s[n] && s[n] != '.' && s[n] != '-' && s[n] != '+'))
		return HVB_EINVAL;
	*out = XT_XEN(maj, min);
	return 0;
}

const struct xt_format *xt_format_at(size_t i)
{
	return i < NFORMATS ? &formats[i] : NULL;
}

int xt_layout_field(const char *layout, const uint32_t *d, unsigned nwords, const char *name, uint64_t *out)
{
	unsigned bit = 0;

	for (const char *p = layout; p && *p;) {
		const char *colon = strchr(p, ':'), *end;
		unsigned bits;
		if (!colon)
			break;
		bits = (unsigned)strtoul(colon + 1, (char **)&end, 10);
		if ((size_t)(colon - p) == strlen(name) && !strncmp(p, name, (size_t)(colon - p))) {
			uint64_t v = 0;
			if (bits == 0 || bits > 64 || bit + bits > 32 * nwords)
				return 0;
			for (unsigned k = 0; k < bits; k++) {
				unsigned b = bit + k;
				v |= (uint64_t)((d[b / 32] >> (b % 32)) & 1u) << k;
			}
			*out = v;
			return 1;
		}
		bit += bits;
		p = *end ? end + 1 : end;
	}
	return 0;
}
