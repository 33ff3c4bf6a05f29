/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CPU sets and node sets as the kernel's list syntax ("0-3,8"), through hwloc's
 * bitmaps (hwloc_bitmap_list_sscanf, hwloc_bitmap_list_asprintf). */
#include "config.h"
#include <ctype.h>
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hv/hv.h"

int hvb_cpuset_count(const struct hvb_cpuset *s)
{
	int n = 0;
	for (size_t i = 0; i < HVB_MAX_CPUS / 64; i++)
		n += __builtin_popcountll(s->bits[i]);
	return n;
}

int hvb_cpuset_equal(const struct hvb_cpuset *a, const struct hvb_cpuset *b)
{
	return !memcmp(a->bits, b->bits, sizeof(a->bits));
}

void hvb_cpuset_format(const struct hvb_cpuset *s, char *buf, size_t len)
{
	hwloc_bitmap_t b = hwloc_bitmap_alloc();
	char *list = NULL;

	for (int i = 0; b && i < HVB_MAX_CPUS; i++)
		if (hvb_cpuset_has(s, i))
			hwloc_bitmap_set(b, (unsigned)i);
	if (b && hwloc_bitmap_iszero(b))
		snprintf(buf, len, "none");
	else if (b && hwloc_bitmap_list_asprintf(&list, b) >= 0)
		snprintf(buf, len, "%s", list);
	else
		snprintf(buf, len, "?"); /* no memory */
	free(list);
	hwloc_bitmap_free(b);
}

/* hwloc's list reader reads 010 as octal and 0x10 as hex, "3-" as 3 to
 * infinity, and drops a reversed range or a number it cannot end without a
 * word: the text is checked first (decimal, no leading zeros, ranges in order,
 * below HVB_MAX_CPUS; a sysfs file's newline ends it). Its length, or -1. */
static int list_check(const char *list)
{
	const char *p = list;

	while (*p && *p != '\n') {
		unsigned long a, b;
		char *end;
		if (!isdigit((unsigned char)*p) || (*p == '0' && isdigit((unsigned char)p[1])))
			return -1;
		a = b = strtoul(p, &end, 10);
		if (*(p = end) == '-') {
			if (!isdigit((unsigned char)p[1]) || (p[1] == '0' && isdigit((unsigned char)p[2])))
				return -1;
			b = strtoul(p + 1, &end, 10);
			p = end;
		}
		if (b < a || b >= HVB_MAX_CPUS)
			return -1;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -1;
	}
	return (int)(p - list);
}

int hvb_cpuset_parse(const char *list, struct hvb_cpuset *out)
{
	int len = list_check(list), rc = HVB_EINVAL;
	hwloc_bitmap_t b;
	char *text;
	int i;

	memset(out, 0, sizeof(*out));
	if (len < 0)
		return HVB_EINVAL;
	if (!(text = strndup(list, (size_t)len)) || !(b = hwloc_bitmap_alloc())) {
		free(text);
		return HVB_ENOMEM;
	}
	if (hwloc_bitmap_list_sscanf(b, text) == 0 && hwloc_bitmap_last(b) < HVB_MAX_CPUS) {
		hwloc_bitmap_foreach_begin(i, b)
			hvb_cpuset_set(out, i);
		hwloc_bitmap_foreach_end();
		rc = 0;
	}
	hwloc_bitmap_free(b);
	free(text);
	return rc;
}

_Static_assert(HVB_MAX_NODES <= HVB_MAX_CPUS, "node sets are CPU sets");

int hvb_nodeset_first(const hvb_nodeset *s)
{
	for (size_t w = 0; w < HVB_MAX_CPUS / 64; w++)
		if (s->bits[w])
			return (int)(w * 64) + __builtin_ctzll(s->bits[w]);
	return -1;
}
