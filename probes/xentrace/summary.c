/* The summary: domain and vCPU tables, the current vCPU of each pCPU, and dispatch of each
 * record to its trace class's handler. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "probes/xentrace/xt-trace.h"
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
			struct xt_pcpu *p = xt_pcpu_get(s, r->cpu);
			s->lost_markers++;
			s->lost_records += r->nextra ? r->d[0] : 0;
			/* Who runs on this pCPU after the gap is unknown until the next schedule. */
			if (p && p->cur) {
				p->cur->exit_open = 0;
				p->cur = NULL;
			}
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
	/* Scheduler records name their vCPU in word 0 (vcpu in the low half, domain above). */
	if (hvb_xt_event_class(r->event) == HVB_XT_SCHED && r->nextra >= 1 &&
	    ((r->event & ~0xff0u) == TRC_SCHED_RUNSTATE_CHANGE || r->event == TRC_SCHED_CONTINUE_RUNNING ||
	     r->event == TRC_SCHED_WAKE || r->event == TRC_SCHED_SLEEP || r->event == TRC_SCHED_BLOCK ||
	     r->event == TRC_SCHED_YIELD)) {
		*dom = r->d[0] >> 16;
		*vcpu = r->d[0] & 0xffff;
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

enum hvb_xt_vendor hvb_xt_summary_vendor(const struct hvb_xt_summary *s)
{
	if (s->vendor != HVB_XT_VENDOR_AUTO)
		return s->vendor;
	return s->vendor_svm_seen ? HVB_XT_VENDOR_SVM : HVB_XT_VENDOR_VMX;
}

uint64_t hvb_xt_summary_first_tsc(const struct hvb_xt_summary *s) { return s->first_tsc; }

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

int hvb_xt_summarize_file(const char *path, const struct hvb_xt_opts *o, struct hvb_xt_summary **out)
{
	struct hvb_xt_reader *rd = hvb_xt_reader_open(path);
	struct hvb_xt_summary *s;
	int e;

	*out = NULL;
	if (!rd)
		return HVB_ENOENT;
	if (!(s = hvb_xt_summary_new(o))) {
		hvb_xt_reader_close(rd);
		return HVB_ENOMEM;
	}
	e = hvb_xt_reader_run(rd, hvb_xt_summary_add, s);
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
