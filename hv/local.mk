# SPDX-License-Identifier: GPL-2.0-or-later
libhvbench_a_SOURCES += hv/hv.h hv/cpuset.c hv/topo.c hv/placement.c hv/host.c hv/native.c hv/antagonist.c hv/pvspin.c hv/xen-internal.h hv/xen.c hv/xen-config.c hv/xen-topo.c hv/xen-place.c hv/xen-net.c \
	hv/xen-cleanup.c hv/xen-hooks.c hv/xen-build.c hv/xen-disk.c hv/xen-mem.c hv/xen-paging.c hv/xen-devices.c hv/backends.c hv/image.c
dist_pkgdata_DATA += hv/xen/hvbench.config
# hvbench's hooks series for Xen (hvbench hv build applies it): pkgdatadir/xen-patches
hvbxenpatchesdir = $(pkgdatadir)/xen-patches
dist_hvbxenpatches_DATA = hv/xen/patches/0001-xen-gnttab-trace-GNTTABOP_copy-batches.patch \
	hv/xen/patches/0002-x86-hvm-trace-hypercall-arguments-of-HVM-and-PVH-gue.patch \
	hv/xen/patches/0003-xen-gnttab-profile-the-grant-table-s-locks.patch \
	hv/xen/patches/0004-xen-gnttab-count-grant-operations-in-perf-counters.patch
EXTRA_DIST += hv/xen/README
include hv/lab/local.mk
include hv/xen/local.mk
# What built this hvbench, recorded with every run (hv/host.c): the commit when
# built from git (else the release), the compiler, configure's arguments.
# Written at every make, replaced only when it changed.
BUILT_SOURCES += build-info.h
CLEANFILES += build-info.h build-info.h.tmp
nodist_libhvbench_a_SOURCES += build-info.h
build-info.h: hvb-force-build-info
	$(AM_V_GEN)esc() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\n'; }; \
	if test -e '$(srcdir)/.git' && c=`git -C '$(srcdir)' describe --always --dirty --abbrev=12 2>/dev/null`; then :; \
	else c='release $(PACKAGE_VERSION) (not built from git)'; fi; \
	{ printf '#define HVB_BUILD_COMMIT "%s"\n' "`printf '%s' "$$c" | esc`"; \
	  printf '#define HVB_BUILD_CC "%s"\n' "`$(CC) --version 2>/dev/null | sed 1q | esc`"; \
	  printf '#define HVB_BUILD_CONFIGURE "%s"\n' "`./config.status --config 2>/dev/null | esc`"; } > $@.tmp; \
	if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
hvb-force-build-info:
.PHONY: hvb-force-build-info
