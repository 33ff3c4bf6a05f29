/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The machine as Xen sees it: pCPUs, cores, sockets and NUMA nodes with their
 * memory, free memory and distances, from libxl_get_numainfo and
 * libxl_get_cpu_topology. dom0's own view is virtual (a PV dom0 sees one node),
 * so placement on Xen is planned on this. The same builder reads a JSON
 * fixture of those arrays, for tests and for planning away from the host. */
#include "config.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hv/xen-internal.h"

struct hvb_topo *hvb_xen_topo_from_arrays(const struct hvb_xen_numa *numa, int nnodes, const struct hvb_xen_cpu *cpus,
					  int ncpus, const char *source)
{
	struct hvb_topo *t = calloc(1, sizeof(*t));
	int idx_of[HVB_MAX_NODES], seen_sock[256] = { 0 };
	uint32_t cores[HVB_MAX_CPUS][2];
	int ncoreids = 0;

	if (!t)
		return NULL;
	snprintf(t->source, sizeof(t->source), "%s", source);
	for (int n = 0; n < nnodes && n < HVB_MAX_NODES; n++) {
		idx_of[n] = -1;
		if (numa[n].size == HVB_XEN_INVALID || numa[n].size == UINT64_MAX)
			continue; /* no such node on this host */
		idx_of[n] = t->nnodes;
		struct hvb_node *nd = &t->nodes[t->nnodes++];
		nd->os_index = n;
		nd->mem_bytes = numa[n].size;
		nd->free_bytes = numa[n].free == HVB_XEN_INVALID ? 0 : numa[n].free;
	}
	for (int c = 0; c < ncpus && c < HVB_MAX_CPUS; c++) {
		int known = 0;
		if (cpus[c].node == HVB_XEN_INVALID || cpus[c].core == HVB_XEN_INVALID)
			continue; /* offline pCPU */
		if ((int)cpus[c].node < nnodes && cpus[c].node < HVB_MAX_NODES && idx_of[cpus[c].node] >= 0) {
			struct hvb_node *nd = &t->nodes[idx_of[cpus[c].node]];
			hvb_cpuset_set(&nd->cpus, c);
			nd->ncpus++;
		}
		hvb_cpuset_set(&t->allowed, c);
		t->npus++;
		if (cpus[c].socket < 256 && !seen_sock[cpus[c].socket]++)
			t->npackages++;
		for (int k = 0; k < ncoreids; k++)
			known |= cores[k][0] == cpus[c].socket && cores[k][1] == cpus[c].core;
		if (!known) {
			cores[ncoreids][0] = cpus[c].socket;
			cores[ncoreids++][1] = cpus[c].core;
		}
	}
	t->ncores = ncoreids;
	if (t->nnodes && (t->distances = calloc((size_t)t->nnodes * t->nnodes, sizeof(int)))) {
		for (int i = 0; i < t->nnodes; i++)
			for (int j = 0; j < t->nnodes; j++) {
				const struct hvb_xen_numa *a = &numa[t->nodes[i].os_index];
				int to = t->nodes[j].os_index;
				t->distances[i * t->nnodes + j] =
					to < a->ndists && a->dists[to] != HVB_XEN_INVALID ? (int)a->dists[to] : -1;
			}
	}
	return t;
}

static int get_u(json_t *o, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

struct hvb_topo *hvb_xen_topo_load_json(const char *path)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *na, *ca, *v;
	struct hvb_xen_numa *numa = NULL; /* 4 MiB at HVB_MAX_NODES: not on the stack */
	struct hvb_xen_cpu *cpus = NULL;
	struct hvb_topo *t = NULL;
	char source[160];
	size_t i, j;
	int nn = 0, nc = 0;

	if (!root) {
		hvb_log(HVB_LOG_ERROR, "%s:%d: %s (expected a Xen topology in JSON)", path, err.line, err.text);
		return NULL;
	}
	na = json_object_get(root, "numainfo");
	ca = json_object_get(root, "cputopology");
	if (!json_is_array(na) || !json_is_array(ca) || json_array_size(na) > HVB_MAX_NODES ||
	    json_array_size(ca) > HVB_MAX_CPUS) {
		hvb_log(HVB_LOG_ERROR, "%s: expected arrays \"numainfo\" (at most %d) and \"cputopology\" (at most %d)",
			path, HVB_MAX_NODES, HVB_MAX_CPUS);
		goto out;
	}
	if (!(numa = calloc(json_array_size(na) + 1, sizeof(*numa))))
		goto out;
	json_array_foreach(na, i, v) {
		json_t *d = json_object_get(v, "dists"), *dv;
		if (get_u(v, "size", &numa[i].size) < 0 || get_u(v, "free", &numa[i].free) < 0 || !json_is_array(d) ||
		    json_array_size(d) > HVB_MAX_NODES) {
			hvb_log(HVB_LOG_ERROR, "%s: numainfo[%zu]: expected {\"size\": BYTES, \"free\": BYTES, \"dists\": [...]}",
				path, i);
			goto out;
		}
		json_array_foreach(d, j, dv) numa[i].dists[j] = (uint32_t)json_integer_value(dv);
		numa[i].ndists = (int)json_array_size(d);
		nn++;
	}
	if (!(cpus = calloc(json_array_size(ca) + 1, sizeof(*cpus))))
		goto out;
	json_array_foreach(ca, i, v) {
		uint64_t core, sock, node;
		if (get_u(v, "core", &core) < 0 || get_u(v, "socket", &sock) < 0 || get_u(v, "node", &node) < 0) {
			hvb_log(HVB_LOG_ERROR, "%s: cputopology[%zu]: expected {\"core\", \"socket\", \"node\"}", path, i);
			goto out;
		}
		cpus[i] = (struct hvb_xen_cpu){ (uint32_t)core, (uint32_t)sock, (uint32_t)node };
		nc++;
	}
	snprintf(source, sizeof(source), "xen-json:%s", path);
	t = hvb_xen_topo_from_arrays(numa, nn, cpus, nc, source);
out:
	free(numa);
	free(cpus);
	json_decref(root);
	return t;
}

#ifdef HAVE_LIBXEN
struct hvb_topo *hvb_xen_topo_host(void)
{
	char why[256];
	libxl_ctx *ctx = hvb_xen_ctx(why, sizeof(why));
	libxl_numainfo *ni = NULL;
	libxl_cputopology *ct = NULL;
	struct hvb_xen_numa *numa = NULL;
	struct hvb_xen_cpu *cpus = NULL;
	struct hvb_topo *t = NULL;
	int nn = 0, nc = 0;

	if (!ctx) {
		hvb_log(HVB_LOG_ERROR, "xen topology: %s", why);
		return NULL;
	}
	if (!(ni = libxl_get_numainfo(ctx, &nn)) || !(ct = libxl_get_cpu_topology(ctx, &nc))) {
		hvb_log(HVB_LOG_ERROR, "xen topology: libxl_get_%s failed", ni ? "cpu_topology" : "numainfo");
		goto out;
	}
	if (!(numa = calloc((size_t)nn, sizeof(*numa))) || !(cpus = calloc((size_t)nc, sizeof(*cpus))))
		goto out;
	for (int i = 0; i < nn && i < HVB_MAX_NODES; i++) {
		numa[i].size = ni[i].size == LIBXL_NUMAINFO_INVALID_ENTRY ? HVB_XEN_INVALID : ni[i].size;
		numa[i].free = ni[i].free;
		numa[i].ndists = ni[i].num_dists < HVB_MAX_NODES ? ni[i].num_dists : HVB_MAX_NODES;
		for (int j = 0; j < numa[i].ndists; j++)
			numa[i].dists[j] = ni[i].dists[j];
	}
	for (int i = 0; i < nc; i++)
		cpus[i] = (struct hvb_xen_cpu){ ct[i].core, ct[i].socket, ct[i].node };
	t = hvb_xen_topo_from_arrays(numa, nn < HVB_MAX_NODES ? nn : HVB_MAX_NODES, cpus, nc,
				     "xen physinfo (libxl_get_numainfo, libxl_get_cpu_topology)");
out:
	if (ni)
		libxl_numainfo_list_free(ni, nn);
	if (ct)
		libxl_cputopology_list_free(ct, nc);
	free(numa);
	free(cpus);
	return t;
}
#else
struct hvb_topo *hvb_xen_topo_host(void)
{
	hvb_log(HVB_LOG_ERROR, "xen topology: hvbench was built without the Xen toolstack libraries");
	return NULL;
}
#endif
