/* Machine topology from hwloc: this host, or a synthetic or XML description for
 * planning tests. Under Xen, the xen backend builds the same struct from the
 * hypervisor's physinfo instead, since dom0's view is virtual. */
#include "config.h"
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

	if (hwloc_distances_get_by_type(topo, HWLOC_OBJ_NUMANODE, &nr, &d, HWLOC_DISTANCES_KIND_MEANS_LATENCY,
					0) < 0 || nr < 1 || !d)
		return;
	if ((int)d->nbobjs == t->nnodes && (t->distances = calloc((size_t)t->nnodes * t->nnodes, sizeof(int)))) {
		for (int i = 0; i < t->nnodes; i++)
			for (int j = 0; j < t->nnodes; j++) {
				/* hwloc orders d->objs by its own index; map to ours by os_index. */
				int a = -1, b = -1;
				for (unsigned k = 0; k < d->nbobjs; k++) {
					if ((int)d->objs[k]->os_index == t->nodes[i].os_index)
						a = (int)k;
					if ((int)d->objs[k]->os_index == t->nodes[j].os_index)
						b = (int)k;
				}
				t->distances[i * t->nnodes + j] =
					a < 0 || b < 0 ? -1 : (int)d->values[(unsigned)a * d->nbobjs + (unsigned)b];
			}
	}
	hwloc_distances_release(topo, d);
}

static struct hvb_topo *from_hwloc(hwloc_topology_t topo, const char *source, int restrict_to_self)
{
	struct hvb_topo *t = calloc(1, sizeof(*t));
	int n;

	if (!t)
		return NULL;
	snprintf(t->source, sizeof(t->source), "%s", source);
	n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
	for (int i = 0; i < n && t->nnodes < HVB_MAX_NODES; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
		struct hvb_node *nd = &t->nodes[t->nnodes++];
		nd->os_index = (int)o->os_index;
		from_bitmap(o->cpuset, &nd->cpus);
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

static struct hvb_topo *load(const char *synthetic, const char *xml, const char *source)
{
	hwloc_topology_t topo;
	struct hvb_topo *t = NULL;

	if (hwloc_topology_init(&topo) < 0)
		return NULL;
	if (synthetic && hwloc_topology_set_synthetic(topo, synthetic) < 0) {
		hvb_log(HVB_LOG_ERROR, "hwloc: invalid synthetic topology '%s'", synthetic);
		goto out;
	}
	if (xml && hwloc_topology_set_xml(topo, xml) < 0) {
		hvb_log(HVB_LOG_ERROR, "hwloc: cannot read topology XML %s", xml);
		goto out;
	}
	if (hwloc_topology_load(topo) < 0) {
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
