# probes: sources are added by this folder's files
include probes/xentrace/local.mk
