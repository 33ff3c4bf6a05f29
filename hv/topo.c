/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Machine topology from hwloc: this host, or a synthetic or XML description for
 * planning tests. Under Xen, the xen backend builds the same struct from the
 * hypervisor's physinfo instead, since dom0's view is virtual. */
#include "config.h"
#include <errno.h>
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hv/hv.h"

static void from_bitmap(hwloc_const_bitmap_t b, struct hvb_cpuset *out)
{
	unsigned i;

	memset(out, 0, sizeof(*out));
	hwloc_bitmap_foreach_begin(i, b)
	{
		if (i < HVB_MAX_CPUS)
			hvb_cpuset_set(out, (int)i);
	}
	hwloc_bitmap_foreach_end();
}

static uint64_t largest_llc(hwloc_topology_t topo)
{
	static const hwloc_obj_type_t caches[] = { HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L1CACHE };

	for (size_t c = 0; c < 3; c++) {
		uint64_t best = 0;
		int n = hwloc_get_nbobjs_by_type(topo, caches[c]);
		for (int i = 0; i < n; i++) {
			hwloc_obj_t o = hwloc_get_obj_by_type(topo, caches[c], (unsigned)i);
			if (o->attr && o->attr->cache.size > best)
				best = o->attr->cache.size;
		}
		if (best)
			return best;
	}
	return 0;
}

static void read_distances(hwloc_topology_t topo, struct hvb_topo *t)
{
	struct hwloc_distances_s *d = NULL;
	unsigned nr = 1;
	int *ours;

	if (hwloc_distances_get_by_type(topo, HWLOC_OBJ_NUMANODE, &nr, &d, HWLOC_DISTANCES_KIND_MEANS_LATENCY,
					0) < 0 || nr < 1 || !d)
		return;
	/* hwloc orders d->objs by its own index; ours[k] is our index of d->objs[k], by os_index. */
	if ((int)d->nbobjs == t->nnodes && (ours = calloc(d->nbobjs, sizeof(int))) &&
	    (t->distances = malloc((size_t)t->nnodes * t->nnodes * sizeof(int)))) {
		for (unsigned k = 0; k < d->nbobjs; k++) {
			ours[k] = -1;
			for (int i = 0; i < t->nnodes; i++)
				if ((int)d->objs[k]->os_index == t->nodes[i].os_index)
					ours[k] = i;
		}
		for (int i = 0; i < t->nnodes * t->nnodes; i++)
			t->distances[i] = -1;
		for (unsigned a = 0; a < d->nbobjs; a++)
			for (unsigned b = 0; b < d->nbobjs; b++)
				if (ours[a] >= 0 && ours[b] >= 0)
					t->distances[ours[a] * t->nnodes + ours[b]] = (int)d->values[a * d->nbobjs + b];
		free(ours);
	} else if ((int)d->nbobjs == t->nnodes) {
		free(ours);
	}
	hwloc_distances_release(topo, d);
}

/* A NUMA node hwloc marks as another kind of memory (HBM, MCDRAM, NVM, CXL-DRAM,
 * GPUMemory) holds no CPUs of its own: in hwloc 2 it carries the cpuset of the
 * object it is attached to, shared with the DRAM node beside it. */
static int memory_only(hwloc_obj_t o) { return o->subtype && *o->subtype; }

/* Each CPU belongs to one node: among the nodes whose cpuset holds it, a DRAM
 * node before another memory kind, then the narrowest cpuset (a node attached
 * to the whole machine, as hwloc 2 shows CXL memory, holds every CPU), then the
 * lowest os index. Linux's own cpu_to_node gives the same node. */
static int owner_of(hwloc_topology_t topo, hwloc_obj_t o, unsigned cpu)
{
	int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE), w = hwloc_bitmap_weight(o->cpuset);

	for (int i = 0; i < n; i++) {
		hwloc_obj_t other = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
		int ow = hwloc_bitmap_weight(other->cpuset);
		if (other == o || !hwloc_bitmap_isset(other->cpuset, cpu))
			continue;
		if (memory_only(o) != memory_only(other)) {
			if (memory_only(o))
				return 0;
			continue;
		}
		if (ow < w || (ow == w && other->os_index < o->os_index))
			return 0;
	}
	return 1;
}

static struct hvb_topo *from_hwloc(hwloc_topology_t topo, const char *source, int restrict_to_self)
{
	struct hvb_topo *t;
	int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
	unsigned last;

	if (n > HVB_MAX_NODES) {
		hvb_log(HVB_LOG_ERROR, "%s: %d NUMA nodes; hvbench handles at most %d", source, n, HVB_MAX_NODES);
		return NULL;
	}
	last = (unsigned)hwloc_bitmap_last(hwloc_topology_get_complete_cpuset(topo));
	if (hwloc_bitmap_last(hwloc_topology_get_complete_cpuset(topo)) >= HVB_MAX_CPUS) {
		hvb_log(HVB_LOG_ERROR, "%s: CPU %u; hvbench handles CPUs 0 to %d", source, last, HVB_MAX_CPUS - 1);
		return NULL;
	}
	if (!(t = calloc(1, sizeof(*t))))
		return NULL;
	snprintf(t->source, sizeof(t->source), "%s", source);
	for (int i = 0; i < n; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
		struct hvb_node *nd = &t->nodes[t->nnodes++];
		unsigned c;
		if (o->os_index >= HVB_MAX_NODES) {
			hvb_log(HVB_LOG_ERROR, "%s: NUMA node %u; hvbench handles nodes 0 to %d", source, o->os_index,
				HVB_MAX_NODES - 1);
			free(t);
			return NULL;
		}
		nd->os_index = (int)o->os_index;
		snprintf(nd->subtype, sizeof(nd->subtype), "%s", o->subtype ? o->subtype : "");
		hwloc_bitmap_foreach_begin(c, o->cpuset)
		{
			if (owner_of(topo, o, c))
				hvb_cpuset_set(&nd->cpus, (int)c);
		}
		hwloc_bitmap_foreach_end();
		nd->ncpus = hvb_cpuset_count(&nd->cpus);
		nd->mem_bytes = o->attr ? o->attr->numanode.local_memory : 0;
	}
	t->npus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	t->ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	t->npackages = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	t->llc_bytes = largest_llc(topo);
	from_bitmap(hwloc_topology_get_allowed_cpuset(topo), &t->allowed);
	if (restrict_to_self) {
		cpu_set_t cs;
		struct hvb_cpuset mine = { { 0 } };
		if (sched_getaffinity(0, sizeof(cs), &cs) == 0) {
			for (int c = 0; c < CPU_SETSIZE && c < HVB_MAX_CPUS; c++)
				if (CPU_ISSET(c, &cs))
					hvb_cpuset_set(&mine, c);
			for (size_t w = 0; w < HVB_MAX_CPUS / 64; w++)
				t->allowed.bits[w] &= mine.bits[w];
		}
	}
	read_distances(topo, t);
	return t;
}

/* hwloc says why it cannot read an XML on stderr only (with HWLOC_XML_VERBOSE):
 * caught in a temporary file around the load, to be passed on in our message. */
struct caught {
	FILE *f;
	int saved;
};

static void catch_stderr(struct caught *c)
{
	setenv("HWLOC_XML_VERBOSE", "1", 0); /* read once, at hwloc's first XML message */
	fflush(stderr);
	c->saved = -1;
	if ((c->f = tmpfile()) && (c->saved = dup(2)) >= 0)
		dup2(fileno(c->f), 2);
}

static void release_stderr(struct caught *c, char *text, size_t len)
{
	size_t n = 0;

	text[0] = 0;
	fflush(stderr);
	if (c->saved >= 0) {
		dup2(c->saved, 2);
		close(c->saved);
	}
	if (!c->f)
		return;
	rewind(c->f);
	n = fread(text, 1, len - 1, c->f);
	text[n] = 0;
	fclose(c->f);
	for (char *p = text; *p; p++) /* one line */
		if (*p == '\n')
			*p = p[1] ? ' ' : 0;
}

static struct hvb_topo *load(const char *synthetic, const char *xml, const char *source)
{
	hwloc_topology_t topo;
	struct hvb_topo *t = NULL;
	struct caught c = { NULL, -1 };
	char said[512] = "";
	int rc = 0;

	if (xml && access(xml, R_OK) < 0) {
		hvb_log(HVB_LOG_ERROR, "topology XML %s: %s", xml, strerror(errno));
		return NULL;
	}
	if (hwloc_topology_init(&topo) < 0)
		return NULL;
	if (synthetic && hwloc_topology_set_synthetic(topo, synthetic) < 0) {
		hvb_log(HVB_LOG_ERROR, "hwloc: invalid synthetic topology '%s'", synthetic);
		goto out;
	}
	if (xml) {
		catch_stderr(&c);
		rc = hwloc_topology_set_xml(topo, xml) < 0 ? -1 : hwloc_topology_load(topo) < 0 ? -2 : 0;
		release_stderr(&c, said, sizeof(said));
		if (rc < 0) {
			unsigned v = hwloc_get_api_version();
			hvb_log(HVB_LOG_ERROR, "the installed hwloc (API %u.%u) cannot read the topology XML %s: %s",
				v >> 16, (v >> 8) & 0xff, xml, *said ? said : "it gave no reason");
			goto out;
		}
	} else if (hwloc_topology_load(topo) < 0) {
		hvb_log(HVB_LOG_ERROR, "hwloc: cannot load the topology of %s", source);
		goto out;
	}
	t = from_hwloc(topo, source, !synthetic && !xml);
out:
	hwloc_topology_destroy(topo);
	return t;
}

struct hvb_topo *hvb_topo_native(void) { return load(NULL, NULL, "hwloc (this host)"); }

struct hvb_topo *hvb_topo_load(const char *spec)
{
	if (!strncmp(spec, "synthetic:", 10))
		return load(spec + 10, NULL, spec);
	if (!strncmp(spec, "xml:", 4))
		return load(NULL, spec + 4, spec);
	hvb_log(HVB_LOG_ERROR, "topology '%s': expected synthetic:DESCRIPTION or xml:PATH", spec);
	return NULL;
}

void hvb_topo_free(struct hvb_topo *t)
{
	if (t)
		free(t->distances);
	free(t);
}

int hvb_topo_distance(const struct hvb_topo *t, int from_idx, int to_idx)
{
	if (!t->distances || from_idx < 0 || to_idx < 0 || from_idx >= t->nnodes || to_idx >= t->nnodes)
		return -1;
	return t->distances[from_idx * t->nnodes + to_idx];
}
