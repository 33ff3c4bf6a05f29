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

#define XT_NHC 64      /* hypercall numbers counted by name (Xen has fewer than 56) */
#define XT_NPVEV 16    /* PV event minors */
#define XT_NSTATES 4   /* running, runnable, blocked, offline */

struct xt_exit {
	uint32_t reason;
	struct xt_dist cycles;
};

struct xt_domain;

struct xt_vcpu {
	uint32_t dom, vcpu;
	struct xt_domain *d;
	/* pv.c */
	uint64_t hc[XT_NHC + 1];     /* PV hypercalls incl. multicall entries; [XT_NHC] = higher numbers */
	uint64_t hc_sub[XT_NHC + 1]; /* of which multicall entries */
	uint64_t pv_ev[XT_NPVEV];    /* other PV events by minor number */
	uint64_t sched_poll, evtchn_send; /* the PV spinlock slow path: wait and kick */
	/* hvm.c */
	uint64_t vmmcall[XT_NHC + 1];
	struct xt_exit *exits;
	uint32_t nexits, capexits;
	int exit_open;
	uint32_t exit_reason;
	uint64_t exit_tsc;
	uint64_t exits_unclosed;     /* an exit followed by another exit without an entry */
	/* sched.c */
	int state;                   /* -1 until the first runstate record */
	uint64_t state_tsc;
	uint64_t state_cycles[XT_NSTATES];
	uint64_t state_count[XT_NSTATES];
	uint64_t wake_tsc;           /* blocked -> runnable, waiting to run */
	uint64_t wakeups;
	struct xt_dist wake_lat;
	int poll_pending;            /* last hypercall was a poll (sched_op or VMMCALL) */
	uint64_t poll_block_tsc;     /* blocked after that poll */
	struct xt_dist spin_wait;    /* poll-blocked to wake-up */
	uint32_t pcpu;               /* where it last ran */
	/* mem.c */
	uint64_t records;            /* records attributed to this vCPU */
};

enum { XT_GRANT_MAP, XT_GRANT_UNMAP, XT_GRANT_TRANSFER, XT_NGRANT };

struct xt_domain {
	uint32_t dom;
	uint64_t grant_by[XT_NGRANT], grant_for[XT_NGRANT];
	uint64_t mem_other;          /* other mem class events */
};

struct xt_pcpu {
	struct xt_vcpu *cur;         /* running here, from the runstate records; NULL = unknown */
};

struct hvb_xt_summary {
	struct hvb_xt_opts o;
	enum hvb_xt_vendor vendor;   /* chosen or detected */
	int vendor_svm_seen;
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
};

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

#endif
