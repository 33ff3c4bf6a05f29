/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The native backend: the agent is a child process of the runner, started with
 * the cell's CPU affinity and memory policy, speaking over a socket pair. On a
 * Xen host this runs in dom0, and results say so (host_kind). */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hv/hv.h"

struct hvb_guest {
	pid_t pid;
	int fd;
};

static const char *const native_modes[] = { "native", NULL };

static int native_supported(const char *mode, char *why, size_t len)
{
	if (mode && strcmp(mode, "native")) {
		snprintf(why, len, "the native backend has no mode '%s'", mode);
		return 0;
	}
	return 1;
}

const char *hvb_self_exe(void)
{
	static char path[4096];
	const char *env = getenv("HVBENCH_EXE");
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return "hvbench";
	path[n] = 0;
	return path;
}

const char *hvb_agent_log_option(void)
{
	enum hvb_log_level l = hvb_log_get_level();

	return l >= HVB_LOG_DEBUG ? "-v" : l <= HVB_LOG_WARN ? "-q" : NULL;
}

static int native_start(const struct hvb_guest_spec *spec, struct hvb_guest **out, char *why, size_t len)
{
	int sv[2], errpipe[2];
	struct hvb_guest *g;
	const char *exe = spec->agent ? spec->agent : hvb_self_exe();
	char msg[512];
	ssize_t n;

	/* auto natively is the kernel's own placement: no binding at all, the
	 * scheduler and automatic NUMA balancing decide (placement none instead
	 * holds the agent to the cell's count of CPUs). */
	/* Xen's PV device settings have no meaning here; the plan gives native cells none. */
	if (spec->persistent != HVB_SET_DEFAULT || spec->net_queues > 0) {
		snprintf(why, len, "native: feature_persistent and max_queues are Xen PV device settings (blkback/blkfront, "
				   "netback/netfront): a native agent has no such devices");
		return HVB_EINVAL;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(errpipe, O_CLOEXEC) < 0) {
		snprintf(why, len, "socketpair: %s", strerror(errno));
		return HVB_EIO;
	}
	if (!(g = calloc(1, sizeof(*g))))
		return HVB_ENOMEM;
	pid_t runner = getpid();
	g->pid = fork();
	if (g->pid < 0) {
		snprintf(why, len, "fork: %s", strerror(errno));
		free(g);
		return HVB_EIO;
	}
	if (g->pid == 0) {
		/* Own process group: Ctrl-C reaches the runner only, which then stops the
		 * agent cleanly; and a timeout can kill the agent with all its children. */
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		/* A runner killed outright (kill -9, the OOM killer) takes its agent along,
		 * and the agent's supervisors its programs: an orphaned agent would finish
		 * its sample (fio, iperf3) for nobody. The runner forks from its only thread. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != runner)
			_exit(126);
		if (spec->placement && hvb_placement_apply(spec->placement, msg, sizeof(msg)) < 0) {
			if (write(errpipe[1], msg, strlen(msg)) < 0)
				_exit(126);
			_exit(126);
		}
		if (dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0)
			_exit(126);
		/* The runner's -v reaches the agent: its debug messages go to the same stderr. */
		const char *logopt = hvb_agent_log_option();
		if (logopt)
			execl(exe, "hvbench", logopt, "agent", (char *)NULL);
		else
			execl(exe, "hvbench", "agent", (char *)NULL);
		snprintf(msg, sizeof(msg), "cannot execute the agent %s: %s", exe, strerror(errno));
		if (write(errpipe[1], msg, strlen(msg)) < 0)
			_exit(127);
		_exit(127);
	}
	close(sv[1]);
	close(errpipe[1]);
	g->fd = sv[0];
	/* The error pipe closes on exec: a message means placement or exec failed. */
	n = read(errpipe[0], msg, sizeof(msg) - 1);
	close(errpipe[0]);
	if (n > 0) {
		msg[n] = 0;
		snprintf(why, len, "%s", msg);
		close(g->fd);
		waitpid(g->pid, NULL, 0);
		free(g);
		return HVB_ECHILD;
	}
	*out = g;
	return 0;
}

static int native_channel(struct hvb_guest *g, int *rfd, int *wfd)
{
	*rfd = *wfd = g->fd;
	return 0;
}

static int native_readback(struct hvb_guest *g, json_t **out)
{
	char path[64], line[512], cpus[256] = "", mems[256] = "";
	FILE *f;

	/* From outside the process: what the kernel says it may use. The agent's own
	 * report (affinity and memory policy) is checked by the runner as well. */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)g->pid);
	if (!(f = fopen(path, "r")))
		return HVB_EIO;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "Cpus_allowed_list:", 18))
			snprintf(cpus, sizeof(cpus), "%s", line + 18 + strspn(line + 18, " \t"));
		if (!strncmp(line, "Mems_allowed_list:", 18))
			snprintf(mems, sizeof(mems), "%s", line + 18 + strspn(line + 18, " \t"));
	}
	fclose(f);
	*out = json_pack("{s:i, s:s, s:s}", "pid", (int)g->pid, "cpus_allowed", cpus, "mems_allowed", mems);
	return *out ? 0 : HVB_ENOMEM;
}

static pid_t native_pid(struct hvb_guest *g) { return g->pid; }
static const char *native_none(struct hvb_guest *g) { return NULL; }

static int native_stop(struct hvb_guest *g, int force)
{
	int status = 0;

	if (!g)
		return 0;
	close(g->fd);
	if (!force) {
		kill(-g->pid, SIGCONT); /* a paused agent could not see its input close */
		/* The agent exits when its input closes; give it a moment. */
		for (int i = 0; i < 200; i++) {
			if (waitpid(g->pid, &status, WNOHANG) == g->pid) {
				free(g);
				return 0;
			}
			nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
		}
	}
	kill(-g->pid, SIGKILL);
	kill(g->pid, SIGKILL);
	waitpid(g->pid, &status, 0);
	free(g);
	return 0;
}

/* The state letter of /proc/PID/stat (after the command's closing paren), or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

static int native_paused(struct hvb_guest *g)
{
	char st = proc_state(g->pid);

	return st == 'T' ? 1 : st ? 0 : -1;
}

/* Between its turns the agent waits on its socket and takes no CPU time; it is
 * stopped all the same, so that the runner takes the same path as with Xen
 * guests and what it did can be read back. Waited for: a stop or continue is
 * done when the kernel says the state changed (SIGSTOP reaches a process at
 * once unless it is in an uninterruptible sleep). */
static int native_pause(struct hvb_guest *g, int pause, char *why, size_t len)
{
	if (kill(-g->pid, pause ? SIGSTOP : SIGCONT) < 0 && kill(g->pid, pause ? SIGSTOP : SIGCONT) < 0) {
		snprintf(why, len, "%s agent %d: %s", pause ? "stopping" : "continuing", (int)g->pid, strerror(errno));
		return HVB_EIO;
	}
	for (int i = 0; i < 500; i++) {
		int p = native_paused(g);
		if (p < 0) {
			snprintf(why, len, "agent %d is gone", (int)g->pid);
			return HVB_ECHILD;
		}
		if (p == pause)
			return 0;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	snprintf(why, len, "agent %d: still %s 0.5 s after SIG%s", (int)g->pid, pause ? "running" : "stopped",
		 pause ? "STOP" : "CONT");
	return HVB_ETIMEDOUT;
}

/* The hogs go where the agent may run: its affinity, as the kernel has it. */
static int native_antagonists_start(struct hvb_guest *g, int per_cpu, struct hvb_antagonists **out, char *why,
				    size_t len)
{
	cpu_set_t set;
	struct hvb_cpuset cpus = { 0 };

	if (sched_getaffinity(g->pid, sizeof(set), &set) < 0) {
		snprintf(why, len, "antagonists: the agent's CPUs: %s", strerror(errno));
		return HVB_EIO;
	}
	for (int c = 0; c < HVB_MAX_CPUS && c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			hvb_cpuset_set(&cpus, c);
	return hvb_antagonists_start(&cpus, per_cpu, out, why, len);
}

static void native_antagonists_stop(struct hvb_guest *g, struct hvb_antagonists *a, char *note, size_t len)
{
	(void)g;
	hvb_antagonists_stop(a, note, len);
}

/* MemAvailable, the kernel's estimate of what new allocations get without
 * swapping: MemFree alone misses the page cache it would drop, MemTotal
 * counts what the kernel and other processes hold. */
static int native_memory(struct hvb_host_memory *m, char *why, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->total = (uint64_t)hvb_meminfo_bytes("MemTotal");
	m->free = (uint64_t)hvb_meminfo_bytes("MemAvailable");
	if (!m->total || !m->free) {
		snprintf(why, len, "native: /proc/meminfo has no MemTotal or MemAvailable (a kernel older than 3.14?)");
		return HVB_EIO;
	}
	snprintf(m->source, sizeof(m->source), "/proc/meminfo MemAvailable");
	return 0;
}

const struct hvb_backend_ops hvb_backend_native = {
	.name = "native",
	.summary = "the agent as a child process on this host (bare metal, a VM, or dom0 on a Xen host)",
	.modes = native_modes,
	.supported = native_supported,
	.topology = hvb_topo_native,
	.host_kind = hvb_native_host_kind,
	.start = native_start,
	.channel = native_channel,
	.readback = native_readback,
	.disk = native_none,
	.peer = native_none,
	.pid = native_pid,
	.stop = native_stop,
	.antagonists_start = native_antagonists_start,
	.antagonists_stop = native_antagonists_stop,
	.pause = native_pause,
	.paused = native_paused,
	.memory = native_memory,
	.side_by_side = 1,
};
