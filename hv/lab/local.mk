# SPDX-License-Identifier: GPL-2.0-or-later
# The Xen lab (hvbench lab): scripts installed in pkgdatadir/lab, and `make check-lab`.
labdir = $(pkgdatadir)/lab
dist_lab_SCRIPTS = hv/lab/lab.sh hv/lab/dom0-init.sh hv/lab/dom0-run.sh hv/lab/guest-proof.sh hv/lab/check-lab.sh \
	hv/lab/build-in-chroot.sh
dist_lab_DATA = hv/lab/NOTES.md hv/lab/fpu-trap-probe.S hv/lab/apt-mirror.sh hv/lab/build-deps

# Boots Xen under QEMU and runs configs/lab-smoke.ini in its dom0 (root, Debian's registry, ~3 GB).
check-lab: hvbench
	HVBENCH_LABDIR='$(abs_srcdir)/hv/lab' $(SHELL) '$(srcdir)/hv/lab/check-lab.sh' '$(abs_builddir)/hvbench' \
		'$(abs_srcdir)/configs/lab-smoke.ini' '$(abs_builddir)/lab-check'
# The same on Xen 4.20 (Debian 13): hvbench for its dom0 built in a cached Debian 13 chroot first.
check-lab-4.20: hvbench
	$(SHELL) '$(srcdir)/hv/lab/build-in-chroot.sh' trixie '$(abs_srcdir)' '$(abs_builddir)/lab-check-4.20-build'
	HVBENCH_LABDIR='$(abs_srcdir)/hv/lab' $(SHELL) '$(srcdir)/hv/lab/check-lab.sh' '$(abs_builddir)/hvbench' \
		'$(abs_srcdir)/configs/lab-smoke.ini' '$(abs_builddir)/lab-check-4.20' --xen 4.20 \
		--dom0-hvbench '$(abs_builddir)/lab-check-4.20-build/hvbench'
.PHONY: check-lab check-lab-4.20
