/* Experiment files: errors name file, line and what was expected; comma lists
 * expand into the matrix. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "bench/bench.h"
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

int main(void)
{
	struct hvb_experiment ex;

	hvb_log_set_sink(sink, NULL);
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
	expect_error("[experiment]\nprobes = nosuchprobe\n[memlat]\n", "t.ini:2:", "no probe 'nosuchprobe'");
	expect_error("[experiment]\n[x]\nworkload = memlat\nsizes=4K\n[x]\n", "t.ini:5:", "appears twice");
	expect_error("[experiment]\nwarmup = 1\nwarmup = 2\n[memlat]\n", "t.ini:3:", "given twice (first at line 2)");
	expect_error("[experiment]\nrepetitions = 3\n", "t.ini", "no workload section");
	expect_error("repetitions = 3\n[memlat]\n", "t.ini:1:", "outside any section");
	expect_error("[experiment\nrepetitions = 3\n", "t.ini:1:", "syntax error");
	/* Only the matrix axes take lists. */
	expect_error("[experiment]\nwarmup = 1, 2\n[memlat]\n", "t.ini:2:", "warmup takes one value");
	expect_error("[experiment]\norder = sequential, interleaved\n[memlat]\n", "t.ini:2:", "order takes one value");
	/* order = interleaved: the cells take turns, which only guests that can live side by side allow. */
	CHECK(load("[experiment]\norder = interleaved\n[memlat]\n", &ex) == 0 && ex.interleave == 1);
	hvb_experiment_free(&ex);
	CHECK(load("[experiment]\n[memlat]\n", &ex) == 0 && ex.interleave == 0);
	hvb_experiment_free(&ex);
	expect_error("[experiment]\nbackends = native, xen:pv\norder = interleaved\n[memlat]\n", "t.ini:3:",
		     "order = interleaved keeps every cell's guest alive at once, which the xen backend cannot");
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
