/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the xentrace reader, the summary and its reports on arbitrary bytes.
 * Seed corpus: the real traces in tests/data/xentrace.  Build and run: make fuzz-xentrace. */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include "probes/xentrace/xentrace.h"

static void quiet(enum hvb_log_level lvl, const char *msg, void *arg)
{
	(void)lvl; (void)msg; (void)arg;
}

struct ctx { struct hvb_xt_summary *s; };

static int each(const struct hvb_xt_rec *r, void *arg)
{
	struct ctx *c = arg;
	char line[512];
	uint32_t dom, vcpu;

	hvb_xt_summary_add(r, c->s);
	hvb_xt_summary_owner(c->s, r, &dom, &vcpu);
	hvb_xt_rec_format(r, HVB_XT_VENDOR_AUTO, line, sizeof(line));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct hvb_xt_opts o = { .cpu_hz = 2.1e9 };
	struct hvb_xt_reader *rd;
	struct ctx c;
	int e;

	hvb_log_set_sink(quiet, NULL);
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (!(rd = hvb_xt_reader_open_mem(data, size, "fuzz")))
		return 0;
	if (!(c.s = hvb_xt_summary_new(&o))) {
		hvb_xt_reader_close(rd);
		return 0;
	}
	e = hvb_xt_reader_run(rd, each, &c);
	hvb_xt_summary_finish(c.s, rd);
	if (!e || e == HVB_ETRUNC || e == HVB_EINVAL) {
		struct hvb_metrics ms = { 0 };
		json_t *j = hvb_xt_summary_json(c.s);
		json_decref(j);
		if (devnull)
			hvb_xt_summary_write_text(c.s, devnull);
		hvb_xt_summary_metrics(c.s, -1, &ms);
		hvb_metrics_free(&ms);
	}
	hvb_xt_summary_free(c.s);
	hvb_xt_reader_close(rd);
	return 0;
}
