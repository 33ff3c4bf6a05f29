/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* Distributions of cycle counts: exact below a cap, a log-linear histogram above it, so
 * the summary's memory does not grow with the trace. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "probes/xentrace/xt-internal.h"

#define XT_DIST_EXACT 16384u
#define SUB_BITS 6                              /* 64 sub-buckets per power of two */
#define LINEAR (1u << (SUB_BITS + 1))          /* values below 128 have their own bucket */
#define NBUCKETS (LINEAR + (64 - SUB_BITS - 1) * (1u << SUB_BITS))

static uint32_t bucket(uint64_t v)
{
	unsigned e;

	if (v < LINEAR)
		return (uint32_t)v;
	e = 63u - (unsigned)__builtin_clzll(v);  /* e >= SUB_BITS + 1 */
	return LINEAR + (e - SUB_BITS - 1) * (1u << SUB_BITS) +
	       (uint32_t)((v >> (e - SUB_BITS)) & ((1u << SUB_BITS) - 1));
}

/* The middle of a bucket's range. */
static uint64_t bucket_value(uint32_t b)
{
	uint32_t e, m;
	uint64_t lo;

	if (b < LINEAR)
		return b;
	e = (b - LINEAR) / (1u << SUB_BITS) + SUB_BITS + 1;
	m = (b - LINEAR) % (1u << SUB_BITS);
	lo = ((uint64_t)(1u << SUB_BITS) + m) << (e - SUB_BITS);
	return lo + ((1ull << (e - SUB_BITS)) >> 1);
}

static int to_hist(struct xt_dist *d)
{
	if (!(d->hist = calloc(NBUCKETS, sizeof(*d->hist))))
		return HVB_ENOMEM;
	for (uint64_t i = 0; i < d->n; i++)
		d->hist[bucket(d->samples[i])]++;
	free(d->samples);
	d->samples = NULL;
	d->cap = 0;
	return 0;
}

void xt_dist_add(struct xt_dist *d, uint64_t v)
{
	d->events++;
	if (!v)  /* as xenalyze: a zero-length arc is counted but not sampled */
		return;
	if (!d->hist) {
		if (d->n == d->cap) {
			if (d->cap >= XT_DIST_EXACT) {
				if (to_hist(d))
					return;
			} else {
				uint32_t cap = d->cap ? d->cap * 2 : 16;
				uint64_t *s = realloc(d->samples, cap * sizeof(*s));
				if (!s)
					return;
				d->samples = s;
				d->cap = cap;
			}
		}
		if (!d->hist) {
			d->samples[d->n] = v;
			d->sorted = 0;
		}
	}
	if (d->hist)
		d->hist[bucket(v)]++;
	d->n++;
	d->sum += v;
}

int xt_dist_exact(const struct xt_dist *d) { return !d->hist; }

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

uint64_t xt_dist_pct(struct xt_dist *d, unsigned p)
{
	uint64_t k, acc = 0;

	if (!d->n)
		return 0;
	k = d->n * (p > 100 ? 100 : p) / 100;
	if (k >= d->n)
		k = d->n - 1;
	if (!d->hist) {
		if (!d->sorted) {
			qsort(d->samples, d->n, sizeof(*d->samples), cmp_u64);
			d->sorted = 1;
		}
		return d->samples[k];
	}
	for (uint32_t b = 0; b < NBUCKETS; b++) {
		acc += d->hist[b];
		if (acc > k)
			return bucket_value(b);
	}
	return 0;
}

void xt_dist_free(struct xt_dist *d)
{
	free(d->samples);
	free(d->hist);
	memset(d, 0, sizeof(*d));
}
