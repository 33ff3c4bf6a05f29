# SPDX-License-Identifier: GPL-2.0-or-later
dist_pkgdata_DATA += configs/quickstart.ini configs/modes.ini configs/numa.ini configs/spinlock.ini
dist_pkgdata_DATA += configs/netback.ini configs/blkback.ini
dist_pkgdata_DATA += configs/gate.ini configs/gate-ci.yml
dist_pkgdata_DATA += configs/lab-smoke.ini configs/lab-smoke-short.ini configs/lab-hooks.ini configs/lab-modes-turns.ini
# Engines for many hosts: Buildbot master, GitLab CI and Slurm pipelines
buildbotdir = $(pkgdatadir)/buildbot
dist_buildbot_DATA = configs/buildbot/master.cfg
gitlabcidir = $(pkgdatadir)/gitlab-ci
dist_gitlabci_DATA = configs/gitlab-ci/nightly.yml
slurmdir = $(pkgdatadir)/slurm
dist_slurm_DATA = configs/slurm/shard.sbatch configs/slurm/merge.sbatch configs/slurm/submit.sh
lavadir = $(pkgdatadir)/lava
dist_lava_DATA = configs/lava/xen-hvbench.yaml configs/lava/qemu-xen-01.jinja2 configs/lava/lava-smoke.ini
dist_lava_SCRIPTS = configs/lava/prepare.sh configs/lava/dom0-init.sh configs/lava/dom0-test.sh configs/lava/fetch-results.py
hvgatedir = $(pkgdatadir)/hvgate
dist_hvgate_DATA = configs/hvgate/verdict.sh configs/hvgate/boot.sbatch configs/hvgate/verdict.sbatch configs/hvgate/submit-slurm.sh
