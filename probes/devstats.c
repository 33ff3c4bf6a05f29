/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the blkback and netback probes share: a guest's backend devices in dom0,
 * their counters summed at the start and the stop of a sample, and the deltas
 * as metrics. Each probe supplies only how to read its devices. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "probes/probes-internal.h"

int hvb_devstats_supported(char *why, size_t len)
{
	if (access("/sys/bus/xen-backend/devices", R_OK)) {
		snprintf(why, len, "not running in a Xen dom0 (no /sys/bus/xen-backend)");
		return 0;
	}
	return 1;
}

int hvb_devstats_open(const struct hvb_devstats_kind *k, const struct hvb_params *p,
		      const struct hvb_probe_target *t, void **state, char *why, size_t len)
{
	struct hvb_devstats *st;

	if (t->domid < 0) {
		snprintf(why, len, "the target is not a Xen guest: no %s to watch", k->what);
		return HVB_ESKIP;
	}
	if (!(st = calloc(1, sizeof(*st))))
		return HVB_ENOMEM;
	st->k = k;
	snprintf(st->root, sizeof(st->root), "%s", hvb_param_str(p, "root"));
	st->domid = t->domid;
	*state = st;
	return 0;
}

static int snap(struct hvb_devstats *st, struct hvb_metrics *m)
{
	int n;

	hvb_metrics_free(m);
	n = st->k->read(st->root, st->domid, m);
	if (n >= 0)
		st->ndev = n;
	return n < 0 ? n : 0;
}

int hvb_devstats_start(void *state)
{
	struct hvb_devstats *st = state;
	return snap(st, &st->s0);
}

int hvb_devstats_stop(void *state)
{
	struct hvb_devstats *st = state;
	return snap(st, &st->s1);
}

int hvb_devstats_collect(void *state, struct hvb_metrics *out)
{
	struct hvb_devstats *st = state;
	int rc = hvb_counters_delta(&st->s0, &st->s1, st->k->ns, st->k->docs, out);

	return hvb_metrics_addf(out, st->ndev, "count", HVB_INFO, "%s.%s", st->k->ns, st->k->count_name) < 0
		       ? HVB_ENOMEM
		       : rc;
}

void hvb_devstats_close(void *state)
{
	struct hvb_devstats *st = state;

	if (!st)
		return;
	hvb_metrics_free(&st->s0);
	hvb_metrics_free(&st->s1);
	free(st);
}
