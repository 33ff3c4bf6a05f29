/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report's randomised-against-optimised placement part on a store built
 * with known figures (a test input, not a measurement): the share of the
 * optimised gain auto recovers, random as a distribution over its draws, the
 * worst draw, the selectable placement baseline, and the formats that show it. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "analysis/analysis.h"
#include "tests/check.h"

struct spec {
	const char *placement;
	const double *lat;   /* lat_ns, lower is better */
	const int *draw;     /* placement.draw of each sample, or NULL */
	size_t n;
};

static int64_t add_run(struct hvb_store *s, const struct spec *cs, size_t ncells)
{
	int64_t run;

	if (hvb_store_run_begin(s, "numa", "numa", "numa.ini", "[memlat]\n", "{}", 0, &run) < 0)
		return -1;
	for (size_t i = 0; i < ncells; i++) {
		struct hvb_cell_row c = { .run_id = run, .idx = (int)i, .vcpus = 1 };
		snprintf(c.key, sizeof(c.key), "native:native placement=%s vcpus=1 memory=host memlat sizes=4M", cs[i].placement);
		snprintf(c.backend, sizeof(c.backend), "native");
		snprintf(c.mode, sizeof(c.mode), "native");
		snprintf(c.placement, sizeof(c.placement), "%s", cs[i].placement);
		snprintf(c.workload, sizeof(c.workload), "memlat");
		snprintf(c.section, sizeof(c.section), "memlat");
		c.params_json = "{\"sizes\":\"4M\"}";
		if (hvb_store_cell_put(s, &c) < 0)
			return -1;
		for (size_t k = 0; k < cs[i].n; k++) {
			struct hvb_sample_row sr = { .cell_id = c.id, .rep = (int)k, .seed = 1, .started = 1e9 + (double)k };
			struct hvb_metrics ms = { 0 };
			snprintf(sr.status, sizeof(sr.status), "ok");
			hvb_metrics_add(&ms, "lat_ns.4M", cs[i].lat[k], "ns", HVB_LOWER);
			/* a rate: higher is better, the inverse of the latency */
			hvb_metrics_add(&ms, "rate", 1e9 / cs[i].lat[k], "ops/s", HVB_HIGHER);
			if (cs[i].draw)
				hvb_metrics_add(&ms, "placement.draw", cs[i].draw[k], "count", HVB_INFO);
			if (hvb_store_sample_add(s, &sr, &ms) < 0)
				return -1;
			hvb_metrics_free(&ms);
		}
		hvb_store_cell_update(s, c.id, "done", NULL, NULL);
	}
	hvb_store_run_status(s, run, "done");
	return run;
}

static const struct hvb_numa_row *row(const struct hvb_report *r, const char *metric)
{
	for (size_t i = 0; i < r->nnuma; i++)
		if (!strcmp(r->numa[i].metric, metric))
			return &r->numa[i];
	return NULL;
}

int main(void)
{
	static const double local[] = { 98, 99, 100, 101, 102 }, remote[] = { 198, 199, 200, 201, 202 },
			    autop[] = { 148, 149, 150, 151, 152 }, inter[] = { 120, 120, 120, 120, 120 };
	/* three draws, two samples each: medians 100 (draw 0), 200 (draw 1), 130 (draw 2) */
	static const double rnd[] = { 99, 101, 199, 201, 129, 131 };
	static const int draws[] = { 0, 0, 1, 1, 2, 2 };
	const struct spec cells[] = {
		{ "local", local, NULL, 5 }, { "remote", remote, NULL, 5 }, { "auto", autop, NULL, 5 },
		{ "random", rnd, draws, 6 }, { "interleave", inter, NULL, 5 },
	};
	char db[] = "/tmp/hvb-numa-report-XXXXXX";
	struct hvb_judge_opts o;
	struct hvb_report r;
	struct hvb_store *s;
	const struct hvb_numa_row *n;
	int64_t run;
	int fd = mkstemp(db);

	hvb_log_set_level(HVB_LOG_ERROR);
	if (fd < 0)
		return 99;
	close(fd);
	unlink(db);
	if (!(s = hvb_store_open(db, 0)) || (run = add_run(s, cells, 5)) < 0) {
		fprintf(stderr, "cannot build the store %s\n", db);
		return 99;
	}
	hvb_judge_opts_default(&o);
	CHECK(hvb_report_build(s, run, NULL, &o, &r) == 0);
	CHECK(r.nnuma == 2);
	/* auto recovers (150 - 200) / (100 - 200) = 50% of the optimised gain */
	CHECK((n = row(&r, "lat_ns.4M")) != NULL);
	if (n) {
		CHECK(!strcmp(n->optimised, "local") && n->opt.n == 5 && n->remote.n == 5 && n->autop.n == 5);
		CHECK(fabs(n->opt.median - 100) < 1e-9 && fabs(n->remote.median - 200) < 1e-9 &&
		      fabs(n->autop.median - 150) < 1e-9);
		CHECK(fabs(n->share - 0.5) < 1e-9);
		CHECK(n->share_ci.lo <= 0.5 && n->share_ci.hi >= 0.5 && n->share_ci.lo > 0.45 && n->share_ci.hi < 0.55);
		CHECK(n->gain_known && n->gain < 1);
		/* random: three draws, median of their medians 130, range 100-200, worst draw 1 */
		CHECK(n->ndraws == 3 && n->random.n == 6);
		CHECK(fabs(n->draw_median - 130) < 1e-9 && fabs(n->draw_min - 100) < 1e-9 && fabs(n->draw_max - 200) < 1e-9);
		CHECK(fabs(n->draw_worst - 200) < 1e-9 && n->worst_draw == 1);
		CHECK(fabs(n->random_share - 0.7) < 1e-9);
		CHECK(n->draw_ci.lo >= 100 && n->draw_ci.hi <= 200);
	}
	/* Higher is better: the same share, the worst draw the lowest rate. */
	CHECK((n = row(&r, "rate")) != NULL);
	if (n) {
		CHECK(fabs(n->share - (1e9 / 150 - 1e9 / 200) / (1e9 / 100 - 1e9 / 200)) < 1e-9);
		CHECK(n->worst_draw == 1 && fabs(n->draw_worst / (1e9 / 200) - 1) < 1e-3);
	}
	/* The formats say it. */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		r.width = 1000; /* one line each, to find the words */
		CHECK(hvb_format_find("text")->write(&r, f) == 0);
		fclose(f);
		CHECK_STR_HAS(buf, "Randomised against optimised placement");
		CHECK_STR_HAS(buf, "50% [");
		CHECK_STR_HAS(buf, "(draw 1)");
		free(buf);
		f = open_memstream(&buf, &len);
		CHECK(hvb_format_find("json")->write(&r, f) == 0);
		fclose(f);
		CHECK_STR_HAS(buf, "\"auto_share\": 0.5");
		CHECK_STR_HAS(buf, "\"worst_draw\": 1");
		free(buf);
	}
	hvb_report_free(&r);
	/* Another baseline: interleave as the optimised placement, (150 - 200) / (120 - 200). */
	o.placement_baseline = "interleave";
	CHECK(hvb_report_build(s, run, NULL, &o, &r) == 0);
	CHECK((n = row(&r, "lat_ns.4M")) != NULL && !strcmp(n->optimised, "interleave") &&
	      fabs(n->share - 0.625) < 1e-9);
	CHECK(r.nsec == 1 && strstr(r.sec[0].title, "against interleave"));
	hvb_report_free(&r);
	hvb_store_close(s);
	unlink(db);
	return CHECK_DONE();
}
