#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Proves by hand, in the lab's dom0, what the Xen backend relies on: a guest built
# by `hvbench image build` boots in each mode with `xl create`, and its agent
# answers a hello over the PV console channel's UNIX socket in dom0.
# usage: guest-proof.sh IMAGE_DIR OUT_DIR [MODES]
IMG=$1 OUT=$2 MODES=${3:-pv pvh hvm}
mkdir -p "$OUT" /run/hvbench /var/lib/hvbench
cp "$IMG/vmlinuz" "$IMG/initrd.img" "$IMG/tools.img" /var/lib/hvbench/
cp "$IMG/initrd-hvm.img.gz" /var/lib/hvbench/ 2>/dev/null
up() { cut -d' ' -f1 /proc/uptime; }
since() { echo "$(up) $1" | awk '{printf "%.1f", $1 - $2}'; }
fails=0
for mode in $MODES; do
	name=hvbench-proof-$mode
	sock=/run/hvbench/$name.sock
	cfg=$OUT/$name.cfg
	rm -f "$sock"
	# hvbench.ip: eth0's static address on dom0's bridge xenbr0 (10.99.0.1).
	extra="console=hvc0 loglevel=4 hvbench.ip=10.99.0.$((10 + $(echo "$MODES" | tr ' ' '\n' | grep -n "^$mode$" | cut -d: -f1)))/24"
	# The tools disk (fio, iperf3), served by QEMU (qdisk): blkback needs the block hotplug
	# script, which libxl kills after its timeout under emulation. Each guest gets its own
	# writable copy: QEMU's qdisk fails on read-only disks ("Block node is read-only"), and so
	# does HVM's emulated IDE.
	tools=/var/lib/hvbench/tools-$name.img access=rw ramdisk=initrd.img
	# HVM pulls its initramfs through fw_cfg port I/O: the gzip'ed one (hv/image.c).
	[ "$mode" = hvm ] && [ -f /var/lib/hvbench/initrd-hvm.img.gz ] && ramdisk=initrd-hvm.img.gz
	cp /var/lib/hvbench/tools.img "$tools"
	# Two channels: xl 4.17 numbers channels from devid 0, and libxl refuses a console 0 with a
	# name ("Primary console has invalid configuration") and goes on without it. The first
	# channel is sacrificed; the agent's is console 1, /dev/hvc1 in the guest.
	cat > "$cfg" <<CFG
name = "$name"
type = "$mode"
kernel = "/var/lib/hvbench/vmlinuz"
ramdisk = "/var/lib/hvbench/$ramdisk"
extra = "$extra"
memory = 512
vcpus = 1
on_poweroff = "destroy"
on_reboot = "destroy"
on_crash = "destroy"
vif = [ "bridge=xenbr0" ]
disk = [ "format=raw,vdev=xvda,access=$access,backendtype=qdisk,target=$tools" ]
channel = [ "name=org.hvbench.unused,connection=pty", "name=org.hvbench.agent,connection=socket,path=$sock" ]
CFG
	[ "$mode" != pv ] && echo 'tsc_mode = "native"' >> "$cfg"
	[ "$mode" = hvm ] && cat >> "$cfg" <<CFG
device_model_version = "qemu-xen"
serial = "file:$OUT/$name-serial.log"
vga = "none"
vnc = 0
sdl = 0
CFG
	t0=$(up)
	echo "HVBENCH-LAB-PROOF $mode xl create"
	if ! xl -v create "$cfg" > "$OUT/$name-create.txt" 2>&1; then
		echo "HVBENCH-LAB-PROOF $mode FAIL xl create: $(grep -a error "$OUT/$name-create.txt" | head -4 | tr '\n' ' ')"
		fails=$((fails + 1))
		continue
	fi
	echo "HVBENCH-LAB-PROOF $mode created in $(since "$t0")s, domid $(xl domid $name)"
	n=0
	while [ ! -S "$sock" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
	# Wait for the agent's ready line, then send a hello and read its reply.
	rm -f "$OUT/$name-chan.txt"
	timeout 300 socat -u UNIX-CONNECT:"$sock" - > "$OUT/$name-chan.txt" 2>"$OUT/$name-socat.txt" < /dev/null &
	rpid=$!
	ok=0
	n=0
	while [ $n -lt 240 ] && kill -0 $rpid 2>/dev/null; do
		grep -q '"event":"ready"' "$OUT/$name-chan.txt" 2>/dev/null && { ok=1; break; }
		# The guest gave up (no channel): no reason to wait longer.
		grep -aq 'hvbench-guest: no PV console' /var/tmp/hvbench-lab/console/guest-$name.log \
			"$OUT/$name-serial.log" 2>/dev/null && break
		sleep 1; n=$((n + 1))
	done
	t_ready=$(since "$t0")
	kill $rpid 2>/dev/null; wait $rpid 2>/dev/null
	if [ $ok = 1 ]; then
		# stdin stays open: an end of input would close the connection before the reply.
		{ printf '{"v":1,"op":"hello"}\n'; sleep 60; } |
			timeout 65 socat - UNIX-CONNECT:"$sock" > "$OUT/$name-hello.txt" 2>>"$OUT/$name-socat.txt" &
		spid=$!
		n=0
		while [ $n -lt 60 ] && ! grep -q '"agent"' "$OUT/$name-hello.txt" 2>/dev/null; do sleep 0.5; n=$((n + 1)); done
		kill $spid 2>/dev/null; wait $spid 2>/dev/null
	fi
	if grep -q '"ok":true' "$OUT/$name-hello.txt" 2>/dev/null; then
		echo "HVBENCH-LAB-PROOF $mode OK ready after ${t_ready}s, hello answered: $(head -c 300 "$OUT/$name-hello.txt")"
	else
		echo "HVBENCH-LAB-PROOF $mode FAIL no hello reply (ready=$ok after ${t_ready}s):" \
		     "channel: $(head -c 300 "$OUT/$name-chan.txt" 2>/dev/null | tr '\n' ' ')" \
		     "hello: $(head -c 300 "$OUT/$name-hello.txt" 2>/dev/null | tr '\n' ' ')" \
		     "socat: $(head -c 300 "$OUT/$name-socat.txt" 2>/dev/null | tr '\n' ' ')" \
		     "xl list: $(xl list 2>&1 | tail -n +2 | tr -s ' \n' ' ')"
		fails=$((fails + 1))
	fi
	if [ $ok = 0 ]; then # what dom0 knows of the channel and the disk, on the console for the host to see
		d=$(xl domid $name 2>/dev/null)
		xenstore-ls -f / > "$OUT/$name-xenstore-all.txt" 2>&1
		grep -E "console|channel" "$OUT/$name-xenstore-all.txt" | grep -E "/$d(/|\$| )" | head -40 |
			sed "s/^/HVBENCH-LAB-PROOF $mode xenstore: /"
		xenstore-ls -f /local/domain/0/backend 2>&1 | grep -E "/$d/" | grep -E 'state|online|name' | head -20 |
			sed "s/^/HVBENCH-LAB-PROOF $mode backend: /"
		ps -eo pid,args | grep '[q]emu' | cut -c1-400 | sed "s/^/HVBENCH-LAB-PROOF $mode qemu: /"
		tail -15 /var/log/xen/qemu-dm-$name.log 2>&1 | sed "s/^/HVBENCH-LAB-PROOF $mode qemu log: /"
	fi
	xl list > "$OUT/$name-xl-list.txt" 2>&1
	xenstore-ls -f /local/domain/$(xl domid $name 2>/dev/null || echo x)/device/console > "$OUT/$name-xenstore-console.txt" 2>&1
	xl destroy $name 2>/dev/null
	rm -f "$tools"
	cp /var/tmp/hvbench-lab/console/guest-$name.log "$OUT/" 2>/dev/null
	cp /var/log/xen/qemu-dm-$name.log /var/log/xen/xl-$name.log "$OUT/" 2>/dev/null
	grep -h 'hvbench-guest' "$OUT/guest-$name.log" "$OUT/$name-serial.log" 2>/dev/null | sed "s/^/HVBENCH-LAB-PROOF $mode console: /"
done
# blkback through Xen's own block hotplug script (a PV guest with a file-backed disk).
# Informational: under emulation libxl kills the script at its timeout, which is why the
# backend attaches the loop device itself (hv/xen-disk.c).
if [ "${PROOF_BLKBACK:-0}" = 1 ]; then
	name=hvbench-proof-blkback
	dd if=/dev/zero of=/var/lib/hvbench/scratch.img bs=1M count=0 seek=64 2>/dev/null
	sed -e "s/^name = .*/name = \"$name\"/" -e 's/^type = .*/type = "pv"/' -e '/^channel/d' -e '/^disk/d' \
		-e '/^tsc_mode/d' -e '/^device_model/d' -e '/^serial/d' -e '/^vga/d' -e '/^vnc/d' -e '/^sdl/d' \
		"$OUT/hvbench-proof-pv.cfg" > "$OUT/$name.cfg"
	echo 'disk = [ "format=raw,vdev=xvdb,access=rw,target=/var/lib/hvbench/scratch.img" ]' >> "$OUT/$name.cfg"
	t0=$(up)
	if xl -v create "$OUT/$name.cfg" > "$OUT/$name-create.txt" 2>&1; then
		echo "HVBENCH-LAB-PROOF blkback OK created in $(since "$t0")s: $(xl block-list $name 2>&1 | tail -n +2 | tr -s ' \n' ' ')"
	else
		echo "HVBENCH-LAB-PROOF blkback FAIL after $(since "$t0")s: $(grep -a 'error' "$OUT/$name-create.txt" | head -3 | tr '\n' ' ')"
	fi
	cat /var/log/xen/xen-hotplug.log 2>/dev/null | tail -5 | sed 's/^/HVBENCH-LAB-PROOF blkback hotplug log: /'
	xl destroy $name 2>/dev/null
	t0=$(up); losetup -f --show /var/lib/hvbench/scratch.img > "$OUT/losetup.txt" 2>&1
	echo "HVBENCH-LAB-PROOF blkback: losetup alone took $(since "$t0")s ($(cat "$OUT/losetup.txt"))"
	losetup -d "$(cat "$OUT/losetup.txt")" 2>/dev/null
fi
exit $fails
