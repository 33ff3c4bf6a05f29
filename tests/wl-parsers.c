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

	snprintf(path, sizeof(path), "%s/tests/data/workloads/%s", dir ? dir : ".", name);
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
