/* Placement planning on hwloc synthetic and XML topologies of 1, 2 and 4 nodes. */
#include "config.h"
#include <stdlib.h>
#include "hv/hv.h"
#include "tests/check.h"

static struct hvb_topo *xml(const char *name)
{
	char spec[4096];
	snprintf(spec, sizeof(spec), "xml:%s/tests/data/topo/%s", getenv("top_srcdir") ? getenv("top_srcdir") : ".",
		 name);
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

int main(void)
{
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
	      p.mem_nodes == 1);
	CHECK(plan(one, HVB_PL_REMOTE, 1, &p, why) == HVB_ESKIP);
	CHECK_STR_HAS(why, "needs 2 NUMA nodes; this host has 1");
	CHECK(plan(one, HVB_PL_INTERLEAVE, 1, &p, why) == HVB_ESKIP);
	CHECK(plan(one, HVB_PL_SPLIT, 2, &p, why) == HVB_ESKIP);
	CHECK(plan(one, HVB_PL_LOCAL, 5, &p, why) == HVB_ESKIP);
	CHECK_STR_HAS(why, "5 vCPUs asked; 4 CPUs");
	CHECK(plan(one, HVB_PL_NONE, 4, &p, why) == 0 && hvb_cpuset_count(&p.cpus) == 0 &&
	      p.mempolicy == HVB_MEM_DEFAULT);

	/* Two nodes of 2 cores: local and remote. */
	CHECK(plan(two, HVB_PL_LOCAL, 2, &p, why) == 0 && !strcmp(cpus(&p), "0-1") && p.mem_nodes == 1);
	CHECK(plan(two, HVB_PL_REMOTE, 2, &p, why) == 0 && !strcmp(cpus(&p), "0-1") && p.mem_nodes == 2 &&
	      p.mempolicy == HVB_MEM_BIND);
	CHECK(plan(two, HVB_PL_LOCAL, 3, &p, why) == HVB_ESKIP);
	CHECK_STR_HAS(why, "needs 3 CPUs on one node; the largest node has 2");
	CHECK(plan(two, HVB_PL_SPLIT, 2, &p, why) == 0 && !strcmp(cpus(&p), "0,2") &&
	      p.mempolicy == HVB_MEM_INTERLEAVE && p.mem_nodes == 3);
	CHECK(plan(two, HVB_PL_INTERLEAVE, 3, &p, why) == 0 && !strcmp(cpus(&p), "0-2") && p.mem_nodes == 3);

	/* Four nodes with distances: remote memory goes to the nearest other node. */
	CHECK(plan(four, HVB_PL_REMOTE, 1, &p, why) == 0 && !strcmp(cpus(&p), "0") && p.mem_nodes == 1ULL << 1);
	CHECK(plan(four, HVB_PL_SPLIT, 4, &p, why) == 0 && !strcmp(cpus(&p), "0-3") && p.mem_nodes == 3);
	CHECK(plan(four, HVB_PL_INTERLEAVE, 4, &p, why) == 0 && !strcmp(cpus(&p), "0,2,4,6") && p.mem_nodes == 15);

	/* Random: seeded, reproducible, recorded, distinct CPUs. */
	CHECK(plan(four, HVB_PL_RANDOM, 3, &p, why) == 0 && plan(four, HVB_PL_RANDOM, 3, &q, why) == 0);
	CHECK(hvb_cpuset_equal(&p.cpus, &q.cpus) && p.mem_nodes == q.mem_nodes && hvb_cpuset_count(&p.cpus) == 3);
	CHECK(p.seed == 42);
	CHECK(hvb_placement_plan(four, HVB_PL_RANDOM, 3, 7, &q, why, sizeof(why)) == 0);
	CHECK_STR_HAS(hvb_placement_json(&p), "\"kind\":\"random\"");

	/* The verifier catches a mismatch. */
	{
		struct hvb_placement_seen seen = { .cpus = p.cpus, .mempolicy = p.mempolicy, .mem_nodes = p.mem_nodes };
		CHECK(hvb_placement_verify(&p, &seen, why, sizeof(why)) == 1);
		seen.mem_nodes ^= 1;
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
	return CHECK_DONE();
}
