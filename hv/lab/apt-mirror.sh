# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the lab scripts: the Debian mirrors this machine's apt uses, never a hard-coded host.
# mirror_for PATTERN prints the first URI of /etc/apt/sources.list* whose line matches PATTERN.
mirror_for() {
	{ grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list 2>/dev/null || true; } | grep -E "$1" | grep -v '^#' | head -1 |
		sed -E 's/^URIs:[[:space:]]*//; s/^deb (\[[^]]*\] )?//; s/[[:space:]].*//' || true # none: empty, not a failure under pipefail
}
# Sets MIRROR and SECMIRROR (each unless already set); returns 1 when apt names no Debian mirror.
apt_mirrors() {
	: "${MIRROR:=$(mirror_for 'debian/?($|[[:space:]])')}"
	[ -n "$MIRROR" ] || return 1
	: "${SECMIRROR:=$(mirror_for 'debian-security')}"
	: "${SECMIRROR:=$MIRROR-security}"
}
