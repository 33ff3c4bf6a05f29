/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kept by hand: no Debian C library has E-Divisive; tested on series with known change points. */
/* Change points in a series by E-Divisive with means (Matteson and James, "A
 * Nonparametric Approach for Multiple Change Point Analysis of Multivariate
 * Data", 2014), the method MongoDB runs over its performance history: split
 * where the scaled energy divergence Q-hat between the two sides is largest,
 * keep the split when a permutation test (values shuffled within the current
 * segments) finds it significant, and go on in the segments. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "analysis/analysis.h"

void hvb_edm_opts_default(struct hvb_edm_opts *o)
{
	*o = (struct hvb_edm_opts){ .min_seg = 3, .sig = 0.05, .perms = 199, .exponent = 1, .seed = 0x5eedULL };
}

static double dist(double x, double y, double alpha)
{
	double d = fabs(x - y);
	return alpha == 1 ? d : pow(d, alpha);
}

double hvb_edm_qhat(const double *x, size_t n, size_t tau, double alpha)
{
	double cross = 0, wl = 0, wr = 0, m = (double)tau, k = (double)(n - tau), e;

	if (!tau || tau >= n)
		return 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double d = dist(x[i], x[j], alpha);
			if (j < tau)
				wl += d;
			else if (i >= tau)
				wr += d;
			else
				cross += d;
		}
	e = 2 * cross / (m * k) - (tau > 1 ? wl / (m * (m - 1) / 2) : 0) - (n - tau > 1 ? wr / (k * (k - 1) / 2) : 0);
	return m * k / (m + k) * e;
}

/* The best split of x[s..e) with min_seg on each side, in O(len^2): the sums
 * within the left and right parts are carried from one tau to the next. */
static double scan(const double *x, size_t s, size_t e, size_t min_seg, double alpha, size_t *best)
{
	size_t len = e - s;
	double total = 0, wl = 0, wr, bq = -INFINITY;

	*best = 0;
	if (len < 2 * min_seg)
		return -INFINITY;
	for (size_t i = s; i < e; i++)
		for (size_t j = i + 1; j < e; j++)
			total += dist(x[i], x[j], alpha);
	wr = total;
	for (size_t tau = s + 1; tau + min_seg <= e; tau++) {
		/* x[tau - 1] moves from the right part to the left. */
		for (size_t i = s; i < tau - 1; i++)
			wl += dist(x[i], x[tau - 1], alpha);
		for (size_t j = tau; j < e; j++)
			wr -= dist(x[tau - 1], x[j], alpha);
		if (tau - s < min_seg)
			continue;
		double m = (double)(tau - s), k = (double)(e - tau), cross = total - wl - wr;
		double ediv = 2 * cross / (m * k) - (m > 1 ? wl / (m * (m - 1) / 2) : 0) -
			      (k > 1 ? wr / (k * (k - 1) / 2) : 0);
		double q = m * k / (m + k) * ediv;
		if (q > bq) {
			bq = q;
			*best = tau;
		}
	}
	return bq;
}

/* Best split over all segments (bounds[0..nb] are segment edges). */
static double scan_all(const double *x, const size_t *bounds, size_t nb, size_t min_seg, double alpha,
		       size_t *tau)
{
	double bq = -INFINITY;

	*tau = 0;
	for (size_t k = 0; k < nb; k++) {
		size_t t;
		double q = scan(x, bounds[k], bounds[k + 1], min_seg, alpha, &t);
		if (q > bq) {
			bq = q;
			*tau = t;
		}
	}
	return bq;
}

static int by_index(const void *a, const void *b)
{
	const struct hvb_change_point *x = a, *y = b;
	return (x->index > y->index) - (x->index < y->index);
}

static int by_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

int hvb_edivisive(const double *x, size_t n, const struct hvb_edm_opts *o, struct hvb_change_point **cps,
		  size_t *ncp)
{
	size_t *bounds = malloc((n + 2) * sizeof(size_t)), nb = 1, min_seg = o->min_seg < 2 ? 2 : o->min_seg;
	double *perm = malloc((n ? n : 1) * sizeof(double));
	struct hvb_change_point *out = NULL;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = 0;

	*cps = NULL;
	*ncp = 0;
	if (!bounds || !perm || !r) {
		rc = HVB_ENOMEM;
		goto done;
	}
	gsl_rng_set(r, (unsigned long)(o->seed ? o->seed : 1));
	bounds[0] = 0;
	bounds[1] = n;
	for (;;) {
		size_t tau, t2, hits = 0;
		double q = scan_all(x, bounds, nb, min_seg, o->exponent, &tau);
		if (!isfinite(q) || !tau)
			break;
		for (unsigned p = 0; p < o->perms; p++) {
			memcpy(perm, x, n * sizeof(double));
			for (size_t k = 0; k < nb; k++)
				gsl_ran_shuffle(r, perm + bounds[k], bounds[k + 1] - bounds[k], sizeof(double));
			if (scan_all(perm, bounds, nb, min_seg, o->exponent, &t2) >= q)
				hits++;
		}
		double pv = (double)(hits + 1) / (double)(o->perms + 1);
		if (pv > o->sig)
			break;
		struct hvb_change_point *no = realloc(out, (*ncp + 1) * sizeof(*no));
		if (!no) {
			rc = HVB_ENOMEM;
			goto done;
		}
		out = no;
		out[(*ncp)++] = (struct hvb_change_point){ .index = tau, .qhat = q, .p = pv };
		bounds[++nb] = tau;
		qsort(bounds, nb + 1, sizeof(size_t), by_size);
	}
	qsort(out, *ncp, sizeof(*out), by_index);
	for (size_t k = 0; k < *ncp; k++) {
		size_t s = k ? out[k - 1].index : 0, e = k + 1 < *ncp ? out[k + 1].index : n;
		out[k].before = hvb_stats_median(x + s, out[k].index - s);
		out[k].after = hvb_stats_median(x + out[k].index, e - out[k].index);
	}
	*cps = out;
	out = NULL;
done:
	free(out);
	free(bounds);
	free(perm);
	gsl_rng_free(r);
	return rc;
}
