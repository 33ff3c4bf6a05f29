/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench trace: summarise or dump a xentrace file, build an event mask from class names. */
#include "config.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "probes/xentrace/xentrace.h"

/* "2.1G", "2095.984M", "2095984000" */
static int parse_hz(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s)
		return HVB_EINVAL;
	switch (*end) {
	case 'k': case 'K': v *= 1e3; end++; break;
	case 'm': case 'M': v *= 1e6; end++; break;
	case 'g': case 'G': v *= 1e9; end++; break;
	}
	if (*end == 'H' && end[1] == 'z')
		end += 2;
	if (*end || !(v > 1e6 && v < 1e11))
		return HVB_EINVAL;
	*out = v;
	return 0;
}

static int parse_vendor(const char *s, enum hvb_xt_vendor *v)
{
	if (!strcmp(s, "amd") || !strcmp(s, "svm"))
		*v = HVB_XT_VENDOR_SVM;
	else if (!strcmp(s, "intel") || !strcmp(s, "vmx"))
		*v = HVB_XT_VENDOR_VMX;
	else if (!strcmp(s, "auto"))
		*v = HVB_XT_VENDOR_AUTO;
	else
		return HVB_EINVAL;
	return 0;
}

static int exit_code(int e)
{
	return e == HVB_EINVAL || e == HVB_ETRUNC || e == HVB_ENOENT ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
}

/* Options shared by summary and dump. */
struct common {
	struct hvb_xt_opts o;
	struct hvb_xt_meta meta;
	const char *file;
	const char *hz, *vendor, *xen;
};

/* --cpu-hz, --vendor and --xen-version; 1 when opt was one of them. */
static int common_opt(struct common *c, int opt)
{
	if (opt == 'z')
		c->hz = optarg;
	else if (opt == 'v')
		c->vendor = optarg;
	else if (opt == 'X')
		c->xen = optarg;
	return opt == 'z' || opt == 'v' || opt == 'X';
}

/* The FILE argument, its metadata and the shared options. */
static int common_setup(struct common *c, int argc, char **argv)
{
	char path[4096];
	int e;

	if (optind != argc - 1)
		return hvb_cli_usage("trace");
	c->file = argv[optind];

	if (hvb_xt_meta_path(c->file, path, sizeof(path)))
		return HVB_EXIT_USAGE;
	e = hvb_xt_meta_read(path, &c->meta);
	if (e && e != HVB_ENOENT)
		return HVB_EXIT_USAGE;
	if (!e)
		c->o.meta = &c->meta;
	if (c->hz && parse_hz(c->hz, &c->o.cpu_hz)) {
		fprintf(stderr, "hvbench trace: --cpu-hz '%s': expected a frequency such as 2.1G or 2095984000\n", c->hz);
		return HVB_EXIT_USAGE;
	}
	if (c->vendor && parse_vendor(c->vendor, &c->o.vendor)) {
		fprintf(stderr, "hvbench trace: --vendor '%s': expected amd, intel or auto\n", c->vendor);
		return HVB_EXIT_USAGE;
	}
	/* The Xen version picks the layouts that changed between versions (probes/xentrace/
	 * formats.c); without it, the one the metadata file recorded. */
	if (c->xen && (hvb_xt_xen_version_parse(c->xen, &c->o.xen_version) || !c->o.xen_version)) {
		fprintf(stderr, "hvbench trace: --xen-version '%s': expected a Xen version such as 4.17 or 4.20\n",
			c->xen);
		return HVB_EXIT_USAGE;
	}
	if (!c->o.xen_version && !e && hvb_xt_xen_version_parse(c->meta.xen_version, &c->o.xen_version))
		c->o.xen_version = 0;
	return 0;
}

static int summary(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' }, { "cpu-hz", required_argument, NULL, 'z' },
		{ "vendor", required_argument, NULL, 'v' }, { "metrics", no_argument, NULL, 'm' },
		{ "xen-version", required_argument, NULL, 'X' },
		{ "domain", required_argument, NULL, 'd' }, { NULL, 0, NULL, 0 },
	};
	struct common c = { 0 };
	struct hvb_xt_summary *s;
	int json = 0, metrics = 0, opt, e;
	int64_t dom = -1;

	while ((opt = hvb_cli_getopt("trace summary", argc, argv, "", lo, NULL)) != -1) {
		switch (opt) {
		case 'j': json = 1; break;
		case 'm': metrics = 1; break;
		case 'd':
			if (hvb_cli_parse_int("trace", "--domain", optarg, 0, UINT16_MAX, &dom) < 0)
				return HVB_EXIT_USAGE;
			break;
		default: if (!common_opt(&c, opt)) return hvb_cli_usage("trace");
		}
	}
	if ((e = common_setup(&c, argc, argv)))
		return e;
	if ((e = hvb_xt_summarize_file(c.file, &c.o, &s)))
		return exit_code(e);
	if (metrics) {
		struct hvb_metrics ms = { 0 };
		if ((e = hvb_xt_summary_metrics(s, dom, &ms)) == 0)
			for (size_t i = 0; i < ms.n; i++)
				printf("%-40s %16.6g %s\n", ms.m[i].name, ms.m[i].value, ms.m[i].unit);
		hvb_metrics_free(&ms);
	} else if (json) {
		json_t *o = hvb_xt_summary_json(s);
		e = !o || json_dumpf(o, stdout, JSON_INDENT(1)) ? HVB_ENOMEM : 0;
		putchar('\n');
		json_decref(o);
	} else {
		e = hvb_xt_summary_write_text(s, stdout);
	}
	hvb_xt_summary_free(s);
	return e ? HVB_EXIT_FAIL : HVB_EXIT_OK;
}

struct dump {
	struct hvb_xt_summary *s;
	long dom, vcpu;
	unsigned classes;  /* bit per enum hvb_xt_class; 0 = all */
	double from, to, hz;
	enum hvb_xt_vendor vendor;
	unsigned xen;
};

static int dump_one(const struct hvb_xt_rec *r, void *arg)
{
	struct dump *d = arg;
	uint32_t dom, vcpu;
	uint64_t t0;
	double t;
	char line[512];

	hvb_xt_summary_add(r, d->s); /* keeps track of who runs where */
	if (d->classes && !(d->classes & 1u << hvb_xt_event_class(r->event)))
		return 0;
	hvb_xt_summary_owner(d->s, r, &dom, &vcpu);
	if ((d->dom >= 0 && dom != (uint32_t)d->dom) || (d->vcpu >= 0 && vcpu != (uint32_t)d->vcpu))
		return 0;
	t0 = hvb_xt_summary_first_tsc(d->s);
	t = d->hz > 0 ? (double)(int64_t)(r->tsc - t0) / d->hz : 0;
	if (d->hz > 0 && (t < d->from || t > d->to))
		return 0;
	hvb_xt_rec_format_v(r, d->vendor, d->xen, line, sizeof(line));
	if (d->hz > 0)
		printf("%14.9f", t);
	else
		printf("%20llu", (unsigned long long)r->tsc);
	if (dom == HVB_XT_DOM_UNKNOWN)
		printf(" p%-3u d?v?     %s\n", (unsigned)r->cpu, line);
	else
		printf(" p%-3u d%uv%-5u %s\n", (unsigned)r->cpu, (unsigned)dom, (unsigned)vcpu, line);
	return ferror(stdout) ? HVB_EIO : 0;
}

static int parse_classes(const char *spec, unsigned *out)
{
	const char *names[HVB_XT_NCLASS];
	char **w = NULL;
	size_t n = 0;

	for (int i = 0; i < HVB_XT_NCLASS; i++)
		names[i] = hvb_xt_class_name((enum hvb_xt_class)i);
	if (hvb_split_list(spec, &w, &n))
		return HVB_EINVAL;
	for (size_t i = 0; i < n; i++) {
		int k;
		for (k = 0; k < HVB_XT_NCLASS && strcmp(w[i], names[k]); k++)
			;
		if (k == HVB_XT_NCLASS) {
			const char *dym = hvb_did_you_mean(w[i], names, HVB_XT_NCLASS);
			fprintf(stderr, "hvbench trace: --class '%s' is not a trace class%s%s%s; expected gen, sched, "
				"dom0op, hvm, mem, pv, shadow, hw, guest or other\n", w[i], dym ? " (did you mean '" : "",
				dym ? dym : "", dym ? "'?)" : "");
			hvb_words_free(w, n);
			return HVB_EINVAL;
		}
		*out |= 1u << k;
	}
	hvb_words_free(w, n);
	return 0;
}

static int dump(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "domain", required_argument, NULL, 'd' }, { "vcpu", required_argument, NULL, 'V' },
		{ "class", required_argument, NULL, 'c' }, { "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' }, { "cpu-hz", required_argument, NULL, 'z' },
		{ "vendor", required_argument, NULL, 'v' }, { "xen-version", required_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	struct common c = { 0 };
	struct dump d = { .dom = -1, .vcpu = -1, .from = 0, .to = 1e300 };
	struct hvb_xt_reader *rd;
	int opt, e, window = 0;
	int64_t n;
	char *end;

	while ((opt = hvb_cli_getopt("trace dump", argc, argv, "", lo, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (hvb_cli_parse_int("trace dump", "--domain", optarg, 0, UINT16_MAX, &n) < 0)
				return HVB_EXIT_USAGE;
			d.dom = (long)n;
			break;
		case 'V':
			if (hvb_cli_parse_int("trace dump", "--vcpu", optarg, 0, INT32_MAX, &n) < 0)
				return HVB_EXIT_USAGE;
			d.vcpu = (long)n;
			break;
		case 'c': if (parse_classes(optarg, &d.classes)) return HVB_EXIT_USAGE; break;
		case 'f': d.from = strtod(optarg, &end); window = 1; if (*end) goto bad; break;
		case 't': d.to = strtod(optarg, &end); window = 1; if (*end) goto bad; break;
		default: if (!common_opt(&c, opt)) return hvb_cli_usage("trace");
		}
	}
	if ((e = common_setup(&c, argc, argv)))
		return e;
	if (!(d.s = hvb_xt_summary_new(&c.o)))
		return HVB_EXIT_FAIL;
	d.hz = c.o.cpu_hz > 0 ? c.o.cpu_hz : c.meta.cpu_hz;
	d.vendor = c.o.vendor;
	d.xen = c.o.xen_version;
	if (window && d.hz <= 0) {
		fprintf(stderr, "hvbench trace dump: --from/--to are seconds: they need --cpu-hz or %s.meta.json\n",
			c.file);
		hvb_xt_summary_free(d.s);
		return HVB_EXIT_USAGE;
	}
	if (!(rd = hvb_xt_reader_open(c.file))) {
		hvb_xt_summary_free(d.s);
		return HVB_EXIT_USAGE;
	}
	e = hvb_xt_reader_run(rd, dump_one, &d);
	if (e == HVB_ETRUNC && hvb_xt_reader_truncated(rd))
		e = 0; /* a cut capture: its whole records were dumped, the warning says where it ends */
	hvb_xt_reader_close(rd);
	hvb_xt_summary_free(d.s);
	fflush(stdout);
	return e ? exit_code(e) : HVB_EXIT_OK;
bad:
	fprintf(stderr, "hvbench trace dump: bad number '%s'\n", optarg);
	return HVB_EXIT_USAGE;
}

static int mask(int argc, char **argv)
{
	char err[256], names[128];
	uint32_t m;

	if (argc != 2)
		return hvb_cli_usage("trace");
	if (hvb_xt_mask_parse(argv[1], &m, err, sizeof(err))) {
		fprintf(stderr, "hvbench trace mask: %s\n", err);
		return HVB_EXIT_USAGE;
	}
	hvb_xt_mask_format(m, names, sizeof(names));
	printf("0x%08x %s\n", (unsigned)m, names);
	return HVB_EXIT_OK;
}

HVB_COMMAND(trace)
{
	if (argc < 2)
		return hvb_cli_usage("trace");
	optind = 1;
	if (!strcmp(argv[1], "summary"))
		return summary(argc - 1, argv + 1);
	if (!strcmp(argv[1], "dump"))
		return dump(argc - 1, argv + 1);
	if (!strcmp(argv[1], "mask"))
		return mask(argc - 1, argv + 1);
	fprintf(stderr, "hvbench trace: '%s' is not a subcommand (summary, dump, mask)\n", argv[1]);
	return HVB_EXIT_USAGE;
}
