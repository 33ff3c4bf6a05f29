#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs in the lab's dom0 (started by /sbin/hvbench-lab-init). Starts the toolstack,
# installs hvbench from the share, proves the guest image in each mode (guest-proof.sh),
# runs the experiment with --lab, and leaves everything to bring back in /share/out.
# Work happens on dom0's own disk: heavy writes onto 9p hung dom0 once (shared/notes/xen-lab.md).
OUT=/share/out
W=/var/tmp/hvbench-lab
mkdir -p $W/console $OUT
up() { cut -d' ' -f1 /proc/uptime; }
log() { echo "HVBENCH-LAB[$(up)] $*"; echo "[$(up)] $*" >> $W/timeline.txt; }
. /share/lab.env

# Guest consoles go to dom0's disk, copied out at the end.
grep -v '^XENCONSOLED_ARGS' /etc/default/xen > /tmp/xen.default
echo "XENCONSOLED_ARGS=\"--log=guest --log-dir=$W/console\"" >> /tmp/xen.default
cp /tmp/xen.default /etc/default/xen
# The bridge guests' vifs join (the vif-bridge script's default name), with dom0's address on it.
ip link add xenbr0 type bridge && ip addr add 10.99.0.1/24 dev xenbr0 && ip link set xenbr0 up
ip link set lo up
/etc/init.d/xen start > $W/initd-xen-start.txt 2>&1
rc=$?
log "/etc/init.d/xen start rc=$rc"
echo "HVBENCH-LAB-XEN-STARTED rc=$rc"

install -m 0755 /share/hvbench /usr/local/bin/hvbench
if ! hvbench --version > $W/hvbench-version.txt 2>&1; then
	log "hvbench does not run in dom0:"; cat $W/hvbench-version.txt
	ldd /usr/local/bin/hvbench | grep 'not found'
fi
xl info > $W/xl-info.txt 2>&1
xl info -n > $W/xl-info-n.txt 2>&1
cat /proc/xen/capabilities > $W/capabilities.txt 2>&1
cat /sys/hypervisor/guest_type > $W/dom0-guest-type.txt 2>&1
hvbench topo > $W/hvbench-topo.txt 2>&1
grep -E 'xen_version|virt_caps|nr_nodes|free_memory' $W/xl-info.txt | sed 's/^/HVBENCH-LAB-INFO /'

if [ "$PROOF" = 1 ] && [ -f /share/guest-proof.sh ]; then
	log "guest proof begin"
	PROOF_BLKBACK=$PROOF_BLKBACK sh /share/guest-proof.sh /share/guest $W/proof "$PROOF_MODES"
	log "guest proof end rc=$?"
fi

# The Xen backend boots the guest image the proof used; fio's disks stay small on dom0's disk.
# Native cells' scratch files (fio) on dom0's disk: its /tmp is a tmpfs without O_DIRECT.
export HVBENCH_IMAGE_DIR=/share/guest HVBENCH_XEN_DISK_SIZE=64M TMPDIR=/var/tmp

# The experiment: progress lines get dom0's uptime in front, so the host can time each cell.
log "HVBENCH-LAB-RUN begin"
cd $W
{ hvbench run --lab --db $W/lab.db /share/experiment.ini 2>&1; echo "run_rc=$?" > $W/status; } |
	while IFS= read -r line; do
		echo "[$(up)] $line" >> $W/run.log
		case $line in *"hvbench: cell"*) echo "HVBENCH-LAB-CELL[$(up)] ${line#hvbench: }" ;; esac
	done
log "HVBENCH-LAB-RUN end $(cat $W/status)"
hvbench show last --db $W/lab.db > $W/show-last.txt 2>&1
xl list > $W/xl-list-end.txt 2>&1
log "domains left: $(($(wc -l < $W/xl-list-end.txt) - 2))"
xl dmesg > $W/xl-dmesg.txt 2>&1
cp /var/log/xen/*.log $W/console/ 2>/dev/null
# The backend's own guest consoles and iperf3 server logs.
cp -r /var/log/hvbench $W/hvbench-logs 2>/dev/null
# Trace files the run left (xentrace captures) next to the database.
mkdir -p $W/traces
find / -xdev \( -name '*.xentrace' -o -name 'trace-*.bin' \) -newer $W/hvbench-version.txt 2>/dev/null |
	grep -v "^$W/" | while read -r f; do cp "$f" $W/traces/; done
sync
cp -a $W/. $OUT/
sync
