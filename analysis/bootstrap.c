/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Percentile bootstrap intervals of the median and of a ratio of medians. The
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

/* Draws `resamples` statistics (a median, or a ratio of medians when a is given)
 * and takes the two percentiles of the level. */
static int boot(const double *a, size_t na, const double *b, size_t nb, double level, unsigned resamples,
		uint64_t seed, struct hvb_ci *ci)
{
	gsl_rng *r;
	double *stat, *tmp;
	size_t k = 0;
	int rc = 0;

	ci->lo = ci->hi = NAN;
	if (!nb || (a && !na) || level <= 0 || level >= 1 || resamples < 10)
		return HVB_EINVAL;
	stat = malloc(resamples * sizeof(double));
	tmp = malloc((na > nb ? na : nb) * sizeof(double));
	r = gsl_rng_alloc(gsl_rng_mt19937);
	if (!stat || !tmp || !r) {
		rc = HVB_ENOMEM;
		goto out;
	}
	gsl_rng_set(r, (unsigned long)(seed ? seed : 1));
	for (unsigned i = 0; i < resamples; i++) {
		double mb = resampled_median(r, b, nb, tmp);
		if (!a) {
			stat[k++] = mb;
			continue;
		}
		double ma = resampled_median(r, a, na, tmp);
		if (ma != 0 && isfinite(mb / ma))
			stat[k++] = mb / ma;
	}
	if (k < resamples / 2) { /* the baseline's median is (mostly) zero: no ratio */
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
	return boot(NULL, 0, v, n, level, resamples, seed, ci);
}

int hvb_boot_ratio_ci(const double *a, size_t na, const double *b, size_t nb, double level, unsigned resamples,
		      uint64_t seed, struct hvb_ci *ci)
{
	return boot(a, na, b, nb, level, resamples, seed, ci);
}
