/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netback (dom0 only): the counters of a guest's vifs (the ones `ethtool -S
 * vifD.N` shows: tx_zerocopy_sent, tx_zerocopy_fail, tx_frag_overflow, ...),
 * read with the ETHTOOL_GSTATS ioctl, summed over the guest's vifs, as deltas
 * over the sample. The vifs are found under /sys/bus/xen-backend/devices/
 * vif-DOMID-N/net/. */
#include "config.h"
#include <dirent.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "probes/probes-internal.h"

#define NETBACK_MAX_VIFS 16

static const struct hvb_counter_doc vif_docs[] = {
	{ "tx_zerocopy_sent", "packets", HVB_INFO },
	{ "tx_zerocopy_success", "packets", HVB_HIGHER },
	{ "tx_zerocopy_fail", "packets", HVB_LOWER },
	{ "tx_frag_overflow", "packets", HVB_LOWER },
	{ "rx_gso_checksum_fixup", "packets", HVB_LOWER },
	{ "from_guest_bytes", "bytes", HVB_INFO },
	{ "to_guest_bytes", "bytes", HVB_INFO },
	{ "from_guest_packets", "packets", HVB_INFO },
	{ "to_guest_packets", "packets", HVB_INFO },
	{ "dropped", "packets", HVB_LOWER },
	{ 0 },
};

/* The traffic itself, from the vif's interface statistics; dom0's vif receives
 * what the guest sends. */
static const struct {
	const char *file, *name;
} if_stats[] = {
	{ "rx_bytes", "from_guest_bytes" },	{ "tx_bytes", "to_guest_bytes" },
	{ "rx_packets", "from_guest_packets" }, { "tx_packets", "to_guest_packets" },
	{ "rx_dropped", "dropped" },		{ "tx_dropped", "dropped" },
};

static const struct hvb_option netback_options[] = {
	{ .name = "root", .type = HVB_OPT_STRING, .def = "/",
	  .help = "where /sys is found when looking for the guest's vifs (tests use trees laid out like sysfs)" },
	{ 0 },
};

static const struct hvb_metric_doc netback_metrics[] = {
	{ "netback.tx_zerocopy_fail", "packets", HVB_LOWER, "guest transmits whose zero-copy grant failed" },
	{ "netback.tx_frag_overflow", "packets", HVB_LOWER, "guest transmits with too many fragments" },
	{ "netback.%s", "packets", HVB_INFO, "any other counter the vif reports (ethtool -S), over the sample" },
	{ "netback.from_guest_bytes", "bytes", HVB_INFO, "bytes the guest sent through its vifs (also to_guest_bytes)" },
	{ "netback.from_guest_packets", "packets", HVB_INFO, "packets the guest sent (also to_guest_packets)" },
	{ "netback.dropped", "packets", HVB_LOWER, "packets the vifs dropped, both ways" },
	{ "netback.vifs", "count", HVB_INFO, "vifs of the guest that were read" },
	{ 0 },
};

/* Names of the network interfaces of the guest's vif backends under root. */
int hvb_netback_vifs(const char *root, int domid, char names[][HVB_IFNAMSIZ], int max)
{
	char path[768], prefix[32];
	struct dirent *de, *ne;
	DIR *d, *nd;
	int n = 0;

	snprintf(prefix, sizeof(prefix), "vif-%d-", domid);
	hvb_probe_path(path, sizeof(path), root, "/sys/bus/xen-backend/devices");
	if (!(d = opendir(path)))
		return HVB_ENOENT;
	while ((de = readdir(d)) && n < max) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		hvb_probe_path(path, sizeof(path), root, "/sys/bus/xen-backend/devices/%s/net", de->d_name);
		if (!(nd = opendir(path)))
			continue;
		while ((ne = readdir(nd)) && n < max)
			if (ne->d_name[0] != '.' && strlen(ne->d_name) < HVB_IFNAMSIZ)
				snprintf(names[n++], HVB_IFNAMSIZ, "%s", ne->d_name);
		closedir(nd);
	}
	closedir(d);
	return n;
}

static int ethtool(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr);
}

/* Adds the interface's ethtool statistics (ETH_SS_STATS) to snap, summing
 * counters of the same name. */
int hvb_ethtool_stats(const char *ifname, struct hvb_metrics *snap)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} sset = { .hdr = { .cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_STATS } };
	struct ethtool_gstrings *strs = NULL;
	struct ethtool_stats *vals = NULL;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;
	uint32_t n;

	if (fd < 0)
		return HVB_EIO;
	if (ethtool(fd, ifname, &sset) < 0) {
		rc = errno == ENODEV ? HVB_ENOENT : errno == EOPNOTSUPP ? HVB_ESKIP : HVB_EIO;
		goto out;
	}
	n = sset.hdr.sset_mask ? sset.len : 0;
	if (!n) {
		rc = HVB_ESKIP; /* the driver keeps no ethtool statistics */
		goto out;
	}
	strs = calloc(1, sizeof(*strs) + (size_t)n * ETH_GSTRING_LEN);
	vals = calloc(1, sizeof(*vals) + (size_t)n * sizeof(uint64_t));
	if (!strs || !vals) {
		rc = HVB_ENOMEM;
		goto out;
	}
	strs->cmd = ETHTOOL_GSTRINGS;
	strs->string_set = ETH_SS_STATS;
	strs->len = n;
	vals->cmd = ETHTOOL_GSTATS;
	vals->n_stats = n;
	if (ethtool(fd, ifname, strs) < 0 || ethtool(fd, ifname, vals) < 0) {
		rc = HVB_EIO;
		goto out;
	}
	for (uint32_t i = 0; i < n && i < vals->n_stats && rc == 0; i++) {
		char name[ETH_GSTRING_LEN + 1];
		memcpy(name, strs->data + (size_t)i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
		name[ETH_GSTRING_LEN] = 0;
		if (name[0] && hvb_counter_add(snap, name, (double)vals->data[i]) < 0)
			rc = HVB_ENOMEM;
	}
	if (rc == 0)
		rc = (int)n;
out:
	free(strs);
	free(vals);
	close(fd);
	return rc;
}

/* Sums the ethtool and interface counters of domid's vifs into m; returns how many vifs answered. */
int hvb_netback_read(const char *root, int domid, struct hvb_metrics *m)
{
	char names[NETBACK_MAX_VIFS][HVB_IFNAMSIZ];
	int n = hvb_netback_vifs(root, domid, names, NETBACK_MAX_VIFS), got = 0;

	for (int i = 0; i < n; i++) {
		int rc = hvb_ethtool_stats(names[i], m), ok = rc >= 0;
		if (rc < 0)
			hvb_log(HVB_LOG_DEBUG, "netback: %s: %s", names[i], hvb_strerror(rc));
		for (size_t k = 0; k < sizeof(if_stats) / sizeof(if_stats[0]); k++) {
			char path[768];
			uint64_t v;
			hvb_probe_path(path, sizeof(path), root, "/sys/class/net/%s/statistics/%s", names[i],
				       if_stats[k].file);
			if (hvb_probe_read_u64(path, &v) == 0) {
				if (hvb_counter_add(m, if_stats[k].name, (double)v) < 0)
					return HVB_ENOMEM;
				ok = 1;
			}
		}
		got += ok;
	}
	return n < 0 ? n : got;
}

static const struct hvb_devstats_kind netback_kind = {
	.ns = "netback", .count_name = "vifs", .what = "vif", .docs = vif_docs, .read = hvb_netback_read,
};

static int netback_open(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			size_t len)
{
	return hvb_devstats_open(&netback_kind, p, t, state, why, len);
}

const struct hvb_probe_ops hvb_probe_netback = {
	.name = "netback",
	.summary = "dom0: the guest's vif counters (ethtool statistics: tx_zerocopy_sent, tx_zerocopy_fail, ...) over the sample",
	.options = netback_options,
	.metrics = netback_metrics,
	.where = HVB_PROBE_HOST,
	.supported = hvb_devstats_supported,
	.open = netback_open,
	.start = hvb_devstats_start,
	.stop = hvb_devstats_stop,
	.collect = hvb_devstats_collect,
	.close = hvb_devstats_close,
};
