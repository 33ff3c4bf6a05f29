/* Internal to bench/: what the experiment reader hands to the plan builder. */
#ifndef HVB_EXPERIMENT_INTERNAL_H
#define HVB_EXPERIMENT_INTERNAL_H
#include "bench/bench.h"

/* One "key = value" of the file, with its section and line. */
struct entry {
	char *section, *key, *value;
	int line;
};
int hvb_experiment_build(struct hvb_experiment *ex, const struct entry *e, size_t n, const char *const *sections,
			 const int *section_line, size_t nsections);
#endif
