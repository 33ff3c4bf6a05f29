/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The question the modes report answers ("for uniprocessor guests PV wins out.
 * But for 2 CPU ... HVM does"): per workload cell and metric, which guest mode
 * wins at each vCPU count, by how much (the ratio of medians and its CI against
 * the runner-up, compared and judged as every comparison is: compare.c's
 * statistics, verdict.c's verdicts, Holm across the metrics of one vCPU count),
 * the vCPU count where the winner changes, and each mode's gap to the baseline
 * with what Xen did per operation: VM exit cycles by reason, hypercalls,
 * page-table updates (the xentrace probe's figures, probes/xentrace/metrics.c). */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"

/* The cell's key without its mode and vCPUs: the cells of one answer share it. */
static void group_key(const struct hvb_cell_row *r, char *buf, size_t len)
{
	char v[32], *p;

	hvb_cell_key_without(r, "mode", buf, len);
	snprintf(v, sizeof(v), " vcpus=%d", r->vcpus);
	if ((p = strstr(buf, v)))
		memmove(p, p + strlen(v), strlen(p + strlen(v)) + 1);
}

/* "syscall calls=getppid placement=none": the title without vCPUs and memory. */
static void group_title(const struct hvb_cell_row *r, char *buf, size_t len)
{
	char *p;
	size_t off;

	hvb_cell_title(r, buf, len);
	if ((p = strstr(buf, " vcpus=")))
		*p = 0;
	off = strlen(buf);
	snprintf(buf + off, len - off, " placement=%s", r->placement);
}

static int usable(const struct hvb_cell_data *c)
{
	return c->nm > 0;
}

/* A cell with figures whose key without mode and vCPUs is gk. */
static int in_group(const struct hvb_cell_data *c, const char *gk)
{
	char k[1024];

	if (!usable(c))
		return 0;
	group_key(&c->row, k, sizeof(k));
	return !strcmp(k, gk);
}

static int judged(const struct hvb_series *s)
{
	return s->better != HVB_INFO && !hvb_metric_is_probe(s->name);
}

static int int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* b better than a by the metric's direction. */
static int better_than(double b, double a, enum hvb_better dir)
{
	return dir == HVB_HIGHER ? b > a : b < a;
}

static void point_figs(const struct hvb_run_data *d, const char *gk, int vcpus, const char *metric,
		       const struct hvb_judge_opts *o, struct hvb_mode_point *pt)
{
	pt->vcpus = vcpus;
	for (size_t i = 0; i < d->n && pt->nfig < HVB_MODES_MAX; i++) {
		const struct hvb_cell_data *c = &d->cells[i];
		const struct hvb_series *s;
		size_t j;
		if (c->row.vcpus != vcpus || !in_group(c, gk) || !(s = hvb_cell_series(c, metric)) || !s->n)
			continue;
		for (j = 0; j < pt->nfig && strcmp(pt->fig[j].mode, c->row.mode); j++)
			;
		if (j < pt->nfig) /* one cell per mode: the first */
			continue;
		struct hvb_mode_fig *f = &pt->fig[pt->nfig++];
		snprintf(f->mode, sizeof(f->mode), "%s", c->row.mode);
		f->cell = c;
		f->median = hvb_stats_median(s->v, s->n);
		if (hvb_boot_median_ci(s->v, s->n, o->level, o->resamples, o->seed, &f->ci) < 0)
			f->ci.lo = f->ci.hi = f->median;
	}
}

/* The best and second-best guest modes, and the second against the best. */
static int point_winner(struct hvb_mode_point *pt, const char *metric, enum hvb_better dir, const char *baseline,
			const struct hvb_judge_opts *o)
{
	const struct hvb_mode_fig *w = NULL, *r = NULL;

	pt->cmp.verdict = HVB_V_MISSING;
	pt->cmp.ratio = NAN;
	pt->cmp.ci = (struct hvb_ci){ NAN, NAN };
	pt->cmp.p = pt->cmp.p_adj = NAN;
	for (size_t i = 0; i < pt->nfig; i++) {
		const struct hvb_mode_fig *f = &pt->fig[i];
		if (!strcmp(f->mode, baseline))
			continue;
		if (!w || better_than(f->median, w->median, dir)) {
			r = w;
			w = f;
		} else if (!r || better_than(f->median, r->median, dir)) {
			r = f;
		}
	}
	if (w)
		snprintf(pt->winner, sizeof(pt->winner), "%s", w->mode);
	if (!w || !r)
		return 0;
	snprintf(pt->runner_up, sizeof(pt->runner_up), "%s", r->mode);
	const struct hvb_series *sa = hvb_cell_series(r->cell, metric), *sb = hvb_cell_series(w->cell, metric);
	snprintf(pt->cmp.name, sizeof(pt->cmp.name), "%s", metric);
	snprintf(pt->cmp.unit, sizeof(pt->cmp.unit), "%s", sb->unit);
	pt->cmp.better = dir;
	return hvb_metric_compare(sa->v, sa->n, sb->v, sb->n, o, &pt->cmp);
}

static void crossover(struct hvb_mode_answer *a)
{
	const struct hvb_mode_point *last = NULL;

	for (size_t i = 0; i < a->npt; i++) {
		const struct hvb_mode_point *p = &a->pt[i];
		if (!p->decided)
			continue;
		if (last && strcmp(last->winner, p->winner)) {
			if (!a->ncrossovers++) {
				a->crossover = p->vcpus;
				a->crossover_before = last->vcpus;
				snprintf(a->crossover_from, sizeof(a->crossover_from), "%s", last->winner);
				snprintf(a->crossover_to, sizeof(a->crossover_to), "%s", p->winner);
			}
		}
		last = p;
	}
}

/* ---- the gap to the baseline, decomposed ---- */
static int is_pt_update(const char *name)
{
	/* calls that update page tables (per call, whatever their batch: xen.guest.pt_updates counts entries) */
	static const char *const pt[] = { "xen.guest.hypercall.mmu_update", "xen.guest.hypercall.mmuext_op",
					   "xen.guest.hypercall.update_va_mapping",
					   "xen.guest.hypercall.update_va_mapping_otherdomain", NULL };
	for (int i = 0; pt[i]; i++)
		if (!strcmp(name, pt[i]))
			return 1;
	return 0;
}

static int prefixed(const char *name, const char *prefix)
{
	return !strncmp(name, prefix, strlen(prefix));
}

/* The median over samples of the sum of the matching figures, per operation
 * when the sample counted them; NAN when no figure matches. */
static double sum_per_sample(const struct hvb_cell_data *c, const char *prefix, int pt_only, int *per_op)
{
	const struct hvb_series *ops = hvb_cell_series(c, "ops");
	double *sum = NULL, med;
	int *reps = NULL;
	size_t n = 0, cap = 0, nv = 0;

	for (size_t k = 0; k < c->nm; k++) {
		const struct hvb_series *s = &c->m[k];
		if (pt_only ? !is_pt_update(s->name) : !prefixed(s->name, prefix))
			continue;
		for (size_t i = 0; i < s->n; i++) {
			size_t j;
			for (j = 0; j < n && reps[j] != s->rep[i]; j++)
				;
			if (j == n) {
				if (n == cap) {
					cap = cap ? 2 * cap : 32;
					int *nr = realloc(reps, cap * sizeof(int));
					double *ns = nr ? realloc(sum, cap * sizeof(double)) : NULL;
					if (nr)
						reps = nr;
					if (!ns) {
						free(reps);
						free(sum);
						return NAN;
					}
					sum = ns;
				}
				reps[n] = s->rep[i];
				sum[n++] = 0;
			}
			sum[j] += s->v[i];
		}
	}
	*per_op = 0;
	for (size_t j = 0; j < n; j++) {
		if (ops) {
			double o = NAN;
			for (size_t i = 0; i < ops->n; i++)
				if (ops->rep[i] == reps[j])
					o = ops->v[i];
			if (!(o > 0))
				continue;
			sum[nv++] = sum[j] / o;
			*per_op = 1;
		} else {
			sum[nv++] = sum[j];
		}
	}
	med = nv ? hvb_stats_median(sum, nv) : NAN;
	free(sum);
	free(reps);
	return med;
}

struct named {
	const char *name;
	double v;
};

static int named_desc(const void *a, const void *b)
{
	double x = ((const struct named *)a)->v, y = ((const struct named *)b)->v;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The three largest figures under prefix, per operation where counted: "npf 1200, io 300". */
static void top_of(const struct hvb_cell_data *c, const char *prefix, char *buf, size_t len)
{
	const struct hvb_series *ops = hvb_cell_series(c, "ops");
	struct named *v = calloc(c->nm ? c->nm : 1, sizeof(*v));
	size_t n = 0, off = 0;

	buf[0] = 0;
	if (!v)
		return;
	for (size_t k = 0; k < c->nm; k++) {
		const struct hvb_series *s = &c->m[k];
		double *x;
		size_t nx;
		if (!prefixed(s->name, prefix) || !s->n || !(x = malloc(s->n * sizeof(double))))
			continue;
		nx = ops ? hvb_series_per_op(s, ops, x) : 0;
		v[n].name = s->name + strlen(prefix);
		v[n].v = nx ? hvb_stats_median(x, nx) : hvb_stats_median(s->v, s->n);
		free(x);
		if (v[n].v > 0)
			n++;
	}
	qsort(v, n, sizeof(*v), named_desc);
	for (size_t i = 0; i < n && i < 3 && off < len; i++) {
		char num[32];
		hvb_fmt_num(v[i].v, num, sizeof(num));
		off += (size_t)snprintf(buf + off, len - off, "%s%s %s", i ? ", " : "", v[i].name, num);
	}
	free(v);
}

static int gap_fill(struct hvb_mode_gap *g, const struct hvb_cell_data *base, const struct hvb_cell_data *c,
		    const char *metric, const struct hvb_judge_opts *o)
{
	const struct hvb_series *sa = hvb_cell_series(base, metric), *sb = hvb_cell_series(c, metric);
	int po[4] = { 0 };
	int rc;

	snprintf(g->mode, sizeof(g->mode), "%s", c->row.mode);
	snprintf(g->metric, sizeof(g->metric), "%s", metric);
	g->vcpus = c->row.vcpus;
	snprintf(g->cmp.name, sizeof(g->cmp.name), "%s", metric);
	snprintf(g->cmp.unit, sizeof(g->cmp.unit), "%s", sb ? sb->unit : "");
	g->cmp.better = sb ? sb->better : HVB_LOWER;
	if ((rc = hvb_metric_compare(sa ? sa->v : NULL, sa ? sa->n : 0, sb ? sb->v : NULL, sb ? sb->n : 0, o,
				     &g->cmp)) < 0 ||
	    (rc = hvb_judge_family(&g->cmp, 1, o)) < 0)
		return rc;
	/* A guest's own figures (xen.guest.*, as analysis/load.c names older runs' too), never dom0's. */
	g->exit_cycles = sum_per_sample(c, "xen.guest.exit_cycles.", 0, &po[0]);
	g->exits = sum_per_sample(c, "xen.guest.exit.", 0, &po[1]);
	g->hypercalls = sum_per_sample(c, "xen.guest.hypercall.", 0, &po[2]);
	g->pt_updates = sum_per_sample(c, NULL, 1, &po[3]);
	g->per_op = po[0] || po[1] || po[2] || po[3];
	top_of(c, "xen.guest.exit_cycles.", g->top_exits, sizeof(g->top_exits));
	top_of(c, "xen.guest.hypercall.", g->top_hypercalls, sizeof(g->top_hypercalls));
	/* what the decoded arguments say: grant operations by sub-operation (probes/xentrace/hcargs.c) */
	top_of(c, "xen.guest.gnttab.", g->guest_hypercalls, sizeof(g->guest_hypercalls));
	return 0;
}

void hvb_mode_gap_absent(const struct hvb_run_data *d, char *buf, size_t len)
{
	static const struct {
		const char *prefix, *what;
	} need[] = {
		{ "xen.guest.exit_cycles.", "VM exit cycles by reason (xen.guest.exit_cycles.*: the xentrace probe in "
					    "dom0, HVM and PVH cells)" },
		{ "xen.guest.hypercall.", "hypercalls (xen.guest.hypercall.*: the xentrace probe in dom0)" },
		{ "xen.guest.pt_updates", "decoded hypercall arguments (xen.guest.pt_updates, xen.guest.gnttab.*: PV "
					  "guests' records carry them; HVM and PVH guests' only on a hypervisor with "
					  "hvbench's hooks), so the page-table entries that HVM and PVH guests write "
					  "through hypercalls are not counted" },
	};
	size_t off = 0;
	int nmiss = 0;

	buf[0] = 0;
	for (size_t k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
		int have = 0;
		for (size_t i = 0; i < d->n && !have; i++)
			for (size_t j = 0; j < d->cells[i].nm && !have; j++)
				have = prefixed(d->cells[i].m[j].name, need[k].prefix);
		if (!have && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", nmiss++ ? "; " : "This run has no figures of ",
						need[k].what);
	}
	if (nmiss && off < len)
		snprintf(buf + off, len - off, ".");
}

/* ---- the whole ---- */
static int add_answer(struct hvb_mode_answer **ans, size_t *n, struct hvb_mode_answer **out)
{
	struct hvb_mode_answer *na = realloc(*ans, (*n + 1) * sizeof(*na));

	if (!na)
		return HVB_ENOMEM;
	*ans = na;
	*out = &na[(*n)++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* Holm across the metrics of one group at one vCPU count: one family, as a comparison's metrics are. */
static int judge_point_family(struct hvb_mode_answer *ans, size_t first, size_t last, size_t pi,
			      const struct hvb_judge_opts *o)
{
	size_t n = last - first;
	struct hvb_metric_cmp *m = calloc(n ? n : 1, sizeof(*m));
	int rc;

	if (!m)
		return HVB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		m[i] = ans[first + i].pt[pi].cmp;
	rc = hvb_judge_family(m, n, o);
	for (size_t i = 0; i < n; i++) {
		struct hvb_mode_point *p = &ans[first + i].pt[pi];
		p->cmp = m[i];
		p->decided = p->runner_up[0] && p->cmp.verdict == HVB_V_BETTER;
	}
	free(m);
	return rc;
}

static int add_gaps(const struct hvb_run_data *d, const char *gk, const char *title, const char *metric,
		    const char *baseline, const struct hvb_judge_opts *o, struct hvb_mode_gap **gaps, size_t *ngaps)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct hvb_cell_data *c = &d->cells[i], *base = NULL;
		if (!strcmp(c->row.mode, baseline) || !in_group(c, gk))
			continue;
		for (size_t j = 0; j < d->n && !base; j++) {
			const struct hvb_cell_data *b = &d->cells[j];
			if (!strcmp(b->row.mode, baseline) && b->row.vcpus == c->row.vcpus && in_group(b, gk))
				base = b;
		}
		if (!base)
			continue;
		struct hvb_mode_gap *ng = realloc(*gaps, (*ngaps + 1) * sizeof(*ng));
		if (!ng)
			return HVB_ENOMEM;
		*gaps = ng;
		ng = &ng[(*ngaps)++];
		memset(ng, 0, sizeof(*ng));
		snprintf(ng->group, sizeof(ng->group), "%s", title);
		int rc = gap_fill(ng, base, c, metric, o);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int group_answers(const struct hvb_run_data *d, size_t first_cell, const char *gk, const char *baseline,
			 const struct hvb_judge_opts *o, struct hvb_mode_answer **ans, size_t *nans,
			 struct hvb_mode_gap **gaps, size_t *ngaps)
{
	const struct hvb_cell_data *c0 = &d->cells[first_cell];
	int vc[64];
	size_t nvc = 0, start = *nans;
	char title[256];
	int rc = 0, nmodes = 0;

	group_title(&c0->row, title, sizeof(title));
	/* vCPU counts and guest modes of the group */
	for (size_t i = first_cell; i < d->n; i++) {
		const struct hvb_cell_data *c = &d->cells[i];
		size_t j;
		if (!in_group(c, gk))
			continue;
		nmodes += strcmp(c->row.mode, baseline) != 0;
		for (j = 0; j < nvc && vc[j] != c->row.vcpus; j++)
			;
		if (j == nvc && nvc < 64)
			vc[nvc++] = c->row.vcpus;
	}
	if (!nmodes) /* only the baseline: nothing to answer */
		return 0;
	qsort(vc, nvc, sizeof(int), int_cmp);
	/* one answer per judged metric of the group's cells */
	for (size_t i = first_cell; i < d->n && !rc; i++) {
		const struct hvb_cell_data *c = &d->cells[i];
		if (!in_group(c, gk))
			continue;
		for (size_t m = 0; m < c->nm && !rc; m++) {
			const struct hvb_series *s = &c->m[m];
			struct hvb_mode_answer *a;
			size_t j;
			if (!judged(s))
				continue;
			for (j = start; j < *nans && strcmp((*ans)[j].metric, s->name); j++)
				;
			if (j < *nans)
				continue;
			if ((rc = add_answer(ans, nans, &a)) < 0)
				break;
			snprintf(a->group, sizeof(a->group), "%s", title);
			snprintf(a->metric, sizeof(a->metric), "%s", s->name);
			snprintf(a->unit, sizeof(a->unit), "%s", s->unit);
			a->better = s->better;
			if (!(a->pt = calloc(nvc ? nvc : 1, sizeof(*a->pt)))) {
				rc = HVB_ENOMEM;
				break;
			}
			a->npt = nvc;
			for (size_t v = 0; v < nvc && !rc; v++) {
				point_figs(d, gk, vc[v], s->name, o, &a->pt[v]);
				rc = point_winner(&a->pt[v], s->name, s->better, baseline, o);
			}
		}
	}
	for (size_t v = 0; v < nvc && !rc; v++)
		rc = judge_point_family(*ans, start, *nans, v, o);
	for (size_t i = start; i < *nans && !rc; i++)
		crossover(&(*ans)[i]);
	if (!rc && *nans > start)
		rc = add_gaps(d, gk, title, (*ans)[start].metric, baseline, o, gaps, ngaps);
	return rc;
}

int hvb_mode_answers(const struct hvb_run_data *d, const char *baseline, const struct hvb_judge_opts *o,
		     struct hvb_mode_answer **ans, size_t *nans, struct hvb_mode_gap **gaps, size_t *ngaps)
{
	char k[1024], k2[1024];
	int rc = 0;

	*ans = NULL;
	*gaps = NULL;
	*nans = *ngaps = 0;
	for (size_t i = 0; i < d->n && !rc; i++) {
		size_t j;
		if (!usable(&d->cells[i]))
			continue;
		group_key(&d->cells[i].row, k, sizeof(k));
		/* each group once: from its first cell */
		for (j = 0; j < i; j++) {
			if (!usable(&d->cells[j]))
				continue;
			group_key(&d->cells[j].row, k2, sizeof(k2));
			if (!strcmp(k, k2))
				break;
		}
		if (j == i)
			rc = group_answers(d, i, k, baseline, o, ans, nans, gaps, ngaps);
	}
	if (rc < 0) {
		hvb_mode_answers_free(*ans, *nans, *gaps);
		*ans = NULL;
		*gaps = NULL;
		*nans = *ngaps = 0;
	}
	return rc;
}

void hvb_mode_answers_free(struct hvb_mode_answer *ans, size_t nans, struct hvb_mode_gap *gaps)
{
	for (size_t i = 0; i < nans; i++)
		free(ans[i].pt);
	free(ans);
	free(gaps);
}
