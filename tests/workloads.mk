# SPDX-License-Identifier: GPL-2.0-or-later
# Workload suite tests: each workload run for real at a tiny size, and the fio /
# iperf3 output parsers fed with recorded output.
check_PROGRAMS += tests/wl-test
tests_wl_test_LDADD = $(HVB_LIBS)
WL_TESTS = tests/wl-lifetime.sh tests/wl-spinlock.sh tests/wl-memlat.sh tests/wl-membw.sh tests/wl-syscall.sh \
	tests/wl-pgfault.sh tests/wl-ipc.sh tests/wl-wakeup.sh tests/wl-fio.sh tests/wl-iperf3.sh \
	tests/wl-tlbshoot.sh tests/wl-mmaplock.sh tests/wl-futexhash.sh tests/wl-forkexec.sh tests/run-antagonists.sh
TESTS += $(WL_TESTS)
EXTRA_DIST += $(WL_TESTS) tests/wl-lib.sh
check_PROGRAMS += tests/wl-parsers
tests_wl_parsers_LDADD = $(HVB_LIBS)
TESTS += tests/wl-parsers
EXTRA_DIST += tests/data/workloads/fio-randread.json tests/data/workloads/fio-bw-minus1.json tests/data/workloads/fio-randrw-note.json \
	tests/data/workloads/fio-dup-rw.json tests/data/workloads/fio-dup-iops.json \
	tests/data/workloads/fio-garbage.json tests/data/workloads/fio-truncated.json \
	tests/data/workloads/fio-bogus-engine.out tests/data/workloads/iperf3-tcp.json \
	tests/data/workloads/iperf3-tcp-reverse-2streams.json tests/data/workloads/iperf3-udp.json \
	tests/data/workloads/iperf3-udp-nan.json tests/data/workloads/iperf3-tcp-trailing-error.json \
	tests/data/workloads/iperf3-garbage-prefix.json tests/data/workloads/iperf3-refused.json \
	tests/data/workloads/iperf3-truncated.json \
	tests/data/cases/tool-output/07-iperf3-3.1.3-udp-sum-only.json \
	tests/data/cases/tool-output/08-iperf3-3.17-json-twice.json \
	tests/data/cases/tool-output/09-fio-2.2.10-xvda.json \
	tests/data/cases/tool-output/10-fio-io_u-error-prefix.json
# benchmarks, not tests: run by hand (see tests/bench/README.md)
EXTRA_DIST += tests/bench/wl-bench-lib.sh tests/bench/workloads-vs-reference.sh tests/bench/workloads-cov.sh \
	tests/bench/README.md
