# SPDX-License-Identifier: GPL-2.0-or-later
# Probe tests: perf and tracefs on real workloads, numa on a bound process,
# the sysfs/proc parsers on recorded trees (tests/data/probes/).
check_PROGRAMS += tests/probe-test
tests_probe_test_LDADD = $(HVB_LIBS)
PROBE_TESTS = tests/probe-perf.sh tests/probe-tracefs.sh tests/probe-numa.sh tests/probe-steal.sh \
	tests/probe-backends.sh tests/probe-xenstat.sh tests/probe-backwards.sh
TESTS += $(PROBE_TESTS)
# xenperf and xenlockprof: their deltas on readings given as data; the probes
# themselves in a dom0 (tests/probe-xenhooks.sh; a skip elsewhere)
check_PROGRAMS += tests/unit-xenhooks
tests_unit_xenhooks_LDADD = $(HVB_LIBS)
TESTS += tests/unit-xenhooks tests/probe-xenhooks.sh
EXTRA_DIST += tests/probe-xenhooks.sh tests/data/hosts/xen420-hooks-dom0.json tests/data/hosts/xen420-debian-dom0.json
# What xenperf, xenlockprof and xenstat share (probes/snapshot.c), on a fake source
check_PROGRAMS += tests/unit-snapshot
tests_unit_snapshot_LDADD = $(HVB_LIBS)
TESTS += tests/unit-snapshot
EXTRA_DIST += $(PROBE_TESTS) tests/probe-lib.sh tests/bench/probes-overhead.sh tests/bench/README-probes.md

# Recorded trees for the parsers (tests/data/probes/README)
EXTRA_DIST += tests/data/probes/README \
	tests/data/probes/proc/4242/numa_maps \
	tests/data/probes/proc/4242/task/4242/status \
	tests/data/probes/proc/4242/task/4243/status \
	tests/data/probes/proc/stat \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-12-51712/statistics/ds_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-12-51712/statistics/f_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-12-51712/statistics/oo_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-12-51712/statistics/rd_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-12-51712/statistics/rd_sect \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-12-51712/statistics/wr_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-12-51712/statistics/wr_sect \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51712/statistics/ds_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51712/statistics/f_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51712/statistics/oo_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51712/statistics/rd_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51712/statistics/rd_sect \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51712/statistics/wr_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51712/statistics/wr_sect \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51728/statistics/ds_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51728/statistics/f_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51728/statistics/oo_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51728/statistics/rd_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51728/statistics/rd_sect \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51728/statistics/wr_req \
	tests/data/probes/sys/bus/xen-backend/devices/vbd-3-51728/statistics/wr_sect \
	tests/data/probes/sys/bus/xen-backend/devices/vif-12-0/net/vif12.0/ifindex \
	tests/data/probes/sys/bus/xen-backend/devices/vif-3-0/net/vif3.0/ifindex \
	tests/data/probes/sys/bus/xen-backend/devices/vif-3-1/net/vif3.1/ifindex \
	tests/data/probes/sys/class/net/vif3.0/statistics/rx_bytes \
	tests/data/probes/sys/class/net/vif3.0/statistics/tx_bytes \
	tests/data/probes/sys/class/net/vif3.0/statistics/rx_packets \
	tests/data/probes/sys/class/net/vif3.0/statistics/tx_packets \
	tests/data/probes/sys/class/net/vif3.0/statistics/rx_dropped \
	tests/data/probes/sys/class/net/vif3.0/statistics/tx_dropped \
	tests/data/probes/sys/class/net/vif3.1/statistics/rx_bytes \
	tests/data/probes/sys/class/net/vif3.1/statistics/tx_bytes \
	tests/data/probes/sys/class/net/vif3.1/statistics/rx_packets \
	tests/data/probes/sys/class/net/vif3.1/statistics/tx_packets \
	tests/data/probes/sys/class/net/vif3.1/statistics/rx_dropped \
	tests/data/probes/sys/class/net/vif3.1/statistics/tx_dropped \
	tests/data/probes/sys/devices/system/node/node0/numastat \
	tests/data/probes/sys/devices/system/node/node1/numastat
EXTRA_DIST += tests/data/cases/steal/after/proc/stat \
	tests/data/cases/steal/before/proc/stat \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51712/statistics/ds_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51712/statistics/f_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51712/statistics/oo_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51712/statistics/rd_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51712/statistics/rd_sect \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51712/statistics/wr_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51712/statistics/wr_sect \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51728/statistics/ds_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51728/statistics/f_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51728/statistics/oo_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51728/statistics/rd_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51728/statistics/rd_sect \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51728/statistics/wr_req \
	tests/data/probes/later/sys/bus/xen-backend/devices/vbd-3-51728/statistics/wr_sect \
	tests/data/probes/later/sys/bus/xen-backend/devices/vif-3-0/net/vif3.0/ifindex \
	tests/data/probes/later/sys/bus/xen-backend/devices/vif-3-1/net/vif3.1/ifindex \
	tests/data/probes/later/sys/class/net/vif3.0/statistics/rx_bytes \
	tests/data/probes/later/sys/class/net/vif3.0/statistics/rx_dropped \
	tests/data/probes/later/sys/class/net/vif3.0/statistics/rx_packets \
	tests/data/probes/later/sys/class/net/vif3.0/statistics/tx_bytes \
	tests/data/probes/later/sys/class/net/vif3.0/statistics/tx_dropped \
	tests/data/probes/later/sys/class/net/vif3.0/statistics/tx_packets \
	tests/data/probes/later/sys/class/net/vif3.1/statistics/rx_bytes \
	tests/data/probes/later/sys/class/net/vif3.1/statistics/rx_dropped \
	tests/data/probes/later/sys/class/net/vif3.1/statistics/rx_packets \
	tests/data/probes/later/sys/class/net/vif3.1/statistics/tx_bytes \
	tests/data/probes/later/sys/class/net/vif3.1/statistics/tx_dropped \
	tests/data/probes/later/sys/class/net/vif3.1/statistics/tx_packets \
	tests/data/probes/later/sys/devices/system/node/node0/numastat \
	tests/data/probes/later/sys/devices/system/node/node1/numastat
