/* The xen backend: PV, PVH and HVM guests through libxl. Only its host check is
 * here so far: guest creation (issue 6) is not written yet, and the backend says
 * so instead of pretending. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "hv/hv.h"

static const char *const xen_modes[] = { "pv", "pvh", "hvm", NULL };

static int in_dom0(void)
{
	char caps[128] = "";
	FILE *f = fopen("/proc/xen/capabilities", "r");

	if (!f)
		return 0;
	if (!fgets(caps, sizeof(caps), f))
		caps[0] = 0;
	fclose(f);
	return strstr(caps, "control_d") != NULL;
}

static int xen_supported(const char *mode, char *why, size_t len)
{
#ifndef HAVE_LIBXEN
	snprintf(why, len, "xen: hvbench was built without the Xen toolstack libraries (configure --with-libxen)");
	return 0;
#else
	if (!in_dom0()) {
		snprintf(why, len, "xen: not running in dom0 (no /proc/xen/capabilities with control_d)");
		return 0;
	}
	snprintf(why, len, "xen: starting %s guests is not implemented yet in this hvbench", mode ? mode : "");
	return 0;
#endif
}

static struct hvb_topo *xen_topology(void) { return NULL; }
static const char *xen_host_kind(void) { return "Xen host"; }

const struct hvb_backend_ops hvb_backend_xen = {
	.name = "xen",
	.summary = "PV, PVH and HVM guests on a Xen host, from dom0",
	.modes = xen_modes,
	.supported = xen_supported,
	.topology = xen_topology,
	.host_kind = xen_host_kind,
};
