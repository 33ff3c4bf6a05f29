/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Markdown (GitHub/GitLab flavour), fit for a merge-request comment: every
 * text goes through the Markdown escaping (results/escape.c), so that labels,
 * metric names and reasons cannot open links, images, emphasis, HTML or table
 * cells. */
#include "config.h"
#include <string.h>
#include "analysis/format-internal.h"

static void md_text(FILE *f, const char *s)
{
	hvb_esc_write(f, s, HVB_ESC_MD);
}

static void m_begin(FILE *f, const struct hvb_report *r) {}
static void m_end(FILE *f, const struct hvb_report *r) {}

static void m_heading(FILE *f, int level, const char *text)
{
	fprintf(f, "\n%.*s ", level, "####");
	md_text(f, text);
	fputs("\n\n", f);
}

static void m_para(FILE *f, const char *text)
{
	md_text(f, text);
	fputs("\n\n", f);
}

static void m_banner(FILE *f, const char *text)
{
	fputs("> **", f);
	md_text(f, text);
	fputs("**\n\n", f);
}

static void m_row(FILE *f, const char *const *cells, size_t n, const char *cls)
{
	int bold = cls && (!strcmp(cls, "worse") || !strcmp(cls, "failed"));

	fputc('|', f);
	for (size_t i = 0; i < n; i++) {
		fputs(bold && i == n - 1 ? " **" : " ", f);
		md_text(f, cells[i]);
		fputs(bold && i == n - 1 ? "** |" : " |", f);
	}
	fputc('\n', f);
}

static void m_table_begin(FILE *f, const char *const *head, size_t n)
{
	m_row(f, head, n, "");
	fputc('|', f);
	for (size_t i = 0; i < n; i++)
		fputs(" --- |", f);
	fputc('\n', f);
}

static void m_table_end(FILE *f) { fputc('\n', f); }

static const struct hvb_doc_ops md_doc = {
	.begin = m_begin,
	.end = m_end,
	.heading = m_heading,
	.para = m_para,
	.banner = m_banner,
	.table_begin = m_table_begin,
	.row = m_row,
	.table_end = m_table_end,
};

static int md_write(const struct hvb_report *r, FILE *out) { return hvb_doc_write(r, &md_doc, out); }

const struct hvb_format_ops hvb_format_md = {
	.name = "md",
	.summary = "Markdown, fit for a merge-request comment",
	.write = md_write,
};
