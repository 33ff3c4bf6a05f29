libhvbench_a_SOURCES += probes/probes.h probes/registry.c
