# Workload suite tests: each workload run for real at a tiny size, and the fio /
# iperf3 output parsers fed with recorded output.
check_PROGRAMS += tests/wl-test
tests_wl_test_LDADD = $(HVB_LIBS)
WL_TESTS = tests/wl-spinlock.sh tests/wl-memlat.sh tests/wl-membw.sh tests/wl-syscall.sh \
	tests/wl-pgfault.sh tests/wl-ipc.sh tests/wl-wakeup.sh
TESTS += $(WL_TESTS)
EXTRA_DIST += $(WL_TESTS) tests/wl-lib.sh
