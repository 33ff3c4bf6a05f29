#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# PID 1 of dom0 under LAVA. The job's deploy lays this file over /sbin/hvbench-lab-init
# of the lab's dom0 image (a per-job copy; the lab's initrd switches to that path), so
# dom0 is the lab's: Debian packages (Xen's toolstack, Debian's kernel), set up as
# hv/lab/dom0-init.sh and dom0-run.sh do. Then, instead of running an experiment and
# powering off, it gives LAVA a root shell on the console for its test shell.
# The mounts repeat hv/lab/dom0-init.sh's on purpose: that file is hashed into the key
# of every cached lab dom0 image, so sharing a piece of it would rebuild them all.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -o remount,rw /
hostname dom0
for m in xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback xen-netback bridge loop tun; do
	modprobe $m || echo "hvbench-lava: modprobe $m failed"
done
mount -t xenfs xenfs /proc/xen 2>/dev/null
ip link set lo up
# The guests' bridge, as in the lab (vif-bridge's default name).
ip link add xenbr0 type bridge && ip addr add 10.99.0.1/24 dev xenbr0 && ip link set xenbr0 up
/etc/init.d/xen start > /var/tmp/initd-xen-start.txt 2>&1
echo "HVBENCH-LAVA-XEN-STARTED rc=$?"
# LAVA's boot action waits for this prompt (the job's prompts:).
export PS1='hvbench-dom0# ' HOME=/root TERM=dumb
while :; do
	setsid -c sh -i < /dev/hvc0 > /dev/hvc0 2>&1
	sleep 1
done
