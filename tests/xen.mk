# SPDX-License-Identifier: GPL-2.0-or-later
# The xen backend without a hypervisor: topology fixtures, placement layouts and
# their verification, the 'u' debug key's output, leftovers, and libxl configs
# per mode compared with their JSON.
check_PROGRAMS += tests/unit-xen
tests_unit_xen_LDADD = $(HVB_LIBS)
TESTS += tests/unit-xen tests/xen-cli.sh
# hv build's refusals (constructed stand-in trees, no Xen)
TESTS += tests/hv-build.sh
EXTRA_DIST += tests/hv-build.sh
XEN_FIXTURES = tests/data/xen/topo-lab-2node.json tests/data/xen/topo-4node.json tests/data/xen/debug-keys-u.txt \
	tests/data/xen/config-pv-local.json tests/data/xen/config-pvh-remote-disk.json \
	tests/data/xen/config-hvm-split-net.json tests/data/xen/config-hvm-emu-none-disk-net.json tests/data/xen/config-hvm-local.json \
	tests/data/xen/config-pv-auto.json tests/data/xen/config-hvm-shadow.json tests/data/xen/config-pv-shadow-ignored.json \
	tests/data/xen/dmesg-spec-ctrl.txt
EXTRA_DIST += $(XEN_FIXTURES) tests/xen-cli.sh
# pvspin = on|off: the kernel's switch, a bzImage's release, the guest's view, the plan's axis
check_PROGRAMS += tests/unit-pvspin
tests_unit_pvspin_LDADD = $(HVB_LIBS)
TESTS += tests/unit-pvspin
# order = interleaved: the turns' order from the seed, the guests' memory against the host's (no Xen needed)
check_PROGRAMS += tests/unit-turns
tests_unit_turns_LDADD = $(HVB_LIBS)
TESTS += tests/unit-turns
# PV device settings (feature_persistent, max_queues): module parameters, the guest's
# command line, xenstore's keys read back, the verdict, the plan's axes; and the plans and
# refusals a person sees
check_PROGRAMS += tests/unit-devices
tests_unit_devices_LDADD = $(HVB_LIBS)
TESTS += tests/unit-devices tests/pv-devices.sh
EXTRA_DIST += tests/pv-devices.sh tests/data/xen/xenstore-devices-pv.txt tests/data/xen/xenstore-devices-old-guest.txt
