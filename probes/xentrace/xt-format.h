/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xentrace record ids and the record header, written out by hand so that the decoder
 * depends on no Xen header: one hvbench binary reads traces of every Xen version in
 * formats.c (4.17 to 4.22), whatever <xen/trace.h> the build machine has (4.19 dropped
 * TRC_HVM_VMEXIT from it).  The ids are Xen's stable trace ABI; the names are Xen's.
 * Do not include <xen/trace.h> beside this file. */
#ifndef HVB_XT_FORMAT_H
#define HVB_XT_FORMAT_H
#include <stdint.h>

/* The 32-bit record header: event id, extra word count, TSC present. */
#define TRACE_EXTRA_MAX 7u
#define TRACE_EXTRA_SHIFT 28
#define TRC_HD_TO_EVENT(x) ((x) & 0x0fffffffu)
#define TRC_HD_CYCLE_FLAG 0x80000000u
#define TRC_HD_INCLUDES_CYCLE_COUNT(x) (((x) & TRC_HD_CYCLE_FLAG) != 0)
#define TRC_HD_EXTRA(x) (((x) >> TRACE_EXTRA_SHIFT) & TRACE_EXTRA_MAX)

#define TRC_ALL                                  0x0ffff000u
#define TRC_64_FLAG                              0x00000100u
#define TRC_CLS_SHIFT                            16
#define TRC_DOM0OP                               0x0004f000u
#define TRC_DOM0_DOM_ADD                         0x00041001u
#define TRC_DOM0_DOM_REM                         0x00041002u
#define TRC_GEN                                  0x0001f000u
#define TRC_GUEST                                0x0800f000u
#define TRC_HVM                                  0x0008f000u
#define TRC_HVM_CLTS                             0x00082018u
#define TRC_HVM_CPUID                            0x0008200eu
#define TRC_HVM_CR_READ                          0x00082008u
#define TRC_HVM_CR_READ64                        0x00082108u
#define TRC_HVM_CR_WRITE                         0x00082009u
#define TRC_HVM_CR_WRITE64                       0x00082109u
#define TRC_HVM_DR_READ                          0x0008200au
#define TRC_HVM_DR_WRITE                         0x0008200bu
#define TRC_HVM_EMUL_HPET_START_TIMER            0x00084001u
#define TRC_HVM_EMUL_HPET_STOP_TIMER             0x00084005u
#define TRC_HVM_EMUL_LAPIC_PIC_INTR              0x00084011u
#define TRC_HVM_EMUL_LAPIC_START_TIMER           0x00084004u
#define TRC_HVM_EMUL_LAPIC_STOP_TIMER            0x00084008u
#define TRC_HVM_EMUL_LAPIC_TIMER_CB              0x0008400au
#define TRC_HVM_EMUL_PIC_INTACK                  0x0008400du
#define TRC_HVM_EMUL_PIC_INT_OUTPUT              0x0008400bu
#define TRC_HVM_EMUL_PIC_KICK                    0x0008400cu
#define TRC_HVM_EMUL_PIC_NEGEDGE                 0x0008400fu
#define TRC_HVM_EMUL_PIC_PEND_IRQ_CALL           0x00084010u
#define TRC_HVM_EMUL_PIC_POSEDGE                 0x0008400eu
#define TRC_HVM_EMUL_PIT_START_TIMER             0x00084002u
#define TRC_HVM_EMUL_PIT_STOP_TIMER              0x00084006u
#define TRC_HVM_EMUL_PIT_TIMER_CB                0x00084009u
#define TRC_HVM_EMUL_RTC_START_TIMER             0x00084003u
#define TRC_HVM_EMUL_RTC_STOP_TIMER              0x00084007u
#define TRC_HVM_HLT                              0x00082013u
#define TRC_HVM_INJ_EXC                          0x00082003u
#define TRC_HVM_INJ_VIRQ                         0x00082004u
#define TRC_HVM_INTR                             0x0008200fu
#define TRC_HVM_INTR_WINDOW                      0x00082020u
#define TRC_HVM_INVLPG                           0x00082014u
#define TRC_HVM_INVLPG64                         0x00082114u
#define TRC_HVM_IOMEM_READ                       0x00082017u
#define TRC_HVM_IOMEM_WRITE                      0x00082217u
#define TRC_HVM_IOPORT_READ                      0x00082016u
#define TRC_HVM_IOPORT_WRITE                     0x00082216u
#define TRC_HVM_IO_READ                          0x00082006u
#define TRC_HVM_IO_WRITE                         0x00082007u
#define TRC_HVM_LMSW                             0x00082019u
#define TRC_HVM_LMSW64                           0x00082119u
#define TRC_HVM_MCE                              0x00082015u
#define TRC_HVM_MSR_READ                         0x0008200cu
#define TRC_HVM_MSR_WRITE                        0x0008200du
#define TRC_HVM_NESTEDFLAG                       0x00000400u
#define TRC_HVM_NMI                              0x00082010u
#define TRC_HVM_NPF                              0x00082021u
#define TRC_HVM_PF_INJECT                        0x00082002u
#define TRC_HVM_PF_INJECT64                      0x00082102u
#define TRC_HVM_PF_XEN                           0x00082001u
#define TRC_HVM_PF_XEN64                         0x00082101u
#define TRC_HVM_RDTSC                            0x0008201au
#define TRC_HVM_REALMODE_EMULATE                 0x00082022u
#define TRC_HVM_REINJ_VIRQ                       0x00082005u
#define TRC_HVM_SMI                              0x00082011u
#define TRC_HVM_TRAP                             0x00082023u
#define TRC_HVM_TRAP_DEBUG                       0x00082024u
#define TRC_HVM_VLAPIC                           0x00082025u
#define TRC_HVM_VMENTRY                          0x00081001u
#define TRC_HVM_VMMCALL                          0x00082012u
#define TRC_HVM_XCR_READ64                       0x00082126u
#define TRC_HVM_XCR_WRITE64                      0x00082127u
#define TRC_HW                                   0x0080f000u
#define TRC_HW_IRQ_ASSIGN_VECTOR                 0x00802006u
#define TRC_HW_IRQ_BIND_VECTOR                   0x00802003u
#define TRC_HW_IRQ_CLEAR_VECTOR                  0x00802004u
#define TRC_HW_IRQ_HANDLED                       0x00802008u
#define TRC_HW_IRQ_MOVE_CLEANUP                  0x00802002u
#define TRC_HW_IRQ_MOVE_CLEANUP_DELAY            0x00802001u
#define TRC_HW_IRQ_MOVE_FINISH                   0x00802005u
#define TRC_HW_IRQ_UNMAPPED_VECTOR               0x00802007u
#define TRC_LOST_RECORDS                         0x0001f001u
#define TRC_MEM                                  0x0010f000u
#define TRC_MEM_DECREASE_RESERVATION             0x0010f005u
#define TRC_MEM_PAGE_GRANT_MAP                   0x0010f001u
#define TRC_MEM_PAGE_GRANT_TRANSFER              0x0010f003u
#define TRC_MEM_PAGE_GRANT_UNMAP                 0x0010f002u
#define TRC_MEM_POD_POPULATE                     0x0010f010u
#define TRC_MEM_POD_SUPERPAGE_SPLINTER           0x0010f012u
#define TRC_MEM_POD_ZERO_RECLAIM                 0x0010f011u
#define TRC_MEM_SET_P2M_ENTRY                    0x0010f004u
#define TRC_PM_FREQ_CHANGE                       0x00801001u
#define TRC_PM_IDLE_ENTRY                        0x00801002u
#define TRC_PM_IDLE_EXIT                         0x00801003u
#define TRC_PV                                   0x0020f000u
#define TRC_PV_EMULATE_4GB                       0x00201007u
#define TRC_PV_EMULATE_PRIVOP                    0x00201006u
#define TRC_PV_ENTRY                             0x00201000u
#define TRC_PV_FORCED_INVALID_OP                 0x00201005u
#define TRC_PV_GDT_LDT_MAPPING_FAULT             0x0020100au
#define TRC_PV_HYPERCALL                         0x00201001u
#define TRC_PV_HYPERCALL_SUBCALL                 0x0020200eu
#define TRC_PV_HYPERCALL_V2                      0x0020100du
#define TRC_PV_HYPERCALL_V2_ARG_MASK             0xfff00000u
#define TRC_PV_MATH_STATE_RESTORE                0x00201008u
#define TRC_PV_PAGE_FAULT                        0x00201004u
#define TRC_PV_PAGING_FIXUP                      0x00201009u
#define TRC_PV_PTWR_EMULATION                    0x0020100bu
#define TRC_PV_PTWR_EMULATION_PAE                0x0020100cu
#define TRC_PV_TRAP                              0x00201003u
#define TRC_SCHED                                0x0002f000u
#define TRC_SCHED_ADJDOM                         0x00028009u
#define TRC_SCHED_BLOCK                          0x00028006u
#define TRC_SCHED_CLASS                          0x00022000u
#define TRC_SCHED_CONTINUE_RUNNING               0x00021002u
#define TRC_SCHED_CTL                            0x00028008u
#define TRC_SCHED_DOM_ADD                        0x00028001u
#define TRC_SCHED_DOM_REM                        0x00028002u
#define TRC_SCHED_DOM_TIMER_FN                   0x0002800du
#define TRC_SCHED_RUNSTATE_CHANGE                0x00021001u
#define TRC_SCHED_SHUTDOWN                       0x00028007u
#define TRC_SCHED_SHUTDOWN_CODE                  0x00028010u
#define TRC_SCHED_SLEEP                          0x00028003u
#define TRC_SCHED_SWITCH                         0x0002800au
#define TRC_SCHED_SWITCH_INFCONT                 0x00028011u
#define TRC_SCHED_SWITCH_INFNEXT                 0x0002800fu
#define TRC_SCHED_SWITCH_INFPREV                 0x0002800eu
#define TRC_SCHED_S_TIMER_FN                     0x0002800bu
#define TRC_SCHED_T_TIMER_FN                     0x0002800cu
#define TRC_SCHED_WAKE                           0x00028004u
#define TRC_SCHED_YIELD                          0x00028005u
#define TRC_SHADOW                               0x0040f000u
#define TRC_SHADOW_DOMF_DYING                    0x0040f007u
#define TRC_SHADOW_EMULATE                       0x0040f008u
#define TRC_SHADOW_EMULATE_UNSHADOW_EVTINJ       0x0040f00au
#define TRC_SHADOW_EMULATE_UNSHADOW_UNHANDLED    0x0040f00bu
#define TRC_SHADOW_EMULATE_UNSHADOW_USER         0x0040f009u
#define TRC_SHADOW_FALSE_FAST_PATH               0x0040f004u
#define TRC_SHADOW_FAST_MMIO                     0x0040f003u
#define TRC_SHADOW_FAST_PROPAGATE                0x0040f002u
#define TRC_SHADOW_FIXUP                         0x0040f006u
#define TRC_SHADOW_MMIO                          0x0040f005u
#define TRC_SHADOW_NOT_SHADOW                    0x0040f001u
#define TRC_SHADOW_PREALLOC_UNPIN                0x0040f00du
#define TRC_SHADOW_RESYNC_FULL                   0x0040f00eu
#define TRC_SHADOW_RESYNC_ONLY                   0x0040f00fu
#define TRC_SHADOW_WRMAP_BF                      0x0040f00cu
#define TRC_TRACE_CPU_CHANGE                     0x0001f003u
#define TRC_TRACE_WRAP_BUFFER                    0x0001f002u
#define TRC_HVM_VMX_EXIT                         0x00081002u
#define TRC_HVM_VMX_EXIT64                       0x00081102u
#define TRC_HVM_SVM_EXIT                         0x00081003u
#define TRC_HVM_SVM_EXIT64                       0x00081103u
/* hvbench's hooks series (hv/xen/patches): 0001 grant copy batches, 0002 the arguments of
 * HVM and PVH hypercalls (a new HVM sub-class, the layout of TRC_PV_HYPERCALL_V2). */
#define TRC_MEM_PAGE_GRANT_COPY                  0x0010f006u
#define TRC_HVM_HYPERCALL                        0x00088001u
/* Xen 4.17 and 4.18 name both vendors' exit records TRC_HVM_VMEXIT[64]; 4.19 renamed
 * them TRC_HVM_VMX_EXIT[64] and gave SVM its own ids (formats.c). */
#define TRC_HVM_VMEXIT TRC_HVM_VMX_EXIT
#define TRC_HVM_VMEXIT64 TRC_HVM_VMX_EXIT64

#endif
