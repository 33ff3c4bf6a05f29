/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the runner accepts from an agent: the metrics that the cell's workload,
 * or a probe the runner asked the agent to run, documents in its ops table.
 * Anything else (a renamed metric of another build, a hostile agent's markup)
 * is refused with the agent's name, and the sample is not stored. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "bench/bench.h"
#include "probes/probes.h"

/* What a %s placeholder may stand for: a size, a kernel, an event name. */
static int placeholder_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_.:+-", c);
}

int hvb_metric_doc_matches(const char *doc, const char *name)
{
	const char *ph = strstr(doc, "%s");
	size_t pre, post, n = strlen(name);

	if (!ph)
		return !strcmp(doc, name);
	pre = (size_t)(ph - doc);
	post = strlen(ph + 2);
	if (n <= pre + post || strncmp(doc, name, pre) || strcmp(name + n - post, ph + 2))
		return 0;
	for (size_t i = pre; i < n - post; i++)
		if (!placeholder_char(name[i]))
			return 0;
	return 1;
}

static const struct hvb_metric_doc *documented(const struct hvb_metric_doc *d, const char *name)
{
	for (; d && d->name; d++)
		if (hvb_metric_doc_matches(d->name, name))
			return d;
	return NULL;
}

int hvb_metrics_accept(const struct hvb_metrics *ms, const struct hvb_workload_ops *wl, char *const *probes,
		       size_t nprobes, const char *agent, char *err, size_t len)
{
	for (size_t i = 0; i < ms->n; i++) {
		const char *name = ms->m[i].name;
		const struct hvb_metric_doc *d = documented(wl->metrics, name);
		for (size_t k = 0; !d && k < nprobes; k++) {
			const struct hvb_probe_ops *po = hvb_probe_find(probes[k]);
			d = po && (po->where & HVB_PROBE_GUEST) ? documented(po->metrics, name) : NULL;
		}
		if (!d) {
			snprintf(err, len, "%s sent metric '%s', which neither workload %s nor the probes asked of it "
				 "document: the sample is not stored", agent, name, wl->name);
			return HVB_EPROTO;
		}
		/* The direction decides what the gate calls a regression: this build's table rules. */
		if ((d->unit && strcmp(d->unit, ms->m[i].unit)) || d->better != ms->m[i].better) {
			snprintf(err, len, "%s sent metric '%s' in '%s', %s is better, where this build documents '%s', "
				 "%s is better: the sample is not stored", agent, name, ms->m[i].unit,
				 hvb_better_name(ms->m[i].better), d->unit ? d->unit : ms->m[i].unit, hvb_better_name(d->better));
			return HVB_EPROTO;
		}
	}
	return 0;
}
