#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What the image builder's libraries made (hv/image.c: nettle, libelf, libkmod, libarchive),
# checked by other tools: the archives list the manifest's files as cpio and bsdtar read them,
# with the builder's modes; every file has the SHA-256 its checksum list gives (sha256sum -c);
# the agent's libraries are the ones ldd names; and the kernel modules are exactly the
# dependency closure modprobe --show-depends gives for the driver modules, each after the
# modules it needs.
. "$top_srcdir/tests/lib.sh"
K=${HVBENCH_TEST_KERNEL:-}
if [ -z "$K" ]; then
	for k in /boot/vmlinuz-* /var/cache/hvbench/lab/extract-*/kernel/boot/vmlinuz-*; do
		[ -r "$k" ] && [ -d "${k%/boot/vmlinuz-*}/lib/modules/${k##*/vmlinuz-}" ] && K=$k && break
	done
fi
[ -n "$K" ] || skip "no Linux kernel image with its modules (none in /boot; set HVBENCH_TEST_KERNEL)"
[ -x /bin/busybox ] || skip "no static busybox (apt-get install busybox-static)"
command -v fio >/dev/null && command -v iperf3 >/dev/null || skip "fio and iperf3 are not installed"
for t in cpio bsdtar sha256sum depmod modprobe ldd; do
	command -v $t >/dev/null || [ -x /usr/sbin/$t ] || skip "$t is not installed (cpio, libarchive-tools, coreutils, kmod, libc-bin)"
done
PATH=$PATH:/usr/sbin:/sbin
KV=${K##*/vmlinuz-}
M=${K%/boot/vmlinuz-*}/lib/modules/$KV
[ -d "$M" ] || M=/lib/modules/$KV

SOURCE_DATE_EPOCH=0 "$HVBENCH" image build --kernel "$K" --modules "$M" --cache "$T/c" > "$T/b" 2>&1
check '[ $? = 0 ]' "build: $(cat "$T/b")"
D=$(ls -d "$T"/c/image/* | head -1)
for f in initrd.img tools.img initrd.sha256 tools.sha256 manifest.txt; do
	check '[ -s "$D/$f" ]' "the image has no $f"
done

# The file lists: the manifest's, in its order (sorted by path), as GNU cpio and bsdtar list them.
sed -n '/^\[initrd.img\]$/,/^$/p' "$D/manifest.txt" | sed '1d;/^$/d;s/ <- .*//' > "$T/want.initrd"
sed -n '/^\[tools.img\]$/,$p' "$D/manifest.txt" | sed '1d;/^$/d;s/ <- .*//' > "$T/want.tools"
for a in initrd tools; do
	cpio -t --quiet < "$D/$a.img" > "$T/cpio.$a" 2>"$T/cpio.err"
	check 'cmp -s "$T/want.$a" "$T/cpio.$a"' "$a.img: cpio -t does not list the manifest's files: $(diff "$T/want.$a" "$T/cpio.$a" | head -5) $(cat "$T/cpio.err")"
	bsdtar -tf "$D/$a.img" > "$T/bsdtar.$a" 2>&1
	check 'cmp -s "$T/want.$a" "$T/bsdtar.$a"' "$a.img: bsdtar lists other files: $(diff "$T/want.$a" "$T/bsdtar.$a" | head -5)"
done
check '[ "$(gzip -dc "$D/initrd-hvm.img.gz" | cpio -t --quiet)" = "$(cat "$T/want.initrd")" ]' "the gzip'ed initramfs lists other files"
check 'gzip -dc "$D/initrd-hvm.img.gz" | cmp -s - "$D/initrd.img"' "the gzip'ed initramfs is not the initramfs"
check '[ $(($(stat -c %s "$D/tools.img") % 512)) = 0 ]' "the tools disk is not whole 512-byte sectors"
# Modes, owners, times, device numbers: what the builder sets, as cpio -tv shows it.
TZ=UTC cpio -tv --quiet < "$D/initrd.img" > "$T/ls" 2>/dev/null
check 'grep -q "^crw------- .* root *root *5, *1 Jan  1  1970 dev/console$" "$T/ls"' "dev/console: $(grep console "$T/ls")"
check 'grep -q "^-rwxr-xr-x .* root *root .* Jan  1  1970 init$" "$T/ls"' "init: $(grep ' init$' "$T/ls")"
check 'grep -q "^drwxr-xr-x .* root *root .* Jan  1  1970 etc/hvbench$" "$T/ls"' "etc/hvbench: $(grep ' etc/hvbench$' "$T/ls")"
check '! grep -v "^[-dc]r" "$T/ls" | grep -q . && ! grep -v " root *root " "$T/ls" | grep -q .' "other types or owners: $(grep -v ' root *root ' "$T/ls" | head -3)"
check '! grep "/lib/modules/.*\.ko$" "$T/ls" | grep -v "^-rw-r--r-- " | grep -q .' "a module that is not mode 644"

# The checksums (nettle) against sha256sum's, on the unpacked archives.
mkdir "$T/root" "$T/tools"
(cd "$T/root" && cpio -i -d --quiet < "$D/initrd.img") 2>/dev/null
(cd "$T/tools" && cpio -i -d --quiet < "$D/tools.img") 2>/dev/null
check '[ "$(wc -l < "$D/initrd.sha256")" -ge 5 ]' "initrd.sha256 lists $(wc -l < "$D/initrd.sha256") files"
(cd "$T/root" && sha256sum --quiet -c "$D/initrd.sha256") > "$T/sums.initrd" 2>&1
check '[ $? = 0 ]' "initrd: $(head -3 "$T/sums.initrd")"
(cd "$T/tools" && sha256sum --quiet -c "$D/tools.sha256") > "$T/sums.tools" 2>&1
check '[ $? = 0 ]' "tools: $(head -3 "$T/sums.tools")"
check 'cmp -s "$T/root/usr/bin/hvbench" "$HVBENCH"' "the agent in the image is not this hvbench"

# The libraries (libelf: PT_INTERP, DT_NEEDED): each one ldd resolves is in the image.
for prog in "$HVBENCH:root" "$(command -v fio):tools" "$(command -v iperf3):tools"; do
	ldd "${prog%:*}" | awk '/=> \// {print $1} /^\t\/.*ld-linux/ {print $1}' | while read -r lib; do
		n=$(find "$T/root" "$T/tools" -name "${lib##*/}" | head -1)
		[ -n "$n" ] || echo "${prog%:*} needs $lib, not in the image"
	done
done > "$T/libs"
check '! [ -s "$T/libs" ]' "$(head -3 "$T/libs")"

# The modules (libkmod): exactly modprobe's closure of the driver modules, deps first. The
# image holds the hard dependencies (modinfo's depends=, as depmod's modules.dep): the soft
# ones (crc_t10dif's "pre: crct10dif", an alternative implementation) are left out of
# modprobe's answer here by leaving out modules.softdep.
mkdir -p "$T/m/lib/modules"
cp -as "$M" "$T/m/lib/modules/$KV"
rm -f "$T/m/lib/modules/$KV"/modules.dep* "$T/m/lib/modules/$KV"/modules.softdep
depmod -b "$T/m" "$KV" 2>"$T/depmod.err"
check '[ -s "$T/m/lib/modules/$KV/modules.dep" ]' "depmod made no modules.dep: $(cat "$T/depmod.err")"
rm -f "$T/m/lib/modules/$KV/modules.softdep"
: > "$T/closure"
for m in xen-netfront xen-blkfront e1000 8139cp ata_piix sd_mod; do
	modprobe -C /dev/null -d "$T/m" -S "$KV" --show-depends "$m" 2>/dev/null |
		sed -n 's|^insmod .*/lib/modules/[^/]*/||p' | sed 's/ *$//; s/\.xz$//' >> "$T/closure"
done
sort -u "$T/closure" > "$T/closure.sorted"
sort -u "$T/root/etc/hvbench/modules" > "$T/order.sorted"
check '[ -s "$T/closure.sorted" ]' "modprobe found none of the driver modules in $M"
check 'cmp -s "$T/closure.sorted" "$T/order.sorted"' "modules in the image differ from modprobe's closure: $(diff "$T/closure.sorted" "$T/order.sorted" | head -5)"
check '[ "$(find "$T/root/lib/modules" -name "*.ko" | wc -l)" = "$(wc -l < "$T/order.sorted")" ]' "modules in the image that are not in its load order"
# Load order: no module before one it depends on (modules.dep, as depmod wrote it).
awk -v dep="$T/m/lib/modules/$KV/modules.dep" '
	BEGIN { while ((getline l < dep) > 0) { split(l, f, ":"); d[f[1]] = f[2] } }
	{ pos[$1] = NR; order[NR] = $1 }
	END { for (i = 1; i <= NR; i++) { n = split(d[order[i]], x, " "); for (k = 1; k <= n; k++) { sub(/\.xz$/, "", x[k]); if (!(x[k] in pos) || pos[x[k]] > i) print order[i] " before " x[k] } } }' \
	"$T/root/etc/hvbench/modules" > "$T/order.bad"
check '! [ -s "$T/order.bad" ]' "load order: $(head -3 "$T/order.bad")"
done_testing
