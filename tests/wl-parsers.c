/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fio and iperf3 output parsers on output recorded from the installed
 * programs (tests/data/workloads/), and on broken variants of it. */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench/workloads/wl.h"

static int fails;

static char *slurp(const char *name, size_t *len)
{
	const char *dir = getenv("top_srcdir");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	/* a bare name is under tests/data/workloads/, "cases/..." under tests/data/ */
	snprintf(path, sizeof(path), "%s/tests/data/%s%s", dir ? dir : ".", strchr(name, '/') ? "" : "workloads/", name);
	if (!(f = fopen(path, "rb"))) {
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void near(const char *file, const char *what, double got, double want)
{
	int ok = isnan(want) ? isnan(got) : fabs(got - want) <= 1e-9 * fabs(want) + 1e-12;

	printf("%s %s: %s: %.17g (expected %.17g)\n", ok ? "ok" : "FAIL", file, what, got, want);
	fails += !ok;
}

static void says(const char *file, int rc, const char *err, const char *needle)
{
	int ok = rc < 0 && strstr(err, needle);

	printf("%s %s: fails with \"%s\" (expected a failure naming \"%s\")\n", ok ? "ok" : "FAIL", file,
	       rc < 0 ? err : "(no failure)", needle);
	fails += !ok;
}

static int fio(const char *file, struct hvb_fio_result *r, char *err, size_t len)
{
	size_t n;
	char *t = slurp(file, &n);
	int rc;

	err[0] = 0;
	rc = hvb_fio_parse(t, n, r, err, len);
	free(t);
	if (rc == 0)
		printf("   %s: parsed (fio %s, %d job)\n", file, r->version, r->jobs);
	return rc;
}

static int ip3(const char *file, struct hvb_iperf3_result *r, char *err, size_t len)
{
	size_t n;
	char *t = slurp(file, &n);
	int rc;

	err[0] = 0;
	rc = hvb_iperf3_parse(t, n, r, err, len);
	free(t);
	return rc;
}

/* Parsing text fails with a message holding needle. */
static void refuses(const char *label, int is_fio, const char *t, const char *needle)
{
	struct hvb_fio_result fr;
	struct hvb_iperf3_result ir;
	char err[512] = "";
	int rc = is_fio ? hvb_fio_parse(t, strlen(t), &fr, err, sizeof(err))
			: hvb_iperf3_parse(t, strlen(t), &ir, err, sizeof(err));

	says(label, rc, err, needle);
}

#define C09 "cases/tool-output/09-fio-2.2.10-xvda.json"
#define C10 "cases/tool-output/10-fio-io_u-error-prefix.json"

/* fio's JSON as its versions print it, and what no version prints. */
static void test_fio_versions(void)
{
	struct hvb_fio_result r;
	char err[512];
	int rc;

	/* fio 2.2.10 (a Xen guest's xvda): bw in KiB/s, clat in microseconds */
	if (fio(C09, &r, err, sizeof(err)) == 0) {
		near(C09, "write iops", r.write_iops, 15624.7);
		near(C09, "write bw (62499 KiB/s)", r.write_bw_bytes, 62499.0 * 1024);
		near(C09, "read iops", r.read_iops, 0);
		near(C09, "ios", r.ios, 9374944);
		near(C09, "clat p50 (8160 us)", r.clat_p50_ns, 8160e3);
		near(C09, "clat p99", r.clat_p99_ns, 8640e3);
		near(C09, "clat p99.9", r.clat_p999_ns, 14912e3);
	} else
		says(C09, -1, err, "(should parse)");
	/* fio: lines before the JSON, a job that ended with EIO */
	rc = fio(C10, &r, err, sizeof(err));
	says(C10, rc, err, "error 5 (Input/output error)");
	{
		/* fio 2.99 to 3.1: clat_ns, but no bw_bytes yet ("bw" in KiB/s) */
		const char *t = "{\"fio version\":\"fio-3.1\",\"jobs\":[{\"jobname\":\"j\",\"error\":0,\"read\":"
				"{\"io_bytes\":4096000,\"io_kbytes\":4000,\"bw\":2000,\"iops\":500.5,\"total_ios\":1000,"
				"\"clat_ns\":{\"percentile\":{\"50.000000\":1000,\"99.000000\":2000,\"99.900000\":3000}}}}]}";
		if ((rc = hvb_fio_parse(t, strlen(t), &r, err, sizeof(err))) == 0) {
			near("(fio-3.1)", "read bw (KiB/s)", r.read_bw_bytes, 2000.0 * 1024);
			near("(fio-3.1)", "clat p50 (ns)", r.clat_p50_ns, 1000);
		} else
			says("(fio-3.1)", -1, err, "(should parse)");
	}
	{
		/* unified_rw_reporting: one "mixed" direction; a counter above 2^63; nan usr_cpu */
		const char *t = "{\"fio version\":\"fio-3.36\",\"jobs\":[{\"jobname\":\"j\",\"error\":0,"
				"\"usr_cpu\":nan,\"latency_target\":18446744073709551615,\"mixed\":"
				"{\"bw_bytes\":1000,\"iops\":7,\"total_ios\":70,"
				"\"clat_ns\":{\"percentile\":{\"50.000000\":1,\"99.000000\":2,\"99.900000\":3}}}}]}";
		if ((rc = hvb_fio_parse(t, strlen(t), &r, err, sizeof(err))) == 0) {
			near("(mixed)", "iops", r.read_iops + r.write_iops, 7);
			near("(mixed)", "ios", r.ios, 70);
		} else
			says("(mixed)", -1, err, "(should parse)");
	}
	/* a figure as a string, which no fio prints: refused, naming the version and the key */
	refuses("(iops as a string)", 1,
		"{\"fio version\":\"fio-9.9\",\"jobs\":[{\"jobname\":\"j\",\"read\":"
		"{\"bw_bytes\":1000,\"iops\":\"7\",\"total_ios\":70}}]}",
		"fio JSON (fio-9.9): job \"j\", \"read\" has no iops");
	/* percentiles turned off (fio 2.x prints only "0.00" keys) */
	refuses("(no percentiles)", 1,
		"{\"fio version\":\"fio-2.1\",\"jobs\":[{\"jobname\":\"j\",\"read\":"
		"{\"bw\":1000,\"iops\":7,\"total_ios\":70,\"clat\":{\"percentile\":{\"0.00\":0}}}}]}",
		"fio JSON (fio-2.1): \"read\".clat.percentile has no \"50.000000\"");
}

static void test_fio(void)
{
	struct hvb_fio_result r;
	char err[512];
	int rc;

	/* clean output, as fio printed it */
	if (fio("fio-randread.json", &r, err, sizeof(err)) == 0) {
		near("fio-randread.json", "read iops", r.read_iops, 44416.583417);
		near("fio-randread.json", "read bw", r.read_bw_bytes, 181930325);
		near("fio-randread.json", "write iops", r.write_iops, 0);
		near("fio-randread.json", "ios", r.ios, 44461);
		near("fio-randread.json", "clat p50", r.clat_p50_ns, 120320);
		near("fio-randread.json", "clat p99", r.clat_p99_ns, 309248);
		near("fio-randread.json", "clat p99.9", r.clat_p999_ns, 13041664);
	} else
		says("fio-randread.json", -1, err, "(should parse)");
	/* fio's own note line before the JSON; both directions: the worse percentile */
	if (fio("fio-randrw-note.json", &r, err, sizeof(err)) == 0) {
		near("fio-randrw-note.json", "read iops", r.read_iops, 10727.272727);
		near("fio-randrw-note.json", "write iops", r.write_iops, 10691.308691);
		near("fio-randrw-note.json", "write bw", r.write_bw_bytes, 43791600);
		near("fio-randrw-note.json", "clat p50 (worse of read, write)", r.clat_p50_ns, 43776);
		near("fio-randrw-note.json", "clat p99.9 (worse)", r.clat_p999_ns, 173056);
	} else
		says("fio-randrw-note.json", -1, err, "(should parse)");
	/* fio repeated "rw" in job options itself */
	if (fio("fio-dup-rw.json", &r, err, sizeof(err)) == 0) {
		near("fio-dup-rw.json", "write iops", r.write_iops, 15876.123876);
		near("fio-dup-rw.json", "clat p99", r.clat_p99_ns, 164864);
	} else
		says("fio-dup-rw.json", -1, err, "(should parse)");
	/* a repeated iops key: the last one wins */
	if (fio("fio-dup-iops.json", &r, err, sizeof(err)) == 0)
		near("fio-dup-iops.json", "read iops (last of two keys)", r.read_iops, 44416.583417);
	else
		says("fio-dup-iops.json", -1, err, "(should parse)");
	/* text with braces before, an unfinished object after */
	if (fio("fio-garbage.json", &r, err, sizeof(err)) == 0)
		near("fio-garbage.json", "read iops", r.read_iops, 44416.583417);
	else
		says("fio-garbage.json", -1, err, "(should parse)");
	/* fio-randread.json with fio's -1 for the read bandwidth: refused, naming job, direction, key and
	 * value, and no figure kept (the iops beside it neither) */
	rc = fio("fio-bw-minus1.json", &r, err, sizeof(err));
	says("fio-bw-minus1.json", rc, err,
	     "fio JSON (fio-3.33): job \"hvb\", \"read\": \"bw_bytes\" is -1, expected a number >= 0 (bytes per second); "
	     "no figure is kept from this output");
	near("fio-bw-minus1.json", "read iops kept", r.read_iops + r.read_bw_bytes + r.ios, 0);
	/* fio 2.x's "bw" (KiB/s) alone at -1, and a write direction after a good read */
	refuses("(fio 2 bw -1)", 1,
		"{\"fio version\":\"fio-2.2.10\",\"jobs\":[{\"jobname\":\"xvda\",\"read\":"
		"{\"bw\":1000,\"iops\":7,\"total_ios\":70,\"clat\":{\"percentile\":{\"50.000000\":1,\"99.000000\":2,"
		"\"99.900000\":3}}},\"write\":{\"bw\":-1,\"iops\":0,\"total_ios\":0}}]}",
		"fio JSON (fio-2.2.10): job \"xvda\", \"write\": \"bw\" is -1, expected a number >= 0 (KiB per second)");
	rc = fio("fio-truncated.json", &r, err, sizeof(err));
	says("fio-truncated.json", rc, err, "bad JSON at byte");
	rc = fio("fio-bogus-engine.out", &r, err, sizeof(err));
	says("fio-bogus-engine.out", rc, err, "no JSON object in the output; it began: \"fio: file:ioengines.c");
	rc = hvb_fio_parse("", 0, &r, err, sizeof(err));
	says("(empty)", rc, err, "empty output");
	{
		const char *t = "{\"fio version\": \"x\", \"other\": 1}";
		rc = hvb_fio_parse(t, strlen(t), &r, err, sizeof(err));
	}
	says("(no jobs)", rc, err, "no \"jobs\" array; top-level keys: fio version other");
	test_fio_versions();
}

static void test_iperf3(void)
{
	struct hvb_iperf3_result r;
	char err[512];
	int rc;

	if ((rc = ip3("iperf3-tcp.json", &r, err, sizeof(err))) == 0) {
		near("iperf3-tcp.json", "receiver bits/s", r.bits_per_second, 36092582312.44639);
		near("iperf3-tcp.json", "sender bits/s", r.sent_bits_per_second, 36094170020.8952);
		near("iperf3-tcp.json", "retransmits", r.retransmits, 6);
		near("iperf3-tcp.json", "cpu host", r.cpu_host, 95.9153852824295);
		near("iperf3-tcp.json", "cpu remote", r.cpu_remote, 76.9144717176736);
		near("iperf3-tcp.json", "udp", r.udp, 0);
	} else
		says("iperf3-tcp.json", -1, err, "(should parse)");
	if ((rc = ip3("iperf3-tcp-reverse-2streams.json", &r, err, sizeof(err))) == 0) {
		near("iperf3-tcp-reverse-2streams.json", "receiver bits/s", r.bits_per_second, 16567036922.966158);
		near("iperf3-tcp-reverse-2streams.json", "reverse", r.reverse, 1);
		near("iperf3-tcp-reverse-2streams.json", "retransmits", r.retransmits, 0);
	} else
		says("iperf3-tcp-reverse-2streams.json", -1, err, "(should parse)");
	if ((rc = ip3("iperf3-udp.json", &r, err, sizeof(err))) == 0) {
		near("iperf3-udp.json", "udp", r.udp, 1);
		near("iperf3-udp.json", "receiver bits/s", r.bits_per_second, 996194871.8358923);
		near("iperf3-udp.json", "jitter ms", r.jitter_ms, 0.008634333335399806);
		near("iperf3-udp.json", "lost %", r.lost_percent, 0.3383412316965236);
		near("iperf3-udp.json", "retransmits (none for UDP)", r.retransmits, NAN);
	} else
		says("iperf3-udp.json", -1, err, "(should parse)");
	/* -nan and nan tokens: those figures are not reported, the rest is */
	if ((rc = ip3("iperf3-udp-nan.json", &r, err, sizeof(err))) == 0) {
		near("iperf3-udp-nan.json", "receiver bits/s", r.bits_per_second, 996194871.8358923);
		near("iperf3-udp-nan.json", "jitter (-nan)", r.jitter_ms, NAN);
		near("iperf3-udp-nan.json", "cpu remote (nan)", r.cpu_remote, NAN);
		near("iperf3-udp-nan.json", "cpu host", r.cpu_host, 77.7369401645296);
	} else
		says("iperf3-udp-nan.json", -1, err, "(should parse)");
	if ((rc = ip3("iperf3-tcp-trailing-error.json", &r, err, sizeof(err))) == 0) {
		near("iperf3-tcp-trailing-error.json", "receiver bits/s", r.bits_per_second, 36092582312.44639);
		printf("%s iperf3-tcp-trailing-error.json: trailing text kept: \"%s\"\n",
		       strstr(r.trailing, "control socket has closed") ? "ok" : "FAIL", r.trailing);
		fails += !strstr(r.trailing, "control socket has closed");
	} else
		says("iperf3-tcp-trailing-error.json", -1, err, "(should parse)");
	if ((rc = ip3("iperf3-garbage-prefix.json", &r, err, sizeof(err))) == 0)
		near("iperf3-garbage-prefix.json", "receiver bits/s", r.bits_per_second, 36092582312.44639);
	else
		says("iperf3-garbage-prefix.json", -1, err, "(should parse)");
	/* bare nan / inf tokens become "not reported"; the same words inside strings stay */
	{
		const char *t = "{\"start\":{\"test_start\":{\"protocol\":\"TCP\"}},\"end\":{\"sum_sent\":"
				"{\"bits_per_second\":1,\"retransmits\":-nan},\"sum_received\":{\"bits_per_second\":2,"
				"\"note\":\"nan inf -nan\\\" nan\"},\"cpu_utilization_percent\":{\"host_total\":inf,"
				"\"remote_total\":-Infinity}}}";
		rc = hvb_iperf3_parse(t, strlen(t), &r, err, sizeof(err));
		if (rc == 0) {
			near("(nan tokens)", "receiver bits/s", r.bits_per_second, 2);
			near("(nan tokens)", "retransmits -nan", r.retransmits, NAN);
			near("(nan tokens)", "cpu host inf", r.cpu_host, NAN);
			near("(nan tokens)", "cpu remote -Infinity", r.cpu_remote, NAN);
		} else
			says("(nan tokens)", -1, err, "(should parse)");
	}
	/* iperf 3.1.3 UDP: only end.sum (the receiver's jitter and loss in it) */
#define C07 "cases/tool-output/07-iperf3-3.1.3-udp-sum-only.json"
	if ((rc = ip3(C07, &r, err, sizeof(err))) == 0) {
		near(C07, "udp", r.udp, 1);
		near(C07, "bits/s (834.7 Mbit/s)", r.bits_per_second, 834711189.017002);
		near(C07, "jitter ms", r.jitter_ms, 0.092);
		near(C07, "lost %", r.lost_percent, 0.690276);
		near(C07, "cpu host", r.cpu_host, 17.76954);
	} else
		says(C07, -1, err, "(should parse)");
	/* iperf 3.16/3.17 printing its JSON twice: the first copy */
#define C08 "cases/tool-output/08-iperf3-3.17-json-twice.json"
	if ((rc = ip3(C08, &r, err, sizeof(err))) == 0) {
		near(C08, "receiver bits/s", r.bits_per_second, 36092582312.44639);
		near(C08, "retransmits", r.retransmits, 6);
	} else
		says(C08, -1, err, "(should parse)");
	{
		/* --json-stream (3.17): one event a line */
		const char *t = "{\"event\":\"start\",\"data\":{\"version\":\"iperf 3.17\",\"test_start\":"
				"{\"protocol\":\"TCP\",\"reverse\":1}}}\n"
				"{\"event\":\"interval\",\"data\":{\"sum\":{\"bits_per_second\":5}}}\n"
				"{\"event\":\"end\",\"data\":{\"sum_sent\":{\"bits_per_second\":11,\"retransmits\":2},"
				"\"sum_received\":{\"bits_per_second\":10,\"bytes\":2048}}}\n";
		if ((rc = hvb_iperf3_parse(t, strlen(t), &r, err, sizeof(err))) == 0) {
			near("(json-stream)", "receiver bits/s", r.bits_per_second, 10);
			near("(json-stream)", "reverse", r.reverse, 1);
			near("(json-stream)", "retransmits", r.retransmits, 2);
		} else
			says("(json-stream)", -1, err, "(should parse)");
		refuses("(json-stream error)", 0,
			"{\"event\":\"start\",\"data\":{}}\n{\"event\":\"error\",\"data\":\"unable to connect to server\"}\n",
			"iperf3: unable to connect to server");
	}
	/* a finished test in a shape no iperf3 prints: the version and what is missing */
	refuses("(no sum_received)", 0,
		"{\"start\":{\"version\":\"iperf 3.99\",\"test_start\":{\"protocol\":\"TCP\"}},"
		"\"end\":{\"sum_sent\":{\"bits_per_second\":1}}}",
		"iperf3 JSON (iperf 3.99): \"end\" has no sum_received");
	rc = ip3("iperf3-refused.json", &r, err, sizeof(err));
	says("iperf3-refused.json", rc, err, "iperf3: unable to connect to server: Connection refused");
	rc = ip3("iperf3-truncated.json", &r, err, sizeof(err));
	says("iperf3-truncated.json", rc, err, "bad JSON at byte");
	rc = hvb_iperf3_parse("iperf3: error - unable to start listener\n", 41, &r, err, sizeof(err));
	says("(error text only)", rc, err, "no JSON object in the output; it began: \"iperf3: error - unable");
}

int main(void)
{
	test_fio();
	test_iperf3();
	printf("%s\n", fails ? "FAILED" : "all passed");
	return fails ? 1 : 0;
}
