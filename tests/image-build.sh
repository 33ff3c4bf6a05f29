#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench image build: the archives are reproducible and cached by content, hold what the
# guest needs, and (when QEMU is installed) the image boots and its agent answers a hello on
# a serial line standing in for the PV console channel.
. "$top_srcdir/tests/lib.sh"
K=${HVBENCH_TEST_KERNEL:-}
if [ -z "$K" ]; then
	for k in /boot/vmlinuz-* /var/cache/hvbench/lab/extract-*/kernel/boot/vmlinuz-*; do [ -r "$k" ] && K=$k && break; done
fi
[ -n "$K" ] || skip "no Linux kernel image to build with (none in /boot; set HVBENCH_TEST_KERNEL)"
[ -x /bin/busybox ] || skip "no static busybox (apt-get install busybox-static)"
command -v fio >/dev/null && command -v iperf3 >/dev/null || skip "fio and iperf3 are not installed"
KV=${K##*/vmlinuz-}
M=${K%/boot/vmlinuz-*}/lib/modules/$KV
[ -d "$M" ] || M=/lib/modules/$KV

"$HVBENCH" image build --kernel "$K" --modules "$M" --cache "$T/c1" > "$T/b1" 2>&1
check '[ $? = 0 ]' "first build: $(cat "$T/b1")"
"$HVBENCH" image build --kernel "$K" --modules "$M" --cache "$T/c1" > "$T/b2" 2>&1
check 'grep -q "(cached)" "$T/b2"' "second build with the same inputs was not taken from the cache: $(head -1 "$T/b2")"
SOURCE_DATE_EPOCH=0 "$HVBENCH" image build --kernel "$K" --modules "$M" --cache "$T/c2" --out "$T/out" > "$T/b3" 2>&1
D1=$(ls -d "$T"/c1/image/*) D2=$(ls -d "$T"/c2/image/*)
check 'cmp -s "$D1/initrd.img" "$D2/initrd.img" && cmp -s "$D1/tools.img" "$D2/tools.img"' "two builds differ"
check '[ "${D1##*/}" = "${D2##*/}" ]' "same content, different cache keys ${D1##*/} ${D2##*/}"
check 'cmp -s "$D1/initrd.img" "$T/out/initrd.img" && [ -s "$T/out/vmlinuz" ]' "--out did not copy the image"
# --out over a file hvbench did not write: refused (exit 2), nothing in the directory written.
mkdir "$T/mine" && echo precious > "$T/mine/tools.img"
"$HVBENCH" image build --kernel "$K" --modules "$M" --cache "$T/c1" --out "$T/mine" > "$T/b6" 2>&1; rc=$?
check '[ $rc = 2 ] && [ "$(cat "$T/mine/tools.img")" = precious ] && [ ! -e "$T/mine/vmlinuz" ]' \
	"--out over a foreign file: exit $rc, $(ls "$T/mine" | tr '\n' ' ')"
mkdir "$T/root"
(cd "$T/root" && cpio -i -d --quiet < "$D1/initrd.img" && cpio -i -d --quiet < "$D1/tools.img") 2>/dev/null
for f in init bin/busybox usr/bin/hvbench usr/bin/fio usr/bin/iperf3 etc/hvbench/modules; do
	check '[ -f "$T/root/$f" ]' "the image has no /$f"
done
# hvbench.log=-v on the kernel command line: the agent gets the runner's -v.
check 'grep -q "hvbench \$LOG agent" "$T/root/init"' "the init does not pass hvbench.log to the agent"
check 'cpio -t --quiet < "$D1/tools.img" | head -1 | grep -qx .hvbench-tools' "tools disk does not start with its marker"
check '! TZ=UTC cpio -tv --quiet < "$D1/initrd.img" | grep -v " Jan  1  1970 " | grep -q .' "entries with a time other than the epoch"
if [ "$(id -u)" = 0 ]; then
	check 'chroot "$T/root" /usr/bin/hvbench --version | grep -q hvbench' "the agent does not run from the image's libraries"
	check 'chroot "$T/root" /usr/bin/fio --version | grep -q fio' "fio does not run from the image's libraries"
fi

# Debian 13's kernels ship .ko.xz: the same tree compressed gives the same plain modules in the image.
if command -v xz >/dev/null; then
	mkdir "$T/mxz"
	cp -a "$M/." "$T/mxz/"
	find "$T/mxz" -name '*.ko' -exec xz -0 -T1 {} +
	"$HVBENCH" image build --kernel "$K" --modules "$T/mxz" --cache "$T/c3" > "$T/b4" 2>&1; rc=$?
	check '[ $rc = 0 ]' "build from .ko.xz modules: $(cat "$T/b4")"
	D3=$(ls -d "$T"/c3/image/*)
	mkdir "$T/rxz"
	(cd "$T/rxz" && cpio -i -d --quiet < "$D3/initrd.img") 2>/dev/null
	check 'cmp -s "$T/root/etc/hvbench/modules" "$T/rxz/etc/hvbench/modules"' "the load order differs with .ko.xz"
	n=0
	for m in $(cat "$T/root/etc/hvbench/modules"); do
		cmp -s "$T/root/lib/modules/$KV/$m" "$T/rxz/lib/modules/$KV/$m" || fail "module $m differs after xz"
		n=$((n + 1))
	done
	check '[ $n -ge 2 ]' "only $n modules compared"
	check '! find "$T/rxz" -name "*.xz" | grep -q .' "an .xz file went into the image"
	printf 'not xz' > "$T/mxz/$(head -1 "$T/root/etc/hvbench/modules").xz"
	"$HVBENCH" image build --kernel "$K" --modules "$T/mxz" --cache "$T/c4" > "$T/b5" 2>&1; rc=$?
	check '[ $rc != 0 ] && grep -q "not a whole xz stream" "$T/b5"' "a broken .ko.xz: $(cat "$T/b5")"
fi

# Boot it: ttyS1 stands in for the PV console channel.
if command -v qemu-system-x86_64 >/dev/null && command -v socat >/dev/null; then
	qemu-system-x86_64 -accel tcg -m 512 -display none -no-reboot -kernel "$D1/vmlinuz" -initrd "$D1/initrd.img" \
		-append "console=ttyS0 loglevel=4 hvbench.channel=/dev/ttyS1" -serial file:"$T/console" \
		-chardev socket,id=ch,path="$T/ch.sock",server=on,wait=off -serial chardev:ch -nic none \
		-drive file="$D1/tools.img",format=raw,if=ide,snapshot=on > "$T/qemu.log" 2>&1 &
	QP=$!
	n=0; while [ ! -S "$T/ch.sock" ] && [ $n -lt 600 ] && kill -0 $QP 2>/dev/null; do sleep 0.1; n=$((n + 1)); done # 60 s: a loaded machine
	mkfifo "$T/in"
	socat - UNIX-CONNECT:"$T/ch.sock" < "$T/in" > "$T/chan" 2>"$T/socat.log" &
	SP=$!
	exec 4>"$T/in"
	n=0; while ! grep -q '"event":"ready"' "$T/chan" && [ $n -lt 600 ] && kill -0 $QP 2>/dev/null; do sleep 0.5; n=$((n + 1)); done
	printf '{"v":1,"op":"hello"}\n' >&4
	n=0; while ! grep -q '"agent"' "$T/chan" && [ $n -lt 120 ]; do sleep 0.5; n=$((n + 1)); done
	exec 4>&-
	kill $QP $SP 2>/dev/null
	wait $QP 2>/dev/null
	check 'grep -q "\"event\":\"ready\"" "$T/chan"' "no ready line from the guest: $(tail -5 "$T/console")"
	check 'grep -q "\"ok\":true" "$T/chan" && grep -q "\"name\":\"memlat\",\"supported\":true" "$T/chan"' "no hello reply: $(cat "$T/chan")"
	check 'grep -q "tools from /dev/sda: fio iperf3" "$T/console"' "tools disk not unpacked: $(grep hvbench-guest "$T/console")"
else
	echo "image-build: QEMU or socat not installed: boot check not run" >&2
fi
done_testing
