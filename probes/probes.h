/* SPDX-License-Identifier: GPL-2.0-or-later */
/* probes/: one file per probe, each ending in a const ops table. A probe measures
 * around one sample; its figures become namespaced metrics of that sample. The
 * same probe code runs host-side (from the runner, around the agent) and
 * guest-side (inside the agent, around the workload). */
#ifndef HVB_PROBES_H
#define HVB_PROBES_H

#include <sys/types.h>
#include "results/results.h"

#define HVB_PROBE_HOST 0x1u  /* may run in the runner, around the agent process or guest */
#define HVB_PROBE_GUEST 0x2u /* may run inside the agent, around the workload */

/* What a probe watches. */
struct hvb_probe_target {
	pid_t pid;              /* process to watch (the agent, or the agent itself: getpid()) */
	int domid;              /* Xen domain id, -1 natively */
	const char *guest_name; /* Xen guest name, NULL natively */
	const char *artifact_dir; /* where a probe may leave files (trace captures) */
	const char *mode;       /* the cell's mode ("pv", "pvh", "hvm", ...), NULL when not known */
	int64_t run_id;         /* the run and cell the probe watches, 0 when not known */
	int cell;
};

struct hvb_probe_ops {
	const char *name;
	const char *summary;
	const struct hvb_option *options;
	const struct hvb_metric_doc *metrics;
	unsigned where;
	int (*supported)(char *why, size_t len);
	/* Prepares; *state is the probe's own. May fail with HVB_ESKIP and why. */
	int (*open)(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
		    size_t len);
	int (*start)(void *state);
	int (*stop)(void *state);
	/* Adds its figures ("perf.instructions") to out. */
	int (*collect)(void *state, struct hvb_metrics *out);
	void (*close)(void *state);
};

extern const struct hvb_probe_ops *const hvb_probes[]; /* NULL-terminated */
extern const struct hvb_probe_ops hvb_probe_perf, hvb_probe_tracefs, hvb_probe_numa, hvb_probe_steal,
	hvb_probe_blkback, hvb_probe_netback, hvb_probe_xentrace, hvb_probe_xenstat, hvb_probe_xenperf,
	hvb_probe_xenlockprof;
const struct hvb_probe_ops *hvb_probe_find(const char *name);
/* 1 when a metric belongs to a probe: its name starts with a namespace one of
 * the probes documents ("perf.", "lock.", "sched.", "numa.", ...). */
int hvb_probe_owns_metric(const char *name);

/* A set of opened probes run together around one sample. */
struct hvb_probe_set;
/* Opens each named probe that may run at `where`, with params[i] (from the
 * experiment's [probe.NAME] section; NULL: defaults). A probe that cannot run is
 * left out, and its reason is added to notes as "probe.NAME: reason". */
struct hvb_probe_set *hvb_probe_set_open(char *const *names, const struct hvb_params *params, size_t n,
					 unsigned where,
					 const struct hvb_probe_target *t, char *notes, size_t len);
int hvb_probe_set_start(struct hvb_probe_set *ps);
int hvb_probe_set_stop(struct hvb_probe_set *ps);
int hvb_probe_set_collect(struct hvb_probe_set *ps, struct hvb_metrics *out);
void hvb_probe_set_close(struct hvb_probe_set *ps);

/* Per-unit figures of a sample (backend-cost.c): from the sample's netback or blkback
 * counters, fio's I/Os and the xentrace probe's role figures, adds
 * cost.<direction>.<role>.<what>.per_<unit>: direction guest_tx|guest_rx (netback, the one
 * carrying most bytes) or read|write (blkback); role backend|guest; what grant_copies,
 * grant_maps, grant_unmaps, hypercalls, evtchn_ops (ops) or cpu_us, xen_us (µs); unit
 * packet, kib (both ways), request, io (fio's). Figures not measured stay absent. The
 * runner calls it after the probes' collect; the lab's assertions can read the names. */
int hvb_backend_cost(struct hvb_metrics *ms);
/* The spinlock slow path per operation (spin-cost.c): from the guest role's xentrace
 * figures and the workload's "ops", adds cost.spin.guest.<what>.per_op for what in polls,
 * kicks, sched_ops, evtchn_ops (the bounds of the two before), pause_exits, vmmcalls;
 * each only where the trace measured it (kicks: where Xen recorded event_channel_op's
 * cmd, which it never does today). */
int hvb_spin_cost(struct hvb_metrics *ms);

/* tracefs: removes the private instances (hvbench-<pid>-<n>) of processes that
 * are gone (killed before they could clean up). Returns how many it removed. The
 * runner calls it when it starts. */
int hvb_tracefs_cleanup_stale(void);

/* Readers behind the probes, public for the tests (root: "/" or a directory
 * tree laid out like /proc and /sys). */
#define HVB_IFNAMSIZ 16
/* Base pages per node of a numa_maps file; returns the number of nodes seen. */
int hvb_numa_maps_read(const char *path, uint64_t *pages, int maxnodes);
/* Every node's numastat counters summed into snap (name -> value). */
int hvb_numastat_read(const char *root, struct hvb_metrics *snap);
/* /proc/stat: stolen and total CPU time, in ticks. */
int hvb_steal_read_stat(const char *root, uint64_t *steal, uint64_t *total);
/* Two readings of the steal probe; the sample's figures from them (hz: ticks per
 * second). A counter that went backwards gives no figure and a warning. */
struct hvb_steal_snap {
	uint64_t steal, total, nvcsw, vcsw;
};
int hvb_steal_delta(const struct hvb_steal_snap *a, const struct hvb_steal_snap *b, long hz, struct hvb_metrics *out);
/* A perf event's figure from its readings {value, time_enabled, time_running}
 * at the start and the stop: the count scaled when multiplexed, and the share
 * of the time it was on the PMU. 1 with the figures; 0 when a reading went
 * backwards (warned); HVB_ESKIP when it was enabled but never on the PMU. */
int hvb_perf_scale(const char *event, const uint64_t before[3], const uint64_t after[3], double *count,
		   double *running_pct);
/* Context switches summed over the threads of pid. */
int hvb_steal_read_ctxt(const char *root, pid_t pid, uint64_t *nonvol, uint64_t *vol);
/* The statistics of the vbds of domid, summed; returns the number of vbds. */
int hvb_blkback_read(const char *root, int domid, struct hvb_metrics *snap);
/* The interface names of the vifs of domid; returns how many. */
int hvb_netback_vifs(const char *root, int domid, char names[][HVB_IFNAMSIZ], int max);
/* The summed ethtool and interface counters of domid's vifs under root; vifs that answered. */
int hvb_netback_read(const char *root, int domid, struct hvb_metrics *m);
/* An interface's ethtool statistics (ETHTOOL_GSTATS) added to snap; returns
 * their number, HVB_ESKIP when the driver keeps none. */
int hvb_ethtool_stats(const char *ifname, struct hvb_metrics *snap);

/* xenstat: one snapshot of a domain, as libxenstat gives it (bytes, ns, counts;
 * the device fields summed over the domain's vifs and vbds). */
enum hvb_xs_field {
	HVB_XS_CPU_NS, HVB_XS_VCPU_NS, HVB_XS_VCPUS, HVB_XS_VCPUS_ONLINE, HVB_XS_MEM_CUR, HVB_XS_MEM_MAX,
	HVB_XS_VIFS, HVB_XS_NET_TX_BYTES, HVB_XS_NET_TX_PACKETS, HVB_XS_NET_TX_ERRS, HVB_XS_NET_TX_DROP,
	HVB_XS_NET_RX_BYTES, HVB_XS_NET_RX_PACKETS, HVB_XS_NET_RX_ERRS, HVB_XS_NET_RX_DROP,
	HVB_XS_VBDS, HVB_XS_VBD_RD_REQ, HVB_XS_VBD_WR_REQ, HVB_XS_VBD_RD_SECT, HVB_XS_VBD_WR_SECT, HVB_XS_VBD_OO_REQ,
	HVB_XS_NFIELDS
};
struct hvb_xenstat_snap {
	uint64_t t_ns; /* CLOCK_MONOTONIC when taken */
	unsigned domid; /* which domain: counters of two different ones never subtract */
	char name[64];
	uint64_t v[HVB_XS_NFIELDS];
	unsigned char have[HVB_XS_NFIELDS]; /* 0: libxenstat did not give it */
};
/* Adds v to a field and marks it given. */
void hvb_xenstat_put(struct hvb_xenstat_snap *s, enum hvb_xs_field f, uint64_t v);
/* The sample's metrics from its two snapshots: counters as b - a, levels (vCPUs,
 * memory, device counts) as in b. The totals of vifs or vbds that changed during
 * the sample, a counter that went backwards, and every counter when the domain
 * was re-created (its id or name differ) are left out, with a warning. */
int hvb_xenstat_delta(const struct hvb_xenstat_snap *a, const struct hvb_xenstat_snap *b, struct hvb_metrics *out);

/* xenperf: one reading of Xen's software perf counters, in Xen's layout
 * (xen_sysctl_perfc_desc and _val): ndesc descriptions, then nvals values, the
 * nr_vals of each counter one after another. */
struct hvb_xenperf_desc {
	char name[80];
	uint32_t nr_vals;
};
struct hvb_xenperf_snap {
	unsigned ndesc, nvals;
	struct hvb_xenperf_desc *desc;
	uint32_t *vals;
};
/* The sample's metrics from two readings: "xenperf.<name>" the increase of
 * each counter summed over its values, the elements of array counters one by
 * one (when elements), status values as at the stop. A counter that went backwards (a reset,
 * a 32-bit wrap) or whose number of values changed is left out, with a
 * warning. */
int hvb_xenperf_delta(const struct hvb_xenperf_snap *a, const struct hvb_xenperf_snap *b, int elements,
		      struct hvb_metrics *out);
/* A counter's or lock's name as a metric name part: lower case, runs of
 * other characters as one '_'. */
void hvb_xenperf_slug(const char *name, char *out, size_t len);

/* xenlockprof: one reading of Xen's lock profile (xen_sysctl_lockprof_data).
 * Types as public/sysctl.h; GNTTAB is hvbench's hooks series' (patch 0003). */
enum { HVB_LOCKPROF_GLOBAL = 0, HVB_LOCKPROF_PERDOM = 1, HVB_LOCKPROF_GNTTAB = 2 };
struct hvb_xenlockprof_lock {
	char name[40];
	int32_t type, idx;
	uint64_t lock_cnt, block_cnt, lock_time_ns, block_time_ns;
};
struct hvb_xenlockprof_snap {
	uint64_t time_ns; /* since the profile was last reset */
	unsigned n;
	struct hvb_xenlockprof_lock *lock;
};
/* The sample's metrics from two readings, per lock
 * "xenlockprof.<scope>.<lock>.{locks,contentions,wait_ms,hold_ms}"; scope is
 * global, dom0, guest (domid's), gnttab_dom0 or gnttab_guest; other domains'
 * locks are left out. A reset between the readings gives no figures (warned). */
int hvb_xenlockprof_delta(const struct hvb_xenlockprof_snap *a, const struct hvb_xenlockprof_snap *b, int domid,
			  struct hvb_metrics *out);

#endif
