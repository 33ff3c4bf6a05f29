/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running external programs (fio, iperf3) so that nothing a sample starts
 * outlives it, on every path: the program ends, the sample times out, the agent
 * is told to stop, or the agent dies (SIGINT, SIGTERM, SIGKILL, a crash).
 *
 * Each program runs under a supervisor: a fork of the agent, without exec, that
 * leads a process group of its own and is a child subreaper, with the program
 * as its child in that group. The supervisor asks for SIGUSR1 when the agent
 * dies (PR_SET_PDEATHSIG; the signal follows the thread that forked, and the
 * agent forks from the thread that runs the workload, which lives as long as
 * the sample), and the agent sends it SIGUSR2 to stop the program. A signal of
 * its own for each: when a multi-threaded agent is killed, its dying thread's
 * children are first handed to a sibling thread of the same process, so
 * getppid() can still name the agent when SIGUSR1 arrives. On either, the
 * supervisor sends TERM to the program and everything it started, waits
 * a grace period, sends KILL, reaps them all and, when the agent is gone,
 * removes the sample's scratch directory. Descendants that left the group (fio's
 * job processes call setsid) are found all the same: the supervisor, as the
 * subreaper, inherits them when their parent dies and kills its children by pid.
 * Between fork and _exit the supervisor only makes system calls (the agent may
 * have threads running probes): no malloc, no stdio. */
#include "config.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

extern char **environ;

#define GRACE_S 2        /* between TERM and KILL */
#define STATUS_FD 3      /* in the supervisor and, until exec, the program */
#define REC_STATUS 0     /* pipe records: {kind, value} */
#define REC_EXEC_FAILED 1

static void write_rec(int kind, int value)
{
	int rec[2] = { kind, value };
	ssize_t n = write(STATUS_FD, rec, sizeof(rec));
	(void)n;
}

static void close_from(unsigned fd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, fd, ~0U, 0) == 0)
		return;
#endif
	for (; fd < 4096; fd++)
		close((int)fd);
}

/* ppid of pid from /proc/pid/stat, -1 when unknown; system calls only. */
static pid_t ppid_of(const char *pid)
{
	char path[64] = "/proc/", buf[512], *p;
	size_t n = strlen(path);
	ssize_t r;
	int fd;
	long v = 0;

	for (size_t i = 0; pid[i] && n < 48; i++)
		path[n++] = pid[i];
	memcpy(path + n, "/stat", 6);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = 0;
	/* "pid (comm) S ppid ...": comm may hold spaces and ')' */
	if (!(p = strrchr(buf, ')')) || strlen(p) < 5)
		return -1;
	for (p += 4; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return (pid_t)v;
}

/* Calls fn(name, arg) for each entry of the directory fd; system calls only. */
static void each_entry(int fd, void (*fn)(int dirfd, const char *name, void *arg), void *arg)
{
	char buf[4096];
	long got;

	while ((got = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < got;) {
			struct {
				unsigned long long ino;
				long long off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *d = (void *)(buf + off);
			off += d->reclen;
			if (strcmp(d->name, ".") && strcmp(d->name, ".."))
				fn(fd, d->name, arg);
		}
}

struct kill_arg {
	pid_t self;
	int sig, n;
};

static void kill_if_child(int dirfd, const char *name, void *arg)
{
	struct kill_arg *k = arg;
	pid_t c;

	(void)dirfd;
	if (name[0] < '1' || name[0] > '9' || ppid_of(name) != k->self)
		return;
	c = (pid_t)atol(name);
	kill(c, k->sig);
	kill(-c, k->sig);
	k->n++;
}

/* Sends sig to every child of self, and to each child's own process group
 * (a child that called setsid leads one); returns how many there were. */
static int signal_children(pid_t self, int sig)
{
	struct kill_arg k = { self, sig, 0 };
	int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	each_entry(fd, kill_if_child, &k);
	close(fd);
	return k.n;
}

/* Reaps every ended child; records the program's status. Returns 1 when no
 * child is left. */
static int reap(pid_t prog, int *status, int *have)
{
	int st;
	pid_t r;

	while ((r = waitpid(-1, &st, WNOHANG)) > 0)
		if (r == prog) {
			*status = st;
			*have = 1;
		}
	return r < 0 && errno == ECHILD;
}

/* Waits up to s seconds for SIGCHLD; reaps. Returns 1 when no child is left. */
static int wait_children(double s, pid_t prog, int *status, int *have)
{
	sigset_t chld;
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	struct timespec end, now;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ts.tv_sec;
	while (!reap(prog, status, have)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
			return 0;
		ts.tv_sec = end.tv_sec - now.tv_sec;
		ts.tv_nsec = end.tv_nsec - now.tv_nsec;
		if (ts.tv_nsec < 0) {
			ts.tv_sec--;
			ts.tv_nsec += 1000000000L;
		}
		sigtimedwait(&chld, NULL, &ts);
	}
	return 1;
}

static void unlink_entry(int dirfd, const char *name, void *arg)
{
	(void)arg;
	unlinkat(dirfd, name, 0);
}

/* Removes the files of dir (one level: nothing hvbench puts there has more)
 * and dir itself; system calls only. */
static void remove_dir_raw(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return;
	each_entry(fd, unlink_entry, NULL);
	close(fd);
	rmdir(dir);
}

static void set_all_default(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			sigaction(s, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static _Noreturn void supervise(char *const argv[], pid_t agent, const char *scratch)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigset_t set;
	pid_t self = getpid(), prog;
	int status = 0, have = 0, orphaned = 0, sig;

	/* TERM and INT aimed at the group are for the program; we stop it ourselves. */
	sigaction(SIGTERM, &ign, NULL);
	sigaction(SIGINT, &ign, NULL);
	sigaction(SIGHUP, &ign, NULL);
	sigaction(SIGPIPE, &ign, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_SETMASK, &set, NULL);
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (getppid() != agent) { /* the agent died before PDEATHSIG was armed */
		if (scratch)
			remove_dir_raw(scratch);
		_exit(0);
	}
	if ((prog = fork()) == 0) {
		set_all_default();
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* should the supervisor itself be killed */
		if (getppid() != self)
			_exit(127);
		execve(argv[0], argv, environ);
		write_rec(REC_EXEC_FAILED, errno);
		_exit(127);
	}
	if (prog < 0) {
		write_rec(REC_EXEC_FAILED, errno);
		_exit(127);
	}
	/* The program's output pipes must close when the program does. */
	dup2(0, 1);
	dup2(0, 2);
	while (!orphaned && !have) {
		sig = sigwaitinfo(&set, NULL);
		if (sig == SIGUSR1)
			orphaned = 1;
		if (sig == SIGUSR1 || sig == SIGUSR2)
			break;
		reap(prog, &status, &have);
	}
	orphaned = orphaned || getppid() != agent;
	/* The program ended, or must end: whatever it left behind goes too. */
	if (signal_children(self, SIGTERM))
		wait_children(GRACE_S, prog, &status, &have);
	while (signal_children(self, SIGKILL))
		wait_children(0.05, prog, &status, &have);
	reap(prog, &status, &have);
	if (orphaned && scratch)
		remove_dir_raw(scratch);
	if (have)
		write_rec(REC_STATUS, status);
	_exit(0);
}

/* Puts fd at slot `to` (closed on exec when cloexec), whatever other fd numbers
 * are in play: each is first moved above them. */
static int place(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if ((fds[i] = fcntl(fds[i], F_DUPFD, 16)) < 0)
			return -1;
	for (int i = 0; i < n; i++)
		if (dup3(fds[i], i, i == STATUS_FD ? O_CLOEXEC : 0) < 0)
			return -1;
	return 0;
}

int hvb_proc_start(struct hvb_proc *p, char *const argv[], int out_fd, int err_fd, const char *scratch_dir,
		   char *err, size_t errlen)
{
	int sp[2];
	pid_t agent = getpid();

	memset(p, 0, sizeof(*p));
	p->status_fd = -1;
	if (pipe2(sp, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return HVB_EIO;
	}
	p->pid = fork();
	if (p->pid < 0) {
		snprintf(err, errlen, "cannot run %s: fork: %s", argv[0], strerror(errno));
		close(sp[0]);
		close(sp[1]);
		p->pid = 0;
		return HVB_ECHILD;
	}
	if (p->pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC), fds[4];

		setpgid(0, 0);
		fds[0] = null;
		fds[1] = out_fd >= 0 ? out_fd : null;
		fds[2] = err_fd >= 0 ? err_fd : null;
		fds[3] = sp[1];
		/* Only these four: the agent's channel (its stdin and stdout) and any
		 * other descriptor it holds must close when the agent does. */
		if (null < 0 || place(fds, 4) < 0)
			_exit(127);
		close_from(4);
		supervise(argv, agent, scratch_dir);
	}
	setpgid(p->pid, p->pid); /* as the child does: whichever runs first */
	close(sp[1]);
	p->status_fd = sp[0];
	p->status = -1;
	return 0;
}

/* Reads the supervisor's records and reaps it, once its end of the pipe closed. */
static void collect(struct hvb_proc *p)
{
	int rec[2], st;

	while (read(p->status_fd, rec, sizeof(rec)) == (ssize_t)sizeof(rec))
		if (rec[0] == REC_STATUS)
			p->status = rec[1];
		else
			p->exec_errno = rec[1];
	close(p->status_fd);
	p->status_fd = -1;
	while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (p->status == -1) /* the supervisor was killed before it could say */
		p->status = WIFSIGNALED(st) ? WTERMSIG(st) : SIGKILL;
	p->pid = 0;
}

int hvb_proc_wait(struct hvb_proc *p, double timeout_s)
{
	double deadline = hvb_now() + timeout_s;

	if (p->pid <= 0)
		return 1;
	for (;;) {
		struct pollfd pf = { p->status_fd, POLLIN, 0 };
		double left = deadline - hvb_now();
		int n;

		if (left < 0)
			left = 0;
		n = poll(&pf, 1, (int)(left * 1000));
		if (n > 0 && (pf.revents & POLLHUP)) {
			collect(p);
			return 1;
		}
		if (n > 0) {
			/* a record arrived before the close: the close follows at once */
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
			continue;
		}
		if (n == 0 || (n < 0 && errno != EINTR))
			return 0;
	}
}

int hvb_proc_stop(struct hvb_proc *p)
{
	if (p->pid <= 0)
		return 1;
	if (hvb_proc_wait(p, 0) == 1)
		return 1;
	kill(p->pid, SIGUSR2);
	/* The supervisor's own grace, and a margin; then the last resort. */
	if (hvb_proc_wait(p, GRACE_S + 3.0) != 1) {
		kill(-p->pid, SIGKILL);
		kill(p->pid, SIGKILL);
		hvb_proc_wait(p, 3600);
	}
	return 0;
}

int hvb_proc_alive(const struct hvb_proc *p) { return p->pid > 0; }

/* ---- the sample's scratch directory ---- */
#define SCRATCH_PREFIX "hvbench-scratch."
#define SCRATCH_MARK ".hvbench-scratch" /* says the directory is hvbench's to remove */

/* The directory of the sample in progress, for the agent's termination signals:
 * SIGTERM between mkdtemp and the program's supervisor (or after it is gone)
 * otherwise left it to the next agent's sweep (a CI run saw it). The handler
 * uses only system calls (open, getdents64, unlinkat, rmdir), then dies of the
 * signal as before. */
static char live_scratch[4200];
static volatile sig_atomic_t live_scratch_set;

static void scratch_on_term(int sig)
{
	if (live_scratch_set)
		remove_dir_raw(live_scratch);
	signal(sig, SIG_DFL);
	raise(sig);
}

void hvb_wl_scratch_guard(void)
{
	struct sigaction sa = { .sa_handler = scratch_on_term };
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* a signal ignored by whoever started us (a script's background job: SIGINT) stays so */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

int hvb_wl_scratch_make(const char *parent, char *dir, size_t len, char *err, size_t errlen)
{
	char mark[4200];
	int fd;

	if (!parent || !*parent)
		parent = "/tmp";
	if ((size_t)snprintf(dir, len, "%s/" SCRATCH_PREFIX "%d.XXXXXX", parent, (int)getpid()) >= len) {
		snprintf(err, errlen, "scratch directory %s: path too long", parent);
		return HVB_EINVAL;
	}
	live_scratch_set = 0;
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "cannot make a scratch directory in %s: %s", parent, strerror(errno));
		return HVB_EIO;
	}
	if (strlen(dir) < sizeof(live_scratch)) {
		memcpy(live_scratch, dir, strlen(dir) + 1);
		live_scratch_set = 1;
	}
	snprintf(mark, sizeof(mark), "%s/" SCRATCH_MARK, dir);
	if ((fd = open(mark, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) >= 0)
		close(fd);
	return 0;
}

void hvb_wl_scratch_remove(const char *dir)
{
	if (dir && *dir && live_scratch_set && !strcmp(dir, live_scratch))
		live_scratch_set = 0;
	if (dir && *dir)
		remove_dir_raw(dir);
}

void hvb_wl_scratch_sweep(const char *parent)
{
	DIR *d;
	struct dirent *e;

	if (!parent || !*parent)
		parent = "/tmp";
	if (!(d = opendir(parent)))
		return;
	while ((e = readdir(d))) {
		char path[4200], mark[4300];
		struct stat st;
		char *end;
		long pid;

		if (strncmp(e->d_name, SCRATCH_PREFIX, strlen(SCRATCH_PREFIX)))
			continue;
		pid = strtol(e->d_name + strlen(SCRATCH_PREFIX), &end, 10);
		/* only an agent that is gone: its pid no longer exists */
		if (*end != '.' || pid <= 0 || pid == getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", parent, e->d_name);
		snprintf(mark, sizeof(mark), "%s/" SCRATCH_MARK, path);
		if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (lstat(mark, &st) < 0) {
			/* killed between mkdtemp and its mark: nothing in it can be ours to judge,
			 * but an empty directory is (rmdir removes nothing else) */
			if (rmdir(path) == 0)
				hvb_log(HVB_LOG_INFO, "removed %s, empty, left by agent %ld that is gone", path, pid);
			continue;
		}
		hvb_log(HVB_LOG_INFO, "removing %s, left by agent %ld that is gone", path, pid);
		remove_dir_raw(path);
	}
	closedir(d);
}
