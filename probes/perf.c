/* SPDX-License-Identifier: GPL-2.0-or-later */
/* perf: hardware and software counters of the target process and its children,
 * named as perf and libpfm4 name them, encoded by libpfm4 and counted with
 * perf_event_open. Counters are read as one group (time enabled/running, scaled
 * when multiplexed); where the kernel refuses a group read with inherit, each
 * event gets its own fd. An event this CPU or hypervisor does not expose is
 * logged once with the reason and left out; the others are still counted. */
#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "probes/probes-internal.h"

#ifdef HAVE_LIBPFM4
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#endif

static const struct hvb_option perf_options[] = {
	{ .name = "events", .type = HVB_OPT_STRING, .flags = HVB_OPT_LIST,
	  .def = "cycles,instructions,task-clock,page-faults,context-switches",
	  .help = "events as perf or libpfm4 name them: cycles, instructions, LLC-load-misses, dTLB-load-misses, "
		  "node-load-misses, task-clock, page-faults, context-switches, or a PMU event such as "
		  "INST_RETIRED:ANY_P" },
	{ .name = "group", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "read the events as one group (falls back to one fd per event when the kernel refuses)" },
	{ .name = "inherit", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "count the target's threads and children created after the probe opens" },
	{ 0 },
};

static const struct hvb_metric_doc perf_metrics[] = {
	{ "perf.%s", "count", HVB_INFO, "the event's count over the sample, scaled when multiplexed "
	  "(task-clock in ns; misses, faults and switches are costs: lower is better)" },
	{ "perf.ipc", "ratio", HVB_HIGHER, "instructions per cycle" },
	{ "perf.%s_pki", "per_kinst", HVB_LOWER, "misses of an event named *miss* per thousand instructions" },
	{ "perf.%s_running_pct", "%", HVB_INFO, "share of the time the event was on the PMU (multiplexing)" },
	{ 0 },
};

int hvb_perf_scale(const char *event, const uint64_t before[3], const uint64_t after[3], double *count,
		   double *running_pct)
{
	char what[3][96];
	uint64_t d[3];
	static const char *const part[3] = { "count", "time_enabled", "time_running" };

	for (int k = 0; k < 3; k++) {
		snprintf(what[k], sizeof(what[k]), "perf: %s %s", event, part[k]);
		if (!hvb_counter_delta(what[k], before[k], after[k], &d[k]))
			return 0;
	}
	*count = (double)d[0];
	*running_pct = 100;
	if (d[1] > 0 && d[2] == 0)
		return HVB_ESKIP;
	/* Multiplexed: scaled by enabled/running. Running beyond enabled cannot
	 * be; it is taken as not multiplexed. */
	if (d[2] > 0 && d[2] < d[1]) {
		*count *= (double)d[1] / (double)d[2];
		*running_pct = 100.0 * (double)d[2] / (double)d[1];
	}
	return 1;
}

#ifdef HAVE_LIBPFM4

#define PERF_MAX_EVENTS 32

struct perf_event {
	char name[64];
	int fd;
	uint64_t id;
	uint64_t v0[3], v1[3]; /* value, time enabled, time running: at start and at stop */
};

struct perf_state {
	struct perf_event ev[PERF_MAX_EVENTS];
	size_t n;
	int grouped; /* ev[0] leads a group read with PERF_FORMAT_GROUP */
};

/* "Unsupported" is said once per event name and process, not every sample. */
static char warned[PERF_MAX_EVENTS * 4][64];
static size_t nwarned;

static void warn_once(const char *name, const char *why)
{
	for (size_t i = 0; i < nwarned; i++)
		if (!strcmp(warned[i], name))
			return;
	if (nwarned < sizeof(warned) / sizeof(warned[0]))
		snprintf(warned[nwarned++], sizeof(warned[0]), "%s", name);
	hvb_log(HVB_LOG_WARN, "perf: event %s not counted: %s", name, why);
}

static int pfm_ready(char *why, size_t len)
{
	static int rc = -1;

	if (rc < 0)
		rc = pfm_initialize();
	if (rc != PFM_SUCCESS) {
		snprintf(why, len, "libpfm4 failed to initialise: %s", pfm_strerror(rc));
		return 0;
	}
	return 1;
}

static int perf_supported(char *why, size_t len)
{
	FILE *f = fopen("/proc/sys/kernel/perf_event_paranoid", "r");
	int paranoid = 2;

	if (!f) {
		snprintf(why, len, "the kernel has no perf_event_open (no /proc/sys/kernel/perf_event_paranoid)");
		return 0;
	}
	if (fscanf(f, "%d", &paranoid) != 1)
		paranoid = 2;
	fclose(f);
	if (paranoid > 2 && geteuid() != 0) {
		snprintf(why, len, "perf_event_paranoid is %d: only root may count events", paranoid);
		return 0;
	}
	return pfm_ready(why, len);
}

static long sys_perf_event_open(struct perf_event_attr *a, pid_t pid, int cpu, int group, unsigned long flags)
{
	return syscall(SYS_perf_event_open, a, pid, cpu, group, flags);
}

/* Encodes one event name with libpfm4 into attr. */
static int encode(const char *name, struct perf_event_attr *attr, char *why, size_t len)
{
	pfm_perf_encode_arg_t arg;
	int rc;

	memset(&arg, 0, sizeof(arg));
	memset(attr, 0, sizeof(*attr));
	arg.attr = attr;
	arg.size = sizeof(arg);
	rc = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
	if (rc != PFM_SUCCESS) {
		snprintf(why, len, "libpfm4 cannot encode it: %s", pfm_strerror(rc));
		return HVB_EINVAL;
	}
	attr->size = sizeof(*attr);
	return 0;
}

static const char *open_error(int err)
{
	switch (err) {
	case ENOENT:
	case EOPNOTSUPP:
		return "not supported: the CPU or the hypervisor exposes no such counter";
	case EACCES:
	case EPERM:
		return "permission denied (perf_event_paranoid, or not root)";
	case ESRCH:
		return "the target process is gone";
	default:
		return strerror(err);
	}
}

/* Opens ev[i]; group < 0 makes it a leader. */
static int open_one(struct perf_state *st, size_t i, pid_t pid, int group, int inherit, int group_read)
{
	struct perf_event_attr a;
	char why[256];

	if (encode(st->ev[i].name, &a, why, sizeof(why)) < 0)
		return HVB_EINVAL;
	a.disabled = group < 0;
	a.inherit = inherit;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING | PERF_FORMAT_ID;
	if (group_read)
		a.read_format |= PERF_FORMAT_GROUP;
	st->ev[i].fd = (int)sys_perf_event_open(&a, pid, -1, group, PERF_FLAG_FD_CLOEXEC);
	if (st->ev[i].fd < 0)
		return -errno;
	if (ioctl(st->ev[i].fd, PERF_EVENT_IOC_ID, &st->ev[i].id) < 0)
		st->ev[i].id = 0;
	return 0;
}

static void close_all(struct perf_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->ev[i].fd >= 0) {
			close(st->ev[i].fd);
			st->ev[i].fd = -1;
		}
}

/* Drops ev[i] from the list. */
static void drop(struct perf_state *st, size_t i)
{
	memmove(&st->ev[i], &st->ev[i + 1], (st->n - i - 1) * sizeof(st->ev[0]));
	st->n--;
}

/* Each event alone first: that is where "not supported" shows, per event. Then,
 * when asked, the survivors as one group; if the kernel refuses a group read
 * with inherit (older kernels), they stay on their own fds. */
static int open_events(struct perf_state *st, pid_t pid, int inherit, int group)
{
	for (size_t i = 0; i < st->n;) {
		int rc = open_one(st, i, pid, -1, inherit, 0);
		if (rc == HVB_EINVAL) {
			char why[256];
			struct perf_event_attr a;
			encode(st->ev[i].name, &a, why, sizeof(why));
			warn_once(st->ev[i].name, why);
			drop(st, i);
		} else if (rc < 0) {
			if (rc == -ESRCH)
				return HVB_ENOENT;
			warn_once(st->ev[i].name, open_error(-rc));
			drop(st, i);
		} else
			i++;
	}
	if (!group || st->n < 2)
		return 0;
	close_all(st);
	int rc = open_one(st, 0, pid, -1, inherit, 1);
	for (size_t i = 1; rc == 0 && i < st->n; i++)
		rc = open_one(st, i, pid, st->ev[0].fd, inherit, 1);
	if (rc == 0) {
		st->grouped = 1;
		return 0;
	}
	hvb_log(HVB_LOG_INFO, "perf: group read with inherit refused (%s); one fd per event", strerror(-rc));
	close_all(st);
	for (size_t i = 0; i < st->n; i++)
		if ((rc = open_one(st, i, pid, -1, inherit, 0)) < 0)
			return HVB_EIO;
	return 0;
}

static int perf_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
		     size_t len)
{
	struct perf_state *st;
	char **w;
	size_t n;
	int rc;

	if (!pfm_ready(why, len))
		return HVB_ESKIP;
	if ((rc = hvb_split_list(hvb_param_str(p, "events"), &w, &n)) < 0) {
		snprintf(why, len, "bad events list");
		return rc;
	}
	if (!(st = calloc(1, sizeof(*st)))) {
		hvb_words_free(w, n);
		return HVB_ENOMEM;
	}
	for (size_t i = 0; i < n && st->n < PERF_MAX_EVENTS; i++) {
		if (strlen(w[i]) >= sizeof(st->ev[0].name)) {
			warn_once(w[i], "name too long");
			continue;
		}
		snprintf(st->ev[st->n].name, sizeof(st->ev[0].name), "%s", w[i]);
		st->ev[st->n++].fd = -1;
	}
	hvb_words_free(w, n);
	rc = open_events(st, t->pid, hvb_param_bool(p, "inherit"), hvb_param_bool(p, "group"));
	if (rc == 0 && st->n == 0) {
		snprintf(why, len, "none of the events can be counted here (see the warnings)");
		rc = HVB_ESKIP;
	} else if (rc < 0)
		snprintf(why, len, "cannot open the events on pid %d: %s", (int)t->pid, hvb_strerror(rc));
	if (rc < 0) {
		close_all(st);
		free(st);
		return rc;
	}
	*state = st;
	return 0;
}

/* Reads every event's value, time enabled and time running into v[]. */
static int read_all(struct perf_state *st, int at_stop)
{
	uint64_t buf[3 + 2 * PERF_MAX_EVENTS];

	if (st->grouped) {
		/* nr, time_enabled, time_running, then {value, id} per event */
		ssize_t got = read(st->ev[0].fd, buf, sizeof(buf));
		if (got < (ssize_t)(3 * sizeof(uint64_t)))
			return HVB_EIO;
		for (uint64_t k = 0; k < buf[0] && k < PERF_MAX_EVENTS; k++)
			for (size_t i = 0; i < st->n; i++)
				if (st->ev[i].id == buf[4 + 2 * k]) {
					uint64_t *v = at_stop ? st->ev[i].v1 : st->ev[i].v0;
					v[0] = buf[3 + 2 * k];
					v[1] = buf[1];
					v[2] = buf[2];
				}
		return 0;
	}
	for (size_t i = 0; i < st->n; i++) {
		/* value, time_enabled, time_running, id */
		uint64_t *v = at_stop ? st->ev[i].v1 : st->ev[i].v0;
		if (read(st->ev[i].fd, buf, 4 * sizeof(uint64_t)) < (ssize_t)(3 * sizeof(uint64_t)))
			return HVB_EIO;
		memcpy(v, buf, 3 * sizeof(uint64_t));
	}
	return 0;
}

static int ioctl_all(struct perf_state *st, unsigned long req)
{
	int rc = 0;

	for (size_t i = 0; i < (st->grouped ? 1 : st->n); i++)
		if (ioctl(st->ev[i].fd, req, st->grouped ? PERF_IOC_FLAG_GROUP : 0) < 0)
			rc = HVB_EIO;
	return rc;
}

/* Counts of inherited events keep what exited children added (a reset would not
 * clear it), so a sample's figure is the difference of two reads. */
static int perf_start(void *state)
{
	struct perf_state *st = state;
	int rc = read_all(st, 0);

	return ioctl_all(st, PERF_EVENT_IOC_ENABLE) < 0 ? HVB_EIO : rc;
}

static int perf_stop(void *state)
{
	struct perf_state *st = state;
	int rc = ioctl_all(st, PERF_EVENT_IOC_DISABLE);

	return read_all(st, 1) < 0 ? HVB_EIO : rc;
}

static enum hvb_better judge(const char *name)
{
	if (strcasestr(name, "miss") || strcasestr(name, "fault") || strcasestr(name, "switch") ||
	    !strcasecmp(name, "cs") || strcasestr(name, "migration"))
		return HVB_LOWER;
	return HVB_INFO;
}

/* Metric names keep the event's name, with characters outside [A-Za-z0-9._-]
 * (the ':' of PMU modifiers) turned into '_'. */
static void metric_name(const char *event, char *out, size_t len)
{
	size_t i;

	for (i = 0; event[i] && i + 1 < len; i++)
		out[i] = isalnum((unsigned char)event[i]) || strchr("._-", event[i]) ? event[i] : '_';
	out[i] = 0;
}

static int perf_collect(void *state, struct hvb_metrics *out)
{
	struct perf_state *st = state;
	double cycles = -1, instructions = -1, val[PERF_MAX_EVENTS];
	char nm[64];
	int rc = 0;

	for (size_t i = 0; i < st->n; i++) {
		struct perf_event *e = &st->ev[i];
		double v, pct;
		int got = hvb_perf_scale(e->name, e->v0, e->v1, &v, &pct);
		if (got != 1) {
			/* Enabled but never on the PMU, or a count that went backwards: no figure rather than a zero. */
			if (got == HVB_ESKIP)
				warn_once(e->name, "never scheduled on the PMU during the sample (too many events?)");
			val[i] = -1;
			continue;
		}
		val[i] = v;
		metric_name(e->name, nm, sizeof(nm));
		rc |= hvb_metrics_addf(out, v, strcasestr(e->name, "clock") ? "ns" : "count", judge(e->name),
				       "perf.%s", nm);
		if (pct < 100)
			rc |= hvb_metrics_addf(out, pct, "%", HVB_INFO, "perf.%s_running_pct", nm);
		if (!strcmp(e->name, "cycles") || !strcmp(e->name, "cpu-cycles"))
			cycles = v;
		else if (!strcmp(e->name, "instructions"))
			instructions = v;
	}
	if (cycles > 0 && instructions >= 0)
		rc |= hvb_metrics_add(out, "perf.ipc", instructions / cycles, "ratio", HVB_HIGHER);
	for (size_t i = 0; instructions > 0 && i < st->n; i++)
		if (val[i] >= 0 && strcasestr(st->ev[i].name, "miss")) {
			metric_name(st->ev[i].name, nm, sizeof(nm));
			rc |= hvb_metrics_addf(out, val[i] * 1000.0 / instructions, "per_kinst", HVB_LOWER,
					       "perf.%s_pki", nm);
		}
	return rc ? HVB_ENOMEM : 0;
}

static void perf_close(void *state)
{
	struct perf_state *st = state;

	if (!st)
		return;
	close_all(st);
	free(st);
}

#else /* !HAVE_LIBPFM4 */

static int perf_supported(char *why, size_t len)
{
	snprintf(why, len, "built without libpfm4 (configure --with-libpfm4; Debian: libpfm4-dev)");
	return 0;
}

static int perf_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
		     size_t len)
{
	perf_supported(why, len);
	return HVB_ESKIP;
}

static int perf_start(void *state) { return HVB_ESKIP; }
static int perf_stop(void *state) { return HVB_ESKIP; }
static int perf_collect(void *state, struct hvb_metrics *out) { return HVB_ESKIP; }
static void perf_close(void *state) {}

#endif

const struct hvb_probe_ops hvb_probe_perf = {
	.name = "perf",
	.summary = "hardware and software counters (libpfm4 names, perf_event_open), IPC, misses per 1000 instructions",
	.options = perf_options,
	.metrics = perf_metrics,
	.where = HVB_PROBE_HOST | HVB_PROBE_GUEST,
	.supported = perf_supported,
	.open = perf_open,
	.start = perf_start,
	.stop = perf_stop,
	.collect = perf_collect,
	.close = perf_close,
};
