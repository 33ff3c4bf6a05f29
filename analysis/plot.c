/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gnuplot plots as SVG, for the HTML report and `hvbench history --plot`.
 * gnuplot runs through posix_spawnp with an argv (never a shell): the script
 * is a temporary file, the SVG comes back on its standard output. Labels are
 * passed as single-quoted gnuplot strings (no escapes are processed inside
 * them) and gnuplot's SVG terminal escapes them as XML. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "analysis/analysis.h"

extern char **environ;

int hvb_plot_available(char *why, size_t len)
{
	const char *path = getenv("PATH");
	char buf[4096];

	for (const char *p = path ? path : "/usr/bin:/bin"; p && *p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof(buf), "%.*s/gnuplot", (int)n, n ? p : ".");
		if (access(buf, X_OK) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	snprintf(why, len, "gnuplot is not installed (Debian: gnuplot-nox)");
	return 0;
}

static int temp_file(char *path, size_t len, const char *what)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(path, len, "%s/hvbench-%s.XXXXXX", dir && *dir ? dir : "/tmp", what);
	if ((fd = mkstemp(path)) < 0)
		hvb_log(HVB_LOG_ERROR, "%s: cannot create a temporary file: %s", path, strerror(errno));
	return fd;
}

static char *slurp(int fd)
{
	struct stat st;
	char *buf;
	ssize_t got;
	size_t off = 0;

	if (fstat(fd, &st) < 0 || !(buf = malloc((size_t)st.st_size + 1)))
		return NULL;
	lseek(fd, 0, SEEK_SET);
	while (off < (size_t)st.st_size && (got = read(fd, buf + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)got;
	buf[off] = 0;
	return buf;
}

int hvb_plot_run(const char *script, char **svg)
{
	char sp[256], op[256], ep[256], *argv[] = { "gnuplot", sp, NULL }, *err;
	int sfd = -1, ofd = -1, efd = -1, rc = HVB_EIO, status;
	posix_spawn_file_actions_t fa;
	size_t len = strlen(script);
	pid_t pid;

	*svg = NULL;
	sp[0] = op[0] = ep[0] = 0;
	if ((sfd = temp_file(sp, sizeof(sp), "plot")) < 0 || (ofd = temp_file(op, sizeof(op), "svg")) < 0 ||
	    (efd = temp_file(ep, sizeof(ep), "err")) < 0)
		goto out;
	if (write(sfd, script, len) != (ssize_t)len) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot write the plot script: %s", sp, strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, ofd, 1);
	posix_spawn_file_actions_adddup2(&fa, efd, 2);
	int e = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e) {
		hvb_log(HVB_LOG_ERROR, "cannot run gnuplot: %s", strerror(e));
		rc = HVB_ECHILD;
		goto out;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		err = slurp(efd);
		hvb_log(HVB_LOG_ERROR, "gnuplot failed on %s: %s", sp, err ? err : "?");
		free(err);
		rc = HVB_ECHILD;
		goto out;
	}
	if (!(*svg = slurp(ofd)) || !strstr(*svg, "<svg")) {
		hvb_log(HVB_LOG_ERROR, "gnuplot wrote no SVG for %s", sp);
		free(*svg);
		*svg = NULL;
		rc = HVB_ECHILD;
		goto out;
	}
	rc = 0;
out:
	if (sfd >= 0)
		close(sfd);
	if (ofd >= 0)
		close(ofd);
	if (efd >= 0)
		close(efd);
	/* The script is kept when gnuplot failed, so that it can be read. */
	if (sp[0] && rc != HVB_ECHILD)
		unlink(sp);
	if (op[0])
		unlink(op);
	if (ep[0])
		unlink(ep);
	return rc;
}

void hvb_plot_quote(const char *s, char *buf, size_t len)
{
	if (len < 3)
		return;
	buf[0] = '\'';
	/* Cut at a whole character: a UTF-8 sequence cut short would make the SVG ill-formed. */
	hvb_esc_buf(s, HVB_ESC_GNUPLOT, buf + 1, len - 2);
	strcat(buf, "'");
}

/* ---- script building ---- */
struct script {
	char *s;
	size_t len, cap;
};

static void add(struct script *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct script *sc, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (sc->len + (size_t)n + 1 > sc->cap) {
		size_t cap = (sc->len + (size_t)n + 1) * 2;
		char *ns = realloc(sc->s, cap);
		if (!ns)
			return;
		sc->s = ns;
		sc->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(sc->s + sc->len, sc->cap - sc->len, fmt, ap);
	va_end(ap);
	sc->len += (size_t)n;
}

static void preamble(struct script *sc, const char *title, const char *ylabel, int w, int h)
{
	char q[700];

	add(sc, "set terminal svg size %d,%d fixed noenhanced font 'sans,10' background '#ffffff'\n", w, h);
	hvb_plot_quote(title, q, sizeof(q));
	add(sc, "set title %s\n", q);
	hvb_plot_quote(ylabel, q, sizeof(q));
	add(sc, "set ylabel %s\nset grid ytics\nset key off\nset border 3\nset tics nomirror\n", q);
}

static int finish(struct script *sc, char **svg)
{
	int rc;

	if (!sc->s)
		return HVB_ENOMEM;
	rc = hvb_plot_run(sc->s, svg);
	free(sc->s);
	return rc;
}

/* The cells of a group in plot order: the baseline, then each other. */
static const struct hvb_cell_data *group_cell(const struct hvb_cmp *cmps, size_t i, const char **label)
{
	*label = i ? cmps[i - 1].label_b : cmps[0].label_a;
	return i ? cmps[i - 1].b : cmps[0].a;
}

static void xtics(struct script *sc, const struct hvb_cmp *cmps, size_t n)
{
	char q[200];
	const char *label;

	add(sc, "set xtics (");
	for (size_t i = 0; i <= n; i++) {
		group_cell(cmps, i, &label);
		hvb_plot_quote(label, q, sizeof(q));
		add(sc, "%s%s %zu", i ? ", " : "", q, i);
	}
	add(sc, ")\nset xrange [-0.6:%zu.6]\n", n);
}

static const char *unit_of(const struct hvb_cmp *cmps, const char *metric)
{
	const struct hvb_series *s = hvb_cell_series(cmps[0].a, metric);
	return s ? s->unit : "";
}

int hvb_plot_bars(const struct hvb_cmp *cmps, size_t n, const char *metric, char **svg)
{
	struct script sc = { 0 };
	char title[400];
	const char *label;

	snprintf(title, sizeof(title), "%s: median and 95%% interval", metric);
	preamble(&sc, title, unit_of(cmps, metric), 560, 300);
	xtics(&sc, cmps, n);
	add(&sc, "set yrange [0:*]\nset boxwidth 0.6\nset style fill solid 0.6 border -1\n$d << EOD\n");
	for (size_t i = 0; i <= n; i++) {
		const struct hvb_series *s = hvb_cell_series(group_cell(cmps, i, &label), metric);
		struct hvb_ci ci;
		double med;
		if (!s || !s->n)
			continue;
		med = hvb_stats_median(s->v, s->n);
		if (hvb_boot_median_ci(s->v, s->n, 0.95, HVB_BOOT_RESAMPLES, 0x5eed, &ci) < 0)
			ci.lo = ci.hi = med;
		add(&sc, "%zu %.17g %.17g %.17g\n", i, med, ci.lo, ci.hi);
	}
	add(&sc, "EOD\nplot $d using 1:2 with boxes lc rgb '#4a7ab5', $d using 1:2:3:4 with yerrorbars lc rgb "
		 "'#000000' pt -1 lw 1.5\n");
	return finish(&sc, svg);
}

int hvb_plot_distribution(const struct hvb_cmp *cmps, size_t n, const char *metric, char **svg)
{
	struct script sc = { 0 };
	char title[400];
	const char *label;

	snprintf(title, sizeof(title), "%s: every sample, quartile box, median", metric);
	preamble(&sc, title, unit_of(cmps, metric), 560, 300);
	xtics(&sc, cmps, n);
	add(&sc, "set boxwidth 0.4\n$b << EOD\n");
	for (size_t i = 0; i <= n; i++) {
		const struct hvb_series *s = hvb_cell_series(group_cell(cmps, i, &label), metric);
		struct hvb_summary su;
		if (s && s->n && hvb_stats_summarize(s->v, s->n, &su) == 0)
			add(&sc, "%zu %.17g %.17g %.17g %.17g %.17g\n", i, su.q1, su.min, su.max, su.q3, su.median);
	}
	add(&sc, "EOD\n$p << EOD\n");
	for (size_t i = 0; i <= n; i++) {
		const struct hvb_series *s = hvb_cell_series(group_cell(cmps, i, &label), metric);
		/* A fixed spread across the box so that equal values stay visible. */
		for (size_t k = 0; s && k < s->n; k++)
			add(&sc, "%.4f %.17g\n", (double)i - 0.15 + 0.3 * (double)k / (double)(s->n > 1 ? s->n - 1 : 1),
			    s->v[k]);
	}
	add(&sc, "EOD\nplot $b using 1:2:3:4:5 with candlesticks whiskerbars lc rgb '#4a7ab5' fs solid 0.25, "
		 "$b using 1:6:6:6:6 with candlesticks lc rgb '#000000' lw 2, "
		 "$p using 1:2 with points pt 7 ps 0.5 lc rgb '#b5504a'\n");
	return finish(&sc, svg);
}

/* Distinct labels, in order of first appearance; returns the index of s. */
static size_t label_index(const char **labels, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(labels[i], s))
			return i;
	labels[*n] = s;
	return (*n)++;
}

/* The heat map's cells: those whose CPU and memory nodes are known. */
static const struct hvb_series *heat_cell(const struct hvb_cmp *cmps, size_t i, const char *metric,
					  const struct hvb_cell_data **c, const char **label)
{
	const struct hvb_series *s;

	*c = group_cell(cmps, i, label);
	s = hvb_cell_series(*c, metric);
	return s && s->n && (*c)->cpu_nodes[0] && (*c)->mem_nodes[0] ? s : NULL;
}

static void node_tics(struct script *sc, const char *axis, const char **labels, size_t n)
{
	char q[200];

	add(sc, "set %stics (", axis);
	for (size_t i = 0; i < n; i++) {
		hvb_plot_quote(labels[i], q, sizeof(q));
		add(sc, "%s%s %zu", i ? ", " : "", q, i);
	}
	add(sc, ")\nset %srange [-0.5:%zu.5]\n", axis, n ? n - 1 : 0);
}

int hvb_plot_heatmap(const struct hvb_cmp *cmps, size_t n, const char *metric, char **svg)
{
	struct script sc = { 0 };
	const char **xs = calloc(n + 1, sizeof(char *)), **ys = calloc(n + 1, sizeof(char *)), *label;
	const struct hvb_series *bs = hvb_cell_series(cmps[0].a, metric), *s;
	const struct hvb_cell_data *c;
	size_t nx = 0, ny = 0, *stack = calloc((n + 1) * (n + 1), sizeof(size_t));
	char title[400], q[200];
	double base;

	if (!xs || !ys || !stack || !bs || !bs->n) {
		free(xs);
		free(ys);
		free(stack);
		return HVB_EINVAL;
	}
	base = hvb_stats_median(bs->v, bs->n);
	for (size_t i = 0; i <= n; i++)
		if (heat_cell(cmps, i, metric, &c, &label)) {
			label_index(xs, &nx, c->cpu_nodes);
			label_index(ys, &ny, c->mem_nodes);
		}
	snprintf(title, sizeof(title), "%s: median relative to %s, by CPU node and memory node", metric,
		 cmps[0].label_a);
	preamble(&sc, title, "memory node(s)", 560, 340);
	add(&sc, "set xlabel 'CPU node(s)'\nset palette defined (0.8 '#2c7bb6', 1 '#ffffbf', 1.2 '#d7191c')\n"
		 "set cbrange [0.8:1.2]\nset style fill solid 1 border -1\n");
	node_tics(&sc, "x", xs, nx);
	node_tics(&sc, "y", ys, ny);
	add(&sc, "$h << EOD\n");
	for (size_t i = 0; i <= n; i++)
		if ((s = heat_cell(cmps, i, metric, &c, &label)))
			add(&sc, "%zu %zu %.17g\n", label_index(xs, &nx, c->cpu_nodes), label_index(ys, &ny, c->mem_nodes),
			    hvb_stats_median(s->v, s->n) / base);
	add(&sc, "EOD\n");
	/* Placements on the same nodes (none and interleave, say) share a square: their names stack. */
	for (size_t i = 0; i <= n; i++) {
		if (!(s = heat_cell(cmps, i, metric, &c, &label)))
			continue;
		size_t x = label_index(xs, &nx, c->cpu_nodes), y = label_index(ys, &ny, c->mem_nodes);
		size_t k = stack[x * (n + 1) + y]++;
		hvb_plot_quote(label, q, sizeof(q));
		add(&sc, "set label %zu sprintf('%%s %%.3f', %s, %.17g) at %zu,%.3f center front\n", i + 1, q,
		    hvb_stats_median(s->v, s->n) / base, x, (double)y + 0.3 - 0.15 * (double)k);
	}
	add(&sc, "plot $h using 1:2:(0.5):(0.5):3 with boxxyerror fc palette\n");
	free(xs);
	free(ys);
	free(stack);
	return finish(&sc, svg);
}

int hvb_plot_history(const struct hvb_history *h, char **svg)
{
	struct script sc = { 0 };
	char title[700], q[200];
	size_t step = h->n > 12 ? (h->n + 11) / 12 : 1;

	snprintf(title, sizeof(title), "%s of %s", h->metric, h->key);
	preamble(&sc, title, h->unit, 720, 320);
	add(&sc, "set xlabel 'run'\nset xtics rotate by -30 (");
	for (size_t i = 0; i < h->n; i += step) {
		char lab[160];
		snprintf(lab, sizeof(lab), "%lld%s%s", (long long)h->pt[i].run_id, h->pt[i].label[0] ? " " : "",
			 h->pt[i].label);
		hvb_plot_quote(lab, q, sizeof(q));
		add(&sc, "%s%s %zu", i ? ", " : "", q, i);
	}
	add(&sc, ")\n");
	for (size_t k = 0; k < h->ncp; k++)
		add(&sc, "set arrow from %.1f, graph 0 to %.1f, graph 1 nohead lc rgb '#d7191c' dt 2 lw 1.5\n",
		    (double)h->cps[k].index - 0.5, (double)h->cps[k].index - 0.5);
	add(&sc, "$d << EOD\n");
	for (size_t i = 0; i < h->n; i++)
		add(&sc, "%zu %.17g\n", i, h->pt[i].median);
	add(&sc, "EOD\nplot $d using 1:2 with linespoints pt 7 ps 0.6 lc rgb '#4a7ab5'\n");
	return finish(&sc, svg);
}
