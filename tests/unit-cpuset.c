/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CPU lists (hv/cpuset.c, over hwloc's bitmaps): what the kernel writes is read
 * as written, and what could be read two ways is refused (hwloc's own reader
 * takes 010 as octal, 0x10 as hex and "3-" as "3 and every CPU above"). */
#include "config.h"
#include "hv/hv.h"
#include "tests/check.h"

static const char *fmt(const char *list)
{
	static char buf[256];
	struct hvb_cpuset s;

	if (hvb_cpuset_parse(list, &s) < 0)
		return "refused";
	hvb_cpuset_format(&s, buf, sizeof(buf));
	return buf;
}

int main(void)
{
	struct hvb_cpuset s;

	/* sysfs and /proc/PID/status forms, with their newline */
	CHECK(!strcmp(fmt("0-3,8,10-11\n"), "0-3,8,10-11"));
	CHECK(!strcmp(fmt("0,1,2,3"), "0-3"));
	CHECK(!strcmp(fmt("5"), "5"));
	CHECK(!strcmp(fmt(""), "none"));
	CHECK(!strcmp(fmt("\n"), "none"));
	CHECK(hvb_cpuset_parse("0-3,8,10-11", &s) == 0 && hvb_cpuset_count(&s) == 7);
	CHECK(hvb_cpuset_parse("1023", &s) == 0 && hvb_cpuset_has(&s, 1023) && hvb_cpuset_count(&s) == 1);
	/* read two ways, or not a list: refused */
	const char *bad[] = { "010", "0x10", "3-", "-3", "3-1", "1x2", "1 2", "1,,2", "01-3", "2-03", "x",
			      "4096", "0-4096", "1-2-3", "+1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcmp(fmt(bad[i]), "refused")) {
			fprintf(stderr, "'%s' was read as %s\n", bad[i], fmt(bad[i]));
			check_failures++;
		}
	return CHECK_DONE();
}
