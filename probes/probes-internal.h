/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers the probes share; not part of probes/'s public face. */
#ifndef HVB_PROBES_INTERNAL_H
#define HVB_PROBES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "probes/probes.h"

/* Reads a small file whole (NUL-terminated) into buf; returns its length or a
 * negative code. */
ssize_t hvb_probe_read_file(const char *path, char *buf, size_t len);
/* The unsigned number in a file. */
int hvb_probe_read_u64(const char *path, uint64_t *out);
/* Joins root and a path ("/" root gives the path itself). */
void hvb_probe_path(char *out, size_t len, const char *root, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* 1 with *v when ms has the metric name (of that unit, unless NULL), else 0. */
int hvb_metric_value(const struct hvb_metrics *ms, const char *name, const char *unit, double *v);

/* The increase of a monotonic counter between two readings: 1 with *out set.
 * A counter that went backwards (a reset, a 32-bit wrap, steal time after a
 * migration, a device or domain re-created) has no honest figure: 0, *out
 * untouched, and a warning naming the counter and both readings. Every probe
 * that subtracts two readings goes through here. */
int hvb_counter_delta(const char *counter, uint64_t before, uint64_t after, uint64_t *out);

/* Counter snapshots kept as metrics (name, value): for each counter in `after`,
 * adds "<prefix>.<name>" = after - before to out, with unit and better taken
 * from docs (first entry whose name matches, else "count", info). A counter
 * that went backwards is left out (hvb_counter_delta). */
struct hvb_counter_doc {
	const char *name;
	const char *unit;
	enum hvb_better better;
};
int hvb_counters_delta(const struct hvb_metrics *before, const struct hvb_metrics *after, const char *prefix,
		       const struct hvb_counter_doc *docs, struct hvb_metrics *out);
/* ---- backend device statistics in dom0 (devstats.c: blkback, netback) ---- */
struct hvb_devstats_kind {
	const char *ns;         /* metric namespace: "blkback" */
	const char *count_name; /* "vbds": how many devices were read */
	const char *what;       /* "vbd", for messages */
	const struct hvb_counter_doc *docs;
	/* Sums the counters of domid's devices under root into m; returns how many devices. */
	int (*read)(const char *root, int domid, struct hvb_metrics *m);
};
struct hvb_devstats {
	const struct hvb_devstats_kind *k;
	char root[256];
	int domid, ndev;
	struct hvb_metrics s0, s1;
};
int hvb_devstats_supported(char *why, size_t len);
int hvb_devstats_open(const struct hvb_devstats_kind *k, const struct hvb_params *p,
		      const struct hvb_probe_target *t, void **state, char *why, size_t len);
int hvb_devstats_start(void *state);
int hvb_devstats_stop(void *state);
int hvb_devstats_collect(void *state, struct hvb_metrics *out);
void hvb_devstats_close(void *state);

/* ---- probes that subtract two readings of their source (snapshot.c: xenperf,
 * xenlockprof, xenstat) ---- */
/* The probe's part: its own state (options, library handle) and one reading
 * are opaque blocks of the sizes given, zeroed when allocated. */
struct hvb_snapshot_ops {
	size_t priv_size, snap_size;
	/* Reads the options and opens the source; may take a first reading into
	 * snap (xenstat: to say before any sample what the domain lacks).
	 * Fails with HVB_ESKIP and why when the source cannot be read here. */
	int (*init)(void *priv, void *snap, const struct hvb_params *p, const struct hvb_probe_target *t, char *why,
		    size_t len);
	/* Replaces snap (zeroed or an earlier reading) with a new reading. */
	int (*read)(void *priv, void *snap);
	/* Adds the figures of the start's reading a and the stop's b to out. */
	int (*delta)(const void *priv, const void *a, const void *b, struct hvb_metrics *out);
	/* What a reading holds (NULL: nothing beyond its block). */
	void (*free_snap)(void *snap);
	/* Closes the source; also after a failed init or on a zeroed priv (NULL: nothing). */
	void (*fini)(void *priv);
};
/* The probe calls: open allocates and inits; start and stop read into the
 * start's and the stop's reading; collect subtracts; close frees all. */
int hvb_snapshot_open(const struct hvb_snapshot_ops *ops, const struct hvb_params *p,
		      const struct hvb_probe_target *t, void **state, char *why, size_t len);
int hvb_snapshot_start(void *state);
int hvb_snapshot_stop(void *state);
int hvb_snapshot_collect(void *state, struct hvb_metrics *out);
void hvb_snapshot_close(void *state);

/* xenstat's metrics, indexed by enum hvb_xs_field, then the derived ones (xenstat-delta.c). */
extern const struct hvb_metric_doc hvb_xenstat_metrics[];
/* xenperf's and xenlockprof's metric docs (xenperf-delta.c, xenlockprof-delta.c). */
extern const struct hvb_metric_doc hvb_xenperf_metrics[], hvb_xenlockprof_metrics[];
/* 1 in a Xen dom0 (/proc/xen/capabilities says control_d). */
int hvb_probe_in_dom0(void);

/* ---- probes that ask Xen through libxenctrl (xenctl.c) ---- */
/* supported() of a build without libxenctrl: 0 and the reason. */
int hvb_probe_no_libxen(char *why, size_t len);
/* open() of a build without libxenctrl: HVB_ESKIP and the reason. */
int hvb_probe_open_no_libxen(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			     size_t len);
#ifdef HAVE_LIBXEN
#include <xenctrl.h>
/* libxenctrl in dom0, or NULL and why. */
xc_interface *hvb_probe_xc_open(char *why, size_t len);
/* 1 when a hook's query succeeded (rc 0); else 0 and why: ENOSYS means the
 * hypervisor was built without kconfig. */
int hvb_probe_xen_hook(int rc, int err, const char *kconfig, const char *what, char *why, size_t len);
/* A hook's query: 1 when it answered, else 0 and why (as hvb_probe_xen_hook). */
typedef int hvb_xen_hook_query(xc_interface *x, char *why, size_t len);
/* libxenctrl opened and the hook's query answered, or NULL and why. */
xc_interface *hvb_probe_xc_hook_open(hvb_xen_hook_query *query, char *why, size_t len);
/* supported() of a probe of a hook: the same, closed again. */
int hvb_probe_xc_hook_supported(hvb_xen_hook_query *query, char *why, size_t len);
#endif

/* Adds value to the counter `name` in snap (creating it). */
int hvb_counter_add(struct hvb_metrics *snap, const char *name, double value);

#endif
