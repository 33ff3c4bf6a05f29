hvbench_SOURCES += cli/cli.h cli/main.c
