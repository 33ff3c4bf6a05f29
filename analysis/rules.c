/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The regression rules of other harnesses, applied to the same samples as the
 * gate's own, so that the calibration benchmark can print their error rates
 * side by side. mmtests marks a difference when the confidence intervals of the
 * two means do not overlap; LKP when the two [min, max] ranges do not overlap.
 * Each also needs the change of the centre to reach the threshold, as the gate. */
#include "config.h"
#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include "analysis/analysis.h"

static const char *const rule_names[] = { "hvbench", "ci-overlap", "minmax" };

const char *hvb_rule_name(enum hvb_rule r)
{
	return (unsigned)r < 3 ? rule_names[r] : "?";
}

int hvb_rule_parse(const char *s, enum hvb_rule *r)
{
	for (unsigned i = 0; i < 3; i++)
		if (!strcmp(s, rule_names[i])) {
			*r = (enum hvb_rule)i;
			return 0;
		}
	return HVB_EINVAL;
}

/* 95% t interval of the mean. */
static void mean_ci(const double *v, size_t n, double *lo, double *hi, double *mean)
{
	double m = gsl_stats_mean(v, 1, n), h = 0;

	if (n > 1)
		h = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * gsl_stats_sd_m(v, 1, n, m) / sqrt((double)n);
	*mean = m;
	*lo = m - h;
	*hi = m + h;
}

static void range(const double *v, size_t n, double *lo, double *hi)
{
	*lo = *hi = v[0];
	for (size_t i = 1; i < n; i++) {
		*lo = fmin(*lo, v[i]);
		*hi = fmax(*hi, v[i]);
	}
}

static double worse(double ratio, enum hvb_better better)
{
	return better == HVB_HIGHER ? 1 - ratio : ratio - 1;
}

int hvb_rule_regressed(enum hvb_rule r, const double *a, size_t na, const double *b, size_t nb,
		       enum hvb_better better, double threshold)
{
	double alo, ahi, blo, bhi, ca, cb;
	struct hvb_mwu t;

	if (!na || !nb || better == HVB_INFO)
		return 0;
	switch (r) {
	case HVB_RULE_HVBENCH:
		/* One metric alone: unadjusted; the gate itself adjusts across metrics. */
		ca = hvb_stats_median(a, na);
		cb = hvb_stats_median(b, nb);
		if (ca == 0 || hvb_mwu_test(a, na, b, nb, &t) < 0)
			return 0;
		return t.p < 0.05 && worse(cb / ca, better) >= threshold;
	case HVB_RULE_CI_OVERLAP:
		mean_ci(a, na, &alo, &ahi, &ca);
		mean_ci(b, nb, &blo, &bhi, &cb);
		break;
	case HVB_RULE_MINMAX:
		range(a, na, &alo, &ahi);
		range(b, nb, &blo, &bhi);
		ca = gsl_stats_mean(a, 1, na);
		cb = gsl_stats_mean(b, 1, nb);
		break;
	default:
		return 0;
	}
	if (ca == 0 || worse(cb / ca, better) < threshold)
		return 0;
	return bhi < alo || blo > ahi;
}
