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
#include <sys/syscall.h>

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

/* Loads the registers from in, makes n sched_yield() calls with nothing else
 * touching them, stores them to out. The system call is issued inline so that
 * no libc code (which may use vector registers) runs between load and store. */
static void hold_avx(const uint8_t *in, uint8_t *out, unsigned long n)
{
	__asm__ volatile(
		"vmovdqu 0(%[in]), %%ymm0\n\t"   "vmovdqu 32(%[in]), %%ymm1\n\t"
		"vmovdqu 64(%[in]), %%ymm2\n\t"  "vmovdqu 96(%[in]), %%ymm3\n\t"
		"vmovdqu 128(%[in]), %%ymm4\n\t" "vmovdqu 160(%[in]), %%ymm5\n\t"
		"vmovdqu 192(%[in]), %%ymm6\n\t" "vmovdqu 224(%[in]), %%ymm7\n\t"
		"vmovdqu 256(%[in]), %%ymm8\n\t" "vmovdqu 288(%[in]), %%ymm9\n\t"
		"vmovdqu 320(%[in]), %%ymm10\n\t" "vmovdqu 352(%[in]), %%ymm11\n\t"
		"vmovdqu 384(%[in]), %%ymm12\n\t" "vmovdqu 416(%[in]), %%ymm13\n\t"
		"vmovdqu 448(%[in]), %%ymm14\n\t" "vmovdqu 480(%[in]), %%ymm15\n\t"
		"1:\n\t"
		"mov %[nr], %%eax\n\t"
		"syscall\n\t"
		"dec %[n]\n\t"
		"jnz 1b\n\t"
		"vmovdqu %%ymm0, 0(%[out])\n\t"   "vmovdqu %%ymm1, 32(%[out])\n\t"
		"vmovdqu %%ymm2, 64(%[out])\n\t"  "vmovdqu %%ymm3, 96(%[out])\n\t"
		"vmovdqu %%ymm4, 128(%[out])\n\t" "vmovdqu %%ymm5, 160(%[out])\n\t"
		"vmovdqu %%ymm6, 192(%[out])\n\t" "vmovdqu %%ymm7, 224(%[out])\n\t"
		"vmovdqu %%ymm8, 256(%[out])\n\t" "vmovdqu %%ymm9, 288(%[out])\n\t"
		"vmovdqu %%ymm10, 320(%[out])\n\t" "vmovdqu %%ymm11, 352(%[out])\n\t"
		"vmovdqu %%ymm12, 384(%[out])\n\t" "vmovdqu %%ymm13, 416(%[out])\n\t"
		"vmovdqu %%ymm14, 448(%[out])\n\t" "vmovdqu %%ymm15, 480(%[out])\n\t"
		"vzeroupper\n\t"
		: [n] "+r"(n)
		: [in] "r"(in), [out] "r"(out), [nr] "i"(SYS_sched_yield)
		: "rax", "rcx", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
		  "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

static void hold_sse(const uint8_t *in, uint8_t *out, unsigned long n)
{
	__asm__ volatile(
		"movdqu 0(%[in]), %%xmm0\n\t"   "movdqu 32(%[in]), %%xmm1\n\t"
		"movdqu 64(%[in]), %%xmm2\n\t"  "movdqu 96(%[in]), %%xmm3\n\t"
		"movdqu 128(%[in]), %%xmm4\n\t" "movdqu 160(%[in]), %%xmm5\n\t"
		"movdqu 192(%[in]), %%xmm6\n\t" "movdqu 224(%[in]), %%xmm7\n\t"
		"movdqu 256(%[in]), %%xmm8\n\t" "movdqu 288(%[in]), %%xmm9\n\t"
		"movdqu 320(%[in]), %%xmm10\n\t" "movdqu 352(%[in]), %%xmm11\n\t"
		"movdqu 384(%[in]), %%xmm12\n\t" "movdqu 416(%[in]), %%xmm13\n\t"
		"movdqu 448(%[in]), %%xmm14\n\t" "movdqu 480(%[in]), %%xmm15\n\t"
		"1:\n\t"
		"mov %[nr], %%eax\n\t"
		"syscall\n\t"
		"dec %[n]\n\t"
		"jnz 1b\n\t"
		"movdqu %%xmm0, 0(%[out])\n\t"   "movdqu %%xmm1, 32(%[out])\n\t"
		"movdqu %%xmm2, 64(%[out])\n\t"  "movdqu %%xmm3, 96(%[out])\n\t"
		"movdqu %%xmm4, 128(%[out])\n\t" "movdqu %%xmm5, 160(%[out])\n\t"
		"movdqu %%xmm6, 192(%[out])\n\t" "movdqu %%xmm7, 224(%[out])\n\t"
		"movdqu %%xmm8, 256(%[out])\n\t" "movdqu %%xmm9, 288(%[out])\n\t"
		"movdqu %%xmm10, 320(%[out])\n\t" "movdqu %%xmm11, 352(%[out])\n\t"
		"movdqu %%xmm12, 384(%[out])\n\t" "movdqu %%xmm13, 416(%[out])\n\t"
		"movdqu %%xmm14, 448(%[out])\n\t" "movdqu %%xmm15, 480(%[out])\n\t"
		: [n] "+r"(n)
		: [in] "r"(in), [out] "r"(out), [nr] "i"(SYS_sched_yield)
		: "rax", "rcx", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
		  "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
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

static int registers(double budget_s, char *why, size_t len)
{
	uint8_t in[NREG * VEC], out[NREG * VEC];
	int avx = os_avx();
	size_t width = avx ? VEC : 16;
	double t0 = hvb_now();
	uint64_t x = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(t0 * 1e9);

	do {
		for (size_t i = 0; i < sizeof(in); i += 8) { /* splitmix64: a new pattern each round */
			uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
			z ^= z >> 31;
			memcpy(in + i, &z, 8);
		}
		memset(out, 0, sizeof(out));
		if (avx)
			hold_avx(in, out, 64);
		else
			hold_sse(in, out, 64);
		for (int r = 0; r < NREG; r++)
			if (memcmp(in + r * VEC, out + r * VEC, width)) {
				int lane = memcmp(in + r * VEC, out + r * VEC, 16) ? 0 : 1;
				snprintf(why, len, "%s%d%s changed across system calls and context switches",
					 avx ? "ymm" : "xmm", r, avx && lane ? " (its upper 128 bits)" : "");
				return HVB_EIO;
			}
	} while (hvb_now() - t0 < budget_s);
	return 0;
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
