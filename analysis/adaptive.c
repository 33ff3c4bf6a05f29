/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kept by hand: the order-statistic interval is a binomial count; no library has the stop rule. */
/* repetitions = auto: the runner asks after each sample whether the median is
 * known well enough. The interval here is the distribution-free one from order
 * statistics (the binomial argument: each value is below the true median with
 * probability 1/2), so it is exact for any distribution, deterministic, and
 * needs no GSL; it also refuses to stop before the sample can reach the level
 * at all (6 values for 95%). */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"

#define LEVEL 0.95

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* P(B <= k) for B ~ Binomial(n, 1/2), through log-gamma so that large n works. */
static double binom_half_cdf(size_t n, size_t k)
{
	double s = 0, ln2n = (double)n * log(2.0);

	for (size_t i = 0; i <= k && i <= n; i++)
		s += exp(lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) - ln2n);
	return s < 1 ? s : 1;
}

int hvb_median_ci_order(const double *v, size_t n, double level, double *lo, double *hi, double *coverage)
{
	double *c, cov = 0;
	size_t l = 0; /* 1-based order statistic of the lower bound; 0 = none reaches the level */

	if (!n)
		return HVB_EINVAL;
	/* Coverage of [x(l), x(n+1-l)] is 1 - 2 P(B <= l-1); it falls as l grows. */
	for (size_t k = 1; 2 * k <= n + 1; k++) {
		double cv = 1 - 2 * binom_half_cdf(n, k - 1);
		if (cv < level)
			break;
		l = k;
		cov = cv;
	}
	if (!l)
		return HVB_EINVAL;
	if (!(c = malloc(n * sizeof(double))))
		return HVB_ENOMEM;
	memcpy(c, v, n * sizeof(double));
	qsort(c, n, sizeof(double), cmp_double);
	*lo = c[l - 1];
	*hi = c[n - l];
	if (coverage)
		*coverage = cov;
	free(c);
	return 0;
}

int hvb_adaptive_enough(const double *values, size_t n, double ci_target, char *why, size_t len)
{
	double lo, hi, cov, med, *c, width;
	int rc;

	rc = hvb_median_ci_order(values, n, LEVEL, &lo, &hi, &cov);
	if (rc == HVB_EINVAL) {
		snprintf(why, len, "%zu values cannot give a %.0f%% interval of the median yet", n, LEVEL * 100);
		return 0;
	}
	if (rc < 0 || !(c = malloc(n * sizeof(double)))) {
		snprintf(why, len, "out of memory");
		return 0;
	}
	memcpy(c, values, n * sizeof(double));
	qsort(c, n, sizeof(double), cmp_double);
	med = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
	free(c);
	width = med != 0 ? (hi - lo) / fabs(med) : INFINITY;
	if (hi == lo)
		width = 0;
	snprintf(why, len, "median %.6g, %.1f%% interval [%.6g, %.6g] is %.2f%% wide (target %.2f%%) after %zu values",
		 med, cov * 100, lo, hi, width * 100, ci_target * 100, n);
	return width <= ci_target;
}
