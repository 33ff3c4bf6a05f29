/* The runner's end of the agent channel: one request, one reply, within a
 * deadline; a hung agent is reported as a timeout for the runner to kill. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int hvb_agent_call(struct hvb_agent_conn *c, const char *request_json, double timeout_s, void **reply, char *err,
		   size_t len)
{
	struct hvb_linebuf lb = { .buf = c->buf, .len = c->len, .cap = c->cap };
	char *line;
	json_t *r;
	int rc;

	*reply = NULL;
	if (hvb_line_write(c->wfd, request_json) < 0) {
		snprintf(err, len, "cannot write to the agent (it exited?)");
		return HVB_ECHILD;
	}
	rc = hvb_line_read(c->rfd, &lb, timeout_s, hvb_run_interrupted, &line);
	if (rc == 1) {
		r = hvb_proto_parse(line, err, len);
		hvb_line_consume(&lb);
		if (!r)
			rc = HVB_EPROTO;
		else {
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
	else
		snprintf(err, len, "reading the agent's reply: %s", hvb_strerror(rc));
	c->buf = lb.buf;
	c->len = lb.len;
	c->cap = lb.cap;
	return rc;
}
