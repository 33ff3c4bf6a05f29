/* The store's schema as numbered migrations; PRAGMA user_version says how far a
 * database has come, so an older database is brought forward on open. */
#include "config.h"
#include <sqlite3.h>
#include <stdio.h>
#include "results/results.h"
#include "results/store-internal.h"

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY, label TEXT NOT NULL DEFAULT '', experiment TEXT NOT NULL,"
	" config_path TEXT, config_text TEXT NOT NULL, host_json TEXT NOT NULL,"
	" status TEXT NOT NULL, started REAL NOT NULL, ended REAL, lab INTEGER NOT NULL DEFAULT 0,"
	" version TEXT NOT NULL);"
	"CREATE INDEX runs_label ON runs(label);"
	"CREATE TABLE cells ("
	" id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL, key TEXT NOT NULL, backend TEXT NOT NULL, mode TEXT NOT NULL,"
	" placement TEXT NOT NULL, vcpus INTEGER NOT NULL, memory INTEGER NOT NULL, workload TEXT NOT NULL,"
	" section TEXT NOT NULL, params_json TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,"
	" placement_json TEXT, UNIQUE(run_id, idx));"
	"CREATE TABLE samples ("
	" id INTEGER PRIMARY KEY, cell_id INTEGER NOT NULL REFERENCES cells(id) ON DELETE CASCADE,"
	" rep INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT, seed INTEGER NOT NULL,"
	" started REAL NOT NULL, wall_s REAL, workload_s REAL);"
	"CREATE INDEX samples_cell ON samples(cell_id, rep);"
	"CREATE TABLE metrics ("
	" sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE, name TEXT NOT NULL,"
	" value REAL NOT NULL, unit TEXT NOT NULL, better TEXT NOT NULL, PRIMARY KEY(sample_id, name))"
	" WITHOUT ROWID;"
	"CREATE TABLE artifacts ("
	" id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" cell_id INTEGER, sample_id INTEGER, name TEXT NOT NULL, mime TEXT NOT NULL, data BLOB);",
};

int hvb_schema_latest(void) { return (int)(sizeof(migrations) / sizeof(migrations[0])); }

int hvb_schema_migrate(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st;
	int version = 0, latest = hvb_schema_latest();
	char *msg = NULL;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return HVB_EDB;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > latest) {
		hvb_log(HVB_LOG_ERROR, "%s: schema version %d is newer than this hvbench knows (%d)", path,
			version, latest);
		return HVB_EDB;
	}
	for (int v = version; v < latest; v++) {
		char sql[64];
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db, migrations[v], NULL, NULL, &msg) != SQLITE_OK) {
			hvb_log(HVB_LOG_ERROR, "%s: migration to schema %d failed: %s", path, v + 1,
				msg ? msg : sqlite3_errmsg(db));
			sqlite3_free(msg);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return HVB_EDB;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return HVB_EDB;
		}
	}
	return 0;
}
