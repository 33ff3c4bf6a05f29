/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text for a person at a terminal: figures in scaled units (ns -> µs -> ms -> s,
 * bytes -> KiB -> MiB -> GiB, counts and rates k, M, G) with the same number of
 * significant digits everywhere, metric names in the order of the sizes they
 * carry (lat_ns.16K before lat_ns.1M), and tables and paragraphs that fit a
 * given width, wrapping what does not fit. Every text is escaped for the
 * terminal (results/escape.c) as it enters a table. */
#include "config.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "results/results.h"

/* ---- units ---- */
struct family {
	const char *unit; /* as metrics carry it */
	int kind;         /* 0 time, 1 bytes */
	double base;      /* the unit in seconds or bytes */
};
static const struct family families[] = {
	{ "ns", 0, 1e-9 }, { "us", 0, 1e-6 }, { "µs", 0, 1e-6 }, { "ms", 0, 1e-3 }, { "s", 0, 1 },
	{ "bytes", 1, 1 }, { "B", 1, 1 }, { "KiB", 1, 1024.0 }, { "MiB", 1, 1048576.0 }, { "GiB", 1, 1073741824.0 },
};
static const char *const time_units[] = { "ns", "µs", "ms", "s" };
static const double time_base[] = { 1e-9, 1e-6, 1e-3, 1 };
static const char *const byte_units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
static const char *const si_prefix[] = { "", "k", "M", "G", "T" };

void hvb_unit_scale(double ref, const char *unit, struct hvb_scale *sc)
{
	double a = fabs(ref);
	size_t i;

	sc->mul = 1;
	snprintf(sc->unit, sizeof(sc->unit), "%s", unit ? unit : "");
	if (!unit || !isfinite(ref) || ref == 0)
		goto plain;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(unit, families[i].unit))
			break;
	if (i < sizeof(families) / sizeof(families[0]) && families[i].kind == 0) {
		double s = a * families[i].base;
		size_t k = 0;
		while (k + 1 < 4 && s >= time_base[k + 1])
			k++;
		sc->mul = families[i].base / time_base[k];
		snprintf(sc->unit, sizeof(sc->unit), "%s", time_units[k]);
	} else if (i < sizeof(families) / sizeof(families[0])) {
		double b = a * families[i].base, m = 1;
		size_t k = 0;
		while (k + 1 < 5 && b >= 1024 * m) {
			m *= 1024;
			k++;
		}
		sc->mul = families[i].base / m;
		snprintf(sc->unit, sizeof(sc->unit), "%s", byte_units[k]);
	} else if (strcmp(unit, "%") && strcmp(unit, "ratio") && a >= 1e4) {
		/* counts and rates: SI prefixes from ten thousand on (1234 stays 1234) */
		size_t k = 0;
		double m = 1;
		while (k + 1 < 5 && a >= 1000 * m) {
			m *= 1000;
			k++;
		}
		sc->mul = 1 / m;
		snprintf(sc->unit, sizeof(sc->unit), "%s%s%s", si_prefix[k], *unit ? " " : "", unit);
	}
plain:
	/* Four significant digits for the reference: 1.746, 12.27, 582.6, 1024 */
	a *= sc->mul;
	sc->decimals = !isfinite(a) || a == 0 ? 3 : a >= 1000 ? 0 : 3 - (int)floor(log10(a));
	if (sc->decimals < 0)
		sc->decimals = 0;
	if (sc->decimals > 6)
		sc->decimals = 6;
}

void hvb_unit_fmt(double v, const struct hvb_scale *sc, char *buf, size_t len)
{
	double x = v * sc->mul;

	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (x != 0 && (fabs(x) >= 1e9 || fabs(x) < 1e-6))
		snprintf(buf, len, "%.3e", x);
	else
		snprintf(buf, len, "%.*f", sc->decimals, x);
}

/* ---- metric names in the order of the sizes they carry ---- */
/* A number with an optional size suffix (K M G T, binary; then i, B) in
 * s[0..n): its value and length; 0 when s does not begin with a digit. Read by
 * hand: SQLite's collation texts are not NUL-terminated. */
static size_t size_at(const char *s, size_t n, double *v)
{
	size_t i = 0;
	double scale = 0.1;
	const char *k;

	if (!n || !isdigit((unsigned char)*s))
		return 0;
	for (*v = 0; i < n && isdigit((unsigned char)s[i]); i++)
		*v = *v * 10 + (s[i] - '0');
	if (i + 1 < n && s[i] == '.' && isdigit((unsigned char)s[i + 1]))
		for (i++; i < n && isdigit((unsigned char)s[i]); i++, scale /= 10)
			*v += (s[i] - '0') * scale;
	if (i < n && s[i] && (k = strchr("KMGT", s[i]))) {
		*v *= pow(1024, (double)(k - "KMGT" + 1));
		i++;
		if (i < n && s[i] == 'i')
			i++;
		if (i < n && s[i] == 'B')
			i++;
	}
	return i;
}

int hvb_name_cmp_n(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;

	while (i < na && j < nb) {
		double va, vb;
		size_t la = size_at(a + i, na - i, &va), lb = size_at(b + j, nb - j, &vb);
		if (la && lb) {
			if (va != vb)
				return va < vb ? -1 : 1;
			/* equal values written two ways (1K, 1024): the text decides */
			int c = memcmp(a + i, b + j, la < lb ? la : lb);
			if (c || la != lb)
				return c ? c : la < lb ? -1 : 1;
			i += la;
			j += lb;
			continue;
		}
		if (a[i] != b[j])
			return (unsigned char)a[i] < (unsigned char)b[j] ? -1 : 1;
		i++;
		j++;
	}
	return (i < na) - (j < nb);
}

int hvb_name_cmp(const char *a, const char *b)
{
	return hvb_name_cmp_n(a, strlen(a), b, strlen(b));
}

/* ---- width-aware text ---- */
/* Columns a UTF-8 text takes (one per code point; escaped text is UTF-8). */
size_t hvb_text_cols(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Bytes of s that fit in cols columns, ending after a space or a comma when
 * one is there (else cut), never inside a code point. */
static size_t fit(const char *s, size_t cols, int *at_space)
{
	size_t b = 0, c = 0, brk = 0;

	*at_space = 0;
	while (s[b] && c < cols) {
		b++;
		while (((unsigned char)s[b] & 0xC0) == 0x80)
			b++;
		c++;
		if (s[b - 1] == ' ' || s[b - 1] == ',')
			brk = b;
	}
	if (!s[b])
		return b;
	if (s[b] == ' ') { /* ends at a word's end */
		*at_space = 1;
		return b;
	}
	return brk > 0 ? brk : b;
}

/* s escaped already */
static void wrap(FILE *f, const char *s, int indent, int hang, int width)
{
	int first = 1;

	do {
		int in = first ? indent : hang, sp;
		size_t room = width - in > 20 ? (size_t)(width - in) : 20, n = fit(s, room, &sp);
		size_t keep = n;
		while (keep > 0 && s[keep - 1] == ' ')
			keep--;
		fprintf(f, "%*s%.*s\n", in, "", (int)keep, s);
		s += n + sp;
		while (*s == ' ')
			s++;
		first = 0;
	} while (*s);
}

void hvb_text_wrap(FILE *f, const char *text, int indent, int hang, int width)
{
	char *t = hvb_esc_dup(text ? text : "", HVB_ESC_TEXT);

	wrap(f, t ? t : "", indent, hang, width);
	free(t);
}

struct hvb_table {
	size_t ncols, nrows;
	char **cells;          /* nrows x ncols; a spanning row has only its first */
	unsigned char *span;
	unsigned char right[HVB_TABLE_MAX_COLS];
};

struct hvb_table *hvb_table_new(size_t ncols)
{
	struct hvb_table *t = calloc(1, sizeof(*t));

	if (t)
		t->ncols = ncols < HVB_TABLE_MAX_COLS ? ncols : HVB_TABLE_MAX_COLS;
	return t;
}

void hvb_table_right(struct hvb_table *t, size_t col)
{
	if (t && col < t->ncols)
		t->right[col] = 1;
}

static int add(struct hvb_table *t, const char *const *cells, size_t n, int span)
{
	char **nc = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(char *));
	unsigned char *ns = realloc(t->span, t->nrows + 1);

	if (nc)
		t->cells = nc;
	if (ns)
		t->span = ns;
	if (!nc || !ns)
		return HVB_ENOMEM;
	for (size_t i = 0; i < t->ncols; i++)
		nc[t->nrows * t->ncols + i] = hvb_esc_dup(i < n && cells[i] ? cells[i] : "", HVB_ESC_TEXT);
	t->span[t->nrows++] = (unsigned char)span;
	return 0;
}

int hvb_table_row(struct hvb_table *t, const char *const *cells, size_t n)
{
	return t ? add(t, cells, n, 0) : HVB_ENOMEM;
}

int hvb_table_span(struct hvb_table *t, const char *text)
{
	return t ? add(t, &text, 1, 1) : HVB_ENOMEM;
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

void hvb_table_print(struct hvb_table *t, FILE *f, int indent, int width)
{
	size_t w[HVB_TABLE_MAX_COLS] = { 0 }, word[HVB_TABLE_MAX_COLS] = { 0 }, total, nc;
	const char *rest[HVB_TABLE_MAX_COLS];

	if (!t || !t->nrows)
		return;
	nc = t->ncols;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < nc && !t->span[r]; c++) {
			size_t l = hvb_text_cols(t->cells[r * nc + c] ? t->cells[r * nc + c] : "");
			if (l > w[c])
				w[c] = l;
			for (const char *p = t->cells[r * nc + c] ? t->cells[r * nc + c] : ""; *p;) {
				size_t n = strcspn(p, " "), k = 0;
				for (size_t i = 0; i < n; i++)
					k += ((unsigned char)p[i] & 0xC0) != 0x80;
				if (k > word[c])
					word[c] = k;
				p += n + (p[n] == ' ');
			}
		}
	/* Too wide: the widest column gives a column at a time, first down to its
	 * longest word (text wraps between words), then down to 6 (words cut). */
	for (int cut = 0; cut < 2; cut++)
		for (;;) {
			size_t widest = nc;
			total = (size_t)indent + 2 * (nc - 1);
			for (size_t c = 0; c < nc; c++) {
				total += w[c];
				if (w[c] > (cut ? 6 : word[c]) && (widest == nc || w[c] > w[widest]))
					widest = c;
			}
			if (width <= 0 || total <= (size_t)width || widest == nc)
				break;
			w[widest]--;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->span[r]) {
			wrap(f, t->cells[r * nc], indent, indent + 4, width);
			continue;
		}
		int more = 1;
		for (size_t c = 0; c < nc; c++)
			rest[c] = t->cells[r * nc + c] ? t->cells[r * nc + c] : "";
		while (more) {
			size_t owed = (size_t)indent; /* spaces not yet written: none trail a line */
			more = 0;
			for (size_t c = 0; c < nc; c++) {
				int sp;
				size_t n = fit(rest[c], w[c], &sp), keep = n, cols;
				while (keep > 0 && rest[c][keep - 1] == ' ')
					keep--;
				char *piece = strndup(rest[c], keep);
				cols = piece ? hvb_text_cols(piece) : 0;
				if (keep) {
					size_t lead = t->right[c] && cols < w[c] ? w[c] - cols : 0;
					pad(f, owed + lead);
					fputs(piece ? piece : "", f);
					owed = (t->right[c] ? 0 : w[c] - cols) + 2;
				} else
					owed += w[c] + 2;
				free(piece);
				rest[c] += n + sp;
				while (*rest[c] == ' ')
					rest[c]++;
				more |= *rest[c] != 0;
			}
			fputc('\n', f);
		}
	}
}

void hvb_table_free(struct hvb_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->span);
	free(t);
}
