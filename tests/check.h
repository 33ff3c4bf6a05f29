/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A few assertion macros for the C unit tests: a failed check prints where and
 * what, and the test exits 1 at the end. */
#ifndef HVB_TEST_CHECK_H
#define HVB_TEST_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_failures;
#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			check_failures++;                                             \
		}                                                                     \
	} while (0)
#define CHECK_STR_HAS(hay, needle)                                                            \
	do {                                                                                  \
		if (!strstr((hay), (needle))) {                                               \
			fprintf(stderr, "%s:%d: '%s' does not contain '%s'\n", __FILE__, __LINE__, (hay), \
				(needle));                                                    \
			check_failures++;                                                     \
		}                                                                             \
	} while (0)
#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d checks failed\n", check_failures), 1) : 0)
#endif
