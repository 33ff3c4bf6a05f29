/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The probes that ask the hypervisor itself through libxenctrl (xenperf,
 * xenlockprof): opening it, and saying why a hook cannot be read here. A hook
 * compiled out of the hypervisor answers its sysctl with ENOSYS. */
#include "config.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "probes/probes-internal.h"

#ifdef HAVE_LIBXEN
/* libxenctrl's messages go to the debug log (hvbench -v): the probe says what
 * failed through its own reason, and nothing reaches stderr or stdout. */
static void hvb_xc_vmessage(struct xentoollog_logger *lg, xentoollog_level level, int errnoval, const char *context,
			 const char *format, va_list al)
{
	char msg[400];

	vsnprintf(msg, sizeof(msg), format, al);
	hvb_log(HVB_LOG_DEBUG, "libxenctrl: %s", msg);
}
static void hvb_xc_progress(struct xentoollog_logger *lg, const char *context, const char *doing_what, int percent,
			 unsigned long done, unsigned long total)
{
}
static void hvb_xc_destroy(struct xentoollog_logger *lg) {}
static struct xentoollog_logger hvb_xc_logger = { .vmessage = hvb_xc_vmessage, .progress = hvb_xc_progress, .destroy = hvb_xc_destroy };

xc_interface *hvb_probe_xc_open(char *why, size_t len)
{
	xc_interface *x;

	if (!hvb_probe_in_dom0()) {
		snprintf(why, len, "not running in a Xen dom0 (no /proc/xen/capabilities with control_d)");
		return NULL;
	}
	if (!(x = xc_interface_open(&hvb_xc_logger, &hvb_xc_logger, 0)))
		snprintf(why, len, "cannot open libxenctrl (%s): it needs root in dom0 (/dev/xen/privcmd)",
			 strerror(errno));
	return x;
}

int hvb_probe_xen_hook(int rc, int err, const char *kconfig, const char *what, char *why, size_t len)
{
	if (rc == 0)
		return 1;
	if (err == ENOSYS)
		snprintf(why, len, "this hypervisor was built without %s (%s answers ENOSYS; hv/xen/hvbench.config builds "
			 "one with it: hvbench hv build)", kconfig, what);
	else
		snprintf(why, len, "%s failed: %s", what, strerror(err));
	return 0;
}

xc_interface *hvb_probe_xc_hook_open(hvb_xen_hook_query *query, char *why, size_t len)
{
	xc_interface *x = hvb_probe_xc_open(why, len);

	if (x && !query(x, why, len)) {
		xc_interface_close(x);
		x = NULL;
	}
	return x;
}

int hvb_probe_xc_hook_supported(hvb_xen_hook_query *query, char *why, size_t len)
{
	xc_interface *x = hvb_probe_xc_hook_open(query, why, len);

	if (!x)
		return 0;
	xc_interface_close(x);
	return 1;
}
#endif

int hvb_probe_no_libxen(char *why, size_t len)
{
	snprintf(why, len, "hvbench was built without libxenctrl (configure found no xencontrol.pc; Debian: libxen-dev)");
	return 0;
}

int hvb_probe_open_no_libxen(const struct hvb_params *p, const struct hvb_probe_target *t, void **state, char *why,
			     size_t len)
{
	hvb_probe_no_libxen(why, len);
	return HVB_ESKIP;
}
