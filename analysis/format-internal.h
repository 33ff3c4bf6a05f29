/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the report formats only: the walk over a report (format.c) calls a
 * format's document operations, so that text, Markdown and HTML say the same
 * things in the same order and differ only in how they look. */
#ifndef HVB_FORMAT_INTERNAL_H
#define HVB_FORMAT_INTERNAL_H
#include "analysis/analysis.h"

struct hvb_doc_ops {
	void (*begin)(FILE *f, const struct hvb_report *r);
	void (*end)(FILE *f, const struct hvb_report *r);
	void (*heading)(FILE *f, int level, const char *text);
	void (*para)(FILE *f, const char *text);
	void (*banner)(FILE *f, const char *text); /* the LAB warning, the gate's decision */
	void (*table_begin)(FILE *f, const char *const *head, size_t n);
	/* cls: a verdict name ("worse") or "" */
	void (*row)(FILE *f, const char *const *cells, size_t n, const char *cls);
	void (*table_end)(FILE *f);
	/* After the tables of one group of comparisons sharing their baseline (plots). */
	void (*group_end)(FILE *f, const struct hvb_section *sec, const struct hvb_cmp *cmps, size_t n);
	/* Before the sections: what the whole report shows at once (the forest plot); may be NULL. */
	void (*overview)(FILE *f, const struct hvb_report *r);
	/* After the table of one mode answer: its metric against vCPUs (plots); may be NULL. */
	void (*answer_end)(FILE *f, const struct hvb_mode_answer *a);
	/* After the NUMA part: each cell's convergence over time (plots); may be NULL. */
	void (*convergence)(FILE *f, const struct hvb_report *r);
};
int hvb_doc_write(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *out);
/* The backend-cost section (format-cost.c): one table per direction and cell. */
void hvb_cost_part(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *f);
/* The spinlock section (format-spin.c): pvspin on/off x overcommit per mode and cell. */
void hvb_spin_part(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *f);
/* The report's randomised-against-optimised placement part (format-numa.c). */
void hvb_numa_part(const struct hvb_report *r, const struct hvb_doc_ops *d, FILE *f);
/* The judged metric names of a group, in order (caller frees the array). */
size_t hvb_group_metrics(const struct hvb_cmp *cmps, size_t n, const char ***names);
#endif
