# SPDX-License-Identifier: GPL-2.0-or-later
# The Xen lab (hvbench lab): scripts installed in pkgdatadir/lab, and `make check-lab`.
labdir = $(pkgdatadir)/lab
dist_lab_SCRIPTS = hv/lab/lab.sh hv/lab/dom0-init.sh hv/lab/dom0-run.sh hv/lab/guest-proof.sh hv/lab/check-lab.sh \
	hv/lab/build-in-chroot.sh hv/lab/check-answers.sh hv/lab/check-lava.sh
dist_lab_DATA = hv/lab/NOTES.md hv/lab/fpu-trap-probe.S hv/lab/apt-mirror.sh hv/lab/build-deps

# Boots Xen under QEMU and runs the lab's smoke test in its dom0, on each Xen version the lab
# knows, one after the other (root, Debian's registry, ~6 GB), each with configs/lab-smoke-short.ini:
# every mode, both backends' I/O paths and split placement, in CI's time. check-lab-full runs the
# full configs/lab-smoke.ini (every workload in every mode, ~30-45 min under emulation) on Xen 4.17.
# QEMU's time limit for one attempt of a short lab (s): 17 minutes here for Xen 4.17's, so 35
# leave a slower CI machine its margin; a lab still running then is broken.
LAB_TIMEOUT = 2100
check-lab: hvbench
	$(MAKE) $(AM_MAKEFLAGS) check-lab-4.17
	$(MAKE) $(AM_MAKEFLAGS) check-lab-4.20
	$(MAKE) $(AM_MAKEFLAGS) check-lab-turns
check-lab-4.17: hvbench
	HVBENCH_LABDIR='$(abs_srcdir)/hv/lab' $(SHELL) '$(srcdir)/hv/lab/check-lab.sh' '$(abs_builddir)/hvbench' \
		'$(abs_srcdir)/configs/lab-smoke-short.ini' '$(abs_builddir)/lab-check' --timeout $(LAB_TIMEOUT)
# Cells taking turns (order = interleaved: every guest alive, idle ones paused) in a reduced
# modes experiment, on Xen 4.20 (hvbench for its Debian 13 dom0 built as for check-lab-4.20).
check-lab-turns: hvbench
	$(SHELL) '$(srcdir)/hv/lab/build-in-chroot.sh' trixie '$(abs_srcdir)' '$(abs_builddir)/lab-check-4.20-build'
	HVBENCH_LABDIR='$(abs_srcdir)/hv/lab' $(SHELL) '$(srcdir)/hv/lab/check-lab.sh' '$(abs_builddir)/hvbench' \
		'$(abs_srcdir)/configs/lab-modes-turns.ini' '$(abs_builddir)/lab-check-turns' --xen 4.20 --timeout $(LAB_TIMEOUT) \
		--dom0-hvbench '$(abs_builddir)/lab-check-4.20-build/hvbench'
check-lab-full: hvbench
	HVBENCH_LABDIR='$(abs_srcdir)/hv/lab' $(SHELL) '$(srcdir)/hv/lab/check-lab.sh' '$(abs_builddir)/hvbench' \
		'$(abs_srcdir)/configs/lab-smoke.ini' '$(abs_builddir)/lab-check-full' --timeout 3600
# hvbench for the Debian 13 dom0 is built in a cached Debian 13 chroot first.
check-lab-4.20: hvbench
	$(SHELL) '$(srcdir)/hv/lab/build-in-chroot.sh' trixie '$(abs_srcdir)' '$(abs_builddir)/lab-check-4.20-build'
	HVBENCH_LABDIR='$(abs_srcdir)/hv/lab' $(SHELL) '$(srcdir)/hv/lab/check-lab.sh' '$(abs_builddir)/hvbench' \
		'$(abs_srcdir)/configs/lab-smoke-short.ini' '$(abs_builddir)/lab-check-4.20' --xen 4.20 --timeout $(LAB_TIMEOUT) \
		--dom0-hvbench '$(abs_builddir)/lab-check-4.20-build/hvbench'
# A real LAVA (issue 21): server, scheduler and worker started here by PID, a QEMU device
# without KVM, configs/lava/xen-hvbench.yaml run through it (Xen 4.17 of Debian, hvbench in
# dom0: a native run and one PV cell), its store fetched from the job's log and merged.
# Needs root and .ci/setup --with-lava; reuses check-lab-4.17's cached dom0 image. ~8 minutes.
check-lava: hvbench
	bash '$(srcdir)/hv/lab/check-lava.sh' '$(abs_builddir)/hvbench' '$(abs_builddir)/lava-check' --timeout 1800 \
		--lava-dir '$(abs_srcdir)/configs/lava'
.PHONY: check-lava check-lab check-lab-4.17 check-lab-4.20 check-lab-turns check-lab-full
