/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The tracefs probe's aggregation: events are folded as they are read, never
 * stored. Lock contention begin/end pairs become counts and wait-time
 * histograms per lock kind; sched_wakeup -> sched_switch into the woken task
 * becomes wake-up latency; a switch away from a task that is still runnable is
 * an involuntary preemption; block_rq_issue -> block_rq_complete becomes I/O
 * latency; net and napi events become packet counts. */
#include "config.h"
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <traceevent/event-parse.h>
#include "probes/tracefs-internal.h"

/* ---- histogram ---- */

static unsigned hist_bucket(uint64_t v)
{
	unsigned e, sub;

	if (v < HVB_HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v); /* v in [2^e, 2^(e+1)) */
	sub = (unsigned)((v >> (e - 5)) & (HVB_HIST_SUB - 1)); /* the 5 bits under the top one */
	return (e - 4) * HVB_HIST_SUB + sub;
}

/* Lower bound and width of a bucket. */
static void hist_range(unsigned b, double *lo, double *width)
{
	unsigned e, sub;

	if (b < HVB_HIST_SUB) {
		*lo = b;
		*width = 1;
		return;
	}
	e = b / HVB_HIST_SUB + 4;
	sub = b % HVB_HIST_SUB;
	*width = ldexp(1.0, (int)e - 5);
	*lo = ldexp(1.0, (int)e) + sub * *width;
}

int hvb_hist_add(struct hvb_hist *h, uint64_t v)
{
	if (!h->b && !(h->b = calloc(HVB_HIST_BUCKETS, sizeof(*h->b))))
		return HVB_ENOMEM;
	h->b[hist_bucket(v)]++;
	h->n++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	return 0;
}

double hvb_hist_quantile(const struct hvb_hist *h, double q)
{
	uint64_t want, seen = 0;
	double lo, w;

	if (!h->n || !h->b)
		return 0;
	want = (uint64_t)ceil(q * (double)h->n);
	if (want < 1)
		want = 1;
	for (unsigned b = 0; b < HVB_HIST_BUCKETS; b++) {
		seen += h->b[b];
		if (seen >= want) {
			hist_range(b, &lo, &w);
			/* The middle of the bucket, but never past the largest value seen. */
			return fmin(lo + (w > 1 ? w / 2 : 0), (double)h->max);
		}
	}
	return (double)h->max;
}

void hvb_hist_free(struct hvb_hist *h)
{
	free(h->b);
	memset(h, 0, sizeof(*h));
}

/* ---- lock kinds, from the flags of lock:contention_begin ---- */

#define LCB_SPIN 0x01u
#define LCB_READ 0x02u
#define LCB_WRITE 0x04u
#define LCB_RT 0x08u
#define LCB_PERCPU 0x10u
#define LCB_MUTEX 0x20u

const char *hvb_lock_kind(unsigned flags, char *buf, size_t len)
{
	const char *base;
	unsigned rw = flags & (LCB_READ | LCB_WRITE);

	if (flags & LCB_PERCPU)
		base = "pcpu_rwsem";
	else if (flags & LCB_RT)
		base = "rtmutex";
	else if (flags & LCB_MUTEX)
		base = "mutex";
	else if (flags & LCB_SPIN)
		base = rw ? "rwlock" : "spinlock";
	else if (rw)
		base = "rwsem";
	else {
		snprintf(buf, len, "flags_0x%x", flags);
		return buf;
	}
	snprintf(buf, len, "%s%s", base, rw == LCB_READ ? "_read" : rw == LCB_WRITE ? "_write" : "");
	return buf;
}

/* ---- a map from a two-word key to a time stamp (linear probing) ---- */

struct pslot {
	uint64_t k1, k2, ts;
	uint32_t flags;
	uint32_t used;
};
struct pmap {
	struct pslot *s;
	size_t cap, n;
};
#define PMAP_MAX (1u << 22) /* beyond this, pairs are dropped (counted as unmatched) */

static size_t phash(uint64_t k1, uint64_t k2, size_t cap)
{
	uint64_t h = (k1 * 0x9E3779B97F4A7C15ULL) ^ (k2 + 0x632BE59BD9B4E019ULL + (k1 << 6));
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return (size_t)h & (cap - 1);
}

static struct pslot *pfind(struct pmap *m, uint64_t k1, uint64_t k2)
{
	if (!m->cap)
		return NULL;
	for (size_t i = phash(k1, k2, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->s[i].used)
			return NULL;
		if (m->s[i].k1 == k1 && m->s[i].k2 == k2)
			return &m->s[i];
	}
}

static int pput(struct pmap *m, uint64_t k1, uint64_t k2, uint64_t ts, uint32_t flags)
{
	struct pslot *e;

	if (m->n * 2 >= m->cap) {
		struct pmap nm = { 0 };
		if (m->cap >= PMAP_MAX)
			return HVB_ENOMEM;
		nm.cap = m->cap ? m->cap * 2 : 1024;
		if (!(nm.s = calloc(nm.cap, sizeof(*nm.s))))
			return HVB_ENOMEM;
		for (size_t i = 0; i < m->cap; i++)
			if (m->s[i].used) {
				size_t j = phash(m->s[i].k1, m->s[i].k2, nm.cap);
				while (nm.s[j].used)
					j = (j + 1) & (nm.cap - 1);
				nm.s[j] = m->s[i];
			}
		nm.n = m->n;
		free(m->s);
		*m = nm;
	}
	if ((e = pfind(m, k1, k2))) {
		e->ts = ts; /* a begin whose end was lost: the newer one counts */
		e->flags = flags;
		return 0;
	}
	for (size_t i = phash(k1, k2, m->cap);; i = (i + 1) & (m->cap - 1))
		if (!m->s[i].used) {
			m->s[i] = (struct pslot){ k1, k2, ts, flags, 1 };
			m->n++;
			return 0;
		}
}

/* Removes an entry, shifting the probe chain back so lookups stay correct. */
static void pdel(struct pmap *m, struct pslot *e)
{
	size_t i = (size_t)(e - m->s), j = i;

	m->s[i].used = 0;
	m->n--;
	for (;;) {
		size_t home;
		j = (j + 1) & (m->cap - 1);
		if (!m->s[j].used)
			return;
		home = phash(m->s[j].k1, m->s[j].k2, m->cap);
		/* Move j into the hole at i when its home is not in (i, j]. */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			m->s[i] = m->s[j];
			m->s[j].used = 0;
			i = j;
		}
	}
}

static void pclear(struct pmap *m)
{
	if (m->s)
		memset(m->s, 0, m->cap * sizeof(*m->s));
	m->n = 0;
}

/* ---- the aggregation ---- */

#define AGG_MAX_KINDS 32
#define AGG_MAX_EVENTS 64

struct lock_kind {
	unsigned flags;
	uint64_t contentions;
	struct hvb_hist wait;
};

struct ev_count {
	struct tep_event *ev;
	uint64_t n;
};

struct hvb_tracefs_agg {
	int follow_pid;
	/* events and fields, looked up once */
	int id_cb, id_ce, id_wakeup, id_switch, id_fork, id_issue, id_complete, id_xmit, id_rx, id_napi;
	struct tep_format_field *f_cb_addr, *f_cb_flags, *f_ce_addr, *f_wk_pid, *f_sw_prev, *f_sw_state,
		*f_sw_next, *f_fk_parent, *f_fk_child, *f_is_dev, *f_is_sector, *f_co_dev, *f_co_sector, *f_napi_work;
	struct pmap contending, woken, inflight, tree;
	struct lock_kind kinds[AGG_MAX_KINDS];
	size_t nkinds;
	struct hvb_hist wakeup_lat, block_lat;
	uint64_t wakeups, switches, involuntary, tx, rx, polls, napi_work, unmatched, dropped;
	struct ev_count counts[AGG_MAX_EVENTS];
	size_t ncounts;
};

static int event_id(struct tep_handle *tep, const char *sys, const char *name)
{
	struct tep_event *e = tep_find_event_by_name(tep, sys, name);
	return e ? e->id : -1;
}

static struct tep_format_field *field(struct tep_handle *tep, const char *sys, const char *ev, const char *name)
{
	struct tep_event *e = tep_find_event_by_name(tep, sys, ev);
	return e ? tep_find_field(e, name) : NULL;
}

struct hvb_tracefs_agg *hvb_tracefs_agg_new(struct tep_handle *tep, int follow_pid)
{
	struct hvb_tracefs_agg *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->follow_pid = follow_pid;
	a->id_cb = event_id(tep, "lock", "contention_begin");
	a->id_ce = event_id(tep, "lock", "contention_end");
	a->id_wakeup = event_id(tep, "sched", "sched_wakeup");
	a->id_switch = event_id(tep, "sched", "sched_switch");
	a->id_fork = event_id(tep, "sched", "sched_process_fork");
	a->id_issue = event_id(tep, "block", "block_rq_issue");
	a->id_complete = event_id(tep, "block", "block_rq_complete");
	a->id_xmit = event_id(tep, "net", "net_dev_xmit");
	a->id_rx = event_id(tep, "net", "netif_receive_skb");
	a->id_napi = event_id(tep, "napi", "napi_poll");
	a->f_cb_addr = field(tep, "lock", "contention_begin", "lock_addr");
	a->f_cb_flags = field(tep, "lock", "contention_begin", "flags");
	a->f_ce_addr = field(tep, "lock", "contention_end", "lock_addr");
	a->f_wk_pid = field(tep, "sched", "sched_wakeup", "pid");
	a->f_sw_prev = field(tep, "sched", "sched_switch", "prev_pid");
	a->f_sw_state = field(tep, "sched", "sched_switch", "prev_state");
	a->f_sw_next = field(tep, "sched", "sched_switch", "next_pid");
	a->f_fk_parent = field(tep, "sched", "sched_process_fork", "parent_pid");
	a->f_fk_child = field(tep, "sched", "sched_process_fork", "child_pid");
	a->f_is_dev = field(tep, "block", "block_rq_issue", "dev");
	a->f_is_sector = field(tep, "block", "block_rq_issue", "sector");
	a->f_co_dev = field(tep, "block", "block_rq_complete", "dev");
	a->f_co_sector = field(tep, "block", "block_rq_complete", "sector");
	a->f_napi_work = field(tep, "napi", "napi_poll", "work");
	hvb_tracefs_agg_reset(a);
	return a;
}

/* The target's tree starts as its threads; forks add to it as they are seen. */
static void seed_tree(struct hvb_tracefs_agg *a)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	pput(&a->tree, (uint64_t)a->follow_pid, 0, 0, 0);
	snprintf(path, sizeof(path), "/proc/%d/task", a->follow_pid);
	if (!(d = opendir(path)))
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			pput(&a->tree, strtoull(de->d_name, NULL, 10), 0, 0, 0);
	closedir(d);
}

void hvb_tracefs_agg_reset(struct hvb_tracefs_agg *a)
{
	pclear(&a->contending);
	pclear(&a->woken);
	pclear(&a->inflight);
	pclear(&a->tree);
	for (size_t i = 0; i < a->nkinds; i++)
		hvb_hist_free(&a->kinds[i].wait);
	a->nkinds = 0;
	hvb_hist_free(&a->wakeup_lat);
	hvb_hist_free(&a->block_lat);
	a->wakeups = a->switches = a->involuntary = a->tx = a->rx = a->polls = a->napi_work = 0;
	a->unmatched = a->dropped = 0;
	for (size_t i = 0; i < a->ncounts; i++)
		a->counts[i].n = 0;
	if (a->follow_pid > 0)
		seed_tree(a);
}

static uint64_t num(struct tep_format_field *f, struct tep_record *rec)
{
	unsigned long long v = 0;

	if (f)
		tep_read_number_field(f, rec->data, &v);
	return v;
}

static int in_tree(struct hvb_tracefs_agg *a, uint64_t pid)
{
	return a->follow_pid <= 0 || pfind(&a->tree, pid, 0);
}

static struct lock_kind *kind_of(struct hvb_tracefs_agg *a, unsigned flags)
{
	for (size_t i = 0; i < a->nkinds; i++)
		if (a->kinds[i].flags == flags)
			return &a->kinds[i];
	if (a->nkinds == AGG_MAX_KINDS)
		return NULL;
	a->kinds[a->nkinds] = (struct lock_kind){ .flags = flags };
	return &a->kinds[a->nkinds++];
}

static void count_event(struct hvb_tracefs_agg *a, struct tep_event *ev)
{
	for (size_t i = 0; i < a->ncounts; i++)
		if (a->counts[i].ev == ev) {
			a->counts[i].n++;
			return;
		}
	if (a->ncounts < AGG_MAX_EVENTS)
		a->counts[a->ncounts++] = (struct ev_count){ ev, 1 };
}

static void on_contention_begin(struct hvb_tracefs_agg *a, struct tep_record *rec, int pid)
{
	uint64_t addr = num(a->f_cb_addr, rec);
	unsigned flags = (unsigned)num(a->f_cb_flags, rec);
	struct pslot *b = pfind(&a->contending, (uint64_t)pid, addr);

	/* A mutex reports its optimistic spin, then its sleep, before one end:
	 * the wait runs from the first begin; the kind is a mutex. */
	if (b && (b->flags & LCB_MUTEX) && (flags & LCB_MUTEX)) {
		b->flags = flags;
		return;
	}
	if (pput(&a->contending, (uint64_t)pid, addr, rec->ts, flags))
		a->unmatched++;
}

/* A lock:contention_end pairs with the begin of the same task on the same lock. */
static void on_contention_end(struct hvb_tracefs_agg *a, struct tep_record *rec, int pid)
{
	struct pslot *b = pfind(&a->contending, (uint64_t)pid, num(a->f_ce_addr, rec));
	struct lock_kind *k;

	if (!b || b->ts > rec->ts) {
		a->unmatched++;
		return;
	}
	if ((k = kind_of(a, b->flags))) {
		k->contentions++;
		hvb_hist_add(&k->wait, rec->ts - b->ts);
	}
	pdel(&a->contending, b);
}

static void on_switch(struct hvb_tracefs_agg *a, struct tep_record *rec)
{
	uint64_t prev = num(a->f_sw_prev, rec), next = num(a->f_sw_next, rec);
	/* prev_state 0 is TASK_RUNNING; newer kernels report a preempted task as
	 * TASK_REPORT_MAX, a single bit above every state bit. */
	uint64_t state = num(a->f_sw_state, rec);
	struct pslot *w;

	if (in_tree(a, prev)) {
		a->switches++;
		if (state == 0 || (state >= 0x100 && !(state & (state - 1))))
			a->involuntary++;
	}
	if (next && (w = pfind(&a->woken, next, 0))) {
		if (w->ts <= rec->ts)
			hvb_hist_add(&a->wakeup_lat, rec->ts - w->ts);
		pdel(&a->woken, w);
	}
}

static void on_block_complete(struct hvb_tracefs_agg *a, struct tep_record *rec)
{
	struct pslot *s = pfind(&a->inflight, num(a->f_co_dev, rec), num(a->f_co_sector, rec));

	if (!s || s->ts > rec->ts) {
		a->unmatched++;
		return;
	}
	hvb_hist_add(&a->block_lat, rec->ts - s->ts);
	pdel(&a->inflight, s);
}

int hvb_tracefs_agg_event(struct tep_event *ev, struct tep_record *rec, int cpu, void *ctx)
{
	struct hvb_tracefs_agg *a = ctx;
	int pid = tep_data_pid(ev->tep, rec);

	count_event(a, ev);
	if (rec->missed_events > 0)
		a->dropped += (uint64_t)rec->missed_events;
	if (ev->id == a->id_cb) {
		if (in_tree(a, (uint64_t)pid))
			on_contention_begin(a, rec, pid);
	} else if (ev->id == a->id_ce) {
		/* The kernel's pid filter lets a few events of other tasks through
		 * (those inside a wake-up of a target task): theirs are not counted. */
		if (in_tree(a, (uint64_t)pid))
			on_contention_end(a, rec, pid);
	}
	else if (ev->id == a->id_wakeup) {
		uint64_t wpid = num(a->f_wk_pid, rec);
		if (in_tree(a, wpid)) {
			a->wakeups++;
			pput(&a->woken, wpid, 0, rec->ts, 0);
		}
	} else if (ev->id == a->id_switch)
		on_switch(a, rec);
	else if (ev->id == a->id_fork) {
		if (a->follow_pid > 0 && in_tree(a, num(a->f_fk_parent, rec)))
			pput(&a->tree, num(a->f_fk_child, rec), 0, 0, 0);
	} else if (ev->id == a->id_issue) {
		if (pput(&a->inflight, num(a->f_is_dev, rec), num(a->f_is_sector, rec), rec->ts, 0))
			a->unmatched++;
	} else if (ev->id == a->id_complete)
		on_block_complete(a, rec);
	else if (ev->id == a->id_xmit)
		a->tx++;
	else if (ev->id == a->id_rx)
		a->rx++;
	else if (ev->id == a->id_napi) {
		a->polls++;
		a->napi_work += num(a->f_napi_work, rec);
	}
	return 0;
}

static int add_lat(struct hvb_metrics *out, const char *prefix, const struct hvb_hist *h)
{
	int rc = 0;

	if (!h->n)
		return 0;
	rc |= hvb_metrics_addf(out, hvb_hist_quantile(h, 0.5), "ns", HVB_LOWER, "%s_p50_ns", prefix);
	rc |= hvb_metrics_addf(out, hvb_hist_quantile(h, 0.99), "ns", HVB_LOWER, "%s_p99_ns", prefix);
	rc |= hvb_metrics_addf(out, (double)h->max, "ns", HVB_LOWER, "%s_max_ns", prefix);
	return rc;
}

int hvb_tracefs_agg_collect(struct hvb_tracefs_agg *a, double seconds, struct hvb_metrics *out)
{
	int rc = 0;
	char kb[32], pre[96];

	if (a->id_cb >= 0 && a->id_ce >= 0) {
		uint64_t all = 0;
		for (size_t i = 0; i < a->nkinds; i++) {
			struct lock_kind *k = &a->kinds[i];
			hvb_lock_kind(k->flags, kb, sizeof(kb));
			all += k->contentions;
			rc |= hvb_metrics_addf(out, (double)k->contentions, "count", HVB_LOWER, "lock.%s.contentions", kb);
			rc |= hvb_metrics_addf(out, (double)k->wait.sum, "ns", HVB_LOWER, "lock.%s.wait_total_ns", kb);
			snprintf(pre, sizeof(pre), "lock.%s.wait", kb);
			rc |= add_lat(out, pre, &k->wait);
		}
		rc |= hvb_metrics_add(out, "lock.contentions", (double)all, "count", HVB_LOWER);
	}
	if (a->id_switch >= 0) {
		rc |= hvb_metrics_add(out, "sched.switches", (double)a->switches, "count", HVB_INFO);
		rc |= hvb_metrics_add(out, "sched.involuntary", (double)a->involuntary, "count", HVB_LOWER);
	}
	if (a->id_wakeup >= 0 && a->id_switch >= 0) {
		rc |= hvb_metrics_add(out, "sched.wakeups", (double)a->wakeups, "count", HVB_INFO);
		rc |= add_lat(out, "sched.wakeup_lat", &a->wakeup_lat);
	}
	if (a->id_issue >= 0 && a->id_complete >= 0) {
		rc |= hvb_metrics_add(out, "block.requests", (double)a->block_lat.n, "count", HVB_INFO);
		rc |= add_lat(out, "block.lat", &a->block_lat);
	}
	if (a->id_xmit >= 0) {
		rc |= hvb_metrics_add(out, "net.tx_packets", (double)a->tx, "packets", HVB_INFO);
		if (seconds > 0)
			rc |= hvb_metrics_add(out, "net.tx_pps", (double)a->tx / seconds, "packets/s", HVB_INFO);
	}
	if (a->id_rx >= 0) {
		rc |= hvb_metrics_add(out, "net.rx_packets", (double)a->rx, "packets", HVB_INFO);
		if (seconds > 0)
			rc |= hvb_metrics_add(out, "net.rx_pps", (double)a->rx / seconds, "packets/s", HVB_INFO);
	}
	if (a->id_napi >= 0) {
		rc |= hvb_metrics_add(out, "napi.polls", (double)a->polls, "count", HVB_INFO);
		rc |= hvb_metrics_add(out, "napi.packets", (double)a->napi_work, "packets", HVB_INFO);
	}
	for (size_t i = 0; i < a->ncounts; i++)
		rc |= hvb_metrics_addf(out, (double)a->counts[i].n, "count", HVB_INFO, "tracefs.%s.%s",
				       a->counts[i].ev->system, a->counts[i].ev->name);
	rc |= hvb_metrics_add(out, "tracefs.unmatched", (double)a->unmatched, "count", HVB_INFO);
	rc |= hvb_metrics_add(out, "tracefs.missed_events", (double)a->dropped, "count", HVB_LOWER);
	return rc ? HVB_ENOMEM : 0;
}

void hvb_tracefs_agg_free(struct hvb_tracefs_agg *a)
{
	if (!a)
		return;
	hvb_tracefs_agg_reset(a);
	free(a->contending.s);
	free(a->woken.s);
	free(a->inflight.s);
	free(a->tree.s);
	free(a);
}
