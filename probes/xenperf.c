/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xenperf (dom0 only): Xen's software perf counters (CONFIG_PERF_COUNTERS,
 * what the xenperf tool prints), read through libxenctrl at the start and the
 * stop of a sample. The arithmetic is in xenperf-delta.c. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/probes-internal.h"

static const struct hvb_option xenperf_options[] = {
	{ .name = "elements", .type = HVB_OPT_BOOL, .def = "yes",
	  .help = "also the elements of Xen's array counters one by one (xenperf.hypercalls.N, .vmexits.N, ...)" },
	{ 0 },
};

struct xenperf_state {
	int elements;
	struct hvb_xenperf_snap s[2];
#ifdef HAVE_LIBXEN
	xc_interface *x;
#endif
};

static void snap_free(struct hvb_xenperf_snap *s)
{
	free(s->desc);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}

#ifndef HAVE_LIBXEN
static int xenperf_supported(char *why, size_t len) { return hvb_probe_no_libxen(why, len); }
static int read_snap(struct xenperf_state *st, struct hvb_xenperf_snap *s) { return HVB_ESKIP; }
static int init_handle(struct xenperf_state *st, char *why, size_t len)
{
	return hvb_probe_no_libxen(why, len) ? 0 : HVB_ESKIP;
}
static void fini_handle(struct xenperf_state *st) {}
#else

static int query_number(xc_interface *x, char *why, size_t len, int *nd, int *nv)
{
	int rc;

	errno = 0;
	rc = xc_perfc_query_number(x, nd, nv);
	return hvb_probe_xen_hook(rc, errno, "CONFIG_PERF_COUNTERS", "the perf counter query (xc_perfc_query_number)",
				  why, len);
}

static int xenperf_supported(char *why, size_t len)
{
	xc_interface *x = hvb_probe_xc_open(why, len);
	int nd, nv, ok;

	if (!x)
		return 0;
	ok = query_number(x, why, len, &nd, &nv);
	xc_interface_close(x);
	return ok;
}

static int init_handle(struct xenperf_state *st, char *why, size_t len)
{
	int nd, nv;

	if (!(st->x = hvb_probe_xc_open(why, len)))
		return HVB_ESKIP;
	return query_number(st->x, why, len, &nd, &nv) ? 0 : HVB_ESKIP;
}

static void fini_handle(struct xenperf_state *st)
{
	if (st->x)
		xc_interface_close(st->x);
}

static int read_snap(struct xenperf_state *st, struct hvb_xenperf_snap *s)
{
	DECLARE_HYPERCALL_BUFFER(xc_perfc_desc_t, pcd);
	DECLARE_HYPERCALL_BUFFER(xc_perfc_val_t, pcv);
	int nd = 0, nv = 0, rc = HVB_EIO;

	snap_free(s);
	if (xc_perfc_query_number(st->x, &nd, &nv) != 0 || nd <= 0)
		return HVB_EIO;
	pcd = xc_hypercall_buffer_alloc(st->x, pcd, sizeof(*pcd) * (size_t)nd);
	pcv = xc_hypercall_buffer_alloc(st->x, pcv, sizeof(*pcv) * (size_t)(nv ? nv : 1));
	s->desc = calloc((size_t)nd, sizeof(*s->desc));
	s->vals = calloc((size_t)(nv ? nv : 1), sizeof(*s->vals));
	if (!pcd || !pcv || !s->desc || !s->vals)
		rc = HVB_ENOMEM;
	else if (xc_perfc_query(st->x, HYPERCALL_BUFFER(pcd), HYPERCALL_BUFFER(pcv)) == 0) {
		for (int i = 0; i < nd; i++) {
			snprintf(s->desc[i].name, sizeof(s->desc[i].name), "%.*s", (int)sizeof(s->desc[i].name) - 1, pcd[i].name);
			s->desc[i].nr_vals = pcd[i].nr_vals;
		}
		memcpy(s->vals, pcv, sizeof(*pcv) * (size_t)nv);
		s->ndesc = (unsigned)nd;
		s->nvals = (unsigned)nv;
		rc = 0;
	}
	xc_hypercall_buffer_free(st->x, pcd);
	xc_hypercall_buffer_free(st->x, pcv);
	if (rc < 0)
		snap_free(s);
	return rc;
}
#endif

static void xenperf_close(void *state)
{
	struct xenperf_state *st = state;

	if (!st)
		return;
	fini_handle(st);
	snap_free(&st->s[0]);
	snap_free(&st->s[1]);
	free(st);
}

static int xenperf_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	struct xenperf_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return HVB_ENOMEM;
	st->elements = hvb_param_bool(p, "elements");
	if ((rc = init_handle(st, why, len)) < 0) {
		xenperf_close(st);
		return rc;
	}
	*state = st;
	return 0;
}

static int xenperf_start(void *state)
{
	struct xenperf_state *st = state;
	return read_snap(st, &st->s[0]);
}

static int xenperf_stop(void *state)
{
	struct xenperf_state *st = state;
	return read_snap(st, &st->s[1]);
}

static int xenperf_collect(void *state, struct hvb_metrics *out)
{
	struct xenperf_state *st = state;
	return hvb_xenperf_delta(&st->s[0], &st->s[1], st->elements, out);
}


const struct hvb_probe_ops hvb_probe_xenperf = {
	.name = "xenperf",
	.summary = "dom0: Xen's software perf counters (CONFIG_PERF_COUNTERS: hypercalls, VM exits, grant operations, "
		   "...) over the sample, whole host",
	.options = xenperf_options,
	.metrics = hvb_xenperf_metrics,
	.where = HVB_PROBE_HOST,
	.supported = xenperf_supported,
	.open = xenperf_open,
	.start = xenperf_start,
	.stop = xenperf_stop,
	.collect = xenperf_collect,
	.close = xenperf_close,
};
