/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fio: block I/O through the fio program, run by the agent with an argv (no
 * shell) and --output-format=json, against the disk the backend names (in a Xen
 * guest the blkfront disk, so blkback and the grant paths are what is measured)
 * or, without one, a new file in a directory of the sample's own inside
 * `directory` (default $TMPDIR, else /tmp) that is removed afterwards, whatever
 * way the sample ends (wl-proc.c). The target and its file system are facts of
 * the sample (a tmpfs result says tmpfs), fio's output an artifact of it.
 * fio's random offsets are seeded from the sample's seed (--randseed). */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

#define OUT_CAP (16u << 20)
#define TIMEOUT_SLACK_S 120.0 /* laying out the file, opening, closing */

static const char *const rws[] = { "read", "write", "randread", "randwrite", "rw", "randrw", NULL };
static const char *const engines[] = { "libaio", "io_uring", "psync", "sync", "pvsync2", "posixaio", NULL };

static const struct hvb_option fio_options[] = {
	{ .name = "rw", .type = HVB_OPT_ENUM, .def = "randread", .choices = rws, .help = "fio's rw: the I/O pattern" },
	{ .name = "bs", .type = HVB_OPT_SIZE, .def = "4K", .min = 512, .max = 64 << 20, .help = "block size" },
	{ .name = "iodepth", .type = HVB_OPT_INT, .def = "16", .min = 1, .max = 65536,
	  .help = "I/Os in flight per job" },
	{ .name = "numjobs", .type = HVB_OPT_INT, .def = "1", .min = 1, .max = 1024, .help = "parallel fio jobs" },
	{ .name = "size", .type = HVB_OPT_SIZE, .def = "256M", .min = 1 << 20, .max = 16.0 * (1ULL << 40),
	  .help = "bytes of the target each job works over" },
	{ .name = "runtime", .type = HVB_OPT_TIME, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 86400,
	  .help = "seconds of I/O (time based); auto = the sample duration" },
	{ .name = "direct", .type = HVB_OPT_BOOL, .def = "on", .help = "O_DIRECT: bypass the page cache" },
	{ .name = "ioengine", .type = HVB_OPT_ENUM, .def = "libaio", .choices = engines, .help = "fio's I/O engine" },
	{ .name = "directory", .type = HVB_OPT_STRING, .def = "auto", .flags = HVB_OPT_AUTO,
	  .help = "absolute path of the directory the scratch file goes in (its file system is what is measured, "
		  "and is recorded: tmpfs is memory, refused with direct = on); auto = $TMPDIR of the agent, else "
		  "/tmp. Not used where the backend gives a disk (a Xen guest's)" },
	{ 0 },
};

static const struct hvb_metric_doc fio_metrics[] = {
	{ "iops", "IOPS", HVB_HIGHER, "I/Os per second, read + write" },
	{ "read_iops", "IOPS", HVB_HIGHER, "read I/Os per second (when the pattern reads)" },
	{ "write_iops", "IOPS", HVB_HIGHER, "write I/Os per second (when the pattern writes)" },
	{ "bw_mbs", "MB/s", HVB_HIGHER, "bandwidth, 10^6 bytes per second, read + write" },
	{ "clat_us.p50", "us", HVB_LOWER, "median completion latency (the worse of read and write)" },
	{ "clat_us.p99", "us", HVB_LOWER, "99th percentile completion latency" },
	{ "clat_us.p99.9", "us", HVB_LOWER, "99.9th percentile completion latency" },
	{ "ops", "I/Os", HVB_INFO, "I/Os completed" },
	{ 0 },
};

static int fio_supported(char *why, size_t len) { return hvb_wl_program_supported("fio", why, len); }

/* The scratch file: a new file that hvbench creates (never one that was there)
 * in the sample's own directory. 1 made, 0 when direct I/O is asked for and the
 * file system refuses O_DIRECT (tmpfs does, with EINVAL), < 0 on failure. */
static int make_target(const char *path, int direct, char *err, size_t len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0) {
		snprintf(err, len, "cannot create the scratch file %.300s: %s", path, strerror(errno));
		return HVB_EIO;
	}
	close(fd);
	if (direct && (fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC)) < 0)
		return errno == EINVAL ? 0 : 1;
	if (direct)
		close(fd);
	return 1;
}

/* fio splits --filename at each ':' (several files) unless the colon is escaped
 * with a backslash; a backslash before anything else is kept as it is. */
static int fio_filename_arg(char *dst, size_t len, const char *path)
{
	size_t n = (size_t)snprintf(dst, len, "--filename=");

	for (; *path; path++) {
		if (n + 3 > len)
			return HVB_EINVAL;
		if (*path == ':')
			dst[n++] = '\\';
		dst[n++] = *path;
	}
	dst[n] = 0;
	return 0;
}

/* What fio is pointed at, as facts of the sample: the directory or device and
 * its file system. Direct I/O on memory (tmpfs) bypasses nothing and would pass
 * for a disk's figures: refused. */
static int target_facts(struct hvb_wl_result *res, const char *where, int direct, char *fs, size_t len)
{
	int mem;

	hvb_wl_fact(res, "fio.target", "%s", where);
	if (hvb_fs_type(where, fs, len, &mem) < 0) { /* fio says the rest, in its words */
		hvb_wl_fact(res, "fio.fs_type", "unknown: %s", fs);
		return 0;
	}
	hvb_wl_fact(res, "fio.fs_type", "%s", fs);
	if (mem && direct)
		return hvb_wl_fail(res, HVB_ESKIP, "fio: %s is on %s, in memory: direct = on would bypass no page cache "
				   "and measure memory as if it were a disk; set directory to a disk-backed one, or "
				   "direct = off to measure %s knowingly", where, fs, fs);
	return 0;
}

static int fio_run(const struct hvb_wl_ctx *ctx, struct hvb_wl_result *res)
{
	const struct hvb_params *p = ctx->params;
	char exe[4096], target[4000], fname[8100], a[12][64], *argv[24], scratch[4000] = "", fs[128];
	double runtime = hvb_param_is_auto(p, "runtime") ? ctx->duration_s : hvb_param_time(p, "runtime");
	struct hvb_spawn_out o;
	struct hvb_fio_result r;
	char err[512];
	int n = 0, rc;

	if (!hvb_find_program("fio", exe, sizeof(exe)))
		return hvb_wl_fail(res, HVB_ESKIP, "fio: the fio program is not installed (not found in PATH)");
	if (runtime < 1)
		runtime = 1; /* fio's runtime has a resolution of seconds */
	if (ctx->disk && *ctx->disk) {
		snprintf(target, sizeof(target), "%s", ctx->disk);
		if (!hvb_param_is_auto(p, "directory"))
			hvb_wl_fact(res, "fio.directory", "not used: the backend gave the disk %s", ctx->disk);
		if ((rc = target_facts(res, target, hvb_param_bool(p, "direct"), fs, sizeof(fs))) < 0)
			return rc;
	} else {
		const char *dir = hvb_param_is_auto(p, "directory") ? ctx->scratch_dir ? ctx->scratch_dir : "/tmp"
								    : hvb_param_str(p, "directory");
		if (*dir != '/')
			return hvb_wl_fail(res, HVB_EINVAL, "fio: directory '%s' is not an absolute path", dir);
		if ((rc = target_facts(res, dir, hvb_param_bool(p, "direct"), fs, sizeof(fs))) < 0)
			return rc;
		if ((rc = hvb_wl_scratch_make(dir, scratch, sizeof(scratch), err, sizeof(err))) < 0)
			return hvb_wl_fail(res, rc, "fio: %s", err);
		snprintf(target, sizeof(target), "%s/fio.data", scratch);
		rc = make_target(target, hvb_param_bool(p, "direct"), err, sizeof(err));
		if (rc <= 0)
			hvb_wl_scratch_remove(scratch);
		if (rc < 0)
			return hvb_wl_fail(res, rc, "fio: %s", err);
		if (rc == 0)
			return hvb_wl_fail(res, HVB_ESKIP,
					   "fio: direct = on needs O_DIRECT, which the file system of %s (%s) refuses: "
					   "set directory to a disk-backed one, or direct = off", dir, fs);
	}
	if (fio_filename_arg(fname, sizeof(fname), target) < 0) {
		hvb_wl_scratch_remove(scratch);
		return hvb_wl_fail(res, HVB_EINVAL, "fio: target path too long: %s", target);
	}
	argv[n++] = exe;
	argv[n++] = "--name=hvbench";
	argv[n++] = "--output-format=json";
	argv[n++] = "--group_reporting";
	argv[n++] = "--time_based";
	/* Jobs as threads of one process: fio's job processes call setsid, and
	 * must end with fio all the same. */
	argv[n++] = "--thread";
	argv[n++] = fname;
	snprintf(a[1], sizeof(a[1]), "--rw=%s", hvb_param_str(p, "rw"));
	snprintf(a[2], sizeof(a[2]), "--bs=%llu", (unsigned long long)hvb_param_size(p, "bs"));
	snprintf(a[3], sizeof(a[3]), "--iodepth=%lld", (long long)hvb_param_int(p, "iodepth"));
	snprintf(a[4], sizeof(a[4]), "--numjobs=%lld", (long long)hvb_param_int(p, "numjobs"));
	snprintf(a[5], sizeof(a[5]), "--size=%llu", (unsigned long long)hvb_param_size(p, "size"));
	snprintf(a[6], sizeof(a[6]), "--runtime=%.0f", runtime);
	snprintf(a[7], sizeof(a[7]), "--direct=%d", hvb_param_bool(p, "direct"));
	snprintf(a[8], sizeof(a[8]), "--ioengine=%s", hvb_param_str(p, "ioengine"));
	/* fio parses the seed as a signed 64-bit number: "failed parsing randseed=" above 2^63. */
	snprintf(a[9], sizeof(a[9]), "--randseed=%llu", (unsigned long long)(ctx->seed & INT64_MAX));
	for (int i = 1; i < 10; i++)
		argv[n++] = a[i];
	argv[n] = NULL;
	rc = hvb_spawn_capture(argv, runtime + TIMEOUT_SLACK_S, OUT_CAP, scratch[0] ? scratch : NULL, &o, err,
			       sizeof(err));
	hvb_wl_scratch_remove(scratch);
	if (rc < 0) {
		hvb_spawn_out_free(&o);
		return hvb_wl_fail(res, rc, "fio: %s", err);
	}
	hvb_wl_artifact(res, "fio.json", "application/json", o.out, o.outlen);
	hvb_wl_artifact(res, "fio.stderr", "text/plain", o.err, o.errlen);
	rc = hvb_fio_parse(o.out, o.outlen, &r, err, sizeof(err));
	if (rc < 0 || !WIFEXITED(o.status) || WEXITSTATUS(o.status)) {
		/* stderr says why fio stopped; the parser says what stdout held */
		char why[256];
		snprintf(why, sizeof(why), "%s", o.errlen ? o.err : "(nothing on stderr)");
		why[strcspn(why, "\n")] = 0;
		rc = hvb_wl_fail(res, HVB_ECHILD, "fio on %s: exit status 0x%x; %s; stderr: %s", target, o.status,
				 rc < 0 ? err : "output parsed", why);
		hvb_spawn_out_free(&o);
		return rc;
	}
	hvb_spawn_out_free(&o);
	if (r.version[0])
		hvb_wl_fact(res, "fio.version", "%s", r.version);
	hvb_metrics_add(&res->metrics, "iops", r.read_iops + r.write_iops, "IOPS", HVB_HIGHER);
	if (r.read_iops > 0)
		hvb_metrics_add(&res->metrics, "read_iops", r.read_iops, "IOPS", HVB_HIGHER);
	if (r.write_iops > 0)
		hvb_metrics_add(&res->metrics, "write_iops", r.write_iops, "IOPS", HVB_HIGHER);
	hvb_metrics_add(&res->metrics, "bw_mbs", (r.read_bw_bytes + r.write_bw_bytes) / 1e6, "MB/s", HVB_HIGHER);
	hvb_metrics_add(&res->metrics, "clat_us.p50", r.clat_p50_ns / 1e3, "us", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "clat_us.p99", r.clat_p99_ns / 1e3, "us", HVB_LOWER);
	hvb_metrics_add(&res->metrics, "clat_us.p99.9", r.clat_p999_ns / 1e3, "us", HVB_LOWER);
	res->ops = (uint64_t)r.ios;
	hvb_metrics_add(&res->metrics, "ops", r.ios, "I/Os", HVB_INFO);
	return 0;
}

const struct hvb_workload_ops hvb_wl_fio = {
	.name = "fio",
	.summary = "block I/O with fio (JSON output): IOPS, bandwidth, completion latency p50/p99/p99.9",
	.options = fio_options,
	.metrics = fio_metrics,
	.op_name = "I/O",
	.flags = HVB_WL_NEEDS_DISK | HVB_WL_EXTERNAL,
	.program = "fio",
	.supported = fio_supported,
	.run = fio_run,
};
