/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* Memory records: grant map, unmap and transfer, done by the current domain for the domain
 * in the payload.  Grant copy has no record of Xen's own (it shows as grant_table_op with
 * its count, hcargs.c); hvbench's hooks series adds one per batch, by the issuing domain. */
#include "config.h"
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xt-internal.h"

int xt_mem_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r)
{
	struct xt_vcpu *v = xt_current(s, r->cpu);
	int op;

	if (v)
		v->records++;
	if (r->event == TRC_MEM_PAGE_GRANT_COPY) { /* {dom, ops, failed, bytes lo, bytes hi} */
		struct xt_domain *d = r->nextra >= 5 ? xt_domain_get(s, r->d[0] & 0xffff) : NULL;
		if (d) {
			d->copy_batches++;
			d->copy_ops += r->d[1];
			d->copy_failed += r->d[2];
			d->copy_bytes += (uint64_t)r->d[4] << 32 | r->d[3];
		}
		return 0;
	}
	switch (r->event) {
	case TRC_MEM_PAGE_GRANT_MAP: op = XT_GRANT_MAP; break;
	case TRC_MEM_PAGE_GRANT_UNMAP: op = XT_GRANT_UNMAP; break;
	case TRC_MEM_PAGE_GRANT_TRANSFER: op = XT_GRANT_TRANSFER; break;
	default:
		if (v)
			v->d->mem_other++;
		return hvb_xt_event_name(r->event) == NULL;
	}
	if (v)
		v->d->grant_by[op]++;
	if (r->nextra >= 1) {
		struct xt_domain *d = xt_domain_get(s, r->d[0] & 0xffff);
		if (d)
			d->grant_for[op]++;
	}
	return 0;
}
