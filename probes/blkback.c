/* SPDX-License-Identifier: GPL-2.0-or-later */
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

static const struct hvb_devstats_kind blkback_kind = {
	.ns = "blkback", .count_name = "vbds", .what = "vbd", .docs = vbd_docs, .read = hvb_blkback_read,
};

static int blkback_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	return hvb_devstats_open(&blkback_kind, p, t, state, why, len);
}

const struct hvb_probe_ops hvb_probe_blkback = {
	.name = "blkback",
	.summary = "dom0: the guest's vbd statistics (oo_req rd_req wr_req f_req ds_req rd_sect wr_sect) over the sample",
	.options = blkback_options,
	.metrics = blkback_metrics,
	.where = HVB_PROBE_HOST,
	.supported = hvb_devstats_supported,
	.open = blkback_open,
	.start = hvb_devstats_start,
	.stop = hvb_devstats_stop,
	.collect = hvb_devstats_collect,
	.close = hvb_devstats_close,
};
