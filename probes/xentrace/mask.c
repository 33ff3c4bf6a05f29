/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* Event masks for xentrace -e from class names ("hvm,sched,pv"), with a did-you-mean. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xentrace.h"

static const struct { const char *name; uint32_t mask; } classes[] = {
	{ "gen", TRC_GEN }, { "sched", TRC_SCHED }, { "dom0op", TRC_DOM0OP }, { "hvm", TRC_HVM },
	{ "mem", TRC_MEM }, { "pv", TRC_PV }, { "shadow", TRC_SHADOW }, { "hw", TRC_HW },
	{ "guest", TRC_GUEST }, { "all", TRC_ALL },
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

int hvb_xt_mask_parse(const char *spec, uint32_t *mask, char *err, size_t errlen)
{
	const char *names[NCLASSES];
	char **words = NULL;
	size_t n = 0;
	uint32_t m = 0;
	int e;

	for (size_t i = 0; i < NCLASSES; i++)
		names[i] = classes[i].name;
	if ((e = hvb_split_list(spec ? spec : "", &words, &n)))
		return e;
	if (n == 0) {
		snprintf(err, errlen, "empty event mask: expected class names (%s, ...) or a hex mask", names[0]);
		hvb_words_free(words, n);
		return HVB_EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *w = words[i];
		size_t k;
		for (k = 0; k < NCLASSES; k++)
			if (!strcmp(w, classes[k].name))
				break;
		if (k < NCLASSES) {
			m |= classes[k].mask;
			continue;
		}
		if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X') && w[2]) {
			char *end;
			unsigned long long v = strtoull(w, &end, 16);
			if (!*end && v <= 0xffffffffull) {
				m |= (uint32_t)v;
				continue;
			}
		}
		const char *dym = hvb_did_you_mean(w, names, NCLASSES);
		snprintf(err, errlen, "unknown trace class '%s'%s%s%s; expected one of gen, sched, dom0op, hvm, "
			 "mem, pv, shadow, hw, guest, all, or a hex mask", w, dym ? " (did you mean '" : "",
			 dym ? dym : "", dym ? "'?)" : "");
		hvb_words_free(words, n);
		return HVB_EINVAL;
	}
	hvb_words_free(words, n);
	*mask = m;
	return 0;
}

void hvb_xt_mask_format(uint32_t mask, char *buf, size_t len)
{
	size_t used = 0;
	uint32_t rest = mask;

	buf[0] = 0;
	if ((mask & TRC_ALL) == TRC_ALL) {
		snprintf(buf, len, "all");
		rest &= ~(uint32_t)TRC_ALL;
	} else {
		for (size_t i = 0; i + 1 < NCLASSES; i++) {
			if ((mask & classes[i].mask) != classes[i].mask)
				continue;
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s", used ? "," : "",
						 classes[i].name);
			rest &= ~classes[i].mask;
			if (used >= len)
				return;
		}
	}
	used = strlen(buf);
	if (rest && used < len)
		snprintf(buf + used, len - used, "%s0x%08x", used ? "," : "", (unsigned)rest);
}
