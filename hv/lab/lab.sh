#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench's Xen lab: a real Xen (Debian's packages: 4.17 from Debian 12, 4.20 from
# Debian 13) booted under QEMU with two emulated NUMA nodes, a debootstrapped dom0 of
# the same Debian release (cached by content), an hvbench built for that release inside,
# an experiment run there with --lab, and the results brought back out.
# Started by `hvbench lab` with an argv; every phase prints "PHASE name seconds".
# Numbers measured in the lab are emulation, never performance.
set -euo pipefail

usage() {
	echo "usage: lab.sh --hvbench BIN --experiment FILE --workdir DIR [--xen 4.17|4.20] [--dom0-hvbench BIN]" \
	     "[--cache DIR] [--keep] [--timeout SECONDS] [--no-guest-proof] [--prepare-only] [--xen-image XEN.GZ]" >&2
	exit 2
}
HVBENCH= EXPERIMENT= WORK= KEEP=0 CACHE=${HVBENCH_CACHE:-/var/cache/hvbench} QEMU_TMO=2400 PROOF=1 XENV=4.17 DOM0_HVBENCH= PREPARE_ONLY=0 XEN_IMAGE=
while [ $# -gt 0 ]; do
	case $1 in
	--hvbench) HVBENCH=$2; shift ;;
	--experiment) EXPERIMENT=$2; shift ;;
	--workdir) WORK=$2; shift ;;
	--cache) CACHE=$2; shift ;;
	--keep) KEEP=1 ;;
	--timeout) QEMU_TMO=$2; shift ;;
	--no-guest-proof) PROOF=0 ;;
	--xen) XENV=$2; shift ;;
	--dom0-hvbench) DOM0_HVBENCH=$2; shift ;;
	--xen-image) XEN_IMAGE=$2; shift ;; # a hypervisor built elsewhere (hvbench hv build) instead of $XPKG's
	--prepare-only) PREPARE_ONLY=1 ;; # packages, dom0 image and guest image into the cache; no boot
	*) usage ;;
	esac
	shift
done
[ -n "$HVBENCH" ] && [ -n "$EXPERIMENT" ] && [ -n "$WORK" ] || usage
# Each Xen version with the Debian release that ships it: dom0, kernel and toolstack
# come from that release, the hypervisor too (one Xen build for all of them).
case $XENV in
4.17) SUITE=bookworm ;;
4.20) SUITE=trixie ;;
*) echo "lab.sh: --xen $XENV: the lab knows 4.17 (Debian 12) and 4.20 (Debian 13)" >&2; exit 2 ;;
esac
XPKG=xen-hypervisor-$XENV-amd64 XUTILS=xen-utils-$XENV
# dom0 runs an hvbench linked against its own release's libxl: for 4.20 one built in a
# Debian 13 chroot (hv/lab/build-in-chroot.sh trixie, which also lists its runtime packages).
: "${DOM0_HVBENCH:=$HVBENCH}"
HERE=$(cd "$(dirname "$0")" && pwd)
T_ALL=$(date +%s)

die() { echo "lab: error: $*" >&2; exit 1; }
# Whatever else fails under set -e at the top level says where, rather than ending the lab
# without a word (not inherited: a command substitution's own failures are handled in place).
trap 'echo "lab: error: $(basename "$0") line $LINENO: a command failed (exit $?)" >&2' ERR
say() { echo "lab: $*"; }
phase() { echo "PHASE $1 $(( $(date +%s) - $2 ))s${3:+ ($3)}" | tee -a "$WORK/TIMINGS.txt"; }

# ---------------------------------------------------------------- preflight: fail loudly, with the reason
[ "$(id -u)" = 0 ] || die "the lab needs root (debootstrap, chroot, mkfs.ext4 -d of a root file system)"
[ -r "$EXPERIMENT" ] || die "cannot read experiment file $EXPERIMENT"
[ -x "$HVBENCH" ] || die "no hvbench binary at $HVBENCH"
[ -x "$DOM0_HVBENCH" ] || die "no hvbench binary for dom0 at $DOM0_HVBENCH"
if [ "$SUITE" != bookworm ] && [ "$DOM0_HVBENCH" = "$HVBENCH" ]; then
	die "Xen $XENV's dom0 is Debian $SUITE: give --dom0-hvbench, an hvbench built there (hv/lab/build-in-chroot.sh $SUITE SRC OUT)"
fi
missing=
for t in qemu-system-x86_64:qemu-system-x86 debootstrap:debootstrap cpio:cpio mkfs.ext4:e2fsprogs \
	 dpkg-deb:dpkg apt-get:apt timeout:coreutils sha256sum:coreutils xz:xz-utils; do
	command -v "${t%%:*}" >/dev/null 2>&1 || missing="$missing ${t#*:}"
done
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -x switch_root >/dev/null || missing="$missing busybox-static"
[ -z "$missing" ] || die "missing host tools; install them with: apt-get install --no-install-recommends$missing"
mkdir -p "$WORK" "$CACHE/lab" || die "cannot create $WORK or $CACHE/lab"
WORK=$(cd "$WORK" && pwd)
: > "$WORK/TIMINGS.txt"
LOGS=$WORK/logs
mkdir -p "$LOGS"
need_space() { # DIR MiB
	local avail
	avail=$(df -Pm "$1" | awk 'NR==2 {print $4}')
	[ "$avail" -ge "$2" ] || die "not enough space in $1: ${avail} MiB free, the lab needs ${2} MiB"
}
need_space "$WORK" 1500
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

# The mirrors this machine's apt uses: never a hard-coded host.
. "$HERE/apt-mirror.sh"
apt_mirrors || die "no Debian mirror in /etc/apt/sources.list*: the lab needs Debian's package registry"

# ---------------------------------------------------------------- packages: hypervisor and kernel, extracted
t=$(date +%s)
# Another release than the host's is read through a private apt state in the cache: the host's
# own apt configuration and package lists are never touched.
APTO=()
HOST_SUITE=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if [ "$SUITE" != "$HOST_SUITE" ]; then
	A=$CACHE/lab/apt-$SUITE
	mkdir -p "$A/lists/partial" "$A/cache/archives/partial"
	printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' \
		"$MIRROR" "$SUITE" "$MIRROR" "$SUITE" "$SECMIRROR" "$SUITE" > "$A/sources.list"
	APTO=(-o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts=/dev/null
	      -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache")
fi
# Empty when the lists lack the package: a cold cache's private lists are empty, and apt-cache
# then fails, which pipefail would make the lab's silent end (a fresh CI machine's 4.20 lab).
candidate() { { apt-cache "${APTO[@]}" policy "$1" 2>/dev/null || true; } | awk '/Candidate:/ {print $2}'; }
kernel_pkg() { { apt-cache "${APTO[@]}" depends linux-image-amd64 2>/dev/null || true; } |
	awk '/Depends: linux-image-[0-9]/ {print $2; exit}'; }
KPKG=$(kernel_pkg)
if [ -z "$KPKG" ] || [ -z "$(candidate "$XPKG")" ] || [ "$(candidate "$XPKG")" = "(none)" ]; then
	say "apt lists ($SUITE) lack the Xen or kernel packages; apt-get update"
	apt-get "${APTO[@]}" update > "$LOGS/apt-update.log" 2>&1 ||
		die "apt-get update failed: cannot reach Debian's package registry for $SUITE (see $LOGS/apt-update.log)"
	KPKG=$(kernel_pkg)
fi
[ -n "$KPKG" ] || die "no linux-image-amd64 dependency in the $SUITE package lists"
KV=${KPKG#linux-image-}
XV=$(candidate "$XPKG")
[ -n "$XV" ] && [ "$XV" != "(none)" ] || die "$SUITE has no $XPKG"
KVER=$(candidate "$KPKG")
DEBS=$CACHE/lab/debs
mkdir -p "$DEBS"
fetch_deb() { # package version -> path of the .deb in the cache
	local f
	f=$(ls "$DEBS/$1_"*"_amd64.deb" 2>/dev/null | grep -F "_$(echo "$2" | sed 's/:/%3a/')_" | head -1 || true)
	if [ -z "$f" ]; then
		(cd "$DEBS" && apt-get "${APTO[@]}" download "$1=$2" >> "$LOGS/apt-download.log" 2>&1) ||
			die "apt-get download $1=$2 failed: cannot reach Debian's package registry (see $LOGS/apt-download.log)"
		f=$(ls "$DEBS/$1_"*"_amd64.deb" | grep -F "_$(echo "$2" | sed 's/:/%3a/')_" | head -1)
	fi
	echo "$f"
}
XDEB=$(fetch_deb "$XPKG" "$XV")
KDEB=$(fetch_deb "$KPKG" "$KVER")
X=$CACHE/lab/extract-$(basename "$XDEB" .deb)-$(basename "$KDEB" .deb)
if [ ! -f "$X/done" ]; then
	rm -rf "$X"
	mkdir -p "$X"
	dpkg -x "$XDEB" "$X/xenpkg"
	dpkg -x "$KDEB" "$X/kernel"
	zcat "$X/xenpkg/boot/xen-$XENV-amd64.gz" > "$X/xen" # a multiboot image QEMU's -kernel accepts
	: > "$X/done"
fi
VMLINUZ=$X/kernel/boot/vmlinuz-$KV
XEN_KERNEL=$X/xen
if [ -n "$XEN_IMAGE" ]; then
	# The given hypervisor (gzip or not), for this boot only: never into the cache.
	[ -r "$XEN_IMAGE" ] || { echo "lab.sh: --xen-image $XEN_IMAGE: cannot read it" >&2; exit 2; }
	mkdir -p "$WORK"
	XEN_KERNEL=$WORK/xen-image
	zcat -f "$XEN_IMAGE" > "$XEN_KERNEL"
	say "hypervisor: $XEN_IMAGE (instead of $XPKG; dom0, kernel and toolstack of Xen $XENV)"
fi
MODS=$X/kernel/lib/modules/$KV
[ -d "$MODS" ] || MODS=$X/kernel/usr/lib/modules/$KV # Debian 13: merged /usr
[ -d "$MODS" ] || die "no modules directory for $KV in $KDEB"
say "Xen $XENV (Debian $SUITE): hypervisor $XPKG $XV, kernel $KPKG $KVER"
phase packages "$t"

# ---------------------------------------------------------------- dom0 root: debootstrap, cached by content
t=$(date +%s)
# The runtime packages of this hvbench build: the Debian packages owning the libraries it links.
pkg_of() {
	local p=$1 r
	for c in "$p" "/usr$p" "${p#/usr}"; do
		r=$(dpkg -S "$c" 2>/dev/null | head -1 | cut -d: -f1) && [ -n "$r" ] && { echo "$r"; return; }
	done
	echo "lab: warning: no package owns $p" >&2
}
# A build for another release brings its list (build-in-chroot.sh writes runtime-packages beside it).
if [ -s "$(dirname "$DOM0_HVBENCH")/runtime-packages" ]; then
	RUNTIME=$(grep -v '^libc6$' "$(dirname "$DOM0_HVBENCH")/runtime-packages" | tr '\n' ' ')
elif [ "$SUITE" = "$HOST_SUITE" ]; then
	RUNTIME=$(ldd "$DOM0_HVBENCH" | awk '/=> \// {print $3}' | while read -r lib; do pkg_of "$(readlink -f "$lib")"; done |
		grep -v '^libc6$' | sort -u | tr '\n' ' ')
else
	die "no runtime-packages beside $DOM0_HVBENCH: build it with hv/lab/build-in-chroot.sh $SUITE, which lists them"
fi
DOM0_PKGS="$XUTILS xen-utils-common xenstore-utils iproute2 busybox kmod procps qemu-system-xen e2fsprogs
util-linux socat fio iperf3 $RUNTIME"
DOM0_PKGS=$(echo $DOM0_PKGS | tr ' ' '\n' | sort -u | tr '\n' ' ')
KEY=$( { echo "dom0 v1 $SUITE minbase $MIRROR $SECMIRROR"; echo "$DOM0_PKGS"; echo "xen $XV kernel $KPKG $KVER";
	 cat "$HERE/dom0-init.sh"; } | sha256sum | cut -c1-16)
D0=$CACHE/lab/dom0-$KEY
if [ -f "$D0/done" ]; then
	say "dom0 image cached: $D0"
	phase dom0-root "$t" "cached"
else
	need_space "$CACHE" 3000
	rm -rf "$D0" "$D0.tmp"
	R=$D0.tmp/root
	mkdir -p "$R"
	say "debootstrap --variant=minbase $SUITE from $MIRROR (log: $LOGS/debootstrap.log)"
	debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR" > "$LOGS/debootstrap.log" 2>&1 ||
		die "debootstrap failed: see $LOGS/debootstrap.log (is Debian's registry reachable, is there space?)"
	phase debootstrap "$t"
	t=$(date +%s)
	printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' \
		"$MIRROR" "$SUITE" "$MIRROR" "$SUITE" "$SECMIRROR" "$SUITE" > "$R/etc/apt/sources.list"
	rm -f "$R/etc/apt/sources.list.d/debian.sources" # Debian 13's debootstrap writes one
	printf '#!/bin/sh\nexit 101\n' > "$R/usr/sbin/policy-rc.d" # no daemons start in the chroot
	chmod +x "$R/usr/sbin/policy-rc.d"
	mount --bind /proc "$R/proc"
	mount --bind /sys "$R/sys"
	mount --bind /dev "$R/dev"
	trap 'umount "$R/proc" "$R/sys" "$R/dev" 2>/dev/null || true' EXIT
	{ chroot "$R" apt-get update &&
	  chroot "$R" apt-get install -y --no-install-recommends $DOM0_PKGS &&
	  chroot "$R" apt-get clean; } > "$LOGS/chroot-apt.log" 2>&1 ||
		die "installing the dom0 packages failed: see $LOGS/chroot-apt.log"
	umount "$R/proc" "$R/sys" "$R/dev"
	trap - EXIT
	rm -f "$R/usr/sbin/policy-rc.d"
	TV=$(chroot "$R" dpkg-query -W -f='${Version}' "$XUTILS")
	[ "$TV" = "$XV" ] || die "toolstack $TV and hypervisor $XV differ: the lab needs one Xen build"
	mkdir -p "$R/lib/modules"
	cp -a "$MODS" "$R/lib/modules/"
	chroot "$R" depmod -a "$KV"
	install -m 0755 "$HERE/dom0-init.sh" "$R/sbin/hvbench-lab-init"
	echo dom0 > "$R/etc/hostname"
	phase dom0-packages "$t"
	t=$(date +%s)
	# The small initramfs that finds the root disk and switches to it.
	I=$D0.tmp/initrd
	mkdir -p "$I/bin" "$I/mods" "$I/proc" "$I/sys" "$I/dev" "$I/root"
	cp /bin/busybox "$I/bin/busybox"
	chroot "$R" modprobe -S "$KV" --show-depends -a virtio_pci virtio_blk ext4 crc32c_generic |
		awk '/^insmod/ && !seen[$2]++ {print $2}' > "$D0.tmp/modlist"
	# Debian 13's modules are .ko.xz: decompressed here, for busybox's insmod.
	while read -r m; do
		case $m in
		*.xz) xz -dc "$R$m" > "$I/mods/$(basename "${m%.xz}")"; basename "${m%.xz}" ;;
		*) cp "$R$m" "$I/mods/"; basename "$m" ;;
		esac
	done < "$D0.tmp/modlist" > "$I/mods/order"
	cat > "$I/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /mods/order); do insmod /mods/$m 2>/dev/null; done
n=0
while [ ! -b /dev/vda ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
mount -t ext4 /dev/vda /root || { echo "hvbench-lab: cannot mount the dom0 root /dev/vda"; exec sh; }
umount /proc /sys
mount --move /dev /root/dev
exec switch_root /root /sbin/hvbench-lab-init
EOF
	chmod 0755 "$I/init"
	(cd "$I" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$D0.tmp/initrd.gz"
	mkfs.ext4 -q -F -L dom0root -d "$R" "$D0.tmp/dom0.img" 3G > "$LOGS/mkfs.log" 2>&1 || die "mkfs.ext4 of the dom0 image failed (space?)"
	rm -rf "$R" "$I"
	echo "$DOM0_PKGS" > "$D0.tmp/packages"
	: > "$D0.tmp/done"
	mv "$D0.tmp" "$D0"
	phase dom0-image "$t"
fi

# ---------------------------------------------------------------- the guest image, built by hvbench itself
t=$(date +%s)
SHARE=$WORK/share
rm -rf "$SHARE"
mkdir -p "$SHARE/out" "$SHARE/guest"
"$HVBENCH" image build --kernel "$VMLINUZ" --modules "$MODS" --out "$SHARE/guest" > "$LOGS/image-build.log" 2>&1 ||
	{ cat "$LOGS/image-build.log" >&2; die "hvbench image build failed"; }
sed 's/^/lab: image: /' "$LOGS/image-build.log"
phase image-build "$t"

# ---------------------------------------------------------------- what dom0 runs, through the 9p share
cp "$DOM0_HVBENCH" "$SHARE/hvbench"
cp "$EXPERIMENT" "$SHARE/experiment.ini"
install -m 0755 "$HERE/dom0-run.sh" "$SHARE/dom0-run.sh"
[ -f "$HERE/guest-proof.sh" ] && cp "$HERE/guest-proof.sh" "$SHARE/guest-proof.sh"
# lab.env is sourced by dom0's shell: only values of a known shape go in.
case ${HVBENCH_LAB_PROOF_MODES:-pv} in *[!a-z\ -]*) die "HVBENCH_LAB_PROOF_MODES: guest modes separated by spaces" ;; esac
case ${HVBENCH_LAB_PROOF_BLKBACK:-0} in 0|1) ;; *) die "HVBENCH_LAB_PROOF_BLKBACK must be 0 or 1" ;; esac
printf "PROOF=%s\nPROOF_MODES=\"%s\"\nPROOF_BLKBACK=%s\n" "$PROOF" \
	"${HVBENCH_LAB_PROOF_MODES:-pv pvh hvm}" "${HVBENCH_LAB_PROOF_BLKBACK:-0}" > "$SHARE/lab.env"

if [ "$PREPARE_ONLY" = 1 ]; then
	say "prepared (--prepare-only): packages $XDEB $KDEB"
	say "prepared (--prepare-only): dom0 image $D0, guest image in $SHARE/guest"
	phase total "$T_ALL"
	exit 0
fi

# ---------------------------------------------------------------- boot Xen under QEMU
ACCEL=tcg
if [ -c /dev/kvm ] && [ -w /dev/kvm ] && grep -qE '^flags.* (vmx|svm)( |$)' /proc/cpuinfo; then ACCEL=kvm; fi
# Eager FPU switching, always. QEMU's -cpu max looks like AMD, on which Xen
# defaults to lazy switching: a vCPU runs with CR0.TS set until its first FPU
# instruction traps (#NM). QEMU 7.2's emulation raises no #NM for XSAVE, XSAVEOPT
# and XRSTOR (translate.c, group 15), which Linux uses to switch tasks' FPU
# state, so a guest task can be handed another vCPU's vector registers: an agent
# in a PV guest once refused '16K'. Checked below in Xen's boot log (NOTES.md).
XEN_EAGER_FPU=spec-ctrl=eager-fpu
# What this emulator does with FPU-state instructions under CR0.TS, recorded with
# the lab's results (a second, tiny QEMU run; hv/lab/fpu-trap-probe.S).
fpu_probe() {
	local o=$WORK/fpu-trap-probe
	gcc -m32 -c "$HERE/fpu-trap-probe.S" -o "$o.o" 2> "$LOGS/fpu-trap-probe.log" &&
		ld -m elf_i386 -Ttext 0x100000 -o "$o.elf" "$o.o" 2>> "$LOGS/fpu-trap-probe.log" || {
		say "FPU trap probe not built (see $LOGS/fpu-trap-probe.log)"; return 0; }
	timeout 60 qemu-system-x86_64 -machine q35 -accel "$ACCEL" -cpu max,-smap -nographic -no-reboot \
		-monitor none -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=1 -kernel "$o.elf" \
		< /dev/null 2>&1 | tr -d '\r' | grep -a -o -E '[A-Za-z][A-Za-z0-9 ()/]*: +(#NM raised|NO #NM)' > "$o.txt" || true
	if grep -q 'NO #NM' "$o.txt"; then
		say "this QEMU raises no #NM under CR0.TS for: $(grep 'NO #NM' "$o.txt" | cut -d: -f1 | tr -s ' ' | tr '\n' ',')" \
			"so Xen must switch FPU state eagerly ($XEN_EAGER_FPU)"
	elif [ -s "$o.txt" ]; then
		say "this QEMU raises #NM under CR0.TS for every FPU instruction tried"
	else
		say "FPU trap probe gave no answer (see $o.txt)"
	fi
}
fpu_probe
boot() { # attempt
	local ser=$WORK/console-$1.log t0 qpid last size idle=0 rc=0
	rm -rf "$SHARE/out"
	mkdir -p "$SHARE/out"
	t0=$(date +%s)
	say "booting Xen under QEMU ($ACCEL), attempt $1; console: $ser"
	# 2 GiB per node: dom0 takes part of one node, and two 512 MiB guests placed by random
	# draws may both land beside it (with 1.5 GiB the second did not fit).
	timeout --kill-after=10 "$QEMU_TMO" qemu-system-x86_64 -machine q35 -accel "$ACCEL" -cpu max,-smap \
		-smp 2 -m 4096 -nographic -no-reboot \
		-object memory-backend-ram,id=m0,size=2048M -object memory-backend-ram,id=m1,size=2048M \
		-numa node,nodeid=0,cpus=0,memdev=m0 -numa node,nodeid=1,cpus=1,memdev=m1 \
		-kernel "$XEN_KERNEL" \
		-append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M loglvl=all guest_loglvl=all noreboot $XEN_EAGER_FPU" \
		-initrd "$VMLINUZ console=hvc0 earlyprintk=xen,$D0/initrd.gz" \
		-drive file="$D0/dom0.img",if=virtio,format=raw,cache=unsafe,snapshot=on \
		-virtfs local,path="$SHARE",mount_tag=share,security_model=none,id=share \
		> "$ser" 2>&1 < /dev/null &
	qpid=$!
	QPID=$qpid
	# Milestones as they appear, and a hang watch: no console output for 480 s is a hung dom0.
	# Every guest built prints on Xen's console (hvmloader, the 'u' dump of its memory), a cell's
	# end too, and no cell runs 3 minutes; 480 s is longer than the lab configs' boot_timeout
	# (300 s) with a margin, so a guest stuck in its boot is hvbench's to retry (boot_attempts).
	# (A dom0 hang, one boot in six on 4.17 by the notes, was once waited out 15 minutes.)
	local seen_dom0= seen_start= last=0
	while kill -0 $qpid 2>/dev/null; do
		sleep 2
		if [ -z "$seen_dom0" ] && grep -aq 'HVBENCH-LAB-DOM0-UP' "$ser"; then
			seen_dom0=1; phase boot-to-dom0 "$t0"; fi
		if [ -z "$seen_start" ] && grep -aq 'HVBENCH-LAB-XEN-STARTED' "$ser"; then
			seen_start=1; phase xen-toolstack-up "$t0" "since QEMU start"; fi
		size=$(stat -c %s "$ser")
		if [ "$size" = "$last" ]; then idle=$((idle + 2)); else idle=0; last=$size; fi
		if [ $idle -ge 480 ]; then
			say "no console output for 480 s: dom0 hung"
			kill $qpid 2>/dev/null || true
			break
		fi
	done
	wait $qpid || rc=$?
	QRC=$rc
	phase "qemu-attempt-$1" "$t0" "qemu exit $rc"
	grep -aq 'HVBENCH-LAB-DOM0-DONE' "$ser"
}
# Ctrl-C or a kill of the lab stops QEMU too (a background job of a script ignores SIGINT).
QPID= QRC=
trap '[ -n "$QPID" ] && kill $QPID 2>/dev/null; exit 130' INT TERM
# A hung dom0 (the watch above, or QEMU dying) is booted once more; a lab still working when its
# time limit came would be as slow again, and a CI run once lost its whole time to that retry.
if ! boot 1; then
	[ "$QRC" = 124 ] && die "the lab did not finish within its time limit ($QEMU_TMO s, --timeout) while dom0" \
		"was still working (see $WORK/console-1.log): not retried, a second attempt would be as slow"
	say "dom0 did not finish (hang, see $WORK/console-1.log); retrying once"
	boot 2 || die "dom0 did not finish twice; see $WORK/console-1.log and $WORK/console-2.log"
fi

# ---------------------------------------------------------------- bring the results out
grep -aq 'Support for PV VMs:.*EAGER_FPU' "$(ls -t "$WORK"/console-*.log | head -1)" ||
	die "Xen did not report eager FPU switching for PV guests ('$XEN_EAGER_FPU' on its command line): under QEMU's emulation lazy switching corrupts guests' vector registers; see hv/lab/NOTES.md"
rm -rf "$WORK/out"
cp -a "$SHARE/out" "$WORK/out"
[ -s "$WORK/fpu-trap-probe.txt" ] && cp "$WORK/fpu-trap-probe.txt" "$WORK/out/"
CON=$(ls -t "$WORK"/console-*.log | head -1)
# The guest proof's verdicts, and each cell with its time in dom0 (uptime stamps in front of
# the run's own progress lines; the first cell is timed from the start of the run).
grep -a 'HVBENCH-LAB-PROOF [a-z]* \(OK\|FAIL\|created\)' "$CON" | cut -c1-200 | sed 's/^HVBENCH-LAB-PROOF /lab: proof: /' || true
grep -a 'HVBENCH-LAB-RUN begin\|HVBENCH-LAB-CELL\[' "$CON" | tr -d '\r' | awk '
	{ t = $0; sub(/^[^[]*\[/, "", t); sub(/\].*/, "", t) }
	/HVBENCH-LAB-RUN begin/ { prev = t; next }
	{ line = $0; sub(/^HVBENCH-LAB-CELL\[[0-9.]*\] /, "", line)
	  printf "lab: %s  [%.1fs in dom0]\n", line, t - prev; prev = t }' | tee -a "$WORK/TIMINGS.txt" || true
[ "$KEEP" = 1 ] || rm -rf "$SHARE"
phase total "$T_ALL"
RC=$(sed -n 's/^run_rc=//p' "$WORK/out/status" 2>/dev/null || echo missing)
say "results: $WORK/out (database lab.db, traces, logs); hvbench run exit code in dom0: $RC"
[ "$RC" = 0 ] || die "hvbench run in dom0 exited with $RC (see $WORK/out/run.log)"
exit 0
