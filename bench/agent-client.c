/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runner's end of the agent channel: one request, one reply, within a
 * deadline; a hung agent is reported as a timeout for the runner to kill. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "bench/bench.h"
#include "bench/protocol.h"

void hvb_agent_conn_init(struct hvb_agent_conn *c, int rfd, int wfd)
{
	memset(c, 0, sizeof(*c));
	c->rfd = rfd;
	c->wfd = wfd;
}

void hvb_agent_conn_free(struct hvb_agent_conn *c)
{
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
}

/* The request with its id: the reply must carry the same. */
static char *with_id(const char *request_json, long long id)
{
	json_t *o = json_loads(request_json, 0, NULL);
	char *s = NULL;

	if (json_is_object(o) && json_object_set_new(o, "id", json_integer(id)) == 0)
		s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* A reply to this request, and nothing else. */
static int in_step(struct hvb_agent_conn *c, json_t *r, char *err, size_t len)
{
	json_t *id = json_object_get(r, "id");

	if (json_is_integer(id) && json_integer_value(id) == c->seq)
		return 0;
	if (json_is_integer(id))
		snprintf(err, len, "reply out of step: id %lld, expected %lld", (long long)json_integer_value(id), c->seq);
	else
		snprintf(err, len, "reply out of step: no id (expected %lld; an agent older than this runner?)", c->seq);
	return HVB_EPROTO;
}

/* Slices of a second when c->gone can tell that the guest died: a dead HVM
 * guest's channel stays open, so only asking its hypervisor ends the wait early. */
static int read_reply(struct hvb_agent_conn *c, struct hvb_linebuf *lb, double timeout_s, char **line, char *err,
		      size_t len)
{
	double deadline = hvb_now() + timeout_s;

	err[0] = '\0';
	if (!c->gone || timeout_s < 0)
		return hvb_line_read(c->rfd, lb, timeout_s, hvb_run_interrupted, line);
	for (;;) {
		double left = deadline - hvb_now(), slice = left < 1.0 ? left : 1.0;
		int rc;
		if (left <= 0) /* a negative slice would mean no deadline at all */
			return HVB_ETIMEDOUT;
		rc = hvb_line_read(c->rfd, lb, slice, hvb_run_interrupted, line);
		char why[512];
		if (rc != HVB_ETIMEDOUT)
			return rc;
		if (c->gone(c->gone_arg, why, sizeof(why))) {
			snprintf(err, len, "no reply from the agent: %s", why);
			return HVB_ECHILD;
		}
		if (hvb_now() >= deadline)
			return HVB_ETIMEDOUT;
	}
}

int hvb_agent_call(struct hvb_agent_conn *c, const char *request_json, double timeout_s, void **reply, char *err,
		   size_t len)
{
	struct hvb_linebuf lb = { .buf = c->buf, .len = c->len, .cap = c->cap, .overflow = c->overflow };
	char *line, *req;
	json_t *r;
	int rc;

	*reply = NULL;
	if (c->len) {
		/* Lines nobody asked for: whatever the agent says next cannot be trusted to answer this. */
		snprintf(err, len, "the agent sent %zu bytes nobody asked for", c->len);
		return HVB_EPROTO;
	}
	if (!(req = with_id(request_json, ++c->seq))) {
		snprintf(err, len, "internal: a request that is not a JSON object");
		return HVB_EINVAL;
	}
	rc = hvb_line_write(c->wfd, req);
	free(req);
	if (rc < 0) {
		snprintf(err, len, "cannot write to the agent (it exited?)");
		return HVB_ECHILD;
	}
	rc = read_reply(c, &lb, timeout_s, &line, err, len);
	if (rc == HVB_ECHILD && err[0])
		; /* the guest is gone: err says how */
	else if (rc == 1) {
		r = hvb_proto_parse(line, lb.line_len, err, len);
		hvb_line_consume(&lb);
		if (!r || in_step(c, r, err, len) < 0) {
			json_decref(r);
			rc = HVB_EPROTO;
		} else {
			*reply = r;
			rc = 0;
		}
	} else if (rc == 0) {
		snprintf(err, len, "the agent closed its channel without a reply (it died?)");
		rc = HVB_ECHILD;
	} else if (rc == HVB_ETIMEDOUT)
		snprintf(err, len, "no reply from the agent within %g s", timeout_s);
	else if (rc == HVB_EINTR)
		snprintf(err, len, "interrupted");
	else if (rc == HVB_EINVAL) {
		snprintf(err, len, "the agent's reply is longer than %u bytes", HVB_PROTO_MAX_LINE);
		rc = HVB_EPROTO;
	} else
		snprintf(err, len, "reading the agent's reply: %s", hvb_strerror(rc));
	c->buf = lb.buf;
	c->len = lb.len;
	c->cap = lb.cap;
	c->overflow = lb.overflow;
	return rc;
}
