/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hv/: the hypervisor side. Topology, placement policies and the backends that
 * start an agent (a native child process, or a Xen guest). */
#ifndef HVB_HV_H
#define HVB_HV_H

#include <stdint.h>
#include <sys/types.h>
#include "results/results.h"

/* jansson's json_t, without its header here: objects pass between layers as objects. */
struct json_t;

#define HVB_MAX_CPUS 1024
/* Linux's MAX_NUMNODES at its largest (NODES_SHIFT 10); a topology beyond it is
 * refused with the reason, never cut short. */
#define HVB_MAX_NODES 1024

struct hvb_cpuset {
	uint64_t bits[HVB_MAX_CPUS / 64];
};
static inline void hvb_cpuset_set(struct hvb_cpuset *s, int cpu) { s->bits[cpu / 64] |= 1ULL << (cpu % 64); }
static inline int hvb_cpuset_has(const struct hvb_cpuset *s, int cpu)
{
	return cpu >= 0 && cpu < HVB_MAX_CPUS && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}
int hvb_cpuset_count(const struct hvb_cpuset *s);
int hvb_cpuset_equal(const struct hvb_cpuset *a, const struct hvb_cpuset *b);
/* "0-3,8" */
void hvb_cpuset_format(const struct hvb_cpuset *s, char *buf, size_t len);
int hvb_cpuset_parse(const char *list, struct hvb_cpuset *out);
/* Sets of NUMA nodes (by os index, or by topology index where said) use the
 * same bits and list syntax as CPU sets: HVB_MAX_NODES <= HVB_MAX_CPUS. */
typedef struct hvb_cpuset hvb_nodeset;
int hvb_nodeset_first(const hvb_nodeset *s); /* -1 when empty */

struct hvb_node {
	int os_index;
	struct hvb_cpuset cpus;
	int ncpus;
	uint64_t mem_bytes;  /* 0: no memory (a memoryless node with CPUs) */
	uint64_t free_bytes; /* 0 when unknown */
	char subtype[16];    /* hwloc's memory kind for memory-only nodes: "HBM", "MCDRAM", "NVM", "CXL-DRAM"; "" DRAM */
};

struct hvb_topo {
	char source[160];      /* "hwloc (this host)", "synthetic:...", "xml:PATH", "xen physinfo" */
	int nnodes;
	struct hvb_node nodes[HVB_MAX_NODES]; /* each CPU in at most one node's cpus */
	int npus, ncores, npackages;
	uint64_t llc_bytes;    /* largest last-level cache, 0 when unknown */
	int *distances;        /* nnodes x nnodes, NULL when the source has none */
	struct hvb_cpuset allowed;
};

/* This host as hwloc sees it, restricted to the CPUs this process may use. */
struct hvb_topo *hvb_topo_native(void);
/* "synthetic:node:2 core:2 pu:1" or "xml:PATH" (hwloc XML), for tests and planning.
 * NULL with hwloc's own reason logged when hwloc cannot read it. */
struct hvb_topo *hvb_topo_load(const char *spec);
void hvb_topo_free(struct hvb_topo *t);
int hvb_topo_distance(const struct hvb_topo *t, int from_idx, int to_idx); /* -1 unknown */
/* JSON text describing the topology (caller frees). */
struct json_t *hvb_topo_json(const struct hvb_topo *t); /* a new reference */

/* ---- placement ---- */
enum hvb_placement_kind {
	HVB_PL_NONE, HVB_PL_AUTO, HVB_PL_LOCAL, HVB_PL_REMOTE, HVB_PL_INTERLEAVE, HVB_PL_SPLIT, HVB_PL_RANDOM,
};
extern const char *const hvb_placement_names[]; /* NULL-terminated, indexed by kind */
int hvb_placement_kind_parse(const char *name);
enum hvb_mempolicy { HVB_MEM_DEFAULT, HVB_MEM_BIND, HVB_MEM_INTERLEAVE };

struct hvb_placement {
	enum hvb_placement_kind kind;
	struct hvb_cpuset cpus; /* empty: every allowed CPU */
	hvb_nodeset cpu_nodes;  /* node indices (bit i = topo->nodes[i]) the CPUs come from */
	hvb_nodeset mem_nodes;  /* node os indices memory is bound or interleaved to */
	enum hvb_mempolicy mempolicy;
	uint64_t seed;
	char desc[640];         /* human text: "CPUs 0-1 on node 0, memory bound to node 1" */
	int split_mem[2];       /* split: os index of each half's memory node (the vNUMA nodes' pnodes) */
	char mem_note[256];     /* why memory is where it is when not on the CPUs' own node, else "" */
};
/* Plans where vcpus CPUs and the memory go. HVB_ESKIP with why when this topology
 * cannot honour the placement (remote on one node): never a silent fallback. */
int hvb_placement_plan(const struct hvb_topo *t, enum hvb_placement_kind kind, int vcpus, uint64_t seed,
		       struct hvb_placement *out, char *why, size_t len);
/* A split guest's NUMA nodes as its kernel sees them (seen; -1 unknown) against the cell's vnuma
 * (1: exposed, two or more; 0: hidden, one; -1: does not apply): 0, or HVB_EIO with why. */
int hvb_vnuma_check(int asked, int seen, char *why, size_t len);
/* Guest guest (from 0) of a cell of several (experiment key guests): each placed
 * by the policy, the first node tried is node guest mod nodes (guests spread
 * over the nodes), on CPUs no earlier guest took (taken, updated) while there are
 * enough, else sharing them, said in mem_note. Random: the caller passes each
 * guest its own seed (independent draws). */
int hvb_placement_plan_guest(const struct hvb_topo *t, enum hvb_placement_kind kind, int vcpus, uint64_t seed,
			     int guest, struct hvb_cpuset *taken, struct hvb_placement *p, char *why, size_t len);
/* The share of memory accesses a plan makes local, expected from where its CPUs
 * and memory are: CPUs on a node their memory is bound to (1 each), or 1/k of
 * an interleave over k nodes including theirs; NAN when the plan leaves the CPUs
 * or the memory to the kernel or hypervisor (none, auto). */
double hvb_placement_local_share(const struct hvb_topo *t, const struct hvb_placement *p);
/* Applies to the calling process (inherited across fork and exec). */
int hvb_placement_apply(const struct hvb_placement *p, char *why, size_t len);
/* JSON text of the plan (caller frees). */
struct json_t *hvb_placement_obj(const struct hvb_placement *p); /* a new reference */
char *hvb_placement_json(const struct hvb_placement *p);            /* its text; caller frees */

/* What a process or guest actually got, read back after the fact. */
struct hvb_placement_seen {
	struct hvb_cpuset cpus;
	enum hvb_mempolicy mempolicy;
	hvb_nodeset mem_nodes;
};
/* The calling process's own affinity and memory policy. */
int hvb_placement_self(struct hvb_placement_seen *seen);
/* 1 when seen matches the plan; otherwise 0 and why. */
int hvb_placement_verify(const struct hvb_placement *plan, const struct hvb_placement_seen *seen, char *why,
			 size_t len);
const char *hvb_mempolicy_name(enum hvb_mempolicy m);

/* ---- backends: one file each, ending in a const ops table ---- */
/* A setting left to the kernels (zero: what a spec that does not name it gets), or asked. */
enum hvb_setting { HVB_SET_DEFAULT, HVB_SET_ON, HVB_SET_OFF };
/* As 1 on, 0 off, -1 default (the cell's and hv/xen-devices.c's form), and back. */
#define HVB_SETTING_INT(s) ((s) == HVB_SET_ON ? 1 : (s) == HVB_SET_OFF ? 0 : -1)
#define HVB_SETTING_OF(v) ((v) > 0 ? HVB_SET_ON : (v) == 0 ? HVB_SET_OFF : HVB_SET_DEFAULT)
struct hvb_guest_spec {
	const char *mode;        /* "native", "pv", "pvh", "hvm" */
	int vcpus;
	uint64_t memory;
	const struct hvb_placement *placement;
	const char *name;        /* "hvbench-RUN-CELL" */
	double boot_timeout_s;
	int need_disk, need_peer;
	const char *agent;       /* native: the hvbench binary to run as agent (NULL: this one) */
	int nopvspin;            /* Xen: the guest kernel's PV spinlocks off (experiment key pvspin = off) */
	int hide_vnuma;          /* Xen, split placement: no virtual NUMA nodes (experiment key vnuma = off) */
	/* Xen PV devices (experiment keys feature_persistent, max_queues), set on both ends
	 * and read back (hv/xen-devices.c): persistent grants, and queues > 0 netback's and
	 * netfront's max_queues (0 their default). Other backends refuse a spec that asks. */
	enum hvb_setting persistent;
	int net_queues;
	/* out, when set: the guest's console log, filled by start() also when it
	 * fails, so that a guest that never came up has its log attached */
	char *console_path;
	size_t console_path_len;
};

/* What a host has for guests, in bytes. */
struct hvb_host_memory {
	uint64_t total; /* the host's memory */
	uint64_t free;  /* not held by any domain: what new guests are built from */
	uint64_t dom0;  /* held by the control domain (0: none, natively) */
	char source[64]; /* where the figures come from: "Xen physinfo" */
};

struct hvb_guest; /* owned by its backend */
struct hvb_antagonists; /* owned by its backend */

struct hvb_backend_ops {
	const char *name;
	const char *summary;
	const char *const *modes;           /* NULL-terminated */
	int (*supported)(const char *mode, char *why, size_t len);
	/* The machine as this backend sees it (Xen: from the hypervisor, not dom0). */
	struct hvb_topo *(*topology)(void);
	/* What the host is called in results: "bare metal", "dom0 (PV)". */
	const char *(*host_kind)(void);
	/* Starts a guest (or process) with its agent; out is the backend's handle. */
	int (*start)(const struct hvb_guest_spec *spec, struct hvb_guest **out, char *why, size_t len);
	/* Descriptors of the agent channel. */
	int (*channel)(struct hvb_guest *g, int *rfd, int *wfd);
	/* Fills JSON text (caller frees) describing where the guest really runs. */
	int (*readback)(struct hvb_guest *g, struct json_t **out);
	/* Peer and disk the workloads use (NULL when none). */
	const char *(*disk)(struct hvb_guest *g);
	const char *(*peer)(struct hvb_guest *g);
	pid_t (*pid)(struct hvb_guest *g); /* the agent's pid in this OS, or -1 */
	/* Stops the guest and frees g; force kills without waiting. */
	int (*stop)(struct hvb_guest *g, int force);
	/* Optional. When set, the placement is verified from outside by readback
	 * (1 honoured, 0 not and why, <0 error) instead of from the agent's own
	 * report: inside a guest the agent sees vCPU numbers, not the plan's pCPUs. */
	int (*verify)(struct hvb_guest *g, const struct hvb_placement *plan, char *why, size_t len);
	/* Optional: the guest's Xen domain id for host probes (-1 when none). */
	int (*domid)(struct hvb_guest *g);
	/* Optional: 0 while the guest runs, else HVB_ECHILD with why saying how it ended
	 * (Xen: the domain shut down, crashed or vanished). Asked while the runner waits
	 * for the agent, so that a guest that died is not waited for until the timeout:
	 * a triple-faulting HVM guest is "rebooted" by Xen and, without xl's daemon to act
	 * on its on_reboot, keeps its device model's channel open. */
	int (*alive)(struct hvb_guest *g, char *why, size_t len);
	/* Optional: a file holding the guest's console output, attached to a failed start. */
	const char *(*console_log)(struct hvb_guest *g);
	/* Optional: destroys what killed runs left behind (dry_run: only lists it),
	 * one line each in report; returns how many, or a negative code. */
	int (*cleanup)(int dry_run, char *report, size_t len);
	/* Optional: starts per_cpu CPU-burning antagonists on each CPU the guest
	 * runs on, to run through one sample (the runner starts them before the
	 * sample's probes and stops them after): more runnable vCPUs than pCPUs,
	 * which lock-holder preemption needs (experiment key antagonists). stop
	 * fills note with what they ran, measured. Native: hog processes pinned one
	 * CPU each (hv/antagonist.c). Xen: a PV domain of per_cpu vCPUs per
	 * pCPU of the cell, pinned there, its agent burning them (hvbench.burn=1),
	 * booted at the first start, paused by stop and destroyed with the guest;
	 * a backend without it skips a cell that asks for antagonists, saying so. */
	int (*antagonists_start)(struct hvb_guest *g, int per_cpu, struct hvb_antagonists **out, char *why,
				 size_t len);
	void (*antagonists_stop)(struct hvb_guest *g, struct hvb_antagonists *a, char *note, size_t len);
	/* Optional (order = interleaved: the cells take turns, their guests alive
	 * together): pause 1 freezes a live guest for the turns of the others, 0 lets
	 * it run again; 0, or a negative code with why. Xen: libxl_domain_pause and
	 * unpause. Native: SIGSTOP and SIGCONT to the agent's process group, waited for
	 * until the kernel says so (the agent dies with the runner: PR_SET_PDEATHSIG). */
	int (*pause)(struct hvb_guest *g, int pause, char *why, size_t len);
	/* Optional: whether the guest is paused, read back from the hypervisor (Xen's
	 * domain info) or the kernel (/proc/PID/stat state T): 1, 0, or -1 unknown. */
	int (*paused)(struct hvb_guest *g);
	/* Optional: what the host has for guests (Xen: physinfo's total and free
	 * pages, dom0's current memory; native: MemTotal and MemAvailable); 0, or a
	 * negative code with why. */
	int (*memory)(struct hvb_host_memory *m, char *why, size_t len);
	/* Optional: bytes of the host's free memory one guest of the mode takes
	 * (its memory and the hypervisor's own for it), with its antagonists' when
	 * antagonists > 0 (experiment key antagonists); absent: guests hold none
	 * between samples (native agents). */
	uint64_t (*footprint)(const char *mode, int vcpus, uint64_t memory, int antagonists);
	/* 1 when many guests may live at once cheaply, so that the cells of several
	 * runs can take turns (hvbench run A.ini B.ini); a Xen guest holds memory and
	 * takes a minute to boot: its cells take turns inside one run only, where the
	 * plan checks that they fit (bench/turns.c). */
	int side_by_side;
};

/* ---- Linux's PV spinlocks in a guest (hv/pvspin.c) ---- */
/* 1 when a kernel command line has the word w (whole, between spaces). */
int hvb_cmdline_has_word(const char *cmdline, const char *w);
/* 1 when a kernel release ("6.1.0-13-amd64") is major.minor or later; 0 also when unreadable. */
int hvb_kernel_at_least(const char *release, int major, int minor);
/* The command-line word that turns a kernel's PV spinlocks off: nopvspin from 5.9,
 * xen_nopvspin before and when the release is unknown (NULL). */
const char *hvb_nopvspin_word(const char *release);
/* The release of an x86 bzImage, from its setup header; 0, HVB_EIO, or HVB_EINVAL. */
int hvb_bzimage_release(const char *path, char *out, size_t len);
/* The last "xen: PV spinlocks enabled|disabled" of a kernel log: 1, 0, or -1 when absent. */
int hvb_pvspin_log_state(const char *log);
/* 1 when a command line turns PV spinlocks off for that kernel release. */
int hvb_pvspin_cmdline_off(const char *cmdline, const char *release);
/* This kernel's view (the agent's, inside the guest): {cmdline, cmdline_off, kernel,
 * log: "enabled"|"disabled"|null, log_source}; a new reference. */
struct json_t *hvb_pvspin_seen(void);
/* 0 when what the guest saw agrees with what the cell asked (asked: 1 on, 0 off,
 * -1 does not apply), else HVB_ESKIP with why. */
int hvb_pvspin_check(int asked, int vcpus, const struct json_t *seen, char *why, size_t len);

extern const struct hvb_backend_ops *const hvb_backends[]; /* NULL-terminated */
const struct hvb_backend_ops *hvb_backend_find(const char *name);
/* Path of the hvbench binary that serves as agent. */
const char *hvb_self_exe(void);
/* The option that gives the agent the runner's log level (hvbench -v or -q):
 * "-v", "-q", or NULL for the default. */
const char *hvb_agent_log_option(void);

/* ---- the hypervisor's tracing hooks (hv/xen-hooks.c) ---- */
#define HVB_HV_NHOOKS 3
struct hvb_hv_hook {
	const char *name;    /* "trace buffers" */
	const char *kconfig; /* "CONFIG_TRACEBUFFER" */
	const char *probes;  /* the probes that need it: "xentrace" */
	int present;         /* 1, 0, or -1 when the hypervisor could not be asked */
	char detail[160];
};
struct hvb_hv_hooks {
	char hypervisor[64]; /* "Xen 4.17.7" */
	char changeset[80];  /* XENVER_changeset: "Mon Oct 6 ... git:2445b30a44", or empty */
	char cmdline[1040];  /* XENVER_commandline: the hypervisor's boot options */
	char scheduler[96];  /* cpupool 0's scheduler and its parameters: "credit2 ratelimit_us=1000" */
	char why[256];       /* non-empty when the hypervisor could not be asked */
	struct hvb_hv_hook hook[HVB_HV_NHOOKS];
};
/* Asks the running hypervisor; HVB_ESKIP with h->why off a Xen dom0. */
int hvb_hv_hooks_read(struct hvb_hv_hooks *h);
struct json_t *hvb_hv_hooks_json(const struct hvb_hv_hooks *h); /* a new reference */

/* Native CPU hogs (hv/antagonist.c): per_cpu processes pinned to each CPU of
 * cpus, burning it until stopped; stop kills and reaps them (nothing outlives
 * the runner either) and says in note how much CPU they had. */
int hvb_antagonists_start(const struct hvb_cpuset *cpus, int per_cpu, struct hvb_antagonists **out, char *why,
			  size_t len);
void hvb_antagonists_stop(struct hvb_antagonists *a, char *note, size_t len);
/* Inside an antagonist domain: 1 when the command line asks its agent to burn (hvbench.burn=1). */
int hvb_burn_wanted(const char *cmdline);
/* Starts, when /proc/cmdline asks, a thread burning each online CPU (pinned,
 * SCHED_IDLE so that the agent answers); returns how many, 0 when not asked. */
int hvb_burn_start(void);

/* ---- building a hypervisor with hvbench's hooks (hv/xen-build.c) ---- */
struct hvb_xen_build_opts {
	const char *tree;     /* the user's Xen source tree: a clean git checkout */
	const char *out;      /* new or empty directory, or one an earlier build made */
	const char *patches;  /* directory of *.patch, applied in name order */
	const char *fragment; /* Kconfig fragment merged into Xen's defconfig */
	int tools;            /* also build the toolstack (make dist-tools) */
	int jobs;             /* make -j */
};
struct hvb_xen_build_result {
	char describe[128];  /* git describe --always --tags of the tree's HEAD */
	char commit[48];     /* its full commit id */
	char src[4096];      /* the copy the series was applied to (OUT/src) */
	char image[4096];    /* OUT/xen.gz */
	char config[4096];   /* OUT/xen.config */
	char tools[4096];    /* OUT/src/dist/install with --tools, else empty */
	char log[4096];      /* OUT/build.log: every command and its output */
	unsigned npatches;
	double seconds;      /* wall time of the build, from clone to xen.gz */
	char why[1024];      /* on failure: what, naming the patch and hunk or the setting */
};
/* Copies the tree's HEAD into OUT/src (the user's tree is never touched),
 * applies the series and the fragment and builds xen.gz with argv commands (no
 * shell). HVB_EINVAL: the tree or out refused, or the series does not apply
 * (nothing built); HVB_ECHILD: a build step failed (see the log). */
int hvb_xen_build(const struct hvb_xen_build_opts *o, struct hvb_xen_build_result *r);

/* Xen's mitigation state (hv/xen-paging.c): the mitigation options of its
 * command line (spec-ctrl=, xpti=, ...) and its boot report (xl dmesg's
 * "Speculative mitigation facilities" block, XPTI in it), a new reference;
 * NULL off a Xen dom0. */
struct json_t *hvb_xen_mitigations_json(void);
/* What the kernel says of each CPU vulnerability (/sys/devices/system/cpu/
 * vulnerabilities/NAME: "Mitigation: PTI", "Not affected"), JSON object text,
 * caller frees: the same code on the host and in every guest's agent. */
char *hvb_cpu_vulnerabilities_json(void);
/* "bare metal", "virtual machine", "dom0 (PV)": what native results ran on. */
const char *hvb_native_host_kind(void);
/* The value of a "Key:   N kB" line of /proc/meminfo ("MemAvailable"), in bytes; 0 when absent. */
long long hvb_meminfo_bytes(const char *key);
/* Facts about this host stored with every run (JSON text, caller frees). */
char *hvb_host_facts_json(const struct hvb_topo *t);


/* ---- the guest image (hv/image.c) ---- */
struct hvb_image_opts {
	const char *kernel;    /* NULL: /boot/vmlinuz-$(uname -r) */
	const char *modules;   /* the kernel's module tree; NULL: /lib/modules/VERSION */
	const char *cache_dir; /* NULL: hvb_image_cache_default() */
	const char *agent;     /* the hvbench binary to serve as agent; NULL: this one */
	const char *busybox;   /* a static busybox; NULL: /bin/busybox */
	int gzip;              /* compress the initramfs. Off by default: libxc inflates a gzip
				* ramdisk in dom0 for PV guests, 40 s for this one under emulation */
};
struct hvb_image {
	char hash[65];         /* SHA-256 of everything inside: the cache key */
	char dir[4096], kernel[4096], initrd[4096];
	char tools[4096];      /* a disk (newc cpio, whole sectors) holding fio and iperf3 */
	char initrd_hvm[4096]; /* the initramfs gzip'ed, for HVM guests (see hv/image.c) */
	char kernel_version[128];
	size_t nfiles;
	uint64_t initrd_bytes, tools_bytes;
	int cached;            /* 1 when an identical image was already built */
};
/* Builds (or finds in the cache) a guest image whose init serves the agent on the
 * PV console channel (see hv/lab/NOTES.md). On failure why says what is missing. */
int hvb_image_build(const struct hvb_image_opts *o, struct hvb_image *img, char *why, size_t len);
/* A program as execvp finds it ($PATH, or the usual directories without one): 0 with its path in
 * out, or HVB_ENOENT. */
int hvb_host_program(const char *name, char *out, size_t len);
/* $HVBENCH_CACHE, /var/cache/hvbench for root, else $XDG_CACHE_HOME/hvbench or ~/.cache/hvbench. */
void hvb_image_cache_default(char *out, size_t len);

/* hvbench run under this name (a link the xen backend makes) is the block
 * hotplug program libxl runs for a guest's benchmark disk: main() hands over
 * to hvb_xen_block_hotplug_main, which tells blkback the loop device to open. */
#define HVB_XEN_HOTPLUG_NAME "hvbench-xen-block"
int hvb_xen_block_hotplug_main(int argc, char **argv);

#endif
