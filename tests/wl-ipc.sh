#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ipc: pipes and sockets, processes and threads all deliver every message (the
# receivers count bytes) and report run time and rate.
. "$top_srcdir/tests/wl-lib.sh"
for t in pipe socket; do
	for mode in process thread; do
		wl_run ipc -d 0.1 transport=$t mode=$mode groups=2 fds=4 loops=20
		need run_s msgs_per_s msg_ns runs ops
		rel "$(m msgs_per_s)" ">" 0 "$t/$mode messages per second"
		rel "$(m ops)" ">=" 640 "$t/$mode all 2x4x4x20 messages of a run delivered"
	done
done
wl_done
