/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What identifies a run outside the store it was measured into: its UUID (the
 * natural key merge goes by), and the class of its host, the group of hosts whose
 * samples may be compared with each other (LKP's tbox_group): runs of two classes
 * are never pooled or compared unless a person asks (--across-hosts). */
#include "config.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <uuid/uuid.h>
#include "results/results.h"

int hvb_uuid_new(char *buf, size_t len)
{
	uuid_t u;

	if (len < 37)
		return HVB_EINVAL;
	uuid_generate_random(u);
	uuid_unparse_lower(u, buf);
	return 0;
}

/* Memory rounded up to a power of two GiB: what is installed less what the
 * firmware, Xen or another kernel keeps (a dom0 kernel under test must not
 * change its host's class) stays under the same power of two. */
static unsigned long long mem_class_gib(json_int_t bytes)
{
	unsigned long long gib = 1;

	while (bytes > 0 && (unsigned long long)bytes > gib << 30)
		gib <<= 1;
	return bytes > 0 ? gib : 0;
}

uint64_t hvb_fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

int hvb_host_class_name_check(const char *name, char *why, size_t len)
{
	size_t n = strlen(name);

	if (!n || n >= sizeof(((struct hvb_run_info *)0)->host_class)) {
		snprintf(why, len, "expected 1 to %zu characters, got %zu", sizeof(((struct hvb_run_info *)0)->host_class) - 1, n);
		return HVB_EINVAL;
	}
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || (i && strchr("._-", name[i])))) {
			snprintf(why, len, "character %zu: expected letters, digits and . _ - (a letter or digit first)", i + 1);
			return HVB_EINVAL;
		}
	return 0;
}

int hvb_host_class(const char *host_json, char *cls, size_t len, char *basis, size_t blen)
{
	json_t *h = host_json ? json_loads(host_json, 0, NULL) : NULL, *topo, *nodes, *n;
	char b[1024], node[64], why[128], measured[24];
	const char *named;
	size_t off, i;

	if (!h || !json_is_object(h)) {
		json_decref(h);
		snprintf(cls, len, "unknown");
		if (basis)
			snprintf(basis, blen, "no host facts");
		return HVB_ENOENT;
	}
	topo = json_object_get(h, "topology");
	nodes = json_object_get(topo, "nodes");
	off = (size_t)snprintf(b, sizeof(b), "%s; %s; %lld CPUs; %llu GiB; %zu node%s",
			       json_string_value(json_object_get(h, "cpu_model")) ?: "?",
			       json_string_value(json_object_get(h, "host_kind")) ?: "?",
			       (long long)(json_integer_value(json_object_get(topo, "pus"))
					   ?: json_integer_value(json_object_get(h, "online_cpus"))),
			       mem_class_gib(json_integer_value(json_object_get(h, "mem_total_bytes"))),
			       json_array_size(nodes), json_array_size(nodes) == 1 ? "" : "s");
	json_array_foreach(nodes, i, n) {
		snprintf(node, sizeof(node), "%s", json_string_value(json_object_get(n, "cpus")) ?: "");
		if (off < sizeof(b))
			off += (size_t)snprintf(b + off, sizeof(b) - off, "%s%s", i ? " | " : ": cpus ", node);
	}
	/* A class named by the person running it (HVBENCH_HOST_CLASS): the label only,
	 * the facts stay as measured, and the basis says both. */
	named = json_string_value(json_object_get(h, "host_class_named"));
	snprintf(measured, sizeof(measured), "hc-%010llx", (unsigned long long)(hvb_fnv1a(b) >> 24));
	if (named && hvb_host_class_name_check(named, why, sizeof(why)) == 0) {
		snprintf(cls, len, "%s", named);
		if (basis)
			snprintf(basis, blen, "named by HVBENCH_HOST_CLASS (the facts' class: %s, of %s)", measured, b);
	} else {
		snprintf(cls, len, "%s", measured);
		if (basis)
			snprintf(basis, blen, "%s", b);
	}
	json_decref(h);
	return 0;
}

void hvb_xen_hooks_line(const json_t *xen, char *buf, size_t len)
{
	json_t *hooks = json_object_get(xen, "hooks"), *v;
	const char *k, *why = json_string_value(json_object_get(xen, "unavailable"));
	size_t off = 0;

	buf[0] = 0;
	if (!json_is_object(hooks))
		return;
	if (why) {
		snprintf(buf, len, "unknown: %s", why);
		return;
	}
	json_object_foreach(hooks, k, v)
		if (json_is_true(json_object_get(v, "present")) && off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? " " : "", k);
	if (!off)
		snprintf(buf, len, "none");
}
