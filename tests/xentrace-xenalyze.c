/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decodes the real traces in tests/data/xentrace and checks hvbench's summary against the
 * figures the matching xenalyze printed for them, read from the *.xenalyze-summary.txt
 * beside each trace: Xen 4.17.7's captures against xenalyze 4.17.7 (`--summary --svm-mode
 * --cpu-hz=2.1G`), Xen 4.20.4's (4.20/) against xenalyze 4.20.4 (`--summary
 * --cpu-hz=2299.998M`, the lab's 2299.996M; no --svm-mode: the exit records name the
 * vendor).  Compared:
 *  - every record: records + CPU_CHANGE windows + wrap padding = the records of a plain
 *    walk of the file (the count in the data's README);
 *  - bytes per class and pCPU ("Log volume summary"; CPU_CHANGE records are not counted,
 *    wrap padding is, as xenalyze does);
 *  - per domain and vCPU: PV hypercalls by number and name (multicall entries included, as
 *    xenalyze counts them), the total and the multicall-entry count, PV events (page
 *    faults, forced invalid ops, emulated privileged ops, math state restores, ptwr);
 *  - per vCPU runstates: runnable, blocked and offline intervals (count and cycles) and
 *    the wake-ups (xenalyze's "wake" runnable intervals); see check_runstate for why
 *    "running" is not compared interval for interval;
 *  - per vCPU: VM exits by reason: count, average cycles, p5/p50/p95 (the vendor from the
 *    records in 4.20: a summary that is not SVM fails), and the hypercalls made by VMMCALL;
 *  - grant operations done by / done for (TRC_MEM records: none in these captures, checked
 *    as zero);
 *  - the lab's blkback and netback captures (4.20/xen420-lab-*): every grant_table_op
 *    xenalyze counts for dom0 decoded with its arguments, and dom0's figures by command
 *    (xen.backend.gnttab.*) equal to a walk of the records of its own, and to the values the
 *    capture holds (netback: grant copies above zero, the sum of the copy calls' counts);
 *  - no domain with PV hypercalls or exits that xenalyze does not list. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/xentrace/xentrace.h"
#include "probes/xentrace/xt-internal.h"

/* dom0's grant_table_op calls and summed batch counts by command (map_grant_ref 0,
 * unmap_grant_ref 1, copy 5), as the records hold them. */
struct gnt_want {
	long long calls[3], ops[3];
};
static const unsigned gnt_cmds[3] = { 0, 1, 5 };

/* One capture and the xenalyze that summarised it. */
struct ref {
	const char *base;      /* under tests/data/xentrace/ */
	double cpu_hz;         /* the --cpu-hz xenalyze was given */
	long long records;     /* every record of a plain walk of the file (README) */
	int xa420;             /* xenalyze 4.20.4 (else 4.17.7) */
	const struct gnt_want *gnt; /* dom0's grant_table_op as the records hold it, or NULL */
};

static int failures, checks;

#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

static json_int_t geti(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

static json_t *find_by(json_t *arr, const char *key, json_int_t v)
{
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x)
		if (json_is_integer(json_object_get(x, key)) && geti(x, key) == v)
			return x;
	return NULL;
}

static json_t *find_name(json_t *arr, const char *name)
{
	size_t i;
	json_t *x;

	json_array_foreach(arr, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "name")), name))
			return x;
	return NULL;
}

/* xenalyze's name for hypercall nr against ours.  Its table (xenalyze.c, hypercall_name[])
 * keeps two old names, and ends at kexec_op (37): for 38 and above it reads past the table
 * and prints whatever follows in memory (4.20.4 prints "vmexit" for dm_op, 41), so no name
 * is expected there. */
static int same_hypercall_name(int nr, const char *xa, const char *ours)
{
	static const struct { const char *xa, *ours; } old[] = {
		{ "acm_op", "xsm_op" },              /* 27: renamed in Xen 3.2 */
		{ "evtchn_op", "event_channel_op" }, /* 32: xenalyze's short form */
	};

	if (nr >= 38)
		return 1;
	for (size_t k = 0; k < sizeof(old) / sizeof(old[0]); k++)
		if (!strcmp(xa, old[k].xa))
			return !strcmp(ours, old[k].ours);
	return ours && !strcmp(xa, ours);
}

/* xenalyze's "count  N.NNs avg {..}" of a runstate against our count and cycles; its avg
 * is the total divided by the count, rounded down. */
static void check_runstate(const char *base, json_int_t dom, json_t *vcpu, const char *state,
			   long long n, long long avg)
{
	json_t *x, *ends, *first;
	long long cyc, cnt;
	const char *fs;
	int init_wake;

	/* A wake-up before the vCPU first runs (its first record, or the one out of a first
	 * blocked or offline interval) happens in xenalyze's INIT state: xenalyze calls that
	 * runnable interval "other", not "wake", and does not count it.  hvbench counts it. */
	first = json_object_get(json_object_get(vcpu, "runstate_ends"), "first");
	fs = first ? json_string_value(json_object_get(first, "state")) : "running";
	init_wake = !strcmp(fs, "blocked") || !strcmp(fs, "offline");
	if (!strcmp(state, "wake")) {
		long long w = (long long)geti(vcpu, "wakeups");
		CHECK(w == n || (w == n + 1 && strcmp(fs, "running")), "%s: d%lldv%lld wake-ups %lld, xenalyze %lld",
		      base, (long long)dom, (long long)geti(vcpu, "vcpu"), w, n);
		return;
	}
	/* Running: xenalyze ends a running interval at each running->running record (the
	 * vCPU kept its pCPU across a scheduling decision) and counts the pieces; hvbench
	 * counts the time between entering and leaving running.  The counts differ by design. */
	if (strcmp(state, "runnable") && strcmp(state, "blocked") && strcmp(state, "offline"))
		return;
	x = json_object_get(json_object_get(vcpu, "runstates"), state);
	cnt = (long long)geti(x, "count");
	cyc = (long long)geti(x, "cycles");
	/* xenalyze counts an interval when a record ends it: not the one open at the end of the
	 * trace.  And it leaves a vCPU in its INIT state until it first runs ("First schedule
	 * for dXvY doesn't take us into a running state; leaving in INIT" on stderr), dropping
	 * the interval the vCPU's first runstate record began when that is not running, though
	 * both of its ends are records.  hvbench counts both; leave them out here. */
	ends = json_object_get(vcpu, "runstate_ends");
	for (int k = 0; k < 2; k++) {
		json_t *iv = json_object_get(ends, k ? "open_at_end" : "first");
		if (iv && !strcmp(json_string_value(json_object_get(iv, "state")), state)) {
			cnt--;
			cyc -= (long long)geti(iv, "cycles");
		}
	}
	if (!strcmp(state, "runnable"))
		cnt -= init_wake;
	CHECK(cnt == n && (init_wake && !strcmp(state, "runnable") ? cyc >= n * avg : cyc >= n * avg && cyc < n * (avg + 1)),
	      "%s: d%lldv%lld %s %lld intervals %lld cyc, xenalyze %lld intervals of %lld cyc on average", base,
	      (long long)dom, (long long)geti(vcpu, "vcpu"), state, cnt, cyc, n, avg);
}

/* The hypercalls whose records carry arguments (Xen's __trace_hypercall): every one of them
 * xenalyze counts is decoded with its arguments (PV records, multicall entries included). */
static void check_args(const char *base, json_int_t dom, json_t *vcpu, int nr, long long xa)
{
	json_t *a = json_object_get(vcpu, "hypercall_args"), *g, *x;
	long long ours = -1;
	const char *k;

	switch (nr) {
	case 1: ours = geti(json_object_get(a, "mmu_update"), "calls"); break;
	case 14: ours = geti(a, "update_va_mapping"); break;
	case 26: ours = geti(json_object_get(a, "mmuext_op"), "calls"); break;
	case 20:
		ours = 0;
		g = json_object_get(a, "grant_table_op");
		json_object_foreach(g, k, x)
			ours += geti(x, "calls");
		break;
	default:
		return;
	}
	CHECK(ours == xa, "%s: d%lld hypercall %d decoded with arguments %lld times, xenalyze counts %lld", base,
	      (long long)dom, nr, ours, xa);
}

/* grant_table_op in the records, walked apart from the summary: each TRC_PV_HYPERCALL_V2
 * record and multicall entry (TRC_PV_HYPERCALL_SUBCALL) of hypercall 20, its arguments
 * read from the 2-bit presence fields in bits 20-31 of word 0 (cmd is argument 0, count
 * argument 2; cmd's bits 12 and up carry a continuation). */
struct gnt_walk {
	long long calls[16], ops[16], records;
};

static int gnt_rec(const struct hvb_xt_rec *r, void *arg)
{
	struct gnt_walk *w = arg;
	uint64_t a[6] = { 0 };
	unsigned word = 1, seen = 0;

	if ((r->event != 0x0020100du && r->event != 0x0020200eu) || r->nextra < 1 || (r->d[0] & 0xfffff) != 20)
		return 0;
	for (unsigned k = 0; k < 6; k++) {
		unsigned n = (r->d[0] >> (20 + 2 * k)) & 3;
		if (!n)
			continue;
		if (n == 3 || word + n > r->nextra)
			return 0;
		a[k] = n == 2 ? (uint64_t)r->d[word + 1] << 32 | r->d[word] : r->d[word];
		word += n;
		seen |= 1u << k;
	}
	w->records++;
	if ((seen & 5) == 5 && (a[0] & 0xfff) < 16) {
		w->calls[a[0] & 0xfff]++;
		w->ops[a[0] & 0xfff] += (long long)(uint32_t)a[2];
	}
	return 0;
}

/* dom0's xen.backend.gnttab.SUB.KIND, -1 when absent */
static double metric(const struct hvb_metrics *ms, const char *sub, const char *kind)
{
	char n[128];
	const struct hvb_metric *m;

	snprintf(n, sizeof(n), "xen.backend.gnttab.%s.%s", sub, kind);
	m = hvb_metrics_get(ms, n);
	return m ? m->value : -1;
}

/* dom0's grant operations: every grant_table_op xenalyze counts for dom0 is decoded with its
 * arguments; the backend's figures equal what the records hold, command by command (the
 * copies: the sum of the GNTTABOP_copy calls' batch counts), and the capture's own values. */
static void check_grants(const char *path, const char *base, const struct hvb_xt_summary *s, const struct gnt_want *want,
			 long long xa_dom0, long long xa_others)
{
	struct hvb_xt_reader *rd = hvb_xt_reader_open(path);
	struct gnt_walk w = { { 0 }, { 0 }, 0 };
	struct hvb_metrics ms;
	long long decoded = 0;

	CHECK(rd && hvb_xt_reader_run(rd, gnt_rec, &w) == 0, "%s: walking the records failed", base);
	if (rd)
		hvb_xt_reader_close(rd);
	/* xenalyze: only dom0 made grant_table_op calls, so the file's records are dom0's */
	CHECK(xa_others == 0 && xa_dom0 > 0, "%s: xenalyze counts grant_table_op %lld for dom0, %lld for others", base,
	      xa_dom0, xa_others);
	for (unsigned c = 0; c < 16; c++)
		decoded += w.calls[c];
	CHECK(w.records == xa_dom0 && decoded == xa_dom0, "%s: %lld grant_table_op records, %lld with cmd and count, "
	      "xenalyze counts %lld for dom0", base, w.records, decoded, xa_dom0);
	memset(&ms, 0, sizeof(ms));
	CHECK(hvb_xt_summary_metrics_as(s, 0, "xen.backend", &ms) == 0, "%s: dom0's metrics", base);
	for (unsigned c = 0; c < 13; c++) {
		const char *n = xt_gnttabop_name(c);
		double mc = metric(&ms, n, "calls"), mo = metric(&ms, n, "ops");
		if (mc < 0 && !w.calls[c] && c != 0 && c != 1 && c != 5)
			continue; /* a sub-operation never seen is left out */
		CHECK(mc == (double)w.calls[c] && mo == (double)w.ops[c], "%s: dom0 gnttab.%s %g calls %g ops, "
		      "records %lld calls %lld ops", base, n, mc, mo, w.calls[c], w.ops[c]);
	}
	if (strstr(base, "netback")) /* netback copies its packets' headers: dom0's grant copies */
		CHECK(metric(&ms, "copy", "ops") > 0, "%s: dom0's grant copy count is not above zero", base);
	for (unsigned k = 0; k < 3; k++)
		CHECK(w.calls[gnt_cmds[k]] == want->calls[k] && w.ops[gnt_cmds[k]] == want->ops[k],
		      "%s: dom0 %s %lld calls %lld ops, the capture holds %lld and %lld", base, xt_gnttabop_name(gnt_cmds[k]),
		      w.calls[gnt_cmds[k]], w.ops[gnt_cmds[k]], want->calls[k], want->ops[k]);
	hvb_metrics_free(&ms);
	printf("%s: dom0 grant_table_op: map %lld/%lld, unmap %lld/%lld, copy %lld/%lld (calls/ops)\n", base, w.calls[0],
	       w.ops[0], w.calls[1], w.ops[1], w.calls[5], w.ops[5]);
}

static void check_file(const char *dir, const struct ref *ref)
{
	const char *base = ref->base;
	char path[8192], line[512];
	struct hvb_xt_opts o = { .cpu_hz = ref->cpu_hz, .vendor = HVB_XT_VENDOR_AUTO };
	struct hvb_xt_summary *s;
	json_t *j, *cpu = NULL, *dom = NULL, *vcpu = NULL;
	FILE *f;
	int in_exits = 0, in_pv = 0, in_rs = 0, dom_seen[8] = { 0 }, ndom = 0, pv_hc_lines = 0, rs_lines = 0;
	json_int_t domids[8];
	json_int_t cur_dom = -1;
	long long xa_gnt_dom0 = 0, xa_gnt_others = 0;

	snprintf(path, sizeof(path), "%s/%s.bin", dir, base);
	if (hvb_xt_summarize_file(path, &o, &s)) {
		CHECK(0, "%s: decoding failed", base);
		return;
	}
	j = hvb_xt_summary_json(s);
	CHECK(geti(j, "records") + geti(j, "windows") + geti(j, "wrap_records") == ref->records,
	      "%s: %lld records, %lld windows, %lld wrap records: not the %lld records of the file", base,
	      (long long)geti(j, "records"), (long long)geti(j, "windows"), (long long)geti(j, "wrap_records"),
	      ref->records);
	if (strstr(base, "hvm"))  /* PV-only traces have no exit to tell the vendor by */
		CHECK(!strcmp(json_string_value(json_object_get(j, "vendor")), "svm"), "%s: SVM not detected", base);
	if (ref->xa420 && (strstr(base, "hvm") || strstr(base, "pvh")))
		CHECK(!strcmp(json_string_value(json_object_get(j, "vendor_source")), "record"),
		      "%s: vendor not taken from the TRC_HVM_SVM_EXIT records", base);
	CHECK(geti(json_object_get(j, "lost"), "records") == 0, "%s: lost records reported", base);
	CHECK(geti(j, "unknown_events") == 0, "%s: %lld unknown events", base, (long long)geti(j, "unknown_events"));
	snprintf(path, sizeof(path), "%s/%s.xenalyze-summary.txt", dir, base);
	if (!(f = fopen(path, "r"))) {
		CHECK(0, "%s: cannot open", path);
		goto out;
	}
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		long long a, b, c, d, e, n;
		int nr;
		double t;

		if (sscanf(line, " - cpu %lld -", &a) == 1) {
			cpu = find_by(json_object_get(j, "pcpus"), "cpu", a);
			CHECK(cpu, "%s: pcpu %lld missing", base, a);
			continue;
		}
		if (sscanf(line, "|-- Domain %lld --|", &a) == 1) {
			json_t *doms = json_object_get(j, "domains");
			cpu = NULL;
			cur_dom = a;
			dom = find_by(doms, "domid", a);
			vcpu = NULL;
			in_exits = in_pv = in_rs = 0;
			if (ndom < 8)
				domids[ndom++] = a;
			CHECK(dom, "%s: domain %lld missing", base, a);
			continue;
		}
		if (sscanf(line, "-- v%lld --", &a) == 1) {
			vcpu = dom ? find_by(json_object_get(dom, "vcpus"), "vcpu", a) : NULL;
			in_exits = in_pv = in_rs = 0;
			CHECK(vcpu, "%s: d%lldv%lld missing", base, (long long)cur_dom, a);
			continue;
		}
		/* " +-vmexit : N" lines are sub-classes of hvm: hvbench counts classes only. */
		if (cpu && line[0] == ' ' && line[1] != '+' && sscanf(line, " %63[a-z0-9] : %lld", name, &a) == 2) {
			json_t *cl = json_object_get(json_object_get(cpu, "classes"), name);
			CHECK(cl && geti(cl, "bytes") == a, "%s: cpu %lld class %s: %lld bytes, xenalyze %lld", base,
			      (long long)geti(cpu, "cpu"), name, cl ? (long long)geti(cl, "bytes") : -1LL, a);
			continue;
		}
		if (!vcpu)
			continue;
		if (!strncmp(line, " Runstates:", 11)) {
			in_rs = 1;
			continue;
		}
		if (!strncmp(line, "PV events:", 10)) {
			in_pv = 1;
			in_rs = 0;
			continue;
		}
		if (!strncmp(line, "Exit reasons:", 13)) {
			in_exits = 1;
			in_pv = in_rs = 0;
			continue;
		}
		if (in_rs && sscanf(line, " %63[a-z]: %lld %lfs %lld", name, &n, &t, &a) == 4) {
			rs_lines++;
			check_runstate(base, cur_dom, vcpu, name, n, a);
			continue;
		}
		if (in_pv && sscanf(line, "  hypercall (subcall) %lld", &a) == 1) {
			CHECK(geti(vcpu, "subcalls_total") == a, "%s: d%lld subcalls %lld, xenalyze %lld", base,
			      (long long)cur_dom, (long long)geti(vcpu, "subcalls_total"), a);
			/* multicall contents: every entry decoded from its own record */
			CHECK(geti(json_object_get(json_object_get(vcpu, "hypercall_args"), "multicall"), "entries") == a,
			      "%s: d%lld multicall entries decoded %lld, xenalyze's subcalls %lld", base, (long long)cur_dom,
			      (long long)geti(json_object_get(json_object_get(vcpu, "hypercall_args"), "multicall"), "entries"), a);
			continue;
		}
		if (in_pv && sscanf(line, "  hypercall %lld", &a) == 1) {
			CHECK(geti(vcpu, "hypercalls_total") == a, "%s: d%lld hypercalls %lld, xenalyze %lld", base,
			      (long long)cur_dom, (long long)geti(vcpu, "hypercalls_total"), a);
			continue;
		}
		if (in_pv && sscanf(line, "    %63s [%d]: %lld", name, &nr, &a) == 3) {
			json_t *h = find_by(json_object_get(vcpu, "hypercalls"), "nr", nr);
			const char *ours = h ? json_string_value(json_object_get(h, "name")) : NULL;
			pv_hc_lines++;
			CHECK(h && geti(h, "count") == a, "%s: d%lld hypercall %s [%d]: %lld, xenalyze %lld", base,
			      (long long)cur_dom, name, nr, h ? (long long)geti(h, "count") : -1LL, a);
			CHECK(same_hypercall_name(nr, name, ours), "%s: hypercall %d is %s, xenalyze says %s", base, nr,
			      ours ? ours : "(none)", name);
			check_args(base, cur_dom, vcpu, nr, a);
			if (nr == 20)
				*(cur_dom == 0 ? &xa_gnt_dom0 : &xa_gnt_others) += a;
			continue;
		}
		if (in_pv) {
			static const struct { const char *xa, *ours; } ev[] = {
				{ "page_fault", "page_fault" }, { "forced_invalid_op", "forced_invalid_op" },
				{ "emulate privop", "emulate_privop" },
				{ "math state restore", "math_state_restore" }, { "ptwr", "ptwr_emulation" },
			};
			for (size_t k = 0; k < sizeof(ev) / sizeof(ev[0]); k++) {
				size_t l = strlen(ev[k].xa);
				if (!strncmp(line + 2, ev[k].xa, l) && sscanf(line + 2 + l, " %lld", &a) == 1) {
					json_t *x = json_object_get(json_object_get(vcpu, "pv_events"), ev[k].ours);
					CHECK(json_integer_value(x) == a, "%s: d%lld %s %lld, xenalyze %lld", base,
					      (long long)cur_dom, ev[k].ours, (long long)json_integer_value(x), a);
				}
			}
		}
		/* Hypercalls by VMMCALL, listed under VMEXIT_VMMCALL: "    [   vcpu_op]   873 ..." */
		if (in_exits && sscanf(line, "    [ %63[a-z_] ] %lld", name, &n) == 2) {
			json_t *x = find_name(json_object_get(vcpu, "vmmcalls"), !strcmp(name, "evtchn_op") ?
					      "event_channel_op" : name);
			CHECK(x && geti(x, "count") == n, "%s: d%lld VMMCALL %s %lld, xenalyze %lld", base,
			      (long long)cur_dom, name, x ? (long long)geti(x, "count") : -1LL, n);
			continue;
		}
		if (in_exits && sscanf(line, " VMEXIT_%63s %lld %lfs %*f%% %lld cyc {%lld|%lld|%lld}", name, &n, &t,
				       &a, &b, &c, &d) == 7) {
			json_t *x;
			for (char *p = name; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
			x = find_name(json_object_get(vcpu, "exits"), name);
			CHECK(x, "%s: d%lld exit %s missing", base, (long long)cur_dom, name);
			if (!x)
				continue;
			e = geti(x, "count");
			CHECK(e == n, "%s: d%lld exit %s count %lld, xenalyze %lld", base, (long long)cur_dom, name, e, n);
			CHECK(geti(x, "avg") == a, "%s: exit %s avg %lld, xenalyze %lld", base, name,
			      (long long)geti(x, "avg"), a);
			CHECK(geti(x, "p5") == b && geti(x, "p50") == c && geti(x, "p95") == d,
			      "%s: exit %s p5/p50/p95 %lld/%lld/%lld, xenalyze %lld/%lld/%lld", base, name,
			      (long long)geti(x, "p5"), (long long)geti(x, "p50"), (long long)geti(x, "p95"), b, c, d);
		}
	}
	fclose(f);
	/* Grants: xenalyze lists none for any domain of these captures. */
	{
		size_t i;
		json_t *d;
		json_array_foreach(json_object_get(j, "domains"), i, d) {
			json_t *g = json_object_get(d, "grants");
			for (int k = 0; k < 2; k++) {
				json_t *x = json_object_get(g, k ? "for" : "by");
				CHECK(geti(x, "map") + geti(x, "unmap") + geti(x, "transfer") == 0,
				      "%s: grant operations where xenalyze has none", base);
			}
			/* Reverse: a real domain we list must be one xenalyze lists. */
			if (json_is_integer(json_object_get(d, "domid")) &&
			    (json_array_size(json_object_get(d, "vcpus")) > 0)) {
				int found = 0;
				for (int k = 0; k < ndom; k++)
					if (domids[k] == geti(d, "domid"))
						found = dom_seen[k] = 1;
				CHECK(found, "%s: domain %lld not in xenalyze's summary", base, (long long)geti(d, "domid"));
			}
		}
	}
	if (ref->gnt) {
		snprintf(path, sizeof(path), "%s/%s.bin", dir, base);
		check_grants(path, base, s, ref->gnt, xa_gnt_dom0, xa_gnt_others);
	}
	printf("%s: compared (%d hypercall lines, %d runstate lines)\n", base, pv_hc_lines, rs_lines);
out:
	json_decref(j);
	hvb_xt_summary_free(s);
}

int main(void)
{
	static const struct gnt_want blkback = { { 0, 451, 0 }, { 0, 0, 0 } }, netback = { { 287, 266, 560 }, { 3698, 3687, 1118 } },
				     blkback_np = { { 1525, 1525, 0 }, { 1525, 1525, 0 } };
	static const struct ref refs[] = {
		{ "fresh-pv-workload-all-5s", 2.1e9, 207684, 0, NULL },
		{ "fresh-pvh-workload-all-5s", 2.1e9, 68573, 0, NULL },
		{ "fresh-hvm-workload-all-5s", 2.1e9, 91048, 0, NULL },
		{ "run1-pv-create-all-5s", 2.1e9, 99885, 0, NULL },
		{ "narrow-hvm-hvmclass-3s", 2.1e9, 14355, 0, NULL },
		{ "4.20/xen420-pv-workload-all-5s", 2299.998e6, 23613, 1, NULL },
		{ "4.20/xen420-pvh-workload-all-5s", 2299.998e6, 31214, 1, NULL },
		{ "4.20/xen420-hvm-workload-all-5s", 2299.998e6, 108906, 1, NULL },
		{ "4.20/xen420-narrow-hvm-hvmclass-5s", 2299.998e6, 21428, 1, NULL },
		/* The lab's captures (classes sched,hvm,pv).  blkback: Linux negotiates persistent
		 * grants, so no map and no copy; it still issues one GNTTABOP_unmap_grant_ref of
		 * count 0 per request (451: the requests blkback served in that sample).  netback:
		 * the guest's transmits are mapped and their headers copied. */
		{ "4.20/xen420-lab-pv-fio-blkback", 2299.996e6, 126246, 1, &blkback },
		{ "4.20/xen420-lab-pvh-iperf3-netback", 2299.996e6, 52855, 1, &netback },
		/* blkback with persistent grants off (feature_persistent = off, read back from
		 * xenstore): dom0 maps and unmaps one grant per call for every request's page. */
		{ "4.20/xen420-lab-pv-fio-blkback-nonpersistent", 2596.123e6, 199475, 1, &blkback_np },
	};
	const char *top = getenv("top_srcdir");
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/tests/data/xentrace", top ? top : ".");
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		check_file(dir, &refs[i]);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
