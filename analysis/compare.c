/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From loaded runs to the comparisons a report shows: guest modes against a
 * baseline mode, placements against local, the cells of two runs side by side,
 * and the gate's decision. */
#include "config.h"
#include <stdarg.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/analysis.h"

/* The metric names of both cells, workload figures first, probes apart. */
static int add_name(char (**names)[96], size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*names)[i], name))
			return 0;
	char (*nn)[96] = realloc(*names, (*n + 1) * sizeof(**names));
	if (!nn)
		return HVB_ENOMEM;
	*names = nn;
	snprintf(nn[(*n)++], 96, "%s", name);
	return 0;
}

static int metric_names(const struct hvb_cmp *c, int probes, char (**names)[96], size_t *n)
{
	const struct hvb_cell_data *side[2] = { c->a, c->b };
	int rc;

	*names = NULL;
	*n = 0;
	for (int s = 0; s < 2; s++)
		for (size_t k = 0; k < side[s]->nm; k++)
			if (hvb_metric_is_probe(side[s]->m[k].name) == probes &&
			    (rc = add_name(names, n, side[s]->m[k].name)) < 0)
				return rc;
	return 0;
}

/* The median of a probe figure, per operation when the sample counted them. */
static double probe_median(const struct hvb_cell_data *c, const char *name, int *per_op)
{
	const struct hvb_series *m = hvb_cell_series(c, name), *ops = hvb_cell_series(c, "ops");
	double *v, med;
	size_t n;

	if (!m || !m->n)
		return NAN;
	if (!ops || !hvb_metric_is_amount(m->name, m->unit) || !(v = malloc(m->n * sizeof(double))))
		return *per_op = 0, hvb_stats_median(m->v, m->n);
	n = hvb_series_per_op(m, ops, v);
	*per_op = n > 0;
	med = n ? hvb_stats_median(v, n) : hvb_stats_median(m->v, m->n);
	free(v);
	return med;
}

static double raw_median(const struct hvb_cell_data *c, const char *name)
{
	const struct hvb_series *m = hvb_cell_series(c, name);
	return m ? hvb_stats_median(m->v, m->n) : NAN;
}

static int compare_probes(struct hvb_cmp *c)
{
	char (*names)[96];
	size_t n;
	int rc = metric_names(c, 1, &names, &n);

	if (rc < 0 || !n) {
		free(names);
		return rc;
	}
	if (!(c->probes = calloc(n, sizeof(*c->probes)))) {
		free(names);
		return HVB_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct hvb_probe_fig *f = &c->probes[c->nprobes++];
		const struct hvb_series *s = hvb_cell_series(c->a, names[i]);
		int pa = 0, pb = 0;
		if (!s)
			s = hvb_cell_series(c->b, names[i]);
		snprintf(f->name, sizeof(f->name), "%s", names[i]);
		snprintf(f->unit, sizeof(f->unit), "%s", s ? s->unit : "");
		f->a = probe_median(c->a, names[i], &pa);
		f->b = probe_median(c->b, names[i], &pb);
		/* Per operation only when both sides could be divided, so they compare. */
		if ((pa || isnan(f->a)) && (pb || isnan(f->b)) && (pa || pb))
			f->per_op = 1;
		else if (pa || pb) { /* one side counted operations, the other did not: raw figures */
			f->a = raw_median(c->a, names[i]);
			f->b = raw_median(c->b, names[i]);
		}
	}
	free(names);
	return 0;
}

/* Compares every workload metric of two cells, Holm across the judged ones. */
static int compare_cells(const struct hvb_cell_data *a, const struct hvb_cell_data *b, const struct hvb_judge_opts *o,
			 struct hvb_cmp *c)
{
	char (*names)[96];
	size_t n;
	int rc;

	c->a = a;
	c->b = b;
	if ((rc = metric_names(c, 0, &names, &n)) < 0)
		goto out;
	if (!(c->m = calloc(n ? n : 1, sizeof(*c->m)))) {
		rc = HVB_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct hvb_series *sa = hvb_cell_series(a, names[i]), *sb = hvb_cell_series(b, names[i]);
		struct hvb_metric_cmp *m = &c->m[c->nm++];
		const struct hvb_series *any = sa ? sa : sb;
		snprintf(m->name, sizeof(m->name), "%s", names[i]);
		snprintf(m->unit, sizeof(m->unit), "%s", any->unit);
		m->better = any->better;
		if ((rc = hvb_metric_compare(sa ? sa->v : NULL, sa ? sa->n : 0, sb ? sb->v : NULL, sb ? sb->n : 0, o,
					     m)) < 0)
			goto out;
	}
	if ((rc = hvb_judge_family(c->m, c->nm, o)) == 0)
		rc = compare_probes(c);
out:
	free(names);
	return rc;
}

static struct hvb_section *section_add(struct hvb_report *r, enum hvb_section_kind kind, const char *title,
				       const char *baseline)
{
	struct hvb_section *ns = realloc(r->sec, (r->nsec + 1) * sizeof(*ns));

	if (!ns)
		return NULL;
	r->sec = ns;
	ns = &r->sec[r->nsec++];
	memset(ns, 0, sizeof(*ns));
	ns->kind = kind;
	snprintf(ns->title, sizeof(ns->title), "%s", title);
	snprintf(ns->baseline, sizeof(ns->baseline), "%s", baseline);
	return ns;
}

static struct hvb_cmp *cmp_add(struct hvb_section *sec)
{
	struct hvb_cmp *nc = realloc(sec->cmps, (sec->n + 1) * sizeof(*nc));

	if (!nc)
		return NULL;
	sec->cmps = nc;
	nc = &sec->cmps[sec->n++];
	memset(nc, 0, sizeof(*nc));
	return nc;
}

static int usable(const struct hvb_cell_data *c)
{
	return c->nm > 0;
}

/* One section of a report: cells that differ only in `dim` compared with the
 * cell whose dim is `base`. */
static int build_dim(struct hvb_report *r, const struct hvb_run_data *d, const char *dim, const char *base,
		     const char *title, enum hvb_section_kind kind)
{
	struct hvb_section *sec = NULL;
	char kb[1024], kc[1024];
	int rc;

	for (size_t i = 0; i < d->n; i++) {
		const struct hvb_cell_data *bc = &d->cells[i];
		const char *v = kind == HVB_SEC_MODES ? bc->row.mode : bc->row.placement;
		if (strcmp(v, base) || !usable(bc))
			continue;
		hvb_cell_key_without(&bc->row, dim, kb, sizeof(kb));
		for (size_t j = 0; j < d->n; j++) {
			const struct hvb_cell_data *cc = &d->cells[j];
			const char *w = kind == HVB_SEC_MODES ? cc->row.mode : cc->row.placement;
			if (j == i || !strcmp(w, base) || !usable(cc))
				continue;
			hvb_cell_key_without(&cc->row, dim, kc, sizeof(kc));
			if (strcmp(kb, kc))
				continue;
			if (!sec && !(sec = section_add(r, kind, title, base)))
				return HVB_ENOMEM;
			struct hvb_cmp *c = cmp_add(sec);
			if (!c)
				return HVB_ENOMEM;
			hvb_cell_title(&bc->row, c->title, sizeof(c->title));
			size_t off = strlen(c->title);
			if (kind == HVB_SEC_MODES)
				snprintf(c->title + off, sizeof(c->title) - off, " placement=%s", bc->row.placement);
			else /* the same workload runs in several modes: say which */
				snprintf(c->title + off, sizeof(c->title) - off, " on %s:%s", bc->row.backend,
					 bc->row.mode);
			snprintf(c->label_a, sizeof(c->label_a), "%s", base);
			if (kind == HVB_SEC_MODES && cc->row.memory && !bc->row.memory) {
				char mem[32];
				hvb_format_size(cc->row.memory, mem, sizeof(mem));
				snprintf(c->label_b, sizeof(c->label_b), "%.32s (%.16s)", w, mem);
			} else {
				snprintf(c->label_b, sizeof(c->label_b), "%s", w);
			}
			if ((rc = compare_cells(bc, cc, &r->opts, c)) < 0)
				return rc;
		}
	}
	return 0;
}

int hvb_report_build(struct hvb_store *s, int64_t run_id, const char *baseline_mode,
		     const struct hvb_judge_opts *o, struct hvb_report *r)
{
	return hvb_report_build_set(s, &run_id, 1, baseline_mode, o, r);
}

int hvb_report_build_set(struct hvb_store *s, const int64_t *ids, size_t n, const char *baseline_mode,
			 const struct hvb_judge_opts *o, struct hvb_report *r)
{
	char title[128], ptitle[128];
	const char *pbase = o->placement_baseline ? o->placement_baseline : "local";
	int rc;

	memset(r, 0, sizeof(*r));
	r->kind = "report";
	r->opts = *o;
	if ((rc = hvb_runs_load(s, ids, n, o->across_hosts, &r->runs[0])) < 0)
		return rc;
	r->nruns = 1;
	if (!baseline_mode)
		baseline_mode = "native";
	snprintf(title, sizeof(title), "Guest modes against %s", baseline_mode);
	if ((rc = build_dim(r, &r->runs[0], "mode", baseline_mode, title, HVB_SEC_MODES)) < 0 ||
	    (snprintf(ptitle, sizeof(ptitle), "NUMA placements against %s", pbase),
	     rc = build_dim(r, &r->runs[0], "placement", pbase, ptitle, HVB_SEC_PLACEMENT)) < 0 ||
	    (rc = hvb_numa_build(r, &r->runs[0], pbase)) < 0 ||
	    (rc = hvb_mode_answers(&r->runs[0], baseline_mode, o, &r->answers, &r->nanswers, &r->gaps, &r->ngaps)) < 0) {
		hvb_report_free(r);
		return rc;
	}
	if (r->ngaps)
		hvb_mode_gap_absent(&r->runs[0], r->gaps_absent, sizeof(r->gaps_absent));
	return 0;
}

/* The cell's canonical key, without the " NAME=value" words of ignored
 * parameters, with its host class unless o->across_hosts. */
static const char *cell_key(const struct hvb_cell_data *c, const struct hvb_judge_opts *o, char *buf, size_t len)
{
	const char *ignore = o->ignore_params;
	char **w = NULL;
	size_t nw = 0;

	if (c->row.key[0]) {
		size_t off = (size_t)snprintf(buf, len, "%s", c->row.key);
		if (!o->across_hosts && c->row.host_class[0] && off < len)
			snprintf(buf + off, len - off, " host_class=%s", c->row.host_class);
	} else
		hvb_cell_key_without(&c->row, "", buf, len);
	if (!ignore || hvb_split_list(ignore, &w, &nw) < 0)
		return buf;
	for (size_t i = 0; i < nw; i++) {
		char pat[128], *p;
		snprintf(pat, sizeof(pat), " %s=", w[i]);
		while ((p = strstr(buf, pat))) {
			char *end = strchr(p + 1, ' ');
			memmove(p, end ? end : p + strlen(p), strlen(end ? end : p + strlen(p)) + 1);
		}
	}
	hvb_words_free(w, nw);
	return buf;
}

static int unmatched_add(struct hvb_report *r, const char *side, const char *key)
{
	char **nu = realloc(r->unmatched, (r->nunmatched + 1) * sizeof(char *)), buf[700];

	if (!nu)
		return HVB_ENOMEM;
	r->unmatched = nu;
	snprintf(buf, sizeof(buf), "only in the %s: %s", side, key);
	return (nu[r->nunmatched++] = strdup(buf)) ? 0 : HVB_ENOMEM;
}

int hvb_runs_interleaved(const struct hvb_run_info *a, const struct hvb_run_info *b, double *gap_s)
{
	/* A run still going (or killed) has no end: its start stands for it. */
	double ae = a->ended > 0 ? a->ended : a->started, be = b->ended > 0 ? b->ended : b->started;

	*gap_s = 0;
	if (a->started <= be && b->started <= ae)
		return 1;
	*gap_s = a->started < b->started ? b->started - ae : a->started - be;
	return 0;
}

/* The hypervisor facts a run stores (hv/xen-hooks.c, host_json "xen"), one
 * string each; "" when absent. */
static void xen_fact(json_t *host, const char *key, char *buf, size_t len)
{
	json_t *x = json_object_get(host, "xen"), *v;

	buf[0] = 0;
	if (!x)
		return;
	if (!strcmp(key, "hooks")) { /* the present hooks by name: "CONFIG_TRACEBUFFER" against three */
		hvb_xen_hooks_line(x, buf, len);
		return;
	}
	if ((v = json_object_get(x, key)) && json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
}

/* A fact of host_json by its path ("cpu_vulnerabilities.mds"), as a string; "" when absent. */
static void host_fact(json_t *host, const char *key, char *buf, size_t len)
{
	const char *dot = strchr(key, '.');
	json_t *v;

	buf[0] = 0;
	if (dot) {
		char top[64];
		snprintf(top, sizeof(top), "%.*s", (int)(dot - key), key);
		v = json_object_get(json_object_get(host, top), dot + 1);
	} else
		v = json_object_get(host, key);
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
}

/* The facts named in keys that differ between a and b, said "KEY 'A' against 'B'; ...". */
static size_t facts_differ(json_t *ha, json_t *hb, const char *const *keys, size_t nkeys,
			   void (*get)(json_t *, const char *, char *, size_t), char *buf, size_t len)
{
	char va[4200], vb[4200];
	size_t n = 0, off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < nkeys; i++) {
		get(ha, keys[i], va, sizeof(va));
		get(hb, keys[i], vb, sizeof(vb));
		if (!strcmp(va, vb))
			continue;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s '%s' against '%s'", n ? "; " : "", keys[i],
						va[0] ? va : "(unknown)", vb[0] ? vb : "(unknown)");
		n++;
	}
	return n;
}

size_t hvb_runs_xen_differ(const struct hvb_run_info *a, const struct hvb_run_info *b, char *buf, size_t len)
{
	static const char *const keys[] = { "hypervisor", "changeset", "commandline", "scheduler", "hooks" };
	json_t *ha = a->host_json ? json_loads(a->host_json, 0, NULL) : NULL;
	json_t *hb = b->host_json ? json_loads(b->host_json, 0, NULL) : NULL;
	size_t n = facts_differ(ha, hb, keys, sizeof(keys) / sizeof(keys[0]), xen_fact, buf, len);

	json_decref(ha);
	json_decref(hb);
	return n;
}

/* Runs of an hvbench that did not record these facts are not said to differ. */
size_t hvb_runs_env_differ(const struct hvb_run_info *a, const struct hvb_run_info *b, char *buf, size_t len)
{
	json_t *ha = a->host_json ? json_loads(a->host_json, 0, NULL) : NULL;
	json_t *hb = b->host_json ? json_loads(b->host_json, 0, NULL) : NULL;
	const char *keys[64] = { "kernel_cmdline", "microcode", "smt" }, *k;
	char names[64][96];
	size_t nkeys = 3, n = 0;
	json_t *v, *sides[2] = { ha, hb };

	buf[0] = 0;
	if (json_object_get(ha, "kernel_cmdline") && json_object_get(hb, "kernel_cmdline")) {
		/* every issue either kernel reports on: one that only one of them knows differs too */
		for (int sd = 0; sd < 2; sd++)
			json_object_foreach(json_object_get(sides[sd], "cpu_vulnerabilities"), k, v) {
				size_t i;
				snprintf(names[nkeys], sizeof(names[nkeys]), "cpu_vulnerabilities.%s", k);
				for (i = 0; i < nkeys && strcmp(keys[i], names[nkeys]); i++)
					;
				if (i == nkeys && nkeys < 64)
					keys[nkeys] = names[nkeys], nkeys++;
			}
		n = facts_differ(ha, hb, keys, nkeys, host_fact, buf, len);
	}
	json_decref(ha);
	json_decref(hb);
	return n;
}

const struct hvb_run_diff hvb_run_diffs[] = {
	{ "hypervisors", "the hypervisor", "hypervisor_differs", hvb_runs_xen_differ },
	{ "kernel environments", "the kernel's command line or CPU mitigations", "environment_differs",
	  hvb_runs_env_differ },
	{ 0 },
};

static void run_name(const struct hvb_run_data *d, char *buf, size_t len)
{
	const struct hvb_run_info *i = &d->info;
	char more[64] = "";

	if (d->nparts > 1) /* the shards and hosts of a label */
		snprintf(more, sizeof(more), " and %zu more", d->nparts - 1);
	if (i->label[0])
		snprintf(buf, len, "%s (run%s %lld%s)", i->label, *more ? "s" : "", (long long)i->id, more);
	else
		snprintf(buf, len, "run %lld", (long long)i->id);
}

int hvb_compare_build(struct hvb_store *s, int64_t run_a, int64_t run_b, const struct hvb_judge_opts *o,
		      struct hvb_report *r)
{
	return hvb_compare_build_sets(s, &run_a, 1, &run_b, 1, o, r);
}

int hvb_compare_build_sets(struct hvb_store *s, const int64_t *run_a, size_t na_, const int64_t *run_b, size_t nb_,
			   const struct hvb_judge_opts *o, struct hvb_report *r)
{
	struct hvb_section *sec;
	char na[160], nb[160], title[400], k1[1024], k2[1024];
	int rc;

	memset(r, 0, sizeof(*r));
	r->kind = "compare";
	r->opts = *o;
	if ((rc = hvb_runs_load(s, run_a, na_, o->across_hosts, &r->runs[0])) < 0)
		return rc;
	r->nruns = 1;
	if ((rc = hvb_runs_load(s, run_b, nb_, o->across_hosts, &r->runs[1])) < 0)
		goto fail;
	r->nruns = 2;
	for (const struct hvb_run_diff *df = hvb_run_diffs; df->what; df++) {
		char d[2048];
		if (df->differ(&r->runs[0].info, &r->runs[1].info, d, sizeof(d)))
			hvb_log(HVB_LOG_WARN, "the two runs measured different %s: %s", df->what, d);
	}
	run_name(&r->runs[0], na, sizeof(na));
	run_name(&r->runs[1], nb, sizeof(nb));
	snprintf(title, sizeof(title), "%s against %s", nb, na);
	rc = HVB_ENOMEM;
	if (!(sec = section_add(r, HVB_SEC_CELLS, title, "baseline")))
		goto fail;
	for (size_t j = 0; j < r->runs[1].n; j++) {
		const struct hvb_cell_data *cb = &r->runs[1].cells[j], *ca = NULL;
		const char *kb = cell_key(cb, o, k2, sizeof(k2));
		for (size_t i = 0; i < r->runs[0].n && !ca; i++)
			if (!strcmp(cell_key(&r->runs[0].cells[i], o, k1, sizeof(k1)), kb))
				ca = &r->runs[0].cells[i];
		if (!ca) {
			if ((rc = unmatched_add(r, "candidate", kb)) < 0)
				goto fail;
			continue;
		}
		struct hvb_cmp *c = cmp_add(sec);
		if (!c)
			goto fail;
		hvb_cell_title(&cb->row, c->title, sizeof(c->title));
		size_t off = strlen(c->title);
		snprintf(c->title + off, sizeof(c->title) - off, " %s:%s placement=%s", cb->row.backend, cb->row.mode,
			 cb->row.placement);
		snprintf(c->label_a, sizeof(c->label_a), "baseline");
		snprintf(c->label_b, sizeof(c->label_b), "candidate");
		if ((rc = compare_cells(ca, cb, &r->opts, c)) < 0)
			goto fail;
	}
	for (size_t i = 0; i < r->runs[0].n; i++) {
		const char *ka = cell_key(&r->runs[0].cells[i], o, k1, sizeof(k1));
		int found = 0;
		for (size_t j = 0; j < r->runs[1].n && !found; j++)
			found = !strcmp(cell_key(&r->runs[1].cells[j], o, k2, sizeof(k2)), ka);
		if (!found && (rc = unmatched_add(r, "baseline", ka)) < 0)
			goto fail;
	}
	return 0;
fail:
	hvb_report_free(r);
	return rc;
}

int hvb_gate_build(struct hvb_store *s, int64_t baseline, int64_t candidate, const struct hvb_judge_opts *o,
		   double max_regression, enum hvb_rule rule, struct hvb_report *r)
{
	return hvb_gate_build_sets(s, &baseline, 1, &candidate, 1, o, max_regression, rule, r);
}

static int infra_add(struct hvb_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int infra_add(struct hvb_report *r, const char *fmt, ...)
{
	char **ni = realloc(r->infra, (r->ninfra + 1) * sizeof(char *));
	va_list ap;
	int rc;

	if (!ni)
		return HVB_ENOMEM;
	r->infra = ni;
	va_start(ap, fmt);
	rc = vasprintf(&ni[r->ninfra], fmt, ap);
	va_end(ap);
	if (rc < 0)
		return HVB_ENOMEM;
	r->ninfra++;
	return 0;
}

/* Whether the runs of side d on host class cls (NULL: any class) hold shard sh of n:
 * 1 yes, 0 no, -1 none of them is sharded (whole runs hold every shard). */
static int shard_held(const struct hvb_run_data *d, const char *cls, int sh, int n)
{
	int sharded = 0;

	for (size_t i = 0; i < d->nparts; i++) {
		const struct hvb_run_part *p = &d->parts[i];
		if (cls && strcmp(p->host_class, cls))
			continue;
		if (p->shard_index == sh && p->shard_count == n)
			return 1;
		sharded |= p->shard_count > 0;
	}
	return sharded ? 0 : -1;
}

/* The shards and runs of each side: every shard 1..N has a run that ended
 * (N: --expect-shards, else the shard count either side's runs name), on
 * every host class the candidate ran on (each class is judged on its own: a
 * shard of one class does not stand in for the same shard of another), or
 * on any class with --across-hosts (pooled). The baseline is held to the
 * candidate's classes it has runs on; a class only one side ran on is no
 * shard lost, its cells are listed as unmatched. */
static int shards_check(struct hvb_report *r, int expect, int across_hosts)
{
	static const char *const side[2] = { "baseline", "candidate" };
	const struct hvb_run_data *cand = &r->runs[1];
	int rc = 0;

	for (int k = 0; k < 2 && !expect; k++)
		for (size_t i = 0; i < r->runs[k].nparts; i++)
			if (r->runs[k].parts[i].shard_count > expect)
				expect = r->runs[k].parts[i].shard_count;
	for (int k = 0; k < 2 && rc == 0; k++) {
		const struct hvb_run_data *d = &r->runs[k];
		for (size_t i = 0; i < d->nparts && rc == 0; i++) {
			const struct hvb_run_part *p = &d->parts[i];
			if (!strcmp(p->status, "interrupted") || !strcmp(p->status, "failed") || !strcmp(p->status, "running"))
				rc = infra_add(r, "%s run %lld (%s) on host class %s %s: its cells are not all measured",
					       side[k], (long long)p->id, p->uuid, p->host_class, strcmp(p->status, "running") ?
					       (!strcmp(p->status, "failed") ? "ended failed" : "ended interrupted")
					       : "never ended (it is still running, or its process died)");
			else if (p->shard_count && p->shard_count != expect)
				rc = infra_add(r, "%s run %lld (%s) is shard %d/%d, not one of %d shards", side[k],
					       (long long)p->id, p->uuid, p->shard_index, p->shard_count, expect);
		}
		if (across_hosts) {
			for (int sh = 1; sh <= expect && rc == 0; sh++)
				if (!shard_held(d, NULL, sh, expect))
					rc = infra_add(r, "%s shard %d/%d never ran: no run labelled '%s' holds it", side[k], sh,
						       expect, d->info.label);
			continue;
		}
		/* Each of the candidate's classes once, in the order its runs come. */
		for (size_t c = 0; c < cand->nparts && rc == 0; c++) {
			const char *cls = cand->parts[c].host_class;
			size_t first = 0, on_side = 0;
			while (strcmp(cand->parts[first].host_class, cls))
				first++;
			for (size_t i = 0; i < d->nparts; i++)
				on_side += !strcmp(d->parts[i].host_class, cls);
			if (first != c || !on_side)
				continue;
			for (int sh = 1; sh <= expect && rc == 0; sh++)
				if (!shard_held(d, cls, sh, expect))
					rc = infra_add(r, "%s shard %d/%d never ran on host class %s: no run labelled '%s' of "
						       "that class holds it", side[k], sh, expect, cls, d->info.label);
		}
	}
	return rc;
}

int hvb_gate_build_sets(struct hvb_store *s, const int64_t *a, size_t na, const int64_t *b, size_t nb,
			const struct hvb_judge_opts *o, double max_regression, enum hvb_rule rule, struct hvb_report *r)
{
	struct hvb_judge_opts go = *o;
	int rc;

	/* A change smaller than the allowed regression never counts, in either direction. */
	go.min_effect = max_regression;
	if ((rc = hvb_compare_build_sets(s, a, na, b, nb, &go, r)) < 0)
		return rc;
	r->kind = "gate";
	r->max_regression = max_regression;
	r->rule = rule;
	if ((rc = shards_check(r, o->expect_shards, o->across_hosts)) < 0)
		goto fail;
	for (size_t k = 0; k < r->nsec; k++)
		for (size_t i = 0; i < r->sec[k].n; i++) {
			struct hvb_cmp *c = &r->sec[k].cmps[i];
			/* Nothing measured on one side: infrastructure, neither a pass nor a regression. */
			for (int side = 0; side < 2; side++) {
				const struct hvb_cell_data *cd = side ? c->b : c->a;
				if (!hvb_cell_is_infra(cd))
					continue;
				c->infra = 1;
				if ((rc = infra_add(r, "%s cell %s (host class %s): %s, no sample measured: %s",
						    side ? "candidate" : "baseline", cd->row.key, cd->row.host_class,
						    cd->row.status, cd->row.reason ? cd->row.reason : "no reason stored")) < 0)
					goto fail;
			}
			for (size_t j = 0; j < c->nm && !c->infra; j++) {
				struct hvb_metric_cmp *m = &c->m[j];
				const struct hvb_series *sa = hvb_cell_series(c->a, m->name),
							*sb = hvb_cell_series(c->b, m->name);
				if (m->verdict == HVB_V_INFO)
					continue;
				if (m->verdict == HVB_V_MISSING) {
					/* Measured before, not now: the candidate broke it. */
					if (sa && sa->n && (!sb || !sb->n))
						r->nmissing++;
					continue;
				}
				r->njudged++;
				if (rule == HVB_RULE_HVBENCH)
					m->regressed = m->verdict == HVB_V_WORSE;
				else
					m->regressed = hvb_rule_regressed(rule, sa->v, sa->n, sb->v, sb->n, m->better,
									  max_regression);
				r->nregressed += (size_t)m->regressed;
				r->nworse += m->verdict == HVB_V_WORSE;
				r->nbetter += m->verdict == HVB_V_BETTER;
				r->nsame += m->verdict == HVB_V_SAME;
				r->ninconclusive += m->verdict == HVB_V_INCONCLUSIVE;
			}
		}
	return 0;
fail:
	hvb_report_free(r);
	return rc;
}

void hvb_report_free(struct hvb_report *r)
{
	for (size_t k = 0; k < r->nsec; k++) {
		for (size_t i = 0; i < r->sec[k].n; i++) {
			free(r->sec[k].cmps[i].m);
			free(r->sec[k].cmps[i].probes);
		}
		free(r->sec[k].cmps);
	}
	free(r->sec);
	hvb_mode_answers_free(r->answers, r->nanswers, r->gaps);
	free(r->numa);
	for (size_t i = 0; i < r->nunmatched; i++)
		free(r->unmatched[i]);
	free(r->unmatched);
	for (size_t i = 0; i < r->ninfra; i++)
		free(r->infra[i]);
	free(r->infra);
	for (size_t i = 0; i < r->nruns; i++)
		hvb_run_data_free(&r->runs[i]);
	memset(r, 0, sizeof(*r));
}
