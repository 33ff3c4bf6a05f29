/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kept by hand: GSL has no multiple-testing adjustment; checked against R's p.adjust (tests/unit-stats.c). */
/* Holm's step-down adjustment: controls the family-wise error over the metrics
 * of one comparison without Bonferroni's loss of power. Same result as R's
 * p.adjust(p, "holm"): sorted ascending, p(i) * (n - i), running maximum, cap 1. */
#include "config.h"
#include <stdlib.h>
#include "analysis/analysis.h"

struct idx_p {
	double p;
	size_t i;
};

static int by_p(const void *x, const void *y)
{
	const struct idx_p *a = x, *b = y;

	if (a->p != b->p)
		return a->p < b->p ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i; /* stable for equal p */
}

int hvb_holm(const double *p, size_t n, double *adj)
{
	struct idx_p *o;
	double run = 0;

	if (!n)
		return 0;
	if (!(o = malloc(n * sizeof(*o))))
		return HVB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		o[i] = (struct idx_p){ .p = p[i], .i = i };
	qsort(o, n, sizeof(*o), by_p);
	for (size_t k = 0; k < n; k++) {
		double v = o[k].p * (double)(n - k);
		if (v > run)
			run = v;
		adj[o[k].i] = run < 1 ? run : 1;
	}
	free(o);
	return 0;
}
