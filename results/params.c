/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parameter values of one option table, kept as canonical text so that they
 * travel unchanged through the config, the store and the agent protocol. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "results/results.h"

int hvb_params_init(struct hvb_params *p, const struct hvb_option *table)
{
	size_t n = 0;

	while (table && table[n].name)
		n++;
	p->table = table;
	p->n = n;
	p->values = calloc(n ? n : 1, sizeof(char *));
	if (!p->values)
		return HVB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (table[i].def && !(p->values[i] = strdup(table[i].def))) {
			hvb_params_free(p);
			return HVB_ENOMEM;
		}
	return 0;
}

void hvb_params_free(struct hvb_params *p)
{
	for (size_t i = 0; p->values && i < p->n; i++)
		free(p->values[i]);
	free(p->values);
	p->values = NULL;
	p->n = 0;
}

static int index_of(const struct hvb_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->table[i].name, name))
			return (int)i;
	return -1;
}

int hvb_params_set(struct hvb_params *p, const char *name, const char *value, char *err, size_t len)
{
	int i = index_of(p, name), rc;
	char *v, canon[1024];

	if (i < 0) {
		const char *dym = hvb_option_suggest(p->table, name);
		snprintf(err, len, "unknown parameter '%s'%s%s%s", name, dym ? " (did you mean '" : "",
			 dym ? dym : "", dym ? "'?)" : "");
		return HVB_EINVAL;
	}
	rc = hvb_option_check_value(&p->table[i], value, err, len);
	if (rc < 0)
		return rc;
	/* Sizes in one spelling: the value is the cell's key and its stored params. */
	if (p->table[i].type == HVB_OPT_SIZE) {
		if (hvb_option_canonical(&p->table[i], value, canon, sizeof(canon)) < 0) {
			snprintf(err, len, "%s is longer than %zu characters", name, sizeof(canon) - 1);
			return HVB_EINVAL;
		}
		value = canon;
	}
	if (!(v = strdup(value)))
		return HVB_ENOMEM;
	free(p->values[i]);
	p->values[i] = v;
	return 0;
}

/* Accessors are used with names from the caller's own table: a wrong name is a
 * programming error, so it logs and returns a neutral value rather than crash. */
const char *hvb_param_str(const struct hvb_params *p, const char *name)
{
	int i = index_of(p, name);

	if (i < 0 || !p->values[i]) {
		hvb_log(HVB_LOG_ERROR, "internal: parameter '%s' has no value", name);
		return "";
	}
	return p->values[i];
}

int hvb_param_is_auto(const struct hvb_params *p, const char *name)
{
	return !strcmp(hvb_param_str(p, name), "auto");
}

int64_t hvb_param_int(const struct hvb_params *p, const char *name)
{
	int64_t v = 0;

	hvb_parse_int(hvb_param_str(p, name), &v);
	return v;
}

uint64_t hvb_param_size(const struct hvb_params *p, const char *name)
{
	uint64_t v = 0;

	hvb_parse_size(hvb_param_str(p, name), &v);
	return v;
}

double hvb_param_time(const struct hvb_params *p, const char *name)
{
	double v = 0;

	hvb_parse_time(hvb_param_str(p, name), &v);
	return v;
}

double hvb_param_float(const struct hvb_params *p, const char *name)
{
	return strtod(hvb_param_str(p, name), NULL);
}

int hvb_param_bool(const struct hvb_params *p, const char *name)
{
	int v = 0;

	hvb_parse_bool(hvb_param_str(p, name), &v);
	return v;
}

int hvb_param_sizes(const struct hvb_params *p, const char *name, uint64_t *out, int max)
{
	char **w;
	size_t n;
	int rc = hvb_split_list(hvb_param_str(p, name), &w, &n), cnt = 0;

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && cnt < max; i++)
		if (hvb_parse_size(w[i], &out[cnt]) == 0)
			cnt++;
	hvb_words_free(w, n);
	return cnt;
}
