# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests (C) and integration tests (shell, on the real native backend).
EXTRA_DIST += tests/check.h tests/lib.sh tests/bench/harness-overhead.sh tests/data/topo/2node.xml tests/data/topo/4node-distances.xml
check_PROGRAMS += tests/unit-config tests/unit-placement tests/unit-store tests/unit-cpustate tests/unit-store-safety tests/unit-agent-gone
tests_unit_agent_gone_LDADD = $(HVB_LIBS)
tests_unit_cpustate_LDADD = $(HVB_LIBS)
tests_unit_store_safety_LDADD = $(HVB_LIBS)
tests_unit_config_LDADD = $(HVB_LIBS)
tests_unit_placement_LDADD = $(HVB_LIBS)
tests_unit_store_LDADD = $(HVB_LIBS)
TESTS += tests/unit-config tests/unit-placement tests/unit-store tests/unit-cpustate tests/unit-agent-gone \
	tests/agent-protocol.sh tests/run-native.sh tests/run-interrupt.sh tests/run-interleave.sh tests/run-turns.sh tests/placement-native.sh tests/cli.sh tests/text-output.sh tests/configs.sh \
	tests/run-hostile.sh tests/report-hostile.sh
EXTRA_DIST += tests/data/cases/configs
EXTRA_DIST += tests/text-output.sh tests/run-hostile.sh tests/report-hostile.sh tests/configs.sh tests/cli.sh tests/agent-protocol.sh tests/run-native.sh tests/run-interrupt.sh tests/run-interleave.sh tests/run-turns.sh tests/placement-native.sh
# The store never destroys or hides data
TESTS += tests/unit-store-safety tests/store-safety.sh tests/store-readonly.sh tests/store-full.sh
EXTRA_DIST += tests/store-safety.sh tests/store-readonly.sh tests/store-full.sh
include tests/workloads.mk
include tests/xentrace.mk
include tests/xen.mk
include tests/probes.mk
check_PROGRAMS += tests/unit-xenstat
# CPU lists through hwloc's bitmaps, nothing read two ways
check_PROGRAMS += tests/unit-cpuset
tests_unit_cpuset_LDADD = $(HVB_LIBS)
TESTS += tests/unit-cpuset
tests_unit_xenstat_LDADD = $(HVB_LIBS)
TESTS += tests/unit-xenstat
include tests/analysis.mk

include tests/lab.mk
# Real machines' NUMA shapes for the planners (tests/unit-placement)
EXTRA_DIST += tests/data/topo/hbm-shared-cpuset.xml tests/data/topo/cxl-memory-only-node0.xml \
	tests/data/topo/unreadable-version3.xml tests/data/cases/topology/11-threadripper-nps4-memoryless.xml \
	tests/data/xen/topo-memoryless-cxl.json
# Help, man pages, completion (issue 20)
TESTS += tests/help.sh tests/licence.sh
EXTRA_DIST += tests/help.sh tests/licence.sh COPYING
TESTS += tests/review-minor.sh
EXTRA_DIST += tests/review-minor.sh
# Ad hoc runs (bench, run --set, run -) and exports (export, import, --json)
TESTS += tests/bench-cmd.sh tests/export.sh
EXTRA_DIST += tests/bench-cmd.sh tests/export.sh
# What was measured is what the run says: environment, raw outputs, facts, warnings (issue 20, 7-8)
TESTS += tests/run-environment.sh
EXTRA_DIST += tests/run-environment.sh
# hvbench -v reaches the agent (issue 20, 2)
TESTS += tests/run-debug.sh
EXTRA_DIST += tests/run-debug.sh
# Engines for many hosts (issue 21): Buildbot on loopback, example pipelines parsed
TESTS += tests/engine-buildbot.sh tests/engine-examples.sh tests/engine-abba.sh tests/engine-lava.sh
EXTRA_DIST += tests/engine-buildbot.sh tests/engine-examples.sh tests/engine-abba.sh tests/gitlab-ci-check.py tests/engine-lava.sh
EXTRA_DIST += tests/data/engines/small.ini
include tests/numa.mk
