/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Leftovers of killed runs: guests named hvbench-RUN-CELL whose owner (the
 * runner process recorded in the guest's xenstore directory at creation) is
 * gone. A guest whose owner still runs belongs to a live run and is left alone.
 * The start of every run and `hvbench cleanup` destroy the rest. */
#include "config.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hv/xen-internal.h"

int hvb_xen_is_guest_name(const char *name)
{
	const char *p;

	if (!name || strncmp(name, "hvbench-", 8))
		return 0;
	p = name + 8;
	/* RUN-CELL: two decimal numbers; RUN-CELL-gK: guest K of a cell of several; either with -ant. */
	if (!isdigit((unsigned char)*p))
		return 0;
	p += strspn(p, "0123456789");
	if (*p++ != '-' || !isdigit((unsigned char)*p))
		return 0;
	p += strspn(p, "0123456789");
	if (p[0] == '-' && p[1] == 'g' && isdigit((unsigned char)p[2]))
		p += 2 + strspn(p + 2, "0123456789");
	/* GUEST-ant: the antagonist domain started with a guest (experiment key antagonists) */
	if (!strcmp(p, "-ant"))
		p += 4;
	return *p == 0;
}

/* Field 22 of /proc/PID/stat: the process's start time, which tells a reused pid apart. */
static int start_time(long pid, unsigned long long *out)
{
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	if (!(p = strrchr(buf, ')')))
		return -1;
	p++;
	for (int field = 3; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	return p && sscanf(p, " %llu", out) == 1 ? 0 : -1;
}

void hvb_xen_owner_self(char *buf, size_t len)
{
	unsigned long long st = 0;

	start_time((long)getpid(), &st);
	snprintf(buf, len, "%ld:%llu", (long)getpid(), st);
}

int hvb_xen_owner_alive(const char *owner)
{
	long pid;
	unsigned long long st, now;

	if (!owner || sscanf(owner, "%ld:%llu", &pid, &st) != 2 || pid <= 0)
		return 0;
	return start_time(pid, &now) == 0 && now == st;
}

int hvb_xen_is_leftover(const char *name, const char *owner, int (*alive)(const char *owner))
{
	if (!hvb_xen_is_guest_name(name))
		return 0;
	/* No owner recorded: not one of ours as created by this version, but named
	 * like ours and so from a run that cannot be asked; a leftover. */
	return !owner || !alive(owner);
}

#ifdef HAVE_LIBXEN
#include <xenstore.h>

int hvb_xen_cleanup(int dry_run, char *report, size_t len)
{
	char why[256];
	libxl_ctx *ctx = hvb_xen_ctx(why, sizeof(why));
	libxl_dominfo *doms;
	struct xs_handle *xs;
	int n = 0, found = 0;
	size_t off = 0;

	if (report && len)
		report[0] = 0;
	if (!ctx) {
		snprintf(report, len, "%s", why);
		return HVB_ESKIP;
	}
	if (!(doms = libxl_list_domain(ctx, &n))) {
		snprintf(report, len, "libxl_list_domain failed");
		return HVB_EIO;
	}
	xs = xs_open(XS_OPEN_READONLY);
	for (int i = 0; i < n; i++) {
		char *name = libxl_domid_to_name(ctx, doms[i].domid), *owner = NULL, path[64];
		unsigned olen = 0;
		if (xs) {
			snprintf(path, sizeof(path), "/local/domain/%u/hvbench-owner", doms[i].domid);
			owner = xs_read(xs, XBT_NULL, path, &olen);
		}
		if (hvb_xen_is_leftover(name, owner, hvb_xen_owner_alive)) {
			int rc = dry_run ? 0 : libxl_domain_destroy(ctx, doms[i].domid, NULL);
			if (!dry_run && !rc)
				hvb_xen_disk_forget(name); /* its benchmark and tools disk files */
			found++;
			if (off < len)
				off += (size_t)snprintf(report + off, len - off, "%s%s %s (domain %u, owner %s)%s",
							off ? "\n" : "", dry_run ? "would destroy" : rc ? "could not destroy"
												    : "destroyed",
							name, doms[i].domid, owner ? owner : "unknown", rc ? ": libxl error" : "");
			hvb_log(HVB_LOG_INFO, "xen cleanup: %s %s (domain %u)", dry_run ? "leftover" : "destroyed", name,
				doms[i].domid);
		}
		free(owner);
		free(name);
	}
	if (xs)
		xs_close(xs);
	libxl_dominfo_list_free(doms, n);
	return found;
}
#else
int hvb_xen_cleanup(int dry_run, char *report, size_t len)
{
	snprintf(report, len, "xen: hvbench was built without the Xen toolstack libraries");
	return HVB_ESKIP;
}
#endif
