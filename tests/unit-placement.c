/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Placement planning on hwloc synthetic and XML topologies of 1, 2 and 4 nodes. */
#include "config.h"
#include <stdlib.h>
#include "hv/hv.h"
#include "hv/xen-internal.h"
#include "tests/check.h"

static char logged[1024];
static void keep_log(enum hvb_log_level lvl, const char *msg, void *arg)
{
	snprintf(logged, sizeof(logged), "%s", msg);
}

static struct hvb_topo *xml(const char *name)
{
	char spec[4096];
	snprintf(spec, sizeof(spec), "xml:%s/tests/data/%s%s", getenv("top_srcdir") ? getenv("top_srcdir") : ".",
		 strchr(name, '/') ? "" : "topo/", name);
	return hvb_topo_load(spec);
}

static int plan(const struct hvb_topo *t, enum hvb_placement_kind k, int vcpus, struct hvb_placement *p, char *why)
{
	return hvb_placement_plan(t, k, vcpus, 42, p, why, 512);
}

static const char *cpus(const struct hvb_placement *p)
{
	static char buf[256];
	hvb_cpuset_format(&p->cpus, buf, sizeof(buf));
	return buf;
}

static const char *fmt_cpus(const struct hvb_cpuset *s)
{
	static char buf[256];
	hvb_cpuset_format(s, buf, sizeof(buf));
	return buf;
}

/* A node set in list syntax ("0-3"; "none"). */
static const char *ns(const hvb_nodeset *s)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	hvb_cpuset_format(s, buf[k], sizeof(buf[k]));
	return buf[k];
}

static const char *ns(const hvb_nodeset *s);

/* Every placement on t: exactly vcpus distinct CPUs, each in one node; memory
 * only on nodes that have some; or a skip with a reason. */
static void every_placement(const struct hvb_topo *t, int vcpus)
{
	for (int k = HVB_PL_NONE; k <= HVB_PL_RANDOM; k++) {
		struct hvb_placement p;
		char why[512] = "";
		int rc = plan(t, (enum hvb_placement_kind)k, vcpus, &p, why);
		if (rc == HVB_ESKIP) {
			CHECK(*why);
			continue;
		}
		CHECK(rc == 0);
		if (k != HVB_PL_AUTO && hvb_cpuset_count(&p.cpus) != vcpus) {
			fprintf(stderr, "%s on %s: %d CPUs for %d vCPUs\n", hvb_placement_names[k], t->source,
				hvb_cpuset_count(&p.cpus), vcpus);
			check_failures++;
		}
		for (int n = 0; n < HVB_MAX_NODES; n++)
			if (hvb_cpuset_has(&p.mem_nodes, n))
				for (int i = 0; i < t->nnodes; i++)
					if (t->nodes[i].os_index == n && !t->nodes[i].mem_bytes) {
						fprintf(stderr, "%s on %s: memory on node %d, which has none\n",
							hvb_placement_names[k], t->source, n);
						check_failures++;
					}
	}
}

/* Each CPU in at most one node, and the nodes' counts add up. */
static int cpus_once(const struct hvb_topo *t)
{
	struct hvb_cpuset all = { { 0 } };
	int sum = 0;
	for (int i = 0; i < t->nnodes; i++) {
		for (int c = 0; c < HVB_MAX_CPUS; c++)
			if (hvb_cpuset_has(&t->nodes[i].cpus, c)) {
				if (hvb_cpuset_has(&all, c))
					return 0;
				hvb_cpuset_set(&all, c);
			}
		sum += t->nodes[i].ncpus;
	}
	return sum == hvb_cpuset_count(&all);
}

/* Real machines' shapes, natively (hwloc XML) and on Xen (physinfo as data). */
static void test_shapes(void)
{
	struct hvb_topo *tr = xml("cases/topology/11-threadripper-nps4-memoryless.xml");
	struct hvb_topo *hbm = xml("hbm-shared-cpuset.xml"), *cxl = xml("cxl-memory-only-node0.xml");
	struct hvb_topo *big = hvb_topo_load("synthetic:node:96 core:1 pu:1"), *xen, *bad;
	struct hvb_placement p;
	struct hvb_xen_layout l;
	char why[512], path[4096];

	CHECK(tr && hbm && cxl && big);
	if (!tr || !hbm || !cxl || !big)
		return;
	/* The case: nodes 0 and 3 have CPUs and 0 bytes of memory. Memory only ever
	 * goes to nodes 1 and 2; local is a node with its own memory. */
	CHECK(tr->nnodes == 4 && cpus_once(tr) && tr->nodes[0].ncpus == 12 && !tr->nodes[0].mem_bytes);
	CHECK(plan(tr, HVB_PL_LOCAL, 4, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "1") && !strcmp(cpus(&p), "6-9"));
	CHECK(plan(tr, HVB_PL_REMOTE, 4, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "2"));
	CHECK(plan(tr, HVB_PL_INTERLEAVE, 8, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "1-2"));
	CHECK(plan(tr, HVB_PL_SPLIT, 8, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "1-2"));
	for (int v = 1; v <= 48; v += 11)
		every_placement(tr, v);

	/* DRAM beside HBM on one cpuset (HBM nodes 0 and 2 first by index): the
	 * CPUs are the DRAM nodes', each once; HBM is neither local nor remote. */
	CHECK(hbm->nnodes == 4 && cpus_once(hbm) && hbm->nodes[0].ncpus == 0 && !strcmp(hbm->nodes[0].subtype, "HBM"));
	CHECK(!strcmp(fmt_cpus(&hbm->nodes[1].cpus), "0-1") && !strcmp(fmt_cpus(&hbm->nodes[3].cpus), "2-3"));
	CHECK(plan(hbm, HVB_PL_LOCAL, 2, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "1"));
	CHECK(plan(hbm, HVB_PL_REMOTE, 2, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "3"));
	CHECK(plan(hbm, HVB_PL_INTERLEAVE, 4, &p, why) == 0 && !strcmp(cpus(&p), "0-3") && !strcmp(ns(&p.mem_nodes), "1,3"));
	every_placement(hbm, 1);
	every_placement(hbm, 4);

	/* A CXL memory node attached to the machine (every CPU in its cpuset), os index 0. */
	CHECK(cxl->nnodes == 3 && cpus_once(cxl));
	for (int i = 0; i < cxl->nnodes; i++)
		if (cxl->nodes[i].os_index == 0)
			CHECK(cxl->nodes[i].ncpus == 0 && cxl->nodes[i].mem_bytes == 64000000000ULL);
	CHECK(plan(cxl, HVB_PL_LOCAL, 2, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "1"));
	CHECK(plan(cxl, HVB_PL_REMOTE, 2, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "2"));
	CHECK(plan(cxl, HVB_PL_LOCAL, 3, &p, why) == HVB_ESKIP);
	CHECK_STR_HAS(why, "needs 3 CPUs on one node; the largest node has 2");
	every_placement(cxl, 2);

	/* 96 nodes: all of them, memory on the ones past 64. */
	CHECK(big->nnodes == 96 && cpus_once(big));
	CHECK(plan(big, HVB_PL_INTERLEAVE, 96, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "0-95") &&
	      hvb_cpuset_count(&p.cpus) == 96);
	CHECK(plan(big, HVB_PL_RANDOM, 1, &p, why) == 0 && hvb_cpuset_count(&p.mem_nodes) == 1);
	every_placement(big, 1);
	every_placement(big, 70);
	{
		struct hvb_placement_seen seen = { .cpus = p.cpus, .mempolicy = p.mempolicy };
		hvb_cpuset_set(&seen.mem_nodes, 77);
		CHECK(hvb_placement_verify(&p, &seen, why, sizeof(why)) == 0 || hvb_nodeset_first(&p.mem_nodes) == 77);
	}

	/* An XML the installed hwloc cannot read: hwloc's own reason. */
	hvb_log_set_sink(keep_log, NULL);
	bad = xml("unreadable-version3.xml");
	CHECK(!bad);
	CHECK_STR_HAS(logged, "cannot import XML version 3.0");
	CHECK(!xml("no-such-file.xml"));
	CHECK_STR_HAS(logged, "No such file or directory");
	hvb_log_set_sink(NULL, NULL);

	/* The same shapes on Xen: node 0 has 8 pCPUs and no memory, node 3 memory and no pCPU. */
	snprintf(path, sizeof(path), "%s/tests/data/xen/topo-memoryless-cxl.json",
		 getenv("top_srcdir") ? getenv("top_srcdir") : ".");
	CHECK((xen = hvb_xen_topo_load_json(path)) != NULL);
	if (xen) {
		CHECK(xen->nnodes == 4 && cpus_once(xen) && xen->npus == 16 && xen->nodes[3].ncpus == 0);
		/* 6 vCPUs fit only on the memoryless node: memory on the nearest node with memory, said so. */
		CHECK(plan(xen, HVB_PL_LOCAL, 6, &p, why) == 0 && !strcmp(cpus(&p), "0-5") &&
		      !strcmp(ns(&p.mem_nodes), "1"));
		CHECK_STR_HAS(p.desc, "node 0 has no memory: its local memory is node 1, the nearest with memory (distance 12)");
		CHECK_STR_HAS(hvb_placement_json(&p), "\"mem_note\":\"node 0 has no memory");
		CHECK(hvb_xen_layout(&p, xen, 6, &l, why, sizeof(why)) == 0 && !strcmp(ns(&l.nodemap), "1") &&
		      !strcmp(ns(&l.mem_nodes), "1"));
		/* Remote: farther than the local memory, and DRAM (not the CXL node 3). */
		CHECK(plan(xen, HVB_PL_REMOTE, 6, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "2"));
		CHECK(hvb_xen_layout(&p, xen, 6, &l, why, sizeof(why)) == 0 && !strcmp(ns(&l.mem_nodes), "2"));
		CHECK(plan(xen, HVB_PL_INTERLEAVE, 16, &p, why) == 0 && !strcmp(ns(&p.mem_nodes), "1-2"));
		/* Split of 8: node 0's half would put its memory where node 1's is: nodes 1 and 2. */
		CHECK(plan(xen, HVB_PL_SPLIT, 8, &p, why) == 0 && !strcmp(cpus(&p), "8-15") &&
		      hvb_xen_layout(&p, xen, 8, &l, why, sizeof(why)) == 0 && l.vnode_pnode[0] == 1 &&
		      l.vnode_pnode[1] == 2);
		/* Split of 12 needs a memoryless node: its memory is the nearest other one's. */
		CHECK(plan(xen, HVB_PL_SPLIT, 12, &p, why) == HVB_ESKIP);
		CHECK_STR_HAS(why, "6 CPUs on each of two nodes");
		CHECK(plan(xen, HVB_PL_LOCAL, 9, &p, why) == HVB_ESKIP);
		/* Readback: the memory is verified on the planned node only. */
		{
			struct hvb_xen_seen seen = { 0 };
			CHECK(plan(xen, HVB_PL_LOCAL, 6, &p, why) == 0 && hvb_xen_layout(&p, xen, 6, &l, why, sizeof(why)) == 0);
			seen.vcpus = 6;
			for (int v = 0; v < 6; v++)
				seen.hard[v] = l.hard[v];
			seen.node_affinity = l.nodemap;
			seen.have_pages = 1;
			seen.pages[1] = 1000;
			seen.total_pages = 1000;
			CHECK(hvb_xen_layout_verify(&l, &seen, why, sizeof(why)) == 1);
			seen.pages[0] = 5; /* pages on the memoryless node cannot be: caught */
			CHECK(hvb_xen_layout_verify(&l, &seen, why, sizeof(why)) == 0);
		}
		for (int v = 1; v <= 16; v += 5)
			every_placement(xen, v);
		hvb_topo_free(xen);
	}
	/* 96 nodes on Xen, from the hypervisor's arrays. */
	{
		static struct hvb_xen_numa numa[96];
		struct hvb_xen_cpu cpus96[96];
		for (int n = 0; n < 96; n++) {
			numa[n].size = n % 2 ? 1ULL << 30 : 0; /* every other node memoryless */
			numa[n].free = numa[n].size;
			numa[n].ndists = 96;
			for (int j = 0; j < 96; j++)
				numa[n].dists[j] = n == j ? 10 : 20 + (uint32_t)abs(n - j);
			cpus96[n] = (struct hvb_xen_cpu){ (uint32_t)n, 0, (uint32_t)n };
		}
		CHECK((xen = hvb_xen_topo_from_arrays(numa, 96, cpus96, 96, "xen 96")) != NULL);
		if (xen) {
			CHECK(xen->nnodes == 96 && cpus_once(xen));
			CHECK(plan(xen, HVB_PL_INTERLEAVE, 96, &p, why) == 0 && hvb_cpuset_count(&p.mem_nodes) == 48 &&
			      hvb_cpuset_has(&p.mem_nodes, 95) && !hvb_cpuset_has(&p.mem_nodes, 94));
			CHECK(hvb_xen_layout(&p, xen, 96, &l, why, sizeof(why)) == 0 && hvb_cpuset_has(&l.nodemap, 95));
			every_placement(xen, 1);
			every_placement(xen, 50);
			hvb_topo_free(xen);
		}
	}
	hvb_topo_free(tr);
	hvb_topo_free(hbm);
	hvb_topo_free(cxl);
	hvb_topo_free(big);
}

int main(void)
{
	{ /* vnuma: what the split guest's kernel sees against the cell (hv/placement.c) */
		char why[256] = "";
		CHECK(hvb_vnuma_check(-1, 1, why, sizeof(why)) == 0 && hvb_vnuma_check(1, 2, why, sizeof(why)) == 0 &&
		      hvb_vnuma_check(0, 1, why, sizeof(why)) == 0);
		CHECK(hvb_vnuma_check(1, 1, why, sizeof(why)) == HVB_EIO &&
		      !strcmp(why, "vnuma = on, but the guest kernel sees 1 NUMA node"));
		CHECK(hvb_vnuma_check(0, 2, why, sizeof(why)) == HVB_EIO &&
		      !strcmp(why, "vnuma = off, but the guest kernel sees 2 NUMA nodes"));
		CHECK(hvb_vnuma_check(0, -1, why, sizeof(why)) == HVB_EIO && strstr(why, "does not report"));
	}

	struct hvb_topo *one = hvb_topo_load("synthetic:pack:1 numa:1 core:4 pu:1");
	struct hvb_topo *two = xml("2node.xml"), *four = xml("4node-distances.xml");
	struct hvb_placement p, q;
	char why[512];

	CHECK(one && two && four);
	if (!one || !two || !four)
		return 1;
	CHECK(one->nnodes == 1 && two->nnodes == 2 && four->nnodes == 4);
	CHECK(four->distances && hvb_topo_distance(four, 0, 1) == 12 && hvb_topo_distance(four, 0, 2) == 20);

	/* One node: local works; remote, interleave and split are skipped with a reason. */
	CHECK(plan(one, HVB_PL_LOCAL, 2, &p, why) == 0 && !strcmp(cpus(&p), "0-1") && p.mempolicy == HVB_MEM_BIND &&
	      !strcmp(ns(&p.mem_nodes), "0"));
	CHECK(plan(one, HVB_PL_REMOTE, 1, &p, why) == HVB_ESKIP);
	CHECK_STR_HAS(why, "needs memory on 2 NUMA nodes with CPUs; this host has 1");
	CHECK(plan(one, HVB_PL_INTERLEAVE, 1, &p, why) == HVB_ESKIP);
	CHECK(plan(one, HVB_PL_SPLIT, 2, &p, why) == HVB_ESKIP);
	CHECK(plan(one, HVB_PL_LOCAL, 5, &p, why) == HVB_ESKIP);
	CHECK_STR_HAS(why, "5 vCPUs asked; 4 CPUs");
	/* none: no NUMA binding, but the cell's CPU count: the first vcpus allowed
	 * CPUs (a 1-CPU none cell ran on every CPU against local's 1). */
	CHECK(plan(one, HVB_PL_NONE, 4, &p, why) == 0 && !strcmp(cpus(&p), "0-3") && p.mempolicy == HVB_MEM_DEFAULT);
	CHECK(plan(one, HVB_PL_NONE, 1, &p, why) == 0 && !strcmp(cpus(&p), "0") && p.mempolicy == HVB_MEM_DEFAULT &&
	      !hvb_cpuset_count(&p.mem_nodes));
	CHECK_STR_HAS(p.desc, "none: CPUs 0; memory default (no NUMA binding: the first 1 allowed CPU");
	CHECK(plan(two, HVB_PL_NONE, 3, &p, why) == 0 && !strcmp(cpus(&p), "0-2")); /* across nodes: no binding */
	{
		struct hvb_topo sub = *one; /* a cgroup or taskset that leaves CPUs 1 and 3 */
		memset(&sub.allowed, 0, sizeof(sub.allowed));
		hvb_cpuset_set(&sub.allowed, 1);
		hvb_cpuset_set(&sub.allowed, 3);
		CHECK(plan(&sub, HVB_PL_NONE, 1, &p, why) == 0 && !strcmp(cpus(&p), "1"));
		CHECK(plan(&sub, HVB_PL_NONE, 3, &p, why) == HVB_ESKIP);
		CHECK_STR_HAS(why, "3 vCPUs asked; 2 CPUs");
	}

	/* Two nodes of 2 cores: local and remote. */
	CHECK(plan(two, HVB_PL_LOCAL, 2, &p, why) == 0 && !strcmp(cpus(&p), "0-1") && !strcmp(ns(&p.mem_nodes), "0"));
	CHECK(plan(two, HVB_PL_REMOTE, 2, &p, why) == 0 && !strcmp(cpus(&p), "0-1") && !strcmp(ns(&p.mem_nodes), "1") &&
	      p.mempolicy == HVB_MEM_BIND);
	CHECK(plan(two, HVB_PL_LOCAL, 3, &p, why) == HVB_ESKIP);
	CHECK_STR_HAS(why, "needs 3 CPUs on one node; the largest node has 2");
	CHECK(plan(two, HVB_PL_SPLIT, 2, &p, why) == 0 && !strcmp(cpus(&p), "0,2") &&
	      p.mempolicy == HVB_MEM_INTERLEAVE && !strcmp(ns(&p.mem_nodes), "0-1"));
	CHECK(plan(two, HVB_PL_INTERLEAVE, 3, &p, why) == 0 && !strcmp(cpus(&p), "0-2") && !strcmp(ns(&p.mem_nodes), "0-1"));

	/* Four nodes with distances: remote memory goes to the nearest other node. */
	CHECK(plan(four, HVB_PL_REMOTE, 1, &p, why) == 0 && !strcmp(cpus(&p), "0") && !strcmp(ns(&p.mem_nodes), "1"));
	CHECK(plan(four, HVB_PL_SPLIT, 4, &p, why) == 0 && !strcmp(cpus(&p), "0-3") && !strcmp(ns(&p.mem_nodes), "0-1"));
	CHECK(plan(four, HVB_PL_INTERLEAVE, 4, &p, why) == 0 && !strcmp(cpus(&p), "0,2,4,6") && !strcmp(ns(&p.mem_nodes), "0-3"));

	/* Random: seeded, reproducible, recorded, distinct CPUs. */
	CHECK(plan(four, HVB_PL_RANDOM, 3, &p, why) == 0 && plan(four, HVB_PL_RANDOM, 3, &q, why) == 0);
	CHECK(hvb_cpuset_equal(&p.cpus, &q.cpus) && hvb_cpuset_equal(&p.mem_nodes, &q.mem_nodes) && hvb_cpuset_count(&p.cpus) == 3);
	CHECK(p.seed == 42);
	CHECK(hvb_placement_plan(four, HVB_PL_RANDOM, 3, 7, &q, why, sizeof(why)) == 0);
	CHECK_STR_HAS(hvb_placement_json(&p), "\"kind\":\"random\"");

	/* The verifier catches a mismatch. */
	{
		struct hvb_placement_seen seen = { .cpus = p.cpus, .mempolicy = p.mempolicy, .mem_nodes = p.mem_nodes };
		CHECK(hvb_placement_verify(&p, &seen, why, sizeof(why)) == 1);
		seen.mem_nodes.bits[0] ^= 1;
		CHECK(hvb_placement_verify(&p, &seen, why, sizeof(why)) == 0);
		CHECK_STR_HAS(why, "memory policy");
	}
	/* cpuset list syntax round-trips */
	{
		struct hvb_cpuset s;
		char buf[64];
		CHECK(hvb_cpuset_parse("0-3,8,10-11", &s) == 0 && hvb_cpuset_count(&s) == 7);
		hvb_cpuset_format(&s, buf, sizeof(buf));
		CHECK(!strcmp(buf, "0-3,8,10-11"));
		CHECK(hvb_cpuset_parse("3-1", &s) < 0 && hvb_cpuset_parse("x", &s) < 0);
	}
	hvb_topo_free(one);
	hvb_topo_free(two);
	hvb_topo_free(four);
	test_shapes();
	return CHECK_DONE();
}
