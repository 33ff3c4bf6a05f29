/* Names: trace classes, event ids (Xen's <xen/trace.h>), hypercalls (<xen/xen.h>),
 * runstates (<xen/vcpu.h>) and VM exit reasons (AMD APM vol. 2 appendix C for SVM,
 * Intel SDM vol. 3 appendix C for VMX). */
#include "config.h"
#include <stdlib.h>
#include "probes/xentrace/xt-trace.h"
#include "probes/xentrace/xentrace.h"

static const char *const class_names[HVB_XT_NCLASS] = {
	[HVB_XT_GEN] = "gen", [HVB_XT_SCHED] = "sched", [HVB_XT_DOM0OP] = "dom0op",
	[HVB_XT_HVM] = "hvm", [HVB_XT_MEM] = "mem", [HVB_XT_PV] = "pv", [HVB_XT_SHADOW] = "shadow",
	[HVB_XT_HW] = "hw", [HVB_XT_GUEST] = "guest", [HVB_XT_OTHER] = "other",
};

const char *hvb_xt_class_name(enum hvb_xt_class c)
{
	return (unsigned)c < HVB_XT_NCLASS ? class_names[c] : "other";
}

enum hvb_xt_class hvb_xt_event_class(uint32_t event)
{
	/* One bit of bits 16-27 names the class; xenalyze rejects anything else the same way. */
	switch ((event >> TRC_CLS_SHIFT) & 0xfff) {
	case 0x001: return HVB_XT_GEN;
	case 0x002: return HVB_XT_SCHED;
	case 0x004: return HVB_XT_DOM0OP;
	case 0x008: return HVB_XT_HVM;
	case 0x010: return HVB_XT_MEM;
	case 0x020: return HVB_XT_PV;
	case 0x040: return HVB_XT_SHADOW;
	case 0x080: return HVB_XT_HW;
	case 0x800: return HVB_XT_GUEST;
	}
	return HVB_XT_OTHER;
}

struct ev_name { uint32_t id; const char *name; };
#define E(id, n) { id, n }
/* Sorted by id for the binary search. */
static const struct ev_name events[] = {
	E(TRC_LOST_RECORDS, "gen.lost_records"), E(TRC_TRACE_WRAP_BUFFER, "gen.wrap_buffer"),
	E(TRC_TRACE_CPU_CHANGE, "gen.cpu_change"),
	E(TRC_SCHED_RUNSTATE_CHANGE, "sched.runstate_change"),
	E(TRC_SCHED_CONTINUE_RUNNING, "sched.continue_running"),
	E(TRC_SCHED_DOM_ADD, "sched.dom_add"), E(TRC_SCHED_DOM_REM, "sched.dom_rem"),
	E(TRC_SCHED_SLEEP, "sched.sleep"), E(TRC_SCHED_WAKE, "sched.wake"),
	E(TRC_SCHED_YIELD, "sched.yield"), E(TRC_SCHED_BLOCK, "sched.block"),
	E(TRC_SCHED_SHUTDOWN, "sched.shutdown"), E(TRC_SCHED_CTL, "sched.ctl"),
	E(TRC_SCHED_ADJDOM, "sched.adjdom"), E(TRC_SCHED_SWITCH, "sched.switch"),
	E(TRC_SCHED_S_TIMER_FN, "sched.s_timer_fn"), E(TRC_SCHED_T_TIMER_FN, "sched.t_timer_fn"),
	E(TRC_SCHED_DOM_TIMER_FN, "sched.dom_timer_fn"),
	E(TRC_SCHED_SWITCH_INFPREV, "sched.switch_infprev"),
	E(TRC_SCHED_SWITCH_INFNEXT, "sched.switch_infnext"),
	E(TRC_SCHED_SHUTDOWN_CODE, "sched.shutdown_code"),
	E(TRC_SCHED_SWITCH_INFCONT, "sched.switch_infcont"),
	E(TRC_DOM0_DOM_ADD, "dom0op.dom_add"), E(TRC_DOM0_DOM_REM, "dom0op.dom_rem"),
	E(TRC_HVM_VMENTRY, "hvm.vmentry"), E(TRC_HVM_VMEXIT, "hvm.vmexit"),
	E(TRC_HVM_VMEXIT64, "hvm.vmexit64"),
	E(TRC_HVM_PF_XEN, "hvm.pf_xen"), E(TRC_HVM_PF_INJECT, "hvm.pf_inject"),
	E(TRC_HVM_INJ_EXC, "hvm.inj_exc"), E(TRC_HVM_INJ_VIRQ, "hvm.inj_virq"),
	E(TRC_HVM_REINJ_VIRQ, "hvm.reinj_virq"), E(TRC_HVM_IO_READ, "hvm.io_read"),
	E(TRC_HVM_IO_WRITE, "hvm.io_write"), E(TRC_HVM_CR_READ, "hvm.cr_read"),
	E(TRC_HVM_CR_WRITE, "hvm.cr_write"), E(TRC_HVM_DR_READ, "hvm.dr_read"),
	E(TRC_HVM_DR_WRITE, "hvm.dr_write"), E(TRC_HVM_MSR_READ, "hvm.msr_read"),
	E(TRC_HVM_MSR_WRITE, "hvm.msr_write"), E(TRC_HVM_CPUID, "hvm.cpuid"),
	E(TRC_HVM_INTR, "hvm.intr"), E(TRC_HVM_NMI, "hvm.nmi"), E(TRC_HVM_SMI, "hvm.smi"),
	E(TRC_HVM_VMMCALL, "hvm.vmmcall"), E(TRC_HVM_HLT, "hvm.hlt"), E(TRC_HVM_INVLPG, "hvm.invlpg"),
	E(TRC_HVM_MCE, "hvm.mce"), E(TRC_HVM_IOPORT_READ, "hvm.ioport_read"),
	E(TRC_HVM_IOMEM_READ, "hvm.iomem_read"), E(TRC_HVM_CLTS, "hvm.clts"),
	E(TRC_HVM_LMSW, "hvm.lmsw"), E(TRC_HVM_RDTSC, "hvm.rdtsc"),
	E(TRC_HVM_INTR_WINDOW, "hvm.intr_window"), E(TRC_HVM_NPF, "hvm.npf"),
	E(TRC_HVM_REALMODE_EMULATE, "hvm.realmode_emulate"), E(TRC_HVM_TRAP, "hvm.trap"),
	E(TRC_HVM_TRAP_DEBUG, "hvm.trap_debug"), E(TRC_HVM_VLAPIC, "hvm.vlapic"),
	E(TRC_HVM_PF_XEN64, "hvm.pf_xen64"), E(TRC_HVM_PF_INJECT64, "hvm.pf_inject64"),
	E(TRC_HVM_CR_READ64, "hvm.cr_read64"), E(TRC_HVM_CR_WRITE64, "hvm.cr_write64"),
	E(TRC_HVM_INVLPG64, "hvm.invlpg64"), E(TRC_HVM_LMSW64, "hvm.lmsw64"),
	E(TRC_HVM_XCR_READ64, "hvm.xcr_read64"), E(TRC_HVM_XCR_WRITE64, "hvm.xcr_write64"),
	E(TRC_HVM_IOPORT_WRITE, "hvm.ioport_write"), E(TRC_HVM_IOMEM_WRITE, "hvm.iomem_write"),
	E(TRC_HVM_EMUL_HPET_START_TIMER, "hvm.emul_hpet_start_timer"),
	E(TRC_HVM_EMUL_PIT_START_TIMER, "hvm.emul_pit_start_timer"),
	E(TRC_HVM_EMUL_RTC_START_TIMER, "hvm.emul_rtc_start_timer"),
	E(TRC_HVM_EMUL_LAPIC_START_TIMER, "hvm.emul_lapic_start_timer"),
	E(TRC_HVM_EMUL_HPET_STOP_TIMER, "hvm.emul_hpet_stop_timer"),
	E(TRC_HVM_EMUL_PIT_STOP_TIMER, "hvm.emul_pit_stop_timer"),
	E(TRC_HVM_EMUL_RTC_STOP_TIMER, "hvm.emul_rtc_stop_timer"),
	E(TRC_HVM_EMUL_LAPIC_STOP_TIMER, "hvm.emul_lapic_stop_timer"),
	E(TRC_HVM_EMUL_PIT_TIMER_CB, "hvm.emul_pit_timer_cb"),
	E(TRC_HVM_EMUL_LAPIC_TIMER_CB, "hvm.emul_lapic_timer_cb"),
	E(TRC_HVM_EMUL_PIC_INT_OUTPUT, "hvm.emul_pic_int_output"),
	E(TRC_HVM_EMUL_PIC_KICK, "hvm.emul_pic_kick"), E(TRC_HVM_EMUL_PIC_INTACK, "hvm.emul_pic_intack"),
	E(TRC_HVM_EMUL_PIC_POSEDGE, "hvm.emul_pic_posedge"),
	E(TRC_HVM_EMUL_PIC_NEGEDGE, "hvm.emul_pic_negedge"),
	E(TRC_HVM_EMUL_PIC_PEND_IRQ_CALL, "hvm.emul_pic_pend_irq_call"),
	E(TRC_HVM_EMUL_LAPIC_PIC_INTR, "hvm.emul_lapic_pic_intr"),
	E(TRC_MEM_PAGE_GRANT_MAP, "mem.grant_map"), E(TRC_MEM_PAGE_GRANT_UNMAP, "mem.grant_unmap"),
	E(TRC_MEM_PAGE_GRANT_TRANSFER, "mem.grant_transfer"),
	E(TRC_MEM_SET_P2M_ENTRY, "mem.set_p2m_entry"),
	E(TRC_MEM_DECREASE_RESERVATION, "mem.decrease_reservation"),
	E(TRC_MEM_POD_POPULATE, "mem.pod_populate"), E(TRC_MEM_POD_ZERO_RECLAIM, "mem.pod_zero_reclaim"),
	E(TRC_MEM_POD_SUPERPAGE_SPLINTER, "mem.pod_superpage_splinter"),
	E(TRC_PV_HYPERCALL, "pv.hypercall"), E(TRC_PV_TRAP, "pv.trap"),
	E(TRC_PV_PAGE_FAULT, "pv.page_fault"), E(TRC_PV_FORCED_INVALID_OP, "pv.forced_invalid_op"),
	E(TRC_PV_EMULATE_PRIVOP, "pv.emulate_privop"), E(TRC_PV_EMULATE_4GB, "pv.emulate_4gb"),
	E(TRC_PV_MATH_STATE_RESTORE, "pv.math_state_restore"),
	E(TRC_PV_PAGING_FIXUP, "pv.paging_fixup"),
	E(TRC_PV_GDT_LDT_MAPPING_FAULT, "pv.gdt_ldt_mapping_fault"),
	E(TRC_PV_PTWR_EMULATION, "pv.ptwr_emulation"),
	E(TRC_PV_PTWR_EMULATION_PAE, "pv.ptwr_emulation_pae"),
	E(TRC_PV_HYPERCALL_V2, "pv.hypercall_v2"),
	E(TRC_PV_HYPERCALL + TRC_64_FLAG, "pv.hypercall64"), E(TRC_PV_TRAP + TRC_64_FLAG, "pv.trap64"),
	E(TRC_PV_PAGE_FAULT + TRC_64_FLAG, "pv.page_fault64"),
	E(TRC_PV_FORCED_INVALID_OP + TRC_64_FLAG, "pv.forced_invalid_op64"),
	E(TRC_PV_EMULATE_PRIVOP + TRC_64_FLAG, "pv.emulate_privop64"),
	E(TRC_PV_EMULATE_4GB + TRC_64_FLAG, "pv.emulate_4gb64"),
	E(TRC_PV_PAGING_FIXUP + TRC_64_FLAG, "pv.paging_fixup64"),
	E(TRC_PV_GDT_LDT_MAPPING_FAULT + TRC_64_FLAG, "pv.gdt_ldt_mapping_fault64"),
	E(TRC_PV_PTWR_EMULATION + TRC_64_FLAG, "pv.ptwr_emulation64"),
	E(TRC_PV_HYPERCALL_SUBCALL, "pv.hypercall_subcall"),
	E(TRC_SHADOW_NOT_SHADOW, "shadow.not_shadow"), E(TRC_SHADOW_FAST_PROPAGATE, "shadow.fast_propagate"),
	E(TRC_SHADOW_FAST_MMIO, "shadow.fast_mmio"), E(TRC_SHADOW_FALSE_FAST_PATH, "shadow.false_fast_path"),
	E(TRC_SHADOW_MMIO, "shadow.mmio"), E(TRC_SHADOW_FIXUP, "shadow.fixup"),
	E(TRC_SHADOW_DOMF_DYING, "shadow.domf_dying"), E(TRC_SHADOW_EMULATE, "shadow.emulate"),
	E(TRC_SHADOW_EMULATE_UNSHADOW_USER, "shadow.emulate_unshadow_user"),
	E(TRC_SHADOW_EMULATE_UNSHADOW_EVTINJ, "shadow.emulate_unshadow_evtinj"),
	E(TRC_SHADOW_EMULATE_UNSHADOW_UNHANDLED, "shadow.emulate_unshadow_unhandled"),
	E(TRC_SHADOW_WRMAP_BF, "shadow.wrmap_bf"), E(TRC_SHADOW_PREALLOC_UNPIN, "shadow.prealloc_unpin"),
	E(TRC_SHADOW_RESYNC_FULL, "shadow.resync_full"), E(TRC_SHADOW_RESYNC_ONLY, "shadow.resync_only"),
	E(TRC_PM_FREQ_CHANGE, "hw.pm_freq_change"), E(TRC_PM_IDLE_ENTRY, "hw.pm_idle_entry"),
	E(TRC_PM_IDLE_EXIT, "hw.pm_idle_exit"),
	E(TRC_HW_IRQ_MOVE_CLEANUP_DELAY, "hw.irq_move_cleanup_delay"),
	E(TRC_HW_IRQ_MOVE_CLEANUP, "hw.irq_move_cleanup"), E(TRC_HW_IRQ_BIND_VECTOR, "hw.irq_bind_vector"),
	E(TRC_HW_IRQ_CLEAR_VECTOR, "hw.irq_clear_vector"), E(TRC_HW_IRQ_MOVE_FINISH, "hw.irq_move_finish"),
	E(TRC_HW_IRQ_ASSIGN_VECTOR, "hw.irq_assign_vector"),
	E(TRC_HW_IRQ_UNMAPPED_VECTOR, "hw.irq_unmapped_vector"), E(TRC_HW_IRQ_HANDLED, "hw.irq_handled"),
};

static int ev_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct ev_name *)a)->id, y = ((const struct ev_name *)b)->id;
	return x < y ? -1 : x > y;
}

const char *hvb_xt_event_name(uint32_t event)
{
	static int sorted;
	static struct ev_name table[sizeof(events) / sizeof(events[0])];
	struct ev_name key = { event, NULL }, *hit;

	/* Runstate changes carry the old and new states in bits 4-11. */
	if ((event & ~0xff0u) == TRC_SCHED_RUNSTATE_CHANGE)
		event = TRC_SCHED_RUNSTATE_CHANGE;
	key.id = event;
	if (!sorted) { /* the table reads better grouped by class than sorted by hand */
		for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
			table[i] = events[i];
		qsort(table, sizeof(table) / sizeof(table[0]), sizeof(table[0]), ev_cmp);
		sorted = 1;
	}
	hit = bsearch(&key, table, sizeof(table) / sizeof(table[0]), sizeof(table[0]), ev_cmp);
	return hit ? hit->name : NULL;
}

/* Hypercall numbers as in Xen's public <xen/xen.h> (27 is xsm_op, xenalyze's "acm_op"). */
static const char *const hypercalls[] = {
	"set_trap_table", "mmu_update", "set_gdt", "stack_switch", "set_callbacks",
	"fpu_taskswitch", "sched_op_compat", "platform_op", "set_debugreg", "get_debugreg",
	"update_descriptor", NULL, "memory_op", "multicall", "update_va_mapping", "set_timer_op",
	"event_channel_op_compat", "xen_version", "console_io", "physdev_op_compat",
	"grant_table_op", "vm_assist", "update_va_mapping_otherdomain", "iret", "vcpu_op",
	"set_segment_base", "mmuext_op", "xsm_op", "nmi_op", "sched_op", "callback_op",
	"xenoprof_op", "event_channel_op", "physdev_op", "hvm_op", "sysctl", "domctl",
	"kexec_op", "tmem_op", "argo_op", "xenpmu_op", "dm_op", "hypfs_op", NULL, NULL, NULL,
	NULL, NULL, "arch_0", "arch_1", "arch_2", "arch_3", "arch_4", "arch_5", "arch_6", "arch_7",
};

const char *hvb_xt_hypercall_name(uint32_t nr)
{
	return nr < sizeof(hypercalls) / sizeof(hypercalls[0]) ? hypercalls[nr] : NULL;
}

const char *hvb_xt_runstate_name(unsigned state)
{
	static const char *const n[] = { "running", "runnable", "blocked", "offline" };
	return state < 4 ? n[state] : "unknown";
}

static const char *const exc_names[32] = {
	"de", "db", "nmi", "bp", "of", "br", "ud", "nm", "df", "09", "ts", "np", "ss", "gp", "pf",
	"15", "mf", "ac", "mc", "xf", "ve", "cp", "22", "23", "24", "25", "26", "27", "hv", "vc",
	"sx", "31",
};

static const char *const svm_0x60[] = { /* 0x60 onwards */
	"intr", "nmi", "smi", "init", "vintr", "cr0_sel_write", "idtr_read", "gdtr_read",
	"ldtr_read", "tr_read", "idtr_write", "gdtr_write", "ldtr_write", "tr_write", "rdtsc",
	"rdpmc", "pushf", "popf", "cpuid", "rsm", "iret", "swint", "invd", "pause", "hlt",
	"invlpg", "invlpga", "ioio", "msr", "task_switch", "ferr_freeze", "shutdown", "vmrun",
	"vmmcall", "vmload", "vmsave", "stgi", "clgi", "skinit", "rdtscp", "icebp", "wbinvd",
	"monitor", "mwait", "mwait_conditional", "xsetbv", "rdpru", "efer_write_trap",
};

static const char *const vmx_names[] = {
	"exception_nmi", "external_interrupt", "triple_fault", "init", "sipi", "io_smi",
	"other_smi", "interrupt_window", "nmi_window", "task_switch", "cpuid", "getsec", "hlt",
	"invd", "invlpg", "rdpmc", "rdtsc", "rsm", "vmcall", "vmclear", "vmlaunch", "vmptrld",
	"vmptrst", "vmread", "vmresume", "vmwrite", "vmxoff", "vmxon", "cr_access", "dr_access",
	"io_instruction", "msr_read", "msr_write", "invalid_guest_state", "msr_loading", NULL,
	"mwait", "monitor_trap_flag", NULL, "monitor", "pause", "mce_during_entry", NULL,
	"tpr_below_threshold", "apic_access", "virtualized_eoi", "gdtr_idtr", "ldtr_tr",
	"ept_violation", "ept_misconfig", "invept", "rdtscp", "preemption_timer", "invvpid",
	"wbinvd", "xsetbv", "apic_write", "rdrand", "invpcid", "vmfunc", "encls", "rdseed",
	"pml_full", "xsaves", "xrstors", NULL, "spp", "umwait", "tpause", "loadiwkey", NULL, NULL,
	NULL, NULL, "bus_lock", "notify",
};

const char *hvb_xt_exit_name(enum hvb_xt_vendor v, uint32_t reason)
{
	static __thread char buf[24];

	if (v == HVB_XT_VENDOR_VMX) {
		reason &= 0xffff; /* bits 16-31 are flags (entry failure, enclave) */
		return reason < sizeof(vmx_names) / sizeof(vmx_names[0]) ? vmx_names[reason] : NULL;
	}
	if (reason < 0x40) {
		static const char *const kind[] = { "read", "write" };
		snprintf(buf, sizeof(buf), "%s%u_%s", reason < 0x20 ? "cr" : "dr", reason & 0xf,
			 kind[(reason >> 4) & 1]);
		return buf;
	}
	if (reason < 0x60) {
		snprintf(buf, sizeof(buf), "exception_%s", exc_names[reason - 0x40]);
		return buf;
	}
	if (reason < 0x60 + sizeof(svm_0x60) / sizeof(svm_0x60[0]))
		return svm_0x60[reason - 0x60];
	if (reason >= 0x90 && reason < 0xa0) {
		snprintf(buf, sizeof(buf), "cr%u_write_trap", reason & 0xf);
		return buf;
	}
	switch (reason) {
	case 0xa0: return "invlpgb";
	case 0xa1: return "invlpgb_illegal";
	case 0xa2: return "invpcid";
	case 0xa3: return "mcommit";
	case 0xa4: return "tlbsync";
	case 0x400: return "npf";
	case 0x401: return "avic_incomplete_ipi";
	case 0x402: return "avic_noaccel";
	case 0x403: return "vmgexit";
	case 0xffffffffu: return "invalid";
	}
	return NULL;
}
