hvbench_SOURCES += cli/cli.h cli/main.c cli/summary.c cli/cmd-run.c cli/cmd-store.c cli/cmd-topo.c cli/cmd-agent.c cli/help-topics.c
hvbench_SOURCES += cli/cmd-trace.c
