# SPDX-License-Identifier: GPL-2.0-or-later
# probes/xentrace: the xentrace decoder and analyser (included from probes/local.mk)
libhvbench_a_SOURCES += probes/xentrace/xentrace.h probes/xentrace/xt-internal.h probes/xentrace/xt-format.h probes/xentrace/formats.c \
	probes/xentrace/reader.c probes/xentrace/names.c probes/xentrace/mask.c probes/xentrace/meta.c \
	probes/xentrace/dist.c probes/xentrace/summary.c probes/xentrace/sched.c probes/xentrace/pv.c \
	probes/xentrace/hvm.c probes/xentrace/hcargs.c probes/xentrace/mem.c probes/xentrace/report-json.c \
	probes/xentrace/report-text.c probes/xentrace/metrics.c probes/xentrace/format.c
