hvbench_SOURCES += cli/cli.h cli/main.c cli/summary.c cli/output.c cli/help-topics.c cli/cmd-run.c cli/cmd-store.c \
	cli/cmd-topo.c cli/cmd-agent.c cli/cmd-trace.c cli/cmd-cleanup.c cli/cmd-hv.c \
	cli/analysis-opts.c cli/cmd-report.c cli/cmd-compare.c cli/cmd-gate.c cli/cmd-history.c cli/cmd-image.c cli/cmd-lab.c
