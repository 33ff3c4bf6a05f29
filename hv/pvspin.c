/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Linux's PV spinlocks in a Xen guest (experiment key pvspin): which command-line word
 * turns them off for a given kernel, the kernel's release read from its bzImage before it
 * boots, and what the running kernel says it did (its boot log and /proc/cmdline), read
 * by the agent inside the guest. Linux (arch/x86/xen/spinlock.c, xen_init_spinlocks)
 * logs "xen: PV spinlocks enabled" or "... disabled" at KERN_DEBUG: the console's
 * loglevel hides it, the kernel's log buffer keeps it. */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>
#include <jansson.h>
#include "hv/hv.h"

int hvb_kernel_at_least(const char *release, int major, int minor)
{
	char *end;
	long ma, mi = 0;

	if (!release)
		return 0;
	ma = strtol(release, &end, 10);
	if (end == release)
		return 0;
	if (*end == '.')
		mi = strtol(end + 1, NULL, 10);
	return ma > major || (ma == major && mi >= minor);
}

const char *hvb_nopvspin_word(const char *release)
{
	/* nopvspin is Linux 5.9's common switch; xen_nopvspin, older, is still parsed
	 * there (deprecated, with a notice), so an unknown release gets it. */
	return hvb_kernel_at_least(release, 5, 9) ? "nopvspin" : "xen_nopvspin";
}

int hvb_bzimage_release(const char *path, char *out, size_t len)
{
	unsigned char hdr[0x210];
	char s[128];
	FILE *f = fopen(path, "rb");
	unsigned off;
	size_t n, i;

	if (!f)
		return HVB_EIO;
	n = fread(hdr, 1, sizeof(hdr), f);
	/* The x86 boot protocol's setup header: "HdrS" at 0x202, version at 0x206,
	 * kernel_version at 0x20e (2.00+): a string at that offset + 0x200. */
	if (n < sizeof(hdr) || memcmp(hdr + 0x202, "HdrS", 4) || (hdr[0x206] | hdr[0x207] << 8) < 0x200 ||
	    !(off = hdr[0x20e] | hdr[0x20f] << 8) || fseek(f, (long)off + 0x200, SEEK_SET) ||
	    !(n = fread(s, 1, sizeof(s) - 1, f))) {
		fclose(f);
		return HVB_EINVAL;
	}
	fclose(f);
	s[n] = 0;
	for (i = 0; s[i] > ' ' && s[i] < 0x7f; i++)
		;
	if (!i || i >= len)
		return HVB_EINVAL;
	memcpy(out, s, i);
	out[i] = 0;
	return 0;
}

int hvb_pvspin_log_state(const char *log)
{
	const char *p = log, *last = NULL;

	while (p && (p = strstr(p, "xen: PV spinlocks ")))
		last = p++;
	if (!last)
		return -1;
	last += strlen("xen: PV spinlocks ");
	return !strncmp(last, "enabled", 7) ? 1 : !strncmp(last, "disabled", 8) ? 0 : -1;
}

int hvb_cmdline_has_word(const char *cmdline, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = cmdline; p && (p = strstr(p, w)); p++)
		if ((p == cmdline || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ' || p[n] == '\n'))
			return 1;
	return 0;
}

int hvb_pvspin_cmdline_off(const char *cmdline, const char *release)
{
	return cmdline && (hvb_cmdline_has_word(cmdline, "xen_nopvspin") ||
			   (hvb_cmdline_has_word(cmdline, "nopvspin") && hvb_kernel_at_least(release, 5, 9)));
}

struct json_t *hvb_pvspin_seen(void)
{
	char cmdline[4096] = "", *log = NULL;
	struct utsname u;
	FILE *f = fopen("/proc/cmdline", "r");
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0), n = -1, state = -1;
	json_t *o;

	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = 0;
		fclose(f);
		cmdline[strcspn(cmdline, "\n")] = 0;
	}
	uname(&u);
	if (size > 0 && (log = malloc((size_t)size + 1)) &&
	    (n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, size)) >= 0) {
		log[n] = 0;
		state = hvb_pvspin_log_state(log);
	}
	free(log);
	o = json_pack("{s:s, s:b, s:s}", "cmdline", cmdline, "cmdline_off", hvb_pvspin_cmdline_off(cmdline, u.release),
		      "kernel", u.release);
	if (!o) /* a command line that is not UTF-8 */
		o = json_pack("{s:n, s:b, s:s}", "cmdline", "cmdline_off", hvb_pvspin_cmdline_off(cmdline, u.release),
			      "kernel", u.release);
	json_object_set_new(o, "log", state < 0 ? json_null() : json_string(state ? "enabled" : "disabled"));
	json_object_set_new(o, "log_source",
			    json_string(n < 0 ? "the kernel log could not be read (klogctl)"
					: state < 0 ? "no 'xen: PV spinlocks' line in the kernel log (not a Xen guest, a "
						      "kernel without PV spinlocks, or the line was overwritten)"
						    : "kernel log (klogctl): 'xen: PV spinlocks ...'"));
	return o;
}

int hvb_pvspin_check(int asked, int vcpus, const struct json_t *seen, char *why, size_t len)
{
	const char *log = json_string_value(json_object_get(seen, "log"));
	int off = json_is_true(json_object_get(seen, "cmdline_off"));
	/* Linux uses no PV spinlocks on one CPU (num_possible_cpus() == 1), whatever was asked. */
	int want = asked && vcpus > 1;

	if (asked < 0 || (!seen && asked)) /* an older agent says nothing: on is the default */
		return 0;
	if (!seen) {
		snprintf(why, len, "pvspin = off, but the guest's agent does not report its PV spinlocks");
		return HVB_ESKIP;
	}
	if (off == asked) {
		snprintf(why, len, "pvspin = %s, but the guest's /proc/cmdline %s ('%s')", asked ? "on" : "off",
			 asked ? "turns PV spinlocks off" : "does not turn PV spinlocks off for its kernel",
			 json_string_value(json_object_get(seen, "cmdline")));
		return HVB_ESKIP;
	}
	if (log && (strcmp(log, "enabled") == 0) != want) {
		snprintf(why, len, "pvspin = %s with %d vCPU%s, but the guest kernel logged 'xen: PV spinlocks %s'",
			 asked ? "on" : "off", vcpus, vcpus == 1 ? "" : "s", log);
		return HVB_ESKIP;
	}
	return 0;
}
