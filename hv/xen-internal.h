/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The xen backend's internals, shared by hv/xen*.c and the unit tests. The
 * parts that need no hypervisor (topology from data, placement checks,
 * leftover detection, console-ring parsing) are plain C; the libxl parts are
 * compiled only with the Xen toolstack libraries. */
#ifndef HVB_XEN_INTERNAL_H
#define HVB_XEN_INTERNAL_H

#include <stdint.h>
#include "hv/hv.h"

#define HVB_XEN_CHANNEL_NAME "org.hvbench.agent" /* the guest's init looks for this name */
#define HVB_XEN_MAX_VCPUS 128

/* 1 in a Xen control domain (/proc/xen/capabilities says control_d). */
int hvb_xen_in_dom0(void);

/* ---- topology (hv/xen-topo.c) ---- */
#define HVB_XEN_INVALID 0xffffffffu /* libxl's LIBXL_{CPUTOPOLOGY,NUMAINFO}_INVALID_ENTRY */
struct hvb_xen_numa {         /* one libxl_numainfo */
	uint64_t size, free;  /* bytes; HVB_XEN_INVALID-filled when the node is absent */
	int ndists;
	uint32_t dists[HVB_MAX_NODES];
};
struct hvb_xen_cpu {          /* one libxl_cputopology */
	uint32_t core, socket, node;
};
/* Builds the topology from the hypervisor's arrays (CPU i = pCPU i). */
struct hvb_topo *hvb_xen_topo_from_arrays(const struct hvb_xen_numa *numa, int nnodes, const struct hvb_xen_cpu *cpus,
					  int ncpus, const char *source);
/* The same from a JSON fixture {"numainfo":[{"size","free","dists"}], "cputopology":[{"core","socket","node"}]},
 * the shape libxl's own *_to_json gives these arrays. */
struct hvb_topo *hvb_xen_topo_load_json(const char *path);
/* From the running hypervisor (libxl_get_numainfo, libxl_get_cpu_topology). */
struct hvb_topo *hvb_xen_topo_host(void);

/* ---- placement on Xen (hv/xen-place.c) ---- */
/* What each vCPU's hard affinity and the domain's node affinity must be for a
 * plan; empty cpusets mean "all pCPUs" (no pinning). */
struct hvb_xen_layout {
	int vcpus;
	struct hvb_cpuset hard[HVB_XEN_MAX_VCPUS]; /* per vCPU, as pinned once the guest runs */
	struct hvb_cpuset build_hard;              /* pinned at build (all vCPUs); empty: none */
	hvb_nodeset nodemap;                       /* node affinity at build; empty: libxl decides or none */
	int numa_placement;                        /* libxl's automatic placement on */
	int pin_after_create;                      /* remote: vCPUs pinned after the memory is allocated */
	int vnodes;                                /* split: 2 virtual NUMA nodes, else 0 */
	int vnode_pnode[2];
	hvb_nodeset mem_nodes;                     /* nodes the memory must be on; empty: anywhere */
};
int hvb_xen_layout(const struct hvb_placement *p, const struct hvb_topo *t, int vcpus, struct hvb_xen_layout *out,
		   char *why, size_t len);
/* An antagonist domain's: per_cpu vCPUs on each pCPU of cpus, each pinned to its one
 * pCPU at build; HVB_ESKIP with why past HVB_XEN_MAX_VCPUS. */
int hvb_xen_antagonist_layout(const struct hvb_cpuset *cpus, int per_cpu, struct hvb_xen_layout *l, char *why,
			      size_t len);

/* What the hypervisor says of a running domain. */
struct hvb_xen_seen {
	int vcpus;
	struct hvb_cpuset hard[HVB_XEN_MAX_VCPUS];
	hvb_nodeset node_affinity;     /* xc_domain_node_getaffinity */
	int have_pages;                /* per-node page counts were read */
	uint64_t pages[HVB_MAX_NODES]; /* 'u' debug key: pages of the domain per node */
	uint64_t total_pages;
};
/* 1 when seen honours the layout; 0 and why otherwise. */
/* vnuma = off: a split layout without its virtual NUMA nodes; the vCPUs stay pinned to their
 * halves and the node map keeps both nodes, over which Xen's allocator cycles the memory
 * (xen/common/page_alloc.c: cycle_node over the domain's node affinity), so the guest sees one node. */
void hvb_xen_layout_hide_vnuma(struct hvb_xen_layout *l);
int hvb_xen_layout_verify(const struct hvb_xen_layout *l, const struct hvb_xen_seen *seen, char *why, size_t len);
/* Its memory part alone: 1 when every page is on the asked nodes (and split or
 * interleave cover each of them), 0 with the reason. */
int hvb_xen_memory_verify(const struct hvb_xen_layout *l, const struct hvb_xen_seen *seen, char *why, size_t len);

/* Parses the hypervisor console text a 'u' debug key printed (the last such
 * dump in text) and fills pages[] of domid; 0, or HVB_ENOENT when absent. */
int hvb_xen_parse_numa_dump(const char *text, uint32_t domid, uint64_t *pages, int maxnodes, uint64_t *total);

/* ---- leftovers (hv/xen-cleanup.c) ---- */
/* 1 when name is an hvbench guest name ("hvbench-RUN-CELL"). */
int hvb_xen_is_guest_name(const char *name);
/* 1 when a guest of that name, whose owner recorded in xenstore is owner
 * ("PID:STARTTIME", NULL when absent), is a leftover of a dead run. alive()
 * says whether owner is a live process of this dom0. */
int hvb_xen_is_leftover(const char *name, const char *owner, int (*alive)(const char *owner));
/* "PID:STARTTIME" of the calling process. */
void hvb_xen_owner_self(char *buf, size_t len);
int hvb_xen_owner_alive(const char *owner);

/* Destroys (or, dry_run, lists) leftover guests; one line each in report.
 * Returns how many were found, or a negative code (HVB_ESKIP off Xen). */
int hvb_xen_cleanup(int dry_run, char *report, size_t len);

/* ---- network (hv/xen-net.c) ---- */
uint32_t hvb_xen_name_hash(const char *name);
/* Makes sure the bridge exists and has an address; gives dom0's address on it
 * (the iperf3 peer), the guest's address with prefix and its MAC. */
int hvb_xen_net_prepare(const char *bridge, const char *guest_name, char *peer, size_t peer_len, char *guest_ip,
			size_t ip_len, char *mac, size_t mac_len, char *why, size_t len);

/* ---- disks (hv/xen-disk.c) ---- */
/* Where guests' disk files go: HVBENCH_XEN_DISKDIR, or this. */
#define HVB_XEN_DISKDIR_DEFAULT "/var/lib/hvbench/disks"
const char *hvb_xen_disk_dir(void);
/* Removes the disk files of guest name (a leftover's, after its domain is destroyed). */
void hvb_xen_disk_forget(const char *name);
/* A fully allocated file of size bytes. */
int hvb_xen_disk_make(const char *path, uint64_t size, char *why, size_t len);
int hvb_xen_file_copy(const char *src, const char *dst, char *why, size_t len);
/* Attaches file to a free loop device (autoclear); *loop_fd keeps it until closed. */
int hvb_xen_loop_attach(const char *file, char *dev, size_t devlen, int *loop_fd, char *why, size_t len);
/* RUNDIR/hvbench-xen-block -> this binary: the script libxl runs for the benchmark disk. */
int hvb_xen_hotplug_link(const char *rundir, char *path, size_t plen, char *why, size_t len);

/* ---- memory per node (hv/xen-mem.c) ---- */
/* 1 when the nodes of mask have need bytes free together; 0 with the figures in why. */
int hvb_xen_nodes_have(const uint64_t *free_bytes, int nnodes, const hvb_nodeset *mask, uint64_t need, char *why,
		       size_t len);

/* Bytes of Xen's free memory a guest of mode (hvb_xen_mode_parse's) with vcpus
 * and memory bytes takes, by libxl_domain_need_memory's rule: its memory, the
 * paging pool libxl gives PVH and HVM guests by default
 * (libxl_get_required_shadow_memory: 4 KiB x (256 per vCPU + 2 per MiB)), libxl's
 * extra (LIBXL_PV_EXTRA_MEMORY 1 MiB, LIBXL_HVM_EXTRA_MEMORY 2 MiB), rounded up to
 * 2 MiB; and its antagonist domain's, when antagonists > 0. An HVM guest's
 * device model runs in dom0, from dom0's memory. */
uint64_t hvb_xen_guest_footprint(const char *mode, int vcpus, uint64_t memory, int antagonists);
/* The memory of a cell's antagonist domain (a PV guest whose agent burns its vCPUs). */
#define HVB_XEN_ANTAGONIST_MEMORY (256ULL << 20)

/* ---- paging and mitigations (hv/xen-paging.c) ---- */
/* A mode of the xen backend: "pv", "pvh", "hvm", "hvm-emu", each but pv with
 * "-shadow" for hap = off. */
struct hvb_xen_mode {
	char base[8];   /* "pv", "pvh", "hvm": the domain type */
	int pv_drivers; /* hvm: 0 for hvm-emu (emulated disk and NIC only) */
	int shadow;     /* hap = off: shadow paging */
};
/* 0, or HVB_EINVAL with why for a name that is no mode. */
int hvb_xen_mode_parse(const char *mode, struct hvb_xen_mode *m, char *why, size_t len);
/* 1 when the hypervisor (libxl_physinfo's cap_hap, cap_shadow) can run the
 * mode's paging; 0 with why: the cell is skipped saying so. */
int hvb_xen_paging_check(const struct hvb_xen_mode *m, int cap_hap, int cap_shadow, char *why, size_t len);
/* The last "Speculative mitigation facilities" block of Xen's console text
 * (xl dmesg), its lines joined by "; " into out; returns how many lines. */
size_t hvb_xen_spec_lines(const char *console, char *out, size_t len);
/* The mitigation options of Xen's command line (spec-ctrl=, xpti=, pv-l1tf=,
 * smt=, ...), space-separated into out; "" when none was given. */
void hvb_xen_cmdline_mitigations(const char *cmdline, char *out, size_t len);

/* ---- PV device settings (hv/xen-devices.c): persistent grants and net queues ---- */
/* Where module parameters are: HVBENCH_SYS_MODULE, or /sys/module. */
const char *hvb_modparam_root(void);
/* A parameter's text as a number: Y 1, N 0, a decimal; -1 when neither. */
int hvb_modparam_value(const char *text);
/* ROOT/MODULE/parameters/PARAM into out (its first line); 0, HVB_ENOENT, HVB_EIO. */
int hvb_modparam_read(const char *root, const char *module, const char *param, char *out, size_t len);
/* Writes value and reads it back: 0, or HVB_ESKIP with why (the module is not loaded,
 * the kernel has no such parameter, it is read-only, or it reads another value). */
int hvb_modparam_set(const char *root, const char *module, const char *param, int value, char *why, size_t len);
/* dom0's side, before the guest's devices exist: xen_blkback.feature_persistent
 * (persistent 1 on, 0 off; -1 the value hvbench found) and xen_netback.max_queues
 * (queues > 0; 0 the value found). params gets both as dom0 has them after (recorded
 * with the cell). 0, or HVB_ESKIP with why: the cell cannot have what it asks. */
int hvb_xen_devopts_apply(int persistent, int queues, char *params, size_t plen, char *why, size_t len);
/* Puts back what hvb_xen_devopts_apply changed. */
void hvb_xen_devopts_restore(void);
/* The guest's side: " xen_blkfront.feature_persistent=P" (persistent >= 0) and
 * " xen_netfront.max_queues=Q" (queues > 0) for its command line; "" for neither. */
int hvb_xen_devopts_cmdline(int persistent, int queues, char *out, size_t len);

#define HVB_XEN_MAX_DEVS 8
/* One blkback disk (vbd) or netback vif of a guest as xenstore has it; -1: key absent. */
struct hvb_xen_dev {
	char kind[8];                     /* "vbd", "vif" */
	char backend_kind[8];             /* the frontend's backend path says: "vbd" blkback, "qdisk" QEMU, ... */
	int devid;
	int be_state, fe_state;           /* XenbusState: 4 connected */
	int be_persistent, fe_persistent; /* vbd: feature-persistent of each end */
	int be_max_queues, fe_num_queues; /* vif: multi-queue-max-queues, multi-queue-num-queues */
};
struct hvb_xen_devices {
	int n;
	struct hvb_xen_dev d[HVB_XEN_MAX_DEVS];
};
/* Parses text in xenstore-ls -f's form ('/local/domain/5/device/vbd/51728/state = "4"'):
 * domid's vbd and vif keys, frontend (/local/domain/D/device/KIND/ID/KEY) and backend
 * (/local/domain/B/backend/KIND/D/ID/KEY); other paths are ignored, and so is a frontend
 * vbd whose backend key names another backend than blkback (QEMU's qdisk). 0, or
 * HVB_EINVAL with why naming the line. */
int hvb_xen_devices_parse(const char *text, unsigned domid, struct hvb_xen_devices *d, char *why, size_t len);
/* A vbd's persistent grants: 1 in use (both ends say 1), 0 not, -1 unread. */
int hvb_xen_dev_persistent(const struct hvb_xen_dev *x);
/* A vif's queues as netfront uses them (no multi-queue-num-queues on a connected vif:
 * 1, the single-queue layout); -1 unread. */
int hvb_xen_dev_queues(const struct hvb_xen_dev *x);
/* 1 when the devices have what was asked (persistent -1 and queues 0: nothing asked),
 * 0 with why: the cell is skipped, saying so. */
int hvb_xen_devices_verdict(const struct hvb_xen_devices *d, int persistent, int queues, char *why, size_t len);
/* The record stored with the cell (readback.pv_devices): what was asked, dom0's
 * parameters, the guest's command-line words, each device's keys, and the summary
 * persistent_grants ("on"/"off") and net_queues (N) where the devices agree. */
struct json_t *hvb_xen_devices_obj(const struct hvb_xen_devices *d, int persistent, int queues,
				   const char *dom0_params, const char *cmdline);
#ifdef HAVE_LIBXEN
/* The keys hvb_xen_devices_parse reads, from the live xenstore (caller frees; NULL when unreadable). */
char *hvb_xen_devices_text(unsigned domid);
#endif

#define HVB_XEN_IPERF3_PORT 5201 /* the agent's default peer port */
/* The iperf3 server in dom0 for a guest's iperf3 client, on the bridge's
 * address; the pid is stopped with hvb_xen_iperf3_stop. */
int hvb_xen_iperf3_start(const char *addr, int port, const char *log, pid_t *pid, char *why, size_t len);
void hvb_xen_iperf3_stop(pid_t *pid);

#ifdef HAVE_LIBXEN
#include <libxl.h>
#include <libxl_utils.h>
#include <xenctrl.h>

/* Everything a domain config is built from: the guest spec and the host's paths. */
struct hvb_xen_build {
	const struct hvb_guest_spec *spec;
	const char *mode;          /* "pv", "pvh", "hvm" */
	int pv_drivers;            /* hvm: 1 PVHVM (blkfront, netfront), 0 emulated disk and NIC only */
	int shadow;                /* pvh, hvm: shadow paging (hap = off), else the hypervisor's HAP */
	const struct hvb_xen_layout *layout;
	const struct hvb_topo *topo;
	const char *kernel, *ramdisk;
	const char *channel_socket; /* UNIX socket in dom0 for the agent channel */
	const char *console_log;    /* hvm: the serial console goes to this file */
	const char *disk_file;      /* block device behind the guest's /dev/xvdb (blkback); NULL: no disk */
	const char *disk_script;    /* hotplug program for it (hvb_xen_hotplug_link) */
	const char *tools_file;     /* tools disk (qdisk, xvda), a per-guest writable copy; NULL: none */
	const char *bridge;         /* vif on this bridge; NULL: no network */
	const char *mac;            /* "00:16:3e:..." */
	const char *guest_ip, *peer_ip; /* "10.77.0.2/24", "10.77.0.1" */
	const char *owner;          /* "PID:STARTTIME" written to xenstore for leftover detection */
	const char *nopvspin;       /* pvspin = off: the word for the guest's kernel (hvb_nopvspin_word); NULL: on */
	int burn;                   /* an antagonist domain: its agent burns every vCPU (hvbench.burn=1) */
	enum hvb_setting persistent; /* the guest's side of the spec's PV device settings (hvb_xen_devopts_cmdline) */
	int net_queues;
};
/* Fills cfg (initialised here; dispose with libxl_domain_config_dispose). */
int hvb_xen_config_build(const struct hvb_xen_build *b, libxl_domain_config *cfg, char *why, size_t len);
/* The kernel command line the guest gets (caller frees). */
char *hvb_xen_cmdline(const struct hvb_xen_build *b);
/* The guest's device path of its benchmark disk. */
const char *hvb_xen_guest_disk(const char *mode, int pv_drivers);
/* Bitmaps without a libxl context (libxl_bitmap_alloc needs one). */
int hvb_xen_bitmap_from(libxl_bitmap *bm, int nbits, const struct hvb_cpuset *set);
void hvb_xen_bitmap_to(const libxl_bitmap *bm, struct hvb_cpuset *set);

/* The process's libxl context and libxc handle (opened once, NULL with why). */
libxl_ctx *hvb_xen_ctx(char *why, size_t len);
xc_interface *hvb_xen_xch(char *why, size_t len);
/* Waits up to wait_s for need bytes free on the nodes of mask (0: any); HVB_EIO with the figures. */
int hvb_xen_wait_node_memory(libxl_ctx *ctx, const hvb_nodeset *mask, uint64_t need, double wait_s, char *why, size_t len);
/* Waits up to wait_s for domid to be gone (no longer dying); 1 when gone. */
int hvb_xen_wait_gone(libxl_ctx *ctx, uint32_t domid, double wait_s);
/* Reads vCPU affinities, node affinity and per-node pages of domid. */
int hvb_xen_read_seen(uint32_t domid, struct hvb_xen_seen *seen, char *why, size_t len);
#endif

#endif
