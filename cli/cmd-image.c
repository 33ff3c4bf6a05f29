/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench image build: the guest image the Xen backend boots (hv/image.c). */
#include "config.h"
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>
#include <unistd.h>
#include "cli/cli.h"
#include "hv/hv.h"

/* --out DIR: the files are copied there, and listed in DIR/hvbench-image-files
 * with what they looked like when written (inode, size, mtime): the next
 * build replaces a file only while it is still the one hvbench wrote. */
#define LIST_NAME "hvbench-image-files"

static int unchanged_since_written(const char *dir, const char *name)
{
	char p[PATH_MAX], line[512], n[256];
	unsigned long long ino, size;
	long long sec, nsec;
	struct stat st;
	FILE *f;
	int ok = 0;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (stat(p, &st) < 0)
		return 0;
	snprintf(p, sizeof(p), "%s/" LIST_NAME, dir);
	if (!(f = fopen(p, "re")))
		return 0;
	if (!fgets(line, sizeof(line), f) || strncmp(line, HVB_CLI_IMAGE_MARK, strlen(HVB_CLI_IMAGE_MARK))) {
		fclose(f);
		return 0;
	}
	while (!ok && fgets(line, sizeof(line), f))
		ok = sscanf(line, "%255s %llu %llu %lld %lld", n, &ino, &size, &sec, &nsec) == 5 && !strcmp(n, name) &&
		     ino == st.st_ino && size == (unsigned long long)st.st_size && sec == st.st_mtim.tv_sec &&
		     nsec == st.st_mtim.tv_nsec;
	fclose(f);
	return ok;
}

/* Copies SRC to DIR/NAME and appends its line to the list. */
static int copy_into(const char *src, const char *dir, const char *name, FILE *list)
{
	char dst[PATH_MAX], buf[65536];
	FILE *in, *out;
	struct stat st;
	size_t n;
	int rc = 0;

	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	if (unchanged_since_written(dir, name) && unlink(dst) < 0) {
		fprintf(stderr, "hvbench image: %s: %s\n", dst, strerror(errno));
		return -1;
	}
	if (!(in = fopen(src, "re"))) {
		fprintf(stderr, "hvbench image: %s: %s\n", src, strerror(errno));
		return -1;
	}
	if (!(out = hvb_cli_output_open("image", dst, hvb_cli_db(NULL)))) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (hvb_cli_output_close("image", dst, out) < 0 || rc < 0 || stat(dst, &st) < 0) {
		fprintf(stderr, "hvbench image: cannot write %s\n", dst);
		return -1;
	}
	fprintf(list, "%s %llu %llu %lld %lld\n", name, (unsigned long long)st.st_ino, (unsigned long long)st.st_size,
		(long long)st.st_mtim.tv_sec, (long long)st.st_mtim.tv_nsec);
	return 0;
}

static int copy_image(const struct hvb_image *img, const char *dir)
{
	const char *src[] = { img->kernel, img->initrd, img->tools, img->initrd_hvm };
	const char *name[] = { "vmlinuz", "initrd.img", "tools.img", "initrd-hvm.img.gz" };
	char lp[PATH_MAX];
	FILE *list;
	int rc = 0;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "hvbench image: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	snprintf(lp, sizeof(lp), "%s/" LIST_NAME, dir);
	/* The list is rewritten at the end; held in memory meanwhile. */
	if (!(list = tmpfile()))
		return -1;
	fprintf(list, HVB_CLI_IMAGE_MARK " (written over only while unchanged)\n");
	/* Every file checked before any is written: a refused one leaves the directory as it was. */
	for (size_t i = 0; i < 4; i++) {
		char dst[PATH_MAX];
		snprintf(dst, sizeof(dst), "%s/%s", dir, name[i]);
		if (!unchanged_since_written(dir, name[i]) && hvb_cli_output_check("image", dst, hvb_cli_db(NULL)) < 0) {
			fclose(list);
			return -1;
		}
	}
	for (size_t i = 0; i < 4; i++)
		if (copy_into(src[i], dir, name[i], list) < 0)
			rc = -1;
	{ /* also after a failure: what was copied may be replaced next time */
		FILE *f = hvb_cli_output_open("image", lp, hvb_cli_db(NULL));
		char buf[4096];
		size_t n;
		rewind(list);
		if (!f)
			rc = -1;
		else {
			while ((n = fread(buf, 1, sizeof(buf), list)) > 0)
				fwrite(buf, 1, n, f);
			if (hvb_cli_output_close("image", lp, f) < 0)
				rc = -1;
		}
	}
	fclose(list);
	return rc;
}

HVB_COMMAND(image)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' }, { "modules", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' }, { "cache", required_argument, NULL, 'c' },
		{ "agent", required_argument, NULL, 'a' }, { "busybox", required_argument, NULL, 'b' },
		{ "gzip", no_argument, NULL, 'z' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct hvb_image_opts o = { 0 };
	struct hvb_image img;
	const char *out = NULL;
	char why[1024], size[32], tsize[32];
	int c;

	if (argc < 2 || strcmp(argv[1], "build"))
		return hvb_cli_usage("image");
	argc--;
	argv++;
	while ((c = hvb_cli_getopt("image build", argc, argv, "k:m:o:c:a:b:zh", longopts, NULL)) != -1)
		switch (c) {
		case 'k': o.kernel = optarg; break;
		case 'm': o.modules = optarg; break;
		case 'o': out = optarg; break;
		case 'c': o.cache_dir = optarg; break;
		case 'a': o.agent = optarg; break;
		case 'b': o.busybox = optarg; break;
		case 'z': o.gzip = 1; break;
		default: return hvb_cli_usage("image");
		}
	if (optind != argc)
		return hvb_cli_usage("image");
	if (hvb_image_build(&o, &img, why, sizeof(why)) < 0) {
		fprintf(stderr, "hvbench: image build: %s\n", why);
		return HVB_EXIT_FAIL;
	}
	hvb_format_size(img.initrd_bytes, size, sizeof(size));
	hvb_format_size(img.tools_bytes, tsize, sizeof(tsize));
	printf("image %.16s (%s): kernel %s, %zu entries, initramfs %s, tools disk %s\n", img.hash,
	       img.cached ? "cached" : "built", img.kernel_version, img.nfiles, size, tsize);
	if (out) {
		if (copy_image(&img, out) < 0) {
			fprintf(stderr, "hvbench: image build: cannot copy the image into %s\n", out);
			return hvb_cli_output_exit();
		}
		printf("kernel %s/vmlinuz\ninitrd %s/initrd.img\ntools %s/tools.img\n", out, out, out);
	} else {
		printf("kernel %s\ninitrd %s\ntools %s\n", img.kernel, img.initrd, img.tools);
	}
	printf("sha256 %s\n", img.hash);
	return HVB_EXIT_OK;
}
