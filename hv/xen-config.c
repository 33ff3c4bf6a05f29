/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A guest spec becomes a libxl_domain_config: PV, PVH or HVM (with or without
 * PV disk and network drivers), direct kernel boot of the hvbench guest image,
 * the agent channel, the benchmark disk and vif, and the placement's affinity,
 * node map and virtual NUMA nodes. Nothing here talks to the hypervisor, so the
 * whole config is unit-tested through libxl's own JSON form. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hv/xen-internal.h"

#ifdef HAVE_LIBXEN

int hvb_xen_bitmap_from(libxl_bitmap *bm, int nbits, const struct hvb_cpuset *set)
{
	libxl_bitmap_init(bm);
	bm->size = (uint32_t)(nbits + 7) / 8;
	if (!(bm->map = calloc(bm->size ? bm->size : 1, 1)))
		return HVB_ENOMEM;
	for (int i = 0; i < nbits && i < HVB_MAX_CPUS; i++)
		if (!set || hvb_cpuset_has(set, i))
			libxl_bitmap_set(bm, i);
	return 0;
}

void hvb_xen_bitmap_to(const libxl_bitmap *bm, struct hvb_cpuset *set)
{
	memset(set, 0, sizeof(*set));
	for (int i = 0; i < (int)bm->size * 8 && i < HVB_MAX_CPUS; i++)
		if (libxl_bitmap_test(bm, i))
			hvb_cpuset_set(set, i);
}

const char *hvb_xen_guest_disk(const char *mode, int pv_drivers)
{
	/* Emulated only: the disk is the HVM's second IDE disk (the tools disk is
	 * the first), which libata names sdb. */
	return !strcmp(mode, "hvm") && !pv_drivers ? "/dev/sdb" : "/dev/xvdb";
}

char *hvb_xen_cmdline(const struct hvb_xen_build *b)
{
	char *s = NULL;
	int hvm = !strcmp(b->mode, "hvm");

	/* Keep console output small: every HVM serial byte is an emulated I/O exit. */
	/* The guest's init serves the agent on the first PV console after hvc0: the
	 * channel, whatever number the guest kernel gives it. */
	const char *logopt = hvb_agent_log_option();
	char dev[128];

	/* persistent grants and queues: the guest's drivers' own module parameters */
	if (hvb_xen_devopts_cmdline(HVB_SETTING_INT(b->persistent), b->net_queues, dev, sizeof(dev)) < 0)
		return NULL;
	/* hvbench.log: the runner's -v or -q for the guest's agent, whose messages go to the console log. */
	if (asprintf(&s, "console=%s loglevel=4%s%s%s%s%s%s%s%s%s%s%s%s%s", hvm ? "ttyS0" : "hvc0", logopt ? " hvbench.log=" : "",
		     logopt ? logopt : "", b->disk_file ? " hvbench.disk=" : "",
		     b->disk_file ? hvb_xen_guest_disk(b->mode, b->pv_drivers) : "", b->bridge ? " hvbench.ip=" : "",
		     b->bridge && b->guest_ip ? b->guest_ip : "", b->bridge ? " hvbench.peer=" : "",
		     b->bridge && b->peer_ip ? b->peer_ip : "",
		     /* Emulated devices only: the guest keeps them instead of unplugging them
		      * for blkfront and netfront; xenbus (and so the agent channel) stays. */
		     hvm && !b->pv_drivers ? " xen_emul_unplug=never" : "",
		     /* pvspin = off: the guest kernel's own switch (hv/pvspin.c chose the word) */
		     b->nopvspin ? " " : "", b->nopvspin ? b->nopvspin : "",
		     /* an antagonist domain: its agent burns every vCPU (hv/antagonist.c) */
		     b->burn ? " hvbench.burn=1" : "", dev) < 0)
		return NULL;
	return s;
}

static int host_cpus(const struct hvb_topo *t)
{
	int last = 0;
	for (int c = 0; c < HVB_MAX_CPUS; c++)
		if (hvb_cpuset_has(&t->allowed, c))
			last = c + 1;
	return last ? last : 1;
}

static int set_placement(const struct hvb_xen_build *b, libxl_domain_build_info *bi, char *why, size_t len)
{
	const struct hvb_xen_layout *l = b->layout;
	int ncpus = host_cpus(b->topo);
	uint64_t memkb = bi->max_memkb;

	libxl_defbool_set(&bi->numa_placement, l->numa_placement);
	if (hvb_cpuset_count(&l->nodemap)) {
		int nn = 0;
		for (int i = 0; i < b->topo->nnodes; i++)
			if (b->topo->nodes[i].os_index + 1 > nn)
				nn = b->topo->nodes[i].os_index + 1;
		if (hvb_xen_bitmap_from(&bi->nodemap, nn, &l->nodemap) < 0)
			return HVB_ENOMEM;
	}
	if (hvb_cpuset_count(&l->build_hard)) {
		if (!(bi->vcpu_hard_affinity = calloc((size_t)l->vcpus, sizeof(libxl_bitmap))))
			return HVB_ENOMEM;
		bi->num_vcpu_hard_affinity = l->vcpus;
		/* split: each vCPU on its own virtual node's pCPUs from the start; an antagonist
		 * domain's on its one pCPU (others' hard[v] is build_hard itself, or empty). */
		for (int v = 0; v < l->vcpus; v++)
			if (hvb_xen_bitmap_from(&bi->vcpu_hard_affinity[v], ncpus,
						hvb_cpuset_count(&l->hard[v]) ? &l->hard[v] : &l->build_hard) < 0)
				return HVB_ENOMEM;
	}
	if (l->vnodes) {
		if (!(bi->vnuma_nodes = calloc((size_t)l->vnodes, sizeof(libxl_vnode_info))))
			return HVB_ENOMEM;
		bi->num_vnuma_nodes = l->vnodes;
		for (int k = 0; k < l->vnodes; k++) {
			libxl_vnode_info *vn = &bi->vnuma_nodes[k];
			struct hvb_cpuset mine = { { 0 } };
			int ia = -1, ib;
			libxl_vnode_info_init(vn);
			/* Whole MiB per node; the second takes the rest so they add up to max_memkb. */
			vn->memkb = k == 0 ? memkb / 2 / 1024 * 1024 : memkb - memkb / 2 / 1024 * 1024;
			vn->pnode = (uint32_t)l->vnode_pnode[k];
			for (int v = 0; v < l->vcpus; v++)
				if ((v < (l->vcpus + 1) / 2) == (k == 0))
					hvb_cpuset_set(&mine, v);
			if (hvb_xen_bitmap_from(&vn->vcpus, l->vcpus, &mine) < 0 ||
			    !(vn->distances = calloc((size_t)l->vnodes, sizeof(uint32_t))))
				return HVB_ENOMEM;
			vn->num_distances = l->vnodes;
			for (int i = 0; i < b->topo->nnodes; i++)
				if (b->topo->nodes[i].os_index == l->vnode_pnode[k])
					ia = i;
			for (int j = 0; j < l->vnodes; j++) {
				int d = -1;
				ib = -1;
				for (int i = 0; i < b->topo->nnodes; i++)
					if (b->topo->nodes[i].os_index == l->vnode_pnode[j])
						ib = i;
				d = hvb_topo_distance(b->topo, ia, ib);
				/* The SLIT convention when the host gives none: 10 local, 20 remote. */
				vn->distances[j] = d > 0 ? (uint32_t)d : j == k ? 10 : 20;
			}
		}
	} else if (!strcmp(b->mode, "hvm") && hvb_cpuset_count(&l->mem_nodes) == 1) {
		/* HVM on one node: one virtual node bound to it, so that libxc allocates with
		 * XENMEMF_exact_node and Xen scrubs that node's freed pages rather than take
		 * another node's clean ones for superpages (seen in the lab: an HVM guest built
		 * right after another got 97% of its memory on the wrong node). */
		libxl_vnode_info *vn = bi->vnuma_nodes = calloc(1, sizeof(libxl_vnode_info));
		struct hvb_cpuset all = { { 0 } };
		if (!vn)
			return HVB_ENOMEM;
		bi->num_vnuma_nodes = 1;
		libxl_vnode_info_init(vn);
		vn->memkb = memkb;
		vn->pnode = (uint32_t)hvb_nodeset_first(&l->mem_nodes);
		for (int v = 0; v < l->vcpus; v++)
			hvb_cpuset_set(&all, v);
		if (hvb_xen_bitmap_from(&vn->vcpus, l->vcpus, &all) < 0 || !(vn->distances = calloc(1, sizeof(uint32_t))))
			return HVB_ENOMEM;
		vn->num_distances = 1;
		vn->distances[0] = 10;
	}
	(void)why;
	(void)len;
	return 0;
}

static int add_devices(const struct hvb_xen_build *b, libxl_domain_config *cfg, char *why, size_t len)
{
	int hvm = !strcmp(b->mode, "hvm");

	cfg->channels = calloc(1, sizeof(*cfg->channels));
	if (!cfg->channels)
		return HVB_ENOMEM;
	cfg->num_channels = 1;
	libxl_device_channel_init(&cfg->channels[0]);
	/* devid 1: libxl 4.17 takes a channel of devid 0 for the primary console and
	 * drops it ("Primary console has invalid configuration"), seen in the lab. */
	cfg->channels[0].devid = 1;
	cfg->channels[0].name = strdup(HVB_XEN_CHANNEL_NAME);
	libxl_device_channel_init_connection(&cfg->channels[0], LIBXL_CHANNEL_CONNECTION_SOCKET);
	cfg->channels[0].u.socket.path = strdup(b->channel_socket);
	if (b->tools_file || b->disk_file) {
		libxl_device_disk *d = cfg->disks = calloc(2, sizeof(*cfg->disks));
		if (!d)
			return HVB_ENOMEM;
		if (b->tools_file) {
			/* fio and iperf3 for the guest's init to unpack: QEMU serves it, off the measured path. */
			libxl_device_disk_init(d);
			d->pdev_path = strdup(b->tools_file);
			d->vdev = strdup("xvda");
			d->backend = LIBXL_DISK_BACKEND_QDISK;
			d->format = LIBXL_DISK_FORMAT_RAW;
			d->readwrite = 1; /* qdisk refuses a read-only file */
			d++;
		}
		if (b->disk_file) {
			/* phy on a loop device: blkback, not QEMU's qdisk, serves it, so the
			 * blkback path is what fio measures. */
			libxl_device_disk_init(d);
			d->pdev_path = strdup(b->disk_file);
			d->vdev = strdup("xvdb");
			d->backend = LIBXL_DISK_BACKEND_PHY;
			d->format = LIBXL_DISK_FORMAT_RAW;
			d->script = strdup(b->disk_script ? b->disk_script : "block");
			d->readwrite = 1;
			d++;
		}
		cfg->num_disks = (int)(d - cfg->disks);
	}
	if (b->bridge) {
		libxl_device_nic *n = cfg->nics = calloc(1, sizeof(*cfg->nics));
		unsigned m[6];
		if (!n)
			return HVB_ENOMEM;
		cfg->num_nics = 1;
		libxl_device_nic_init(n);
		n->devid = 0;
		n->bridge = strdup(b->bridge);
		if (!b->mac || sscanf(b->mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6) {
			snprintf(why, len, "xen: bad MAC address '%s'", b->mac ? b->mac : "");
			return HVB_EINVAL;
		}
		for (int i = 0; i < 6; i++)
			n->mac[i] = (uint8_t)m[i];
		if (hvm && !b->pv_drivers) {
			n->nictype = LIBXL_NIC_TYPE_VIF_IOEMU;
			n->model = strdup("e1000");
		} else {
			n->nictype = LIBXL_NIC_TYPE_VIF;
		}
	}
	return 0;
}

int hvb_xen_config_build(const struct hvb_xen_build *b, libxl_domain_config *cfg, char *why, size_t len)
{
	libxl_domain_type type;
	libxl_domain_build_info *bi = &cfg->b_info;
	int rc;

	libxl_domain_config_init(cfg);
	if (!strcmp(b->mode, "pv"))
		type = LIBXL_DOMAIN_TYPE_PV;
	else if (!strcmp(b->mode, "pvh"))
		type = LIBXL_DOMAIN_TYPE_PVH;
	else if (!strcmp(b->mode, "hvm"))
		type = LIBXL_DOMAIN_TYPE_HVM;
	else {
		snprintf(why, len, "xen: no mode '%s' (pv, pvh, hvm)", b->mode);
		return HVB_EINVAL;
	}
	if (b->spec->memory < (64ULL << 20)) {
		snprintf(why, len, "xen: a guest needs at least 64 MiB of memory; %llu bytes asked",
			 (unsigned long long)b->spec->memory);
		return HVB_EINVAL;
	}
	cfg->c_info.type = type;
	/* hap = off (xl's hap=0): shadow paging. Otherwise libxl's default, HAP,
	 * which the backend made sure the hypervisor has (hvb_xen_paging_check). */
	if (b->shadow && type != LIBXL_DOMAIN_TYPE_PV)
		libxl_defbool_set(&cfg->c_info.hap, false);
	cfg->c_info.name = strdup(b->spec->name);
	/* Each domain its own handle, as xl gives (libxl_uuid_generate in xl's parse_config):
	 * libxl keeps a domain's /vm/UUID in xenstore by it, so guests alive together with
	 * the null UUID would share one, and destroying one would remove the other's. */
	libxl_uuid_generate(&cfg->c_info.uuid);
	/* Who owns the guest: `hvbench cleanup` destroys guests whose owner is gone. */
	if (b->owner && (cfg->c_info.xsdata = calloc(3, sizeof(char *)))) {
		cfg->c_info.xsdata[0] = strdup("hvbench-owner");
		cfg->c_info.xsdata[1] = strdup(b->owner);
	}
	libxl_domain_build_info_init_type(bi, type);
	bi->max_vcpus = b->spec->vcpus;
	if (hvb_xen_bitmap_from(&bi->avail_vcpus, b->spec->vcpus, NULL) < 0)
		return HVB_ENOMEM;
	bi->max_memkb = bi->target_memkb = b->spec->memory / 1024;
	/* Under QEMU's emulation PVH and HVM guests die on RDTSCP with Xen's default
	 * TSC mode (shared/notes/xen-lab.md); native is also the mode to measure. */
	if (type != LIBXL_DOMAIN_TYPE_PV)
		bi->tsc_mode = LIBXL_TSC_MODE_NATIVE;
	bi->kernel = strdup(b->kernel);
	bi->ramdisk = strdup(b->ramdisk);
	bi->cmdline = hvb_xen_cmdline(b);
	if (type == LIBXL_DOMAIN_TYPE_HVM) {
		bi->device_model_version = LIBXL_DEVICE_MODEL_VERSION_QEMU_XEN;
		bi->u.hvm.vga.kind = LIBXL_VGA_INTERFACE_TYPE_NONE;
		libxl_defbool_set(&bi->u.hvm.vnc.enable, false);
		libxl_defbool_set(&bi->u.hvm.sdl.enable, false);
		libxl_defbool_set(&bi->u.hvm.nographic, true);
		libxl_defbool_set(&bi->u.hvm.xen_platform_pci, true);
		if (b->console_log && asprintf(&bi->u.hvm.serial, "file:%s", b->console_log) < 0)
			return HVB_ENOMEM;
	}
	cfg->on_poweroff = cfg->on_reboot = cfg->on_watchdog = cfg->on_crash = LIBXL_ACTION_ON_SHUTDOWN_DESTROY;
	if ((rc = set_placement(b, bi, why, len)) < 0 || (rc = add_devices(b, cfg, why, len)) < 0)
		return rc;
	if (!cfg->c_info.name || !bi->kernel || !bi->ramdisk || !bi->cmdline)
		return HVB_ENOMEM;
	return 0;
}

#endif
