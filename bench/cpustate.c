/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Is this CPU's floating-point and SIMD state kept intact? A check the agent
 * runs around every sample.
 *
 * Why: in the Xen lab (Xen under QEMU software emulation) an agent in a PV guest
 * once refused the value '16K' that the same code had accepted on the host. The
 * parsers no longer use floating point, but the workloads' figures do (ns per
 * operation, bandwidths), and glibc's string functions use the vector registers.
 * A hypervisor or emulator that does not save and restore a vCPU's FPU/SSE/AVX
 * state across a context switch corrupts both silently. This check makes such a
 * fault visible as the reason of the sample instead of a wrong figure or a
 * misleading message.
 *
 * What it checks:
 *  - vector registers (ymm0-15 where the OS enabled AVX, xmm0-15 otherwise) hold
 *    known patterns across a loop of sched_yield() system calls, i.e. across
 *    kernel entries, timer interrupts and, in a guest, the hypervisor's vCPU
 *    switches (the method of the x86 "AVX state survives a context switch" tests
 *    in kernels, e.g. the XSAVE fix of rcore-os/tgoskits#1329);
 *  - MXCSR and the x87 control word keep their ABI values (SysV x86-64 ABI
 *    3.2.3: MXCSR control bits 0x1f80, x87 control word 0x037f);
 *  - a fixed floating-point series gives the same bits on every call as it gave
 *    on the first one in this process.
 * Elsewhere than x86-64 only the last check runs. */
#include "config.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "bench/bench.h"

/* The same bits every time on a healthy CPU: a harmonic sum and a few square
 * roots and divisions, through volatile so the compiler cannot fold it. */
static double fp_series(void)
{
	volatile double acc = 0, x;

	for (int i = 1; i <= 4096; i++) {
		x = (double)i;
		acc = acc + 1.0 / x + __builtin_sqrt(x) / (x + 0.5);
	}
	return acc;
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NREG 16
#define VEC 32 /* bytes of a ymm register; xmm uses the first 16 */

static int os_avx(void)
{
	unsigned a, b, c, d, lo, hi;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (lo & 6) == 6; /* XCR0: SSE and AVX state enabled by the kernel */
}

/* Two system calls a round, each "nr(fd, buf, 1)": sched_yield twice alone, or a
 * write and a read of a pipe when two threads pass a token back and forth. */
struct hold_calls {
	long nr0, fd0, nr1, fd1;
	char *buf;
};

/* The body shared by the SSE and AVX variants: load 16 registers from in, make
 * n rounds of the two calls with nothing else touching them, store them to out.
 * The calls are issued inline so that no libc code (which may itself use the
 * vector registers) runs between load and store. */
#define R16(op, fmt) \
	op(0, fmt) op(1, fmt) op(2, fmt) op(3, fmt) op(4, fmt) op(5, fmt) op(6, fmt) op(7, fmt) \
	op(8, fmt) op(9, fmt) op(10, fmt) op(11, fmt) op(12, fmt) op(13, fmt) op(14, fmt) op(15, fmt)
#define LD(r, ins) ins " " #r "*32(%[in]), %%" REG #r "\n\t"
#define ST(r, ins) ins " %%" REG #r ", " #r "*32(%[out])\n\t"
#define CALLS \
	"1:\n\t" \
	"mov 0(%[c]), %%rax\n\t mov 8(%[c]), %%rdi\n\t mov 32(%[c]), %%rsi\n\t mov $1, %%edx\n\t syscall\n\t" \
	"mov 16(%[c]), %%rax\n\t mov 24(%[c]), %%rdi\n\t mov 32(%[c]), %%rsi\n\t mov $1, %%edx\n\t syscall\n\t" \
	"dec %[n]\n\t jnz 1b\n\t"
#define HOLD_CLOBBERS \
	"rax", "rcx", "rdx", "rsi", "rdi", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", \
	"xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

static void hold_avx(const uint8_t *in, uint8_t *out, unsigned long n, const struct hold_calls *c)
{
#define REG "ymm"
	__asm__ volatile(R16(LD, "vmovdqu") CALLS R16(ST, "vmovdqu") "vzeroupper\n\t"
			 : [n] "+r"(n) : [in] "r"(in), [out] "r"(out), [c] "r"(c) : HOLD_CLOBBERS);
#undef REG
}

static void hold_sse(const uint8_t *in, uint8_t *out, unsigned long n, const struct hold_calls *c)
{
#define REG "xmm"
	__asm__ volatile(R16(LD, "movdqu") CALLS R16(ST, "movdqu")
			 : [n] "+r"(n) : [in] "r"(in), [out] "r"(out), [c] "r"(c) : HOLD_CLOBBERS);
#undef REG
}

static int control_words(char *why, size_t len)
{
	unsigned mxcsr;
	unsigned short fcw;

	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(fcw));
	/* Only the control bits: the exception flags (low 6 bits) are sticky and legitimately set. */
	if ((mxcsr & ~0x3fu) != 0x1f80 || fcw != 0x037f) {
		snprintf(why, len, "MXCSR is 0x%04x and the x87 control word 0x%04x, expected 0x1f80 and 0x037f", mxcsr,
			 fcw);
		return HVB_EIO;
	}
	return 0;
}

/* One round: fresh patterns, n rounds of the calls, compare. 0 or HVB_EIO. */
static int hold_round(int avx, uint64_t *seed, unsigned long n, const struct hold_calls *c, char *why, size_t len)
{
	uint8_t in[NREG * VEC], out[NREG * VEC];
	size_t width = avx ? VEC : 16;

	for (size_t i = 0; i < sizeof(in); i += 8) { /* splitmix64 */
		uint64_t z = (*seed += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		memcpy(in + i, &z, 8);
	}
	memset(out, 0, sizeof(out));
	if (avx)
		hold_avx(in, out, n, c);
	else
		hold_sse(in, out, n, c);
	for (int r = 0; r < NREG; r++)
		if (memcmp(in + r * VEC, out + r * VEC, width)) {
			int upper = !memcmp(in + r * VEC, out + r * VEC, 16);
			snprintf(why, len, "%s%d%s changed across system calls and task switches", avx ? "ymm" : "xmm", r,
				 upper ? " (its upper 128 bits)" : "");
			return HVB_EIO;
		}
	return 0;
}

#define ROUND 16

/* The partner thread: answers each token of the pipe, holding its own
 * patterns, one round per control byte, so that the task switches between the
 * two threads make the kernel save and restore vector state (XSAVE/XRSTOR),
 * which sched_yield() alone on an idle vCPU need not do. */
struct partner {
	int avx, ctl, ping, pong, rc;
	char why[128];
};

static void *partner_main(void *arg)
{
	struct partner *p = arg;
	char buf = 0, go;
	uint64_t seed = 0x5851f42d4c957f2dULL;
	struct hold_calls c = { SYS_read, p->ping, SYS_write, p->pong, &buf };

	while (read(p->ctl, &go, 1) == 1 && go)
		if (p->rc == 0)
			p->rc = hold_round(p->avx, &seed, ROUND, &c, p->why, sizeof(p->why));
		else
			hold_round(p->avx, &seed, ROUND, &c, (char[128]){ 0 }, 128); /* keep answering */
	return NULL;
}

static int registers(double budget_s, char *why, size_t len)
{
	int avx = os_avx(), ctl[2], ping[2], pong[2], rc = 0;
	double t0 = hvb_now();
	uint64_t seed = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(t0 * 1e9);
	char buf = 0, go = 1;
	struct hold_calls alone = { SYS_sched_yield, 0, SYS_sched_yield, 0, &buf };
	struct partner p = { .avx = avx };
	pthread_t th;

	/* close-on-exec: a probe thread may fork and exec meanwhile. */
	if (pipe2(ctl, O_CLOEXEC) < 0)
		goto no_pipe;
	if (pipe2(ping, O_CLOEXEC) < 0) {
		close(ctl[0]), close(ctl[1]);
		goto no_pipe;
	}
	if (pipe2(pong, O_CLOEXEC) < 0) {
		close(ctl[0]), close(ctl[1]), close(ping[0]), close(ping[1]);
		goto no_pipe;
	}
	p.ctl = ctl[0], p.ping = ping[0], p.pong = pong[1];
	struct hold_calls pair = { SYS_write, ping[1], SYS_read, pong[0], &buf };
	/* No time to spare: one round alone, without the partner, whose token
	 * passes can wait for a CPU for milliseconds each on a loaded host. */
	int threaded = budget_s > 0 && pthread_create(&th, NULL, partner_main, &p) == 0;
	do {
		if (rc == 0)
			rc = hold_round(avx, &seed, ROUND, &alone, why, len);
		if (rc == 0 && threaded && write(ctl[1], &go, 1) == 1)
			rc = hold_round(avx, &seed, ROUND, &pair, why, len);
	} while (rc == 0 && hvb_now() - t0 < budget_s);
	if (threaded) {
		go = 0;
		if (write(ctl[1], &go, 1) == 1)
			pthread_join(th, NULL);
		else
			pthread_detach(th);
		if (rc == 0 && p.rc)
			rc = p.rc, snprintf(why, len, "%s (in a second thread)", p.why);
	}
	for (int i = 0; i < 2; i++)
		close(ctl[i]), close(ping[i]), close(pong[i]);
	return rc;
no_pipe:
	snprintf(why, len, "cannot make a pipe for the check");
	return HVB_EIO;
}
#endif

int hvb_cpustate_check(double budget_s, char *why, size_t len)
{
	static double first;
	static int have_first;
	double v = fp_series();
	int rc = 0;

	if (!have_first) {
		first = v;
		have_first = 1;
	} else if (memcmp(&v, &first, sizeof(v))) {
		snprintf(why, len, "a fixed floating-point computation gave %.17g, and %.17g earlier in this process", v,
			 first);
		rc = HVB_EIO;
	}
#if defined(__x86_64__)
	if (rc == 0)
		rc = control_words(why, len);
	if (rc == 0)
		rc = registers(budget_s, why, len);
#else
	(void)budget_s;
#endif
	return rc;
}
