libhvbench_a_SOURCES += bench/bench.h bench/wl-util.c bench/workloads/registry.c bench/workloads/memlat.c
include bench/workloads/local.mk
