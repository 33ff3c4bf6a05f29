hvbench_SOURCES += cli/cli.h cli/main.c
hvbench_SOURCES += cli/cmd-trace.c
