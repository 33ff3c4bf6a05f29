/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probe-test: drives the probes for the tests and the overhead benchmark.
 *   probe-test run PROBE [KEY=VALUE ...] -- CMD [ARG ...]
 *       opens PROBE on a child that runs CMD (as the runner does around the
 *       agent), starts it, lets the child exec, waits for it, stops, collects and
 *       prints the metrics one per line: "NAME VALUE UNIT BETTER"
 *   probe-test hold PROBE [KEY=VALUE ...]
 *       opens and starts PROBE on itself, prints "ready", and waits to be killed
 *   probe-test touch MIB [NODE]   a workload: binds its memory to NODE (libnuma), touches MIB MiB, holds
 *                                 it for 300 ms, exits
 *   probe-test mmap-storm THREADS N  a workload: THREADS threads each mmap, touch and munmap N times
 *                                 (contention on the mmap_lock rwsem)
 *   probe-test cleanup-stale      runs hvb_tracefs_cleanup_stale(), prints the count
 *   probe-test numa-maps FILE     pages per node of a numa_maps file
 *   probe-test numastat ROOT      summed numastat counters under ROOT
 *   probe-test stat ROOT          steal and total ticks of ROOT/proc/stat
 *   probe-test ctxt ROOT PID      context switches of PID's threads under ROOT
 *   probe-test blkback ROOT DOMID the summed vbd statistics of DOMID under ROOT
 *   probe-test vifs ROOT DOMID    the vif interface names of DOMID under ROOT
 *   probe-test netback ROOT DOMID the summed vif counters of DOMID under ROOT
 *   probe-test ethtool IFNAME     the interface's ethtool statistics
 *   probe-test delta KIND ROOT_A ROOT_B [DOMID]
 *                                 the figures a probe makes of two readings (KIND: steal, numastat,
 *                                 blkback, netback), one taken under ROOT_A and one under ROOT_B
 *   probe-test perf-scale EVENT V0 EN0 RUN0 V1 EN1 RUN1
 *                                 a perf event's figure from its two readings (value, enabled, running)
 * Exit: 0 ok, 1 failure, 2 usage, 77 the probe cannot run here. */
#include "config.h"
#include <numa.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "probes/probes-internal.h"

static void print_metrics(const struct hvb_metrics *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		printf("%s %.17g %s %s\n", ms->m[i].name, ms->m[i].value, ms->m[i].unit,
		       hvb_better_name(ms->m[i].better));
}

static void log_sink(enum hvb_log_level lvl, const char *msg, void *arg)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	fprintf(stderr, "probe-test: %s: %s\n", names[lvl], msg);
}

/* Opens the probe named argv[0] with argv[1..] as KEY=VALUE until "--". */
static int open_probe(const struct hvb_probe_ops **po, void **st, int argc, char **argv, pid_t pid, int *used)
{
	struct hvb_probe_target t = { .pid = pid, .domid = -1 };
	struct hvb_params p;
	char why[512] = "", err[512];
	int i, rc;

	if (!(*po = hvb_probe_find(argv[0]))) {
		fprintf(stderr, "probe-test: no probe '%s'\n", argv[0]);
		return 2;
	}
	if (!(*po)->supported(why, sizeof(why))) {
		printf("SKIP %s: %s\n", argv[0], why);
		return 77;
	}
	hvb_params_init(&p, (*po)->options);
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		char *eq = strchr(argv[i], '=');
		if (!eq) {
			fprintf(stderr, "probe-test: '%s' is not KEY=VALUE\n", argv[i]);
			return 2;
		}
		*eq = 0;
		if (hvb_params_set(&p, argv[i], eq + 1, err, sizeof(err)) < 0) {
			fprintf(stderr, "probe-test: %s\n", err);
			return 2;
		}
	}
	*used = i;
	rc = (*po)->open(&p, &t, st, why, sizeof(why));
	hvb_params_free(&p);
	if (rc < 0) {
		printf("%s %s: %s\n", rc == HVB_ESKIP ? "SKIP" : "ERROR", argv[0], why);
		return rc == HVB_ESKIP ? 77 : 1;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	const struct hvb_probe_ops *po;
	struct hvb_metrics ms = { 0 };
	int gate[2], used = 0, rc, status;
	void *st = NULL;
	pid_t child;
	char c;

	if (pipe(gate) < 0)
		return 1;
	/* The child waits until the probe is on it, then becomes CMD. */
	if ((child = fork()) == 0) {
		close(gate[1]);
		if (read(gate[0], &c, 1) != 1)
			_exit(126);
		close(gate[0]);
		for (int i = 0; i < argc; i++)
			if (!strcmp(argv[i], "--")) {
				execvp(argv[i + 1], &argv[i + 1]);
				perror("probe-test: exec");
			}
		_exit(127);
	}
	close(gate[0]);
	fprintf(stderr, "probe-test: pid %d\n", (int)getpid());
	if ((rc = open_probe(&po, &st, argc, argv, child, &used)) != 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return rc;
	}
	if (used >= argc - 1) {
		fprintf(stderr, "probe-test: run needs -- CMD\n");
		return 2;
	}
	if (po->start(st) < 0)
		fprintf(stderr, "probe-test: start failed\n");
	if (write(gate[1], "g", 1) != 1)
		return 1;
	close(gate[1]);
	{
		struct rusage ru;
		wait4(child, &status, 0, &ru);
		/* The child's own CPU time, to compare task-clock against. */
		hvb_metrics_add(&ms, "child.cpu_ns",
				(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3,
				"ns", HVB_INFO);
	}
	if (po->stop(st) < 0)
		fprintf(stderr, "probe-test: stop failed\n");
	rc = po->collect(st, &ms);
	po->close(st);
	print_metrics(&ms);
	hvb_metrics_free(&ms);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "probe-test: the command failed (status %d)\n", status);
		return 1;
	}
	return rc < 0 ? 1 : 0;
}

static int cmd_hold(int argc, char **argv)
{
	const struct hvb_probe_ops *po;
	void *st = NULL;
	int used, rc;

	/* A background job of a non-interactive shell starts with SIGINT ignored;
	 * a process in the foreground of a terminal, where Ctrl-C comes from, has
	 * the default. */
	signal(SIGINT, SIG_DFL);
	rc = open_probe(&po, &st, argc, argv, getpid(), &used);

	if (rc)
		return rc;
	po->start(st);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_parser(const char *what, int argc, char **argv)
{
	struct hvb_metrics ms = { 0 };
	int rc = 0;

	if (!strcmp(what, "numa-maps") && argc == 1) {
		uint64_t pages[64];
		int n = hvb_numa_maps_read(argv[0], pages, 64);
		for (int i = 0; i < n; i++)
			printf("node%d %llu\n", i, (unsigned long long)pages[i]);
		return n < 0;
	}
	if (!strcmp(what, "stat") && argc == 1) {
		uint64_t s, t;
		if (hvb_steal_read_stat(argv[0], &s, &t) < 0)
			return 1;
		printf("steal %llu\ntotal %llu\n", (unsigned long long)s, (unsigned long long)t);
		return 0;
	}
	if (!strcmp(what, "ctxt") && argc == 2) {
		uint64_t nv, v;
		if (hvb_steal_read_ctxt(argv[0], (pid_t)atoi(argv[1]), &nv, &v) < 0)
			return 1;
		printf("nonvoluntary %llu\nvoluntary %llu\n", (unsigned long long)nv, (unsigned long long)v);
		return 0;
	}
	if (!strcmp(what, "vifs") && argc == 2) {
		char names[16][HVB_IFNAMSIZ];
		int n = hvb_netback_vifs(argv[0], atoi(argv[1]), names, 16);
		for (int i = 0; i < n; i++)
			printf("%s\n", names[i]);
		return n < 0;
	}
	if (!strcmp(what, "numastat") && argc == 1)
		rc = hvb_numastat_read(argv[0], &ms);
	else if (!strcmp(what, "blkback") && argc == 2)
		rc = hvb_blkback_read(argv[0], atoi(argv[1]), &ms);
	else if (!strcmp(what, "netback") && argc == 2)
		rc = hvb_netback_read(argv[0], atoi(argv[1]), &ms);
	else if (!strcmp(what, "ethtool") && argc == 1) {
		rc = hvb_ethtool_stats(argv[0], &ms);
		if (rc == HVB_ESKIP) {
			printf("SKIP %s keeps no ethtool statistics\n", argv[0]);
			return 77;
		}
	} else {
		fprintf(stderr, "probe-test: bad command or arguments (see the source's header)\n");
		return 2;
	}
	if (rc >= 0)
		for (size_t i = 0; i < ms.n; i++)
			printf("%s %.17g\n", ms.m[i].name, ms.m[i].value);
	hvb_metrics_free(&ms);
	return rc < 0;
}

/* The same parsers, read twice, through the probes' own delta code. */
static int cmd_delta(int argc, char **argv)
{
	struct hvb_metrics a = { 0 }, b = { 0 }, out = { 0 };
	int (*read_dom)(const char *, int, struct hvb_metrics *) = NULL;
	int domid = argc > 3 ? atoi(argv[3]) : 0, rc = 0;

	if (argc < 3)
		return 2;
	if (!strcmp(argv[0], "steal")) {
		struct hvb_steal_snap s[2] = { { 0 } };
		for (int k = 0; k < 2; k++)
			if (hvb_steal_read_stat(argv[1 + k], &s[k].steal, &s[k].total) < 0)
				return 1;
		rc = hvb_steal_delta(&s[0], &s[1], 100, &out);
	} else {
		if (!strcmp(argv[0], "blkback"))
			read_dom = hvb_blkback_read;
		else if (!strcmp(argv[0], "netback"))
			read_dom = hvb_netback_read;
		else if (strcmp(argv[0], "numastat"))
			return 2;
		if (read_dom ? read_dom(argv[1], domid, &a) < 0 || read_dom(argv[2], domid, &b) < 0
			     : hvb_numastat_read(argv[1], &a) < 0 || hvb_numastat_read(argv[2], &b) < 0)
			return 1;
		rc = hvb_counters_delta(&a, &b, argv[0], NULL, &out);
	}
	print_metrics(&out);
	hvb_metrics_free(&a);
	hvb_metrics_free(&b);
	hvb_metrics_free(&out);
	return rc < 0;
}

static int cmd_perf_scale(char **argv)
{
	uint64_t r[2][3];
	double count, pct;
	int rc;

	for (int i = 0; i < 6; i++)
		r[i / 3][i % 3] = strtoull(argv[1 + i], NULL, 10);
	rc = hvb_perf_scale(argv[0], r[0], r[1], &count, &pct);
	if (rc == 1)
		printf("count %.17g\nrunning_pct %.17g\n", count, pct);
	else
		printf("no figure (%s)\n", rc == HVB_ESKIP ? "never on the PMU" : "went backwards");
	return 0;
}

static int cmd_touch(int argc, char **argv)
{
	size_t len = (size_t)atol(argv[0]) << 20;
	char *p;

	if (argc > 1) {
		struct bitmask *bm;
		if (numa_available() < 0) {
			fprintf(stderr, "probe-test: no NUMA support\n");
			return 77;
		}
		bm = numa_allocate_nodemask();
		numa_bitmask_setbit(bm, (unsigned)atoi(argv[1]));
		numa_set_membind(bm);
		numa_free_nodemask(bm);
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	madvise(p, len, MADV_NOHUGEPAGE); /* one fault per 4 KiB page */
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	usleep(300000);
	munmap(p, len);
	return 0;
}

static long storm_iters;

static void *storm(void *arg)
{
	for (long i = 0; i < storm_iters; i++) {
		char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return (void *)1;
		p[0] = 1;
		munmap(p, 4 * 4096);
	}
	return NULL;
}

static int cmd_storm(int argc, char **argv)
{
	int n = atoi(argv[0]);
	pthread_t th[256];

	storm_iters = atol(argv[1]);
	if (n < 1 || n > 256)
		return 2;
	for (int i = 0; i < n; i++)
		pthread_create(&th[i], NULL, storm, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	hvb_log_set_sink(log_sink, NULL);
	hvb_log_set_level(HVB_LOG_INFO);
	if (argc >= 3 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "hold"))
		return cmd_hold(argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "touch"))
		return cmd_touch(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "mmap-storm"))
		return cmd_storm(argc - 2, argv + 2);
	if (argc >= 5 && !strcmp(argv[1], "delta"))
		return cmd_delta(argc - 2, argv + 2);
	if (argc == 9 && !strcmp(argv[1], "perf-scale"))
		return cmd_perf_scale(argv + 2);
	if (argc == 2 && !strcmp(argv[1], "cleanup-stale")) {
		printf("%d\n", hvb_tracefs_cleanup_stale());
		return 0;
	}
	if (argc >= 2)
		return cmd_parser(argv[1], argc - 2, argv + 2);
	fprintf(stderr, "usage: probe-test run|hold PROBE [KEY=VALUE...] [-- CMD...] | cleanup-stale | PARSER ARGS\n");
	return 2;
}
