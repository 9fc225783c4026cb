/* log_schema3.c — schema version 3 of the corrections log and the
 * migration that brings a version 2 log to it (a new log is made as
 * version 1, then migrated, so every log takes this one path).
 *
 * Version 3 rebuilds `decision` and `version` with hash-chain columns
 * (log_chain.c), adds to decisions `batch` (the id a bulk action shares)
 * and makes `example_id` NULL when the data has no id column; extends the
 * actions with 'confirm' and 'unsure'; refuses a second undo of one
 * decision (unique index on `undoes`) and invalid new rows (triggers); and
 * adds the append-only `note`, `spot_check` and `spot_check_row` tables.
 *
 * Existing rows are copied in id order with their hashes computed. An old
 * log in which several undos name one decision (possible before version 3)
 * keeps them: the unique index covers the decisions after the last such
 * duplicate. If every old decision's example_id equals its row number the
 * data had no id column (or ids equal to row numbers): they become NULL.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_priv.h"
#include "util.h"

static const char rename_old[] =
	"DROP TRIGGER IF EXISTS decision_append_only_u;"
	"DROP TRIGGER IF EXISTS decision_append_only_d;"
	"DROP TRIGGER IF EXISTS version_append_only_u;"
	"DROP TRIGGER IF EXISTS version_append_only_d;"
	"DROP INDEX IF EXISTS decision_row;"
	"ALTER TABLE decision RENAME TO decision_v2;"
	"ALTER TABLE version RENAME TO version_v2;";

static const char tables_v3[] =
	"CREATE TABLE decision (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" row INTEGER NOT NULL, example_id TEXT,"
	" action TEXT NOT NULL CHECK (action IN ('accept','relabel','reject','exclude',"
	"'undo','confirm','unsure')),"
	" label TEXT, reviewer TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN ('annotator','expert')),"
	" pass INTEGER NOT NULL CHECK (pass IN (1, 2)), time TEXT NOT NULL, note TEXT,"
	" scan_id INTEGER REFERENCES scan(id), undoes INTEGER REFERENCES decision(id),"
	" batch TEXT, hash TEXT NOT NULL);"
	"CREATE TABLE version (number INTEGER PRIMARY KEY, last_decision INTEGER NOT NULL,"
	" author TEXT NOT NULL, time TEXT NOT NULL, message TEXT NOT NULL,"
	" n_accept INTEGER, n_relabel INTEGER, n_reject INTEGER, n_exclude INTEGER,"
	" n_undo INTEGER, n_confirm INTEGER, n_unsure INTEGER, hash TEXT NOT NULL);"
	"CREATE TABLE note (id INTEGER PRIMARY KEY, row INTEGER NOT NULL CHECK (row >= 0),"
	" example_id TEXT, decision_id INTEGER REFERENCES decision(id),"
	" reviewer TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('annotator','expert')),"
	" time TEXT NOT NULL, text TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX note_row ON note(row);"
	"CREATE TABLE spot_check (id INTEGER PRIMARY KEY, scan_id INTEGER REFERENCES scan(id),"
	" reviewer TEXT NOT NULL, time TEXT NOT NULL, seed INTEGER NOT NULL,"
	" n INTEGER NOT NULL CHECK (n >= 0), hash TEXT NOT NULL);"
	"CREATE TABLE spot_check_row (spot_check_id INTEGER NOT NULL REFERENCES spot_check(id),"
	" pos INTEGER NOT NULL, row INTEGER NOT NULL CHECK (row >= 0),"
	" PRIMARY KEY (spot_check_id, pos)) WITHOUT ROWID;";

/* Created after the old rows are copied. %lld: the undo-once index starts
 * after the last old duplicate undo. */
static const char rules_v3[] =
	"CREATE INDEX decision_row ON decision(row);"
	"CREATE INDEX decision_undoes ON decision(undoes) WHERE undoes IS NOT NULL;"
	"CREATE UNIQUE INDEX decision_undo_once ON decision(undoes)"
	" WHERE undoes IS NOT NULL AND id > %" PRId64 ";"
	"CREATE TRIGGER decision_valid BEFORE INSERT ON decision WHEN NEW.row < 0"
	" OR (NEW.action IN ('accept','relabel','reject') AND NEW.label IS NULL)"
	" OR (NEW.action IN ('exclude','undo') AND NEW.label IS NOT NULL)"
	" OR (NEW.label IS NOT NULL AND NEW.action <> 'unsure'"
	"     AND NOT EXISTS (SELECT 1 FROM class WHERE name = NEW.label))"
	" OR (NEW.action = 'confirm' AND NEW.pass <> 2)"
	" OR ((NEW.action = 'undo') <> (NEW.undoes IS NOT NULL))"
	" BEGIN SELECT RAISE(ABORT, 'invalid decision (row, label or undo target)'); END;"
	"CREATE TRIGGER decision_undo_valid BEFORE INSERT ON decision"
	" WHEN NEW.action = 'undo' AND NOT EXISTS (SELECT 1 FROM decision t"
	"  WHERE t.id = NEW.undoes AND t.action <> 'undo' AND t.row = NEW.row)"
	" BEGIN SELECT RAISE(ABORT, 'an undo names an earlier decision on its row"
	" that is not an undo'); END;"
	"CREATE TRIGGER decision_append_only_u BEFORE UPDATE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER version_append_only_u BEFORE UPDATE ON version"
	" BEGIN SELECT RAISE(ABORT, 'versions are sealed'); END;"
	"CREATE TRIGGER version_append_only_d BEFORE DELETE ON version"
	" BEGIN SELECT RAISE(ABORT, 'versions are sealed'); END;"
	"CREATE TRIGGER note_append_only_u BEFORE UPDATE ON note"
	" BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;"
	"CREATE TRIGGER note_append_only_d BEFORE DELETE ON note"
	" BEGIN SELECT RAISE(ABORT, 'notes are append-only'); END;"
	"CREATE TRIGGER spot_check_append_only_u BEFORE UPDATE ON spot_check"
	" BEGIN SELECT RAISE(ABORT, 'spot checks are append-only'); END;"
	"CREATE TRIGGER spot_check_append_only_d BEFORE DELETE ON spot_check"
	" BEGIN SELECT RAISE(ABORT, 'spot checks are append-only'); END;"
	"CREATE TRIGGER spot_check_row_append_only_u BEFORE UPDATE ON spot_check_row"
	" BEGIN SELECT RAISE(ABORT, 'spot checks are append-only'); END;"
	"CREATE TRIGGER spot_check_row_append_only_d BEFORE DELETE ON spot_check_row"
	" BEGIN SELECT RAISE(ABORT, 'spot checks are append-only'); END;";

static int exec(struct logdb *l, const char *sql, struct err *e)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return log_sql_err(l, e, "cannot migrate the log to schema 3");
	return 0;
}

static struct cval col(sqlite3_stmt *st, int i)
{
	int t = sqlite3_column_type(st, i);
	return t == SQLITE_NULL ? CV_TEXT(NULL) :
	       t == SQLITE_INTEGER ? CV_INT(sqlite3_column_int64(st, i)) :
	       CV_TEXT((const char *)sqlite3_column_text(st, i));
}

static int scalar(struct logdb *l, const char *sql, int64_t *out, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, sql, e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : log_sql_err(l, e, "cannot migrate");
}

static int copy_decisions(struct logdb *l, int64_t *dup_undo, struct err *e)
{
	int64_t ids_differ;
	if (scalar(l, "SELECT count(*) FROM decision_v2 WHERE example_id IS NOT"
		   " CAST(row AS TEXT)", &ids_differ, e) < 0 ||
	    scalar(l, "SELECT coalesce(max(u.id), 0) FROM decision_v2 u WHERE u.undoes IS NOT"
		   " NULL AND EXISTS (SELECT 1 FROM decision_v2 p WHERE p.undoes = u.undoes"
		   " AND p.id < u.id)", dup_undo, e) < 0)
		return -1;
	sqlite3_stmt *st = log_prepare(l, "SELECT id, uuid, row, example_id, action, label,"
				       " reviewer, role, pass, time, note, scan_id, undoes"
				       " FROM decision_v2 ORDER BY id", e);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cval v[14];
		for (int i = 0; i < 13; i++)
			v[i] = col(st, i);
		if (!ids_differ)
			v[3] = CV_TEXT(NULL);
		v[13] = CV_TEXT(NULL);
		if (log_insert_chained(l, "decision", LOG_DECISION_COLS, v, 14, 14, NULL, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : log_sql_err(l, e, "cannot migrate decisions");
}

static int copy_versions(struct logdb *l, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, "SELECT number, last_decision, author, time, message,"
				       " n_accept, n_relabel, n_reject, n_exclude, n_undo,"
				       " (SELECT d.hash FROM decision d WHERE d.id = last_decision)"
				       " FROM version_v2 ORDER BY number", e);
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cval v[13];
		for (int i = 0; i < 10; i++)
			v[i] = col(st, i);
		v[10] = CV_INT(0);
		v[11] = CV_INT(0);
		v[12] = col(st, 10);
		if (log_insert_chained(l, "version", LOG_VERSION_COLS, v, 12, 13, NULL, e) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : log_sql_err(l, e, "cannot migrate versions");
}

int log_migrate_v3(struct logdb *l, struct err *e)
{
	int64_t dup_undo = 0;
	if (exec(l, rename_old, e) < 0 || exec(l, tables_v3, e) < 0 ||
	    copy_decisions(l, &dup_undo, e) < 0 || copy_versions(l, e) < 0 ||
	    exec(l, "DROP TABLE decision_v2; DROP TABLE version_v2;", e) < 0)
		return -1;
	char rules[sizeof rules_v3 + 32];
	snprintf(rules, sizeof rules, rules_v3, dup_undo);
	return exec(l, rules, e) < 0 || exec(l, "PRAGMA user_version=3", e) < 0 ? -1 : 0;
}
