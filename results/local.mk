# SPDX-License-Identifier: GPL-2.0-or-later
libhvbench_a_SOURCES += results/results.h results/store-internal.h results/error.c results/escape.c results/metric.c \
	results/option.c results/params.c results/schema.c results/store.c \
	results/store-open.c results/store-owner.c results/export.c results/import.c results/text.c \
	results/run-ident.c
