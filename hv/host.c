/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Facts about the host stored with every run: what a result means depends on
 * them (kernel, CPU, topology, whether this is bare metal, a VM or a dom0). */
#include "config.h"
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "build-info.h"
#include "hv/hv.h"

/* First line of a small file, trimmed; empty when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	fclose(f);
}

/* The value of "key : value" in /proc/cpuinfo's first processor. */
static void cpuinfo_field(const char *key, char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[4096];
	size_t kl = strlen(key);

	buf[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, kl) && (line[kl] == ' ' || line[kl] == '\t' || line[kl] == ':')) {
			char *v = strchr(line, ':');
			if (v) {
				v++;
				while (*v == ' ')
					v++;
				v[strcspn(v, "\n")] = 0;
				snprintf(buf, len, "%s", v);
			}
			break;
		}
	}
	fclose(f);
}

json_t *hvb_topo_json(const struct hvb_topo *t)
{
	json_t *o = json_object(), *nodes = json_array();
	char buf[512];

	json_object_set_new(o, "source", json_string(t->source));
	json_object_set_new(o, "pus", json_integer(t->npus));
	json_object_set_new(o, "cores", json_integer(t->ncores));
	json_object_set_new(o, "packages", json_integer(t->npackages));
	json_object_set_new(o, "llc_bytes", json_integer((json_int_t)t->llc_bytes));
	hvb_cpuset_format(&t->allowed, buf, sizeof(buf));
	json_object_set_new(o, "allowed_cpus", json_string(buf));
	for (int i = 0; i < t->nnodes; i++) {
		json_t *n = json_object(), *d = json_array();
		hvb_cpuset_format(&t->nodes[i].cpus, buf, sizeof(buf));
		json_object_set_new(n, "node", json_integer(t->nodes[i].os_index));
		json_object_set_new(n, "cpus", json_string(buf));
		json_object_set_new(n, "mem_bytes", json_integer((json_int_t)t->nodes[i].mem_bytes));
		for (int j = 0; t->distances && j < t->nnodes; j++)
			json_array_append_new(d, json_integer(hvb_topo_distance(t, i, j)));
		json_object_set_new(n, "distances", d);
		json_array_append_new(nodes, n);
	}
	json_object_set_new(o, "nodes", nodes);
	return o;
}

const char *hvb_native_host_kind(void)
{
	static char kind[64];
	char type[32], caps[128], gtype[32], flags[8192];

	read_line("/sys/hypervisor/type", type, sizeof(type));
	if (!strcmp(type, "xen")) {
		read_line("/proc/xen/capabilities", caps, sizeof(caps));
		read_line("/sys/hypervisor/guest_type", gtype, sizeof(gtype));
		snprintf(kind, sizeof(kind), "%s (%s)", strstr(caps, "control_d") ? "dom0" : "domU",
			 gtype[0] ? gtype : "PV");
		return kind;
	}
	cpuinfo_field("flags", flags, sizeof(flags));
	/* The hypervisor CPUID bit: results from a VM are not bare metal, and say so. */
	if (strstr(flags, " hypervisor"))
		return "virtual machine";
	return "bare metal";
}

/* /sys/devices/system/cpu/vulnerabilities: one entry per issue, what the kernel
 * does about it ("Mitigation: Retpolines", "Vulnerable", "Not affected"). */
static json_t *vulnerabilities(void)
{
	static const char dir[] = "/sys/devices/system/cpu/vulnerabilities";
	struct dirent **e;
	json_t *o = json_object();
	int n = scandir(dir, &e, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char path[512], v[512];
		if (e[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e[i]->d_name);
			read_line(path, v, sizeof(v));
			json_object_set_new(o, e[i]->d_name, json_string(v));
		}
		free(e[i]);
	}
	if (n >= 0)
		free(e);
	return o;
}

char *hvb_cpu_vulnerabilities_json(void)
{
	json_t *o = vulnerabilities();
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	return s;
}

/* Turbo/boost: the cpufreq boost switch, else intel_pstate's no_turbo (inverted). */
static void boost(char *buf, size_t len)
{
	char v[32];

	read_line("/sys/devices/system/cpu/cpufreq/boost", v, sizeof(v));
	if (*v) {
		snprintf(buf, len, "%s (cpufreq/boost)", !strcmp(v, "1") ? "on" : "off");
		return;
	}
	read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", v, sizeof(v));
	if (*v)
		snprintf(buf, len, "%s (intel_pstate/no_turbo %s)", !strcmp(v, "0") ? "on" : "off", v);
	else
		snprintf(buf, len, "unknown (no cpufreq boost control)");
}

long long hvb_meminfo_bytes(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long long kb = 0;
	size_t kl = strlen(key);

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':' && sscanf(line + kl + 1, "%lld", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

/* What a figure depends on besides the hardware: the kernel's command line and
 * mitigations, SMT, boost, microcode, memory, the load when the run began, and
 * what built hvbench. Unreadable files give "" (a container may hide them). */
static void environment(json_t *o)
{
	char buf[4096], ctl[32], act[8];
	double l1, l5, l15;

	read_line("/proc/cmdline", buf, sizeof(buf));
	json_object_set_new(o, "kernel_cmdline", json_string(buf));
	json_object_set_new(o, "cpu_vulnerabilities", vulnerabilities());
	read_line("/sys/devices/system/cpu/smt/control", ctl, sizeof(ctl));
	read_line("/sys/devices/system/cpu/smt/active", act, sizeof(act));
	snprintf(buf, sizeof(buf), "%s%s%s", *ctl ? ctl : "unknown", *act ? ", active " : "", act);
	json_object_set_new(o, "smt", json_string(buf));
	boost(buf, sizeof(buf));
	json_object_set_new(o, "boost", json_string(buf));
	cpuinfo_field("microcode", buf, sizeof(buf));
	json_object_set_new(o, "microcode", json_string(buf[0] ? buf : "unknown"));
	json_object_set_new(o, "mem_total_bytes", json_integer(hvb_meminfo_bytes("MemTotal")));
	read_line("/proc/loadavg", buf, sizeof(buf));
	if (sscanf(buf, "%lf %lf %lf", &l1, &l5, &l15) == 3)
		snprintf(buf, sizeof(buf), "%.2f %.2f %.2f", l1, l5, l15);
	json_object_set_new(o, "loadavg_at_start", json_string(buf));
	json_object_set_new(o, "hvbench_commit", json_string(HVB_BUILD_COMMIT));
	json_object_set_new(o, "compiler", json_string(HVB_BUILD_CC));
	json_object_set_new(o, "configure_args", json_string(*HVB_BUILD_CONFIGURE ? HVB_BUILD_CONFIGURE : "(none)"));
}

char *hvb_host_facts_json(const struct hvb_topo *t)
{
	json_t *o = json_object();
	struct utsname u;
	char buf[512], *s;

	if (uname(&u) == 0) {
		json_object_set_new(o, "hostname", json_string(u.nodename));
		snprintf(buf, sizeof(buf), "%s %s %s", u.sysname, u.release, u.machine);
		json_object_set_new(o, "kernel", json_string(buf));
		json_object_set_new(o, "kernel_version", json_string(u.version));
	}
	cpuinfo_field("model name", buf, sizeof(buf));
	json_object_set_new(o, "cpu_model", json_string(buf));
	json_object_set_new(o, "host_kind", json_string(hvb_native_host_kind()));
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf));
	json_object_set_new(o, "thp", json_string(buf));
	read_line("/proc/sys/kernel/numa_balancing", buf, sizeof(buf));
	json_object_set_new(o, "numa_balancing", json_string(buf));
	read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf, sizeof(buf));
	json_object_set_new(o, "cpufreq_governor", json_string(buf[0] ? buf : "unknown"));
	json_object_set_new(o, "online_cpus", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_set_new(o, "hvbench_version", json_string(PACKAGE_VERSION));
	environment(o);
	/* On a Xen host every run names the hypervisor and the hooks it was built with. */
	if (!strncmp(hvb_native_host_kind(), "dom0", 4)) {
		struct hvb_hv_hooks h;
		hvb_hv_hooks_read(&h);
		json_t *x = hvb_hv_hooks_json(&h);
		json_t *mj = hvb_xen_mitigations_json();
		if (x && mj) /* XPTI, spec-ctrl: what a PV against HVM figure depends on */
			json_object_set_new(x, "mitigations", mj);
		else
			json_decref(mj);
		json_object_set_new(o, "xen", x);
	}
	if (t)
		json_object_set_new(o, "topology", hvb_topo_json(t));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}
