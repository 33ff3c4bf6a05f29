libhvbench_a_SOURCES += probes/probes.h probes/registry.c
include probes/xentrace/local.mk
