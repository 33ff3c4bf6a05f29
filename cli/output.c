/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a command may write a file: "-" (stdout), a path that does not exist
 * yet, an empty file, or a file that begins as hvbench's own outputs begin
 * (a report, a gate's JUnit file, a history plot in SVG or PNG: written by
 * hvbench before).
 * Never the result store (compared by device and inode, so that symlinks and
 * hard links do not hide it), never anything else; FIFOs, terminals and
 * /dev/null are written to, there being nothing in them to lose. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <linux/magic.h>
#include <unistd.h>
#include <lzma.h>
#include "cli/cli.h"
#include "results/results.h"

static const char png_sig[8] = "\x89PNG\r\n\x1a\n";
#define PNG_IHDR_END 33 /* signature, then IHDR: length, type, 13 bytes, CRC */
static const char png_text[] = "tEXtSoftware\0" HVB_CLI_PNG_MARK;

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int hvb_cli_png_write(FILE *f, const char *png, size_t len)
{
	unsigned char n[4], crc[4];

	if (len < PNG_IHDR_END || memcmp(png, png_sig, 8) || memcmp(png + 12, "IHDR", 4))
		return -1;
	/* PNG's CRC is CRC-32 of ISO 3309, liblzma's lzma_crc32, over type and data. */
	be32(n, (uint32_t)(sizeof(png_text) - 1 - 4));
	be32(crc, lzma_crc32((const uint8_t *)png_text, sizeof(png_text) - 1, 0));
	fwrite(png, 1, PNG_IHDR_END, f);
	fwrite(n, 1, 4, f);
	fwrite(png_text, 1, sizeof(png_text) - 1, f);
	fwrite(crc, 1, 4, f);
	fwrite(png + PNG_IHDR_END, 1, len - PNG_IHDR_END, f);
	return 0;
}

/* How hvbench's outputs begin (analysis/format-*.c, analysis/junit.c, and
 * HVB_CLI_SVG_MARK after an SVG's XML declaration). */
static const char *const own_starts[] = {
	"\n# hvbench report", "\n# hvbench compare", "\n# hvbench gate",
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>hvbench ",
	"{\n \"kind\": \"report\",\n", "{\n \"kind\": \"export\",\n", "schema_version,run_id,run_label,", "{\n \"kind\": \"compare\",\n", "{\n \"kind\": \"gate\",\n",
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"hvbench ",
	HVB_CLI_IMAGE_MARK, HVB_CLI_SVG_MARK,
};

int hvb_cli_is_own_output(const char *head, size_t n)
{
	const char *nl;

	for (size_t i = 0; i < sizeof(own_starts) / sizeof(own_starts[0]); i++)
		if (n >= strlen(own_starts[i]) && !memcmp(head, own_starts[i], strlen(own_starts[i])))
			return 1;
	/* A PNG with hvbench's text chunk right after its header. */
	if (n >= PNG_IHDR_END + 4 + sizeof(png_text) - 1 && !memcmp(head, png_sig, 8) &&
	    !memcmp(head + PNG_IHDR_END + 4, png_text, sizeof(png_text) - 1))
		return 1;
	/* An SVG: its XML declaration, then hvbench's comment. */
	if (n > 5 && !memcmp(head, "<?xml", 5) && (nl = memchr(head, '\n', n)) &&
	    (size_t)(head + n - nl - 1) >= strlen(HVB_CLI_SVG_MARK) &&
	    !memcmp(nl + 1, HVB_CLI_SVG_MARK, strlen(HVB_CLI_SVG_MARK)))
		return 1;
	return 0;
}

/* 1 when st is the database or one of its -wal, -shm, -journal files. */
static int is_store(const struct stat *st, const char *db)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[PATH_MAX];
	struct stat d;

	for (size_t i = 0; db && i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", db, suffix[i]);
		if (stat(p, &d) == 0 && d.st_dev == st->st_dev && d.st_ino == st->st_ino)
			return 1;
	}
	return 0;
}

/* Character devices with nothing to lose: /dev/null (1:3) and terminals
 * (4: ttys, 5: /dev/tty and the console, 136-143: pseudo-terminals). Known
 * before opening them, as opening some devices (a tape) does something. */
static int harmless_device(const struct stat *st)
{
	unsigned ma = major(st->st_rdev);

	return (ma == 1 && minor(st->st_rdev) == 3) || ma == 4 || ma == 5 || (ma >= 136 && ma <= 143);
}

static int refused; /* the last failure was a refusal (exit 2), not an I/O error */

int hvb_cli_output_exit(void) { return refused ? HVB_EXIT_USAGE : HVB_EXIT_FAIL; }

static int refuse(const char *cmd, const char *path, const char *why)
{
	refused = 1;
	fprintf(stderr, "hvbench %s: %s: %s; hvbench writes only over files it wrote itself (give a new name, or "
			"remove the file)\n", cmd, path, why);
	return -1;
}

/* Anything but a regular file, a FIFO or a harmless device (/dev/null, a tty) is refused. */
static int refuse_special(const char *cmd, const char *path, const struct stat *st)
{
	if (S_ISREG(st->st_mode) || S_ISFIFO(st->st_mode) || (S_ISCHR(st->st_mode) && harmless_device(st)))
		return 0;
	return refuse(cmd, path, S_ISDIR(st->st_mode) ? "a directory" : S_ISBLK(st->st_mode) ? "a block device"
				 : S_ISCHR(st->st_mode) ? "a device" : "not a regular file");
}

/* The kernel's own files (proc, sysfs, cgroups, tracing...): they call
 * themselves regular and empty (size 0), and a write there sets the kernel's
 * state (/proc/sys/kernel/core_pattern), never a file of its own. */
static int kernel_fs(int fd)
{
	static const unsigned long magic[] = { PROC_SUPER_MAGIC, SYSFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
					      SECURITYFS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
					      BPF_FS_MAGIC, EFIVARFS_MAGIC, 0x62656570 /* configfs */ };
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if ((unsigned long)sf.f_type == magic[i])
			return 1;
	return 0;
}

/* Checks the opened fd; 0 when it may be written (and is then emptied, unless only checked). */
static int may_write(const char *cmd, const char *path, int fd, const char *db, int created, int check_only)
{
	char head[256];
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0) {
		fprintf(stderr, "hvbench %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	if (is_store(&st, db))
		return refuse(cmd, path, "this is the result store");
	if (S_ISFIFO(st.st_mode) || (S_ISCHR(st.st_mode) && harmless_device(&st)))
		return 0;
	if (!S_ISREG(st.st_mode))
		return refuse(cmd, path, "not a regular file");
	if (created)
		return 0;
	if (kernel_fs(fd))
		return refuse(cmd, path, "a file of the kernel (proc, sysfs, cgroup...), not a file for output");
	/* Empty as read, not as stat says: a size of 0 is also what pseudo files show. */
	if ((n = pread(fd, head, sizeof(head), 0)) < 0) {
		fprintf(stderr, "hvbench %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	if (n == 0)
		return 0;
	if (!hvb_cli_is_own_output(head, (size_t)n))
		return refuse(cmd, path, "exists and is not an output of hvbench");
	if (check_only)
		return 0;
	if (ftruncate(fd, 0) < 0) {
		fprintf(stderr, "hvbench %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	return 0;
}

int hvb_cli_output_check(const char *cmd, const char *path, const char *db)
{
	struct stat st;
	int fd, rc;

	refused = 0;
	if (!path || !strcmp(path, "-"))
		return 0;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "hvbench %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	if (refuse_special(cmd, path, &st) < 0)
		return -1;
	if (S_ISFIFO(st.st_mode)) /* opening it would wait for a reader */
		return 0;
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "hvbench %s: %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	rc = may_write(cmd, path, fd, db, 0, 1);
	close(fd);
	return rc;
}

/* Who path is: the file's device and inode, else (a new file) its folder's
 * real path and its name; a dangling link is whom it points to, which the
 * first output written creates. */
static void output_identity(const char *path, char *id, size_t len, int depth)
{
	struct stat st;
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX], real[PATH_MAX], to[PATH_MAX], next[2 * PATH_MAX + 2];
	ssize_t n;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
	if (!strcmp(path, "-"))
		snprintf(id, len, "stdout");
	else if (stat(path, &st) == 0)
		snprintf(id, len, "inode %ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
	else if (depth < 8 && lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
		 (n = readlink(path, to, sizeof(to) - 1)) > 0) {
		to[n] = 0;
		snprintf(next, sizeof(next), "%s%s%s", to[0] == '/' ? "" : dir, to[0] == '/' ? "" : "/", to);
		output_identity(next, id, len, depth + 1);
	} else
		snprintf(id, len, "path %s/%s", realpath(dir, real) ? real : dir, slash ? slash + 1 : path);
}

int hvb_cli_outputs_distinct(const char *cmd, const char *const *opts, const char *const *paths, size_t n)
{
	char a[PATH_MAX + 16], b[PATH_MAX + 16];

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; paths[i] && j < n; j++) {
			if (!paths[j])
				continue;
			output_identity(paths[i], a, sizeof(a), 0);
			output_identity(paths[j], b, sizeof(b), 0);
			if (strcmp(a, b))
				continue;
			fprintf(stderr, "hvbench %s: %s '%s' and %s '%s' name one file: give each its own\n", cmd, opts[i],
				paths[i], opts[j], paths[j]);
			return -1;
		}
	return 0;
}

FILE *hvb_cli_output_open(const char *cmd, const char *path, const char *db)
{
	struct stat st;
	int fd, created = 0;
	FILE *f;

	refused = 0;
	if (!strcmp(path, "-"))
		return stdout;
	/* A FIFO is opened for writing only (read-write would not wait for its reader);
	 * a regular file read-write, to see how it begins before emptying it. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (refuse_special(cmd, path, &st) < 0)
			return NULL;
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	} else if ((fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 && errno == ENOENT) {
		/* O_EXCL: a file (or a dangling symlink) appearing meanwhile is not written through. */
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC, 0666);
		created = fd >= 0;
	}
	if (fd < 0) {
		fprintf(stderr, "hvbench %s: %s: %s\n", cmd, path, strerror(errno));
		return NULL;
	}
	if (may_write(cmd, path, fd, db, created, 0) < 0 || !(f = fdopen(fd, "w"))) {
		close(fd);
		return NULL;
	}
	return f;
}

int hvb_cli_output_close(const char *cmd, const char *path, FILE *f)
{
	if (f == stdout)
		return fflush(f) == 0 ? 0 : -1;
	if (fclose(f) != 0) {
		fprintf(stderr, "hvbench %s: cannot write %s: %s\n", cmd, path, strerror(errno));
		return -1;
	}
	return 0;
}

int hvb_cli_width(void) { return hvb_cli_width_of(stdout); }

int hvb_cli_width_of(FILE *f)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long c;

	/* COLUMNS is the user's word; else the terminal's; else a width that pastes well. */
	if (env && *env && (c = strtol(env, &end, 10)) > 0 && !*end)
		return c < 40 ? 40 : c > 1000 ? 1000 : (int)c;
	if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col < 40 ? 40 : ws.ws_col;
	return HVB_CLI_WIDTH;
}

json_t *hvb_cli_json_doc(const char *kind)
{
	return json_pack("{s:s, s:i}", "kind", kind, "schema_version", HVB_CLI_JSON_SCHEMA);
}

json_t *hvb_cli_json_str(const char *s)
{
	char *u = hvb_esc_dup(s ? s : "", HVB_ESC_UTF8);
	json_t *j = json_string(u ? u : "");

	free(u);
	return j;
}

int hvb_cli_json_print(json_t *doc)
{
	int rc = doc && json_dumpf(doc, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 ? 0 : -1;

	json_decref(doc);
	if (rc == 0)
		putchar('\n');
	if (hvb_cli_output_close("json", "-", stdout) < 0 || rc < 0) {
		fprintf(stderr, "hvbench: cannot write the JSON document\n");
		return HVB_EXIT_FAIL;
	}
	return HVB_EXIT_OK;
}
