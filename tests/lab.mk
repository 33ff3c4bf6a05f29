# SPDX-License-Identifier: GPL-2.0-or-later
# The guest image builder (the lab itself is `make check-lab`, hv/lab/local.mk).
TESTS += tests/image-build.sh
EXTRA_DIST += tests/image-build.sh
# What its libraries made, checked by cpio, bsdtar, sha256sum, ldd and modprobe.
TESTS += tests/image-content.sh
EXTRA_DIST += tests/image-content.sh
# hvbench builds against Debian 13's Xen 4.20 (a cached trixie build chroot; root and Debian's registry).
TESTS += tests/build-debian13.sh
EXTRA_DIST += tests/build-debian13.sh
