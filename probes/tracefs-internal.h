/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tracefs probe's in-process aggregation (probes/tracefs-agg.c), kept apart
 * from the instance handling (probes/tracefs.c). */
#ifndef HVB_TRACEFS_INTERNAL_H
#define HVB_TRACEFS_INTERNAL_H

#include <stdint.h>
#include "probes/probes.h"

/* Log-linear histogram of nanosecond values: 32 sub-buckets per power of two,
 * so a quantile read from it is within 1/32 (3%) of a recorded value. */
#define HVB_HIST_SUB 32
#define HVB_HIST_BUCKETS (64 * HVB_HIST_SUB)
struct hvb_hist {
	uint64_t n, sum, max;
	uint32_t *b; /* HVB_HIST_BUCKETS counts, allocated on first add */
};
int hvb_hist_add(struct hvb_hist *h, uint64_t v);
/* The q-quantile (0..1): the middle of the bucket holding it; 0 when empty. */
double hvb_hist_quantile(const struct hvb_hist *h, double q);
void hvb_hist_free(struct hvb_hist *h);

/* The lock kind of a lock:contention_begin flags word ("spinlock", "mutex",
 * "rwsem_read", ...). */
const char *hvb_lock_kind(unsigned flags, char *buf, size_t len);

/* What the events of one sample add up to. */
struct hvb_tracefs_agg;
struct tep_handle;
struct tep_event;
struct tep_record;
/* follow_pid > 0: the tree of that process is the target (its pid, its
 * threads, and the children it forks as sched_process_fork reports them);
 * 0: everything the instance records. */
struct hvb_tracefs_agg *hvb_tracefs_agg_new(struct tep_handle *tep, int follow_pid);
void hvb_tracefs_agg_reset(struct hvb_tracefs_agg *a);
/* The tracefs_iterate_raw_events callback; ctx is the agg. */
int hvb_tracefs_agg_event(struct tep_event *ev, struct tep_record *rec, int cpu, void *ctx);
/* Adds the sample's figures; seconds is the sample's duration (for rates). */
int hvb_tracefs_agg_collect(struct hvb_tracefs_agg *a, double seconds, struct hvb_metrics *out);
void hvb_tracefs_agg_free(struct hvb_tracefs_agg *a);

#endif
