/* log_schema5.c — schema version 5 of the corrections log: the same
 * tables, records and hashes as version 4, with fewer index entries per
 * decision. A bulk action or its undo records thousands of decisions in
 * one transaction, and SQLite's work per decision is mostly the entries
 * it makes in the table's indexes.
 *
 * - `uuid` is no longer UNIQUE. That index served no query; it only
 *   checked that a 36-character id (a UUIDv7: the millisecond, then 74
 *   bits from getrandom) did not repeat, and it cost about a fifth of a
 *   batch's instructions. An id is unique by how it is made, and
 *   `relabel log --verify` checks that no id repeats in the file.
 * - An undo's target was indexed twice: by `decision_undoes` (for the
 *   lookups "is this decision undone?") and by the unique
 *   `decision_undo_once` (one undo per decision, counted after the last
 *   duplicate undo an old log held). A log that held no such duplicate
 *   keeps one index doing both: unique on `undoes` wherever it is set.
 *   A log with old duplicates keeps both indexes as they were.
 *
 * `decision` is rebuilt with its rows copied as they are (every hash still
 * verifies) and its CHECK constraints and triggers as version 4 made them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_priv.h"
#include "util.h"

static const char table_v5[] =
	"CREATE TABLE decision_v5 (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL,"
	" row INTEGER NOT NULL CHECK (row >= 0), example_id TEXT,"
	" action TEXT NOT NULL CHECK (action = 'accept' OR action = 'relabel'"
	" OR action = 'reject' OR action = 'exclude' OR action = 'undo' OR action = 'confirm'"
	" OR action = 'unsure'),"
	" label TEXT, reviewer TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role = 'annotator' OR role = 'expert'),"
	" pass INTEGER NOT NULL CHECK (pass = 1 OR pass = 2), time TEXT NOT NULL, note TEXT,"
	" scan_id INTEGER REFERENCES scan(id), undoes INTEGER REFERENCES decision(id),"
	" batch TEXT, hash TEXT NOT NULL,"
	" CHECK (CASE WHEN action = 'accept' OR action = 'relabel' OR action = 'reject'"
	" THEN label IS NOT NULL WHEN action = 'exclude' OR action = 'undo' THEN label IS NULL"
	" ELSE 1 END),"
	" CHECK (action <> 'confirm' OR pass = 2),"
	" CHECK ((action = 'undo') = (undoes IS NOT NULL)));"
	"INSERT INTO decision_v5 (id, uuid, row, example_id, action, label, reviewer, role,"
	" pass, time, note, scan_id, undoes, batch, hash) SELECT id, uuid, row, example_id,"
	" action, label, reviewer, role, pass, time, note, scan_id, undoes, batch, hash"
	" FROM decision ORDER BY id;"
	"DROP TABLE decision;"
	"ALTER TABLE decision_v5 RENAME TO decision;"
	"CREATE INDEX decision_row ON decision(row);"
	"CREATE TRIGGER decision_append_only_u BEFORE UPDATE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;";

/* The undo indexes: %lld is the last old duplicate undo (0: none). */
static const char undo_one_index[] =
	"CREATE UNIQUE INDEX decision_undo_once ON decision(undoes) WHERE undoes IS NOT NULL;";
static const char undo_two_indexes[] =
	"CREATE INDEX decision_undoes ON decision(undoes) WHERE undoes IS NOT NULL;"
	"CREATE UNIQUE INDEX decision_undo_once ON decision(undoes)"
	" WHERE undoes IS NOT NULL AND id > %" PRId64 ";";

static int exec(struct logdb *l, const char *sql, struct err *e)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return log_sql_err(l, e, "cannot migrate the log to schema 5");
	return 0;
}

int log_migrate_v5(struct logdb *l, struct err *e)
{
	/* The last undo naming a decision an earlier undo names (only a log
	 * written before schema 3 holds one). */
	sqlite3_stmt *st = log_prepare(l, "SELECT coalesce(max(u.id), 0) FROM decision u"
				       " WHERE u.undoes IS NOT NULL AND EXISTS (SELECT 1"
				       " FROM decision p WHERE p.undoes = u.undoes AND p.id < u.id)", e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	int64_t dup = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return log_sql_err(l, e, "cannot migrate the log to schema 5");
	char undo[sizeof undo_two_indexes + 32];
	if (dup)
		snprintf(undo, sizeof undo, undo_two_indexes, dup);
	else
		snprintf(undo, sizeof undo, "%s", undo_one_index);
	return exec(l, table_v5, e) < 0 || exec(l, undo, e) < 0 ||
	       exec(l, "PRAGMA user_version=5", e) < 0 ? -1 : 0;
}
