/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The xen backend: PV, PVH and HVM guests through libxl (never by running xl),
 * each booting the hvbench guest image, whose init starts the agent on a PV
 * console channel that QEMU serves in dom0 as a UNIX socket; the runner speaks
 * the same protocol over it as with a native agent. A guest is created paused,
 * pinned where the placement says, then let run; it is destroyed on every path.
 * Config building, placement, topology, network and leftovers are in
 * hv/xen-*.c. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "hv/xen-internal.h"

/* MODE-shadow: hap = off (hv/xen-paging.c). */
static const char *const xen_modes[] = { "pv", "pvh", "hvm", "hvm-emu", "pvh-shadow", "hvm-shadow", "hvm-emu-shadow", NULL };

int hvb_xen_in_dom0(void)
{
	char caps[128] = "";
	FILE *f = fopen("/proc/xen/capabilities", "r");

	if (!f)
		return 0;
	if (!fgets(caps, sizeof(caps), f))
		caps[0] = 0;
	fclose(f);
	return strstr(caps, "control_d") != NULL;
}

#ifndef HAVE_LIBXEN

static int xen_supported(const char *mode, char *why, size_t len)
{
	snprintf(why, len, "xen: hvbench was built without the Xen toolstack libraries (configure --with-libxen)");
	return 0;
}
static struct hvb_topo *xen_topology(void) { return NULL; }
static const char *xen_host_kind(void) { return "Xen domU"; }

#else
#include <xenstore.h>

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

/* The guest image: HVBENCH_GUEST_KERNEL and HVBENCH_GUEST_INITRD, else
 * vmlinuz and initrd.img (initrd.gz for older images) in HVBENCH_IMAGE_DIR,
 * what `hvbench image build --out DIR` writes. */
static void image_paths(char *kernel, char *initrd, size_t len, int hvm)
{
	const char *dir = env_or("HVBENCH_IMAGE_DIR", "/var/lib/hvbench/image");

	snprintf(kernel, len, "%s", env_or("HVBENCH_GUEST_KERNEL", ""));
	snprintf(initrd, len, "%s", env_or("HVBENCH_GUEST_INITRD", ""));
	if (!kernel[0])
		snprintf(kernel, len, "%s/vmlinuz", dir);
	/* HVM: the gzip'ed one, a third of the bytes through fw_cfg port I/O (hv/image.c). */
	if (!initrd[0] && hvm) {
		snprintf(initrd, len, "%s/initrd-hvm.img.gz", dir);
		if (access(initrd, R_OK) != 0)
			initrd[0] = 0;
	}
	if (!initrd[0]) {
		snprintf(initrd, len, "%s/initrd.img", dir);
		if (access(initrd, R_OK) != 0)
			snprintf(initrd, len, "%s/initrd.gz", dir);
	}
}


/* ---- libxl's log goes to hvb_log; its last error explains a failed call ---- */
static char last_error[512];

static void hvb_xtl_vmessage(struct xentoollog_logger *lg, xentoollog_level level, int errnoval, const char *context,
			 const char *format, va_list al)
{
	char msg[400];

	vsnprintf(msg, sizeof(msg), format, al);
	if (level >= XTL_ERROR) {
		snprintf(last_error, sizeof(last_error), "%s%s%s", msg, errnoval >= 0 ? ": " : "",
			 errnoval >= 0 ? strerror(errnoval) : "");
		hvb_log(HVB_LOG_WARN, "libxl: %s", last_error);
	} else {
		/* all of libxl's own debug output too: shown by hvbench -v, what one needs when a guest does not boot */
		hvb_log(HVB_LOG_DEBUG, "libxl: %s", msg);
	}
}
static void hvb_xtl_progress(struct xentoollog_logger *lg, const char *context, const char *doing_what, int percent,
			 unsigned long done, unsigned long total)
{
}
static void hvb_xtl_destroy(struct xentoollog_logger *lg) {}
static struct xentoollog_logger xtl = { .vmessage = hvb_xtl_vmessage, .progress = hvb_xtl_progress, .destroy = hvb_xtl_destroy };

static pthread_mutex_t ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static libxl_ctx *ctx;
static xc_interface *xch;

libxl_ctx *hvb_xen_ctx(char *why, size_t len)
{
	pthread_mutex_lock(&ctx_lock);
	if (!ctx) {
		/* Other children of this process (native agents, probes' programs) are
		 * reaped by their owners: libxl reaps only its own. */
		static const libxl_childproc_hooks hooks = { .chldowner = libxl_sigchld_owner_libxl_always_selective_reap };
		if (libxl_ctx_alloc(&ctx, LIBXL_VERSION, 0, &xtl) != 0) {
			ctx = NULL;
			snprintf(why, len, "xen: cannot open a libxl context%s%s", last_error[0] ? ": " : "", last_error);
		} else {
			libxl_childproc_setmode(ctx, &hooks, NULL);
		}
	}
	pthread_mutex_unlock(&ctx_lock);
	return ctx;
}

xc_interface *hvb_xen_xch(char *why, size_t len)
{
	pthread_mutex_lock(&ctx_lock);
	if (!xch && !(xch = xc_interface_open(&xtl, &xtl, 0)))
		snprintf(why, len, "xen: cannot open libxenctrl: %s", strerror(errno));
	pthread_mutex_unlock(&ctx_lock);
	return xch;
}

static int xenstored_up(char *why, size_t len)
{
	/* The socket only: through /dev/xen/xenbus a missing daemon would hang us. */
	struct xs_handle *xs = xs_open(XS_OPEN_SOCKETONLY | XS_OPEN_READONLY);
	char *v;
	unsigned n;

	if (!xs) {
		snprintf(why, len, "xen: xenstored is not running (no socket: start the toolstack, e.g. "
				   "/etc/init.d/xen start)");
		return 0;
	}
	v = xs_read(xs, XBT_NULL, "/local/domain/0/domid", &n);
	xs_close(xs);
	if (!v) {
		snprintf(why, len, "xen: xenstored answers but has no /local/domain/0: the toolstack is not initialised");
		return 0;
	}
	free(v);
	return 1;
}

/* Whether the hypervisor has the paging the mode asks for: HAP, or shadow
 * paging for hap = off (physinfo's cap_hap and cap_shadow: xl info's virt_caps). */
static int paging_supported(const struct hvb_xen_mode *m, char *why, size_t len)
{
	libxl_physinfo pi;
	int ok;

	libxl_physinfo_init(&pi);
	if (libxl_get_physinfo(ctx, &pi) != 0) {
		snprintf(why, len, "xen: cannot read the hypervisor's physinfo (virt_caps): %s", last_error);
		libxl_physinfo_dispose(&pi);
		return 0;
	}
	ok = hvb_xen_paging_check(m, pi.cap_hap, pi.cap_shadow, why, len);
	libxl_physinfo_dispose(&pi);
	return ok;
}

static int xen_supported(const char *mode, char *why, size_t len)
{
	char kernel[512], initrd[512];
	struct hvb_xen_mode m;

	if (mode && hvb_xen_mode_parse(mode, &m, why, len) < 0)
		return 0;
	/* PV with hap = off: no hypervisor needed to say it does not apply. */
	if (mode && !strcmp(m.base, "pv") && !hvb_xen_paging_check(&m, 0, 0, why, len))
		return 0;
	if (!hvb_xen_in_dom0()) {
		snprintf(why, len, "xen: not running in dom0 (no /proc/xen/capabilities with control_d)");
		return 0;
	}
	if (!xenstored_up(why, len) || !hvb_xen_ctx(why, len) || (mode && !paging_supported(&m, why, len)))
		return 0;
	image_paths(kernel, initrd, sizeof(kernel), 0);
	if (access(kernel, R_OK) || access(initrd, R_OK)) {
		snprintf(why, len, "xen: no guest image at %s and %s (run hvbench image build, or set "
				   "HVBENCH_GUEST_KERNEL and HVBENCH_GUEST_INITRD)",
			 kernel, initrd);
		return 0;
	}
	return 1;
}

static struct hvb_topo *xen_topology(void) { return hvb_xen_topo_host(); }
static const char *xen_host_kind(void) { return "Xen domU"; }

/* ---- a guest ---- */
struct hvb_guest {
	char name[64], mode[8], uuid[40];
	int pv_drivers;
	int shadow;        /* hap = off: built with shadow paging */
	int paging_seen;   /* the domain's XEN_DOMINF_hap as the hypervisor reports it: 1 HAP, 0 shadow, -1 unread */
	const char *nopvspin; /* pvspin = off: the word given to the guest kernel; NULL: on */
	char kernel_release[64]; /* the guest kernel's, read from its bzImage ("" unknown) */
	int burn;          /* an antagonist domain: its agent burns every vCPU */
	/* PV device settings: asked, set in dom0 (devopts_set: to put back), given to the
	 * guest kernel, and read back from xenstore once the guest is up (have_devs) */
	enum hvb_setting persistent;
	int net_queues, devopts_set, have_devs;
	char dom0_params[160], dev_cmdline[128];
	struct hvb_xen_devices devs;
	struct hvb_guest *ant; /* the cell's antagonist domain, booted at the first sample that asks */
	double boot_timeout_s;
	uint32_t domid;
	int created;
	int fd;
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)], console[256], disk_file[256], peer[64], guest_ip[64], mac[24];
	char loop_dev[32], hotplug[256], tools_file[256], iperf3_log[256];
	int loop_fd;       /* holds the benchmark disk's loop device until the guest is gone */
	pid_t iperf3_pid;  /* the iperf3 server in dom0 for this guest */
	const char *guest_disk;
	struct hvb_xen_layout layout;
	struct hvb_xen_seen seen;
	int have_seen;
	/* PV and PVH consoles come through xenconsoled's pty: a thread copies them to the log. */
	pthread_t con_thread;
	int con_fd, con_running;
	volatile int con_stop;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int mkdir_p(const char *dir)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			mkdir(buf, 0755);
			*p = '/';
		}
	return mkdir(buf, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static void *console_copy(void *arg)
{
	struct hvb_guest *g = arg;
	int out = open(g->console, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	char buf[4096];

	while (!g->con_stop && out >= 0) {
		struct pollfd p = { .fd = g->con_fd, .events = POLLIN };
		int r = poll(&p, 1, 200);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0) {
			ssize_t n = read(g->con_fd, buf, sizeof(buf));
			if (n <= 0 && errno != EAGAIN && errno != EINTR)
				break;
			if (n > 0 && write(out, buf, (size_t)n) < 0)
				break;
		}
	}
	if (out >= 0)
		close(out);
	return NULL;
}

/* Waits (the domain is still paused) for xenconsoled to publish the console's
 * pty, so that nothing the guest prints is lost. */
static void console_attach(struct hvb_guest *g)
{
	char *tty = NULL;
	struct termios tio;

	for (int i = 0; i < 50 && libxl_console_get_tty(ctx, g->domid, 0, LIBXL_CONSOLE_TYPE_PV, &tty); i++)
		usleep(100000);
	if (!tty) {
		hvb_log(HVB_LOG_WARN, "%s: xenconsoled published no console pty: no console log", g->name);
		return;
	}
	g->con_fd = open(tty, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	free(tty);
	if (g->con_fd < 0)
		return;
	/* Raw: an echoing pty would send the guest's output back as its input. */
	if (tcgetattr(g->con_fd, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(g->con_fd, TCSANOW, &tio);
	}
	g->con_running = pthread_create(&g->con_thread, NULL, console_copy, g) == 0;
	if (!g->con_running)
		close(g->con_fd);
}

static void console_detach(struct hvb_guest *g)
{
	if (!g->con_running)
		return;
	g->con_stop = 1;
	pthread_join(g->con_thread, NULL);
	close(g->con_fd);
	g->con_running = 0;
}

/* Destroys the domain if it is still ours (a domain id is reused only after
 * the domain is gone, and then has another name). */
static void destroy_domain(struct hvb_guest *g)
{
	char *name;

	if (!g->created)
		return;
	name = libxl_domid_to_name(ctx, g->domid);
	if (name && !strcmp(name, g->name)) {
		if (libxl_domain_destroy(ctx, g->domid, NULL) != 0)
			hvb_log(HVB_LOG_ERROR, "%s: cannot destroy domain %u: %s", g->name, g->domid, last_error);
		/* A dying domain still holds its memory: the next guest's placement needs it back. */
		else if (!hvb_xen_wait_gone(ctx, g->domid, 30))
			hvb_log(HVB_LOG_WARN, "%s: domain %u is still dying 30 s after its destruction", g->name,
				g->domid);
	}
	free(name);
	g->created = 0;
}

static void guest_free(struct hvb_guest *g)
{
	if (g->ant) /* destroyed with the cell's guest */
		guest_free(g->ant);
	if (g->fd >= 0)
		close(g->fd);
	destroy_domain(g);
	if (g->devopts_set) /* dom0's parameters as they were before the cell */
		hvb_xen_devopts_restore();
	console_detach(g);
	unlink(g->sock);
	hvb_xen_iperf3_stop(&g->iperf3_pid);
	if (g->loop_fd >= 0)
		close(g->loop_fd); /* autoclear: the loop device goes once blkback let it go */
	if (g->disk_file[0])
		unlink(g->disk_file);
	if (g->tools_file[0])
		unlink(g->tools_file);
	free(g);
}

/* The benchmark disk (blkback from a loop device) and the tools disk (a copy
 * of the image's tools.img: QEMU's qdisk refuses read-only files). */
static int make_disks(struct hvb_guest *g, const struct hvb_guest_spec *spec, const char *rundir, char *why, size_t len)
{
	const char *dir = hvb_xen_disk_dir();
	char tools[512];
	uint64_t size = 0;
	int rc;

	if (mkdir_p(dir) < 0) {
		snprintf(why, len, "xen: cannot create %s: %s", dir, strerror(errno));
		return HVB_EIO;
	}
	snprintf(tools, sizeof(tools), "%s/tools.img", env_or("HVBENCH_IMAGE_DIR", "/var/lib/hvbench/image"));
	if (access(tools, R_OK) != 0) {
		snprintf(why, len, "xen: the guest image has no tools disk %s (fio and iperf3): run hvbench image build",
			 tools);
		return HVB_ESKIP;
	}
	snprintf(g->tools_file, sizeof(g->tools_file), "%s/%s.tools.img", dir, g->name);
	if ((rc = hvb_xen_file_copy(tools, g->tools_file, why, len)) < 0) {
		g->tools_file[0] = 0;
		return rc;
	}
	if (!spec->need_disk)
		return 0;
	if (hvb_parse_size(env_or("HVBENCH_XEN_DISK_SIZE", "1G"), &size) < 0 || size < (1 << 20)) {
		snprintf(why, len, "xen: HVBENCH_XEN_DISK_SIZE '%s' is not a size of 1M or more",
			 env_or("HVBENCH_XEN_DISK_SIZE", ""));
		return HVB_EINVAL;
	}
	snprintf(g->disk_file, sizeof(g->disk_file), "%s/%s.img", dir, g->name);
	if ((rc = hvb_xen_disk_make(g->disk_file, size, why, len)) < 0) {
		g->disk_file[0] = 0;
		return rc;
	}
	if ((rc = hvb_xen_loop_attach(g->disk_file, g->loop_dev, sizeof(g->loop_dev), &g->loop_fd, why, len)) < 0)
		return rc;
	return hvb_xen_hotplug_link(rundir, g->hotplug, sizeof(g->hotplug), why, len);
}

static int connect_channel(struct hvb_guest *g, double deadline, char *why, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", g->sock);
	/* QEMU listens once the device model is up, which is before create returns;
	 * a short wait covers its start-up. */
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			break;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			g->fd = fd;
			return 0;
		}
		close(fd);
		if (now_s() > deadline)
			break;
		usleep(100000);
	}
	snprintf(why, len, "xen: cannot connect to the agent channel %s: %s", g->sock, strerror(errno));
	return HVB_ETIMEDOUT;
}

static int xen_alive(struct hvb_guest *g, char *why, size_t len);

/* The guest's init writes {"v":1,"event":"ready"} on the channel once the
 * tty is raw and the agent about to read: nothing may be sent before (an
 * echoing tty would send it back). Read byte by byte so that no later line is
 * taken from the runner. */
static int wait_ready(struct hvb_guest *g, double deadline, char *why, size_t len)
{
	char line[512];
	size_t n = 0;

	for (;;) {
		struct pollfd p = { .fd = g->fd, .events = POLLIN };
		double left = deadline - now_s();
		char ch;
		int r;
		if (left <= 0)
			break;
		r = poll(&p, 1, (int)((left < 1 ? left : 1) * 1000) + 1);
		if (r < 0 && errno == EINTR)
			return HVB_EINTR;
		if (r <= 0) {
			if (xen_alive(g, why, len) < 0)
				return HVB_ECHILD;
			continue;
		}
		if (read(g->fd, &ch, 1) != 1) {
			snprintf(why, len, "xen: the agent channel of %s closed before the guest was ready", g->name);
			return HVB_ECHILD;
		}
		if (ch != '\n') {
			if (n < sizeof(line) - 1)
				line[n++] = ch;
			continue;
		}
		line[n] = 0;
		n = 0;
		if (strstr(line, "\"event\"") && strstr(line, "\"ready\""))
			return 0;
	}
	snprintf(why, len, "xen: %s did not come up within its boot timeout (no ready line on the agent channel)",
		 g->name);
	return HVB_ETIMEDOUT;
}

/* The end of the console log, for a failure's reason. */
static void console_tail(const struct hvb_guest *g, char *why, size_t len)
{
	char buf[600];
	size_t off = strlen(why), n = 0;
	FILE *f = fopen(g->console, "r");

	if (f) {
		if (fseek(f, -(long)(sizeof(buf) - 1), SEEK_END) < 0)
			rewind(f);
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	/* A reason is one line: the console's line ends and escape sequences become spaces. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = ' ';
	snprintf(why + off, len - off, "; console log %s%s%s", g->console, n ? ", ends: " : " is empty",
		 n ? buf : "");
}

static int pin_vcpus(struct hvb_guest *g, char *why, size_t len)
{
	int ncpus = libxl_get_max_cpus(ctx);

	for (int v = 0; v < g->layout.vcpus; v++) {
		libxl_bitmap bm;
		int rc;
		if (hvb_xen_bitmap_from(&bm, ncpus > 0 ? ncpus : HVB_MAX_CPUS, &g->layout.hard[v]) < 0)
			return HVB_ENOMEM;
		rc = libxl_set_vcpuaffinity(ctx, g->domid, (uint32_t)v, &bm, NULL);
		libxl_bitmap_dispose(&bm);
		if (rc) {
			snprintf(why, len, "xen: pinning vCPU %d of %s failed: %s", v, g->name, last_error);
			return HVB_EIO;
		}
	}
	return 0;
}

static int create(struct hvb_guest *g, const struct hvb_guest_spec *spec, const struct hvb_topo *topo, char *why,
		  size_t len)
{
	char kernel[512], initrd[512], owner[64];
	libxl_domain_config cfg;
	struct hvb_xen_build b = { .spec = spec, .mode = g->mode, .pv_drivers = g->pv_drivers, .shadow = g->shadow,
				   .layout = &g->layout,
				   .topo = topo, .kernel = kernel, .ramdisk = initrd, .channel_socket = g->sock,
				   .console_log = g->console, .owner = owner, .burn = g->burn,
				   .persistent = g->persistent, .net_queues = g->net_queues };
	int rc;

	image_paths(kernel, initrd, sizeof(kernel), !strcmp(g->mode, "hvm"));
	hvb_xen_owner_self(owner, sizeof(owner));
	if (spec->nopvspin) {
		if (hvb_bzimage_release(kernel, g->kernel_release, sizeof(g->kernel_release)) < 0)
			g->kernel_release[0] = 0;
		b.nopvspin = g->nopvspin = hvb_nopvspin_word(g->kernel_release[0] ? g->kernel_release : NULL);
	}
	if (g->loop_dev[0]) {
		b.disk_file = g->loop_dev;
		b.disk_script = g->hotplug;
	}
	if (g->tools_file[0])
		b.tools_file = g->tools_file;
	if (g->peer[0]) {
		b.bridge = env_or("HVBENCH_XEN_BRIDGE", "xenbr0");
		b.mac = g->mac;
		b.guest_ip = g->guest_ip;
		b.peer_ip = g->peer;
	}
	if ((rc = hvb_xen_config_build(&b, &cfg, why, len)) < 0) {
		libxl_domain_config_dispose(&cfg);
		return rc;
	}
	/* Memory first on the placement's nodes, or Xen spreads it elsewhere. */
	if (hvb_cpuset_count(&g->layout.mem_nodes)) {
		uint64_t need_kb = 0;
		if (libxl_domain_need_memory(ctx, &cfg, 0, &need_kb) != 0) {
			/* No figure from libxl: wait for at least the guest's own memory. */
			hvb_log(HVB_LOG_WARN, "%s: libxl_domain_need_memory failed; checking only its %llu MiB",
				g->name, (unsigned long long)(cfg.b_info.max_memkb >> 10));
			need_kb = cfg.b_info.max_memkb;
		}
		if ((rc = hvb_xen_wait_node_memory(ctx, &g->layout.mem_nodes, need_kb * 1024, 120, why, len)) < 0) {
			libxl_domain_config_dispose(&cfg);
			return rc;
		}
	}
	last_error[0] = 0;
	rc = libxl_domain_create_new(ctx, &cfg, &g->domid, NULL, NULL);
	libxl_domain_config_dispose(&cfg);
	if (rc && g->layout.vnodes && strncmp(g->mode, "hvm", 3)) {
		/* Tried on every Xen, not assumed: the libxl of 4.17 and 4.20 refuse a PV guest with
		 * vNUMA ("PV vNUMA is not yet supported") and fail a PVH one in its ACPI setup
		 * ("init_acpi_config: xc_domain_getvnuma failed"); HVM works. A skip, not a failure:
		 * this Xen cannot build the cell. libxl destroys what it half-built. */
		snprintf(why, len, "xen: split placement (vNUMA) of a %s guest: this Xen's libxl cannot build it: %s; "
				   "HVM guests can be split",
			 strncmp(g->mode, "pvh", 3) ? "PV" : "PVH", last_error[0] ? last_error : "libxl gave no reason");
		return HVB_ESKIP;
	}
	if (rc) {
		/* libxl destroys what it half-built itself. */
		snprintf(why, len, "xen: creating %s (%s) failed: %s", g->name, g->mode,
			 last_error[0] ? last_error : "libxl gave no reason");
		return HVB_EIO;
	}
	g->created = 1;
	return 0;
}

static int read_seen(struct hvb_guest *g);

/* create(), and when the new (paused) domain's memory is not where the placement
 * asked, destroy it and build it again after a pause, twice at most. Xen's
 * allocator prefers another node's clean free pages to the asked node's pages
 * that still await scrubbing after the previous guest (hv/lab/NOTES.md, "Memory
 * per node"); HVM guests are bound exactly through one vNUMA node, but PV and
 * PVH guests cannot be. Idle pCPUs scrub meanwhile. The runner still verifies
 * the whole placement after boot; this only spares a cell a transient. */
static int create_placed(struct hvb_guest *g, const struct hvb_guest_spec *spec, const struct hvb_topo *topo,
			 char *why, size_t len)
{
	char wrong[256];
	int rc;

	for (int attempt = 1;; attempt++) {
		if ((rc = create(g, spec, topo, why, len)) < 0)
			return rc;
		g->have_seen = 0;
		if (attempt == 3 || read_seen(g) < 0 || hvb_xen_memory_verify(&g->layout, &g->seen, wrong, sizeof(wrong)))
			break;
		hvb_log(HVB_LOG_WARN, "%s: %s; building it again in %d s (the asked node's free pages may await "
			"scrubbing after the previous guest)", g->name, wrong, 5 * attempt);
		destroy_domain(g);
		if (sleep((unsigned)(5 * attempt))) { /* cut short by a signal: Ctrl-C, not a reason to build again */
			snprintf(why, len, "xen: interrupted while waiting to build %s again", g->name);
			return HVB_EINTR;
		}
	}
	g->have_seen = 0; /* read again after boot, for the record */
	return 0;
}

/* XEN_DOMINF_hap of the domain (xc_domain_getinfolist: the same call in Xen
 * 4.17 and 4.20), against what the cell asked: HAP, or shadow for hap = off. */
static int paging_check(struct hvb_guest *g, char *why, size_t len)
{
	xc_interface *x = hvb_xen_xch(why, len);
	xc_domaininfo_t info;

	if (!x)
		return HVB_EIO;
	if (xc_domain_getinfolist(x, g->domid, 1, &info) != 1 || info.domain != g->domid) {
		snprintf(why, len, "xen: cannot read domain %u's flags (its paging): %s", g->domid, strerror(errno));
		return HVB_EIO;
	}
	g->paging_seen = !!(info.flags & XEN_DOMINF_hap);
	if (g->paging_seen == g->shadow) {
		snprintf(why, len, "xen: %s was asked %s and the hypervisor built it with %s (XEN_DOMINF_hap %s)",
			 g->name, g->shadow ? "shadow paging (hap = off)" : "HAP", g->paging_seen ? "HAP" : "shadow paging",
			 g->paging_seen ? "set" : "clear");
		return HVB_EIO;
	}
	return 0;
}

/* The guest's PV devices read back from xenstore once it is up (waiting a little for
 * them to connect), against what the cell asked: HVB_ESKIP with why when the kernels
 * did not do it (the frontend's parameter unknown to an older guest kernel, ...). */
static int devices_check(struct hvb_guest *g, double deadline, char *why, size_t len)
{
	int p = HVB_SETTING_INT(g->persistent), asked = p >= 0 || g->net_queues > 0;
	double until = now_s() + 10;
	char err[256];

	/* Asked: wait for the devices to connect. Not: one look, for the record (the guest's
	 * init waited for its disk and eth0 before its agent answered). */
	for (;;) {
		char *text = hvb_xen_devices_text(g->domid);
		int connected = 1;
		g->have_devs = text && hvb_xen_devices_parse(text, g->domid, &g->devs, err, sizeof(err)) == 0;
		if (text && !g->have_devs)
			hvb_log(HVB_LOG_WARN, "%s: xenstore's device keys: %s", g->name, err);
		free(text);
		for (int i = 0; g->have_devs && i < g->devs.n; i++)
			connected &= g->devs.d[i].be_state == 4 && g->devs.d[i].fe_state == 4;
		if (!asked || (g->have_devs && connected) || now_s() > until || now_s() > deadline)
			break;
		usleep(200000);
	}
	if (!g->have_devs) {
		if (!asked)
			return 0; /* nothing asked: nothing to record, said in the readback */
		snprintf(why, len, "xen: cannot read %s's devices back from xenstore", g->name);
		return HVB_EIO;
	}
	if (!hvb_xen_devices_verdict(&g->devs, p, g->net_queues, err, sizeof(err))) {
		snprintf(why, len, "xen: %s (dom0: %s;%s)", err, g->dom0_params,
			 g->dev_cmdline[0] ? g->dev_cmdline : " nothing on the guest's command line");
		return HVB_ESKIP;
	}
	return 0;
}

/* A guest of spec; pin (not NULL): an antagonist domain's layout instead of the
 * placement's, its agent burning every vCPU. */
static int start_guest(const struct hvb_guest_spec *spec, const struct hvb_xen_layout *pin, struct hvb_guest **out,
		       char *why, size_t len)
{
	static struct hvb_topo *topo;
	struct hvb_placement none = { .kind = HVB_PL_NONE };
	const char *rundir = env_or("HVBENCH_XEN_RUNDIR", "/run/hvbench");
	const char *logdir = env_or("HVBENCH_XEN_LOGDIR", "/var/log/hvbench");
	double deadline = now_s() + (spec->boot_timeout_s > 0 ? spec->boot_timeout_s : 300);
	struct hvb_guest *g;
	libxl_dominfo info;
	int rc;

	if (!hvb_xen_ctx(why, len))
		return HVB_ESKIP;
	if (!topo && !(topo = hvb_xen_topo_host())) {
		snprintf(why, len, "xen: cannot read the host's topology from the hypervisor");
		return HVB_EIO;
	}
	if (!(g = calloc(1, sizeof(*g))))
		return HVB_ENOMEM;
	g->fd = g->con_fd = g->loop_fd = -1;
	snprintf(g->name, sizeof(g->name), "%s", spec->name);
	struct hvb_xen_mode xm;
	if ((rc = hvb_xen_mode_parse(spec->mode, &xm, why, len)) < 0) {
		free(g);
		return rc;
	}
	snprintf(g->mode, sizeof(g->mode), "%s", xm.base);
	g->pv_drivers = xm.pv_drivers;
	g->shadow = xm.shadow;
	g->paging_seen = -1;
	snprintf(g->sock, sizeof(g->sock), "%s/%s.sock", rundir, g->name);
	snprintf(g->console, sizeof(g->console), "%s/%s.console", logdir, g->name);
	if (spec->console_path && spec->console_path_len)
		snprintf(spec->console_path, spec->console_path_len, "%s", g->console);
	if (strlen(rundir) + strlen(g->name) + 6 >= sizeof(g->sock)) {
		snprintf(why, len, "xen: HVBENCH_XEN_RUNDIR %s is too long for a UNIX socket path", rundir);
		free(g);
		return HVB_EINVAL;
	}
	if (mkdir_p(rundir) < 0 || mkdir_p(logdir) < 0) {
		snprintf(why, len, "xen: cannot create %s or %s: %s", rundir, logdir, strerror(errno));
		free(g);
		return HVB_EIO;
	}
	unlink(g->sock);
	unlink(g->console);
	g->boot_timeout_s = spec->boot_timeout_s;
	g->burn = !!pin;
	if (pin)
		g->layout = *pin;
	else if ((rc = hvb_xen_layout(spec->placement ? spec->placement : &none, topo, spec->vcpus, &g->layout, why,
				      len)) < 0)
		goto fail;
	if (spec->hide_vnuma)
		hvb_xen_layout_hide_vnuma(&g->layout);
	if ((spec->need_disk || spec->need_peer) && (rc = make_disks(g, spec, rundir, why, len)) < 0)
		goto fail;
	g->guest_disk = hvb_xen_guest_disk(g->mode, g->pv_drivers);
	if (spec->need_peer &&
	    (rc = hvb_xen_net_prepare(env_or("HVBENCH_XEN_BRIDGE", "xenbr0"), g->name, g->peer, sizeof(g->peer),
				      g->guest_ip, sizeof(g->guest_ip), g->mac, sizeof(g->mac), why, len)) < 0)
		goto fail;
	snprintf(g->iperf3_log, sizeof(g->iperf3_log), "%s/%s.iperf3-server.log", logdir, g->name);
	if (spec->need_peer && (rc = hvb_xen_iperf3_start(g->peer, HVB_XEN_IPERF3_PORT, g->iperf3_log, &g->iperf3_pid,
							     why, len)) < 0)
		goto fail;
	/* dom0's side of the PV device settings before the devices exist (blkback and
	 * netback read them when the guest's devices are probed and connect) */
	if (!pin && !g->pv_drivers && (spec->persistent != HVB_SET_DEFAULT || spec->net_queues > 0)) {
		snprintf(why, len, "xen: %s has emulated devices only: feature_persistent and max_queues do not apply",
			 spec->mode);
		rc = HVB_EINVAL;
		goto fail;
	}
	if (!pin) {
		g->persistent = spec->persistent;
		g->net_queues = spec->net_queues;
		hvb_xen_devopts_cmdline(HVB_SETTING_INT(g->persistent), g->net_queues, g->dev_cmdline, sizeof(g->dev_cmdline));
		g->devopts_set = 1;
		if ((rc = hvb_xen_devopts_apply(HVB_SETTING_INT(g->persistent), g->net_queues, g->dom0_params,
						sizeof(g->dom0_params), why, len)) < 0)
			goto fail;
	}
	if ((rc = create_placed(g, spec, topo, why, len)) < 0)
		goto fail;
	/* The paging the hypervisor gave the domain, read back before anything is measured. */
	if (strcmp(g->mode, "pv") && (rc = paging_check(g, why, len)) < 0)
		goto fail;
	/* Created paused: memory is placed; pin (remote) and attach the console before it runs. */
	if (g->layout.pin_after_create && (rc = pin_vcpus(g, why, len)) < 0)
		goto fail;
	if (strcmp(g->mode, "hvm"))
		console_attach(g);
	if (libxl_domain_info(ctx, &info, g->domid) == 0) {
		snprintf(g->uuid, sizeof(g->uuid), LIBXL_UUID_FMT, LIBXL_UUID_BYTES(info.uuid));
		libxl_dominfo_dispose(&info);
	}
	if (libxl_domain_unpause(ctx, g->domid, NULL) != 0) {
		snprintf(why, len, "xen: cannot unpause %s: %s", g->name, last_error);
		rc = HVB_EIO;
		goto fail;
	}
	if ((rc = connect_channel(g, deadline, why, len)) < 0 || (rc = wait_ready(g, deadline, why, len)) < 0)
		goto fail;
	if (!pin && g->pv_drivers && (g->disk_file[0] || g->peer[0]) && (rc = devices_check(g, deadline, why, len)) < 0) {
		guest_free(g); /* the guest came up: its console says nothing of why */
		return rc;
	}
	hvb_log(HVB_LOG_INFO, "%s: domain %u (%s) started, uuid %s", g->name, g->domid, spec->mode, g->uuid);
	*out = g;
	return 0;
fail:
	if (g->created) {
		console_detach(g); /* flushes what the guest said into the log */
		console_tail(g, why, len);
	}
	guest_free(g);
	return rc;
}

static int xen_start(const struct hvb_guest_spec *spec, struct hvb_guest **out, char *why, size_t len)
{
	return start_guest(spec, NULL, out, why, len);
}

/* ---- antagonists: a PV domain of the same image whose agent burns every vCPU ---- */
/* Its own definition here (the native backend has another): owned by its backend. */
struct hvb_antagonists {
	struct hvb_guest *dom;
	uint64_t cpu_ns0; /* the domain's CPU time when the sample began (libxl's cpu_time) */
	double t0;
	struct hvb_cpuset cpus;
};

static uint64_t domain_cpu_ns(uint32_t domid)
{
	libxl_dominfo info;
	uint64_t ns = 0;

	libxl_dominfo_init(&info);
	if (libxl_domain_info(ctx, &info, domid) == 0)
		ns = info.cpu_time;
	libxl_dominfo_dispose(&info);
	return ns;
}

/* The cell's pCPUs: what the hypervisor lets the guest's vCPUs run on. */
static int guest_pcpus(struct hvb_guest *g, struct hvb_cpuset *cpus, char *why, size_t len)
{
	memset(cpus, 0, sizeof(*cpus));
	if (read_seen(g) < 0) {
		snprintf(why, len, "antagonists: cannot read back domain %u's vCPU affinity", g->domid);
		return HVB_EIO;
	}
	for (int v = 0; v < g->seen.vcpus && v < HVB_XEN_MAX_VCPUS; v++)
		for (int w = 0; w < HVB_MAX_CPUS / 64; w++)
			cpus->bits[w] |= g->seen.hard[v].bits[w];
	return 0;
}

/* Booted at the first sample (paused between samples), destroyed with the guest. */
static int xen_antagonists_start(struct hvb_guest *g, int per_cpu, struct hvb_antagonists **out, char *why,
				 size_t len)
{
	struct hvb_antagonists *a = calloc(1, sizeof(*a));
	int rc;

	*out = NULL;
	if (!a)
		return HVB_ENOMEM;
	if ((rc = guest_pcpus(g, &a->cpus, why, len)) < 0) {
		free(a);
		return rc;
	}
	if (!g->ant) {
		struct hvb_xen_layout l;
		char name[80];
		if ((rc = hvb_xen_antagonist_layout(&a->cpus, per_cpu, &l, why, len)) < 0) {
			free(a);
			return rc;
		}
		snprintf(name, sizeof(name), "%s-ant", g->name);
		struct hvb_guest_spec as = { .mode = "pv", .vcpus = l.vcpus, .memory = HVB_XEN_ANTAGONIST_MEMORY,
					     .name = name,
					     .boot_timeout_s = g->boot_timeout_s };
		if ((rc = start_guest(&as, &l, &g->ant, why, len)) < 0) {
			free(a);
			return rc;
		}
	} else if (libxl_domain_unpause(ctx, g->ant->domid, NULL) != 0) {
		snprintf(why, len, "antagonists: cannot unpause %s: %s", g->ant->name, last_error);
		free(a);
		return HVB_EIO;
	}
	a->dom = g->ant;
	a->cpu_ns0 = domain_cpu_ns(a->dom->domid);
	a->t0 = now_s();
	*out = a;
	return 0;
}

static void xen_antagonists_stop(struct hvb_guest *g, struct hvb_antagonists *a, char *note, size_t len)
{
	char cpus[256];
	double wall, cpu_s;

	if (!a)
		return;
	if (libxl_domain_pause(ctx, a->dom->domid, NULL) != 0)
		hvb_log(HVB_LOG_WARN, "%s: cannot pause the antagonist domain: %s", a->dom->name, last_error);
	/* that they ran is measured: the hypervisor's CPU time of the domain */
	cpu_s = (double)(domain_cpu_ns(a->dom->domid) - a->cpu_ns0) / 1e9;
	wall = now_s() - a->t0;
	hvb_cpuset_format(&a->cpus, cpus, sizeof(cpus));
	if (note && len)
		snprintf(note, len, "antagonists: domain %s (%u), %d vCPUs pinned on pCPUs %s, %.3f CPU-s in %.3f s "
			 "(%.0f%% of their pCPUs)", a->dom->name, a->dom->domid, a->dom->layout.vcpus, cpus, cpu_s, wall,
			 wall > 0 ? 100.0 * cpu_s / (wall * hvb_cpuset_count(&a->cpus)) : 0);
	(void)g;
	free(a);
}

/* ---- taking turns: a paused domain keeps its memory and takes no CPU time ---- */
static int xen_pause(struct hvb_guest *g, int pause, char *why, size_t len)
{
	last_error[0] = 0;
	if ((pause ? libxl_domain_pause(ctx, g->domid, NULL) : libxl_domain_unpause(ctx, g->domid, NULL)) != 0) {
		snprintf(why, len, "xen: cannot %spause %s (domain %u): %s", pause ? "" : "un", g->name, g->domid,
			 last_error[0] ? last_error : "libxl gave no reason");
		return HVB_EIO;
	}
	return 0;
}

static int xen_paused(struct hvb_guest *g)
{
	libxl_dominfo info;
	int p = -1;

	libxl_dominfo_init(&info);
	if (libxl_domain_info(ctx, &info, g->domid) == 0)
		p = !!info.paused;
	libxl_dominfo_dispose(&info);
	return p;
}

/* Free pages are what a new domain is built from: hvbench builds guests
 * through libxl, which (unlike xl) never balloons dom0 down for them. */
static int xen_memory(struct hvb_host_memory *m, char *why, size_t len)
{
	libxl_physinfo pi;
	libxl_dominfo d0;

	memset(m, 0, sizeof(*m));
	if (!hvb_xen_ctx(why, len))
		return HVB_ESKIP;
	libxl_physinfo_init(&pi);
	if (libxl_get_physinfo(ctx, &pi) != 0) {
		snprintf(why, len, "xen: cannot read the hypervisor's physinfo (free memory): %s", last_error);
		libxl_physinfo_dispose(&pi);
		return HVB_EIO;
	}
	m->total = pi.total_pages * (uint64_t)XC_PAGE_SIZE;
	m->free = pi.free_pages * (uint64_t)XC_PAGE_SIZE;
	libxl_physinfo_dispose(&pi);
	libxl_dominfo_init(&d0);
	if (libxl_domain_info(ctx, &d0, 0) == 0)
		m->dom0 = d0.current_memkb * 1024ULL;
	libxl_dominfo_dispose(&d0);
	snprintf(m->source, sizeof(m->source), "Xen physinfo");
	return 0;
}

static int xen_channel(struct hvb_guest *g, int *rfd, int *wfd)
{
	*rfd = *wfd = g->fd;
	return 0;
}

static int read_seen(struct hvb_guest *g)
{
	char why[256];

	if (!g->have_seen && hvb_xen_read_seen(g->domid, &g->seen, why, sizeof(why)) == 0)
		g->have_seen = 1;
	return g->have_seen ? 0 : HVB_EIO;
}

static int xen_readback(struct hvb_guest *g, json_t **out)
{
	json_t *o = json_object(), *vc = json_array(), *mem = json_object();
	char buf[256];

	json_object_set_new(o, "name", json_string(g->name));
	json_object_set_new(o, "domid", json_integer(g->domid));
	json_object_set_new(o, "uuid", json_string(g->uuid));
	json_object_set_new(o, "mode", json_string(g->mode));
	if (!strcmp(g->mode, "hvm"))
		json_object_set_new(o, "pv_drivers", json_boolean(g->pv_drivers));
	if (g->paging_seen >= 0) /* as the hypervisor reports it, after the domain was built */
		json_object_set_new(o, "paging", json_pack("{s:s, s:s, s:s}", "asked", g->shadow ? "shadow (hap = off)" : "hap",
							  "seen", g->paging_seen ? "hap" : "shadow", "source",
							  "XEN_DOMINF_hap (XEN_DOMCTL_getdomaininfo)"));
	/* What was asked of the guest kernel; the agent's hello says what it did. */
	json_object_set_new(o, "pvspin", json_pack("{s:s, s:s?, s:s?}", "asked", g->nopvspin ? "off" : "on (the kernel's default)",
						   "cmdline_word", g->nopvspin, "kernel_release",
						   g->kernel_release[0] ? g->kernel_release : NULL));
	/* PV device settings: asked, dom0's parameters, the guest's words, xenstore's keys */
	if (g->have_devs)
		json_object_set_new(o, "pv_devices", hvb_xen_devices_obj(&g->devs, HVB_SETTING_INT(g->persistent),
									 g->net_queues, g->dom0_params, g->dev_cmdline));
	json_object_set_new(o, "channel", json_string(g->sock));
	json_object_set_new(o, "console_log", json_string(g->console));
	if (g->disk_file[0]) {
		json_object_set_new(o, "disk_file", json_string(g->disk_file));
		json_object_set_new(o, "disk_backend", json_pack("{s:s, s:s}", "blkback", g->loop_dev, "hotplug", g->hotplug));
		json_object_set_new(o, "guest_disk", json_string(g->guest_disk));
	}
	if (g->tools_file[0])
		json_object_set_new(o, "tools_disk", json_string(g->tools_file));
	if (g->peer[0]) {
		json_object_set_new(o, "peer", json_string(g->peer));
		json_object_set_new(o, "guest_ip", json_string(g->guest_ip));
		json_object_set_new(o, "mac", json_string(g->mac));
	}
	if (read_seen(g) == 0) {
		for (int v = 0; v < g->seen.vcpus && v < HVB_XEN_MAX_VCPUS; v++) {
			hvb_cpuset_format(&g->seen.hard[v], buf, sizeof(buf));
			json_array_append_new(vc, json_pack("{s:i, s:s}", "vcpu", v, "hard_affinity", buf));
		}
		hvb_cpuset_format(&g->seen.node_affinity, buf, sizeof(buf));
		json_object_set_new(o, "node_affinity", json_string(buf));
		if (g->seen.have_pages) {
			for (int n = 0; n < HVB_MAX_NODES; n++)
				if (g->seen.pages[n]) {
					snprintf(buf, sizeof(buf), "%d", n);
					json_object_set_new(mem, buf, json_integer((json_int_t)g->seen.pages[n]));
				}
			json_object_set_new(o, "total_pages", json_integer((json_int_t)g->seen.total_pages));
		}
		json_object_set_new(o, "pages_per_node", mem);
		mem = NULL;
		json_object_set_new(o, "pages_source", json_string("hypervisor console after the 'u' debug key "
								   "(xc_send_debug_keys, xc_readconsolering)"));
	}
	json_object_set_new(o, "vcpus", vc);
	json_decref(mem);
	*out = o;
	return o ? 0 : HVB_ENOMEM;
}

static int xen_verify(struct hvb_guest *g, const struct hvb_placement *plan, char *why, size_t len)
{
	if (read_seen(g) < 0) {
		snprintf(why, len, "cannot read back domain %u's vCPU affinity", g->domid);
		return HVB_EIO;
	}
	return hvb_xen_layout_verify(&g->layout, &g->seen, why, len);
}

static const char *xen_disk(struct hvb_guest *g) { return g->disk_file[0] ? g->guest_disk : NULL; }
static const char *xen_peer(struct hvb_guest *g) { return g->peer[0] ? g->peer : NULL; }
static pid_t xen_pid(struct hvb_guest *g) { return -1; }
static int xen_domid(struct hvb_guest *g) { return (int)g->domid; }
/* Whether the domain still runs. Xen "reboots" an HVM guest that triple-faults
 * (HVM_PARAM_TRIPLE_FAULT_REASON defaults to SHUTDOWN_reboot): the domain stays,
 * shut down, until a toolstack acts, and so does its device model's channel. */
static int xen_alive(struct hvb_guest *g, char *why, size_t len)
{
	libxl_dominfo info;
	int rc;

	libxl_dominfo_init(&info);
	rc = libxl_domain_info(ctx, &info, g->domid);
	if (rc == ERROR_DOMAIN_NOTFOUND) {
		snprintf(why, len, "xen: domain %u (%s) no longer exists", g->domid, g->name);
		return HVB_ECHILD;
	}
	if (rc == 0 && (info.shutdown || info.dying)) {
		const char *r = libxl_shutdown_reason_to_string(info.shutdown_reason);
		snprintf(why, len, "xen: domain %u (%s) %s (shutdown reason: %s%s); see Xen's console (xl dmesg)",
			 g->domid, g->name, info.dying ? "is dying" : "shut down", r ? r : "unknown",
			 info.shutdown_reason == LIBXL_SHUTDOWN_REASON_REBOOT && !strcmp(g->mode, "hvm")
				 ? ", which is how Xen ends an HVM guest's triple fault"
				 : info.shutdown_reason == LIBXL_SHUTDOWN_REASON_CRASH ? ", the guest kernel crashed" : "");
		libxl_dominfo_dispose(&info);
		return HVB_ECHILD;
	}
	libxl_dominfo_dispose(&info);
	return 0; /* running, or libxl could not say: the timeout still ends the wait */
}

static const char *xen_console_log(struct hvb_guest *g) { return g->console; }

static int xen_stop(struct hvb_guest *g, int force)
{
	if (g)
		guest_free(g);
	return 0;
}

#endif

const struct hvb_backend_ops hvb_backend_xen = {
	.name = "xen",
	.summary = "PV, PVH and HVM guests on a Xen host, from dom0 (hvm-emu: HVM with emulated disk and NIC only)",
	.modes = xen_modes,
	.supported = xen_supported,
	.topology = xen_topology,
	.host_kind = xen_host_kind,
	.cleanup = hvb_xen_cleanup,
#ifdef HAVE_LIBXEN
	.start = xen_start,
	.channel = xen_channel,
	.readback = xen_readback,
	.disk = xen_disk,
	.peer = xen_peer,
	.pid = xen_pid,
	.stop = xen_stop,
	.verify = xen_verify,
	.domid = xen_domid,
	.console_log = xen_console_log,
	.alive = xen_alive,
	.antagonists_start = xen_antagonists_start,
	.antagonists_stop = xen_antagonists_stop,
	.pause = xen_pause,
	.paused = xen_paused,
	.memory = xen_memory,
#endif
	.footprint = hvb_xen_guest_footprint,
};
