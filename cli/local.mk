# SPDX-License-Identifier: GPL-2.0-or-later
hvbench_SOURCES += cli/cli.h cli/main.c cli/summary.c cli/output.c cli/help-topics.c cli/cmd-run.c cli/cmd-store.c \
	cli/cmd-topo.c cli/cmd-agent.c cli/cmd-trace.c cli/cmd-cleanup.c cli/cmd-hv.c \
	cli/analysis-opts.c cli/cmd-report.c cli/cmd-compare.c cli/cmd-gate.c cli/cmd-history.c cli/cmd-image.c cli/cmd-lab.c \
	cli/man.c cli/complete.c cli/cmd-bench.c cli/cmd-export.c cli/cmd-merge.c cli/getopt.c

# Man pages, written at build time by hvbench itself from its tables (cli/man.c):
# every command of commands[] gets its page without a change here.
bashcompdir = $(datadir)/bash-completion/completions
hvb_examplesdir = $(docdir)/examples
hvb_man1dir = $(mandir)/man1
hvb_man5dir = $(mandir)/man5
dist_doc_DATA = README
EXTRA_DIST += cli/hvbench.bash
CLEANFILES += cli/man.stamp
all-local: cli/man.stamp
cli/man.stamp: hvbench$(EXEEXT)
	$(AM_V_GEN)rm -rf cli/man && $(MKDIR_P) cli/man && \
	for p in `./hvbench$(EXEEXT) help --man-list`; do \
		./hvbench$(EXEEXT) help --man $$p > cli/man/$$p || exit 1; \
	done && touch $@
clean-local:
	rm -rf cli/man
install-data-local: cli/man.stamp
	$(MKDIR_P) '$(DESTDIR)$(hvb_man1dir)' '$(DESTDIR)$(hvb_man5dir)' '$(DESTDIR)$(bashcompdir)' '$(DESTDIR)$(hvb_examplesdir)'
	$(INSTALL_DATA) cli/man/*.1 '$(DESTDIR)$(hvb_man1dir)'
	$(INSTALL_DATA) cli/man/*.5 '$(DESTDIR)$(hvb_man5dir)'
	$(INSTALL_DATA) $(srcdir)/cli/hvbench.bash '$(DESTDIR)$(bashcompdir)/hvbench'
	$(INSTALL_DATA) $(srcdir)/configs/*.ini $(srcdir)/configs/*.yml '$(DESTDIR)$(hvb_examplesdir)'
uninstall-local:
	for p in `cd cli/man && ls`; do \
		case $$p in *.1) rm -f '$(DESTDIR)$(hvb_man1dir)'/$$p ;; *.5) rm -f '$(DESTDIR)$(hvb_man5dir)'/$$p ;; esac; \
	done
	rm -f '$(DESTDIR)$(bashcompdir)/hvbench'
	for p in `cd $(srcdir)/configs && ls *.ini *.yml`; do rm -f '$(DESTDIR)$(hvb_examplesdir)'/$$p; done
