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

struct xenlockprof_state {
	int domid;
	struct hvb_xenlockprof_snap s[2];
#ifdef HAVE_LIBXEN
	xc_interface *x;
#endif
};

#ifndef HAVE_LIBXEN
static int xenlockprof_supported(char *why, size_t len) { return hvb_probe_no_libxen(why, len); }
static int read_snap(struct xenlockprof_state *st, struct hvb_xenlockprof_snap *s) { return HVB_ESKIP; }
static int init_handle(struct xenlockprof_state *st, char *why, size_t len)
{
	return hvb_probe_no_libxen(why, len) ? 0 : HVB_ESKIP;
}
static void fini_handle(struct xenlockprof_state *st) {}
#else

static int query_number(xc_interface *x, char *why, size_t len, uint32_t *n)
{
	int rc;

	errno = 0;
	rc = xc_lockprof_query_number(x, n);
	return hvb_probe_xen_hook(rc, errno, "CONFIG_DEBUG_LOCK_PROFILE",
				  "the lock profile query (xc_lockprof_query_number)", why, len);
}

static int xenlockprof_supported(char *why, size_t len)
{
	xc_interface *x = hvb_probe_xc_open(why, len);
	uint32_t n;
	int ok;

	if (!x)
		return 0;
	ok = query_number(x, why, len, &n);
	xc_interface_close(x);
	return ok;
}

static int init_handle(struct xenlockprof_state *st, char *why, size_t len)
{
	uint32_t n;

	if (!(st->x = hvb_probe_xc_open(why, len)))
		return HVB_ESKIP;
	return query_number(st->x, why, len, &n) ? 0 : HVB_ESKIP;
}

static void fini_handle(struct xenlockprof_state *st)
{
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

static int read_snap(struct xenlockprof_state *st, struct hvb_xenlockprof_snap *s)
{
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
#endif

static void xenlockprof_close(void *state)
{
	struct xenlockprof_state *st = state;

	if (!st)
		return;
	fini_handle(st);
	free(st->s[0].lock);
	free(st->s[1].lock);
	free(st);
}

static int xenlockprof_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			    size_t len)
{
	struct xenlockprof_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return HVB_ENOMEM;
	st->domid = hvb_param_is_auto(p, "domid") ? t->domid : (int)hvb_param_int(p, "domid");
	if ((rc = init_handle(st, why, len)) < 0) {
		xenlockprof_close(st);
		return rc;
	}
	*state = st;
	return 0;
}

static int xenlockprof_start(void *state)
{
	struct xenlockprof_state *st = state;
	return read_snap(st, &st->s[0]);
}

static int xenlockprof_stop(void *state)
{
	struct xenlockprof_state *st = state;
	return read_snap(st, &st->s[1]);
}

static int xenlockprof_collect(void *state, struct hvb_metrics *out)
{
	struct xenlockprof_state *st = state;
	return hvb_xenlockprof_delta(&st->s[0], &st->s[1], st->domid, out);
}

const struct hvb_probe_ops hvb_probe_xenlockprof = {
	.name = "xenlockprof",
	.summary = "dom0: Xen's lock profile (CONFIG_DEBUG_LOCK_PROFILE): per lock, acquisitions, contentions and "
		   "time spent waiting over the sample; with hvbench's hooks series also the grant table's locks",
	.options = xenlockprof_options,
	.metrics = hvb_xenlockprof_metrics,
	.where = HVB_PROBE_HOST,
	.supported = xenlockprof_supported,
	.open = xenlockprof_open,
	.start = xenlockprof_start,
	.stop = xenlockprof_stop,
	.collect = xenlockprof_collect,
	.close = xenlockprof_close,
};
