/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Per-unit figures (probes/backend-cost.c) on samples recorded in the QEMU lab's dom0
 * (tests/data/analysis/lab-smoke.sql: sample 8, iperf3 in a PV guest; sample 7, fio in a
 * PV guest), their xentrace figures under the role names analysis gives them
 * (hvb_metric_xen_role), and on a sample with backend grant figures added to sample 8. */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "analysis/analysis.h"
#include "probes/probes.h"

static int failures, checks;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

struct fig { const char *name; double v; const char *unit; };

static void load(struct hvb_metrics *ms, const struct fig *f)
{
	memset(ms, 0, sizeof(*ms));
	for (; f->name; f++) {
		char role[96];
		const char *n = hvb_metric_xen_role(f->name, "xen", role, sizeof(role)) ? role : f->name;
		hvb_metrics_add(ms, n, f->v, f->unit, HVB_INFO);
	}
}

static double get(const struct hvb_metrics *ms, const char *name)
{
	const struct hvb_metric *m = hvb_metrics_get(ms, name);
	return m ? m->value : NAN;
}

static int near(double a, double b) { return fabs(a - b) <= 1e-9 * fabs(b); }

int main(void)
{
	static const struct fig iperf3_pv[] = { /* sample 8 */
		{ "netback.from_guest_bytes", 26025500, "bytes" }, { "netback.from_guest_packets", 431, "packets" },
		{ "netback.to_guest_bytes", 19309, "bytes" }, { "netback.to_guest_packets", 288, "packets" },
		{ "ops", 25012, "KiB" }, { "xen.hypercall.event_channel_op", 213, "calls" },
		{ "xen.hypercall.iret", 1688, "calls" }, { "xen.runstate.running", 0.915172464496897, "s" },
		/* the total the probe stores now beside the names (xen.guest.hypercalls): sample 8's sum */
		{ "xen.guest.hypercalls", 4264, "calls" }, { NULL, 0, NULL },
	};
	static const struct fig fio_pv[] = { /* sample 7 */
		{ "blkback.rd_req", 151, "requests" }, { "blkback.rd_sect", 1208, "sectors" },
		{ "blkback.wr_req", 0, "requests" }, { "blkback.wr_sect", 0, "sectors" }, { "ops", 151, "I/Os" },
		{ "netback.vifs", 0, "count" }, { "xen.hypercall.event_channel_op", 171, "calls" },
		{ "xen.runstate.running", 2.03081748499771, "s" }, { "xen.guest.hypercalls", 22039, "calls" },
		{ NULL, 0, NULL },
	};
	struct hvb_metrics ms;
	double pk = 431 + 288, kib = (26025500.0 + 19309) / 1024;

	load(&ms, iperf3_pv);
	CHECK(hvb_backend_cost(&ms) == 0, "iperf3 sample");
	CHECK(near(get(&ms, "cost.guest_tx.guest.evtchn_ops.per_packet"), 213 / pk), "evtchn per packet %g",
	      get(&ms, "cost.guest_tx.guest.evtchn_ops.per_packet"));
	CHECK(near(get(&ms, "cost.guest_tx.guest.hypercalls.per_kib"), 4264 / kib), "hypercalls per KiB");
	CHECK(near(get(&ms, "cost.guest_tx.guest.cpu_us.per_packet"), 0.915172464496897e6 / pk), "cpu us per packet");
	CHECK(!strcmp(hvb_metrics_get(&ms, "cost.guest_tx.guest.cpu_us.per_packet")->unit, "us/packet"), "unit");
	/* not measured in 2026-11 (no arguments decoded, no backend role): absent, not zero */
	CHECK(isnan(get(&ms, "cost.guest_tx.guest.grant_copies.per_packet")), "grant copies must be absent");
	CHECK(isnan(get(&ms, "cost.guest_tx.backend.hypercalls.per_packet")), "backend figures must be absent");
	CHECK(isnan(get(&ms, "cost.guest_tx.guest.xen_us.per_packet")), "PV has no Xen time");
	/* the same sample with the backend's figures as the probe now stores them */
	hvb_metrics_free(&ms);
	load(&ms, iperf3_pv);
	hvb_metrics_add(&ms, "xen.backend.gnttab.copy.ops", 1438, "ops", HVB_LOWER);
	hvb_metrics_add(&ms, "xen.backend.gnttab.map_grant_ref.ops", 0, "ops", HVB_LOWER);
	hvb_metrics_add(&ms, "xen.backend.hypercalls", 900, "calls", HVB_LOWER);
	CHECK(hvb_backend_cost(&ms) == 0, "with the backend's figures");
	CHECK(near(get(&ms, "cost.guest_tx.backend.grant_copies.per_packet"), 1438 / pk), "backend copies per packet");
	CHECK(get(&ms, "cost.guest_tx.backend.grant_maps.per_packet") == 0, "backend maps per packet: a measured zero");
	CHECK(near(get(&ms, "cost.guest_tx.backend.evtchn_ops.per_packet"), 0), "no event_channel_op in a decoded trace: 0");
	hvb_metrics_free(&ms);

	load(&ms, fio_pv);
	CHECK(hvb_backend_cost(&ms) == 0, "fio sample");
	CHECK(near(get(&ms, "cost.read.guest.hypercalls.per_request"), 22039.0 / 151), "hypercalls per request");
	CHECK(near(get(&ms, "cost.read.guest.hypercalls.per_io"), 22039.0 / 151), "hypercalls per fio I/O");
	CHECK(near(get(&ms, "cost.read.guest.evtchn_ops.per_kib"), 171.0 / (1208 * 512 / 1024.0)), "evtchn per KiB");
	CHECK(isnan(get(&ms, "cost.guest_tx.guest.hypercalls.per_packet")), "no vif: no per-packet figure");
	/* what analysis does with them: already per unit, never divided by ops again */
	CHECK(!hvb_metric_is_amount("cost.read.guest.hypercalls.per_io", "ops/io"), "per-unit figures are not amounts");
	CHECK(hvb_metric_is_probe("cost.read.guest.hypercalls.per_io"), "cost.* is a probe namespace");
	hvb_metrics_free(&ms);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
