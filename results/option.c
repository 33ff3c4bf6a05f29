/* Option tables: value syntax (sizes, times, booleans), checks against a table's
 * limits and choices, and "did you mean" for misspelt names. */
#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "results/results.h"

const struct hvb_option *hvb_option_find(const struct hvb_option *t, const char *name)
{
	for (; t && t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

int hvb_parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		return HVB_EINVAL;
	*out = v;
	return 0;
}

int hvb_parse_size(const char *s, uint64_t *out)
{
	char *end;
	double v;
	uint64_t mul = 1;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0 || !isfinite(v))
		return HVB_EINVAL;
	switch (toupper((unsigned char)*end)) {
	case 'K': mul = 1ULL << 10; end++; break;
	case 'M': mul = 1ULL << 20; end++; break;
	case 'G': mul = 1ULL << 30; end++; break;
	case 'T': mul = 1ULL << 40; end++; break;
	}
	if (mul > 1 && (*end == 'i' || *end == 'I'))
		end++;
	if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end || v * (double)mul > 18e18)
		return HVB_EINVAL;
	*out = (uint64_t)(v * (double)mul + 0.5);
	return 0;
}

int hvb_parse_time(const char *s, double *seconds)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0 || !isfinite(v))
		return HVB_EINVAL;
	if (!*end || !strcmp(end, "s"))
		*seconds = v;
	else if (!strcmp(end, "ms"))
		*seconds = v / 1e3;
	else if (!strcmp(end, "us"))
		*seconds = v / 1e6;
	else if (!strcmp(end, "ns"))
		*seconds = v / 1e9;
	else if (!strcmp(end, "m") || !strcmp(end, "min"))
		*seconds = v * 60;
	else if (!strcmp(end, "h"))
		*seconds = v * 3600;
	else
		return HVB_EINVAL;
	return 0;
}

int hvb_parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "1", "on", "yes", "true" }, *const no[] = { "0", "off", "no", "false" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return HVB_EINVAL;
}

void hvb_format_size(uint64_t b, char *buf, size_t len)
{
	static const char *const sfx[] = { "", "K", "M", "G", "T" };
	int i = 0;

	while (i < 4 && b >= 1024 && b % 1024 == 0) {
		b /= 1024;
		i++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)b, sfx[i]);
}

void hvb_option_expect(const struct hvb_option *o, char *buf, size_t len)
{
	size_t off = 0;

	switch (o->type) {
	case HVB_OPT_ENUM:
		off += snprintf(buf, len, "one of ");
		for (const char *const *c = o->choices; c && *c && off < len; c++)
			off += snprintf(buf + off, len - off, "%s%s", c == o->choices ? "" : ", ", *c);
		break;
	case HVB_OPT_BOOL:
		snprintf(buf, len, "on or off");
		break;
	case HVB_OPT_INT:
		if (o->max > o->min)
			snprintf(buf, len, "an integer in [%.0f, %.0f]", o->min, o->max);
		else
			snprintf(buf, len, "an integer");
		break;
	case HVB_OPT_SIZE:
		snprintf(buf, len, "a size such as 64K, 16M or 1G");
		break;
	case HVB_OPT_TIME:
		snprintf(buf, len, "a time such as 500ms, 2s or 1m");
		break;
	case HVB_OPT_FLOAT:
		if (o->max > o->min)
			snprintf(buf, len, "a number in [%g, %g]", o->min, o->max);
		else
			snprintf(buf, len, "a number");
		break;
	case HVB_OPT_STRING:
		snprintf(buf, len, "text");
		break;
	}
	if (o->flags & HVB_OPT_AUTO) {
		off = strlen(buf);
		snprintf(buf + off, len - off, ", or auto");
	}
}

static int out_of_range(const struct hvb_option *o, double v)
{
	return o->max > o->min && (v < o->min || v > o->max);
}

int hvb_option_check(const struct hvb_option *o, const char *value, char *err, size_t len)
{
	char expect[512];
	int64_t i;
	uint64_t sz;
	double d;
	int b, bad = 0, range = 0;

	if ((o->flags & HVB_OPT_AUTO) && !strcmp(value, "auto"))
		return 0;
	switch (o->type) {
	case HVB_OPT_INT:
		bad = hvb_parse_int(value, &i) < 0;
		range = !bad && out_of_range(o, (double)i);
		break;
	case HVB_OPT_SIZE:
		bad = hvb_parse_size(value, &sz) < 0;
		range = !bad && out_of_range(o, (double)sz);
		break;
	case HVB_OPT_TIME:
		bad = hvb_parse_time(value, &d) < 0;
		range = !bad && out_of_range(o, d);
		break;
	case HVB_OPT_FLOAT: {
		char *end;
		d = strtod(value, &end);
		bad = end == value || *end || !isfinite(d);
		range = !bad && out_of_range(o, d);
		break;
	}
	case HVB_OPT_BOOL:
		bad = hvb_parse_bool(value, &b) < 0;
		break;
	case HVB_OPT_ENUM:
		bad = 1;
		for (const char *const *c = o->choices; c && *c; c++)
			if (!strcmp(*c, value))
				bad = 0;
		if (bad && o->choices) {
			size_t n = 0;
			while (o->choices[n])
				n++;
			const char *dym = hvb_did_you_mean(value, o->choices, n);
			hvb_option_expect(o, expect, sizeof(expect));
			snprintf(err, len, "'%s' is not valid for %s: expected %s%s%s%s", value, o->name, expect,
				 dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "");
			return HVB_EINVAL;
		}
		break;
	case HVB_OPT_STRING:
		break;
	}
	if (bad || range) {
		hvb_option_expect(o, expect, sizeof(expect));
		snprintf(err, len, "'%s' is not valid for %s: expected %s", value, o->name, expect);
		return HVB_EINVAL;
	}
	return 0;
}

int hvb_option_check_value(const struct hvb_option *o, const char *value, char *err, size_t len)
{
	char **w;
	size_t n;
	int rc;

	if (!(o->flags & HVB_OPT_LIST))
		return hvb_option_check(o, value, err, len);
	rc = hvb_split_list(value, &w, &n);
	if (rc < 0)
		return rc;
	if (!n) {
		snprintf(err, len, "%s needs at least one value", o->name);
		rc = HVB_EINVAL;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = hvb_option_check(o, w[i], err, len);
	hvb_words_free(w, n);
	return rc;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

const char *hvb_did_you_mean(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, limit = strlen(word) / 3 + 1;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
		}
	}
	return bestd <= (limit < 3 ? limit : 3) ? best : NULL;
}

const char *hvb_option_suggest(const struct hvb_option *table, const char *name)
{
	const char *names[128];
	size_t n = 0;

	for (const struct hvb_option *o = table; o && o->name && n < 128; o++)
		names[n++] = o->name;
	return hvb_did_you_mean(name, names, n);
}

int hvb_split_list(const char *s, char ***words, size_t *n)
{
	char **w = NULL;
	size_t cnt = 0;
	const char *p = s;

	*words = NULL;
	*n = 0;
	while (*p) {
		const char *start, *end, *comma = strchr(p, ',');
		end = comma ? comma : p + strlen(p);
		start = p;
		while (start < end && isspace((unsigned char)*start))
			start++;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		if (end > start) {
			char **nw = realloc(w, (cnt + 1) * sizeof(*w));
			if (!nw || !(nw[cnt] = strndup(start, (size_t)(end - start)))) {
				hvb_words_free(nw ? nw : w, cnt);
				return HVB_ENOMEM;
			}
			w = nw;
			cnt++;
		}
		p = comma ? comma + 1 : p + strlen(p);
	}
	*words = w;
	*n = cnt;
	return 0;
}

void hvb_words_free(char **words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	free(words);
}
