# SPDX-License-Identifier: GPL-2.0-or-later
libhvbench_a_SOURCES += bench/bench.h bench/protocol.h bench/experiment-internal.h \
	bench/wl-util.c bench/protocol.c bench/agent.c bench/cpustate.c bench/agent-client.c bench/accept.c bench/experiment.c bench/plan.c bench/fingerprint.c bench/turns.c bench/runner.c \
	bench/workloads/registry.c bench/workloads/memlat.c
include bench/workloads/local.mk
