/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One escaping function per output format, for every string that did not come
 * from hvbench itself (labels, metric names, cell parameters, reasons, host
 * facts, config text, agents' messages). They share one walk over the bytes:
 * UTF-8 is decoded, and a byte that is not part of valid UTF-8 is shown for
 * what it is (text) or replaced by U+FFFD (the formats that must stay valid
 * UTF-8: XML, HTML, SVG, JSON, Markdown, gnuplot scripts). */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "results/results.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* The code point at s (n bytes left), its length in *len; -1 when the bytes
 * there are not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, cut short). */
static long utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	static const unsigned char need[] = { [0xC] = 2, [0xD] = 2, [0xE] = 3, [0xF] = 4 };
	long cp;
	size_t k;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	k = s[0] >= 0xC0 && s[0] <= 0xF4 ? need[s[0] >> 4] : 0;
	if (!k || k > n)
		return -1;
	cp = s[0] & (0x3F >> (k - 1));
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = k;
	return cp;
}

/* C0, DEL, C1, the line and paragraph separators and the bidirectional
 * overrides and isolates (text that reads differently from what it is). */
static int is_control(long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Each writes the escape of one character (cp, or -1 for the invalid byte *b)
 * into out and returns its length; 0 means "the character as it is". */
static size_t esc_text(long cp, const unsigned char *b, int keep_lines, char *out)
{
	if (cp < 0)
		return (size_t)sprintf(out, "\\x%02X", *b);
	if (keep_lines && (cp == '\n' || cp == '\t'))
		return 0;
	if (is_control(cp))
		return (size_t)(cp < 0x80 ? sprintf(out, "\\x%02X", (unsigned)cp) : sprintf(out, "\\u%04lX", cp));
	return 0;
}

/* HTML's and XML's references for the characters that are markup: the one
 * place they are written (Markdown renders HTML, so it uses them too). */
static size_t esc_markup(long cp, char *out)
{
	switch (cp) {
	case '<': return (size_t)sprintf(out, "&lt;");
	case '>': return (size_t)sprintf(out, "&gt;");
	case '&': return (size_t)sprintf(out, "&amp;");
	case '"': return (size_t)sprintf(out, "&quot;");
	case '\'': return (size_t)sprintf(out, "&#39;");
	case '\r': return (size_t)sprintf(out, "&#13;");
	}
	return 0;
}

/* Markdown inline text (GitHub, GitLab): every character that can open markup
 * (links, images, emphasis, code, tables, headings, HTML, math) is escaped, and
 * no line ends inside it. */
static size_t esc_md(long cp, char *out)
{
	if (cp < 0 || (is_control(cp) && cp != '\n' && cp != '\t' && cp != '\r'))
		return (size_t)sprintf(out, REPLACEMENT);
	if (cp == '\n' || cp == '\t' || cp == '\r')
		return (size_t)sprintf(out, " ");
	if (cp == '<' || cp == '>' || cp == '&')
		return esc_markup(cp, out);
	if (cp < 0x80 && strchr("\\`*_[]()!#~|${}", (int)cp))
		return (size_t)sprintf(out, "\\%c", (int)cp);
	return 0;
}

/* XML 1.0 text and attribute values (JUnit, SVG) and HTML: characters XML does
 * not allow, even as references, become U+FFFD. */
static size_t esc_xml(long cp, char *out)
{
	if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF || (is_control(cp) && cp != '\n' && cp != '\t' && cp != '\r'))
		return (size_t)sprintf(out, REPLACEMENT);
	return esc_markup(cp, out);
}

/* Inside a single-quoted gnuplot string (no escapes are processed there; the
 * terminal is noenhanced, so ^ _ @ & { } are plain): the quote is doubled, a
 * control character could end the command. gnuplot's SVG terminal escapes <
 * and & but not >, and "]]>" may not appear in XML text: > is shown as the
 * nearest character that is not markup, U+203A. */
static size_t esc_gnuplot(long cp, char *out)
{
	if (cp < 0)
		return (size_t)sprintf(out, REPLACEMENT);
	if (is_control(cp))
		return (size_t)sprintf(out, " ");
	if (cp == '\'')
		return (size_t)sprintf(out, "''");
	if (cp == '>')
		return (size_t)sprintf(out, "\xE2\x80\xBA");
	return 0;
}

static size_t esc_one(enum hvb_esc kind, long cp, const unsigned char *b, char *out)
{
	switch (kind) {
	case HVB_ESC_TEXT: return esc_text(cp, b, 0, out);
	case HVB_ESC_LOG: return esc_text(cp, b, 1, out);
	case HVB_ESC_MD: return esc_md(cp, out);
	case HVB_ESC_XML: return esc_xml(cp, out);
	case HVB_ESC_GNUPLOT: return esc_gnuplot(cp, out);
	case HVB_ESC_UTF8: return cp < 0 ? (size_t)sprintf(out, REPLACEMENT) : 0;
	}
	return 0;
}

/* The walk: calls put for each piece of the escaped text; stops when put
 * returns < 0 (the buffer is full), never inside a character or an escape. */
static void walk(const char *s, enum hvb_esc kind, int (*put)(const char *p, size_t n, void *arg), void *arg)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = s ? strlen(s) : 0, len, n;
	char out[16];

	while (left) {
		long cp = utf8_next(p, left, &len);
		n = esc_one(kind, cp, p, out);
		if ((n ? put(out, n, arg) : put((const char *)p, len, arg)) < 0)
			return;
		p += len;
		left -= len;
	}
}

static int put_file(const char *p, size_t n, void *arg)
{
	return fwrite(p, 1, n, arg) == n ? 0 : -1;
}

void hvb_esc_write(FILE *out, const char *s, enum hvb_esc kind)
{
	walk(s, kind, put_file, out);
}

struct sink {
	char *buf;
	size_t len, used;
	int grow; /* a heap buffer that grows, else a fixed one that truncates */
};

static int put_buf(const char *p, size_t n, void *arg)
{
	struct sink *k = arg;

	if (k->used + n + 1 > k->len) {
		char *nb;
		if (!k->grow || !(nb = realloc(k->buf, (k->used + n + 1) * 2)))
			return -1;
		k->buf = nb;
		k->len = (k->used + n + 1) * 2;
	}
	memcpy(k->buf + k->used, p, n);
	k->used += n;
	k->buf[k->used] = 0;
	return 0;
}

char *hvb_esc_buf(const char *s, enum hvb_esc kind, char *buf, size_t len)
{
	struct sink k = { buf, len, 0, 0 };

	if (len)
		buf[0] = 0;
	walk(s, kind, put_buf, &k);
	return buf;
}

char *hvb_esc_dup(const char *s, enum hvb_esc kind)
{
	struct sink k = { calloc(1, 16), 16, 0, 1 };

	if (k.buf)
		walk(s, kind, put_buf, &k);
	return k.buf;
}
