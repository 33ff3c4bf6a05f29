/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* The summary as text, rendered from its JSON form so the two never disagree. */
#include "config.h"
#include <string.h>
#include "probes/xentrace/xentrace.h"

static json_int_t geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* "1.234 s" when the CPU frequency is known, else "123456789 cyc". */
static void fmt_time(char *buf, size_t len, json_t *o, const char *cycles_key)
{
	json_t *sec = json_object_get(o, "seconds");

	if (sec)
		snprintf(buf, len, "%.3f s", json_real_value(sec));
	else if (json_is_null(json_object_get(o, cycles_key)))
		snprintf(buf, len, "an unknown time (TSC jumps)");
	else
		snprintf(buf, len, "%lld cyc", (long long)geti(o, cycles_key));
}

static void write_volume(FILE *f, json_t *classes, const char *indent)
{
	const char *k;
	json_t *v;

	json_object_foreach(classes, k, v)
		fprintf(f, "%s%-7s %12lld records %14lld bytes\n", indent, k, (long long)geti(v, "records"),
			(long long)geti(v, "bytes"));
}

static void write_calls(FILE *f, const char *title, json_t *a)
{
	size_t i;
	json_t *h;

	if (!json_array_size(a))
		return;
	fprintf(f, "    %s:\n", title);
	json_array_foreach(a, i, h) {
		json_t *sub = json_object_get(h, "subcalls");
		fprintf(f, "      %-28s %10lld", json_string_value(json_object_get(h, "name")),
			(long long)geti(h, "count"));
		if (sub && json_integer_value(sub))
			fprintf(f, "  (%lld in multicalls)", (long long)json_integer_value(sub));
		fputc('\n', f);
	}
}

static void write_dist(FILE *f, const char *label, json_t *d)
{
	char t[32];

	fmt_time(t, sizeof(t), d, "cycles");
	fprintf(f, "    %-26s %8lld  total %-14s p50 %10lld cyc  p95 %10lld cyc%s\n", label,
		(long long)geti(d, "count"), t, (long long)geti(d, "p50"), (long long)geti(d, "p95"),
		json_is_true(json_object_get(d, "exact")) ? "" : " (histogram)");
}

/* What the hypercall records' arguments said, when they said anything. */
static void write_args(FILE *f, json_t *a)
{
	json_t *g = json_object_get(a, "grant_table_op"), *x, *mmu = json_object_get(a, "mmu_update"),
	       *ext = json_object_get(a, "mmuext_op"), *mc = json_object_get(a, "multicall");
	const char *k;

	if (json_object_size(g)) {
		fprintf(f, "    grant_table_op:");
		json_object_foreach(g, k, x)
			fprintf(f, " %s %lld calls %lld ops", k, (long long)geti(x, "calls"), (long long)geti(x, "ops"));
		fputc('\n', f);
	}
	if (geti(mmu, "calls") || geti(ext, "calls") || geti(a, "update_va_mapping") || geti(mc, "calls"))
		fprintf(f, "    page tables: mmu_update %lld updates (%lld continued calls), mmuext_op %lld ops (%lld "
			"continued), update_va_mapping %lld; multicall %lld entries in %lld calls\n",
			(long long)geti(mmu, "updates"), (long long)geti(mmu, "continued"), (long long)geti(ext, "ops"),
			(long long)geti(ext, "continued"), (long long)geti(a, "update_va_mapping"),
			(long long)geti(mc, "entries"), (long long)geti(mc, "calls"));
}

static void write_vcpu(FILE *f, json_t *v)
{
	json_t *rs = json_object_get(v, "runstates"), *x, *spin = json_object_get(v, "spinlock");
	const char *k;
	size_t i;

	fprintf(f, "  vcpu %lld: %lld records\n", (long long)geti(v, "vcpu"), (long long)geti(v, "records"));
	fprintf(f, "    runstates:");
	json_object_foreach(rs, k, x) {
		char t[32];
		fmt_time(t, sizeof(t), x, "cycles");
		fprintf(f, " %s %s (%lld)", k, t, (long long)geti(x, "count"));
	}
	fputc('\n', f);
	if (geti(v, "tsc_skew_uncertain_cycles"))
		fprintf(f, "    (%lld cycles of these runstate and wake-up times span pCPUs with skewed TSCs: uncertain)\n",
			(long long)geti(v, "tsc_skew_uncertain_cycles"));
	if (geti(v, "wakeups"))
		write_dist(f, "wake-up to run latency", json_object_get(v, "wake_latency"));
	if (geti(v, "hypercalls_total"))
		fprintf(f, "    PV hypercalls: %lld (%lld in multicalls)\n", (long long)geti(v, "hypercalls_total"),
			(long long)geti(v, "subcalls_total"));
	write_calls(f, "PV hypercalls by name", json_object_get(v, "hypercalls"));
	write_calls(f, "HVM/PVH hypercalls (VMMCALL)", json_object_get(v, "vmmcalls"));
	write_args(f, json_object_get(v, "hypercall_args"));
	x = json_object_get(v, "pv_events");
	if (json_object_size(x)) {
		json_t *n;
		fprintf(f, "    PV events:");
		json_object_foreach(x, k, n)
			fprintf(f, " %s %lld", k, (long long)json_integer_value(n));
		fputc('\n', f);
	}
	x = json_object_get(v, "exits");
	if (json_array_size(x)) {
		json_t *e;
		fprintf(f, "    VM exits:                    count  total          p50 cycles   p95 cycles\n");
		json_array_foreach(x, i, e) {
			char t[32];
			fmt_time(t, sizeof(t), e, "cycles");
			fprintf(f, "      %-22s %10lld  %-14s %10lld   %10lld%s\n",
				json_string_value(json_object_get(e, "name")), (long long)geti(e, "count"), t,
				(long long)geti(e, "p50"), (long long)geti(e, "p95"),
				json_is_true(json_object_get(e, "exact")) ? "" : " (histogram)");
		}
	}
	if (geti(spin, "sched_poll") || geti(spin, "evtchn_send") || geti(spin, "sched_op_unknown") ||
	    geti(spin, "evtchn_op_unknown") || geti(json_object_get(spin, "blocked_to_wake"), "count")) {
		char poll[64], kick[96];
		/* unknown, not zero, where calls were recorded without their sub-operation */
		if (json_is_null(json_object_get(spin, "sched_poll")))
			snprintf(poll, sizeof(poll), "unknown (%lld sched_op without cmd)", (long long)geti(spin, "sched_op_unknown"));
		else
			snprintf(poll, sizeof(poll), "%lld", (long long)geti(spin, "sched_poll"));
		if (json_is_null(json_object_get(spin, "evtchn_send")))
			snprintf(kick, sizeof(kick), "unknown (%lld event_channel_op: Xen records no cmd)",
				 (long long)geti(spin, "evtchn_op_unknown"));
		else
			snprintf(kick, sizeof(kick), "%lld", (long long)geti(spin, "evtchn_send"));
		fprintf(f, "    spinlock slow path: sched_op poll %s, event_channel_op send %s\n", poll, kick);
		write_dist(f, "poll-blocked to wake-up", json_object_get(spin, "blocked_to_wake"));
	}
}

static void write_grants(FILE *f, json_t *g)
{
	json_t *by = json_object_get(g, "by"), *fr = json_object_get(g, "for");

	fprintf(f, "  grants done by: map %lld unmap %lld transfer %lld; done for: map %lld unmap %lld "
		"transfer %lld\n", (long long)geti(by, "map"), (long long)geti(by, "unmap"),
		(long long)geti(by, "transfer"), (long long)geti(fr, "map"), (long long)geti(fr, "unmap"),
		(long long)geti(fr, "transfer"));
	json_t *c = json_object_get(g, "copy");
	if (geti(c, "batches"))
		fprintf(f, "  grant copies (hooks record): %lld ops in %lld batches, %lld failed, %lld bytes\n",
			(long long)geti(c, "ops"), (long long)geti(c, "batches"), (long long)geti(c, "failed"),
			(long long)geti(c, "bytes"));
}

int hvb_xt_summary_write_text(const struct hvb_xt_summary *s, FILE *f)
{
	json_t *o = hvb_xt_summary_json(s), *x, *d;
	char t[32];
	size_t i;

	if (!o)
		return HVB_ENOMEM;
	fmt_time(t, sizeof(t), o, "duration_cycles");
	fprintf(f, "records %lld in %lld bytes, %lld windows, over %s", (long long)geti(o, "records"),
		(long long)geti(o, "file_bytes"), (long long)geti(o, "windows"), t);
	if (json_is_number(json_object_get(o, "cpu_hz")))
		fprintf(f, " (cpu %.2f MHz)", json_number_value(json_object_get(o, "cpu_hz")) / 1e6);
	else
		fprintf(f, " (cpu frequency unknown: give --cpu-hz or a .meta.json)");
	x = json_object_get(o, "truncated");
	if (json_is_object(x))
		fprintf(f, "\nTRUNCATED at byte %lld (%s): the figures cover the whole records before it",
			(long long)geti(x, "at_byte"), json_string_value(json_object_get(x, "reason")));
	json_array_foreach(json_object_get(o, "tsc_skew"), i, x)
		fprintf(f, "\nTSC SKEW: pCPU %lld is at least %lld cycles behind pCPU %lld; %s", (long long)geti(x, "cpu"),
			(long long)geti(x, "at_least_cycles"), (long long)geti(x, "behind_cpu"),
			geti(x, "corrected_by") ? "its times are moved forward (runstate and wake-up times across "
			"pCPUs marked uncertain)" : "not corrected (contradictory): times across pCPUs are uncertain");
	if (geti(o, "tsc_backwards"))
		fprintf(f, "\nTSC went backwards on a pCPU %lld times: later records moved forward, times across the "
			"jumps uncertain", (long long)geti(o, "tsc_backwards"));
	if (geti(o, "tsc_jumps"))
		fprintf(f, "\nTSC JUMPS: %lld intervals longer than 2^48 cycles left out of every figure (a TSC that "
			"jumped or is corrupt)", (long long)geti(o, "tsc_jumps"));
	x = json_object_get(o, "lost");
	fprintf(f, "\nlost records: %lld (%lld markers); unknown events: %lld; unattributed records: %lld; "
		"exit reasons: %s%s\n", (long long)geti(x, "records"), (long long)geti(x, "markers"),
		(long long)geti(o, "unknown_events"), (long long)geti(o, "unattributed_records"),
		!geti(o, "exit_records") && strcmp(json_string_value(json_object_get(o, "vendor_source")), "given")
			? "none (no VM exit records)" : json_string_value(json_object_get(o, "vendor")),
		!geti(o, "exit_records") ? "" :
		json_is_true(json_object_get(o, "vendor_detected")) ? " (detected)" :
		!strcmp(json_string_value(json_object_get(o, "vendor_source")), "record") ? " (from the records)" : "");
	fprintf(f, "volume by class:\n");
	write_volume(f, json_object_get(o, "classes"), "  ");
	json_array_foreach(json_object_get(o, "pcpus"), i, x) {
		fprintf(f, " pcpu %lld:\n", (long long)geti(x, "cpu"));
		write_volume(f, json_object_get(x, "classes"), "  ");
	}
	json_array_foreach(json_object_get(o, "domains"), i, d) {
		json_t *v;
		size_t j;
		if (json_is_true(json_object_get(d, "unknown")))
			fprintf(f, "\nunattributed (before the first runstate record of their pCPU)\n");
		else
			fprintf(f, "\ndomain %lld%s%s%s%s%s\n", (long long)geti(d, "domid"),
				json_is_true(json_object_get(d, "idle")) ? " (idle)" : "",
				json_object_get(d, "name") ? " " : "",
				json_object_get(d, "name") ? json_string_value(json_object_get(d, "name")) : "",
				json_object_get(d, "mode") ? " " : "",
				json_object_get(d, "mode") ? json_string_value(json_object_get(d, "mode")) : "");
		write_grants(f, json_object_get(d, "grants"));
		json_array_foreach(json_object_get(d, "vcpus"), j, v)
			write_vcpu(f, v);
	}
	json_decref(o);
	return ferror(f) ? HVB_EIO : 0;
}
