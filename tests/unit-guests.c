/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Several guests of one cell and random placement as a distribution: the
 * planner for guest K on 2-, 4- and 8-node hwloc XML topologies, the local
 * share a plan makes, the draw each repetition runs under, and the experiment
 * keys (guests, random_draws) that ask for them. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include "bench/bench.h"
#include "hv/hv.h"
#include "hv/xen-internal.h"
#include "tests/check.h"

static struct hvb_topo *xml(const char *name)
{
	char spec[4096];
	snprintf(spec, sizeof(spec), "xml:%s/tests/data/topo/%s", getenv("top_srcdir") ? getenv("top_srcdir") : ".",
		 name);
	return hvb_topo_load(spec);
}

static const char *fmt(const struct hvb_cpuset *s)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	hvb_cpuset_format(s, buf[k], sizeof(buf[k]));
	return buf[k];
}

/* Plans n guests of kind with vcpus each into p[]; returns the first error. */
static int guests(const struct hvb_topo *t, enum hvb_placement_kind kind, int vcpus, int n, struct hvb_placement *p,
		  char *why)
{
	struct hvb_cpuset taken = { { 0 } };
	for (int g = 0; g < n; g++) {
		int rc = hvb_placement_plan_guest(t, kind, vcpus, hvb_draw_seed(1, "k", 0, g), g, &taken, &p[g], why, 512);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int disjoint(const struct hvb_placement *p, int n)
{
	for (int a = 0; a < n; a++)
		for (int b = a + 1; b < n; b++)
			for (int c = 0; c < HVB_MAX_CPUS; c++)
				if (hvb_cpuset_has(&p[a].cpus, c) && hvb_cpuset_has(&p[b].cpus, c))
					return 0;
	return 1;
}

static void test_planner(void)
{
	struct hvb_topo *two = xml("2node.xml"), *four = xml("4node-distances.xml"), *eight = xml("8node-distances.xml");
	struct hvb_placement p[16];
	char why[512];

	CHECK(two && four && eight);
	if (!two || !four || !eight)
		return;
	CHECK(two->nnodes == 2 && four->nnodes == 4 && eight->nnodes == 8);

	/* 2 nodes: guest 1 starts at node 1, each guest's memory on its own node. */
	CHECK(guests(two, HVB_PL_LOCAL, 2, 2, p, why) == 0);
	CHECK(!strcmp(fmt(&p[0].cpus), "0-1") && !strcmp(fmt(&p[0].mem_nodes), "0"));
	CHECK(!strcmp(fmt(&p[1].cpus), "2-3") && !strcmp(fmt(&p[1].mem_nodes), "1"));
	/* remote: each guest's memory on the other node */
	CHECK(guests(two, HVB_PL_REMOTE, 1, 2, p, why) == 0);
	CHECK(!strcmp(fmt(&p[0].cpus), "0") && !strcmp(fmt(&p[0].mem_nodes), "1"));
	CHECK(!strcmp(fmt(&p[1].cpus), "2") && !strcmp(fmt(&p[1].mem_nodes), "0"));
	/* Three guests of 2 vCPUs on 4 CPUs: the third shares, and its plan says so. */
	CHECK(guests(two, HVB_PL_LOCAL, 2, 3, p, why) == 0);
	CHECK(!strcmp(fmt(&p[2].cpus), "0-1"));
	CHECK_STR_HAS(p[2].desc, "guest 2 shares CPUs 0-1 with earlier guests");
	/* none: the next free CPUs, not the first ones again */
	CHECK(guests(two, HVB_PL_NONE, 1, 3, p, why) == 0 && disjoint(p, 3));

	/* 4 nodes: one guest per node, CPUs apart; a fifth takes node 0's free CPU. */
	CHECK(guests(four, HVB_PL_LOCAL, 1, 5, p, why) == 0 && disjoint(p, 5));
	for (int g = 0; g < 4; g++)
		CHECK(hvb_cpuset_has(&p[g].cpus, 2 * g) && hvb_cpuset_has(&p[g].mem_nodes, g));
	CHECK(!strcmp(fmt(&p[4].cpus), "1") && !strcmp(fmt(&p[4].mem_nodes), "0"));
	/* remote on 4 nodes: the nearest other node (distance 12), per guest */
	CHECK(guests(four, HVB_PL_REMOTE, 1, 4, p, why) == 0);
	CHECK(!strcmp(fmt(&p[0].mem_nodes), "1") && !strcmp(fmt(&p[1].mem_nodes), "0") &&
	      !strcmp(fmt(&p[2].mem_nodes), "3") && !strcmp(fmt(&p[3].mem_nodes), "2"));

	/* 8 nodes: eight guests of 2 vCPUs fill the machine, each on its own node;
	 * a ninth shares. */
	CHECK(guests(eight, HVB_PL_LOCAL, 2, 8, p, why) == 0 && disjoint(p, 8));
	for (int g = 0; g < 8; g++)
		CHECK(hvb_cpuset_has(&p[g].cpu_nodes, g) && hvb_cpuset_has(&p[g].mem_nodes, g) &&
		      hvb_placement_local_share(eight, &p[g]) == 1.0);
	CHECK(guests(eight, HVB_PL_LOCAL, 2, 9, p, why) == 0);
	CHECK_STR_HAS(p[8].mem_note, "guest 8 shares CPUs 0-1");
	/* remote on 8 nodes: memory in the same package (16), never the other one (32) */
	CHECK(guests(eight, HVB_PL_REMOTE, 1, 8, p, why) == 0);
	for (int g = 0; g < 8; g++) {
		int m = hvb_nodeset_first(&p[g].mem_nodes);
		CHECK(m != g && m / 4 == g / 4 && hvb_placement_local_share(eight, &p[g]) == 0.0);
	}
	/* random: each guest its own draw (seeded apart), on free CPUs */
	CHECK(guests(eight, HVB_PL_RANDOM, 2, 8, p, why) == 0 && disjoint(p, 8));
	{
		struct hvb_placement q[8];
		int differ = 0;
		CHECK(guests(eight, HVB_PL_RANDOM, 2, 8, q, why) == 0);
		for (int g = 0; g < 8; g++) /* reproducible */
			CHECK(hvb_cpuset_equal(&p[g].cpus, &q[g].cpus) && hvb_cpuset_equal(&p[g].mem_nodes, &q[g].mem_nodes));
		for (int g = 1; g < 8; g++)
			differ |= !hvb_cpuset_equal(&p[g].mem_nodes, &p[0].mem_nodes);
		CHECK(differ);
	}
	/* Draws over repetitions: another seed, another layout; over 32 draws both
	 * local and remote memory turn up on 8 nodes. */
	{
		int local = 0, remote = 0, distinct = 0;
		struct hvb_placement first;
		for (int d = 0; d < 32; d++) {
			struct hvb_placement r;
			CHECK(hvb_placement_plan(eight, HVB_PL_RANDOM, 2, hvb_draw_seed(1, "k", d, 0), &r, why, sizeof(why)) == 0);
			double s = hvb_placement_local_share(eight, &r);
			local += s > 0;
			remote += s < 1;
			if (!d)
				first = r;
			else
				distinct += !hvb_cpuset_equal(&r.cpus, &first.cpus);
		}
		CHECK(local > 0 && remote > 0 && distinct > 16);
	}
	/* The local share of each kind of plan. */
	CHECK(hvb_placement_plan(two, HVB_PL_INTERLEAVE, 2, 1, &p[0], why, sizeof(why)) == 0 &&
	      fabs(hvb_placement_local_share(two, &p[0]) - 0.5) < 1e-12);
	CHECK(hvb_placement_plan(two, HVB_PL_AUTO, 2, 1, &p[0], why, sizeof(why)) == 0 &&
	      isnan(hvb_placement_local_share(two, &p[0])));
	CHECK(hvb_placement_plan(two, HVB_PL_SPLIT, 2, 1, &p[0], why, sizeof(why)) == 0 &&
	      fabs(hvb_placement_local_share(two, &p[0]) - 0.5) < 1e-12);
	hvb_topo_free(two);
	hvb_topo_free(four);
	hvb_topo_free(eight);
}

/* The Xen backend's side of several guests: each guest's plan becomes its own
 * layout (hard affinity at build, node map), and what Xen reads back for one
 * guest does not pass for another's plan. */
static void test_xen_layouts(void)
{
	struct hvb_topo *four = xml("4node-distances.xml");
	struct hvb_placement p[4];
	struct hvb_xen_layout l[4];
	char why[512];

	CHECK(four != NULL);
	if (!four)
		return;
	CHECK(guests(four, HVB_PL_LOCAL, 2, 4, p, why) == 0);
	for (int g = 0; g < 4; g++) {
		CHECK(hvb_xen_layout(&p[g], four, 2, &l[g], why, sizeof(why)) == 0);
		CHECK(hvb_cpuset_equal(&l[g].build_hard, &p[g].cpus) && hvb_cpuset_equal(&l[g].hard[1], &p[g].cpus));
		CHECK(hvb_cpuset_has(&l[g].nodemap, g) && hvb_cpuset_count(&l[g].nodemap) == 1);
	}
	/* guest 1's readback (its vCPUs on node 1) is not guest 0's plan */
	struct hvb_xen_seen seen = { .vcpus = 2, .hard = { p[1].cpus, p[1].cpus }, .node_affinity = l[1].nodemap,
				     .have_pages = 1, .total_pages = 10 };
	seen.pages[1] = 10;
	CHECK(hvb_xen_layout_verify(&l[1], &seen, why, sizeof(why)) == 1);
	CHECK(hvb_xen_layout_verify(&l[0], &seen, why, sizeof(why)) == 0);
	CHECK_STR_HAS(why, "hard affinity");
	/* remote guests pin after creation; auto guests are Xen's own placement, each */
	CHECK(guests(four, HVB_PL_REMOTE, 1, 2, p, why) == 0);
	CHECK(hvb_xen_layout(&p[1], four, 1, &l[1], why, sizeof(why)) == 0 && l[1].pin_after_create &&
	      hvb_cpuset_has(&l[1].mem_nodes, 0) && hvb_cpuset_has(&l[1].hard[0], 2));
	CHECK(guests(four, HVB_PL_AUTO, 2, 2, p, why) == 0);
	CHECK(hvb_xen_layout(&p[1], four, 2, &l[1], why, sizeof(why)) == 0 && l[1].numa_placement);
	hvb_topo_free(four);
}

static int load(const char *text, struct hvb_experiment *ex)
{
	memset(ex, 0, sizeof(*ex));
	return hvb_experiment_load_text("t.ini", text, ex);
}

static void test_experiment(void)
{
	struct hvb_experiment ex;

	CHECK(load("[experiment]\nrepetitions = 6\nplacement = random, local\nguests = 1, 3\nrandom_draws = 3\n"
		   "[memlat]\n", &ex) == 0);
	CHECK(ex.ncells == 4 && ex.random_draws == 3);
	for (size_t i = 0; i < ex.ncells; i++) {
		const struct hvb_cell *c = &ex.cells[i];
		int random = !strcmp(c->placement, "random");
		CHECK(c->guests == 1 || c->guests == 3);
		CHECK(!!strstr(c->key, " guests=3") == (c->guests == 3));
		CHECK(!!strstr(c->key, " draws=3") == random);
		/* blocks of repetitions: 0 0 1 1 2 2 */
		for (int r = 0; r < 6; r++)
			CHECK(hvb_cell_draw(&ex, c, r) == (random ? r / 2 : -1));
	}
	hvb_experiment_free(&ex);
	/* One draw per repetition by default; auto repetitions take the draws in turns. */
	CHECK(load("[experiment]\nplacement = random\n[memlat]\n", &ex) == 0);
	CHECK(hvb_cell_draw(&ex, &ex.cells[0], 4) == 4 && ex.cells[0].guests == 1 && !strstr(ex.cells[0].key, "draws"));
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\nrepetitions = auto\nplacement = random\nrandom_draws = 4\n[memlat]\n", &ex) == 0);
	CHECK(hvb_cell_draw(&ex, &ex.cells[0], 9) == 1);
	hvb_experiment_free(&ex);
	/* More draws than repetitions: refused, naming the line. */
	CHECK(load("[experiment]\nrepetitions = 3\nrandom_draws = 4\n[memlat]\n", &ex) == HVB_EINVAL);
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\nguests = 0\n[memlat]\n", &ex) == HVB_EINVAL);
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\nguests = 65\n[memlat]\n", &ex) == HVB_EINVAL);
	hvb_experiment_free(&ex);
	/* Seeds of draws and guests are apart; draw 0 of guest 0 is the cell's old seed. */
	CHECK(hvb_draw_seed(5, "k", 0, 0) == hvb_sample_seed(5, "k", 0));
	CHECK(hvb_draw_seed(5, "k", 1, 0) != hvb_sample_seed(5, "k", 1) && hvb_draw_seed(5, "k", 0, 1) != hvb_draw_seed(5, "k", 0, 0));
}

int main(void)
{
	hvb_log_set_level(HVB_LOG_ERROR);
	test_planner();
	test_xen_layouts();
	test_experiment();
	return CHECK_DONE();
}
