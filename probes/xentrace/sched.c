/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* Scheduler records: runstate changes give the vCPU current on each pCPU (to attribute
 * every other record), the time per runstate of each vCPU, and wake-up to run latency. */
#include "config.h"
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xt-internal.h"

enum { RS_RUNNING, RS_RUNNABLE, RS_BLOCKED, RS_OFFLINE };

/* An interval from a record on pCPU a to one on pCPU b, one of whose TSCs was corrected
 * for skew: its length is only as good as the correction (a lower bound of the skew). */
static int corrected(const struct hvb_xt_summary *s, uint32_t a, uint32_t b)
{
	return a != b && ((a < s->ntsc_off && s->tsc_off[a]) || (b < s->ntsc_off && s->tsc_off[b]));
}

/* A vCPU's runstate records form one chain (Xen changes them under the scheduler lock).
 * A record whose old state is not the vCPU's, followed on another pCPU by the record that
 * makes the vCPU enter that old state, shows that the first pCPU's TSC is behind. */
static void skew_check(struct hvb_xt_summary *s, struct xt_vcpu *v, const struct hvb_xt_rec *r,
		       unsigned old, unsigned new)
{
	uint64_t d;

	if (v->mis && new == v->mis_old && r->cpu != v->mis_cpu && r->tsc >= v->mis_tsc &&
	    xt_interval(s, v->mis_tsc, r->tsc, v->mis_cpu, r->cpu, &d)) {
		struct xt_skew *k = NULL;
		for (uint32_t i = 0; i < s->nskews; i++)
			if (s->skews[i].behind == v->mis_cpu && s->skews[i].ahead == r->cpu)
				k = &s->skews[i];
		if (!k && s->nskews < XT_MAX_SKEWS) {
			k = &s->skews[s->nskews++];
			*k = (struct xt_skew){ .behind = v->mis_cpu, .ahead = r->cpu };
		}
		if (k && r->tsc - v->mis_tsc >= k->cycles) {
			k->cycles = r->tsc - v->mis_tsc;
			k->dom = v->dom;
			k->vcpu = v->vcpu;
			k->tsc_behind = v->mis_tsc;
			k->tsc_ahead = r->tsc;
		}
		v->mis = 0;
		return;
	}
	v->mis = 0;
	if (v->state >= 0 && (unsigned)v->state != old && old != new) {
		v->mis = 1;
		v->mis_cpu = r->cpu;
		v->mis_old = old;
		v->mis_tsc = r->tsc;
	}
}

static void change(struct hvb_xt_summary *s, const struct hvb_xt_rec *r, unsigned old, unsigned new)
{
	struct xt_vcpu *v = xt_vcpu_get(s, r->d[0] >> 16, r->d[0] & 0xffff);
	struct xt_pcpu *p = xt_pcpu_get(s, r->cpu);
	uint64_t t = r->tsc;

	if (!v || new >= XT_NSTATES)
		return;
	skew_check(s, v, r, old, new);
	if (v->state >= 0 && t >= v->state_tsc && (unsigned)v->state != new) {
		uint64_t d;
		int ok = xt_interval(s, v->state_tsc, t, v->state_cpu, r->cpu, &d);
		v->state_cycles[v->state] += d;
		if (v->first_open) {
			v->first_cycles = d; /* 0 and not ok: its length is unknown */
			v->first_open = 0;
		}
		if (ok && corrected(s, v->state_cpu, r->cpu)) {
			v->skew_cycles += d;
			v->skew_rs_cycles += d;
		}
	}
	if (v->first_state < 0) {
		v->first_state = (int)new;
		v->first_open = 1;
	}
	if ((unsigned)v->state != new || old != new) {
		v->state_count[new]++;
		v->state = (int)new;
		v->state_tsc = t;
		v->state_cpu = r->cpu;
	}
	if (new == RS_RUNNING) {
		uint64_t d;
		if (v->wake_tsc && t >= v->wake_tsc && xt_interval(s, v->wake_tsc, t, v->wake_cpu, r->cpu, &d)) {
			xt_dist_add(&v->wake_lat, d);
			if (corrected(s, v->wake_cpu, r->cpu)) {
				v->skew_cycles += d;
				v->skew_wakeups++;
			}
		}
		v->wake_tsc = 0;
		if (p)
			p->cur = v;
		v->pcpu = r->cpu;
	} else {
		if (old == RS_RUNNING && p && p->cur == v)
			p->cur = NULL;
		/* xenalyze ends an exit when its vCPU is preempted, not when it blocks. */
		if (new == RS_RUNNABLE && v->exit_open)
			xt_hvm_close_exit(s, v, t);
	}
	if (new == RS_RUNNABLE && (old == RS_BLOCKED || old == RS_OFFLINE)) {
		v->wakeups++;
		v->wake_tsc = t;
		v->wake_cpu = r->cpu;
		uint64_t d;
		if (v->poll_block_tsc && t >= v->poll_block_tsc &&
		    xt_interval(s, v->poll_block_tsc, t, v->poll_block_cpu, r->cpu, &d))
			xt_dist_add(&v->spin_wait, d);
		v->poll_block_tsc = 0;
	}
	if (new == RS_BLOCKED) {
		v->wake_tsc = 0;
		v->poll_block_tsc = old == RS_RUNNING && v->poll_pending ? t : 0;
		v->poll_block_cpu = r->cpu;
	}
	v->poll_pending = 0;
}

int xt_interval(struct hvb_xt_summary *s, uint64_t from, uint64_t to, uint32_t cpu_from, uint32_t cpu_to,
		uint64_t *d)
{
	*d = 0;
	if (to < from)
		return 0;
	if (to - from <= XT_TSC_MAX_INTERVAL) {
		*d = to - from;
		return 1;
	}
	if (!s->tsc_jumps++) {
		s->jump_cpu[0] = cpu_from;
		s->jump_cpu[1] = cpu_to;
	}
	return 0;
}

int xt_sched_record(struct hvb_xt_summary *s, const struct hvb_xt_rec *r)
{
	if ((r->event & ~0xff0u) == TRC_SCHED_RUNSTATE_CHANGE) {
		if (r->nextra >= 1)
			change(s, r, (r->event >> 8) & 0xf, (r->event >> 4) & 0xf);
		return 0;
	}
	if (r->event == TRC_SCHED_CONTINUE_RUNNING) {
		if (r->nextra >= 1)
			change(s, r, RS_RUNNING, RS_RUNNING);
		return 0;
	}
	/* Scheduler-specific records (credit, credit2, ...) are known but not analysed. */
	if ((r->event & 0xff000u) == (TRC_SCHED_CLASS & 0xff000u))
		return 0;
	return hvb_xt_event_name(r->event) == NULL;
}

void xt_sched_finish(struct hvb_xt_summary *s)
{
	for (uint32_t i = 0; i < s->vtab_cap; i++) {
		struct xt_vcpu *v = s->vtab[i];
		if (v && v->state >= 0 && s->last_tsc >= v->state_tsc) {
			v->end_state = v->state;
			/* The trace's end is the last record of any pCPU. */
			xt_interval(s, v->state_tsc, s->last_tsc, v->state_cpu, v->state_cpu, &v->end_cycles);
			if (v->first_open)
				v->first_cycles = v->end_cycles;
			v->state_cycles[v->state] += v->end_cycles;
			v->state_tsc = s->last_tsc;
		}
	}
}
