/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A guest's PV device settings (experiment keys feature_persistent and max_queues):
 * set on both ends before the devices connect, read back from xenstore after, never
 * assumed. The names are Linux's:
 *  - persistent grants: xen_blkback.feature_persistent in dom0 (a 0644 module parameter
 *    since Linux 5.15; before it blkback always offered them) and
 *    xen_blkfront.feature_persistent in the guest (its command line). Each end writes
 *    feature-persistent into its own xenstore directory at connect time (from 5.19/6.0
 *    the parameter's value; before, blkback wrote what was negotiated); they are in use
 *    when both say 1 (drivers/block/xen-blkback/xenbus.c connect_ring).
 *  - queues: xen_netback.max_queues in dom0 (0644), read when the vif's backend is
 *    probed and advertised as multi-queue-max-queues; xen_netfront.max_queues in the
 *    guest: netfront uses min(the two) and writes multi-queue-num-queues whenever
 *    netback advertises a maximum (drivers/net/xen-netfront.c talk_to_netback).
 * The parts here need no hypervisor: the module parameters under a root the tests
 * choose, the guest's command-line words, the xenstore text's parsing and the verdict. */
#include "config.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include "hv/xen-internal.h"

const char *hvb_modparam_root(void)
{
	const char *r = getenv("HVBENCH_SYS_MODULE");
	return r && *r ? r : "/sys/module";
}

int hvb_modparam_value(const char *text)
{
	char *end;
	long v;

	if (!text)
		return -1;
	/* bool parameters read Y or N; integers as decimal */
	if ((text[0] == 'Y' || text[0] == 'y') && (!text[1] || text[1] == '\n'))
		return 1;
	if ((text[0] == 'N' || text[0] == 'n') && (!text[1] || text[1] == '\n'))
		return 0;
	v = strtol(text, &end, 10);
	if (end == text || (*end && *end != '\n') || v < 0 || v > 1 << 20)
		return -1;
	return (int)v;
}

int hvb_modparam_read(const char *root, const char *module, const char *param, char *out, size_t len)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s/parameters/%s", root, module, param);
	if (!(f = fopen(path, "r")))
		return errno == ENOENT ? HVB_ENOENT : HVB_EIO;
	n = fread(out, 1, len - 1, f);
	fclose(f);
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
	return 0;
}

int hvb_modparam_set(const char *root, const char *module, const char *param, int value, char *why, size_t len)
{
	char path[512], dir[512], seen[32];
	struct utsname u;
	FILE *f;
	int rc;

	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	snprintf(path, sizeof(path), "%s/%s/parameters/%s", root, module, param);
	snprintf(dir, sizeof(dir), "%s/%s", root, module);
	if ((rc = hvb_modparam_read(root, module, param, seen, sizeof(seen))) == HVB_ENOENT) {
		f = fopen(dir, "r");
		if (f)
			fclose(f);
		if (!f)
			snprintf(why, len, "dom0's %s is not loaded (no %s): its %s cannot be set before the guest's "
					   "devices connect; load it first (modprobe %s)", module, dir, param, module);
		else
			snprintf(why, len, "dom0's kernel %s has no %s.%s (no %s)", u.release, module, param, path);
		return HVB_ESKIP;
	}
	if (rc < 0) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(errno));
		return HVB_ESKIP;
	}
	if (!(f = fopen(path, "w")) || fprintf(f, "%d\n", value) < 0 || fclose(f) != 0) {
		int e = errno;
		snprintf(why, len, "dom0's %s.%s cannot be set to %d (%s: %s; a kernel older than the writable "
				   "parameter has it read-only)", module, param, value, path, strerror(e));
		return HVB_ESKIP;
	}
	if (hvb_modparam_read(root, module, param, seen, sizeof(seen)) < 0 || hvb_modparam_value(seen) != value) {
		snprintf(why, len, "dom0's %s.%s was set to %d but reads '%s'", module, param, value, seen);
		return HVB_ESKIP;
	}
	return 0;
}

int hvb_xen_devopts_cmdline(int persistent, int queues, char *out, size_t len)
{
	size_t off = 0;

	out[0] = 0;
	/* Module parameters on the command line: built-in drivers take them from the kernel,
	 * modules from the guest's init (hv/image.c), as modprobe would. */
	if (persistent >= 0)
		off += (size_t)snprintf(out + off, off < len ? len - off : 0, " xen_blkfront.feature_persistent=%d",
					persistent);
	if (queues > 0)
		off += (size_t)snprintf(out + off, off < len ? len - off : 0, " xen_netfront.max_queues=%d", queues);
	return off < len ? 0 : HVB_EINVAL;
}

/* The device of a path, added when new; NULL when the table is full. */
static struct hvb_xen_dev *dev_of(struct hvb_xen_devices *d, const char *kind, int devid)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->d[i].kind, kind) && d->d[i].devid == devid)
			return &d->d[i];
	if (d->n == HVB_XEN_MAX_DEVS)
		return NULL;
	struct hvb_xen_dev *x = &d->d[d->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->kind, sizeof(x->kind), "%s", kind);
	x->devid = devid;
	x->be_state = x->fe_state = x->be_persistent = x->fe_persistent = x->be_max_queues = x->fe_num_queues = -1;
	return x;
}

/* One "PATH = \"VALUE\"" line (xenstore-ls -f's form); only domid's vbd and vif keys count. */
static int parse_line(char *line, unsigned domid, struct hvb_xen_devices *d, char *why, size_t len)
{
	char *eq = strstr(line, " = \""), *c[9], *save = NULL, *t;
	size_t n = strlen(line), nc = 0;
	unsigned long dom;

	if (line[0] != '/' || !eq || n < 2 || line[n - 1] != '"' || line + n - 1 < eq + 4) {
		snprintf(why, len, "expected a line of xenstore-ls -f (/PATH = \"VALUE\"), not '%.80s'", line);
		return HVB_EINVAL;
	}
	*eq = 0;
	line[n - 1] = 0;
	const char *val = eq + 4;
	for (t = strtok_r(line, "/", &save); t && nc < 9; t = strtok_r(NULL, "/", &save))
		c[nc++] = t;
	if (nc < 7 || strcmp(c[0], "local") || strcmp(c[1], "domain"))
		return 0;
	/* frontend: /local/domain/D/device/KIND/DEVID/KEY; backend: /local/domain/B/backend/KIND/D/DEVID/KEY */
	int fe = nc == 7 && !strcmp(c[3], "device"), be = nc == 8 && !strcmp(c[3], "backend");
	if (!fe && !be)
		return 0;
	dom = strtoul(fe ? c[2] : c[5], NULL, 10);
	/* blkback's vbd and netback's vif; QEMU's qdisk (the tools disk) is not blkback */
	if (dom != domid || (strcmp(c[4], "vbd") && strcmp(c[4], "vif")))
		return 0;
	struct hvb_xen_dev *x = dev_of(d, c[4], atoi(c[fe ? 5 : 6]));
	if (!x) {
		snprintf(why, len, "more than %d devices", HVB_XEN_MAX_DEVS);
		return HVB_EINVAL;
	}
	const char *key = c[nc - 1], *bk;
	int v = hvb_modparam_value(val);
	if (fe && !strcmp(key, "backend") && (bk = strstr(val, "/backend/")))
		snprintf(x->backend_kind, sizeof(x->backend_kind), "%.*s", (int)strcspn(bk + 9, "/"), bk + 9);
	else if (!strcmp(key, "state"))
		*(fe ? &x->fe_state : &x->be_state) = v;
	else if (!strcmp(key, "feature-persistent"))
		*(fe ? &x->fe_persistent : &x->be_persistent) = v;
	else if (be && !strcmp(key, "multi-queue-max-queues"))
		x->be_max_queues = v;
	else if (fe && !strcmp(key, "multi-queue-num-queues"))
		x->fe_num_queues = v;
	return 0;
}

int hvb_xen_devices_parse(const char *text, unsigned domid, struct hvb_xen_devices *d, char *why, size_t len)
{
	const char *p = text;
	int lineno = 0, rc;

	memset(d, 0, sizeof(*d));
	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[512], err[256];
		lineno++;
		if (n >= sizeof(line)) {
			snprintf(why, len, "line %d: longer than %zu characters", lineno, sizeof(line) - 1);
			return HVB_EINVAL;
		}
		memcpy(line, p, n);
		line[n] = 0;
		if (n && (rc = parse_line(line, domid, d, err, sizeof(err))) < 0) {
			snprintf(why, len, "line %d: %s", lineno, err);
			return rc;
		}
		p = e ? e + 1 : NULL;
	}
	/* A frontend vbd served by another backend (QEMU's qdisk: the tools disk) is not blkback's. */
	int k = 0;
	for (int i = 0; i < d->n; i++)
		if (!d->d[i].backend_kind[0] || !strcmp(d->d[i].backend_kind, d->d[i].kind))
			d->d[k++] = d->d[i];
	d->n = k;
	return 0;
}

int hvb_xen_dev_persistent(const struct hvb_xen_dev *x)
{
	if (x->be_persistent < 0 || x->fe_persistent < 0)
		return -1;
	return x->be_persistent == 1 && x->fe_persistent == 1;
}

int hvb_xen_dev_queues(const struct hvb_xen_dev *x)
{
	/* No multi-queue-num-queues: netfront kept the single-queue layout (netback advertised no maximum). */
	return x->fe_num_queues > 0 ? x->fe_num_queues : x->fe_state == 4 ? 1 : -1;
}

#define XENBUS_CONNECTED 4
static const char *on_off(int v) { return v < 0 ? "absent" : v ? "1" : "0"; }

int hvb_xen_devices_verdict(const struct hvb_xen_devices *d, int persistent, int queues, char *why, size_t len)
{
	int vbds = 0, vifs = 0;

	for (int i = 0; i < d->n; i++) {
		const struct hvb_xen_dev *x = &d->d[i];
		int vbd = !strcmp(x->kind, "vbd");
		if ((vbd ? persistent < 0 : queues <= 0))
			continue;
		vbd ? vbds++ : vifs++;
		if (x->be_state != XENBUS_CONNECTED || x->fe_state != XENBUS_CONNECTED) {
			snprintf(why, len, "%s %d is not connected (backend state %d, frontend state %d): its settings "
					   "cannot be read back", x->kind, x->devid, x->be_state, x->fe_state);
			return 0;
		}
		if (vbd && hvb_xen_dev_persistent(x) != persistent) {
			/* in use only when both ends offer them: either end's 0 is off */
			snprintf(why, len, "persistent grants asked %s, but they are %s on blkback disk %d: blkback's "
					   "feature-persistent = %s, blkfront's = %s", persistent ? "on" : "off",
				 hvb_xen_dev_persistent(x) == 1 ? "in use" : "not in use", x->devid, on_off(x->be_persistent),
				 on_off(x->fe_persistent));
			return 0;
		}
		if (!vbd && (x->be_max_queues != queues || hvb_xen_dev_queues(x) != queues)) {
			snprintf(why, len, "max_queues = %d asked, but vif %d has netback's multi-queue-max-queues = %d and "
					   "netfront's queues = %d%s", queues, x->devid, x->be_max_queues, hvb_xen_dev_queues(x),
				 x->fe_num_queues < 0 ? " (no multi-queue-num-queues: the single-queue layout)" : "");
			return 0;
		}
	}
	if (persistent >= 0 && !vbds) {
		snprintf(why, len, "feature_persistent = %s asked, but the guest has no blkback disk to read it back from",
			 persistent ? "on" : "off");
		return 0;
	}
	if (queues > 0 && !vifs) {
		snprintf(why, len, "max_queues = %d asked, but the guest has no netback vif to read it back from", queues);
		return 0;
	}
	return 1;
}

json_t *hvb_xen_devices_obj(const struct hvb_xen_devices *d, int persistent, int queues, const char *dom0_params,
			    const char *cmdline)
{
	json_t *o = json_object(), *vbd = json_array(), *vif = json_array();
	int pg = -2, nq = -2; /* the guest's one value when its devices agree; -1 when they differ or are unread */

	json_object_set_new(o, "asked", json_pack("{s:s, s:o}", "feature_persistent",
						  persistent < 0 ? "default" : persistent ? "on" : "off", "max_queues",
						  queues > 0 ? json_integer(queues) : json_string("default")));
	for (int i = 0; i < d->n; i++) {
		const struct hvb_xen_dev *x = &d->d[i];
		if (!strcmp(x->kind, "vbd")) {
			int v = hvb_xen_dev_persistent(x);
			pg = pg == -2 || pg == v ? v : -1;
			json_array_append_new(vbd, json_pack("{s:i, s:i, s:i, s:i, s:i, s:s}", "devid", x->devid, "backend_state",
							     x->be_state, "frontend_state", x->fe_state,
							     "backend_feature_persistent", x->be_persistent,
							     "frontend_feature_persistent", x->fe_persistent, "persistent_grants",
							     v < 0 ? "unknown" : v ? "on" : "off"));
		} else {
			int v = hvb_xen_dev_queues(x);
			nq = nq == -2 || nq == v ? v : -1;
			json_array_append_new(vif, json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "devid", x->devid, "backend_state",
							     x->be_state, "frontend_state", x->fe_state, "backend_max_queues",
							     x->be_max_queues, "frontend_num_queues", x->fe_num_queues, "queues", v));
		}
	}
	/* The summary a check or a report keys on: what the xenstore says, not what was asked. */
	if (pg >= 0)
		json_object_set_new(o, "persistent_grants", json_string(pg ? "on" : "off"));
	if (nq > 0)
		json_object_set_new(o, "net_queues", json_integer(nq));
	json_object_set_new(o, "vbd", vbd);
	json_object_set_new(o, "vif", vif);
	if (dom0_params && *dom0_params)
		json_object_set_new(o, "dom0_params", json_string(dom0_params));
	if (cmdline && *cmdline)
		json_object_set_new(o, "guest_cmdline", json_string(cmdline));
	json_object_set_new(o, "source", json_string("xenstore: the backend's and the frontend's feature-persistent, "
						     "netback's multi-queue-max-queues, netfront's multi-queue-num-queues"));
	return o;
}

/* dom0's parameters as hvbench found them, put back when a cell asks for the default and
 * when its guest is gone: the next cell, or the next user of dom0, gets the kernel's own. */
struct saved_param {
	const char *module, *param;
	int changed, orig;
};
static struct saved_param blk_persistent = { "xen_blkback", "feature_persistent", 0, -1 };
static struct saved_param net_queues = { "xen_netback", "max_queues", 0, -1 };

static int param_set(struct saved_param *p, int value, char *why, size_t len)
{
	char seen[32];

	if (!p->changed) {
		if (hvb_modparam_read(hvb_modparam_root(), p->module, p->param, seen, sizeof(seen)) == 0)
			p->orig = hvb_modparam_value(seen);
		if (hvb_modparam_value(seen) == value)
			return 0; /* already so: nothing to change, nor to put back */
	}
	int rc = hvb_modparam_set(hvb_modparam_root(), p->module, p->param, value, why, len);
	if (rc == 0)
		p->changed = 1;
	return rc;
}

static void param_restore(struct saved_param *p)
{
	char why[256];

	if (!p->changed || p->orig < 0)
		return;
	if (hvb_modparam_set(hvb_modparam_root(), p->module, p->param, p->orig, why, sizeof(why)) < 0)
		hvb_log(HVB_LOG_WARN, "xen: cannot put back %s.%s = %d: %s", p->module, p->param, p->orig, why);
	else
		p->changed = 0;
}

/* "MODULE.PARAM=VALUE" as dom0 has it now, or "MODULE.PARAM absent". */
static size_t param_note(const struct saved_param *p, char *out, size_t len)
{
	char v[32];

	if (hvb_modparam_read(hvb_modparam_root(), p->module, p->param, v, sizeof(v)) < 0)
		return (size_t)snprintf(out, len, "%s.%s absent", p->module, p->param);
	return (size_t)snprintf(out, len, "%s.%s=%s", p->module, p->param, v);
}

int hvb_xen_devopts_apply(int persistent, int queues, char *params, size_t plen, char *why, size_t len)
{
	int rc = 0;
	char w[512];

	if (persistent < 0)
		param_restore(&blk_persistent);
	/* Before Linux 5.15 blkback has no parameter and always offers persistent grants:
	 * on needs nothing set (the read-back says), off cannot be had. */
	else if ((rc = param_set(&blk_persistent, persistent, w, sizeof(w))) < 0 && !persistent)
		snprintf(why, len, "feature_persistent = off: %s", w);
	else
		rc = 0;
	if (rc == 0) {
		if (queues <= 0)
			param_restore(&net_queues);
		else if ((rc = param_set(&net_queues, queues, w, sizeof(w))) < 0)
			snprintf(why, len, "max_queues = %d: %s", queues, w);
	}
	if (params && plen) {
		size_t off = param_note(&blk_persistent, params, plen);
		if (off < plen)
			params[off++] = ' ';
		if (off < plen)
			param_note(&net_queues, params + off, plen - off);
	}
	return rc;
}

void hvb_xen_devopts_restore(void)
{
	param_restore(&blk_persistent);
	param_restore(&net_queues);
}

#ifdef HAVE_LIBXEN
#include <xenstore.h>

/* One key as xenstore-ls -f prints it, when present. */
static void xs_line(struct xs_handle *xs, const char *dir, const char *key, FILE *f)
{
	char path[512];
	unsigned int vlen;
	char *v;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if ((v = xs_read(xs, XBT_NULL, path, &vlen))) {
		fprintf(f, "%s = \"%.*s\"\n", path, (int)vlen, v);
		free(v);
	}
}

char *hvb_xen_devices_text(unsigned domid)
{
	static const char *const kinds[] = { "vbd", "vif" };
	static const char *const fe_keys[] = { "backend", "state", "feature-persistent", "multi-queue-num-queues" };
	static const char *const be_keys[] = { "state", "feature-persistent", "multi-queue-max-queues" };
	struct xs_handle *xs = xs_open(XS_OPEN_READONLY);
	char *text = NULL;
	size_t n = 0;
	FILE *f;

	if (!xs)
		return NULL;
	if (!(f = open_memstream(&text, &n))) {
		xs_close(xs);
		return NULL;
	}
	for (size_t k = 0; k < 2; k++) {
		char dir[256];
		unsigned int nd = 0;
		snprintf(dir, sizeof(dir), "/local/domain/%u/device/%s", domid, kinds[k]);
		char **ids = xs_directory(xs, XBT_NULL, dir, &nd);
		for (unsigned int i = 0; ids && i < nd; i++) {
			char fe[320], bk[512];
			unsigned int blen;
			snprintf(fe, sizeof(fe), "%s/%s", dir, ids[i]);
			for (size_t j = 0; j < 4; j++)
				xs_line(xs, fe, fe_keys[j], f);
			snprintf(bk, sizeof(bk), "%s/backend", fe);
			char *b = xs_read(xs, XBT_NULL, bk, &blen);
			if (b) {
				snprintf(bk, sizeof(bk), "%.*s", (int)blen, b);
				free(b);
				for (size_t j = 0; j < 3; j++)
					xs_line(xs, bk, be_keys[j], f);
			}
		}
		free(ids);
	}
	xs_close(xs);
	fclose(f);
	return text;
}
#endif
