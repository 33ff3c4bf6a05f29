/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* The metadata file written beside each trace (TRACE.meta.json): what xentrace does not
 * record, e.g. the CPU frequency, the CPU vendor and the domain id -> guest name map. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probes/xentrace/xentrace.h"

#define META_FORMAT "hvbench-xentrace-meta"
#define META_VERSION 1

void hvb_xt_meta_init(struct hvb_xt_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->run_id = m->cell_id = m->rep = -1;
}

int hvb_xt_meta_path(const char *trace_path, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s.meta.json", trace_path);
	return n < 0 || (size_t)n >= len ? HVB_EINVAL : 0;
}

static const char *vendor_name(enum hvb_xt_vendor v)
{
	return v == HVB_XT_VENDOR_SVM ? "amd" : v == HVB_XT_VENDOR_VMX ? "intel" : "unknown";
}

static void copy_str(char *dst, size_t len, json_t *v)
{
	snprintf(dst, len, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static int64_t get_int(json_t *o, const char *k, int64_t def)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

int hvb_xt_meta_read(const char *path, struct hvb_xt_meta *m)
{
	json_error_t je;
	json_t *root, *v, *doms;
	const char *s;

	hvb_xt_meta_init(m);
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return HVB_ENOENT;
	if (!(root = json_load_file(path, 0, &je))) {
		hvb_log(HVB_LOG_ERROR, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return HVB_EINVAL;
	}
	if (!json_is_object(root) || !(s = json_string_value(json_object_get(root, "format"))) ||
	    strcmp(s, META_FORMAT)) {
		hvb_log(HVB_LOG_ERROR, "%s: not an hvbench trace metadata file (expected \"format\": \"%s\")",
			path, META_FORMAT);
		json_decref(root);
		return HVB_EINVAL;
	}
	v = json_object_get(root, "cpu_hz");
	if (v && (!json_is_number(v) || json_number_value(v) <= 0)) {
		hvb_log(HVB_LOG_ERROR, "%s: \"cpu_hz\" must be a positive number", path);
		json_decref(root);
		return HVB_EINVAL;
	}
	m->cpu_hz = v ? json_number_value(v) : 0;
	m->pcpus = (int)get_int(root, "pcpus", 0);
	m->numa_nodes = (int)get_int(root, "numa_nodes", 0);
	m->run_id = get_int(root, "run", -1);
	m->cell_id = get_int(root, "cell", -1);
	m->rep = get_int(root, "rep", -1);
	m->event_mask = (uint32_t)get_int(root, "event_mask", 0);
	copy_str(m->xen_version, sizeof(m->xen_version), json_object_get(root, "xen_version"));
	{
		unsigned xv;
		if (hvb_xt_xen_version_parse(m->xen_version, &xv)) {
			hvb_log(HVB_LOG_ERROR, "%s: \"xen_version\" '%s' is not a Xen version such as \"4.19\"",
				path, m->xen_version);
			json_decref(root);
			return HVB_EINVAL;
		}
	}
	s = json_string_value(json_object_get(root, "cpu_vendor"));
	m->vendor = !s ? HVB_XT_VENDOR_AUTO : !strcmp(s, "amd") ? HVB_XT_VENDOR_SVM :
		    !strcmp(s, "intel") ? HVB_XT_VENDOR_VMX : HVB_XT_VENDOR_AUTO;
	doms = json_object_get(root, "domains");
	for (size_t i = 0; json_is_array(doms) && i < json_array_size(doms); i++) {
		json_t *d = json_array_get(doms, i);
		struct hvb_xt_meta_domain *md;
		if (m->ndomains == HVB_XT_META_MAXDOM) {
			hvb_log(HVB_LOG_WARN, "%s: more than %d domains; the rest are ignored", path,
				HVB_XT_META_MAXDOM);
			break;
		}
		if (!json_is_integer(json_object_get(d, "domid"))) {
			hvb_log(HVB_LOG_ERROR, "%s: domains[%zu] has no integer \"domid\"", path, i);
			json_decref(root);
			return HVB_EINVAL;
		}
		md = &m->domains[m->ndomains++];
		md->domid = (uint32_t)json_integer_value(json_object_get(d, "domid"));
		copy_str(md->name, sizeof(md->name), json_object_get(d, "name"));
		copy_str(md->mode, sizeof(md->mode), json_object_get(d, "mode"));
	}
	json_decref(root);
	return 0;
}

int hvb_xt_meta_write(const char *path, const struct hvb_xt_meta *m)
{
	json_t *root = json_object(), *doms = json_array();
	char mask[128];
	int e = 0;

	json_object_set_new(root, "format", json_string(META_FORMAT));
	json_object_set_new(root, "version", json_integer(META_VERSION));
	if (m->cpu_hz > 0)
		json_object_set_new(root, "cpu_hz", json_real(m->cpu_hz));
	json_object_set_new(root, "cpu_vendor", json_string(vendor_name(m->vendor)));
	/* Unknown is null, never a 0 a reader could take for a count. */
	json_object_set_new(root, "pcpus", m->pcpus > 0 ? json_integer(m->pcpus) : json_null());
	json_object_set_new(root, "numa_nodes", m->numa_nodes > 0 ? json_integer(m->numa_nodes) : json_null());
	json_object_set_new(root, "event_mask", json_integer(m->event_mask));
	hvb_xt_mask_format(m->event_mask, mask, sizeof(mask));
	json_object_set_new(root, "event_classes", json_string(mask));
	if (m->xen_version[0])
		json_object_set_new(root, "xen_version", json_string(m->xen_version));
	if (m->run_id >= 0)
		json_object_set_new(root, "run", json_integer(m->run_id));
	if (m->cell_id >= 0)
		json_object_set_new(root, "cell", json_integer(m->cell_id));
	if (m->rep >= 0)
		json_object_set_new(root, "rep", json_integer(m->rep));
	for (size_t i = 0; i < m->ndomains && i < HVB_XT_META_MAXDOM; i++) {
		json_t *d = json_object();
		json_object_set_new(d, "domid", json_integer(m->domains[i].domid));
		json_object_set_new(d, "name", json_string(m->domains[i].name));
		json_object_set_new(d, "mode", m->domains[i].mode[0] ? json_string(m->domains[i].mode) : json_null());
		json_array_append_new(doms, d);
	}
	json_object_set_new(root, "domains", doms);
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS)) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot write: %s", path, strerror(errno));
		e = HVB_EIO;
	}
	json_decref(root);
	return e;
}

const struct hvb_xt_meta_domain *hvb_xt_meta_domain(const struct hvb_xt_meta *m, uint32_t domid)
{
	for (size_t i = 0; m && i < m->ndomains; i++)
		if (m->domains[i].domid == domid)
			return &m->domains[i];
	return NULL;
}

/* "key : value" of a cpuinfo line: the value, trimmed, or NULL when the key differs. */
static char *cpuinfo_value(char *line, const char *key)
{
	size_t kl = strlen(key);
	char *v;

	if (strncmp(line, key, kl) || (line[kl] != ' ' && line[kl] != '\t' && line[kl] != ':') || !(v = strchr(line, ':')))
		return NULL;
	v += strspn(v + 1, " \t") + 1;
	v[strcspn(v, "\n")] = 0;
	return v;
}

int hvb_xt_meta_cpuinfo(struct hvb_xt_meta *m, const char *path)
{
	static const struct { const char *id; enum hvb_xt_vendor v; } ids[] = {
		{ "AuthenticAMD", HVB_XT_VENDOR_SVM }, { "HygonGenuine", HVB_XT_VENDOR_SVM },
		{ "GenuineIntel", HVB_XT_VENDOR_VMX }, { "CentaurHauls", HVB_XT_VENDOR_VMX },
		{ "  Shanghai  ", HVB_XT_VENDOR_VMX },
	};
	FILE *f = fopen(path, "r");
	char line[4096], *v;
	int vendor_seen = 0, mhz_seen = 0;

	if (!f)
		return HVB_EIO;
	/* The first processor's lines only: a blank line ends it. */
	while ((!vendor_seen || !mhz_seen) && fgets(line, sizeof(line), f) && line[0] != '\n') {
		if (!vendor_seen && (v = cpuinfo_value(line, "vendor_id"))) {
			vendor_seen = 1;
			for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
				if (!strcmp(v, ids[i].id) || !strcmp(v, ids[i].id + strspn(ids[i].id, " ")))
					m->vendor = ids[i].v;
		} else if (!mhz_seen && (v = cpuinfo_value(line, "cpu MHz"))) {
			double mhz = strtod(v, NULL);
			mhz_seen = 1;
			if (m->cpu_hz <= 0 && mhz > 0)
				m->cpu_hz = mhz * 1e6;
		}
	}
	fclose(f);
	return 0;
}
