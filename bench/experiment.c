/* Experiment files: INI (inih) in the spirit of fio job files. An [experiment]
 * section, one section per workload (named after it, or with `workload = NAME`),
 * and [probe.NAME] sections for probe options. Every key is checked against the
 * option tables; an error names the file, the line and what was expected. */
#include "config.h"
#include <ctype.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench/bench.h"
#include "bench/experiment-internal.h"
#include "hv/hv.h"
#include "probes/probes.h"

static const char *const order_choices[] = { "sequential", "interleaved", NULL };
static const char *const backend_choices[] = { "native", "xen:pv", "xen:pvh", "xen:hvm", "xen:hvm-emu", NULL };

const struct hvb_option hvb_experiment_options[] = {
	{ .name = "name", .type = HVB_OPT_STRING, .def = "", .help = "experiment name (default: the file's name)" },
	{ .name = "repetitions", .type = HVB_OPT_INT, .def = "5", .min = 1, .max = 10000, .flags = HVB_OPT_AUTO,
	  .help = "samples per cell; auto adds samples until the median's CI is narrow enough" },
	{ .name = "min_repetitions", .type = HVB_OPT_INT, .def = "5", .min = 2, .max = 10000,
	  .help = "with repetitions = auto: samples before the first check" },
	{ .name = "max_repetitions", .type = HVB_OPT_INT, .def = "30", .min = 2, .max = 10000,
	  .help = "with repetitions = auto: the cap" },
	{ .name = "ci_target", .type = HVB_OPT_FLOAT, .def = "0.02", .min = 0.0001, .max = 1,
	  .help = "with repetitions = auto: target relative width of the median's 95% CI" },
	{ .name = "warmup", .type = HVB_OPT_INT, .def = "1", .min = 0, .max = 1000,
	  .help = "unrecorded samples before the repetitions of each cell" },
	{ .name = "order", .type = HVB_OPT_ENUM, .def = "sequential", .choices = order_choices,
	  .help = "sequential: each cell's samples in a row; interleaved: the cells take turns, one sample "
		  "each in an order drawn each round, so that a drift of the machine's speed reaches every cell "
		  "alike and no cell always goes first (native backend)" },
	{ .name = "backends", .type = HVB_OPT_ENUM, .def = "native", .choices = backend_choices,
	  .help = "where the workload runs: native, or Xen guests of a mode" },
	{ .name = "pv_drivers", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "xen:hvm: PV disk and network drivers (PVHVM), or off: emulated devices only (the cell is xen:hvm-emu)" },
	{ .name = "vcpus", .type = HVB_OPT_INT, .def = "1", .min = 1, .max = HVB_MAX_CPUS,
	  .help = "CPUs (natively) or vCPUs (guests) per cell" },
	{ .name = "memory", .type = HVB_OPT_SIZE, .def = "1G", .min = 1 << 20, .max = 16.0 * (1ULL << 40),
	  .help = "guest memory (not applied to the native backend)" },
	{ .name = "placement", .type = HVB_OPT_ENUM, .def = "none", .choices = hvb_placement_names,
	  .help = "NUMA placement of CPUs and memory" },
	{ .name = "probes", .type = HVB_OPT_STRING, .def = "", .flags = HVB_OPT_LIST,
	  .help = "probes around every sample (options in [probe.NAME] sections)" },
	{ .name = "seed", .type = HVB_OPT_INT, .def = "1", .min = 0, .max = 9.2e18,
	  .help = "seed of every random choice; each sample's seed derives from it" },
	{ .name = "duration", .type = HVB_OPT_TIME, .def = "1s", .min = 0.001, .max = 86400,
	  .help = "target time of one sample" },
	{ .name = "timeout", .type = HVB_OPT_TIME, .def = "60s", .min = 0.01, .max = 86400,
	  .help = "a sample not answered within this is killed and recorded as failed" },
	{ .name = "boot_timeout", .type = HVB_OPT_TIME, .def = "300s", .min = 1, .max = 86400,
	  .help = "a guest not up within this fails its cell" },
	{ 0 },
};

struct parse {
	const char *path;
	const char *text, *pos;
	int line;
	char cur_section[128];
	struct entry *e;
	size_t n, cap;
	char **sections;     /* in order of appearance, with the line of each */
	int *section_line;
	size_t nsections;
	int failed;
};

static int add_entry(struct parse *ps, const char *section, const char *key, const char *value)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 32;
		struct entry *ne = realloc(ps->e, cap * sizeof(*ne));
		if (!ne)
			return 0;
		ps->e = ne;
		ps->cap = cap;
	}
	ps->e[ps->n] = (struct entry){ strdup(section), strdup(key), strdup(value), ps->line };
	ps->n++;
	return 1;
}

/* The reader counts lines and sees section headers, which inih does not report
 * with line numbers (and not at all when a section is empty). */
static char *reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	const char *nl;
	size_t n;

	if (!*ps->pos)
		return NULL;
	nl = strchr(ps->pos, '\n');
	n = nl ? (size_t)(nl - ps->pos) + 1 : strlen(ps->pos);
	if (n >= (size_t)num)
		n = (size_t)num - 1;
	memcpy(str, ps->pos, n);
	str[n] = 0;
	ps->pos += n;
	ps->line++;
	const char *p = str + strspn(str, " \t");
	if (*p == '[') {
		const char *end = strchr(p, ']');
		if (end) {
			char **ns = realloc(ps->sections, (ps->nsections + 1) * sizeof(*ns));
			int *nl2 = realloc(ps->section_line, (ps->nsections + 1) * sizeof(int));
			if (ns)
				ps->sections = ns;
			if (nl2)
				ps->section_line = nl2;
			if (ns && nl2) {
				char *name = strndup(p + 1, (size_t)(end - p - 1));
				/* trim like inih does */
				char *q = name + strlen(name);
				while (q > name && isspace((unsigned char)q[-1]))
					*--q = 0;
				memmove(name, name + strspn(name, " \t"), strlen(name + strspn(name, " \t")) + 1);
				ps->sections[ps->nsections] = name;
				ps->section_line[ps->nsections++] = ps->line;
			}
		}
	}
	return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;
	return add_entry(ps, section, name, value);
}

int hvb_experiment_load_text(const char *path, const char *text, struct hvb_experiment *ex)
{
	struct parse ps = { .path = path, .text = text, .pos = text };
	int rc;

	memset(ex, 0, sizeof(*ex));
	ex->path = strdup(path);
	ex->text = strdup(text);
	if (!ex->path || !ex->text)
		return HVB_ENOMEM;
	rc = ini_parse_stream(reader, &ps, handler, &ps);
	if (rc > 0) {
		hvb_log(HVB_LOG_ERROR, "%s:%d: syntax error: expected [section], key = value, or a ; comment", path,
			rc);
		rc = HVB_EINVAL;
	} else if (rc < 0) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot parse (out of memory)", path);
		rc = HVB_ENOMEM;
	} else
		rc = hvb_experiment_build(ex, ps.e, ps.n, (const char *const *)ps.sections, ps.section_line,
					  ps.nsections);
	for (size_t i = 0; i < ps.n; i++) {
		free(ps.e[i].section);
		free(ps.e[i].key);
		free(ps.e[i].value);
	}
	for (size_t i = 0; i < ps.nsections; i++)
		free(ps.sections[i]);
	free(ps.e);
	free(ps.sections);
	free(ps.section_line);
	if (rc < 0)
		hvb_experiment_free(ex);
	return rc;
}

int hvb_experiment_load(const char *path, struct hvb_experiment *ex)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	if (!f) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot open: %m", path);
		return HVB_ENOENT;
	}
	do {
		if (cap - len < 4096) {
			char *nt = realloc(text, cap = cap ? cap * 2 : 8192);
			if (!nt) {
				free(text);
				fclose(f);
				return HVB_ENOMEM;
			}
			text = nt;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0 && len < (1u << 24));
	fclose(f);
	text[len] = 0;
	if (strlen(text) != len) {
		hvb_log(HVB_LOG_ERROR, "%s: contains a NUL byte at offset %zu: not a text file", path, strlen(text));
		free(text);
		return HVB_EINVAL;
	}
	rc = hvb_experiment_load_text(path, text, ex);
	free(text);
	return rc;
}
