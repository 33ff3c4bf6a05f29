#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# PID 1 of the lab's dom0 (installed as /sbin/hvbench-lab-init in the cached image):
# mounts the basics, loads the Xen back ends and 9p, mounts the host's share on
# /share, runs /share/dom0-run.sh and powers the machine off. minbase has no init.
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
for m in xenfs xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xen-blkback xen-netback bridge \
	 9pnet_virtio 9p loop tun; do
	modprobe $m || echo "hvbench-lab: modprobe $m failed"
done
mount -t xenfs xenfs /proc/xen 2>/dev/null
mkdir -p /share
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 share /share && [ -x /share/dom0-run.sh ]; then
	echo "HVBENCH-LAB-DOM0-UP uptime=$(cut -d' ' -f1 /proc/uptime)"
	/share/dom0-run.sh
	echo "HVBENCH-LAB-DOM0-DONE rc=$?"
else
	echo "hvbench-lab: no share or no /share/dom0-run.sh"
fi
sync
umount /share 2>/dev/null
mount -o remount,ro /
echo o > /proc/sysrq-trigger
sleep 10
busybox poweroff -f
