/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Builds a large xentrace file from a real one, for the benchmark: the input's windows are
 * repeated, each repetition's TSCs shifted by the input's time span so that time keeps
 * increasing on every pCPU.  Usage: xentrace-bigtrace IN OUT MIB */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t ld32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void st32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

int main(int argc, char **argv)
{
	FILE *in, *out;
	uint8_t *b, *w;
	long len;
	uint64_t lo = UINT64_MAX, hi = 0, span, target, written = 0;

	if (argc != 4 || !(in = fopen(argv[1], "rb")) || !(out = fopen(argv[2], "wb"))) {
		fprintf(stderr, "usage: xentrace-bigtrace IN OUT MIB\n");
		return 2;
	}
	target = strtoull(argv[3], NULL, 10) << 20;
	fseek(in, 0, SEEK_END);
	len = ftell(in);
	rewind(in);
	if (len <= 12 || !(b = malloc((size_t)len)) || !(w = malloc((size_t)len)) ||
	    fread(b, 1, (size_t)len, in) != (size_t)len) {
		fprintf(stderr, "%s: cannot read\n", argv[1]);
		return 1;
	}
	/* Pass 1: check the windows and find the TSC span. */
	for (long off = 0; off + 12 <= len;) {
		long end = off + 12 + (long)ld32(b + off + 8);
		if ((ld32(b + off) & 0x0fffffff) != 0x1f003 || end > len) {
			fprintf(stderr, "%s: byte %ld: not a whole xentrace window\n", argv[1], off);
			return 1;
		}
		for (long r = off + 12; r < end; r += 4 + (ld32(b + r) >> 31) * 8 + 4 * ((ld32(b + r) >> 28) & 7)) {
			if (ld32(b + r) >> 31) {
				uint64_t t = (uint64_t)ld32(b + r + 8) << 32 | ld32(b + r + 4);
				lo = t < lo ? t : lo;
				hi = t > hi ? t : hi;
			}
		}
		off = end;
	}
	span = hi - lo + 1000;
	/* Pass 2..n: copy with shifted TSCs. */
	for (uint64_t rep = 0; written < target; rep++) {
		memcpy(w, b, (size_t)len);
		for (long off = 0; off + 12 <= len;) {
			long end = off + 12 + (long)ld32(w + off + 8);
			for (long r = off + 12; r < end; r += 4 + (ld32(w + r) >> 31) * 8 + 4 * ((ld32(w + r) >> 28) & 7)) {
				if (ld32(w + r) >> 31) {
					uint64_t t = ((uint64_t)ld32(w + r + 8) << 32 | ld32(w + r + 4)) + rep * span;
					st32(w + r + 4, (uint32_t)t);
					st32(w + r + 8, (uint32_t)(t >> 32));
				}
			}
			off = end;
		}
		if (fwrite(w, 1, (size_t)len, out) != (size_t)len) {
			perror(argv[2]);
			return 1;
		}
		written += (uint64_t)len;
	}
	if (fclose(out)) {
		perror(argv[2]);
		return 1;
	}
	printf("%s: %llu bytes, %llu copies of %s\n", argv[2], (unsigned long long)written,
	       (unsigned long long)(written / (uint64_t)len), argv[1]);
	return 0;
}
