/* log_schema4.c — schema version 4 of the corrections log: the same
 * tables, records and hashes as version 3, with the checks on a new
 * decision made cheaper. A bulk action records thousands of decisions in
 * one transaction, and version 3 checked each with two triggers (each a
 * sub-program that SQLite sets up and tears down per row, and whose
 * IN (...) lists it rebuilt as temporary tables per row) and with a CHECK
 * on `action` whose IN list was likewise a temporary table per row.
 *
 * Version 4 rebuilds `decision` (its rows copied as they are, so every
 * hash still verifies) with CHECK constraints written as comparisons, and
 * these take over what the `decision_valid` trigger checked without
 * looking at another table: the row is not negative, accept, relabel and
 * reject carry a label, exclude and undo carry none, confirm is of the
 * second pass, and a decision names an undo target exactly when it is an
 * undo. Any program writing to the log is still held to them. The two
 * checks that looked up other rows — a label is one of the dataset's
 * classes (except for unsure), an undo names an earlier decision on its
 * row that is not an undo — are made by relabel's writers (log_decide,
 * log_decide_batch) inside their transaction, and on every read
 * (log_list refuses a log holding a decision that fails them, as it does
 * for every other check). The indexes are re-created as they were,
 * including the undo-once index's start after an old duplicate undo.
 * A schema 3 log holding a decision that the new constraints refuse (one
 * inserted by hand past its triggers, which reading refuses anyway) is not
 * migrated: the read-write open fails naming the constraint, and nothing
 * changes; opened read-only, a schema 3 log is read as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_priv.h"
#include "util.h"

static const char table_v4[] =
	"CREATE TABLE decision_v4 (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
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
	"INSERT INTO decision_v4 (id, uuid, row, example_id, action, label, reviewer, role,"
	" pass, time, note, scan_id, undoes, batch, hash) SELECT id, uuid, row, example_id,"
	" action, label, reviewer, role, pass, time, note, scan_id, undoes, batch, hash"
	" FROM decision ORDER BY id;"
	"DROP TABLE decision;"
	"ALTER TABLE decision_v4 RENAME TO decision;"
	"CREATE INDEX decision_row ON decision(row);"
	"CREATE INDEX decision_undoes ON decision(undoes) WHERE undoes IS NOT NULL;"
	"CREATE TRIGGER decision_append_only_u BEFORE UPDATE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;";

static int exec(struct logdb *l, const char *sql, struct err *e)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return log_sql_err(l, e, "cannot migrate the log to schema 4");
	return 0;
}

int log_migrate_v4(struct logdb *l, struct err *e)
{
	/* The undo-once index as version 3 made it (its WHERE names the last
	 * old duplicate undo), made again on the new table. */
	sqlite3_stmt *st = log_prepare(l, "SELECT sql FROM sqlite_master WHERE type = 'index'"
				       " AND name = 'decision_undo_once'", e);
	if (!st)
		return -1;
	char *once = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) ?
		     xstrdup((const char *)sqlite3_column_text(st, 0)) : NULL;
	sqlite3_finalize(st);
	if (!once)
		return err_set(e, ERR_INPUT, "%s: cannot migrate the log to schema 4: it has no "
			       "undo-once index (was it changed by hand?)", l->path);
	int rc = exec(l, table_v4, e) < 0 || exec(l, once, e) < 0 ||
		 exec(l, "PRAGMA user_version=4", e) < 0 ? -1 : 0;
	free(once);
	return rc;
}
