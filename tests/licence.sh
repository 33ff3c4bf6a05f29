#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every source file of the tree names the licence (GPL-2.0-or-later) in an SPDX
# line near its top, and COPYING holds the licence's text.
. "$top_srcdir/tests/lib.sh"
check "grep -q 'GNU GENERAL PUBLIC LICENSE' '$top_srcdir/COPYING' && grep -q 'Version 2, June 1991' '$top_srcdir/COPYING'" \
	"COPYING is not the GPL version 2"
# The fixed top-level folders and files (DESIGN.md), not what a build or the lab generates.
missing=$(cd "$top_srcdir" && find analysis bench cli hv probes results tests Makefile.am configure.ac autogen.sh \
	-path tests/data -prune -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' -o -name '*.sh' -o -name '*.mk' \
	-o -name 'Makefile.am' -o -name 'configure.ac' -o -name '*.bash' \) -print |
	while read -r f; do head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-or-later' || echo "$f"; done)
check '[ -z "$missing" ]' "source files without the SPDX line: $missing"
done_testing
