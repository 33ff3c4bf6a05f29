/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Experiment files: INI (inih, behind a strict line reader) in the spirit of fio
 * job files. An [experiment] section, one section per workload (named after it,
 * or with `workload = NAME`), and [probe.NAME] sections for probe options. Every key is checked against the
 * option tables; an error names the file, the line and what was expected. */
#include "config.h"
#include <ctype.h>
#include <errno.h>
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
		  "each in an order drawn each round from the seed (and the run's label), so that a drift of the "
		  "machine's speed reaches every cell alike and no cell always goes first. Every cell's guests are "
		  "started first and live together, paused (Xen: libxl's pause; native agents: SIGSTOP) but for "
		  "the turn of their cell; the plan fails when the Xen guests do not fit in the host's free memory, "
		  "naming each section's share, or when one turn's native agents cannot map their workload's "
		  "buffers (the sizes its help says each agent maps) together in MemAvailable, and --dry-run shows each round's order and the memory check. The "
		  "run stores turns.json (the seed, each round's order) and, with each sample, turns.round, "
		  "turns.guests (guests alive) and turns.paused (other guests paused), read back from the "
		  "hypervisor or the kernel" },
	{ .name = "backends", .type = HVB_OPT_ENUM, .def = "native", .choices = backend_choices,
	  .help = "where the workload runs: native, or Xen guests of a mode" },
	{ .name = "pv_drivers", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "xen:hvm: PV disk and network drivers (PVHVM), or off: emulated devices only (the cell is xen:hvm-emu)" },
	{ .name = "hap", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "xen:pvh, xen:hvm: hardware-assisted paging (EPT, NPT), or off: shadow paging (xl's hap=0; the cell's "
		  "mode is MODE-shadow, read back from the domain's flags). A hypervisor built without "
		  "CONFIG_SHADOW_PAGING (Debian's) skips hap = off cells, saying so; PV guests have neither (skipped)" },
	{ .name = "pvspin", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "Xen guests: the guest kernel's PV spinlocks (SCHEDOP_poll to wait, an event channel to kick), or "
		  "off: plain queued spinlocks (xen_nopvspin, or nopvspin from Linux 5.9, on the guest's command "
		  "line); read back inside the guest from its kernel log and /proc/cmdline, the cell skipped when "
		  "they disagree. Native cells: one cell, it does not apply" },
	{ .name = "vnuma", .type = HVB_OPT_BOOL, .def = "on",
	  .help = "placement = split of a Xen guest: its virtual NUMA nodes exposed to the guest kernel (libxl's "
		  "vnuma, the default), or off: hidden, the guest sees one node while its vCPUs and memory still "
		  "span two (memory cycled over both by Xen's allocator); the guest's own node count is checked "
		  "against it. Other placements and native cells: one cell, it does not apply" },
	{ .name = "feature_persistent", .type = HVB_OPT_BOOL, .def = "auto", .flags = HVB_OPT_AUTO,
	  .help = "Xen guests with a blkback disk (fio; not xen:hvm-emu): persistent grants on or off at both ends, "
		  "dom0's xen_blkback.feature_persistent (a writable module parameter from Linux 5.15) and the "
		  "guest's xen_blkfront.feature_persistent (its command line), set before the disk connects and "
		  "read back from xenstore (each end's feature-persistent); a cell whose kernels cannot do it is "
		  "skipped with the reason. auto: the kernels' defaults (on), read back and recorded all the same. "
		  "Other cells: one cell, it does not apply. A workload section may set it for its own cells" },
	{ .name = "max_queues", .type = HVB_OPT_INT, .def = "auto", .flags = HVB_OPT_AUTO, .min = 1, .max = 128,
	  .help = "Xen guests with a netback vif (iperf3; not xen:hvm-emu): queues per vif, dom0's "
		  "xen_netback.max_queues and the guest's xen_netfront.max_queues, set before the vif exists and "
		  "read back from xenstore (netback's multi-queue-max-queues, netfront's multi-queue-num-queues), "
		  "the cell skipped when they differ. auto: the kernels' defaults (netback: dom0's CPUs; netfront: "
		  "the guest's vCPUs up to 8), read back and recorded. Other cells: one cell, it does not apply. A "
		  "workload section may set it for its own cells" },
	{ .name = "vcpus", .type = HVB_OPT_INT, .def = "1", .min = 1, .max = HVB_MAX_CPUS,
	  .help = "CPUs (natively) or vCPUs (guests) per cell" },
	{ .name = "memory", .type = HVB_OPT_SIZE, .def = "1G", .min = 1 << 20, .max = 16.0 * (1ULL << 40),
	  .help = "guest memory (not applied to the native backend)" },
	{ .name = "placement", .type = HVB_OPT_ENUM, .def = "none", .choices = hvb_placement_names,
	  .help = "NUMA placement of CPUs and memory" },
	{ .name = "antagonists", .type = HVB_OPT_INT, .def = "0", .min = 0, .max = 16,
	  .help = "CPU-burning antagonists per CPU of the cell, pinned there and running through each sample "
		  "(started before it, stopped after it): the overcommit is 1 + antagonists runnable tasks or "
		  "vCPUs per CPU. Natively hog processes; Xen guests: a PV domain of the same image (GUEST-ant) "
		  "with antagonists vCPUs per pCPU of the cell, each pinned to its pCPU, burning; paused between "
		  "samples, destroyed with the cell's guest" },
	{ .name = "guests", .type = HVB_OPT_INT, .def = "1", .min = 1, .max = HVB_MAX_GUESTS,
	  .help = "guests of the cell's spec started together, each placed by the policy (guest K tries node K "
		  "first, on CPUs no other guest has while there are enough; random: a draw each), all running the "
		  "workload at once; figures per guest (guestK.METRIC) and in total. Natively agent processes" },
	{ .name = "random_draws", .type = HVB_OPT_INT, .def = "0", .min = 0, .max = 10000,
	  .help = "placement = random: how many seeded draws a cell's repetitions are spread over, in blocks "
		  "of repetitions (0: a new draw for every repetition); each draw is applied, read back and stored "
		  "with its samples (metric placement.draw)" },
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
	{ .name = "boot_attempts", .type = HVB_OPT_INT, .def = "2", .min = 1, .max = 10,
	  .help = "a guest (or native agent) that dies before its agent answers is started again, up to this "
		  "many times per cell; the cell's reason says so (a boot that times out is not tried again)" },
	{ 0 },
};

/* Far above any real experiment file; a file this big is a mistake (or /dev/zero). */
#define MAX_FILE_BYTES (16u << 20)
/* inih's line buffer holds the line, its '\n' and a NUL. */
#define MAX_LINE (INI_MAX_LINE - 2)
/* inih keeps a section name in a buffer of 50 bytes (MAX_SECTION, compiled into
 * libinih), cutting longer ones without a word: longer names are refused. */
#define SECTION_NAME_MAX 49
_Static_assert(SECTION_NAME_MAX < HVB_SECTION_MAX, "a cell holds every section name inih reads");

void hvb_experiment_syntax(char *buf, size_t len)
{
	snprintf(buf, len,
		 "An experiment file is read as a person sees it; anything else stops the run before it starts,\n"
		 "with FILE:LINE and the reason (exit 2):\n"
		 "  [name]          a section, alone on its line: [experiment], [probe.NAME], a workload's name, or\n"
		 "                  any name with workload = NAME. Spaces inside the brackets and a ; or # comment\n"
		 "                  after them are allowed. Names have letters, digits, '_', '.' and '-', at most %d\n"
		 "                  characters; each section appears once.\n"
		 "  key = value     one per line (key: value also works), keys of letters, digits, '_', '.', '-';\n"
		 "                  spaces around the key and the value and indentation are ignored. A line never\n"
		 "                  continues the one above it: a list stays on one line. \" ;\" after a value\n"
		 "                  starts a comment; '#' inside a value is text.\n"
		 "  ; or # comment  a whole line, of any length.\n"
		 "  Other lines have at most %d characters, the file at most %u MiB: UTF-8 text (a byte-order mark\n"
		 "  first is allowed), LF or CRLF line ends, no control characters, and outside comments no\n"
		 "  invisible or non-ASCII spaces.\n"
		 "  Numbers are decimal, without leading zeros, exponents or 0x (010 could mean 8 or 10: refused).\n"
		 "  Sizes: 4096, 64K, 16KiB, 1.5G (K M G T are powers of 1024, i and B optional); times: 500ms, 2s,\n"
		 "  1.5m, 1h (ns us ms s m min h; no unit: seconds). Fractions are exact, rounded to the nearest\n"
		 "  byte or nanosecond. A comma list names each value once (but for pairs: wakeup's cpus).\n",
		 SECTION_NAME_MAX, MAX_LINE, MAX_FILE_BYTES >> 20);
}

/* The reader between the text and inih. inih's limits are compiled in (lines of
 * INI_MAX_LINE bytes, section names of 49) and its API cannot lift them, and some
 * of its readings are not what a person sees (the tail of a long line read as a
 * new line, an indented line taken as the continuation of the previous value,
 * text after a section's ']' dropped). So inih gets one whole line per call, or
 * none: comments as empty lines, other lines without their indentation; whatever
 * it would misread stops the parse with an error naming the line. inih reads
 * the section headers and splits keys and values: the sections are its own,
 * from its handler. Debian's libinih is built without
 * INI_CALL_HANDLER_ON_NEW_SECTION, so the reader follows each header with a
 * marker line (a key no file can hold: control characters are refused) that
 * brings inih's new section to the handler at the header's line, empty
 * sections too; and precedes it with a header that no file can hold either,
 * so that a header inih refuses is seen as such. */
enum { Q_NONE, Q_HEADER, Q_MARKER };
#define RESET_LINE "[\x01]\n"
#define MARKER_KEY "\x01"

struct parse {
	const char *path, *pos;
	int line;
	const char *section; /* current section, one of sections[] or "" */
	struct entry *e;
	size_t n, cap;
	char **sections;     /* in order of appearance, with the line of each */
	int *section_line;
	size_t nsections;
	int failed;          /* an error was logged: 0 or a negative code */
	int queue;           /* what the reader hands inih next: the header, the marker */
	int marker;          /* the handler's next call is the marker's */
	char header[INI_MAX_LINE]; /* the header line, as inih gets it */
};

#define parse_error(ps, ...) ((ps)->failed = hvb_experiment_fail((ps)->path, (ps)->line, __VA_ARGS__))

static int add_entry(struct parse *ps, const char *key, const char *value)
{
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 32;
		struct entry *ne = realloc(ps->e, cap * sizeof(*ne));
		if (!ne)
			return HVB_ENOMEM;
		ps->e = ne;
		ps->cap = cap;
	}
	ps->e[ps->n] = (struct entry){ strdup(ps->section), strdup(key), strdup(value), ps->line };
	if (!ps->e[ps->n].section || !ps->e[ps->n].key || !ps->e[ps->n].value) {
		free(ps->e[ps->n].section);
		free(ps->e[ps->n].key);
		free(ps->e[ps->n].value);
		return HVB_ENOMEM;
	}
	ps->n++;
	return 0;
}

/* Section names and keys: what the option tables and workload names use. */
static int name_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '-';
}

/* The code point at s (valid UTF-8 of len bytes, from utf8_len), for messages. */
static unsigned code_point(const unsigned char *s, int len)
{
	unsigned cp = len == 1 ? s[0] : s[0] & (0x7f >> len);
	for (int i = 1; i < len; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/* Bytes of the UTF-8 sequence at s..end, or 0 when it is not valid UTF-8
 * (overlong forms, surrogates and values above U+10FFFF included). */
static int utf8_len(const unsigned char *s, const unsigned char *end)
{
	int len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 && s[0] < 0xf0 ? 3 :
		  s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
	unsigned cp;

	if (!len || end - s < len)
		return 0;
	for (int i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	cp = code_point(s, len);
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Spaces a person cannot tell from a plain space, or cannot see at all. */
static int invisible(unsigned cp)
{
	return cp == 0xa0 || cp == 0xad || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202f) || (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 || cp == 0xfeff;
}

/* Every line is UTF-8 text without control characters; outside comments, also
 * without spaces or marks that look like nothing or like an ASCII space. */
static int check_text(struct parse *ps, const char *line, const char *end, int comment)
{
	int col = 1;

	for (const unsigned char *p = (const unsigned char *)line; p < (const unsigned char *)end; col++) {
		int len = utf8_len(p, (const unsigned char *)end);
		if (*p == '\r')
			return parse_error(ps, "column %d: a carriage return inside the line (lines end with LF or "
					   "CRLF; a CR alone is not a line ending here)", col);
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return parse_error(ps, "column %d: control character 0x%02x: not a text line", col, *p);
		if (!len)
			return parse_error(ps, "column %d: byte 0x%02x is not UTF-8 text", col, *p);
		if (!comment && len > 1 && invisible(code_point(p, len)))
			return parse_error(ps, "column %d: an invisible or non-ASCII space (U+%04X): type a plain "
					   "space, or nothing", col, code_point(p, len));
		p += len;
	}
	return 0;
}

/* The section inih read from the header line ps->header ("[name]", "[ name ]",
 * either followed by a comment): checked and kept, with its line. */
static int section_begin(struct parse *ps, const char *section)
{
	size_t len = strlen(section);
	const char *close = ps->header + 1 + len, *rest, *name = section, *name_end = section + len;
	char **ns;
	int *nl;

	if (!strcmp(section, MARKER_KEY))
		return parse_error(ps, "a section header needs its closing ']'%s",
				   strchr(ps->header, ']') ? " before any ' ;' comment" : "");
	if (*close != ']') { /* inih cut the name at its limit */
		for (name = ps->header + 1; *name == ' ' || *name == '\t'; name++)
			;
		name_end = name + strcspn(name, "] \t;");
		return parse_error(ps, "section name '%.*s' is %d characters long: at most %d", (int)(name_end - name),
				   name, (int)(name_end - name), SECTION_NAME_MAX);
	}
	for (rest = close + 1; *rest == ' ' || *rest == '\t'; rest++)
		;
	if (*rest != '\n' && *rest != ';' && *rest != '#')
		return parse_error(ps, "text after ']': '%.*s' (a section header stands alone on its line; only a "
				   "; or # comment may follow it)", (int)strcspn(rest, "\n"), rest);
	while (*name == ' ' || *name == '\t')
		name++;
	while (name_end > name && (name_end[-1] == ' ' || name_end[-1] == '\t'))
		name_end--;
	if (name == name_end)
		return parse_error(ps, "a section needs a name: [experiment], [probe.NAME] or a workload's");
	for (const char *c = name; c < name_end; c++)
		if (!name_char((unsigned char)*c))
			return parse_error(ps, "section name '%.*s': a name has only letters, digits, '_', '.' and '-'",
					   (int)(name_end - name), name);
	/* Here, before any key of it is read: a second [memlat] is the error, not its keys. */
	for (size_t i = 0; i < ps->nsections; i++)
		if (strlen(ps->sections[i]) == (size_t)(name_end - name) &&
		    !memcmp(ps->sections[i], name, (size_t)(name_end - name)))
			return parse_error(ps, "section [%s] appears twice (first at line %d)", ps->sections[i],
					   ps->section_line[i]);
	ns = realloc(ps->sections, (ps->nsections + 1) * sizeof(*ns));
	if (ns)
		ps->sections = ns;
	nl = realloc(ps->section_line, (ps->nsections + 1) * sizeof(*nl));
	if (nl)
		ps->section_line = nl;
	if (!ns || !nl || !(ps->sections[ps->nsections] = strndup(name, (size_t)(name_end - name))))
		return ps->failed = HVB_ENOMEM;
	ps->section_line[ps->nsections] = ps->line;
	ps->section = ps->sections[ps->nsections++];
	return 0;
}

static char *reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	const char *line = ps->pos, *nl, *end, *p;
	int limit;

	if (ps->failed)
		return NULL;
	if (ps->queue == Q_HEADER) {
		ps->queue = Q_MARKER;
		return strcpy(str, ps->header);
	}
	if (ps->queue == Q_MARKER) {
		ps->queue = Q_NONE;
		ps->marker = 1;
		return strcpy(str, MARKER_KEY "=\n");
	}
	if (!*line)
		return NULL;
	nl = strchr(line, '\n');
	end = nl ? nl : line + strlen(line);
	ps->pos = nl ? nl + 1 : end;
	ps->line++;
	if (end > line && end[-1] == '\r')
		end--;
	if (ps->line == 1 && end - line >= 3 && !memcmp(line, "\xef\xbb\xbf", 3))
		line += 3; /* a UTF-8 byte-order mark: editors show nothing */
	/* Indentation is never a continuation of the line above: a person reads an
	 * indented "key = value" as a key. */
	for (p = line; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (check_text(ps, line, end, p < end && (*p == ';' || *p == '#')) < 0)
		return NULL;
	str[0] = 0;
	if (p == end || *p == ';' || *p == '#')
		return str;
	if (*p != '[' && !memchr(p, '=', (size_t)(end - p)) && !memchr(p, ':', (size_t)(end - p))) {
		parse_error(ps, "syntax error: expected [section], key = value, or a ; comment%s",
			    p > line ? " (an indented line does not continue the one above it: a value stays on one line)"
				     : "");
		return NULL;
	}
	/* The documented limit, which inih's buffer (the line, its '\n' so that a growing
	 * buffer does not read on, and the NUL) holds. */
	limit = num - 2 < MAX_LINE ? num - 2 : MAX_LINE;
	if (end - p > limit) {
		parse_error(ps, "this line is %d characters long: a line other than a comment may have at most %d "
				"(the INI reader's limit)", (int)(end - line), limit);
		return NULL;
	}
	memcpy(str, p, (size_t)(end - p));
	str[end - p] = '\n';
	str[end - p + 1] = 0;
	if (*p == '[') { /* the reset first, then the header, then the marker */
		memcpy(ps->header, str, (size_t)(end - p) + 2);
		ps->queue = Q_HEADER;
		return strcpy(str, RESET_LINE);
	}
	return str;
}

/* Keys go into the section inih has; the marker brings a new one. inih's line
 * numbers count the reader's extra lines: the reader's own are used. */
static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *ps = user;
	int rc;

	if (ps->failed)
		return 0;
	if (ps->marker && !strcmp(name, MARKER_KEY)) {
		ps->marker = 0;
		return section_begin(ps, section) == 0;
	}
	if (!*name)
		return parse_error(ps, "a key is missing before '='"), 0;
	for (const char *c = name; *c; c++)
		if (!name_char((unsigned char)*c))
			return parse_error(ps, "key '%s': a key has only letters, digits, '_', '.' and '-'", name), 0;
	if ((rc = add_entry(ps, name, value)) < 0)
		ps->failed = rc;
	return rc == 0;
}

/* Where each line of a text made by hvbench came from, while it is read: a line
 * of the user's file (its own number) or an argument of the command line (its
 * name), so that a message names what the person typed. NULL: the text is a file. */
static const struct origin {
	int line;   /* > 0: this line of the file at path */
	char *name; /* else: "argument 3 'sizes=16K'", "--set 'experiment.seed=2'" */
} *origins;
static size_t norigins;

void hvb_experiment_where(const char *path, int line, char *buf, size_t len)
{
	const struct origin *o = origins && line > 0 && (size_t)line <= norigins ? &origins[line - 1] : NULL;

	if (o && o->name)
		snprintf(buf, len, "%s", o->name);
	else if (o || line > 0)
		snprintf(buf, len, "%s:%d", path, o ? o->line : line);
	else
		snprintf(buf, len, "%s", path);
}

static void parse_free(struct parse *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->e[i].section);
		free(ps->e[i].key);
		free(ps->e[i].value);
	}
	for (size_t i = 0; i < ps->nsections; i++)
		free(ps->sections[i]);
	free(ps->e);
	free(ps->sections);
	free(ps->section_line);
}

/* The reader alone: entries and sections into ps (parse_free it either way). */
static int parse_text(const char *path, const char *text, struct parse *ps)
{
	int rc;

	*ps = (struct parse){ .path = path, .pos = text, .section = "" };
	rc = ini_parse_stream(reader, ps, handler, ps);
	if (ps->failed == HVB_ENOMEM)
		hvb_log(HVB_LOG_ERROR, "%s: cannot parse (out of memory)", path);
	if (ps->failed)
		return ps->failed;
	if (rc > 0) { /* not seen: the reader hands inih only lines it reads alike; rc counts the extra lines */
		hvb_experiment_fail(path, 0, "syntax error: the INI reader refused line %d of what it was given", rc);
		return HVB_EINVAL;
	}
	if (rc < 0) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot parse (out of memory)", path);
		return HVB_ENOMEM;
	}
	return 0;
}

int hvb_experiment_load_text(const char *path, const char *text, struct hvb_experiment *ex)
{
	struct parse ps;
	int rc;

	memset(ex, 0, sizeof(*ex));
	ex->path = strdup(path);
	ex->text = strdup(text);
	if (!ex->path || !ex->text)
		return HVB_ENOMEM;
	if ((rc = parse_text(path, text, &ps)) == 0)
		rc = hvb_experiment_build(ex, ps.e, ps.n, (const char *const *)ps.sections, ps.section_line,
					  ps.nsections);
	parse_free(&ps);
	if (rc < 0)
		hvb_experiment_free(ex);
	return rc;
}

/* The whole of f, NUL-terminated, into *text; the size and NUL rules of a file. */
static int read_text(FILE *f, const char *path, char **text)
{
	char *t = NULL, *nul;
	size_t len = 0, cap = 0, n;
	int err;

	do {
		if (cap - len < 4096) {
			char *nt = realloc(t, cap = cap ? cap * 2 : 8192);
			if (!nt) {
				free(t);
				return HVB_ENOMEM;
			}
			t = nt;
		}
		n = fread(t + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0 && len <= MAX_FILE_BYTES);
	err = ferror(f) ? errno : 0;
	t[len] = 0;
	*text = t;
	if (err)
		hvb_log(HVB_LOG_ERROR, "%s: cannot read: %s", path, strerror(err));
	else if (len > MAX_FILE_BYTES)
		hvb_log(HVB_LOG_ERROR, "%s: larger than %u MiB: not an experiment file (nothing of it was used)", path,
			MAX_FILE_BYTES >> 20);
	else if ((nul = memchr(t, 0, len))) {
		int line = 1;
		for (const char *p = t; p < nul; p++)
			line += *p == '\n';
		hvb_log(HVB_LOG_ERROR, "%s:%d: a NUL byte (offset %zu): not a text file", path, line,
			(size_t)(nul - t));
	} else
		return 0;
	free(t);
	*text = NULL;
	return HVB_EINVAL;
}

/* PATH's text ("-": standard input, named <stdin>) and the name messages give it. */
static int read_config(const char *path, char **text, const char **name)
{
	FILE *f;
	int rc;

	*name = strcmp(path, "-") ? path : HVB_EXPERIMENT_STDIN;
	if (!strcmp(path, "-"))
		return read_text(stdin, *name, text);
	if (!(f = fopen(path, "rb"))) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot open: %m", path);
		return HVB_ENOENT;
	}
	rc = read_text(f, path, text);
	fclose(f);
	return rc;
}

int hvb_experiment_load(const char *path, struct hvb_experiment *ex)
{
	return hvb_experiment_load_set(path, NULL, 0, ex);
}

/* ---- texts made from the command line: bench's arguments, run's --set ---- */

struct gen {
	char *t;
	size_t len, cap;
	struct origin *o;
	size_t n, ocap;
	int rc;
};

/* One line of the text, from line `line` of the file or from the argument `name`. */
static void __attribute__((format(printf, 4, 5))) gen_line(struct gen *g, int line, const char *name, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (g->rc)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (g->cap - g->len < (size_t)n + 2) {
		size_t cap = (g->cap + (size_t)n + 2) * 2;
		char *t = realloc(g->t, cap);
		if (!t) {
			g->rc = HVB_ENOMEM;
			return;
		}
		g->t = t;
		g->cap = cap;
	}
	if (g->n == g->ocap) {
		size_t cap = g->ocap ? g->ocap * 2 : 64;
		struct origin *o = realloc(g->o, cap * sizeof(*o));
		if (!o) {
			g->rc = HVB_ENOMEM;
			return;
		}
		g->o = o;
		g->ocap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(g->t + g->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	g->len += (size_t)n;
	g->t[g->len++] = '\n';
	g->t[g->len] = 0;
	g->o[g->n] = (struct origin){ line, name ? strdup(name) : NULL };
	if (name && !g->o[g->n].name)
		g->rc = HVB_ENOMEM;
	g->n++;
}

static void gen_free(struct gen *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->o[i].name);
	free(g->o);
	free(g->t);
}

/* Reads the made text as a file is read, its messages naming the origins. */
static int gen_load(struct gen *g, const char *path, struct hvb_experiment *ex)
{
	int rc = g->rc;

	if (!rc) {
		origins = g->o;
		norigins = g->n;
		rc = hvb_experiment_load_text(path, g->t, ex);
		origins = NULL;
		norigins = 0;
	}
	gen_free(g);
	return rc;
}

/* What the reader would not read as the person meant it: a name with other
 * characters, a value on two lines or with a " ;" comment inside. */
static int arg_check(const char *origin, const char *section, const char *key, const char *value)
{
	const char *bad = NULL;

	for (const char *c = section; c && *c && !bad; c++)
		if (!name_char((unsigned char)*c))
			bad = "a section name has only letters, digits, '_', '.' and '-'";
	if (!*key)
		bad = "the key is missing (expected KEY=VALUE)";
	for (const char *c = key; *c && !bad; c++)
		if (!name_char((unsigned char)*c))
			bad = "a key has only letters, digits, '_', '.' and '-'";
	for (const char *c = value; *c && !bad; c++)
		if (*c == '\n' || *c == '\r')
			bad = "a value is one line";
		else if ((*c == ' ' || *c == '\t') && c[1] == ';')
			bad = "' ;' would start a comment inside the value";
	if (!bad)
		return 0;
	hvb_log(HVB_LOG_ERROR, "%s: %s", origin, bad);
	return HVB_EINVAL;
}

int hvb_experiment_load_args(const char *path, const char *comment, const struct hvb_experiment_arg *a, size_t n,
			     struct hvb_experiment *ex)
{
	struct gen g = { 0 };
	int rc;

	memset(ex, 0, sizeof(*ex));
	for (size_t i = 0; i < n; i++) {
		if (a[i].key && (rc = arg_check(a[i].origin, a[i].section, a[i].key, a[i].value)) < 0)
			return rc;
		for (size_t k = 0; a[i].key && k < i; k++)
			if (a[k].key && !strcmp(a[k].section, a[i].section) && !strcmp(a[k].key, a[i].key)) {
				hvb_log(HVB_LOG_ERROR, "%s: [%s] %s is already given by %s", a[i].origin, a[i].section,
					a[i].key, a[k].origin);
				return HVB_EINVAL;
			}
	}
	gen_line(&g, 0, NULL, "; %s", comment);
	/* Each section once, where it first appears, with every key of it below. */
	for (size_t i = 0; i < n; i++) {
		size_t first = 0;
		while (strcmp(a[first].section, a[i].section))
			first++;
		if (first < i)
			continue;
		gen_line(&g, 0, a[i].origin, "[%s]", a[i].section);
		for (size_t k = i; k < n; k++)
			if (a[k].key && !strcmp(a[k].section, a[i].section))
				gen_line(&g, 0, a[k].origin, "%s = %s", a[k].key, a[k].value);
	}
	return gen_load(&g, path, ex);
}

/* One --set: SECTION.KEY=VALUE, the section being the longest one of the file
 * that begins the argument ([experiment] is there even when the file has none). */
struct set {
	const char *arg, *section, *value;
	char key[128], origin[300];
	int replaces; /* a key of the file: written in its place */
	int done;
};

static int set_parse(struct set *st, const char *arg, const struct parse *ps, const char *path)
{
	const char *eq = strchr(arg, '=');
	size_t best = 0, lhs = eq ? (size_t)(eq - arg) : 0;

	st->arg = arg;
	snprintf(st->origin, sizeof(st->origin), "--set '%s'", arg);
	for (size_t i = 0; eq && i <= ps->nsections; i++) {
		const char *s = i < ps->nsections ? ps->sections[i] : "experiment";
		size_t l = strlen(s);
		if (l > best && l + 1 < lhs && !strncmp(arg, s, l) && arg[l] == '.') {
			best = l;
			st->section = s;
		}
	}
	if (!eq || !best) {
		char known[1024] = "experiment";
		const char *dot = eq ? memrchr(arg, '.', lhs) : NULL;
		for (size_t i = 0; i < ps->nsections; i++)
			if (strcmp(ps->sections[i], "experiment"))
				snprintf(known + strlen(known), sizeof(known) - strlen(known), ", %s", ps->sections[i]);
		if (!eq || !dot)
			hvb_log(HVB_LOG_ERROR, "%s: expected SECTION.KEY=VALUE, e.g. experiment.repetitions=10", st->origin);
		else if (dot + 1 == eq) /* "experiment.=3": the section is there, the key is not */
			hvb_log(HVB_LOG_ERROR, "%s: no key after '%.*s': expected SECTION.KEY=VALUE, e.g. "
				"experiment.repetitions=10", st->origin, (int)(eq - arg), arg);
		else
			hvb_log(HVB_LOG_ERROR, "%s: no section [%.*s] in %s (its sections: %s)", st->origin,
				dot ? (int)(dot - arg) : (int)lhs, arg, path, known);
		return HVB_EINVAL;
	}
	if (lhs - best - 1 >= sizeof(st->key)) {
		hvb_log(HVB_LOG_ERROR, "%s: the key is longer than %zu characters", st->origin, sizeof(st->key) - 1);
		return HVB_EINVAL;
	}
	snprintf(st->key, sizeof(st->key), "%.*s", (int)(lhs - best - 1), arg + best + 1);
	st->value = eq + 1;
	for (size_t i = 0; i < ps->n; i++)
		st->replaces |= !strcmp(ps->e[i].section, st->section) && !strcmp(ps->e[i].key, st->key);
	return arg_check(st->origin, NULL, st->key, st->value);
}

/* The sets of section s not yet written, as new lines. */
static void gen_sets(struct gen *g, struct set *st, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!st[i].done && !st[i].replaces && !strcmp(st[i].section, s)) {
			gen_line(g, 0, st[i].origin, "%s = %s ; --set", st[i].key, st[i].value);
			st[i].done = 1;
		}
}

/* The file with each override where it belongs: a key of the file replaced
 * (its line kept as a comment), a new key under its section's header. Every
 * other line is the file's, under its own number in messages. */
static int apply_sets(const char *path, const char *text, const struct parse *ps, struct set *st, size_t n,
		      struct hvb_experiment *ex)
{
	struct gen g = { 0 };
	const char *p = text;
	int line = 0;

	gen_line(&g, 0, NULL, "; %s, with the overrides of hvbench run --set (marked ; --set)", path);
	if (!strncmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (*p) {
		const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
		const struct entry *e = NULL;
		size_t i;
		line++;
		if (end > p && end[-1] == '\r')
			end--;
		for (i = 0; i < ps->n && !e; i++)
			if (ps->e[i].line == line)
				e = &ps->e[i];
		for (i = 0; e && i < n; i++)
			if (!strcmp(st[i].section, e->section) && !strcmp(st[i].key, e->key))
				break;
		if (e && i < n) {
			gen_line(&g, line, NULL, "; replaced by --set: %.*s", (int)(end - p), p);
			gen_line(&g, 0, st[i].origin, "%s = %s ; --set", st[i].key, st[i].value);
			st[i].done = 1;
		} else
			gen_line(&g, line, NULL, "%.*s", (int)(end - p), p);
		for (i = 0; i < ps->nsections; i++)
			if (ps->section_line[i] == line)
				gen_sets(&g, st, n, ps->sections[i]);
		p = nl ? nl + 1 : p + strlen(p);
	}
	for (size_t i = 0; i < n; i++)
		if (!st[i].done) { /* only [experiment] can be missing from the file */
			gen_line(&g, 0, st[i].origin, "[experiment]");
			gen_sets(&g, st, n, "experiment");
		}
	return gen_load(&g, path, ex);
}

int hvb_experiment_load_set(const char *path, char *const *sets, size_t nsets, struct hvb_experiment *ex)
{
	struct parse ps = { 0 };
	struct set *st = NULL;
	const char *name;
	char *text;
	int rc;

	memset(ex, 0, sizeof(*ex));
	if ((rc = read_config(path, &text, &name)) < 0)
		return rc;
	/* The file must be right on its own: its messages then name its own lines. */
	if ((rc = hvb_experiment_load_text(name, text, ex)) < 0 || !nsets)
		goto out;
	hvb_experiment_free(ex);
	if ((rc = parse_text(name, text, &ps)) < 0)
		goto out;
	if (!(st = calloc(nsets, sizeof(*st)))) {
		rc = HVB_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nsets && !rc; i++) {
		rc = set_parse(&st[i], sets[i], &ps, name);
		for (size_t k = 0; k < i && !rc; k++)
			if (!strcmp(st[k].section, st[i].section) && !strcmp(st[k].key, st[i].key)) {
				hvb_log(HVB_LOG_ERROR, "%s: [%s] %s is already set by %s", st[i].origin, st[i].section,
					st[i].key, st[k].origin);
				rc = HVB_EINVAL;
			}
	}
	if (!rc)
		rc = apply_sets(name, text, &ps, st, nsets, ex);
out:
	free(st);
	parse_free(&ps);
	free(text);
	return rc;
}
