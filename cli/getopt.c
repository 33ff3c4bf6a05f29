/* SPDX-License-Identifier: GPL-2.0-or-later */
/* getopt_long for every command, refusing a single-value option given twice:
 * with getopt alone the last one wins without a word (run --shard 1/2 --shard 2/2
 * ran shard 2 only; gate --baseline 1 --baseline 3 gated run 3). */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

/* The options given so far in one parse (of one argv, optind never going back). */
static struct {
	char **argv;
	int optind;
	int seen[64];
	size_t n;
} parse;

static int takes_value(int c, int li, const char *shortopts, const struct option *longopts)
{
	const char *p;

	if (li >= 0)
		return longopts[li].has_arg == required_argument;
	p = c > 0 && c < 256 && c != ':' ? strchr(shortopts, c) : NULL;
	return p && p[1] == ':' && p[2] != ':';
}

/* "--name" of the option that returns c, else "-c". */
static void option_name(int c, const struct option *longopts, char *buf, size_t len)
{
	for (const struct option *o = longopts; o && o->name; o++)
		if (!o->flag && o->val == c) {
			snprintf(buf, len, "--%s", o->name);
			return;
		}
	snprintf(buf, len, "-%c", c);
}

int hvb_cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts,
		   const char *repeat)
{
	int li = -1, c;

	if (argv != parse.argv || optind < parse.optind) { /* a new parse */
		parse.argv = argv;
		parse.n = 0;
	}
	c = getopt_long(argc, argv, shortopts, longopts, &li);
	parse.optind = optind;
	if (c <= 0 || c == '?' || c == ':' || !takes_value(c, li, shortopts, longopts) ||
	    (c < 256 && repeat && strchr(repeat, c)))
		return c;
	for (size_t i = 0; i < parse.n; i++)
		if (parse.seen[i] == c) {
			char name[64];
			option_name(c, longopts, name, sizeof(name));
			fprintf(stderr, "hvbench %s: %s given twice\n", cmd, name);
			return '?';
		}
	if (parse.n < sizeof(parse.seen) / sizeof(parse.seen[0]))
		parse.seen[parse.n++] = c;
	return c;
}
