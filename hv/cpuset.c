/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CPU sets and node masks as the kernel's list syntax ("0-3,8"). */
#include "config.h"
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

static void format_bits(int (*has)(const void *, int), const void *set, int max, char *buf, size_t len)
{
	size_t off = 0;
	int first = 1;

	buf[0] = 0;
	for (int i = 0; i < max; i++) {
		int j = i;
		if (!has(set, i))
			continue;
		while (j + 1 < max && has(set, j + 1))
			j++;
		if (off < len)
			off += j > i ? snprintf(buf + off, len - off, "%s%d-%d", first ? "" : ",", i, j)
				     : snprintf(buf + off, len - off, "%s%d", first ? "" : ",", i);
		first = 0;
		i = j;
	}
	if (first)
		snprintf(buf, len, "none");
}

static int cpuset_has(const void *s, int i) { return hvb_cpuset_has(s, i); }
static int mask_has(const void *m, int i) { return (int)((*(const uint64_t *)m >> i) & 1); }

void hvb_cpuset_format(const struct hvb_cpuset *s, char *buf, size_t len)
{
	format_bits(cpuset_has, s, HVB_MAX_CPUS, buf, len);
}

void hvb_nodemask_format(uint64_t mask, char *buf, size_t len) { format_bits(mask_has, &mask, 64, buf, len); }

int hvb_cpuset_parse(const char *list, struct hvb_cpuset *out)
{
	const char *p = list;

	memset(out, 0, sizeof(*out));
	while (*p && *p != '\n') {
		char *end;
		long a = strtol(p, &end, 10), b = a;
		if (end == p || a < 0 || a >= HVB_MAX_CPUS)
			return HVB_EINVAL;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1 || b < a || b >= HVB_MAX_CPUS)
				return HVB_EINVAL;
			p = end;
		}
		for (long i = a; i <= b; i++)
			hvb_cpuset_set(out, (int)i);
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return HVB_EINVAL;
	}
	return 0;
}

_Static_assert(HVB_MAX_NODES <= HVB_MAX_CPUS, "node sets are CPU sets");

int hvb_nodeset_first(const hvb_nodeset *s)
{
	for (size_t w = 0; w < HVB_MAX_CPUS / 64; w++)
		if (s->bits[w])
			return (int)(w * 64) + __builtin_ctzll(s->bits[w]);
	return -1;
}
