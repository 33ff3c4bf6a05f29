# tests: sources are added by this folder's files
include tests/xentrace.mk
