# The guest image builder (the lab itself is `make check-lab`, hv/lab/local.mk).
TESTS += tests/image-build.sh
EXTRA_DIST += tests/image-build.sh
