/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report's backend-cost section: for each direction (guest_tx, guest_rx, read, write)
 * and each cell that measured it, one table: the workload's throughput, then what one
 * packet, KiB, request or I/O cost the backend domain and the guest (cost.* figures,
 * probes/backend-cost.c), medians with their intervals, and each judged against the same
 * cell of the direction's first mode (the same workload and parameters, another mode):
 * a guest's figures with a guest's, the backend's with the backend's. */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/format-internal.h"

#define MAXDIR 8

/* The direction of a cost.<dir>.<role>... name, into dir. */
static int cost_dir(const char *name, char *dir, size_t len)
{
	const char *p = !strncmp(name, "cost.", 5) ? name + 5 : NULL, *e = p ? strchr(p, '.') : NULL;

	if (!e || (size_t)(e - p) >= len)
		return 0;
	memcpy(dir, p, (size_t)(e - p));
	dir[e - p] = 0;
	return 1;
}

static int has_dir(const struct hvb_cell_data *c, const char *dir)
{
	char d[32];

	for (size_t k = 0; k < c->nm; k++)
		if (cost_dir(c->m[k].name, d, sizeof(d)) && !strcmp(d, dir))
			return 1;
	return 0;
}

/* The workload's throughput: its first judged figure where higher is better. */
static const struct hvb_series *throughput(const struct hvb_cell_data *c)
{
	for (size_t k = 0; k < c->nm; k++)
		if (c->m[k].better == HVB_HIGHER && !hvb_metric_is_probe(c->m[k].name))
			return &c->m[k];
	return NULL;
}

static void cell_table(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *f, const char *dir,
		       const struct hvb_cell_data *c, const struct hvb_cell_data *base)
{
	const char *head[] = { "figure", "unit", "median [95% CI]", "baseline", "ratio", "verdict" };
	struct hvb_metric_cmp *m = calloc(c->nm + 1, sizeof(*m));
	const struct hvb_series **ser = calloc(c->nm + 1, sizeof(*ser));
	char title[512], d2[32];
	size_t n = 0;

	if (!m || !ser)
		goto out;
	const struct hvb_series *tp = throughput(c);
	if (tp)
		ser[n++] = tp;
	for (size_t k = 0; k < c->nm; k++)
		if (cost_dir(c->m[k].name, d2, sizeof(d2)) && !strcmp(d2, dir))
			ser[n++] = &c->m[k];
	for (size_t i = 0; i < n; i++) {
		const struct hvb_series *b = base && base != c ? hvb_cell_series(base, ser[i]->name) : NULL;
		snprintf(m[i].name, sizeof(m[i].name), "%s", ser[i]->name);
		snprintf(m[i].unit, sizeof(m[i].unit), "%s", ser[i]->unit);
		m[i].better = ser[i]->better;
		hvb_metric_compare(b ? b->v : NULL, b ? b->n : 0, ser[i]->v, ser[i]->n, &r->opts, &m[i]);
	}
	hvb_judge_family(m, n, &r->opts);
	hvb_cell_title(&c->row, title, sizeof(title));
	size_t off = strlen(title);
	snprintf(title + off, sizeof(title) - off, " on %s:%s, %s", c->row.backend, c->row.mode, dir);
	d->heading(f, 3, title);
	d->table_begin(f, head, 6);
	for (size_t i = 0; i < n; i++) {
		char med[128], bm[128], ratio[32], v[96], lo[32], hi[32], mm[32];
		struct hvb_scale sc;
		hvb_unit_scale(m[i].b.median, m[i].unit, &sc);
		hvb_unit_fmt(m[i].b.median, &sc, mm, sizeof(mm));
		hvb_unit_fmt(m[i].ci_b.lo, &sc, lo, sizeof(lo));
		hvb_unit_fmt(m[i].ci_b.hi, &sc, hi, sizeof(hi));
		snprintf(med, sizeof(med), "%s [%s, %s] n=%zu", mm, lo, hi, m[i].b.n);
		if (m[i].a.n) {
			hvb_unit_fmt(m[i].a.median, &sc, mm, sizeof(mm));
			snprintf(bm, sizeof(bm), "%s (%s:%s)", mm, base->row.backend, base->row.mode);
			hvb_fmt_pct(m[i].ratio, ratio, sizeof(ratio));
			hvb_fmt_verdict(&m[i], v, sizeof(v));
		} else {
			snprintf(bm, sizeof(bm), "-");
			snprintf(ratio, sizeof(ratio), "-");
			snprintf(v, sizeof(v), base == c ? "baseline" : "-");
		}
		const char *cells[] = { m[i].name, sc.unit, med, bm, ratio, v };
		d->row(f, cells, 6, m[i].a.n ? hvb_verdict_name(m[i].verdict) : "");
	}
	d->table_end(f);
out:
	free(m);
	free(ser);
}

void hvb_cost_part(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *f)
{
	const struct hvb_run_data *rd = &r->runs[r->nruns > 1 ? 1 : 0];
	char dirs[MAXDIR][32];
	size_t ndir = 0;

	for (size_t i = 0; i < rd->n; i++)
		for (size_t k = 0; k < rd->cells[i].nm; k++) {
			char dir[32];
			size_t j;
			if (!cost_dir(rd->cells[i].m[k].name, dir, sizeof(dir)))
				continue;
			for (j = 0; j < ndir && strcmp(dirs[j], dir); j++)
				;
			if (j == ndir && ndir < MAXDIR)
				snprintf(dirs[ndir++], sizeof(dirs[0]), "%s", dir);
		}
	if (!ndir)
		return;
	d->heading(f, 2, "Backend cost per packet and per request");
	d->para(f, "What one unit of I/O cost, per sample then medians with 95% intervals: grant copies, maps and "
		   "unmaps (from the hypercalls' arguments), hypercalls, event_channel_op calls, vCPU time and time in "
		   "Xen, of the backend domain and of the guest. Packets and KiB count both ways of the vif; the "
		   "direction is the one that carried most bytes (guest_tx: the guest sends). Each figure is judged "
		   "against the same cell in the direction's first mode; a figure that was not measured (arguments "
		   "not traced, no backend role in older runs) is absent, not zero.");
	for (size_t j = 0; j < ndir; j++) {
		const struct hvb_cell_data *first[64];
		char keys[64][512];
		size_t nk = 0;
		for (size_t i = 0; i < rd->n; i++) {
			const struct hvb_cell_data *c = &rd->cells[i], *base = NULL;
			char key[512];
			if (!has_dir(c, dirs[j]))
				continue;
			hvb_cell_key_without(&c->row, "mode", key, sizeof(key));
			for (size_t k = 0; k < nk && !base; k++)
				if (!strcmp(keys[k], key))
					base = first[k];
			if (!base && nk < 64) {
				snprintf(keys[nk], sizeof(keys[0]), "%s", key);
				first[nk++] = base = c;
			}
			cell_table(r, d, f, dirs[j], c, base);
		}
	}
}
