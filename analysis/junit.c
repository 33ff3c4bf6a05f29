/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JUnit XML for CI systems: one test case per cell and metric of a gate; a
 * regression is a failure, a metric the candidate lost is an error, a context
 * metric is skipped; an infrastructure failure (a shard that never ran, a cell
 * that measured nothing) is an error of type "infrastructure", never a pass
 * and never a failure. */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"

static void attr(FILE *f, const char *name, const char *v)
{
	fprintf(f, " %s=\"", name);
	hvb_xml_escape(f, v);
	fputc('"', f);
}

/* own: the gate's own rule, whose detectable change the figures include. */
static void detail(FILE *f, const struct hvb_cmp *c, const struct hvb_metric_cmp *m, int own)
{
	char a[32], b[32], pct[32], p[32], v[96], det[32];

	hvb_fmt_num(m->a.median, a, sizeof(a));
	hvb_fmt_num(m->b.median, b, sizeof(b));
	hvb_fmt_pct(m->ratio, pct, sizeof(pct));
	hvb_fmt_num(m->p_adj, p, sizeof(p));
	hvb_fmt_verdict(m, v, sizeof(v));
	hvb_fmt_pct(own ? 1 + m->detectable : NAN, det, sizeof(det));
	/* Labels, metric names and units are anyone's text: escaped with the rest. */
	char *t = NULL;
	if (asprintf(&t, "%s %s median %s %s, %s %s (n=%zu/%zu), change %s, p (Holm) %s, detectable %s: %s", c->label_a,
		     m->name, a, m->unit, c->label_b, b, m->a.n, m->b.n, pct, p, det, v) >= 0)
		hvb_xml_escape(f, t);
	free(t);
}

int hvb_junit_write(const struct hvb_report *r, FILE *f)
{
	size_t tests = 0, failures = 0, errors = 0, skipped = 0;

	for (size_t s = 0; s < r->nsec; s++)
		for (size_t i = 0; i < r->sec[s].n; i++)
			for (size_t k = 0; k < r->sec[s].cmps[i].nm; k++) {
				const struct hvb_metric_cmp *m = &r->sec[s].cmps[i].m[k];
				int infra = r->sec[s].cmps[i].infra;
				tests++;
				failures += (size_t)m->regressed;
				errors += infra || (m->verdict == HVB_V_MISSING && m->a.n);
				skipped += !infra && (m->verdict == HVB_V_INFO || (m->verdict == HVB_V_MISSING && !m->a.n));
			}
	tests += r->ninfra;
	errors += r->ninfra;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"hvbench gate\"", f);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", tests, failures, errors, skipped);
	if (r->nruns == 2) { /* how far the verdicts can be trusted: see the report's note */
		double gap;
		char v[64];
		if (hvb_runs_interleaved(&r->runs[0].info, &r->runs[1].info, &gap))
			snprintf(v, sizeof(v), "interleaved");
		else
			snprintf(v, sizeof(v), "one after the other, %.0f s apart", gap);
		char d[2048];
		fprintf(f, "<properties><property name=\"measured\" value=\"%s\"/>", v);
		for (const struct hvb_run_diff *df = hvb_run_diffs; df->what; df++)
			if (df->differ(&r->runs[0].info, &r->runs[1].info, d, sizeof(d))) {
				fputs("<property", f);
				attr(f, "name", df->key);
				attr(f, "value", d);
				fputs("/>", f);
			}
		fputs("</properties>\n", f);
	}
	for (size_t s = 0; s < r->nsec; s++)
		for (size_t i = 0; i < r->sec[s].n; i++) {
			const struct hvb_cmp *c = &r->sec[s].cmps[i];
			for (size_t k = 0; k < c->nm; k++) {
				const struct hvb_metric_cmp *m = &c->m[k];
				fputs("<testcase", f);
				attr(f, "classname", c->title);
				attr(f, "name", m->name);
				fputs(">", f);
				if (c->infra) {
					fputs("<error type=\"infrastructure\" message=\"nothing measured on one side (see the "
					      "infrastructure test cases): neither a pass nor a regression\"/>", f);
				} else if (m->regressed) {
					fputs("<failure type=\"regression\" message=\"", f);
					detail(f, c, m, r->rule == HVB_RULE_HVBENCH);
					fputs("\"/>", f);
				} else if (m->verdict == HVB_V_MISSING && m->a.n) {
					fputs("<error type=\"missing\" message=\"measured in the baseline, not in the "
					      "candidate\"/>", f);
				} else if (m->verdict == HVB_V_INFO || m->verdict == HVB_V_MISSING) {
					fputs("<skipped message=\"context metric, not judged\"/>", f);
				}
				fputs("<system-out>", f);
				detail(f, c, m, r->rule == HVB_RULE_HVBENCH);
				fputs("</system-out></testcase>\n", f);
			}
		}
	for (size_t i = 0; i < r->ninfra; i++) {
		char name[48];
		snprintf(name, sizeof(name), "infrastructure %zu", i + 1);
		fputs("<testcase classname=\"infrastructure\"", f);
		attr(f, "name", name);
		fputs("><error type=\"infrastructure\"", f);
		attr(f, "message", r->infra[i]);
		fputs("/></testcase>\n", f);
	}
	fputs("</testsuite>\n</testsuites>\n", f);
	return ferror(f) ? HVB_EIO : 0;
}
