/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xenstat: what the probe reports from two snapshots of a domain (taken by
 * probes/xenstat.c through libxenstat). Kept apart from libxenstat so that the
 * tests can feed it snapshots given as data. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "probes/probes-internal.h"

/* The metrics, indexed by field; the derived ones follow the fields. The
 * network counters are those of the vif interfaces in dom0 (/proc/net/dev),
 * unswapped by libxenstat: tx is what went to the domain. */
const struct hvb_metric_doc hvb_xenstat_metrics[] = {
	[HVB_XS_CPU_NS] = { "xenstat.cpu_s", "s", HVB_INFO, "CPU time of the domain over the sample" },
	[HVB_XS_VCPU_NS] = { "xenstat.vcpu_s", "s", HVB_INFO, "CPU time of the domain's vCPUs, summed, over the sample" },
	[HVB_XS_VCPUS] = { "xenstat.vcpus", "count", HVB_INFO, "vCPUs of the domain, at the stop" },
	[HVB_XS_VCPUS_ONLINE] = { "xenstat.vcpus_online", "count", HVB_INFO, "vCPUs online, at the stop" },
	[HVB_XS_MEM_CUR] = { "xenstat.mem_cur_mib", "MiB", HVB_INFO, "memory the domain holds, at the stop" },
	[HVB_XS_MEM_MAX] = { "xenstat.mem_max_mib", "MiB", HVB_INFO,
			     "the domain's memory limit, at the stop (absent when unlimited)" },
	[HVB_XS_VIFS] = { "xenstat.vifs", "count", HVB_INFO, "vifs of the domain (the net_ totals are over these)" },
	[HVB_XS_NET_TX_BYTES] = { "xenstat.net_tx_bytes", "bytes", HVB_INFO,
				  "bytes the domain's vifs in dom0 sent, i.e. to the domain (xentop's NETTX), over the sample" },
	[HVB_XS_NET_TX_PACKETS] = { "xenstat.net_tx_packets", "packets", HVB_INFO, "packets sent to the domain, all vifs" },
	[HVB_XS_NET_TX_ERRS] = { "xenstat.net_tx_errs", "packets", HVB_LOWER, "transmit errors, all vifs" },
	[HVB_XS_NET_TX_DROP] = { "xenstat.net_tx_drop", "packets", HVB_LOWER, "transmit drops, all vifs" },
	[HVB_XS_NET_RX_BYTES] = { "xenstat.net_rx_bytes", "bytes", HVB_INFO,
				  "bytes the domain's vifs in dom0 received, i.e. from the domain (xentop's NETRX)" },
	[HVB_XS_NET_RX_PACKETS] = { "xenstat.net_rx_packets", "packets", HVB_INFO, "packets received from the domain, all vifs" },
	[HVB_XS_NET_RX_ERRS] = { "xenstat.net_rx_errs", "packets", HVB_LOWER, "receive errors, all vifs" },
	[HVB_XS_NET_RX_DROP] = { "xenstat.net_rx_drop", "packets", HVB_LOWER, "receive drops, all vifs" },
	[HVB_XS_VBDS] = { "xenstat.vbds", "count", HVB_INFO, "vbds of the domain (the vbd_ totals are over these)" },
	[HVB_XS_VBD_RD_REQ] = { "xenstat.vbd_rd_req", "requests", HVB_INFO, "read requests over the sample, all vbds" },
	[HVB_XS_VBD_WR_REQ] = { "xenstat.vbd_wr_req", "requests", HVB_INFO, "write requests, all vbds" },
	[HVB_XS_VBD_RD_SECT] = { "xenstat.vbd_rd_sect", "sectors", HVB_INFO, "sectors read, all vbds" },
	[HVB_XS_VBD_WR_SECT] = { "xenstat.vbd_wr_sect", "sectors", HVB_INFO, "sectors written, all vbds" },
	[HVB_XS_VBD_OO_REQ] = { "xenstat.vbd_oo_req", "requests", HVB_LOWER,
				"requests that found the ring full (out of requests), all vbds" },
	[HVB_XS_NFIELDS] = { "xenstat.cpu_pct", "%", HVB_INFO,
			     "cpu_s over the wall time between the snapshots (100: one CPU's worth)" },
	{ 0 },
};

/* How a field becomes a metric. */
enum xs_kind { XS_COUNTER, XS_LEVEL };
static const struct {
	enum xs_kind kind;
	double scale; /* from libxenstat's unit to the metric's */
	int group;    /* for a device counter: the level counting the devices summed, else -1 */
} how[HVB_XS_NFIELDS] = {
	[HVB_XS_CPU_NS] = { XS_COUNTER, 1e-9, -1 },
	[HVB_XS_VCPU_NS] = { XS_COUNTER, 1e-9, -1 },
	[HVB_XS_VCPUS] = { XS_LEVEL, 1, -1 },
	[HVB_XS_VCPUS_ONLINE] = { XS_LEVEL, 1, -1 },
	[HVB_XS_MEM_CUR] = { XS_LEVEL, 1.0 / 1048576, -1 },
	[HVB_XS_MEM_MAX] = { XS_LEVEL, 1.0 / 1048576, -1 },
	[HVB_XS_VIFS] = { XS_LEVEL, 1, -1 },
	[HVB_XS_NET_TX_BYTES] = { XS_COUNTER, 1, HVB_XS_VIFS },
	[HVB_XS_NET_TX_PACKETS] = { XS_COUNTER, 1, HVB_XS_VIFS },
	[HVB_XS_NET_TX_ERRS] = { XS_COUNTER, 1, HVB_XS_VIFS },
	[HVB_XS_NET_TX_DROP] = { XS_COUNTER, 1, HVB_XS_VIFS },
	[HVB_XS_NET_RX_BYTES] = { XS_COUNTER, 1, HVB_XS_VIFS },
	[HVB_XS_NET_RX_PACKETS] = { XS_COUNTER, 1, HVB_XS_VIFS },
	[HVB_XS_NET_RX_ERRS] = { XS_COUNTER, 1, HVB_XS_VIFS },
	[HVB_XS_NET_RX_DROP] = { XS_COUNTER, 1, HVB_XS_VIFS },
	[HVB_XS_VBDS] = { XS_LEVEL, 1, -1 },
	[HVB_XS_VBD_RD_REQ] = { XS_COUNTER, 1, HVB_XS_VBDS },
	[HVB_XS_VBD_WR_REQ] = { XS_COUNTER, 1, HVB_XS_VBDS },
	[HVB_XS_VBD_RD_SECT] = { XS_COUNTER, 1, HVB_XS_VBDS },
	[HVB_XS_VBD_WR_SECT] = { XS_COUNTER, 1, HVB_XS_VBDS },
	[HVB_XS_VBD_OO_REQ] = { XS_COUNTER, 1, HVB_XS_VBDS },
};

void hvb_xenstat_put(struct hvb_xenstat_snap *s, enum hvb_xs_field f, uint64_t v)
{
	s->v[f] += v;
	s->have[f] = 1;
}

static const char *devices(int g) { return strchr(hvb_xenstat_metrics[g].name, '.') + 1; } /* "vifs" */

static int both(const struct hvb_xenstat_snap *a, const struct hvb_xenstat_snap *b, int f)
{
	return a->have[f] && b->have[f];
}

/* The totals of a group of devices are a delta only when the same devices were
 * summed at both ends: a vif that came or went (or was re-created, its counters
 * restarting) would make them meaningless. */
static int group_ok(const struct hvb_xenstat_snap *a, const struct hvb_xenstat_snap *b, int g)
{
	if (!both(a, b, g))
		return 0;
	if (a->v[g] != b->v[g]) {
		hvb_log(HVB_LOG_WARN, "xenstat: the domain's %s changed during the sample (%llu to %llu): their totals "
				      "are left out",
			devices(g), (unsigned long long)a->v[g], (unsigned long long)b->v[g]);
		return 0;
	}
	if (!b->v[g]) /* no devices: no totals */
		return 0;
	/* One total that went back (a device re-created) spoils the group's others. */
	for (int f = 0; f < HVB_XS_NFIELDS; f++) {
		uint64_t d;
		if (how[f].group == g && both(a, b, f) &&
		    !hvb_counter_delta(hvb_xenstat_metrics[f].name, a->v[f], b->v[f], &d)) {
			hvb_log(HVB_LOG_WARN, "xenstat: the domain's %s totals are left out", devices(g));
			return 0;
		}
	}
	return 1;
}

/* Counters of two different domains (one destroyed and re-created between the
 * readings: a new id, or the id reused by another guest) do not subtract. */
static int same_domain(const struct hvb_xenstat_snap *a, const struct hvb_xenstat_snap *b)
{
	if (a->domid == b->domid && !strcmp(a->name, b->name))
		return 1;
	hvb_log(HVB_LOG_WARN,
		"xenstat: the domain was re-created during the sample (domain %u \"%s\" at the start, %u \"%s\" at "
		"the stop): no counters for this sample",
		a->domid, a->name, b->domid, b->name);
	return 0;
}

int hvb_xenstat_delta(const struct hvb_xenstat_snap *a, const struct hvb_xenstat_snap *b, struct hvb_metrics *out)
{
	int ok[HVB_XS_NFIELDS] = { 0 }, rc = 0, same = same_domain(a, b);
	double cpu = -1;

	ok[HVB_XS_VIFS] = group_ok(a, b, HVB_XS_VIFS);
	ok[HVB_XS_VBDS] = group_ok(a, b, HVB_XS_VBDS);
	for (int f = 0; f < HVB_XS_NFIELDS; f++) {
		const struct hvb_metric_doc *d = &hvb_xenstat_metrics[f];
		double v;

		if (how[f].kind == XS_LEVEL) {
			if (!b->have[f])
				continue;
			v = (double)b->v[f];
		} else {
			char what[96];
			uint64_t dv;
			if (!same || !both(a, b, f) || (how[f].group >= 0 && !ok[how[f].group]))
				continue;
			snprintf(what, sizeof(what), "%s of domain %u", d->name, b->domid);
			if (!hvb_counter_delta(what, a->v[f], b->v[f], &dv))
				continue;
			v = (double)dv;
			if (f == HVB_XS_CPU_NS)
				cpu = v;
		}
		rc |= hvb_metrics_add(out, d->name, v * how[f].scale, d->unit, d->better);
	}
	if (cpu >= 0 && b->t_ns > a->t_ns) {
		const struct hvb_metric_doc *d = &hvb_xenstat_metrics[HVB_XS_NFIELDS];
		rc |= hvb_metrics_add(out, d->name, 100.0 * cpu / (double)(b->t_ns - a->t_ns), d->unit, d->better);
	}
	return rc ? HVB_ENOMEM : 0;
}
