/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error strings and the one logging function of library code. */
#include "config.h"
#include <stdio.h>
#include "results/results.h"

const char *hvb_strerror(int err)
{
	switch (err) {
	case HVB_OK: return "success";
	case HVB_EINVAL: return "invalid input";
	case HVB_ENOMEM: return "out of memory";
	case HVB_EIO: return "input/output error";
	case HVB_ESKIP: return "not supported here";
	case HVB_ETIMEDOUT: return "timed out";
	case HVB_EPROTO: return "agent protocol error";
	case HVB_EDB: return "result store error";
	case HVB_EINTR: return "interrupted";
	case HVB_ENOENT: return "not found";
	case HVB_ECHILD: return "child program failed";
	case HVB_ETRUNC: return "truncated input";
	case HVB_EBUSY: return "in use by another process";
	}
	return "unknown error";
}

static void default_sink(enum hvb_log_level lvl, const char *msg, void *arg)
{
	static const char *const tag[] = { "error: ", "warning: ", "", "debug: " };
	(void)arg;
	/* Messages carry what others wrote (agents, config files, probes): no control
	 * character reaches the terminal. */
	fprintf(stderr, "hvbench: %s", tag[lvl]);
	hvb_esc_write(stderr, msg, HVB_ESC_LOG);
	fputc('\n', stderr);
}

static hvb_log_sink sink = default_sink;
static void *sink_arg;
static enum hvb_log_level max_level = HVB_LOG_INFO;

void hvb_log_set_sink(hvb_log_sink s, void *arg)
{
	sink = s ? s : default_sink;
	sink_arg = arg;
}

void hvb_log_set_level(enum hvb_log_level max) { max_level = max; }

void hvb_log(enum hvb_log_level lvl, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	if (lvl > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sink(lvl, buf, sink_arg);
}
