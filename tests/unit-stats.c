/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The statistics against values computed independently: constants recorded
 * from R or SciPy (the call is named next to each), or, where no such constant
 * is certain, expected values derived here by exact enumeration. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"
#include "bench/bench.h"
#include "probes/probes.h"
#include "tests/check.h"

#define NEAR(x, y, tol) CHECK(fabs((x) - (y)) <= (tol))
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_summary(void)
{
	double one_to_ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
	double o[] = { 1, 2, 3, 4, 100 };
	unsigned char flags[5];
	struct hvb_summary s;

	/* R: quantile(1:10, c(0.25, 0.5, 0.9)) -> 3.25 5.5 9.1 (type 7, R's default) */
	NEAR(hvb_stats_quantile(one_to_ten, 10, 0.25), 3.25, 1e-12);
	NEAR(hvb_stats_quantile(one_to_ten, 10, 0.5), 5.5, 1e-12);
	NEAR(hvb_stats_quantile(one_to_ten, 10, 0.9), 9.1, 1e-12);
	/* R: mean(x) = 5, sd(x) = sqrt(32/7) = 2.13809, median(x) = 4.5 for x = c(2,4,4,4,5,5,7,9) */
	CHECK(hvb_stats_summarize(v, N(v), &s) == 0);
	NEAR(s.mean, 5, 1e-12);
	NEAR(s.sd, sqrt(32.0 / 7), 1e-12);
	NEAR(s.median, 4.5, 1e-12);
	NEAR(s.cov, sqrt(32.0 / 7) / 5, 1e-12);
	CHECK(s.min == 2 && s.max == 9 && s.n == 8);
	/* R: mad(c(1,2,3,4,100), constant = 1) -> 1 */
	CHECK(hvb_stats_summarize(o, N(o), &s) == 0);
	NEAR(s.mad, 1, 1e-12);
	/* Modified z of 100: 0.6745 * 97 / 1 > 3.5; of 1: 0.6745 * 2 < 3.5. */
	CHECK(hvb_stats_outliers(o, N(o), flags) == 1);
	CHECK(flags[4] == 1 && flags[0] == 0 && flags[3] == 0);
	CHECK(s.outliers == 1);
	CHECK(isnan(hvb_stats_median(NULL, 0)));
}

/* U of a against b by counting pairs: the definition, independent of ranks. */
static double u_by_pairs(const double *a, size_t na, const double *b, size_t nb)
{
	double u = 0;

	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			u += a[i] > b[j] ? 1 : a[i] == b[j] ? 0.5 : 0;
	return u;
}

/* Every way of choosing which na of the pooled values are "a": the exact
 * permutation distribution of U. Returns mean and variance, and the two-sided
 * p-value of u_obs as R computes it (tail on the statistic's side, doubled). */
static void enumerate(const double *pool, size_t n, size_t na, double u_obs, double *mean, double *var, double *p2)
{
	double a[32], b[32], s = 0, s2 = 0, lo = 0, hi = 0, cnt = 0;

	for (unsigned long mask = 0; mask < (1ul << n); mask++) {
		size_t ka = 0, kb = 0;
		if ((size_t)__builtin_popcountl(mask) != na)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (mask & (1ul << i))
				a[ka++] = pool[i];
			else
				b[kb++] = pool[i];
		}
		double u = u_by_pairs(a, ka, b, kb);
		s += u;
		s2 += u * u;
		cnt++;
		lo += u <= u_obs + 1e-9;
		hi += u >= u_obs - 1e-9;
	}
	*mean = s / cnt;
	*var = s2 / cnt - *mean * *mean;
	double mn = (double)na * (double)(n - na);
	*p2 = fmin(1, 2 * (u_obs > mn / 2 ? hi : lo) / cnt);
}

static void test_mwu(void)
{
	double x1[] = { 1, 2, 3 }, y1[] = { 4, 5, 6 };
	double males[] = { 19, 22, 16, 29, 24 }, females[] = { 20, 11, 17, 12 };
	double rx[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	double ry[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct hvb_mwu t;

	/* R: wilcox.test(c(1,2,3), c(4,5,6)) -> W = 0, p-value = 0.1 */
	CHECK(hvb_mwu_test(x1, 3, y1, 3, &t) == 0);
	CHECK(t.exact && t.u == 0);
	NEAR(t.p, 0.1, 1e-12);
	/* SciPy: scipy.stats.mannwhitneyu([19, 22, 16, 29, 24], [20, 11, 17, 12])
	 * -> statistic=17.0, pvalue=0.1111111111111111 (the example of its manual, exact) */
	CHECK(hvb_mwu_test(males, 5, females, 4, &t) == 0);
	CHECK(t.exact && t.u == 17);
	NEAR(t.p, 0.1111111111111111, 1e-12);
	/* R: wilcox.test(x, y, alternative = "g") of ?wilcox.test's two-sample example
	 * -> W = 35, p-value = 0.1272 */
	CHECK(hvb_mwu_test(rx, 10, ry, 5, &t) == 0);
	CHECK(t.exact && t.u == 35);
	NEAR(t.p_greater, 0.1272, 5e-5);

	/* The exact distribution against enumeration of every split, for a few sizes. */
	double pool[14];
	for (size_t i = 0; i < 14; i++)
		pool[i] = (double)((i * 5) % 14) + 0.5; /* distinct: 5 is coprime to 14 */
	size_t sizes[][2] = { { 4, 5 }, { 6, 7 }, { 2, 9 }, { 7, 7 } };
	for (size_t k = 0; k < N(sizes); k++) {
		size_t na = sizes[k][0], nb = sizes[k][1];
		double mean, var, p2;
		CHECK(hvb_mwu_test(pool, na, pool + na, nb, &t) == 0);
		CHECK(t.u == u_by_pairs(pool, na, pool + na, nb));
		enumerate(pool, na + nb, na, t.u, &mean, &var, &p2);
		NEAR(t.p, p2, 1e-12);
		NEAR(mean, na * nb / 2.0, 1e-9);
		/* cdf at the mean of a symmetric distribution: above 1/2 */
		CHECK(hvb_mwu_exact_cdf(na, nb, na * nb / 2.0) >= 0.5 - 1e-12);
		NEAR(hvb_mwu_exact_cdf(na, nb, (double)(na * nb)), 1, 1e-12);
	}
	/* With ties: the variance behind the normal approximation is the exact
	 * permutation variance of U given the ties (enumerated), and the p-value is
	 * close to the exact permutation p-value. */
	double ta[] = { 1, 2, 2, 3, 3, 3, 5, 6 }, tb[] = { 2, 3, 4, 4, 5, 6, 6, 7 }, tp[16];
	memcpy(tp, ta, sizeof(ta));
	memcpy(tp + 8, tb, sizeof(tb));
	CHECK(hvb_mwu_test(ta, 8, tb, 8, &t) == 0);
	CHECK(!t.exact && t.ties);
	double mean, var, p2, d = t.u - 32;
	enumerate(tp, 16, 8, t.u, &mean, &var, &p2);
	NEAR(mean, 32, 1e-9);
	double sigma = (d - (d > 0 ? 0.5 : -0.5)) / t.z;
	NEAR(sigma * sigma, var, 1e-6 * var);
	NEAR(t.p, p2, 0.02);
	/* All equal: no evidence. */
	double same[] = { 4, 4, 4 };
	CHECK(hvb_mwu_test(same, 3, same, 3, &t) == 0);
	NEAR(t.p, 1, 0);
}

static void test_holm(void)
{
	/* R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm") -> 0.05 0.08 0.09 0.09 0.09 */
	double p[] = { 0.01, 0.02, 0.03, 0.04, 0.05 }, e[] = { 0.05, 0.08, 0.09, 0.09, 0.09 }, adj[5];
	CHECK(hvb_holm(p, 5, adj) == 0);
	for (int i = 0; i < 5; i++)
		NEAR(adj[i], e[i], 1e-12);
	/* R: p.adjust(c(0.04, 0.3, 0.01), "holm") -> 0.08 0.30 0.03 */
	double q[] = { 0.04, 0.3, 0.01 };
	CHECK(hvb_holm(q, 3, q) == 0);
	NEAR(q[0], 0.08, 1e-12);
	NEAR(q[1], 0.3, 1e-12);
	NEAR(q[2], 0.03, 1e-12);
	/* R: p.adjust(c(0.5, 0.6), "holm") -> 1 1 */
	double r[] = { 0.5, 0.6 };
	hvb_holm(r, 2, r);
	CHECK(r[0] == 1 && r[1] == 1);
}

static void test_bootstrap(void)
{
	double v[] = { 10.2, 9.8, 10.1, 10.0, 10.4, 9.9, 10.3, 10.0, 9.7, 10.1 }, c1[] = { 10, 10, 10 },
	       c2[] = { 12, 12, 12, 12 };
	struct hvb_ci a, b;
	double med = hvb_stats_median(v, 10);

	CHECK(hvb_boot_median_ci(v, 10, 0.95, 2000, 42, &a) == 0);
	CHECK(a.lo <= med && med <= a.hi && a.lo >= 9.7 && a.hi <= 10.4 && a.lo < a.hi);
	CHECK(hvb_boot_median_ci(v, 10, 0.95, 2000, 42, &b) == 0);
	CHECK(a.lo == b.lo && a.hi == b.hi); /* seeded: reproducible */
	CHECK(hvb_boot_ratio_ci(c1, 3, c2, 4, 0.95, 500, 1, &a) == 0);
	NEAR(a.lo, 1.2, 1e-12);
	NEAR(a.hi, 1.2, 1e-12);
	CHECK(hvb_boot_median_ci(v, 0, 0.95, 100, 1, &a) == HVB_EINVAL);
}

static void test_adaptive(void)
{
	double v[10] = { 5, 1, 9, 3, 7, 2, 8, 4, 10, 6 }, lo, hi, cov;
	char why[256];

	/* n = 10: [x(2), x(9)] covers 1 - 2 P(B <= 1) = 1 - 2 * 11/1024, B ~ Bin(10, 1/2);
	 * [x(3), x(8)] would cover only 1 - 2 * 56/1024 = 0.890625 < 0.95. */
	CHECK(hvb_median_ci_order(v, 10, 0.95, &lo, &hi, &cov) == 0);
	CHECK(lo == 2 && hi == 9);
	NEAR(cov, 1 - 22.0 / 1024, 1e-12);
	/* n = 5: the widest interval covers 1 - 2/32 = 0.9375 < 0.95 */
	CHECK(hvb_median_ci_order(v, 5, 0.95, &lo, &hi, &cov) == HVB_EINVAL);
	CHECK(hvb_adaptive_enough(v, 5, 0.5, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "cannot");
	double tight[8] = { 100, 100.1, 99.9, 100, 100.05, 99.95, 100, 100.02 };
	CHECK(hvb_adaptive_enough(tight, 8, 0.01, why, sizeof(why)) == 1);
	CHECK(hvb_adaptive_enough(v, 10, 0.01, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "target 1.00%");
}

static void test_verdict(void)
{
	struct hvb_judge_opts o;
	struct hvb_metric_cmp m;
	double a[10], b[10], c[10];

	hvb_judge_opts_default(&o);
	for (int i = 0; i < 10; i++) {
		a[i] = 100 + (i % 5) * 0.2 - 0.4;   /* 99.6 .. 100.4 */
		b[i] = 120 + (i % 5) * 0.2 - 0.4;   /* 20% slower */
		c[i] = 100 + ((i * 3) % 5) * 0.2 - 0.4;
	}
	memset(&m, 0, sizeof(m));
	m.better = HVB_LOWER;
	CHECK(hvb_metric_compare(a, 10, b, 10, &o, &m) == 0);
	NEAR(m.ratio, 1.2, 1e-9);
	NEAR(m.change, 0.2, 1e-9);
	m.p_adj = m.p;
	CHECK(hvb_verdict_decide(&m, &o) == HVB_V_WORSE);
	m.better = HVB_HIGHER; /* the same numbers, read as throughput, are better */
	CHECK(hvb_metric_compare(a, 10, b, 10, &o, &m) == 0);
	m.p_adj = m.p;
	CHECK(hvb_verdict_decide(&m, &o) == HVB_V_BETTER);
	m.better = HVB_LOWER;
	CHECK(hvb_metric_compare(a, 10, c, 10, &o, &m) == 0);
	m.p_adj = m.p;
	CHECK(hvb_verdict_decide(&m, &o) == HVB_V_SAME);
	/* Three noisy values each: inconclusive, with repetitions to add. */
	double na[] = { 90, 110, 100 }, nb[] = { 95, 120, 104 };
	CHECK(hvb_metric_compare(na, 3, nb, 3, &o, &m) == 0);
	m.p_adj = m.p;
	CHECK(hvb_verdict_decide(&m, &o) == HVB_V_INCONCLUSIVE);
	CHECK(m.need_more > 0);
	/* A change of 0.1% in a spread of 10%: past any repetitions an experiment may ask for,
	 * said as such, not as "need 9995 more" (the old cap minus n). */
	double fa[] = { 90, 110, 100, 95, 105 }, fb[] = { 90.1, 110.1, 100.1, 95.1, 105.1 };
	char words[200];
	o.min_effect = 0;
	CHECK(hvb_metric_compare(fa, 5, fb, 5, &o, &m) == 0);
	m.p_adj = m.p;
	CHECK(hvb_verdict_decide(&m, &o) == HVB_V_INCONCLUSIVE);
	CHECK(m.need_more == -1);
	hvb_fmt_verdict(&m, words, sizeof(words));
	CHECK(strstr(words, "more than 10000 repetitions") && !strstr(words, "need -"));
	hvb_judge_opts_default(&o);
	m.better = HVB_INFO;
	CHECK(hvb_verdict_decide(&m, &o) == HVB_V_INFO);
	/* R: qnorm(0.975) = 1.959963984540054, qnorm(0.8) = 0.8416212335729143;
	 * n = 2 (za + zb)^2 (sd / effect)^2 / (3 / pi) for sd 5%, effect 2% -> 102.74 */
	double z = 1.959963984540054 + 0.8416212335729143;
	CHECK(hvb_reps_needed(0.05, 0.02, 0.05, 0.8) == (int)ceil(2 * z * z * 6.25 / (3 / M_PI)));
	CHECK(hvb_reps_needed(0.05, 0.02, 0.05, 0.8) == 103);
	/* hvb_detectable is its inverse when the minimum effect does not bind:
	 * 103 repetitions see a bit less than 2%, 102 a bit more. */
	o.min_effect = 0;
	CHECK(hvb_detectable(0.05, 103, &o) < 0.02 && hvb_detectable(0.05, 102, &o) > 0.02);
	/* With a 3% threshold and 2% spread at n = 10, the median's own sd
	 * (sqrt(pi/2) x 2% x sqrt(2/10) = 1.12%) must carry the estimate past 3%
	 * 80% of the time: 3% + 0.8416 x 1.12% = 3.94%. */
	o.min_effect = 0.03;
	NEAR(hvb_detectable(0.02, 10, &o), 0.03 + 0.8416212335729143 * 0.0112100, 2e-5);
	CHECK(isnan(hvb_detectable(0.02, 1, &o)) && isnan(hvb_detectable(NAN, 10, &o)));
}

static void test_rules(void)
{
	double a[] = { 100, 101, 99, 100, 100.5 }, worse[] = { 110, 111, 109, 110, 110.5 },
	       overlap[] = { 98, 112, 104, 101, 109 };

	CHECK(hvb_rule_regressed(HVB_RULE_MINMAX, a, 5, worse, 5, HVB_LOWER, 0.02) == 1);
	CHECK(hvb_rule_regressed(HVB_RULE_MINMAX, a, 5, worse, 5, HVB_HIGHER, 0.02) == 0);
	CHECK(hvb_rule_regressed(HVB_RULE_MINMAX, a, 5, overlap, 5, HVB_LOWER, 0.02) == 0);
	CHECK(hvb_rule_regressed(HVB_RULE_CI_OVERLAP, a, 5, worse, 5, HVB_LOWER, 0.02) == 1);
	CHECK(hvb_rule_regressed(HVB_RULE_CI_OVERLAP, a, 5, worse, 5, HVB_LOWER, 0.2) == 0);
	CHECK(hvb_rule_regressed(HVB_RULE_HVBENCH, a, 5, worse, 5, HVB_LOWER, 0.02) == 1);
	enum hvb_rule r;
	CHECK(hvb_rule_parse("ci-overlap", &r) == 0 && r == HVB_RULE_CI_OVERLAP);
	CHECK(hvb_rule_parse("nope", &r) < 0);
}

/* Q-hat by its definition (Matteson and James 2014, eq. 5 and 6). */
static double qhat_def(const double *x, size_t n, size_t tau)
{
	double m = (double)tau, k = (double)(n - tau), c = 0, l = 0, r = 0;

	for (size_t i = 0; i < tau; i++)
		for (size_t j = tau; j < n; j++)
			c += fabs(x[i] - x[j]);
	for (size_t i = 0; i < tau; i++)
		for (size_t j = 0; j < tau; j++)
			l += fabs(x[i] - x[j]);
	for (size_t i = tau; i < n; i++)
		for (size_t j = tau; j < n; j++)
			r += fabs(x[i] - x[j]);
	/* ordered pairs over m^2 - m counts each unordered pair twice: the same as C(m,2) */
	double e = 2 * c / (m * k) - l / (m * (m - 1)) - r / (k * (k - 1));
	return m * k / (m + k) * e;
}

static void test_edivisive(void)
{
	double x[40], flat[40];
	uint64_t s = 12345;
	struct hvb_edm_opts o;
	struct hvb_change_point *cp;
	size_t n;

	for (int i = 0; i < 40; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		double noise = (double)(s >> 11) / 9007199254740992.0 - 0.5; /* [-0.5, 0.5) */
		flat[i] = 100 + noise;
		x[i] = (i < 25 ? 100 : 103) + noise;
	}
	for (size_t tau = 2; tau < 38; tau += 5)
		NEAR(hvb_edm_qhat(x, 40, tau, 1), qhat_def(x, 40, tau), 1e-9);
	hvb_edm_opts_default(&o);
	CHECK(hvb_edivisive(x, 40, &o, &cp, &n) == 0);
	CHECK(n == 1);
	if (n == 1) {
		CHECK(cp[0].index == 25);
		CHECK(cp[0].p <= 0.05);
		NEAR(cp[0].after - cp[0].before, 3, 0.5);
	}
	free(cp);
	CHECK(hvb_edivisive(flat, 40, &o, &cp, &n) == 0);
	CHECK(n == 0);
	free(cp);
	/* A step shorter than the minimum segment cannot be a segment. */
	o.min_seg = 10;
	double tail[20];
	for (int i = 0; i < 20; i++)
		tail[i] = i < 15 ? flat[i] : flat[i] + 5;
	CHECK(hvb_edivisive(tail, 20, &o, &cp, &n) == 0);
	for (size_t k = 0; k < n; k++)
		CHECK(cp[k].index >= 10 && cp[k].index <= 10);
	free(cp);
}

/* analysis/ knows probe figures by a list of namespaces (it may not ask probes/):
 * every documented probe metric must be in it, and no workload metric. */
static int is_probe(const char *doc_name)
{
	char name[128], *p;

	snprintf(name, sizeof(name), "%s", doc_name);
	if ((p = strstr(name, "%s")))
		memcpy(p, "xx", 2);
	return hvb_metric_is_probe(name);
}

static void test_probe_spaces(void)
{
	for (size_t i = 0; hvb_probes[i]; i++)
		for (const struct hvb_metric_doc *d = hvb_probes[i]->metrics; d && d->name; d++)
			if (!is_probe(d->name)) {
				fprintf(stderr, "probe %s: metric %s is not known to analysis/load.c as a probe figure\n",
					hvb_probes[i]->name, d->name);
				CHECK(0);
			}
	for (size_t i = 0; hvb_workloads[i]; i++)
		for (const struct hvb_metric_doc *d = hvb_workloads[i]->metrics; d && d->name; d++)
			if (is_probe(d->name)) {
				fprintf(stderr, "workload %s: metric %s would be taken for a probe figure\n",
					hvb_workloads[i]->name, d->name);
				CHECK(0);
			}
}

int main(void)
{
	test_probe_spaces();
	test_summary();
	test_mwu();
	test_holm();
	test_bootstrap();
	test_adaptive();
	test_verdict();
	test_rules();
	test_edivisive();
	return CHECK_DONE();
}
