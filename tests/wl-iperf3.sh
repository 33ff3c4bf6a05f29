#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iperf3: the workload starts its own one-shot server on loopback, runs the
# installed client for TCP and UDP, and leaves no server behind. The client's
# JSON and the server's output go back with the figures, as artifacts.
. "$top_srcdir/tests/wl-lib.sh"
port=$((20000 + $$ % 20000))
listening() { awk -v p="$(printf '%04X' "$1")" '$2 ~ ":"p"$" && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
wl_run iperf3 -d 1 -p $port protocol=tcp
need gbps cpu_host_pct cpu_remote_pct ops
rel "$(m gbps)" ">" 0 "TCP throughput"
artifact() { awk -v n="artifact:$1" '$1 == n { print $2 }' "$WLOUT"; }
rel "$(artifact iperf3.json)" ">" 100 "iperf3's JSON output kept as an artifact"
rel "$(artifact iperf3-server.log)" ">" 0 "the one-shot server's output kept as an artifact"
wl_run iperf3 -d 1 -p $port protocol=udp bitrate=100M
need gbps jitter_ms lost_pct
rel "$(m gbps)" ">" 0 "UDP throughput"
rel "$(m lost_pct)" "<=" 100 "UDP loss is a percentage"
wl_run iperf3 -d 1 -p $port reverse=on streams=2
need gbps
if listening $port; then echo "FAIL: a server still listens on $port"; fails=$((fails + 1)); else echo "ok: no server left on $port"; fi
wl_done
