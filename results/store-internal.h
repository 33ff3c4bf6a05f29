/* Shared between the store's own files only. */
#ifndef HVB_STORE_INTERNAL_H
#define HVB_STORE_INTERNAL_H
#include <sqlite3.h>

struct hvb_store {
	sqlite3 *db;
	char *path;
};
int hvb_schema_latest(void);
int hvb_schema_migrate(sqlite3 *db, const char *path);
/* Logs the SQLite error with the statement's purpose and returns HVB_EDB. */
int hvb_store_fail(struct hvb_store *s, const char *what);
#endif
