/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error strings and the one logging function of library code. */
#include "config.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	case HVB_ECONFLICT: return "conflicting figures under one natural key";
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

enum hvb_log_level hvb_log_get_level(void) { return max_level; }

/* Warnings and errors kept while a capture is on (a run, an agent's sample). */
static pthread_mutex_t cap_lock = PTHREAD_MUTEX_INITIALIZER;
static int capturing;
static char *cap_buf;
static size_t cap_len, cap_size;
#define CAP_MAX (1u << 20) /* a run that warns more keeps the first MiB, and says so */

static void cap_append(const char *s, size_t n)
{
	if (cap_len + n + 1 > cap_size) {
		size_t ns = cap_size ? cap_size : 4096;
		char *nb;
		while (ns < cap_len + n + 1)
			ns *= 2;
		if (!(nb = realloc(cap_buf, ns)))
			return;
		cap_buf = nb;
		cap_size = ns;
	}
	memcpy(cap_buf + cap_len, s, n);
	cap_len += n;
	cap_buf[cap_len] = 0;
}

void hvb_log_capture_add(const char *text)
{
	static const char cut[] = "(more warnings were logged; only the first MiB is kept)\n";

	pthread_mutex_lock(&cap_lock);
	if (capturing && cap_len < CAP_MAX) {
		size_t n = strlen(text);
		if (cap_len + n > CAP_MAX) {
			n = CAP_MAX - cap_len;
			cap_append(text, n);
			cap_append(cut, sizeof(cut) - 1);
		} else
			cap_append(text, n);
	}
	pthread_mutex_unlock(&cap_lock);
}

void hvb_log_capture_begin(void)
{
	pthread_mutex_lock(&cap_lock);
	capturing = 1;
	cap_len = 0;
	if (cap_buf)
		cap_buf[0] = 0;
	pthread_mutex_unlock(&cap_lock);
}

char *hvb_log_capture_end(void)
{
	char *s = NULL;

	pthread_mutex_lock(&cap_lock);
	capturing = 0;
	if (cap_len && (s = malloc(cap_len + 1)))
		memcpy(s, cap_buf, cap_len + 1);
	cap_len = 0;
	pthread_mutex_unlock(&cap_lock);
	return s;
}

/* "2026-12-01T10:00:00Z warning: MSG\n" into the capture. */
static void capture(enum hvb_log_level lvl, const char *msg)
{
	char line[2200], when[32] = "";
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(line, sizeof(line), "%s %s: %s\n", when, lvl == HVB_LOG_ERROR ? "error" : "warning", msg);
	hvb_log_capture_add(line);
}

void hvb_log(enum hvb_log_level lvl, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	/* A warning is kept even when -q would not print it: it belongs to the run. */
	if (lvl > max_level && lvl > HVB_LOG_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (lvl <= HVB_LOG_WARN && capturing)
		capture(lvl, buf);
	if (lvl <= max_level)
		sink(lvl, buf, sink_arg);
}
