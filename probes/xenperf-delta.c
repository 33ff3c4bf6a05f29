/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xenperf: what the probe reports from two readings of Xen's software perf
 * counters (xc_perfc_query, taken by probes/xenperf.c). Kept apart from
 * libxenctrl so that the tests can feed it readings given as data.
 *
 * A reading is Xen's own layout: one description per counter (name, number of
 * values) and the values one after another. A single counter has one value per
 * online CPU, an array counter one value per element, already summed over the
 * CPUs by Xen (common/perfc.c). Values are 32-bit and wrap. */
#include "config.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "probes/probes-internal.h"

/* Xen's array counters (PERFCOUNTER_ARRAY in xen/include/xen/perfc_defn.h and
 * arch/x86/include/asm/perfc_defn.h): their elements are reported one by one. */
static const char *const arrays[] = { "hypercalls", "exceptions", "vmexits", "cause vector", NULL };
/* Status values (PERFSTATUS): levels, reported as they are at the stop. */
static const char *const levels[] = { "number of shadow pages in use", NULL };

static int listed(const char *const *l, const char *name)
{
	for (; *l; l++)
		if (!strcmp(*l, name))
			return 1;
	return 0;
}

/* "gnttab: copy operations" -> "gnttab_copy_operations" */
void hvb_xenperf_slug(const char *name, char *out, size_t len)
{
	size_t o = 0;
	int sep = 0;

	for (const char *p = name; *p && o + 1 < len; p++) {
		if (isalnum((unsigned char)*p)) {
			if (sep && o)
				out[o++] = '_';
			sep = 0;
			if (o + 1 < len)
				out[o++] = (char)tolower((unsigned char)*p);
		} else
			sep = 1;
	}
	out[o] = '\0';
	if (!o)
		snprintf(out, len, "unnamed");
}

/* Where counter `name` starts in s: its index, and the offset of its values. */
static int find(const struct hvb_xenperf_snap *s, const char *name, size_t *off)
{
	size_t o = 0;

	for (unsigned i = 0; i < s->ndesc; i++) {
		if (!strcmp(s->desc[i].name, name)) {
			*off = o;
			return (int)i;
		}
		o += s->desc[i].nr_vals;
	}
	return -1;
}

int hvb_xenperf_delta(const struct hvb_xenperf_snap *a, const struct hvb_xenperf_snap *b, int elements,
		      struct hvb_metrics *out)
{
	size_t ob = 0;
	int rc = 0;

	for (unsigned i = 0; i < b->ndesc; ob += b->desc[i].nr_vals, i++) {
		const struct hvb_xenperf_desc *d = &b->desc[i];
		char slug[96], what[160];
		size_t oa = 0;
		int j = find(a, d->name, &oa);
		uint64_t sum = 0, level = 0;
		int ok = 1;

		if (ob + d->nr_vals > b->nvals)
			return HVB_EINVAL;
		hvb_xenperf_slug(d->name, slug, sizeof(slug));
		snprintf(what, sizeof(what), "xenperf.%s", slug);
		if (listed(levels, d->name)) {
			/* Per-CPU parts of one level: their sum, modulo 2^32 as Xen keeps them. */
			for (uint32_t k = 0; k < d->nr_vals; k++)
				level += b->vals[ob + k];
			rc |= hvb_metrics_add(out, what, (double)(uint32_t)level, "count", HVB_INFO);
			continue;
		}
		if (j < 0 || a->desc[j].nr_vals != d->nr_vals || oa + d->nr_vals > a->nvals) {
			hvb_log(HVB_LOG_WARN, "%s: %s during the sample (CPUs brought online or offline?): no figure", what,
				j < 0 ? "the counter appeared" : "its number of values changed");
			continue;
		}
		for (uint32_t k = 0; k < d->nr_vals && ok; k++) {
			uint64_t dv;
			ok = hvb_counter_delta(what, a->vals[oa + k], b->vals[ob + k], &dv);
			sum += dv;
		}
		if (!ok)
			continue;
		rc |= hvb_metrics_add(out, what, (double)sum, "count", HVB_INFO);
		if (!elements || !listed(arrays, d->name))
			continue;
		/* Elements one by one: those Xen has counted at all (most are 0 forever). */
		for (uint32_t k = 0; k < d->nr_vals; k++)
			if (b->vals[ob + k])
				rc |= hvb_metrics_addf(out, (double)(b->vals[ob + k] - a->vals[oa + k]), "count", HVB_INFO,
						       "%s.%u", what, (unsigned)k);
	}
	return rc ? HVB_ENOMEM : 0;
}

const struct hvb_metric_doc hvb_xenperf_metrics[] = {
	{ "xenperf.%s", "count", HVB_INFO,
	  "increase of Xen's perf counter over the sample, summed over the CPUs (name as xenperf prints it, "
	  "lower case, runs of other characters as _); a counter that went backwards (xenperf -r, a 32-bit wrap) "
	  "gives no figure" },
	{ "xenperf.%s.N", "count", HVB_INFO,
	  "element N of an array counter (hypercalls: by hypercall number; exceptions, vmexits, cause_vector), "
	  "for the elements Xen has counted" },
	{ "xenperf.gnttab_copy_operations", "count", HVB_INFO,
	  "grant copy operations (hvbench's hooks series, 0004-xen-gnttab-count-grant-operations-in-perf-counters)" },
	{ "xenperf.number_of_shadow_pages_in_use", "count", HVB_INFO, "a level: its value at the stop" },
	{ 0 },
};
