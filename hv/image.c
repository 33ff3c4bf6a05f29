/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The guest image: a kernel and an initramfs holding a static busybox, the
 * hvbench agent, fio and iperf3 with the shared libraries they load, the kernel
 * modules a Xen guest needs, and an init that starts the agent on the PV console
 * channel. Built reproducibly (sorted newc cpio, fixed times and owners, gzip
 * without name or time) and cached under the SHA-256 of everything that goes
 * into it. Libraries do the formats: nettle the SHA-256, libelf the programs'
 * interpreter and DT_NEEDED, libkmod the modules' dependencies, libarchive the
 * archives and .ko.xz. The library search below stays hvbench's: the loader's
 * own resolution (dlopen, ldd) would run the programs' code. */
#include "config.h"
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <gelf.h>
#include <libkmod.h>
#include <nettle/sha2.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hv/hv.h"

extern char **environ;

/* ---------------------------------------------------------------- the file list */
enum ent_type { ENT_DIR, ENT_FILE, ENT_LINK, ENT_CHR };

struct ent {
	char *dest;       /* path inside the image, no leading '/' */
	char *src;        /* host file (ENT_FILE), link target (ENT_LINK) */
	char *text;       /* inline content of an ENT_FILE when src is NULL */
	size_t text_len;  /* its length when it is binary (a decompressed module); 0: strlen */
	unsigned mode;    /* permission bits */
	enum ent_type type;
	unsigned rmajor, rminor;
	uint8_t sha256[SHA256_DIGEST_SIZE]; /* of an ENT_FILE's content, once hashed */
};

struct imgbuild {
	struct ent *e;
	size_t n, cap;
	char why[512];
};

static int ent_find(const struct imgbuild *b, const char *dest)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->e[i].dest, dest))
			return (int)i;
	return -1;
}

static int ent_add(struct imgbuild *b, enum ent_type type, const char *dest, const char *src, const char *text,
		   unsigned mode)
{
	struct ent *e;
	char parent[PATH_MAX], *slash;

	while (*dest == '/')
		dest++;
	if (ent_find(b, dest) >= 0)
		return 0;
	/* Parents first, so that each directory exists before what it holds. */
	snprintf(parent, sizeof(parent), "%s", dest);
	if ((slash = strrchr(parent, '/'))) {
		*slash = 0;
		if (ent_add(b, ENT_DIR, parent, NULL, NULL, 0755) < 0)
			return HVB_ENOMEM;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 128;
		struct ent *ne = realloc(b->e, cap * sizeof(*ne));
		if (!ne)
			return HVB_ENOMEM;
		b->e = ne;
		b->cap = cap;
	}
	e = &b->e[b->n];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->mode = mode;
	e->dest = strdup(dest);
	e->src = src ? strdup(src) : NULL;
	e->text = text ? strdup(text) : NULL;
	if (!e->dest || (src && !e->src) || (text && !e->text))
		return HVB_ENOMEM;
	b->n++;
	return 0;
}

/* An ENT_FILE of len bytes held in memory: data (malloc'ed) is taken over, freed on error too. */
static int ent_add_data(struct imgbuild *b, const char *dest, char *data, size_t len, unsigned mode)
{
	int rc;

	if (ent_find(b, dest) >= 0 || (rc = ent_add(b, ENT_FILE, dest, NULL, "", mode)) < 0) {
		free(data);
		return ent_find(b, dest) >= 0 ? 0 : HVB_ENOMEM;
	}
	free(b->e[b->n - 1].text);
	b->e[b->n - 1].text = data;
	b->e[b->n - 1].text_len = len;
	return 0;
}

static size_t ent_text_len(const struct ent *e) { return e->text_len ? e->text_len : strlen(e->text); }

static void imgbuild_free(struct imgbuild *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->e[i].dest);
		free(b->e[i].src);
		free(b->e[i].text);
	}
	free(b->e);
}

static int ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->dest, ((const struct ent *)b)->dest);
}

/* ---------------------------------------------------------------- ELF: the interpreter and DT_NEEDED (libelf) */
struct elfinfo {
	char interp[PATH_MAX];
	char needed[64][128];
	int nneeded;
	char runpath[PATH_MAX];
	int is_elf;
};

/* PT_INTERP from the program headers, DT_NEEDED and DT_RUNPATH (or DT_RPATH)
 * from the dynamic section. A file that is not a 64-bit ELF file (a script,
 * data) is not an error: is_elf stays 0 and it is copied as it is. */
static int elf_read(const char *path, struct elfinfo *out, char *why, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *e;
	Elf_Scn *scn = NULL;
	size_t nph = 0, rawlen = 0;
	const char *raw;

	memset(out, 0, sizeof(*out));
	if (fd < 0) {
		snprintf(why, len, "image: cannot open %s: %s", path, strerror(errno));
		return HVB_EIO;
	}
	if (elf_version(EV_CURRENT) == EV_NONE || !(e = elf_begin(fd, ELF_C_READ_MMAP, NULL))) {
		snprintf(why, len, "image: cannot read %s: %s", path, elf_errmsg(-1));
		close(fd);
		return HVB_EIO;
	}
	if (elf_kind(e) != ELF_K_ELF || gelf_getclass(e) != ELFCLASS64 || elf_getphdrnum(e, &nph) != 0 ||
	    !(raw = elf_rawfile(e, &rawlen)))
		goto done;
	out->is_elf = 1;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_INTERP && ph.p_offset + ph.p_filesz <= rawlen)
			snprintf(out->interp, sizeof(out->interp), "%.*s", (int)ph.p_filesz, raw + ph.p_offset);
	}
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC || !sh.sh_entsize || !(d = elf_getdata(scn, NULL)))
			continue;
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Dyn dyn;
			const char *s;
			if (!gelf_getdyn(d, (int)i, &dyn) || dyn.d_tag == DT_NULL)
				break;
			if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RUNPATH && dyn.d_tag != DT_RPATH)
				continue;
			if (!(s = elf_strptr(e, sh.sh_link, dyn.d_un.d_val)))
				continue;
			if (dyn.d_tag == DT_NEEDED && out->nneeded < 64)
				snprintf(out->needed[out->nneeded++], sizeof(out->needed[0]), "%s", s);
			else if (dyn.d_tag != DT_NEEDED)
				snprintf(out->runpath, sizeof(out->runpath), "%s", s);
		}
	}
done:
	elf_end(e);
	close(fd);
	return 0;
}

/* The directories the dynamic loader searches when there is no ld.so.cache. */
static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib", NULL,
};

static int lib_resolve(const char *name, const char *runpath, const char *origin, char *out, size_t len)
{
	char dirs[PATH_MAX], *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s", runpath);
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		int n = !strncmp(d, "$ORIGIN", 7) ? snprintf(out, len, "%s%s/%s", origin, d + 7, name)
						   : snprintf(out, len, "%s/%s", d, name);
		if (n > 0 && (size_t)n < len && access(out, R_OK) == 0)
			return 0;
	}
	for (size_t i = 0; lib_dirs[i]; i++) {
		snprintf(out, len, "%s/%s", lib_dirs[i], name);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return HVB_ENOENT;
}

/* Adds a program at dest and, recursively, every library it needs, each at the
 * path the guest's loader will look in. */
static int add_elf(struct imgbuild *b, const char *src, const char *dest, unsigned mode)
{
	struct elfinfo ei;
	char origin[PATH_MAX], lib[PATH_MAX], *slash;
	int rc;

	if (ent_find(b, dest + (*dest == '/')) >= 0)
		return 0;
	if ((rc = ent_add(b, ENT_FILE, dest, src, NULL, mode)) < 0)
		return rc;
	if ((rc = elf_read(src, &ei, b->why, sizeof(b->why))) < 0)
		return rc;
	if (!ei.is_elf)
		return 0;
	if (ei.interp[0] && (rc = add_elf(b, ei.interp, ei.interp, 0755)) < 0)
		return rc;
	snprintf(origin, sizeof(origin), "%s", src);
	if ((slash = strrchr(origin, '/')))
		*slash = 0;
	for (int i = 0; i < ei.nneeded; i++) {
		if (lib_resolve(ei.needed[i], ei.runpath, origin, lib, sizeof(lib)) < 0) {
			snprintf(b->why, sizeof(b->why), "image: %s needs %s, which is not installed on this host", src,
				 ei.needed[i]);
			return HVB_ENOENT;
		}
		if ((rc = add_elf(b, lib, lib, 0755)) < 0)
			return rc;
	}
	return 0;
}

/* A program from $PATH (fio, iperf3; flex for hv build): 0 with its path in out, or HVB_ENOENT. */
int hvb_host_program(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char dirs[4096], *save = NULL;

	/* As execvp looks: $PATH, or the usual directories without one. */
	snprintf(dirs, sizeof(dirs), "%s", path && *path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", d, name);
		if (access(out, X_OK) == 0)
			return 0;
	}
	return HVB_ENOENT;
}

/* ---------------------------------------------------------------- kernel and modules */
/* The version string of a bzImage: a pointer at 0x20E, relative to 0x200. */
static int kernel_version(const char *path, char *out, size_t len)
{
	unsigned char hdr[0x210];
	char buf[256] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = HVB_EINVAL;
	ssize_t n;

	out[0] = 0;
	if (fd < 0)
		return HVB_EIO;
	if (pread(fd, hdr, sizeof(hdr), 0) == (ssize_t)sizeof(hdr) && !memcmp(hdr + 0x202, "HdrS", 4)) {
		unsigned off = (unsigned)hdr[0x20E] | (unsigned)hdr[0x20F] << 8;
		if ((n = pread(fd, buf, sizeof(buf) - 1, (off_t)off + 0x200)) > 0) {
			buf[n] = 0;
			buf[strcspn(buf, " ")] = 0;
			snprintf(out, len, "%s", buf);
			rc = out[0] ? 0 : HVB_EINVAL;
		}
	}
	close(fd);
	return rc;
}

/* What a guest of any mode needs from modules: Xen's net and block front ends
 * (PV, PVH, PVHVM) and the emulated devices of an HVM guest without PV drivers. */
static const char *const guest_modules[] = {
	"xen-netfront", "xen-blkfront", "e1000", "8139cp", "ata_piix", "sd_mod", NULL,
};

static int mod_name_eq(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; name[i] && base[i]; i++)
		if (!(base[i] == name[i] || ((base[i] == '-' || base[i] == '_') && (name[i] == '-' || name[i] == '_'))))
			return 0;
	return !name[i] && (!strcmp(base + i, ".ko") || !strcmp(base + i, ".ko.xz"));
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

/* A module file's bytes, decompressed when it is .ko.xz (Debian 13's kernels):
 * the guest's busybox insmod reads no xz. libarchive reads the xz stream (its
 * raw format: one entry, the stream's content); *out is malloc'ed. */
static int module_read(const char *path, char **out, size_t *outlen, char *why, size_t len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ae;
	size_t cap = 1 << 20, used = 0;
	char *buf = malloc(cap);
	la_ssize_t n = 0;
	int xz = ends_with(path, ".xz"), rc = 0;

	*out = NULL;
	if (!a || !buf) {
		archive_read_free(a);
		free(buf);
		return HVB_ENOMEM;
	}
	archive_read_support_format_raw(a);
	if (xz)
		archive_read_append_filter(a, ARCHIVE_FILTER_XZ);
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK || archive_read_next_header(a, &ae) != ARCHIVE_OK)
		n = -1;
	while (n >= 0) {
		if (used == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				rc = HVB_ENOMEM;
				break;
			}
			buf = nb;
		}
		if ((n = archive_read_data(a, buf + used, cap - used)) <= 0)
			break;
		used += (size_t)n;
	}
	if (!rc && n < 0) {
		snprintf(why, len, "image: %.300s: %s (libarchive: %.100s)", path,
			 xz ? "not a whole xz stream" : "cannot read", archive_error_string(a));
		rc = xz ? HVB_EINVAL : HVB_EIO;
	}
	archive_read_free(a);
	if (!rc && !used) {
		snprintf(why, len, "image: cannot read %.300s: empty file", path);
		rc = HVB_EIO;
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = used;
	return 0;
}

/* The module tree, found by walking it: a .deb's tree has no modules.dep. */
struct modtree {
	char **rel; /* "kernel/drivers/net/xen-netfront.ko" (or .ko.xz) */
	size_t n, cap;
};

static int modtree_walk(struct modtree *t, const char *root, const char *rel)
{
	char path[PATH_MAX];
	DIR *d;
	struct dirent *de;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!(d = opendir(path)))
		return 0;
	while (rc == 0 && (de = readdir(d))) {
		char sub[PATH_MAX];
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", de->d_name) >= sizeof(sub))
			continue;
		if ((l > 3 && !strcmp(de->d_name + l - 3, ".ko")) || (l > 6 && !strcmp(de->d_name + l - 6, ".ko.xz"))) {
			if (t->n == t->cap) {
				size_t cap = t->cap ? t->cap * 2 : 1024;
				char **nr = realloc(t->rel, cap * sizeof(*nr));
				if (!nr) {
					rc = HVB_ENOMEM;
					break;
				}
				t->rel = nr;
				t->cap = cap;
			}
			if (!(t->rel[t->n++] = strdup(sub)))
				rc = HVB_ENOMEM;
		} else if (de->d_type == DT_DIR) {
			rc = modtree_walk(t, root, sub);
		}
	}
	closedir(d);
	return rc;
}

static const char *modtree_find(const struct modtree *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (mod_name_eq(t->rel[i], name))
			return t->rel[i];
	return NULL;
}

/* The "depends=" entry of a module's .modinfo, comma separated (libkmod reads
 * it from the file, compressed or not; the tree needs no modules.dep, which a
 * .deb's tree does not have). */
static int modinfo_depends(struct kmod_ctx *ctx, const char *path, char *out, size_t len)
{
	struct kmod_module *mod = NULL;
	struct kmod_list *info = NULL, *l;
	int rc = HVB_EINVAL;

	out[0] = 0;
	if (kmod_module_new_from_path(ctx, path, &mod) < 0)
		return rc;
	if (kmod_module_get_info(mod, &info) >= 0 && info) {
		rc = 0;
		kmod_list_foreach(l, info)
			if (!strcmp(kmod_module_info_get_key(l), "depends"))
				snprintf(out, len, "%s", kmod_module_info_get_value(l) ? kmod_module_info_get_value(l) : "");
	}
	kmod_module_info_free_list(info);
	kmod_module_unref(mod);
	return rc;
}

/* Adds one module after the modules it depends on, and appends it to the load order. */
static int add_module(struct imgbuild *b, struct kmod_ctx *ctx, const struct modtree *t, const char *moddir,
		      const char *kver, const char *relpath, char *order, size_t olen, int depth)
{
	char src[PATH_MAX], dest[PATH_MAX], deps[1024], plain[PATH_MAX], *save = NULL, *mod = NULL;
	size_t modlen = 0;
	int xz = ends_with(relpath, ".xz"), rc = 0;

	/* In the image every module is plain .ko: the guest's busybox insmod reads no xz. */
	snprintf(plain, sizeof(plain), "%.*s", (int)(strlen(relpath) - (xz ? 3 : 0)), relpath);
	snprintf(dest, sizeof(dest), "lib/modules/%.200s/%.3800s", kver, plain);
	if (depth > 16 || ent_find(b, dest) >= 0)
		return 0;
	snprintf(src, sizeof(src), "%s/%s", moddir, relpath);
	/* A broken .ko.xz is named as such, before libkmod reads it. */
	if (xz && (rc = module_read(src, &mod, &modlen, b->why, sizeof(b->why))) < 0)
		return rc;
	if (modinfo_depends(ctx, src, deps, sizeof(deps)) < 0) {
		snprintf(b->why, sizeof(b->why), "image: %.300s is not a kernel module with a .modinfo section", src);
		rc = HVB_EINVAL;
	}
	for (char *d = strtok_r(deps, ",", &save); d && rc == 0; d = strtok_r(NULL, ",", &save)) {
		const char *rel = modtree_find(t, d);
		if (!rel) {
			snprintf(b->why, sizeof(b->why), "image: %s needs module %s, not in %s", relpath, d, moddir);
			rc = HVB_ENOENT;
		} else
			rc = add_module(b, ctx, t, moddir, kver, rel, order, olen, depth + 1);
	}
	if (rc < 0) {
		free(mod);
		return rc;
	}
	/* A plain module goes in from its file; a decompressed one from memory (taken over). */
	if ((rc = xz ? ent_add_data(b, dest, mod, modlen, 0644) : ent_add(b, ENT_FILE, dest, src, NULL, 0644)) < 0)
		return rc;
	if (strlen(order) + strlen(plain) + 2 < olen)
		strcat(strcat(order, plain), "\n");
	return 0;
}

/* libkmod's messages go where hvbench's go, as debug messages. */
static void kmod_log(void *data, int prio, const char *file, int line, const char *fn, const char *fmt, va_list ap)
{
	char msg[512];

	(void)data, (void)prio, (void)file, (void)line, (void)fn;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = 0;
	hvb_log(HVB_LOG_DEBUG, "image: libkmod: %s", msg);
}

static int add_modules(struct imgbuild *b, const char *moddir, const char *kver)
{
	struct modtree t = { 0 };
	char order[16384] = "";
	/* No configuration: the host's modprobe.d (aliases, blacklists) is not the guest's. */
	static const char *const no_config[] = { NULL };
	struct kmod_ctx *ctx = kmod_new(moddir, no_config);
	int rc = ctx ? modtree_walk(&t, moddir, "") : HVB_ENOMEM;

	if (ctx)
		kmod_set_log_fn(ctx, kmod_log, NULL);

	if (rc == 0 && t.n == 0)
		hvb_log(HVB_LOG_WARN, "image: no modules under %s: the guest gets no network or disk driver modules",
			moddir);
	for (size_t m = 0; rc == 0 && t.n && guest_modules[m]; m++) {
		const char *rel = modtree_find(&t, guest_modules[m]);
		if (!rel)
			hvb_log(HVB_LOG_INFO, "image: kernel %s has no module %s (built in or absent)", kver,
				guest_modules[m]);
		else
			rc = add_module(b, ctx, &t, moddir, kver, rel, order, sizeof(order), 0);
	}
	kmod_unref(ctx);
	for (size_t i = 0; i < t.n; i++)
		free(t.rel[i]);
	free(t.rel);
	return rc < 0 ? rc : ent_add(b, ENT_FILE, "etc/hvbench/modules", NULL, order, 0644);
}

/* ---------------------------------------------------------------- the init */
static const char guest_init[] =
	"#!/bin/busybox sh\n"
	"# hvbench guest init: mount what the agent needs, load the drivers, bring up\n"
	"# eth0, and serve the agent on the PV console channel for as long as the guest lives.\n"
	"export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"
	"/bin/busybox mkdir -p /proc /sys /dev /tmp /run /usr/sbin /sbin\n"
	"/bin/busybox --install -s\n"
	"mount -t proc proc /proc\n"
	"mount -t sysfs sys /sys\n"
	"mount -t devtmpfs dev /dev\n"
	"exec </dev/console >/dev/console 2>&1\n"
	"mkdir -p /dev/pts /dev/shm\n"
	"mount -t devpts devpts /dev/pts\n"
	"mount -t tmpfs tmpfs /tmp\n"
	"mount -t tmpfs tmpfs /run\n"
	"mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null\n"
	"mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null\n"
	"arg() { tr ' ' '\\n' < /proc/cmdline | sed -n \"s/^hvbench\\.$1=//p\" | tail -1; }\n"
	"KV=$(uname -r)\n"
	"echo \"hvbench-guest: up $(cut -d' ' -f1 /proc/uptime)s kernel $KV hypervisor $(cat /sys/hypervisor/type 2>/dev/null)\" \\\n"
	"     \"guest_type $(cat /sys/hypervisor/guest_type 2>/dev/null) cpus $(nproc)\"\n"
	"# A module's parameters on the command line (xen_blkfront.feature_persistent=0) reach it as\n"
	"# modprobe would pass them; a kernel that does not know one loads the module without (the\n"
	"# runner reads back what the driver did).\n"
	"for m in $(cat /etc/hvbench/modules); do\n"
	"  n=${m##*/}; n=$(echo \"${n%%.ko*}\" | tr - _)\n"
	"  P=$(tr ' ' '\\n' < /proc/cmdline | sed -n \"s/^$n\\.//p\" | tr '\\n' ' ')\n"
	"  insmod /lib/modules/$KV/$m $P 2>/dev/null || { [ -n \"$P\" ] && echo \"hvbench-guest: $n refused $P\" &&\n"
	"    insmod /lib/modules/$KV/$m 2>/dev/null; }\n"
	"done\n"
	"ip link set lo up\n"
	"IP=$(arg ip)\n"
	"n=0; while [ -n \"$IP\" ] && [ ! -e /sys/class/net/eth0 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done\n"
	"if [ -n \"$IP\" ] && [ -e /sys/class/net/eth0 ]; then\n"
	"  ip link set eth0 up\n"
	"  if [ \"$IP\" = dhcp ]; then udhcpc -i eth0 -n -q -t 5 -s /bin/true >/dev/null 2>&1\n"
	"  else ip addr add \"$IP\" dev eth0; GW=$(arg gw); [ -n \"$GW\" ] && ip route add default via \"$GW\"; fi\n"
	"  echo \"hvbench-guest: eth0 $(ip -o -4 addr show eth0 | awk '{print $4}')\"\n"
	"fi\n"
	"# The channel: hvbench.channel=DEV, or else the first PV console after hvc0 that has a\n"
	"# back end (hvc1..hvc7 exist as ttys either way; only a connected one can be set up).\n"
	"CH=$(arg channel)\n"
	"n=0\n"
	"while [ -z \"$CH\" ] && [ $n -lt 1200 ]; do\n"
	"  for i in 1 2 3 4 5 6 7; do stty -F /dev/hvc$i raw -echo -echoctl -onlcr >/dev/null 2>&1 && CH=/dev/hvc$i && break; done\n"
	"  [ -n \"$CH\" ] || sleep 0.1; n=$((n + 1))\n"
	"done\n"
	"echo \"hvbench-guest: xen devices: $(ls /sys/bus/xen/devices 2>/dev/null | tr '\\n' ' ')\"\n"
	"if [ -z \"$CH\" ] || ! stty -F \"$CH\" raw -echo -echoctl -onlcr >/dev/null 2>&1; then\n"
	"  echo \"hvbench-guest: no PV console channel after 120 s: no agent\"; exec sh\n"
	"fi\n"
	"# The tools disk (fio, iperf3), looked for once the channel is up (both have their back end\n"
	"# in dom0's QEMU): a newc archive on a raw disk whose first entry is .hvbench-tools.\n"
	"n=0; while [ $n -lt 30 ] && ! ls /sys/block | grep -q '^xvd\\|^sd\\|^vd'; do sleep 0.1; n=$((n + 1)); done\n"
	"for d in /sys/block/*; do\n"
	"  [ -e \"$d/device\" ] || continue\n"
	"  dev=/dev/${d##*/}\n"
	"  if [ \"$(dd if=$dev bs=512 count=1 2>/dev/null | head -c 124 | tail -c 14)\" = .hvbench-tools ]; then\n"
	"    (cd / && cpio -i -d -m < $dev 2>/dev/null)\n"
	"    echo \"hvbench-guest: tools from $dev: $(ls /usr/bin | grep -x 'fio\\|iperf3' | tr '\\n' ' ')\"\n"
	"  else\n"
	"    echo \"hvbench-guest: disk $dev $(cat $d/size) sectors\"\n"
	"  fi\n"
	"done\n"
	"# hvbench.log: the runner's -v (debug messages) or -q, for the agent.\n"
	"LOG=$(arg log); case \"$LOG\" in -v|-q) ;; *) LOG= ;; esac\n"
	"cd /tmp\n"
	"exec 3<>\"$CH\"\n"
	"stty -F \"$CH\" raw -echo -echoctl -onlcr\n"
	"echo \"hvbench-guest: agent on $CH up $(cut -d' ' -f1 /proc/uptime)s\"\n"
	"while :; do\n"
	"  # One line before each agent session: the runner waits for it before it sends a request.\n"
	"  printf '{\"v\":1,\"event\":\"ready\",\"device\":\"%s\"}\\n' \"$CH\" >&3\n"
	"  hvbench $LOG agent <&3 >&3 2>/dev/console\n"
	"  echo \"hvbench-guest: agent exited rc=$?\"\n"
	"  sleep 0.2\n"
	"done\n";

/* ---------------------------------------------------------------- hashing (nettle) and writing (libarchive) */
static void hex_of(const uint8_t d[SHA256_DIGEST_SIZE], char out[2 * SHA256_DIGEST_SIZE + 1])
{
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Feeds a file into the image's key and, when digest is given, into the digest of that file alone. */
static int hash_file(struct sha256_ctx *key, const char *path, uint8_t *digest, char *why, size_t len)
{
	struct sha256_ctx one;
	char buf[1 << 16];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, len, "image: cannot read %s: %s", path, strerror(errno));
		return HVB_EIO;
	}
	sha256_init(&one);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sha256_update(key, (size_t)n, (const uint8_t *)buf);
		sha256_update(&one, (size_t)n, (const uint8_t *)buf);
	}
	close(fd);
	if (n < 0) {
		snprintf(why, len, "image: cannot read %s: %s", path, strerror(errno));
		return HVB_EIO;
	}
	if (digest)
		sha256_digest(&one, SHA256_DIGEST_SIZE, digest);
	return 0;
}

/* One entry's content into the archive: its text, or its host file (which must
 * still have the size it had when the header was written). */
static int archive_data(struct archive *a, const struct ent *e, uint64_t size)
{
	char buf[1 << 16];
	uint64_t done = 0;
	size_t n;
	FILE *in;

	if (e->text)
		return archive_write_data(a, e->text, size) == (la_ssize_t)size ? 0 : HVB_EIO;
	if (!(in = fopen(e->src, "re")))
		return HVB_EIO;
	while (done < size && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (archive_write_data(a, buf, n) != (la_ssize_t)n)
			break;
		done += n;
	}
	fclose(in);
	return done == size ? 0 : HVB_EIO; /* else the file changed while the image was built */
}

/* The newc archive at path: entries sorted by path, owner root, one fixed time,
 * inodes numbered in order; gzip'ed without name or time (reproducible), or
 * padded to whole 512-byte sectors when it is to be a disk. */
static int archive_list(struct imgbuild *b, const char *path, uint64_t mtime, int gzip, int disk, char *why, size_t len)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae = archive_entry_new();
	int rc = 0;

	if (!a || !ae)
		rc = HVB_ENOMEM;
	else if (archive_write_set_format_cpio_newc(a) != ARCHIVE_OK ||
		 (gzip && (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
			   archive_write_set_filter_option(a, "gzip", "compression-level", "6") != ARCHIVE_OK ||
			   archive_write_set_filter_option(a, "gzip", "timestamp", NULL) != ARCHIVE_OK)) ||
		 archive_write_set_bytes_per_block(a, disk ? 512 : 10240) != ARCHIVE_OK ||
		 archive_write_set_bytes_in_last_block(a, disk ? 512 : 1) != ARCHIVE_OK ||
		 archive_write_open_filename(a, path) != ARCHIVE_OK)
		rc = HVB_EIO;
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		const struct ent *e = &b->e[i];
		struct stat st;
		uint64_t size = 0;
		archive_entry_clear(ae);
		archive_entry_set_pathname(ae, e->dest);
		archive_entry_set_ino(ae, (la_int64_t)i + 1);
		archive_entry_set_nlink(ae, e->type == ENT_DIR ? 2 : 1);
		archive_entry_set_mtime(ae, (time_t)mtime, 0);
		archive_entry_set_perm(ae, e->mode);
		archive_entry_set_size(ae, 0);
		switch (e->type) {
		case ENT_DIR: archive_entry_set_filetype(ae, AE_IFDIR); break;
		case ENT_LINK: archive_entry_set_filetype(ae, AE_IFLNK); archive_entry_set_symlink(ae, e->src); break;
		case ENT_CHR:
			archive_entry_set_filetype(ae, AE_IFCHR);
			archive_entry_set_rdevmajor(ae, e->rmajor);
			archive_entry_set_rdevminor(ae, e->rminor);
			break;
		case ENT_FILE:
			archive_entry_set_filetype(ae, AE_IFREG);
			if (e->text)
				size = ent_text_len(e);
			else if (stat(e->src, &st) == 0)
				size = (uint64_t)st.st_size;
			else
				rc = HVB_EIO;
			archive_entry_set_size(ae, (la_int64_t)size);
			break;
		}
		if (rc == 0 && archive_write_header(a, ae) != ARCHIVE_OK)
			rc = HVB_EIO;
		if (rc == 0 && e->type == ENT_FILE)
			rc = archive_data(a, e, size);
	}
	if (a && archive_write_close(a) != ARCHIVE_OK && rc == 0)
		rc = HVB_EIO;
	if (rc == HVB_EIO)
		snprintf(why, len, "image: cannot write %s: %s", path,
			 a && archive_error_string(a) ? archive_error_string(a) : "a file changed while it was read, or no space");
	archive_entry_free(ae);
	archive_write_free(a);
	return rc;
}

/* Runs argv with stdin and stdout redirected to files; 0 when it exits 0. */
static int run_filter(char *const argv[], const char *in, const char *out, char *why, size_t len)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		snprintf(why, len, "image: cannot run %s: %s", argv[0], strerror(rc));
		return HVB_ECHILD;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return HVB_ECHILD;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(why, len, "image: %s failed (status %d)", argv[0], st);
		return HVB_ECHILD;
	}
	return 0;
}

static int copy_file(const char *src, const char *dst)
{
	char *argv[] = { "cp", "--", (char *)src, (char *)dst, NULL };
	char why[256];

	return run_filter(argv, "/dev/null", "/dev/null", why, sizeof(why));
}

static int mkdir_p(const char *dir)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0755) < 0 && errno != EEXIST)
				return HVB_EIO;
			*s = '/';
		}
	return mkdir(p, 0755) < 0 && errno != EEXIST ? HVB_EIO : 0;
}

void hvb_image_cache_default(char *out, size_t len)
{
	const char *c = getenv("HVBENCH_CACHE"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (c && *c)
		snprintf(out, len, "%s", c);
	else if (geteuid() == 0)
		snprintf(out, len, "/var/cache/hvbench");
	else if (x && *x)
		snprintf(out, len, "%s/hvbench", x);
	else
		snprintf(out, len, "%s/.cache/hvbench", h ? h : "/tmp");
}

/* The initramfs: busybox, the init, the agent with its libraries, the driver modules. */
static int collect_initrd(struct imgbuild *b, const struct hvb_image_opts *o, const char *kver)
{
	char path[PATH_MAX], moddir[PATH_MAX];
	struct elfinfo ei;
	const char *agent = o->agent ? o->agent : hvb_self_exe();
	static const char *const dirs[] = { "dev", "proc", "sys", "tmp", "run", "root", "var/tmp", "etc/hvbench",
					    "usr/sbin", "sbin", NULL };
	int rc;

	for (size_t i = 0; dirs[i]; i++)
		if ((rc = ent_add(b, ENT_DIR, dirs[i], NULL, NULL, 0755)) < 0)
			return rc;
	/* The kernel opens /dev/console before init runs: it must be in the archive. */
	if ((rc = ent_add(b, ENT_CHR, "dev/console", NULL, NULL, 0600)) < 0)
		return rc;
	b->e[ent_find(b, "dev/console")].rmajor = 5;
	b->e[ent_find(b, "dev/console")].rminor = 1;
	if ((rc = ent_add(b, ENT_FILE, "init", NULL, guest_init, 0755)) < 0)
		return rc;
	snprintf(path, sizeof(path), "%s", o->busybox ? o->busybox : "/bin/busybox");
	if (elf_read(path, &ei, b->why, sizeof(b->why)) < 0 || !ei.is_elf || ei.interp[0]) {
		snprintf(b->why, sizeof(b->why), "image: %.300s is not a static busybox (Debian: apt-get install busybox-static)",
			 path);
		return HVB_ENOENT;
	}
	if ((rc = ent_add(b, ENT_FILE, "bin/busybox", path, NULL, 0755)) < 0)
		return rc;
	if (!agent || (rc = add_elf(b, agent, "/usr/bin/hvbench", 0755)) < 0) {
		if (!b->why[0])
			snprintf(b->why, sizeof(b->why), "image: cannot find the hvbench binary for the agent");
		return rc < 0 ? rc : HVB_ENOENT;
	}
	if (o->modules)
		snprintf(moddir, sizeof(moddir), "%s", o->modules);
	else
		snprintf(moddir, sizeof(moddir), "/lib/modules/%s", kver);
	return add_modules(b, moddir, kver);
}

/* The tools disk: fio and iperf3 with their libraries (85 MB with fio's storage
 * engines), kept out of the initramfs because an HVM guest's direct kernel boot
 * pulls the initramfs through fw_cfg, byte by byte under emulation. */
static int collect_tools(struct imgbuild *t)
{
	static const char *const programs[] = { "fio", "iperf3", NULL };
	char path[PATH_MAX], dest[64];
	int rc;

	/* First in the archive: the guest's init recognises the disk by it. */
	if ((rc = ent_add(t, ENT_FILE, ".hvbench-tools", NULL, "hvbench tools disk 1\n", 0644)) < 0)
		return rc;
	for (size_t i = 0; programs[i]; i++) {
		if (hvb_host_program(programs[i], path, sizeof(path)) < 0) {
			snprintf(t->why, sizeof(t->why), "image: %s is not installed on this host (Debian: apt-get install %s)",
				 programs[i], programs[i]);
			return HVB_ENOENT;
		}
		snprintf(dest, sizeof(dest), "/usr/bin/%s", programs[i]);
		if ((rc = add_elf(t, path, dest, 0755)) < 0)
			return rc;
	}
	return 0;
}

/* The list into the image's key: each entry's type, mode, device and path, and
 * its content (a file's SHA-256 kept with it for the checksum lists). */
static int hash_list(struct sha256_ctx *s, const char *label, struct imgbuild *b, char *why, size_t len)
{
	char line[PATH_MAX + 64];
	int rc;

	sha256_update(s, strlen(label) + 1, (const uint8_t *)label);
	for (size_t i = 0; i < b->n; i++) {
		struct ent *e = &b->e[i];
		snprintf(line, sizeof(line), "\n%d %o %u:%u %s\n", e->type, e->mode, e->rmajor, e->rminor, e->dest);
		sha256_update(s, strlen(line) + 1, (const uint8_t *)line);
		if (e->text) {
			struct sha256_ctx one;
			sha256_update(s, ent_text_len(e), (const uint8_t *)e->text);
			sha256_init(&one);
			sha256_update(&one, ent_text_len(e), (const uint8_t *)e->text);
			sha256_digest(&one, SHA256_DIGEST_SIZE, e->sha256);
		} else if (e->type == ENT_LINK)
			sha256_update(s, strlen(e->src), (const uint8_t *)e->src);
		else if (e->type == ENT_FILE && (rc = hash_file(s, e->src, e->sha256, why, len)) < 0)
			return rc;
	}
	return 0;
}

/* Writes one archive as DIR/NAME (through NAME.tmp: a cut build leaves no NAME). */
static int store_archive(struct imgbuild *b, const char *dir, const char *name, uint64_t mtime, int gzip, int disk,
			 char *why, size_t len)
{
	char tmp[PATH_MAX + 32], dst[PATH_MAX + 32];
	int rc;

	snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, name);
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	if ((rc = archive_list(b, tmp, mtime, gzip, disk, why, len)) < 0) {
		unlink(tmp);
		return rc;
	}
	if (rename(tmp, dst) < 0) {
		snprintf(why, len, "image: cannot store %s: %s", dst, strerror(errno));
		unlink(tmp);
		return HVB_EIO;
	}
	return 0;
}

/* DIR/NAME in sha256sum's format: every regular file of the archive, by its
 * path inside it (sha256sum -c checks an unpacked archive). */
static void write_sums(const char *dir, const char *name, const struct imgbuild *b)
{
	char path[PATH_MAX + 32], hex[2 * SHA256_DIGEST_SIZE + 1];
	FILE *m;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(m = fopen(path, "we")))
		return;
	for (size_t i = 0; i < b->n; i++)
		if (b->e[i].type == ENT_FILE) {
			hex_of(b->e[i].sha256, hex);
			fprintf(m, "%s  %s\n", hex, b->e[i].dest);
		}
	fclose(m);
}

static void write_manifest(const char *dir, const char *hex, const char *kernel, const char *kver,
			   const struct imgbuild *b, const struct imgbuild *t)
{
	char path[PATH_MAX + 32];
	FILE *m;

	snprintf(path, sizeof(path), "%s/manifest.txt", dir);
	if (!(m = fopen(path, "we")))
		return;
	fprintf(m, "sha256 %s\nkernel %s (%s)\n", hex, kernel, kver);
	for (int k = 0; k < 2; k++) {
		const struct imgbuild *l = k ? t : b;
		fprintf(m, "\n[%s]\n", k ? "tools.img" : "initrd.img");
		for (size_t i = 0; i < l->n; i++)
			fprintf(m, "%s%s%s\n", l->e[i].dest, l->e[i].src && l->e[i].type == ENT_FILE ? " <- " : "",
				l->e[i].src && l->e[i].type == ENT_FILE ? l->e[i].src : "");
	}
	fclose(m);
}

int hvb_image_build(const struct hvb_image_opts *o, struct hvb_image *img, char *why, size_t len)
{
	struct imgbuild b = { 0 }, t = { 0 };
	struct sha256_ctx s;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char kernel[PATH_MAX], cache[PATH_MAX], hex[2 * SHA256_DIGEST_SIZE + 1], tmp[PATH_MAX + 32], line[128];
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	uint64_t mtime = sde && *sde ? strtoull(sde, NULL, 10) : 0;
	struct stat st;
	FILE *f;
	int rc;

	memset(img, 0, sizeof(*img));
	why[0] = 0;
	if (o->kernel)
		snprintf(kernel, sizeof(kernel), "%s", o->kernel);
	else {
		struct utsname u;
		snprintf(kernel, sizeof(kernel), "/boot/vmlinuz-%s", uname(&u) == 0 ? u.release : "");
	}
	if (kernel_version(kernel, img->kernel_version, sizeof(img->kernel_version)) < 0) {
		snprintf(why, len, "image: %s is not a readable Linux bzImage%s", kernel,
			 o->kernel ? "" : " (this host's kernel; give one with --kernel)");
		return HVB_ENOENT;
	}
	if ((rc = collect_initrd(&b, o, img->kernel_version)) < 0 || (rc = collect_tools(&t)) < 0) {
		snprintf(why, len, "%s", b.why[0] ? b.why : t.why[0] ? t.why : hvb_strerror(rc));
		goto out;
	}
	qsort(b.e, b.n, sizeof(*b.e), ent_cmp);
	qsort(t.e, t.n, sizeof(*t.e), ent_cmp);

	/* The key: every path, type, mode and content, the kernel, and the time stamp. */
	sha256_init(&s);
	snprintf(line, sizeof(line), "hvbench-image 3 mtime %llu gzip %d\n", (unsigned long long)mtime, o->gzip);
	sha256_update(&s, strlen(line), (const uint8_t *)line);
	if ((rc = hash_file(&s, kernel, NULL, why, len)) < 0 || (rc = hash_list(&s, "initrd", &b, why, len)) < 0 ||
	    (rc = hash_list(&s, "tools", &t, why, len)) < 0)
		goto out;
	sha256_digest(&s, SHA256_DIGEST_SIZE, digest);
	hex_of(digest, hex);
	snprintf(img->hash, sizeof(img->hash), "%s", hex);
	img->nfiles = b.n + t.n;

	if (o->cache_dir)
		snprintf(cache, sizeof(cache), "%s", o->cache_dir);
	else
		hvb_image_cache_default(cache, sizeof(cache));
	if (snprintf(img->dir, sizeof(img->dir), "%s/image/%.16s", cache, hex) >= (int)sizeof(img->dir) - 16 ||
	    snprintf(img->kernel, sizeof(img->kernel), "%s/vmlinuz", img->dir) >= (int)sizeof(img->kernel) ||
	    snprintf(img->initrd, sizeof(img->initrd), "%s/initrd.img", img->dir) >= (int)sizeof(img->initrd) ||
	    snprintf(img->tools, sizeof(img->tools), "%s/tools.img", img->dir) >= (int)sizeof(img->tools) ||
	    snprintf(img->initrd_hvm, sizeof(img->initrd_hvm), "%s/initrd-hvm.img.gz", img->dir) >=
		    (int)sizeof(img->initrd_hvm)) {
		snprintf(why, len, "image: cache directory name too long");
		rc = HVB_EINVAL;
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s/done", img->dir);
	if (stat(tmp, &st) == 0) {
		img->cached = 1;
	} else {
		if (mkdir_p(img->dir) < 0) {
			snprintf(why, len, "image: cannot create %s: %s", img->dir, strerror(errno));
			rc = HVB_EIO;
			goto out;
		}
		/* HVM guests get theirs gzip'ed: Xen's QEMU loads a direct-boot kernel and
		 * initramfs through fw_cfg port I/O without DMA, the slowest step of an
		 * HVM boot (minutes under emulation); PV and PVH load it from dom0 memory,
		 * where an uncompressed one saves the inflating. */
		if ((rc = store_archive(&b, img->dir, "initrd.img", mtime, o->gzip, 0, why, len)) < 0 ||
		    (rc = store_archive(&b, img->dir, "initrd-hvm.img.gz", mtime, 1, 0, why, len)) < 0 ||
		    (rc = store_archive(&t, img->dir, "tools.img", mtime, 0, 1, why, len)) < 0)
			goto out;
		if (copy_file(kernel, img->kernel) < 0) {
			snprintf(why, len, "image: cannot copy %s into %s", kernel, img->dir);
			rc = HVB_EIO;
			goto out;
		}
		write_manifest(img->dir, hex, kernel, img->kernel_version, &b, &t);
		write_sums(img->dir, "initrd.sha256", &b);
		write_sums(img->dir, "tools.sha256", &t);
		if ((f = fopen(tmp, "we")))
			fclose(f);
	}
	if (stat(img->initrd, &st) == 0)
		img->initrd_bytes = (uint64_t)st.st_size;
	if (stat(img->tools, &st) == 0)
		img->tools_bytes = (uint64_t)st.st_size;
out:
	imgbuild_free(&b);
	imgbuild_free(&t);
	return rc;
}
