/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pvspin = on|off: the guest kernel's switch by release, a bzImage's release read from
 * a constructed setup header, what a kernel log and /proc/cmdline say, the check of what
 * the guest saw against what the cell asked, and the plan's axis. */
#include "config.h"
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <jansson.h>
#include "hv/hv.h"
#include "bench/bench.h"
#include "tests/check.h"

static void test_words(void)
{
	CHECK(hvb_kernel_at_least("5.9.0", 5, 9) && hvb_kernel_at_least("6.1.0-13-amd64", 5, 9));
	CHECK(!hvb_kernel_at_least("5.8.18", 5, 9) && !hvb_kernel_at_least("4.19.0-27-amd64", 5, 9));
	CHECK(!hvb_kernel_at_least("", 5, 9) && !hvb_kernel_at_least(NULL, 5, 9) && !hvb_kernel_at_least("x", 5, 9));
	CHECK(!strcmp(hvb_nopvspin_word("6.12.48+deb13-amd64"), "nopvspin"));
	CHECK(!strcmp(hvb_nopvspin_word("5.4.0"), "xen_nopvspin"));
	CHECK(!strcmp(hvb_nopvspin_word(NULL), "xen_nopvspin")); /* still parsed by every kernel */
	/* The command line, word by word: nopvspin means nothing before 5.9. */
	CHECK(hvb_pvspin_cmdline_off("console=hvc0 xen_nopvspin", "4.19.0"));
	CHECK(hvb_pvspin_cmdline_off("console=hvc0 xen_nopvspin loglevel=4", "6.1.0"));
	CHECK(hvb_pvspin_cmdline_off("nopvspin console=hvc0", "6.1.0"));
	CHECK(!hvb_pvspin_cmdline_off("nopvspin console=hvc0", "5.8.0"));
	CHECK(!hvb_pvspin_cmdline_off("console=hvc0 hvbench.nopvspinx=1 xnopvspin", "6.1.0"));
	CHECK(!hvb_pvspin_cmdline_off(NULL, "6.1.0"));
	/* The kernel log: the last line counts. */
	CHECK(hvb_pvspin_log_state("<7>[    0.1] xen: PV spinlocks enabled\n") == 1);
	CHECK(hvb_pvspin_log_state("<7>xen: PV spinlocks enabled\n<7>xen: PV spinlocks disabled\n") == 0);
	CHECK(hvb_pvspin_log_state("<6>Booting paravirtualized kernel on Xen\n") == -1);
	CHECK(hvb_pvspin_log_state("xen: PV spinlocks ") == -1);
}

static void test_bzimage(void)
{
	char path[] = "/tmp/hvb-bzimage-XXXXXX", rel[64];
	unsigned char img[0x400] = { 0 };
	const char *v = "6.12.48+deb13-amd64 (debian-kernel@lists.debian.org) #1 SMP";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	memcpy(img + 0x202, "HdrS", 4);
	img[0x206] = 0x0f, img[0x207] = 0x02; /* boot protocol 2.15 */
	img[0x20e] = 0x00, img[0x20f] = 0x01; /* string at 0x100 + 0x200 */
	memcpy(img + 0x300, v, strlen(v) + 1);
	CHECK(write(fd, img, sizeof(img)) == (ssize_t)sizeof(img));
	close(fd);
	CHECK(hvb_bzimage_release(path, rel, sizeof(rel)) == 0 && !strcmp(rel, "6.12.48+deb13-amd64"));
	CHECK(hvb_bzimage_release(path, rel, 8) == HVB_EINVAL); /* does not fit: not cut */
	/* Not a bzImage (an ELF vmlinux, a truncated file): unknown, never guessed. */
	img[0x202] = 'X';
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, img, sizeof(img)) == (ssize_t)sizeof(img));
	close(fd);
	CHECK(hvb_bzimage_release(path, rel, sizeof(rel)) == HVB_EINVAL);
	CHECK(truncate(path, 0x100) == 0);
	CHECK(hvb_bzimage_release(path, rel, sizeof(rel)) == HVB_EINVAL);
	unlink(path);
	CHECK(hvb_bzimage_release(path, rel, sizeof(rel)) == HVB_EIO);
}

static void test_check(void)
{
	char why[256] = "";
	json_t *on = json_pack("{s:s, s:b, s:s}", "cmdline", "console=hvc0", "cmdline_off", 0, "log", "enabled");
	json_t *off = json_pack("{s:s, s:b, s:s}", "cmdline", "console=hvc0 nopvspin", "cmdline_off", 1, "log", "disabled");
	json_t *off_nolog = json_pack("{s:s, s:b, s:n}", "cmdline", "xen_nopvspin", "cmdline_off", 1, "log");
	json_t *one = json_pack("{s:s, s:b, s:s}", "cmdline", "console=hvc0", "cmdline_off", 0, "log", "disabled");

	CHECK(hvb_pvspin_check(1, 2, on, why, sizeof(why)) == 0);
	CHECK(hvb_pvspin_check(0, 2, off, why, sizeof(why)) == 0);
	CHECK(hvb_pvspin_check(0, 2, off_nolog, why, sizeof(why)) == 0);
	CHECK(hvb_pvspin_check(1, 1, one, why, sizeof(why)) == 0); /* one CPU: Linux's own choice */
	CHECK(hvb_pvspin_check(-1, 2, off, why, sizeof(why)) == 0); /* native: does not apply */
	CHECK(hvb_pvspin_check(1, 2, NULL, why, sizeof(why)) == 0);
	CHECK(hvb_pvspin_check(0, 2, on, why, sizeof(why)) == HVB_ESKIP);
	CHECK_STR_HAS(why, "does not turn PV spinlocks off");
	CHECK(hvb_pvspin_check(1, 2, off, why, sizeof(why)) == HVB_ESKIP);
	CHECK(hvb_pvspin_check(1, 4, one, why, sizeof(why)) == HVB_ESKIP);
	CHECK_STR_HAS(why, "logged 'xen: PV spinlocks disabled'");
	json_object_set_new(off, "log", json_string("enabled"));
	CHECK(hvb_pvspin_check(0, 2, off, why, sizeof(why)) == HVB_ESKIP);
	CHECK(hvb_pvspin_check(0, 2, NULL, why, sizeof(why)) == HVB_ESKIP);
	json_decref(on), json_decref(off), json_decref(off_nolog), json_decref(one);
	/* This kernel's view has every field (the agent's hello). */
	json_t *seen = hvb_pvspin_seen();
	CHECK(seen && json_object_get(seen, "kernel") && json_object_get(seen, "log_source") &&
	      json_object_get(seen, "cmdline_off"));
	json_decref(seen);
}

static void test_plan(void)
{
	struct hvb_experiment ex = { 0 };
	const char *t = "[experiment]\nbackends = native, xen:pv, xen:hvm\npv_drivers = on, off\npvspin = on, off\n"
			"antagonists = 0, 1\n[syscall]\n";

	hvb_log_set_level(HVB_LOG_ERROR);
	CHECK(hvb_experiment_load_text("t.ini", t, &ex) == 0);
	/* native: 1 mode; pv: 2 pvspin; hvm: 2 pv_drivers x 2 pvspin; each x 2 antagonists */
	CHECK(ex.ncells == (1 + 2 + 4) * 2);
	if (ex.ncells == 14) {
		CHECK(ex.cells[0].pvspin == -1 && ex.cells[1].pvspin == -1 && !strstr(ex.cells[0].key, "pvspin"));
		CHECK(ex.cells[2].pvspin == 1 && !strstr(ex.cells[2].key, "pvspin")); /* on: the key it always had */
		CHECK(ex.cells[4].pvspin == 0 && !strcmp(ex.cells[4].mode, "pv"));
		CHECK_STR_HAS(ex.cells[4].key, " pvspin=off");
		CHECK(ex.cells[5].pvspin == 0 && ex.cells[5].antagonists == 1);
		CHECK(!strcmp(ex.cells[10].mode, "hvm-emu") && ex.cells[10].pvspin == 1);
		CHECK(!strcmp(ex.cells[12].mode, "hvm-emu") && ex.cells[12].pvspin == 0);
		char *p = hvb_cell_params_json(&ex.cells[4]), *q = hvb_cell_params_json(&ex.cells[2]);
		CHECK(p && strstr(p, "\"pvspin\":\"off\"") && q && !strstr(q, "pvspin"));
		free(p), free(q);
		for (size_t i = 0; i < ex.ncells; i++)
			for (size_t j = i + 1; j < ex.ncells; j++)
				CHECK(strcmp(ex.cells[i].key, ex.cells[j].key));
	}
	hvb_experiment_free(&ex);
	CHECK(hvb_experiment_axis("pvspin"));
	memset(&ex, 0, sizeof(ex));
	CHECK(hvb_experiment_load_text("t.ini", "[experiment]\npvspin = of\n[syscall]\n", &ex) == HVB_EINVAL);
	hvb_experiment_free(&ex);
	/* Without the key, nothing changes: one cell per mode, pvspin on. */
	memset(&ex, 0, sizeof(ex));
	CHECK(hvb_experiment_load_text("t.ini", "[experiment]\nbackends = xen:pvh\n[syscall]\n", &ex) == 0);
	CHECK(ex.ncells == 1 && ex.cells[0].pvspin == 1);
	hvb_experiment_free(&ex);
}

int main(void)
{
	test_words();
	test_bzimage();
	test_check();
	test_plan();
	return CHECK_DONE();
}
