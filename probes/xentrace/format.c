/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* One record as one line of text, for "hvbench trace dump". */
#include "config.h"
#include <string.h>
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xt-internal.h"

static size_t put(char *buf, size_t len, size_t at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static size_t put(char *buf, size_t len, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= len)
		return at;
	va_start(ap, fmt);
	n = vsnprintf(buf + at, len - at, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + (size_t)n;
}

static const char *hc_name(uint32_t nr, char *tmp, size_t len)
{
	const char *n = hvb_xt_hypercall_name(nr);
	if (n)
		return n;
	snprintf(tmp, len, "hypercall_%u", (unsigned)nr);
	return tmp;
}

/* The fields of a record whose layout the format table knows, "name=value". */
static size_t put_fields(char *buf, size_t len, size_t at, const struct xt_format *f, const struct hvb_xt_rec *r)
{
	char name[32];

	for (const char *p = f->layout; *p;) {
		const char *colon = strchr(p, ':'), *sp = strchr(p, ' ');
		uint64_t v;
		size_t n = colon ? (size_t)(colon - p) : 0;
		if (!colon || n >= sizeof(name))
			break;
		memcpy(name, p, n);
		name[n] = 0;
		if (strcmp(name, "_") && xt_layout_field(f->layout, r->d, r->nextra, name, &v))
			at = put(buf, len, at, " %s=%#llx", name, (unsigned long long)v);
		p = sp ? sp + 1 : p + strlen(p);
	}
	return at;
}

void hvb_xt_rec_format_v(const struct hvb_xt_rec *r, enum hvb_xt_vendor v, unsigned xen, char *buf, size_t len)
{
	int ambiguous;
	const struct xt_format *f = xt_format_find(r->event, xen, &ambiguous);
	uint32_t ev = r->event, bare = ev & ~(uint32_t)TRC_HVM_NESTEDFLAG;
	char tmp[32];
	size_t at = 0;

	if (f)
		at = put(buf, len, at, "%s", f->name);
	else
		at = put(buf, len, at, "%s.0x%07x", hvb_xt_class_name(hvb_xt_event_class(ev)), (unsigned)ev);
	if (bare == TRC_HVM_SVM_EXIT || bare == TRC_HVM_SVM_EXIT64) /* the record names its vendor */
		v = HVB_XT_VENDOR_SVM;
	else if ((bare == TRC_HVM_VMX_EXIT || bare == TRC_HVM_VMX_EXIT64) && xen >= XT_XEN(4, 19))
		v = HVB_XT_VENDOR_VMX;
	if ((ev & ~0xff0u) == TRC_SCHED_RUNSTATE_CHANGE && r->nextra >= 1)
		at = put(buf, len, at, " d%uv%u %s->%s", (unsigned)(r->d[0] >> 16), (unsigned)(r->d[0] & 0xffff),
			 hvb_xt_runstate_name((ev >> 8) & 0xf), hvb_xt_runstate_name((ev >> 4) & 0xf));
	else if ((ev == TRC_PV_HYPERCALL_V2 || ev == TRC_PV_HYPERCALL_SUBCALL) && r->nextra >= 1)
		at = put(buf, len, at, " %s", hc_name(r->d[0] & ~TRC_PV_HYPERCALL_V2_ARG_MASK, tmp, sizeof(tmp)));
	else if (ev == TRC_HVM_VMMCALL && r->nextra >= 1)
		at = put(buf, len, at, " %s", hc_name(r->d[0], tmp, sizeof(tmp)));
	else if ((bare == TRC_HVM_VMX_EXIT || bare == TRC_HVM_VMX_EXIT64 || bare == TRC_HVM_SVM_EXIT ||
		  bare == TRC_HVM_SVM_EXIT64) && r->nextra >= 2) {
		const char *n = hvb_xt_exit_name(v, r->d[0]);
		int wide = bare == TRC_HVM_VMX_EXIT64 || bare == TRC_HVM_SVM_EXIT64;
		uint64_t rip = wide && r->nextra >= 3 ? (uint64_t)r->d[2] << 32 | r->d[1] : r->d[1];
		at = n ? put(buf, len, at, " %s rip 0x%llx", n, (unsigned long long)rip)
		       : put(buf, len, at, " reason 0x%x rip 0x%llx", (unsigned)r->d[0], (unsigned long long)rip);
	} else if ((ev == TRC_MEM_PAGE_GRANT_MAP || ev == TRC_MEM_PAGE_GRANT_UNMAP ||
		    ev == TRC_MEM_PAGE_GRANT_TRANSFER) && r->nextra >= 1)
		at = put(buf, len, at, " for d%u", (unsigned)(r->d[0] & 0xffff));
	else if (ev == TRC_LOST_RECORDS && r->nextra >= 2)
		at = put(buf, len, at, " lost %u, then d%uv%u", (unsigned)r->d[0], (unsigned)(r->d[1] & 0xffff),
			 (unsigned)(r->d[1] >> 16));
	else if (f && f->layout && ambiguous)
		at = put(buf, len, at, " (layout depends on the Xen version: give --xen-version)");
	else if (f && f->layout)
		at = put_fields(buf, len, at, f, r);
	if (r->nextra) {
		at = put(buf, len, at, " [");
		for (unsigned i = 0; i < r->nextra; i++)
			at = put(buf, len, at, "%s%08x", i ? " " : "", (unsigned)r->d[i]);
		put(buf, len, at, "]");
	}
}

void hvb_xt_rec_format(const struct hvb_xt_rec *r, enum hvb_xt_vendor v, char *buf, size_t len)
{
	hvb_xt_rec_format_v(r, v, 0, buf, len);
}
