/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The parser of `iperf3 --json` (and --json-stream) as iperf3 3.0 to 3.17
 * print it. iperf3 writes -nan where a figure could not be computed (the shared
 * finder reads it as null: "not reported"). Text
 * after the object (iperf3's own "iperf3: error - ..." lines) is kept for the
 * caller. An "error" member is the run's failure, reported as iperf3 said it. */
#include "config.h"
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "bench/workloads/wl.h"

/* A number, or NAN when null or absent. */
static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* iperf3 --json-stream (3.17): one {"event": ..., "data": ...} object a line.
 * Replaces *root with an object of the --json shape built from the start, end
 * and error events. */
static int from_stream(const char *text, size_t len, json_t **root, char *err, size_t errlen)
{
	json_t *whole = json_object();
	size_t at = 0;

	json_decref(*root);
	*root = whole;
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - text - at) : len - at;
		json_t *line = json_loadb(text + at, n, JSON_DECODE_INT_AS_REAL, NULL);
		const char *ev = NULL;
		json_t *data = NULL;

		if (line && json_unpack(line, "{s:s, s:o}", "event", &ev, "data", &data) == 0) {
			if (!strcmp(ev, "start") || !strcmp(ev, "end"))
				json_object_set(whole, ev, data);
			else if (!strcmp(ev, "error") && json_is_string(data))
				json_object_set(whole, "error", data);
		}
		json_decref(line);
		at += n + 1;
	}
	if (!json_object_size(whole)) {
		snprintf(err, errlen, "iperf3 --json-stream output without start, end or error events");
		return HVB_EINVAL;
	}
	return 0;
}

int hvb_iperf3_parse(const char *text, size_t len, struct hvb_iperf3_result *r, char *err, size_t errlen)
{
	json_t *root, *end, *recv, *sent, *cpu, *ts;
	const char *proto = "TCP", *e = NULL, *ver = "an unknown version";
	size_t stop = 0;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (!(root = hvb_json_find_object(text, len, "iperf3 output", &stop, err, errlen)))
		return HVB_EINVAL;
	if (json_object_get(root, "event") && (rc = from_stream(text, len, &root, err, errlen)) < 0)
		return rc;
	{
		const char *t = text + stop;
		while (t < text + len && isspace((unsigned char)*t))
			t++;
		snprintf(r->trailing, sizeof(r->trailing), "%.*s", (int)(text + len - t), t);
		r->trailing[strcspn(r->trailing, "\n")] = 0;
	}
	json_unpack(root, "{s:{s:s}}", "start", "version", &ver);
	if (json_unpack(root, "{s:s}", "error", &e) == 0) {
		snprintf(err, errlen, "iperf3: %s", e);
		json_decref(root);
		return HVB_ECHILD;
	}
	ts = json_object_get(json_object_get(root, "start"), "test_start");
	json_unpack(ts, "{s?s}", "protocol", &proto);
	r->reverse = num(ts, "reverse") > 0;
	r->udp = !strcmp(proto, "UDP");
	end = json_object_get(root, "end");
	recv = json_object_get(end, "sum_received");
	sent = json_object_get(end, "sum_sent");
	/* UDP up to iperf3 3.1: only "sum", the client's figures with the server's
	 * jitter and loss in them; later ones have "sum" beside sum_sent/received. */
	if (r->udp && !json_object_get(recv, "jitter_ms") && json_is_object(json_object_get(end, "sum"))) {
		recv = json_object_get(end, "sum");
		if (!json_is_object(sent))
			sent = recv;
	}
	if (!json_is_object(recv) || !json_is_object(sent)) {
		if (json_is_object(end) && json_object_size(end))
			snprintf(err, errlen, "iperf3 JSON (%s): \"end\" has no %s (%s)", ver,
				 json_is_object(sent) ? "sum_received" : json_is_object(recv) ? "sum_sent" :
				 "sum_sent or sum_received", r->trailing[0] ? r->trailing : "not a shape hvbench knows");
		else
			snprintf(err, errlen, "iperf3 JSON: \"end\" has no sum_sent/sum_received (%s)",
				 r->trailing[0] ? r->trailing : "the test did not finish");
		json_decref(root);
		return HVB_EINVAL;
	}
	r->bits_per_second = num(recv, "bits_per_second");
	r->sent_bits_per_second = num(sent, "bits_per_second");
	r->bytes = num(recv, "bytes");
	r->seconds = num(recv, "seconds");
	r->retransmits = r->udp ? NAN : num(sent, "retransmits");
	r->jitter_ms = r->udp ? num(recv, "jitter_ms") : NAN;
	r->lost_percent = r->udp ? num(recv, "lost_percent") : NAN;
	cpu = json_object_get(end, "cpu_utilization_percent");
	r->cpu_host = num(cpu, "host_total");
	r->cpu_remote = num(cpu, "remote_total");
	if (!isfinite(r->bits_per_second)) {
		snprintf(err, errlen, "iperf3 JSON: the receiver's bits_per_second is missing or not a number");
		rc = HVB_EINVAL;
	}
	json_decref(root);
	return rc;
}
