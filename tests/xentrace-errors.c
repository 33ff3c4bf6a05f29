/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Damaged xentrace files, made from a real trace in memory: each must end in a clear error
 * with the right code and byte offset, never a crash or a read past the end.  Also: lost
 * records are counted, the event-mask parser, the metadata file and the metrics. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/xentrace/xt-internal.h"
#include "probes/xentrace/xt-format.h"

static int failures, checks;
#define CHECK(cond, ...) do { checks++; if (!(cond)) { failures++; fprintf(stderr, "FAIL: " __VA_ARGS__); fputc('\n', stderr); } } while (0)

static uint8_t *load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static int count_cb(const struct hvb_xt_rec *r, void *arg)
{
	(void)r;
	++*(uint64_t *)arg;
	return 0;
}

/* Runs the reader over buf; returns the code, the error text and offset. */
static int decode(const uint8_t *buf, size_t len, const char **msg, uint64_t *off, uint64_t *nrec,
		  struct hvb_xt_reader_stats *st)
{
	static char keep[256];
	struct hvb_xt_reader *rd = hvb_xt_reader_open_mem(buf, len, "test");
	uint64_t n = 0;
	int e;

	if (!rd)
		return HVB_ENOMEM;
	e = hvb_xt_reader_run(rd, count_cb, &n);
	snprintf(keep, sizeof(keep), "%s", hvb_xt_reader_error(rd, off));
	if (st)
		*st = *hvb_xt_reader_stats(rd);
	hvb_xt_reader_close(rd);
	*msg = keep;
	if (nrec)
		*nrec = n;
	return e;
}

static uint32_t ld32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void st32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* Offset of the last record of the last window. */
static size_t last_record(const uint8_t *b, size_t len)
{
	size_t off = 0, last = 0;

	while (off + 12 <= len) {
		size_t end = off + 12 + ld32(b + off + 8);
		for (size_t r = off + 12; r < end; r += 4 + ((ld32(b + r) >> 31) ? 8 : 0) + 4 * ((ld32(b + r) >> 28) & 7))
			last = r;
		off = end;
	}
	return last;
}

static void damaged(const uint8_t *orig, size_t len)
{
	uint8_t *b = malloc(len + 64);
	const char *msg;
	uint64_t off, n, full;
	size_t lr;
	int e;

	e = decode(orig, len, &msg, &off, &full, NULL);
	CHECK(e == 0 && full > 1000, "intact trace: %d (%s), %llu records", e, msg, (unsigned long long)full);

	e = decode(orig, 0, &msg, &off, &n, NULL);
	CHECK(e == HVB_EINVAL && strstr(msg, "empty"), "zero-length: %d %s", e, msg);

	/* Truncated in the middle of the last record. */
	e = decode(orig, len - 2, &msg, &off, &n, NULL);
	CHECK(e == HVB_ETRUNC && off < len - 2 && off + 40 >= len - 2 && strstr(msg, "truncated"),
	      "cut at len-2: %d at %llu: %s", e, (unsigned long long)off, msg);
	CHECK(n > full - 10 && n < full, "cut at len-2: %llu of %llu records delivered first", (unsigned long long)n,
	      (unsigned long long)full);

	/* Truncated after a whole record: the window still claims more bytes. */
	lr = last_record(orig, len);
	e = decode(orig, lr, &msg, &off, &n, NULL);
	CHECK(e == HVB_ETRUNC && off == lr, "cut at the last record (%zu): %d at %llu: %s", lr, e,
	      (unsigned long long)off, msg);

	/* Truncated inside a CPU_CHANGE header (the second window's). */
	{
		size_t w2 = 12 + ld32(orig + 8);
		e = decode(orig, w2 + 5, &msg, &off, &n, NULL);
		CHECK(e == HVB_ETRUNC && off == w2 && strstr(msg, "CPU_CHANGE"), "cut in a CPU_CHANGE: %d at %llu: %s",
		      e, (unsigned long long)off, msg);
	}

	/* The last record's extra-word count runs past the end. */
	memcpy(b, orig, len);
	st32(b + lr, ld32(b + lr) | 7u << 28);
	e = decode(b, len, &msg, &off, &n, NULL);
	CHECK(e == HVB_ETRUNC && off == lr, "extra words past the end: %d at %llu (record at %zu): %s", e,
	      (unsigned long long)off, lr, msg);

	/* The same inside the first window, with more windows after it: past the window end. */
	{
		size_t w1end = 12 + ld32(orig + 8), r = 12, prev = 12;
		while (r < w1end) {
			prev = r;
			r += 4 + ((ld32(orig + r) >> 31) ? 8 : 0) + 4 * ((ld32(orig + r) >> 28) & 7);
		}
		memcpy(b, orig, len);
		st32(b + prev, ld32(b + prev) | 7u << 28);
		e = decode(b, len, &msg, &off, &n, NULL);
		CHECK(e == HVB_EINVAL && off == prev && strstr(msg, "window"), "extra words past the window: %d at %llu: %s",
		      e, (unsigned long long)off, msg);
	}

	/* No leading CPU_CHANGE. */
	e = decode(orig + 12, len - 12, &msg, &off, &n, NULL);
	CHECK(e == HVB_EINVAL && off == 0 && strstr(msg, "not a xentrace file") && n == 0,
	      "missing first CPU_CHANGE: %d at %llu: %s", e, (unsigned long long)off, msg);

	/* Garbage. */
	{
		uint32_t x = 12345;
		for (size_t i = 0; i < 65536; i++) {
			x = x * 1103515245u + 12345u;
			b[i] = (uint8_t)(x >> 16);
		}
		e = decode(b, 65536, &msg, &off, &n, NULL);
		CHECK(e == HVB_EINVAL && off == 0, "garbage: %d at %llu: %s", e, (unsigned long long)off, msg);
		/* Garbage behind a valid CPU_CHANGE: an error or not, but no crash, no overrun. */
		st32(b, 0x2001f003u);
		st32(b + 4, 0);
		st32(b + 8, 65536 - 12);
		e = decode(b, 65536, &msg, &off, &n, NULL);
		CHECK(e == 0 || e == HVB_ETRUNC || e == HVB_EINVAL, "garbage in a window: %d %s", e, msg);
	}

	/* A pCPU id out of range. */
	memcpy(b, orig, len);
	st32(b + 4, 0x7fffffffu);
	e = decode(b, len, &msg, &off, &n, NULL);
	CHECK(e == HVB_EINVAL && off == 0 && strstr(msg, "pCPU"), "cpu id: %d %s", e, msg);
	free(b);
}

static void lost(const uint8_t *orig, size_t len)
{
	/* A window of pCPU 0 holding one TRC_LOST_RECORDS {lost 5, d1v0, first tsc}. */
	uint8_t *b = malloc(len + 40);
	struct hvb_xt_reader_stats st;
	const char *msg;
	uint64_t off, n;
	int e;

	memcpy(b, orig, len);
	st32(b + len, 0x2001f003u);
	st32(b + len + 4, 0);
	st32(b + len + 8, 28);
	st32(b + len + 12, 0x80000000u | 4u << 28 | 0x1f001u);
	st32(b + len + 16, 0xffffffffu); /* tsc: after everything */
	st32(b + len + 20, 0x7fffffffu);
	st32(b + len + 24, 5);
	st32(b + len + 28, 1u << 16);
	st32(b + len + 32, 0);
	st32(b + len + 36, 0);
	e = decode(b, len + 40, &msg, &off, &n, &st);
	CHECK(e == 0 && st.lost_markers == 1 && st.lost_records == 5, "lost records: %d, %llu markers, %llu lost", e,
	      (unsigned long long)st.lost_markers, (unsigned long long)st.lost_records);
	free(b);
}

static void masks(void)
{
	uint32_t m = 0;
	char err[256], buf[128];

	CHECK(hvb_xt_mask_parse("hvm,sched,pv", &m, err, sizeof(err)) == 0 && m == 0x002af000u, "mask hvm,sched,pv: %x", m);
	CHECK(hvb_xt_mask_parse("all", &m, err, sizeof(err)) == 0 && m == 0x0ffff000u, "mask all: %x", m);
	CHECK(hvb_xt_mask_parse("0x0008f000", &m, err, sizeof(err)) == 0 && m == 0x0008f000u, "mask hex: %x", m);
	CHECK(hvb_xt_mask_parse("hvm,shed", &m, err, sizeof(err)) == HVB_EINVAL && strstr(err, "did you mean 'sched'"),
	      "mask typo: %s", err);
	CHECK(hvb_xt_mask_parse("", &m, err, sizeof(err)) == HVB_EINVAL, "empty mask accepted");
	hvb_xt_mask_format(0x0028f000u, buf, sizeof(buf));
	CHECK(!strcmp(buf, "hvm,pv"), "mask format: %s", buf);
}

static void meta(void)
{
	struct hvb_xt_meta m, r;
	char path[] = "/tmp/hvb-xt-metaXXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		return;
	close(fd);
	hvb_xt_meta_init(&m);
	m.cpu_hz = 2095984000.0;
	m.pcpus = 2;
	m.numa_nodes = 1;
	m.vendor = HVB_XT_VENDOR_SVM;
	m.event_mask = 0x0ffff000u;
	m.rep = 3;
	m.ndomains = 1;
	m.domains[0].domid = 3;
	snprintf(m.domains[0].name, sizeof(m.domains[0].name), "guest-hvm");
	snprintf(m.domains[0].mode, sizeof(m.domains[0].mode), "hvm");
	CHECK(hvb_xt_meta_write(path, &m) == 0, "meta write");
	CHECK(hvb_xt_meta_read(path, &r) == 0 && r.cpu_hz == m.cpu_hz && r.vendor == HVB_XT_VENDOR_SVM && r.rep == 3 &&
	      r.ndomains == 1 && !strcmp(hvb_xt_meta_domain(&r, 3)->name, "guest-hvm"), "meta round trip");
	unlink(path);
	CHECK(hvb_xt_meta_read(path, &r) == HVB_ENOENT, "meta: missing file");
}

static void metrics(const char *dir)
{
	char path[4096];
	struct hvb_xt_opts o = { .cpu_hz = 2.1e9 };
	struct hvb_xt_summary *s;
	struct hvb_metrics ms = { 0 };
	const struct hvb_metric *m;

	snprintf(path, sizeof(path), "%s/fresh-pv-workload-all-5s.bin", dir);
	if (hvb_xt_summarize_file(path, &o, &s)) {
		CHECK(0, "metrics: decode");
		return;
	}
	CHECK(hvb_xt_summary_metrics(s, 1, &ms) == 0, "metrics");
	m = hvb_metrics_get(&ms, "xen.hypercall.mmu_update");
	CHECK(m && m->value == 71608, "xen.hypercall.mmu_update of d1: %g", m ? m->value : -1);
	m = hvb_metrics_get(&ms, "xen.grant.map");
	CHECK(m && m->value == 0, "xen.grant.map");
	hvb_metrics_free(&ms);
	hvb_xt_summary_free(s);
	snprintf(path, sizeof(path), "%s/fresh-hvm-workload-all-5s.bin", dir);
	if (hvb_xt_summarize_file(path, &o, &s) == 0) {
		CHECK(hvb_xt_summary_metrics(s, 3, &ms) == 0, "metrics hvm");
		m = hvb_metrics_get(&ms, "xen.exit.vmmcall");
		CHECK(m && m->value == 1168, "xen.exit.vmmcall of d3: %g", m ? m->value : -1);
		m = hvb_metrics_get(&ms, "xen.hypercall.vcpu_op");
		CHECK(m && m->value == 1168, "xen.hypercall.vcpu_op (VMMCALL) of d3: %g", m ? m->value : -1);
		hvb_metrics_free(&ms);
		hvb_xt_summary_free(s);
	}
}

/* The format table: forms of one id do not overlap, every form newer than 4.17 names its
 * Xen commit, and the layouts that kept their size read by version. */
static void formats(void)
{
	const struct xt_format *f, *g;
	uint32_t d417[4] = { 0x1000, 0, 0x00090001u, 0xdeadbeef }, d418[4] = { 0x1000, 0, 1, 9 };
	uint64_t v;
	int amb;

	for (size_t i = 0; (f = xt_format_at(i)); i++) {
		CHECK(f->from <= f->to && f->name, "format %#x: range", (unsigned)f->id);
		CHECK(f->from == XT_XEN(4, 17) || (f->commit && (strlen(f->commit) == 40 || !strncmp(f->commit, HVB_XT_HOOKS, strlen(HVB_XT_HOOKS)))), "format %s from %#x: no commit",
		      f->name, f->from);
		for (size_t k = i + 1; (g = xt_format_at(k)); k++)
			CHECK(g->id != f->id || g->from > f->to || g->to < f->from, "formats %s and %s overlap", f->name,
			      g->name);
	}
	f = xt_format_find(TRC_HVM_SVM_EXIT64, XT_XEN(4, 20), NULL);
	CHECK(f && !strcmp(f->name, "hvm.svm_exit64"), "4.20 SVM exit64");
	CHECK(!strcmp(hvb_xt_event_name_v(TRC_HVM_VMX_EXIT, XT_XEN(4, 17)), "hvm.vmexit") &&
	      !strcmp(hvb_xt_event_name_v(TRC_HVM_VMX_EXIT, XT_XEN(4, 22)), "hvm.vmx_exit"), "VMX exit names");
	f = xt_format_find(TRC_MEM_DECREASE_RESERVATION, 0, &amb);
	CHECK(f && amb, "decrease_reservation without a version is ambiguous");
	f = xt_format_find(TRC_MEM_DECREASE_RESERVATION, XT_XEN(4, 17), &amb);
	CHECK(f && xt_layout_field(f->layout, d417, 4, "order", &v) && v == 9, "4.17 decrease_reservation order");
	CHECK(xt_layout_field(f->layout, d417, 4, "d", &v) && v == 1, "4.17 decrease_reservation d");
	f = xt_format_find(TRC_MEM_DECREASE_RESERVATION, XT_XEN(4, 18), &amb);
	CHECK(f && xt_layout_field(f->layout, d418, 4, "order", &v) && v == 9, "4.18 decrease_reservation order");
	CHECK(xt_layout_field(f->layout, d418, 4, "gfn", &v) && v == 0x1000, "4.18 decrease_reservation gfn");
	{
		unsigned xv;
		CHECK(hvb_xt_xen_version_parse("4.17.5-pre", &xv) == 0 && xv == XT_XEN(4, 17), "4.17.5-pre");
		CHECK(hvb_xt_xen_version_parse("4.20", &xv) == 0 && xv == XT_XEN(4, 20), "4.20");
		CHECK(hvb_xt_xen_version_parse("four", &xv) == HVB_EINVAL, "'four' refused");
	}
}

/* A pCPU whose TSC goes back mid-trace: later records are moved forward, counted. */
static void tsc_backwards(void)
{
	static const uint32_t tscs[] = { 1000, 2000, 500, 600 };
	uint8_t b[12 + 4 * 16];
	struct hvb_xt_reader_stats st;
	const char *msg;
	uint64_t off, n;
	int e;

	st32(b, 2u << 28 | TRC_TRACE_CPU_CHANGE);
	st32(b + 4, 0);
	st32(b + 8, 4 * 16);
	for (int i = 0; i < 4; i++) {
		uint8_t *r = b + 12 + 16 * i;
		st32(r, TRC_HD_CYCLE_FLAG | 1u << 28 | TRC_SCHED_CONTINUE_RUNNING);
		st32(r + 4, tscs[i]);
		st32(r + 8, 0);
		st32(r + 12, 1u << 16);
	}
	e = decode(b, sizeof(b), &msg, &off, &n, &st);
	CHECK(e == 0 && n == 4 && st.tsc_backwards == 1 && st.out_of_order == 0,
	      "TSC backwards: %d, %llu records, %llu jumps, %llu out of order", e, (unsigned long long)n,
	      (unsigned long long)st.tsc_backwards, (unsigned long long)st.out_of_order);
}

/* A lost-records marker names the vCPU current after the gap: another one than before. */
static void lost_other_vcpu(void)
{
	struct hvb_xt_summary *s = hvb_xt_summary_new(NULL);
	struct hvb_xt_rec r = { .tsc = 100, .cpu = 0, .nextra = 1, .has_tsc = 1, .cls = HVB_XT_SCHED };
	uint32_t dom, vcpu;

	r.event = TRC_SCHED_RUNSTATE_CHANGE | 1u << 8 | 0u << 4; /* runnable -> running */
	r.d[0] = 1u << 16;                                     /* d1v0 */
	hvb_xt_summary_add(&r, s);
	r = (struct hvb_xt_rec){ .tsc = 500, .event = TRC_LOST_RECORDS, .nextra = 4, .has_tsc = 1, .cls = HVB_XT_GEN,
				 .d = { 7, 2u | 3u << 16, 200, 0 } }; /* 7 lost, then d2v3 */
	hvb_xt_summary_add(&r, s);
	r = (struct hvb_xt_rec){ .tsc = 600, .event = TRC_PV_HYPERCALL_V2, .nextra = 1, .has_tsc = 1, .cls = HVB_XT_PV,
				 .d = { 29 } };
	hvb_xt_summary_add(&r, s);
	hvb_xt_summary_owner(s, &r, &dom, &vcpu);
	CHECK(dom == 2 && vcpu == 3, "after a lost-records marker naming d2v3: d%uv%u", (unsigned)dom, (unsigned)vcpu);
	CHECK(s->unattributed == 0, "lost marker: %llu unattributed", (unsigned long long)s->unattributed);
	hvb_xt_summary_free(s);
}

static void quiet(enum hvb_log_level lvl, const char *msg, void *arg)
{
	(void)lvl; (void)msg; (void)arg;
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char dir[4096], path[4200];
	uint8_t *buf;
	size_t len;

	hvb_log_set_sink(quiet, NULL); /* the errors are expected: the checks read them back */
	snprintf(dir, sizeof(dir), "%s/tests/data/xentrace", top ? top : ".");
	snprintf(path, sizeof(path), "%s/fresh-hvm-workload-all-5s.bin", dir);
	if (!(buf = load(path, &len))) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	damaged(buf, len);
	lost(buf, len);
	masks();
	meta();
	metrics(dir);
	formats();
	tsc_backwards();
	lost_other_vcpu();
	free(buf);
	printf("%d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
