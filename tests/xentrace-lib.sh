# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the xentrace shell tests (sourced): a scratch directory and check().
set -u
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION EXPECTED ACTUAL
	if [ "$2" != "$3" ]; then echo "FAIL: $1: expected '$2', got '$3'"; fail=1; else echo "ok: $1"; fi
}
