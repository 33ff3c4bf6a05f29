/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Placement policies: where an agent's (or guest's) CPUs and memory go, planned
 * on a topology, applied to a process, and read back to verify. A placement the
 * topology cannot honour is refused with its reason, never quietly degraded. */
#include "config.h"
#include <jansson.h>
#include <math.h>
#include <numaif.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hv/hv.h"

const char *const hvb_placement_names[] = { "none", "auto", "local", "remote", "interleave", "split", "random", NULL };

int hvb_placement_kind_parse(const char *name)
{
	for (int i = 0; hvb_placement_names[i]; i++)
		if (!strcmp(hvb_placement_names[i], name))
			return i;
	return HVB_EINVAL;
}

const char *hvb_mempolicy_name(enum hvb_mempolicy m)
{
	return m == HVB_MEM_BIND ? "bind" : m == HVB_MEM_INTERLEAVE ? "interleave" : "default";
}

/* Allowed CPUs of node i, at most max of them, added to out; returns how many. */
static int take_cpus(const struct hvb_topo *t, int i, int max, struct hvb_cpuset *out)
{
	int got = 0;
	for (int c = 0; c < HVB_MAX_CPUS && got < max; c++)
		if (hvb_cpuset_has(&t->nodes[i].cpus, c) && hvb_cpuset_has(&t->allowed, c)) {
			hvb_cpuset_set(out, c);
			got++;
		}
	return got;
}

/* The n-th allowed CPU of node i, or -1. */
static int nth_cpu(const struct hvb_topo *t, int i, int n)
{
	for (int c = 0; c < HVB_MAX_CPUS; c++)
		if (hvb_cpuset_has(&t->nodes[i].cpus, c) && hvb_cpuset_has(&t->allowed, c) && n-- == 0)
			return c;
	return -1;
}

static int allowed_in(const struct hvb_topo *t, int i)
{
	struct hvb_cpuset s = { { 0 } };
	return take_cpus(t, i, HVB_MAX_CPUS, &s);
}

/* A topology in which no node reports memory (a source that does not say) is
 * planned as if every node with CPUs had its own. */
static int mem_known(const struct hvb_topo *t)
{
	for (int i = 0; i < t->nnodes; i++)
		if (t->nodes[i].mem_bytes)
			return 1;
	return 0;
}

static int has_mem(const struct hvb_topo *t, int i)
{
	return mem_known(t) ? t->nodes[i].mem_bytes > 0 : t->nodes[i].ncpus > 0;
}

/* Memory that is a node's own DRAM: a node with both CPUs and memory. CPU-less
 * memory nodes (HBM, CXL, NVDIMM) are another kind of memory, not a NUMA
 * distance: local, remote, split and interleave leave them alone. */
static int dram(const struct hvb_topo *t, int i) { return t->nodes[i].ncpus > 0 && has_mem(t, i); }

/* Distance from i to j; without a matrix 10 for the node itself, 20 + the
 * index step otherwise (a stable order, said in the plan). */
static int dist(const struct hvb_topo *t, int i, int j)
{
	int d = hvb_topo_distance(t, i, j);
	return d >= 0 ? d : i == j ? 10 : 20 + (j - i + t->nnodes) % t->nnodes;
}

/* The memory node nearest to CPU node i (itself when it has memory): DRAM
 * first, any memory when no node has DRAM; -1 when none. */
static int local_mem(const struct hvb_topo *t, int i)
{
	int best = -1;

	if (has_mem(t, i))
		return i;
	for (int pass = 0; pass < 2 && best < 0; pass++)
		for (int j = 0; j < t->nnodes; j++)
			if ((pass ? has_mem(t, j) : dram(t, j)) && (best < 0 || dist(t, i, j) < dist(t, i, best)))
				best = j;
	return best;
}

/* "distance 12", or what stood for it when the source has no distance matrix. */
static void say_distance(const struct hvb_topo *t, int i, int j, char *out, size_t len)
{
	if (t->distances)
		snprintf(out, len, "distance %d", dist(t, i, j));
	else
		snprintf(out, len, "no distance matrix: the next by index");
}

static void note_local(struct hvb_placement *p, const struct hvb_topo *t, int cpu_node, int mem_node)
{
	size_t n = strlen(p->mem_note);
	char d[64];

	if (cpu_node == mem_node)
		return;
	say_distance(t, cpu_node, mem_node, d, sizeof(d));
	snprintf(p->mem_note + n, sizeof(p->mem_note) - n,
		 "%snode %d has no memory: its local memory is node %d, the nearest with memory (%s)", n ? "; " : "",
		 t->nodes[cpu_node].os_index, t->nodes[mem_node].os_index, d);
}

/* CPU nodes with at least ncpus allowed CPUs, nodes with their own memory first,
 * into order[]; returns how many. rot: the node to try first (guest k of a cell
 * starts at node k, so that guests spread over the nodes as an optimiser would). */
static int cpu_nodes_with(const struct hvb_topo *t, int ncpus, int rot, int *order)
{
	int n = 0;

	for (int pass = 0; pass < 2; pass++)
		for (int j = 0; j < t->nnodes; j++) {
			int i = (j + rot) % t->nnodes;
			if (allowed_in(t, i) >= ncpus && ncpus > 0 && has_mem(t, i) == !pass)
				order[n++] = i;
		}
	return n;
}

static int largest_node(const struct hvb_topo *t)
{
	int best = 0;
	for (int i = 1; i < t->nnodes; i++)
		if (allowed_in(t, i) > allowed_in(t, best))
			best = i;
	return best;
}

/* The DRAM node nearest to CPU node a that is farther than its local memory L
 * (any other one without a distance matrix); -1 when none. */
static int remote_mem(const struct hvb_topo *t, int a, int L)
{
	int best = -1;

	for (int j = 0; j < t->nnodes; j++) {
		if (j == a || j == L || !dram(t, j))
			continue;
		if (t->distances && dist(t, a, j) <= dist(t, a, L))
			continue;
		if (best < 0 || dist(t, a, j) < dist(t, a, best))
			best = j;
	}
	return best;
}

static int count_dram(const struct hvb_topo *t)
{
	int n = 0;
	for (int i = 0; i < t->nnodes; i++)
		n += dram(t, i);
	return n;
}

/* none: no NUMA binding, but the cell's vCPU count all the same, or a 1-CPU
 * cell would be measured on every CPU against its pinned neighbours' 1: the
 * first vcpus allowed CPUs, in CPU order, whatever node they are on. Natively
 * the agent is held to them; a Xen guest's vCPUs float (xen-place.c). */
static int plan_none(const struct hvb_topo *t, int vcpus, struct hvb_placement *p)
{
	for (int c = 0, got = 0; c < HVB_MAX_CPUS && got < vcpus; c++)
		if (hvb_cpuset_has(&t->allowed, c)) {
			hvb_cpuset_set(&p->cpus, c);
			got++;
		}
	snprintf(p->mem_note, sizeof(p->mem_note), "no NUMA binding: the first %d allowed CPU%s, to keep the cell's "
		 "CPU count; a Xen guest's vCPUs float", vcpus, vcpus == 1 ? "" : "s");
	return 0;
}

static void describe(struct hvb_placement *p, const struct hvb_topo *t)
{
	char cpus[160], mem[128];

	if (hvb_cpuset_count(&p->cpus))
		hvb_cpuset_format(&p->cpus, cpus, sizeof(cpus));
	else
		snprintf(cpus, sizeof(cpus), "any allowed");
	hvb_cpuset_format(&p->mem_nodes, mem, sizeof(mem));
	snprintf(p->desc, sizeof(p->desc), "%s: CPUs %s; memory %s%s%s%s%s%s", hvb_placement_names[p->kind], cpus,
		 hvb_mempolicy_name(p->mempolicy), p->mempolicy == HVB_MEM_DEFAULT ? "" : " to node ",
		 p->mempolicy == HVB_MEM_DEFAULT ? "" : mem, *p->mem_note ? " (" : "", p->mem_note,
		 *p->mem_note ? ")" : "");
}

/* vcpus CPUs of node cpu_node, memory bound to node mem_node (indices). */
static void bind_cpus_mem(const struct hvb_topo *t, int cpu_node, int mem_node, int vcpus, struct hvb_placement *p)
{
	take_cpus(t, cpu_node, vcpus, &p->cpus);
	hvb_cpuset_set(&p->cpu_nodes, cpu_node);
	hvb_cpuset_set(&p->mem_nodes, t->nodes[mem_node].os_index);
	p->mempolicy = HVB_MEM_BIND;
}

static int plan_local(const struct hvb_topo *t, int vcpus, int rot, struct hvb_placement *p, char *why, size_t len)
{
	int order[HVB_MAX_NODES], n = cpu_nodes_with(t, vcpus, rot, order), L;

	for (int k = 0; k < n; k++)
		if ((L = local_mem(t, order[k])) >= 0) {
			note_local(p, t, order[k], L);
			bind_cpus_mem(t, order[k], L, vcpus, p);
			return 0;
		}
	if (n)
		snprintf(why, len, "local placement: no NUMA node of this host has memory");
	else
		snprintf(why, len, "local placement needs %d CPUs on one node; the largest node has %d", vcpus,
			 allowed_in(t, largest_node(t)));
	return HVB_ESKIP;
}

static int plan_remote(const struct hvb_topo *t, int vcpus, int rot, struct hvb_placement *p, char *why, size_t len)
{
	int order[HVB_MAX_NODES], n = cpu_nodes_with(t, vcpus, rot, order);

	if (count_dram(t) < 2) {
		snprintf(why, len, "remote placement needs memory on 2 NUMA nodes with CPUs; this host has %d",
			 count_dram(t));
		return HVB_ESKIP;
	}
	for (int k = 0; k < n; k++) {
		int a = order[k], L = local_mem(t, a), b = L < 0 ? -1 : remote_mem(t, a, L);
		if (b < 0)
			continue;
		char d[64];
		note_local(p, t, a, L);
		size_t m = strlen(p->mem_note);
		say_distance(t, a, b, d, sizeof(d));
		snprintf(p->mem_note + m, sizeof(p->mem_note) - m, "%sremote: node %d from the CPUs' node %d, %s",
			 m ? "; " : "", t->nodes[b].os_index, t->nodes[a].os_index, d);
		bind_cpus_mem(t, a, b, vcpus, p);
		return 0;
	}
	if (!n)
		snprintf(why, len, "remote placement needs %d CPUs on one node; the largest node has %d", vcpus,
			 allowed_in(t, largest_node(t)));
	else
		snprintf(why, len, "remote placement: no node with %d CPUs has memory farther than its local memory "
				   "(every node with memory is as near)", vcpus);
	return HVB_ESKIP;
}

static int plan_interleave(const struct hvb_topo *t, int vcpus, struct hvb_placement *p, char *why, size_t len)
{
	int got = 0;

	if (count_dram(t) < 2) {
		snprintf(why, len, "interleave placement needs memory on 2 NUMA nodes with CPUs; this host has %d",
			 count_dram(t));
		return HVB_ESKIP;
	}
	/* CPUs round-robin over the nodes, memory interleaved over the nodes' DRAM. */
	for (int round = 0; got < vcpus && round < HVB_MAX_CPUS; round++) {
		int before = got;
		for (int i = 0; i < t->nnodes && got < vcpus; i++) {
			int c = nth_cpu(t, i, round);
			if (c >= 0 && !hvb_cpuset_has(&p->cpus, c)) {
				hvb_cpuset_set(&p->cpus, c);
				hvb_cpuset_set(&p->cpu_nodes, i);
				got++;
			}
		}
		if (got == before)
			break;
	}
	for (int i = 0; i < t->nnodes; i++)
		if (dram(t, i))
			hvb_cpuset_set(&p->mem_nodes, t->nodes[i].os_index);
	if (count_dram(t) < t->nnodes)
		snprintf(p->mem_note, sizeof(p->mem_note), "over every node with both CPUs and memory; memoryless and "
							   "CPU-less nodes left out");
	p->mempolicy = HVB_MEM_INTERLEAVE;
	return 0;
}

static int plan_split(const struct hvb_topo *t, int vcpus, int rot, struct hvb_placement *p, char *why, size_t len)
{
	int first[HVB_MAX_NODES], nf, h1 = (vcpus + 1) / 2, h2 = vcpus / 2;

	if (count_dram(t) < 2) {
		snprintf(why, len, "split placement needs memory on 2 NUMA nodes with CPUs; this host has %d",
			 count_dram(t));
		return HVB_ESKIP;
	}
	if (vcpus < 2) {
		snprintf(why, len, "split placement spans two nodes and needs at least 2 vCPUs");
		return HVB_ESKIP;
	}
	nf = cpu_nodes_with(t, h1, rot, first);
	for (int k = 0; k < nf; k++) {
		int a = first[k], La = local_mem(t, a), b = -1;
		/* The second half: the nearest other node with h2 CPUs whose local memory is not a's. */
		for (int j = 0; j < t->nnodes && La >= 0; j++) {
			int Lj = j == a || allowed_in(t, j) < h2 ? -1 : local_mem(t, j);
			if (Lj >= 0 && Lj != La && (b < 0 || dist(t, a, j) < dist(t, a, b)))
				b = j;
		}
		if (b < 0)
			continue;
		take_cpus(t, a, h1, &p->cpus);
		take_cpus(t, b, h2, &p->cpus);
		hvb_cpuset_set(&p->cpu_nodes, a);
		hvb_cpuset_set(&p->cpu_nodes, b);
		p->split_mem[0] = t->nodes[La].os_index;
		p->split_mem[1] = t->nodes[local_mem(t, b)].os_index;
		hvb_cpuset_set(&p->mem_nodes, p->split_mem[0]);
		hvb_cpuset_set(&p->mem_nodes, p->split_mem[1]);
		note_local(p, t, a, La);
		note_local(p, t, b, local_mem(t, b));
		p->mempolicy = HVB_MEM_INTERLEAVE;
		return 0;
	}
	snprintf(why, len, "split placement needs %d CPUs on each of two nodes with different local memory", h1);
	return HVB_ESKIP;
}

static int plan_random(const struct hvb_topo *t, int vcpus, uint64_t seed, struct hvb_placement *p, char *why,
		       size_t len)
{
	int cpus[HVB_MAX_CPUS], n = 0, withmem[HVB_MAX_NODES], nm = 0;
	uint64_t s = seed ? seed : 1;

	for (int c = 0; c < HVB_MAX_CPUS; c++)
		if (hvb_cpuset_has(&t->allowed, c))
			cpus[n++] = c;
	/* A seeded partial Fisher-Yates: the same seed gives the same set, recorded with the cell. */
	for (int i = 0; i < vcpus; i++) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		int j = i + (int)(s % (uint64_t)(n - i)), tmp = cpus[i];
		cpus[i] = cpus[j];
		cpus[j] = tmp;
		hvb_cpuset_set(&p->cpus, cpus[i]);
		for (int k = 0; k < t->nnodes; k++)
			if (hvb_cpuset_has(&t->nodes[k].cpus, cpus[i]))
				hvb_cpuset_set(&p->cpu_nodes, k);
	}
	/* Memory on a node that has some: DRAM, or any kind when there is no DRAM. */
	for (int pass = 0; pass < 2 && !nm; pass++)
		for (int k = 0; k < t->nnodes; k++)
			if (pass ? has_mem(t, k) : dram(t, k))
				withmem[nm++] = k;
	if (!nm) {
		snprintf(why, len, "random placement: no NUMA node of this host has memory");
		return HVB_ESKIP;
	}
	s ^= s << 13, s ^= s >> 7, s ^= s << 17;
	hvb_cpuset_set(&p->mem_nodes, t->nodes[withmem[s % (uint64_t)nm]].os_index);
	p->mempolicy = HVB_MEM_BIND;
	return 0;
}

static int plan_kind(const struct hvb_topo *t, enum hvb_placement_kind kind, int vcpus, uint64_t seed, int rot,
		     struct hvb_placement *p, char *why, size_t len)
{
	int total = hvb_cpuset_count(&t->allowed), rc = 0;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->seed = seed;
	p->split_mem[0] = p->split_mem[1] = -1;
	if (vcpus < 1 || vcpus > total) {
		snprintf(why, len, "%d vCPUs asked; %d CPUs are available here", vcpus, total);
		return HVB_ESKIP;
	}
	switch (kind) {
	case HVB_PL_NONE:
		rc = plan_none(t, vcpus, p);
		break;
	case HVB_PL_AUTO:
		break;
	case HVB_PL_LOCAL:
		rc = plan_local(t, vcpus, rot, p, why, len);
		break;
	case HVB_PL_REMOTE:
		rc = plan_remote(t, vcpus, rot, p, why, len);
		break;
	case HVB_PL_INTERLEAVE:
		rc = plan_interleave(t, vcpus, p, why, len);
		break;
	case HVB_PL_SPLIT:
		rc = plan_split(t, vcpus, rot, p, why, len);
		break;
	case HVB_PL_RANDOM:
		rc = plan_random(t, vcpus, seed, p, why, len);
		break;
	default:
		snprintf(why, len, "unknown placement %d", (int)kind);
		return HVB_EINVAL;
	}
	if (rc < 0)
		return rc;
	/* Exactly the asked vCPUs, each CPU once (a CPU in no node cannot be placed). */
	if (kind != HVB_PL_AUTO && hvb_cpuset_count(&p->cpus) != vcpus) {
		snprintf(why, len, "%s placement found %d distinct CPUs in the nodes for %d vCPUs",
			 hvb_placement_names[kind], hvb_cpuset_count(&p->cpus), vcpus);
		return HVB_ESKIP;
	}
	describe(p, t);
	return 0;
}

int hvb_placement_plan(const struct hvb_topo *t, enum hvb_placement_kind kind, int vcpus, uint64_t seed,
		       struct hvb_placement *p, char *why, size_t len)
{
	return plan_kind(t, kind, vcpus, seed, 0, p, why, len);
}

int hvb_placement_plan_guest(const struct hvb_topo *t, enum hvb_placement_kind kind, int vcpus, uint64_t seed,
			     int guest, struct hvb_cpuset *taken, struct hvb_placement *p, char *why, size_t len)
{
	struct hvb_topo *free_t;
	int rc, rot = t->nnodes > 0 ? guest % t->nnodes : 0;

	if (guest == 0 || !taken || !hvb_cpuset_count(taken) || kind == HVB_PL_AUTO) {
		rc = plan_kind(t, kind, vcpus, seed, rot, p, why, len);
		goto out;
	}
	/* First on the CPUs no earlier guest has: guests compete for the nodes'
	 * memory and caches, not for one CPU, while there are CPUs enough. */
	if (!(free_t = malloc(sizeof(*free_t))))
		return HVB_ENOMEM;
	*free_t = *t;
	for (int c = 0; c < HVB_MAX_CPUS; c++)
		if (hvb_cpuset_has(taken, c))
			free_t->allowed.bits[c / 64] &= ~(1ULL << (c % 64));
	rc = hvb_cpuset_count(&free_t->allowed) >= vcpus ? plan_kind(free_t, kind, vcpus, seed, rot, p, why, len)
							 : HVB_ESKIP;
	free(free_t);
	if (rc == HVB_ESKIP) {
		/* Not enough free CPUs for this placement: the guests share CPUs, said in the plan. */
		char shared[160];
		if ((rc = plan_kind(t, kind, vcpus, seed, rot, p, why, len)) < 0)
			return rc;
		struct hvb_cpuset both = { { 0 } };
		for (int c = 0; c < HVB_MAX_CPUS; c++)
			if (hvb_cpuset_has(taken, c) && hvb_cpuset_has(&p->cpus, c))
				hvb_cpuset_set(&both, c);
		hvb_cpuset_format(&both, shared, sizeof(shared));
		size_t n = strlen(p->mem_note);
		snprintf(p->mem_note + n, sizeof(p->mem_note) - n, "%sguest %d shares CPUs %s with earlier guests: "
			 "too few free CPUs for its placement", n ? "; " : "", guest, shared);
		describe(p, t);
	}
out:
	if (rc == 0 && taken)
		for (int c = 0; c < HVB_MAX_CPUS; c++)
			if (hvb_cpuset_has(&p->cpus, c))
				hvb_cpuset_set(taken, c);
	return rc;
}

double hvb_placement_local_share(const struct hvb_topo *t, const struct hvb_placement *p)
{
	int n = 0, nmem = hvb_cpuset_count(&p->mem_nodes);
	double local = 0;

	if (!t || p->mempolicy == HVB_MEM_DEFAULT || !nmem || !hvb_cpuset_count(&p->cpus))
		return NAN;
	for (int c = 0; c < HVB_MAX_CPUS; c++) {
		if (!hvb_cpuset_has(&p->cpus, c))
			continue;
		n++;
		for (int i = 0; i < t->nnodes; i++)
			if (hvb_cpuset_has(&t->nodes[i].cpus, c) && hvb_cpuset_has(&p->mem_nodes, t->nodes[i].os_index))
				local += p->mempolicy == HVB_MEM_BIND ? 1.0 : 1.0 / nmem;
	}
	return local / n;
}

int hvb_placement_apply(const struct hvb_placement *p, char *why, size_t len)
{
	if (hvb_cpuset_count(&p->cpus)) {
		cpu_set_t cs;
		CPU_ZERO(&cs);
		for (int c = 0; c < HVB_MAX_CPUS && c < CPU_SETSIZE; c++)
			if (hvb_cpuset_has(&p->cpus, c))
				CPU_SET(c, &cs);
		if (sched_setaffinity(0, sizeof(cs), &cs) < 0) {
			snprintf(why, len, "sched_setaffinity: %m");
			return HVB_EIO;
		}
	}
	if (p->mempolicy != HVB_MEM_DEFAULT) {
		unsigned long mask[HVB_MAX_NODES / (8 * sizeof(unsigned long))] = { 0 };
		int mode = p->mempolicy == HVB_MEM_BIND ? MPOL_BIND : MPOL_INTERLEAVE;
		for (int n = 0; n < HVB_MAX_NODES; n++)
			if (hvb_cpuset_has(&p->mem_nodes, n))
				mask[n / (8 * sizeof(unsigned long))] |= 1UL << (n % (8 * sizeof(unsigned long)));
		/* maxnode counts one more than the bits the kernel reads */
		if (set_mempolicy(mode, mask, HVB_MAX_NODES + 1) < 0) {
			snprintf(why, len, "set_mempolicy(%s): %m", hvb_mempolicy_name(p->mempolicy));
			return HVB_EIO;
		}
	}
	return 0;
}

int hvb_placement_self(struct hvb_placement_seen *seen)
{
	cpu_set_t cs;
	unsigned long mask[HVB_MAX_NODES / (8 * sizeof(unsigned long))] = { 0 };
	int mode = 0;

	memset(seen, 0, sizeof(*seen));
	if (sched_getaffinity(0, sizeof(cs), &cs) < 0)
		return HVB_EIO;
	for (int c = 0; c < CPU_SETSIZE && c < HVB_MAX_CPUS; c++)
		if (CPU_ISSET(c, &cs))
			hvb_cpuset_set(&seen->cpus, c);
	if (get_mempolicy(&mode, mask, sizeof(mask) * 8, NULL, 0) < 0)
		return HVB_EIO;
	mode &= 0xff; /* drop MPOL_F_STATIC_NODES and friends (high bits) */
	seen->mempolicy = mode == MPOL_BIND ? HVB_MEM_BIND : mode == MPOL_INTERLEAVE ? HVB_MEM_INTERLEAVE
										      : HVB_MEM_DEFAULT;
	for (int n = 0; seen->mempolicy != HVB_MEM_DEFAULT && n < HVB_MAX_NODES; n++)
		if ((mask[n / (8 * sizeof(unsigned long))] >> (n % (8 * sizeof(unsigned long)))) & 1)
			hvb_cpuset_set(&seen->mem_nodes, n);
	return 0;
}

int hvb_placement_verify(const struct hvb_placement *plan, const struct hvb_placement_seen *seen, char *why,
			 size_t len)
{
	char want[256], got[256];

	if (hvb_cpuset_count(&plan->cpus) && !hvb_cpuset_equal(&plan->cpus, &seen->cpus)) {
		hvb_cpuset_format(&plan->cpus, want, sizeof(want));
		hvb_cpuset_format(&seen->cpus, got, sizeof(got));
		snprintf(why, len, "CPU affinity is %s, the placement asked for %s", got, want);
		return 0;
	}
	if (plan->mempolicy != seen->mempolicy || !hvb_cpuset_equal(&plan->mem_nodes, &seen->mem_nodes)) {
		hvb_cpuset_format(&plan->mem_nodes, want, sizeof(want));
		hvb_cpuset_format(&seen->mem_nodes, got, sizeof(got));
		snprintf(why, len, "memory policy is %s nodes %s, the placement asked for %s nodes %s",
			 hvb_mempolicy_name(seen->mempolicy), got, hvb_mempolicy_name(plan->mempolicy), want);
		return 0;
	}
	return 1;
}

json_t *hvb_placement_obj(const struct hvb_placement *p)
{
	json_t *o = json_object();
	char buf[256];

	json_object_set_new(o, "kind", json_string(hvb_placement_names[p->kind]));
	hvb_cpuset_format(&p->cpus, buf, sizeof(buf));
	json_object_set_new(o, "cpus", json_string(hvb_cpuset_count(&p->cpus) ? buf : "any"));
	hvb_cpuset_format(&p->mem_nodes, buf, sizeof(buf));
	json_object_set_new(o, "mem_nodes", json_string(buf));
	if (*p->mem_note)
		json_object_set_new(o, "mem_note", json_string(p->mem_note));
	json_object_set_new(o, "mempolicy", json_string(hvb_mempolicy_name(p->mempolicy)));
	json_object_set_new(o, "seed", json_integer((json_int_t)p->seed));
	json_object_set_new(o, "desc", json_string(p->desc));
	return o;
}

char *hvb_placement_json(const struct hvb_placement *p)
{
	json_t *o = hvb_placement_obj(p);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return s;
}

int hvb_vnuma_check(int asked, int seen, char *why, size_t len)
{
	if (asked < 0 || (asked ? seen >= 2 : seen == 1))
		return 0;
	if (seen < 0)
		snprintf(why, len, "vnuma = %s, but the guest's agent does not report its NUMA nodes", asked ? "on" : "off");
	else
		snprintf(why, len, "vnuma = %s, but the guest kernel sees %d NUMA node%s", asked ? "on" : "off", seen,
			 seen == 1 ? "" : "s");
	return HVB_EIO;
}
