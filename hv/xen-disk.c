/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A guest's disks: the benchmark disk that fio measures, served by blkback
 * from a loop device, and the tools disk (fio, iperf3) served by dom0's QEMU.
 *
 * Why not Xen's own `block` hotplug script: it sets up the loop device with
 * locking and sharing checks that fork dozens of programs, and libxl kills it
 * after its hotplug timeout on a slow dom0 (seen in the lab under QEMU
 * emulation: "killing execution of /etc/xen/scripts/block add because of
 * timeout"). hvbench attaches the loop device itself (one ioctl) and gives
 * libxl a hotplug "script" that is hvbench itself under another name: it only
 * tells blkback which device to open, through xenstore. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "hv/xen-internal.h"

const char *hvb_xen_disk_dir(void)
{
	const char *d = getenv("HVBENCH_XEN_DISKDIR");
	return d && *d ? d : HVB_XEN_DISKDIR_DEFAULT;
}

void hvb_xen_disk_forget(const char *name)
{
	char p[PATH_MAX];

	if (!hvb_xen_is_guest_name(name))
		return;
	snprintf(p, sizeof(p), "%s/%s.img", hvb_xen_disk_dir(), name);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s.tools.img", hvb_xen_disk_dir(), name);
	unlink(p);
}

int hvb_xen_disk_make(const char *path, uint64_t size, char *why, size_t len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0) {
		snprintf(why, len, "xen: cannot create the guest disk %s: %s", path, strerror(errno));
		return HVB_EIO;
	}
	/* Allocated, not sparse: fio must read the blocks it measures, not holes. */
	if (posix_fallocate(fd, 0, (off_t)size) != 0 && ftruncate(fd, (off_t)size) < 0) {
		snprintf(why, len, "xen: cannot size the guest disk %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return HVB_EIO;
	}
	close(fd);
	return 0;
}

int hvb_xen_file_copy(const char *src, const char *dst, char *why, size_t len)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = 0;
	struct stat st;
	off_t left;

	if (in < 0 || fstat(in, &st) < 0) {
		snprintf(why, len, "xen: cannot read %s: %s", src, strerror(errno));
		rc = HVB_EIO;
		goto done;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		snprintf(why, len, "xen: cannot create %s: %s", dst, strerror(errno));
		rc = HVB_EIO;
		goto done;
	}
	/* copy_file_range within one file system; read and write across them (EXDEV:
	 * the lab's image is on 9p, the copy on dom0's disk). */
	for (left = st.st_size; left > 0;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
		if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL)) {
			char buf[1 << 16];
			n = read(in, buf, sizeof(buf));
			if (n > 0 && write(out, buf, (size_t)n) != n)
				n = -1;
		}
		if (n <= 0) {
			snprintf(why, len, "xen: copying %s to %s: %s", src, dst, n ? strerror(errno) : "short file");
			rc = HVB_EIO;
			break;
		}
		left -= n;
	}
done:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && !rc) {
		snprintf(why, len, "xen: writing %s: %s", dst, strerror(errno));
		rc = HVB_EIO;
	}
	if (rc && out >= 0)
		unlink(dst);
	return rc;
}

int hvb_xen_loop_attach(const char *file, char *dev, size_t devlen, int *loop_fd, char *why, size_t len)
{
	int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC), ffd = -1, lfd = -1, n = -1;

	*loop_fd = -1;
	if (ctl < 0) {
		snprintf(why, len, "xen: cannot open /dev/loop-control (is the loop module loaded?): %s", strerror(errno));
		return HVB_EIO;
	}
	if ((ffd = open(file, O_RDWR | O_CLOEXEC)) < 0) {
		snprintf(why, len, "xen: cannot open the guest disk %s: %s", file, strerror(errno));
		close(ctl);
		return HVB_EIO;
	}
	/* Another process may take the free device between the two calls: retry. */
	for (int attempt = 0; attempt < 8 && lfd < 0; attempt++) {
		if ((n = ioctl(ctl, LOOP_CTL_GET_FREE)) < 0)
			break;
		snprintf(dev, devlen, "/dev/loop%d", n);
		if ((lfd = open(dev, O_RDWR | O_CLOEXEC)) < 0)
			continue;
		if (ioctl(lfd, LOOP_SET_FD, ffd) < 0) {
			close(lfd);
			lfd = -1;
		}
	}
	close(ctl);
	close(ffd);
	if (lfd < 0) {
		snprintf(why, len, "xen: cannot attach %s to a loop device: %s", file, strerror(errno));
		return HVB_EIO;
	}
	/* Autoclear: the device goes away once blkback and this process have closed
	 * it, also when hvbench is killed. */
	struct loop_info64 li;
	memset(&li, 0, sizeof(li));
	li.lo_flags = LO_FLAGS_AUTOCLEAR;
	snprintf((char *)li.lo_file_name, sizeof(li.lo_file_name), "%s", file);
	if (ioctl(lfd, LOOP_SET_STATUS64, &li) < 0) {
		snprintf(why, len, "xen: cannot configure %s for %s: %s", dev, file, strerror(errno));
		ioctl(lfd, LOOP_CLR_FD, 0);
		close(lfd);
		return HVB_EIO;
	}
	*loop_fd = lfd;
	return 0;
}

int hvb_xen_hotplug_link(const char *rundir, char *path, size_t plen, char *why, size_t len)
{
	char self[PATH_MAX], cur[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1), m;

	if (n <= 0) {
		snprintf(why, len, "xen: cannot find hvbench's own binary (/proc/self/exe): %s", strerror(errno));
		return HVB_EIO;
	}
	self[n] = 0;
	snprintf(path, plen, "%s/%s", rundir, HVB_XEN_HOTPLUG_NAME);
	m = readlink(path, cur, sizeof(cur) - 1);
	if (m == n && !memcmp(cur, self, (size_t)n))
		return 0;
	unlink(path);
	if (symlink(self, path) < 0) {
		snprintf(why, len, "xen: cannot create the block hotplug link %s: %s", path, strerror(errno));
		return HVB_EIO;
	}
	return 0;
}

/* ---- the hotplug program libxl runs: argv {PATH, "add"|"remove"}, XENBUS_PATH in the environment ---- */
#ifndef HAVE_LIBXEN
int hvb_xen_block_hotplug_main(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "%s: hvbench was built without the Xen toolstack libraries\n", argv[0]);
	return 1;
}
#else
#include <xenstore.h>

static int xs_put(struct xs_handle *xs, const char *base, const char *key, const char *val)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", base, key);
	return xs_write(xs, XBT_NULL, p, val, strlen(val)) ? 0 : -1;
}

int hvb_xen_block_hotplug_main(int argc, char **argv)
{
	const char *bp = getenv("XENBUS_PATH");
	struct xs_handle *xs;
	char p[512], mm[32], *params;
	unsigned int n = 0;
	struct stat st;
	int rc = 1;

	if (argc < 2 || !bp) {
		fprintf(stderr, "%s: a Xen block hotplug program: run by libxl with add|remove and XENBUS_PATH\n",
			argv[0]);
		return 2;
	}
	if (strcmp(argv[1], "add"))
		return 0; /* remove: the loop device is the backend's, released when it closes it */
	if (!(xs = xs_open(0))) {
		fprintf(stderr, "%s: cannot open xenstore: %s\n", argv[0], strerror(errno));
		return 1;
	}
	snprintf(p, sizeof(p), "%s/params", bp);
	if (!(params = xs_read(xs, XBT_NULL, p, &n)) || !n) {
		fprintf(stderr, "%s: no %s in xenstore\n", argv[0], p);
	} else if (stat(params, &st) < 0 || !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "%s: %s (from %s) is not a block device\n", argv[0], params, p);
		xs_put(xs, bp, "hotplug-error", "hvbench: params is not a block device");
	} else {
		/* blkback opens the device named by physical-device, "major:minor" in hex. */
		snprintf(mm, sizeof(mm), "%x:%x", major(st.st_rdev), minor(st.st_rdev));
		if (xs_put(xs, bp, "physical-device", mm) == 0 && xs_put(xs, bp, "physical-device-path", params) == 0 &&
		    xs_put(xs, bp, "hotplug-status", "connected") == 0)
			rc = 0;
		else
			fprintf(stderr, "%s: writing under %s failed: %s\n", argv[0], bp, strerror(errno));
	}
	free(params);
	xs_close(xs);
	return rc;
}
#endif
