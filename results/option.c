/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Option tables: value syntax (sizes, times, booleans), checks against a table's
 * limits and choices, and "did you mean" for misspelt names. */
#include "config.h"
#include <ctype.h>
#include <math.h>
#include <stdint.h>
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

/* Numbers in experiment files, option values and the agent protocol are read by
 * these exact integer parsers only: decimal digits, no leading zeros (010 is 8
 * to strtol and 10 to a person: refused rather than guessed), no exponent, no
 * hexadecimal; a minus sign on integers only. Sizes and times may have a
 * decimal fraction (1.5G, 0.5s), scaled digit by digit in integers and rounded
 * half up to a byte or a nanosecond: no floating point on the parse path, so
 * that the result does not depend on the FPU's state. */

/* A decimal integer without leading zeros; *p moves past its digits. */
static int parse_digits(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s) || (s[0] == '0' && isdigit((unsigned char)s[1])))
		return HVB_EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return HVB_EINVAL;
		v = v * 10 + d;
	}
	*p = s;
	*out = v;
	return 0;
}

int hvb_parse_int(const char *s, int64_t *out)
{
	int neg = *s == '-';
	uint64_t v;

	s += neg;
	if (parse_digits(&s, &v) < 0 || *s || v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return HVB_EINVAL;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/* The end of a number "12", "12.375", "12." or ".375", or NULL. */
static const char *number_end(const char *s)
{
	const char *p = s;
	uint64_t whole;

	if (*p != '.' && parse_digits(&p, &whole) < 0)
		return NULL;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
		if (p - s == 1)
			return NULL; /* "." alone */
	}
	return p;
}

/* The number s..end (checked by number_end) times unit, rounded half up. The
 * fraction is multiplied from its last digit to its first, the carry staying
 * below unit: exact for any number of digits, and only the first digit of the
 * product's own fraction is needed for the rounding. */
static int scale(const char *s, const char *end, uint64_t unit, uint64_t *out)
{
	const char *dot = memchr(s, '.', (size_t)(end - s));
	uint64_t whole = 0, carry = 0, first = 0;

	if (s != (dot ? dot : end) && parse_digits(&s, &whole) < 0)
		return HVB_EINVAL;
	for (const char *d = end; dot && d > dot + 1; d--) {
		uint64_t v = (uint64_t)(d[-1] - '0') * unit + carry;
		carry = v / 10;
		first = v % 10;
	}
	carry += first >= 5;
	if (whole > (UINT64_MAX - carry) / unit)
		return HVB_EINVAL;
	*out = whole * unit + carry;
	return 0;
}

int hvb_parse_size(const char *s, uint64_t *out)
{
	const char *end = number_end(s), *p = end;
	uint64_t mul = 1;

	if (!end)
		return HVB_EINVAL;
	switch (toupper((unsigned char)*p)) {
	case 'K': mul = 1ULL << 10; p++; break;
	case 'M': mul = 1ULL << 20; p++; break;
	case 'G': mul = 1ULL << 30; p++; break;
	case 'T': mul = 1ULL << 40; p++; break;
	}
	if (mul > 1 && (*p == 'i' || *p == 'I'))
		p++;
	if (toupper((unsigned char)*p) == 'B')
		p++;
	if (*p)
		return HVB_EINVAL;
	return scale(s, end, mul, out);
}

int hvb_parse_time_ns(const char *s, uint64_t *ns)
{
	static const struct {
		const char *suffix;
		uint64_t ns;
	} units[] = { { "", 1000000000ULL }, { "s", 1000000000ULL }, { "ms", 1000000ULL }, { "us", 1000ULL },
		      { "ns", 1ULL }, { "m", 60000000000ULL }, { "min", 60000000000ULL }, { "h", 3600000000000ULL } };
	const char *end = number_end(s);

	for (size_t i = 0; end && i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].suffix))
			return scale(s, end, units[i].ns, ns);
	return HVB_EINVAL;
}

int hvb_parse_time(const char *s, double *seconds)
{
	uint64_t ns;
	int rc = hvb_parse_time_ns(s, &ns);

	if (rc == 0)
		*seconds = (double)ns / 1e9; /* after the parse: callers count in seconds */
	return rc;
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

void hvb_option_mapped_note(const struct hvb_option *o, char *buf, size_t len)
{
	char n[32] = "";

	if (o->mapped > 1)
		snprintf(n, sizeof(n), " %u times", o->mapped);
	if (o->mapped)
		snprintf(buf, len, "; each agent maps it%s%s for a sample: the native plan of order = interleaved "
			 "checks that one turn's agents fit in MemAvailable", n, o->flags & HVB_OPT_LIST ? " (the largest)" : "");
	else
		buf[0] = 0;
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
		off = (size_t)snprintf(buf, len, "a size such as 64K, 16M or 1G (K, M, G, T: 1024, 1024^2, ... bytes, "
				       "also written k or KiB; KB, MB refused: 1000 to SI)");
		/* The limits too: a size out of range is refused, and must say why. */
		if (o->max > o->min && off < len) {
			char lo[32], hi[32];
			hvb_format_size((uint64_t)o->min, lo, sizeof(lo));
			hvb_format_size((uint64_t)o->max, hi, sizeof(hi));
			snprintf(buf + off, len - off, ", from %s to %s", lo, hi);
		}
		break;
	case HVB_OPT_TIME:
		off = (size_t)snprintf(buf, len, "a time such as 500ms, 2s or 1m");
		if (o->max > o->min && off < len)
			snprintf(buf + off, len - off, ", from %gs to %gs", o->min, o->max);
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

/* "010", "-007", "0x10", "00.5s": a number that strtol or a person could read two ways. */
static int leading_zero(const char *v)
{
	v += *v == '-';
	return v[0] == '0' && (isdigit((unsigned char)v[1]) || v[1] == 'x' || v[1] == 'X');
}

/* "16KB", "4mb": a multiple's letter followed by B alone, which SI reads as
 * powers of 1000; hvb_parse_size still reads it (as 1024) for stored runs and sysfs. */
static int size_si_suffix(const char *v)
{
	const char *end = number_end(v);

	return end && end[0] && strchr("KkMmGgTt", end[0]) && (end[1] == 'B' || end[1] == 'b') && !end[2];
}

int hvb_option_canonical(const struct hvb_option *o, const char *value, char *buf, size_t len)
{
	char **w;
	size_t n, off = 0;
	int rc;

	if (o->type != HVB_OPT_SIZE) {
		if ((size_t)snprintf(buf, len, "%s", value) >= len)
			return HVB_EINVAL;
		return 0;
	}
	if ((rc = hvb_split_list(value, &w, &n)) < 0)
		return rc;
	buf[0] = 0;
	for (size_t i = 0; i < n && off < len; i++) {
		char one[32];
		uint64_t b;
		if ((o->flags & HVB_OPT_AUTO) && !strcmp(w[i], "auto"))
			snprintf(one, sizeof(one), "auto");
		else if (hvb_parse_size(w[i], &b) == 0)
			hvb_format_size(b, one, sizeof(one));
		else
			snprintf(one, sizeof(one), "%.31s", w[i]); /* checked by the caller: cannot happen */
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? "," : "", one);
	}
	hvb_words_free(w, n);
	return off < len ? 0 : HVB_EINVAL;
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
	double d = 0;
	int b, bad = 0, range = 0;

	if ((o->flags & HVB_OPT_AUTO) && !strcmp(value, "auto"))
		return 0;
	if ((o->flags & HVB_OPT_AUTO) && !strcasecmp(value, "auto")) {
		hvb_option_expect(o, expect, sizeof(expect));
		snprintf(err, len, "'%s' is not valid for %s: expected %s (did you mean 'auto'?)", value, o->name, expect);
		return HVB_EINVAL;
	}
	switch (o->type) {
	case HVB_OPT_INT:
		bad = hvb_parse_int(value, &i) < 0;
		range = !bad && out_of_range(o, (double)i);
		break;
	case HVB_OPT_SIZE:
		bad = hvb_parse_size(value, &sz) < 0;
		if (!bad && size_si_suffix(value)) {
			const char *end = number_end(value);
			snprintf(err, len, "'%s' is ambiguous for %s: %.2s is 1000 bytes to SI (and to fio's kb_base=1000, "
				 "iperf3's rates), 1024 to others; write %.*s%c (binary, 1024) or the bytes", value, o->name,
				 end, (int)(end - value), value, toupper((unsigned char)*end));
			return HVB_EINVAL;
		}
		range = !bad && out_of_range(o, (double)sz);
		break;
	case HVB_OPT_TIME:
		bad = hvb_parse_time(value, &d) < 0;
		range = !bad && out_of_range(o, d);
		break;
	case HVB_OPT_FLOAT: {
		char *end;
		d = strtod(value, &end);
		/* strtod's own extras (hex floats, leading spaces, '+') are not the one number syntax. */
		bad = end == value || *end || !isfinite(d) || leading_zero(value) || strpbrk(value, "eE") ||
		      !(isdigit((unsigned char)*value) || *value == '-' || *value == '.');
		range = !bad && out_of_range(o, d);
		break;
	}
	case HVB_OPT_BOOL:
		/* one spelling per value, as the help says: yes or true would be accepted
		 * silently and make a cell key of their own */
		if (strcmp(value, "on") && strcmp(value, "off")) {
			int synonym = hvb_parse_bool(value, &b) == 0;
			hvb_option_expect(o, expect, sizeof(expect));
			snprintf(err, len, "'%s' is not valid for %s: expected %s%s%s%s", value, o->name, expect,
				 synonym ? " (did you mean '" : "", synonym ? (b ? "on" : "off") : "", synonym ? "'?)" : "");
			return HVB_EINVAL;
		}
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
		snprintf(err, len, "'%s' is not valid for %s: expected %s%s", value, o->name, expect,
			 bad && o->type != HVB_OPT_STRING && o->type != HVB_OPT_ENUM && o->type != HVB_OPT_BOOL &&
				 leading_zero(value)
				 ? " (write numbers in decimal, without 0x or leading zeros: 010 could mean 8 or 10)"
				 : "");
		return HVB_EINVAL;
	}
	return 0;
}

/* Two valid words of one option that name the same value. */
static int same_value(const struct hvb_option *o, const char *a, const char *b)
{
	int64_t i, j;
	uint64_t x, y;
	int p, q;

	if ((o->flags & HVB_OPT_AUTO) && (!strcmp(a, "auto") || !strcmp(b, "auto")))
		return !strcmp(a, b);
	switch (o->type) {
	case HVB_OPT_INT:
		return !hvb_parse_int(a, &i) && !hvb_parse_int(b, &j) && i == j;
	case HVB_OPT_SIZE:
		return !hvb_parse_size(a, &x) && !hvb_parse_size(b, &y) && x == y;
	case HVB_OPT_TIME:
		return !hvb_parse_time_ns(a, &x) && !hvb_parse_time_ns(b, &y) && x == y;
	case HVB_OPT_BOOL:
		return !hvb_parse_bool(a, &p) && !hvb_parse_bool(b, &q) && p == q;
	case HVB_OPT_FLOAT:
		return strtod(a, NULL) == strtod(b, NULL);
	default:
		return !strcmp(a, b);
	}
}

int hvb_option_check_distinct(const struct hvb_option *o, char *const *w, size_t n, char *err, size_t len)
{
	for (size_t j = 1; j < n; j++)
		for (size_t i = 0; i < j; i++)
			if (same_value(o, w[i], w[j])) {
				int same = !strcmp(w[i], w[j]);
				snprintf(err, len, "%s: '%s' is given twice%s%s%s", o->name, w[j], same ? "" : " (first as '",
					 same ? "" : w[i], same ? "" : "')");
				return HVB_EINVAL;
			}
	return 0;
}

size_t hvb_list_empty_item(const char *s)
{
	size_t item = 1;

	if (!strchr(s, ','))
		return 0;
	for (const char *p = s;; item++) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		while (n && isspace((unsigned char)*p))
			p++, n--;
		if (!n)
			return item;
		if (!comma)
			return 0;
		p = comma + 1;
	}
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
	} else if (hvb_list_empty_item(value)) {
		snprintf(err, len, "%s: value %zu of the list is empty (two commas, or one at an end)", o->name,
			 hvb_list_empty_item(value));
		rc = HVB_EINVAL;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = hvb_option_check(o, w[i], err, len);
	if (rc == 0 && !(o->flags & HVB_OPT_TUPLE))
		rc = hvb_option_check_distinct(o, w, n, err, len);
	hvb_words_free(w, n);
	return rc;
}

/* Optimal string alignment distance, case-insensitive: insertions, deletions,
 * substitutions and swaps of two neighbours ("rnu" for "run") cost 1. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[64][64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t i = 0; i <= la; i++)
		for (size_t j = 0; j <= lb; j++) {
			size_t best;
			if (!i || !j) {
				d[i][j] = i + j;
				continue;
			}
			best = d[i - 1][j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

/* Close means at most one edit in three letters of the longer word (git's
 * "did you mean" also scales with length): 'foo' is not 'root' (2 of 4), but
 * 'repetitons' is 'repetitions', 'Experiment' 'experiment'. */
const char *hvb_did_you_mean(const char *word, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, bestlen = 0;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, names[i]);
		if (d < bestd) {
			bestd = d;
			best = names[i];
			bestlen = strlen(word) > strlen(names[i]) ? strlen(word) : strlen(names[i]);
		}
	}
	return best && bestd * 3 <= bestlen ? best : NULL;
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
