/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The agent protocol's framing: one JSON object per line, at most 1 MiB, with a
 * version field. Both the agent and the runner use these. */
#include "config.h"
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench/bench.h"
#include "bench/protocol.h"

/* The line's length is kept, not found again with strlen: a NUL byte inside a
 * line must not split it in two (two replies to one request would put every
 * later reply out of step). */
static int take_line(struct hvb_linebuf *lb, char **line)
{
	char *nl = memchr(lb->buf, '\n', lb->len);

	if (!nl)
		return 0;
	*nl = 0;
	*line = lb->buf;
	lb->line_len = (size_t)(nl - lb->buf);
	return 1;
}

void hvb_line_consume(struct hvb_linebuf *lb)
{
	size_t used = lb->line_len + 1;

	if (used > lb->len)
		used = lb->len;
	lb->line_len = 0;
	memmove(lb->buf, lb->buf + used, lb->len - used);
	lb->len -= used;
}

int hvb_line_read(int fd, struct hvb_linebuf *lb, double timeout_s, int (*interrupted)(void), char **line)
{
	double deadline = timeout_s >= 0 ? hvb_now() + timeout_s : 0;

	for (;;) {
		ssize_t n;
		if (lb->len && take_line(lb, line)) {
			if (lb->overflow) {
				lb->overflow = 0;
				hvb_line_consume(lb);
				return HVB_EINVAL;
			}
			return 1;
		}
		if (lb->len >= HVB_PROTO_MAX_LINE) {
			/* Keep discarding the long line until its newline arrives. */
			lb->overflow = 1;
			lb->len = 0;
		}
		if (lb->cap - lb->len < 4096) {
			size_t cap = lb->cap ? lb->cap * 2 : 8192;
			char *nb = realloc(lb->buf, cap + 1);
			if (!nb)
				return HVB_ENOMEM;
			lb->buf = nb;
			lb->cap = cap;
		}
		if (timeout_s >= 0) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			double left = deadline - hvb_now();
			int ms = left <= 0 ? 0 : (int)(left * 1000) + 1, r;
			if (left <= 0)
				return HVB_ETIMEDOUT;
			/* A signal that came before poll() does not wake it: look at the
			 * flag first, and again every 200 ms (Ctrl-C during a long sample
			 * was otherwise seen only when the sample ended). */
			if (interrupted && interrupted())
				return HVB_EINTR;
			if (interrupted && ms > 200)
				ms = 200;
			r = poll(&p, 1, ms);
			if (r < 0 && errno == EINTR) {
				if (interrupted && interrupted())
					return HVB_EINTR;
				continue;
			}
			if (r < 0)
				return HVB_EIO;
			if (r == 0)
				continue;
		}
		n = read(fd, lb->buf + lb->len, lb->cap - lb->len);
		if (n < 0 && errno == EINTR) {
			if (interrupted && interrupted())
				return HVB_EINTR;
			continue;
		}
		/* A pty's master reads EIO once the slave's last holder closed it, and a
		 * socket ECONNRESET: the other end is gone, as with end of input. */
		if (n < 0 && (errno == EIO || errno == ECONNRESET))
			n = 0;
		if (n < 0)
			return HVB_EIO;
		if (n == 0)
			return 0;
		lb->len += (size_t)n;
		lb->buf[lb->len] = 0;
	}
}

void hvb_linebuf_free(struct hvb_linebuf *lb)
{
	free(lb->buf);
	memset(lb, 0, sizeof(*lb));
}

int hvb_line_write(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off <= len) {
		const char *p = off < len ? s + off : "\n";
		size_t n = off < len ? len - off : 1;
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return HVB_EIO;
		off += (size_t)w;
	}
	return 0;
}

json_t *hvb_proto_parse(const char *line, size_t n, char *err, size_t len)
{
	json_error_t je;
	/* By length: a NUL byte is an error at its position, not the line's end. */
	json_t *o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &je), *v;

	if (!o) {
		snprintf(err, len, "malformed JSON at column %d: %s", je.column, je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		snprintf(err, len, "expected a JSON object");
		json_decref(o);
		return NULL;
	}
	v = json_object_get(o, "v");
	if (!json_is_integer(v) || json_integer_value(v) != HVB_PROTO_VERSION) {
		snprintf(err, len, "protocol version %s, this hvbench speaks %d",
			 json_is_integer(v) ? "mismatch" : "missing (\"v\")", HVB_PROTO_VERSION);
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *hvb_metrics_to_json(const struct hvb_metrics *ms)
{
	json_t *a = json_array();

	for (size_t i = 0; i < ms->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:f, s:s, s:s}", "name", ms->m[i].name, "value",
						   ms->m[i].value, "unit", ms->m[i].unit, "better",
						   hvb_better_name(ms->m[i].better)));
	return a;
}

int hvb_metrics_from_json(json_t *arr, struct hvb_metrics *ms, char *err, size_t len)
{
	size_t i;
	json_t *m;

	if (!json_is_array(arr)) {
		snprintf(err, len, "reply has no \"metrics\" array");
		return HVB_EPROTO;
	}
	json_array_foreach(arr, i, m) {
		const char *name = NULL, *unit = NULL, *better = NULL;
		double value;
		enum hvb_better b;
		json_error_t je;
		if (json_unpack_ex(m, &je, 0, "{s:s, s:F, s:s, s:s}", "name", &name, "value", &value, "unit", &unit,
				   "better", &better) < 0) {
			snprintf(err, len, "metric %zu: %s", i, je.text);
			return HVB_EPROTO;
		}
		if (hvb_better_parse(better, &b) < 0 || !isfinite(value)) {
			snprintf(err, len, "metric %s: bad value or direction", name);
			return HVB_EPROTO;
		}
		if (hvb_metrics_add(ms, name, value, unit, b) < 0) {
			snprintf(err, len, "metric %zu: name or unit too long", i);
			return HVB_EPROTO;
		}
	}
	return 0;
}
