/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The metadata the xentrace probe writes beside a capture (hvb_xt_capture_meta): the
 * Xen 4.20 lab's captures said "cpu_vendor": "unknown", "mode": "" and "numa_nodes": 0
 * on a 2-node AMD (SVM) host with a PV guest, because the probe never filled them.
 * Checked: the cell's mode, run and cell reach the file; the vendor comes from cpuinfo's
 * vendor_id (AMD and Hygon SVM, Intel, Centaur and Zhaoxin VMX), unknown when absent;
 * a figure nobody told (pCPUs, NUMA nodes without Xen's physinfo) is null, never 0. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/probes.h"
#include "probes/xentrace/xentrace.h"

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(99);
	}
}

/* The vendor a cpuinfo file gives (first processor only). */
static void vendors(const char *cpuinfo)
{
	static const struct { const char *text; enum hvb_xt_vendor v; double hz; } c[] = {
		{ "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu MHz\t\t: 2299.996\n", HVB_XT_VENDOR_SVM, 2299.996e6 },
		{ "processor\t: 0\nvendor_id\t: HygonGenuine\n", HVB_XT_VENDOR_SVM, 0 },
		{ "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu MHz\t\t: 2100.000\n", HVB_XT_VENDOR_VMX, 2100e6 },
		{ "processor\t: 0\nvendor_id\t: CentaurHauls\n", HVB_XT_VENDOR_VMX, 0 },
		{ "processor\t: 0\nvendor_id\t:   Shanghai  \n", HVB_XT_VENDOR_VMX, 0 },
		{ "processor\t: 0\nvendor_id\t: SomethingNew\n", HVB_XT_VENDOR_AUTO, 0 },
		{ "processor\t: 0\nmodel name\t: no vendor line\n", HVB_XT_VENDOR_AUTO, 0 },
		/* the second processor's lines are not the first's */
		{ "processor\t: 0\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\n", HVB_XT_VENDOR_AUTO, 0 },
		{ "", HVB_XT_VENDOR_AUTO, 0 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct hvb_xt_meta m;
		hvb_xt_meta_init(&m);
		write_file(cpuinfo, c[i].text);
		CHECK(hvb_xt_meta_cpuinfo(&m, cpuinfo) == 0 && m.vendor == c[i].v && m.cpu_hz == c[i].hz,
		      "cpuinfo case %zu: vendor %d, %g Hz; expected %d, %g Hz", i, (int)m.vendor, m.cpu_hz, (int)c[i].v,
		      c[i].hz);
	}
	{
		struct hvb_xt_meta m;
		hvb_xt_meta_init(&m);
		m.cpu_hz = 2.5e9; /* a frequency already known (Xen's, or the option) is kept */
		write_file(cpuinfo, c[0].text);
		CHECK(hvb_xt_meta_cpuinfo(&m, cpuinfo) == 0 && m.cpu_hz == 2.5e9, "cpuinfo overrode a known frequency");
		CHECK(hvb_xt_meta_cpuinfo(&m, "/nonexistent/cpuinfo") == HVB_EIO, "missing cpuinfo not an error");
	}
}

/* What the probe writes for a PV guest's cell, read back as JSON. */
static void capture(const char *cpuinfo, const char *out)
{
	struct hvb_probe_target t = { .pid = 1, .domid = 2, .guest_name = "hvbench-1-2", .mode = "pv",
				      .run_id = 1, .cell = 2 };
	struct hvb_probe_target native = { .pid = 1, .domid = -1 };
	struct hvb_xt_meta m, r;
	json_error_t je;
	json_t *j, *d;

	write_file(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu MHz\t\t: 2299.798\n");
	CHECK(hvb_xt_capture_meta(&m, &t, 0x0028f000, 2299.996e6, cpuinfo) == 0, "capture meta");
	CHECK(m.vendor == HVB_XT_VENDOR_SVM, "vendor from cpuinfo not taken");
	CHECK(m.cpu_hz == 2299.996e6, "the cpu_hz option did not win over cpuinfo (%g)", m.cpu_hz);
	CHECK(hvb_xt_meta_write(out, &m) == 0, "meta write");
	j = json_load_file(out, 0, &je);
	CHECK(j, "meta not JSON: %s", je.text);
	if (!j)
		return;
	d = json_array_get(json_object_get(j, "domains"), 0);
	CHECK(d && !strcmp(json_string_value(json_object_get(d, "mode")) ? json_string_value(json_object_get(d, "mode")) : "",
			   "pv"), "the cell's mode not in the metadata");
	CHECK(d && json_integer_value(json_object_get(d, "domid")) == 2 &&
	      !strcmp(json_string_value(json_object_get(d, "name")), "hvbench-1-2"), "domain id or name wrong");
	CHECK(json_integer_value(json_object_get(j, "run")) == 1 && json_integer_value(json_object_get(j, "cell")) == 2,
	      "run and cell not in the metadata");
	CHECK(!strcmp(json_string_value(json_object_get(j, "cpu_vendor")), "amd"), "cpu_vendor not amd");
	/* No physinfo asked (a file given): pCPUs and NUMA nodes are unknown, written as null. */
	CHECK(json_is_null(json_object_get(j, "numa_nodes")), "unknown numa_nodes not written as null");
	CHECK(json_is_null(json_object_get(j, "pcpus")), "unknown pcpus not written as null");
	json_decref(j);
	CHECK(hvb_xt_meta_read(out, &r) == 0 && r.numa_nodes == 0 && r.pcpus == 0 && r.cell_id == 2 &&
	      !strcmp(hvb_xt_meta_domain(&r, 2)->mode, "pv"), "meta round trip of unknowns");

	/* Known host figures are written as numbers; a native cell has no domain. */
	m.numa_nodes = 2;
	m.pcpus = 2;
	CHECK(hvb_xt_meta_write(out, &m) == 0 && hvb_xt_meta_read(out, &r) == 0 && r.numa_nodes == 2 && r.pcpus == 2,
	      "numa_nodes 2 and pcpus 2 not kept");
	write_file(cpuinfo, "processor\t: 0\n");
	CHECK(hvb_xt_capture_meta(&m, &native, 0x0028f000, 0, cpuinfo) == 0 && m.ndomains == 0 && m.run_id == -1 &&
	      m.vendor == HVB_XT_VENDOR_AUTO && m.cpu_hz == 0, "native cell's metadata");
	CHECK(hvb_xt_meta_write(out, &m) == 0, "meta write");
	j = json_load_file(out, 0, &je);
	CHECK(j && !strcmp(json_string_value(json_object_get(j, "cpu_vendor")), "unknown") &&
	      !json_object_get(j, "cpu_hz") && !json_object_get(j, "run"), "unknowns of a native cell");
	json_decref(j);
	/* A mode longer than the old 8-byte field survives. */
	t.mode = "hvm-emu-shadow";
	CHECK(hvb_xt_capture_meta(&m, &t, 0, 0, cpuinfo) == 0 && !strcmp(m.domains[0].mode, "hvm-emu-shadow"),
	      "long mode truncated");
}

int main(void)
{
	char dir[] = "/tmp/hvb-xt-metaXXXXXX", cpuinfo[64], out[64];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(cpuinfo, sizeof(cpuinfo), "%s/cpuinfo", dir);
	snprintf(out, sizeof(out), "%s/t.meta.json", dir);
	vendors(cpuinfo);
	capture(cpuinfo, out);
	unlink(cpuinfo);
	unlink(out);
	rmdir(dir);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
