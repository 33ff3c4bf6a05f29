/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The snapshot probes' shared part (probes/snapshot.c) on a counter of its own:
 * which reading each call fills, what delta is given, that a failed init
 * frees what open took, and that close frees both readings and the source.
 * Then the real xenperf, xenlockprof and xenstat where they cannot run: open
 * skips with the reason supported() gives, through the same failed-init path. */
#include "config.h"
#include <stdlib.h>
#include "probes/probes-internal.h"
#include "tests/check.h"

struct fake_priv {
	int opened, fail;
	uint64_t counter; /* the source: each read takes the next value */
};
struct fake_snap {
	uint64_t value;
	char *held; /* stands for what a reading holds on the heap */
};

static int inits, fails_wanted, reads, frees, finis, read_fails;

static int fake_init(void *priv, void *snap, const struct hvb_params *p, const struct hvb_probe_target *t,
		     char *why, size_t len)
{
	struct fake_priv *st = priv;
	const struct fake_snap *s = snap;

	inits++;
	CHECK(st->opened == 0 && st->counter == 0); /* zeroed */
	CHECK(s->value == 0 && s->held == NULL);
	st->opened = 1;
	st->counter = 100;
	if (fails_wanted) {
		snprintf(why, len, "fake: cannot read here");
		return HVB_ESKIP;
	}
	return 0;
}

static int fake_read(void *priv, void *snap)
{
	struct fake_priv *st = priv;
	struct fake_snap *s = snap;

	reads++;
	if (read_fails) {
		read_fails--;
		return HVB_EIO; /* the earlier reading stays, as in xenlockprof and xenstat */
	}
	free(s->held); /* replaces the earlier reading, as the probes do */
	s->value = st->counter;
	st->counter += 7;
	return (s->held = malloc(16)) ? 0 : HVB_ENOMEM;
}

static int fake_delta(const void *priv, const void *a, const void *b, struct hvb_metrics *out)
{
	const struct fake_snap *sa = a, *sb = b;

	return hvb_metrics_addf(out, (double)(sb->value - sa->value), "count", HVB_INFO, "fake.delta") < 0
		       ? HVB_ENOMEM
		       : 0;
}

static void fake_free_snap(void *snap)
{
	struct fake_snap *s = snap;

	if (s->held)
		frees++;
	free(s->held);
}

static void fake_fini(void *priv)
{
	struct fake_priv *st = priv;

	if (st->opened)
		finis++;
}

static const struct hvb_snapshot_ops fake_ops = {
	.priv_size = sizeof(struct fake_priv),
	.snap_size = sizeof(struct fake_snap),
	.init = fake_init,
	.read = fake_read,
	.delta = fake_delta,
	.free_snap = fake_free_snap,
	.fini = fake_fini,
};

static void test_cycle(void)
{
	struct hvb_probe_target t = { .pid = 1, .domid = -1 };
	struct hvb_metrics ms = { 0 };
	char why[128] = "";
	void *st = NULL;
	double v = 0;

	CHECK(hvb_snapshot_open(&fake_ops, NULL, &t, &st, why, sizeof(why)) == 0 && st);
	if (!st)
		return;
	CHECK(inits == 1 && reads == 0);
	/* Two samples on one open, as the runner does per cell: start reads 100
	 * then 114, stop 107 then 121. */
	for (int sample = 0; sample < 2; sample++) {
		CHECK(hvb_snapshot_start(st) == 0);
		CHECK(hvb_snapshot_stop(st) == 0);
		CHECK(hvb_snapshot_collect(st, &ms) == 0);
		CHECK(hvb_metric_value(&ms, "fake.delta", "count", &v) == 1 && v == 7);
		hvb_metrics_free(&ms);
	}
	CHECK(reads == 4);
	/* A failed read at the stop, then at the start: no figures from the stale reading. */
	CHECK(hvb_snapshot_start(st) == 0);
	read_fails = 1;
	CHECK(hvb_snapshot_stop(st) == HVB_EIO);
	CHECK(hvb_snapshot_collect(st, &ms) == HVB_EIO && ms.n == 0);
	read_fails = 1;
	CHECK(hvb_snapshot_start(st) == HVB_EIO && hvb_snapshot_stop(st) == 0);
	CHECK(hvb_snapshot_collect(st, &ms) == HVB_EIO && ms.n == 0);
	CHECK(hvb_snapshot_start(st) == 0 && hvb_snapshot_stop(st) == 0 && hvb_snapshot_collect(st, &ms) == 0);
	hvb_metrics_free(&ms);
	hvb_snapshot_close(st);
	CHECK(frees == 2); /* the last start's and stop's readings */
	CHECK(finis == 1);
	hvb_snapshot_close(NULL); /* as after a failed open: nothing to do */
}

static void test_failed_init(void)
{
	struct hvb_probe_target t = { .pid = 1, .domid = -1 };
	char why[128] = "";
	void *st = NULL;

	inits = reads = frees = finis = 0;
	fails_wanted = 1;
	CHECK(hvb_snapshot_open(&fake_ops, NULL, &t, &st, why, sizeof(why)) == HVB_ESKIP);
	CHECK(st == NULL);
	CHECK_STR_HAS(why, "fake: cannot read here");
	CHECK(inits == 1 && reads == 0 && finis == 1);
	fails_wanted = 0;
}

/* Where a probe is not supported, open says the same (the runner asks
 * supported() first; probe-test and tests of it may not). xenstat's open
 * would start libxenstat, which may wait on xenstore: only without it. */
static void test_unsupported(const char *name)
{
	const struct hvb_probe_ops *po = hvb_probe_find(name);
	struct hvb_probe_target t = { .pid = 1, .domid = -1 };
	char why_s[512] = "", why_o[512] = "";
	struct hvb_params p;
	void *st = NULL;

	CHECK(po != NULL);
	if (!po || po->supported(why_s, sizeof(why_s))) {
		printf("%s runs here: its open is the lab's to test\n", name);
		return;
	}
#ifdef HAVE_LIBXENSTAT
	if (!strcmp(name, "xenstat"))
		return;
#endif
	CHECK(hvb_params_init(&p, po->options) == 0);
	CHECK(po->open(&p, &t, &st, why_o, sizeof(why_o)) == HVB_ESKIP);
	CHECK(st == NULL);
	CHECK(!strcmp(why_s, why_o));
	printf("%s: %s\n", name, why_o);
	hvb_params_free(&p);
}

int main(void)
{
	test_cycle();
	test_failed_init();
	test_unsupported("xenperf");
	test_unsupported("xenlockprof");
	test_unsupported("xenstat");
	return CHECK_DONE();
}
