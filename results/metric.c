/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable set of named metrics: what one sample, or one probe, measured. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "results/results.h"

int hvb_metrics_add(struct hvb_metrics *ms, const char *name, double value, const char *unit,
		    enum hvb_better better)
{
	struct hvb_metric *m;

	if (strlen(name) >= sizeof(m->name) || strlen(unit) >= sizeof(m->unit))
		return HVB_EINVAL;
	if (ms->n == ms->cap) {
		size_t cap = ms->cap ? ms->cap * 2 : 16;
		struct hvb_metric *nm = realloc(ms->m, cap * sizeof(*nm));
		if (!nm)
			return HVB_ENOMEM;
		ms->m = nm;
		ms->cap = cap;
	}
	m = &ms->m[ms->n++];
	snprintf(m->name, sizeof(m->name), "%s", name);
	snprintf(m->unit, sizeof(m->unit), "%s", unit);
	m->value = value;
	m->better = better;
	return 0;
}

int hvb_metrics_addf(struct hvb_metrics *ms, double value, const char *unit, enum hvb_better better,
		     const char *fmt, ...)
{
	char name[sizeof(((struct hvb_metric *)0)->name)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(name))
		return HVB_EINVAL;
	return hvb_metrics_add(ms, name, value, unit, better);
}

const struct hvb_metric *hvb_metrics_get(const struct hvb_metrics *ms, const char *name)
{
	for (size_t i = 0; i < ms->n; i++)
		if (!strcmp(ms->m[i].name, name))
			return &ms->m[i];
	return NULL;
}

void hvb_metrics_free(struct hvb_metrics *ms)
{
	free(ms->m);
	ms->m = NULL;
	ms->n = ms->cap = 0;
}

const char *hvb_better_name(enum hvb_better b)
{
	return b == HVB_HIGHER ? "higher" : b == HVB_LOWER ? "lower" : "info";
}

int hvb_better_parse(const char *s, enum hvb_better *out)
{
	if (!strcmp(s, "higher"))
		*out = HVB_HIGHER;
	else if (!strcmp(s, "lower"))
		*out = HVB_LOWER;
	else if (!strcmp(s, "info"))
		*out = HVB_INFO;
	else
		return HVB_EINVAL;
	return 0;
}
