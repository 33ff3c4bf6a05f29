/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench hv build: a Xen hypervisor with hvbench's hooks series
 * (hv/xen/patches) and Kconfig fragment (hv/xen/hvbench.config), built from a
 * source tree the user has. The tree's HEAD is cloned into OUT/src, so the
 * user's tree is never changed, and what was built is exactly a commit plus
 * the series. Every step is an argv (no shell), its output in OUT/build.log. */
#include "config.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "hv/hv.h"

extern char **environ;

/* Every path built here is OUT or TREE plus a short suffix, and both are
 * refused over 1024 bytes: no snprintf below can truncate. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#define HVB_XB_MAXPATH 1024

#define STAMP ".hvbench-xen-build" /* marks an OUT this code made: only such a one is reused */

/* Runs argv in dir (NULL: here), stdout and stderr appended to log, or to
 * capture (truncated) when given. Returns the exit status, or -1. */
static int run(const char *dir, const char *log, const char *capture, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	const char *to = capture ? capture : log;
	int flags = O_WRONLY | O_CREAT | (capture ? O_TRUNC : O_APPEND), st, rc;
	FILE *f;
	pid_t pid;

	if ((f = fopen(log, "a"))) {
		fprintf(f, "\n$");
		if (dir)
			fprintf(f, " (in %s)", dir);
		for (int i = 0; argv[i]; i++)
			fprintf(f, " %s", argv[i]);
		fprintf(f, "\n");
		fclose(f);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, to, flags, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		hvb_log(HVB_LOG_ERROR, "hv build: cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* First line of a small file (a command's captured output), trimmed. */
static void first_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");

	out[0] = 0;
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = 0;
	fclose(f);
}

/* The hunks git apply --check refused ("patch failed: FILE:LINE"), joined by
 * "; "; else its first error line. */
static void failed_hunks(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[512], first[512] = "";
	size_t o = 0;
	const char *key = "error: patch failed: ";

	out[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && o + 1 < len) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, key, strlen(key)))
			o += (size_t)snprintf(out + o, len - o, "%shunk at %s", o ? "; " : "", line + strlen(key));
		else if (!first[0] && !strncmp(line, "error: ", 7))
			snprintf(first, sizeof(first), "%s", line + 7);
	}
	fclose(f);
	if (!o)
		snprintf(out, len, "%s", first[0] ? first : "git apply --check failed");
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The *.patch files of dir, sorted; returns how many (names malloc'd). */
static int list_patches(const char *dir, char **names, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		size_t l = strlen(e->d_name);
		if (l > 6 && !strcmp(e->d_name + l - 6, ".patch") && e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), cmp_names);
	return n;
}

/* OUT must be new, empty, or made by an earlier hv build (then its src goes). */
static int prepare_out(const char *out, const char *log, char *why, size_t len)
{
	char stamp[4096], src[4096];
	DIR *d;
	struct dirent *e;
	int others = 0;

	if (mkdir(out, 0755) < 0 && errno != EEXIST) {
		snprintf(why, len, "--out %s: %s", out, strerror(errno));
		return HVB_EINVAL;
	}
	snprintf(stamp, sizeof(stamp), "%s/" STAMP, out);
	if (!(d = opendir(out))) {
		snprintf(why, len, "--out %s: %s", out, strerror(errno));
		return HVB_EINVAL;
	}
	while ((e = readdir(d)))
		others += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	if (others && access(stamp, F_OK) < 0) {
		snprintf(why, len, "--out %s: a directory hvbench did not make, and not empty: give a new or empty one",
			 out);
		return HVB_EINVAL;
	}
	if (others) {
		snprintf(src, sizeof(src), "%s/src", out);
		char *rm[] = { "rm", "-rf", "--", src, NULL };
		if (run(NULL, log, NULL, rm) != 0) {
			snprintf(why, len, "cannot remove the earlier build's %s", src);
			return HVB_EIO;
		}
	}
	close(open(stamp, O_WRONLY | O_CREAT, 0644));
	return 0;
}

/* Each CONFIG_X=V line of the fragment must be in .config as it is: olddefconfig
 * drops a setting whose dependencies are missing, silently. */
static int check_config(const char *fragment, const char *config, char *why, size_t len)
{
	FILE *f = fopen(fragment, "r"), *c;
	char want[256], have[256];
	int lineno = 0, rc = 0;

	if (!f) {
		snprintf(why, len, "%s: %s", fragment, strerror(errno));
		return HVB_EINVAL;
	}
	while (!rc && fgets(want, sizeof(want), f)) {
		int found = 0;
		lineno++;
		want[strcspn(want, "\r\n")] = 0;
		if (strncmp(want, "CONFIG_", 7))
			continue;
		if (!(c = fopen(config, "r"))) {
			snprintf(why, len, "%s: %s", config, strerror(errno));
			rc = HVB_EIO;
			break;
		}
		while (!found && fgets(have, sizeof(have), c)) {
			have[strcspn(have, "\r\n")] = 0;
			found = !strcmp(have, want);
		}
		fclose(c);
		if (!found) {
			snprintf(why, len, "%s:%d: %s did not survive make olddefconfig (a dependency is missing in this "
				 "Xen): see %s", fragment, lineno, want, config);
			rc = HVB_ECHILD;
		}
	}
	fclose(f);
	return rc;
}

static int copy_file(const char *from, const char *to, const char *log)
{
	char *cp[] = { "cp", "--", (char *)from, (char *)to, NULL };
	return run(NULL, log, NULL, cp) == 0 ? 0 : HVB_EIO;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int hvb_xen_build(const struct hvb_xen_build_opts *o, struct hvb_xen_build_result *r)
{
	char tmp[4096], xen[4096], path[4096], jobs[16], abs_frag[4096], msg[900];
	char *patches[64];
	int np, rc = 0, prepared = 0;
	double t0 = now_s();

	memset(r, 0, sizeof(*r));
	if (strlen(o->tree) > HVB_XB_MAXPATH || strlen(o->out) > HVB_XB_MAXPATH ||
	    strlen(o->patches) > HVB_XB_MAXPATH) {
		snprintf(r->why, sizeof(r->why), "a path over %d bytes", HVB_XB_MAXPATH);
		return HVB_EINVAL;
	}
	snprintf(path, sizeof(path), "%s/xen/Makefile", o->tree);
	if (access(path, R_OK) < 0) {
		snprintf(r->why, sizeof(r->why), "%s: not a Xen source tree (no xen/Makefile)", o->tree);
		return HVB_EINVAL;
	}
	if (!realpath(o->fragment, abs_frag)) {
		snprintf(r->why, sizeof(r->why), "%s: %s", o->fragment, strerror(errno));
		return HVB_EINVAL;
	}
	/* What Xen's own build runs (its kconfig's lexer and parser are generated with flex and
	 * bison), said before anything is copied or built rather than deep in the build's log. */
	static const char *const needs[][2] = { { "make", "make" }, { "gcc", "gcc" }, { "flex", "flex" },
						{ "bison", "bison" }, { "python3", "python3" }, { "git", "git" } };
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (hvb_host_program(needs[i][0], path, sizeof(path)) < 0) {
			snprintf(r->why, sizeof(r->why), "building Xen needs %s, which is not in $PATH (Debian: "
				 "apt-get install %s; all of Xen's: make gcc flex bison python3 git)", needs[i][0], needs[i][1]);
			return HVB_ENOENT;
		}
	if ((np = list_patches(o->patches, patches, 64)) <= 0) {
		snprintf(r->why, sizeof(r->why), "%s: no hooks series (*.patch) there", o->patches);
		return HVB_EINVAL;
	}
	r->npatches = (unsigned)np;
	if ((rc = prepare_out(o->out, "/dev/null", r->why, sizeof(r->why))) < 0)
		goto out;
	prepared = 1;
	snprintf(r->log, sizeof(r->log), "%s/build.log", o->out);
	snprintf(tmp, sizeof(tmp), "%s/.cmd-output", o->out);
	unlink(r->log);

	/* The tree: a git checkout whose tracked files are as committed. */
	{
		char *desc[] = { "git", "-C", (char *)o->tree, "describe", "--always", "--tags", "--dirty", NULL };
		char *head[] = { "git", "-C", (char *)o->tree, "rev-parse", "HEAD", NULL };
		char *status[] = { "git", "-C", (char *)o->tree, "status", "--porcelain", "--untracked-files=no", NULL };
		if (run(NULL, r->log, tmp, head) != 0) {
			snprintf(r->why, sizeof(r->why), "%s: not a git checkout (hv build names the commit it built and "
				 "needs git for that): git rev-parse HEAD failed", o->tree);
			rc = HVB_EINVAL;
			goto out;
		}
		first_line(tmp, r->commit, sizeof(r->commit));
		/* A tree inside another checkout (a tarball unpacked in one) would name that one's HEAD. */
		char *top[] = { "git", "-C", (char *)o->tree, "rev-parse", "--show-toplevel", NULL };
		char real[4096], topdir[4096];
		run(NULL, r->log, tmp, top);
		first_line(tmp, topdir, sizeof(topdir));
		if (!realpath(o->tree, real) || strcmp(real, topdir)) {
			snprintf(r->why, sizeof(r->why), "%s is not the top of a git checkout (git's top there: %s): hv "
				 "build names the commit it built and needs the tree's own", o->tree, topdir);
			rc = HVB_EINVAL;
			goto out;
		}
		run(NULL, r->log, tmp, desc);
		first_line(tmp, r->describe, sizeof(r->describe));
		if (run(NULL, r->log, tmp, status) != 0 || (first_line(tmp, msg, sizeof(msg)), msg[0])) {
			snprintf(r->why, sizeof(r->why), "%s has uncommitted changes (first: '%s'): they would not be in "
				 "the build; commit or stash them", o->tree, msg);
			rc = HVB_EINVAL;
			goto out;
		}
	}
	snprintf(r->src, sizeof(r->src), "%s/src", o->out);
	{
		char *clone[] = { "git", "clone", "--quiet", "--shared", "--no-checkout", (char *)o->tree, r->src, NULL };
		char *co[] = { "git", "-C", r->src, "checkout", "--quiet", "--detach", r->commit, NULL };
		if (run(NULL, r->log, NULL, clone) != 0 || run(NULL, r->log, NULL, co) != 0) {
			snprintf(r->why, sizeof(r->why), "cannot copy %s's commit %s into %s (see %s)", o->tree, r->commit,
				 r->src, r->log);
			rc = HVB_ECHILD;
			goto out;
		}
	}
	/* The series: every patch checked on the tree as the earlier ones leave it. */
	for (int i = 0; i < np; i++) {
		snprintf(path, sizeof(path), "%s/%s", o->patches, patches[i]);
		if (!realpath(path, xen)) {
			snprintf(r->why, sizeof(r->why), "%s: %s", path, strerror(errno));
			rc = HVB_EINVAL;
			goto out;
		}
		char *check[] = { "git", "-C", r->src, "apply", "--check", xen, NULL };
		char *applied[] = { "git", "-C", r->src, "apply", "--check", "--reverse", xen, NULL };
		char *apply[] = { "git", "-C", r->src, "apply", xen, NULL };
		if (run(NULL, r->log, tmp, check) != 0) {
			failed_hunks(tmp, msg, sizeof(msg));
			snprintf(r->why, sizeof(r->why), "patch %s does not apply to %s (%s): %s%s", patches[i], o->tree,
				 r->describe, msg,
				 run(NULL, r->log, "/dev/null", applied) == 0 ? " (it is applied already: the tree's "
				 "HEAD holds the series; give a tree without it)" : "");
			rc = HVB_EINVAL;
			goto out;
		}
		if (run(NULL, r->log, NULL, apply) != 0) {
			snprintf(r->why, sizeof(r->why), "patch %s: git apply failed after its check passed (see %s)",
				 patches[i], r->log);
			rc = HVB_ECHILD;
			goto out;
		}
	}
	/* The configuration: Xen's defconfig with the fragment merged, then checked. */
	snprintf(xen, sizeof(xen), "%s/xen", r->src);
	snprintf(jobs, sizeof(jobs), "-j%d", o->jobs > 0 ? o->jobs : 1);
	{
		char *defconfig[] = { "make", "-C", xen, "defconfig", NULL };
		char *merge[] = { "sh", "tools/kconfig/merge_config.sh", "-m", "-O", ".", ".config", abs_frag, NULL };
		char *olddef[] = { "make", "-C", xen, "olddefconfig", NULL };
		char *build[] = { "make", "-C", xen, jobs, NULL };
		snprintf(path, sizeof(path), "%s/.config", xen);
		hvb_log(HVB_LOG_INFO, "hv build: %s (%s) with %d patches, log in %s", o->tree, r->describe, np, r->log);
		if (run(NULL, r->log, NULL, defconfig) != 0 || run(xen, r->log, NULL, merge) != 0 ||
		    run(NULL, r->log, NULL, olddef) != 0) {
			snprintf(r->why, sizeof(r->why), "configuring the hypervisor failed (see %s)", r->log);
			rc = HVB_ECHILD;
			goto out;
		}
		if ((rc = check_config(abs_frag, path, r->why, sizeof(r->why))) < 0)
			goto out;
		if (run(NULL, r->log, NULL, build) != 0) {
			snprintf(r->why, sizeof(r->why), "building the hypervisor failed (see the end of %s)", r->log);
			rc = HVB_ECHILD;
			goto out;
		}
	}
	snprintf(r->image, sizeof(r->image), "%s/xen.gz", o->out);
	snprintf(r->config, sizeof(r->config), "%s/xen.config", o->out);
	snprintf(tmp, sizeof(tmp), "%s/xen.gz", xen);
	if ((rc = copy_file(tmp, r->image, r->log)) < 0 || (rc = copy_file(path, r->config, r->log)) < 0) {
		snprintf(r->why, sizeof(r->why), "cannot copy xen.gz and .config into %s", o->out);
		goto out;
	}
	if (o->tools) {
		char *configure[] = { "./configure", "--disable-docs", "--disable-stubdom", NULL };
		char *tools[] = { "make", "-C", r->src, jobs, "dist-tools", NULL };
		if (run(r->src, r->log, NULL, configure) != 0 || run(NULL, r->log, NULL, tools) != 0) {
			snprintf(r->why, sizeof(r->why), "the hypervisor is built (%s); building the tools failed (see %s)",
				 r->image, r->log);
			rc = HVB_ECHILD;
			goto out;
		}
		snprintf(r->tools, sizeof(r->tools), "%s/dist/install", r->src);
	}
out:
	if (prepared) {
		snprintf(tmp, sizeof(tmp), "%s/.cmd-output", o->out);
		unlink(tmp);
	}
	for (int i = 0; i < np; i++)
		free(patches[i]);
	r->seconds = now_s() - t0;
	return rc;
}
