/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers every workload uses: clocks, quantiles, failure reports. */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "bench/bench.h"

double hvb_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

uint64_t hvb_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void hvb_sort_doubles(double *v, size_t n) { gsl_sort(v, 1, n); }

/* GSL's quantile, as analysis/ uses (Hyndman-Fan type 7, R's default); 0 of nothing. */
double hvb_quantile_sorted(const double *v, size_t n, double q)
{
	return n ? gsl_stats_quantile_from_sorted_data(v, 1, n, q) : 0;
}

int hvb_wl_fail(struct hvb_wl_result *res, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->error, sizeof(res->error), fmt, ap);
	va_end(ap);
	return code;
}

void hvb_wl_fact(struct hvb_wl_result *res, const char *key, const char *fmt, ...)
{
	struct hvb_wl_fact *f = NULL;
	va_list ap;

	for (size_t i = 0; i < res->nfacts && !f; i++)
		if (!strcmp(res->facts[i].key, key))
			f = &res->facts[i];
	if (!f && res->nfacts < HVB_WL_MAX_FACTS)
		f = &res->facts[res->nfacts++];
	if (!f)
		return;
	snprintf(f->key, sizeof(f->key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof(f->value), fmt, ap);
	va_end(ap);
}

void hvb_wl_artifact(struct hvb_wl_result *res, const char *name, const char *mime, const char *data, size_t len)
{
	struct hvb_wl_artifact *a;
	size_t keep = len > HVB_WL_ARTIFACT_CAP ? HVB_WL_ARTIFACT_CAP : len;

	if (!len || !data || res->nartifacts >= HVB_WL_MAX_ARTIFACTS)
		return;
	a = &res->artifacts[res->nartifacts];
	if (!(a->data = malloc(keep + 1)))
		return;
	memcpy(a->data, data, keep);
	a->data[keep] = 0;
	a->len = keep;
	a->mime = mime;
	snprintf(a->name, sizeof(a->name), "%s", name);
	res->nartifacts++;
	if (keep < len) {
		char k[96];
		snprintf(k, sizeof(k), "%s.cut", name);
		hvb_wl_fact(res, k, "the first %zu of %zu bytes kept", keep, len);
	}
}

void hvb_wl_result_free(struct hvb_wl_result *res)
{
	hvb_metrics_free(&res->metrics);
	for (size_t i = 0; i < res->nartifacts; i++)
		free(res->artifacts[i].data);
	res->nartifacts = 0;
}
