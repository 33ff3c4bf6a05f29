/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The store's schema as numbered migrations; PRAGMA user_version says how far a
 * database has come, so an older database is brought forward on open. */
#include "config.h"
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>
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
	/* 2: who measures a running run, named when --resume is refused (store-owner.c) */
	"ALTER TABLE runs ADD COLUMN owner TEXT;",
	/* 3: runs that travel between stores (hvbench merge): each run's UUID, its
	 * host class and its shard K of N; natural keys, unique: a run by its UUID, a
	 * cell by (run, key), a sample by (cell, rep). Runs from before get a random
	 * (version 4) UUID here; the class of theirs is derived from their host facts
	 * when read (results/store.c). */
	"ALTER TABLE runs ADD COLUMN uuid TEXT;"
	"ALTER TABLE runs ADD COLUMN host_class TEXT;"
	"ALTER TABLE runs ADD COLUMN shard_index INTEGER;"
	"ALTER TABLE runs ADD COLUMN shard_count INTEGER;"
	"UPDATE runs SET uuid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' ||"
	" substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) ||"
	" substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));"
	"CREATE UNIQUE INDEX runs_uuid ON runs(uuid);"
	"CREATE UNIQUE INDEX cells_natural ON cells(run_id, key);"
	"CREATE UNIQUE INDEX samples_natural ON samples(cell_id, rep);",
};

int hvb_schema_latest(void) { return (int)(sizeof(migrations) / sizeof(migrations[0])); }

/* The version and the number of objects SQLite did not make itself, read in
 * one statement so that both come from one snapshot of the database. */
static int read_state(sqlite3 *db, int *version, int *objects)
{
	sqlite3_stmt *st;
	int rc;

	*version = -1;
	*objects = 0;
	if ((rc = sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM"
				     " sqlite_master WHERE name NOT GLOB 'sqlite_*')", -1, &st, NULL)) != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
		*objects = sqlite3_column_int(st, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int hvb_schema_read_version(sqlite3 *db, int *version)
{
	int n;

	return read_state(db, version, &n);
}

int hvb_schema_check(sqlite3 *db, const char *path, int readonly)
{
	int version, n, rc;

	if ((rc = read_state(db, &version, &n)) != SQLITE_OK) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot read the database: %s", path, sqlite3_errmsg(db));
		return HVB_EDB;
	}
	if (version > hvb_schema_latest()) {
		hvb_log(HVB_LOG_ERROR, "%s: schema version %d is newer than this hvbench knows (%d): a newer hvbench "
			"made it; use that one (this one never rewrites it)", path, version, hvb_schema_latest());
		return HVB_EINVAL;
	}
	if (version > 0)
		return version;
	if (n > 0) {
		hvb_log(HVB_LOG_ERROR, "%s: an SQLite database of another program (%d tables and indexes, schema version "
			"0), not an hvbench result store; hvbench neither reads it nor writes into it", path, n);
		return HVB_EINVAL;
	}
	if (readonly) {
		hvb_log(HVB_LOG_ERROR, "%s: an empty database, not an hvbench result store yet (hvbench run makes one)",
			path);
		return HVB_ENOENT;
	}
	return 0;
}

/* PRAGMA journal_mode=WAL needs the database to itself: SQLite answers BUSY at
 * once, without its busy handler, while another connection is in it. */
static int set_wal(sqlite3 *db)
{
	int rc;

	for (int i = 0; i < 200; i++) {
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return rc;
		usleep(50000);
	}
	return rc;
}

static int fail(sqlite3 *db, const char *path, const char *what, int v)
{
	if (v < 0)
		hvb_log(HVB_LOG_ERROR, "%s: %s: %s", path, what, sqlite3_errmsg(db));
	else
		hvb_log(HVB_LOG_ERROR, "%s: %s %d failed: %s", path, what, v, sqlite3_errmsg(db));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return HVB_EDB;
}

int hvb_schema_migrate(sqlite3 *db, const char *path)
{
	int version, latest = hvb_schema_latest(), rc;

	/* Refused before anything is written, the journal mode included. */
	if ((rc = hvb_schema_check(db, path, 0)) < 0)
		return rc;
	if (set_wal(db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
		hvb_log(HVB_LOG_ERROR, "%s: cannot set up the database: %s", path, sqlite3_errmsg(db));
		return HVB_EDB;
	}
	/* One migration per transaction, each deciding from what it reads inside
	 * its own write lock: two processes opening a new database at once do not
	 * both create its tables. */
	for (;;) {
		char sql[64];
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return fail(db, path, "cannot lock the database to bring its schema forward", -1);
		if ((version = hvb_schema_check(db, path, 0)) < 0 || version >= latest) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return version < 0 ? version : 0;
		}
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
		if (sqlite3_exec(db, migrations[version], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return fail(db, path, "migration to schema", version + 1);
	}
}
