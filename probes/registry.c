/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The probe list, and running a set of probes together around one sample. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/probes.h"

const struct hvb_probe_ops *const hvb_probes[] = {
	&hvb_probe_perf,
	&hvb_probe_tracefs,
	&hvb_probe_numa,
	&hvb_probe_steal,
	&hvb_probe_blkback,
	&hvb_probe_netback,
	&hvb_probe_xentrace,
	&hvb_probe_xenstat,
	&hvb_probe_xenperf,
	&hvb_probe_xenlockprof,
	NULL,
};

const struct hvb_probe_ops *hvb_probe_find(const char *name)
{
	for (size_t i = 0; hvb_probes[i]; i++)
		if (!strcmp(hvb_probes[i]->name, name))
			return hvb_probes[i];
	return NULL;
}

int hvb_probe_owns_metric(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t len = dot ? (size_t)(dot - name) : 0;

	for (size_t i = 0; len && hvb_probes[i]; i++) {
		if (strlen(hvb_probes[i]->name) == len && !strncmp(hvb_probes[i]->name, name, len))
			return 1;
		for (const struct hvb_metric_doc *d = hvb_probes[i]->metrics; d && d->name; d++)
			if (!strncmp(d->name, name, len) && d->name[len] == '.')
				return 1;
	}
	return 0;
}

struct hvb_probe_set {
	size_t n;
	const struct hvb_probe_ops *ops[16];
	void *state[16];
};

static void note(char *notes, size_t len, const char *name, const char *why)
{
	size_t off = strlen(notes);
	snprintf(notes + off, len - off, "%sprobe.%s: %s", off ? "; " : "", name, why);
}

struct hvb_probe_set *hvb_probe_set_open(char *const *names, const struct hvb_params *params, size_t n,
					 unsigned where,
					 const struct hvb_probe_target *t, char *notes, size_t len)
{
	struct hvb_probe_set *ps = calloc(1, sizeof(*ps));

	if (!ps)
		return NULL;
	for (size_t i = 0; i < n && ps->n < 16; i++) {
		const struct hvb_probe_ops *o = hvb_probe_find(names[i]);
		struct hvb_params p;
		char why[256] = "";
		void *st = NULL;

		if (!o || !(o->where & where))
			continue;
		if (!o->supported(why, sizeof(why))) {
			note(notes, len, o->name, why);
			continue;
		}
		if (params)
			p = params[i];
		else if (hvb_params_init(&p, o->options) < 0)
			continue;
		if (o->open(&p, t, &st, why, sizeof(why)) < 0)
			note(notes, len, o->name, why);
		else {
			ps->ops[ps->n] = o;
			ps->state[ps->n++] = st;
		}
		if (!params)
			hvb_params_free(&p);
	}
	return ps;
}

int hvb_probe_set_start(struct hvb_probe_set *ps)
{
	int rc = 0;
	for (size_t i = 0; ps && i < ps->n; i++)
		if (ps->ops[i]->start(ps->state[i]) < 0)
			rc = HVB_EIO;
	return rc;
}

int hvb_probe_set_stop(struct hvb_probe_set *ps)
{
	int rc = 0;
	/* Stop in reverse order so that the first started brackets the others. */
	for (size_t i = ps ? ps->n : 0; i-- > 0;)
		if (ps->ops[i]->stop(ps->state[i]) < 0)
			rc = HVB_EIO;
	return rc;
}

int hvb_probe_set_collect(struct hvb_probe_set *ps, struct hvb_metrics *out)
{
	int rc = 0;
	for (size_t i = 0; ps && i < ps->n; i++)
		if (ps->ops[i]->collect(ps->state[i], out) < 0)
			rc = HVB_EIO;
	return rc;
}

void hvb_probe_set_close(struct hvb_probe_set *ps)
{
	for (size_t i = 0; ps && i < ps->n; i++)
		ps->ops[i]->close(ps->state[i]);
	free(ps);
}
