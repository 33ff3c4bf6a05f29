/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench: one commands[] table, git/perf style. */
#include "config.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "bench/bench.h"
#include "hv/hv.h"
#include "probes/probes.h"
#include "results/results.h"

#define HVB_CLI_HELP_COLUMN(name, unit, help) "  " name " [" unit "]: " help "\n"
const struct hvb_command hvb_commands[] = {
	{ "help", "show help for hvbench, a command, a workload, a probe or a backend", "[COMMAND|NAME]",
	  "Without an argument, lists the commands; with one, shows its usage and help, or the options\n"
	  "and metrics of a workload, probe or backend ('experiment' for the [experiment] section).", cmd_help },
	{ "run", "run an experiment file into the result store", "CONFIG... [--set SECTION.KEY=VALUE]... [--shard K/N] [--dry-run] [--db PATH] [--label TEXT]... [--agent PATH]... | --resume RUN",
	  "Expands CONFIG into a matrix of cells and runs each through its backend's agent, storing every\n"
	  "sample as it is measured. --dry-run prints the plan and runs nothing. --resume RUN finishes an\n"
	  "interrupted run from its stored config. Ctrl-C, SIGTERM or a hang-up (not under nohup) ends a\n"
	  "run cleanly (status interrupted, exit 130).\n"
	  "With several CONFIGs (e.g. a baseline and a candidate), one run each, and their cells take turns,\n"
	  "one sample each (the same cell of every run side by side, in an order drawn each round), so\n"
	  "that a drift of the machine's speed reaches both alike: the way to measure for `hvbench gate`\n"
	  "on a machine that does not hold its speed. Give --label once per CONFIG, in order, or not at\n"
	  "all. --agent PATH (likewise once per CONFIG) runs another build's hvbench as\n"
	  "the native agent, so that a baseline build and a candidate build are measured in one run.\n"
	  "Several configs need backends whose guests can live side by side (native). A run resumed with\n"
	  "--resume finishes alone, its remaining samples no longer interleaved. --resume redoes every\n"
	  "repetition not stored ok. Exit 0 when every cell not skipped stored every repetition ok; 1 when\n"
	  "some did not (run status incomplete; the summary lists those cells and why); 130 interrupted.\n"
	  "CONFIG '-' is standard input (<stdin> in messages). --set SECTION.KEY=VALUE (repeatable, applied\n"
	  "to every CONFIG) replaces or adds a key of the file's [SECTION] ([experiment] is always there);\n"
	  "the file must be valid on its own, and the stored config is the file with each override in place.\n"
	  "--shard K/N runs part K (from 1) of N of the matrix, for an engine's parallel jobs (GitLab:\n"
	  "--shard $CI_NODE_INDEX/$CI_NODE_TOTAL, both 1-based; a Slurm array --array=1-N: --shard\n"
	  "$SLURM_ARRAY_TASK_ID/N): the cells ordered by the FNV-1a hash of their key, dealt round-robin, the\n"
	  "first to shard 1. A cell's shard depends on its key alone; every shard mixes modes and placements;\n"
	  "the shards' union is the matrix, for any N. A shard with no cells (N above the cells) says so, is\n"
	  "recorded, and exits 0. Cells keep their index in the whole matrix (--dry-run lists them); the shard\n"
	  "is stored with the run, and --resume finishes it. Every run has a UUID and records its host's\n"
	  "fingerprint (CPU model and microcode, NUMA layout, memory, kernel, Xen version, changeset and\n"
	  "command line, the engine's job id from CI_JOB_ID, SLURM_JOB_ID, BUILDBOT_BUILDNUMBER, LAVA_JOB_ID or\n"
	  "GITHUB_RUN_ID, the shard) and its host class (hvbench help merge): hvbench show lists them.",
	  cmd_run },
	{ "bench", "run one workload from the command line, without an experiment file",
	  "WORKLOAD [KEY=VALUE]... [--backend B] [--repetitions N] [--label TEXT] [--dry-run] [--db PATH]",
	  "Makes an experiment of one [experiment] section and WORKLOAD's section from the arguments, and\n"
	  "reads, plans, runs and stores it exactly as 'hvbench run' does a file (the text is stored with\n"
	  "the run). KEY is one of WORKLOAD's keys or of [experiment]'s ('hvbench help WORKLOAD', 'hvbench\n"
	  "help experiment'); experiment.KEY and probe.NAME.KEY say the section. --backend B is backends = B,\n"
	  "--repetitions N repetitions = N. A mistake names its argument. Exit codes as run's.", cmd_bench },
	{ "list", "list the runs in the result store", "[--json] [--db PATH]",
	  "One line per run: id, start, status, experiment, label, cells, samples.\n"
	  "--json: one object {kind: \"list\", schema_version: " HVB_STR(HVB_CLI_JSON_SCHEMA) ", runs: [{id, started,\n"
	  "ended (unix seconds or null), status, experiment, label, cells, samples, lab, process_gone}]}.", cmd_list },
	{ "show", "show one run: host facts, cells and a summary of its samples", "RUN [--json] [--db PATH]",
	  "RUN is a run id, 'last', or a label (its newest run). Figures are in scaled units (ns, µs, ms;\n"
	  "bytes, KiB, MiB, GiB; k, M, G), metrics whose names carry sizes in the sizes' order.\n"
	  "--json: one object {kind: \"show\", schema_version: " HVB_STR(HVB_CLI_JSON_SCHEMA) ", run: {id, experiment,\n"
	  "label, status, started, ended, hvbench_version, config, lab, host, uuid, host_class, shard (\"K/N\" or\n"
	  "null)}, cells: [{cell, key, status,\n"
	  "reason, metrics: [{name, unit, better, n, median, min, max, cov}]}], samples_ok, samples_failed},\n"
	  "figures in the metrics' own units, unrounded.", cmd_show },
	{ "topo", "show the topology and what each placement would do", "[--topology synthetic:DESC|xml:PATH] [--vcpus N] [--json]",
	  "Reads this host through hwloc, or a given topology, and plans every placement for N vCPUs.\n"
	  "--json: one object {kind: \"topo\", schema_version: " HVB_STR(HVB_CLI_JSON_SCHEMA) ", host_kind (null for a\n"
	  "given topology), topology: {source, pus, cores, packages, llc_bytes, allowed_cpus, nodes: [{node,\n"
	  "cpus, mem_bytes, distances}]}, vcpus, placements: [{name, possible, plan or why}]}.", cmd_topo },
	{ "agent", "serve workload requests on stdin/stdout (started by the runner)", "",
	  "The only place a workload runs: one JSON request per line in, one reply per line out.", cmd_agent },
	{ "trace", "summarise or dump a xentrace file", "summary FILE [--json] [--metrics [--domain D]] [--cpu-hz HZ] [--vendor amd|intel] [--xen-version V] | dump FILE [--domain D] [--vcpu V] [--class NAME,...] [--from S] [--to S] [--cpu-hz HZ] [--xen-version V] | mask CLASSES", "summary: per domain and vCPU, hypercalls by name, VM exits by reason (count, cycles, p50/p95), grant operations done by and for, runstate times, wake-up latency; lost records; records and bytes per class.  Runstate times and wake-up latencies measured between pCPUs whose TSCs the summary corrected for skew are bounds, marked: \"uncertain\" in the text, each vCPU's tsc_skew_uncertain in --json, xen.runstate_skew_uncertain and xen.wake_latency_skew_uncertain in --metrics.  The CPU frequency comes from FILE.meta.json or --cpu-hz; the Xen version (for the record layouts that changed between 4.17 and 4.22) from --xen-version or FILE.meta.json; --vendor only matters for traces of Xen 4.18 and older (4.19 and later name the vendor in each exit record).  dump: one record per line, filtered.  mask: the xentrace -e mask for class names (e.g. hvm,sched,pv).", cmd_trace },
	{ "cleanup", "destroy the guests that killed runs left behind", "[--dry-run]",
	  "Finds Xen guests named hvbench-RUN-CELL whose runner is gone and destroys them (every run\n"
	  "does this when it starts). --dry-run only lists them.", cmd_cleanup },
	{ "hv", "check the running hypervisor's tracing hooks, or build a hypervisor with them",
	  "check [--json] | build XEN_TREE [--out DIR] [--tools] [--jobs N]",
	  "check: asks the hypervisor which hooks it was built with (trace buffers, perf counters, lock\n"
	  "profiling, and those of hvbench's hooks series) and says which probes can therefore run.\n"
	  "build: copies the HEAD commit of XEN_TREE (a clean git checkout of Xen; the tree itself is not\n"
	  "changed) into DIR/src, applies hvbench's hooks series (hv/xen/patches: a grant-copy trace record,\n"
	  "HVM/PVH hypercall arguments in trace records, grant table lock profiling, grant perf counters)\n"
	  "and Kconfig fragment (hv/xen/hvbench.config), builds DIR/xen.gz (and the tools, --tools) and\n"
	  "says what it built from which commit. DIR (default xen-hooks-build) is new, empty or an earlier\n"
	  "build's. A dirty tree, or one the series does not apply to (the patch and hunk named), is\n"
	  "refused (exit 2); a failed build step exits 1, its output in DIR/build.log.", cmd_hv },
	{ "report", "report one run: guest modes, NUMA placements, probe figures, failures, host",
	  "[RUN] [--format text|md|html|json] [--output FILE] [--baseline MODE] [--alpha A] [--min-effect PCT]\n"
	  "       [--heatmap-metric METRIC] [--placement-baseline PLACEMENT] [--across-hosts] [--db PATH]",
	  "RUN is a run id, 'last' (the default) or a label. Compares each guest mode with the baseline mode\n"
	  "(native by default) and each placement with local (or --placement-baseline): ratio of medians with a bootstrap interval,\n"
	  "Mann-Whitney p (Holm-adjusted) and a verdict; html is one self-contained file with gnuplot plots:\n"
	  "every comparison's ratio (forest plot, regressions first), each metric's distribution, a size\n"
	  "series (memlat's lat_ns.SIZE) against the working-set size, and the NUMA heat map of the metric\n"
	  "placement moves most (or of --heatmap-metric). --output's name must say the format it gets.\n"
	  "Where a run has the placement baseline, remote, and auto or random: randomised against optimised\n"
	  "placement, random as a distribution over its draws (median, range, worst draw) and the share of\n"
	  "the optimised gain auto and random recover, (m - m_remote) / (m_baseline - m_remote), with CIs.\n"
	  "A label names every shard and host of it: the newest run with the label of each (shard, host\n"
	  "class), of the newest run's experiment and shard count. Cells are compared and pooled within one\n"
	  "host class only, unless --across-hosts (likewise compare, gate, history).",
	  cmd_report },
	{ "compare", "compare two runs cell by cell", "RUN_A RUN_B [--format text|md|html|json] [--output FILE] [--alpha A] [--min-effect PCT] [--ignore-param NAME,...]\n"
	  "       [--heatmap-metric METRIC] [--across-hosts] [--db PATH]",
	  "Cells are matched by their canonical key (backend, mode, placement, vCPUs, memory, workload and\n"
	  "parameters, less those named by --ignore-param) and host class (unless --across-hosts); RUN_B is\n"
	  "compared with RUN_A, with a verdict per metric. A label names its shards and hosts (see report).", cmd_compare },
	{ "gate", "CI gate: fail when a candidate run regressed against a baseline",
	  "--baseline RUN|LABEL --candidate RUN|LABEL [--max-regression PCT] [--alpha A] [--junit FILE] [--markdown FILE]\n"
	  "       [--format F] [--output FILE] [--rule hvbench|ci-overlap|minmax] [--ignore-param NAME,...]\n"
	  "       [--heatmap-metric METRIC] [--expect-shards N] [--across-hosts] [--db PATH]",
	  "Exit 0 when no metric regressed by more than --max-regression (default 3%) with significance\n"
	  "(Mann-Whitney, Holm-adjusted, --alpha default 0.05); 1 when one did, or a metric of the baseline\n"
	  "is missing from the candidate; 3 when nothing regressed but an infrastructure failure kept the gate\n"
	  "from judging everything: a shard that never ran on a host class the candidate ran on (every\n"
	  "shard 1..N on each class, N from --expect-shards, else the shard count the runs name; on any\n"
	  "class with --across-hosts), a run that ended interrupted or failed, a cell that measured\n"
	  "nothing (a guest that did not boot), each named on stderr and a JUnit error: never a pass,\n"
	  "never a regression; 2 on an error. Baseline and candidate are compared within one host class\n"
	  "only (a label names its shards and hosts, see report), unless --across-hosts. --junit writes\n"
	  "one test case per cell and metric, --markdown a summary for a merge-request comment. --rule\n"
	  "picks another harness's rule and --ignore-param leaves parameters out of the matching of cells\n"
	  "(both for calibration).", cmd_gate },
	{ "history", "a metric across runs, with change points (E-Divisive means)",
	  "[WORD ...:]METRIC [--label PATTERN] [--min-segment N] [--plot FILE.svg|FILE.png] [--across-hosts] [--db PATH]",
	  "The median of METRIC in each run whose label matches PATTERN (a glob), one series per cell whose key\n"
	  "contains every WORD, e.g. 'memlat placement=remote:lat_ns.64M'. Change points come from E-Divisive\n"
	  "with means and a permutation test; lab runs are left out. One series per cell and host class,\n"
	  "unless --across-hosts.", cmd_history },
	{ "image", "build the guest image Xen guests boot", "build [--kernel PATH] [--modules DIR] [--out DIR] [--cache DIR] [--gzip]",
	  "Builds a kernel, an initramfs (static busybox, the hvbench agent and its libraries, the guest's\n"
	  "driver modules) whose init serves the agent on the PV console channel, and a tools disk (fio and\n"
	  "iperf3 with their libraries) that the init unpacks when it is attached.\n"
	  "Reproducible, and cached under the SHA-256 of its content ($HVBENCH_CACHE, /var/cache/hvbench\n"
	  "for root). --out DIR copies vmlinuz, initrd.img, initrd-hvm.img.gz and tools.img there. --gzip compresses the initramfs\n"
	  "(smaller, but slower to start: libxc inflates it in dom0 for PV guests).", cmd_image },
	{ "export", "samples of runs as CSV or JSON, for pandas and R", "RUN... [--format csv|json] [--output FILE] [--db PATH]",
	  "One row per sample and metric (a sample without metrics: one row), with its cell's parameters\n"
	  "as columns. CSV is RFC 4180 (quoted fields, CRLF); JSON is one object: kind, schema_version,\n"
	  "columns and rows (objects of the same columns; null where CSV is empty). --output writes a new\n"
	  "file or one hvbench wrote. Schema version " HVB_STR(HVB_EXPORT_SCHEMA) ", its columns [unit]:\n"
	  HVB_EXPORT_COLUMNS(HVB_CLI_HELP_COLUMN)
	  "pandas: pd.read_csv(F); R: read.csv(F). A column renamed, dropped or given another meaning or\n"
	  "unit makes a new schema version.", cmd_export },
	{ "merge", "merge the runs of other result stores (hosts, shards) into this one", "FILE... [--db PATH]",
	  "Copies every run of each FILE with its cells, samples, metrics and artifacts into the store (--db),\n"
	  "so that report, compare, gate and history see runs measured on other hosts or in other shards.\n"
	  "Rows go by their natural keys: a run by its UUID, a cell by its run and key, a sample by its cell\n"
	  "and repetition. A run already here adds only the samples it lacks: merging a file twice adds\n"
	  "nothing, and says so. A sample stored here with other figures under the same key is a conflicting\n"
	  "duplicate: it is named (run UUID, cell, repetition, what differs), nothing of that run is written,\n"
	  "the other runs are merged, and the exit code is 1. Runs still being measured are left out. Each\n"
	  "run is merged in one transaction under the store's write lock: one writer at a time. The FILEs\n"
	  "are only read; a FILE that is the store itself is refused (2), one that is no store is a store\n"
	  "error (1) as a --db would be, one that does not exist bad input (2). 'hvbench import' is\n"
	  "another name of this command.\n"
	  "Host classes: report, compare, gate and history compare and pool samples only within one class\n"
	  "(unless --across-hosts). A run's class is made of its host's CPU model, host kind (bare metal,\n"
	  "virtual machine, dom0), logical CPUs, memory rounded up to a power of two GiB, and NUMA nodes with\n"
	  "each one's CPUs; never its host name, kernel, hypervisor or microcode (what a gate compares;\n"
	  "compare and gate warn when those differ). hvbench show lists it (host_class, host_class_of).", cmd_merge },
	{ "import", "another name of merge (merge the runs of other result stores into this one)", "FILE... [--db PATH]",
	  "The same command as 'hvbench merge' (see hvbench help merge): its name before stores merged\n"
	  "by natural key.", cmd_merge },
	{ "lab", "boot a real Xen under QEMU and run an experiment in its dom0",
	  "[--xen 4.17|4.20] [--xen-image XEN.GZ] [--dom0-hvbench BIN] [--experiment FILE] [--workdir DIR] [--cache DIR] [--keep] [--timeout S] "
	  "[--no-guest-proof]",
	  "Builds (or reuses from the cache) a Debian dom0 with Xen (--xen 4.17: Debian 12, the default;\n"
	  "4.20: Debian 13, its kernel and xen-utils-4.20), boots it under QEMU with two emulated NUMA\n"
	  "nodes, runs 'hvbench run --lab FILE' there and copies the database, traces and logs back into\n"
	  "the work directory. dom0 runs an hvbench built for its own release: this binary for Debian 12,\n"
	  "for Debian 13 --dom0-hvbench (hv/lab/build-in-chroot.sh trixie SRC OUT builds one, with the\n"
	  "runtime-packages list beside it; from a build tree, make check-lab-4.20 does it all).\n"
	  "--xen-image boots the given hypervisor (hvbench hv build's xen.gz) instead of the packaged one,\n"
	  "with everything else of --xen's release: its version must match the toolstack's. Needs root\n"
	  "and Debian's package registry. Results from the lab are emulation: they are marked lab and are\n"
	  "never performance figures.", cmd_lab },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct hvb_command *hvb_command_find(const char *name)
{
	for (const struct hvb_command *c = hvb_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int hvb_command_internal(const struct hvb_command *c)
{
	return c->run == cmd_agent;
}

int hvb_cli_usage(const char *name)
{
	const struct hvb_command *c = hvb_command_find(name);

	fprintf(stderr, "usage: hvbench %s %s\n", name, c ? c->usage : "");
	return HVB_EXIT_USAGE;
}

int hvb_cli_parse_int(const char *cmd, const char *opt, const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v;

	if (hvb_parse_int(s, &v) < 0 || v < min || v > max) {
		fprintf(stderr, "hvbench %s: %s '%s': expected an integer in [%lld, %lld], in decimal\n", cmd, opt, s,
			(long long)min, (long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int hvb_cli_label_check(const char *cmd, const char *label)
{
	char why[256], arg[200];

	if (!label[strspn(label, " \t")])
		snprintf(why, sizeof(why), "an empty label: a run without one is named by its id (leave --label out)");
	else if (hvb_store_label_check(label, why, sizeof(why)) == 0)
		return 0;
	fprintf(stderr, "hvbench %s: --label '%s': %s\n", cmd, hvb_esc_buf(label, HVB_ESC_TEXT, arg, sizeof(arg)), why);
	return HVB_EXIT_USAGE;
}

const char *hvb_cli_db(const char *opt)
{
	const char *env = getenv("HVBENCH_DB");
	const char *db = opt ? opt : env && *env ? env : HVB_DEFAULT_DB;

	hvb_log(HVB_LOG_DEBUG, "result store %s (from %s)", db, opt ? "--db" : env && *env ? "HVBENCH_DB" : "the default");
	return db;
}

int hvb_cli_quiet;

struct hvb_store *hvb_cli_store_open_ro(const char *db, int *exit_code)
{
	struct hvb_store *s = hvb_store_open(db, 1);

	if (!s)
		*exit_code = access(db, F_OK) != 0 && errno == ENOENT ? HVB_EXIT_USAGE : HVB_EXIT_FAIL;
	return s;
}

static void list_commands(FILE *f)
{
	fprintf(f, "usage: hvbench [--version] [--help] [-v|--debug] [-q|--quiet] COMMAND [ARGS]\n\ncommands:\n");
	for (const struct hvb_command *c = hvb_commands; c->name; c++)
		if (!hvb_command_internal(c))
			fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\n'hvbench help COMMAND' (or 'hvbench COMMAND --help') tells more about one command;\n"
		   "'hvbench help workloads|probes|backends' lists the plug-ins, and 'hvbench help NAME' (or\n"
		   "'experiment', 'environment') shows one's options and metrics. -v (--debug) shows debug\n"
		   "messages, libxl's among them; -q (--quiet) only warnings and errors, no progress.\n");
}

static void print_command_help(const struct hvb_command *c)
{
	printf("usage: hvbench %s %s\n\n%s\n\n%s\n", c->name, c->usage, c->summary, c->help);
}

/* The closest name a person may have meant: a command, a plug-in or a help topic. */
static const char *did_you_mean(const char *word, int topics)
{
	static const char *const extra[] = { "experiment", "environment", "workloads", "probes", "backends" };
	const char *names[256];
	size_t n = 0;

	for (const struct hvb_command *k = hvb_commands; k->name && n < 64; k++)
		if (!hvb_command_internal(k))
			names[n++] = k->name;
	for (size_t i = 0; topics && hvb_workloads[i] && n < 128; i++)
		names[n++] = hvb_workloads[i]->name;
	for (size_t i = 0; topics && hvb_probes[i] && n < 192; i++)
		names[n++] = hvb_probes[i]->name;
	for (size_t i = 0; topics && hvb_backends[i] && n < 240; i++)
		names[n++] = hvb_backends[i]->name;
	for (size_t i = 0; topics && i < sizeof(extra) / sizeof(extra[0]); i++)
		names[n++] = extra[i];
	return hvb_did_you_mean(word, names, n);
}

HVB_COMMAND(help)
{
	const struct hvb_command *c;
	const char *base = strrchr(argv[0], '/');

	if (!strcmp(base ? base + 1 : argv[0], HVB_XEN_HOTPLUG_NAME))
		return hvb_xen_block_hotplug_main(argc, argv);
	if (argc < 2) {
		list_commands(stdout);
		return HVB_EXIT_OK;
	}
	/* Internal: what the build writes the man pages and the bash completion from. */
	if (!strcmp(argv[1], "--man") && argc == 3)
		return hvb_cli_man(argv[2]) < 0 ? HVB_EXIT_USAGE : HVB_EXIT_OK;
	if (!strcmp(argv[1], "--man-list") && argc == 2) {
		hvb_cli_man_list();
		return HVB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--complete"))
		return hvb_cli_complete(argc - 1, argv + 1);
	if (!(c = hvb_command_find(argv[1]))) {
		if (hvb_cli_help_topic(argv[1]) == 0)
			return HVB_EXIT_OK;
		const char *dym = did_you_mean(argv[1], 1);
		fprintf(stderr, "hvbench: no command, workload, probe or backend '%s'%s%s%s; 'hvbench help' lists them\n",
			argv[1], dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "");
		return HVB_EXIT_USAGE;
	}
	print_command_help(c);
	return HVB_EXIT_OK;
}

/* -h or --help among a command's arguments (before "--"): its help, exit 0. */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const struct hvb_command *c;
	const char *base = strrchr(argv[0], '/');
	int i = 1;

	if (!strcmp(base ? base + 1 : argv[0], HVB_XEN_HOTPLUG_NAME))
		return hvb_xen_block_hotplug_main(argc, argv);
	/* hvbench's own options, before the command. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--version")) {
			printf("hvbench %s\n", PACKAGE_VERSION);
			return HVB_EXIT_OK;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			list_commands(stdout);
			return HVB_EXIT_OK;
		} else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose") || !strcmp(argv[i], "--debug")) {
			hvb_log_set_level(HVB_LOG_DEBUG);
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			hvb_log_set_level(HVB_LOG_WARN);
			hvb_cli_quiet = 1;
		} else {
			fprintf(stderr, "hvbench: unknown option '%s' (before the command: --version, --help, -v, --debug, "
					"-q, --quiet)\n", argv[i]);
			return HVB_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		list_commands(stderr);
		return HVB_EXIT_USAGE;
	}
	if (!strcmp(argv[i], "version")) {
		printf("hvbench %s\n", PACKAGE_VERSION);
		return HVB_EXIT_OK;
	}
	if (!(c = hvb_command_find(argv[i]))) {
		const char *dym = did_you_mean(argv[i], 0);
		fprintf(stderr, "hvbench: '%s' is not a command%s%s%s; 'hvbench help' lists them\n", argv[i],
			dym ? " (did you mean '" : "", dym ? dym : "", dym ? "'?)" : "");
		return HVB_EXIT_USAGE;
	}
	/* help's own arguments may be anything after its first (help --complete options -h) */
	if (wants_help(c->run == cmd_help ? (argc - i > 2 ? 2 : argc - i) : argc - i, argv + i)) {
		print_command_help(c);
		return HVB_EXIT_OK;
	}
	return c->run(argc - i, argv + i);
}
