#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench builds on Debian 13 ("trixie") against its libxen 4.20 headers and libraries: ./configure
# (the Xen backend and xenstat probe required) and make in a cached trixie build chroot
# (hv/lab/build-in-chroot.sh), on a copy of this tree, and the binary runs there.
# Cold (no chroot yet): a debootstrap and the build packages, a few minutes; warm: one build.
. "$top_srcdir/tests/lib.sh"
OUT=$T/out
"$top_srcdir/hv/lab/build-in-chroot.sh" trixie "$top_srcdir" "$OUT" -- --with-libxen --with-libxenstat 2> "$T/err"
rc=$?
cat "$T/err" >&2
[ $rc = 77 ] && skip "$(sed -n 's/^build-in-chroot: cannot run here: //p' "$T/err")"
check '[ $rc = 0 ]' "the trixie build failed (exit $rc); its first errors:
$(grep -m10 -E 'error|No package' "$OUT/build.log" 2>/dev/null)"
check 'grep -q "^libxen-dev[^[:space:]]*[[:space:]]4\.20" "$OUT/packages"' \
	"the chroot's libxen-dev is not Xen 4.20: $(grep libxen-dev "$OUT/packages" 2>/dev/null)"
check 'grep -q "Xen toolstack (xen backend) *: yes" "$OUT/build.log"' "configure did not find libxl in the chroot"
check 'grep -q hvbench "$OUT/version" 2>/dev/null' "no version from the built hvbench"
done_testing
