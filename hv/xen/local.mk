# SPDX-License-Identifier: GPL-2.0-or-later
# make check-hooks XEN_TREE=DIR: hvbench's hooks series built into Xen (hv build)
# and booted in the lab (lab --xen-image); a skip without XEN_TREE.
EXTRA_DIST += hv/xen/check-hooks.sh hv/xen/check-cost.sh
check-hooks: hvbench
	$(SHELL) '$(srcdir)/hv/xen/check-hooks.sh' '$(abs_builddir)/hvbench' '$(abs_srcdir)' \
		'$(abs_builddir)/hooks-check' '$(XEN_TREE)'
.PHONY: check-hooks
