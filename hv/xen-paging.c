/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hardware-assisted (HAP: EPT, NPT) against shadow paging, the experiment key
 * hap = on|off: a cell with hap = off runs a mode of name MODE-shadow
 * (hvm-shadow, pvh-shadow, hvm-emu-shadow). Whether it can run is the
 * hypervisor's to say (libxl_physinfo's cap_hap and cap_shadow, what `xl info`
 * prints as virt_caps "hap" and "shadow"); Debian's hypervisors are built
 * without CONFIG_SHADOW_PAGING. And the mitigation state Xen printed at boot
 * (`xl dmesg`'s "Speculative mitigation facilities" block, XPTI among it) and
 * was asked for on its command line. Plain C: unit-tested without Xen. */
#include "config.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "hv/xen-internal.h"

#define SHADOW_SUFFIX "-shadow"

int hvb_xen_mode_parse(const char *mode, struct hvb_xen_mode *m, char *why, size_t len)
{
	static const char *const bases[] = { "pv", "pvh", "hvm", "hvm-emu", NULL };
	size_t n = strlen(mode), sl = strlen(SHADOW_SUFFIX);
	char base[16];

	memset(m, 0, sizeof(*m));
	m->shadow = n > sl && !strcmp(mode + n - sl, SHADOW_SUFFIX);
	snprintf(base, sizeof(base), "%.*s", (int)(m->shadow ? n - sl : n), mode);
	for (int i = 0; bases[i]; i++)
		if (!strcmp(base, bases[i])) {
			/* hvm-emu: HVM with emulated disk and NIC only. */
			snprintf(m->base, sizeof(m->base), "%.7s", strncmp(base, "hvm", 3) ? base : "hvm");
			m->pv_drivers = strcmp(base, "hvm-emu") != 0;
			return 0;
		}
	snprintf(why, len, "xen: no mode '%s' (pv, pvh, hvm, hvm-emu; with hap = off: pvh-shadow, hvm-shadow, "
			   "hvm-emu-shadow)", mode);
	return HVB_EINVAL;
}

int hvb_xen_paging_check(const struct hvb_xen_mode *m, int cap_hap, int cap_shadow, char *why, size_t len)
{
	if (m->shadow && !strcmp(m->base, "pv")) {
		snprintf(why, len, "xen: hap = off does not apply to PV guests: they have neither HAP nor shadow paging "
				   "(Xen validates their own page tables); hap = on|off is for HVM and PVH guests");
		return 0;
	}
	if (!strcmp(m->base, "pv"))
		return 1;
	if (m->shadow && !cap_shadow) {
		snprintf(why, len, "xen: hap = off needs shadow paging, and this hypervisor is built without "
				   "CONFIG_SHADOW_PAGING (xl info's virt_caps has no 'shadow'; Debian's Xen packages "
				   "leave it out, a hypervisor built by `hvbench hv build` has it)");
		return 0;
	}
	/* libxl would fall back to shadow paging without a word: a HAP cell that
	 * measured shadow paging would be a lie. */
	if (!m->shadow && !cap_hap) {
		snprintf(why, len, "xen: hap = on, and this host has no hardware-assisted paging (xl info's virt_caps "
				   "has no 'hap': no EPT or NPT, or Xen was told hap=0)%s",
			 cap_shadow ? "; hap = off runs with shadow paging" : "");
		return 0;
	}
	return 1;
}

/* The text of a console line after "(XEN) " and an optional "[timestamp] ". */
static const char *xen_text(const char *line, const char *end)
{
	const char *p = line;

	if ((size_t)(end - p) >= 6 && !strncmp(p, "(XEN) ", 6))
		p += 6;
	if (p < end && *p == '[') {
		const char *q = memchr(p, ']', (size_t)(end - p));
		if (q && q + 1 < end && q[1] == ' ')
			p = q + 2;
	}
	return p;
}

size_t hvb_xen_spec_lines(const char *console, char *out, size_t len)
{
	const char *line = console, *last = NULL;
	size_t off = 0, n = 0;

	if (len)
		out[0] = 0;
	/* The last block: a console ring may hold several boots' worth. */
	for (const char *p = console; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		const char *end = p + strcspn(p, "\n");
		if (strstr(xen_text(p, end), "Speculative mitigation facilities") == xen_text(p, end))
			last = p;
	}
	if (!last)
		return 0;
	/* The heading, then its lines, indented under it. */
	for (line = last; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *end = line + strcspn(line, "\n"), *t = xen_text(line, end);
		if (line != last && (t >= end || *t != ' '))
			break;
		while (t < end && *t == ' ')
			t++;
		if (off < len)
			off += (size_t)snprintf(out + off, len - off, "%s%.*s", n ? "; " : "", (int)(end - t), t);
		n++;
	}
	if (off >= len && len > 4)
		memcpy(out + len - 4, "...", 4);
	return n;
}

void hvb_xen_cmdline_mitigations(const char *cmdline, char *out, size_t len)
{
	/* Xen's options that set mitigations (docs/misc/xen-command-line.pandoc). */
	static const char *const opts[] = { "spec-ctrl", "xpti", "pv-l1tf", "smt", "ucode", "tsx", "pv-shim",
					    "bti", "l1tf-barrier", NULL };
	size_t off = 0;

	if (len)
		out[0] = 0;
	for (const char *p = cmdline; p && *p;) {
		size_t wl;
		while (*p == ' ')
			p++;
		wl = strcspn(p, " ");
		for (int i = 0; opts[i] && wl; i++) {
			size_t ol = strlen(opts[i]);
			/* "spec-ctrl=no", or the boolean form "no-xpti", "xpti" */
			const char *w = !strncmp(p, "no-", 3) ? p + 3 : p;
			if (!strncmp(w, opts[i], ol) && (w[ol] == '=' || w + ol == p + wl) && off < len) {
				off += (size_t)snprintf(out + off, len - off, "%s%.*s", off ? " " : "", (int)wl, p);
				break;
			}
		}
		p += wl;
	}
}

#ifdef HAVE_LIBXEN
#include <stdlib.h>

json_t *hvb_xen_mitigations_json(void)
{
	char why[256], spec[4096], opts[1040];
	xen_commandline_t cl = "";
	unsigned int nr = 1u << 20, index = 0;
	xc_interface *x = hvb_xen_xch(why, sizeof(why));
	char *ring;
	json_t *o;

	if (!x || !(ring = malloc(nr + 1)))
		return NULL;
	/* The whole ring, not cleared: what `xl dmesg` shows. */
	if (xc_readconsolering(x, ring, &nr, 0, 0, &index) < 0)
		nr = 0;
	ring[nr] = 0;
	hvb_xen_spec_lines(ring, spec, sizeof(spec));
	free(ring);
	if (xc_version(x, XENVER_commandline, &cl) != 0)
		cl[0] = 0;
	cl[sizeof(cl) - 1] = 0;
	hvb_xen_cmdline_mitigations(cl, opts, sizeof(opts));
	o = json_pack("{s:s, s:s}", "cmdline", opts, "boot_report", spec);
	if (!spec[0]) /* a long-running host's ring has moved on since boot */
		json_object_set_new(o, "boot_report_missing",
				    json_string("no \"Speculative mitigation facilities\" block in the console ring "
						"(overwritten since boot: Xen's conring_size= keeps more)"));
	return o;
}
#else
json_t *hvb_xen_mitigations_json(void) { return NULL; }
#endif
