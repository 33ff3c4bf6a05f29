# SPDX-License-Identifier: GPL-2.0-or-later
libhvbench_a_SOURCES += hv/hv.h hv/cpuset.c hv/topo.c hv/placement.c hv/host.c hv/native.c hv/xen-internal.h hv/xen.c hv/xen-config.c hv/xen-topo.c hv/xen-place.c hv/xen-net.c \
	hv/xen-cleanup.c hv/xen-hooks.c hv/xen-disk.c hv/xen-mem.c hv/backends.c hv/image.c
dist_pkgdata_DATA += hv/xen/hvbench.config
EXTRA_DIST += hv/xen/README
include hv/lab/local.mk
