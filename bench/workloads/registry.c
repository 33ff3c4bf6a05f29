/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The workload list: adding a workload is one file and one line here. */
#include "config.h"
#include <string.h>
#include "bench/bench.h"

extern const struct hvb_workload_ops hvb_wl_memlat, hvb_wl_spinlock, hvb_wl_membw,
	hvb_wl_syscall, hvb_wl_pgfault, hvb_wl_ipc, hvb_wl_wakeup,
	hvb_wl_fio, hvb_wl_iperf3, hvb_wl_tlbshoot, hvb_wl_mmaplock, hvb_wl_forkexec, hvb_wl_futexhash,
	hvb_wl_autonuma;

const struct hvb_workload_ops *const hvb_workloads[] = {
	&hvb_wl_memlat,
	&hvb_wl_spinlock,
	&hvb_wl_membw,
	&hvb_wl_syscall,
	&hvb_wl_pgfault,
	&hvb_wl_tlbshoot,
	&hvb_wl_mmaplock,
	&hvb_wl_forkexec,
	&hvb_wl_futexhash,
	&hvb_wl_autonuma,
	&hvb_wl_ipc,
	&hvb_wl_wakeup,
	&hvb_wl_fio,
	&hvb_wl_iperf3,
	NULL,
};

const struct hvb_workload_ops *hvb_workload_find(const char *name)
{
	for (size_t i = 0; hvb_workloads[i]; i++)
		if (!strcmp(hvb_workloads[i]->name, name))
			return hvb_workloads[i];
	return NULL;
}
