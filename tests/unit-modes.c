/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which mode wins, the crossover and the gap decomposition (analysis/modes.c)
 * on a store of known figures: `analysis-fixture DB modes` (recorded syncall
 * and memlat samples scaled per mode and vCPUs, probe figures per operation
 * of known size). usage: unit-modes DB */
#include "config.h"
#include <math.h>
#include <string.h>
#include "analysis/analysis.h"
#include "tests/check.h"

static const struct hvb_mode_answer *answer(const struct hvb_report *r, const char *group, const char *metric)
{
	for (size_t i = 0; i < r->nanswers; i++)
		if (strstr(r->answers[i].group, group) == r->answers[i].group && !strcmp(r->answers[i].metric, metric))
			return &r->answers[i];
	return NULL;
}

static const struct hvb_mode_gap *gap(const struct hvb_report *r, const char *mode, int vcpus)
{
	for (size_t i = 0; i < r->ngaps; i++)
		if (!strcmp(r->gaps[i].mode, mode) && r->gaps[i].vcpus == vcpus && strstr(r->gaps[i].group, "syscall"))
			return &r->gaps[i];
	return NULL;
}

static int near(double a, double b) { return fabs(a - b) <= 1e-9 * fabs(b); }

int main(int argc, char **argv)
{
	struct hvb_judge_opts o;
	struct hvb_report r;
	struct hvb_store *s;
	const struct hvb_mode_answer *a;
	const struct hvb_mode_gap *g;

	if (argc != 2 || !(s = hvb_store_open(argv[1], 0)))
		return 2;
	hvb_judge_opts_default(&o);
	CHECK(hvb_report_build(s, 1, NULL, &o, &r) == 0);
	CHECK(r.nanswers == 4); /* syscall: getppid_ns, read_small_ns; memlat: lat_ns.16K, lat_ns.4M */
	for (int m = 0; m < 2; m++) {
		a = answer(&r, "syscall", m ? "read_small_ns" : "getppid_ns");
		CHECK(a && a->npt == 4);
		if (!a || a->npt != 4)
			continue;
		CHECK(a->pt[0].vcpus == 1 && !strcmp(a->pt[0].winner, "pv") && !strcmp(a->pt[0].runner_up, "pvh") &&
		      a->pt[0].decided);
		CHECK(near(a->pt[0].cmp.ratio, 1.2 / 1.4) && a->pt[0].cmp.ci.lo < a->pt[0].cmp.ratio &&
		      a->pt[0].cmp.ci.hi > a->pt[0].cmp.ratio);
		CHECK(!strcmp(a->pt[1].winner, "hvm") && a->pt[1].decided && !strcmp(a->pt[2].winner, "hvm") && a->pt[2].decided);
		/* pvh level with hvm at 8 vCPUs: no winner */
		CHECK(a->pt[3].vcpus == 8 && !a->pt[3].decided && a->pt[3].cmp.verdict == HVB_V_SAME);
		CHECK(a->pt[0].nfig == 4 && !strcmp(a->pt[0].fig[0].mode, "native"));
		CHECK(a->crossover == 2 && a->crossover_before == 1 && a->ncrossovers == 1);
		CHECK(!strcmp(a->crossover_from, "pv") && !strcmp(a->crossover_to, "hvm"));
	}
	/* An undecided vCPU count is passed over; a second change is counted. */
	a = answer(&r, "memlat", "lat_ns.16K");
	CHECK(a && a->npt == 4 && !a->pt[1].decided);
	CHECK(a && a->crossover == 4 && a->crossover_before == 1 && a->ncrossovers == 2);
	/* The gaps: the ratio to native, and Xen's figures per operation as the fixture stored them. */
	CHECK(r.ngaps == 3 * 4 + 2 * 4);
	g = gap(&r, "pv", 4);
	CHECK(g && near(g->cmp.ratio, 2.0) && g->cmp.verdict == HVB_V_WORSE && g->per_op);
	CHECK(g && near(g->hypercalls, 4.5) && near(g->pt_updates, 4) && isnan(g->exit_cycles) && isnan(g->exits));
	CHECK(g && !strcmp(g->top_hypercalls, "mmu_update 3, mmuext_op 1, sched_op 0.5"));
	g = gap(&r, "hvm", 2);
	CHECK(g && near(g->cmp.ratio, 1.2) && near(g->exit_cycles, 1200) && near(g->exits, 3) && isnan(g->pt_updates));
	CHECK(g && !strcmp(g->top_exits, "npf 1000, io 200") && !g->guest_hypercalls[0]);
	CHECK_STR_HAS(r.gaps_absent, "xen.guest.pt_updates");
	CHECK(!strstr(r.gaps_absent, "xen.guest.exit_cycles.*") && !strstr(r.gaps_absent, "xen.guest.hypercall.*"));
	hvb_report_free(&r);
	hvb_store_close(s);
	return CHECK_DONE();
}
