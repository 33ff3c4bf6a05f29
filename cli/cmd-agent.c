/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hvbench agent: serves workload requests on stdin/stdout (natively a socket
 * pair from the runner, in a guest the PV console channel). */
#include "config.h"
#include <signal.h>
#include <stdio.h>
#include "bench/bench.h"
#include "cli/cli.h"

HVB_COMMAND(agent)
{
	if (argc > 1)
		return hvb_cli_usage("agent");
	signal(SIGPIPE, SIG_IGN);
	/* stdout is the protocol channel: nothing else may be written there. */
	return hvb_agent_serve(0, 1) < 0 ? HVB_EXIT_FAIL : HVB_EXIT_OK;
}
