/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iperf3: network throughput with the iperf3 client, run by the agent with an
 * argv and --json, against the server the backend names (ctx->peer:peer_port).
 * Under Xen the runner starts `iperf3 -s -1` in dom0, so the traffic crosses
 * netfront/netback and the grant copies. Natively, when the peer is loopback (or
 * none is named), the workload starts that one-shot server itself on 127.0.0.1
 * and stops it with the sample, whatever way the sample ends (wl-proc.c), so the
 * port is free for the next one.
 * Receiver-side throughput is the figure: it is what arrived. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

#define OUT_CAP (16u << 20)
#define TIMEOUT_SLACK_S 30.0
#define LISTEN_WAIT_S 5.0

static const char *const protocols[] = { "tcp", "udp", NULL };

static const struct hvb_option iperf3_options[] = {
	{ .name = "protocol", .type = HVB_OPT_ENUM, .def = "tcp", .choices = protocols, .help = "tcp or udp" },
	{ .name = "streams", .type = HVB_OPT_INT, .def = "1", .min = 1, .max = 128, .help = "parallel streams (-P)" },
	{ .name = "length", .type = HVB_OPT_SIZE, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 16 << 20,
	  .help = "bytes per write (-l); auto = iperf3's default (128K TCP, path MTU UDP)" },
	{ .name = "duration", .type = HVB_OPT_TIME, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 86400,
	  .help = "seconds of traffic (-t, whole seconds); auto = the sample duration" },
	{ .name = "reverse", .type = HVB_OPT_BOOL, .def = "off", .help = "server sends, client receives (-R)" },
	{ .name = "bitrate", .type = HVB_OPT_SIZE, .def = "auto", .flags = HVB_OPT_AUTO, .min = 0, .max = 1e13,
	  .help = "target bits/s (-b, K/M/G suffixes); auto = unlimited for TCP, 1G for UDP; 0 = unlimited" },
	{ 0 },
};

static const struct hvb_metric_doc iperf3_metrics[] = {
	{ "gbps", "Gbit/s", HVB_HIGHER, "throughput measured by the receiver, 10^9 bits per second" },
	{ "sent_gbps", "Gbit/s", HVB_INFO, "throughput the sender pushed" },
	{ "retransmits", "segments", HVB_LOWER, "TCP retransmissions of the sender (when the kernel reports them)" },
	{ "cpu_host_pct", "%", HVB_INFO, "CPU utilisation of the client end (iperf3's host_total)" },
	{ "cpu_remote_pct", "%", HVB_INFO, "CPU utilisation of the server end (remote_total)" },
	{ "jitter_ms", "ms", HVB_LOWER, "UDP: jitter seen by the receiver" },
	{ "lost_pct", "%", HVB_LOWER, "UDP: datagrams lost" },
	{ "ops", "KiB", HVB_INFO, "KiB received" },
	{ 0 },
};

static int iperf3_supported(char *why, size_t len) { return hvb_wl_program_supported("iperf3", why, len); }

static int is_loopback(const char *peer)
{
	return !peer || !*peer || !strcmp(peer, "127.0.0.1") || !strcmp(peer, "localhost") || !strcmp(peer, "::1");
}

/* 1 when something listens on TCP port (IPv4 or IPv6), from /proc/net/tcp{,6}. */
static int port_listening(int port)
{
	static const char *const files[] = { "/proc/net/tcp", "/proc/net/tcp6" };

	for (int i = 0; i < 2; i++) {
		char line[512];
		FILE *f = fopen(files[i], "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			unsigned lport, state;
			char *colon = strchr(line, ':');
			/* "  0: 0100007F:1451 00000000:0000 0A ..." */
			if (colon && (colon = strchr(colon + 1, ':')) && sscanf(colon + 1, "%x %*s %x", &lport, &state) == 2 &&
			    (int)lport == port && state == 0x0A) {
				fclose(f);
				return 1;
			}
		}
		fclose(f);
	}
	return 0;
}

struct server {
	struct hvb_proc proc;
	int port;
	char dir[4000], log[4100];
};

/* A port on 127.0.0.1 that nothing holds now, from the kernel; 0 if none. */
static int free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = 0;

	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* The server's first line of output, for a failure message. */
static void server_said(const struct server *s, char *buf, size_t len)
{
	FILE *f = fopen(s->log, "r");

	snprintf(buf, len, "(no output)");
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

/* The one-shot server's output, an artifact of the sample beside the client's. */
static void keep_server_log(const struct server *s, struct hvb_wl_result *res)
{
	FILE *f = fopen(s->log, "r");
	char *buf = f ? malloc(HVB_WL_ARTIFACT_CAP + 1) : NULL;
	size_t n = buf ? fread(buf, 1, HVB_WL_ARTIFACT_CAP, f) : 0; /* a few lines */

	hvb_wl_artifact(res, "iperf3-server.log", "text/plain", buf, n);
	free(buf);
	if (f)
		fclose(f);
}

static void server_stop(struct server *s)
{
	hvb_proc_stop(&s->proc);
	hvb_wl_scratch_remove(s->dir);
	s->dir[0] = 0;
}

static int server_start(const struct hvb_wl_ctx *ctx, const char *exe, struct server *s, struct hvb_wl_result *res)
{
	char port[16], err[512], said[256];
	char *argv[] = { (char *)exe, "-s", "-1", "-B", "127.0.0.1", "-p", port, NULL };
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	double deadline;
	int fd, rc;

	/* hvbench's own servers end with their samples: what holds the port is
	 * someone else's, and on loopback any free port measures the same. */
	s->port = ctx->peer_port;
	if (port_listening(s->port)) {
		if (!(s->port = free_port()))
			return hvb_wl_fail(res, HVB_EIO, "iperf3: port %d is in use and no free port was found",
					   ctx->peer_port);
		hvb_log(HVB_LOG_WARN, "iperf3: port %d is in use on this host (not by hvbench); the server uses port %d",
			ctx->peer_port, s->port);
	}
	snprintf(port, sizeof(port), "%d", s->port);
	if ((rc = hvb_wl_scratch_make(ctx->scratch_dir, s->dir, sizeof(s->dir), err, sizeof(err))) < 0)
		return hvb_wl_fail(res, rc, "iperf3 server: %s", err);
	snprintf(s->log, sizeof(s->log), "%s/iperf3-server.log", s->dir);
	if ((fd = open(s->log, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		rc = hvb_wl_fail(res, HVB_EIO, "iperf3 server: cannot create %s: %s", s->log, strerror(errno));
		server_stop(s);
		return rc;
	}
	rc = hvb_proc_start(&s->proc, argv, fd, fd, s->dir, err, sizeof(err));
	close(fd);
	if (rc < 0) {
		server_stop(s);
		return hvb_wl_fail(res, rc, "iperf3 server: %s", err);
	}
	deadline = hvb_now() + LISTEN_WAIT_S;
	while (!port_listening(s->port)) {
		if (hvb_proc_wait(&s->proc, 0) == 1) {
			server_said(s, said, sizeof(said));
			rc = hvb_wl_fail(res, HVB_ECHILD, "iperf3 server ended at once (status 0x%x%s%s): %s",
					 s->proc.status, s->proc.exec_errno ? "; " : "",
					 s->proc.exec_errno ? strerror(s->proc.exec_errno) : "", said);
			server_stop(s);
			return rc;
		}
		if (hvb_now() > deadline) {
			server_said(s, said, sizeof(said));
			server_stop(s);
			return hvb_wl_fail(res, HVB_ETIMEDOUT, "iperf3 server not listening on port %d after %.0f s: %s",
					   s->port, LISTEN_WAIT_S, said);
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void add_if(struct hvb_wl_result *res, const char *name, double v, const char *unit, enum hvb_better b)
{
	if (isfinite(v)) /* iperf3 printed nan, or did not report it */
		hvb_metrics_add(&res->metrics, name, v, unit, b);
}

static int report(const struct hvb_iperf3_result *r, struct hvb_wl_result *res)
{
	hvb_metrics_add(&res->metrics, "gbps", r->bits_per_second / 1e9, "Gbit/s", HVB_HIGHER);
	add_if(res, "sent_gbps", r->sent_bits_per_second / 1e9, "Gbit/s", HVB_INFO);
	add_if(res, "retransmits", r->retransmits, "segments", HVB_LOWER);
	add_if(res, "cpu_host_pct", r->cpu_host, "%", HVB_INFO);
	add_if(res, "cpu_remote_pct", r->cpu_remote, "%", HVB_INFO);
	if (r->udp) {
		add_if(res, "jitter_ms", r->jitter_ms, "ms", HVB_LOWER);
		add_if(res, "lost_pct", r->lost_percent, "%", HVB_LOWER);
	}
	res->ops = isfinite(r->bytes) ? (uint64_t)(r->bytes / 1024) : 0;
	hvb_metrics_add(&res->metrics, "ops", (double)res->ops, "KiB", HVB_INFO);
	return 0;
}

static int iperf3_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	const struct hvb_params *p = ctx->params;
	int udp = !strcmp(hvb_param_str(p, "protocol"), "udp"), n = 0, rc, local = is_loopback(ctx->peer);
	double secs = hvb_param_is_auto(p, "duration") ? ctx->duration_s : hvb_param_time(p, "duration");
	char exe[4096], a[6][64], *argv[24], err[512];
	struct server srv = { 0 };
	struct hvb_spawn_out o;
	struct hvb_iperf3_result r;

	if (!hvb_find_program("iperf3", exe, sizeof(exe)))
		return hvb_wl_fail(res, HVB_ESKIP, "iperf3: the iperf3 program is not installed (not found in PATH)");
	secs = ceil(secs < 1 ? 1 : secs);
	argv[n++] = exe;
	argv[n++] = "--json";
	argv[n++] = "-c";
	argv[n++] = (char *)(local ? "127.0.0.1" : ctx->peer);
	snprintf(a[0], sizeof(a[0]), "-p%d", ctx->peer_port);
	snprintf(a[1], sizeof(a[1]), "-t%.0f", secs);
	snprintf(a[2], sizeof(a[2]), "-P%lld", (long long)hvb_param_int(p, "streams"));
	argv[n++] = a[0];
	argv[n++] = a[1];
	argv[n++] = a[2];
	if (udp)
		argv[n++] = "-u";
	if (hvb_param_bool(p, "reverse"))
		argv[n++] = "-R";
	if (!hvb_param_is_auto(p, "length")) {
		snprintf(a[3], sizeof(a[3]), "-l%llu", (unsigned long long)hvb_param_size(p, "length"));
		argv[n++] = a[3];
	}
	if (!hvb_param_is_auto(p, "bitrate") || udp) {
		snprintf(a[4], sizeof(a[4]), "-b%llu",
			 (unsigned long long)(hvb_param_is_auto(p, "bitrate") ? 1000000000ULL : hvb_param_size(p, "bitrate")));
		argv[n++] = a[4];
	}
	argv[n] = NULL;
	if (local && (rc = server_start(ctx, exe, &srv, res)) < 0)
		return rc;
	snprintf(a[0], sizeof(a[0]), "-p%d", local ? srv.port : ctx->peer_port);
	rc = hvb_spawn_capture(argv, secs + TIMEOUT_SLACK_S, OUT_CAP, NULL, &o, err, sizeof(err));
	if (local)
		keep_server_log(&srv, res);
	server_stop(&srv);
	if (rc < 0) {
		hvb_spawn_out_free(&o);
		return hvb_wl_fail(res, rc, "iperf3: %s", err);
	}
	hvb_wl_artifact(res, "iperf3.json", "application/json", o.out, o.outlen);
	hvb_wl_artifact(res, "iperf3.stderr", "text/plain", o.err, o.errlen);
	rc = hvb_iperf3_parse(o.out, o.outlen, &r, err, sizeof(err));
	if (rc == 0 && (!WIFEXITED(o.status) || WEXITSTATUS(o.status))) {
		/* complete JSON but a failed run: say what iperf3 said after it */
		snprintf(err, sizeof(err), "iperf3 exited with status 0x%x: %.300s", o.status,
			 r.trailing[0] ? r.trailing : o.errlen ? o.err : "(no message)");
		rc = HVB_ECHILD;
	} else if (rc == 0 && r.trailing[0]) {
		hvb_log(HVB_LOG_WARN, "iperf3: text after the JSON: %s", r.trailing);
	}
	hvb_spawn_out_free(&o);
	if (rc < 0)
		return hvb_wl_fail(res, rc, "%s (client of %s:%d)", err, local ? "127.0.0.1" : ctx->peer,
				   local ? srv.port : ctx->peer_port);
	return report(&r, res);
}

const struct hvb_workload_ops hvb_wl_iperf3 = {
	.name = "iperf3",
	.summary = "network throughput with the iperf3 client (JSON): Gbit/s, retransmits, CPU, UDP jitter and loss",
	.options = iperf3_options,
	.metrics = iperf3_metrics,
	.op_name = "KiB received",
	.flags = HVB_WL_NEEDS_PEER | HVB_WL_EXTERNAL,
	.program = "iperf3",
	.supported = iperf3_supported,
	.run = iperf3_run,
};
