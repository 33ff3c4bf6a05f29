/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The xenperf and xenlockprof probes without a hypervisor: their metrics from
 * two readings given as data, in the layout Xen's sysctls return them
 * (xen_sysctl_perfc_desc/_val, xen_sysctl_lockprof_data). The readings are
 * constructed here, not captured: a machine with Xen and these hooks built in
 * is the lab's (make check-hooks). Then the hooks in a run's fingerprint, from
 * the xen facts two dom0s recorded (tests/data/hosts), and off Xen. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <jansson.h>
#include "bench/bench.h"
#include "hv/hv.h"
#include "probes/probes.h"
#include "tests/check.h"

static double val(const struct hvb_metrics *ms, const char *name, const char *unit, enum hvb_better better)
{
	const struct hvb_metric *m = hvb_metrics_get(ms, name);

	if (!m)
		return NAN;
	if (strcmp(m->unit, unit) || m->better != better) {
		fprintf(stderr, "%s: unit %s, better %d; expected %s, %d\n", name, m->unit, m->better, unit, better);
		check_failures++;
	}
	return m->value;
}

/* Two CPUs. A single counter has a value per CPU; an array (hypercalls, 4
 * elements here) one per element, summed over the CPUs by Xen. */
static struct hvb_xenperf_desc desc[] = {
	{ "calls from multicall", 2 },
	{ "hypercalls", 4 },
	{ "gnttab: copy operations", 2 },
	{ "number of shadow pages in use", 2 },
};
static uint32_t vals_a[] = { 10, 20, /* hypercalls */ 0, 100, 0, 7, /* copies */ 1000, 4294967000u, /* shadow */ 5, 3 };
static uint32_t vals_b[] = { 15, 20, /* hypercalls */ 0, 160, 0, 7, /* copies */ 1400, 4294967200u, /* shadow */ 4, 6 };

static void test_perfc(void)
{
	struct hvb_xenperf_snap a = { 4, 10, desc, vals_a }, b = { 4, 10, desc, vals_b };
	struct hvb_metrics ms = { 0 };
	uint32_t wrapped[10];
	char slug[32];

	CHECK(hvb_xenperf_delta(&a, &b, 1, &ms) == 0);
	CHECK(val(&ms, "xenperf.calls_from_multicall", "count", HVB_INFO) == 5);
	CHECK(val(&ms, "xenperf.hypercalls", "count", HVB_INFO) == 60);
	CHECK(val(&ms, "xenperf.hypercalls.1", "count", HVB_INFO) == 60);
	CHECK(val(&ms, "xenperf.hypercalls.3", "count", HVB_INFO) == 0); /* counted before: there, 0 */
	CHECK(!hvb_metrics_get(&ms, "xenperf.hypercalls.0"));            /* never counted: absent */
	CHECK(val(&ms, "xenperf.gnttab_copy_operations", "count", HVB_INFO) == 600);
	CHECK(val(&ms, "xenperf.number_of_shadow_pages_in_use", "count", HVB_INFO) == 10); /* a level */
	CHECK(ms.n == 6);
	for (size_t i = 0; i < ms.n; i++)
		CHECK(hvb_probe_owns_metric(ms.m[i].name));
	hvb_metrics_free(&ms);

	/* Without the array elements: the totals only. */
	CHECK(hvb_xenperf_delta(&a, &b, 0, &ms) == 0);
	CHECK(!hvb_metrics_get(&ms, "xenperf.hypercalls.1"));
	CHECK(val(&ms, "xenperf.hypercalls", "count", HVB_INFO) == 60);
	hvb_metrics_free(&ms);

	/* A CPU's counter wrapped at 2^32 (or xenperf -r): no figure for that counter only. */
	memcpy(wrapped, vals_b, sizeof(wrapped));
	wrapped[7] = 100;
	b.vals = wrapped;
	CHECK(hvb_xenperf_delta(&a, &b, 1, &ms) == 0);
	CHECK(isnan(val(&ms, "xenperf.gnttab_copy_operations", "count", HVB_INFO)));
	CHECK(val(&ms, "xenperf.hypercalls", "count", HVB_INFO) == 60);
	hvb_metrics_free(&ms);

	/* A CPU came online: the single counters' number of values changed. */
	{
		struct hvb_xenperf_desc d3[] = { { "calls from multicall", 3 } };
		uint32_t v3[] = { 15, 20, 1 };
		struct hvb_xenperf_snap c = { 1, 3, d3, v3 };
		CHECK(hvb_xenperf_delta(&a, &c, 1, &ms) == 0);
		CHECK(ms.n == 0);
		hvb_metrics_free(&ms);
	}
	/* A reading whose descriptions promise more values than it has is refused. */
	b.vals = vals_b;
	b.nvals = 9;
	CHECK(hvb_xenperf_delta(&a, &b, 1, &ms) == HVB_EINVAL);
	hvb_metrics_free(&ms);

	hvb_xenperf_slug("csched2: burn_credits_t2c", slug, sizeof(slug));
	CHECK(!strcmp(slug, "csched2_burn_credits_t2c"));
	hvb_xenperf_slug("#interrupts", slug, sizeof(slug));
	CHECK(!strcmp(slug, "interrupts"));
	hvb_xenperf_slug("%%:", slug, sizeof(slug));
	CHECK(!strcmp(slug, "unnamed"));
}

/* Global locks, dom0's and a guest's (domid 5) and another domain's (7), with
 * the grant table type of the hooks series. */
static struct hvb_xenlockprof_lock locks_a[] = {
	{ "heap_lock", HVB_LOCKPROF_GLOBAL, -1, 1000, 10, 2000000, 500000 },
	{ "page_alloc_lock", HVB_LOCKPROF_PERDOM, 5, 50, 0, 10000, 0 },
	{ "maptrack_lock", HVB_LOCKPROF_GNTTAB, 5, 10, 1, 1000, 200 },
	{ "lock.rwlock.lock", HVB_LOCKPROF_GNTTAB, 0, 3, 0, 100, 0 },
	{ "page_alloc_lock", HVB_LOCKPROF_PERDOM, 7, 9, 9, 9, 9 },
};
static struct hvb_xenlockprof_lock locks_b[] = {
	{ "heap_lock", HVB_LOCKPROF_GLOBAL, -1, 1600, 25, 3000000, 2500000 },
	{ "page_alloc_lock", HVB_LOCKPROF_PERDOM, 5, 80, 0, 16000, 0 },
	{ "maptrack_lock", HVB_LOCKPROF_GNTTAB, 5, 30, 4, 5000, 1200200 },
	{ "lock.rwlock.lock", HVB_LOCKPROF_GNTTAB, 0, 3, 0, 100, 0 },
	{ "page_alloc_lock", HVB_LOCKPROF_PERDOM, 7, 19, 19, 19, 19 },
	{ "domain_lock", HVB_LOCKPROF_PERDOM, 0, 2, 1, 40, 30 }, /* new during the sample */
	{ "future_lock", 9, 5, 1, 1, 1, 1 },                    /* a type this hvbench does not know */
};

static void test_lockprof(void)
{
	struct hvb_xenlockprof_snap a = { 5000000000ULL, 5, locks_a }, b = { 7000000000ULL, 7, locks_b };
	struct hvb_metrics ms = { 0 };

	CHECK(hvb_xenlockprof_delta(&a, &b, 5, &ms) == 0);
	CHECK(val(&ms, "xenlockprof.global.heap_lock.locks", "count", HVB_INFO) == 600);
	CHECK(val(&ms, "xenlockprof.global.heap_lock.contentions", "count", HVB_LOWER) == 15);
	CHECK(val(&ms, "xenlockprof.global.heap_lock.wait_ms", "ms", HVB_LOWER) == 2.0);
	CHECK(val(&ms, "xenlockprof.global.heap_lock.hold_ms", "ms", HVB_INFO) == 1.0);
	CHECK(val(&ms, "xenlockprof.guest.page_alloc_lock.locks", "count", HVB_INFO) == 30);
	CHECK(val(&ms, "xenlockprof.gnttab_guest.maptrack_lock.contentions", "count", HVB_LOWER) == 3);
	CHECK(val(&ms, "xenlockprof.gnttab_guest.maptrack_lock.wait_ms", "ms", HVB_LOWER) == 1.2);
	CHECK(val(&ms, "xenlockprof.gnttab_dom0.lock_rwlock_lock.locks", "count", HVB_INFO) == 0);
	CHECK(val(&ms, "xenlockprof.dom0.domain_lock.contentions", "count", HVB_LOWER) == 1);
	CHECK(!hvb_metrics_get(&ms, "xenlockprof.guest.future_lock.locks"));
	CHECK(ms.n == 5 * 4); /* domain 7's lock and the unknown type left out */
	for (size_t i = 0; i < ms.n; i++)
		CHECK(hvb_probe_owns_metric(ms.m[i].name));
	hvb_metrics_free(&ms);

	/* Natively (no guest): the guest's locks are left out. */
	CHECK(hvb_xenlockprof_delta(&a, &b, -1, &ms) == 0);
	CHECK(!hvb_metrics_get(&ms, "xenlockprof.gnttab_guest.maptrack_lock.locks"));
	CHECK(val(&ms, "xenlockprof.global.heap_lock.locks", "count", HVB_INFO) == 600);
	hvb_metrics_free(&ms);

	/* xenlockprof -r during the sample: the profiled time went backwards: no figures at all. */
	b.time_ns = 1000;
	CHECK(hvb_xenlockprof_delta(&a, &b, 5, &ms) == 0);
	CHECK(ms.n == 0);
	hvb_metrics_free(&ms);

	/* One lock's count went backwards (its domain re-created): that lock only. */
	b.time_ns = 7000000000ULL;
	locks_b[0].lock_cnt = 5;
	CHECK(hvb_xenlockprof_delta(&a, &b, 5, &ms) == 0);
	CHECK(!hvb_metrics_get(&ms, "xenlockprof.global.heap_lock.locks"));
	CHECK(ms.n == 4 * 4);
	hvb_metrics_free(&ms);
}

/* The fingerprint of host facts holding XEN_FILE's xen facts (NULL: this host's own). */
static json_t *fingerprint_of(const char *xen_file)
{
	char path[4096], *facts, *fp;
	json_t *f, *out;

	if (xen_file) {
		json_error_t e;
		snprintf(path, sizeof(path), "%s/tests/data/hosts/%s", getenv("top_srcdir") ? getenv("top_srcdir") : ".",
			 xen_file);
		json_t *x = json_load_file(path, 0, &e);
		if (!x) {
			fprintf(stderr, "%s:%d: %s\n", path, e.line, e.text);
			return NULL;
		}
		f = json_pack("{s:s, s:o}", "host_kind", "dom0 (PV)", "xen", x);
		facts = json_dumps(f, JSON_COMPACT);
		json_decref(f);
	} else
		facts = hvb_host_facts_json(NULL);
	fp = facts ? hvb_fingerprint_facts(facts, 0, 0) : NULL;
	out = fp ? json_loads(fp, 0, NULL) : NULL;
	free(facts);
	free(fp);
	return out;
}

static void test_fingerprint(void)
{
	json_t *hooked = fingerprint_of("xen420-hooks-dom0.json"), *debian = fingerprint_of("xen420-debian-dom0.json");
	json_t *here = fingerprint_of(NULL);
	const char *h = json_string_value(json_object_get(json_object_get(hooked, "fingerprint"), "xen_hooks"));
	const char *d = json_string_value(json_object_get(json_object_get(debian, "fingerprint"), "xen_hooks"));

	CHECK(h && !strcmp(h, "CONFIG_TRACEBUFFER CONFIG_PERF_COUNTERS CONFIG_DEBUG_LOCK_PROFILE"));
	CHECK(d && !strcmp(d, "CONFIG_TRACEBUFFER"));
	CHECK(here != NULL);
	/* Off a Xen dom0 no hypervisor fact is recorded, the hooks no more than its version. */
	if (strncmp(hvb_native_host_kind(), "dom0", 4)) {
		CHECK(!json_object_get(here, "xen"));
		CHECK(!json_object_get(json_object_get(here, "fingerprint"), "xen_hooks"));
	}
	/* A dom0 whose hypervisor could not be asked says why, not "none". */
	char line[256];
	json_t *x = json_pack("{s:s, s:{s:{s:n}}}", "unavailable", "xen: not running in dom0", "hooks",
			      "CONFIG_TRACEBUFFER", "present");
	hvb_xen_hooks_line(x, line, sizeof(line));
	CHECK(!strcmp(line, "unknown: xen: not running in dom0"));
	/* and its fingerprint says so (the facts of an hvbench built without Xen's libraries, in a dom0) */
	json_t *f = json_pack("{s:s, s:O}", "host_kind", "dom0 (PV)", "xen", x);
	char *facts = json_dumps(f, JSON_COMPACT), *fp = facts ? hvb_fingerprint_facts(facts, 0, 0) : NULL;
	json_t *got = fp ? json_loads(fp, 0, NULL) : NULL;
	const char *u = json_string_value(json_object_get(json_object_get(got, "fingerprint"), "xen_hooks"));
	CHECK(u && !strcmp(u, "unknown: xen: not running in dom0"));
	json_decref(got);
	free(fp);
	free(facts);
	json_decref(f);
	json_decref(x);
	json_decref(hooked);
	json_decref(debian);
	json_decref(here);
}

int main(void)
{
	test_perfc();
	test_lockprof();
	test_fingerprint();
	return CHECK_DONE();
}
