/* SPDX-License-Identifier: GPL-2.0-or-later */
/* From the parsed file to the matrix of cells: validation of every key against
 * the option tables, then the product of every comma list. */
#include "config.h"
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench/bench.h"
#include "bench/experiment-internal.h"
#include "hv/hv.h"
#include "probes/probes.h"

#define MAX_OPTS 64
#define MAX_CELLS 100000

/* The matrix axes, which a workload section may also set for its own cells. The four
 * first, in expand()'s order of cells; then the five beside them:
 * pv_drivers = off turns a xen:hvm cell into xen:hvm-emu; hap = off makes a Xen cell's
 * mode MODE-shadow (PV's a skip, saying why); pvspin is the guest kernel's PV spinlocks
 * (natively -1: does not apply); vnuma exposes or hides a split guest's virtual nodes (one
 * cell, -1, for other placements and natively); antagonists and guests are innermost before the
 * workload's own options, and the PV device settings feature_persistent and max_queues
 * (per section, where they apply: Xen guests with PV devices whose workload uses the
 * device, fio's blkback disk, iperf3's netback vif; else one cell, auto) innermost of all.
 * Native cells take one value of each mode axis. */
enum { A_BACKENDS, A_PLACEMENT, A_VCPUS, A_MEMORY, X_PVD, X_HAP, X_PVSPIN, X_VNUMA, X_ANT, X_GUESTS, X_PERSISTENT,
       X_QUEUES, NAXES };
static const char *const axis_names[NAXES] = { "backends", "placement", "vcpus", "memory", "pv_drivers",
					       "hap", "pvspin", "vnuma", "antagonists", "guests",
					       "feature_persistent", "max_queues" };
#define AXES_LIST HVB_EXPERIMENT_AXES

/* One section with its table and the raw text of each option (NULL: default). */
struct section {
	const char *name;
	int line;
	const struct hvb_option *table;
	const struct hvb_workload_ops *wl;
	const struct hvb_probe_ops *probe;
	const char *raw[MAX_OPTS];
	int raw_line[MAX_OPTS];
	/* A workload section may narrow the matrix axes for its own cells
	 * (e.g. fio on local placement only, pvspin on and off for a lock workload
	 * alone); NULL: the [experiment]'s. Indexed as axis_names. */
	const char *axis[NAXES];
	int axis_line[NAXES];
};


struct builder {
	const char *path;
	struct section *s;
	size_t ns;
	struct hvb_experiment *ex;
};

int hvb_experiment_fail(const char *path, int line, const char *fmt, ...)
{
	char msg[1024], where[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hvb_experiment_where(path, line, where, sizeof(where));
	hvb_log(HVB_LOG_ERROR, "%s: %s", where, msg);
	return HVB_EINVAL;
}

static int opt_index(const struct hvb_option *t, const char *name)
{
	for (int i = 0; t[i].name; i++)
		if (!strcmp(t[i].name, name))
			return i;
	return -1;
}

static const char *workload_names[64];
static size_t nworkload_names;

/* section: name is a section's (no workload = key), which may be a misspelt [experiment]. */
static const char *suggest_workload(const char *name, int section)
{
	nworkload_names = 0;
	for (size_t i = 0; hvb_workloads[i] && i < 63; i++)
		workload_names[nworkload_names++] = hvb_workloads[i]->name;
	if (section)
		workload_names[nworkload_names++] = "experiment";
	return hvb_did_you_mean(name, workload_names, nworkload_names);
}

static int known_list(char *buf, size_t len, int probes)
{
	size_t off = 0;
	for (size_t i = 0; probes ? hvb_probes[i] != NULL : hvb_workloads[i] != NULL; i++)
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%s", i ? ", " : "",
					probes ? hvb_probes[i]->name : hvb_workloads[i]->name);
	if (!off)
		snprintf(buf, len, "none in this build");
	return 0;
}

/* Finds which table a section uses. */
static int classify(struct builder *b, struct section *s, const struct entry *e, size_t n)
{
	char known[512];

	if (!strcmp(s->name, "experiment")) {
		s->table = hvb_experiment_options;
		return 0;
	}
	if (!strncmp(s->name, "probe.", 6)) {
		if (!(s->probe = hvb_probe_find(s->name + 6))) {
			known_list(known, sizeof(known), 1);
			return hvb_experiment_fail(b->path, s->line, "[%s]: no probe '%s' (probes: %s)", s->name, s->name + 6, known);
		}
		s->table = s->probe->options;
		return 0;
	}
	const char *wname = s->name;
	int wline = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(e[i].section, s->name) && !strcmp(e[i].key, "workload")) {
			/* Never the last one silently: the section would run another workload. */
			if (wline)
				return hvb_experiment_fail(b->path, e[i].line, "[%s]: workload is given twice (first at "
							   "line %d)", s->name, wline);
			wname = e[i].value;
			wline = e[i].line;
		}
	if (!(s->wl = hvb_workload_find(wname))) {
		const char *dym = suggest_workload(wname, !wline);
		known_list(known, sizeof(known), 0);
		return hvb_experiment_fail(b->path, s->line,
			    "[%s]: no workload '%s'%s%s%s; a section is [experiment], [probe.NAME], or a workload "
			    "(its name, or any name with workload = NAME): %s",
			    s->name, wname, dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "", known);
	}
	s->table = s->wl->options;
	return 0;
}

/* Checks a value: a LIST option as a whole, any other option word by word
 * (those words are what the matrix expands). */
static int check_value(struct builder *b, const struct hvb_option *o, const char *value, int line,
		       const char *section)
{
	char err[768], **w;
	size_t n;
	int rc = 0;

	if (o->flags & HVB_OPT_LIST) {
		if (o->type == HVB_OPT_STRING && !*value)
			return 0;
		if (hvb_option_check_value(o, value, err, sizeof(err)) < 0)
			return hvb_experiment_fail(b->path, line, "[%s] %s", section, err);
		return 0;
	}
	if (hvb_split_list(value, &w, &n) < 0)
		return HVB_ENOMEM;
	if (!n && o->type != HVB_OPT_STRING)
		rc = hvb_experiment_fail(b->path, line, "[%s] %s has no value", section, o->name);
	else if (hvb_list_empty_item(value))
		rc = hvb_experiment_fail(b->path, line, "[%s] %s: value %zu of the list is empty (two commas, or one "
					 "at an end)", section, o->name, hvb_list_empty_item(value));
	for (size_t i = 0; i < n && !rc; i++)
		if (hvb_option_check(o, w[i], err, sizeof(err)) < 0)
			rc = hvb_experiment_fail(b->path, line, "[%s] %s", section, err);
	if (!rc && hvb_option_check_distinct(o, w, n, err, sizeof(err)) < 0)
		rc = hvb_experiment_fail(b->path, line, "[%s] %s (the same cells twice)", section, err);
	hvb_words_free(w, n);
	return rc;
}

static int fill_section(struct builder *b, struct section *s, const struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int k;
		if (strcmp(e[i].section, s->name))
			continue;
		if (s->wl && !strcmp(e[i].key, "workload"))
			continue;
		if (s->wl && opt_index(s->table, e[i].key) < 0) {
			int a = 0;
			while (a < NAXES && strcmp(axis_names[a], e[i].key))
				a++;
			if (a < NAXES) {
				const struct hvb_option *o = &hvb_experiment_options[opt_index(hvb_experiment_options, e[i].key)];
				if (s->axis[a])
					return hvb_experiment_fail(b->path, e[i].line, "[%s]: %s is given twice (first at line %d)", s->name,
						    e[i].key, s->axis_line[a]);
				if (check_value(b, o, e[i].value, e[i].line, s->name) < 0)
					return HVB_EINVAL;
				s->axis[a] = e[i].value;
				s->axis_line[a] = e[i].line;
				continue;
			}
		}
		if ((k = opt_index(s->table, e[i].key)) < 0 || k >= MAX_OPTS) {
			const char *dym = hvb_option_suggest(s->table, e[i].key);
			if (!dym && s->wl)
				dym = hvb_did_you_mean(e[i].key, axis_names, NAXES);
			char valid[1024];
			size_t off = 0;
			valid[0] = 0;
			for (const struct hvb_option *o = s->table; o && o->name; o++)
				off += (size_t)snprintf(valid + off, off < sizeof(valid) ? sizeof(valid) - off : 0, "%s%s",
							o == s->table ? "" : ", ", o->name);
			return hvb_experiment_fail(b->path, e[i].line, "[%s]: unknown key '%s'%s%s%s; valid keys: %s%s", s->name,
				    e[i].key, dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "",
				    valid[0] ? valid : "none",
				    s->wl ? "; and, for this workload's cells only: " AXES_LIST : "");
		}
		if (s->raw[k])
			return hvb_experiment_fail(b->path, e[i].line, "[%s]: %s is given twice (first at line %d)", s->name, e[i].key,
				    s->raw_line[k]);
		if (check_value(b, &s->table[k], e[i].value, e[i].line, s->name) < 0)
			return HVB_EINVAL;
		s->raw[k] = e[i].value;
		s->raw_line[k] = e[i].line;
	}
	return 0;
}

static const char *raw_or_default(const struct section *s, const char *name)
{
	int k = opt_index(s->table, name);
	return k < 0 ? "" : s->raw[k] ? s->raw[k] : s->table[k].def ? s->table[k].def : "";
}

uint64_t hvb_sample_seed(uint64_t seed, const char *key, int rep)
{
	uint64_t h = 1469598103934665603ULL ^ seed;

	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h ^= (uint64_t)rep * 0x9E3779B97F4A7C15ULL;
	h ^= h >> 33;
	return h ? h : 1;
}

int hvb_cell_draw(const struct hvb_experiment *ex, const struct hvb_cell *c, int rep)
{
	if (strcmp(c->placement, "random") || rep < 0)
		return -1;
	if (!ex->random_draws)
		return rep;
	/* Blocks of repetitions, so that a guest is rebuilt once per draw; with
	 * repetitions = auto (count unknown) the draws take turns. */
	if (!ex->repetitions)
		return rep % ex->random_draws;
	return (int)((int64_t)rep * ex->random_draws / ex->repetitions);
}

uint64_t hvb_draw_seed(uint64_t seed, const char *cell_key, int draw, int guest)
{
	/* Draw 0 of guest 0 keeps the seed a cell's one draw always had; the others
	 * are apart from every sample's seed (hvb_sample_seed of a repetition). */
	uint64_t mix = (uint64_t)guest * 0xD1B54A32D192ED03ULL ^ (draw ? 0x8CB92BA72F3D8DD7ULL : 0);
	return hvb_sample_seed(seed ^ mix, cell_key, draw);
}

char *hvb_params_to_json(const struct hvb_params *p)
{
	json_t *o = json_object();
	char *s;

	for (size_t i = 0; i < p->n; i++)
		if (p->values[i])
			json_object_set_new(o, p->table[i].name, json_string(p->values[i]));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

char *hvb_cell_params_json(const struct hvb_cell *c)
{
	char *s = hvb_params_to_json(&c->params), *t, n[16];
	json_t *o;

	if (!s || (!c->antagonists && c->guests <= 1 && c->pvspin != 0 && c->vnuma != 0 && c->persistent < 0 &&
		   c->net_queues <= 0) ||
	    !(o = json_loads(s, 0, NULL)))
		return s;
	if (c->pvspin == 0) /* on is the guest kernel's default: only off tells cells apart */
		json_object_set_new(o, "pvspin", json_string("off"));
	if (c->vnuma == 0) /* likewise exposed, libxl's way of building a split guest */
		json_object_set_new(o, "vnuma", json_string("off"));
	/* asked, as the experiment named them; what the kernels did is the cell's readback */
	if (c->persistent >= 0)
		json_object_set_new(o, "feature_persistent", json_string(c->persistent ? "on" : "off"));
	if (c->net_queues > 0) {
		snprintf(n, sizeof(n), "%d", c->net_queues);
		json_object_set_new(o, "max_queues", json_string(n));
	}
	if (c->antagonists) {
		snprintf(n, sizeof(n), "%d", c->antagonists); /* as the workload's values are: text */
		json_object_set_new(o, "antagonists", json_string(n));
	}
	if (c->guests > 1) {
		snprintf(n, sizeof(n), "%d", c->guests);
		json_object_set_new(o, "guests", json_string(n));
	}
	t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	free(s);
	return t;
}

int hvb_experiment_axis(const char *name)
{
	for (int a = 0; a < NAXES; a++)
		if (!strcmp(name, axis_names[a]))
			return 1;
	return 0;
}

const struct hvb_cell *hvb_experiment_apart(const struct hvb_experiment *ex)
{
	for (size_t i = 0; i < ex->ncells; i++)
		if (!hvb_backend_find(ex->cells[i].backend)->side_by_side)
			return &ex->cells[i];
	return NULL;
}

/* The experiment section's own settings. */
static int load_settings(struct builder *b, const struct section *xs)
{
	struct hvb_experiment *ex = b->ex;
	const char *name = raw_or_default(xs, "name"), *reps = raw_or_default(xs, "repetitions");
	int64_t v;
	double d;
	char **w;
	size_t n;

	/* Only the matrix axes take a list: a list anywhere else is a slip, not a plan. */
	for (int k = 0; xs->table[k].name; k++)
		if (xs->raw[k] && strchr(xs->raw[k], ',') && !(xs->table[k].flags & HVB_OPT_LIST) &&
		    !hvb_experiment_axis(xs->table[k].name) && strcmp(xs->table[k].name, "name"))
			return hvb_experiment_fail(b->path, xs->raw_line[k],
						   "[experiment]: %s takes one value, not the list '%s' (only the axes "
						   AXES_LIST " expand into the matrix)",
						   xs->table[k].name, xs->raw[k]);
	if (strlen(name) >= sizeof(ex->name))
		return hvb_experiment_fail(b->path, xs->raw_line[opt_index(xs->table, "name")],
					   "[experiment]: name is %zu characters long: at most %zu", strlen(name),
					   sizeof(ex->name) - 1);
	if (*name)
		snprintf(ex->name, sizeof(ex->name), "%s", name);
	else {
		/* The file's name, cut to fit: the file is named in the run as well. */
		char *copy = strdup(b->path), *base = copy ? basename(copy) : "", *dot = strrchr(base, '.');
		if (dot)
			*dot = 0;
		snprintf(ex->name, sizeof(ex->name), "%s", base);
		free(copy);
	}
	ex->repetitions = strcmp(reps, "auto") ? (hvb_parse_int(reps, &v), (int)v) : 0;
	hvb_parse_int(raw_or_default(xs, "min_repetitions"), &v);
	ex->min_repetitions = (int)v;
	hvb_parse_int(raw_or_default(xs, "max_repetitions"), &v);
	ex->max_repetitions = (int)v;
	ex->ci_target = strtod(raw_or_default(xs, "ci_target"), NULL);
	hvb_parse_int(raw_or_default(xs, "warmup"), &v);
	ex->warmup = (int)v;
	ex->interleave = !strcmp(raw_or_default(xs, "order"), "interleaved");
	hvb_parse_int(raw_or_default(xs, "seed"), &v);
	ex->seed = (uint64_t)v;
	hvb_parse_time(raw_or_default(xs, "duration"), &ex->duration_s);
	hvb_parse_time(raw_or_default(xs, "timeout"), &d);
	ex->timeout_s = d;
	hvb_parse_time(raw_or_default(xs, "boot_timeout"), &ex->boot_timeout_s);
	hvb_parse_int(raw_or_default(xs, "boot_attempts"), &v);
	ex->boot_attempts = (int)v;
	hvb_parse_int(raw_or_default(xs, "random_draws"), &v);
	ex->random_draws = (int)v;
	/* Each draw needs a repetition of its own, or some draw would never be measured. */
	if (ex->random_draws > (ex->repetitions ? ex->repetitions : ex->max_repetitions))
		return hvb_experiment_fail(b->path, xs->raw_line[opt_index(xs->table, "random_draws")] ?: xs->line,
			    "[experiment]: random_draws = %d is more than the %d %srepetitions: each draw needs one",
			    ex->random_draws, ex->repetitions ? ex->repetitions : ex->max_repetitions,
			    ex->repetitions ? "" : "maximum ");
	if (!ex->repetitions && ex->min_repetitions > ex->max_repetitions)
		return hvb_experiment_fail(b->path, xs->line, "[experiment]: min_repetitions (%d) is above max_repetitions (%d)",
			    ex->min_repetitions, ex->max_repetitions);
	if (ex->timeout_s <= ex->duration_s)
		return hvb_experiment_fail(b->path, xs->raw_line[opt_index(xs->table, "timeout")] ?: xs->line,
			    "[experiment]: timeout (%gs) must be longer than duration (%gs)", ex->timeout_s,
			    ex->duration_s);
	if (hvb_split_list(raw_or_default(xs, "probes"), &w, &n) < 0)
		return HVB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!hvb_probe_find(w[i])) {
			char known[512];
			const char *names[64];
			size_t k = 0;
			for (; hvb_probes[k] && k < 64; k++)
				names[k] = hvb_probes[k]->name;
			const char *dym = hvb_did_you_mean(w[i], names, k);
			known_list(known, sizeof(known), 1);
			int line = xs->raw_line[opt_index(xs->table, "probes")];
			hvb_experiment_fail(b->path, line, "[experiment]: no probe '%s'%s%s%s (probes: %s)", w[i],
			     dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "", known);
			hvb_words_free(w, n);
			return HVB_EINVAL;
		}
	ex->probes = w;
	ex->nprobes = n;
	ex->probe_params = calloc(n ? n : 1, sizeof(*ex->probe_params));
	for (size_t i = 0; i < n; i++) {
		const struct hvb_probe_ops *po = hvb_probe_find(w[i]);
		char err[512];
		hvb_params_init(&ex->probe_params[i], po->options);
		for (size_t j = 0; j < b->ns; j++)
			if (b->s[j].probe == po)
				for (int k = 0; po->options && po->options[k].name; k++)
					if (b->s[j].raw[k] &&
					    hvb_params_set(&ex->probe_params[i], po->options[k].name, b->s[j].raw[k], err,
							   sizeof(err)) < 0)
						return hvb_experiment_fail(b->path, b->s[j].raw_line[k], "[%s] %s", b->s[j].name, err);
	}
	return 0;
}

/* The matrix: a cell for each combination of the experiment's lists and of the
 * workload section's non-list options given with several values. */
struct dims {
	char **words[MAX_OPTS];
	size_t n[MAX_OPTS];
	size_t nd;
};

/* A cell's values of the axes beside backend, placement, vcpus and memory (struct hvb_cell's). */
struct cell_axes {
	int antagonists, guests, pvspin, vnuma;
	int persistent, net_queues;    /* set by expand_workload from the section's lists below */
	char **const *dev_w;           /* the section's feature_persistent and max_queues words */
	const size_t *dev_n;
};

static int add_cell(struct hvb_experiment *ex, const char *backend, const char *placement, int vcpus,
		    uint64_t memory, const struct cell_axes *ca, const struct section *ws,
		    char **const *wwords, const size_t *choice)
{
	struct hvb_cell *c, *nc;
	char err[512], mem[32];
	size_t off;

	if (ex->ncells >= MAX_CELLS)
		return HVB_EINVAL;
	if (!(nc = realloc(ex->cells, (ex->ncells + 1) * sizeof(*nc))))
		return HVB_ENOMEM;
	ex->cells = nc;
	c = &ex->cells[ex->ncells];
	memset(c, 0, sizeof(*c));
	c->idx = (int)ex->ncells;
	if (!strncmp(backend, "xen:", 4)) {
		snprintf(c->backend, sizeof(c->backend), "xen");
		snprintf(c->mode, sizeof(c->mode), "%s", backend + 4);
	} else {
		snprintf(c->backend, sizeof(c->backend), "%s", backend);
		snprintf(c->mode, sizeof(c->mode), "native");
	}
	snprintf(c->placement, sizeof(c->placement), "%s", placement);
	c->vcpus = vcpus;
	c->memory = memory;
	c->antagonists = ca->antagonists;
	c->guests = ca->guests;
	c->pvspin = ca->pvspin;
	c->vnuma = ca->vnuma;
	c->persistent = ca->persistent;
	c->net_queues = ca->net_queues;
	c->wl = ws->wl;
	snprintf(c->section, sizeof(c->section), "%s", ws->name);
	if (hvb_params_init(&c->params, ws->table) < 0)
		return HVB_ENOMEM;
	for (size_t k = 0; k < c->params.n; k++) {
		const char *v = wwords[k] ? wwords[k][choice[k]] : ws->raw[k];
		char norm[512];
		/* A list in canonical form ("16K,64M"), so that keys match across files. */
		if (v && (ws->table[k].flags & HVB_OPT_LIST)) {
			char **w;
			size_t nw, o = 0;
			if (hvb_split_list(v, &w, &nw) < 0)
				return HVB_ENOMEM;
			norm[0] = 0;
			for (size_t i = 0; i < nw && o < sizeof(norm); i++)
				o += (size_t)snprintf(norm + o, sizeof(norm) - o, "%s%s", i ? "," : "", w[i]);
			hvb_words_free(w, nw);
			if (o >= sizeof(norm)) {
				hvb_params_free(&c->params);
				return hvb_experiment_fail(ex->path, ws->raw_line[k], "[%s]: %s is longer than %zu "
							   "characters", ws->name, ws->table[k].name, sizeof(norm) - 1);
			}
			v = norm;
		}
		if (v && hvb_params_set(&c->params, ws->table[k].name, v, err, sizeof(err)) < 0)
			return HVB_EINVAL; /* checked already: cannot happen */
	}
	hvb_format_size(memory, mem, sizeof(mem));
	off = (size_t)snprintf(c->key, sizeof(c->key), "%s:%s placement=%s vcpus=%d memory=%s %s", c->backend,
			       c->mode, placement, vcpus, memory ? mem : "host", ws->name);
	/* Only when there are any: the keys of cells without stay what they were. */
	if (c->antagonists && off < sizeof(c->key))
		off += (size_t)snprintf(c->key + off, sizeof(c->key) - off, " antagonists=%d", c->antagonists);
	if (c->guests > 1 && off < sizeof(c->key))
		off += (size_t)snprintf(c->key + off, sizeof(c->key) - off, " guests=%d", c->guests);
	if (c->pvspin == 0 && off < sizeof(c->key))
		off += (size_t)snprintf(c->key + off, sizeof(c->key) - off, " pvspin=off");
	if (c->vnuma == 0 && off < sizeof(c->key))
		off += (size_t)snprintf(c->key + off, sizeof(c->key) - off, " vnuma=off");
	if (c->persistent >= 0 && off < sizeof(c->key))
		off += (size_t)snprintf(c->key + off, sizeof(c->key) - off, " feature_persistent=%s",
					c->persistent ? "on" : "off");
	if (c->net_queues > 0 && off < sizeof(c->key))
		off += (size_t)snprintf(c->key + off, sizeof(c->key) - off, " max_queues=%d", c->net_queues);
	/* Random placement with a set number of draws measures another distribution. */
	if (!strcmp(placement, "random") && ex->random_draws && off < sizeof(c->key))
		off += (size_t)snprintf(c->key + off, sizeof(c->key) - off, " draws=%d", ex->random_draws);
	for (size_t k = 0; k < c->params.n && off < sizeof(c->key); k++)
		off += (size_t)snprintf(c->key + off, sizeof(c->key) - off, " %s=%s", ws->table[k].name,
					c->params.values[k] ? c->params.values[k] : "");
	/* The key tells cells apart across runs: a cut one could match another cell's. */
	if (off >= sizeof(c->key)) {
		hvb_params_free(&c->params);
		return hvb_experiment_fail(ex->path, ws->line, "[%s]: the cell's key '%.60s...' is longer than %zu "
					   "characters: shorten the section's name or values", ws->name, c->key,
					   sizeof(c->key) - 1);
	}
	ex->ncells++;
	return 0;
}

/* Odometer over the workload section's expanding options. */
/* 1 when a PV device axis applies to a section's cells on a backend: Xen guests with PV
 * devices (not hvm-emu) whose workload uses that device. */
static int device_applies(const char *backend, const struct hvb_workload_ops *wl, int a)
{
	return !strncmp(backend, "xen:", 4) && strncmp(backend + 4, "hvm-emu", 7) &&
	       (wl->flags & (a == X_PERSISTENT ? HVB_WL_NEEDS_DISK : HVB_WL_NEEDS_PEER));
}

/* A word of a PV device axis as the cell keeps it: persistent 1, 0 or -1 (auto); queues N or 0 (auto). */
static int device_word(int a, const char *w)
{
	int64_t v = 0;
	int b = 1;

	if (!strcmp(w, "auto"))
		return a == X_PERSISTENT ? -1 : 0;
	if (a == X_PERSISTENT)
		return hvb_parse_bool(w, &b), b;
	hvb_parse_int(w, &v);
	return (int)v;
}

/* Odometer over the workload section's expanding options, for each of its PV device
 * settings where they apply (else one cell, auto). */
static int expand_workload(struct hvb_experiment *ex, const char *backend, const char *placement, int vcpus,
			   uint64_t memory, const struct cell_axes *ca, const struct section *ws)
{
	char **words[MAX_OPTS] = { 0 };
	size_t nw[MAX_OPTS] = { 0 }, choice[MAX_OPTS] = { 0 }, nopts = 0;
	int pg = device_applies(backend, ws->wl, X_PERSISTENT), nq = device_applies(backend, ws->wl, X_QUEUES);
	struct cell_axes c = *ca;
	int rc = 0;

	while (ws->table[nopts].name && nopts < MAX_OPTS)
		nopts++;
	for (size_t k = 0; k < nopts; k++)
		if (ws->raw[k] && !(ws->table[k].flags & HVB_OPT_LIST) && ws->table[k].type != HVB_OPT_STRING &&
		    (rc = hvb_split_list(ws->raw[k], &words[k], &nw[k])) < 0)
			goto out;
	for (size_t dp = 0; dp < (pg ? ca->dev_n[0] : 1) && !rc; dp++)
		for (size_t dq = 0; dq < (nq ? ca->dev_n[1] : 1) && !rc; dq++)
			for (;;) {
				size_t k;
				c.persistent = pg ? device_word(X_PERSISTENT, ca->dev_w[0][dp]) : -1;
				c.net_queues = nq ? device_word(X_QUEUES, ca->dev_w[1][dq]) : 0;
				if ((rc = add_cell(ex, backend, placement, vcpus, memory, &c, ws, words, choice)) < 0)
					goto out;
				/* the odometer ends where it began: all zero for the next device setting */
				for (k = 0; k < nopts; k++) {
					if (!words[k])
						continue;
					if (++choice[k] < nw[k])
						break;
					choice[k] = 0;
				}
				if (k == nopts)
					break;
			}
out:
	for (size_t k = 0; k < nopts; k++)
		hvb_words_free(words[k], nw[k]);
	return rc;
}

struct axes {
	char **v[NAXES];
	size_t n[NAXES];
};

static int on(const char *word)
{
	int b = 1;
	hvb_parse_bool(word, &b);
	return b;
}

static int has_word(char **w, size_t n, const char *x)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w[i], x))
			return 1;
	return 0;
}

/* A word of an integer list, checked already. */
static int int_word(const char *w)
{
	int64_t v = 0;

	hvb_parse_int(w, &v);
	return (int)v;
}

/* A section's axes: its own where it sets them, else the [experiment]'s; split needs 2 vCPUs. */
static int section_axes(struct builder *b, const struct section *xs, const struct section *ws, struct axes *a)
{
	for (int k = 0; k < NAXES; k++)
		hvb_split_list(ws->axis[k] ? ws->axis[k] : raw_or_default(xs, axis_names[k]), &a->v[k], &a->n[k]);
	for (size_t p = 0; p < a->n[1]; p++)
		for (size_t v = 0; v < a->n[2]; v++)
			if (!strcmp(a->v[1][p], "split") && int_word(a->v[2][v]) < 2) {
				int line = ws->axis[1] ? ws->axis_line[1] : ws->axis[2] ? ws->axis_line[2] :
					   xs->raw_line[opt_index(xs->table, "placement")] ?: xs->line;
				return hvb_experiment_fail(b->path, line,
					    "[%s]: placement split spans two nodes and needs vcpus >= 2, but vcpus includes %s",
					    ws->axis[1] || ws->axis[2] ? ws->name : "experiment", a->v[2][v]);
			}
	return 0;
}

/* A section that sets a PV device axis where it can never apply is refused (the
 * [experiment]'s applies where it can). */
static int device_axes_check(struct builder *b, const struct section *ws, const struct axes *a)
{
	for (int d = X_PERSISTENT; d <= X_QUEUES; d++) {
		const char *dev = d == X_PERSISTENT ? "blkback's and blkfront's persistent grants" :
						      "netback's and netfront's queues per vif";
		int xen = 0;
		if (!ws->axis[d] || (a->n[d] == 1 && !strcmp(a->v[d][0], "auto")))
			continue;
		for (size_t i = 0; i < a->n[A_BACKENDS]; i++)
			xen |= !strncmp(a->v[A_BACKENDS][i], "xen:", 4) && strncmp(a->v[A_BACKENDS][i] + 4, "hvm-emu", 7);
		if (!(ws->wl->flags & (d == X_PERSISTENT ? HVB_WL_NEEDS_DISK : HVB_WL_NEEDS_PEER)))
			return hvb_experiment_fail(b->path, ws->axis_line[d], "[%s]: %s sets %s, but workload %s has no %s",
						   ws->name, axis_names[d], dev, ws->wl->name,
						   d == X_PERSISTENT ? "disk (fio has)" : "network peer (iperf3 has)");
		if (!xen)
			return hvb_experiment_fail(b->path, ws->axis_line[d], "[%s]: %s sets %s, which Xen guests with PV "
						   "devices have (xen:pv, xen:pvh, xen:hvm): this section's cells are native "
						   "only", ws->name, axis_names[d], dev);
	}
	return 0;
}

/* Cells in the order backend, placement, vcpus, memory, section: over the union of
 * the sections' axes, each section where its own axes hold the values. */
static int expand(struct builder *b, const struct section *xs)
{
	struct axes *sa = calloc(b->ns ? b->ns : 1, sizeof(*sa)), u = { 0 };
	int rc = sa ? 0 : HVB_ENOMEM;

	for (size_t s = 0; s < b->ns && !rc; s++)
		if (b->s[s].wl && (rc = section_axes(b, xs, &b->s[s], &sa[s])) == 0 &&
		    (rc = device_axes_check(b, &b->s[s], &sa[s])) == 0)
			for (int k = 0; k < NAXES; k++)
				for (size_t i = 0; i < sa[s].n[k]; i++)
					if (!has_word(u.v[k], u.n[k], sa[s].v[k][i])) {
						char **nv = realloc(u.v[k], (u.n[k] + 1) * sizeof(char *));
						if (!nv) {
							rc = HVB_ENOMEM;
							break;
						}
						u.v[k] = nv;
						u.v[k][u.n[k]++] = sa[s].v[k][i];
					}
	char **pvd = u.v[X_PVD], **hap = u.v[X_HAP], **pvs = u.v[X_PVSPIN], **vnu = u.v[X_VNUMA], **ant = u.v[X_ANT],
	     **gst = u.v[X_GUESTS];
	size_t npvd = u.n[X_PVD], nhap = u.n[X_HAP], npvs = u.n[X_PVSPIN], nvnu = u.n[X_VNUMA], nant = u.n[X_ANT],
	       ngst = u.n[X_GUESTS];
	for (size_t i = 0; i < u.n[A_BACKENDS] && !rc; i++) {
		int hvm = !strcmp(u.v[0][i], "xen:hvm"), native = !strcmp(u.v[0][i], "native");
		size_t nmode = (hvm ? npvd : 1) * (native ? 1 : nhap);
		for (size_t dd = 0; dd < nmode * (native ? 1 : npvs) && !rc; dd++) {
			size_t d = dd / (native ? 1 : npvs);
			const char *pvd_w = pvd[d % npvd], *hap_w = hap[d / (hvm ? npvd : 1)], *pvs_w = pvs[dd % npvs];
			int pvspin = native ? -1 : on(pvs_w);
			const char *base = hvm && !on(pvd_w) ? "xen:hvm-emu" : u.v[0][i];
			char be[32];
			snprintf(be, sizeof(be), "%s%s", base, !native && !on(hap_w) ? "-shadow" : "");
			for (size_t pz = 0; pz < u.n[A_PLACEMENT] * nvnu && !rc; pz++) {
				size_t p = pz / nvnu, z = pz % nvnu;
				/* vnuma: the values of a guest's split placement; one cell (-1) elsewhere */
				int vn_applies = !native && !strcmp(u.v[A_PLACEMENT][p], "split");
				if (!vn_applies && z)
					continue;
				for (size_t v = 0; v < u.n[A_VCPUS] && !rc; v++)
					/* Guest memory does not apply natively: one native cell, not one per size. */
					for (size_t m = 0; m < (native ? 1 : u.n[A_MEMORY]) && !rc; m++) {
						uint64_t mem = 0;
						if (!native)
							hvb_parse_size(u.v[A_MEMORY][m], &mem);
						for (size_t s = 0; s < b->ns && !rc; s++) {
							const struct axes *a = &sa[s];
							/* The mode axes apply to guests only (and pv_drivers to HVM). */
							if (b->s[s].wl && has_word(a->v[0], a->n[0], u.v[0][i]) &&
							    has_word(a->v[1], a->n[1], u.v[1][p]) &&
							    has_word(a->v[2], a->n[2], u.v[2][v]) &&
							    (native || (has_word(a->v[3], a->n[3], u.v[3][m]) &&
									has_word(a->v[X_HAP], a->n[X_HAP], hap_w) &&
									has_word(a->v[X_PVSPIN], a->n[X_PVSPIN], pvs_w))) &&
							    (!hvm || has_word(a->v[X_PVD], a->n[X_PVD], pvd_w)) &&
							    (!vn_applies || has_word(a->v[X_VNUMA], a->n[X_VNUMA], vnu[z])))
								for (size_t k = 0; k < nant && !rc; k++)
									for (size_t g = 0; g < ngst && !rc; g++) {
										struct cell_axes ca = {
											int_word(ant[k]), int_word(gst[g]), pvspin,
											vn_applies ? on(vnu[z]) : -1, -1, 0,
											a->v + X_PERSISTENT, a->n + X_PERSISTENT };
										if (has_word(a->v[X_ANT], a->n[X_ANT], ant[k]) &&
										    has_word(a->v[X_GUESTS], a->n[X_GUESTS], gst[g]))
											rc = expand_workload(b->ex, be, u.v[1][p],
													     int_word(u.v[2][v]), mem,
													     &ca, &b->s[s]);
									}
						}
					}
			}
		}
	}
	if (rc == HVB_EINVAL && b->ex->ncells >= MAX_CELLS)
		hvb_experiment_fail(b->path, 0, "the plan has more than %d cells", MAX_CELLS);
	for (int k = 0; k < NAXES; k++)
		free(u.v[k]); /* the words belong to the sections' lists */
	for (size_t s = 0; s < b->ns && sa; s++)
		for (int k = 0; k < NAXES; k++)
			hvb_words_free(sa[s].v[k], sa[s].n[k]);
	free(sa);
	return rc;
}

int hvb_experiment_build(struct hvb_experiment *ex, const struct entry *e, size_t n, const char *const *sections,
			 const int *section_line, size_t nsections)
{
	struct builder b = { .path = ex->path, .ex = ex };
	static const struct section empty_experiment = { .name = "experiment", .table = hvb_experiment_options };
	const struct section *xs = &empty_experiment;
	int rc = 0, nwork = 0;

	if (!(b.s = calloc(nsections ? nsections : 1, sizeof(*b.s))))
		return HVB_ENOMEM;
	for (size_t i = 0; i < nsections && !rc; i++) {
		b.s[b.ns].name = sections[i];
		b.s[b.ns].line = section_line[i];
		if (!(rc = classify(&b, &b.s[b.ns], e, n)))
			rc = fill_section(&b, &b.s[b.ns], e, n);
		if (!rc && b.s[b.ns].wl)
			nwork++;
		if (!rc && !strcmp(sections[i], "experiment"))
			xs = &b.s[b.ns];
		b.ns++;
	}
	for (size_t i = 0; i < n && !rc; i++)
		if (!e[i].section[0])
			rc = hvb_experiment_fail(b.path, e[i].line, "'%s' is outside any section: put it under [experiment] or a "
						     "workload's section", e[i].key);
	if (!rc && !nwork) {
		char known[512];
		known_list(known, sizeof(known), 0);
		rc = hvb_experiment_fail(b.path, 0, "no workload section: add one, e.g. [memlat] (workloads: %s)", known);
	}
	if (!rc)
		rc = load_settings(&b, xs);
	for (size_t i = 0; i < b.ns && !rc; i++) {
		int listed = 0;
		for (size_t k = 0; b.s[i].probe && k < ex->nprobes; k++)
			listed |= !strcmp(ex->probes[k], b.s[i].probe->name);
		if (b.s[i].probe && !listed)
			hvb_log(HVB_LOG_WARN, "%s:%d: [%s] is not used: %s is not in probes =", b.path, b.s[i].line,
				b.s[i].name, b.s[i].probe->name);
	}
	if (!rc)
		rc = expand(&b, xs);
	free(b.s);
	return rc;
}

double hvb_cell_estimate(const struct hvb_experiment *ex, const struct hvb_cell *c, double sample_s)
{
	int reps = ex->repetitions ? ex->repetitions : ex->min_repetitions;

	/* Measured costs: starting a native agent is ~5 ms, a sample's round trip
	 * ~1 ms; a Xen guest boot takes tens of seconds (the lab: 16-57 s). A
	 * sample's time measured before replaces the target duration. */
	if (sample_s < 0)
		sample_s = ex->duration_s + 0.005;
	/* random: the guests are started again for each draw */
	int starts = hvb_cell_draw(ex, c, 0) < 0 ? 1 : ex->random_draws ? ex->random_draws : reps;
	return (ex->warmup + reps) * sample_s + 0.01 * starts + (strcmp(c->backend, "native") ? 30.0 * starts : 0);
}

double hvb_experiment_estimate(const struct hvb_experiment *ex)
{
	double total = 0;

	for (size_t i = 0; i < ex->ncells; i++)
		total += hvb_cell_estimate(ex, &ex->cells[i], -1);
	return total;
}

void hvb_experiment_free(struct hvb_experiment *ex)
{
	for (size_t i = 0; i < ex->ncells; i++)
		hvb_params_free(&ex->cells[i].params);
	for (size_t i = 0; ex->probe_params && i < ex->nprobes; i++)
		hvb_params_free(&ex->probe_params[i]);
	free(ex->probe_params);
	hvb_words_free(ex->probes, ex->nprobes);
	free(ex->cells);
	free(ex->path);
	free(ex->text);
	memset(ex, 0, sizeof(*ex));
}

int hvb_shard_parse(const char *s, int *k, int *n, char *why, size_t len)
{
	const char *slash = s ? strchr(s, '/') : NULL;
	char a[32];
	int64_t vk, vn;

	if (!slash || (size_t)(slash - s) >= sizeof(a)) {
		snprintf(why, len, "expected K/N, shard K (from 1) of N");
		return HVB_EINVAL;
	}
	snprintf(a, sizeof(a), "%.*s", (int)(slash - s), s);
	if (!*a || !slash[1]) {
		snprintf(why, len, "expected K/N, shard K (from 1) of N; an engine's variables that are empty (GitLab "
			 "sets CI_NODE_INDEX and CI_NODE_TOTAL only in jobs with parallel:) give '/'");
		return HVB_EINVAL;
	}
	if (hvb_parse_int(a, &vk) < 0 || hvb_parse_int(slash + 1, &vn) < 0 || vn < 1 || vn > HVB_SHARD_MAX || vk < 1 ||
	    vk > vn) {
		snprintf(why, len, "expected K/N with 1 <= K <= N <= %d, in decimal (shards count from 1, as GitLab's "
			 "CI_NODE_INDEX does)", HVB_SHARD_MAX);
		return HVB_EINVAL;
	}
	*k = (int)vk;
	*n = (int)vn;
	return 0;
}

struct shard_pos {
	uint64_t h;
	size_t i;
};

static int pos_cmp(const void *a, const void *b)
{
	const struct shard_pos *x = a, *y = b;

	return x->h != y->h ? (x->h < y->h ? -1 : 1) : (x->i > y->i) - (x->i < y->i);
}

int hvb_experiment_shard(struct hvb_experiment *ex, int k, int n)
{
	struct shard_pos *pos;
	unsigned char *keep;
	size_t kept = 0;

	if (k < 1 || k > n)
		return HVB_EINVAL;
	pos = calloc(ex->ncells ? ex->ncells : 1, sizeof(*pos));
	keep = calloc(ex->ncells ? ex->ncells : 1, 1);
	if (!pos || !keep) {
		free(pos);
		free(keep);
		return HVB_ENOMEM;
	}
	for (size_t i = 0; i < ex->ncells; i++)
		pos[i] = (struct shard_pos){ hvb_fnv1a(ex->cells[i].key), i };
	qsort(pos, ex->ncells, sizeof(*pos), pos_cmp);
	for (size_t p = 0; p < ex->ncells; p++)
		keep[pos[p].i] = p % (size_t)n == (size_t)(k - 1);
	/* The cells kept stay in the plan's order, with their indices in the whole matrix. */
	for (size_t i = 0; i < ex->ncells; i++)
		if (keep[i])
			ex->cells[kept++] = ex->cells[i];
		else
			hvb_params_free(&ex->cells[i].params);
	ex->matrix_cells = ex->ncells;
	ex->ncells = kept;
	ex->shard_index = k;
	ex->shard_count = n;
	free(pos);
	free(keep);
	return 0;
}
