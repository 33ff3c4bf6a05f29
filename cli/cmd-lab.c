/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench lab: a real Xen (4.17 or 4.20, Debian's) under QEMU with a debootstrapped dom0, running an
 * experiment with --lab. The orchestration is hv/lab/lab.sh (installed in
 * pkgdatadir/lab), run here with an argv; this command finds it and its inputs. */
#include "config.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "hv/hv.h"

extern char **environ;

/* The first of $HVBENCH_LABDIR, the build tree beside this binary, pkgdatadir
 * that holds NAME. */
static int find_data(const char *sub, const char *name, char *out, size_t len)
{
	const char *env = getenv("HVBENCH_LABDIR"), *exe = hvb_self_exe();
	char exedir[PATH_MAX];
	char *slash;

	snprintf(exedir, sizeof(exedir), "%s", exe);
	if ((slash = strrchr(exedir, '/')))
		*slash = 0;
	if (env && *env && !strcmp(sub, "hv/lab")) {
		snprintf(out, len, "%s/%s", env, name);
		if (access(out, R_OK) == 0)
			return 0;
	}
	if (snprintf(out, len, "%s/%s/%s", exedir, sub, name) < (int)len && access(out, R_OK) == 0)
		return 0;
	snprintf(out, len, "%s/%s/%s", HVB_DATADIR, !strcmp(sub, "hv/lab") ? "lab" : "", name);
	return access(out, R_OK) == 0 ? 0 : -1;
}

HVB_COMMAND(lab)
{
	static const struct option longopts[] = {
		{ "experiment", required_argument, NULL, 'e' }, { "workdir", required_argument, NULL, 'w' },
		{ "keep", no_argument, NULL, 'k' }, { "timeout", required_argument, NULL, 't' },
		{ "cache", required_argument, NULL, 'c' }, { "no-guest-proof", no_argument, NULL, 'n' },
		{ "xen", required_argument, NULL, 'x' }, { "dom0-hvbench", required_argument, NULL, 'd' },
		{ "xen-image", required_argument, NULL, 'X' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	const char *exp = NULL, *work = NULL, *timeout = NULL, *cache = NULL, *xen = "4.17", *dom0 = NULL,
		   *image = NULL;
	char script[PATH_MAX], expbuf[PATH_MAX], workbuf[64], exe[PATH_MAX], cachebuf[PATH_MAX];
	int keep = 0, proof = 1, c, st;
	char *argv_[26];
	size_t n = 0;
	pid_t pid;

	while ((c = hvb_cli_getopt("lab", argc, argv, "e:w:kt:c:nx:d:X:h", longopts, NULL)) != -1)
		switch (c) {
		case 'e': exp = optarg; break;
		case 'w': work = optarg; break;
		case 'k': keep = 1; break;
		case 't': timeout = optarg; break;
		case 'c': cache = optarg; break;
		case 'n': proof = 0; break;
		case 'x': xen = optarg; break;
		case 'd': dom0 = optarg; break;
		case 'X': image = optarg; break;
		default: return hvb_cli_usage("lab");
		}
	if (optind != argc)
		return hvb_cli_usage("lab");
	if (strcmp(xen, "4.17") && strcmp(xen, "4.20")) {
		fprintf(stderr, "hvbench: lab: --xen '%s': expected 4.17 (Debian 12) or 4.20 (Debian 13)\n", xen);
		return HVB_EXIT_USAGE;
	}
	if (!strcmp(xen, "4.20") && !dom0) {
		fprintf(stderr, "hvbench: lab: --xen 4.20 runs a Debian 13 dom0, which needs an hvbench built there: give "
			"--dom0-hvbench BIN (hv/lab/build-in-chroot.sh trixie SRC OUT builds OUT/hvbench)\n");
		return HVB_EXIT_USAGE;
	}
	if (image && access(image, R_OK) < 0) {
		fprintf(stderr, "hvbench: lab: --xen-image %s: %s\n", image, strerror(errno));
		return HVB_EXIT_USAGE;
	}
	if (dom0 && access(dom0, X_OK) < 0) {
		fprintf(stderr, "hvbench: lab: --dom0-hvbench %s: %s\n", dom0, strerror(errno));
		return HVB_EXIT_USAGE;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "hvbench: lab: needs root (debootstrap, chroot and mkfs.ext4 -d build the dom0)\n");
		return HVB_EXIT_FAIL;
	}
	if (find_data("hv/lab", "lab.sh", script, sizeof(script)) < 0) {
		fprintf(stderr, "hvbench: lab: cannot find lab.sh (in $HVBENCH_LABDIR, the build tree or %s/lab)\n",
			HVB_DATADIR);
		return HVB_EXIT_FAIL;
	}
	if (!exp) {
		if (find_data("configs", "lab-smoke.ini", expbuf, sizeof(expbuf)) < 0) {
			fprintf(stderr, "hvbench: lab: no --experiment given and no lab-smoke.ini installed\n");
			return HVB_EXIT_USAGE;
		}
		exp = expbuf;
	}
	if (access(exp, R_OK) < 0) {
		fprintf(stderr, "hvbench: lab: cannot read %s: %s\n", exp, strerror(errno));
		return HVB_EXIT_USAGE;
	}
	if (!work) {
		time_t now = time(NULL);
		strftime(workbuf, sizeof(workbuf), "hvbench-lab-%Y%m%d-%H%M%S", localtime(&now));
		work = workbuf;
	}
	if (!cache) {
		hvb_image_cache_default(cachebuf, sizeof(cachebuf));
		cache = cachebuf;
	}
	snprintf(exe, sizeof(exe), "%s", hvb_self_exe());
	argv_[n++] = "bash";
	argv_[n++] = script;
	argv_[n++] = "--hvbench";
	argv_[n++] = exe;
	argv_[n++] = "--experiment";
	argv_[n++] = (char *)exp;
	argv_[n++] = "--workdir";
	argv_[n++] = (char *)work;
	argv_[n++] = "--cache";
	argv_[n++] = (char *)cache;
	argv_[n++] = "--xen";
	argv_[n++] = (char *)xen;
	if (dom0) {
		argv_[n++] = "--dom0-hvbench";
		argv_[n++] = (char *)dom0;
	}
	if (image) {
		argv_[n++] = "--xen-image";
		argv_[n++] = (char *)image;
	}
	if (keep)
		argv_[n++] = "--keep";
	if (!proof)
		argv_[n++] = "--no-guest-proof";
	if (timeout) {
		argv_[n++] = "--timeout";
		argv_[n++] = (char *)timeout;
	}
	argv_[n] = NULL;
	fflush(stdout);
	if ((errno = posix_spawnp(&pid, "bash", NULL, NULL, argv_, environ)) != 0) {
		fprintf(stderr, "hvbench: lab: cannot run bash: %s\n", strerror(errno));
		return HVB_EXIT_FAIL;
	}
	/* Ctrl-C reaches the script through the terminal's process group; wait for it to clean up. */
	signal(SIGINT, SIG_IGN);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return HVB_EXIT_FAIL;
	if (WIFEXITED(st))
		return WEXITSTATUS(st) == 0 ? HVB_EXIT_OK : WEXITSTATUS(st) == 2 ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
	fprintf(stderr, "hvbench: lab: the lab script died (status %d)\n", st);
	return HVB_EXIT_FAIL;
}
