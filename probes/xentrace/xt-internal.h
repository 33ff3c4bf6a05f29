/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals shared by the summary's files: the per-domain and per-vCPU state each trace
 * class updates.  Not part of the public face (xentrace.h). */
#ifndef HVB_XT_INTERNAL_H
#define HVB_XT_INTERNAL_H

#include "probes/xentrace/xentrace.h"

/* ---- dist.c: count, sum and percentiles of a series of cycle counts ----
 * Exact samples up to a cap, then a log-linear histogram (relative error under 1/64), so
 * memory stays bounded whatever the trace length.  Percentile k = n*p/100 (0-based) of the
 * non-zero samples, the order statistic xenalyze prints. */
struct xt_dist {
	uint64_t events;   /* every value fed, zeros included (xenalyze's event_count) */
	uint64_t n;        /* non-zero values */
	uint64_t sum;
	uint64_t *samples; /* exact while n <= XT_DIST_EXACT */
	uint32_t cap;
	uint64_t *hist;    /* after that */
	int sorted;
};
void xt_dist_add(struct xt_dist *d, uint64_t v);
void xt_dist_free(struct xt_dist *d);
/* p in [0, 100]; 0 when empty.  Sorts the samples (once). */
uint64_t xt_dist_pct(struct xt_dist *d, unsigned p);
int xt_dist_exact(const struct xt_dist *d);

/* ---- formats.c: record formats by Xen version ---- */
/* The commit of a format that hvbench's own Xen patches introduced starts so. */
#define HVB_XT_HOOKS "hvbench hooks series: "
#define XT_XEN(maj, min) ((unsigned)(maj) << 8 | (unsigned)(min)) /* 4.19 -> 0x0413; 0 = unknown */
struct xt_format {
	uint32_t id;
	const char *name;     /* "hvm.svm_exit64" */
	uint16_t from, to;    /* the Xen versions that write this form (XT_XEN), inclusive */
	const char *commit;   /* the Xen commit that introduced it; NULL: already in 4.17 */
	const char *layout;   /* "gfn:64 d:32 order:32"; NULL: raw words */
};
/* The form of event written by Xen version xen (0: unknown, then the oldest form, with
 * *ambiguous set when the forms' layouts differ).  NULL for an unknown id. */
const struct xt_format *xt_format_find(uint32_t event, unsigned xen, int *ambiguous);
const struct xt_format *xt_format_at(size_t i);   /* the table, for tests and docs */
/* Field name of a record's words per layout; 1 when present. */
int xt_layout_field(const char *layout, const uint32_t *d, unsigned nwords, const char *name, uint64_t *out);

#define XT_NHC 64      /* hypercall numbers counted by name (Xen has fewer than 56) */
#define XT_NPVEV 16    /* PV event minors */
#define XT_NSTATES 4   /* running, runnable, blocked, offline */

struct xt_exit {
	uint32_t reason;
	struct xt_dist cycles;
};

struct xt_domain;

/* hcargs.c: what the arguments of hypercall records say (TRC_PV_HYPERCALL_V2, its multicall
 * entries TRC_PV_HYPERCALL_SUBCALL, and the hooks' TRC_HVM_HYPERCALL: Xen's
 * __trace_hypercall records grant_table_op's cmd and count, the count of mmu_update,
 * mmuext_op and multicall, the cmd of sched_op and vcpu_op, nothing of the others). */
#define XT_NGNTOP 13   /* GNTTABOP_map_grant_ref (0) to GNTTABOP_cache_flush (12); [XT_NGNTOP]: others */
struct xt_hcargs {
	uint64_t gnt_calls[XT_NGNTOP + 1], gnt_ops[XT_NGNTOP + 1]; /* ops: the count arguments summed */
	uint64_t mmu_calls, mmu_updates, mmu_continued;       /* mmu_update */
	uint64_t mmuext_calls, mmuext_ops, mmuext_continued;  /* mmuext_op */
	uint64_t uva_calls;                                   /* update_va_mapping: one PTE each */
	uint64_t mc_calls, mc_entries;                        /* multicall: calls, entries run (SUBCALL records) */
	uint64_t hvm_records;                                 /* TRC_HVM_HYPERCALL records (hooks 0002) */
	uint64_t noargs;                                      /* hypercalls in records without arguments */
};
/* Decodes the arguments of one record in the V2 layout (word 0: op and presence bits). */
void xt_hcargs_add(struct xt_hcargs *a, const struct hvb_xt_rec *r, int subcall);
/* Argument i of a V2-layout record; 1 when it was recorded. */
int xt_hcargs_arg(const struct hvb_xt_rec *r, unsigned i, uint64_t *out);
void xt_hcargs_sum(struct xt_hcargs *to, const struct xt_hcargs *from);
const char *xt_gnttabop_name(unsigned cmd); /* "map_grant_ref"; "other" past cache_flush */

struct xt_vcpu {
	uint32_t dom, vcpu;
	struct xt_domain *d;
	/* pv.c */
	uint64_t hc[XT_NHC + 1];     /* PV hypercalls incl. multicall entries; [XT_NHC] = higher numbers */
	uint64_t hc_sub[XT_NHC + 1]; /* of which multicall entries */
	uint64_t pv_ev[XT_NPVEV];    /* other PV events by minor number */
	uint64_t sched_poll, evtchn_send; /* the PV spinlock slow path: wait and kick */
	/* sched_op and event_channel_op calls whose sub-operation a record showed: polls
	 * and kicks are known only where every call's was (Xen records no argument of
	 * event_channel_op, and an HVM VMMCALL record carries eax alone) */
	uint64_t sched_op_cmd, evtchn_cmd;
	/* hvm.c */
	uint64_t vmmcall[XT_NHC + 1];
	struct xt_exit *exits;
	uint32_t nexits, capexits;
	int exit_open;
	uint32_t exit_reason;
	uint64_t exit_tsc;
	uint32_t exit_cpu;           /* pCPU of the exit record */
	uint64_t exits_unclosed;     /* an exit followed by another exit without an entry */
	/* sched.c */
	int state;                   /* -1 until the first runstate record */
	uint64_t state_tsc;
	uint64_t state_cycles[XT_NSTATES];
	uint64_t state_count[XT_NSTATES];
	/* The first interval (the state the vCPU's first runstate record put it in, and its
	 * cycles) and the one still open at the last record (xt_sched_finish); -1 when none. */
	int first_state, end_state, first_open;
	uint64_t first_cycles, end_cycles;
	uint64_t wake_tsc;           /* blocked -> runnable, waiting to run */
	uint64_t wakeups;
	struct xt_dist wake_lat;
	int poll_pending;            /* last hypercall was a poll (sched_op or VMMCALL) */
	uint64_t poll_block_tsc;     /* blocked after that poll */
	uint32_t poll_block_cpu;
	struct xt_dist spin_wait;    /* poll-blocked to wake-up */
	uint32_t pcpu;               /* where it last ran */
	uint32_t state_cpu, wake_cpu; /* pCPU of the record that began the state, the wake-up */
	int mis;                     /* a runstate record whose old state was not this vCPU's */
	uint32_t mis_cpu, mis_old;
	uint64_t mis_tsc;
	/* Times measured between pCPUs whose TSCs were corrected for skew: bounds, not values. */
	uint64_t skew_cycles;        /* runstate and wake-up cycles so measured, both */
	uint64_t skew_rs_cycles;     /* runstate cycles so measured */
	uint64_t skew_wakeups;       /* wake-up latencies so measured */
	/* mem.c */
	uint64_t records;            /* records attributed to this vCPU */
	struct xt_hcargs args;       /* hcargs.c */
};

enum { XT_GRANT_MAP, XT_GRANT_UNMAP, XT_GRANT_TRANSFER, XT_NGRANT };

struct xt_domain {
	uint32_t dom;
	uint64_t grant_by[XT_NGRANT], grant_for[XT_NGRANT];
	uint64_t mem_other;          /* other mem class events */
	/* TRC_MEM_PAGE_GRANT_COPY (hooks 0001), by the issuing domain: one record per batch */
	uint64_t copy_batches, copy_ops, copy_failed, copy_bytes;
};

struct xt_pcpu {
	struct xt_vcpu *cur;         /* running here, from the runstate records; NULL = unknown */
};

/* TSC skew: pCPU "behind" is at least "cycles" behind pCPU "ahead" (a vCPU ran there before
 * the record on "ahead" that made it runnable). */
struct xt_skew {
	uint32_t behind, ahead;
	uint64_t cycles;
	uint32_t dom, vcpu;
	uint64_t tsc_behind, tsc_ahead;
};
#define XT_MAX_SKEWS 64

struct hvb_xt_summary {
	struct hvb_xt_opts o;
	enum hvb_xt_vendor vendor;   /* chosen (option or metadata) */
	enum hvb_xt_vendor rec_vendor; /* named by the exit records (Xen 4.19 and later) */
	int vendor_svm_seen;         /* a 4.17-form exit with a code only SVM has */
	uint64_t exit_records;       /* VM exit records of any vendor: none, no vendor to name */
	uint32_t vendor_mixed;
	unsigned xen;                /* Xen version (XT_XEN), 0 = unknown */
	/* vCPUs: an open-addressing hash on (dom << 16 | vcpu) */
	struct xt_vcpu **vtab;
	uint32_t vtab_cap, nvcpus;
	struct xt_domain **doms;
	uint32_t ndoms, capdoms;
	struct xt_pcpu *pcpus;
	uint32_t npcpus;
	uint64_t first_tsc, last_tsc;
	int have_tsc;
	uint64_t records, unknown_events, unattributed;
	uint64_t lost_markers, lost_records;
	uint64_t vcpu_limit_hits;
	uint32_t last_owner_dom, last_owner_vcpu; /* owner of the last record fed */
	/* from the reader at finish */
	struct hvb_xt_reader_stats rst;
	struct hvb_xt_volume *vol;   /* per pCPU */
	uint32_t nvol;
	int finished;
	struct xt_skew skews[XT_MAX_SKEWS]; /* found in this pass */
	uint32_t nskews;
	uint64_t *tsc_off;           /* correction applied to this pass, per pCPU (owned) */
	uint32_t ntsc_off;
	int skew_loop;               /* the constraints contradict each other: not corrected */
	uint64_t tsc_jumps;          /* intervals over XT_TSC_MAX_INTERVAL left out (xt_interval) */
	uint32_t jump_cpu[2];        /* the pCPUs of the first of them */
	int truncated;               /* the file ends inside a record or window */
	uint64_t trunc_off;
	char trunc_why[256];
};

/* The longest interval between two records taken as time: 2^48 cycles, a day at
 * 3 GHz, while captures last seconds to minutes. A longer one is a TSC that jumped
 * or was corrupted (a pCPU's TSC near 2^63 beside another's near 0), not a time:
 * a skew correction by it, or a runstate of 9e18 cycles, would be wrong. */
#define XT_TSC_MAX_INTERVAL (1ULL << 48)
/* 1 with *d = to - from when that is a plausible interval (from <= to, within the
 * limit); else 0 (*d = 0), an implausible one counted in s->tsc_jumps with the pCPUs
 * of the first such, for the warning. */
int xt_interval(struct hvb_xt_summary *s, uint64_t from, uint64_t to, uint32_t cpu_from, uint32_t cpu_to,
		uint64_t *d);

/* summary.c */
struct xt_vcpu *xt_vcpu_get(struct hvb_xt_summary *s, uint32_t dom, uint32_t vcpu);
struct xt_domain *xt_domain_get(struct hvb_xt_summary *s, uint32_t dom);
struct xt_pcpu *xt_pcpu_get(struct hvb_xt_summary *s, uint32_t cpu);
/* The vCPU a record on pCPU cpu belongs to (the "unknown" pseudo-vCPU when none). */
struct xt_vcpu *xt_current(struct hvb_xt_summary *s, uint32_t cpu);
/* Sorted arrays for reports (caller frees the array, not the elements). */
struct xt_vcpu **xt_vcpus_sorted(const struct hvb_xt_summary *s);
struct xt_domain **xt_domains_sorted(const struct hvb_xt_summary *s);

/* One handler per trace class: 0, or 1 when the event id is not one it knows. */
int xt_sched_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r);
int xt_pv_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r);
int xt_hvm_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r);
int xt_mem_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r);
/* hvm.c: closes an open exit at tsc (at VMENTRY, or when the vCPU stops running). */
void xt_hvm_close_exit(struct hvb_xt_summary *s, struct xt_vcpu *v, uint64_t tsc);
/* sched.c: closes the runstate intervals still open at the end of the trace. */
void xt_sched_finish(struct hvb_xt_summary *s);
/* pv.c: sub-operation names used for the spinlock attribution */
#define XT_HC_SCHED_OP 29
#define XT_HC_EVTCHN_OP 32
#define XT_SCHEDOP_POLL 3
#define XT_EVTCHNOP_SEND 4
const char *xt_pv_event_name(unsigned minor);
/* A sched_op or event_channel_op whose argument 0 (its cmd) a record carried: polls and kicks. */
void xt_pv_slowpath(struct xt_vcpu *v, uint32_t op, uint64_t cmd);

#endif
