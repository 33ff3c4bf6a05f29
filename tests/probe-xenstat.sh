#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# xenstat: `hvbench help xenstat` documents it everywhere; in a dom0 with
# xenstored (and root) it runs around a command, watching dom0 itself as it
# does for the native backend; elsewhere it is skipped with its reason.
. "$top_srcdir/tests/probe-lib.sh"

"$HVBENCH" help xenstat >"$WLOUT" 2>&1 || { echo "FAIL: hvbench help xenstat exited $?"; fails=$((fails + 1)); }
cat "$WLOUT"
has "$WLOUT" "^probe xenstat: " "help names the probe"
has "$WLOUT" "^  domid " "help lists the domid option"
for n in cpu_s vcpu_s cpu_pct vcpus_online mem_cur_mib mem_max_mib net_tx_bytes net_rx_drop vbd_rd_req vbd_oo_req; do
	has "$WLOUT" "^  xenstat\.$n " "help lists xenstat.$n"
done
has "$WLOUT" "^on this host: " "help says whether it runs here"
"$HVBENCH" help probes >"$WLOUT" 2>&1 || true
has "$WLOUT" "^  xenstat " "hvbench help probes lists xenstat"

r=0; probe_run xenstat -- sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i + 1)); done' || r=$?
if [ "$r" = 77 ]; then
	has "$WLOUT" "^SKIP xenstat: .+" "the skip says why"
	[ "$fails" = 0 ] || wl_done
	echo "skip: $(cat "$WLOUT")"
	exit 77
fi
is "$r" 0 "probe-test run xenstat"
need xenstat.cpu_s xenstat.vcpu_s xenstat.cpu_pct xenstat.vcpus xenstat.vcpus_online xenstat.mem_cur_mib
rel "$(m xenstat.cpu_s)" ">" 0 "dom0 used CPU time while the loop ran"
rel "$(m xenstat.vcpus_online)" ">=" 1 "dom0 has a vCPU online"
rel "$(m xenstat.vcpus_online)" "<=" "$(m xenstat.vcpus)" "no more vCPUs online than it has"
rel "$(m xenstat.mem_cur_mib)" ">" 0 "dom0 holds memory"
wl_done
