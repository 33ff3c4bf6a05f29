/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cells that take turns, planned without a hypervisor: each round's order
 * drawn from the seed (the same again with the same seed and label, another
 * with another), groups kept together, and the memory check of the guests that
 * live together against a host's figures (fits, does not fit: the file and each
 * section named), with Xen's footprint per guest by libxl's rule. */
#include "config.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bench/bench.h"
#include "hv/xen-internal.h"
#include "tests/check.h"

#define MIB (1ULL << 20)

/* Each of the rounds is a permutation of 0..n-1. */
static int permutations(const size_t *o, size_t n, int rounds)
{
	for (int r = 0; r < rounds; r++) {
		unsigned char seen[64] = { 0 };
		for (size_t k = 0; k < n; k++)
			if (o[r * n + k] >= n || seen[o[r * n + k]]++)
				return 0;
	}
	return 1;
}

static void orders(void)
{
	enum { N = 6, R = 12 };
	size_t a[N * R], b[N * R], c[N * R], direct[N];
	uint64_t s1 = hvb_turns_seed(NULL, NULL, 1, 1), s2 = hvb_turns_seed(NULL, NULL, 1, 2);
	int differ = 0;

	CHECK(s1 != 0 && s1 != s2);
	/* a label takes part: baseline and candidate of a calibration do not share orders */
	CHECK(hvb_turns_seed(NULL, "main", 1, 1) != s1);
	CHECK(hvb_turns_seed(NULL, "main", 1, 1) == hvb_turns_seed(NULL, "main", 1, 1));
	hvb_turns_rounds(N, s1, R, a);
	hvb_turns_rounds(N, s1, R, b);
	hvb_turns_rounds(N, s2, R, c);
	CHECK(permutations(a, N, R) && permutations(c, N, R));
	CHECK(!memcmp(a, b, sizeof(a)));  /* reproducible from the seed */
	CHECK(memcmp(a, c, sizeof(a)));   /* another seed, other orders */
	for (int r = 1; r < R; r++)
		differ += !!memcmp(a + r * N, a, N * sizeof(size_t));
	CHECK(differ >= R / 2); /* drawn anew each round, not one order repeated */
	/* the runner's way: one array shuffled again each round, from the identity */
	uint64_t st = s1;
	for (size_t i = 0; i < N; i++)
		direct[i] = i;
	for (int r = 0; r < R; r++) {
		hvb_turns_shuffle(direct, NULL, N, &st);
		CHECK(!memcmp(direct, a + r * N, sizeof(direct)));
	}
	/* groups (several runs: the same cell of each) stay next to each other */
	size_t group[N] = { 0, 0, 1, 1, 2, 2 }, g[N] = { 0, 1, 2, 3, 4, 5 };
	int moved = 0;
	st = 7;
	for (int r = 0; r < 20; r++) {
		hvb_turns_shuffle(g, group, N, &st);
		for (size_t k = 0; k < N; k++) {
			CHECK(group[g[k]] == k / 2);
			moved |= g[k] != k;
		}
	}
	CHECK(moved);
}

static void footprint(void)
{
	/* PV: its memory and libxl's 1 MiB, to 2 MiB: 512 MiB + 1 MiB -> 514 MiB */
	CHECK(hvb_xen_guest_footprint("pv", 1, 512 * MIB, 0) == 514 * MIB);
	CHECK(hvb_xen_guest_footprint("pv", 8, 512 * MIB, 0) == 514 * MIB);
	/* HVM, 2 vCPUs: + the paging pool 4 KiB x (256 x 2 + 2 x 512) = 6 MiB, + 2 MiB */
	CHECK(hvb_xen_guest_footprint("hvm", 2, 512 * MIB, 0) == 520 * MIB);
	CHECK(hvb_xen_guest_footprint("pvh-shadow", 2, 512 * MIB, 0) == 520 * MIB);
	/* 1 vCPU, 1 GiB: a pool of 4 KiB x (256 + 2048) = 9 MiB, + 2 MiB, rounded up to 2 MiB */
	CHECK(hvb_xen_guest_footprint("hvm-emu", 1, 1024 * MIB, 0) == (1024 + 9 + 2 + 1) * MIB);
	/* and an antagonist domain (256 MiB PV): 258 MiB */
	CHECK(hvb_xen_guest_footprint("pv", 1, 512 * MIB, 2) == (514 + 258) * MIB);
#ifdef HAVE_LIBXEN
	/* the paging pool as libxl itself computes it */
	CHECK(libxl_get_required_shadow_memory(512 * 1024, 2) == 6144);
	CHECK(libxl_get_required_shadow_memory(1024 * 1024, 1) == 4 * (256 + 2 * 1024));
#endif
}

static void memory(void)
{
	const char *text = "[experiment]\norder = interleaved\nbackends = native, xen:pv, xen:hvm\nvcpus = 1, 2\n"
			   "memory = 512M\n[memlat]\n[syscall]\n";
	const struct hvb_backend_ops *xen = hvb_backend_find("xen");
	struct hvb_host_memory small = { .total = 3072 * MIB, .free = 1980 * MIB, .dom0 = 1024 * MIB },
			       big = { .total = 16384 * MIB, .free = 8000 * MIB, .dom0 = 1024 * MIB };
	struct hvb_experiment ex;
	char msg[2048];
	unsigned char runs[64] = { 0 };

	snprintf(small.source, sizeof(small.source), "test figures");
	snprintf(big.source, sizeof(big.source), "test figures");
	CHECK(xen && xen->footprint);
	if (hvb_experiment_load_text("t.ini", text, &ex) < 0) {
		CHECK(!"the experiment loads");
		return;
	}
	/* 2 native + 4 Xen cells per section: 8 Xen guests, 2 x (514 + 514 + 520 + 520) MiB */
	CHECK(ex.ncells == 12);
	CHECK(hvb_turns_memory(&ex, xen, NULL, &small, msg, sizeof(msg)) == HVB_EINVAL);
	CHECK_STR_HAS(msg, "t.ini: ");
	CHECK_STR_HAS(msg, "the 8 xen guests that live together need 4136 MiB");
	CHECK_STR_HAS(msg, "[memlat] 4 guests, 2068 MiB; [syscall] 4 guests, 2068 MiB");
	CHECK_STR_HAS(msg, "xen has 1980 MiB free (host 3072 MiB, dom0 holds 1024 MiB; test figures)");
	CHECK_STR_HAS(msg, "do not fit");
	CHECK_STR_HAS(msg, "order = interleaved");
	CHECK(hvb_turns_memory(&ex, xen, NULL, &big, msg, sizeof(msg)) == 0);
	CHECK_STR_HAS(msg, "they fit");
	/* only the cells that will run count: [memlat]'s PV cells, 1028 MiB */
	for (size_t i = 0; i < ex.ncells; i++)
		runs[i] = !strcmp(ex.cells[i].section, "memlat") && !strcmp(ex.cells[i].mode, "pv");
	CHECK(hvb_turns_memory(&ex, xen, runs, &small, msg, sizeof(msg)) == 0);
	CHECK_STR_HAS(msg, "the 2 xen guests that live together need 1028 MiB ([memlat] 2 guests, 1028 MiB)");
	/* the plan's own check here: no Xen, the cells will be skipped, nothing to fit; native: one turn's buffers */
	CHECK(hvb_turns_check(&ex, msg, sizeof(msg)) == 0);
	CHECK_STR_HAS(msg, "t.ini: the largest turn, [memlat] cell");
	CHECK_STR_HAS(msg, "(host ");
	CHECK_STR_HAS(msg, "xen: no cell of it runs here");
	hvb_experiment_free(&ex);
	/* guests = N: each guest of a cell counts */
	if (hvb_experiment_load_text("t.ini", "[experiment]\norder = interleaved\nbackends = xen:pv\nguests = 3\n"
				     "memory = 1G\n[memlat]\n", &ex) == 0) {
		CHECK(hvb_turns_memory(&ex, xen, NULL, &small, msg, sizeof(msg)) == HVB_EINVAL);
		CHECK_STR_HAS(msg, "the 3 xen guests that live together need 3078 MiB");
		hvb_experiment_free(&ex);
	} else
		CHECK(!"guests = 3 loads");
}

int main(void)
{
	orders();
	footprint();
	memory();
	return CHECK_DONE();
}
