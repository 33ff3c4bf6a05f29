libhvbench_a_SOURCES += probes/probes.h probes/registry.c probes/xentrace-capture.c
include probes/xentrace/local.mk
