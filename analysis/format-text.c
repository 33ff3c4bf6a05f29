/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Plain text for the terminal: tables are gathered, then printed with their
 * columns aligned, tables and paragraphs fitting the report's width. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "analysis/format-internal.h"

static struct hvb_table *tab;
static int width; /* of the report being written */

static void t_begin(FILE *f, const struct hvb_report *r) { width = r->width; }
static void t_end(FILE *f, const struct hvb_report *r) {}

/* Every text is escaped for the terminal (hvb_text_wrap, hvb_table_row): no
 * control character of a label or an agent's message reaches it. */
static void t_heading(FILE *f, int level, const char *text)
{
	const char *mark = level == 1 ? "#" : level == 2 ? "==" : "--";
	size_t n = strlen(text) + 8;
	char *line = malloc(n);

	if (level < 3)
		fputc('\n', f);
	if (line)
		snprintf(line, n, "%s %s%s%s", mark, text, level < 3 ? " " : "", level < 3 ? mark : "");
	hvb_text_wrap(f, line ? line : text, 0, (int)strlen(mark) + 1, width);
	free(line);
}

static void t_para(FILE *f, const char *text) { hvb_text_wrap(f, text, 0, 0, width); }

static void t_banner(FILE *f, const char *text)
{
	fputc('\n', f);
	size_t n = strlen(text) + 8;
	char *line = malloc(n);
	if (line)
		snprintf(line, n, "!!! %s", text);
	hvb_text_wrap(f, line ? line : text, 0, 4, width);
	fputc('\n', f);
	free(line);
}

static void t_table_begin(FILE *f, const char *const *head, size_t n)
{
	hvb_table_free(tab);
	if ((tab = hvb_table_new(n)))
		hvb_table_row(tab, head, n);
}

static void t_row(FILE *f, const char *const *cells, size_t n, const char *cls) { hvb_table_row(tab, cells, n); }

static void t_table_end(FILE *f)
{
	hvb_table_print(tab, f, 2, width);
	hvb_table_free(tab);
	tab = NULL;
}

static const struct hvb_doc_ops text_doc = {
	.begin = t_begin,
	.end = t_end,
	.heading = t_heading,
	.para = t_para,
	.banner = t_banner,
	.table_begin = t_table_begin,
	.row = t_row,
	.table_end = t_table_end,
};

static int text_write(const struct hvb_report *r, FILE *out) { return hvb_doc_write(r, &text_doc, out); }

const struct hvb_format_ops hvb_format_text = {
	.name = "text",
	.summary = "plain text for the terminal, aligned tables",
	.write = text_write,
};
