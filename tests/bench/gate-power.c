/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Benchmark aid (not a test): what the gate's own rule can do, apart from the
 * machine. Draws samples from a model, judges them with the gate's code
 * (hvb_metric_compare, Holm across the cell's metrics, the verdict with the
 * minimum effect = --max-regression) and prints the share of metrics called a
 * regression, with no change (false positives) and with a known slowdown
 * (detection). Model: each sample of a run is (1 + change)(1 + d)(1 + e), e a
 * normal noise of relative sd COV drawn per sample, d a normal drift of relative
 * sd DRIFT drawn once per run and metric (the machine's speed moving between
 * runs, which repetitions inside one run cannot see). These figures are of the
 * model, never of a measurement: gate-calibration.sh measures; this says which
 * noise and drift the rule needs to meet its goals.
 * usage: tests/bench/gate-power [REPS] [CHANGE_PCT] [MAX_REGRESSION_PCT] [TRIALS] */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "analysis/analysis.h"

#define METRICS 2 /* per cell, as in the calibration's cells */
#define MAX_REPS 100

static void run(gsl_rng *r, double *v, int n, double change, double cov, double drift)
{
	double d = gsl_ran_gaussian(r, drift);

	for (int i = 0; i < n; i++)
		v[i] = (1 + change) * (1 + d) * (1 + gsl_ran_gaussian(r, cov));
}

/* Share of metrics the gate calls regressed over trials comparisons of two cells. */
static double regressed(gsl_rng *r, int n, double change, double cov, double drift, int trials,
			const struct hvb_judge_opts *o)
{
	double a[MAX_REPS], b[MAX_REPS];
	long hit = 0;

	for (int t = 0; t < trials; t++) {
		struct hvb_metric_cmp m[METRICS] = { 0 };
		for (int k = 0; k < METRICS; k++) {
			run(r, a, n, 0, cov, drift);
			run(r, b, n, change, cov, drift);
			m[k].better = HVB_LOWER;
			if (hvb_metric_compare(a, (size_t)n, b, (size_t)n, o, &m[k]) < 0)
				return -1;
		}
		if (hvb_judge_family(m, METRICS, o) < 0)
			return -1;
		for (int k = 0; k < METRICS; k++)
			hit += m[k].verdict == HVB_V_WORSE; /* the gate: regressed = worse */
	}
	return (double)hit / (trials * METRICS);
}

int main(int argc, char **argv)
{
	static const double covs[] = { 0.005, 0.01, 0.02, 0.03, 0.05 }, drifts[] = { 0, 0.005, 0.01, 0.02 };
	int n = argc > 1 ? atoi(argv[1]) : 10, trials = argc > 4 ? atoi(argv[4]) : 2000;
	double change = (argc > 2 ? atof(argv[2]) : 5) / 100, maxreg = (argc > 3 ? atof(argv[3]) : 3) / 100;
	struct hvb_judge_opts o;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	if (n < 2 || n > MAX_REPS || trials < 1 || !r) {
		fprintf(stderr, "usage: %s [REPS 2..%d] [CHANGE_PCT] [MAX_REGRESSION_PCT] [TRIALS]\n", argv[0], MAX_REPS);
		return 2;
	}
	hvb_judge_opts_default(&o);
	o.min_effect = maxreg; /* as hvb_gate_build */
	o.resamples = 200;     /* the intervals do not decide "worse"; fewer keep this quick */
	printf("gate rule, model: %d repetitions a side, %d metrics a cell, --max-regression %g%%, alpha %g,"
	       " %d trials a condition\n", n, METRICS, 100 * maxreg, o.alpha, trials);
	printf("%-8s %-8s %-18s %-18s\n", "noise", "drift", "false positives", "detected");
	for (size_t i = 0; i < sizeof(covs) / sizeof(covs[0]); i++)
		for (size_t j = 0; j < sizeof(drifts) / sizeof(drifts[0]); j++) {
			double fp = regressed(r, n, 0, covs[i], drifts[j], trials, &o),
			       det = regressed(r, n, change, covs[i], drifts[j], trials, &o);
			if (fp < 0 || det < 0) {
				fprintf(stderr, "%s: out of memory\n", argv[0]);
				return 2;
			}
			printf("%5.1f%%   %5.1f%%   %8.2f%%           %8.2f%% (+%g%%)\n", 100 * covs[i], 100 * drifts[j],
			       100 * fp, 100 * det, 100 * change);
		}
	gsl_rng_free(r);
	return 0;
}
