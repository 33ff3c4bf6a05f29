/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xenlockprof (dom0 only): Xen's lock profile (CONFIG_DEBUG_LOCK_PROFILE, what
 * the xenlockprof tool prints): per profiled lock, acquisitions, contentions
 * and time spent waiting, read through libxenctrl at the start and the stop of
 * a sample. The arithmetic is in xenlockprof-delta.c. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/probes-internal.h"

static const struct hvb_option xenlockprof_options[] = {
	{ .name = "domid", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 0, .max = 32751,
	  .help = "the domain whose locks are the \"guest\" ones; auto: the guest's (none natively)" },
	{ 0 },
};

#ifdef HAVE_LIBXEN
struct xenlockprof_priv {
	int domid;
	xc_interface *x;
};

static int query_number(xc_interface *x, char *why, size_t len)
{
	uint32_t n;
	int rc;

	errno = 0;
	rc = xc_lockprof_query_number(x, &n);
	return hvb_probe_xen_hook(rc, errno, "CONFIG_DEBUG_LOCK_PROFILE",
				  "the lock profile query (xc_lockprof_query_number)", why, len);
}

static int xenlockprof_supported(char *why, size_t len)
{
	return hvb_probe_xc_hook_supported(query_number, why, len);
}

static int init(void *priv, void *snap, const struct hvb_params *p, const struct hvb_probe_target *t, char *why,
		size_t len)
{
	struct xenlockprof_priv *st = priv;

	st->domid = hvb_param_is_auto(p, "domid") ? t->domid : (int)hvb_param_int(p, "domid");
	return (st->x = hvb_probe_xc_hook_open(query_number, why, len)) ? 0 : HVB_ESKIP;
}

static void fini(void *priv)
{
	struct xenlockprof_priv *st = priv;

	if (st->x)
		xc_interface_close(st->x);
}

/* One query into a buffer of max locks; *n: how many Xen has (may be more). */
static int query(xc_interface *x, uint32_t max, struct hvb_xenlockprof_snap *s, uint32_t *n)
{
	DECLARE_HYPERCALL_BUFFER(xc_lockprof_data_t, data);
	uint64_t time = 0;
	int rc = HVB_EIO;

	*n = max;
	if (!(data = xc_hypercall_buffer_alloc(x, data, sizeof(*data) * (max ? max : 1))))
		return HVB_ENOMEM;
	if (xc_lockprof_query(x, n, &time, HYPERCALL_BUFFER(data)) == 0) {
		s->n = *n < max ? *n : max;
		s->time_ns = time;
		for (uint32_t i = 0; i < s->n; i++) {
			struct hvb_xenlockprof_lock *l = &s->lock[i];
			snprintf(l->name, sizeof(l->name), "%.*s", (int)sizeof(l->name) - 1, data[i].name);
			l->type = data[i].type;
			l->idx = data[i].idx;
			l->lock_cnt = data[i].lock_cnt;
			l->block_cnt = data[i].block_cnt;
			l->lock_time_ns = data[i].lock_time;
			l->block_time_ns = data[i].block_time;
		}
		rc = 0;
	}
	xc_hypercall_buffer_free(x, data);
	return rc;
}

static int read_snap(void *priv, void *snap)
{
	struct xenlockprof_priv *st = priv;
	struct hvb_xenlockprof_snap *s = snap;
	uint32_t max = 0, n;
	int rc;

	if (xc_lockprof_query_number(st->x, &max) != 0)
		return HVB_EIO;
	/* Locks come with domains: when some came between the two calls, again with room for them. */
	for (int tries = 0; tries < 4; tries++, max = n + 16) {
		free(s->lock);
		memset(s, 0, sizeof(*s));
		if (!(s->lock = calloc(max ? max : 1, sizeof(*s->lock))))
			return HVB_ENOMEM;
		if ((rc = query(st->x, max, s, &n)) < 0 || n <= max)
			return rc;
	}
	hvb_log(HVB_LOG_WARN, "xenlockprof: the number of profiled locks kept growing while read: %u of %u read", s->n,
		n);
	return 0;
}

static int delta(const void *priv, const void *a, const void *b, struct hvb_metrics *out)
{
	const struct xenlockprof_priv *st = priv;
	return hvb_xenlockprof_delta(a, b, st->domid, out);
}

static void snap_free(void *snap)
{
	struct hvb_xenlockprof_snap *s = snap;
	free(s->lock);
}

static const struct hvb_snapshot_ops xenlockprof_snapshot = {
	.priv_size = sizeof(struct xenlockprof_priv),
	.snap_size = sizeof(struct hvb_xenlockprof_snap),
	.init = init,
	.read = read_snap,
	.delta = delta,
	.free_snap = snap_free,
	.fini = fini,
};

static int xenlockprof_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			    size_t len)
{
	return hvb_snapshot_open(&xenlockprof_snapshot, p, t, state, why, len);
}
#else
/* Without libxenctrl the probe is listed with its reason and never opens. */
#define xenlockprof_supported hvb_probe_no_libxen
#define xenlockprof_open hvb_probe_open_no_libxen
#endif

const struct hvb_probe_ops hvb_probe_xenlockprof = {
	.name = "xenlockprof",
	.summary = "dom0: Xen's lock profile (CONFIG_DEBUG_LOCK_PROFILE): per lock, acquisitions, contentions and "
		   "time spent waiting over the sample; with hvbench's hooks series also the grant table's locks",
	.options = xenlockprof_options,
	.metrics = hvb_xenlockprof_metrics,
	.where = HVB_PROBE_HOST,
	.supported = xenlockprof_supported,
	.open = xenlockprof_open,
	.start = hvb_snapshot_start,
	.stop = hvb_snapshot_stop,
	.collect = hvb_snapshot_collect,
	.close = hvb_snapshot_close,
};
