/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Experiment files: errors name file, line and what was expected; comma lists
 * expand into the matrix. */
#include "config.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bench/bench.h"
#include "probes/probes.h"
#include "tests/check.h"

static char last[4096];
static void sink(enum hvb_log_level lvl, const char *msg, void *arg)
{
	if (lvl <= HVB_LOG_WARN)
		snprintf(last, sizeof(last), "%s", msg);
}

static int load(const char *text, struct hvb_experiment *ex)
{
	last[0] = 0;
	return hvb_experiment_load_text("t.ini", text, ex);
}

static void expect_error(const char *text, const char *where, const char *what)
{
	struct hvb_experiment ex;
	int rc = load(text, &ex);

	CHECK(rc == HVB_EINVAL);
	CHECK_STR_HAS(last, where);
	CHECK_STR_HAS(last, what);
	if (rc == 0)
		hvb_experiment_free(&ex);
}

struct num_case {
	const char *s;
	int ok;
	uint64_t v; /* an integer's two's complement */
};

/* kind: 'i' integer, 's' size, 't' time in ns. */
static void check_parses(char kind, const struct num_case *t, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		uint64_t v = 42;
		int64_t i = 42;
		int rc = kind == 'i' ? hvb_parse_int(t[k].s, &i) : kind == 's' ? hvb_parse_size(t[k].s, &v) :
								  hvb_parse_time_ns(t[k].s, &v);
		if (kind == 'i')
			v = (uint64_t)i;
		if ((rc == 0) != t[k].ok || (t[k].ok && v != t[k].v)) {
			fprintf(stderr, "%c '%s': rc %d, %llu\n", kind, t[k].s, rc, (unsigned long long)v);
			check_failures++;
		}
	}
}

/* The one number syntax: exact integers, fractions of sizes and times scaled
 * in integers (no floating point), overflow refused. */
static void numbers(void)
{
	static const struct num_case ints[] = {
		{ "0", 1, 0 }, { "10", 1, 10 }, { "-3", 1, (uint64_t)-3 }, { "1024", 1, 1024 },
		{ "9223372036854775807", 1, INT64_MAX }, { "-9223372036854775808", 1, (uint64_t)INT64_MIN },
		{ "9223372036854775808", 0, 0 }, { "-9223372036854775809", 0, 0 }, { "99999999999999999999", 0, 0 },
		{ "010", 0, 0 }, { "02000", 0, 0 }, { "00", 0, 0 }, { "-07", 0, 0 }, { "0x3", 0, 0 }, { "3.5", 0, 0 },
		{ "1e3", 0, 0 }, { "+3", 0, 0 }, { " 3", 0, 0 }, { "3 ", 0, 0 }, { "-", 0, 0 }, { "", 0, 0 },
		{ "３", 0, 0 },
	};
	static const struct num_case sizes[] = {
		{ "16K", 1, 16384 }, { "16k", 1, 16384 }, { "16KiB", 1, 16384 }, { "16kib", 1, 16384 },
		{ "16KB", 1, 16384 }, { "16Ki", 1, 16384 }, { "16", 1, 16 }, { "16B", 1, 16 }, { "16b", 1, 16 },
		{ "1M", 1, 1 << 20 }, { "2MiB", 1, 2 << 20 }, { "1G", 1, 1ULL << 30 }, { "1T", 1, 1ULL << 40 },
		{ "1TiB", 1, 1ULL << 40 }, { "0", 1, 0 }, { "1.5G", 1, 1610612736 }, { "0.5K", 1, 512 },
		{ ".5K", 1, 512 }, { "5.K", 1, 5120 }, { "0.3K", 1, 307 }, /* 307.2 */
		{ "0.00048828125K", 1, 1 }, /* exactly 0.5 byte: half up */
		{ "0.00048828124K", 1, 0 }, { "1.5", 1, 2 }, { "1.4999999999999999999999999999", 1, 1 },
		{ "4.000000000000000000000000000000000000001K", 1, 4096 },
		{ "18446744073709551615", 1, UINT64_MAX }, { "18446744073709551614.5", 1, UINT64_MAX },
		{ "16777215.999999999999T", 1, UINT64_MAX }, /* 2^64 - 1.0995: rounds to the last value */
		{ "18446744073709551616", 0, 0 }, { "18446744073709551615.5", 0, 0 }, { "16777216T", 0, 0 },
		{ "17179869184G", 0, 0 }, { "1e30G", 0, 0 }, { "16Q", 0, 0 }, { "16KiBx", 0, 0 }, { "K", 0, 0 },
		{ "", 0, 0 }, { ".", 0, 0 }, { ".K", 0, 0 }, { "1..5K", 0, 0 }, { "1.5.K", 0, 0 }, { "-1K", 0, 0 },
		{ "+1K", 0, 0 }, { "0x10K", 0, 0 }, { "016K", 0, 0 }, { "16 K", 0, 0 }, { " 16K", 0, 0 },
		{ "16iB", 0, 0 }, { "16KBi", 0, 0 }, { "16KK", 0, 0 }, { "nan", 0, 0 }, { "inf", 0, 0 },
	};
	static const struct num_case times[] = {
		{ "1s", 1, 1000000000 }, { "1", 1, 1000000000 }, { "500ms", 1, 500000000 }, { "1.5s", 1, 1500000000 },
		{ "0.5s", 1, 500000000 }, { ".25s", 1, 250000000 }, { "100us", 1, 100000 }, { "1ns", 1, 1 },
		{ "0.5ns", 1, 1 }, { "0.4ns", 1, 0 }, { "0.0015ms", 1, 1500 }, { "1m", 1, 60000000000 },
		{ "1min", 1, 60000000000 }, { "1.25h", 1, 4500000000000 }, { "86400s", 1, 86400000000000 },
		{ "5124095h", 1, 18446742000000000000ULL }, { "18446744073.709551615", 1, UINT64_MAX },
		{ "5124096h", 0, 0 }, { "18446744073.7095516155", 0, 0 }, { "1 s", 0, 0 }, { "1sec", 0, 0 },
		{ "100msec", 0, 0 }, { "1S", 0, 0 }, { "nan", 0, 0 }, { "-1s", 0, 0 }, { "1e3ms", 0, 0 },
		{ "01s", 0, 0 }, { "s", 0, 0 }, { "", 0, 0 }, { "0x1s", 0, 0 },
	};
	double d;

	check_parses('i', ints, sizeof(ints) / sizeof(ints[0]));
	check_parses('s', sizes, sizeof(sizes) / sizeof(sizes[0]));
	check_parses('t', times, sizeof(times) / sizeof(times[0]));
	CHECK(hvb_parse_time("100ms", &d) == 0 && d == 0.1);
	CHECK(hvb_parse_time("2h", &d) == 0 && d == 7200);
	CHECK(hvb_parse_time("nan", &d) == HVB_EINVAL);
}

/* What a person sees in the file is what is read, or the line is named with the reason. */
static void file_syntax(void)
{
	struct hvb_experiment ex;
	char text[4096], pad[512];

	/* A comment of any length is a comment, whatever its tail looks like. */
	memset(pad, 'c', 300);
	pad[300] = 0;
	snprintf(text, sizeof(text), "[experiment]\n; %s repetitions = 7\n[memlat]\n", pad);
	CHECK(load(text, &ex) == 0 && ex.repetitions == 5);
	hvb_experiment_free(&ex);
	/* Other lines: up to 198 characters (inih's buffer), else an error naming the line. */
	memset(pad, 'n', 191);
	pad[191] = 0;
	snprintf(text, sizeof(text), "[experiment]\nname = %s\n[memlat]\n", pad); /* 198 */
	expect_error(text, "t.ini:2:", "name is 191 characters long: at most 127");
	pad[192 - 1] = 'n', pad[192] = 0;
	snprintf(text, sizeof(text), "[experiment]\nname = %s\n[memlat]\n", pad); /* 199 */
	expect_error(text, "t.ini:2:", "this line is 199 characters long");
	pad[120] = 0;
	snprintf(text, sizeof(text), "[experiment]\nname = %s\n[memlat]\n", pad);
	CHECK(load(text, &ex) == 0 && strlen(ex.name) == 120);
	hvb_experiment_free(&ex);
	/* A byte-order mark at the start is nothing; anywhere else it is named. */
	CHECK(load("\xef\xbb\xbf[experiment]\nrepetitions = 3\n[memlat]\n", &ex) == 0 && ex.repetitions == 3);
	hvb_experiment_free(&ex);
	expect_error("[experiment]\n\xef\xbb\xbfrepetitions = 3\n[memlat]\n", "t.ini:2:", "U+FEFF");
	/* Indentation is not a continuation: an indented key is a key, an indented word an error. */
	CHECK(load("[experiment]\nname = x\n  repetitions = 3\n\t warmup = 0\n[memlat]\n", &ex) == 0 &&
	      ex.repetitions == 3 && ex.warmup == 0 && !strcmp(ex.name, "x"));
	hvb_experiment_free(&ex);
	expect_error("[experiment]\n[memlat]\nsizes = 16K,\n   64K\n", "t.ini:4:", "does not continue the one above");
	/* Section headers: spaces inside and a comment after are fine; anything else is named. */
	CHECK(load("[ experiment ] ; the settings\nrepetitions = 3\n[\tmemlat\t]# two\n", &ex) == 0 &&
	      ex.repetitions == 3 && ex.ncells == 1);
	hvb_experiment_free(&ex);
	expect_error("[experiment]x\n[memlat]\n", "t.ini:1:", "text after ']': 'x'");
	expect_error("[experiment] repetitions = 3\n[memlat]\n", "t.ini:1:", "text after ']'");
	expect_error("[experiment]]\n[memlat]\n", "t.ini:1:", "text after ']'");
	expect_error("[]\n[memlat]\n", "t.ini:1:", "a section needs a name");
	expect_error("[experiment]\n[mem lat]\n", "t.ini:2:", "a name has only letters");
	expect_error("[experiment]\n[[memlat]]\n", "t.ini:2:", "text after ']'");
	expect_error("[experiment]\n[mem[lat]\n", "t.ini:2:", "a name has only letters");
	/* inih keeps 49 characters of a section name: longer ones are refused, not cut. */
	memset(pad, 's', 64);
	pad[64] = 0;
	snprintf(text, sizeof(text), "[experiment]\n[%s]\nworkload = memlat\n", pad);
	expect_error(text, "t.ini:2:", "is 64 characters long: at most 49");
	pad[50] = 0;
	snprintf(text, sizeof(text), "[experiment]\n[%s]\nworkload = memlat\n", pad);
	expect_error(text, "t.ini:2:", "is 50 characters long: at most 49");
	pad[49] = 0;
	snprintf(text, sizeof(text), "[experiment]\n[%s]\nworkload = memlat\n", pad);
	CHECK(load(text, &ex) == 0 && ex.ncells == 1 && !strcmp(ex.cells[0].section, pad));
	hvb_experiment_free(&ex);
	expect_error("[experiment]\n[memlat]\n[experiment]\n", "t.ini:3:", "section [experiment] appears twice (first at line 1)");
	/* Keys: spaces and tabs around them go; what is left is letters, digits, _ . - */
	CHECK(load("[experiment]\nrepetitions \t = \t3 \t\nwarmup:0\n[memlat]\n", &ex) == 0 && ex.repetitions == 3 &&
	      ex.warmup == 0);
	hvb_experiment_free(&ex);
	expect_error("[experiment]\n= 3\n[memlat]\n", "t.ini:2:", "a key is missing");
	expect_error("[experiment]\nrepet\xd1\x96tions = 3\n[memlat]\n", "t.ini:2:", "a key has only letters");
	expect_error("[experiment]\nrepetitions \xef\xbc\x9d 3\n[memlat]\n", "t.ini:2:", "syntax error");
	/* Comments after values: ' ;' starts one, '#' inside a value does not. */
	CHECK(load("[experiment]\nrepetitions = 3 ; three\nname = run #3;x\n[memlat]\n", &ex) == 0 &&
	      ex.repetitions == 3 && !strcmp(ex.name, "run #3;x"));
	hvb_experiment_free(&ex);
	/* Empty values, and empty items of lists: never dropped in silence. */
	expect_error("[experiment]\nvcpus = 1,,2\n[memlat]\n", "t.ini:2:", "vcpus: value 2 of the list is empty");
	expect_error("[experiment]\nvcpus = 1, 2,\n[memlat]\n", "t.ini:2:", "value 3 of the list is empty");
	expect_error("[experiment]\n[memlat]\nsizes = , 16K\n", "t.ini:3:", "sizes: value 1 of the list is empty");
	expect_error("[experiment]\nprobes = steal,\n[memlat]\n", "t.ini:2:", "probes: value 2 of the list is empty");
	expect_error("[experiment]\nvcpus =\n[memlat]\n", "t.ini:2:", "vcpus has no value");
	CHECK(load("[experiment]\nname =\n[memlat]\n", &ex) == 0 && !strcmp(ex.name, "t"));
	hvb_experiment_free(&ex);
	/* Line endings: LF and CRLF alike; a CR alone, control characters and non-UTF-8 are named. */
	CHECK(load("[experiment]\r\nrepetitions = 3\r\n[memlat]\r\nsizes = 16K\r\n", &ex) == 0 && ex.repetitions == 3 &&
	      !strcmp(hvb_param_str(&ex.cells[0].params, "sizes"), "16K"));
	hvb_experiment_free(&ex);
	CHECK(load("[memlat]\n[experiment]\nrepetitions = 3", &ex) == 0 && ex.repetitions == 3); /* no final newline */
	hvb_experiment_free(&ex);
	expect_error("[experiment]\rrepetitions = 3\r[memlat]\r", "t.ini:1:", "column 13: a carriage return");
	expect_error("[experiment]\nname = a\x1b[31mb\n[memlat]\n", "t.ini:2:", "control character 0x1b");
	expect_error("[experiment]\nname = a\fb\n[memlat]\n", "t.ini:2:", "control character 0x0c");
	expect_error("[experiment]\n; caf\xe9\n[memlat]\n", "t.ini:2:", "byte 0xe9 is not UTF-8");
	expect_error("[experiment]\nname = \xc0\xaf\n[memlat]\n", "t.ini:2:", "not UTF-8"); /* overlong '/' */
	expect_error("[experiment]\nvcpus = 1,\xc2\xa0" "2\n[memlat]\n", "t.ini:2:", "column 11: an invisible");
	expect_error("[experiment]\nname = a\xe2\x80\x8b" "b\n[memlat]\n", "t.ini:2:", "U+200B");
	CHECK(load("[experiment]\n; caf\xc3\xa9 \xe2\x80\x8b\nname = caf\xc3\xa9\n[memlat]\n", &ex) == 0 &&
	      !strcmp(ex.name, "caf\xc3\xa9"));
	hvb_experiment_free(&ex);
}

/* One integer parser from validation to expansion; a list names each value once. */
/* One value, one spelling: 16k, 16KiB and 16384 are the cell of 16K (a 16k run and
 * a 16K run compare); KB (1000 to SI) and ON, AUTO are refused with the spelling to use. */
static void spellings(void)
{
	static const char *const same[] = { "16k", "16K", "16KiB", "16kib", "16384", "0.015625M" };
	char key0[sizeof(((struct hvb_cell *)0)->key)] = "";
	struct hvb_experiment ex;
	char text[256];

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		snprintf(text, sizeof(text), "[experiment]\n[memlat]\nsizes = %s, 1m\n", same[i]);
		int ok = load(text, &ex) == 0 && ex.ncells == 1;
		CHECK(ok);
		if (!ok)
			continue;
		CHECK(!strcmp(hvb_param_str(&ex.cells[0].params, "sizes"), "16K,1M"));
		CHECK(strstr(ex.cells[0].key, " sizes=16K,1M ") != NULL);
		if (!key0[0])
			snprintf(key0, sizeof(key0), "%s", ex.cells[0].key);
		CHECK(!strcmp(ex.cells[0].key, key0));
		hvb_experiment_free(&ex);
	}
	/* a matrix of sizes: each value in its one spelling */
	CHECK(load("[experiment]\n[syscall]\nlarge = 64k, 1MiB\n", &ex) == 0 && ex.ncells == 2);
	if (ex.ncells == 2) {
		CHECK(!strcmp(hvb_param_str(&ex.cells[0].params, "large"), "64K"));
		CHECK(!strcmp(hvb_param_str(&ex.cells[1].params, "large"), "1M"));
	}
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\n[membw]\nsize = auto\n", &ex) == 0);
	hvb_experiment_free(&ex);
	static const char *const refused[][2] = {
		{ "[memlat]\nsizes = 16KB", "'16KB' is ambiguous for sizes" },
		{ "[memlat]\nsizes = 16kb", "write 16K (binary, 1024)" },
		{ "[memlat]\nhugepages = ON", "(did you mean 'on'?)" },
		{ "[membw]\nsize = AUTO", "(did you mean 'auto'?)" },
		{ "[memlat]\nsizes = Auto", "(did you mean 'auto'?)" },
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		snprintf(text, sizeof(text), "[experiment]\n%s\n", refused[i][0]);
		expect_error(text, "t.ini:3:", refused[i][1]);
	}
}

static void values(void)
{
	struct hvb_experiment ex;

	expect_error("[experiment]\nvcpus = 010\n[memlat]\n", "t.ini:2:", "without 0x or leading zeros");
	expect_error("[experiment]\nvcpus = 02000\n[memlat]\n", "t.ini:2:", "'02000' is not valid for vcpus");
	expect_error("[experiment]\nvcpus = 0x10\n[memlat]\n", "t.ini:2:", "'0x10' is not valid");
	expect_error("[experiment]\nvcpus = 1025\n[memlat]\n", "t.ini:2:", "an integer in [1, 1024]");
	CHECK(load("[experiment]\nvcpus = 1, 1000\n[memlat]\n", &ex) == 0 && ex.ncells == 2);
	if (ex.ncells == 2)
		CHECK(ex.cells[0].vcpus == 1 && ex.cells[1].vcpus == 1000);
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\nvcpus = 2, 1000\nplacement = split\n[memlat]\n", &ex) == 0 && ex.ncells == 2);
	if (ex.ncells == 2)
		CHECK(ex.cells[0].vcpus == 2 && ex.cells[1].vcpus == 1000);
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\nbackends = xen:pv\nmemory = 1.5G\nseed = 9200000000000000000\n[memlat]\n", &ex) == 0 &&
	      ex.cells[0].memory == 1610612736 && ex.seed == 9200000000000000000ULL);
	hvb_experiment_free(&ex);
	expect_error("[experiment]\nvcpus = 2, 2\n[memlat]\n", "t.ini:2:", "vcpus: '2' is given twice");
	expect_error("[experiment]\nbackends = xen:pv\nmemory = 1G, 1024M\n[memlat]\n", "t.ini:3:",
		     "'1024M' is given twice (first as '1G')");
	expect_error("[experiment]\npv_drivers = on, on\nbackends = xen:hvm\n[memlat]\n", "t.ini:2:", "given twice");
	/* yes is not a second spelling of on: one spelling, one cell key */
	expect_error("[experiment]\npv_drivers = on, yes\nbackends = xen:hvm\n[memlat]\n", "t.ini:2:",
		     "'yes' is not valid for pv_drivers: expected on or off (did you mean 'on'?)");
	expect_error("[experiment]\nprobes = steal, steal\n[memlat]\n", "t.ini:2:", "probes: 'steal' is given twice");
	expect_error("[experiment]\n[memlat]\nsizes = 16K, 16KiB\n", "t.ini:3:", "'16KiB' is given twice");
	expect_error("[experiment]\n[syscall]\nsmall = 64, 64B\n", "t.ini:3:", "given twice");
	/* ... but a pair whose positions mean something may repeat: both ends of a ping-pong on CPU 0. */
	CHECK(load("[experiment]\n[wakeup]\ncpus = 0, 0\n", &ex) == 0);
	hvb_experiment_free(&ex);
	/* A cell's key is never cut (it matches cells across runs): values spelt at length
	 * that fit their lines can still overflow it (sizes do not: written as 4K). */
	{
		char text[2048], sec[64], zeros[200];
		memset(sec, 's', 49);
		sec[49] = 0;
		memset(zeros, '0', 183);
		zeros[183] = 0;
		snprintf(text, sizeof(text),
			 "[experiment]\nantagonists = 1\n[%s]\nworkload = fio\nruntime = 1.%s\ndirectory = /%s\n", sec,
			 zeros, zeros);
		expect_error(text, "t.ini:3:", "the cell's key");
		snprintf(text, sizeof(text), "[experiment]\n[%s]\nworkload = memlat\nsizes = 4096.%s\n", sec, zeros);
		CHECK(load(text, &ex) == 0);
		hvb_experiment_free(&ex);
	}
}

/* Every table's defaults are valid under the one syntax. */
static void defaults(void)
{
	char err[512];
	const struct hvb_option *tables[64];
	size_t n = 0;

	tables[n++] = hvb_experiment_options;
	for (size_t i = 0; hvb_workloads[i] && n < 64; i++)
		tables[n++] = hvb_workloads[i]->options;
	for (size_t i = 0; hvb_probes[i] && n < 64; i++)
		tables[n++] = hvb_probes[i]->options;
	for (size_t t = 0; t < n; t++)
		for (const struct hvb_option *o = tables[t]; o && o->name; o++)
			if (o->def && *o->def && hvb_option_check_value(o, o->def, err, sizeof(err)) < 0) {
				fprintf(stderr, "default of %s: %s\n", o->name, err);
				check_failures++;
			}
}

int main(void)
{
	struct hvb_experiment ex;

	hvb_log_set_sink(sink, NULL);
	numbers();
	defaults();
	file_syntax();
	values();
	spellings();
	/* Unknown keys, with the line and a suggestion. */
	expect_error("[experiment]\nrepetitons = 3\n[memlat]\n", "t.ini:2:", "did you mean 'repetitions'");
	expect_error("[experiment]\n\n[memlat]\nsizez = 4K\n", "t.ini:4:", "did you mean 'sizes'");
	/* Bad values say what was expected. */
	expect_error("[experiment]\nvcpus = two\n[memlat]\n", "t.ini:2:", "an integer in [1, 1024]");
	expect_error("[experiment]\nplacement = locale\n[memlat]\n", "t.ini:2:", "did you mean 'local'");
	expect_error("[experiment]\nbackends = native, xen:pvhh\n[memlat]\n", "t.ini:2:", "one of native, xen:pv");
	expect_error("[experiment]\n[memlat]\nsizes = 16K, lots\n", "t.ini:3:", "a size such as");
	expect_error("[experiment]\nduration = 5 s\n[memlat]\n", "t.ini:2:", "a time such as");
	/* Unknown sections, workloads and probes. */
	expect_error("[experiment]\n[memlt]\n", "t.ini:2:", "did you mean 'memlat'");
	/* pv_drivers = off makes a xen:hvm cell xen:hvm-emu; other backends get one cell. */
	CHECK(load("[experiment]\nbackends = xen:pv, xen:hvm\npv_drivers = on, off\n[syscall]\n", &ex) == 0);
	CHECK(ex.ncells == 3);
	if (ex.ncells == 3)
		CHECK(!strcmp(ex.cells[1].mode, "hvm") && !strcmp(ex.cells[2].mode, "hvm-emu"));
	hvb_experiment_free(&ex);
	expect_error("[experiment]\npv_drivers = of\n[syscall]\n", "t.ini:2:", "expected on or off");
	/* hap = off makes a Xen cell's mode MODE-shadow (PV's too, a skip at run time); native has one cell. */
	CHECK(load("[experiment]\nbackends = native, xen:pv, xen:pvh, xen:hvm\npv_drivers = on, off\nhap = on, off\n"
		   "[syscall]\n", &ex) == 0);
	CHECK(ex.ncells == 9);
	if (ex.ncells == 9) {
		const char *want[] = { "native", "pv", "pv-shadow", "pvh", "pvh-shadow", "hvm", "hvm-emu", "hvm-shadow",
				       "hvm-emu-shadow" };
		for (size_t i = 0; i < 9; i++)
			CHECK(!strcmp(ex.cells[i].mode, want[i]));
		CHECK_STR_HAS(ex.cells[8].key, "xen:hvm-emu-shadow placement=");
	}
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\nbackends = xen:hvm\nhap = off\n[syscall]\n", &ex) == 0);
	CHECK(ex.ncells == 1 && !strcmp(ex.cells[0].mode, "hvm-shadow"));
	hvb_experiment_free(&ex);
	expect_error("[experiment]\nhap = of\n[syscall]\n", "t.ini:2:", "expected on or off");
	/* A workload section narrows the axes for its own cells, checked like the [experiment]'s. */
	expect_error("[experiment]\n[memlat]\nplacemnt = local\n", "t.ini:3:", "did you mean 'placement'");
	expect_error("[experiment]\n[memlat]\nplacement = far\n", "t.ini:3:", "expected one of none, auto");
	expect_error("[experiment]\n[memlat]\nplacement = split\n", "t.ini:3:", "needs vcpus >= 2");
	expect_error("[experiment]\n[memlat]\nvcpus = 2\nvcpus = 3\n", "t.ini:4:", "given twice");
	CHECK(load("[experiment]\nplacement = none, local\nbackends = native\n[memlat]\nsizes = 16K\n"
		   "[syscall]\nplacement = none\ncalls = getppid\n", &ex) == 0);
	CHECK(ex.ncells == 3);
	if (ex.ncells == 3) {
		/* backend, placement, vcpus, memory, then section: syscall joins the 'none' cells */
		CHECK(!strcmp(ex.cells[1].placement, "none") && !strcmp(ex.cells[1].wl->name, "syscall"));
		CHECK(!strcmp(ex.cells[2].placement, "local") && !strcmp(ex.cells[2].wl->name, "memlat"));
	}
	hvb_experiment_free(&ex);
	/* ... and the five mode axes too: pvspin on and off, an antagonist and two guests for one
	 * section alone, the other keeping the [experiment]'s (one cell each, in order). */
	CHECK(load("[experiment]\nbackends = xen:pv, xen:pvh\n[memlat]\nsizes = 16K\n"
		   "[futexhash]\nbackends = xen:pv\npvspin = on, off\nantagonists = 1\n"
		   "[syscall]\nbackends = native, xen:hvm\nhap = off\npv_drivers = off\nguests = 2\ncalls = getppid\n",
		   &ex) == 0);
	CHECK(ex.ncells == 6);
	if (ex.ncells == 6) {
		const struct hvb_cell *c = ex.cells;
		CHECK(!strcmp(c[0].mode, "pv") && !strcmp(c[0].wl->name, "memlat") && c[0].pvspin == 1 &&
		      c[0].antagonists == 0 && c[0].guests == 1);
		CHECK(!strcmp(c[1].mode, "pv") && !strcmp(c[1].wl->name, "futexhash") && c[1].pvspin == 1 &&
		      c[1].antagonists == 1);
		CHECK(!strcmp(c[2].mode, "pv") && !strcmp(c[2].wl->name, "futexhash") && c[2].pvspin == 0 &&
		      c[2].antagonists == 1);
		CHECK(!strcmp(c[3].mode, "pvh") && !strcmp(c[3].wl->name, "memlat") && c[3].pvspin == 1);
		/* backends in the order the sections name them: native after xen:pvh */
		CHECK(!strcmp(c[4].backend, "native") && !strcmp(c[4].wl->name, "syscall") && c[4].guests == 2);
		CHECK(!strcmp(c[5].mode, "hvm-emu-shadow") && !strcmp(c[5].wl->name, "syscall") && c[5].guests == 2);
	}
	hvb_experiment_free(&ex);
	/* vnuma: both values for a guest's split placement only; one cell (-1) elsewhere and natively. */
	CHECK(load("[experiment]\nbackends = native, xen:hvm\nplacement = local, split\nvcpus = 2\nvnuma = on, off\n"
		   "[memlat]\nsizes = 16K\n", &ex) == 0);
	CHECK(ex.ncells == 5);
	if (ex.ncells == 5) {
		const struct hvb_cell *c = ex.cells;
		CHECK(!strcmp(c[0].backend, "native") && !strcmp(c[0].placement, "local") && c[0].vnuma == -1);
		CHECK(!strcmp(c[1].backend, "native") && !strcmp(c[1].placement, "split") && c[1].vnuma == -1);
		CHECK(!strcmp(c[2].mode, "hvm") && !strcmp(c[2].placement, "local") && c[2].vnuma == -1);
		CHECK(!strcmp(c[3].placement, "split") && c[3].vnuma == 1 && !strstr(c[3].key, "vnuma"));
		CHECK(!strcmp(c[4].placement, "split") && c[4].vnuma == 0 && strstr(c[4].key, " vnuma=off"));
		char *pj = hvb_cell_params_json(&c[4]);
		CHECK(pj && strstr(pj, "\"vnuma\":\"off\""));
		free(pj);
		pj = hvb_cell_params_json(&c[3]);
		CHECK(pj && !strstr(pj, "vnuma"));
		free(pj);
	}
	hvb_experiment_free(&ex);
	/* ... and narrowed by a section like the others */
	CHECK(load("[experiment]\nbackends = xen:pv\nplacement = split\nvcpus = 2\n[memlat]\nsizes = 16K\n"
		   "[memlat-hidden]\nworkload = memlat\nvnuma = off\nsizes = 16K\n", &ex) == 0);
	CHECK(ex.ncells == 2 && ex.cells[0].vnuma == 1 && ex.cells[1].vnuma == 0);
	hvb_experiment_free(&ex);
	expect_error("[experiment]\nvnuma = hidden\n[memlat]\n", "t.ini:2:", "expected on or off");
	expect_error("[experiment]\n[futexhash]\npvspin = maybe\n", "t.ini:3:", "expected on or off");
	expect_error("[experiment]\n[futexhash]\nguests = 1, 1\n", "t.ini:3:", "the same cells twice");
	expect_error("[experiment]\nprobes = nosuchprobe\n[memlat]\n", "t.ini:2:", "no probe 'nosuchprobe'");
	expect_error("[experiment]\n[x]\nworkload = memlat\nsizes=4K\n[x]\n", "t.ini:5:", "appears twice");
	expect_error("[experiment]\nwarmup = 1\nwarmup = 2\n[memlat]\n", "t.ini:3:", "given twice (first at line 2)");
	expect_error("[experiment]\nrepetitions = 3\n", "t.ini", "no workload section");
	expect_error("repetitions = 3\n[memlat]\n", "t.ini:1:", "outside any section");
	expect_error("[experiment\nrepetitions = 3\n", "t.ini:1:", "needs its closing ']'");
	/* Only the matrix axes take lists. */
	expect_error("[experiment]\nwarmup = 1, 2\n[memlat]\n", "t.ini:2:", "warmup takes one value");
	expect_error("[experiment]\norder = sequential, interleaved\n[memlat]\n", "t.ini:2:", "order takes one value");
	/* order = interleaved: the cells take turns, their guests alive together (Xen's too: the
	 * plan checks their memory, tests/unit-turns.c). */
	CHECK(load("[experiment]\norder = interleaved\n[memlat]\n", &ex) == 0 && ex.interleave == 1);
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\n[memlat]\n", &ex) == 0 && ex.interleave == 0);
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\nbackends = native, xen:pv\norder = interleaved\n[memlat]\n", &ex) == 0 &&
	      ex.interleave == 1 && ex.ncells == 2);
	hvb_experiment_free(&ex);
	/* Impossible combinations. */
	expect_error("[experiment]\nduration = 10s\ntimeout = 5s\n[memlat]\n", "t.ini:3:", "must be longer");
	expect_error("[experiment]\nplacement = local, split\nvcpus = 1, 2\n[memlat]\n", "t.ini:2:",
		     "split spans two nodes");
	expect_error("[experiment]\nrepetitions = auto\nmin_repetitions = 9\nmax_repetitions = 4\n[memlat]\n", "t.ini",
		     "min_repetitions (9) is above");

	/* Expansion: 2 backends x 3 placements x 2 vcpus x (native: 1 memory, xen: 2) x 2 sections x hugepages 2. */
	CHECK(load("[experiment]\nbackends = native, xen:pv\nplacement = none, local, remote\nvcpus = 1, 2\n"
		   "memory = 512M, 1G\nrepetitions = 3\n[memlat]\nsizes = 4K, 64K\nhugepages = on, off\n"
		   "[big]\nworkload = memlat\nsizes = 1M\n",
		   &ex) == 0);
	CHECK(ex.repetitions == 3);
	/* native: 3 placements x 2 vcpus x (2 + 1 sections' cells) = 18; xen: x 2 memories = 36 */
	CHECK(ex.ncells == 18 + 36);
	if (ex.ncells == 54) {
		CHECK(!strcmp(ex.cells[0].backend, "native") && !strcmp(ex.cells[0].mode, "native"));
		CHECK(ex.cells[0].memory == 0);
		CHECK(!strcmp(hvb_param_str(&ex.cells[0].params, "sizes"), "4K,64K"));
		CHECK(!strcmp(hvb_param_str(&ex.cells[0].params, "hugepages"), "on"));
		CHECK(!strcmp(hvb_param_str(&ex.cells[1].params, "hugepages"), "off"));
		CHECK(!strcmp(ex.cells[2].section, "big"));
		CHECK(!strcmp(ex.cells[53].backend, "xen") && !strcmp(ex.cells[53].mode, "pv"));
		CHECK(ex.cells[53].memory == 1ULL << 30);
		CHECK_STR_HAS(ex.cells[53].key, "xen:pv placement=remote vcpus=2 memory=1G big");
		/* Every key is distinct: keys match cells across runs. */
		for (size_t i = 0; i < ex.ncells; i++)
			for (size_t j = i + 1; j < ex.ncells; j++)
				CHECK(strcmp(ex.cells[i].key, ex.cells[j].key) != 0);
		/* Sample seeds are reproducible and differ by repetition. */
		CHECK(hvb_sample_seed(1, ex.cells[0].key, 0) == hvb_sample_seed(1, ex.cells[0].key, 0));
		CHECK(hvb_sample_seed(1, ex.cells[0].key, 0) != hvb_sample_seed(1, ex.cells[0].key, 1));
	}
	CHECK(!strcmp(ex.name, "t"));
	hvb_experiment_free(&ex);

	/* Defaults, auto repetitions, an empty workload section. */
	CHECK(load("[experiment]\nrepetitions = auto\nname = x\n[memlat]\n", &ex) == 0);
	CHECK(ex.repetitions == 0 && ex.min_repetitions == 5 && ex.max_repetitions == 30);
	CHECK(ex.ncells == 1 && !strcmp(ex.name, "x"));
	CHECK(hvb_experiment_estimate(&ex) > 0);
	hvb_experiment_free(&ex);

	/* A real file from configs/ loads. */
	{
		char path[4096];
		snprintf(path, sizeof(path), "%s/configs/quickstart.ini", getenv("top_srcdir") ? getenv("top_srcdir") : ".");
		CHECK(hvb_experiment_load(path, &ex) == 0);
		CHECK(ex.ncells >= 2);
		hvb_experiment_free(&ex);
		CHECK(hvb_experiment_load("/nonexistent/x.ini", &ex) == HVB_ENOENT);
	}
	return CHECK_DONE();
}
