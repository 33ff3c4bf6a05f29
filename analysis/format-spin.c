/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report's spinlock section: for each mode and workload cell measured with the
 * guest's PV spinlocks on and off (experiment key pvspin) or with antagonists
 * (overcommit 1 + N runnable vCPUs or tasks per CPU), one table of pvspin x overcommit:
 * the workload's throughput (its first judged figure) with its ratio to the pvspin on,
 * 1:1 row (CI, verdict, Holm across the table's rows), the p99 wait, the slow path per
 * operation (polls, kicks, pause-loop exits: probes/spin-cost.c) and how long a vCPU
 * blocked in a poll waited to be woken (the xentrace probe's runstate records), medians
 * with their bootstrap intervals. A figure the trace could not measure says so: kicks
 * wherever the guest called event_channel_op (Xen records none of its arguments), polls
 * of HVM and PVH guests without the hooks; the calls that bound them are shown instead. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "analysis/format-internal.h"

#define MAXROWS 64

struct spin_row {
	const struct hvb_cell_data *c;
	int pvspin;      /* 1 on, 0 off, -1 native (does not apply) */
	int antagonists; /* per CPU */
};

/* The cell's pvspin and antagonists (its params); 1 when either is set. */
static int spin_axes(const struct hvb_cell_data *c, int *pvspin, int *ant)
{
	json_t *p = c->row.params_json ? json_loads(c->row.params_json, 0, NULL) : NULL;
	const char *pv = json_string_value(json_object_get(p, "pvspin"));
	const char *an = json_string_value(json_object_get(p, "antagonists"));

	*pvspin = !strcmp(c->row.backend, "native") ? -1 : !(pv && !strcmp(pv, "off"));
	*ant = an ? atoi(an) : 0;
	json_decref(p);
	return pv || an;
}

/* The cell's key without pvspin and antagonists: the cells of one table share it. */
static void group_key(const struct hvb_cell_data *c, char *buf, size_t len)
{
	static const char *const drop[] = { " pvspin=", " antagonists=", NULL };

	hvb_cell_key_without(&c->row, "-", buf, len);
	for (int i = 0; drop[i]; i++) {
		char *p = strstr(buf, drop[i]);
		if (p) {
			char *e = strchr(p + 1, ' ');
			memmove(p, e ? e : p + strlen(p), strlen(e ? e : p + strlen(p)) + 1);
		}
	}
}

/* The workload's own judged figure: throughput where it has one, else its first. */
static const struct hvb_series *headline(const struct hvb_cell_data *c)
{
	const struct hvb_series *first = NULL;

	for (size_t k = 0; k < c->nm; k++)
		if (c->m[k].better != HVB_INFO && !hvb_metric_is_probe(c->m[k].name) && strncmp(c->m[k].name, "cost.", 5)) {
			if (c->m[k].better == HVB_HIGHER)
				return &c->m[k];
			if (!first)
				first = &c->m[k];
		}
	return first;
}

/* "median [lo, hi]" of a series by the report's bootstrap, "-" when absent. */
static void median_text(const struct hvb_report *r, const struct hvb_series *s, char *buf, size_t len)
{
	struct hvb_ci ci;
	struct hvb_scale sc;
	char m[32], lo[32], hi[32];
	double med;

	if (!s || !s->n) {
		snprintf(buf, len, "-");
		return;
	}
	med = hvb_stats_median(s->v, s->n);
	hvb_unit_scale(med, s->unit, &sc);
	hvb_unit_fmt(med, &sc, m, sizeof(m));
	if (hvb_boot_median_ci(s->v, s->n, r->opts.level, r->opts.resamples, r->opts.seed, &ci) < 0) {
		snprintf(buf, len, "%s %s n=%zu", m, sc.unit, s->n);
		return;
	}
	hvb_unit_fmt(ci.lo, &sc, lo, sizeof(lo));
	hvb_unit_fmt(ci.hi, &sc, hi, sizeof(hi));
	snprintf(buf, len, "%s [%s, %s] %s", m, lo, hi, sc.unit);
}

/* A per-op figure, or "unknown" with its bound where the trace could not measure it. */
static void slow_text(const struct hvb_report *r, const struct spin_row *w, const char *what, const char *bound,
		      char *buf, size_t len)
{
	char name[96], b[96];
	const struct hvb_series *s, *bs;

	if (w->pvspin < 0) {
		snprintf(buf, len, "n/a");
		return;
	}
	snprintf(name, sizeof(name), "cost.spin.guest.%s.per_op", what);
	if ((s = hvb_cell_series(w->c, name)) && s->n) {
		median_text(r, s, buf, len);
		return;
	}
	snprintf(name, sizeof(name), "cost.spin.guest.%s.per_op", bound ? bound : what);
	if (bound && (bs = hvb_cell_series(w->c, name)) && bs->n) {
		median_text(r, bs, b, sizeof(b));
		snprintf(buf, len, "unknown, at most %s of %s", b, !strcmp(bound, "evtchn_ops") ? "event_channel_op" : "sched_op");
	} else
		snprintf(buf, len, "-");
}

static int row_cmp(const void *a, const void *b)
{
	const struct spin_row *x = a, *y = b;

	/* on before off, then by overcommit */
	return x->pvspin != y->pvspin ? y->pvspin - x->pvspin : x->antagonists - y->antagonists;
}

static void group_table(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *f, struct spin_row *w, size_t n)
{
	const char *head[] = { "pvspin", "overcommit", "figure", "median [95% CI]", "vs on, 1:1", "verdict",
			       "wait p99", "polls/op", "kicks/op", "pause exits/op", "poll-blocked to woken p50" };
	struct hvb_metric_cmp m[MAXROWS];
	const struct hvb_series *base, *tp;
	char title[600];

	qsort(w, n, sizeof(*w), row_cmp);
	base = headline(w[0].c);
	memset(m, 0, sizeof(m));
	for (size_t i = 0; i < n; i++) {
		tp = base ? hvb_cell_series(w[i].c, base->name) : NULL;
		snprintf(m[i].name, sizeof(m[i].name), "%s", base ? base->name : "-");
		snprintf(m[i].unit, sizeof(m[i].unit), "%s", base ? base->unit : "");
		m[i].better = base ? base->better : HVB_INFO;
		if (tp && i > 0)
			hvb_metric_compare(base->v, base->n, tp->v, tp->n, &r->opts, &m[i]);
	}
	if (n > 1)
		hvb_judge_family(m + 1, n - 1, &r->opts);
	hvb_cell_title(&w[0].c->row, title, sizeof(title));
	size_t off = strlen(title);
	snprintf(title + off, sizeof(title) - off, " on %s:%s, placement %s", w[0].c->row.backend, w[0].c->row.mode,
		 w[0].c->row.placement);
	d->heading(f, 3, title);
	d->table_begin(f, head, 11);
	for (size_t i = 0; i < n; i++) {
		char oc[24], med[128], ratio[128], v[96], p99[128], polls[160], kicks[160], pause[128], wake[128];
		tp = base ? hvb_cell_series(w[i].c, base->name) : NULL;
		snprintf(oc, sizeof(oc), "%d:1", 1 + w[i].antagonists);
		median_text(r, tp, med, sizeof(med));
		if (i > 0 && m[i].a.n && m[i].b.n) {
			char pct[32], lo[32], hi[32];
			hvb_fmt_pct(m[i].ratio, pct, sizeof(pct));
			hvb_fmt_pct(m[i].ci.lo, lo, sizeof(lo));
			hvb_fmt_pct(m[i].ci.hi, hi, sizeof(hi));
			snprintf(ratio, sizeof(ratio), "%s [%s, %s]", pct, lo, hi);
			hvb_fmt_verdict(&m[i], v, sizeof(v));
		} else {
			snprintf(ratio, sizeof(ratio), "-");
			snprintf(v, sizeof(v), i ? "-" : "baseline");
		}
		median_text(r, hvb_cell_series(w[i].c, "wait_ns.p99"), p99, sizeof(p99));
		slow_text(r, &w[i], "polls", "sched_ops", polls, sizeof(polls));
		slow_text(r, &w[i], "kicks", "evtchn_ops", kicks, sizeof(kicks));
		slow_text(r, &w[i], "pause_exits", NULL, pause, sizeof(pause));
		if (w[i].pvspin < 0)
			snprintf(wake, sizeof(wake), "n/a");
		else
			median_text(r, hvb_cell_series(w[i].c, "xen.guest.spinlock.block_to_wake.p50"), wake, sizeof(wake));
		const char *cells[] = { w[i].pvspin < 0 ? "n/a" : w[i].pvspin ? "on" : "off", oc, m[i].name, med, ratio, v,
					p99, polls, kicks, pause, wake };
		d->row(f, cells, 11, i && m[i].a.n ? hvb_verdict_name(m[i].verdict) : "");
	}
	d->table_end(f);
}

void hvb_spin_part(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *f)
{
	const struct hvb_run_data *rd = &r->runs[r->nruns > 1 ? 1 : 0];
	char (*keys)[1024] = calloc(rd->n ? rd->n : 1, sizeof(*keys));
	int any = 0, pv, ant;
	struct spin_row w[MAXROWS];

	if (!keys)
		return;
	for (size_t i = 0; i < rd->n; i++) {
		if (rd->cells[i].nm)
			any |= spin_axes(&rd->cells[i], &pv, &ant);
		group_key(&rd->cells[i], keys[i], sizeof(keys[i]));
	}
	if (any) {
		d->heading(f, 2, "Spinlocks: PV spinlocks on and off, under overcommit");
		d->para(f, "Per mode and workload cell, the guest kernel's PV spinlocks on and off (pvspin) against the "
			   "overcommit: 1 + antagonists runnable vCPUs (Xen) or tasks (native) per CPU. The workload's "
			   "figure is judged against the pvspin on, 1:1 row (ratio of medians with its interval, Holm "
			   "across the rows). Slow-path figures per operation of the workload come from the xentrace "
			   "probe: SCHEDOP_poll (a waiter blocks), EVTCHNOP_send (the kick), pause-loop exits (HVM, PVH), "
			   "and the time a vCPU blocked in a poll waited to be woken, kick included. Xen records no "
			   "argument of event_channel_op, so kicks are unknown wherever the guest called it: the "
			   "event_channel_op calls per operation bound them; so do sched_op calls bound the polls of HVM "
			   "and PVH guests traced without hvbench's hooks. Medians with 95% bootstrap intervals; '-' not "
			   "measured.");
	}
	for (size_t i = 0; any && i < rd->n; i++) {
		size_t n = 0, j;
		int grouped = 0;
		for (j = 0; j < i && !grouped; j++)
			grouped = rd->cells[j].nm && !strcmp(keys[j], keys[i]);
		if (grouped || !rd->cells[i].nm)
			continue;
		for (j = i; j < rd->n && n < MAXROWS; j++)
			if (rd->cells[j].nm && !strcmp(keys[j], keys[i])) {
				w[n].c = &rd->cells[j];
				spin_axes(w[n].c, &w[n].pvspin, &w[n].antagonists);
				n++;
			}
		/* a table where the cell was measured along one of the axes */
		int along = 0;
		for (j = 0; j < n; j++)
			along |= w[j].pvspin == 0 || w[j].antagonists > 0;
		if (along)
			group_table(r, d, f, w, n);
	}
	free(keys);
}
