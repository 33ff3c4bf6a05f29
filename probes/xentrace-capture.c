/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The xentrace probe (dom0 only): runs Xen's own xentrace program around each
 * sample with an event mask chosen by class names, writes the capture and a
 * metadata file xentrace itself lacks (CPU frequency, pCPUs, the domain's name
 * and mode, run/cell/rep), and turns the decoded summary into metrics by role,
 * so that reports compare like with like: the guest's as xen.guest.*, the
 * backend domain's (dom0, or the driver domain backend_domid names) as
 * xen.backend.*, and in a native cell (the workload in dom0 itself, no guest)
 * every domain's as xen.host.*, never compared with a guest's. */
#include "config.h"
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "probes/probes-internal.h"
#include "probes/xentrace/xentrace.h"

extern char **environ;

static const struct hvb_option xt_options[] = {
	{ .name = "classes", .type = HVB_OPT_STRING, .def = "hvm,pv,mem,sched", .flags = HVB_OPT_LIST,
	  .help = "trace classes (gen, sched, dom0op, hvm, mem, pv, shadow, hw, guest, or all)" },
	{ .name = "backend_domid", .type = HVB_OPT_INT, .def = "0", .min = 0, .max = 32751,
	  .help = "the domain serving the guest's disk and vif (its figures are xen.backend.*): 0 = dom0, or a driver domain" },
	{ .name = "cpu_hz", .type = HVB_OPT_FLOAT, .def = "0", .min = 0, .max = 1e11,
	  .help = "CPU frequency for the metadata when the host does not tell (0: read /proc/cpuinfo)" },
	{ 0 },
};

static const struct hvb_metric_doc xt_metrics[] = {
	{ "xen.%s.hypercall.%s", "calls", HVB_LOWER,
	  "hypercalls by name (PV and VMMCALL) of the role: guest, backend (dom0 or the driver domain), host (native cells)" },
	{ "xen.%s.hypercalls", "calls", HVB_LOWER, "all hypercalls of the role, multicall entries included" },
	{ "xen.%s.gnttab.%s.ops", "ops", HVB_LOWER,
	  "grant_table_op by sub-operation (map_grant_ref, unmap_grant_ref, copy, ...): the batch counts summed (also .calls)" },
	{ "xen.%s.hypercall_args_absent", "calls", HVB_INFO,
	  "hypercalls whose records carry no arguments (HVM/PVH VMMCALL without the hooks): the sub-operation figures are absent" },
	{ "xen.%s.pt_updates", "updates", HVB_LOWER, "page-table entries written by mmu_update and update_va_mapping" },
	{ "xen.%s.grant.copy", "ops", HVB_LOWER, "grant copies the hooks' record counted (also copy_bytes, copy_failed)" },
	{ "xen.%s.exit.%s", "exits", HVB_LOWER, "VM exits by reason" },
	{ "xen.%s.xen_time", "s", HVB_LOWER, "time in Xen from VM exits to entries (HVM, PVH)" },
	{ "xen.%s.grant.map", "ops", HVB_LOWER, "grant maps done by the domain (also unmap, transfer)" },
	{ "xen.%s.runstate.%s", "s", HVB_INFO, "time of the role's vCPUs per runstate" },
	{ "xen.%s.spinlock.poll", "calls", HVB_LOWER,
	  "SCHEDOP_poll calls (the PV spinlock's wait), where every sched_op's cmd was recorded (PV; HVM/PVH with the hooks)" },
	{ "xen.%s.spinlock.poll_unknown", "calls", HVB_INFO,
	  "sched_op calls whose cmd no record shows (HVM/PVH VMMCALL without the hooks): polls unknown, not zero" },
	{ "xen.%s.spinlock.kick", "calls", HVB_LOWER,
	  "EVTCHNOP_send calls (the PV spinlock's kick), only where every event_channel_op's cmd was recorded" },
	{ "xen.%s.spinlock.kick_unknown", "calls", HVB_INFO,
	  "event_channel_op calls whose cmd no record shows (Xen records none of its arguments): kicks unknown, not zero" },
	{ "xen.%s.vmmcalls", "calls", HVB_LOWER, "VMMCALL/VMCALL hypercall exits (HVM, PVH)" },
	{ "xen.%s.spinlock.block_to_wake.p%s", "ns", HVB_LOWER,
	  "a vCPU blocked in SCHEDOP_poll until woken (runnable): the lock's wait, its kick included (p50, p95)" },
	{ "xen.%s.spinlock.poll_wakeups", "wakeups", HVB_INFO, "wake-ups of vCPUs blocked in SCHEDOP_poll" },
	{ "xen.%s.lost_records", "records", HVB_LOWER, "records xentrace lost (a capture with losses undercounts)" },
	{ "xen.%s.tsc_skew_cycles", "cycles", HVB_INFO, "the largest TSC skew between pCPUs the trace shows (corrected)" },
	{ "xen.%s.runstate_skew_uncertain", "s", HVB_INFO,
	  "of the runstate times, those measured between pCPUs whose TSCs were corrected for skew: bounds, not values" },
	{ "xen.%s.wake_latency_skew_uncertain", "wakeups", HVB_INFO,
	  "wake-up latencies (of wake_latency.p50/p95) measured between skew-corrected pCPUs: bounds, not values" },
	{ 0 },
};

struct xt_state {
	uint32_t mask;
	int domid, backend, nsample;
	char dir[4096], path[4200];
	struct hvb_xt_meta meta; /* written beside each capture */
	pid_t pid;
};

static int find_xentrace(char *path, size_t len)
{
	const char *p = getenv("PATH");
	char *copy = strdup(p ? p : "/usr/sbin:/usr/bin:/sbin:/bin"), *save = NULL;
	int found = 0;

	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		snprintf(path, len, "%s/xentrace", d);
		found = access(path, X_OK) == 0;
	}
	free(copy);
	return found;
}

static int xt_supported(char *why, size_t len)
{
	char exe[4096];

	if (!hvb_probe_in_dom0()) {
		snprintf(why, len, "xentrace: not running in dom0");
		return 0;
	}
	if (!find_xentrace(exe, sizeof(exe))) {
		snprintf(why, len, "xentrace: the xentrace program is not installed (Debian: xen-utils)");
		return 0;
	}
	return 1;
}

/* The running hypervisor's "major.minor" (/sys/hypervisor/version, dom0), stored
 * in the capture's metadata: record layouts that changed without a new id
 * (TRC_MEM in 4.18, probes/xentrace/formats.c) are told apart by it. */
static void xen_version(char *buf, size_t len)
{
	uint64_t mj, mn;

	buf[0] = 0;
	if (hvb_probe_read_u64("/sys/hypervisor/version/major", &mj) == 0 &&
	    hvb_probe_read_u64("/sys/hypervisor/version/minor", &mn) == 0)
		snprintf(buf, len, "%llu.%llu", (unsigned long long)mj, (unsigned long long)mn);
}

/* The host's pCPUs, NUMA nodes and TSC frequency as Xen tells them (xl info's nr_cpus,
 * nr_nodes, cpu_mhz): dom0 sees its own vCPUs, no NUMA, and a frequency of its own
 * calibration.  Left unknown (0) without libxenctrl or when Xen does not answer. */
static void host_physinfo(struct hvb_xt_meta *m)
{
#ifdef HAVE_LIBXEN
	char why[256];
	xc_interface *x = hvb_probe_xc_open(why, sizeof(why));
	xc_physinfo_t pi;

	if (!x) {
		hvb_log(HVB_LOG_WARN, "xentrace: %s: the capture's metadata leaves pCPUs and NUMA nodes unknown", why);
		return;
	}
	memset(&pi, 0, sizeof(pi));
	if (xc_physinfo(x, &pi) == 0) {
		m->pcpus = (int)pi.nr_cpus;
		m->numa_nodes = (int)pi.nr_nodes;
		if (pi.cpu_khz)
			m->cpu_hz = pi.cpu_khz * 1e3;
	} else {
		hvb_log(HVB_LOG_WARN, "xentrace: xc_physinfo failed (%s): pCPUs and NUMA nodes unknown", strerror(errno));
	}
	xc_interface_close(x);
#else
	(void)m;
#endif
}

int hvb_xt_capture_meta(struct hvb_xt_meta *m, const struct hvb_probe_target *t, uint32_t mask, double cpu_hz,
			const char *cpuinfo)
{
	hvb_xt_meta_init(m);
	m->event_mask = mask;
	if (!cpuinfo) {
		host_physinfo(m);
		xen_version(m->xen_version, sizeof(m->xen_version));
		cpuinfo = "/proc/cpuinfo";
	}
	if (cpu_hz > 0) /* the option wins over what the host says */
		m->cpu_hz = cpu_hz;
	/* The vendor (and the frequency when Xen gave none): a PV or PVH dom0 sees the real CPUID vendor. */
	hvb_xt_meta_cpuinfo(m, cpuinfo);
	if (t->run_id > 0)
		m->run_id = t->run_id;
	if (t->cell > 0)
		m->cell_id = t->cell;
	if (t->domid >= 0) {
		struct hvb_xt_meta_domain *d = &m->domains[m->ndomains++];
		d->domid = (uint32_t)t->domid;
		snprintf(d->name, sizeof(d->name), "%s", t->guest_name ? t->guest_name : "");
		snprintf(d->mode, sizeof(d->mode), "%s", t->mode ? t->mode : "");
	}
	return 0;
}

static int mkdirs(const char *dir)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static int xt_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
		   size_t len)
{
	struct xt_state *s = calloc(1, sizeof(*s));
	char err[256];

	if (!s)
		return HVB_ENOMEM;
	if (hvb_xt_mask_parse(hvb_param_str(p, "classes"), &s->mask, err, sizeof(err)) < 0) {
		snprintf(why, len, "xentrace: %s", err);
		free(s);
		return HVB_EINVAL;
	}
	hvb_xt_capture_meta(&s->meta, t, s->mask, hvb_param_float(p, "cpu_hz"), NULL);
	s->domid = t->domid;
	s->backend = (int)hvb_param_int(p, "backend_domid");
	/* Without the run's own artifact directory, a new directory of our own:
	 * never a shared one whose files someone else may have made. */
	if (t->artifact_dir)
		snprintf(s->dir, sizeof(s->dir), "%s", t->artifact_dir);
	else if (snprintf(s->dir, sizeof(s->dir), "/var/tmp/hvbench-traces.XXXXXX") < 0 || !mkdtemp(s->dir)) {
		snprintf(why, len, "xentrace: cannot create a directory under /var/tmp: %s", strerror(errno));
		free(s);
		return HVB_EIO;
	}
	if (mkdirs(s->dir) < 0) {
		snprintf(why, len, "xentrace: cannot create %s: %s", s->dir, strerror(errno));
		free(s);
		return HVB_EIO;
	}
	s->pid = -1;
	*state = s;
	return 0;
}

static int xt_start(void *state)
{
	struct xt_state *s = state;
	char exe[4096], mask[16];
	char *argv[] = { "xentrace", "-D", "-e", mask, s->path, NULL };
	struct stat st;
	int rc;

	if (!find_xentrace(exe, sizeof(exe)))
		return HVB_ESKIP;
	/* xentrace truncates its output file: take the next name that is free
	 * rather than write over a capture (ours from an earlier run, or not). */
	do
		snprintf(s->path, sizeof(s->path), "%s/sample-%d.xentrace", s->dir, s->nsample++);
	while (lstat(s->path, &st) == 0 && s->nsample < 1000000);
	snprintf(mask, sizeof(mask), "0x%08x", s->mask);
	if ((rc = posix_spawn(&s->pid, exe, NULL, NULL, argv, environ)) != 0) {
		hvb_log(HVB_LOG_WARN, "xentrace: cannot start %s: %s", exe, strerror(rc));
		s->pid = -1;
		return HVB_EIO;
	}
	/* xentrace creates its file once the trace buffers are mapped and enabled. */
	for (int i = 0; i < 200 && stat(s->path, &st) < 0; i++)
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	return 0;
}

static int xt_stop(void *state)
{
	struct xt_state *s = state;
	int status = 0;

	if (s->pid <= 0)
		return HVB_EIO;
	/* SIGINT makes xentrace drain its buffers and disable tracing. */
	kill(s->pid, SIGINT);
	for (int i = 0; i < 1000; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
			s->pid = -1;
			return 0;
		}
		nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &status, 0);
	s->pid = -1;
	hvb_log(HVB_LOG_WARN, "xentrace: did not stop within 10 s; killed, %s may be incomplete", s->path);
	return 0;
}

int hvb_xt_role_metrics(const struct hvb_xt_summary *sum, int guest, int backend, struct hvb_metrics *out)
{
	int rc;

	if (guest < 0) /* native: the workload ran in dom0 itself; no guest, no backend */
		return hvb_xt_summary_metrics_as(sum, -1, "xen.host", out);
	rc = hvb_xt_summary_metrics_as(sum, guest, "xen.guest", out);
	return rc ? rc : hvb_xt_summary_metrics_as(sum, backend, "xen.backend", out);
}

static int xt_collect(void *state, struct hvb_metrics *out)
{
	struct xt_state *s = state;
	struct hvb_xt_opts o = { .meta = &s->meta, .cpu_hz = s->meta.cpu_hz };
	struct hvb_xt_summary *sum = NULL;
	char mpath[4300];
	int rc;

	rc = hvb_xt_summarize_file(s->path, &o, &sum);
	/* Exit records name the vendor since Xen 4.19: they tell it when the host did not. */
	if (rc >= 0 && s->meta.vendor == HVB_XT_VENDOR_AUTO)
		s->meta.vendor = hvb_xt_summary_record_vendor(sum);
	if (hvb_xt_meta_path(s->path, mpath, sizeof(mpath)) == 0)
		hvb_xt_meta_write(mpath, &s->meta);
	if (rc < 0) {
		hvb_log(HVB_LOG_WARN, "xentrace: %s: %s", s->path, hvb_strerror(rc));
		return rc;
	}
	rc = hvb_xt_role_metrics(sum, s->domid, s->backend, out);
	hvb_xt_summary_free(sum);
	return rc;
}

static void xt_close(void *state)
{
	struct xt_state *s = state;

	if (s->pid > 0)
		xt_stop(s);
	free(s);
}

const struct hvb_probe_ops hvb_probe_xentrace = {
	.name = "xentrace",
	.summary = "Xen trace buffers around each sample (dom0): hypercalls, VM exits, grants, runstates",
	.options = xt_options,
	.metrics = xt_metrics,
	.where = HVB_PROBE_HOST,
	.supported = xt_supported,
	.open = xt_open,
	.start = xt_start,
	.stop = xt_stop,
	.collect = xt_collect,
	.close = xt_close,
};
