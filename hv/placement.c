/* Placement policies: where an agent's (or guest's) CPUs and memory go, planned
 * on a topology, applied to a process, and read back to verify. A placement the
 * topology cannot honour is refused with its reason, never quietly degraded. */
#include "config.h"
#include <jansson.h>
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

/* The node (other than from) nearest to from that has memory: by distance when
 * known, else the next index. */
static int nearest_other(const struct hvb_topo *t, int from)
{
	int best = -1, bestd = 1 << 30;

	for (int k = 1; k < t->nnodes; k++) {
		int j = (from + k) % t->nnodes, d = hvb_topo_distance(t, from, j);
		if (!t->nodes[j].mem_bytes && t->nodes[j].ncpus == 0)
			continue;
		if (d < 0)
			d = 1000 + k;
		if (d < bestd) {
			bestd = d;
			best = j;
		}
	}
	return best;
}

static int first_node_with(const struct hvb_topo *t, int ncpus)
{
	for (int i = 0; i < t->nnodes; i++)
		if (allowed_in(t, i) >= ncpus)
			return i;
	return -1;
}

static int largest_node(const struct hvb_topo *t)
{
	int best = 0;
	for (int i = 1; i < t->nnodes; i++)
		if (allowed_in(t, i) > allowed_in(t, best))
			best = i;
	return best;
}

static void describe(struct hvb_placement *p, const struct hvb_topo *t)
{
	char cpus[160], mem[64];

	if (hvb_cpuset_count(&p->cpus))
		hvb_cpuset_format(&p->cpus, cpus, sizeof(cpus));
	else
		snprintf(cpus, sizeof(cpus), "any allowed");
	hvb_nodemask_format(p->mem_nodes, mem, sizeof(mem));
	snprintf(p->desc, sizeof(p->desc), "%s: CPUs %s; memory %s%s%s", hvb_placement_names[p->kind], cpus,
		 hvb_mempolicy_name(p->mempolicy), p->mempolicy == HVB_MEM_DEFAULT ? "" : " to node ",
		 p->mempolicy == HVB_MEM_DEFAULT ? "" : mem);
}

/* vcpus CPUs of node cpu_node, memory bound to node mem_node (indices). */
static void bind_cpus_mem(const struct hvb_topo *t, int cpu_node, int mem_node, int vcpus, struct hvb_placement *p)
{
	take_cpus(t, cpu_node, vcpus, &p->cpus);
	p->cpu_nodes = 1ULL << cpu_node;
	p->mem_nodes = 1ULL << t->nodes[mem_node].os_index;
	p->mempolicy = HVB_MEM_BIND;
}

static int need_nodes(const struct hvb_topo *t, int n, const char *kind, char *why, size_t len)
{
	if (t->nnodes >= n)
		return 0;
	snprintf(why, len, "%s placement needs %d NUMA nodes; this host has %d", kind, n, t->nnodes);
	return HVB_ESKIP;
}

int hvb_placement_plan(const struct hvb_topo *t, enum hvb_placement_kind kind, int vcpus, uint64_t seed,
		       struct hvb_placement *p, char *why, size_t len)
{
	int total = hvb_cpuset_count(&t->allowed), a, b;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->seed = seed;
	if (vcpus < 1 || vcpus > total) {
		snprintf(why, len, "%d vCPUs asked; %d CPUs are available here", vcpus, total);
		return HVB_ESKIP;
	}
	switch (kind) {
	case HVB_PL_NONE:
	case HVB_PL_AUTO:
		break;
	case HVB_PL_LOCAL:
		if ((a = first_node_with(t, vcpus)) < 0) {
			snprintf(why, len, "local placement needs %d CPUs on one node; the largest node has %d", vcpus,
				 allowed_in(t, largest_node(t)));
			return HVB_ESKIP;
		}
		bind_cpus_mem(t, a, a, vcpus, p);
		break;
	case HVB_PL_REMOTE:
		if (need_nodes(t, 2, "remote", why, len))
			return HVB_ESKIP;
		if ((a = first_node_with(t, vcpus)) < 0 || (b = nearest_other(t, a)) < 0) {
			snprintf(why, len, "remote placement needs %d CPUs on one node and memory on another", vcpus);
			return HVB_ESKIP;
		}
		bind_cpus_mem(t, a, b, vcpus, p);
		break;
	case HVB_PL_INTERLEAVE:
		if (need_nodes(t, 2, "interleave", why, len))
			return HVB_ESKIP;
		/* CPUs round-robin over the nodes, memory interleaved over all of them. */
		for (int got = 0, round = 0; got < vcpus && round < HVB_MAX_CPUS; round++)
			for (int i = 0; i < t->nnodes && got < vcpus; i++) {
				int c = nth_cpu(t, i, round);
				if (c >= 0) {
					hvb_cpuset_set(&p->cpus, c);
					p->cpu_nodes |= 1ULL << i;
					got++;
				}
			}
		for (int i = 0; i < t->nnodes; i++)
			if (t->nodes[i].mem_bytes || t->nodes[i].ncpus)
				p->mem_nodes |= 1ULL << t->nodes[i].os_index;
		p->mempolicy = HVB_MEM_INTERLEAVE;
		break;
	case HVB_PL_SPLIT:
		if (need_nodes(t, 2, "split", why, len))
			return HVB_ESKIP;
		if (vcpus < 2) {
			snprintf(why, len, "split placement spans two nodes and needs at least 2 vCPUs");
			return HVB_ESKIP;
		}
		a = first_node_with(t, (vcpus + 1) / 2);
		b = a < 0 ? -1 : nearest_other(t, a);
		if (a < 0 || b < 0 || allowed_in(t, b) < vcpus / 2) {
			snprintf(why, len, "split placement needs %d CPUs on each of two nodes", (vcpus + 1) / 2);
			return HVB_ESKIP;
		}
		take_cpus(t, a, (vcpus + 1) / 2, &p->cpus);
		take_cpus(t, b, vcpus / 2, &p->cpus);
		p->cpu_nodes = (1ULL << a) | (1ULL << b);
		p->mem_nodes = (1ULL << t->nodes[a].os_index) | (1ULL << t->nodes[b].os_index);
		p->mempolicy = HVB_MEM_INTERLEAVE;
		break;
	case HVB_PL_RANDOM: {
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
					p->cpu_nodes |= 1ULL << k;
		}
		for (int k = 0; k < t->nnodes; k++)
			if (t->nodes[k].mem_bytes || t->nodes[k].ncpus)
				withmem[nm++] = k;
		if (nm) {
			s ^= s << 13, s ^= s >> 7, s ^= s << 17;
			p->mem_nodes = 1ULL << t->nodes[withmem[s % (uint64_t)nm]].os_index;
			p->mempolicy = HVB_MEM_BIND;
		}
		break;
	}
	default:
		snprintf(why, len, "unknown placement %d", (int)kind);
		return HVB_EINVAL;
	}
	describe(p, t);
	return 0;
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
		unsigned long mask = (unsigned long)p->mem_nodes;
		int mode = p->mempolicy == HVB_MEM_BIND ? MPOL_BIND : MPOL_INTERLEAVE;
		if (set_mempolicy(mode, &mask, 64) < 0) {
			snprintf(why, len, "set_mempolicy(%s): %m", hvb_mempolicy_name(p->mempolicy));
			return HVB_EIO;
		}
	}
	return 0;
}

int hvb_placement_self(struct hvb_placement_seen *seen)
{
	cpu_set_t cs;
	unsigned long mask[16] = { 0 };
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
	seen->mem_nodes = seen->mempolicy == HVB_MEM_DEFAULT ? 0 : mask[0];
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
	if (plan->mempolicy != seen->mempolicy || plan->mem_nodes != seen->mem_nodes) {
		hvb_nodemask_format(plan->mem_nodes, want, sizeof(want));
		hvb_nodemask_format(seen->mem_nodes, got, sizeof(got));
		snprintf(why, len, "memory policy is %s nodes %s, the placement asked for %s nodes %s",
			 hvb_mempolicy_name(seen->mempolicy), got, hvb_mempolicy_name(plan->mempolicy), want);
		return 0;
	}
	return 1;
}

char *hvb_placement_json(const struct hvb_placement *p)
{
	json_t *o = json_object();
	char buf[256], *s;

	json_object_set_new(o, "kind", json_string(hvb_placement_names[p->kind]));
	hvb_cpuset_format(&p->cpus, buf, sizeof(buf));
	json_object_set_new(o, "cpus", json_string(hvb_cpuset_count(&p->cpus) ? buf : "any"));
	hvb_nodemask_format(p->mem_nodes, buf, sizeof(buf));
	json_object_set_new(o, "mem_nodes", json_string(buf));
	json_object_set_new(o, "mempolicy", json_string(hvb_mempolicy_name(p->mempolicy)));
	json_object_set_new(o, "seed", json_integer((json_int_t)p->seed));
	json_object_set_new(o, "desc", json_string(p->desc));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}
