libhvbench_a_SOURCES += hv/hv.h hv/cpuset.c hv/topo.c hv/placement.c hv/host.c hv/native.c hv/xen.c hv/backends.c
