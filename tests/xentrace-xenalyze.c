/* Decodes the real traces in tests/data/xentrace and checks hvbench's summary against the
 * figures xenalyze 4.17.7 printed for them (`--summary --svm-mode --cpu-hz=2.1G`), read
 * from the *.xenalyze-summary.txt beside each trace:
 *  - bytes per class and pCPU ("Log volume summary"; CPU_CHANGE records are not counted,
 *    wrap padding is, as xenalyze does);
 *  - per domain and vCPU: PV hypercalls by name (multicall entries included, as xenalyze
 *    counts them), the total and the multicall-entry count, PV events (page faults,
 *    emulated privileged ops, math state restores, ptwr);
 *  - per vCPU: VM exits by reason: count, average cycles, p5/p50/p95;
 *  - grant operations done by / done for (none in these captures: checked as zero);
 *  - no domain with PV hypercalls or exits that xenalyze does not list.
 * Not compared: runstate counts and times.  xenalyze derives them through its own
 * TSC-skew correction and "partial/full contention" bookkeeping; hvbench counts plain
 * runstate intervals, so the counts differ (see probes/xentrace/README). */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "probes/xentrace/xentrace.h"

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

/* What xenalyze listed for one vCPU, for the reverse check. */
struct seen { json_int_t dom, vcpu; int hc[64]; int nexits; };

static void check_file(const char *dir, const char *base)
{
	char path[4096], line[512];
	struct hvb_xt_opts o = { .cpu_hz = 2.1e9, .vendor = HVB_XT_VENDOR_AUTO };
	struct hvb_xt_summary *s;
	json_t *j, *cpu = NULL, *dom = NULL, *vcpu = NULL;
	FILE *f;
	int in_exits = 0, in_pv = 0, dom_seen[8] = { 0 }, ndom = 0, pv_hc_lines = 0;
	json_int_t domids[8];
	json_int_t cur_dom = -1;

	snprintf(path, sizeof(path), "%s/%s.bin", dir, base);
	if (hvb_xt_summarize_file(path, &o, &s)) {
		CHECK(0, "%s: decoding failed", base);
		return;
	}
	j = hvb_xt_summary_json(s);
	if (strstr(base, "hvm"))  /* PV-only traces have no exit to tell the vendor by */
		CHECK(!strcmp(json_string_value(json_object_get(j, "vendor")), "svm"), "%s: SVM not detected", base);
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
			in_exits = in_pv = 0;
			if (ndom < 8)
				domids[ndom++] = a;
			CHECK(dom, "%s: domain %lld missing", base, a);
			continue;
		}
		if (sscanf(line, "-- v%lld --", &a) == 1) {
			vcpu = dom ? find_by(json_object_get(dom, "vcpus"), "vcpu", a) : NULL;
			in_exits = in_pv = 0;
			CHECK(vcpu, "%s: d%lldv%lld missing", base, (long long)cur_dom, a);
			continue;
		}
		if (cpu && line[0] == ' ' && line[1] != '+' && sscanf(line, " %63[a-z0-9] : %lld", name, &a) == 2) {
			json_t *cl = json_object_get(json_object_get(cpu, "classes"), name);
			CHECK(cl && geti(cl, "bytes") == a, "%s: cpu %lld class %s: %lld bytes, xenalyze %lld", base,
			      (long long)geti(cpu, "cpu"), name, cl ? (long long)geti(cl, "bytes") : -1LL, a);
			continue;
		}
		if (!vcpu)
			continue;
		if (!strncmp(line, "PV events:", 10)) {
			in_pv = 1;
			continue;
		}
		if (!strncmp(line, "Exit reasons:", 13)) {
			in_exits = 1;
			in_pv = 0;
			continue;
		}
		if (in_pv && sscanf(line, "  hypercall (subcall) %lld", &a) == 1) {
			CHECK(geti(vcpu, "subcalls_total") == a, "%s: d%lld subcalls %lld, xenalyze %lld", base,
			      (long long)cur_dom, (long long)geti(vcpu, "subcalls_total"), a);
			continue;
		}
		if (in_pv && sscanf(line, "  hypercall %lld", &a) == 1) {
			CHECK(geti(vcpu, "hypercalls_total") == a, "%s: d%lld hypercalls %lld, xenalyze %lld", base,
			      (long long)cur_dom, (long long)geti(vcpu, "hypercalls_total"), a);
			continue;
		}
		if (in_pv && sscanf(line, "    %63s [%d]: %lld", name, &nr, &a) == 3) {
			json_t *h = find_by(json_object_get(vcpu, "hypercalls"), "nr", nr);
			pv_hc_lines++;
			CHECK(h && geti(h, "count") == a, "%s: d%lld hypercall %s [%d]: %lld, xenalyze %lld", base,
			      (long long)cur_dom, name, nr, h ? (long long)geti(h, "count") : -1LL, a);
			continue;
		}
		if (in_pv) {
			static const struct { const char *xa, *ours; } ev[] = {
				{ "page_fault", "page_fault" }, { "emulate privop", "emulate_privop" },
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
	printf("%s: compared (%d hypercall lines)\n", base, pv_hc_lines);
out:
	json_decref(j);
	hvb_xt_summary_free(s);
}

int main(void)
{
	static const char *const traces[] = {
		"fresh-pv-workload-all-5s", "fresh-pvh-workload-all-5s", "fresh-hvm-workload-all-5s",
		"run1-pv-create-all-5s", "narrow-hvm-hvmclass-3s",
	};
	const char *top = getenv("top_srcdir");
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/tests/data/xentrace", top ? top : ".");
	for (size_t i = 0; i < sizeof(traces) / sizeof(traces[0]); i++)
		check_file(dir, traces[i]);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
