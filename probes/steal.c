/* SPDX-License-Identifier: GPL-2.0-or-later */
/* steal: what a guest sees when its vCPUs are preempted: stolen time over the
 * sample (/proc/stat) and the target's involuntary context switches. */
#include "config.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "probes/probes-internal.h"

static const struct hvb_option steal_options[] = {
	{ .name = "root", .type = HVB_OPT_STRING, .def = "/",
	  .help = "where /proc is found (tests use recorded trees)" },
	{ 0 },
};

static const struct hvb_metric_doc steal_metrics[] = {
	{ "steal.steal_pct", "%", HVB_LOWER, "stolen share of all CPU time over the sample (/proc/stat)" },
	{ "steal.steal_ms", "ms", HVB_LOWER, "stolen CPU time over the sample, all CPUs" },
	{ "steal.nonvoluntary_ctxt", "count", HVB_LOWER, "involuntary context switches of the target" },
	{ "steal.voluntary_ctxt", "count", HVB_INFO, "voluntary context switches of the target" },
	{ 0 },
};

struct steal_state {
	char root[256];
	pid_t pid;
	struct hvb_steal_snap s[2];
};

int hvb_steal_read_stat(const char *root, uint64_t *steal, uint64_t *total)
{
	char path[512], buf[512];
	unsigned long long v[8] = { 0 };

	hvb_probe_path(path, sizeof(path), root, "/proc/stat");
	if (hvb_probe_read_file(path, buf, sizeof(buf)) < 0)
		return HVB_EIO;
	/* cpu user nice system idle iowait irq softirq steal (guest time is inside user) */
	int n = sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		       &v[6], &v[7]);
	/* Without the 8th value there is no steal to read (a cut line, or a kernel before 2.6.11):
	 * no figure, rather than a steal of 0. */
	if (n < 8) {
		hvb_log(HVB_LOG_WARN, "steal: %s: the cpu line has %d values, the steal time is the 8th: no figure",
			path, n < 0 ? 0 : n);
		return HVB_EINVAL;
	}
	*steal = v[7];
	*total = 0;
	for (int i = 0; i < 8; i++)
		*total += v[i];
	return 0;
}

/* Sums the switch counts of every thread of pid (/proc/PID/task/TID/status). */
int hvb_steal_read_ctxt(const char *root, pid_t pid, uint64_t *nonvol, uint64_t *vol)
{
	char path[512], buf[4096];
	struct dirent *de;
	DIR *d;

	*nonvol = *vol = 0;
	hvb_probe_path(path, sizeof(path), root, "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return HVB_ENOENT;
	while ((de = readdir(d))) {
		const char *p;
		if (de->d_name[0] == '.')
			continue;
		hvb_probe_path(path, sizeof(path), root, "/proc/%d/task/%s/status", (int)pid, de->d_name);
		if (hvb_probe_read_file(path, buf, sizeof(buf)) < 0)
			continue; /* a thread that just ended */
		if ((p = strstr(buf, "\nvoluntary_ctxt_switches:")))
			*vol += strtoull(strchr(p, ':') + 1, NULL, 10);
		if ((p = strstr(buf, "\nnonvoluntary_ctxt_switches:")))
			*nonvol += strtoull(strchr(p, ':') + 1, NULL, 10);
	}
	closedir(d);
	return 0;
}

static int snap(struct steal_state *st, int k)
{
	struct hvb_steal_snap *s = &st->s[k];
	int rc = hvb_steal_read_stat(st->root, &s->steal, &s->total);

	if (rc < 0)
		return rc;
	if (st->pid == getpid() && !strcmp(st->root, "/")) {
		/* Ourselves: getrusage also counts the threads that already ended (a
		 * workload's threads are gone by the time the probe stops). */
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		s->nvcsw = (uint64_t)ru.ru_nivcsw;
		s->vcsw = (uint64_t)ru.ru_nvcsw;
		getrusage(RUSAGE_CHILDREN, &ru);
		s->nvcsw += (uint64_t)ru.ru_nivcsw;
		s->vcsw += (uint64_t)ru.ru_nvcsw;
		return 0;
	}
	return hvb_steal_read_ctxt(st->root, st->pid, &s->nvcsw, &s->vcsw);
}

static int steal_supported(char *why, size_t len)
{
	uint64_t s, t;

	if (hvb_steal_read_stat("/", &s, &t) < 0) {
		snprintf(why, len, "cannot read the steal column of /proc/stat");
		return 0;
	}
	return 1;
}

static int steal_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
		      size_t len)
{
	struct steal_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return HVB_ENOMEM;
	snprintf(st->root, sizeof(st->root), "%s", hvb_param_str(p, "root"));
	st->pid = t->pid;
	if ((rc = snap(st, 0)) < 0) {
		snprintf(why, len, "cannot read /proc/stat or the switch counts of pid %d under %s", (int)t->pid,
			 st->root);
		free(st);
		return rc;
	}
	*state = st;
	return 0;
}

static int steal_start(void *state) { return snap(state, 0); }
static int steal_stop(void *state) { return snap(state, 1); }

int hvb_steal_delta(const struct hvb_steal_snap *a, const struct hvb_steal_snap *b, long hz, struct hvb_metrics *out)
{
	uint64_t ds, dt, nv, v;
	int rc = 0, have_steal = hvb_counter_delta("steal: the steal column of /proc/stat", a->steal, b->steal, &ds),
	    have_total = hvb_counter_delta("steal: the CPU time of /proc/stat", a->total, b->total, &dt);

	if (have_steal && have_total && dt > 0)
		rc |= hvb_metrics_add(out, "steal.steal_pct", 100.0 * (double)ds / (double)dt, "%", HVB_LOWER);
	if (have_steal)
		rc |= hvb_metrics_add(out, "steal.steal_ms", (double)ds * 1000.0 / (double)(hz > 0 ? hz : 100), "ms",
				      HVB_LOWER);
	if (hvb_counter_delta("steal: nonvoluntary_ctxt_switches", a->nvcsw, b->nvcsw, &nv))
		rc |= hvb_metrics_add(out, "steal.nonvoluntary_ctxt", (double)nv, "count", HVB_LOWER);
	if (hvb_counter_delta("steal: voluntary_ctxt_switches", a->vcsw, b->vcsw, &v))
		rc |= hvb_metrics_add(out, "steal.voluntary_ctxt", (double)v, "count", HVB_INFO);
	return rc ? HVB_ENOMEM : 0;
}

static int steal_collect(void *state, struct hvb_metrics *out)
{
	struct steal_state *st = state;

	return hvb_steal_delta(&st->s[0], &st->s[1], sysconf(_SC_CLK_TCK), out);
}

static void steal_close(void *state) { free(state); }

const struct hvb_probe_ops hvb_probe_steal = {
	.name = "steal",
	.summary = "stolen CPU time (/proc/stat) and involuntary context switches of the workload",
	.options = steal_options,
	.metrics = steal_metrics,
	.where = HVB_PROBE_GUEST,
	.supported = steal_supported,
	.open = steal_open,
	.start = steal_start,
	.stop = steal_stop,
	.collect = steal_collect,
	.close = steal_close,
};
