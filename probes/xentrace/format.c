/* One record as one line of text, for "hvbench trace dump". */
#include "config.h"
#include <string.h>
#include "probes/xentrace/xt-trace.h"
#include "probes/xentrace/xentrace.h"

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

void hvb_xt_rec_format(const struct hvb_xt_rec *r, enum hvb_xt_vendor v, char *buf, size_t len)
{
	const char *name = hvb_xt_event_name(r->event);
	uint32_t ev = r->event;
	char tmp[32];
	size_t at = 0;

	if (name)
		at = put(buf, len, at, "%s", name);
	else
		at = put(buf, len, at, "%s.0x%07x", hvb_xt_class_name(hvb_xt_event_class(ev)), (unsigned)ev);
	if ((ev & ~0xff0u) == TRC_SCHED_RUNSTATE_CHANGE && r->nextra >= 1)
		at = put(buf, len, at, " d%uv%u %s->%s", (unsigned)(r->d[0] >> 16), (unsigned)(r->d[0] & 0xffff),
			 hvb_xt_runstate_name((ev >> 8) & 0xf), hvb_xt_runstate_name((ev >> 4) & 0xf));
	else if ((ev == TRC_PV_HYPERCALL_V2 || ev == TRC_PV_HYPERCALL_SUBCALL) && r->nextra >= 1)
		at = put(buf, len, at, " %s", hc_name(r->d[0] & ~TRC_PV_HYPERCALL_V2_ARG_MASK, tmp, sizeof(tmp)));
	else if (ev == TRC_HVM_VMMCALL && r->nextra >= 1)
		at = put(buf, len, at, " %s", hc_name(r->d[0], tmp, sizeof(tmp)));
	else if ((ev == TRC_HVM_VMEXIT || ev == TRC_HVM_VMEXIT64) && r->nextra >= 2) {
		const char *n = hvb_xt_exit_name(v, r->d[0]);
		uint64_t rip = ev == TRC_HVM_VMEXIT64 && r->nextra >= 3 ? (uint64_t)r->d[2] << 32 | r->d[1] : r->d[1];
		at = n ? put(buf, len, at, " %s rip 0x%llx", n, (unsigned long long)rip)
		       : put(buf, len, at, " reason 0x%x rip 0x%llx", (unsigned)r->d[0], (unsigned long long)rip);
	} else if ((ev == TRC_MEM_PAGE_GRANT_MAP || ev == TRC_MEM_PAGE_GRANT_UNMAP ||
		    ev == TRC_MEM_PAGE_GRANT_TRANSFER) && r->nextra >= 1)
		at = put(buf, len, at, " for d%u", (unsigned)(r->d[0] & 0xffff));
	else if (ev == TRC_LOST_RECORDS && r->nextra >= 1)
		at = put(buf, len, at, " lost %u", (unsigned)r->d[0]);
	if (r->nextra) {
		at = put(buf, len, at, " [");
		for (unsigned i = 0; i < r->nextra; i++)
			at = put(buf, len, at, "%s%08x", i ? " " : "", (unsigned)r->d[i]);
		put(buf, len, at, "]");
	}
}
