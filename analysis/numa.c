/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Randomised against optimised placement: for each group of cells that differ
 * only in placement and hold the optimised one (the report's placement
 * baseline, local unless --placement-baseline says otherwise) and remote (the
 * worst by construction), each judged metric's
 *   - median with its bootstrap CI under auto (the kernel's own placement
 *     natively, Xen's automatic placement for guests), the optimised placement
 *     and remote;
 *   - random as a distribution over its draws (placement.draw of each sample):
 *     the median of the draws' medians with its bootstrap CI over draws, their
 *     range, and the worst draw;
 *   - the share of the optimised gain that auto recovers,
 *         share = (m_auto - m_remote) / (m_opt - m_remote)
 *     from the medians m: 1 when auto is as good as the optimised placement, 0
 *     when it is no better than remote, below 0 worse, above 1 better than the
 *     optimised one. Numerator and denominator change sign together, so it
 *     reads the same for metrics where lower is better and where higher is; it
 *     is a ratio of differences of medians, robust to the outliers a sample
 *     may have. It is undefined when the optimised placement gains nothing over
 *     remote (m_opt == m_remote), and not to be trusted when the gain's own CI
 *     (of m_opt / m_remote) holds 1: both are said. Its CI is a percentile
 *     bootstrap resampling the three cells' samples apart; random's share the
 *     same with random's draws' medians resampled.
 * Per guest figures (guestK.METRIC) are rows like any other. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"

/* The cell of placement pl among those with group key k (NULL: none). */
static const struct hvb_cell_data *find(const struct hvb_run_data *d, const char *k, const char *pl)
{
	char kc[1024];

	for (size_t j = 0; j < d->n; j++) {
		if (strcmp(d->cells[j].row.placement, pl) || !d->cells[j].nm)
			continue;
		hvb_cell_key_without(&d->cells[j].row, "placement", kc, sizeof(kc));
		if (!strcmp(k, kc))
			return &d->cells[j];
	}
	return NULL;
}

static void fig(const struct hvb_cell_data *c, const char *metric, const struct hvb_judge_opts *o,
		struct hvb_numa_fig *f)
{
	const struct hvb_series *s = c ? hvb_cell_series(c, metric) : NULL;

	memset(f, 0, sizeof(*f));
	f->median = f->ci.lo = f->ci.hi = NAN;
	if (!s || !s->n)
		return;
	f->n = s->n;
	f->median = hvb_stats_median(s->v, s->n);
	hvb_boot_median_ci(s->v, s->n, o->level, o->resamples, o->seed, &f->ci);
}

/* Random's values grouped by the draw each sample ran under: the draws'
 * medians into med (caller frees) and their draw numbers into id. Samples
 * without placement.draw (a run of one draw per cell) are one draw. */
static size_t draw_medians(const struct hvb_cell_data *c, const struct hvb_series *s, double **med, int **id)
{
	const struct hvb_series *dr = hvb_cell_series(c, "placement.draw");
	double *tmp = malloc(s->n * sizeof(double));
	size_t nd = 0;

	*med = malloc(s->n * sizeof(double));
	*id = malloc(s->n * sizeof(int));
	if (!tmp || !*med || !*id) {
		free(tmp);
		return 0;
	}
	for (size_t i = 0; i < s->n; i++) {
		int d = -1;
		for (size_t k = 0; dr && k < dr->n; k++)
			if (dr->rep[k] == s->rep[i])
				d = (int)dr->v[k];
		size_t seen = 0;
		for (; seen < nd && (*id)[seen] != d; seen++)
			;
		if (seen < nd)
			continue;
		/* every value of draw d */
		size_t n = 0;
		for (size_t j = 0; j < s->n; j++) {
			int dj = -1;
			for (size_t k = 0; dr && k < dr->n; k++)
				if (dr->rep[k] == s->rep[j])
					dj = (int)dr->v[k];
			if (dj == d)
				tmp[n++] = s->v[j];
		}
		(*id)[nd] = d;
		(*med)[nd++] = hvb_stats_median(tmp, n);
	}
	free(tmp);
	return nd;
}

static double share_of(double x, double lo, double hi)
{
	return hi != lo ? (x - lo) / (hi - lo) : NAN;
}

static int row_add(struct hvb_report *r, struct hvb_numa_row *row)
{
	struct hvb_numa_row *nr = realloc(r->numa, (r->nnuma + 1) * sizeof(*nr));

	if (!nr)
		return HVB_ENOMEM;
	r->numa = nr;
	nr[r->nnuma++] = *row;
	return 0;
}

static int numa_rows(struct hvb_report *r, const struct hvb_run_data *d, const struct hvb_cell_data *opt,
		     const char *k)
{
	const struct hvb_cell_data *rem = find(d, k, "remote"), *aut = find(d, k, "auto"), *rnd = find(d, k, "random");
	const struct hvb_judge_opts *o = &r->opts;
	int rc = 0;

	if (!rem || (!aut && !rnd) || opt == rem)
		return 0;
	for (size_t i = 0; i < opt->nm && rc == 0; i++) {
		const struct hvb_series *so = &opt->m[i], *sr = hvb_cell_series(rem, so->name);
		struct hvb_numa_row row;
		if (so->better == HVB_INFO || hvb_metric_is_probe(so->name) || !sr || !sr->n)
			continue;
		memset(&row, 0, sizeof(row));
		hvb_cell_title(&opt->row, row.title, sizeof(row.title));
		size_t off = strlen(row.title);
		snprintf(row.title + off, sizeof(row.title) - off, " on %s:%s", opt->row.backend, opt->row.mode);
		snprintf(row.metric, sizeof(row.metric), "%s", so->name);
		snprintf(row.unit, sizeof(row.unit), "%s", so->unit);
		snprintf(row.optimised, sizeof(row.optimised), "%s", opt->row.placement);
		row.better = so->better;
		fig(opt, so->name, o, &row.opt);
		fig(rem, so->name, o, &row.remote);
		fig(aut, so->name, o, &row.autop);
		row.share = row.random_share = row.draw_median = row.draw_min = row.draw_max = row.draw_worst = NAN;
		row.share_ci.lo = row.share_ci.hi = row.random_share_ci.lo = row.random_share_ci.hi = NAN;
		row.draw_ci.lo = row.draw_ci.hi = row.gain_ci.lo = row.gain_ci.hi = NAN;
		row.worst_draw = -1;
		/* The optimised gain over remote, as a ratio of medians with its CI. */
		row.gain = row.remote.median != 0 ? row.opt.median / row.remote.median : NAN;
		hvb_boot_ratio_ci(sr->v, sr->n, so->v, so->n, o->level, o->resamples, o->seed, &row.gain_ci);
		row.gain_known = isfinite(row.gain_ci.lo) && (row.gain_ci.lo > 1 || row.gain_ci.hi < 1);
		const struct hvb_series *sa = aut ? hvb_cell_series(aut, so->name) : NULL;
		if (sa && sa->n) {
			row.share = share_of(row.autop.median, row.remote.median, row.opt.median);
			hvb_boot_share_ci(sa->v, sa->n, sr->v, sr->n, so->v, so->n, o->level, o->resamples, o->seed,
					  &row.share_ci);
		}
		const struct hvb_series *sx = rnd ? hvb_cell_series(rnd, so->name) : NULL;
		double *med = NULL;
		int *id = NULL;
		if (sx && sx->n && (row.ndraws = draw_medians(rnd, sx, &med, &id)) > 0) {
			row.random.n = sx->n;
			row.draw_median = hvb_stats_median(med, row.ndraws);
			hvb_boot_median_ci(med, row.ndraws, o->level, o->resamples, o->seed, &row.draw_ci);
			row.draw_min = row.draw_max = med[0];
			for (size_t j = 0; j < row.ndraws; j++) {
				row.draw_min = fmin(row.draw_min, med[j]);
				row.draw_max = fmax(row.draw_max, med[j]);
				/* the worst draw: the highest where lower is better, the lowest otherwise */
				if (row.worst_draw < 0 || (row.better == HVB_LOWER ? med[j] > row.draw_worst : med[j] < row.draw_worst)) {
					row.draw_worst = med[j];
					row.worst_draw = id[j];
				}
			}
			row.random_share = share_of(row.draw_median, row.remote.median, row.opt.median);
			hvb_boot_share_ci(med, row.ndraws, sr->v, sr->n, so->v, so->n, o->level, o->resamples, o->seed,
					  &row.random_share_ci);
		}
		free(med);
		free(id);
		rc = row_add(r, &row);
	}
	return rc;
}

int hvb_numa_build(struct hvb_report *r, const struct hvb_run_data *d, const char *optimised)
{
	char k[1024];
	int rc = 0;

	for (size_t i = 0; i < d->n && rc == 0; i++) {
		const struct hvb_cell_data *opt = &d->cells[i];
		if (strcmp(opt->row.placement, optimised) || !opt->nm)
			continue;
		hvb_cell_key_without(&opt->row, "placement", k, sizeof(k));
		rc = numa_rows(r, d, opt, k);
	}
	return rc;
}
