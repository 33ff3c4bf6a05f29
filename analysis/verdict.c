/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One metric, two samples: the comparison and its verdict. A difference is
 * called only when it is both significant (Mann-Whitney, Holm-adjusted across
 * the comparison's metrics) and at least the minimum effect; "same" needs the
 * interval of the ratio to lie within the minimum effect, so that a noisy
 * sample is "inconclusive" (with an estimate of the repetitions it lacks)
 * rather than a false "same". */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include "analysis/analysis.h"

#define MIN_REPS 3

const char *hvb_verdict_name(enum hvb_verdict v)
{
	static const char *const names[] = { "same", "better", "worse", "inconclusive", "info", "missing" };
	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

void hvb_judge_opts_default(struct hvb_judge_opts *o)
{
	*o = (struct hvb_judge_opts){ .alpha = 0.05, .min_effect = 0.02, .level = 0.95, .power = 0.8,
				      .resamples = HVB_BOOT_RESAMPLES, .seed = 0x5eedULL };
}

/* The two-sided Mann-Whitney test at alpha with the given power detects a
 * relative effect of mwu_scale() x rel_sd / sqrt(n) with n per side: the t-test's
 * (za + zb) sqrt(2), over the test's asymptotic relative efficiency under
 * normality (3/pi). hvb_reps_needed and hvb_detectable solve it both ways. */
static double mwu_scale(double alpha, double power)
{
	return (gsl_cdf_ugaussian_Pinv(1 - alpha / 2) + gsl_cdf_ugaussian_Pinv(power)) * sqrt(2 / (3 / M_PI));
}

int hvb_reps_needed(double rel_sd, double effect, double alpha, double power)
{
	double k, n;

	if (!(effect > 0) || !isfinite(rel_sd))
		return MIN_REPS;
	k = mwu_scale(alpha, power) * rel_sd / effect;
	n = k * k;
	if (!(n <= HVB_REPS_REACH))
		return HVB_REPS_REACH + 1; /* out of reach: not a figure to show */
	return n < MIN_REPS ? MIN_REPS : (int)ceil(n);
}

double hvb_detectable(double rel_sd, size_t n, const struct hvb_judge_opts *o)
{
	double sig, thr;

	if (n < 2 || !isfinite(rel_sd))
		return NAN;
	sig = mwu_scale(o->alpha, o->power) * rel_sd / sqrt((double)n);
	/* A median's sd is sqrt(pi/2) times the mean's; two of them in the ratio. */
	thr = o->min_effect + gsl_cdf_ugaussian_Pinv(o->power) * sqrt(M_PI / 2) * rel_sd * sqrt(2 / (double)n);
	return fmax(sig, thr);
}

/* A robust relative spread of one side: the MAD scaled to a normal sd, over
 * the median; the coefficient of variation when the MAD is 0. */
static double rel_spread(const struct hvb_summary *s)
{
	if (s->n < 2 || s->median == 0)
		return NAN;
	if (s->mad > 0)
		return 1.4826 * s->mad / fabs(s->median);
	return isfinite(s->cov) ? s->cov : NAN;
}

/* The relative change in the worse direction for a ratio b/a. */
static double worse_change(double ratio, enum hvb_better better)
{
	return better == HVB_HIGHER ? 1 - ratio : ratio - 1;
}

int hvb_metric_compare(const double *a, size_t na, const double *b, size_t nb, const struct hvb_judge_opts *o,
		       struct hvb_metric_cmp *m)
{
	struct hvb_mwu t;
	int rc;

	m->p = m->p_adj = NAN;
	m->ratio = m->change = m->detectable = NAN;
	m->ci = m->ci_a = m->ci_b = (struct hvb_ci){ NAN, NAN };
	m->verdict = HVB_V_MISSING;
	if ((rc = hvb_stats_summarize(a, na, &m->a)) < 0 || (rc = hvb_stats_summarize(b, nb, &m->b)) < 0)
		return rc;
	if (na)
		hvb_boot_median_ci(a, na, o->level, o->resamples, o->seed, &m->ci_a);
	if (nb)
		hvb_boot_median_ci(b, nb, o->level, o->resamples, o->seed + 1, &m->ci_b);
	if (!na || !nb)
		return 0;
	if (m->a.median != 0)
		m->ratio = m->b.median / m->a.median;
	m->change = worse_change(m->ratio, m->better);
	hvb_boot_ratio_ci(a, na, b, nb, o->level, o->resamples, o->seed + 2, &m->ci);
	if (hvb_mwu_test(a, na, b, nb, &t) == 0) {
		m->p = m->p_adj = t.p;
		m->exact = t.exact;
	}
	return 0;
}

/* How many more repetitions per side an inconclusive comparison needs. When the
 * change looks smaller than the minimum effect, the interval must shrink (as
 * 1/sqrt(n)) until it fits within it; otherwise the change must become
 * significant, which the power calculation estimates for the observed change. */
static int more_reps(const struct hvb_metric_cmp *m, const struct hvb_judge_opts *o, size_t n, double spread,
		     double lo, double hi)
{
	double margin = o->min_effect - fabs(m->change), half = fabs(hi - lo) / 2, need;

	if (margin > 0 && isfinite(half) && half > 0)
		need = (double)n * (half / margin) * (half / margin);
	else
		need = hvb_reps_needed(spread, fmax(fabs(m->change), o->min_effect), o->alpha, o->power);
	/* Beyond what an experiment may ask for (repetitions <= 10000): no count to
	 * offer, only that more samples will not settle it at this spread. */
	if (!(need <= HVB_REPS_REACH))
		return -1;
	return need > (double)n ? (int)ceil(need) - (int)n : 1;
}

enum hvb_verdict hvb_verdict_decide(struct hvb_metric_cmp *m, const struct hvb_judge_opts *o)
{
	size_t n = m->a.n < m->b.n ? m->a.n : m->b.n;
	double lo, hi, spread;

	m->need_more = 0;
	m->detectable = NAN;
	if (m->better == HVB_INFO)
		return m->verdict = HVB_V_INFO;
	if (!m->a.n || !m->b.n || !isfinite(m->ratio))
		return m->verdict = HVB_V_MISSING;
	spread = fmax(rel_spread(&m->a), rel_spread(&m->b));
	m->detectable = hvb_detectable(spread, n, o);
	if (n < MIN_REPS || !isfinite(m->p_adj)) {
		int need = hvb_reps_needed(spread, o->min_effect, o->alpha, o->power);
		m->need_more = need > HVB_REPS_REACH ? -1 : need > (int)n ? need - (int)n : MIN_REPS - (int)n;
		return m->verdict = HVB_V_INCONCLUSIVE;
	}
	if (m->p_adj < o->alpha) {
		if (fabs(m->change) < o->min_effect)
			return m->verdict = HVB_V_SAME; /* real, but too small to matter */
		return m->verdict = m->change > 0 ? HVB_V_WORSE : HVB_V_BETTER;
	}
	/* Not significant: "same" only when the interval rules out a change that matters. */
	lo = worse_change(m->ci.lo, m->better);
	hi = worse_change(m->ci.hi, m->better);
	if (isfinite(lo) && isfinite(hi) && fabs(lo) < o->min_effect && fabs(hi) < o->min_effect)
		return m->verdict = HVB_V_SAME;
	m->need_more = more_reps(m, o, n, spread, lo, hi);
	return m->verdict = HVB_V_INCONCLUSIVE;
}

int hvb_judge_family(struct hvb_metric_cmp *m, size_t n, const struct hvb_judge_opts *o)
{
	double *p = calloc(n ? n : 1, sizeof(double));
	size_t nj = 0;

	if (!p)
		return HVB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (m[i].better != HVB_INFO && isfinite(m[i].p))
			p[nj++] = m[i].p;
	hvb_holm(p, nj, p);
	nj = 0;
	for (size_t i = 0; i < n; i++) {
		if (m[i].better != HVB_INFO && isfinite(m[i].p))
			m[i].p_adj = p[nj++];
		hvb_verdict_decide(&m[i], o);
	}
	free(p);
	return 0;
}
