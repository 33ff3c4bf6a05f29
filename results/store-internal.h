/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between the store's own files only. */
#ifndef HVB_STORE_INTERNAL_H
#define HVB_STORE_INTERNAL_H
#include <sqlite3.h>

struct hvb_store {
	sqlite3 *db;
	char *path;
	int lock_fd; /* holds the open file description locks of the runs this process measures; -1 */
	int schema;  /* its schema version: a store read-only may be older than this hvbench */
};
int hvb_schema_latest(void);
/* PRAGMA user_version into *version; returns the SQLite result code. */
int hvb_schema_read_version(sqlite3 *db, int *version);
/* The schema version (0: a new, empty database), or < 0 after saying why this
 * hvbench must not use the database: a newer schema, another program's
 * database, or (readonly) an empty one. */
int hvb_schema_check(sqlite3 *db, const char *path, int readonly);
int hvb_schema_migrate(sqlite3 *db, const char *path);
/* Logs the SQLite error with the statement's purpose and returns HVB_EDB. */
int hvb_store_fail(struct hvb_store *s, const char *what);
#endif
