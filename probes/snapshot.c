/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the snapshot probes (xenperf, xenlockprof, xenstat) share: a reading at
 * the start and one at the stop of a sample, their figures made of the two,
 * and the lifetimes of the probe's state and of both readings. Each probe
 * supplies only how to open its source, read it and subtract. */
#include "config.h"
#include <stdlib.h>
#include "probes/probes-internal.h"

struct hvb_snapshot {
	const struct hvb_snapshot_ops *ops;
	void *priv;
	void *s[2]; /* the readings at the start and at the stop */
	int fresh[2]; /* each taken for this sample: a failed read leaves the last one's in place */
};

void hvb_snapshot_close(void *state)
{
	struct hvb_snapshot *st = state;

	if (!st)
		return;
	if (st->priv && st->ops->fini)
		st->ops->fini(st->priv);
	for (int i = 0; i < 2; i++) {
		if (st->s[i] && st->ops->free_snap)
			st->ops->free_snap(st->s[i]);
		free(st->s[i]);
	}
	free(st->priv);
	free(st);
}

int hvb_snapshot_open(const struct hvb_snapshot_ops *ops, const struct hvb_params *p,
		      const struct hvb_probe_target *t, void **state, char *why, size_t len)
{
	struct hvb_snapshot *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return HVB_ENOMEM;
	st->ops = ops;
	/* At least a byte each: calloc(1, 0) may answer NULL. */
	st->priv = calloc(1, ops->priv_size ? ops->priv_size : 1);
	st->s[0] = calloc(1, ops->snap_size ? ops->snap_size : 1);
	st->s[1] = calloc(1, ops->snap_size ? ops->snap_size : 1);
	if (!st->priv || !st->s[0] || !st->s[1])
		rc = HVB_ENOMEM;
	else
		rc = ops->init(st->priv, st->s[0], p, t, why, len);
	if (rc < 0) {
		hvb_snapshot_close(st);
		return rc;
	}
	*state = st;
	return 0;
}

int hvb_snapshot_start(void *state)
{
	struct hvb_snapshot *st = state;
	int rc = st->ops->read(st->priv, st->s[0]);

	st->fresh[0] = rc >= 0;
	st->fresh[1] = 0;
	return rc;
}

int hvb_snapshot_stop(void *state)
{
	struct hvb_snapshot *st = state;
	int rc = st->ops->read(st->priv, st->s[1]);

	st->fresh[1] = rc >= 0;
	return rc;
}

/* No figures unless both readings are this sample's: a stale one would make a delta
 * over two samples, or a counter that goes backwards. */
int hvb_snapshot_collect(void *state, struct hvb_metrics *out)
{
	struct hvb_snapshot *st = state;

	if (!st->fresh[0] || !st->fresh[1])
		return HVB_EIO;
	return st->ops->delta(st->priv, st->s[0], st->s[1], out);
}
