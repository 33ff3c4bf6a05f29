/* blkback (dom0 only): the statistics of a guest's virtual block devices, as
 * blkback keeps them in sysfs (/sys/bus/xen-backend/devices/vbd-DOMID-DEV/
 * statistics/), summed over the guest's vbds, as deltas over the sample. */
#include "config.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/probes-internal.h"

static const char *const vbd_stats[] = { "oo_req", "rd_req", "wr_req", "f_req", "ds_req", "rd_sect", "wr_sect",
					 NULL };

static const struct hvb_counter_doc vbd_docs[] = {
	{ "oo_req", "requests", HVB_LOWER }, /* the ring was full: the guest waited for blkback */
	{ "rd_req", "requests", HVB_INFO },
	{ "wr_req", "requests", HVB_INFO },
	{ "f_req", "requests", HVB_INFO },
	{ "ds_req", "requests", HVB_INFO },
	{ "rd_sect", "sectors", HVB_INFO },
	{ "wr_sect", "sectors", HVB_INFO },
	{ 0 },
};

static const struct hvb_option blkback_options[] = {
	{ .name = "root", .type = HVB_OPT_STRING, .def = "/",
	  .help = "where /sys is found (tests use trees laid out like sysfs)" },
	{ 0 },
};

static const struct hvb_metric_doc blkback_metrics[] = {
	{ "blkback.oo_req", "requests", HVB_LOWER, "requests that found the ring full (out of requests)" },
	{ "blkback.%s", "requests", HVB_INFO,
	  "rd_req wr_req f_req ds_req (requests) and rd_sect wr_sect (sectors) over the sample, all vbds" },
	{ "blkback.vbds", "count", HVB_INFO, "vbds of the guest that were read" },
	{ 0 },
};

/* Sums the statistics of every vbd-DOMID-* under root into snap; returns the
 * number of vbds read. */
int hvb_blkback_read(const char *root, int domid, struct hvb_metrics *snap)
{
	char path[768], prefix[32];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(prefix, sizeof(prefix), "vbd-%d-", domid);
	hvb_probe_path(path, sizeof(path), root, "/sys/bus/xen-backend/devices");
	if (!(d = opendir(path)))
		return HVB_ENOENT;
	while ((de = readdir(d))) {
		int got = 0;
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		for (size_t i = 0; vbd_stats[i]; i++) {
			uint64_t v;
			hvb_probe_path(path, sizeof(path), root, "/sys/bus/xen-backend/devices/%s/statistics/%s",
				       de->d_name, vbd_stats[i]);
			if (hvb_probe_read_u64(path, &v) < 0)
				continue;
			if (hvb_counter_add(snap, vbd_stats[i], (double)v) < 0) {
				closedir(d);
				return HVB_ENOMEM;
			}
			got = 1;
		}
		n += got;
	}
	closedir(d);
	return n;
}

struct blkback_state {
	char root[256];
	int domid, nvbd;
	struct hvb_metrics s0, s1;
};

static int blkback_supported(char *why, size_t len)
{
	if (access("/sys/bus/xen-backend/devices", R_OK)) {
		snprintf(why, len, "not running in a Xen dom0 with blkback (no /sys/bus/xen-backend)");
		return 0;
	}
	return 1;
}

static int blkback_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	struct blkback_state *st;

	if (t->domid < 0) {
		snprintf(why, len, "the target is not a Xen guest: no vbd to watch");
		return HVB_ESKIP;
	}
	if (!(st = calloc(1, sizeof(*st))))
		return HVB_ENOMEM;
	snprintf(st->root, sizeof(st->root), "%s", hvb_param_str(p, "root"));
	st->domid = t->domid;
	*state = st;
	return 0;
}

static int blkback_snap(struct blkback_state *st, struct hvb_metrics *m)
{
	int n;

	hvb_metrics_free(m);
	n = hvb_blkback_read(st->root, st->domid, m);
	if (n >= 0)
		st->nvbd = n;
	return n < 0 ? n : 0;
}

static int blkback_start(void *state)
{
	struct blkback_state *st = state;
	return blkback_snap(st, &st->s0);
}

static int blkback_stop(void *state)
{
	struct blkback_state *st = state;
	return blkback_snap(st, &st->s1);
}

static int blkback_collect(void *state, struct hvb_metrics *out)
{
	struct blkback_state *st = state;
	int rc = hvb_counters_delta(&st->s0, &st->s1, "blkback", vbd_docs, out);

	return hvb_metrics_add(out, "blkback.vbds", st->nvbd, "count", HVB_INFO) < 0 ? HVB_ENOMEM : rc;
}

static void blkback_close(void *state)
{
	struct blkback_state *st = state;

	if (!st)
		return;
	hvb_metrics_free(&st->s0);
	hvb_metrics_free(&st->s1);
	free(st);
}

const struct hvb_probe_ops hvb_probe_blkback = {
	.name = "blkback",
	.summary = "dom0: the guest's vbd statistics (oo_req rd_req wr_req f_req ds_req rd_sect wr_sect) over the sample",
	.options = blkback_options,
	.metrics = blkback_metrics,
	.where = HVB_PROBE_HOST,
	.supported = blkback_supported,
	.open = blkback_open,
	.start = blkback_start,
	.stop = blkback_stop,
	.collect = blkback_collect,
	.close = blkback_close,
};
