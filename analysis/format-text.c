/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Plain text for the terminal: tables are gathered, then printed with their
 * columns aligned. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "analysis/format-internal.h"

#define MAX_COLS 16

static struct {
	size_t ncols, nrows;
	char **cells; /* nrows x ncols, row 0 the header */
} tab;

static void t_begin(FILE *f, const struct hvb_report *r) {}
static void t_end(FILE *f, const struct hvb_report *r) {}

/* Every text is escaped for the terminal: no control character of a label or
 * an agent's message reaches it. */
static void t_heading(FILE *f, int level, const char *text)
{
	const char *mark = level == 1 ? "#" : level == 2 ? "==" : "--";
	fprintf(f, "%s%s ", level < 3 ? "\n" : "", mark);
	hvb_esc_write(f, text, HVB_ESC_TEXT);
	fprintf(f, " %s\n", level < 3 ? mark : "");
}

static void t_para(FILE *f, const char *text)
{
	hvb_esc_write(f, text, HVB_ESC_TEXT);
	fputc('\n', f);
}

static void t_banner(FILE *f, const char *text)
{
	fputs("\n!!! ", f);
	hvb_esc_write(f, text, HVB_ESC_TEXT);
	fputs("\n\n", f);
}

static void add_row(const char *const *cells, size_t n)
{
	char **nc = realloc(tab.cells, (tab.nrows + 1) * tab.ncols * sizeof(char *));

	if (!nc)
		return;
	tab.cells = nc;
	for (size_t i = 0; i < tab.ncols; i++)
		nc[tab.nrows * tab.ncols + i] = hvb_esc_dup(i < n && cells[i] ? cells[i] : "", HVB_ESC_TEXT);
	tab.nrows++;
}

static void t_table_begin(FILE *f, const char *const *head, size_t n)
{
	tab.ncols = n < MAX_COLS ? n : MAX_COLS;
	tab.nrows = 0;
	tab.cells = NULL;
	add_row(head, n);
}

static void t_row(FILE *f, const char *const *cells, size_t n, const char *cls) { add_row(cells, n); }

static void t_table_end(FILE *f)
{
	size_t w[MAX_COLS] = { 0 };

	for (size_t r = 0; r < tab.nrows; r++)
		for (size_t c = 0; c < tab.ncols; c++) {
			const char *s = tab.cells[r * tab.ncols + c];
			size_t l = s ? strlen(s) : 0;
			if (l > w[c])
				w[c] = l;
		}
	for (size_t r = 0; r < tab.nrows; r++) {
		fputs("  ", f);
		for (size_t c = 0; c < tab.ncols; c++) {
			const char *s = tab.cells[r * tab.ncols + c];
			if (c + 1 < tab.ncols)
				fprintf(f, "%-*s  ", (int)w[c], s ? s : "");
			else
				fputs(s ? s : "", f);
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < tab.nrows * tab.ncols; i++)
		free(tab.cells[i]);
	free(tab.cells);
	tab.cells = NULL;
	tab.nrows = 0;
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
