/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probes/xentrace/: a streaming decoder and analyser for xentrace files.
 *
 * A xentrace file has no header: it is a sequence of windows, each a TRC_TRACE_CPU_CHANGE
 * record (cpu, size) followed by that many bytes of one physical CPU's records.  The reader
 * follows the windows, keeps one buffered stream and one TSC per pCPU, and merges the
 * streams in TSC order with a binary heap; memory stays flat whatever the file size.
 * The summary attributes each record to the vCPU running on its pCPU (from the scheduler's
 * runstate records) and aggregates per domain and vCPU.  Event ids and layouts come from
 * hvbench's own table of record formats by Xen version (formats.c), not from Xen's
 * headers: one binary reads traces of Xen 4.17 to 4.22. */
#ifndef HVB_XENTRACE_H
#define HVB_XENTRACE_H

#include <stdint.h>
#include <stdio.h>
#include <jansson.h>
#include "results/results.h"

/* ---- trace classes (bits 16-27 of an event id) ---- */
enum hvb_xt_class {
	HVB_XT_GEN, HVB_XT_SCHED, HVB_XT_DOM0OP, HVB_XT_HVM, HVB_XT_MEM, HVB_XT_PV,
	HVB_XT_SHADOW, HVB_XT_HW, HVB_XT_GUEST,
	HVB_XT_OTHER,   /* no single known class bit: counted, never decoded */
	HVB_XT_NCLASS
};
const char *hvb_xt_class_name(enum hvb_xt_class c);
enum hvb_xt_class hvb_xt_event_class(uint32_t event);
/* "pv.hypercall_v2" for known event ids, NULL otherwise (the oldest form's name). */
const char *hvb_xt_event_name(uint32_t event);
/* The name Xen version xen (major << 8 | minor, 0 = unknown) gives the id. */
const char *hvb_xt_event_name_v(uint32_t event, unsigned xen);
/* "4.19", "4.17.5-pre" -> 0x0413, 0x0411; "" or NULL -> 0 (unknown); HVB_EINVAL otherwise. */
int hvb_xt_xen_version_parse(const char *s, unsigned *out);

/* Event mask from class names: "hvm,sched,pv" -> 0x0028f000 (the TRC_* class values
 * or-ed together); "all"; a hex number passes through.  On error writes what was wrong,
 * with a did-you-mean, into err. */
int hvb_xt_mask_parse(const char *spec, uint32_t *mask, char *err, size_t errlen);
/* "hvm,sched" from a mask; unknown bits as hex. */
void hvb_xt_mask_format(uint32_t mask, char *buf, size_t len);

/* ---- records and the reader ---- */
struct hvb_xt_rec {
	uint64_t tsc;     /* own TSC, or the last one seen on the same pCPU (0 before any) */
	uint64_t off;     /* byte offset of the record's header in the file */
	uint32_t event;   /* event id, bits 0-27 of the header */
	uint32_t cpu;     /* physical CPU (from the window's CPU_CHANGE) */
	uint8_t nextra;   /* extra 32-bit words in d[] */
	uint8_t has_tsc;
	uint8_t cls;      /* enum hvb_xt_class of event */
	uint32_t d[7];
};

struct hvb_xt_volume {
	uint64_t records[HVB_XT_NCLASS];
	uint64_t bytes[HVB_XT_NCLASS];
};

struct hvb_xt_reader_stats {
	uint64_t file_bytes;
	uint64_t records;       /* records decoded (without CPU_CHANGE and wrap padding) */
	uint64_t windows;       /* CPU_CHANGE windows followed */
	uint64_t wrap_records;  /* TRC_TRACE_WRAP_BUFFER padding skipped */
	uint64_t lost_markers;  /* TRC_LOST_RECORDS records */
	uint64_t lost_records;  /* sum of their lost counts */
	uint64_t out_of_order;  /* records delivered with a TSC below the previous one */
	uint64_t tsc_backwards; /* records whose pCPU's TSC went back (undone: see reader.c) */
	uint32_t ncpus;         /* pCPUs seen (highest id + 1) */
};

struct hvb_xt_reader;
/* NULL on error, with the reason logged. */
struct hvb_xt_reader *hvb_xt_reader_open(const char *path);
/* Reads from memory (tests, fuzzing); buf must outlive the reader. */
struct hvb_xt_reader *hvb_xt_reader_open_mem(const void *buf, size_t len, const char *name);
void hvb_xt_reader_close(struct hvb_xt_reader *rd);
/* Called for each record in TSC order; a non-zero return stops the run and is returned. */
typedef int (*hvb_xt_rec_cb)(const struct hvb_xt_rec *r, void *arg);
/* 0 at the end of the file; HVB_EINVAL for a file that is not xentrace (no leading
 * CPU_CHANGE, a bad window); HVB_EIO on a read error.  HVB_ETRUNC when a record or window
 * runs past the end: every whole record of every pCPU has then been delivered, and
 * hvb_xt_reader_truncated() says whether there was at least one (a usable, cut capture)
 * or none (an error).  The reason and byte offset are logged (a warning for a usable cut)
 * and kept. */
int hvb_xt_reader_run(struct hvb_xt_reader *rd, hvb_xt_rec_cb cb, void *arg);
const struct hvb_xt_reader_stats *hvb_xt_reader_stats(const struct hvb_xt_reader *rd);
/* Cycles added to the TSCs of pCPU i (i < n) before merging: the skew correction the
 * summary found (off must outlive the run). */
void hvb_xt_reader_set_tsc_offsets(struct hvb_xt_reader *rd, const uint64_t *off, uint32_t n);
/* 1 when the last run ended at a cut (HVB_ETRUNC) after at least one whole record. */
int hvb_xt_reader_truncated(const struct hvb_xt_reader *rd);
/* Bytes and records per class of one pCPU (NULL when the pCPU was not seen). */
const struct hvb_xt_volume *hvb_xt_reader_volume(const struct hvb_xt_reader *rd, uint32_t cpu);
/* The error message of the last failed run ("" when none), and its byte offset. */
const char *hvb_xt_reader_error(const struct hvb_xt_reader *rd, uint64_t *off);

/* ---- metadata written beside a trace (FILE.meta.json): what xentrace does not record ---- */
#define HVB_XT_META_MAXDOM 64
enum hvb_xt_vendor { HVB_XT_VENDOR_AUTO, HVB_XT_VENDOR_SVM, HVB_XT_VENDOR_VMX };
struct hvb_xt_meta_domain {
	uint32_t domid;
	char name[64];
	char mode[24];      /* the cell's mode: pv, pvh, hvm, hvm-emu (-shadow); "" = unknown */
};
struct hvb_xt_meta {
	double cpu_hz;      /* 0 = unknown */
	int pcpus, numa_nodes; /* the host's (Xen's physinfo), not dom0's; 0 = unknown (written as null) */
	enum hvb_xt_vendor vendor; /* AUTO = unknown */
	uint32_t event_mask;
	char xen_version[32];
	int64_t run_id, cell_id, rep; /* -1 = none */
	size_t ndomains;
	struct hvb_xt_meta_domain domains[HVB_XT_META_MAXDOM];
};
void hvb_xt_meta_init(struct hvb_xt_meta *m);
/* "TRACE.meta.json" */
int hvb_xt_meta_path(const char *trace_path, char *buf, size_t len);
/* HVB_ENOENT when the file does not exist; HVB_EINVAL with the reason logged when malformed. */
int hvb_xt_meta_read(const char *path, struct hvb_xt_meta *m);
int hvb_xt_meta_write(const char *path, const struct hvb_xt_meta *m);
const struct hvb_xt_meta_domain *hvb_xt_meta_domain(const struct hvb_xt_meta *m, uint32_t domid);
/* The CPU vendor (vendor_id: AuthenticAMD and HygonGenuine have SVM, GenuineIntel,
 * CentaurHauls and "  Shanghai  " VMX) and "cpu MHz" of the first processor of a
 * /proc/cpuinfo-format file into m (vendor, and cpu_hz when m has none); fields the file
 * lacks stay unknown.  HVB_EIO when it cannot be read. */
int hvb_xt_meta_cpuinfo(struct hvb_xt_meta *m, const char *path);

/* ---- names ---- */
const char *hvb_xt_hypercall_name(uint32_t nr);       /* NULL when unknown */
/* Exit reason name ("npf", "msr", "ept_violation"); NULL when unknown. */
const char *hvb_xt_exit_name(enum hvb_xt_vendor v, uint32_t reason);
const char *hvb_xt_runstate_name(unsigned state);     /* running runnable blocked offline */

/* ---- the summary ---- */
#define HVB_XT_DOM_UNKNOWN 0x10000u  /* records seen before any runstate record on their pCPU */
#define HVB_XT_DOM_IDLE 0x7fffu

struct hvb_xt_opts {
	double cpu_hz;             /* 0: times in cycles only */
	enum hvb_xt_vendor vendor; /* AUTO: SVM when an exit code only SVM has appears */
	const struct hvb_xt_meta *meta; /* optional: domain names and modes */
	unsigned xen_version;      /* major << 8 | minor; 0: the metadata's, else unknown */
};

struct hvb_xt_summary;
struct hvb_xt_summary *hvb_xt_summary_new(const struct hvb_xt_opts *o);
void hvb_xt_summary_free(struct hvb_xt_summary *s);
/* Feeds one record (usable as an hvb_xt_rec_cb with the summary as arg). */
int hvb_xt_summary_add(const struct hvb_xt_rec *r, void *summary);
/* Closes open intervals at the last TSC, takes the reader's volumes and lost counts. */
int hvb_xt_summary_finish(struct hvb_xt_summary *s, const struct hvb_xt_reader *rd);
/* Opens, reads and summarises a file in one call.  A file cut short (xentrace killed, disk
 * full) after at least one whole record gives 0 and the summary of every whole record,
 * marked (hvb_xt_summary_truncated); one with no whole record is HVB_ETRUNC. */
int hvb_xt_summarize_file(const char *path, const struct hvb_xt_opts *o, struct hvb_xt_summary **out);
/* The domain and vCPU a record belongs to: the one named in sched payloads, else the vCPU
 * current on its pCPU after the record was fed (HVB_XT_DOM_UNKNOWN when none). */
void hvb_xt_summary_owner(const struct hvb_xt_summary *s, const struct hvb_xt_rec *r,
			  uint32_t *dom, uint32_t *vcpu);
enum hvb_xt_vendor hvb_xt_summary_vendor(const struct hvb_xt_summary *s);
/* The vendor the exit records name (Xen 4.19 and later), AUTO when none did. */
enum hvb_xt_vendor hvb_xt_summary_record_vendor(const struct hvb_xt_summary *s);
uint64_t hvb_xt_summary_first_tsc(const struct hvb_xt_summary *s);
/* 1 when the file was cut: the figures cover the whole records before byte *off. */
int hvb_xt_summary_truncated(const struct hvb_xt_summary *s, uint64_t *off);

/* The summary as JSON. Each vCPU's tsc_skew_uncertain names the sections of its object
 * whose figures were measured between pCPUs whose TSCs were corrected for skew (bounds,
 * not values): "runstates" with those cycles, "wake_latency" with those samples; {} when
 * none (tsc_skew_uncertain_cycles: both kinds' cycles; the trace's tsc_skew: each skew). */
json_t *hvb_xt_summary_json(const struct hvb_xt_summary *s);
/* Text report into f (the caller chooses the stream). */
int hvb_xt_summary_write_text(const struct hvb_xt_summary *s, FILE *f);
/* Metrics of one domain (domid >= 0) or of all domains but idle (domid < 0):
 * xen.hypercall.<name> (PV and VMMCALL), xen.exit.<reason> and xen.exit_cycles.<reason>,
 * xen.grant.map|unmap|transfer (done by), xen.grant_for.*, xen.runstate.<state> (seconds, or
 * cycles without a CPU frequency), xen.wake_latency.p50|p95, xen.spinlock.poll|kick,
 * xen.lost_records, xen.tsc_jumps when intervals over 2^48 cycles were left out (a corrupt TSC),
 * with TSC skew between pCPUs xen.tsc_skew_cycles and the marks of the figures it makes bounds:
 * xen.runstate_skew_uncertain (the runstate time, s or cycles, measured between corrected
 * pCPUs) and xen.wake_latency_skew_uncertain (wake-ups so measured; absent when 0),
 * and for a cut file xen.trace_truncated_at (the byte offset: the other
 * figures then cover only the records before it). */
int hvb_xt_summary_metrics(const struct hvb_xt_summary *s, int64_t domid, struct hvb_metrics *ms);
/* The same under another prefix than "xen" (the probe's roles: "xen.guest", "xen.backend"),
 * with also: <prefix>.hypercalls (all, multicall entries included), .xen_time (s from VM
 * exits to entries, HVM/PVH), from the hypercalls' arguments .gnttab.<sub-op>.calls|ops,
 * .mmu_update.updates|continued, .mmuext_op.ops|continued, .pt_updates,
 * .multicall.entries and .multicall.entry.<name>; or, where the records carry no
 * arguments, .hypercall_args_absent (calls) instead; and where the trace has the hooks'
 * grant copy records, .grant.copy (ops), .grant.copy_bytes|copy_failed|copy_batches. */
int hvb_xt_summary_metrics_as(const struct hvb_xt_summary *s, int64_t domid, const char *prefix,
			      struct hvb_metrics *ms);

/* The probe's figures by role (xentrace-capture.c): guest >= 0: the guest's as xen.guest.*
 * and domain backend's as xen.backend.*; guest < 0 (a native cell in dom0): every domain's
 * as xen.host.*. */
int hvb_xt_role_metrics(const struct hvb_xt_summary *sum, int guest, int backend, struct hvb_metrics *out);
/* The metadata the probe writes beside a capture of target t (xentrace-capture.c): the
 * domain with its name and the cell's mode, the run and cell; with cpuinfo NULL the host's
 * pCPUs, NUMA nodes and TSC frequency from Xen's physinfo, the Xen version from
 * /sys/hypervisor and the vendor from /proc/cpuinfo, else the vendor (and frequency) from
 * that file only.  cpu_hz > 0 (the probe's option) wins.  What is not known stays unknown. */
struct hvb_probe_target;
int hvb_xt_capture_meta(struct hvb_xt_meta *m, const struct hvb_probe_target *t, uint32_t mask, double cpu_hz,
			const char *cpuinfo);

/* One line describing a record, for "trace dump". */
void hvb_xt_rec_format(const struct hvb_xt_rec *r, enum hvb_xt_vendor v, char *buf, size_t len);
/* The same with the Xen version that wrote the trace (XT_XEN form; 0 = unknown): record
 * names and the layouts that changed between versions follow it. */
void hvb_xt_rec_format_v(const struct hvb_xt_rec *r, enum hvb_xt_vendor v, unsigned xen, char *buf, size_t len);

#endif
