/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Address-space primitives the page-table workloads share (pgfault, tlbshoot,
 * mmaplock, forkexec): a region mapped with or without transparent huge pages,
 * its first touch, one write per 4 KiB page, and one timed fork + exec + wait. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

char *hvb_mm_map(size_t len, int thp, void **base, size_t *maplen)
{
	size_t extra = thp ? HVB_HUGE_PAGE : 0;
	char *p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	*base = p;
	*maplen = len + extra;
	if (thp) {
		p = (char *)(((uintptr_t)p + HVB_HUGE_PAGE - 1) & ~(HVB_HUGE_PAGE - 1));
		madvise(p, len, MADV_HUGEPAGE);
	} else {
		madvise(p, len, MADV_NOHUGEPAGE);
	}
	return p;
}

void hvb_mm_touch(char *p, size_t len)
{
	for (size_t off = 0; off < len; off += HVB_SMALL_PAGE)
		((volatile char *)p)[off] = 1;
}

int hvb_mm_thp_available(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return !strstr(buf, "[never]");
}

int hvb_fork_once(char *const argv[], int null_fd, double *s, char *why, size_t len)
{
	double t0 = hvb_now();
	int st;
	pid_t pid = fork();

	if (pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		return HVB_EIO;
	}
	if (pid == 0) {
		/* Between fork and exec only system calls: the agent has other threads.
		 * The agent's stdout is its channel: the child's output goes elsewhere. */
		if (null_fd >= 0 && (dup2(null_fd, 1) < 0 || dup2(null_fd, 2) < 0))
			_exit(126);
		if (argv)
			execv(argv[0], argv);
		_exit(argv ? 127 : 0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			snprintf(why, len, "waitpid: %s", strerror(errno));
			return HVB_EIO;
		}
	*s = hvb_now() - t0;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		snprintf(why, len, "child %s ended with status 0x%x%s", argv ? argv[0] : "(exit)", st,
			 WIFEXITED(st) && WEXITSTATUS(st) == 127 ? " (could not exec)" : "");
		return HVB_ECHILD;
	}
	return 0;
}
