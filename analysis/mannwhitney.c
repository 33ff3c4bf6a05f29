/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kept by hand: GSL has no rank-sum test; checked against R's wilcox.test and SciPy (tests/unit-stats.c). */
/* Mann-Whitney U (Wilcoxon rank-sum): the exact null distribution for small
 * samples without ties, otherwise the normal approximation with the tie
 * correction of the variance and a continuity correction. The same choices as
 * R's wilcox.test(x, y) (exact when both samples are under 50 and there are no
 * ties), so its p-values can be checked against R's. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include "analysis/analysis.h"

#define EXACT_LIMIT 50

/* The null distribution of U (pairs a > b) for na, nb as probabilities: built
 * up one observation at a time. The largest of m + j observations comes from
 * the first sample with probability m / (m + j) and then beats all j others:
 *   P[m][j](u) = m/(m+j) P[m-1][j](u - j) + j/(m+j) P[m][j-1](u).
 * Every term is positive, so there is no cancellation. Returns mn+1 values. */
static double *exact_pmf(size_t na, size_t nb)
{
	size_t umax = na * nb, w = umax + 1;
	double *prev = calloc((nb + 1) * w, sizeof(double)), *cur = calloc((nb + 1) * w, sizeof(double)), *out;

	if (!prev || !cur) {
		free(prev);
		free(cur);
		return NULL;
	}
	/* m = 0: U is 0 for every j */
	for (size_t j = 0; j <= nb; j++)
		prev[j * w] = 1;
	for (size_t m = 1; m <= na; m++) {
		for (size_t j = 0; j <= nb; j++) {
			double *c = cur + j * w, *p = prev + j * w;
			for (size_t u = 0; u < w; u++) {
				double v = 0;
				if (u >= j)
					v += (double)m / (double)(m + j) * p[u - j];
				if (j)
					v += (double)j / (double)(m + j) * cur[(j - 1) * w + u];
				c[u] = v;
			}
		}
		double *t = prev;
		prev = cur;
		cur = t;
	}
	out = malloc(w * sizeof(double));
	if (out)
		for (size_t u = 0; u < w; u++)
			out[u] = prev[nb * w + u];
	free(prev);
	free(cur);
	return out;
}

double hvb_mwu_exact_cdf(size_t na, size_t nb, double u)
{
	double *pmf, s = 0;
	long k = (long)floor(u + 1e-9);

	if (k < 0)
		return 0;
	if ((size_t)k >= na * nb)
		return 1;
	if (!(pmf = exact_pmf(na, nb)))
		return NAN;
	for (long i = 0; i <= k; i++)
		s += pmf[i];
	free(pmf);
	return s < 1 ? s : 1;
}

struct obs {
	double v;
	int first;
};

static int by_value(const void *x, const void *y)
{
	const struct obs *a = x, *b = y;
	return (a->v > b->v) - (a->v < b->v);
}

int hvb_mwu_test(const double *a, size_t na, const double *b, size_t nb, struct hvb_mwu *out)
{
	size_t n = na + nb;
	struct obs *o;
	double rank_a = 0, tie_sum = 0;

	*out = (struct hvb_mwu){ .p = NAN, .p_greater = NAN, .p_less = NAN };
	if (!na || !nb)
		return HVB_EINVAL;
	if (!(o = malloc(n * sizeof(*o))))
		return HVB_ENOMEM;
	for (size_t i = 0; i < na; i++)
		o[i] = (struct obs){ a[i], 1 };
	for (size_t i = 0; i < nb; i++)
		o[na + i] = (struct obs){ b[i], 0 };
	qsort(o, n, sizeof(*o), by_value);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && o[j + 1].v == o[i].v)
			j++;
		double t = (double)(j - i + 1), mid = (double)(i + j) / 2 + 1; /* midrank, 1-based */
		for (size_t k = i; k <= j; k++)
			if (o[k].first)
				rank_a += mid;
		tie_sum += t * t * t - t;
		i = j + 1;
	}
	free(o);
	out->ties = tie_sum > 0;
	out->u = rank_a - (double)na * (double)(na + 1) / 2;

	double mn = (double)na * (double)nb;
	if (!out->ties && na < EXACT_LIMIT && nb < EXACT_LIMIT) {
		double *pmf = exact_pmf(na, nb), lo = 0, hi = 0;
		long u = lround(out->u);
		if (!pmf)
			return HVB_ENOMEM;
		for (long k = 0; k <= (long)(na * nb); k++) {
			if (k <= u)
				lo += pmf[k];
			if (k >= u)
				hi += pmf[k];
		}
		free(pmf);
		out->exact = 1;
		out->p_less = lo < 1 ? lo : 1;
		out->p_greater = hi < 1 ? hi : 1;
		/* As R: the tail on the side of the statistic, doubled. */
		double p = 2 * (out->u > mn / 2 ? out->p_greater : out->p_less);
		out->p = p < 1 ? p : 1;
		return 0;
	}
	double sigma = sqrt(mn / 12 * (((double)n + 1) - tie_sum / ((double)n * ((double)n - 1))));
	double d = out->u - mn / 2;
	if (sigma <= 0) { /* every value equal: no evidence either way */
		out->p = out->p_greater = out->p_less = 1;
		return 0;
	}
	out->z = (d - (d > 0 ? 0.5 : d < 0 ? -0.5 : 0)) / sigma;
	double p = 2 * gsl_cdf_ugaussian_Q(fabs(out->z));
	out->p = p < 1 ? p : 1;
	out->p_greater = gsl_cdf_ugaussian_Q((d - 0.5) / sigma);
	out->p_less = gsl_cdf_ugaussian_P((d + 0.5) / sigma);
	return 0;
}
