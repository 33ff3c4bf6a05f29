/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CPU hogs for overcommit natively: per_cpu processes on each CPU of a set,
 * each pinned to its one CPU and burning it, started just before a sample and
 * killed just after it. They stand where, under Xen, an antagonist domain's
 * vCPUs would: more runnable tasks than CPUs, so that the cell's own threads
 * (or vCPUs) are preempted, lock holders among them.
 *
 * Nothing outlives the sample: each hog is a fork of the runner (which forks
 * from its only thread) that asks to be killed when the runner dies
 * (PR_SET_PDEATHSIG, checked against a runner that died before it asked),
 * keeps no descriptor of the runner's (an agent's channel held open by a hog
 * would keep the agent from seeing its end), and is killed and reaped by
 * hvb_antagonists_stop. Their CPU time comes from the kernel at reaping
 * (wait4), and is reported: that the hogs ran is measured, not assumed. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hv/hv.h"

struct hvb_antagonists {
	int n;
	pid_t *pid;
	struct hvb_cpuset cpus;
	struct timespec t0;
};

static _Noreturn void burn(void)
{
	uint64_t x = 1;

	for (;;) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		__asm__ volatile("" : "+r"(x));
	}
}

/* ---- inside an antagonist domain (Xen): its agent burns every vCPU ---- */
int hvb_burn_wanted(const char *cmdline)
{
	return hvb_cmdline_has_word(cmdline, "hvbench.burn=1");
}

static void *burn_thread(void *arg)
{
	cpu_set_t one;
	struct sched_param sp = { 0 };

	CPU_ZERO(&one);
	CPU_SET((int)(intptr_t)arg, &one);
	sched_setaffinity(0, sizeof(one), &one);
	/* below everything else of the guest: the agent still answers */
	sched_setscheduler(0, SCHED_IDLE, &sp);
	burn();
}

int hvb_burn_start(void)
{
	char cmdline[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int started = 0;

	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = 0;
		fclose(f);
	}
	if (!hvb_burn_wanted(cmdline))
		return 0;
	for (long c = 0; c < n && c < CPU_SETSIZE; c++) {
		pthread_t t;
		if (pthread_create(&t, NULL, burn_thread, (void *)(intptr_t)c) == 0) {
			pthread_detach(t);
			started++;
		} else
			hvb_log(HVB_LOG_WARN, "antagonist: cannot start a burning thread for vCPU %ld", c);
	}
	return started;
}

static _Noreturn void hog(int cpu, int status_fd, pid_t runner)
{
	cpu_set_t one;
	int err = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != runner)
		_exit(0);
	prctl(PR_SET_NAME, "hvb-antagonist");
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		err = errno;
	if (write(status_fd, &err, sizeof(err)) != (ssize_t)sizeof(err) || err)
		_exit(1);
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0) < 0)
#endif
		for (int fd = 3; fd < 65536; fd++)
			close(fd);
	burn();
}

void hvb_antagonists_stop(struct hvb_antagonists *a, char *note, size_t len)
{
	double cpu_s = 0, wall;
	struct timespec t1;
	char cpus[256];

	if (!a)
		return;
	for (int i = 0; i < a->n; i++)
		kill(a->pid[i], SIGKILL);
	for (int i = 0; i < a->n; i++) {
		struct rusage ru;
		int st;
		while (wait4(a->pid[i], &st, 0, &ru) < 0 && errno == EINTR)
			;
		cpu_s += (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
			 ru.ru_stime.tv_usec / 1e6;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (double)(t1.tv_sec - a->t0.tv_sec) + (t1.tv_nsec - a->t0.tv_nsec) / 1e9;
	hvb_cpuset_format(&a->cpus, cpus, sizeof(cpus));
	if (note && len)
		snprintf(note, len, "antagonists: %d on CPUs %s, %.3f CPU-s in %.3f s (%.0f%% of their CPUs)", a->n, cpus,
			 cpu_s, wall, wall > 0 ? 100.0 * cpu_s / (wall * hvb_cpuset_count(&a->cpus)) : 0);
	free(a->pid);
	free(a);
}

int hvb_antagonists_start(const struct hvb_cpuset *cpus, int per_cpu, struct hvb_antagonists **out, char *why,
			  size_t len)
{
	struct hvb_antagonists *a = calloc(1, sizeof(*a));
	int ncpu = hvb_cpuset_count(cpus), sp[2], rc = 0;
	pid_t runner = getpid();

	*out = NULL;
	if (!a || !(a->pid = calloc((size_t)(ncpu * per_cpu + 1), sizeof(pid_t)))) {
		free(a);
		snprintf(why, len, "antagonists: out of memory");
		return HVB_ENOMEM;
	}
	a->cpus = *cpus;
	if (pipe2(sp, O_CLOEXEC) < 0) {
		snprintf(why, len, "antagonists: pipe: %s", strerror(errno));
		free(a->pid);
		free(a);
		return HVB_EIO;
	}
	clock_gettime(CLOCK_MONOTONIC, &a->t0);
	for (int cpu = 0; cpu < HVB_MAX_CPUS && !rc; cpu++)
		for (int k = 0; hvb_cpuset_has(cpus, cpu) && k < per_cpu && !rc; k++) {
			int err = 0;
			pid_t p = fork();
			if (p == 0)
				hog(cpu, sp[1], runner);
			if (p < 0) {
				snprintf(why, len, "antagonists: fork: %s", strerror(errno));
				rc = HVB_EIO;
				break;
			}
			a->pid[a->n++] = p;
			/* Pinned, or why not: a hog on the wrong CPU would be a lie in the figures. */
			if (read(sp[0], &err, sizeof(err)) != (ssize_t)sizeof(err) || err) {
				snprintf(why, len, "antagonists: cannot pin a hog to CPU %d: %s", cpu,
					 err ? strerror(err) : "it ended first");
				rc = HVB_EIO;
			}
		}
	close(sp[0]);
	close(sp[1]);
	if (rc) {
		hvb_antagonists_stop(a, NULL, 0);
		return rc;
	}
	*out = a;
	return 0;
}
