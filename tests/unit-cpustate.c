/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The agent's CPU state check (bench/cpustate.c): quiet on a healthy CPU, and it
 * catches each fault it is there for. A corrupting hypervisor is played by a
 * signal handler that changes a vector register in the saved context, which
 * the kernel then restores: what a vCPU switch that loses state does. */
#define _GNU_SOURCE
#include "config.h"
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>
#include "bench/bench.h"
#include "tests/check.h"

#if defined(__x86_64__)
static volatile sig_atomic_t flips;

static void corrupt(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;

	(void)sig;
	(void)si;
	if (uc->uc_mcontext.fpregs) {
		uc->uc_mcontext.fpregs->_xmm[5].element[1] ^= 0x10;
		flips++;
	}
}
#endif

int main(void)
{
	char why[256] = "";

	CHECK(hvb_cpustate_check(0.02, why, sizeof(why)) == 0);
	CHECK(hvb_cpustate_check(0.02, why, sizeof(why)) == 0);

	/* A rounding mode left changed: the fixed computation or MXCSR shows it. */
	fesetround(FE_UPWARD);
	why[0] = 0;
	CHECK(hvb_cpustate_check(0.001, why, sizeof(why)) == HVB_EIO);
	fesetround(FE_TONEAREST);
	CHECK(why[0] != 0);
	fprintf(stderr, "rounding mode changed: %s\n", why);
	CHECK(hvb_cpustate_check(0.001, why, sizeof(why)) == 0);

#if defined(__x86_64__)
	/* A vector register changed while the task was off the CPU. */
	struct sigaction sa = { .sa_sigaction = corrupt, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct itimerval it = { .it_interval = { 0, 200 }, .it_value = { 0, 200 } };
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	why[0] = 0;
	int rc = hvb_cpustate_check(2.0, why, sizeof(why));
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
	CHECK(flips > 0);
	CHECK(rc == HVB_EIO);
	/* Mostly the register check sees it; a flip that lands during the fixed
	 * computation (when it uses xmm5) shows there instead. */
	CHECK(strstr(why, "mm5 changed") || strstr(why, "fixed floating-point computation"));
	fprintf(stderr, "register changed behind the task's back (%d flips): %s\n", (int)flips, why);
#endif
	return CHECK_DONE();
}
