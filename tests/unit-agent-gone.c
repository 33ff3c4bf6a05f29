/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The runner's wait for a reply ends early when the agent's guest is gone
 * (bench/agent-client.c, hvb_agent_conn.gone): a triple-faulted HVM guest's
 * channel stays open, so the channel alone would hold the runner until the
 * timeout. Here the channel is a socket whose other end stays open and silent. */
#include "config.h"
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "bench/bench.h"
#include "tests/check.h"

static int asked;

static int gone_after_two(void *arg, char *why, size_t len)
{
	(void)arg;
	if (++asked < 2)
		return 0;
	snprintf(why, len, "xen: domain 7 (test) shut down (shutdown reason: reboot)");
	return 1;
}

static int never_gone(void *arg, char *why, size_t len)
{
	(void)arg, (void)why, (void)len;
	asked++;
	return 0;
}

int main(void)
{
	struct hvb_agent_conn c;
	char err[512];
	void *reply = NULL;
	int sv[2];
	double t0;
	int rc;

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);

	/* Gone at the second look: HVB_ECHILD with the backend's words, well before the 60 s timeout. */
	hvb_agent_conn_init(&c, sv[0], sv[0]);
	c.gone = gone_after_two;
	t0 = hvb_now();
	rc = hvb_agent_call(&c, "{\"v\":1,\"op\":\"hello\"}", 60, &reply, err, sizeof(err));
	CHECK(rc == HVB_ECHILD);
	CHECK(reply == NULL);
	CHECK(asked == 2);
	CHECK(strstr(err, "shut down (shutdown reason: reboot)") != NULL);
	CHECK(hvb_now() - t0 < 30);
	hvb_agent_conn_free(&c);

	/* Never gone: the timeout is the timeout, and the guest was asked on the way. */
	asked = 0;
	hvb_agent_conn_init(&c, sv[0], sv[0]);
	c.gone = never_gone;
	rc = hvb_agent_call(&c, "{\"v\":1,\"op\":\"hello\"}", 1.5, &reply, err, sizeof(err));
	CHECK(rc == HVB_ETIMEDOUT);
	CHECK(asked >= 1);
	CHECK(strstr(err, "no reply from the agent within 1.5 s") != NULL);
	hvb_agent_conn_free(&c);

	/* A reply that is there is taken, whatever gone would say later. */
	asked = 0;
	hvb_agent_conn_init(&c, sv[0], sv[0]);
	c.gone = gone_after_two;
	CHECK(write(sv[1], "{\"v\":1,\"ok\":true,\"id\":1}\n", 25) == 25);
	rc = hvb_agent_call(&c, "{\"v\":1,\"op\":\"hello\"}", 10, &reply, err, sizeof(err));
	CHECK(rc == 0 && reply != NULL);
	CHECK(asked == 0);
	hvb_agent_conn_free(&c);
	close(sv[0]);
	close(sv[1]);
	return CHECK_DONE();
}
