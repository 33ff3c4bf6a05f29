/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* Hypercall arguments.  Xen's __trace_hypercall (common/trace.c) writes word 0 = the
 * hypercall number with 2-bit presence flags for arguments 0-5 in bits 20-31 (1: one word,
 * 2: two words), then the arguments present.  It records: grant_table_op cmd (arg 0) and
 * count (arg 2); mmu_update, mmuext_op and multicall the count (arg 1); vcpu_op cmd and
 * vcpuid; sched_op cmd; nothing for the other hypercalls.  The same layout serves
 * TRC_PV_HYPERCALL_V2, multicall entries (TRC_PV_HYPERCALL_SUBCALL, every guest type) and
 * the hooks' TRC_HVM_HYPERCALL.
 *
 * Continuations: a preempted mmu_update or mmuext_op is re-entered with the count of what
 * is left or-ed with MMU_UPDATE_PREEMPTED (bit 31): counted as continued, its count not
 * again.  A preempted grant_table_op or multicall is re-entered with the plain count of
 * what is left (a multicall whose entry was preempted, with that entry again), which no
 * record tells from a new batch: grant op counts are what the calls asked for, a preempted
 * batch's remainder twice (the hooks' grant copy record counts the copies each invocation
 * did); multicall entries are counted as they run, from their own records, not from the
 * count asked. */
#include "config.h"
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xt-internal.h"

#define HC_MMU_UPDATE 1
#define HC_MULTICALL 13
#define HC_UPDATE_VA_MAPPING 14
#define HC_GRANT_TABLE_OP 20
#define HC_MMUEXT_OP 26
#define MMU_UPDATE_PREEMPTED 0x80000000u
#define GNTTABOP_CMD_MASK 0xfffu

int xt_hcargs_arg(const struct hvb_xt_rec *r, unsigned i, uint64_t *out)
{
	unsigned word = 1;

	if (r->nextra < 1 || i > 5)
		return 0;
	for (unsigned k = 0; k <= i; k++) {
		unsigned present = (r->d[0] >> (20 + 2 * k)) & 3;
		if (present == 3 || word + present > r->nextra) /* 3 is not a form Xen writes */
			return 0;
		if (k == i) {
			if (present == 1)
				*out = r->d[word];
			else if (present == 2)
				*out = (uint64_t)r->d[word + 1] << 32 | r->d[word];
			return present != 0;
		}
		word += present;
	}
	return 0;
}

const char *xt_gnttabop_name(unsigned cmd)
{
	static const char *const n[XT_NGNTOP] = {
		"map_grant_ref", "unmap_grant_ref", "setup_table", "dump_table", "transfer", "copy", "query_size",
		"unmap_and_replace", "set_version", "get_status_frames", "get_version", "swap_grant_ref",
		"cache_flush",
	};
	return cmd < XT_NGNTOP ? n[cmd] : "other";
}

void xt_hcargs_add(struct xt_hcargs *a, const struct hvb_xt_rec *r, int subcall)
{
	uint32_t op = r->d[0] & ~TRC_PV_HYPERCALL_V2_ARG_MASK;
	uint64_t cmd, count;

	if (subcall)
		a->mc_entries++;

	switch (op) {
	case HC_GRANT_TABLE_OP:
		if (xt_hcargs_arg(r, 0, &cmd) && xt_hcargs_arg(r, 2, &count)) {
			unsigned i = (cmd & GNTTABOP_CMD_MASK) < XT_NGNTOP ? (unsigned)(cmd & GNTTABOP_CMD_MASK) : XT_NGNTOP;
			a->gnt_calls[i]++;
			a->gnt_ops[i] += (uint32_t)count;
		}
		break;
	case HC_MMU_UPDATE:
	case HC_MMUEXT_OP:
		if (xt_hcargs_arg(r, 1, &count)) {
			int mmu = op == HC_MMU_UPDATE, cont = (count & MMU_UPDATE_PREEMPTED) != 0;
			*(mmu ? &a->mmu_calls : &a->mmuext_calls) += 1;
			if (cont)
				*(mmu ? &a->mmu_continued : &a->mmuext_continued) += 1;
			else
				*(mmu ? &a->mmu_updates : &a->mmuext_ops) += (uint32_t)count;
		}
		break;
	case HC_UPDATE_VA_MAPPING:
		a->uva_calls++;
		break;
	case HC_MULTICALL:
		a->mc_calls += !subcall;
		break;
	}
}

void xt_hcargs_sum(struct xt_hcargs *to, const struct xt_hcargs *from)
{
	for (unsigned i = 0; i <= XT_NGNTOP; i++) {
		to->gnt_calls[i] += from->gnt_calls[i];
		to->gnt_ops[i] += from->gnt_ops[i];
	}
	to->mmu_calls += from->mmu_calls;
	to->mmu_updates += from->mmu_updates;
	to->mmu_continued += from->mmu_continued;
	to->mmuext_calls += from->mmuext_calls;
	to->mmuext_ops += from->mmuext_ops;
	to->mmuext_continued += from->mmuext_continued;
	to->uva_calls += from->uva_calls;
	to->mc_calls += from->mc_calls;
	to->mc_entries += from->mc_entries;
	to->hvm_records += from->hvm_records;
	to->noargs += from->noargs;
}
