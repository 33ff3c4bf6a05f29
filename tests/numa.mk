# SPDX-License-Identifier: GPL-2.0-or-later
# NUMA: random placement as a distribution, several guests, the report's
# placement comparison, convergence over time (issue 19).
check_PROGRAMS += tests/unit-guests
tests_unit_guests_LDADD = $(HVB_LIBS)
TESTS += tests/unit-guests
EXTRA_DIST += tests/data/topo/8node-distances.xml
if HAVE_GSL
check_PROGRAMS += tests/unit-numa-report
tests_unit_numa_report_LDADD = $(HVB_LIBS)
TESTS += tests/unit-numa-report
endif
# numa01/numa02-style threads and where their memory lies over a sample
TESTS += tests/wl-autonuma.sh
EXTRA_DIST += tests/wl-autonuma.sh
# native runs: draws stored per sample, two guests, auto, the convergence plot
TESTS += tests/numa-native.sh
EXTRA_DIST += tests/numa-native.sh
# measured on two nodes or more (skipped with the reason on one)
TESTS += tests/numa-two-nodes.sh
EXTRA_DIST += tests/numa-two-nodes.sh
