/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* The summary: domain and vCPU tables, the current vCPU of each pCPU, and dispatch of each
 * record to its trace class's handler. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xt-internal.h"

#define MAX_VCPUS 4096u   /* a garbage trace must not make the tables grow without end */
#define MAX_PCPUS 65536u

struct hvb_xt_summary *hvb_xt_summary_new(const struct hvb_xt_opts *o)
{
	struct hvb_xt_summary *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (o)
		s->o = *o;
	if (s->o.vendor == HVB_XT_VENDOR_AUTO && s->o.meta)
		s->o.vendor = s->o.meta->vendor;
	if (s->o.cpu_hz <= 0 && s->o.meta)
		s->o.cpu_hz = s->o.meta->cpu_hz;
	s->vendor = s->o.vendor;
	s->xen = s->o.xen_version;
	if (!s->xen && s->o.meta && hvb_xt_xen_version_parse(s->o.meta->xen_version, &s->xen))
		s->xen = 0; /* meta.c checked it; a version it cannot read is no version */
	s->last_owner_dom = HVB_XT_DOM_UNKNOWN;
	return s;
}

static void vcpu_free(struct xt_vcpu *v)
{
	for (uint32_t i = 0; i < v->nexits; i++)
		xt_dist_free(&v->exits[i].cycles);
	free(v->exits);
	xt_dist_free(&v->wake_lat);
	xt_dist_free(&v->spin_wait);
	free(v);
}

void hvb_xt_summary_free(struct hvb_xt_summary *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->vtab_cap; i++)
		if (s->vtab[i])
			vcpu_free(s->vtab[i]);
	free(s->vtab);
	for (uint32_t i = 0; i < s->ndoms; i++)
		free(s->doms[i]);
	free(s->doms);
	free(s->pcpus);
	free(s->vol);
	free(s->tsc_off);
	free(s);
}

static uint32_t vhash(uint32_t key, uint32_t cap)
{
	return (key * 2654435761u) & (cap - 1);
}

static struct xt_vcpu **vslot(struct xt_vcpu **tab, uint32_t cap, uint32_t dom, uint32_t vcpu)
{
	uint32_t key = dom << 16 ^ vcpu, i = vhash(key, cap);

	while (tab[i] && (tab[i]->dom != dom || tab[i]->vcpu != vcpu))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int vtab_grow(struct hvb_xt_summary *s)
{
	uint32_t cap = s->vtab_cap ? s->vtab_cap * 2 : 64;
	struct xt_vcpu **t = calloc(cap, sizeof(*t));

	if (!t)
		return HVB_ENOMEM;
	for (uint32_t i = 0; i < s->vtab_cap; i++)
		if (s->vtab[i])
			*vslot(t, cap, s->vtab[i]->dom, s->vtab[i]->vcpu) = s->vtab[i];
	free(s->vtab);
	s->vtab = t;
	s->vtab_cap = cap;
	return 0;
}

struct xt_domain *xt_domain_get(struct hvb_xt_summary *s, uint32_t dom)
{
	struct xt_domain *d;

	for (uint32_t i = 0; i < s->ndoms; i++)
		if (s->doms[i]->dom == dom)
			return s->doms[i];
	if (s->ndoms >= MAX_VCPUS)
		return NULL;
	if (s->ndoms == s->capdoms) {
		uint32_t cap = s->capdoms ? s->capdoms * 2 : 8;
		struct xt_domain **n = realloc(s->doms, cap * sizeof(*n));
		if (!n)
			return NULL;
		s->doms = n;
		s->capdoms = cap;
	}
	if (!(d = calloc(1, sizeof(*d))))
		return NULL;
	d->dom = dom;
	s->doms[s->ndoms++] = d;
	return d;
}

static struct xt_vcpu *unknown_vcpu(struct hvb_xt_summary *s);

struct xt_vcpu *xt_vcpu_get(struct hvb_xt_summary *s, uint32_t dom, uint32_t vcpu)
{
	struct xt_vcpu **slot, *v;

	if (s->vtab_cap && *(slot = vslot(s->vtab, s->vtab_cap, dom, vcpu)))
		return *slot;
	if (s->nvcpus >= MAX_VCPUS) {
		s->vcpu_limit_hits++;
		return dom == HVB_XT_DOM_UNKNOWN ? NULL : unknown_vcpu(s);
	}
	if ((s->nvcpus + 1) * 2 > s->vtab_cap && vtab_grow(s))
		return NULL;
	if (!(v = calloc(1, sizeof(*v))))
		return NULL;
	v->dom = dom;
	v->vcpu = vcpu;
	v->state = -1;
	v->first_state = v->end_state = -1;
	if (!(v->d = xt_domain_get(s, dom))) {
		free(v);
		return NULL;
	}
	*vslot(s->vtab, s->vtab_cap, dom, vcpu) = v;
	s->nvcpus++;
	return v;
}

static struct xt_vcpu *unknown_vcpu(struct hvb_xt_summary *s)
{
	struct xt_vcpu **slot;

	if (s->vtab_cap && *(slot = vslot(s->vtab, s->vtab_cap, HVB_XT_DOM_UNKNOWN, 0)))
		return *slot;
	return xt_vcpu_get(s, HVB_XT_DOM_UNKNOWN, 0);
}

struct xt_pcpu *xt_pcpu_get(struct hvb_xt_summary *s, uint32_t cpu)
{
	if (cpu >= MAX_PCPUS)
		return NULL;
	if (cpu >= s->npcpus) {
		uint32_t n = cpu + 1 > s->npcpus * 2 ? cpu + 1 : s->npcpus * 2;
		struct xt_pcpu *p = realloc(s->pcpus, n * sizeof(*p));
		if (!p)
			return NULL;
		memset(p + s->npcpus, 0, (n - s->npcpus) * sizeof(*p));
		s->pcpus = p;
		s->npcpus = n;
	}
	return &s->pcpus[cpu];
}

struct xt_vcpu *xt_current(struct hvb_xt_summary *s, uint32_t cpu)
{
	if (cpu < s->npcpus && s->pcpus[cpu].cur)
		return s->pcpus[cpu].cur;
	s->unattributed++;
	return unknown_vcpu(s);
}

/* TRC_LOST_RECORDS {lost, did:16 vid:16, first_tsc:64}: Xen writes it when the buffer has
 * room again, in the context of the vCPU then current on the pCPU (xen/common/trace.c,
 * insert_lost_records), so the records after it belong to that vCPU.  An exit open
 * across the gap has no known end; a vCPU that was running here and is not the one named
 * stopped somewhere in the gap: its runstate is unknown until its next runstate record. */
static void lost_records(struct hvb_xt_summary *s, const struct hvb_xt_rec *r)
{
	struct xt_pcpu *p = xt_pcpu_get(s, r->cpu);
	struct xt_vcpu *old = p ? p->cur : NULL, *v = NULL;
	uint64_t first = r->nextra >= 4 ? (uint64_t)r->d[3] << 32 | r->d[2] : r->tsc;
	uint64_t d;

	s->lost_markers++;
	s->lost_records += r->nextra ? r->d[0] : 0;
	if (!p)
		return;
	if (r->nextra >= 2)
		v = xt_vcpu_get(s, r->d[1] & 0xffff, r->d[1] >> 16);
	if (old)
		old->exit_open = 0;
	if (old && old != v && old->state == 0 /* running */) {
		if (first >= old->state_tsc && first <= r->tsc)
			if (xt_interval(s, old->state_tsc, first, old->state_cpu, r->cpu, &d))
				old->state_cycles[0] += d;
		old->state = -1;
	}
	p->cur = v;
	if (!v)
		return;
	v->pcpu = r->cpu;
	if (v->state != 0) { /* it runs here now; since when, the lost records knew */
		if (v->state >= 0 && first >= v->state_tsc && first <= r->tsc)
			if (xt_interval(s, v->state_tsc, first, v->state_cpu, r->cpu, &d))
				v->state_cycles[v->state] += d;
		v->state = 0;
		v->state_tsc = r->tsc;
	}
}

int hvb_xt_summary_add(const struct hvb_xt_rec *r, void *arg)
{
	struct hvb_xt_summary *s = arg;
	int unknown = 1;

	if (!s->have_tsc && r->has_tsc) {
		s->first_tsc = r->tsc;
		s->have_tsc = 1;
	}
	if (r->tsc > s->last_tsc)
		s->last_tsc = r->tsc;
	s->records++;
	switch (r->cls) {
	case HVB_XT_SCHED: unknown = xt_sched_record(s, r); break;
	case HVB_XT_PV: unknown = xt_pv_record(s, r); break;
	case HVB_XT_HVM: unknown = xt_hvm_record(s, r); break;
	case HVB_XT_MEM: unknown = xt_mem_record(s, r); break;
	case HVB_XT_GEN:
		if (r->event == TRC_LOST_RECORDS) {
			lost_records(s, r);
			unknown = 0;
			break;
		}
		/* fall through */
	default:
		unknown = hvb_xt_event_name(r->event) == NULL;
		break;
	}
	s->unknown_events += unknown != 0;
	return 0;
}

void hvb_xt_summary_owner(const struct hvb_xt_summary *s, const struct hvb_xt_rec *r,
			  uint32_t *dom, uint32_t *vcpu)
{
	/* Scheduler records name their vCPU: runstate records in word 0 (vcpu in the low half,
	 * domain above), wake, sleep, block and yield as two words {domain, vcpu}. */
	if (hvb_xt_event_class(r->event) == HVB_XT_SCHED && r->nextra >= 1 &&
	    ((r->event & ~0xff0u) == TRC_SCHED_RUNSTATE_CHANGE || r->event == TRC_SCHED_CONTINUE_RUNNING)) {
		*dom = r->d[0] >> 16;
		*vcpu = r->d[0] & 0xffff;
		return;
	}
	if (r->nextra >= 2 && (r->event == TRC_SCHED_WAKE || r->event == TRC_SCHED_SLEEP ||
			       r->event == TRC_SCHED_BLOCK || r->event == TRC_SCHED_YIELD)) {
		*dom = r->d[0];
		*vcpu = r->d[1];
		return;
	}
	if (r->cpu < s->npcpus && s->pcpus[r->cpu].cur) {
		*dom = s->pcpus[r->cpu].cur->dom;
		*vcpu = s->pcpus[r->cpu].cur->vcpu;
		return;
	}
	*dom = HVB_XT_DOM_UNKNOWN;
	*vcpu = 0;
}

enum hvb_xt_vendor hvb_xt_summary_record_vendor(const struct hvb_xt_summary *s)
{
	return s->rec_vendor;
}

enum hvb_xt_vendor hvb_xt_summary_vendor(const struct hvb_xt_summary *s)
{
	if (s->rec_vendor != HVB_XT_VENDOR_AUTO)
		return s->rec_vendor;
	if (s->vendor != HVB_XT_VENDOR_AUTO)
		return s->vendor;
	return s->vendor_svm_seen ? HVB_XT_VENDOR_SVM : HVB_XT_VENDOR_VMX;
}

uint64_t hvb_xt_summary_first_tsc(const struct hvb_xt_summary *s) { return s->first_tsc; }

int hvb_xt_summary_truncated(const struct hvb_xt_summary *s, uint64_t *off)
{
	if (off)
		*off = s->trunc_off;
	return s->truncated;
}

static int cmp_vcpu(const void *a, const void *b)
{
	const struct xt_vcpu *x = *(struct xt_vcpu *const *)a, *y = *(struct xt_vcpu *const *)b;
	if (x->dom != y->dom)
		return x->dom < y->dom ? -1 : 1;
	return x->vcpu < y->vcpu ? -1 : x->vcpu > y->vcpu;
}

struct xt_vcpu **xt_vcpus_sorted(const struct hvb_xt_summary *s)
{
	struct xt_vcpu **a = malloc((s->nvcpus + 1) * sizeof(*a));
	uint32_t n = 0;

	if (!a)
		return NULL;
	for (uint32_t i = 0; i < s->vtab_cap; i++)
		if (s->vtab[i])
			a[n++] = s->vtab[i];
	qsort(a, n, sizeof(*a), cmp_vcpu);
	a[n] = NULL;
	return a;
}

static int cmp_dom(const void *a, const void *b)
{
	uint32_t x = (*(struct xt_domain *const *)a)->dom, y = (*(struct xt_domain *const *)b)->dom;
	return x < y ? -1 : x > y;
}

struct xt_domain **xt_domains_sorted(const struct hvb_xt_summary *s)
{
	struct xt_domain **a = malloc((s->ndoms + 1) * sizeof(*a));

	if (!a)
		return NULL;
	if (s->ndoms) {
		memcpy(a, s->doms, s->ndoms * sizeof(*a));
		qsort(a, s->ndoms, sizeof(*a), cmp_dom);
	}
	a[s->ndoms] = NULL;
	return a;
}

int hvb_xt_summary_finish(struct hvb_xt_summary *s, const struct hvb_xt_reader *rd)
{
	if (s->finished)
		return 0;
	s->finished = 1;
	xt_sched_finish(s);
	for (uint32_t i = 0; i < s->vtab_cap; i++) { /* sort the samples now: reports are const */
		struct xt_vcpu *v = s->vtab[i];
		if (!v)
			continue;
		for (uint32_t k = 0; k < v->nexits; k++)
			xt_dist_pct(&v->exits[k].cycles, 50);
		xt_dist_pct(&v->wake_lat, 50);
		xt_dist_pct(&v->spin_wait, 50);
	}
	if (!rd)
		return 0;
	s->rst = *hvb_xt_reader_stats(rd);
	if (s->rst.ncpus && !(s->vol = calloc(s->rst.ncpus, sizeof(*s->vol))))
		return HVB_ENOMEM;
	s->nvol = s->rst.ncpus;
	for (uint32_t c = 0; c < s->nvol; c++) {
		const struct hvb_xt_volume *v = hvb_xt_reader_volume(rd, c);
		if (v)
			s->vol[c] = *v;
	}
	return 0;
}

/* One pass over the file, with a TSC correction per pCPU (NULL: none). */
static int summarize_pass(const char *path, const struct hvb_xt_opts *o, uint64_t *off, uint32_t noff,
			  struct hvb_xt_summary **out)
{
	struct hvb_xt_reader *rd = hvb_xt_reader_open(path);
	struct hvb_xt_summary *s;
	int e;

	*out = NULL;
	if (!rd) {
		free(off);
		return HVB_ENOENT;
	}
	if (!(s = hvb_xt_summary_new(o))) {
		free(off);
		hvb_xt_reader_close(rd);
		return HVB_ENOMEM;
	}
	s->tsc_off = off;
	s->ntsc_off = noff;
	hvb_xt_reader_set_tsc_offsets(rd, off, noff);
	e = hvb_xt_reader_run(rd, hvb_xt_summary_add, s);
	if (e == HVB_ETRUNC && hvb_xt_reader_truncated(rd)) {
		/* A cut capture: the figures of its whole records, marked truncated. */
		s->truncated = 1;
		snprintf(s->trunc_why, sizeof(s->trunc_why), "%s", hvb_xt_reader_error(rd, &s->trunc_off));
		e = 0;
	}
	if (!e)
		e = hvb_xt_summary_finish(s, rd);
	hvb_xt_reader_close(rd);
	if (e) {
		hvb_xt_summary_free(s);
		return e;
	}
	*out = s;
	return 0;
}

/* The smallest per-pCPU corrections that satisfy every skew found (longest paths over
 * "behind >= ahead + cycles + 1"); NULL when they contradict each other (a loop). */
static uint64_t *skew_offsets(const struct hvb_xt_summary *s, uint32_t *n)
{
	uint32_t np = 0;
	uint64_t *off;

	for (uint32_t i = 0; i < s->nskews; i++) {
		np = s->skews[i].behind + 1 > np ? s->skews[i].behind + 1 : np;
		np = s->skews[i].ahead + 1 > np ? s->skews[i].ahead + 1 : np;
	}
	if (!(off = calloc(np, sizeof(*off))))
		return NULL;
	for (uint32_t round = 0; round <= np; round++) {
		int changed = 0;
		for (uint32_t i = 0; i < s->nskews; i++) {
			const struct xt_skew *k = &s->skews[i];
			if (off[k->behind] < off[k->ahead] + k->cycles + 1) {
				off[k->behind] = off[k->ahead] + k->cycles + 1;
				changed = 1;
			}
		}
		if (!changed) {
			*n = np;
			return off;
		}
	}
	free(off);
	return NULL;
}

static void jumps_warn(const char *path, const struct hvb_xt_summary *s)
{
	if (s->tsc_jumps)
		hvb_log(HVB_LOG_WARN, "%s: %llu intervals between records are longer than 2^48 cycles (a day at 3 GHz), "
			"the first between pCPU %u and pCPU %u: a TSC that jumped or is corrupt, not time; left out of "
			"every figure", path, (unsigned long long)s->tsc_jumps, (unsigned)s->jump_cpu[0],
			(unsigned)s->jump_cpu[1]);
}

static int summarize_skewed(const char *path, const struct hvb_xt_opts *o, struct hvb_xt_summary **out);

int hvb_xt_summarize_file(const char *path, const struct hvb_xt_opts *o, struct hvb_xt_summary **out)
{
	int e = summarize_skewed(path, o, out);

	if (*out)
		jumps_warn(path, *out);
	return e;
}

static int summarize_skewed(const char *path, const struct hvb_xt_opts *o, struct hvb_xt_summary **out)
{
	struct hvb_xt_summary *s, *s2;
	struct xt_skew skews[XT_MAX_SKEWS];
	uint32_t nskews, noff = 0;
	uint64_t *off;
	int e;

	if ((e = summarize_pass(path, o, NULL, 0, &s)) || !s->nskews) {
		*out = s;
		return e;
	}
	/* Skew: warn, then read again with the pCPUs' TSCs moved forward by the smallest
	 * amount that puts every vCPU's runstate records back in order. */
	for (uint32_t i = 0; i < s->nskews; i++) {
		const struct xt_skew *k = &s->skews[i];
		hvb_log(HVB_LOG_WARN, "%s: TSC skew: pCPU %u's TSC is at least %llu cycles behind pCPU %u's "
			"(d%uv%u ran on pCPU %u at TSC %llu before it became runnable on pCPU %u at TSC %llu)",
			path, (unsigned)k->behind, (unsigned long long)k->cycles, (unsigned)k->ahead,
			(unsigned)k->dom, (unsigned)k->vcpu, (unsigned)k->behind, (unsigned long long)k->tsc_behind,
			(unsigned)k->ahead, (unsigned long long)k->tsc_ahead);
	}
	if (!(off = skew_offsets(s, &noff))) {
		hvb_log(HVB_LOG_WARN, "%s: the TSC skews contradict each other: not corrected; times across "
			"pCPUs are uncertain", path);
		s->skew_loop = 1;
		*out = s;
		return 0;
	}
	nskews = s->nskews;
	memcpy(skews, s->skews, sizeof(skews));
	if ((e = summarize_pass(path, o, off, noff, &s2))) {
		*out = s;
		return 0; /* the uncorrected summary, with its warnings */
	}
	hvb_xt_summary_free(s);
	memcpy(s2->skews, skews, sizeof(skews));
	s2->nskews = nskews;
	for (uint32_t c = 0; c < noff; c++)
		if (off[c])
			hvb_log(HVB_LOG_WARN, "%s: pCPU %u's times are moved forward by %llu cycles; runstate times "
				"and wake-up latencies measured across pCPUs are lower or upper bounds (marked)", path,
				(unsigned)c, (unsigned long long)off[c]);
	*out = s2;
	return 0;
}
