/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report as one JSON object, for other tools: every figure the text shows,
 * unrounded; a number that does not exist is null. */
#include "config.h"
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/format-internal.h"

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* A string from the store as valid UTF-8 (jansson refuses anything else, and
 * the whole report would be lost); "" for NULL. */
static json_t *str(const char *s)
{
	char *u = hvb_esc_dup(s ? s : "", HVB_ESC_UTF8);
	json_t *j = json_string(u ? u : "");

	free(u);
	return j;
}

static json_t *str_or_null(const char *s)
{
	return s ? str(s) : json_null();
}

static json_t *summary(const struct hvb_summary *s, const struct hvb_ci *ci)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:[o,o]}", "n", (json_int_t)s->n, "median",
			 num(s->median), "mean", num(s->mean), "sd", num(s->sd), "cov", num(s->cov), "min", num(s->min),
			 "max", num(s->max), "mad", num(s->mad), "outliers", (json_int_t)s->outliers, "median_ci",
			 num(ci->lo), num(ci->hi));
}

static json_t *fig_json(const struct hvb_numa_fig *f)
{
	return f->n ? json_pack("{s:I, s:o, s:[o,o]}", "n", (json_int_t)f->n, "median", num(f->median), "median_ci",
				num(f->ci.lo), num(f->ci.hi))
		    : json_null();
}

/* Randomised against optimised placement (analysis/numa.c): one object per metric and group. */
static json_t *numa_json(const struct hvb_report *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->nnuma; i++) {
		const struct hvb_numa_row *n = &r->numa[i];
		json_t *rnd = n->ndraws ? json_pack("{s:I, s:I, s:o, s:[o,o], s:o, s:o, s:o, s:o, s:o, s:[o,o]}", "draws",
						    (json_int_t)n->ndraws, "samples", (json_int_t)n->random.n,
						    "median_of_draws", num(n->draw_median), "median_ci", num(n->draw_ci.lo),
						    num(n->draw_ci.hi), "min", num(n->draw_min), "max", num(n->draw_max),
						    "worst", num(n->draw_worst), "worst_draw",
						    n->worst_draw >= 0 ? json_integer(n->worst_draw) : json_null(),
						    "share", num(n->random_share), "share_ci", num(n->random_share_ci.lo),
						    num(n->random_share_ci.hi))
					: json_null();
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:[o,o], s:b, s:o, "
						   "s:[o,o]}", "title", str(n->title), "metric", str(n->metric), "unit",
						   str(n->unit), "better", hvb_better_name(n->better), "optimised",
						   str(n->optimised), "optimised_fig", fig_json(&n->opt), "auto",
						   fig_json(&n->autop), "remote", fig_json(&n->remote), "gain", num(n->gain),
						   "gain_ci", num(n->gain_ci.lo), num(n->gain_ci.hi), "gain_significant",
						   n->gain_known, "auto_share", num(n->share), "auto_share_ci",
						   num(n->share_ci.lo), num(n->share_ci.hi)));
		json_object_set_new(json_array_get(a, json_array_size(a) - 1), "random", rnd);
	}
	return a;
}

static json_t *cmp_json(const struct hvb_cmp *c)
{
	json_t *ms = json_array(), *ps = json_array();

	for (size_t k = 0; k < c->nm; k++) {
		const struct hvb_metric_cmp *m = &c->m[k];
		json_array_append_new(
			ms, json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:[o,o], s:o, s:o, s:o, s:b, s:s, s:i, s:b, s:o}", "name",
				      str(m->name), "unit", str(m->unit), "better", hvb_better_name(m->better), "a",
				      summary(&m->a, &m->ci_a), "b", summary(&m->b, &m->ci_b), "ratio", num(m->ratio),
				      "ratio_ci", num(m->ci.lo), num(m->ci.hi), "change", num(m->change), "p", num(m->p),
				      "p_holm", num(m->p_adj), "exact", m->exact, "verdict", hvb_verdict_name(m->verdict),
				      "need_more", m->need_more, "regressed", m->regressed, "detectable",
				      num(m->detectable)));
	}
	for (size_t k = 0; k < c->nprobes; k++) {
		const struct hvb_probe_fig *f = &c->probes[k];
		json_array_append_new(ps, json_pack("{s:o, s:o, s:s, s:o, s:o}", "name", str(f->name), "unit", str(f->unit), "per",
						    f->per_op ? "operation" : "sample", "a", num(f->a), "b", num(f->b)));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "title", str(c->title), "a", str(c->label_a), "b",
			 str(c->label_b), "a_key", str(c->a->row.key), "b_key", str(c->b->row.key), "metrics", ms, "probes",
			 ps);
}

static json_t *run_json(const struct hvb_run_data *d)
{
	json_t *host = d->info.host_json ? json_loads(d->info.host_json, 0, NULL) : NULL, *cells = json_array();

	for (size_t i = 0; i < d->n; i++) {
		const struct hvb_cell_data *c = &d->cells[i];
		json_t *ms = json_object();
		for (size_t k = 0; k < c->nm; k++) {
			struct hvb_summary s;
			struct hvb_ci ci = { NAN, NAN };
			json_t *vals = json_array();
			hvb_stats_summarize(c->m[k].v, c->m[k].n, &s);
			hvb_boot_median_ci(c->m[k].v, c->m[k].n, 0.95, HVB_BOOT_RESAMPLES, 0x5eed, &ci);
			for (size_t j = 0; j < c->m[k].n; j++)
				json_array_append_new(vals, json_real(c->m[k].v[j]));
			json_t *o = summary(&s, &ci);
			json_object_set_new(o, "unit", str(c->m[k].unit));
			json_object_set_new(o, "better", json_string(hvb_better_name(c->m[k].better)));
			json_object_set_new(o, "values", vals);
			char *name = hvb_esc_dup(c->m[k].name, HVB_ESC_UTF8);
			json_object_set_new(ms, name ? name : "?", o);
			free(name);
		}
		json_array_append_new(cells, json_pack("{s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:i, s:i, s:o, s:o}", "key",
						       str(c->row.key), "mode", str(c->row.mode), "placement",
						       str(c->row.placement), "status", str(c->row.status), "idx", c->row.idx,
						       "reason", str_or_null(c->row.reason), "sample_failure",
						       str_or_null(c->bad_reason), "samples_ok", c->nok,
						       "samples_failed", c->nbad, "metrics", ms, "facts", str_or_null(c->facts)));
	}
	json_t *rj = json_pack("{s:I, s:o, s:o, s:o, s:b, s:s, s:o, s:o}", "id", (json_int_t)d->info.id, "label",
			       str(d->info.label), "experiment", str(d->info.experiment), "status", str(d->info.status),
			       "lab", d->info.lab, "lab_note", d->info.lab ? "LAB: not performance" : "", "host",
			       host ? host : json_null(), "cells", cells);
	json_object_set_new(rj, "warnings", str_or_null(d->warnings)); /* logged while it was measured */
	return rj;
}

/* Which mode wins per workload cell, metric and vCPU count, the crossover, and the gaps to the baseline. */
static json_t *modes_json(const struct hvb_report *r)
{
	json_t *ans = json_array(), *gaps = json_array();

	for (size_t i = 0; i < r->nanswers; i++) {
		const struct hvb_mode_answer *a = &r->answers[i];
		json_t *pts = json_array();
		for (size_t k = 0; k < a->npt; k++) {
			const struct hvb_mode_point *p = &a->pt[k];
			json_t *med = json_object();
			for (size_t f = 0; f < p->nfig; f++)
				json_object_set_new(med, p->fig[f].mode, json_pack("{s:o, s:[o,o]}", "median", num(p->fig[f].median),
										   "median_ci", num(p->fig[f].ci.lo),
										   num(p->fig[f].ci.hi)));
			json_array_append_new(pts, json_pack("{s:i, s:o, s:o, s:o, s:[o,o], s:o, s:s, s:b, s:o}", "vcpus",
							     p->vcpus, "winner", str_or_null(p->winner[0] ? p->winner : NULL),
							     "runner_up", str_or_null(p->runner_up[0] ? p->runner_up : NULL),
							     "ratio", num(p->cmp.ratio), "ratio_ci", num(p->cmp.ci.lo),
							     num(p->cmp.ci.hi), "p_holm", num(p->cmp.p_adj), "verdict",
							     hvb_verdict_name(p->cmp.verdict), "decided", p->decided, "medians",
							     med));
		}
		json_array_append_new(ans, json_pack("{s:o, s:o, s:o, s:s, s:o, s:o}", "group", str(a->group), "metric",
						     str(a->metric), "unit", str(a->unit), "better", hvb_better_name(a->better),
						     "points", pts, "crossover",
						     a->crossover ? json_pack("{s:i, s:i, s:s, s:s, s:i}", "vcpus", a->crossover,
									      "after_vcpus", a->crossover_before, "from",
									      a->crossover_from, "to", a->crossover_to,
									      "changes", a->ncrossovers)
								  : json_null()));
	}
	for (size_t i = 0; i < r->ngaps; i++) {
		const struct hvb_mode_gap *g = &r->gaps[i];
		json_array_append_new(gaps, json_pack("{s:o, s:s, s:i, s:o, s:o, s:[o,o], s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
						      "group", str(g->group), "mode", g->mode, "vcpus", g->vcpus, "metric",
						      str(g->metric), "ratio", num(g->cmp.ratio), "ratio_ci", num(g->cmp.ci.lo),
						      num(g->cmp.ci.hi), "verdict", hvb_verdict_name(g->cmp.verdict), "per",
						      g->per_op ? "operation" : "sample", "exit_cycles", num(g->exit_cycles),
						      "exits", num(g->exits), "hypercalls", num(g->hypercalls), "pt_updates",
						      num(g->pt_updates), "top_exits", str(g->top_exits), "top_hypercalls",
						      str(g->top_hypercalls), "guest_hypercalls", str(g->guest_hypercalls)));
	}
	return json_pack("{s:o, s:o, s:o}", "answers", ans, "gaps", gaps, "absent", str(r->gaps_absent));
}

static int json_write(const struct hvb_report *r, FILE *out)
{
	json_t *o = json_object(), *runs = json_array(), *secs = json_array(), *un = json_array();
	int rc;

	json_object_set_new(o, "kind", json_string(r->kind));
	for (size_t i = 0; i < r->nruns; i++)
		json_array_append_new(runs, run_json(&r->runs[i]));
	json_object_set_new(o, "runs", runs);
	if (r->nruns == 2) {
		double gap;
		int il = hvb_runs_interleaved(&r->runs[0].info, &r->runs[1].info, &gap);
		char d[2048];
		json_object_set_new(o, "measured", json_pack("{s:s, s:f}", "design", il ? "interleaved" : "sequential",
							      "gap_s", gap));
		for (const struct hvb_run_diff *df = hvb_run_diffs; df->what; df++)
			if (df->differ(&r->runs[0].info, &r->runs[1].info, d, sizeof(d)))
				json_object_set_new(o, df->key, str(d));
	}
	json_object_set_new(o, "options", json_pack("{s:f, s:f, s:f, s:i}", "alpha", r->opts.alpha, "min_effect",
						    r->opts.min_effect, "level", r->opts.level, "resamples",
						    (int)r->opts.resamples));
	for (size_t s = 0; s < r->nsec; s++) {
		static const char *const kinds[] = { "modes", "placement", "cells" };
		json_t *cmps = json_array();
		for (size_t i = 0; i < r->sec[s].n; i++)
			json_array_append_new(cmps, cmp_json(&r->sec[s].cmps[i]));
		json_array_append_new(secs, json_pack("{s:s, s:o, s:o, s:o}", "kind", kinds[r->sec[s].kind], "title",
						      str(r->sec[s].title), "baseline", str(r->sec[s].baseline), "comparisons",
						      cmps));
	}
	json_object_set_new(o, "sections", secs);
	if (r->nanswers)
		json_object_set_new(o, "modes", modes_json(r));
	if (r->nnuma)
		json_object_set_new(o, "numa", numa_json(r));
	for (size_t i = 0; i < r->nunmatched; i++)
		json_array_append_new(un, str(r->unmatched[i]));
	json_object_set_new(o, "unmatched", un);
	if (r->ninfra) {
		json_t *inf = json_array();
		for (size_t i = 0; i < r->ninfra; i++)
			json_array_append_new(inf, str(r->infra[i]));
		json_object_set_new(o, "infrastructure", inf);
	}
	if (!strcmp(r->kind, "gate"))
		json_object_set_new(o, "gate", json_pack("{s:s, s:f, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "result",
							 r->nregressed || r->nmissing ? "fail" : r->ninfra ? "infrastructure"
							 : r->njudged ? "pass" : "error",
							 "max_regression", r->max_regression, "rule", hvb_rule_name(r->rule),
							 "judged", (json_int_t)r->njudged, "regressed",
							 (json_int_t)r->nregressed, "missing", (json_int_t)r->nmissing, "worse",
							 (json_int_t)r->nworse, "better", (json_int_t)r->nbetter, "same",
							 (json_int_t)r->nsame, "inconclusive", (json_int_t)r->ninconclusive));
	rc = json_dumpf(o, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(o);
	return rc < 0 || ferror(out) ? HVB_EIO : 0;
}

const struct hvb_format_ops hvb_format_json = {
	.name = "json",
	.summary = "one JSON object with every figure, unrounded",
	.write = json_write,
};
