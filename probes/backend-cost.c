/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What one packet, one KiB or one block request cost the backend domain and the guest:
 * grant copies, maps and unmaps, hypercalls, event-channel operations, vCPU time and time
 * in Xen, each divided by the units the sample moved (netback's vif counters, blkback's
 * vbd statistics, fio's I/Os).  Computed per sample from the figures the probes measured
 * in it, so that the statistics give each a confidence interval; a figure whose numerator
 * or denominator was not measured is absent, never zero. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "probes/probes-internal.h"

static int get_sum(const struct hvb_metrics *ms, const char *a, const char *b, double *v)
{
	double x = 0, y = 0;
	int ha = hvb_metric_value(ms, a, NULL, &x), hb = hvb_metric_value(ms, b, NULL, &y);

	*v = x + y;
	return ha || hb;
}

/* The numerators of one role; 1 with *v when the trace measured it. */
static int numerator(const struct hvb_metrics *ms, const char *role, const char *what, double *v)
{
	char n[96];
	double calls;

	if (!strcmp(what, "grant_copies"))
		snprintf(n, sizeof(n), "xen.%s.gnttab.copy.ops", role);
	else if (!strcmp(what, "grant_maps"))
		snprintf(n, sizeof(n), "xen.%s.gnttab.map_grant_ref.ops", role);
	else if (!strcmp(what, "grant_unmaps"))
		snprintf(n, sizeof(n), "xen.%s.gnttab.unmap_grant_ref.ops", role);
	else if (!strcmp(what, "hypercalls"))
		snprintf(n, sizeof(n), "xen.%s.hypercalls", role);
	else if (!strcmp(what, "evtchn_ops")) {
		/* the hypercall's sub-operation is not traced (Xen records no argument of it): sends and
		 * the rest; a name absent from a decoded trace means no call */
		snprintf(n, sizeof(n), "xen.%s.hypercalls", role);
		if (!hvb_metric_value(ms, n, NULL, &calls))
			return 0;
		snprintf(n, sizeof(n), "xen.%s.hypercall.event_channel_op", role);
		if (!hvb_metric_value(ms, n, NULL, v))
			*v = 0;
		return 1;
	} else if (!strcmp(what, "cpu_us") || !strcmp(what, "xen_us")) {
		snprintf(n, sizeof(n), what[0] == 'c' ? "xen.%s.runstate.running" : "xen.%s.xen_time", role);
		if (!hvb_metric_value(ms, n, "s", v))
			return 0;
		*v *= 1e6;
		return 1;
	} else
		return 0;
	return hvb_metric_value(ms, n, NULL, v);
}

static const char *const whats[] = { "grant_copies", "grant_maps", "grant_unmaps", "hypercalls", "evtchn_ops",
				     "cpu_us", "xen_us", NULL };

struct unit {
	const char *name; /* "packet" */
	double n;
};

static int divide(struct hvb_metrics *ms, const char *dir, const struct unit *u, size_t nu)
{
	static const char *const roles[] = { "backend", "guest", NULL };
	int e = 0;

	for (size_t r = 0; roles[r] && !e; r++)
		for (size_t w = 0; whats[w] && !e; w++) {
			double v;
			if (!numerator(ms, roles[r], whats[w], &v))
				continue;
			for (size_t k = 0; k < nu && !e; k++) {
				char unit[16];
				if (!(u[k].n > 0))
					continue;
				snprintf(unit, sizeof(unit), "%s/%s", !strcmp(whats[w] + strlen(whats[w]) - 3, "_us") ? "us" : "ops",
					 u[k].name);
				e = hvb_metrics_addf(ms, v / u[k].n, unit, HVB_LOWER, "cost.%s.%s.%s.per_%s", dir, roles[r],
						     whats[w], u[k].name);
			}
		}
	return e;
}

int hvb_backend_cost(struct hvb_metrics *ms)
{
	double a, b, pk, sect, ios;
	int e = 0;

	/* netback: the direction is the one that carried most bytes (the other has the ACKs);
	 * packets and bytes count both ways, as both ways cost grant operations */
	if (get_sum(ms, "netback.from_guest_bytes", "netback.to_guest_bytes", &a) &&
	    get_sum(ms, "netback.from_guest_packets", "netback.to_guest_packets", &pk) && a > 0) {
		double tx = 0, rx = 0;
		hvb_metric_value(ms, "netback.from_guest_bytes", NULL, &tx);
		hvb_metric_value(ms, "netback.to_guest_bytes", NULL, &rx);
		struct unit u[] = { { "packet", pk }, { "kib", a / 1024 } };
		e = divide(ms, tx >= rx ? "guest_tx" : "guest_rx", u, 2);
	}
	/* blkback: reads or writes, whichever the guest asked more of; fio's own I/O count too */
	if (!e && get_sum(ms, "blkback.rd_req", "blkback.wr_req", &b) && b > 0 &&
	    get_sum(ms, "blkback.rd_sect", "blkback.wr_sect", &sect)) {
		double rd = 0, wr = 0;
		hvb_metric_value(ms, "blkback.rd_req", NULL, &rd);
		hvb_metric_value(ms, "blkback.wr_req", NULL, &wr);
		struct unit u[] = { { "request", b }, { "kib", sect * 512 / 1024 }, { "io", 0 } };
		if (hvb_metric_value(ms, "ops", "I/Os", &ios))
			u[2].n = ios;
		e = divide(ms, rd >= wr ? "read" : "write", u, 3);
	}
	return e;
}
