#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# mmaplock: faulting threads fault whole regions (the count is a multiple of the
# region's pages), mapping threads map and unmap beside them, and with
# mappers = 0 the mapping figures are absent rather than zero.
. "$top_srcdir/tests/wl-lib.sh"
wl_run mmaplock -d 0.2 faulters=2 mappers=1 region=256K
need fault_ns faults_per_s mmap_ns mmaps_per_s threads ops
rel "$(m threads)" ">=" 3 "2 faulters and 1 mapper"
rel "$(m threads)" "<=" 3 "2 faulters and 1 mapper"
rel "$(m ops)" ">" 0 "faults counted"
rel "$(awk -v n="$(m ops)" 'BEGIN { print n % 64 }')" "<=" 0 "faults come in whole regions of 64 pages"
rel "$(m fault_ns)" ">" 0 "a fault takes time"
rel "$(m mmaps_per_s)" ">" 0 "the mapper mapped"
wl_run mmaplock -d 0.2 faulters=2 mappers=0 region=256K
need fault_ns faults_per_s ops
if [ -n "$(m mmap_ns)$(m mmaps_per_s)" ]; then
	echo "FAIL: mappers=0 reports mapping figures"; fails=$((fails + 1))
fi
wl_done
