#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench hv build without a Xen source tree: what it refuses, with exit 2 and
# the reason, before anything is built. The trees here are constructed stand-ins
# (a xen/Makefile and two files the series touches, with other contents), not
# Xen: the real build is make check-hooks XEN_TREE=... (hv/xen/check-hooks.sh).
command -v git >/dev/null || { echo "git is not installed"; exit 77; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
export HVBENCH_XENDIR="$top_srcdir/hv/xen"
expect() { # RC PATTERN WHAT -- cmd...
	want=$1 pat=$2 what=$3; shift 4
	out=$("$@" 2>&1); rc=$?
	[ "$rc" = "$want" ] || { echo "FAIL: $what: exit $rc, expected $want: $out"; fail=1; return; }
	case $out in *$pat*) echo "ok: $what: $out" ;; *) echo "FAIL: $what: '$out' lacks '$pat'"; fail=1 ;; esac
}

# A missing build program is named before anything is made (a PATH of links without flex).
mkdir "$T/bin"
for p in make gcc bison python3 git; do ln -s "$(command -v $p)" "$T/bin/$p" 2>/dev/null; done
mkdir -p "$T/xt/xen" && echo 'all:' > "$T/xt/xen/Makefile"
expect 1 "building Xen needs flex, which is not in \$PATH (Debian: apt-get install flex" "no flex" \
	-- env PATH="$T/bin" "$HVBENCH" hv build "$T/xt" --out "$T/o0"
[ -e "$T/o0" ] && { echo "FAIL: hv build made --out without flex"; fail=1; }
rm -rf "$T/bin" "$T/xt"
expect 2 "not a Xen source tree" "a directory without xen/Makefile" -- "$HVBENCH" hv build "$T" --out "$T/o1"
mkdir -p "$T/tree/xen/common" "$T/tree/xen/include/public"
echo 'all:' > "$T/tree/xen/Makefile"
printf 'not grant_table.c\n' > "$T/tree/xen/common/grant_table.c"
printf 'not trace.h\n' > "$T/tree/xen/include/public/trace.h"
expect 2 "not a git checkout" "a tree outside git" -- "$HVBENCH" hv build "$T/tree" --out "$T/o2"
git -C "$T" init -q && git -C "$T" -c user.name=t -c user.email=t@example.invalid commit -q --allow-empty -m outer
expect 2 "not the top of a git checkout" "a tree inside another checkout" -- "$HVBENCH" hv build "$T/tree" --out "$T/o2"
rm -rf "$T/.git"
git -C "$T/tree" init -q && git -C "$T/tree" add . &&
	git -C "$T/tree" -c user.name=t -c user.email=t@example.invalid commit -qm constructed || exit 1
echo x >> "$T/tree/xen/Makefile"
expect 2 "uncommitted changes" "a dirty tree" -- "$HVBENCH" hv build "$T/tree" --out "$T/o3"
git -C "$T/tree" checkout -q -- xen/Makefile
expect 2 "patch 0001-xen-gnttab-trace-GNTTABOP_copy-batches.patch does not apply" "a tree the series does not fit" \
	-- "$HVBENCH" hv build "$T/tree" --out "$T/o4"
expect 2 "hunk at xen/common/grant_table.c" "the refused hunk is named" -- "$HVBENCH" hv build "$T/tree" --out "$T/o4"
git -C "$T/tree" status --porcelain | grep -q . && { echo "FAIL: hv build changed the user's tree"; fail=1; }
mkdir "$T/mine" && echo keep > "$T/mine/notes"
expect 2 "did not make" "an --out hvbench did not make" -- "$HVBENCH" hv build "$T/tree" --out "$T/mine"
[ "$(cat "$T/mine/notes")" = keep ] && [ "$(ls -A "$T/mine")" = notes ] || { echo "FAIL: --out touched"; fail=1; }
expect 2 "--jobs" "a bad --jobs" -- "$HVBENCH" hv build "$T/tree" --jobs 0
expect 2 "usage" "no tree" -- "$HVBENCH" hv build
exit $fail
