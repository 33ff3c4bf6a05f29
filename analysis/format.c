/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The list of report formats, the helpers they share, and the walk over a
 * report that text, Markdown and HTML render: runs and the LAB warning, the
 * gate's decision, each section's comparisons with probe figures, per-cell
 * summaries, cells on one side only, skipped and failed cells, host facts. */
#include "config.h"
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "analysis/format-internal.h"

extern const struct hvb_format_ops hvb_format_text, hvb_format_md, hvb_format_html, hvb_format_json;
const struct hvb_format_ops *const hvb_formats[] = { &hvb_format_text, &hvb_format_md, &hvb_format_html,
						      &hvb_format_json, NULL };

const struct hvb_format_ops *hvb_format_find(const char *name)
{
	for (size_t i = 0; hvb_formats[i]; i++)
		if (!strcmp(hvb_formats[i]->name, name))
			return hvb_formats[i];
	return NULL;
}

void hvb_fmt_num(double v, char *buf, size_t len)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (v != 0 && (fabs(v) >= 1e6 || fabs(v) < 1e-3))
		snprintf(buf, len, "%.3e", v);
	else
		snprintf(buf, len, "%.4g", v);
}

void hvb_fmt_pct(double ratio, char *buf, size_t len)
{
	if (!isfinite(ratio))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.1f%%", (ratio - 1) * 100);
}

void hvb_fmt_verdict(const struct hvb_metric_cmp *m, char *buf, size_t len)
{
	if (m->verdict == HVB_V_INCONCLUSIVE && m->need_more < 0)
		snprintf(buf, len, "inconclusive (the change is too small for this spread: more than %d repetitions needed)",
			 HVB_REPS_REACH);
	else if (m->verdict == HVB_V_INCONCLUSIVE)
		snprintf(buf, len, "inconclusive (need %d more repetition%s)", m->need_more, m->need_more == 1 ? "" : "s");
	else
		snprintf(buf, len, "%s%s", hvb_verdict_name(m->verdict), m->regressed ? ": REGRESSION" : "");
}

void hvb_xml_escape(FILE *out, const char *s)
{
	hvb_esc_write(out, s, HVB_ESC_XML);
}

static void facts_of(json_t *v, const char *prefix, void (*cb)(const char *, const char *, void *), void *arg)
{
	char key[256], buf[4096]; /* a kernel command line may take 4 KiB */
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "", k);
			facts_of(x, key, cb, arg);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			snprintf(key, sizeof(key), "%s[%zu]", prefix, i);
			facts_of(x, key, cb, arg);
		}
	} else {
		if (json_is_string(v))
			snprintf(buf, sizeof(buf), "%s", json_string_value(v));
		else {
			char *t = json_dumps(v, JSON_ENCODE_ANY);
			snprintf(buf, sizeof(buf), "%s", t ? t : "");
			free(t);
		}
		cb(prefix, buf, arg);
	}
}

int hvb_host_facts(const char *host_json, void (*cb)(const char *key, const char *value, void *arg), void *arg)
{
	json_error_t e;
	json_t *h = host_json ? json_loads(host_json, 0, &e) : NULL;

	if (!h)
		return HVB_EINVAL;
	facts_of(h, "", cb, arg);
	json_decref(h);
	return 0;
}

int hvb_cell_is_trouble(const struct hvb_cell_data *c)
{
	return strcmp(c->row.status, "done") || c->nbad > 0;
}

size_t hvb_group_metrics(const struct hvb_cmp *cmps, size_t n, const char ***names)
{
	size_t cnt = 0;

	*names = NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < cmps[i].nm; k++) {
			const struct hvb_metric_cmp *m = &cmps[i].m[k];
			size_t j;
			if (m->better == HVB_INFO)
				continue;
			for (j = 0; j < cnt && strcmp((*names)[j], m->name); j++)
				;
			if (j < cnt)
				continue;
			const char **nn = realloc(*names, (cnt + 1) * sizeof(char *));
			if (!nn)
				return cnt;
			*names = nn;
			nn[cnt++] = m->name;
		}
	return cnt;
}

/* ---- the walk ---- */
struct walk {
	const struct hvb_report *r;
	const struct hvb_doc_ops *d;
	FILE *f;
};

static void para(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void para(struct walk *w, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	w->d->para(w->f, buf);
}

static void runs_part(struct walk *w)
{
	for (size_t i = 0; i < w->r->nruns; i++) {
		const struct hvb_run_info *ri = &w->r->runs[i].info;
		char when[64] = "?";
		time_t t = (time_t)ri->started;
		struct tm tm;
		if (gmtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
		para(w, "%sRun %lld%s%s%s: experiment %s, status %s, started %s, hvbench %s.",
		     w->r->nruns > 1 ? (i ? "Candidate: " : "Baseline: ") : "", (long long)ri->id,
		     ri->label[0] ? " (label " : "", ri->label, ri->label[0] ? ")" : "", ri->experiment, ri->status, when,
		     ri->version);
		if (ri->lab) {
			char b[512];
			snprintf(b, sizeof(b), "LAB: not performance. Run %lld was measured in the QEMU lab (software-emulated "
				 "Xen): it shows that the path works end to end; its figures are not performance and must "
				 "not be compared with real hosts.", (long long)ri->id);
			w->d->banner(w->f, b);
		}
	}
}

/* Whether a drift of the machine between the two runs could pass for a change. */
static void design_part(struct walk *w)
{
	double gap;
	char g[32], g2[1800];

	if (w->r->nruns != 2)
		return;
	for (const struct hvb_run_diff *df = hvb_run_diffs; df->what; df++)
		if (df->differ(&w->r->runs[0].info, &w->r->runs[1].info, g2, sizeof(g2)))
			para(w, "Warning: the two runs measured different %s (%s): a change in the figures may come "
			     "from %s, not from what is under test.", df->what, g2, df->cause);
	if (hvb_runs_interleaved(&w->r->runs[0].info, &w->r->runs[1].info, &gap)) {
		para(w, "The two runs were measured interleaved (their cells took turns, one sample each): a drift of "
		     "the machine's speed reached both alike.");
		return;
	}
	if (gap < 120)
		snprintf(g, sizeof(g), "%.0f s", gap);
	else if (gap < 7200)
		snprintf(g, sizeof(g), "%.0f min", gap / 60);
	else
		snprintf(g, sizeof(g), "%.1f h", gap / 3600);
	para(w, "The two runs were measured one after the other, %s apart: the test sees only the spread inside each "
	     "run, so a drift of the machine's speed between them can pass for a change. Where the machine does "
	     "not hold its speed, measure both in one `hvbench run BASELINE.ini CANDIDATE.ini` (interleaved).", g);
}

/* What a pass is worth: the smallest regression the gate would have caught, at
 * the spread these runs had, over the judged metrics. */
static void detectable_part(struct walk *w)
{
	const struct hvb_report *r = w->r;
	const struct hvb_metric_cmp *lo = NULL, *hi = NULL;
	size_t n = 0, over = 0;

	if (r->rule != HVB_RULE_HVBENCH) /* the figure is of the gate's own test */
		return;
	for (size_t s = 0; s < r->nsec; s++)
		for (size_t i = 0; i < r->sec[s].n; i++)
			for (size_t k = 0; k < r->sec[s].cmps[i].nm; k++) {
				const struct hvb_metric_cmp *m = &r->sec[s].cmps[i].m[k];
				if (!isfinite(m->detectable))
					continue;
				n++;
				over += m->detectable > 2 * r->max_regression;
				if (!lo || m->detectable < lo->detectable)
					lo = m;
				if (!hi || m->detectable > hi->detectable)
					hi = m;
			}
	if (!n)
		return;
	char more[160] = "";
	if (over)
		snprintf(more, sizeof(more), " For %zu of the %zu judged metrics it is more than twice the threshold: a "
			 "pass says little of them.", over, n);
	para(w, "The spread inside these runs puts the smallest regression the gate would catch %.0f%% of the time at "
	     "%.1f%% (%s) to %.1f%% (%s), per metric in the JSON (\"detectable\"); a drift between the runs adds to "
	     "it.%s", r->opts.power * 100, lo->detectable * 100, lo->name, hi->detectable * 100, hi->name, more);
}

/* The gate's regressions before anything else: where, what, by how much. */
static void regressions_part(struct walk *w)
{
	const char *head[] = { "cell", "metric", "change", "95% CI of ratio", "p (Holm)" };
	char ratio[32], lo[32], hi[32], ci[72], p[32];

	if (!w->r->nregressed)
		return;
	w->d->heading(w->f, 2, "Regressions");
	w->d->table_begin(w->f, head, 5);
	for (size_t s = 0; s < w->r->nsec; s++)
		for (size_t i = 0; i < w->r->sec[s].n; i++)
			for (size_t k = 0; k < w->r->sec[s].cmps[i].nm; k++) {
				const struct hvb_cmp *c = &w->r->sec[s].cmps[i];
				const struct hvb_metric_cmp *m = &c->m[k];
				if (!m->regressed)
					continue;
				hvb_fmt_pct(m->ratio, ratio, sizeof(ratio));
				hvb_fmt_num(m->ci.lo, lo, sizeof(lo));
				hvb_fmt_num(m->ci.hi, hi, sizeof(hi));
				snprintf(ci, sizeof(ci), isfinite(m->ci.lo) ? "[%s, %s]" : "-", lo, hi);
				hvb_fmt_num(m->p_adj, p, sizeof(p));
				const char *cells[] = { c->title, m->name, ratio, ci, p };
				w->d->row(w->f, cells, 5, "worse");
			}
	w->d->table_end(w->f);
}

static void gate_part(struct walk *w)
{
	const struct hvb_report *r = w->r;
	char b[768];

	if (strcmp(r->kind, "gate"))
		return;
	if (!r->njudged && !r->nmissing)
		snprintf(b, sizeof(b), "Gate: ERROR: no metric could be compared (no matching cells with samples).");
	else if (r->nregressed || r->nmissing) {
		char missing[128] = "";
		/* the count of missing metrics only when there are some */
		if (r->nmissing)
			snprintf(missing, sizeof(missing), "; metrics measured in the baseline but missing in the candidate: %zu",
				 r->nmissing);
		snprintf(b, sizeof(b), "Gate: FAIL: %zu metric%s regressed by more than %.1f%% with significance"
			 " (alpha %.3g, Holm-adjusted, rule %s)%s.", r->nregressed, r->nregressed == 1 ? "" : "s",
			 r->max_regression * 100, r->opts.alpha, hvb_rule_name(r->rule), missing);
	} else
		snprintf(b, sizeof(b), "Gate: PASS: no metric regressed by more than %.1f%% with significance"
			 " (alpha %.3g, Holm-adjusted, rule %s).", r->max_regression * 100, r->opts.alpha,
			 hvb_rule_name(r->rule));
	w->d->banner(w->f, b);
	regressions_part(w);
	para(w, "%zu metrics judged: %zu worse, %zu better, %zu same, %zu inconclusive. Only the metrics that are not "
	     "\"same\" are listed below, regressions first.", r->njudged, r->nworse, r->nbetter, r->nsame,
	     r->ninconclusive);
	detectable_part(w);
}

/* Figures of one row in the row's scale (hvb_unit_scale): the same unit and decimals. */
static void median_ci(const struct hvb_summary *s, const struct hvb_ci *ci, const struct hvb_scale *sc, char *buf,
		      size_t len)
{
	char m[32], lo[32], hi[32];

	hvb_unit_fmt(s->median, sc, m, sizeof(m));
	hvb_unit_fmt(ci->lo, sc, lo, sizeof(lo));
	hvb_unit_fmt(ci->hi, sc, hi, sizeof(hi));
	if (!s->n)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s [%s, %s] n=%zu%s", m, lo, hi, s->n, s->outliers ? " (outliers)" : "");
}

/* Info metrics (context, never judged) stay out of comparison tables (the JSON
 * has them); the gate lists only what is not the same. */
static int shown(const struct hvb_report *r, const struct hvb_metric_cmp *m)
{
	if (m->better == HVB_INFO || m->verdict == HVB_V_INFO)
		return 0;
	return strcmp(r->kind, "gate") || m->verdict != HVB_V_SAME;
}

static void cmp_part(struct walk *w, const struct hvb_cmp *c)
{
	char title[400], a[96], b[96], ratio[32], ci[64], lo[32], hi[32], p[32], v[96];
	const char *head[] = { "metric", "unit", "better", a, b, "change", "95% CI of ratio", "p (Holm)", "verdict" };
	size_t nshown = 0;

	for (size_t k = 0; k < c->nm; k++)
		nshown += (size_t)shown(w->r, &c->m[k]);
	if (!nshown)
		return;
	snprintf(title, sizeof(title), "%s: %s against %s", c->title, c->label_b, c->label_a);
	w->d->heading(w->f, 3, title);
	snprintf(a, sizeof(a), "%s median [95%% CI]", c->label_a);
	snprintf(b, sizeof(b), "%s median [95%% CI]", c->label_b);
	w->d->table_begin(w->f, head, 9);
	/* The gate lists its regressions first, here as in its own table above. */
	for (int pass = strcmp(w->r->kind, "gate") ? 1 : 0; pass < 2; pass++)
	for (size_t k = 0; k < c->nm; k++) {
		const struct hvb_metric_cmp *m = &c->m[k];
		char ma[160], mb[160];
		struct hvb_scale sc;
		if (!shown(w->r, m) || (pass == 0) != (m->regressed != 0))
			continue;
		hvb_unit_scale(isfinite(m->a.median) ? m->a.median : m->b.median, m->unit, &sc);
		median_ci(&m->a, &m->ci_a, &sc, ma, sizeof(ma));
		median_ci(&m->b, &m->ci_b, &sc, mb, sizeof(mb));
		hvb_fmt_pct(m->ratio, ratio, sizeof(ratio));
		hvb_fmt_num(m->ci.lo, lo, sizeof(lo));
		hvb_fmt_num(m->ci.hi, hi, sizeof(hi));
		snprintf(ci, sizeof(ci), isfinite(m->ci.lo) ? "[%s, %s]" : "-", lo, hi);
		hvb_fmt_num(m->p_adj, p, sizeof(p));
		if (m->exact && isfinite(m->p_adj))
			strncat(p, " exact", sizeof(p) - strlen(p) - 1);
		hvb_fmt_verdict(m, v, sizeof(v));
		const char *cells[] = { m->name, sc.unit, hvb_better_name(m->better), ma, mb, ratio, ci, p, v };
		w->d->row(w->f, cells, 9, hvb_verdict_name(m->verdict));
	}
	w->d->table_end(w->f);
	if (!c->nprobes)
		return;
	para(w, "Probe and trace figures that explain the difference (medians; per operation where the workload "
	     "counts operations in the sample's `ops`):");
	const char *ph[] = { "figure", "unit", "per", c->label_a, c->label_b, "change" };
	w->d->table_begin(w->f, ph, 6);
	for (size_t k = 0; k < c->nprobes; k++) {
		const struct hvb_probe_fig *f = &c->probes[k];
		char fa[32], fb[32];
		struct hvb_scale sc;
		/* the larger of the two sets the scale: 0.001 and 2.000, not 0.001000 and 2.000000 */
		hvb_unit_scale(!isfinite(f->a) || (isfinite(f->b) && fabs(f->b) > fabs(f->a)) ? f->b : f->a, f->unit, &sc);
		hvb_unit_fmt(f->a, &sc, fa, sizeof(fa));
		hvb_unit_fmt(f->b, &sc, fb, sizeof(fb));
		hvb_fmt_pct(f->a != 0 ? f->b / f->a : NAN, ratio, sizeof(ratio));
		const char *cells[] = { f->name, sc.unit, f->per_op ? "operation" : "sample", fa, fb, ratio };
		w->d->row(w->f, cells, 6, "");
	}
	w->d->table_end(w->f);
}

static void sections_part(struct walk *w)
{
	for (size_t s = 0; s < w->r->nsec; s++) {
		const struct hvb_section *sec = &w->r->sec[s];
		w->d->heading(w->f, 2, sec->title);
		if (!sec->n)
			para(w, "No cells to compare.");
		for (size_t i = 0; i < sec->n;) {
			size_t j = i;
			while (j < sec->n && sec->cmps[j].a == sec->cmps[i].a)
				j++;
			for (size_t k = i; k < j; k++)
				cmp_part(w, &sec->cmps[k]);
			if (w->d->group_end)
				w->d->group_end(w->f, sec, &sec->cmps[i], j - i);
			i = j;
		}
	}
	if (strcmp(w->r->kind, "report") || w->r->nsec)
		return;
	const struct hvb_run_info *ri = &w->r->runs[0].info;
	if (w->r->runs[0].n)
		para(w, "This run has no cells that differ only in guest mode or only in placement: nothing to compare "
		     "within it; the cells' own figures follow.");
	else if (ri->shard_count) /* run --shard K/N of a matrix with fewer cells than shards */
		para(w, "Run %lld is shard %d/%d of its experiment and holds no cells (the matrix had none for this "
		     "shard): nothing was measured in it.", (long long)ri->id, ri->shard_index, ri->shard_count);
	else
		para(w, "Run %lld holds no cells: nothing was measured in it.", (long long)ri->id);
}

/* "pv 1.52 µs, hvm 1.21 µs": every mode's median at one vCPU count, in one scale. */
static void point_medians(const struct hvb_mode_answer *a, const struct hvb_mode_point *p, char *buf, size_t len)
{
	struct hvb_scale sc;
	double top = 0;
	size_t off = 0;

	buf[0] = 0;
	for (size_t f = 0; f < p->nfig; f++)
		if (isfinite(p->fig[f].median) && fabs(p->fig[f].median) > top)
			top = fabs(p->fig[f].median);
	hvb_unit_scale(top, a->unit, &sc);
	for (size_t f = 0; f < p->nfig && off < len; f++) {
		char m[32];
		hvb_unit_fmt(p->fig[f].median, &sc, m, sizeof(m));
		off += (size_t)snprintf(buf + off, len - off, "%s%s %s %s", f ? ", " : "", p->fig[f].mode, m, sc.unit);
	}
}

static void answer_verdict(const struct hvb_mode_point *p, char *buf, size_t len)
{
	char v[160];

	if (!p->winner[0])
		snprintf(buf, len, "no guest mode measured");
	else if (!p->runner_up[0])
		snprintf(buf, len, "only %s measured", p->winner);
	else if (p->decided)
		snprintf(buf, len, "%s wins", p->winner);
	else {
		hvb_fmt_verdict(&p->cmp, v, sizeof(v));
		snprintf(buf, len, "no winner: %s and %s %s", p->winner, p->runner_up,
			 p->cmp.verdict == HVB_V_SAME ? "are the same within the minimum effect" : v);
	}
}

static void crossover_para(struct walk *w, const struct hvb_mode_answer *a)
{
	size_t ndecided = 0;
	char list[256] = "";

	for (size_t i = 0, off = 0; i < a->npt; i++)
		if (a->pt[i].decided && off < sizeof(list)) {
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%d", ndecided ? ", " : "", a->pt[i].vcpus);
			ndecided++;
		}
	if (a->crossover)
		para(w, "Crossover: the winner changes from %s (%d vCPU%s) to %s (%d vCPU%s)%s.", a->crossover_from,
		     a->crossover_before, a->crossover_before == 1 ? "" : "s", a->crossover_to, a->crossover,
		     a->crossover == 1 ? "" : "s",
		     a->ncrossovers > 1 ? ", and changes again at a higher vCPU count (see the table)" : "");
	else if (ndecided)
		para(w, "No crossover: %s wins at every vCPU count where a winner is decided (%s).",
		     a->pt[0].decided ? a->pt[0].winner : "the same mode", list);
	else
		para(w, "No vCPU count decides a winner: no crossover can be told.");
}

static void gaps_part(struct walk *w, const char *group)
{
	const struct hvb_report *r = w->r;
	const char *head[] = { "vCPUs", "mode", "against native [95% CI]", "verdict", "VM exit cycles (largest reasons)",
			       "VM exits", "hypercalls (largest)", "page-table updates", "hypercall arguments" };
	int started = 0, per_op = 0;
	const char *metric = "";

	for (size_t i = 0; i < r->ngaps; i++) {
		const struct hvb_mode_gap *g = &r->gaps[i];
		char vc[16], ratio[96], lo[32], hi[32], v[160], num[4][32], ex[320], hc[320];
		if (strcmp(g->group, group))
			continue;
		if (!started++) {
			metric = g->metric;
			w->d->heading(w->f, 4, "The gap to the baseline, and what Xen did");
			w->d->table_begin(w->f, head, 9);
		}
		per_op |= g->per_op;
		snprintf(vc, sizeof(vc), "%d", g->vcpus);
		hvb_fmt_num(g->cmp.ci.lo, lo, sizeof(lo));
		hvb_fmt_num(g->cmp.ci.hi, hi, sizeof(hi));
		snprintf(ratio, sizeof(ratio), isfinite(g->cmp.ratio) ? "%.3g [%s, %s]" : "-", g->cmp.ratio, lo, hi);
		hvb_fmt_verdict(&g->cmp, v, sizeof(v));
		hvb_fmt_num(g->exit_cycles, num[0], sizeof(num[0]));
		hvb_fmt_num(g->exits, num[1], sizeof(num[1]));
		hvb_fmt_num(g->hypercalls, num[2], sizeof(num[2]));
		hvb_fmt_num(g->pt_updates, num[3], sizeof(num[3]));
		snprintf(ex, sizeof(ex), "%s%s%s%s", num[0], g->top_exits[0] ? " (" : "", g->top_exits,
			 g->top_exits[0] ? ")" : "");
		snprintf(hc, sizeof(hc), "%s%s%s%s", num[2], g->top_hypercalls[0] ? " (" : "", g->top_hypercalls,
			 g->top_hypercalls[0] ? ")" : "");
		const char *cells[] = { vc, g->mode, ratio, v, ex, num[1], hc, num[3],
					g->guest_hypercalls[0] ? g->guest_hypercalls : "-" };
		w->d->row(w->f, cells, 9, hvb_verdict_name(g->cmp.verdict));
	}
	if (!started)
		return;
	w->d->table_end(w->f);
	para(w, "The ratio is of %s (the mode's median over the baseline's). Xen's figures are medians over samples "
	     "%s, from the xentrace probe: VM exit cycles summed over reasons, hypercalls over calls, page-table "
	     "updates as PV's mmu_update, mmuext_op and update_va_mapping calls; \"-\" where the run has none.",
	     metric, per_op ? "per operation (the sample's `ops`)" : "per sample");
	if (r->gaps_absent[0])
		para(w, "%s", r->gaps_absent);
}

/* The question as asked: which mode wins per workload and vCPU count, where that changes, and why. */
static void modes_part(struct walk *w)
{
	const struct hvb_report *r = w->r;
	const char *head[] = { "vCPUs", "winner", "against", "winner / runner-up [95% CI]", "p (Holm)", "verdict",
			       "medians" };

	if (strcmp(r->kind, "report") || !r->nanswers)
		return;
	w->d->heading(w->f, 2, "Which guest mode wins");
	para(w, "Per workload cell and metric, the best guest mode at each vCPU count against the second best: the "
	     "ratio of their medians with its %.0f%% bootstrap interval, Mann-Whitney's p Holm-adjusted across the "
	     "metrics of one vCPU count, and the verdict; a winner is decided when it is better with significance "
	     "and by at least %.1f%%.", r->opts.level * 100, r->opts.min_effect * 100);
	for (size_t i = 0; i < r->nanswers; i++) {
		const struct hvb_mode_answer *a = &r->answers[i];
		char title[400];
		if (!i || strcmp(a->group, r->answers[i - 1].group))
			w->d->heading(w->f, 3, a->group);
		snprintf(title, sizeof(title), "%s (%s is better)", a->metric, a->better == HVB_HIGHER ? "higher" : "lower");
		w->d->heading(w->f, 4, title);
		w->d->table_begin(w->f, head, 7);
		for (size_t k = 0; k < a->npt; k++) {
			const struct hvb_mode_point *p = &a->pt[k];
			char vc[16], ratio[96], lo[32], hi[32], pv[32], v[400], med[600];
			snprintf(vc, sizeof(vc), "%d", p->vcpus);
			hvb_fmt_num(p->cmp.ci.lo, lo, sizeof(lo));
			hvb_fmt_num(p->cmp.ci.hi, hi, sizeof(hi));
			snprintf(ratio, sizeof(ratio), isfinite(p->cmp.ratio) ? "%.3g [%s, %s]" : "-", p->cmp.ratio, lo, hi);
			hvb_fmt_num(p->cmp.p_adj, pv, sizeof(pv));
			answer_verdict(p, v, sizeof(v));
			point_medians(a, p, med, sizeof(med));
			const char *cells[] = { vc, p->winner[0] ? p->winner : "-", p->runner_up[0] ? p->runner_up : "-",
						ratio, pv, v, med };
			w->d->row(w->f, cells, 7, p->decided ? "better" : "");
		}
		w->d->table_end(w->f);
		crossover_para(w, a);
		if (w->d->answer_end)
			w->d->answer_end(w->f, a);
		if (i + 1 == r->nanswers || strcmp(a->group, r->answers[i + 1].group))
			gaps_part(w, a->group);
	}
}

static void cells_part(struct walk *w)
{
	const struct hvb_run_data *d = &w->r->runs[0];
	const char *head[] = { "cell", "metric", "unit", "median", "95% CI", "CoV", "min - max", "n", "outliers" };
	int started = 0;

	if (strcmp(w->r->kind, "report"))
		return;
	for (size_t i = 0; i < d->n; i++) {
		const struct hvb_cell_data *c = &d->cells[i];
		char title[300], num[9][80];
		hvb_cell_title(&c->row, title, sizeof(title));
		size_t off = strlen(title);
		snprintf(title + off, sizeof(title) - off, " %s:%s placement=%s", c->row.backend, c->row.mode,
			 c->row.placement);
		for (size_t k = 0; k < c->nm; k++) {
			const struct hvb_series *m = &c->m[k];
			struct hvb_summary s;
			struct hvb_ci ci = { NAN, NAN };
			char lo[32], hi[32];
			if (m->better == HVB_INFO || hvb_metric_is_probe(m->name) || hvb_stats_summarize(m->v, m->n, &s))
				continue;
			if (!started++) {
				w->d->heading(w->f, 2, "Cells");
				w->d->table_begin(w->f, head, 9);
			}
			hvb_boot_median_ci(m->v, m->n, w->r->opts.level, w->r->opts.resamples, w->r->opts.seed, &ci);
			struct hvb_scale sc;
			hvb_unit_scale(s.median, m->unit, &sc);
			hvb_unit_fmt(s.median, &sc, num[0], sizeof(num[0]));
			hvb_unit_fmt(ci.lo, &sc, lo, sizeof(lo));
			hvb_unit_fmt(ci.hi, &sc, hi, sizeof(hi));
			snprintf(num[1], sizeof(num[1]), "[%s, %s]", lo, hi);
			snprintf(num[2], sizeof(num[2]), isfinite(s.cov) ? "%.2f%%" : "-", s.cov * 100);
			hvb_unit_fmt(s.min, &sc, lo, sizeof(lo));
			hvb_unit_fmt(s.max, &sc, hi, sizeof(hi));
			snprintf(num[3], sizeof(num[3]), "%s - %s", lo, hi);
			snprintf(num[4], sizeof(num[4]), "%zu", s.n);
			snprintf(num[5], sizeof(num[5]), "%zu", s.outliers);
			const char *cells[] = { k ? "" : title, m->name, sc.unit, num[0], num[1], num[2], num[3], num[4],
						num[5] };
			w->d->row(w->f, cells, 9, "");
		}
	}
	if (started)
		w->d->table_end(w->f);
}

static void trouble_part(struct walk *w)
{
	const char *head[] = { "run", "cell", "status", "samples ok / failed", "reason" };
	int started = 0;

	if (w->r->ninfra) { /* gate: neither a pass nor a regression */
		w->d->heading(w->f, 2, "Infrastructure failures (the gate cannot judge these)");
		for (size_t i = 0; i < w->r->ninfra; i++)
			w->d->para(w->f, w->r->infra[i]);
	}
	if (w->r->nunmatched) {
		w->d->heading(w->f, 2, "Cells on one side only");
		for (size_t i = 0; i < w->r->nunmatched; i++)
			w->d->para(w->f, w->r->unmatched[i]);
	}
	for (size_t r = 0; r < w->r->nruns; r++)
		for (size_t i = 0; i < w->r->runs[r].n; i++) {
			const struct hvb_cell_data *c = &w->r->runs[r].cells[i];
			char run[32], cnt[48];
			if (!hvb_cell_is_trouble(c))
				continue;
			if (!started++) {
				w->d->heading(w->f, 2, "Skipped and failed cells");
				w->d->table_begin(w->f, head, 5);
			}
			snprintf(run, sizeof(run), "%lld", (long long)w->r->runs[r].info.id);
			snprintf(cnt, sizeof(cnt), "%d / %d", c->nok, c->nbad);
			const char *reason = c->row.reason && *c->row.reason ? c->row.reason
					     : c->bad_reason ? c->bad_reason : "";
			const char *cells[] = { run, c->row.key, c->row.status, cnt, reason };
			w->d->row(w->f, cells, 5, c->row.status);
		}
	if (started)
		w->d->table_end(w->f);
}

/* What each cell's samples measured on (the fio target's file system): a tmpfs
 * figure must not pass for a disk's. */
static void cell_facts_part(struct walk *w)
{
	const char *head[] = { "run", "cell", "facts" };
	int started = 0;

	for (size_t r = 0; r < w->r->nruns; r++)
		for (size_t i = 0; i < w->r->runs[r].n; i++) {
			const struct hvb_cell_data *c = &w->r->runs[r].cells[i];
			char run[32];
			if (!c->facts)
				continue;
			if (!started++) {
				w->d->heading(w->f, 2, "What the cells measured on");
				w->d->table_begin(w->f, head, 3);
			}
			snprintf(run, sizeof(run), "%lld", (long long)w->r->runs[r].info.id);
			const char *cells[] = { run, c->row.key, c->facts };
			w->d->row(w->f, cells, 3, "");
		}
	if (started)
		w->d->table_end(w->f);
}

static void fact_row(const char *k, const char *v, void *arg)
{
	struct walk *w = arg;
	const char *cells[] = { k, v };
	w->d->row(w->f, cells, 2, "");
}

static void host_part(struct walk *w)
{
	const char *head[] = { "fact", "value" };

	for (size_t r = 0; r < w->r->nruns; r++) {
		if (w->r->runs[r].warnings) {
			char t[80];
			snprintf(t, sizeof(t), "Warnings logged during run %lld", (long long)w->r->runs[r].info.id);
			w->d->heading(w->f, 2, t);
			for (char *line = w->r->runs[r].warnings, *end; *line; line = end + !!*end) {
				end = line + strcspn(line, "\n");
				char one[2400];
				snprintf(one, sizeof(one), "%.*s", (int)(end - line), line);
				w->d->para(w->f, one);
			}
		}
		char t[64];
		snprintf(t, sizeof(t), "Host of run %lld", (long long)w->r->runs[r].info.id);
		w->d->heading(w->f, 2, t);
		w->d->table_begin(w->f, head, 2);
		if (hvb_host_facts(w->r->runs[r].info.host_json, fact_row, w) < 0) {
			const char *cells[] = { "host_json", "(not readable)" };
			w->d->row(w->f, cells, 2, "");
		}
		w->d->table_end(w->f);
	}
}

int hvb_doc_write(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *out)
{
	struct walk w = { .r = r, .d = d, .f = out };
	char title[64];

	d->begin(out, r);
	snprintf(title, sizeof(title), "hvbench %s", r->kind);
	d->heading(out, 1, title);
	runs_part(&w);
	design_part(&w);
	gate_part(&w);
	para(&w, "Medians with %.0f%% bootstrap intervals; change is the ratio of medians minus one; p from "
	     "Mann-Whitney U, Holm-adjusted across the metrics of each comparison; verdicts need significance at "
	     "%.3g and a change of at least %.1f%%.", r->opts.level * 100, r->opts.alpha, r->opts.min_effect * 100);
	if (d->overview)
		d->overview(out, r);
	sections_part(&w);
	modes_part(&w);
	hvb_cost_part(r, d, out);
	hvb_spin_part(r, d, out);
	hvb_numa_part(r, d, out);
	if (d->convergence)
		d->convergence(out, r);
	cells_part(&w);
	trouble_part(&w);
	cell_facts_part(&w);
	host_part(&w);
	d->end(out, r);
	return ferror(out) ? HVB_EIO : 0;
}
