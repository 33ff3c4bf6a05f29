/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What several workloads share: thread counts, the calibrated extra work, the
 * last-level cache size, finding external programs (fio, iperf3), collecting their
 * output (wl-proc.c runs them) and locating the JSON they print. */
#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench/workloads/wl.h"

int hvb_wl_threads(const struct hvb_wl_ctx *ctx, const char *name)
{
	int64_t n;

	if (hvb_param_is_auto(ctx->params, name))
		return ctx->ncpus > 0 ? ctx->ncpus : 1;
	n = hvb_param_int(ctx->params, name);
	return n > 0 ? (int)n : 1;
}

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void hvb_extra_init(struct hvb_extra *e, const struct hvb_params *p, hvb_extra_op op, void *arg)
{
	double f = hvb_param_float(p, "extra_work");

	*e = (struct hvb_extra){ .f = f > 0 ? f : 0, .op = op, .arg = arg, .cpu_t = -1 };
}

int hvb_extra_pay(struct hvb_extra *e, uint64_t n, double *t)
{
	double now = thread_cpu_s(), owed;
	int rc;

	/* The first batch by the caller's wall clock: its start (*t) follows untimed warm-up work. */
	e->counted_s += e->cpu_t < 0 ? hvb_now() - *t : now - e->cpu_t;
	e->counted_ops += n;
	e->cpu_t = now;
	*t = hvb_now();
	if (e->f <= 0)
		return 0;
	/* Rounds sized from the cost per counted operation so far; the clock after
	 * each decides whether more is owed. Less than half an operation owed is
	 * carried to the next batch, so the rounding is not biased either way. */
	while ((owed = e->f * e->counted_s - e->extra_s) > 0) {
		double per_op = e->counted_s / (double)e->counted_ops, k = per_op > 0 ? floor(owed / per_op + 0.5) : 1;

		if (k < 1)
			break;
		if ((rc = e->op(e->arg, (uint64_t)k)) != 0)
			return rc;
		now = thread_cpu_s();
		e->extra_s += now - e->cpu_t;
		e->extra_ops += (uint64_t)k;
		e->cpu_t = now;
		*t = hvb_now();
	}
	return 0;
}

int hvb_extra_settled(const struct hvb_extra *e)
{
	double per_op = e->counted_ops ? e->counted_s / (double)e->counted_ops : 0;

	return e->f <= 0 || e->extra_s <= e->f * e->counted_s * 1.01 + per_op;
}

int hvb_extra_report(const struct hvb_extra *e, struct hvb_metrics *m, const char *label)
{
	double v = e->counted_s > 0 ? e->extra_s / e->counted_s : 0;

	if (e->f <= 0)
		return 0;
	if (label)
		return hvb_metrics_addf(m, v, "ratio", HVB_INFO, "extra_work.%s", label);
	return hvb_metrics_add(m, "extra_work", v, "ratio", HVB_INFO);
}

void hvb_wl_path_ops(struct hvb_wl_result *res, const char *name, uint64_t n, const char *unit, int npaths)
{
	hvb_metrics_add(&res->metrics, name, (double)n, unit, HVB_INFO);
	if (npaths == 1) {
		res->ops = n;
		hvb_metrics_add(&res->metrics, "ops", (double)n, unit, HVB_INFO);
	}
}

int hvb_wl_choice_set(const struct hvb_params *p, const char *name, const char *const *choices, int *want)
{
	char **words;
	size_t nw;
	int n = 0;

	if (hvb_split_list(hvb_param_str(p, name), &words, &nw) < 0)
		return HVB_ENOMEM;
	for (size_t i = 0; i < nw; i++)
		for (int k = 0; choices[k]; k++)
			if (!strcmp(words[i], choices[k]) && !want[k]) {
				want[k] = 1;
				n++;
			}
	hvb_words_free(words, nw);
	return n;
}

static uint64_t read_size_file(const char *path)
{
	char buf[64];
	uint64_t v = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = 0;
		if (hvb_parse_size(buf, &v) < 0)
			v = 0;
	}
	fclose(f);
	return v;
}

static int read_int_file(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* sysfs first: glibc's sysconf derives the L3 size from CPUID, which hypervisors
 * often report oddly (256 MiB for a 32 MiB L3 was seen under KVM). */
uint64_t hvb_llc_size(void)
{
	uint64_t best = 0;
	int best_level = 0;

	for (int i = 0; i < 16; i++) {
		char path[128];
		int level;
		uint64_t sz;
		FILE *f;
		char type[32] = "";

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
		if (!(f = fopen(path, "r")))
			break;
		if (!fgets(type, sizeof(type), f))
			type[0] = 0;
		fclose(f);
		if (strncmp(type, "Unified", 7) && strncmp(type, "Data", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
		level = read_int_file(path);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		sz = read_size_file(path);
		if (level > best_level && sz) {
			best_level = level;
			best = sz;
		}
	}
	if (!best) {
		long v = sysconf(_SC_LEVEL3_CACHE_SIZE);
		if (v <= 0)
			v = sysconf(_SC_LEVEL2_CACHE_SIZE);
		best = v > 0 ? (uint64_t)v : 0;
	}
	return best;
}

int hvb_find_program(const char *name, char *path, size_t len)
{
	const char *env = getenv("PATH");
	char *dirs, *save = NULL;

	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return access(path, X_OK) == 0;
	}
	if (!env || !*env)
		env = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";
	if (!(dirs = strdup(env)))
		return 0;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		struct stat st;
		snprintf(path, len, "%s/%s", *d ? d : ".", name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0) {
			free(dirs);
			return 1;
		}
	}
	free(dirs);
	return 0;
}

void hvb_program_version(const char *prog, char *buf, size_t len)
{
	char path[4096], err[256];
	char *argv[] = { path, "--version", NULL };
	struct hvb_spawn_out o;

	buf[0] = 0;
	if (!hvb_find_program(prog, path, sizeof(path)))
		return;
	if (hvb_spawn_capture(argv, 10.0, 4096, NULL, &o, err, sizeof(err)) == 0 && o.out)
		snprintf(buf, len, "%.*s", (int)strcspn(o.out, "\n"), o.out);
	hvb_spawn_out_free(&o);
}

int hvb_wl_program_supported(const char *prog, char *why, size_t len)
{
	char path[4096];

	if (hvb_find_program(prog, path, sizeof(path)))
		return 1;
	snprintf(why, len, "%s: the %s program is not installed (not found in PATH)", prog, prog);
	return 0;
}

void hvb_spawn_out_free(struct hvb_spawn_out *o)
{
	free(o->out);
	free(o->err);
	memset(o, 0, sizeof(*o));
}

static int append(char **buf, size_t *len, size_t cap, const char *data, size_t n)
{
	char *nb;

	if (*len >= cap)
		return 0; /* keep reading to drain the pipe, drop the excess */
	if (n > cap - *len)
		n = cap - *len;
	if (!(nb = realloc(*buf, *len + n + 1)))
		return HVB_ENOMEM;
	memcpy(nb + *len, data, n);
	*len += n;
	nb[*len] = 0;
	*buf = nb;
	return 0;
}

int hvb_spawn_capture(char *const argv[], double timeout_s, size_t cap, const char *scratch_dir,
		      struct hvb_spawn_out *o, char *err, size_t errlen)
{
	int pout[2] = { -1, -1 }, perr[2] = { -1, -1 }, rc = 0, open_fds = 2, timed_out = 0;
	double deadline = hvb_now() + timeout_s;
	struct hvb_proc p;

	memset(o, 0, sizeof(*o));
	if (!(o->out = calloc(1, 1)) || !(o->err = calloc(1, 1))) {
		hvb_spawn_out_free(o);
		return HVB_ENOMEM;
	}
	if (pipe2(pout, O_CLOEXEC) || pipe2(perr, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		rc = HVB_EIO;
		goto out;
	}
	rc = hvb_proc_start(&p, argv, pout[1], perr[1], scratch_dir, err, errlen);
	close(pout[1]);
	close(perr[1]);
	pout[1] = perr[1] = -1;
	if (rc < 0)
		goto out;
	while (open_fds) {
		struct pollfd pf[2] = { { pout[0], POLLIN, 0 }, { perr[0], POLLIN, 0 } };
		double left = deadline - hvb_now();
		int n;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		n = poll(pf, 2, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			rc = HVB_EIO;
			break;
		}
		for (int i = 0; i < 2; i++) {
			char buf[65536];
			ssize_t r;
			int *fd = i ? &perr[0] : &pout[0];

			if (*fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(*fd, buf, sizeof(buf));
			if (r > 0) {
				if (append(i ? &o->err : &o->out, i ? &o->errlen : &o->outlen, cap, buf, (size_t)r) < 0)
					rc = HVB_ENOMEM;
			} else if (r == 0 || errno != EINTR) {
				close(*fd);
				*fd = -1;
				open_fds--;
			}
		}
		pf[0].fd = pout[0];
		pf[1].fd = perr[0];
	}
	/* Both pipes closed: the program has ended or is ending; the rest of the
	 * time is its to finish in. */
	if (timed_out || rc || hvb_proc_wait(&p, deadline - hvb_now()) != 1) {
		timed_out = !rc;
		hvb_proc_stop(&p);
	}
	o->status = p.status;
	if (p.exec_errno) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(p.exec_errno));
		rc = HVB_ECHILD;
	} else if (timed_out) {
		snprintf(err, errlen, "%s did not finish within %.0f s (stopped)", argv[0], timeout_s);
		rc = HVB_ETIMEDOUT;
	}
out:
	for (int i = 0; i < 2; i++) {
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
	}
	return rc;
}

/* Copies text with each bare [-+]nan / [-+]inf[inity] token outside strings
 * replaced by null (a 3-byte token grows by one byte, longer ones are padded).
 * *grown lists the offsets in the copy after which a byte was added (*ngrown of
 * them, ascending), to map positions in the copy back to the text. */
static char *denan(const char *text, size_t len, size_t **grown_at, size_t *ngrown)
{
	char *out = malloc(len + 1);
	int in_str = 0;

	*grown_at = NULL;
	*ngrown = 0;
	if (!out)
		return NULL;
	memcpy(out, text, len);
	out[len] = 0;
	for (size_t i = 0; i < len; i++) {
		char c = out[i];
		size_t j = i, tok;

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
			continue;
		}
		if (c == '-' || c == '+')
			j++;
		if (j + 3 > len || (strncasecmp(out + j, "nan", 3) && strncasecmp(out + j, "inf", 3)))
			continue;
		tok = j + 3 - i;
		if (!strncasecmp(out + j, "infinity", 8) && j + 8 <= len)
			tok = j + 8 - i;
		if (i + tok < len && (isalnum((unsigned char)out[i + tok]) || out[i + tok] == '_'))
			continue; /* part of a longer word */
		if (tok < 4) {
			/* "nan" (3 bytes) cannot hold "null": shift the rest right by one */
			char *grown = realloc(out, len + 2);
			size_t *at = realloc(*grown_at, (*ngrown + 1) * sizeof(*at));
			if (!grown || !at) {
				free(grown ? grown : out);
				free(at ? at : *grown_at);
				*grown_at = NULL;
				return NULL;
			}
			out = grown;
			*grown_at = at;
			at[(*ngrown)++] = i + 3;
			memmove(out + i + 4, out + i + 3, len - i - 3 + 1);
			len++;
			tok = 4;
		}
		memcpy(out + i, "null", 4);
		memset(out + i + 4, ' ', tok - 4);
		i += tok - 1;
	}
	return out;
}

void *hvb_json_find_object(const char *text, size_t len, const char *what, size_t *end, char *err,
			   size_t errlen)
{
	json_error_t je;
	const char *start = NULL;
	char *clean;
	size_t *grown_at, ngrown;
	json_t *j;

	if (!text || !len) {
		snprintf(err, errlen, "%s: empty output", what);
		return NULL;
	}
	/* Prefer a '{' that starts a line: progress or warning text before the JSON
	 * may itself contain braces. */
	for (size_t i = 0; i < len; i++)
		if (text[i] == '{' && (i == 0 || text[i - 1] == '\n')) {
			start = text + i;
			break;
		}
	if (!start)
		start = memchr(text, '{', len);
	if (!start) {
		snprintf(err, errlen, "%s: no JSON object in the output; it began: \"%.*s\"", what,
			 (int)(len < 120 ? len : 120), text);
		return NULL;
	}
	/* DISABLE_EOF_CHECK: stop after the object, trailing text is not ours.
	 * No JSON_REJECT_DUPLICATES: fio repeats keys, the last one wins.
	 * INT_AS_REAL: counters above 2^63 (fio's unsigned 64-bit fields) are
	 * numbers too, not a parse error. nan/inf, which both programs print
	 * (printf of a double), become null: "not reported"; positions are mapped
	 * back to the text given. */
	if (!(clean = denan(start, len - (size_t)(start - text), &grown_at, &ngrown))) {
		snprintf(err, errlen, "%s: out of memory", what);
		return NULL;
	}
	j = json_loadb(clean, strlen(clean), JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &je);
	free(clean);
	for (size_t k = ngrown, pos = (size_t)je.position; k-- > 0;)
		if (grown_at[k] < pos)
			je.position--;
	free(grown_at);
	if (!j) {
		size_t at = (size_t)(start - text) + (size_t)je.position, from = at > 40 ? at - 40 : 0;
		snprintf(err, errlen, "%s: bad JSON at byte %zu (line %d of the object): %s; near \"%.*s\"", what, at,
			 je.line, je.text, (int)(at - from), text + from);
		return NULL;
	}
	/* on success jansson leaves the bytes it consumed in position */
	if (end)
		*end = (size_t)(start - text) + (size_t)je.position;
	if (!json_is_object(j)) {
		json_decref(j);
		snprintf(err, errlen, "%s: expected a JSON object", what);
		return NULL;
	}
	return j;
}

/* ---- the file system a path is on ---- */

/* statfs magic numbers (linux/magic.h) of the file systems fio may land on,
 * for when /proc/self/mountinfo does not name it. */
static const struct {
	unsigned long magic;
	const char *name;
} fs_magics[] = {
	{ 0x01021994, "tmpfs" }, { 0x858458f6, "ramfs" }, { 0x958458f6, "hugetlbfs" }, { 0xEF53, "ext2/ext3/ext4" },
	{ 0x58465342, "xfs" }, { 0x9123683E, "btrfs" }, { 0x01021997, "9p" }, { 0x6969, "nfs" },
	{ 0x794c7630, "overlay" }, { 0x2fc12fc1, "zfs" }, { 0xF2F52010, "f2fs" }, { 0x65735546, "fuse" },
	{ 0xFF534D42, "cifs" }, { 0xFE534D42, "smb2" }, { 0x00c36400, "ceph" }, { 0xca451a4e, "bcachefs" },
	{ 0x4d44, "vfat" }, { 0x2011BAB0, "exfat" }, { 0x5346544e, "ntfs" }, { 0x73717368, "squashfs" },
	{ 0x3153464a, "jfs" }, { 0x52654973, "reiserfs" }, { 0x6e736673, "nsfs" },
};

/* The mount's own name (ext4, virtiofs, fuse.sshfs) from mountinfo, by device. */
static int mountinfo_type(dev_t dev, char *name, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	int found = 0;

	if (!f)
		return 0;
	/* "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw" */
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*s %*s %u:%u", &maj, &min) != 2 || makedev(maj, min) != dev)
			continue;
		sep += 3;
		sep[strcspn(sep, " \n")] = 0;
		snprintf(name, len, "%s", sep);
		found = *name != 0;
	}
	fclose(f);
	return found;
}

int hvb_fs_type(const char *path, char *name, size_t len, int *in_memory)
{
	struct statfs sf;
	struct stat st;

	*in_memory = 0;
	if (stat(path, &st) < 0 || statfs(path, &sf) < 0) {
		snprintf(name, len, "%s", strerror(errno));
		return HVB_EIO;
	}
	if (S_ISBLK(st.st_mode)) { /* the device itself, not the /dev it is named in */
		snprintf(name, len, "block device");
		return 0;
	}
	/* Memory, whatever it calls itself: O_DIRECT there bypasses nothing. */
	*in_memory = (unsigned long)sf.f_type == 0x01021994 || (unsigned long)sf.f_type == 0x858458f6 ||
		     (unsigned long)sf.f_type == 0x958458f6;
	if (mountinfo_type(st.st_dev, name, len))
		return 0;
	for (size_t i = 0; i < sizeof(fs_magics) / sizeof(fs_magics[0]); i++)
		if ((unsigned long)sf.f_type == fs_magics[i].magic) {
			snprintf(name, len, "%s", fs_magics[i].name);
			return 0;
		}
	snprintf(name, len, "unknown (statfs type 0x%lx)", (unsigned long)sf.f_type);
	return 0;
}
