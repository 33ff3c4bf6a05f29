# SPDX-License-Identifier: GPL-2.0-or-later
# xentrace decoder tests: real traces from Xen 4.17 and 4.20 with their xenalyze's figures beside them.
xentrace_test_data = tests/data/xentrace/README.md \
	tests/data/xentrace/fresh-hvm-workload-all-5s.bin tests/data/xentrace/fresh-hvm-workload-all-5s.xenalyze-summary.txt \
	tests/data/xentrace/fresh-pv-workload-all-5s.bin tests/data/xentrace/fresh-pv-workload-all-5s.xenalyze-summary.txt \
	tests/data/xentrace/fresh-pvh-workload-all-5s.bin tests/data/xentrace/fresh-pvh-workload-all-5s.xenalyze-summary.txt \
	tests/data/xentrace/narrow-hvm-hvmclass-3s.bin tests/data/xentrace/narrow-hvm-hvmclass-3s.xenalyze-summary.txt \
	tests/data/xentrace/run1-pv-create-all-5s.bin tests/data/xentrace/run1-pv-create-all-5s.xenalyze-summary.txt \
	tests/data/xentrace/4.20/README.md \
	tests/data/xentrace/4.20/xen420-hvm-workload-all-5s.bin tests/data/xentrace/4.20/xen420-hvm-workload-all-5s.xenalyze-summary.txt \
	tests/data/xentrace/4.20/xen420-narrow-hvm-hvmclass-5s.bin tests/data/xentrace/4.20/xen420-narrow-hvm-hvmclass-5s.xenalyze-summary.txt \
	tests/data/xentrace/4.20/xen420-pv-workload-all-5s.bin tests/data/xentrace/4.20/xen420-pv-workload-all-5s.xenalyze-summary.txt \
	tests/data/xentrace/4.20/xen420-pvh-workload-all-5s.bin tests/data/xentrace/4.20/xen420-pvh-workload-all-5s.xenalyze-summary.txt \
	tests/data/xentrace/4.20/xen420-lab-pv-fio-blkback.bin tests/data/xentrace/4.20/xen420-lab-pv-fio-blkback.xenalyze-summary.txt \
	tests/data/xentrace/4.20/xen420-lab-pvh-iperf3-netback.bin tests/data/xentrace/4.20/xen420-lab-pvh-iperf3-netback.xenalyze-summary.txt \
	tests/data/xentrace/4.20/xen420-lab-pv-fio-blkback-nonpersistent.bin \
	tests/data/xentrace/4.20/xen420-lab-pv-fio-blkback-nonpersistent.xenalyze-summary.txt \
	tests/data/xentrace/hooks/README.md \
	tests/data/xentrace/hooks/hooks420-lab-pv-iperf3-netback.bin tests/data/xentrace/hooks/hooks420-lab-pv-iperf3-netback.bin.meta.json \
	tests/data/xentrace/hooks/hooks420-lab-hvm-iperf3-netback.bin tests/data/xentrace/hooks/hooks420-lab-hvm-iperf3-netback.bin.meta.json
xentrace_case_data = tests/data/cases/xentrace/01-xen419-svm-exit64.bin tests/data/cases/xentrace/01b-xen417-vmexit64-control.bin \
	tests/data/cases/xentrace/03-tsc-skew-2pcpu.bin tests/data/cases/xentrace/04-384-pcpus.bin \
	tests/data/cases/xentrace/05-xentrace-killed-truncated.bin tests/data/cases/xentrace/05b-complete-control.bin \
	tests/data/cases/xentrace/06-lost-records-same-vcpu.bin \
	tests/data/xentrace/tsc/high-cpu0.bin tests/data/xentrace/tsc/high-cpu1.bin tests/data/xentrace/tsc/near-wrap.bin
EXTRA_DIST += $(xentrace_test_data) $(xentrace_case_data) probes/xentrace/README tests/xentrace-cli.sh tests/xentrace-cases.sh tests/xentrace-hooks.sh tests/xentrace-lib.sh tests/fuzz/xentrace-fuzz.c \
	tests/bench/xentrace-bench.sh tests/bench/README
check_PROGRAMS += tests/xentrace-xenalyze tests/xentrace-errors tests/xentrace-hcargs tests/xentrace-meta
TESTS += tests/xentrace-xenalyze tests/xentrace-errors tests/xentrace-hcargs tests/xentrace-meta tests/xentrace-cli.sh tests/xentrace-cases.sh tests/xentrace-hooks.sh
tests_xentrace_xenalyze_LDADD = $(HVB_LIBS)
tests_xentrace_errors_LDADD = $(HVB_LIBS)
tests_xentrace_hcargs_LDADD = $(HVB_LIBS)
tests_xentrace_meta_LDADD = $(HVB_LIBS)

# The big-trace generator of the benchmark (not built by default).
EXTRA_PROGRAMS = tests/bench/xentrace-bigtrace
tests_bench_xentrace_bigtrace_SOURCES = tests/bench/xentrace-bigtrace.c
CLEANFILES += tests/bench/xentrace-bigtrace tests/fuzz/xentrace-fuzz

# libFuzzer target: clang with -fsanitize=fuzzer,address,undefined, bounded run.
FUZZ_CC = clang
FUZZ_TIME = 60
fuzz-xentrace: $(libhvbench_a_SOURCES) tests/fuzz/xentrace-fuzz.c
	@mkdir -p tests/fuzz/corpus-xentrace
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-I$(srcdir) -I$(builddir) $(JANSSON_CFLAGS) -o tests/fuzz/xentrace-fuzz \
		$(srcdir)/tests/fuzz/xentrace-fuzz.c $(addprefix $(srcdir)/,$(filter probes/xentrace/%.c,$(libhvbench_a_SOURCES))) \
		$(srcdir)/results/error.c $(srcdir)/results/metric.c $(srcdir)/results/option.c $(JANSSON_LIBS) -lm
	tests/fuzz/xentrace-fuzz -max_total_time=$(FUZZ_TIME) -max_len=262144 -rss_limit_mb=2048 -artifact_prefix=tests/fuzz/ \
		tests/fuzz/corpus-xentrace $(srcdir)/tests/data/xentrace
.PHONY: fuzz-xentrace

# The spinlock slow path on records built to Xen's layouts (issue 18): polls, kicks, per op
check_PROGRAMS += tests/xentrace-spin
TESTS += tests/xentrace-spin
tests_xentrace_spin_LDADD = $(HVB_LIBS)
