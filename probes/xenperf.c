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
	{ .name = "elements", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "also the elements of Xen's array counters one by one (xenperf.hypercalls.N, .vmexits.N, ...)" },
	{ 0 },
};

#ifdef HAVE_LIBXEN
struct xenperf_priv {
	int elements;
	xc_interface *x;
};

static void snap_free(void *snap)
{
	struct hvb_xenperf_snap *s = snap;

	free(s->desc);
	free(s->vals);
	memset(s, 0, sizeof(*s));
}

static int query_number(xc_interface *x, char *why, size_t len)
{
	int nd, nv, rc;

	errno = 0;
	rc = xc_perfc_query_number(x, &nd, &nv);
	return hvb_probe_xen_hook(rc, errno, "CONFIG_PERF_COUNTERS", "the perf counter query (xc_perfc_query_number)",
				  why, len);
}

static int xenperf_supported(char *why, size_t len) { return hvb_probe_xc_hook_supported(query_number, why, len); }

static int init(void *priv, void *snap, const struct hvb_params *p, const struct hvb_probe_target *t, char *why,
		size_t len)
{
	struct xenperf_priv *st = priv;

	st->elements = hvb_param_bool(p, "elements");
	return (st->x = hvb_probe_xc_hook_open(query_number, why, len)) ? 0 : HVB_ESKIP;
}

static void fini(void *priv)
{
	struct xenperf_priv *st = priv;

	if (st->x)
		xc_interface_close(st->x);
}

static int read_snap(void *priv, void *snap)
{
	struct xenperf_priv *st = priv;
	struct hvb_xenperf_snap *s = snap;
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

static int delta(const void *priv, const void *a, const void *b, struct hvb_metrics *out)
{
	const struct xenperf_priv *st = priv;
	return hvb_xenperf_delta(a, b, st->elements, out);
}

static const struct hvb_snapshot_ops xenperf_snapshot = {
	.priv_size = sizeof(struct xenperf_priv),
	.snap_size = sizeof(struct hvb_xenperf_snap),
	.init = init,
	.read = read_snap,
	.delta = delta,
	.free_snap = snap_free,
	.fini = fini,
};

static int xenperf_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	return hvb_snapshot_open(&xenperf_snapshot, p, t, state, why, len);
}
#else
/* Without libxenctrl the probe is listed with its reason and never opens. */
#define xenperf_supported hvb_probe_no_libxen
#define xenperf_open hvb_probe_open_no_libxen
#endif

const struct hvb_probe_ops hvb_probe_xenperf = {
	.name = "xenperf",
	.summary = "dom0: Xen's software perf counters (CONFIG_PERF_COUNTERS: hypercalls, VM exits, grant operations, "
		   "...) over the sample, whole host",
	.options = xenperf_options,
	.metrics = hvb_xenperf_metrics,
	.where = HVB_PROBE_HOST,
	.supported = xenperf_supported,
	.open = xenperf_open,
	.start = hvb_snapshot_start,
	.stop = hvb_snapshot_stop,
	.collect = hvb_snapshot_collect,
	.close = hvb_snapshot_close,
};
