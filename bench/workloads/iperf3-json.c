/* The parser of `iperf3 --json`. iperf3 writes -nan (printf of a NaN double)
 * where a figure could not be computed, which is not JSON: bare nan/inf tokens
 * outside strings become null first, and a null figure is "not reported". Text
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

/* Copies text with each bare [-+]nan / [-+]inf[inity] token outside strings
 * replaced by null (a 3-byte token grows by one byte, longer ones are padded). */
static char *denan(const char *text, size_t len)
{
	char *out = malloc(len + 1);
	int in_str = 0;

	if (!out)
		return NULL;
	memcpy(out, text, len);
	out[len] = 0;
	for (size_t i = 0; i < len; i++) {
		char c = out[i];
		size_t j = i, tok;

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
			continue;
		}
		if (c == '-' || c == '+')
			j++;
		if (j + 3 > len || (strncasecmp(out + j, "nan", 3) && strncasecmp(out + j, "inf", 3)))
			continue;
		tok = j + 3 - i;
		if (!strncasecmp(out + j, "infinity", 8) && j + 8 <= len)
			tok = j + 8 - i;
		if (i + tok < len && (isalnum((unsigned char)out[i + tok]) || out[i + tok] == '_'))
			continue; /* part of a longer word */
		if (tok < 4) {
			/* "nan" (3 bytes) cannot hold "null": shift the rest right by one */
			char *grown = realloc(out, len + 2);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
			memmove(out + i + 4, out + i + 3, len - i - 3 + 1);
			len++;
			tok = 4;
		}
		memcpy(out + i, "null", 4);
		memset(out + i + 4, ' ', tok - 4);
		i += tok - 1;
	}
	return out;
}

/* A number, or NAN when null or absent. */
static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

int hvb_iperf3_parse(const char *text, size_t len, struct hvb_iperf3_result *r, char *err, size_t errlen)
{
	json_t *root, *end, *recv, *sent, *cpu, *ts;
	const char *proto = "TCP", *e = NULL;
	char *clean;
	size_t stop = 0;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (!(clean = denan(text, len)))
		return HVB_ENOMEM;
	root = hvb_json_find_object(clean, strlen(clean), "iperf3 output", &stop, err, errlen);
	if (root) {
		const char *t = clean + stop;
		while (*t && isspace((unsigned char)*t))
			t++;
		snprintf(r->trailing, sizeof(r->trailing), "%s", t);
		r->trailing[strcspn(r->trailing, "\n")] = 0;
	}
	free(clean);
	if (!root)
		return HVB_EINVAL;
	if (json_unpack(root, "{s:s}", "error", &e) == 0) {
		snprintf(err, errlen, "iperf3: %s", e);
		json_decref(root);
		return HVB_ECHILD;
	}
	ts = json_object_get(json_object_get(root, "start"), "test_start");
	json_unpack(ts, "{s?s, s?i}", "protocol", &proto, "reverse", &r->reverse);
	r->udp = !strcmp(proto, "UDP");
	end = json_object_get(root, "end");
	recv = json_object_get(end, "sum_received");
	sent = json_object_get(end, "sum_sent");
	if (r->udp && !json_object_get(recv, "jitter_ms") && json_is_object(json_object_get(end, "sum")))
		recv = json_object_get(end, "sum"); /* older iperf3: the receiver's UDP view is only there */
	if (!json_is_object(recv) || !json_is_object(sent)) {
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
