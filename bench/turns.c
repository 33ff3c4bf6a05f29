/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cells that take turns (order = interleaved): the seeded order of each round
 * and whether the guests that live together fit in the host's memory. The
 * runner and the dry-run plan share it, so that the plan shows the order the
 * run takes and refuses, before anything is built, guests that cannot all live. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench/bench.h"
#include "hv/hv.h"

uint64_t hvb_turns_seed(const char *const *labels, const char *label, size_t nruns, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */

	for (size_t r = 0; r < nruns; r++)
		for (const char *p = labels && labels[r] ? labels[r] : label ? label : ""; ; p++) {
			h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
			if (!*p)
				break;
		}
	seed = (seed ^ h) * 0x9E3779B97F4A7C15ULL;
	return seed ? seed : 1;
}

void hvb_turns_shuffle(size_t *order, const size_t *group, size_t n, uint64_t *state)
{
	for (size_t s = 0, e; s < n; s = e) {
		for (e = s + 1; e < n && (!group || group[order[e]] == group[order[s]]); e++)
			;
		for (size_t k = e - s; k > 1; k--) {
			size_t j = s + hvb_rand_next(state) % k, t = order[s + k - 1];
			order[s + k - 1] = order[j];
			order[j] = t;
		}
	}
}

void hvb_turns_rounds(size_t n, uint64_t seed, int nrounds, size_t *out)
{
	size_t *order = out;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (int r = 0; r < nrounds; r++) {
		if (r)
			memcpy(out + (size_t)r * n, out + (size_t)(r - 1) * n, n * sizeof(*out));
		order = out + (size_t)r * n;
		hvb_turns_shuffle(order, NULL, n, &seed);
	}
}

/* MiB, rounded up: what a person compares with `xl info`'s free_memory. */
static unsigned long long mib(uint64_t b)
{
	return (unsigned long long)((b + (1u << 20) - 1) >> 20);
}

/* need against what host has, after what msg already says: the figures and the verdict, for either check. */
static int fits(uint64_t need, const struct hvb_host_memory *host, const char *be, const char *remedy, char *msg,
		size_t len)
{
	size_t off = strnlen(msg, len);
	char dom0[64] = "";

	if (host->dom0)
		snprintf(dom0, sizeof(dom0), ", dom0 holds %llu MiB", mib(host->dom0));
	if (off < len)
		snprintf(msg + off, len - off, " and %s has %llu MiB free (host %llu MiB%s; %s)%s%s", be,
			 mib(host->free), mib(host->total), dom0, host->source,
			 need <= host->free ? ": they fit" : ": they do not fit. ", need <= host->free ? "" : remedy);
	return need <= host->free ? 0 : HVB_EINVAL;
}

/* Bytes an agent maps at once for a sample of these parameters, by the
 * workload's option table (hvb_option.mapped); *what names the largest. */
static uint64_t params_mapped(const struct hvb_option *table, const struct hvb_params *p, char *what, size_t len)
{
	uint64_t sum = 0;
	size_t off = 0;

	what[0] = 0;
	for (const struct hvb_option *o = table; o && o->name; o++) {
		uint64_t sizes[64], big = 0;
		int n;
		if (!o->mapped || o->type != HVB_OPT_SIZE || hvb_param_is_auto(p, o->name))
			continue;
		n = o->flags & HVB_OPT_LIST ? hvb_param_sizes(p, o->name, sizes, 64) : 1;
		if (!(o->flags & HVB_OPT_LIST))
			sizes[0] = hvb_param_size(p, o->name);
		for (int i = 0; i < n; i++)
			big = sizes[i] > big ? sizes[i] : big;
		sum += o->mapped * big;
		char sz[32], times[16] = "";
		hvb_format_size(big, sz, sizeof(sz));
		if (o->mapped > 1)
			snprintf(times, sizeof(times), "%u x ", o->mapped);
		if (off < len)
			off += (size_t)snprintf(what + off, len - off, "%s%s%s %s", off ? " + " : "", times, o->name, sz);
	}
	return sum;
}

/* Native agents map their workload's buffers during their turn only: what must
 * fit is the largest turn, one cell's guests running together. */
static int native_turn_memory(const struct hvb_experiment *ex, const struct hvb_backend_ops *be,
			      const unsigned char *runs, const struct hvb_host_memory *host, char *msg, size_t len)
{
	const struct hvb_cell *big = NULL;
	uint64_t need = 0;
	char what[256] = "", w[256];

	for (size_t i = 0; i < ex->ncells; i++) {
		const struct hvb_cell *c = &ex->cells[i];
		uint64_t one;
		if (strcmp(c->backend, be->name) || (runs && !runs[i]) || !c->wl)
			continue;
		one = (uint64_t)(c->guests > 1 ? c->guests : 1) * params_mapped(c->wl->options, &c->params, w, sizeof(w));
		if (!big || one > need)
			big = c, need = one, snprintf(what, sizeof(what), "%s", w);
	}
	if (!big || !need) {
		snprintf(msg, len, "%s: its agents map no sized buffer of their workloads: nothing to fit", be->name);
		return 0;
	}
	snprintf(msg, len, "%s: the largest turn, [%s] cell %d, runs %d agent%s of %s that map %s each: %llu MiB at once",
		 ex->path, big->section, big->idx, big->guests > 1 ? big->guests : 1, big->guests > 1 ? "s" : "",
		 big->wl->name, what, mib(need));
	return fits(need, host, be->name, "One cell's guests run its workload together: use fewer guests or smaller "
			"sizes", msg, len);
}

int hvb_turns_memory(const struct hvb_experiment *ex, const struct hvb_backend_ops *be, const unsigned char *runs,
		     const struct hvb_host_memory *host, char *msg, size_t len)
{
	uint64_t need = 0;
	int guests = 0;
	size_t off;
	char secs[1024] = "";

	/* Each section's share, sections in the plan's order: what to cut when it does not fit. */
	for (size_t i = 0; i < ex->ncells; i++) {
		const struct hvb_cell *c = &ex->cells[i];
		uint64_t sneed = 0;
		int sg = 0, first = 1;
		if (strcmp(c->backend, be->name) || (runs && !runs[i]))
			continue;
		for (size_t j = 0; j < i && first; j++)
			first = strcmp(ex->cells[j].section, c->section) || strcmp(ex->cells[j].backend, be->name) ||
				(runs && !runs[j]);
		if (!first)
			continue;
		for (size_t j = i; j < ex->ncells; j++) {
			const struct hvb_cell *d = &ex->cells[j];
			int ng = d->guests > 1 ? d->guests : 1;
			if (strcmp(d->backend, be->name) || strcmp(d->section, c->section) || (runs && !runs[j]))
				continue;
			sneed += (uint64_t)ng * be->footprint(d->mode, d->vcpus, d->memory, d->antagonists);
			sg += ng;
		}
		off = strlen(secs);
		snprintf(secs + off, sizeof(secs) - off, "%s[%s] %d guest%s, %llu MiB", off ? "; " : "", c->section, sg,
			 sg == 1 ? "" : "s", mib(sneed));
		need += sneed;
		guests += sg;
	}
	snprintf(msg, len, "%s: the %d %s guest%s that live together need %llu MiB (%s)", ex->path, guests, be->name,
		 guests == 1 ? "" : "s", mib(need), secs);
	return fits(need, host, be->name, "[experiment] order = interleaved keeps the guests of every cell alive at "
			"once: use order = sequential, fewer cells or less memory (or free memory: hvbench cleanup "
			"destroys guests that killed runs left)", msg, len);
}

int hvb_turns_check(const struct hvb_experiment *ex, char *report, size_t len)
{
	unsigned char *runs = calloc(ex->ncells ? ex->ncells : 1, 1);
	int rc = 0;

	if (!runs)
		return HVB_ENOMEM;
	report[0] = 0;
	for (size_t b = 0; hvb_backends[b] && rc == 0; b++) {
		const struct hvb_backend_ops *be = hvb_backends[b];
		char line[2048] = "", why[512] = "", skip_why[512] = "";
		size_t used = 0, nrun = 0, off = strlen(report);
		struct hvb_host_memory host;
		for (size_t i = 0; i < ex->ncells; i++) {
			if (strcmp(ex->cells[i].backend, be->name))
				continue;
			used++;
			/* the same mode asked again answers the same: asked once */
			runs[i] = 2;
			for (size_t j = 0; j < i && runs[i] == 2; j++)
				if (!strcmp(ex->cells[j].backend, be->name) && !strcmp(ex->cells[j].mode, ex->cells[i].mode))
					runs[i] = runs[j];
			if (runs[i] == 2)
				runs[i] = (unsigned char)!!be->supported(ex->cells[i].mode, why, sizeof(why));
			if (!runs[i] && !skip_why[0])
				snprintf(skip_why, sizeof(skip_why), "%s", why);
			nrun += runs[i];
		}
		if (!used)
			continue;
		if (!nrun)
			snprintf(line, sizeof(line), "%s: no cell of it runs here (%s): nothing to fit", be->name, skip_why);
		else if (!be->memory || be->memory(&host, why, sizeof(why)) < 0) {
			if (!be->footprint) /* native agents hold nothing between turns: said, not refused */
				snprintf(line, sizeof(line), "%s: one turn's buffers not checked against the host's memory: %s",
					 be->name, be->memory ? why : "the backend cannot say");
			else {
				snprintf(line, sizeof(line), "%s: [experiment] order = interleaved keeps the guests of every "
					 "cell alive at once, and the host's free memory cannot be read to check that they "
					 "fit: %s", ex->path, be->memory ? why : "the backend cannot say");
				rc = HVB_EINVAL;
			}
		} else if (!be->footprint)
			rc = native_turn_memory(ex, be, runs, &host, line, sizeof(line));
		else
			rc = hvb_turns_memory(ex, be, runs, &host, line, sizeof(line));
		if (nrun && nrun < used) {
			size_t n = strlen(line);
			snprintf(line + n, sizeof(line) - n, "; %zu cell%s that will be skipped left out", used - nrun,
				 used - nrun == 1 ? "" : "s");
		}
		snprintf(report + off, len - off, "%s%s", off ? "\n" : "", line);
	}
	free(runs);
	return rc;
}
