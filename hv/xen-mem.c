/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory on the nodes a placement needs, before a guest is built, and the
 * domain really gone after it is destroyed.
 *
 * Why: Xen takes memory from other nodes when the asked node is short, so a
 * "local" guest built while the previous guest's memory is still held (a dying
 * domain whose device model has not let go of it yet) lands on the wrong node.
 * Waiting for the memory, and failing the cell with the free figures when it
 * does not come, is better than a placement the verifier has to refuse
 * afterwards. (Free memory includes pages Xen has yet to scrub, which it skips
 * for superpages in favour of another node's clean ones; physinfo's scrub_pages
 * is always 0, so HVM guests get an exact-node vNUMA node instead: xen-config.c.) */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "hv/xen-internal.h"

int hvb_xen_nodes_have(const uint64_t *free_bytes, int nnodes, const hvb_nodeset *mask, uint64_t need, char *why,
		       size_t len)
{
	uint64_t sum = 0;
	size_t off;

	for (int n = 0; n < nnodes && n < HVB_MAX_NODES; n++)
		if (hvb_cpuset_has(mask, n))
			sum += free_bytes[n];
	if (sum >= need)
		return 1;
	off = (size_t)snprintf(why, len, "xen: the placement needs %llu MiB on node(s)", (unsigned long long)(need >> 20));
	for (int n = 0; n < nnodes && n < HVB_MAX_NODES && off < len; n++)
		if (hvb_cpuset_has(mask, n))
			off += (size_t)snprintf(why + off, len - off, " %d", n);
	if (off < len)
		off += (size_t)snprintf(why + off, len - off, " and they have %llu MiB free (per node:",
					(unsigned long long)(sum >> 20));
	for (int n = 0; n < nnodes && n < HVB_MAX_NODES && off < len; n++)
		off += (size_t)snprintf(why + off, len - off, " %d: %llu MiB", n, (unsigned long long)(free_bytes[n] >> 20));
	if (off < len)
		snprintf(why + off, len - off, ")");
	return 0;
}

uint64_t hvb_xen_guest_footprint(const char *mode, int vcpus, uint64_t memory, int antagonists)
{
	struct hvb_xen_mode m;
	char why[128];
	uint64_t kb = memory / 1024;
	int pv = hvb_xen_mode_parse(mode, &m, why, sizeof(why)) == 0 && !strcmp(m.base, "pv");

	if (!pv)
		kb += 4 * (256 * (uint64_t)(vcpus > 0 ? vcpus : 1) + 2 * (kb / 1024));
	kb += pv ? 1024 : 2048;
	kb = (kb + 2047) / 2048 * 2048;
	/* the antagonist domain: PV, whatever its vCPUs (xen.c) */
	return kb * 1024 + (antagonists > 0 ? hvb_xen_guest_footprint("pv", 1, HVB_XEN_ANTAGONIST_MEMORY, 0) : 0);
}

#ifdef HAVE_LIBXEN
static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int hvb_xen_wait_node_memory(libxl_ctx *ctx, const hvb_nodeset *mask, uint64_t need, double wait_s, char *why, size_t len)
{
	double end = mono() + wait_s;
	int waited = 0;

	if (!hvb_cpuset_count(mask))
		return 0;
	for (;;) {
		uint64_t free_bytes[HVB_MAX_NODES] = { 0 };
		int nn = 0;
		libxl_numainfo *ni = libxl_get_numainfo(ctx, &nn);
		if (!ni) {
			snprintf(why, len, "xen: libxl_get_numainfo failed: cannot check free memory per node");
			return HVB_EIO;
		}
		for (int n = 0; n < nn && n < HVB_MAX_NODES; n++)
			free_bytes[n] = ni[n].free == LIBXL_NUMAINFO_INVALID_ENTRY ? 0 : ni[n].free;
		libxl_numainfo_list_free(ni, nn);
		if (hvb_xen_nodes_have(free_bytes, nn, mask, need, why, len)) {
			if (waited)
				hvb_log(HVB_LOG_INFO, "xen: waited %d s for free memory on the placement's nodes", waited / 2);
			return 0;
		}
		if (mono() > end)
			return HVB_EIO;
		usleep(500000);
		waited++;
	}
}

int hvb_xen_wait_gone(libxl_ctx *ctx, uint32_t domid, double wait_s)
{
	double end = mono() + wait_s;
	libxl_dominfo info;

	libxl_dominfo_init(&info);
	while (libxl_domain_info(ctx, &info, domid) == 0) {
		libxl_dominfo_dispose(&info);
		if (mono() > end)
			return 0;
		usleep(200000);
	}
	return 1;
}
#endif
