/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which tracing hooks the running hypervisor was built with, asked of the
 * hypervisor itself: a hook compiled out answers its sysctl with ENOSYS
 * (trace buffers: CONFIG_TRACEBUFFER, perf counters: CONFIG_PERF_COUNTERS,
 * lock profiling: CONFIG_DEBUG_LOCK_PROFILE). hv/xen/hvbench.config builds a
 * hypervisor with all three. */
#include "config.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hv/xen-internal.h"

static const struct {
	const char *name, *kconfig, *probes;
} hooks[HVB_HV_NHOOKS] = {
	{ "trace buffers", "CONFIG_TRACEBUFFER", "xentrace" },
	/* a name here must be a probe's (NULL: none reads the hook) */
	{ "perf counters", "CONFIG_PERF_COUNTERS", "xenperf" },
	{ "lock profiling", "CONFIG_DEBUG_LOCK_PROFILE", "xenlockprof" },
};

static void fill_names(struct hvb_hv_hooks *h)
{
	for (int i = 0; i < HVB_HV_NHOOKS; i++) {
		h->hook[i].name = hooks[i].name;
		h->hook[i].kconfig = hooks[i].kconfig;
		h->hook[i].probes = hooks[i].probes;
		h->hook[i].present = -1;
	}
}

#ifdef HAVE_LIBXEN
/* rc and errno of a query: ENOSYS means compiled out; anything else, present. */
static void judge(struct hvb_hv_hook *k, int rc, int err, const char *ok_detail)
{
	if (rc == 0) {
		k->present = 1;
		snprintf(k->detail, sizeof(k->detail), "%s", ok_detail);
	} else if (err == ENOSYS) {
		k->present = 0;
		snprintf(k->detail, sizeof(k->detail), "not built in (%s=n): the hypervisor answers ENOSYS", k->kconfig);
	} else {
		k->present = 1;
		snprintf(k->detail, sizeof(k->detail), "built in; the query failed: %s", strerror(err));
	}
}

/* What else makes two runs of "the same Xen" differ: the build (changeset),
 * the boot options (mitigations, dom0 size, scheduler) and the scheduler's
 * parameters (Xen's public sysctl.h: xen_sysctl_credit{,2}_schedule). */
static void read_build(xc_interface *x, struct hvb_hv_hooks *h)
{
	xen_changeset_info_t cs = "";
	xen_commandline_t cl = "";
	int id = 0;

	if (xc_version(x, XENVER_changeset, &cs) == 0)
		snprintf(h->changeset, sizeof(h->changeset), "%.*s", (int)sizeof(cs), cs);
	if (xc_version(x, XENVER_commandline, &cl) == 0)
		snprintf(h->cmdline, sizeof(h->cmdline), "%.*s", (int)sizeof(cl), cl);
	if (xc_sched_id(x, &id) < 0)
		return;
	switch (id) {
	case XEN_SCHEDULER_CREDIT: {
		struct xen_sysctl_credit_schedule p;
		if (xc_sched_credit_params_get(x, 0, &p) == 0)
			snprintf(h->scheduler, sizeof(h->scheduler), "credit tslice_ms=%u ratelimit_us=%u vcpu_migr_delay_us=%u",
				 p.tslice_ms, p.ratelimit_us, p.vcpu_migr_delay_us);
		else
			snprintf(h->scheduler, sizeof(h->scheduler), "credit");
		break;
	}
	case XEN_SCHEDULER_CREDIT2: {
		struct xen_sysctl_credit2_schedule p;
		if (xc_sched_credit2_params_get(x, 0, &p) == 0)
			snprintf(h->scheduler, sizeof(h->scheduler), "credit2 ratelimit_us=%u", p.ratelimit_us);
		else
			snprintf(h->scheduler, sizeof(h->scheduler), "credit2");
		break;
	}
	case XEN_SCHEDULER_RTDS: snprintf(h->scheduler, sizeof(h->scheduler), "rtds"); break;
	case XEN_SCHEDULER_ARINC653: snprintf(h->scheduler, sizeof(h->scheduler), "arinc653"); break;
	case XEN_SCHEDULER_NULL: snprintf(h->scheduler, sizeof(h->scheduler), "null"); break;
	default: snprintf(h->scheduler, sizeof(h->scheduler), "scheduler id %d", id); break;
	}
}

int hvb_hv_hooks_read(struct hvb_hv_hooks *h)
{
	xc_interface *x;
	xen_extraversion_t extra = "";
	unsigned long tbuf = 0;
	int nd = 0, nv = 0, rc, ver;
	uint32_t nl = 0;
	char detail[160];

	memset(h, 0, sizeof(*h));
	fill_names(h);
	if (!hvb_xen_in_dom0()) {
		snprintf(h->why, sizeof(h->why), "xen: not running in dom0 (no /proc/xen/capabilities with control_d)");
		return HVB_ESKIP;
	}
	if (!(x = hvb_xen_xch(h->why, sizeof(h->why))))
		return HVB_ESKIP;
	ver = xc_version(x, XENVER_version, NULL);
	xc_version(x, XENVER_extraversion, &extra);
	snprintf(h->hypervisor, sizeof(h->hypervisor), "Xen %d.%d%.16s", ver >> 16, ver & 0xffff, extra);
	read_build(x, h);

	errno = 0;
	rc = xc_tbuf_get_size(x, &tbuf);
	if (rc == 0)
		snprintf(detail, sizeof(detail), "allocated, %lu pages per CPU", tbuf);
	else
		snprintf(detail, sizeof(detail), "built in, not allocated yet (xentrace allocates them)");
	judge(&h->hook[0], rc, errno, detail);
	/* Buffers not yet allocated fail the mapping, not the sysctl: still present. */
	if (rc != 0 && errno != ENOSYS)
		snprintf(h->hook[0].detail, sizeof(h->hook[0].detail), "%s", detail);

	errno = 0;
	rc = xc_perfc_query_number(x, &nd, &nv);
	snprintf(detail, sizeof(detail), "%d counters, %d values", nd, nv);
	judge(&h->hook[1], rc, errno, detail);

	errno = 0;
	rc = xc_lockprof_query_number(x, &nl);
	snprintf(detail, sizeof(detail), "%u profiled locks", nl);
	judge(&h->hook[2], rc, errno, detail);
	return 0;
}
#else
int hvb_hv_hooks_read(struct hvb_hv_hooks *h)
{
	memset(h, 0, sizeof(*h));
	fill_names(h);
	snprintf(h->why, sizeof(h->why), "xen: hvbench was built without the Xen toolstack libraries");
	return HVB_ESKIP;
}
#endif

json_t *hvb_hv_hooks_json(const struct hvb_hv_hooks *h)
{
	json_t *o = json_object(), *a = json_object();

	if (h->why[0])
		json_object_set_new(o, "unavailable", json_string(h->why));
	else {
		json_object_set_new(o, "hypervisor", json_string(h->hypervisor));
		json_object_set_new(o, "changeset", json_string(h->changeset));
		json_object_set_new(o, "commandline", json_string(h->cmdline));
		json_object_set_new(o, "scheduler", json_string(h->scheduler));
	}
	for (int i = 0; i < HVB_HV_NHOOKS; i++) {
		const struct hvb_hv_hook *k = &h->hook[i];
		json_object_set_new(a, k->kconfig,
				    json_pack("{s:s, s:o, s:s, s:s?}", "hook", k->name, "present",
					      k->present < 0 ? json_null() : json_boolean(k->present), "detail",
					      k->detail, "probes", k->probes));
	}
	json_object_set_new(o, "hooks", a);
	return o;
}
