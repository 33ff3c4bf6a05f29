#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# blkback and netback: the sysfs readers on a tree laid out like a dom0's, the
# ethtool ioctl on a real interface, and both probes skip with a reason here.
. "$top_srcdir/tests/probe-lib.sh"
D="$top_srcdir/tests/data/probes"

"$PT" blkback "$D" 3 >"$WLOUT"
# vbd-3-51712 + vbd-3-51728; vbd-12-51712 belongs to another guest
is "$(m rd_req)" 1230 "blkback rd_req summed over the guest's vbds"
is "$(m wr_sect)" 69600 "blkback wr_sect summed"
is "$(m oo_req)" 5 "blkback oo_req summed"
is "$(wc -l <"$WLOUT")" 7 "all seven vbd statistics"
is "$("$PT" vifs "$D" 3 | sort | tr '\n' ' ')" "vif3.0 vif3.1 " "netback finds the guest's vifs only"
is "$("$PT" vifs "$D" 99 | wc -l)" 0 "no vifs for a guest without any"
"$PT" netback "$D" 3 >"$WLOUT"
# vif3.0 + vif3.1 interface statistics (no ethtool on interfaces that exist only in the tree)
is "$(m from_guest_bytes)" 1000500 "netback: bytes from the guest summed over its vifs"
is "$(m to_guest_packets)" 32 "netback: packets to the guest summed"
is "$(m dropped)" 3 "netback: drops both ways"

# Natively, neither probe can run; each says why.
for p in blkback netback; do
	r=0; probe_run $p -- true || r=$?
	if [ -d /sys/bus/xen-backend ]; then
		echo "note: this is a Xen dom0; $p ran: exit $r"
	else
		is "$r" 77 "$p skipped natively"
		has "$WLOUT" "SKIP $p: not running in a Xen dom0" "$p says why"
	fi
done

# The ethtool ioctl: a driver without statistics is a skip; a veth pair reports
# its peer's ifindex among its statistics.
r=0; "$PT" ethtool lo >"$WLOUT" || r=$?
is "$r" 77 "loopback keeps no ethtool statistics"
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && ip link add hvbt$$a type veth peer name hvbt$$b 2>/dev/null; then
	"$PT" ethtool hvbt$$a >"$WLOUT" || true
	is "$(m peer_ifindex)" "$(cat /sys/class/net/hvbt$$b/ifindex)" "veth statistics: peer_ifindex is the peer's"
	ip link del hvbt$$a
else
	echo "note: cannot create a veth pair here (not root, or no ip); ethtool read on a live interface only"
	for i in $(ls /sys/class/net); do
		"$PT" ethtool "$i" >"$WLOUT" 2>/dev/null && { rel "$(wc -l <"$WLOUT")" ">" 0 "$i has ethtool statistics"; break; }
	done
fi
wl_done
