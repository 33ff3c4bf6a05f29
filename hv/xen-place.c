/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NUMA placement on Xen. A plan from hv/placement.c (pCPUs and memory nodes)
 * becomes a layout: what libxl is told at build (automatic placement, node
 * affinity, vCPU hard affinity, virtual NUMA nodes) and what must be pinned
 * once the domain exists (remote: memory is allocated on one node while the
 * vCPUs may still run anywhere, then they are pinned to the other node). After
 * start the hypervisor's own view is read back and compared: the placement is
 * verified, not assumed. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hv/xen-internal.h"

static void cpus_of_node(const struct hvb_topo *t, int idx, const struct hvb_cpuset *within, struct hvb_cpuset *out)
{
	memset(out, 0, sizeof(*out));
	for (int c = 0; c < HVB_MAX_CPUS; c++)
		if (hvb_cpuset_has(&t->nodes[idx].cpus, c) && hvb_cpuset_has(within, c))
			hvb_cpuset_set(out, c);
}

int hvb_xen_layout(const struct hvb_placement *p, const struct hvb_topo *t, int vcpus, struct hvb_xen_layout *l,
		   char *why, size_t len)
{
	memset(l, 0, sizeof(*l));
	if (vcpus < 1 || vcpus > HVB_XEN_MAX_VCPUS) {
		snprintf(why, len, "xen: %d vCPUs asked; hvbench handles 1 to %d", vcpus, HVB_XEN_MAX_VCPUS);
		return HVB_EINVAL;
	}
	l->vcpus = vcpus;
	switch (p->kind) {
	case HVB_PL_NONE:
		return 0; /* floating: no affinity, no automatic placement */
	case HVB_PL_AUTO:
		l->numa_placement = 1;
		return 0;
	case HVB_PL_LOCAL:
	case HVB_PL_RANDOM:
	case HVB_PL_INTERLEAVE:
		/* Pinned at build: libxl then allocates the memory on the node map
		 * (Xen cycles allocations over the nodes of a multi-node map). */
		l->build_hard = p->cpus;
		for (int v = 0; v < vcpus; v++)
			l->hard[v] = p->cpus;
		l->nodemap = l->mem_nodes = p->mem_nodes;
		return 0;
	case HVB_PL_REMOTE:
		l->nodemap = l->mem_nodes = p->mem_nodes;
		l->pin_after_create = 1;
		for (int v = 0; v < vcpus; v++)
			l->hard[v] = p->cpus;
		return 0;
	case HVB_PL_SPLIT: {
		int nodes[2], n = 0;
		struct hvb_cpuset on[2];
		for (int i = 0; i < t->nnodes && n < 2; i++)
			if (hvb_cpuset_has(&p->cpu_nodes, i))
				nodes[n++] = i;
		if (n != 2 || vcpus < 2 || p->split_mem[0] < 0 || p->split_mem[1] < 0) {
			snprintf(why, len, "xen: split placement needs CPUs on two nodes and 2 vCPUs or more");
			return HVB_ESKIP;
		}
		l->vnodes = 2;
		for (int k = 0; k < 2; k++) {
			/* The virtual node's memory is its CPUs' local memory, which for
			 * a memoryless node is the nearest node with memory. */
			l->vnode_pnode[k] = p->split_mem[k];
			cpus_of_node(t, nodes[k], &p->cpus, &on[k]);
			hvb_cpuset_set(&l->nodemap, l->vnode_pnode[k]);
		}
		/* vCPUs 0..ceil(n/2)-1 on the first virtual node, like the plan's CPU split. */
		for (int v = 0; v < vcpus; v++)
			l->hard[v] = on[v < (vcpus + 1) / 2 ? 0 : 1];
		l->build_hard = p->cpus;
		l->mem_nodes = l->nodemap;
		return 0;
	}
	default:
		snprintf(why, len, "xen: placement %s is not supported", hvb_placement_names[p->kind]);
		return HVB_ESKIP;
	}
}

void hvb_xen_layout_hide_vnuma(struct hvb_xen_layout *l)
{
	l->vnodes = 0;
}

int hvb_xen_antagonist_layout(const struct hvb_cpuset *cpus, int per_cpu, struct hvb_xen_layout *l, char *why,
			      size_t len)
{
	int n = hvb_cpuset_count(cpus) * per_cpu, v = 0;

	memset(l, 0, sizeof(*l));
	if (per_cpu < 1 || n < 1 || n > HVB_XEN_MAX_VCPUS) {
		snprintf(why, len, "xen: an antagonist domain of %d vCPUs (%d per pCPU on %d pCPUs): hvbench handles 1 to %d",
			 n, per_cpu, hvb_cpuset_count(cpus), HVB_XEN_MAX_VCPUS);
		return HVB_ESKIP;
	}
	l->vcpus = n;
	l->build_hard = *cpus;
	/* per_cpu vCPUs on each pCPU, each pinned to its one pCPU from the start */
	for (int c = 0; c < HVB_MAX_CPUS; c++)
		for (int k = 0; hvb_cpuset_has(cpus, c) && k < per_cpu; k++)
			hvb_cpuset_set(&l->hard[v++], c);
	return 0;
}

int hvb_xen_layout_verify(const struct hvb_xen_layout *l, const struct hvb_xen_seen *seen, char *why, size_t len)
{
	char want[256], got[256];

	if (seen->vcpus != l->vcpus) {
		snprintf(why, len, "the domain has %d vCPUs, %d were asked", seen->vcpus, l->vcpus);
		return 0;
	}
	for (int v = 0; v < l->vcpus; v++)
		if (hvb_cpuset_count(&l->hard[v]) && !hvb_cpuset_equal(&l->hard[v], &seen->hard[v])) {
			hvb_cpuset_format(&l->hard[v], want, sizeof(want));
			hvb_cpuset_format(&seen->hard[v], got, sizeof(got));
			snprintf(why, len, "vCPU %d hard affinity is pCPUs %s, the placement asked for %s", v, got, want);
			return 0;
		}
	if (hvb_cpuset_count(&l->nodemap) && !hvb_cpuset_equal(&seen->node_affinity, &l->nodemap)) {
		hvb_cpuset_format(&l->nodemap, want, sizeof(want));
		hvb_cpuset_format(&seen->node_affinity, got, sizeof(got));
		snprintf(why, len, "node affinity is %s, the placement asked for %s", got, want);
		return 0;
	}
	return hvb_xen_memory_verify(l, seen, why, len);
}

int hvb_xen_memory_verify(const struct hvb_xen_layout *l, const struct hvb_xen_seen *seen, char *why, size_t len)
{
	char want[256], got[256];
	hvb_nodeset on = { { 0 } };

	if (!hvb_cpuset_count(&l->mem_nodes))
		return 1;
	if (!seen->have_pages) {
		snprintf(why, len, "the domain's memory per node could not be read back");
		return 0;
	}
	for (int n = 0; n < HVB_MAX_NODES; n++) {
		if (!seen->pages[n])
			continue;
		hvb_cpuset_set(&on, n);
		if (!hvb_cpuset_has(&l->mem_nodes, n)) {
			hvb_cpuset_format(&l->mem_nodes, want, sizeof(want));
			snprintf(why, len, "%llu of the domain's %llu pages are on node %d, the placement asked for node %s",
				 (unsigned long long)seen->pages[n], (unsigned long long)seen->total_pages, n, want);
			return 0;
		}
	}
	/* Split and interleave spread the memory: every asked node must hold some. */
	if ((l->vnodes || hvb_cpuset_count(&l->mem_nodes) > 1) && !hvb_cpuset_equal(&on, &l->mem_nodes)) {
		hvb_cpuset_format(&l->mem_nodes, want, sizeof(want));
		hvb_cpuset_format(&on, got, sizeof(got));
		snprintf(why, len, "the domain's memory is on node %s, the placement asked for it on each of %s", got,
			 want);
		return 0;
	}
	return 1;
}

/* The text after "(XEN)" and an optional "[timestamp]", without leading blanks. */
static const char *console_body(const char *line)
{
	const char *p = strstr(line, "(XEN)");

	p = p ? p + 5 : line;
	p += strspn(p, " \t");
	if (*p == '[' && strchr(p, ']'))
		p = strchr(p, ']') + 1;
	return p + strspn(p, " \t");
}

int hvb_xen_parse_numa_dump(const char *text, uint32_t domid, uint64_t *pages, int maxnodes, uint64_t *total)
{
	const char *start = NULL, *p = text, *hit;
	int current = -1, found = 0;

	/* The last dump is the one just asked for. */
	while ((hit = strstr(p, "Memory location of each domain:"))) {
		start = hit;
		p = hit + 1;
	}
	if (!start)
		return HVB_ENOENT;
	memset(pages, 0, (size_t)maxnodes * sizeof(*pages));
	for (p = strchr(start, '\n'); p && *p; p = strchr(p, '\n')) {
		char line[256];
		const char *b;
		unsigned id, node, tot;
		unsigned long long n;
		size_t l = strcspn(++p, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)(l < sizeof(line) ? l : sizeof(line) - 1), p);
		b = console_body(line);
		/* Xen 4.17 prints "Domain 3 (total: N):"; later ones "d3 (total: N):". */
		if (sscanf(b, "Domain %u (total: %u):", &id, &tot) == 2 || sscanf(b, "d%u (total: %u):", &id, &tot) == 2) {
			current = (int)id;
			if (id == domid) {
				*total = tot;
				found = 1;
			}
		} else if (current == (int)domid && sscanf(b, "Node %u: %llu", &node, &n) == 2 && (int)node < maxnodes) {
			pages[node] = n;
		}
	}
	return found ? 0 : HVB_ENOENT;
}

#ifdef HAVE_LIBXEN
int hvb_xen_read_seen(uint32_t domid, struct hvb_xen_seen *seen, char *why, size_t len)
{
	libxl_ctx *ctx = hvb_xen_ctx(why, len);
	xc_interface *xch = hvb_xen_xch(why, len);
	libxl_vcpuinfo *vi;
	int nv = 0, ncpus = 0;
	uint32_t index = 0;
	unsigned nr;
	char *ring;
	xc_nodemap_t nm;

	memset(seen, 0, sizeof(*seen));
	if (!ctx || !xch)
		return HVB_EIO;
	if (!(vi = libxl_list_vcpu(ctx, domid, &nv, &ncpus))) {
		snprintf(why, len, "libxl_list_vcpu(%u) failed", domid);
		return HVB_EIO;
	}
	for (int v = 0; v < nv && v < HVB_XEN_MAX_VCPUS; v++)
		hvb_xen_bitmap_to(&vi[v].cpumap, &seen->hard[vi[v].vcpuid < HVB_XEN_MAX_VCPUS ? vi[v].vcpuid : 0]);
	seen->vcpus = nv;
	libxl_vcpuinfo_list_free(vi, nv);
	if ((nm = xc_nodemap_alloc(xch))) {
		if (xc_domain_node_getaffinity(xch, domid, nm) == 0)
				for (int n = 0, max = xc_get_max_nodes(xch); n < HVB_MAX_NODES && n < max; n++)
				if ((nm[n / 8] >> (n % 8)) & 1)
					hvb_cpuset_set(&seen->node_affinity, n);
		free(nm);
	}
	/* Xen 4.17 has no hypercall that counts a domain's pages per node: the 'u'
	 * debug key prints them on the hypervisor console (what `xl debug-keys u;
	 * xl dmesg` shows), read here through libxc from where the ring stood. */
	nr = 1u << 20;
	if (!(ring = malloc(nr + 1)))
		return HVB_ENOMEM;
	if (xc_readconsolering(xch, ring, &nr, 0, 1, &index) < 0 || xc_send_debug_keys(xch, "u") < 0) {
		snprintf(why, len, "reading the hypervisor console or sending the 'u' debug key failed");
		free(ring);
		return 0; /* affinities were read; pages stay unknown */
	}
	for (size_t have = 0, tries = 0; tries < 20 && !seen->have_pages; tries++) {
		for (;;) {
			nr = (unsigned)((1u << 20) - have);
			if (nr == 0 || xc_readconsolering(xch, ring + have, &nr, 0, 1, &index) < 0 || nr == 0)
				break;
			have += nr;
		}
		ring[have] = 0;
		if (hvb_xen_parse_numa_dump(ring, domid, seen->pages, HVB_MAX_NODES, &seen->total_pages) == 0)
			seen->have_pages = 1;
		else
			usleep(50000); /* the key's handler runs from a tasklet, a moment later */
	}
	free(ring);
	return 0;
}
#endif
