/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hand-written: no library decodes xentrace (xenalyze is a program, the tests' reference). */
/* The xentrace stream reader: CPU_CHANGE windows, one buffered stream per pCPU, TSC merge.
 *
 * Windows of different pCPUs interleave in the file.  A scanner walks the CPU_CHANGE headers
 * ahead of the consumers and queues each window on its pCPU; each pCPU reads its own windows
 * in large chunks into its own buffer; a binary heap on the head record's TSC picks the next
 * record.  Nothing is allocated per record and the file is never loaded whole. */
#include "config.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "probes/xentrace/xt-format.h"
#include "probes/xentrace/xentrace.h"

#define CHUNK (256u * 1024u)   /* bytes read at once per pCPU */
#define MAX_CPUS 65536u        /* a CPU_CHANGE naming a higher pCPU is garbage */
#define MAX_REC 40u            /* header + TSC + 7 extra words */
#define CPU_CHANGE_SIZE 12u
#define FIRST_ROUND_MAX 4096u  /* windows scanned to discover pCPUs before merging */

struct window {
	uint64_t off, len;   /* data bytes present in the file */
	uint64_t declared;   /* size the CPU_CHANGE claimed */
	uint64_t hdr_off;
};

struct cpu {
	uint32_t id;
	uint8_t *buf;           /* allocated on first use, grown up to CHUNK: many small pCPUs stay small */
	uint32_t bufcap;        /* bytes of data it holds (MAX_REC more are allocated) */
	uint32_t pos, len;      /* unread bytes are buf[pos, len) */
	int in_heap;
	uint64_t buf_off;       /* file offset of buf[0] */
	struct window win;      /* current window */
	uint64_t win_read;      /* bytes of the current window already read into buf */
	int in_window;
	struct window *q;       /* windows found by the scanner, not yet started */
	size_t qhead, qn, qcap;
	uint64_t last_tsc;      /* raw, as in the file */
	uint64_t adj;           /* added to every TSC: skew correction + backward jumps undone */
	uint64_t prev_tsc;      /* the last TSC delivered (adjusted) */
	struct hvb_xt_rec head;
	struct hvb_xt_volume vol;
};

struct hvb_xt_reader {
	char *name;
	int fd;                 /* -1 when reading from memory */
	const uint8_t *mem;
	uint64_t size;
	uint64_t scan_off;      /* next CPU_CHANGE expected here */
	int scan_done;
	struct cpu **cpus;      /* by pCPU id */
	uint32_t ncpus;         /* highest id + 1 */
	uint32_t capcpus;
	uint32_t *order;        /* pCPU ids in the order the scanner met them */
	uint32_t nactivated;    /* order[0, nactivated) have been put into the merge */
	struct cpu **heap;
	uint32_t nheap;
	struct hvb_xt_reader_stats st;
	uint32_t ncreated;      /* pCPUs created so far (activation check) */
	char err[256];
	uint64_t err_off;
	int failed;             /* the error that stopped a run */
	int pending;            /* a bad or cut CPU_CHANGE: reported once the records before it are out */
	int trunc;              /* a pCPU's stream was cut by the end of the file (HVB_ETRUNC) */
	const uint64_t *off;    /* per pCPU TSC correction (skew), from hvb_xt_reader_set_tsc_offsets */
	uint32_t noff;
};

static uint32_t ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static int fail(struct hvb_xt_reader *rd, int code, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct hvb_xt_reader *rd, int code, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	if (rd->trunc && code == HVB_ETRUNC)
		return code; /* the first cut is the one reported */

	va_start(ap, fmt);
	vsnprintf(rd->err, sizeof(rd->err), fmt, ap);
	va_end(ap);
	rd->err_off = off;
	if (code != HVB_ETRUNC) /* a cut is reported once the whole records before it are out */
		hvb_log(HVB_LOG_ERROR, "%s: byte %llu: %s", rd->name, (unsigned long long)off, rd->err);
	return code;
}

/* Copies len bytes at off into dst; the caller guarantees off + len <= size. */
static int source_read(struct hvb_xt_reader *rd, uint64_t off, void *dst, size_t len)
{
	uint8_t *d = dst;

	if (rd->mem) {
		memcpy(dst, rd->mem + off, len);
		return 0;
	}
	while (len) {
		ssize_t n = pread(rd->fd, d, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(rd, HVB_EIO, off, "read failed: %s", n < 0 ? strerror(errno) : "file shrank");
		d += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static struct hvb_xt_reader *reader_new(const char *name)
{
	struct hvb_xt_reader *rd = calloc(1, sizeof(*rd));

	if (!rd || !(rd->name = strdup(name))) {
		free(rd);
		hvb_log(HVB_LOG_ERROR, "%s: out of memory", name);
		return NULL;
	}
	rd->fd = -1;
	return rd;
}

struct hvb_xt_reader *hvb_xt_reader_open(const char *path)
{
	struct hvb_xt_reader *rd;
	struct stat sb;

	if (!(rd = reader_new(path)))
		return NULL;
	if ((rd->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(rd->fd, &sb) < 0) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot open: %s", path, strerror(errno));
		hvb_xt_reader_close(rd);
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		hvb_log(HVB_LOG_ERROR, "%s: not a regular file", path);
		hvb_xt_reader_close(rd);
		return NULL;
	}
	rd->size = (uint64_t)sb.st_size;
	rd->st.file_bytes = rd->size;
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(rd->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	return rd;
}

struct hvb_xt_reader *hvb_xt_reader_open_mem(const void *buf, size_t len, const char *name)
{
	struct hvb_xt_reader *rd = reader_new(name ? name : "(memory)");

	if (!rd)
		return NULL;
	rd->mem = buf ? buf : (const uint8_t *)"";
	rd->size = len;
	rd->st.file_bytes = len;
	return rd;
}

void hvb_xt_reader_close(struct hvb_xt_reader *rd)
{
	if (!rd)
		return;
	for (uint32_t i = 0; i < rd->ncpus; i++) {
		if (rd->cpus[i]) {
			free(rd->cpus[i]->buf);
			free(rd->cpus[i]->q);
			free(rd->cpus[i]);
		}
	}
	free(rd->cpus);
	free(rd->heap);
	free(rd->order);
	if (rd->fd >= 0)
		close(rd->fd);
	free(rd->name);
	free(rd);
}

const struct hvb_xt_reader_stats *hvb_xt_reader_stats(const struct hvb_xt_reader *rd) { return &rd->st; }

const struct hvb_xt_volume *hvb_xt_reader_volume(const struct hvb_xt_reader *rd, uint32_t cpu)
{
	return cpu < rd->ncpus && rd->cpus[cpu] ? &rd->cpus[cpu]->vol : NULL;
}

const char *hvb_xt_reader_error(const struct hvb_xt_reader *rd, uint64_t *off)
{
	if (off)
		*off = rd->err_off;
	return rd->err;
}

static struct cpu *cpu_get(struct hvb_xt_reader *rd, uint32_t id)
{
	if (id >= rd->capcpus) {
		uint32_t cap = rd->capcpus ? rd->capcpus : 8;
		while (cap <= id)
			cap *= 2;
		struct cpu **n = realloc(rd->cpus, cap * sizeof(*n));
		if (n)
			rd->cpus = n;
		struct cpu **h = realloc(rd->heap, cap * sizeof(*h));
		if (h)
			rd->heap = h;
		uint32_t *o = realloc(rd->order, cap * sizeof(*o));
		if (o)
			rd->order = o;
		if (!n || !h || !o)
			return NULL;
		memset(rd->cpus + rd->capcpus, 0, (cap - rd->capcpus) * sizeof(*n));
		rd->capcpus = cap;
	}
	if (id >= rd->ncpus)
		rd->st.ncpus = rd->ncpus = id + 1;
	if (!rd->cpus[id]) {
		struct cpu *c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		rd->order[rd->ncreated] = id;
		c->id = id;
		c->adj = id < rd->noff ? rd->off[id] : 0;
		c->prev_tsc = c->adj;
		rd->cpus[id] = c;
		rd->ncreated++;
	}
	return rd->cpus[id];
}

static struct cpu *scan_header(struct hvb_xt_reader *rd);

static int fail_logged(struct hvb_xt_reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_logged(struct hvb_xt_reader *rd, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hvb_log(HVB_LOG_ERROR, "%s", msg);
	return HVB_ETRUNC;
}

/* Reads the next CPU_CHANGE header and queues its window.  Returns the pCPU, or NULL at
 * the end of the file or after an error (then rd->pending holds it). */
static struct cpu *scan_one(struct hvb_xt_reader *rd)
{
	struct cpu *c;

	if (rd->scan_done)
		return NULL;
	if (!(c = scan_header(rd)) && !rd->pending)
		rd->scan_done = 1;
	return c;
}

static struct cpu *scan_header(struct hvb_xt_reader *rd)
{
	uint8_t h[CPU_CHANGE_SIZE];
	uint64_t off = rd->scan_off, left = rd->size - off;
	struct window w;
	struct cpu *c;
	uint32_t hdr, id;

	if (rd->scan_done)
		return NULL;
	if (left == 0) {
		rd->scan_done = 1;
		return NULL;
	}
	rd->scan_done = 1; /* until this header proves good */
	if (left < CPU_CHANGE_SIZE) {
		if (off == 0)
			rd->pending = fail(rd, HVB_EINVAL, off, "file of %llu bytes is too short for a xentrace file "
			     "(expected a 12-byte TRC_TRACE_CPU_CHANGE record first)", (unsigned long long)left);
		else
			rd->pending = fail(rd, HVB_ETRUNC, off, "file ends inside a TRC_TRACE_CPU_CHANGE record "
			     "(%llu of 12 bytes present)", (unsigned long long)left);
		return NULL;
	}
	if ((rd->pending = source_read(rd, off, h, sizeof(h))))
		return NULL;
	hdr = ld32(h);
	if (hdr != ((2u << TRACE_EXTRA_SHIFT) | TRC_TRACE_CPU_CHANGE)) {
		if (off == 0)
			rd->pending = fail(rd, HVB_EINVAL, off, "not a xentrace file: expected a TRC_TRACE_CPU_CHANGE record "
			     "(header 0x%08x) first, found header 0x%08x",
			     (unsigned)((2u << TRACE_EXTRA_SHIFT) | TRC_TRACE_CPU_CHANGE), (unsigned)hdr);
		else /* the end of the capture: what a crash or a full disk leaves after it is no window */
			rd->pending = fail(rd, HVB_ETRUNC, off, "no xentrace data from here on: a TRC_TRACE_CPU_CHANGE "
			     "record belongs after the previous window, found header 0x%08x (zeros or garbage after the "
			     "capture)", (unsigned)hdr);
		return NULL;
	}
	id = ld32(h + 4);
	if (id >= MAX_CPUS) {
		rd->pending = fail(rd, HVB_EINVAL, off, "TRC_TRACE_CPU_CHANGE names pCPU %u (at most %u supported)",
		     (unsigned)id, MAX_CPUS - 1);
		return NULL;
	}
	if (!(c = cpu_get(rd, id))) {
		rd->pending = fail(rd, HVB_ENOMEM, off, "out of memory for pCPU %u", (unsigned)id);
		return NULL;
	}
	w.hdr_off = off;
	w.off = off + CPU_CHANGE_SIZE;
	w.declared = ld32(h + 8);
	w.len = w.declared <= left - CPU_CHANGE_SIZE ? w.declared : left - CPU_CHANGE_SIZE;
	if (c->qn == c->qcap) {
		size_t cap = c->qcap ? c->qcap * 2 : 8;
		struct window *q = malloc(cap * sizeof(*q));
		if (!q) {
			rd->pending = fail(rd, HVB_ENOMEM, off, "out of memory");
			return NULL;
		}
		for (size_t i = 0; i < c->qn; i++) /* unroll the ring */
			q[i] = c->q[(c->qhead + i) % c->qcap];
		free(c->q);
		c->q = q;
		c->qcap = cap;
		c->qhead = 0;
	}
	c->q[(c->qhead + c->qn++) % c->qcap] = w;
	rd->st.windows++;
	rd->scan_off = w.off + w.len;
	rd->scan_done = w.len < w.declared || rd->scan_off == rd->size;
	return c;
}

/* Makes the next window of c current; 0 when there is one, 1 at the end, <0 on error. */
static int next_window(struct hvb_xt_reader *rd, struct cpu *c)
{
	while (!c->qn) {
		if (!scan_one(rd))
			return 1;
	}
	c->win = c->q[c->qhead];
	c->qhead = (c->qhead + 1) % c->qcap;
	c->qn--;
	c->win_read = 0;
	c->in_window = 1;
	c->pos = c->len = 0;
	c->buf_off = c->win.off;
	return 0;
}

/* Ensures need bytes are buffered in the current window.  0 ok, 1 when the window has
 * fewer bytes left, <0 on a read error. */
static int fill(struct hvb_xt_reader *rd, struct cpu *c, uint32_t need)
{
	uint32_t rem = c->len - c->pos;
	uint64_t left = c->win.len - c->win_read;
	size_t n;
	int e;

	if (rem >= need)
		return 0;
	if (left == 0)
		return 1;
	if (c->bufcap < CHUNK && c->bufcap < left + rem) {
		uint32_t cap = c->bufcap ? c->bufcap : 4096;
		uint8_t *b;
		while (cap < CHUNK && cap < left + rem)
			cap *= 2;
		if (!(b = realloc(c->buf, cap + MAX_REC)))
			return fail(rd, HVB_ENOMEM, c->buf_off + c->pos, "out of memory for pCPU %u's buffer", (unsigned)c->id);
		c->buf = b;
		c->bufcap = cap;
	}
	memmove(c->buf, c->buf + c->pos, rem);
	c->buf_off += c->pos;
	c->pos = 0;
	n = left < c->bufcap - rem ? (size_t)left : c->bufcap - rem;
	if ((e = source_read(rd, c->win.off + c->win_read, c->buf + rem, n)))
		return e;
	c->win_read += n;
	c->len = rem + (uint32_t)n;
	return c->len >= need ? 0 : 1;
}

static int short_record(struct hvb_xt_reader *rd, struct cpu *c, uint32_t need)
{
	uint64_t off = c->buf_off + c->pos;
	uint64_t have = c->len - c->pos;

	if (c->win.len < c->win.declared)
		return fail(rd, HVB_ETRUNC, off, "truncated record: needs %u bytes, the file ends after %llu "
			    "(pCPU %u's window at byte %llu declares %llu bytes, %llu present)",
			    need, (unsigned long long)have, (unsigned)c->id, (unsigned long long)c->win.hdr_off,
			    (unsigned long long)c->win.declared, (unsigned long long)c->win.len);
	return fail(rd, c->win.off + c->win.len == rd->size ? HVB_ETRUNC : HVB_EINVAL, off,
		    "record needs %u bytes but only %llu remain in pCPU %u's window (at byte %llu, %llu bytes)",
		    need, (unsigned long long)have, (unsigned)c->id, (unsigned long long)c->win.hdr_off,
		    (unsigned long long)c->win.declared);
}

/* Decodes the next record of c into c->head.  1 when c has no more records. */
static int advance(struct hvb_xt_reader *rd, struct cpu *c)
{
	for (;;) {
		const uint8_t *p;
		uint32_t hdr, ev, n, size;
		int e;

		if (!c->in_window || (c->pos == c->len && c->win_read == c->win.len)) {
			if (c->in_window && c->win.len < c->win.declared)
				return fail(rd, HVB_ETRUNC, c->win.off + c->win.len, "truncated window: pCPU %u's "
					    "window at byte %llu declares %llu bytes, the file ends after %llu",
					    (unsigned)c->id, (unsigned long long)c->win.hdr_off,
					    (unsigned long long)c->win.declared, (unsigned long long)c->win.len);
			if ((e = next_window(rd, c)))
				return e;
			continue;
		}
		if (c->len - c->pos < MAX_REC) { /* slow path near the end of the buffer */
			if ((e = fill(rd, c, 4)) < 0)
				return e;
			if (e)
				return short_record(rd, c, 4);
		}
		p = c->buf + c->pos;
		hdr = ld32(p);
		n = TRC_HD_EXTRA(hdr);
		size = 4 + (TRC_HD_INCLUDES_CYCLE_COUNT(hdr) ? 8 : 0) + 4 * n;
		if (c->len - c->pos < size) {
			if ((e = fill(rd, c, size)) < 0)
				return e;
			if (e)
				return short_record(rd, c, size);
			p = c->buf + c->pos;
		}
		ev = TRC_HD_TO_EVENT(hdr);
		/* Xen writes no event 0: a zero header is the zero fill a crash or a full disk leaves
		 * (blocks allocated, never written), the end of this pCPU's records. */
		if (hdr == 0)
			return fail(rd, HVB_ETRUNC, c->buf_off + c->pos, "zero fill inside pCPU %u's window (at byte %llu, "
				    "%llu bytes) where a record belongs: its records end here",
				    (unsigned)c->id, (unsigned long long)c->win.hdr_off, (unsigned long long)c->win.declared);
		if (ev == TRC_TRACE_CPU_CHANGE)
			return fail(rd, HVB_EINVAL, c->buf_off + c->pos,
				    "TRC_TRACE_CPU_CHANGE inside pCPU %u's window (at byte %llu, %llu bytes)",
				    (unsigned)c->id, (unsigned long long)c->win.hdr_off,
				    (unsigned long long)c->win.declared);
		enum hvb_xt_class cl = hvb_xt_event_class(ev);
		c->vol.records[cl]++;
		c->vol.bytes[cl] += size;
		c->head.off = c->buf_off + c->pos;
		c->pos += size;
		if (TRC_HD_INCLUDES_CYCLE_COUNT(hdr)) {
			c->last_tsc = (uint64_t)ld32(p + 8) << 32 | ld32(p + 4);
			p += 8;
			if (c->last_tsc + c->adj < c->prev_tsc) {
				/* One pCPU's TSC went backwards (a TSC write, a resume): its later
				 * records continue from the last good time; the gap is unknown. */
				uint64_t back = c->prev_tsc - (c->last_tsc + c->adj);
				if (!rd->st.tsc_backwards++)
					hvb_log(HVB_LOG_WARN, "%s: byte %llu: pCPU %u's TSC goes back by %llu cycles; its "
						"later records are moved forward by that much (times across the jump are "
						"uncertain)", rd->name, (unsigned long long)(c->buf_off + c->pos - size),
						(unsigned)c->id, (unsigned long long)back);
				c->adj += back;
			}
			c->prev_tsc = c->last_tsc + c->adj;
		}
		if (ev == TRC_TRACE_WRAP_BUFFER) {
			rd->st.wrap_records++;
			continue;
		}
		c->head.event = ev;
		c->head.cpu = c->id;
		c->head.cls = (uint8_t)cl;
		c->head.nextra = (uint8_t)n;
		c->head.has_tsc = TRC_HD_INCLUDES_CYCLE_COUNT(hdr);
		c->head.tsc = c->last_tsc + c->adj;
		memcpy(c->head.d, p + 4, 4 * n);
		return 0;
	}
}

/* Heap order: TSC, then pCPU id so that equal TSCs come out the same way every run. */
static inline int before(const struct cpu *a, const struct cpu *b)
{
	return a->head.tsc < b->head.tsc || (a->head.tsc == b->head.tsc && a->id < b->id);
}

static void sift_down(struct hvb_xt_reader *rd, uint32_t i)
{
	struct cpu **h = rd->heap, *x = h[i];
	uint32_t n = rd->nheap;

	for (;;) {
		uint32_t l = 2 * i + 1, m;
		if (l >= n)
			break;
		m = l + 1 < n && before(h[l + 1], h[l]) ? l + 1 : l;
		if (!before(h[m], x))
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = x;
}

static void heap_push(struct hvb_xt_reader *rd, struct cpu *c)
{
	uint32_t i = rd->nheap++;

	while (i > 0 && before(c, rd->heap[(i - 1) / 2])) {
		rd->heap[i] = rd->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	rd->heap[i] = c;
}

/* A pCPU whose stream the end of the file cuts ends there; the others go on, so the
 * summary has every whole record (xentrace killed, or its disk full). */
static int cut(struct hvb_xt_reader *rd, int e)
{
	if (e != HVB_ETRUNC)
		return e;
	rd->trunc = 1;
	return 1;
}

/* Puts every pCPU that has a queued window and is not merging yet into the heap. */
static int activate_new(struct hvb_xt_reader *rd)
{
	while (rd->nactivated < rd->ncreated) {
		struct cpu *c = rd->cpus[rd->order[rd->nactivated++]];
		int e;
		if (c->in_window || !c->qn || c->in_heap)
			continue;
		if ((e = cut(rd, advance(rd, c))) < 0)
			return e;
		if (e == 0) {
			heap_push(rd, c);
			c->in_heap = 1;
		}
	}
	return 0;
}

static int run(struct hvb_xt_reader *rd, hvb_xt_rec_cb cb, void *arg)
{
	uint32_t active;
	uint64_t last = 0;
	struct cpu *first;
	int e;

	if (rd->size == 0)
		return fail(rd, HVB_EINVAL, 0, "empty file: a xentrace file starts with a TRC_TRACE_CPU_CHANGE record");
	/* Discover the pCPUs: scan until the first pCPU comes round again. */
	if (!(first = scan_one(rd))) {
		if (rd->pending == HVB_ETRUNC)
			return fail_logged(rd, "%s: byte %llu: %s", rd->name, (unsigned long long)rd->err_off, rd->err);
		return rd->pending;
	}
	for (uint32_t k = 1; k < FIRST_ROUND_MAX; k++) {
		struct cpu *c = scan_one(rd);
		if (!c || c == first)
			break;
	}
	active = rd->ncreated;
	if ((e = activate_new(rd)))
		return e;
	while (rd->nheap) {
		struct cpu *c = rd->heap[0];
		if (c->head.tsc < last)
			rd->st.out_of_order++;
		last = c->head.tsc;
		rd->st.records++;
		if (c->head.event == TRC_LOST_RECORDS) {
			rd->st.lost_markers++;
			if (c->head.nextra >= 1)
				rd->st.lost_records += c->head.d[0];
		}
		if ((e = cb(&c->head, arg)))
			return e;
		if ((e = cut(rd, advance(rd, c))) < 0)
			return e;
		if (e) {
			rd->heap[0] = rd->heap[--rd->nheap];
			c->in_window = 0;
			c->in_heap = 0;
		}
		if (rd->nheap)
			sift_down(rd, 0);
		if (rd->ncreated != active) { /* the scanner met a new pCPU: merge it from now on */
			active = rd->ncreated;
			if ((e = activate_new(rd)))
				return e;
		}
	}
	if (rd->pending == HVB_ETRUNC)
		rd->trunc = 1;
	else if (rd->pending)
		return rd->pending;
	if (!rd->trunc)
		return 0;
	if (!rd->st.records)
		return fail_logged(rd, "%s: byte %llu: %s; no whole record before it", rd->name,
				   (unsigned long long)rd->err_off, rd->err);
	hvb_log(HVB_LOG_WARN, "%s: byte %llu: %s; the summary covers the %llu whole records before it",
		rd->name, (unsigned long long)rd->err_off, rd->err, (unsigned long long)rd->st.records);
	return HVB_ETRUNC;
}

void hvb_xt_reader_set_tsc_offsets(struct hvb_xt_reader *rd, const uint64_t *off, uint32_t n)
{
	rd->off = off;
	rd->noff = n;
}

int hvb_xt_reader_truncated(const struct hvb_xt_reader *rd)
{
	return rd->trunc && rd->st.records;
}

int hvb_xt_reader_run(struct hvb_xt_reader *rd, hvb_xt_rec_cb cb, void *arg)
{
	int e;

	if (rd->failed)
		return rd->failed < 0 ? rd->failed : HVB_EINVAL; /* one run per reader */
	e = run(rd, cb, arg);
	rd->failed = e ? e : 1;
	return e;
}
