# SPDX-License-Identifier: GPL-2.0-or-later
dist_pkgdata_DATA += configs/quickstart.ini configs/modes.ini configs/numa.ini configs/spinlock.ini
dist_pkgdata_DATA += configs/netback.ini configs/blkback.ini
dist_pkgdata_DATA += configs/gate.ini configs/gate-ci.yml
dist_pkgdata_DATA += configs/lab-smoke.ini configs/lab-smoke-short.ini configs/lab-hooks.ini
