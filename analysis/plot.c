/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running gnuplot, the helpers every plot shares, the history plot, and the
 * ids of SVGs made unique for embedding. gnuplot runs through posix_spawnp
 * with an argv (never a shell): the script is a temporary file, the SVG (or
 * PNG) comes back on its standard output. Labels are passed as single-quoted
 * gnuplot strings (no escapes are processed inside them) and gnuplot's SVG
 * terminal escapes them as XML. */
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
#include "analysis/plot-internal.h"

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

static char *slurp(int fd, size_t *len)
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
	if (len)
		*len = off;
	return buf;
}

static const char png_sig[] = "\x89PNG\r\n\x1a\n";

int hvb_plot_run(const char *script, char **out, size_t *out_len)
{
	char sp[256], op[256], ep[256], *argv[] = { "gnuplot", sp, NULL }, *err;
	int sfd = -1, ofd = -1, efd = -1, rc = HVB_EIO, status;
	posix_spawn_file_actions_t fa;
	size_t len = strlen(script);
	pid_t pid;

	*out = NULL;
	sp[0] = op[0] = ep[0] = 0;
	if ((sfd = temp_file(sp, sizeof(sp), "plot")) < 0 || (ofd = temp_file(op, sizeof(op), "svg")) < 0 ||
	    (efd = temp_file(ep, sizeof(ep), "err")) < 0)
		goto done;
	if (write(sfd, script, len) != (ssize_t)len) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot write the plot script: %s", sp, strerror(errno));
		goto done;
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
		goto done;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		err = slurp(efd, NULL);
		hvb_log(HVB_LOG_ERROR, "gnuplot failed on %s: %s", sp, err ? err : "?");
		free(err);
		rc = HVB_ECHILD;
		goto done;
	}
	size_t n = 0;
	if (!(*out = slurp(ofd, &n)) || (!strstr(*out, "<svg") && (n < 8 || memcmp(*out, png_sig, 8)))) {
		hvb_log(HVB_LOG_ERROR, "gnuplot wrote neither SVG nor PNG for %s", sp);
		free(*out);
		*out = NULL;
		rc = HVB_ECHILD;
		goto done;
	}
	if (out_len)
		*out_len = n;
	rc = 0;
done:
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
void hvb_plot_add(struct hvb_plot_script *sc, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sc->failed)
		return;
	if (sc->len + (size_t)n + 1 > sc->cap) {
		size_t cap = (sc->len + (size_t)n + 1) * 2;
		char *ns = realloc(sc->s, cap);
		if (!ns) {
			sc->failed = 1;
			return;
		}
		sc->s = ns;
		sc->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(sc->s + sc->len, sc->cap - sc->len, fmt, ap);
	va_end(ap);
	sc->len += (size_t)n;
}

void hvb_plot_preamble(struct hvb_plot_script *sc, const char *title, const char *ylabel, int w, int h)
{
	char q[700];

	/* SVG unless the file asked for PNG (history --plot FILE.png) */
	if (sc->png)
		hvb_plot_add(sc, "set terminal pngcairo size %d,%d noenhanced font 'sans,9' background '#ffffff'\n", w, h);
	else
		hvb_plot_add(sc, "set terminal svg size %d,%d fixed noenhanced font 'sans,10' background '#ffffff'\n", w, h);
	hvb_plot_add(sc, "set encoding utf8\n");
	hvb_plot_quote(title, q, sizeof(q));
	hvb_plot_add(sc, "set title %s\n", q);
	hvb_plot_quote(ylabel, q, sizeof(q));
	hvb_plot_add(sc, "set ylabel %s\nset grid ytics\nset key off\nset border 3\nset tics nomirror\n", q);
}

int hvb_plot_finish(struct hvb_plot_script *sc, char **out, size_t *len)
{
	int rc;

	*out = NULL;
	if (!sc->s || sc->failed) {
		free(sc->s);
		return HVB_ENOMEM;
	}
	rc = hvb_plot_run(sc->s, out, len);
	free(sc->s);
	return rc;
}

void hvb_plot_scale(const double *v, size_t n, const char *unit, struct hvb_scale *sc)
{
	double ref = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]) && fabs(v[i]) > ref)
			ref = fabs(v[i]);
	hvb_unit_scale(ref, unit, sc);
}

/* ---- SVG ids: gnuplot names its own (gnuplot_canvas, gpPt0...), the same in
 * every plot; embedded side by side they must differ. ---- */
static int id_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'; }

char *hvb_svg_prefix_ids(const char *svg, const char *prefix)
{
	struct hvb_plot_script o = { 0 };
	char (*seen)[128] = calloc(512, 128); /* gnuplot's ids: a few per plot and per point type */
	size_t nseen = 0, maxseen = seen ? 512 : 0;
	int in_tag = 0;

	/* Only inside tags: the text of labels is left as it is. */
	for (const char *p = svg; *p;) {
		if (!in_tag && *p == '<' && !strncmp(p, "<!--", 4)) {
			const char *e = strstr(p, "-->");
			size_t n = e ? (size_t)(e + 3 - p) : strlen(p);
			hvb_plot_add(&o, "%.*s", (int)n, p);
			p += n;
			continue;
		}
		if (*p == '<')
			in_tag = 1;
		else if (*p == '>')
			in_tag = 0;
		if (in_tag && (!strncmp(p, " id=\"", 5) || !strncmp(p, " id='", 5))) {
			/* gnuplot itself repeats an id when it draws a plot twice (key opaque): the repeat gets a number */
			size_t n = strcspn(p + 5, "\"'<>");
			char id[128];
			unsigned rep = 0;
			snprintf(id, sizeof(id), "%.*s", (int)n, p + 5);
			for (size_t i = 0; i < nseen; i++)
				rep += !strcmp(seen[i], id);
			if (nseen < maxseen)
				snprintf(seen[nseen++], sizeof(seen[0]), "%s", id);
			if (rep)
				hvb_plot_add(&o, "%.5s%s%.*s-%u", p, prefix, (int)n, p + 5, rep + 1);
			else
				hvb_plot_add(&o, "%.5s%s%.*s", p, prefix, (int)n, p + 5);
			p += 5 + n;
			continue;
		}
		if (in_tag && (!strncmp(p, "href=\"#", 7) || !strncmp(p, "href='#", 7))) {
			hvb_plot_add(&o, "%.7s%s", p, prefix);
			p += 7;
			continue;
		}
		if (in_tag && !strncmp(p, "url(#", 5) && id_char(p[5])) {
			hvb_plot_add(&o, "url(#%s", prefix);
			p += 5;
			continue;
		}
		size_t n = strcspn(p + 1, "<> hu") + 1;
		hvb_plot_add(&o, "%.*s", (int)n, p);
		p += n;
	}
	free(seen);
	if (o.failed || !o.s || !maxseen) {
		free(o.s);
		return NULL;
	}
	return o.s;
}

/* ---- the history of a metric ---- */
int hvb_plot_history(const struct hvb_history *h, int png, char **out, size_t *len)
{
	struct hvb_plot_script sc = { .png = png };
	char title[700], q[200];
	size_t step = h->n > 12 ? (h->n + 11) / 12 : 1;
	struct hvb_scale us;
	double *meds = calloc(h->n + 1, sizeof(double));

	if (!meds)
		return HVB_ENOMEM;
	for (size_t i = 0; i < h->n; i++)
		meds[i] = h->pt[i].median;
	hvb_plot_scale(meds, h->n, h->unit, &us);
	free(meds);
	snprintf(title, sizeof(title), "%s of %s", h->metric, h->key);
	hvb_plot_preamble(&sc, title, us.unit, 720, 320);
	hvb_plot_add(&sc, "set xlabel 'run'\nset xtics rotate by -30 (");
	for (size_t i = 0; i < h->n; i += step) {
		char lab[160];
		snprintf(lab, sizeof(lab), "%lld%s%s", (long long)h->pt[i].run_id, h->pt[i].label[0] ? " " : "",
			 h->pt[i].label);
		hvb_plot_quote(lab, q, sizeof(q));
		hvb_plot_add(&sc, "%s%s %zu", i ? ", " : "", q, i);
	}
	hvb_plot_add(&sc, ")\n");
	for (size_t k = 0; k < h->ncp; k++)
		hvb_plot_add(&sc, "set arrow from %.1f, graph 0 to %.1f, graph 1 nohead lc rgb '#d7191c' dt 2 lw 1.5\n",
			     (double)h->cps[k].index - 0.5, (double)h->cps[k].index - 0.5);
	hvb_plot_add(&sc, "$d << EOD\n");
	for (size_t i = 0; i < h->n; i++)
		hvb_plot_add(&sc, "%zu %.17g\n", i, h->pt[i].median * us.mul);
	hvb_plot_add(&sc, "EOD\nplot $d using 1:2 with linespoints pt 7 ps 0.6 lc rgb '#4a7ab5'\n");
	return hvb_plot_finish(&sc, out, len);
}
