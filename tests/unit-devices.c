/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PV device settings (feature_persistent, max_queues) without a hypervisor: module
 * parameters in a constructed /sys/module, the guest's command-line words, the xenstore
 * keys read back (tests/data/xen/xenstore-devices-*.txt, in xenstore-ls -f's form, written
 * by hand from the keys Linux's blkback, blkfront, netback and netfront write: no Xen
 * here to record them), the verdict, the record, the plan's axes, and the native
 * backend's refusal. */
#include "config.h"
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench/bench.h"
#include "hv/hv.h"
#include "hv/xen-internal.h"
#include "tests/check.h"

static char dir[256], datadir[512];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

static char *slurp(const char *name)
{
	char path[768], *buf = malloc(1 << 16);
	snprintf(path, sizeof(path), "%s/%s", datadir, name);
	FILE *f = fopen(path, "r");
	size_t n = f && buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
	if (f)
		fclose(f);
	if (buf)
		buf[n] = 0;
	CHECK(n > 0);
	return buf;
}

static void put(const char *module, const char *param, const char *value)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, module);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/%s/parameters", dir, module);
	mkdir(p, 0755);
	if (!param)
		return;
	snprintf(p, sizeof(p), "%s/%s/parameters/%s", dir, module, param);
	FILE *f = fopen(p, "w");
	if (f) {
		fprintf(f, "%s\n", value);
		fclose(f);
	}
}

static const char *param(const char *module, const char *name)
{
	static char v[32];
	if (hvb_modparam_read(dir, module, name, v, sizeof(v)) < 0)
		snprintf(v, sizeof(v), "(absent)");
	return v;
}

static void test_modparams(void)
{
	char why[512], params[256];

	CHECK(hvb_modparam_value("Y") == 1 && hvb_modparam_value("N\n") == 0 && hvb_modparam_value("4\n") == 4);
	CHECK(hvb_modparam_value("x") == -1 && hvb_modparam_value("") == -1 && hvb_modparam_value(NULL) == -1 &&
	      hvb_modparam_value("4x") == -1);
	/* Not loaded, and loaded without the parameter (a kernel before 5.15): skips, saying which. */
	CHECK(hvb_modparam_set(dir, "xen_blkback", "feature_persistent", 0, why, sizeof(why)) == HVB_ESKIP);
	CHECK_STR_HAS(why, "dom0's xen_blkback is not loaded");
	CHECK_STR_HAS(why, "modprobe xen_blkback");
	put("xen_blkback", NULL, NULL);
	CHECK(hvb_modparam_set(dir, "xen_blkback", "feature_persistent", 0, why, sizeof(why)) == HVB_ESKIP);
	CHECK_STR_HAS(why, "has no xen_blkback.feature_persistent");
	/* Set and read back; a bool reads Y or N in sysfs, the number here. */
	put("xen_blkback", "feature_persistent", "Y");
	CHECK(hvb_modparam_set(dir, "xen_blkback", "feature_persistent", 0, why, sizeof(why)) == 0);
	CHECK(!strcmp(param("xen_blkback", "feature_persistent"), "0"));
	if (geteuid() != 0) { /* root writes a 0444 file all the same */
		char p[512];
		snprintf(p, sizeof(p), "%s/xen_blkback/parameters/feature_persistent", dir);
		chmod(p, 0444);
		CHECK(hvb_modparam_set(dir, "xen_blkback", "feature_persistent", 1, why, sizeof(why)) == HVB_ESKIP);
		CHECK_STR_HAS(why, "cannot be set to 1");
		chmod(p, 0644);
	}

	/* dom0's side of a cell, and back to what it was after. */
	setenv("HVBENCH_SYS_MODULE", dir, 1);
	put("xen_blkback", "feature_persistent", "Y");
	put("xen_netback", "max_queues", "4");
	CHECK(hvb_xen_devopts_apply(0, 2, params, sizeof(params), why, sizeof(why)) == 0);
	CHECK(!strcmp(param("xen_blkback", "feature_persistent"), "0") && !strcmp(param("xen_netback", "max_queues"), "2"));
	CHECK(!strcmp(params, "xen_blkback.feature_persistent=0 xen_netback.max_queues=2"));
	hvb_xen_devopts_restore();
	CHECK(!strcmp(param("xen_blkback", "feature_persistent"), "1") && !strcmp(param("xen_netback", "max_queues"), "4"));
	/* A default cell after an off one gets the value found first. */
	CHECK(hvb_xen_devopts_apply(0, 0, params, sizeof(params), why, sizeof(why)) == 0);
	CHECK(hvb_xen_devopts_apply(-1, 0, params, sizeof(params), why, sizeof(why)) == 0);
	CHECK(!strcmp(param("xen_blkback", "feature_persistent"), "1"));
	CHECK(!strcmp(params, "xen_blkback.feature_persistent=1 xen_netback.max_queues=4"));
	/* An old dom0 kernel: off cannot be had; on needs nothing set (read back after). */
	char p[512];
	snprintf(p, sizeof(p), "%s/xen_blkback/parameters/feature_persistent", dir);
	unlink(p);
	CHECK(hvb_xen_devopts_apply(0, 0, params, sizeof(params), why, sizeof(why)) == HVB_ESKIP);
	CHECK_STR_HAS(why, "feature_persistent = off: dom0's kernel ");
	CHECK(hvb_xen_devopts_apply(1, 0, params, sizeof(params), why, sizeof(why)) == 0);
	CHECK_STR_HAS(params, "xen_blkback.feature_persistent absent");
	snprintf(p, sizeof(p), "%s/xen_netback/parameters/max_queues", dir);
	unlink(p);
	CHECK(hvb_xen_devopts_apply(-1, 2, params, sizeof(params), why, sizeof(why)) == HVB_ESKIP);
	CHECK_STR_HAS(why, "max_queues = 2: dom0's kernel ");
	unsetenv("HVBENCH_SYS_MODULE");
}

static void test_cmdline(void)
{
	char w[128];

	CHECK(hvb_xen_devopts_cmdline(-1, 0, w, sizeof(w)) == 0 && !w[0]);
	CHECK(hvb_xen_devopts_cmdline(0, 0, w, sizeof(w)) == 0 && !strcmp(w, " xen_blkfront.feature_persistent=0"));
	CHECK(hvb_xen_devopts_cmdline(1, 3, w, sizeof(w)) == 0 &&
	      !strcmp(w, " xen_blkfront.feature_persistent=1 xen_netfront.max_queues=3"));
	CHECK(hvb_xen_devopts_cmdline(1, 3, w, 10) == HVB_EINVAL);
#ifdef HAVE_LIBXEN
	/* The guest's whole command line, as libxl gets it. */
	struct hvb_xen_build b = { .mode = "pv" };
	char *c = hvb_xen_cmdline(&b);
	CHECK(c && !strstr(c, "xen_blkfront") && !strstr(c, "xen_netfront"));
	free(c);
	b.persistent = HVB_SET_OFF;
	b.net_queues = 2;
	c = hvb_xen_cmdline(&b);
	CHECK(c && strstr(c, " xen_blkfront.feature_persistent=0 xen_netfront.max_queues=2"));
	free(c);
	b.persistent = HVB_SET_ON;
	b.net_queues = 0;
	c = hvb_xen_cmdline(&b);
	CHECK(c && strstr(c, " xen_blkfront.feature_persistent=1") && !strstr(c, "max_queues"));
	free(c);
#endif
}

static void test_readback(void)
{
	struct hvb_xen_devices d;
	char why[512], *pv = slurp("xenstore-devices-pv.txt"), *old = slurp("xenstore-devices-old-guest.txt");

	/* Domain 7: blkback's disk (QEMU's qdisk tools disk is not blkback), one vif. */
	CHECK(hvb_xen_devices_parse(pv, 7, &d, why, sizeof(why)) == 0);
	CHECK(d.n == 2);
	if (d.n == 2) {
		CHECK(!strcmp(d.d[0].kind, "vbd") && d.d[0].devid == 51728 && d.d[0].be_state == 4 && d.d[0].fe_state == 4);
		CHECK(d.d[0].be_persistent == 0 && d.d[0].fe_persistent == 0 && hvb_xen_dev_persistent(&d.d[0]) == 0);
		CHECK(!strcmp(d.d[1].kind, "vif") && d.d[1].devid == 0 && d.d[1].be_max_queues == 2 &&
		      d.d[1].fe_num_queues == 2 && hvb_xen_dev_queues(&d.d[1]) == 2);
	}
	CHECK(hvb_xen_devices_verdict(&d, 0, 2, why, sizeof(why)) == 1);
	CHECK(hvb_xen_devices_verdict(&d, -1, 0, why, sizeof(why)) == 1); /* nothing asked */
	CHECK(hvb_xen_devices_verdict(&d, 1, 0, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "persistent grants asked on, but they are not in use on blkback disk 51728: blkback's "
			   "feature-persistent = 0, blkfront's = 0");
	CHECK(hvb_xen_devices_verdict(&d, -1, 4, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "max_queues = 4 asked, but vif 0 has netback's multi-queue-max-queues = 2 and netfront's queues = 2");
	/* The record: asked, each device, and the summary a check keys on. */
	json_t *o = hvb_xen_devices_obj(&d, 0, 2, "xen_blkback.feature_persistent=0 xen_netback.max_queues=2",
					" xen_blkfront.feature_persistent=0 xen_netfront.max_queues=2");
	CHECK(!strcmp(json_string_value(json_object_get(o, "persistent_grants")), "off"));
	CHECK(json_integer_value(json_object_get(o, "net_queues")) == 2);
	CHECK(!strcmp(json_string_value(json_object_get(json_object_get(o, "asked"), "feature_persistent")), "off"));
	CHECK(json_array_size(json_object_get(o, "vbd")) == 1 && json_array_size(json_object_get(o, "vif")) == 1);
	CHECK(json_integer_value(json_object_get(json_array_get(json_object_get(o, "vbd"), 0),
						 "backend_feature_persistent")) == 0);
	json_decref(o);

	/* Domain 5's keys in the same text are another guest's. */
	CHECK(hvb_xen_devices_parse(pv, 5, &d, why, sizeof(why)) == 0 && d.n == 1 && d.d[0].fe_state == -1);
	CHECK(hvb_xen_devices_verdict(&d, 1, 0, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "vbd 51728 is not connected (backend state 4, frontend state -1)");
	CHECK(hvb_xen_devices_parse(pv, 6, &d, why, sizeof(why)) == 0 && d.n == 0);
	CHECK(hvb_xen_devices_verdict(&d, 0, 0, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "no blkback disk to read it back from");
	CHECK(hvb_xen_devices_verdict(&d, -1, 2, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "no netback vif");

	/* A guest kernel without multi-queue netfront (flat keys) and a blkfront that says 0. */
	CHECK(hvb_xen_devices_parse(old, 9, &d, why, sizeof(why)) == 0 && d.n == 2);
	CHECK(hvb_xen_dev_queues(&d.d[1]) == 1 && d.d[1].fe_num_queues == -1);
	CHECK(hvb_xen_devices_verdict(&d, -1, 2, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "netfront's queues = 1 (no multi-queue-num-queues: the single-queue layout)");
	CHECK(hvb_xen_devices_verdict(&d, -1, 0, why, sizeof(why)) == 1);
	CHECK(hvb_xen_devices_verdict(&d, 1, 0, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "blkback's feature-persistent = 1, blkfront's = 0");
	/* Unread devices give no summary: nothing is assumed. */
	o = hvb_xen_devices_obj(&d, -1, 0, NULL, NULL);
	CHECK(!strcmp(json_string_value(json_object_get(o, "persistent_grants")), "off") &&
	      json_integer_value(json_object_get(o, "net_queues")) == 1 && !json_object_get(o, "dom0_params"));
	CHECK(!strcmp(json_string_value(json_object_get(json_object_get(o, "asked"), "max_queues")), "default"));
	json_decref(o);
	struct hvb_xen_devices none = { 0 };
	o = hvb_xen_devices_obj(&none, -1, 0, NULL, NULL);
	CHECK(!json_object_get(o, "persistent_grants") && !json_object_get(o, "net_queues"));
	json_decref(o);

	/* Bad text names its line. */
	CHECK(hvb_xen_devices_parse("/local/domain/7/device/vbd/51728/state = \"4\"\nstate 4\n", 7, &d, why,
				    sizeof(why)) == HVB_EINVAL);
	CHECK_STR_HAS(why, "line 2: expected a line of xenstore-ls -f");
	CHECK(hvb_xen_devices_parse("/local/domain/7/device/vbd/51728/state = \"4\n", 7, &d, why, sizeof(why)) ==
	      HVB_EINVAL);
	free(pv);
	free(old);
}

static void test_plan(void)
{
	struct hvb_experiment ex = { 0 };
	const char *t = "[experiment]\nbackends = native, xen:pv, xen:hvm\npv_drivers = on, off\n"
			"feature_persistent = off, on\nmax_queues = 1, 2\n[fio]\nrw = randread\n[iperf3]\n[syscall]\n";

	hvb_log_set_level(HVB_LOG_ERROR);
	CHECK(hvb_experiment_load_text("t.ini", t, &ex) == 0);
	/* native and hvm-emu: one cell per workload; pv and hvm: fio x 2, iperf3 x 2, syscall x 1 */
	CHECK(ex.ncells == 3 + 5 + 5 + 3);
	for (size_t i = 0; i < ex.ncells; i++) {
		const struct hvb_cell *c = &ex.cells[i];
		int pv_devices = !strcmp(c->backend, "xen") && strcmp(c->mode, "hvm-emu");
		int fio = !strcmp(c->wl->name, "fio"), iperf3 = !strcmp(c->wl->name, "iperf3");
		CHECK((c->persistent >= 0) == (pv_devices && fio) && (c->net_queues > 0) == (pv_devices && iperf3));
		CHECK(!!strstr(c->key, " feature_persistent=") == (c->persistent >= 0));
		CHECK(!!strstr(c->key, " max_queues=") == (c->net_queues > 0));
		char *p = hvb_cell_params_json(c);
		CHECK(p && !!strstr(p, "\"feature_persistent\":") == (c->persistent >= 0) &&
		      !!strstr(p, "\"max_queues\":") == (c->net_queues > 0));
		free(p);
		for (size_t j = i + 1; j < ex.ncells; j++)
			CHECK(strcmp(c->key, ex.cells[j].key));
	}
	if (ex.ncells == 16) {
		CHECK(!strcmp(ex.cells[3].mode, "pv") && ex.cells[3].persistent == 0);
		CHECK_STR_HAS(ex.cells[3].key, "fio feature_persistent=off rw=randread");
		CHECK(ex.cells[4].persistent == 1 && ex.cells[5].net_queues == 1 && ex.cells[6].net_queues == 2);
		char *p = hvb_cell_params_json(&ex.cells[3]), *q = hvb_cell_params_json(&ex.cells[6]);
		CHECK(p && strstr(p, "\"feature_persistent\":\"off\"") && q && strstr(q, "\"max_queues\":\"2\""));
		free(p), free(q);
	}
	hvb_experiment_free(&ex);
	CHECK(hvb_experiment_axis("feature_persistent") && hvb_experiment_axis("max_queues"));

	/* A section's own list, beside others that keep the [experiment]'s (auto: keys unchanged). */
	memset(&ex, 0, sizeof(ex));
	CHECK(hvb_experiment_load_text("t.ini", "[experiment]\nbackends = xen:pv\n[fio]\nfeature_persistent = off, on\n"
				       "[fio-deep]\nworkload = fio\niodepth = 32\n", &ex) == 0);
	CHECK(ex.ncells == 3);
	if (ex.ncells == 3) {
		CHECK(ex.cells[0].persistent == 0 && ex.cells[1].persistent == 1 && ex.cells[2].persistent == -1);
		CHECK(!strstr(ex.cells[2].key, "feature_persistent") && ex.cells[2].net_queues == 0);
	}
	hvb_experiment_free(&ex);
	/* Where it cannot apply, a section's own value is refused (the messages: tests/pv-devices.sh). */
	const char *bad[] = { "[experiment]\nbackends = xen:pv\n[memlat]\nfeature_persistent = off\n",
			      "[experiment]\nbackends = xen:pv\n[fio]\nmax_queues = 2\n",
			      "[fio]\nbackends = native\nfeature_persistent = on\n",
			      "[experiment]\nfeature_persistent = maybe\n[fio]\n",
			      "[experiment]\nmax_queues = 0\n[iperf3]\n",
			      "[experiment]\nmax_queues = 2, 2\n[iperf3]\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&ex, 0, sizeof(ex));
		CHECK(hvb_experiment_load_text("t.ini", bad[i], &ex) == HVB_EINVAL);
		hvb_experiment_free(&ex);
	}
	/* The [experiment]'s value where nothing can take it: one cell, nothing asked. */
	memset(&ex, 0, sizeof(ex));
	CHECK(hvb_experiment_load_text("t.ini", "[experiment]\nfeature_persistent = off\nmax_queues = 2\n[fio]\n", &ex) == 0);
	CHECK(ex.ncells == 1 && ex.cells[0].persistent == -1 && ex.cells[0].net_queues == 0);
	hvb_experiment_free(&ex);
}

/* The native backend refuses the Xen-only settings, saying what they are. */
static void test_native(void)
{
	const struct hvb_backend_ops *be = hvb_backend_find("native");
	struct hvb_guest *g = NULL;
	char why[512] = "";
	struct hvb_guest_spec s = { .mode = "native", .vcpus = 1, .name = "t", .persistent = HVB_SET_OFF };

	CHECK(be && be->start(&s, &g, why, sizeof(why)) == HVB_EINVAL && !g);
	CHECK_STR_HAS(why, "feature_persistent and max_queues are Xen PV device settings");
	s.persistent = HVB_SET_DEFAULT;
	s.net_queues = 2;
	CHECK(be->start(&s, &g, why, sizeof(why)) == HVB_EINVAL && !g);
}

int main(void)
{
	snprintf(datadir, sizeof(datadir), "%s/tests/data/xen", getenv("top_srcdir") ? getenv("top_srcdir") : ".");
	snprintf(dir, sizeof(dir), "%s/hvb-devices-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_modparams();
	test_cmdline();
	test_readback();
	test_plan();
	test_native();
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	return CHECK_DONE();
}
