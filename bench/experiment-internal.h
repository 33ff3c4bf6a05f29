/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to bench/: what the experiment reader hands to the plan builder. */
#ifndef HVB_EXPERIMENT_INTERNAL_H
#define HVB_EXPERIMENT_INTERNAL_H
#include "bench/bench.h"

/* Longest section name + 1: it is copied into each of its cells. */
#define HVB_SECTION_MAX ((int)sizeof(((struct hvb_cell *)0)->section))

/* One "key = value" of the file, with its section and line. */
struct entry {
	char *section, *key, *value;
	int line;
};
/* Logs "FILE:LINE: message" (or "FILE: message" for line 0); returns HVB_EINVAL. */
int hvb_experiment_fail(const char *path, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "FILE:LINE", "FILE" (line 0), or the command-line argument the line was made from. */
void hvb_experiment_where(const char *path, int line, char *buf, size_t len);
/* sections[]: each name once (the reader refuses a second), in order, with its line. */
int hvb_experiment_build(struct hvb_experiment *ex, const struct entry *e, size_t n, const char *const *sections,
			 const int *section_line, size_t nsections);
#endif
