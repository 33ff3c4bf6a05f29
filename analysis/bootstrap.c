/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kept by hand over GSL's generator and quantile: GSL has no bootstrap (tests/unit-stats.c). */
/* Percentile bootstrap intervals of the median, of a ratio of medians and of
 * the share of a gain (analysis/numa.c). The
 * generator is GSL's MT19937 seeded by the caller, so a report is reproducible. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include "analysis/analysis.h"

static double resampled_median(gsl_rng *r, const double *v, size_t n, double *tmp)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[gsl_rng_uniform_int(r, n)];
	gsl_sort(tmp, 1, n);
	return hvb_stats_quantile(tmp, n, 0.5);
}

/* The statistics of the medians of the arrays resampled: a median, a ratio of
 * medians, a share of a gain; NAN when it does not exist for that resample. */
static double stat_median(const double *m) { return m[0]; }
static double stat_ratio(const double *m) { return m[0] != 0 ? m[1] / m[0] : NAN; }
static double stat_share(const double *m) { return m[2] != m[1] ? (m[0] - m[1]) / (m[2] - m[1]) : NAN; }

/* Draws `resamples` statistics f of the medians of v[0..nv), each array
 * resampled on its own, and takes the two percentiles of the level. */
static int boot(const double *const *v, const size_t *n, size_t nv, double (*f)(const double *), double level,
		unsigned resamples, uint64_t seed, struct hvb_ci *ci)
{
	gsl_rng *r;
	double *stat, *tmp, med[3];
	size_t k = 0, most = 0;
	int rc = 0;

	ci->lo = ci->hi = NAN;
	for (size_t j = 0; j < nv; j++) {
		if (!n[j])
			return HVB_EINVAL;
		most = n[j] > most ? n[j] : most;
	}
	if (level <= 0 || level >= 1 || resamples < 10)
		return HVB_EINVAL;
	stat = malloc(resamples * sizeof(double));
	tmp = malloc(most * sizeof(double));
	r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!stat || !tmp || !r) {
		rc = HVB_ENOMEM;
		goto out;
	}
	gsl_rng_set(r, (unsigned long)(seed ? seed : 1));
	for (unsigned i = 0; i < resamples; i++) {
		/* the last array first: the order the ratio always drew its medians in */
		for (size_t j = nv; j-- > 0;)
			med[j] = resampled_median(r, v[j], n[j], tmp);
		double s = f(med);
		if (isfinite(s))
			stat[k++] = s;
	}
	if (k < resamples / 2) { /* the denominator's median is (mostly) zero: no statistic */
		rc = HVB_EINVAL;
		goto out;
	}
	gsl_sort(stat, 1, k);
	ci->lo = hvb_stats_quantile(stat, k, (1 - level) / 2);
	ci->hi = hvb_stats_quantile(stat, k, (1 + level) / 2);
out:
	gsl_rng_free(r);
	free(stat);
	free(tmp);
	return rc;
}

int hvb_boot_median_ci(const double *v, size_t n, double level, unsigned resamples, uint64_t seed,
		       struct hvb_ci *ci)
{
	const double *vs[] = { v };
	return boot(vs, &n, 1, stat_median, level, resamples, seed, ci);
}

int hvb_boot_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level, unsigned resamples,
		      uint64_t seed, struct hvb_ci *ci)
{
	const double *vs[] = { a, b };
	size_t ns[] = { na, nb };
	return boot(vs, ns, 2, stat_ratio, level, resamples, seed, ci);
}

int hvb_boot_share_ci(const double *x, size_t nx, const double *lo, size_t nlo, const double *hi, size_t nhi,
		      double level, unsigned resamples, uint64_t seed, struct hvb_ci *ci)
{
	const double *vs[] = { x, lo, hi };
	size_t ns[] = { nx, nlo, nhi };
	return boot(vs, ns, 3, stat_share, level, resamples, seed, ci);
}
