/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The history of one metric across runs: the median of each run, one series
 * per matching cell, and its change points. Runs measured in the QEMU lab are
 * left out: they are not performance. */
#include "config.h"
#include <fnmatch.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"

struct selector {
	char **words;
	size_t nwords;
	const char *metric;
};

static int selector_parse(const char *sel, char *buf, size_t len, struct selector *s)
{
	char *colon;

	memset(s, 0, sizeof(*s));
	snprintf(buf, len, "%s", sel);
	colon = strrchr(buf, ':');
	s->metric = colon ? colon + 1 : buf;
	if (!*s->metric) {
		hvb_log(HVB_LOG_ERROR, "selector '%s': no metric after the last ':' (expected [WORD ...:]METRIC)", sel);
		return HVB_EINVAL;
	}
	if (colon) {
		*colon = 0;
		for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
			char **nw = realloc(s->words, (s->nwords + 1) * sizeof(char *));
			if (!nw)
				return HVB_ENOMEM;
			s->words = nw;
			nw[s->nwords++] = w;
		}
	}
	return 0;
}

static int key_matches(const struct selector *s, const char *key)
{
	for (size_t i = 0; i < s->nwords; i++)
		if (!strstr(key, s->words[i]))
			return 0;
	return 1;
}

static struct hvb_history *series_for(struct hvb_history **h, size_t *nh, const char *key, const char *metric,
				      const char *unit)
{
	struct hvb_history *nw;

	for (size_t i = 0; i < *nh; i++)
		if (!strcmp((*h)[i].key, key))
			return &(*h)[i];
	if (!(nw = realloc(*h, (*nh + 1) * sizeof(*nw))))
		return NULL;
	*h = nw;
	nw = &nw[(*nh)++];
	memset(nw, 0, sizeof(*nw));
	snprintf(nw->key, sizeof(nw->key), "%s", key);
	snprintf(nw->metric, sizeof(nw->metric), "%s", metric);
	snprintf(nw->unit, sizeof(nw->unit), "%s", unit);
	return nw;
}

/* Closes the point being gathered: its median from the values so far. */
static int point_close(struct hvb_history *se, double *vals, size_t nv)
{
	struct hvb_history_point *p = &se->pt[se->n - 1];

	p->n = nv;
	p->median = hvb_stats_median(vals, nv);
	return 0;
}

int hvb_history_load(struct hvb_store *s, const char *selector, const char *label_glob, int across_hosts,
		     struct hvb_history **h, size_t *nh)
{
	char series_key[560], cls[24] = "";
	int64_t cls_run = -1;
	sqlite3 *db = hvb_store_db(s);
	sqlite3_stmt *st;
	struct selector sel;
	char buf[1024];
	struct hvb_history *cur = NULL;
	double *vals = NULL;
	size_t nv = 0, cap = 0;
	int64_t cur_run = -1;
	int rc;

	*h = NULL;
	*nh = 0;
	if ((rc = selector_parse(selector, buf, sizeof(buf), &sel)) < 0)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT r.id, r.label, r.started, c.key, m.value, m.unit FROM runs r"
				   " JOIN cells c ON c.run_id=r.id JOIN samples x ON x.cell_id=c.id AND x.status='ok'"
				   " JOIN metrics m ON m.sample_id=x.id AND m.name=? WHERE r.lab=0"
				   " ORDER BY c.key, r.started, r.id, x.rep", -1, &st, NULL) != SQLITE_OK) {
		hvb_log(HVB_LOG_ERROR, "%s: %s", hvb_store_path(s), sqlite3_errmsg(db));
		rc = HVB_EDB;
		goto out;
	}
	sqlite3_bind_text(st, 1, sel.metric, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t run = sqlite3_column_int64(st, 0);
		const char *label = (const char *)sqlite3_column_text(st, 1), *key = (const char *)sqlite3_column_text(st, 3);
		const char *unit = (const char *)sqlite3_column_text(st, 5);
		if ((label_glob && fnmatch(label_glob, label ? label : "", 0)) || !key_matches(&sel, key))
			continue;
		/* Never across host classes unless asked: the class is part of the series. */
		if (!across_hosts && run != cls_run) {
			struct hvb_run_info ri;
			cls[0] = 0;
			if (hvb_store_run_get(s, run, &ri) == 0) {
				snprintf(cls, sizeof(cls), "%s", ri.host_class);
				hvb_run_info_free(&ri);
			}
			cls_run = run;
		}
		snprintf(series_key, sizeof(series_key), "%s%s%s", key, *cls && !across_hosts ? " host_class=" : "",
			 across_hosts ? "" : cls);
		struct hvb_history *se = series_for(h, nh, series_key, sel.metric, unit ? unit : "");
		if (!se) {
			rc = HVB_ENOMEM;
			break;
		}
		if (se != cur || run != cur_run) {
			if (cur)
				point_close(cur, vals, nv);
			cur = se;
			cur_run = run;
			nv = 0;
			struct hvb_history_point *np = realloc(se->pt, (se->n + 1) * sizeof(*np));
			if (!np) {
				rc = HVB_ENOMEM;
				break;
			}
			se->pt = np;
			np = &np[se->n++];
			memset(np, 0, sizeof(*np));
			np->run_id = run;
			snprintf(np->label, sizeof(np->label), "%s", label ? label : "");
			np->started = sqlite3_column_double(st, 2);
		}
		if (nv == cap) {
			double *nvv = realloc(vals, (cap = cap ? 2 * cap : 16) * sizeof(double));
			if (!nvv) {
				rc = HVB_ENOMEM;
				break;
			}
			vals = nvv;
		}
		vals[nv++] = sqlite3_column_double(st, 4);
	}
	if (cur)
		point_close(cur, vals, nv);
	sqlite3_finalize(st);
	rc = rc == SQLITE_DONE ? 0 : rc < 0 ? rc : HVB_EDB;
out:
	free(vals);
	free(sel.words);
	if (rc < 0) {
		hvb_history_free(*h, *nh);
		*h = NULL;
		*nh = 0;
	}
	return rc;
}

int hvb_history_changes(struct hvb_history *h, const struct hvb_edm_opts *o)
{
	double *x = malloc((h->n ? h->n : 1) * sizeof(double));
	int rc;

	if (!x)
		return HVB_ENOMEM;
	for (size_t i = 0; i < h->n; i++)
		x[i] = h->pt[i].median;
	free(h->cps);
	h->cps = NULL;
	h->ncp = 0;
	rc = hvb_edivisive(x, h->n, o, &h->cps, &h->ncp);
	free(x);
	return rc;
}

void hvb_history_free(struct hvb_history *h, size_t nh)
{
	for (size_t i = 0; i < nh; i++) {
		free(h[i].pt);
		free(h[i].cps);
	}
	free(h);
}
