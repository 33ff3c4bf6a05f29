/* hvbench image build: the guest image the Xen backend boots (hv/image.c). */
#include "config.h"
#include <getopt.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include "cli/cli.h"
#include "hv/hv.h"

extern char **environ;

/* Copies the cached files into DIR: plain copies, so that DIR outlives the cache. */
static int copy_into(const char *src, const char *dir, const char *name)
{
	char dst[PATH_MAX];
	char *argv[] = { "cp", "--", (char *)src, dst, NULL };
	pid_t pid;
	int st;

	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	if (posix_spawnp(&pid, "cp", NULL, NULL, argv, environ) != 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
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
	while ((c = getopt_long(argc, argv, "k:m:o:c:a:b:zh", longopts, NULL)) != -1)
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
		if ((mkdir(out, 0755) < 0 && errno != EEXIST) || copy_into(img.kernel, out, "vmlinuz") < 0 ||
		    copy_into(img.initrd, out, "initrd.img") < 0 || copy_into(img.tools, out, "tools.img") < 0 ||
		    copy_into(img.initrd_hvm, out, "initrd-hvm.img.gz") < 0) {
			fprintf(stderr, "hvbench: image build: cannot copy the image into %s\n", out);
			return HVB_EXIT_FAIL;
		}
		printf("kernel %s/vmlinuz\ninitrd %s/initrd.img\ntools %s/tools.img\n", out, out, out);
	} else {
		printf("kernel %s\ninitrd %s\ntools %s\n", img.kernel, img.initrd, img.tools);
	}
	printf("sha256 %s\n", img.hash);
	return HVB_EXIT_OK;
}
