#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Fills a directory with what configs/lava/xen-hvbench.yaml downloads, from Debian's
# packages through the lab's own preparation (hv/lab/lab.sh --prepare-only: Debian's
# Xen and kernel packages, the debootstrapped dom0 image of Debian packages, the guest
# image built by hvbench), and writes job.yaml with the URLs and the label filled in.
# Boots nothing. Serve DIR at URL (or use a file:// URL on the worker), then
#   lavacli jobs submit DIR/job.yaml
# Needs root (as the lab does) and Debian's package registry.
set -eu
usage() {
	echo "usage: prepare.sh --hvbench BIN --out DIR --url URL [--label LABEL] [--cache DIR] [--labdir DIR]" >&2
	exit 2
}
HERE=$(cd "$(dirname "$0")" && pwd)
HVBENCH='' OUT='' URL='' LABEL=lava CACHE=${HVBENCH_CACHE:-/var/cache/hvbench} LABDIR=''
while [ $# -gt 0 ]; do
	[ $# -ge 2 ] || usage
	case $1 in
	--hvbench) HVBENCH=$2 ;;
	--out) OUT=$2 ;;
	--url) URL=${2%/} ;;
	--label) LABEL=$2 ;;
	--cache) CACHE=$2 ;;
	--labdir) LABDIR=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[ -n "$HVBENCH" ] && [ -n "$OUT" ] && [ -n "$URL" ] || usage
case $LABEL in *[!A-Za-z0-9._-]* | "") echo "prepare.sh: --label '$LABEL': letters, digits, . _ - only" >&2; exit 2 ;; esac
case $URL in *[\|\&\\]*) echo "prepare.sh: --url '$URL': no | & or backslash" >&2; exit 2 ;; esac
# lab.sh beside the source tree, else where make install put it.
for d in "$LABDIR" "${HVBENCH_LABDIR:-}" "$HERE/../../hv/lab" "$HERE/../lab"; do
	[ -n "$d" ] && [ -x "$d/lab.sh" ] && { LABDIR=$d; break; }
done
[ -x "$LABDIR/lab.sh" ] || { echo "prepare.sh: no lab.sh (give --labdir)" >&2; exit 2; }
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

"$LABDIR/lab.sh" --hvbench "$HVBENCH" --experiment "$HERE/lava-smoke.ini" --workdir "$OUT/lab-work" \
	--cache "$CACHE" --xen 4.17 --prepare-only | tee "$OUT/lab-prepare.log"
D0=$(sed -n 's/^lab: prepared (--prepare-only): dom0 image \(.*\), guest image in .*/\1/p' "$OUT/lab-prepare.log")
[ -f "$D0/done" ] || { echo "prepare.sh: lab.sh named no dom0 image" >&2; exit 1; }
GUEST=$OUT/lab-work/share/guest

# Xen and dom0's kernel: the very packages the lab used for this dom0 image (its modules
# are in the image's initramfs; another kernel would not load them).
set -- $(sed -n 's/^lab: prepared (--prepare-only): packages \(.*\) \(.*\)$/\1 \2/p' "$OUT/lab-prepare.log")
XDEB=${1:-} KDEB=${2:-}
[ -f "$XDEB" ] && [ -f "$KDEB" ] || { echo "prepare.sh: lab.sh named no Xen or kernel package" >&2; exit 1; }
X=$(mktemp -d)
trap 'rm -rf "$X"' EXIT
dpkg -x "$XDEB" "$X/xen"
cp "$X/xen/boot/xen-4.17-amd64.gz" "$OUT/xen-4.17-amd64.gz"
# The kernel tree stays: the worker's libguestfs may use it for its appliance (LAVA writes the
# overlays into dom0's ext4 image with libguestfs, whose supermin needs a kernel and a
# modules.dep; a CI machine's /boot has none): SUPERMIN_KERNEL and SUPERMIN_MODULES in
# appliance.env, for the worker's environment (env.yaml).
rm -rf "$OUT/appliance-kernel"
dpkg -x "$KDEB" "$OUT/appliance-kernel"
KV=$(basename "$(ls -d "$OUT"/appliance-kernel/lib/modules/*)")
depmod -b "$OUT/appliance-kernel" "$KV"
cp "$OUT/appliance-kernel/boot/vmlinuz-$KV" "$OUT/vmlinuz"
printf 'SUPERMIN_KERNEL=%s\nSUPERMIN_MODULES=%s\n' "$OUT/appliance-kernel/boot/vmlinuz-$KV" \
	"$OUT/appliance-kernel/lib/modules/$KV" > "$OUT/appliance.env"
cp "$D0/initrd.gz" "$OUT/initrd.gz"
gzip -1 -c "$D0/dom0.img" > "$OUT/dom0.img.gz"

# Laid over dom0's root by LAVA: the init that gives LAVA a shell, hvbench, its files.
S=$X/stage
mkdir -p "$S/sbin" "$S/usr/local/bin" "$S/srv/hvbench-lava"
install -m 0755 "$HERE/dom0-init.sh" "$S/sbin/hvbench-lab-init"
install -m 0755 "$HVBENCH" "$S/usr/local/bin/hvbench"
install -m 0755 "$HERE/dom0-test.sh" "$S/srv/hvbench-lava/dom0-test.sh"
install -m 0644 "$HERE/lava-smoke.ini" "$S/srv/hvbench-lava/lava-smoke.ini"
cp -r "$GUEST" "$S/srv/hvbench-lava/guest"
tar -C "$S" --owner=0 --group=0 -cf "$OUT/lava-dom0.tar" .

sed "s|@ARTIFACTS@|$URL|g; s|@LABEL@|$LABEL|g" "$HERE/xen-hvbench.yaml" > "$OUT/job.yaml"
(cd "$OUT" && sha256sum xen-4.17-amd64.gz vmlinuz initrd.gz dom0.img.gz lava-dom0.tar > SHA256SUMS)
echo "prepare.sh: $OUT ready; serve it at $URL and submit $OUT/job.yaml"
