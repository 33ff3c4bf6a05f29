/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers the probes share: small files, paths under a root, counter deltas. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/probes-internal.h"

ssize_t hvb_probe_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t got = 0;

	if (fd < 0)
		return errno == ENOENT ? HVB_ENOENT : HVB_EIO;
	while (got + 1 < len) {
		ssize_t r = read(fd, buf + got, len - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return HVB_EIO;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = 0;
	return (ssize_t)got;
}

int hvb_probe_read_u64(const char *path, uint64_t *out)
{
	char buf[64], *end;
	ssize_t n = hvb_probe_read_file(path, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	errno = 0;
	*out = strtoull(buf, &end, 10);
	if (errno || end == buf)
		return HVB_EINVAL;
	return 0;
}

void hvb_probe_path(char *out, size_t len, const char *root, const char *fmt, ...)
{
	va_list ap;
	size_t off;

	snprintf(out, len, "%s", root && strcmp(root, "/") ? root : "");
	off = strlen(out);
	while (off && out[off - 1] == '/')
		out[--off] = 0;
	va_start(ap, fmt);
	vsnprintf(out + off, len - off, fmt, ap);
	va_end(ap);
}

int hvb_counter_add(struct hvb_metrics *snap, const char *name, double value)
{
	for (size_t i = 0; i < snap->n; i++)
		if (!strcmp(snap->m[i].name, name)) {
			snap->m[i].value += value;
			return 0;
		}
	return hvb_metrics_add(snap, name, value, "count", HVB_INFO);
}

int hvb_counter_delta(const char *counter, uint64_t before, uint64_t after, uint64_t *out)
{
	if (after < before) {
		hvb_log(HVB_LOG_WARN,
			"%s went backwards during the sample (from %llu to %llu: reset, wrapped or migrated): no figure "
			"for this sample",
			counter, (unsigned long long)before, (unsigned long long)after);
		return 0;
	}
	*out = after - before;
	return 1;
}

/* Snapshot values are sums of unsigned counters kept as doubles. */
static uint64_t as_count(double v) { return v > 0 ? (uint64_t)v : 0; }

int hvb_counters_delta(const struct hvb_metrics *before, const struct hvb_metrics *after, const char *prefix,
		       const struct hvb_counter_doc *docs, struct hvb_metrics *out)
{
	int rc = 0;

	for (size_t i = 0; i < after->n; i++) {
		const struct hvb_metric *b = hvb_metrics_get(before, after->m[i].name);
		const char *unit = "count";
		enum hvb_better better = HVB_INFO;

		char what[160];
		uint64_t d;

		/* A counter that appeared during the sample (a device plugged in) counts from zero. */
		snprintf(what, sizeof(what), "%s.%s", prefix, after->m[i].name);
		if (!hvb_counter_delta(what, as_count(b ? b->value : 0), as_count(after->m[i].value), &d))
			continue;
		for (const struct hvb_counter_doc *dd = docs; dd && dd->name; dd++)
			if (!strcmp(dd->name, after->m[i].name)) {
				unit = dd->unit;
				better = dd->better;
				break;
			}
		rc |= hvb_metrics_addf(out, (double)d, unit, better, "%s", what);
	}
	return rc ? HVB_EINVAL : 0;
}

int hvb_probe_in_dom0(void)
{
	char caps[128];

	return hvb_probe_read_file("/proc/xen/capabilities", caps, sizeof(caps)) >= 0 && strstr(caps, "control_d");
}

int hvb_metric_value(const struct hvb_metrics *ms, const char *name, const char *unit, double *v)
{
	const struct hvb_metric *m = hvb_metrics_get(ms, name);

	if (!m || (unit && strcmp(m->unit, unit)))
		return 0;
	*v = m->value;
	return 1;
}
