/* SPDX-License-Identifier: GPL-2.0-or-later */
/* numa: where the target's memory is (/proc/PID/numa_maps, per node) and what
 * the system's NUMA allocation counters did over the sample
 * (/sys/devices/system/node/node*\/numastat): the evidence that a placement did
 * what it claimed. A workload frees its memory before the probe stops, so
 * numa_maps is also read by a thread during the sample, and the figure is the
 * largest footprint seen. */
#include "config.h"
#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "probes/probes-internal.h"

#define NUMA_MAX_NODES 64

static const struct hvb_option numa_options[] = {
	{ .name = "interval", .type = HVB_OPT_TIME, .def = "250ms", .min = 0.001, .max = 60,
	  .help = "how often numa_maps is read during the sample" },
	{ .name = "root", .type = HVB_OPT_STRING, .def = "/",
	  .help = "where /proc and /sys are found (tests use recorded trees)" },
	{ 0 },
};

static const struct hvb_metric_doc numa_metrics[] = {
	{ "numa.node%s.pages", "pages", HVB_INFO,
	  "base pages of the target on the node, at its largest footprint during the sample" },
	{ "numa.local_pct", "%", HVB_HIGHER, "share of the system's allocations on the local node (local_node)" },
	{ "numa.%s", "pages", HVB_INFO,
	  "system numastat counter over the sample: numa_hit numa_miss numa_foreign interleave_hit local_node "
	  "other_node (numa_miss, numa_foreign and other_node are costs)" },
	{ 0 },
};

static const struct hvb_counter_doc numastat_docs[] = {
	{ "numa_miss", "pages", HVB_LOWER },
	{ "numa_foreign", "pages", HVB_LOWER },
	{ "other_node", "pages", HVB_LOWER },
	{ "numa_hit", "pages", HVB_INFO },
	{ "interleave_hit", "pages", HVB_INFO },
	{ "local_node", "pages", HVB_INFO },
	{ 0 },
};

/* Sums the "N<node>=<pages>" fields of a numa_maps file into pages[] in base
 * pages (huge page mappings count their size in base pages). Returns the
 * number of nodes seen (highest + 1) or a negative code. */
int hvb_numa_maps_read(const char *path, uint64_t *pages, int maxnodes)
{
	FILE *f = fopen(path, "re");
	char line[4096];
	long base_kb = sysconf(_SC_PAGESIZE) / 1024;
	int hi = 0;

	if (!f)
		return HVB_ENOENT;
	memset(pages, 0, (size_t)maxnodes * sizeof(*pages));
	while (fgets(line, sizeof(line), f)) {
		uint64_t kb = (uint64_t)base_kb;
		char *p = strstr(line, " kernelpagesize_kB=");
		if (p)
			kb = strtoull(p + 19, NULL, 10);
		for (p = line; (p = strstr(p, " N")); p += 2) {
			char *end;
			long node = strtol(p + 2, &end, 10);
			if (end == p + 2 || *end != '=' || node < 0 || node >= maxnodes)
				continue;
			pages[node] += strtoull(end + 1, NULL, 10) * (kb / (uint64_t)(base_kb > 0 ? base_kb : 4));
			if (node + 1 > hi)
				hi = (int)node + 1;
		}
	}
	fclose(f);
	return hi;
}

/* Sums every node's numastat into snap, one counter per name. */
int hvb_numastat_read(const char *root, struct hvb_metrics *snap)
{
	char path[512], buf[1024];
	struct dirent *de;
	DIR *d;
	int nodes = 0;

	hvb_probe_path(path, sizeof(path), root, "/sys/devices/system/node");
	if (!(d = opendir(path)))
		return HVB_ENOENT;
	while ((de = readdir(d))) {
		char *line, *save = NULL;
		if (strncmp(de->d_name, "node", 4) || !isdigit((unsigned char)de->d_name[4]))
			continue;
		hvb_probe_path(path, sizeof(path), root, "/sys/devices/system/node/%s/numastat", de->d_name);
		if (hvb_probe_read_file(path, buf, sizeof(buf)) < 0)
			continue;
		nodes++;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char name[64];
			unsigned long long v;
			if (sscanf(line, "%63s %llu", name, &v) == 2 && hvb_counter_add(snap, name, (double)v) < 0) {
				closedir(d);
				return HVB_ENOMEM;
			}
		}
	}
	closedir(d);
	return nodes ? 0 : HVB_ENOENT;
}

struct numa_state {
	char root[256], maps[512];
	double interval;
	struct hvb_metrics stat0, stat1;
	uint64_t peak[NUMA_MAX_NODES];
	int nodes;
	pthread_t th;
	int running;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
};

/* Keeps the numa_maps reading with the largest total. */
static void sample_maps(struct numa_state *st)
{
	uint64_t pages[NUMA_MAX_NODES], tot = 0, peak = 0;
	int n = hvb_numa_maps_read(st->maps, pages, NUMA_MAX_NODES);

	if (n < 0)
		return;
	for (int i = 0; i < NUMA_MAX_NODES; i++) {
		tot += pages[i];
		peak += st->peak[i];
	}
	if (tot >= peak) {
		memcpy(st->peak, pages, sizeof(pages));
		if (n > st->nodes)
			st->nodes = n;
	}
}

static void *sampler(void *arg)
{
	struct numa_state *st = arg;

	pthread_mutex_lock(&st->mu);
	while (!st->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)st->interval;
		ts.tv_nsec += (long)((st->interval - (double)(time_t)st->interval) * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&st->cv, &st->mu, &ts);
		if (!st->stop)
			sample_maps(st);
	}
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

static int numa_supported(char *why, size_t len)
{
	if (access("/proc/self/numa_maps", R_OK) || access("/sys/devices/system/node", R_OK)) {
		snprintf(why, len, "the kernel has no NUMA support (no /proc/self/numa_maps or /sys/devices/system/node)");
		return 0;
	}
	return 1;
}

static int numa_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
		     size_t len)
{
	struct numa_state *st = calloc(1, sizeof(*st));
	uint64_t pages[NUMA_MAX_NODES];

	if (!st)
		return HVB_ENOMEM;
	snprintf(st->root, sizeof(st->root), "%s", hvb_param_str(p, "root"));
	st->interval = hvb_param_time(p, "interval");
	hvb_probe_path(st->maps, sizeof(st->maps), st->root, "/proc/%d/numa_maps", (int)t->pid);
	if (hvb_numa_maps_read(st->maps, pages, NUMA_MAX_NODES) < 0) {
		snprintf(why, len, "cannot read %s", st->maps);
		free(st);
		return HVB_ENOENT;
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->cv, NULL);
	*state = st;
	return 0;
}

static int numa_start(void *state)
{
	struct numa_state *st = state;

	hvb_metrics_free(&st->stat0);
	hvb_metrics_free(&st->stat1);
	memset(st->peak, 0, sizeof(st->peak));
	st->nodes = 0;
	sample_maps(st);
	if (hvb_numastat_read(st->root, &st->stat0) < 0)
		hvb_log(HVB_LOG_DEBUG, "numa: no numastat under %s", st->root);
	st->stop = 0;
	st->running = pthread_create(&st->th, NULL, sampler, st) == 0;
	return 0;
}

static int numa_stop(void *state)
{
	struct numa_state *st = state;

	if (st->running) {
		pthread_mutex_lock(&st->mu);
		st->stop = 1;
		pthread_cond_signal(&st->cv);
		pthread_mutex_unlock(&st->mu);
		pthread_join(st->th, NULL);
		st->running = 0;
	}
	hvb_numastat_read(st->root, &st->stat1);
	sample_maps(st);
	return 0;
}

static int numa_collect(void *state, struct hvb_metrics *out)
{
	struct numa_state *st = state;
	const struct hvb_metric *loc, *oth;
	int rc = 0;

	for (int i = 0; i < st->nodes; i++)
		rc |= hvb_metrics_addf(out, (double)st->peak[i], "pages", HVB_INFO, "numa.node%d.pages", i);
	if (st->stat1.n) {
		struct hvb_metrics d = { 0 };
		rc |= hvb_counters_delta(&st->stat0, &st->stat1, "numa", numastat_docs, &d);
		loc = hvb_metrics_get(&d, "numa.local_node");
		oth = hvb_metrics_get(&d, "numa.other_node");
		for (size_t i = 0; i < d.n; i++)
			rc |= hvb_metrics_add(out, d.m[i].name, d.m[i].value, d.m[i].unit, d.m[i].better);
		if (loc && oth && loc->value + oth->value > 0)
			rc |= hvb_metrics_add(out, "numa.local_pct", 100.0 * loc->value / (loc->value + oth->value), "%",
					      HVB_HIGHER);
		hvb_metrics_free(&d);
	}
	return rc ? HVB_ENOMEM : 0;
}

static void numa_close(void *state)
{
	struct numa_state *st = state;

	if (!st)
		return;
	if (st->running)
		numa_stop(st);
	hvb_metrics_free(&st->stat0);
	hvb_metrics_free(&st->stat1);
	pthread_mutex_destroy(&st->mu);
	pthread_cond_destroy(&st->cv);
	free(st);
}

const struct hvb_probe_ops hvb_probe_numa = {
	.name = "numa",
	.summary = "per-node memory of the workload (numa_maps) and the system's numastat counters over the sample",
	.options = numa_options,
	.metrics = numa_metrics,
	.where = HVB_PROBE_HOST | HVB_PROBE_GUEST,
	.supported = numa_supported,
	.open = numa_open,
	.start = numa_start,
	.stop = numa_stop,
	.collect = numa_collect,
	.close = numa_close,
};
