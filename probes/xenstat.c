/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xenstat (dom0 only): the target domain as libxenstat sees it (what xentop
 * shows), snapshotted at the start and the stop of a sample: CPU time, vCPUs,
 * memory, and the totals of its vifs and vbds. The arithmetic is in
 * xenstat-delta.c. Natively in dom0 the domain is dom0 itself. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "probes/probes-internal.h"
#ifdef HAVE_LIBXENSTAT
#include <xenstat.h>
#include <xenstore.h>
#endif

static const struct hvb_option xenstat_options[] = {
	{ .name = "domid", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 0, .max = 32751,
	  .help = "the domain to watch; auto: the guest's (dom0 itself for the native backend)" },
	{ 0 },
};

#ifdef HAVE_LIBXENSTAT
struct xenstat_priv {
	unsigned domid;
	xenstat_handle *h;
};

static int xenstat_supported(char *why, size_t len)
{
	struct xs_handle *xs;

	if (!hvb_probe_in_dom0()) {
		snprintf(why, len, "not running in a Xen dom0 (no /proc/xen/capabilities with control_d)");
		return 0;
	}
	/* libxenstat opens xenstore; the socket only here, since through
	 * /dev/xen/xenbus a missing xenstored would hang the probe. */
	if (!(xs = xs_open(XS_OPEN_SOCKETONLY | XS_OPEN_READONLY))) {
		snprintf(why, len, "xenstored is not running (no socket), and libxenstat needs it");
		return 0;
	}
	xs_close(xs);
	return 1;
}

static void fini(void *priv)
{
	struct xenstat_priv *st = priv;

	if (st->h)
		xenstat_uninit(st->h);
}

static void read_vcpus(xenstat_domain *d, struct hvb_xenstat_snap *s)
{
	unsigned n = xenstat_domain_num_vcpus(d);

	hvb_xenstat_put(s, HVB_XS_VCPUS, n);
	hvb_xenstat_put(s, HVB_XS_VCPUS_ONLINE, 0);
	hvb_xenstat_put(s, HVB_XS_VCPU_NS, 0);
	for (unsigned i = 0; i < n; i++) {
		xenstat_vcpu *v = xenstat_domain_vcpu(d, i);
		if (!v)
			continue;
		hvb_xenstat_put(s, HVB_XS_VCPUS_ONLINE, xenstat_vcpu_online(v) ? 1 : 0);
		hvb_xenstat_put(s, HVB_XS_VCPU_NS, xenstat_vcpu_ns(v));
	}
}

static void read_vifs(xenstat_domain *d, struct hvb_xenstat_snap *s)
{
	unsigned n = xenstat_domain_num_networks(d);

	hvb_xenstat_put(s, HVB_XS_VIFS, n);
	for (int f = HVB_XS_NET_TX_BYTES; f <= HVB_XS_NET_RX_DROP; f++)
		hvb_xenstat_put(s, f, 0);
	for (unsigned i = 0; i < n; i++) {
		xenstat_network *net = xenstat_domain_network(d, i);
		if (!net)
			continue;
		hvb_xenstat_put(s, HVB_XS_NET_TX_BYTES, xenstat_network_tbytes(net));
		hvb_xenstat_put(s, HVB_XS_NET_TX_PACKETS, xenstat_network_tpackets(net));
		hvb_xenstat_put(s, HVB_XS_NET_TX_ERRS, xenstat_network_terrs(net));
		hvb_xenstat_put(s, HVB_XS_NET_TX_DROP, xenstat_network_tdrop(net));
		hvb_xenstat_put(s, HVB_XS_NET_RX_BYTES, xenstat_network_rbytes(net));
		hvb_xenstat_put(s, HVB_XS_NET_RX_PACKETS, xenstat_network_rpackets(net));
		hvb_xenstat_put(s, HVB_XS_NET_RX_ERRS, xenstat_network_rerrs(net));
		hvb_xenstat_put(s, HVB_XS_NET_RX_DROP, xenstat_network_rdrop(net));
	}
}

/* A vbd whose statistics libxenstat could not read (a backend other than
 * blkback) leaves the vbd totals out: a partial sum would pass for the whole. */
static void read_vbds(xenstat_domain *d, struct hvb_xenstat_snap *s)
{
	unsigned n = xenstat_domain_num_vbds(d);
	struct hvb_xenstat_snap t = { 0 };

	hvb_xenstat_put(&t, HVB_XS_VBDS, n);
	for (int f = HVB_XS_VBD_RD_REQ; f <= HVB_XS_VBD_OO_REQ; f++)
		hvb_xenstat_put(&t, f, 0);
	for (unsigned i = 0; i < n; i++) {
		xenstat_vbd *v = xenstat_domain_vbd(d, i);
		if (!v || xenstat_vbd_error(v))
			return;
		hvb_xenstat_put(&t, HVB_XS_VBD_RD_REQ, xenstat_vbd_rd_reqs(v));
		hvb_xenstat_put(&t, HVB_XS_VBD_WR_REQ, xenstat_vbd_wr_reqs(v));
		hvb_xenstat_put(&t, HVB_XS_VBD_RD_SECT, xenstat_vbd_rd_sects(v));
		hvb_xenstat_put(&t, HVB_XS_VBD_WR_SECT, xenstat_vbd_wr_sects(v));
		hvb_xenstat_put(&t, HVB_XS_VBD_OO_REQ, xenstat_vbd_oo_reqs(v));
	}
	for (int f = HVB_XS_VBDS; f <= HVB_XS_VBD_OO_REQ; f++)
		hvb_xenstat_put(s, f, t.v[f]);
}

static int read_domain(void *priv, void *snap)
{
	struct xenstat_priv *st = priv;
	struct hvb_xenstat_snap *s = snap;
	unsigned flags = XENSTAT_VCPU | XENSTAT_NETWORK | XENSTAT_VBD;
	xenstat_node *node = xenstat_get_node(st->h, flags);
	xenstat_domain *d;
	struct timespec ts;
	unsigned long long max;

	/* One collector that fails (no /proc/net/dev, no sysfs) fails the whole
	 * node: then the domain and its vCPUs only. */
	if (!node)
		node = xenstat_get_node(st->h, flags = XENSTAT_VCPU);
	if (!node)
		return HVB_EIO;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(s, 0, sizeof(*s));
	s->t_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (!(d = xenstat_node_domain(node, st->domid))) {
		xenstat_free_node(node);
		return HVB_ENOENT;
	}
	s->domid = xenstat_domain_id(d);
	snprintf(s->name, sizeof(s->name), "%s", xenstat_domain_name(d) ? xenstat_domain_name(d) : "");
	hvb_xenstat_put(s, HVB_XS_CPU_NS, xenstat_domain_cpu_ns(d));
	hvb_xenstat_put(s, HVB_XS_MEM_CUR, xenstat_domain_cur_mem(d));
	if ((max = xenstat_domain_max_mem(d)) != (unsigned long long)-1) /* -1: no limit */
		hvb_xenstat_put(s, HVB_XS_MEM_MAX, max);
	read_vcpus(d, s);
	if (flags & XENSTAT_NETWORK)
		read_vifs(d, s);
	if (flags & XENSTAT_VBD)
		read_vbds(d, s);
	xenstat_free_node(node);
	return 0;
}

/* The first reading, at open: a domain that is not there, or libxenstat that
 * cannot read, is a skip before any sample, and what it lacks is said once. */
static int init(void *priv, void *snap, const struct hvb_params *p, const struct hvb_probe_target *t, char *why,
		size_t len)
{
	struct xenstat_priv *st = priv;
	const struct hvb_xenstat_snap *s = snap;
	int rc;

	if (!hvb_param_is_auto(p, "domid"))
		st->domid = (unsigned)hvb_param_int(p, "domid");
	else
		st->domid = t->domid >= 0 ? (unsigned)t->domid : 0; /* natively in dom0: dom0 itself */
	if (!(st->h = xenstat_init())) {
		snprintf(why, len, "xenstat_init failed (%s): libxenstat needs root in dom0 (/dev/xen/privcmd)",
			 strerror(errno));
		return HVB_ESKIP;
	}
	if ((rc = read_domain(st, snap)) < 0) {
		if (rc == HVB_ENOENT)
			snprintf(why, len, "libxenstat knows no domain %u", st->domid);
		else if (rc == HVB_EIO)
			snprintf(why, len, "libxenstat could not read the domains (xenstat_get_node failed)");
		return rc;
	}
	if (!s->have[HVB_XS_VIFS])
		hvb_log(HVB_LOG_WARN, "xenstat: libxenstat gives no network statistics here: no net_ totals");
	if (!s->have[HVB_XS_VBDS])
		hvb_log(HVB_LOG_WARN, "xenstat: libxenstat cannot read domain %u's vbd statistics: no vbd_ totals",
			st->domid);
	return 0;
}

static int delta(const void *priv, const void *a, const void *b, struct hvb_metrics *out)
{
	return hvb_xenstat_delta(a, b, out);
}

static const struct hvb_snapshot_ops xenstat_snapshot = {
	.priv_size = sizeof(struct xenstat_priv),
	.snap_size = sizeof(struct hvb_xenstat_snap),
	.init = init,
	.read = read_domain,
	.delta = delta,
	.fini = fini,
};

static int xenstat_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	return hvb_snapshot_open(&xenstat_snapshot, p, t, state, why, len);
}

#else

/* Without libxenstat the probe is listed with its reason and never opens. */
static int xenstat_supported(char *why, size_t len)
{
	snprintf(why, len, "hvbench was built without libxenstat (configure found no xenstat.pc; Debian: libxen-dev)");
	return 0;
}

static int xenstat_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	xenstat_supported(why, len);
	return HVB_ESKIP;
}

#endif

const struct hvb_probe_ops hvb_probe_xenstat = {
	.name = "xenstat",
	.summary = "dom0: the domain as libxenstat (xentop) sees it: CPU time, vCPUs, memory, vif and vbd totals",
	.options = xenstat_options,
	.metrics = hvb_xenstat_metrics,
	.where = HVB_PROBE_HOST,
	.supported = xenstat_supported,
	.open = xenstat_open,
	.start = hvb_snapshot_start,
	.stop = hvb_snapshot_stop,
	.collect = hvb_snapshot_collect,
	.close = hvb_snapshot_close,
};
