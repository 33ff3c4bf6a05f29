/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The xenstat probe without a hypervisor: its metrics from two snapshots given
 * as data (deltas, levels, units, what is left out and when), and its
 * namespace recognised both by probes/ and by analysis/ (whose list of probe
 * namespaces is kept by hand: every probe's is checked here). */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include "probes/probes.h"
#ifdef HAVE_GSL
#include "analysis/analysis.h"
#endif
#include "tests/check.h"

/* A guest with 2 of 4 vCPUs online, 1 GiB of 2 GiB, 2 vifs and 1 vbd, as
 * libxenstat would give it: ns, bytes, counts. */
static const struct hvb_xenstat_snap before = {
	.t_ns = 5000000000ULL,
	.v = { [HVB_XS_CPU_NS] = 7000000000ULL, [HVB_XS_VCPU_NS] = 6900000000ULL, [HVB_XS_VCPUS] = 4,
	       [HVB_XS_VCPUS_ONLINE] = 2, [HVB_XS_MEM_CUR] = 1ULL << 30, [HVB_XS_MEM_MAX] = 2ULL << 30,
	       [HVB_XS_VIFS] = 2, [HVB_XS_NET_TX_BYTES] = 1000, [HVB_XS_NET_TX_PACKETS] = 10,
	       [HVB_XS_NET_TX_ERRS] = 0, [HVB_XS_NET_TX_DROP] = 1, [HVB_XS_NET_RX_BYTES] = 5000,
	       [HVB_XS_NET_RX_PACKETS] = 50, [HVB_XS_NET_RX_ERRS] = 2, [HVB_XS_NET_RX_DROP] = 3, [HVB_XS_VBDS] = 1,
	       [HVB_XS_VBD_RD_REQ] = 100, [HVB_XS_VBD_WR_REQ] = 200, [HVB_XS_VBD_RD_SECT] = 800,
	       [HVB_XS_VBD_WR_SECT] = 1600, [HVB_XS_VBD_OO_REQ] = 4 },
};
static const struct hvb_xenstat_snap after = {
	.t_ns = 7000000000ULL, /* 2 s later */
	.v = { [HVB_XS_CPU_NS] = 10000000000ULL, [HVB_XS_VCPU_NS] = 9850000000ULL, [HVB_XS_VCPUS] = 4,
	       [HVB_XS_VCPUS_ONLINE] = 3, [HVB_XS_MEM_CUR] = 3ULL << 29, [HVB_XS_MEM_MAX] = 2ULL << 30,
	       [HVB_XS_VIFS] = 2, [HVB_XS_NET_TX_BYTES] = 1001000, [HVB_XS_NET_TX_PACKETS] = 710,
	       [HVB_XS_NET_TX_ERRS] = 0, [HVB_XS_NET_TX_DROP] = 6, [HVB_XS_NET_RX_BYTES] = 45000,
	       [HVB_XS_NET_RX_PACKETS] = 650, [HVB_XS_NET_RX_ERRS] = 2, [HVB_XS_NET_RX_DROP] = 3, [HVB_XS_VBDS] = 1,
	       [HVB_XS_VBD_RD_REQ] = 160, [HVB_XS_VBD_WR_REQ] = 1200, [HVB_XS_VBD_RD_SECT] = 1280,
	       [HVB_XS_VBD_WR_SECT] = 9600, [HVB_XS_VBD_OO_REQ] = 9 },
};

static void given_all(struct hvb_xenstat_snap *s)
{
	for (int f = 0; f < HVB_XS_NFIELDS; f++)
		s->have[f] = 1;
}

/* value, unit and better of a metric; NAN when absent */
static double val(const struct hvb_metrics *ms, const char *name, const char *unit, enum hvb_better better)
{
	const struct hvb_metric *m = hvb_metrics_get(ms, name);

	if (!m)
		return NAN;
	if (strcmp(m->unit, unit) || m->better != better) {
		fprintf(stderr, "%s: unit %s, %s; expected %s, %s\n", name, m->unit, hvb_better_name(m->better), unit,
			hvb_better_name(better));
		check_failures++;
	}
	return m->value;
}

#define NEAR(a, b) (fabs((a) - (b)) <= 1e-9 * fabs(b))

static void test_full(void)
{
	struct hvb_xenstat_snap a = before, b = after;
	struct hvb_metrics ms = { 0 };

	given_all(&a);
	given_all(&b);
	CHECK(hvb_xenstat_delta(&a, &b, &ms) == 0);
	CHECK(NEAR(val(&ms, "xenstat.cpu_s", "s", HVB_INFO), 3.0));
	CHECK(NEAR(val(&ms, "xenstat.vcpu_s", "s", HVB_INFO), 2.95));
	CHECK(NEAR(val(&ms, "xenstat.cpu_pct", "%", HVB_INFO), 150.0)); /* 3 s of CPU in 2 s */
	CHECK(val(&ms, "xenstat.vcpus", "count", HVB_INFO) == 4);
	CHECK(val(&ms, "xenstat.vcpus_online", "count", HVB_INFO) == 3); /* at the stop */
	CHECK(val(&ms, "xenstat.mem_cur_mib", "MiB", HVB_INFO) == 1536);
	CHECK(val(&ms, "xenstat.mem_max_mib", "MiB", HVB_INFO) == 2048);
	CHECK(val(&ms, "xenstat.vifs", "count", HVB_INFO) == 2);
	CHECK(val(&ms, "xenstat.net_tx_bytes", "bytes", HVB_INFO) == 1000000);
	CHECK(val(&ms, "xenstat.net_tx_packets", "packets", HVB_INFO) == 700);
	CHECK(val(&ms, "xenstat.net_tx_errs", "packets", HVB_LOWER) == 0);
	CHECK(val(&ms, "xenstat.net_tx_drop", "packets", HVB_LOWER) == 5);
	CHECK(val(&ms, "xenstat.net_rx_bytes", "bytes", HVB_INFO) == 40000);
	CHECK(val(&ms, "xenstat.net_rx_packets", "packets", HVB_INFO) == 600);
	CHECK(val(&ms, "xenstat.net_rx_errs", "packets", HVB_LOWER) == 0);
	CHECK(val(&ms, "xenstat.net_rx_drop", "packets", HVB_LOWER) == 0);
	CHECK(val(&ms, "xenstat.vbds", "count", HVB_INFO) == 1);
	CHECK(val(&ms, "xenstat.vbd_rd_req", "requests", HVB_INFO) == 60);
	CHECK(val(&ms, "xenstat.vbd_wr_req", "requests", HVB_INFO) == 1000);
	CHECK(val(&ms, "xenstat.vbd_rd_sect", "sectors", HVB_INFO) == 480);
	CHECK(val(&ms, "xenstat.vbd_wr_sect", "sectors", HVB_INFO) == 8000);
	CHECK(val(&ms, "xenstat.vbd_oo_req", "requests", HVB_LOWER) == 5);
	CHECK(ms.n == HVB_XS_NFIELDS + 1); /* every field and cpu_pct */
	/* Every metric is documented (hvbench help xenstat) and owned by a probe. */
	for (size_t i = 0; i < ms.n; i++) {
		int documented = 0;
		for (const struct hvb_metric_doc *d = hvb_probe_find("xenstat")->metrics; d->name; d++)
			documented |= !strcmp(d->name, ms.m[i].name) && !strcmp(d->unit, ms.m[i].unit) &&
				      d->better == ms.m[i].better;
		if (!documented || !hvb_probe_owns_metric(ms.m[i].name)) {
			fprintf(stderr, "%s: documented %d, owned %d\n", ms.m[i].name, documented,
				hvb_probe_owns_metric(ms.m[i].name));
			check_failures++;
		}
	}
	hvb_metrics_free(&ms);
}

/* What libxenstat did not give, and devices that changed, are left out. */
static void test_left_out(void)
{
	struct hvb_xenstat_snap a = before, b = after;
	struct hvb_metrics ms = { 0 };

	given_all(&a);
	given_all(&b);
	b.have[HVB_XS_MEM_MAX] = 0; /* unlimited */
	b.v[HVB_XS_VIFS] = 3;       /* a vif came during the sample */
	for (int f = HVB_XS_VBDS; f <= HVB_XS_VBD_OO_REQ; f++)
		a.have[f] = 0; /* a vbd without statistics at the start */
	CHECK(hvb_xenstat_delta(&a, &b, &ms) == 0);
	CHECK(isnan(val(&ms, "xenstat.mem_max_mib", "MiB", HVB_INFO)));
	CHECK(val(&ms, "xenstat.vifs", "count", HVB_INFO) == 3);
	CHECK(isnan(val(&ms, "xenstat.net_tx_bytes", "bytes", HVB_INFO)));
	CHECK(isnan(val(&ms, "xenstat.net_rx_drop", "packets", HVB_LOWER)));
	CHECK(val(&ms, "xenstat.vbds", "count", HVB_INFO) == 1); /* the level is the stop's */
	CHECK(isnan(val(&ms, "xenstat.vbd_rd_req", "requests", HVB_INFO)));
	CHECK(NEAR(val(&ms, "xenstat.cpu_s", "s", HVB_INFO), 3.0));
	hvb_metrics_free(&ms);

	/* Same count, but a vif re-created: its counters restarted. */
	a = before, b = after;
	given_all(&a);
	given_all(&b);
	b.v[HVB_XS_NET_RX_PACKETS] = 40;
	CHECK(hvb_xenstat_delta(&a, &b, &ms) == 0);
	CHECK(isnan(val(&ms, "xenstat.net_tx_bytes", "bytes", HVB_INFO)));
	CHECK(val(&ms, "xenstat.vbd_wr_req", "requests", HVB_INFO) == 1000);
	hvb_metrics_free(&ms);

	/* dom0 natively: no vifs, no vbds: no totals over nothing; same instant: no cpu_pct. */
	a = before, b = after;
	given_all(&a);
	given_all(&b);
	a.v[HVB_XS_VIFS] = b.v[HVB_XS_VIFS] = a.v[HVB_XS_VBDS] = b.v[HVB_XS_VBDS] = 0;
	b.t_ns = a.t_ns;
	CHECK(hvb_xenstat_delta(&a, &b, &ms) == 0);
	CHECK(val(&ms, "xenstat.vifs", "count", HVB_INFO) == 0 && val(&ms, "xenstat.vbds", "count", HVB_INFO) == 0);
	CHECK(isnan(val(&ms, "xenstat.net_tx_packets", "packets", HVB_INFO)));
	CHECK(isnan(val(&ms, "xenstat.vbd_oo_req", "requests", HVB_LOWER)));
	CHECK(isnan(val(&ms, "xenstat.cpu_pct", "%", HVB_INFO)));
	CHECK(ms.n == 8); /* cpu_s vcpu_s vcpus vcpus_online mem_cur_mib mem_max_mib vifs vbds */
	hvb_metrics_free(&ms);

	/* The domain's CPU time went backwards: no cpu_s, no cpu_pct (never 1.8e10 s). */
	a = before, b = after;
	given_all(&a);
	given_all(&b);
	b.v[HVB_XS_CPU_NS] = 1000;
	CHECK(hvb_xenstat_delta(&a, &b, &ms) == 0);
	CHECK(isnan(val(&ms, "xenstat.cpu_s", "s", HVB_INFO)) && isnan(val(&ms, "xenstat.cpu_pct", "%", HVB_INFO)));
	CHECK(NEAR(val(&ms, "xenstat.vcpu_s", "s", HVB_INFO), 2.95));
	hvb_metrics_free(&ms);

	/* The domain was re-created between the readings (another id): no counters at all, the levels stay. */
	a = before, b = after;
	given_all(&a);
	given_all(&b);
	a.domid = 3, b.domid = 7;
	CHECK(hvb_xenstat_delta(&a, &b, &ms) == 0);
	CHECK(isnan(val(&ms, "xenstat.cpu_s", "s", HVB_INFO)) && isnan(val(&ms, "xenstat.vbd_wr_req", "requests", HVB_INFO)));
	CHECK(val(&ms, "xenstat.vcpus_online", "count", HVB_INFO) == 3);
	hvb_metrics_free(&ms);
}

/* Namespaces: a probe's metrics are recognised as probe figures by probes/ and
 * by analysis/, for every probe (analysis keeps its own list). */
static void test_namespaces(void)
{
	CHECK(hvb_probe_owns_metric("xenstat.cpu_s"));
	CHECK(!hvb_probe_owns_metric("xenstatx.cpu_s"));
	for (size_t i = 0; hvb_probes[i]; i++)
		for (const struct hvb_metric_doc *d = hvb_probes[i]->metrics; d && d->name; d++) {
			char name[128];
			snprintf(name, sizeof(name), "%.*s.x", (int)strcspn(d->name, "."), d->name);
			CHECK(hvb_probe_owns_metric(name));
#ifdef HAVE_GSL
			if (!hvb_metric_is_probe(name)) {
				fprintf(stderr, "probe %s: analysis/load.c does not know the namespace of %s\n",
					hvb_probes[i]->name, d->name);
				check_failures++;
			}
#endif
		}
}

int main(void)
{
	hvb_log_set_level(HVB_LOG_ERROR); /* the left-out cases warn */
	test_full();
	test_left_out();
	test_namespaces();
	return CHECK_DONE();
}
