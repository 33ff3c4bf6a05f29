#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds hvbench for a Debian suite (e.g. trixie: Xen 4.20) in a build chroot of that suite, so that
# the binary links the suite's libraries (libxl, libxenctrl...) and a lab dom0 of that suite can run it.
# The chroot (debootstrap --variant=minbase + hv/lab/build-deps) is cached under CACHE by its content
# (suite, mirrors, package list) and reused; the source is copied in, built, and removed again.
#
# usage: build-in-chroot.sh [--cache DIR] SUITE SRC OUT [-- CONFIGURE-ARGS...]
#   SRC: a git checkout (its tracked and untracked-but-not-ignored files, as they are now), a clean
#        source directory (e.g. an unpacked dist), or a source tarball (make dist).
#   OUT: receives hvbench, build.log, config.log, packages (the chroot's versions of the build deps),
#        runtime-packages (the suite's packages holding the libraries hvbench links, one per line).
# Exit: 0 built; 1 build or chroot setup failed (see the logs named); 2 usage;
#       77 cannot run here (not root, no debootstrap, Debian's registry unreachable), with the reason.
# The chroot is fetched from the mirror this machine's apt names (MIRROR/SECMIRROR override it).
set -euo pipefail
export LC_ALL=C DEBIAN_FRONTEND=noninteractive

usage() { echo "usage: build-in-chroot.sh [--cache DIR] SUITE SRC OUT [-- CONFIGURE-ARGS...]" >&2; exit 2; }
CACHE=${HVBENCH_CACHE:-/var/cache/hvbench}
[ "${1:-}" = --cache ] && { [ $# -ge 2 ] || usage; CACHE=$2; shift 2; }
[ $# -ge 3 ] || usage
SUITE=$1 SRC=$2 OUT=$3
shift 3
if [ $# -gt 0 ]; then [ "$1" = -- ] || usage; shift; fi
case $SUITE in *[!a-z0-9-]* | '') echo "build-in-chroot: bad suite name '$SUITE'" >&2; exit 2 ;; esac
[ -e "$SRC" ] || { echo "build-in-chroot: no source at $SRC" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)

cannot() { echo "build-in-chroot: cannot run here: $*" >&2; exit 77; }
die() { echo "build-in-chroot: error: $*" >&2; exit 1; }
say() { echo "build-in-chroot: $*" >&2; }
[ "$(id -u)" = 0 ] || cannot "needs root (debootstrap, chroot)"
for t in chroot unshare flock sha256sum tar; do
	command -v $t >/dev/null || cannot "no $t on PATH"
done
# shellcheck source=apt-mirror.sh
. "$HERE/apt-mirror.sh"
apt_mirrors || cannot "no Debian mirror in /etc/apt/sources.list*: the chroot needs Debian's package registry"

PKGS=$(grep -v '^#' "$HERE/build-deps" | tr -s ' \n' ' ')
KEY=$( { echo "build-chroot v1 $SUITE minbase $MIRROR $SECMIRROR"; echo "$PKGS"; } | sha256sum | cut -c1-16)
D=$CACHE/build-$SUITE-$KEY
R=$D/root
mkdir -p "$CACHE" "$OUT" || die "cannot create $CACHE or $OUT"
OUT=$(cd "$OUT" && pwd)

# Runs a command in the chroot with its own /proc, in a private mount namespace: nothing stays mounted
# when it ends, however it ends, so removing a chroot never reaches the host's /proc.
# Its environment is the suite's, not the caller's (no CFLAGS, MAKEFLAGS of an outer make...), but a proxy.
in_chroot() {
	unshare --mount --propagation private chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C DEBIAN_FRONTEND=noninteractive ${http_proxy:+http_proxy=$http_proxy} ${https_proxy:+https_proxy=$https_proxy} \
		/bin/sh -c 'mount -t proc proc /proc && exec "$@"' sh "$@"
}

make_chroot() {
	local t0 log=$CACHE/build-$SUITE-$KEY.log
	t0=$(date +%s)
	command -v debootstrap >/dev/null || cannot "no debootstrap (apt-get install debootstrap) to make the $SUITE build chroot"
	if [ -x /usr/lib/apt/apt-helper ] &&
	   ! /usr/lib/apt/apt-helper download-file "$MIRROR/dists/$SUITE/Release" "$CACHE/.release-$SUITE" > "$log" 2>&1; then
		rm -f "$CACHE/.release-$SUITE"
		cannot "Debian's registry $MIRROR does not answer for $SUITE (see $log)"
	fi
	rm -f "$CACHE/.release-$SUITE"
	rm -rf "$D.tmp"
	say "making the $SUITE build chroot $D (debootstrap from $MIRROR; log: $log)"
	debootstrap --variant=minbase "$SUITE" "$D.tmp/root" "$MIRROR" >> "$log" 2>&1 ||
		die "debootstrap $SUITE failed: see $log (registry reachable? space?)"
	printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s %s-security main\n' \
		"$MIRROR" "$SUITE" "$MIRROR" "$SUITE" "$SECMIRROR" "$SUITE" > "$D.tmp/root/etc/apt/sources.list"
	rm -f "$D.tmp/root/etc/apt/sources.list.d/debian.sources"
	printf '#!/bin/sh\nexit 101\n' > "$D.tmp/root/usr/sbin/policy-rc.d" # no daemons start in the chroot
	chmod +x "$D.tmp/root/usr/sbin/policy-rc.d"
	# shellcheck disable=SC2086 # PKGS is a word list
	R=$D.tmp/root in_chroot sh -c "apt-get update && apt-get install -y --no-install-recommends $PKGS && apt-get clean" \
		>> "$log" 2>&1 || die "installing the build packages in the $SUITE chroot failed: see $log"
	# shellcheck disable=SC2086
	R=$D.tmp/root in_chroot dpkg-query -W $PKGS > "$D.tmp/packages" 2>> "$log"
	mkdir -p "$D.tmp/root/build"
	mv "$D.tmp" "$D"
	say "the $SUITE build chroot took $(( $(date +%s) - t0 ))s"
}

# One maker at a time per chroot; builds share it (each in its own directory).
exec 9> "$D.lock"
flock 9
[ -d "$R/build" ] || make_chroot
flock -u 9
cp "$D/packages" "$OUT/packages"

# The source, as a tar stream into the chroot.
B=$(mktemp -d "$R/build/hvb.XXXXXX")
trap 'rm -rf "$B"' EXIT
mkdir "$B/src"
if [ -f "$SRC" ]; then
	tar -xf "$SRC" -C "$B/src" --strip-components=1 || die "cannot unpack $SRC"
elif [ "$(git -C "$SRC" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$SRC" && pwd -P)" ]; then
	(cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
		tar --null --ignore-failed-read -T - -cf -) 2>/dev/null | tar -xf - -C "$B/src"
else
	[ ! -e "$SRC/config.status" ] ||
		die "$SRC is configured: give a git checkout, a make dist tarball, or a clean tree"
	tar -C "$SRC" -cf - . | tar -xf - -C "$B/src"
fi
[ -f "$B/src/configure.ac" ] || die "$SRC holds no configure.ac"

t0=$(date +%s)
say "building in the $SUITE chroot (log: $OUT/build.log)"
rc=0
in_chroot sh -c 'cd "$1" && shift && { [ -x configure ] || ./autogen.sh; } && ./configure "$@" &&
	make -j"$(nproc)"' sh "/build/${B##*/}/src" "$@" > "$OUT/build.log" 2>&1 || rc=$?
cp "$B/src/config.log" "$OUT/" 2>/dev/null || true
[ $rc = 0 ] || die "the build in the $SUITE chroot failed (exit $rc): see $OUT/build.log"
# It must also start from the suite's own libraries, not just link.
in_chroot "/build/${B##*/}/src/hvbench" --version > "$OUT/version" 2>> "$OUT/build.log" ||
	die "the hvbench built in the $SUITE chroot does not run there: see $OUT/build.log"
cp "$B/src/hvbench" "$OUT/hvbench"
# The suite's packages that hold the libraries it links: what a dom0 of that suite must install.
in_chroot sh -c 'ldd "$1" | awk "/=> \\// {print \$3}" | while read -r l; do
		dpkg -S "$(readlink -f "$l")" 2>/dev/null || dpkg -S "$l" 2>/dev/null; done | cut -d: -f1 | sort -u' \
	sh "/build/${B##*/}/src/hvbench" > "$OUT/runtime-packages" 2>> "$OUT/build.log" ||
	die "cannot list the runtime packages of the $SUITE build: see $OUT/build.log"
say "built $OUT/hvbench in $(( $(date +%s) - t0 ))s against $(grep '^libxen-dev' "$OUT/packages" | tr '\t' ' ')"
