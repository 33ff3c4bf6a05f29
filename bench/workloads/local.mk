# SPDX-License-Identifier: GPL-2.0-or-later
# The workload suite: one file per workload, plus what they share (wl.h, wl-common.c)
# and the parsers of external programs' output.
libhvbench_a_SOURCES += bench/workloads/wl.h bench/workloads/wl-common.c bench/workloads/wl-proc.c bench/workloads/spinlock.c \
	bench/workloads/membw.c \
	bench/workloads/syscall.c \
	bench/workloads/pgfault.c \
	bench/workloads/wl-mm.c bench/workloads/wl-team.c \
	bench/workloads/tlbshoot.c bench/workloads/mmaplock.c bench/workloads/forkexec.c \
	bench/workloads/futexhash.c bench/workloads/autonuma.c \
	bench/workloads/ipc.c \
	bench/workloads/wakeup.c \
	bench/workloads/fio-json.c bench/workloads/iperf3-json.c \
	bench/workloads/fio.c bench/workloads/iperf3.c
