/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The man pages, written as roff by `hvbench help --man PAGE` at build time
 * from the tables that drive the commands and validate experiment files:
 * hvbench(1), hvbench-COMMAND(1) for every command of commands[], and
 * hvbench-experiment(5) with every option of every workload and probe. */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "bench/bench.h"
#include "cli/cli.h"
#include "hv/hv.h"
#include "hv/xen-internal.h"
#include "probes/probes.h"

const struct hvb_cli_doc hvb_cli_exit_codes[] = {
	{ "0", "done (gate: no regression; run: every cell not skipped stored every repetition ok)" },
	{ "1", "failed (gate: a regression, or a metric of the baseline missing from the candidate; run: some cell "
	       "did not produce every sample; a damaged or unreadable store, or a file that is no store, as --db or "
	       "as merge's FILE; except for gate: 2)" },
	{ "2", "bad usage or bad input: an unknown option, a bad value, a run or file that does not exist; nothing "
	       "was written (gate: also a damaged or unreadable store, never taken for a regression)" },
	{ "3", "gate: no regression, but not everything could be judged for an infrastructure failure: a shard that "
	       "never ran on a host class the candidate ran on (each class needs every shard 1..N: --expect-shards N, else "
	       "the shard count the runs name; any class with --across-hosts), a run that ended interrupted or "
	       "failed or never ended, a cell that measured nothing (a guest that did not boot, a host or job that died); each is "
	       "named on stderr and is a JUnit error of type infrastructure. Never a pass, never a regression: an "
	       "engine may retry the job" },
	{ "130", "interrupted (Ctrl-C, SIGTERM, a hang-up): what was measured is kept, and run --resume finishes it" },
	{ NULL, NULL },
};

/* Every HVBENCH_* variable read anywhere in the tree (tests/help.sh checks the list against getenv). */
const struct hvb_cli_doc hvb_cli_environment[] = {
	{ "HVBENCH_DB", "the result store when --db is not given (default ./hvbench.db)" },
	{ "HVBENCH_HOST_CLASS", "run: the name of the host class the run is stored under, instead of the one "
				"derived from its host facts (1 to 23 letters, digits, . _ -); the facts stay as "
				"measured and show names both. For a site's own names of its host groups, and for "
				"tests that need runs of two classes on one machine" },
	{ "HVBENCH_CACHE", "where image build and lab cache what they build (default /var/cache/hvbench for root, "
			   "else $XDG_CACHE_HOME/hvbench or ~/.cache/hvbench)" },
	{ "HVBENCH_EXE", "the hvbench binary started as the agent and copied into guest images (default: the "
			 "running one)" },
	{ "HVBENCH_IMAGE_DIR", "the guest image Xen guests boot: vmlinuz, initrd.img, initrd-hvm.img.gz and "
			       "tools.img, as image build --out writes them (default /var/lib/hvbench/image)" },
	{ "HVBENCH_GUEST_KERNEL", "the guest kernel, instead of vmlinuz in HVBENCH_IMAGE_DIR" },
	{ "HVBENCH_GUEST_INITRD", "the guest initramfs, instead of the one in HVBENCH_IMAGE_DIR" },
	{ "HVBENCH_XEN_BRIDGE", "the dom0 bridge of the guests' network interface (default xenbr0)" },
	{ "HVBENCH_XEN_DISKDIR", "where the guests' scratch disks are created (default " HVB_XEN_DISKDIR_DEFAULT
				 ")" },
	{ "HVBENCH_XEN_DISK_SIZE", "the size of a guest's scratch disk, 1M or more (default 1G)" },
	{ "HVBENCH_XEN_RUNDIR", "the agents' console channel sockets (default /run/hvbench)" },
	{ "HVBENCH_XEN_LOGDIR", "guest consoles and iperf3 server logs (default /var/log/hvbench)" },
	{ "HVBENCH_SYS_MODULE", "where dom0's kernel module parameters are (xen_blkback.feature_persistent, "
				"xen_netback.max_queues: experiment keys feature_persistent and max_queues; default "
				"/sys/module)" },
	{ "HVBENCH_LABDIR", "the directory of lab.sh for hvbench lab (default: the build tree, then the data "
			    "directory)" },
	{ "HVBENCH_XENDIR", "hv build: the directory holding hvbench's Xen series (patches/) and Kconfig fragment "
			    "(hvbench.config) (default: hv/xen of the build tree, then the data directory)" },
	{ "HVBENCH_LAB_PROOF_MODES", "lab: the guest modes the lab's end-to-end proof boots (default pv pvh hvm)" },
	{ "HVBENCH_LAB_PROOF_BLKBACK", "lab: 1 to also prove blkback with fio in the guests (default 0)" },
	{ NULL, NULL },
};

/* Text for roff: backslashes and hyphens escaped, a leading dot or quote
 * neutralised; when filled, leading blanks dropped (roff would break the line
 * there) and a break allowed after a comma or slash. */
static void roff_text(const char *s, int fill)
{
	int bol = 1;

	for (; *s; s++) {
		if (fill && bol && (*s == ' ' || *s == '\t'))
			continue;
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", stdout);
		bol = *s == '\n';
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
		if (fill && (*s == ',' || *s == '/'))
			fputs("\\:", stdout); /* lists without spaces may break here */
	}
}

static void roff(const char *s)
{
	roff_text(s, 1);
}

static void roff_line(const char *s)
{
	roff(s);
	putchar('\n');
}

static void header(const char *name, int section, const char *what)
{
	printf(".TH \"");
	for (const char *p = name; *p; p++)
		printf(*p == '-' ? "\\-" : "%c", *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	printf("\" %d \"\" \"hvbench %s\" \"hvbench manual\"\n.nh\n.ad l\n.SH NAME\n", section, PACKAGE_VERSION);
	roff(name);
	printf(" \\- ");
	roff_line(what);
}

static void tagged(const char *tag, const char *text)
{
	printf(".TP\n.B ");
	roff_line(tag);
	roff_line(text);
}

static void docs(const char *section, const struct hvb_cli_doc *d)
{
	printf(".SH %s\n", section);
	for (; d->name; d++)
		tagged(d->name, d->help);
}

static void see_also(const char *self)
{
	int first = 1;

	printf(".SH SEE ALSO\n");
	if (strcmp(self, "hvbench")) {
		printf(".BR hvbench (1)");
		first = 0;
	}
	for (const struct hvb_command *c = hvb_commands; c->name; c++)
		if (!hvb_command_internal(c) && strcmp(self, c->name)) {
			printf("%s.BR hvbench\\-%s (1)", first ? "" : ",\n", c->name);
			first = 0;
		}
	printf(",\n.BR hvbench\\-experiment (5)\n");
}

static void page_main(void)
{
	header("hvbench", 1, "benchmarking and tracing harness for the Xen hypervisor");
	printf(".SH SYNOPSIS\n.B hvbench\n[\\-\\-version] [\\-\\-help] [\\-v|\\-\\-debug] [\\-q|\\-\\-quiet] "
	       "\\fICOMMAND\\fR [\\fIARGS\\fR]\n.SH DESCRIPTION\n");
	roff_line("hvbench runs identical workloads in a bare-metal baseline and in Xen guests of every mode (PV, PVH, "
		  "HVM), across NUMA placements, collects hypervisor traces and counters around every sample, stores "
		  "every sample in SQLite, and turns runs into comparison reports and CI pass/fail verdicts. "
		  "Experiment files are described in hvbench-experiment(5).");
	printf(".SH OPTIONS\n");
	tagged("-h, --help", "list the commands; after a command, show its help (exit 0)");
	tagged("--version", "print the version");
	tagged("-v, --debug", "show debug messages, libxl's among them (what one needs when a guest does not boot)");
	tagged("-q, --quiet", "show only warnings and errors: no progress lines");
	printf(".SH COMMANDS\n");
	for (const struct hvb_command *c = hvb_commands; c->name; c++)
		if (!hvb_command_internal(c)) {
			printf(".TP\n.BR hvbench\\-%s (1)\n", c->name);
			roff_line(c->summary);
		}
	docs("EXIT STATUS", hvb_cli_exit_codes);
	docs("ENVIRONMENT", hvb_cli_environment);
	printf(".SH FILES\n.TP\n.I ./hvbench.db\nthe result store when neither \\-\\-db nor HVBENCH_DB is given\n");
	see_also("hvbench");
}

static void page_command(const struct hvb_command *c)
{
	char name[64];

	snprintf(name, sizeof(name), "hvbench-%s", c->name);
	header(name, 1, c->summary);
	printf(".SH SYNOPSIS\n.B hvbench %s\n", c->name);
	/* A usage of several lines (gate's) keeps its breaks. */
	for (const char *u = c->usage, *nl; *u; u = nl ? nl + 1 : u + strlen(u)) {
		nl = strchr(u, '\n');
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", (int)(nl ? (size_t)(nl - u) : strlen(u)), u);
		roff_line(line);
		if (nl)
			printf(".br\n");
	}
	printf(".SH DESCRIPTION\n");
	roff_line(c->help);
	printf(".SH OPTIONS\n");
	tagged("-h, --help", "show this help and exit 0");
	printf(".PP\nhvbench's own options (\\-v, \\-q) go before the command: see\n.BR hvbench (1).\n");
	docs("EXIT STATUS", hvb_cli_exit_codes);
	see_also(c->name);
}

static void options(const struct hvb_option *t, int axes)
{
	char expect[512], def[256], mapped[256];

	if (!t || !t->name) {
		printf(".PP\nNo options.\n");
		return;
	}
	for (; t->name; t++) {
		snprintf(def, sizeof(def), "%s", t->def ? (*t->def ? t->def : "\"\" (empty)") : "none: required");
		hvb_option_expect(t, expect, sizeof(expect));
		printf(".TP\n.B ");
		roff_line(t->name);
		printf("(%s, default ", hvb_cli_type_name(t));
		roff(def);
		printf(")\n");
		roff_line(t->help);
		printf(".br\nExpected: ");
		roff(expect);
		hvb_option_mapped_note(t, mapped, sizeof(mapped));
		roff(t->flags & HVB_OPT_LIST ? "; a comma list stays one value"
		     : axes > 0 || (axes < 0 && hvb_experiment_axis(t->name)) ? "; a comma list expands into the matrix"
									      : "; one value");
		roff(mapped);
		roff_line(".");
	}
}

static void metrics(const struct hvb_metric_doc *m)
{
	if (!m || !m->name)
		return;
	printf(".PP\nMetrics:\n");
	for (; m->name; m++) {
		printf(".TP\n.B ");
		roff_line(m->name);
		printf("(%s, %s is better) ", *m->unit ? m->unit : "no unit", hvb_better_name(m->better));
		roff_line(m->help);
	}
}

static void page_experiment(void)
{
	char syntax[4096];

	header("hvbench-experiment", 5, "experiment files of hvbench");
	printf(".SH DESCRIPTION\n");
	roff_line("An experiment file is an INI file: an [experiment] section, one section per workload (named after "
		  "the workload, or any name with workload = NAME) and a [probe.NAME] section per probe that takes "
		  "options. Every key is checked against the tables below: an unknown key, a bad value or an "
		  "impossible combination is an error naming the file, the line and what was expected, and nothing "
		  "is written. A workload section may also set any matrix axis (" HVB_EXPERIMENT_AXES "): its cells "
		  "then use those values instead of the [experiment]'s.");
	hvb_experiment_syntax(syntax, sizeof(syntax));
	printf(".SS Syntax\n.nf\n");
	roff_text(syntax, 0);
	printf("\n.fi\n.SH \"THE [experiment] SECTION\"\n");
	options(hvb_experiment_options, -1);
	printf(".SH WORKLOADS\n");
	for (size_t i = 0; hvb_workloads[i]; i++) {
		printf(".SS \"[%s]\"\n", hvb_workloads[i]->name);
		roff_line(hvb_workloads[i]->summary);
		options(hvb_workloads[i]->options, 1);
		metrics(hvb_workloads[i]->metrics);
	}
	printf(".SH PROBES\n");
	roff_line("Listed in probes = of the [experiment] section; their figures are stored as metrics of the sample "
		  "they surround.");
	for (size_t i = 0; hvb_probes[i]; i++) {
		printf(".SS \"[probe.%s]\"\n", hvb_probes[i]->name);
		roff_line(hvb_probes[i]->summary);
		options(hvb_probes[i]->options, 0);
		metrics(hvb_probes[i]->metrics);
	}
	printf(".SH BACKENDS\n");
	for (size_t i = 0; hvb_backends[i]; i++) {
		printf(".TP\n.B ");
		roff_line(hvb_backends[i]->name);
		roff(hvb_backends[i]->summary);
		printf(". Modes:");
		for (const char *const *m = hvb_backends[i]->modes; *m; m++)
			printf(" %s", *m);
		printf("\n");
	}
	docs("ENVIRONMENT", hvb_cli_environment);
	printf(".SH EXAMPLES\nThe example files are installed under the documentation directory, in examples/.\n");
	see_also("experiment");
}

void hvb_cli_man_list(void)
{
	printf("hvbench.1\n");
	for (const struct hvb_command *c = hvb_commands; c->name; c++)
		if (!hvb_command_internal(c))
			printf("hvbench-%s.1\n", c->name);
	printf("hvbench-experiment.5\n");
}

int hvb_cli_man(const char *page)
{
	const struct hvb_command *c;
	size_t n = strcspn(page, ".");
	char name[64];

	snprintf(name, sizeof(name), "%.*s", (int)n, page);
	if (!strcmp(name, "hvbench"))
		page_main();
	else if (!strcmp(name, "hvbench-experiment"))
		page_experiment();
	else if (!strncmp(name, "hvbench-", 8) && (c = hvb_command_find(name + 8)) && !hvb_command_internal(c))
		page_command(c);
	else {
		fprintf(stderr, "hvbench: help --man '%s': no such page ('hvbench help --man-list' lists them)\n", page);
		return -1;
	}
	return 0;
}
