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
const struct hvb_probe_ops *hvb_probe_find(const char *name);

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

#endif
