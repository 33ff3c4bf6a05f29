/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* Names: trace classes (event ids and their names are in formats.c), hypercalls (<xen/xen.h>),
 * runstates (<xen/vcpu.h>) and VM exit reasons (AMD APM vol. 2 appendix C for SVM,
 * Intel SDM vol. 3 appendix C for VMX). */
#include "config.h"
#include <stdlib.h>
#include "probes/xentrace/xt-format.h"
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
