/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The report's "randomised against optimised placement" part, for every
 * format the walk writes (text, Markdown, HTML): per metric the optimised,
 * auto and remote medians with their CIs, random as a distribution over its
 * draws, and the share of the optimised gain auto and random recover. */
#include "config.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "analysis/format-internal.h"

static void fig_text(const struct hvb_numa_fig *f, const struct hvb_scale *sc, char *buf, size_t len)
{
	char m[32], lo[32], hi[32];

	if (!f->n) {
		snprintf(buf, len, "-");
		return;
	}
	hvb_unit_fmt(f->median, sc, m, sizeof(m));
	hvb_unit_fmt(f->ci.lo, sc, lo, sizeof(lo));
	hvb_unit_fmt(f->ci.hi, sc, hi, sizeof(hi));
	snprintf(buf, len, "%s [%s, %s] n=%zu", m, lo, hi, f->n);
}

static void share_text(double s, const struct hvb_ci *ci, int gain_known, char *buf, size_t len)
{
	char v[32], lo[32], hi[32];

	if (!isfinite(s)) {
		snprintf(buf, len, "undefined (no gain)");
		return;
	}
	hvb_fmt_num(s * 100, v, sizeof(v));
	hvb_fmt_num(ci->lo * 100, lo, sizeof(lo));
	hvb_fmt_num(ci->hi * 100, hi, sizeof(hi));
	snprintf(buf, len, isfinite(ci->lo) ? "%s%% [%s%%, %s%%]%s" : "%s%%%.0s%.0s%s", v, lo, hi,
		 gain_known ? "" : " (gain not significant)");
}

void hvb_numa_part(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *f)
{
	const char *head[] = { "metric", "unit", "optimised", "auto", "remote", "random: median of draws",
			       "random: draws' range", "worst draw", "auto recovers", "random recovers" };
	const char *last = "";
	char text[1024];

	if (!r->nnuma)
		return;
	d->heading(f, 2, "Randomised against optimised placement");
	snprintf(text, sizeof(text),
		 "Each metric under the optimised placement (%s), auto (the kernel's own placement natively, Xen's "
		 "automatic placement for guests), remote (the worst by construction) and random as a distribution "
		 "over its draws: the median of the draws' medians with its CI over draws, their range and the worst "
		 "draw (its placement.draw). Medians with %.0f%% bootstrap intervals. \"Recovers\" is the share of the "
		 "optimised gain over remote a placement keeps, (m - m_remote) / (m_optimised - m_remote): 100%% as "
		 "good as optimised, 0%% no better than remote; its interval by bootstrap, and said not significant "
		 "when the optimised gain's own interval holds none.",
		 r->nnuma ? r->numa[0].optimised : "local", r->opts.level * 100);
	d->para(f, text);
	for (size_t i = 0; i < r->nnuma; i++) {
		const struct hvb_numa_row *n = &r->numa[i];
		char opt[128], aut[128], rem[128], rnd[128], range[96], worst[96], sa[96], sr[96], a[32], b[32];
		struct hvb_scale sc;
		if (strcmp(last, n->title)) {
			if (*last)
				d->table_end(f);
			d->heading(f, 3, n->title);
			d->table_begin(f, head, 10);
			last = n->title;
		}
		hvb_unit_scale(n->opt.median, n->unit, &sc);
		fig_text(&n->opt, &sc, opt, sizeof(opt));
		fig_text(&n->autop, &sc, aut, sizeof(aut));
		fig_text(&n->remote, &sc, rem, sizeof(rem));
		if (n->ndraws) {
			struct hvb_numa_fig rf = { .n = n->ndraws, .median = n->draw_median, .ci = n->draw_ci };
			fig_text(&rf, &sc, rnd, sizeof(rnd));
			snprintf(rnd + strlen(rnd), sizeof(rnd) - strlen(rnd), " of %zu samples", n->random.n);
			hvb_unit_fmt(n->draw_min, &sc, a, sizeof(a));
			hvb_unit_fmt(n->draw_max, &sc, b, sizeof(b));
			snprintf(range, sizeof(range), "%s - %s", a, b);
			hvb_unit_fmt(n->draw_worst, &sc, a, sizeof(a));
			if (n->worst_draw >= 0)
				snprintf(worst, sizeof(worst), "%s (draw %d)", a, n->worst_draw);
			else
				snprintf(worst, sizeof(worst), "%s", a);
			share_text(n->random_share, &n->random_share_ci, n->gain_known, sr, sizeof(sr));
		} else {
			snprintf(rnd, sizeof(rnd), "-");
			snprintf(range, sizeof(range), "-");
			snprintf(worst, sizeof(worst), "-");
			snprintf(sr, sizeof(sr), "-");
		}
		if (n->autop.n)
			share_text(n->share, &n->share_ci, n->gain_known, sa, sizeof(sa));
		else
			snprintf(sa, sizeof(sa), "-");
		const char *cells[] = { n->metric, sc.unit, opt, aut, rem, rnd, range, worst, sa, sr };
		d->row(f, cells, 10, "");
	}
	d->table_end(f);
}
