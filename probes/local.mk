# SPDX-License-Identifier: GPL-2.0-or-later
libhvbench_a_SOURCES += probes/probes.h probes/registry.c probes/xentrace-capture.c
include probes/xentrace/local.mk
libhvbench_a_SOURCES += probes/probes.h probes/probes-internal.h probes/registry.c probes/util.c \
	probes/perf.c probes/tracefs.c probes/numa.c probes/steal.c probes/blkback.c probes/netback.c probes/backend-cost.c probes/spin-cost.c probes/devstats.c \
	probes/snapshot.c probes/xenstat.c probes/xenstat-delta.c probes/xenctl.c probes/xenperf.c probes/xenperf-delta.c \
	probes/xenlockprof.c probes/xenlockprof-delta.c
if HAVE_LIBTRACEFS
libhvbench_a_SOURCES += probes/tracefs-agg.c probes/tracefs-internal.h
endif
