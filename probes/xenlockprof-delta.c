/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xenlockprof: what the probe reports from two readings of Xen's lock profile
 * (xc_lockprof_query, taken by probes/xenlockprof.c). Kept apart from
 * libxenctrl so that the tests can feed it readings given as data.
 *
 * Per profiled lock Xen keeps (common/spinlock.c): lock_cnt, completed
 * acquisitions; block_cnt, acquisitions that had to wait; lock_time, time held;
 * block_time, time spent waiting (ns). A reading also has the time since the
 * profile was last reset: when it went backwards, a reset (xenlockprof -r) came
 * in between and no figure is honest. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "probes/probes-internal.h"

/* Per-domain locks are named by what the domain is to the sample, not by its
 * id, so that samples of successive guests compare: NULL leaves the lock out. */
static const char *scope(const struct hvb_xenlockprof_lock *l, int domid, char *buf, size_t len)
{
	const char *who;

	if (l->type == HVB_LOCKPROF_GLOBAL)
		return "global";
	if (l->idx == 0)
		who = "dom0";
	else if (domid > 0 && l->idx == domid)
		who = "guest";
	else
		return NULL;
	if (l->type == HVB_LOCKPROF_PERDOM)
		return who;
	if (l->type == HVB_LOCKPROF_GNTTAB) {
		snprintf(buf, len, "gnttab_%s", who);
		return buf;
	}
	return NULL; /* a type this hvbench does not know */
}

static const struct hvb_xenlockprof_lock *find(const struct hvb_xenlockprof_snap *s,
					       const struct hvb_xenlockprof_lock *l)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->lock[i].type == l->type && s->lock[i].idx == l->idx && !strcmp(s->lock[i].name, l->name))
			return &s->lock[i];
	return NULL;
}

int hvb_xenlockprof_delta(const struct hvb_xenlockprof_snap *a, const struct hvb_xenlockprof_snap *b, int domid,
			  struct hvb_metrics *out)
{
	int rc = 0;

	if (b->time_ns < a->time_ns) {
		hvb_log(HVB_LOG_WARN,
			"xenlockprof: the lock profile was reset during the sample (profiled time went from %llu to "
			"%llu ns): no figures for this sample",
			(unsigned long long)a->time_ns, (unsigned long long)b->time_ns);
		return 0;
	}
	for (unsigned i = 0; i < b->n; i++) {
		const struct hvb_xenlockprof_lock *lb = &b->lock[i], *la = find(a, lb);
		char sbuf[32], slug[64], what[128];
		const char *sc = scope(lb, domid, sbuf, sizeof(sbuf));
		uint64_t n, blocked, held, waited;

		if (!sc)
			continue;
		hvb_xenperf_slug(lb->name, slug, sizeof(slug));
		snprintf(what, sizeof(what), "xenlockprof.%s.%s", sc, slug);
		if (!la) {
			/* A lock that appeared during the sample (a domain created): from zero. */
			static const struct hvb_xenlockprof_lock zero;
			la = &zero;
		}
		if (!hvb_counter_delta(what, la->lock_cnt, lb->lock_cnt, &n) ||
		    !hvb_counter_delta(what, la->block_cnt, lb->block_cnt, &blocked) ||
		    !hvb_counter_delta(what, la->lock_time_ns, lb->lock_time_ns, &held) ||
		    !hvb_counter_delta(what, la->block_time_ns, lb->block_time_ns, &waited))
			continue;
		rc |= hvb_metrics_addf(out, (double)n, "count", HVB_INFO, "%s.locks", what);
		rc |= hvb_metrics_addf(out, (double)blocked, "count", HVB_LOWER, "%s.contentions", what);
		rc |= hvb_metrics_addf(out, (double)waited / 1e6, "ms", HVB_LOWER, "%s.wait_ms", what);
		rc |= hvb_metrics_addf(out, (double)held / 1e6, "ms", HVB_INFO, "%s.hold_ms", what);
	}
	return rc ? HVB_ENOMEM : 0;
}

const struct hvb_metric_doc hvb_xenlockprof_metrics[] = {
	{ "xenlockprof.%s.locks", "count", HVB_INFO,
	  "acquisitions of a profiled Xen lock over the sample; %s is SCOPE.LOCK, SCOPE one of global, dom0, guest (the sample's domain), "
	  "gnttab_dom0, gnttab_guest (grant table locks: hvbench's hooks series); other domains' locks are left out" },
	{ "xenlockprof.%s.contentions", "count", HVB_LOWER, "acquisitions that had to wait" },
	{ "xenlockprof.%s.wait_ms", "ms", HVB_LOWER, "time spent waiting for the lock, all CPUs" },
	{ "xenlockprof.%s.hold_ms", "ms", HVB_INFO, "time the lock was held" },
	{ 0 },
};
