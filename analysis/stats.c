/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-cell summaries: the median leads, because benchmark samples are skewed
 * and carry outliers; outliers are flagged with a robust rule, never dropped. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "analysis/analysis.h"

double hvb_stats_quantile(const double *sorted, size_t n, double q)
{
	if (!n)
		return NAN;
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, q);
}

/* Sorted copy; NULL on no memory (n > 0). */
static double *sorted_copy(const double *v, size_t n)
{
	double *c = malloc((n ? n : 1) * sizeof(double));

	if (!c)
		return NULL;
	memcpy(c, v, n * sizeof(double));
	gsl_sort(c, 1, n);
	return c;
}

double hvb_stats_median(const double *v, size_t n)
{
	double *c, m;

	if (!n || !(c = sorted_copy(v, n)))
		return NAN;
	m = gsl_stats_median_from_sorted_data(c, 1, n);
	free(c);
	return m;
}

/* The raw MAD: GSL's, unscaled (median of |x - median(x)|). */
static double mad_of(const double *v, size_t n)
{
	double *work = malloc((n ? n : 1) * sizeof(double)), m;

	if (!work || !n) {
		free(work);
		return NAN;
	}
	m = gsl_stats_mad0(v, 1, n, work);
	free(work);
	return m;
}

size_t hvb_stats_outliers(const double *v, size_t n, unsigned char *flags)
{
	double med = hvb_stats_median(v, n), mad = mad_of(v, n);
	size_t cnt = 0;

	for (size_t i = 0; i < n; i++) {
		/* MAD 0 (over half the values equal): anything off the median stands out,
		 * but that is quantisation, not an outlier; flag nothing. */
		int out = mad > 0 && 0.6745 * fabs(v[i] - med) / mad > 3.5;
		if (flags)
			flags[i] = (unsigned char)out;
		cnt += (size_t)out;
	}
	return cnt;
}

int hvb_stats_summarize(const double *v, size_t n, struct hvb_summary *s)
{
	double *c;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n) {
		s->median = s->mean = s->sd = s->cov = s->min = s->max = s->q1 = s->q3 = s->mad = NAN;
		return 0;
	}
	if (!(c = sorted_copy(v, n)))
		return HVB_ENOMEM;
	s->median = gsl_stats_median_from_sorted_data(c, 1, n);
	s->q1 = gsl_stats_quantile_from_sorted_data(c, 1, n, 0.25);
	s->q3 = gsl_stats_quantile_from_sorted_data(c, 1, n, 0.75);
	s->min = c[0];
	s->max = c[n - 1];
	s->mean = gsl_stats_mean(c, 1, n);
	s->sd = n > 1 ? gsl_stats_sd_m(c, 1, n, s->mean) : 0;
	s->cov = s->mean != 0 ? s->sd / fabs(s->mean) : NAN;
	s->mad = mad_of(c, n);
	s->outliers = hvb_stats_outliers(c, n, NULL);
	free(c);
	return 0;
}
