/* log.c — opening the corrections log: pragmas, the schema and its
 * migrations, and the dataset the log belongs to (paths and hashes).
 *
 * Schema version 1 (PRAGMA user_version), application_id 'RLBD'. Decisions
 * and versions are append-only, enforced by triggers.
 */
#include "log_priv.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"
#include "util.h"

#define APP_ID 0x524c4244

static const char schema_v1[] =
	"CREATE TABLE dataset (id INTEGER PRIMARY KEY CHECK (id = 1),"
	" data_path TEXT NOT NULL, data_size INTEGER NOT NULL, data_sha256 TEXT NOT NULL,"
	" probs_path TEXT, probs_size INTEGER, probs_sha256 TEXT,"
	" n INTEGER NOT NULL, k INTEGER NOT NULL, created TEXT NOT NULL);"
	"CREATE TABLE class (idx INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	"CREATE TABLE mismatch (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
	" file TEXT NOT NULL, recorded TEXT, found TEXT, forced INTEGER NOT NULL);"
	"CREATE TABLE scan (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
	" filter_by TEXT NOT NULL, rank_by TEXT NOT NULL, adjust INTEGER NOT NULL,"
	" thresholds TEXT NOT NULL, confident_joint_raw TEXT NOT NULL,"
	" confident_joint TEXT NOT NULL, n_flagged INTEGER NOT NULL, seconds REAL);"
	"CREATE TABLE issue (scan_id INTEGER NOT NULL REFERENCES scan(id),"
	" rank INTEGER NOT NULL, row INTEGER NOT NULL, score REAL NOT NULL,"
	" given INTEGER NOT NULL, suggested INTEGER NOT NULL,"
	" PRIMARY KEY (scan_id, rank)) WITHOUT ROWID;"
	"CREATE TABLE decision (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" row INTEGER NOT NULL, example_id TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK (action IN ('accept','relabel','reject','exclude','undo')),"
	" label TEXT, reviewer TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN ('annotator','expert')),"
	" pass INTEGER NOT NULL CHECK (pass IN (1, 2)), time TEXT NOT NULL, note TEXT,"
	" scan_id INTEGER REFERENCES scan(id), undoes INTEGER REFERENCES decision(id));"
	"CREATE INDEX decision_row ON decision(row);"
	"CREATE TABLE version (number INTEGER PRIMARY KEY, last_decision INTEGER NOT NULL,"
	" author TEXT NOT NULL, time TEXT NOT NULL, message TEXT NOT NULL,"
	" n_accept INTEGER, n_relabel INTEGER, n_reject INTEGER, n_exclude INTEGER,"
	" n_undo INTEGER);"
	"CREATE TRIGGER decision_append_only_u BEFORE UPDATE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER version_append_only_u BEFORE UPDATE ON version"
	" BEGIN SELECT RAISE(ABORT, 'versions are sealed'); END;"
	"CREATE TRIGGER version_append_only_d BEFORE DELETE ON version"
	" BEGIN SELECT RAISE(ABORT, 'versions are sealed'); END;";

static const char schema_v2[] =
	"CREATE TABLE model_probs (id INTEGER PRIMARY KEY, data_sha256 TEXT NOT NULL,"
	" settings TEXT NOT NULL, n INTEGER NOT NULL, k INTEGER NOT NULL,"
	" probs BLOB NOT NULL, features TEXT, folds INTEGER, accuracy REAL, logloss REAL,"
	" seconds REAL, created TEXT NOT NULL);";

int log_sql_err(struct logdb *l, struct err *e, const char *what)
{
	int code = sqlite3_errcode(l->db);
	const char *hint = code == SQLITE_FULL ? " (disk full?)" :
			   code == SQLITE_READONLY ? " (read-only database)" :
			   code == SQLITE_NOTADB ? " (not a relabel database)" : "";
	return err_set(e, ERR_RUNTIME, "%s: %s: %s%s", l->path, what,
		       sqlite3_errmsg(l->db), hint);
}

sqlite3_stmt *log_prepare(struct logdb *l, const char *sql, struct err *e)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_sql_err(l, e, "query failed");
		return NULL;
	}
	return st;
}

int log_begin(struct logdb *l, struct err *e)
{
	for (int tries = 0; tries < 200; tries++) {
		int rc = sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			return log_sql_err(l, e, "cannot start a transaction");
		usleep(10000 + (unsigned)(rand() % 20000));
	}
	return log_sql_err(l, e, "database stayed locked");
}

int log_commit_tx(struct logdb *l, struct err *e)
{
	for (int tries = 0; tries < 200; tries++) {
		int rc = sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (rc != SQLITE_BUSY)
			break;
		usleep(10000);
	}
	log_sql_err(l, e, "cannot commit");
	log_rollback(l);
	return -1;
}

void log_rollback(struct logdb *l)
{
	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}

void log_now(char buf[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

void log_uuid(char buf[37])
{
	unsigned char b[16];
	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		die("no random bytes for a decision id");
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
		 b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

const char *log_default_reviewer(void)
{
	const char *r = getenv("RELABEL_REVIEWER");
	if (r && *r)
		return r;
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	r = getenv("USER");
	return r && *r ? r : "unknown";
}

char *log_default_path(const char *data_path)
{
	size_t n = strlen(data_path);
	char *p = xmalloc(n + 16);
	memcpy(p, data_path, n + 1);
	while (n > 1 && p[n - 1] == '/')     /* an image folder: DIR.relabel.db */
		p[--n] = '\0';
	if (n > 4 && (!strcmp(p + n - 4, ".csv") || !strcmp(p + n - 4, ".tsv") ||
		      !strcmp(p + n - 4, ".tab") || !strcmp(p + n - 4, ".npy")))
		p[n - 4] = '\0';
	strcat(p, ".relabel.db");
	return p;
}

static int exec(struct logdb *l, const char *sql, struct err *e)
{
	if (sqlite3_exec(l->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return log_sql_err(l, e, "cannot set up the database");
	return 0;
}

static int pragma_int(struct logdb *l, const char *sql, int *out, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, sql, e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot read the database");
	return 0;
}

/* Check (or create) the schema. */
static int check_schema(struct logdb *l, int create, struct err *e)
{
	int uv, app, tables;
	if (pragma_int(l, "SELECT count(*) FROM sqlite_master", &tables, e) < 0 ||
	    pragma_int(l, "PRAGMA user_version", &uv, e) < 0 ||
	    pragma_int(l, "PRAGMA application_id", &app, e) < 0)
		return -1;
	if (tables == 0 && create) {
		if (log_begin(l, e) < 0)
			return -1;
		char pragmas[96];
		snprintf(pragmas, sizeof pragmas, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
			 APP_ID, LOG_SCHEMA_VERSION);
		if (exec(l, schema_v1, e) < 0 || exec(l, schema_v2, e) < 0 ||
		    exec(l, pragmas, e) < 0) {
			log_rollback(l);
			return -1;
		}
		return log_commit_tx(l, e);
	}
	if (tables == 0)
		return err_set(e, ERR_INPUT, "%s: no corrections log here; expected a "
			       "database made by relabel", l->path);
	if (app != APP_ID)
		return err_set(e, ERR_INPUT, "%s: not a relabel corrections log (it "
			       "holds other tables); expected a database made by relabel",
			       l->path);
	if (uv > LOG_SCHEMA_VERSION)
		return err_set(e, ERR_INPUT, "%s: made by a newer relabel (schema %d; "
			       "this one knows up to %d); refusing to open it", l->path,
			       uv, LOG_SCHEMA_VERSION);
	/* Forward migrations, each in one transaction. */
	if (uv < 2) {
		if (log_begin(l, e) < 0)
			return -1;
		if (exec(l, schema_v2, e) < 0 || exec(l, "PRAGMA user_version=2", e) < 0) {
			log_rollback(l);
			return -1;
		}
		if (log_commit_tx(l, e) < 0)
			return -1;
	}
	return 0;
}

static int connect(struct logdb **out, const char *path, int create, struct err *e)
{
	struct logdb *l = xcalloc(1, sizeof *l);
	l->path = xstrdup(path);
	*out = l;
	if (!create && access(path, F_OK) != 0)
		return err_set(e, ERR_INPUT, "%s: no such corrections log", path);
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &l->db, flags, NULL) != SQLITE_OK)
		return log_sql_err(l, e, "cannot open");
	sqlite3_busy_timeout(l->db, 5000);
	sqlite3_extended_result_codes(l->db, 0);
	if (exec(l, "PRAGMA foreign_keys=ON", e) < 0)
		return -1;
	int tables;
	if (pragma_int(l, "SELECT count(*) FROM sqlite_master", &tables, e) < 0)
		return -1;
	if (sqlite3_db_readonly(l->db, "main") == 1)
		return err_set(e, ERR_RUNTIME, "%s: the database is read-only; "
			       "expected a writable corrections log", path);
	char *mode = NULL;
	sqlite3_stmt *st = log_prepare(l, "PRAGMA journal_mode=WAL", e);
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		mode = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	int wal = mode && !strcmp(mode, "wal");
	free(mode);
	if (!wal)
		return log_sql_err(l, e, "cannot switch to WAL journal");
	if (exec(l, "PRAGMA synchronous=FULL", e) < 0)
		return -1;
	return check_schema(l, create, e);
}

static int record_mismatch(struct logdb *l, const char *file, const char *was,
			   const char *now, int forced, struct err *e)
{
	char t[32];
	log_now(t);
	sqlite3_stmt *st = log_prepare(l, "INSERT INTO mismatch (time, file, recorded, "
				       "found, forced) VALUES (?, ?, ?, ?, ?)", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, file, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, was, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 5, forced);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : log_sql_err(l, e, "cannot record a mismatch");
}

static int insert_dataset(struct logdb *l, const struct dataset *d, const char *dsha,
			  uint64_t dsize, const char *psha, uint64_t psize, struct err *e)
{
	char t[32];
	log_now(t);
	if (log_begin(l, e) < 0)
		return -1;
	sqlite3_stmt *st = log_prepare(l, "INSERT INTO dataset VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!st)
		goto fail;
	char *abs = realpath(d->data_path, NULL);
	sqlite3_bind_text(st, 1, abs ? abs : d->data_path, -1, SQLITE_TRANSIENT);
	free(abs);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)dsize);
	sqlite3_bind_text(st, 3, dsha, -1, SQLITE_TRANSIENT);
	if (d->probs_path) {
		char *pabs = realpath(d->probs_path, NULL);
		sqlite3_bind_text(st, 4, pabs ? pabs : d->probs_path, -1, SQLITE_TRANSIENT);
		free(pabs);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)psize);
		sqlite3_bind_text(st, 6, psha, -1, SQLITE_TRANSIENT);
	}
	sqlite3_bind_int64(st, 7, (sqlite3_int64)d->n);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)d->k);
	sqlite3_bind_text(st, 9, t, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || !(st = log_prepare(l, "INSERT INTO class VALUES (?, ?)", e)))
		goto fail_sql;
	for (size_t c = 0; c < d->k && rc == SQLITE_DONE; c++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)c);
		sqlite3_bind_text(st, 2, d->class_names[c], -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail_sql;
	return log_commit_tx(l, e);
fail_sql:
	log_sql_err(l, e, "cannot record the dataset");
fail:
	log_rollback(l);
	return -1;
}

/* The log's dataset against the loaded one: same content, or refused. */
static int check_dataset(struct logdb *l, const struct dataset *d, int force,
			 struct err *e)
{
	char dsha[65], psha[65] = "";
	uint64_t dsize, psize = 0;
	if (dataset_content_sha256(d, dsha, &dsize, e) < 0 ||
	    (d->probs_path && hash_file_sha256(d->probs_path, psha, &psize, e) < 0))
		return -1;
	sqlite3_stmt *st = log_prepare(l, "SELECT data_path, data_sha256, probs_sha256, k "
				       "FROM dataset WHERE id = 1", e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return log_sql_err(l, e, "cannot read the dataset record");
		l->data_path = xstrdup(d->data_path);
		memcpy(l->data_sha, dsha, sizeof dsha);
		return insert_dataset(l, d, dsha, dsize, psha, psize, e);
	}
	l->data_path = xstrdup((const char *)sqlite3_column_text(st, 0));
	snprintf(l->data_sha, sizeof l->data_sha, "%s", (const char *)sqlite3_column_text(st, 1));
	const char *was_p = (const char *)sqlite3_column_text(st, 2);
	char was_psha[65] = "";
	if (was_p)
		snprintf(was_psha, sizeof was_psha, "%s", was_p);
	int64_t k = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);
	const char *file = NULL, *was = NULL, *now = NULL;
	if (strcmp(l->data_sha, dsha))
		file = d->data_path, was = l->data_sha, now = dsha;
	else if (d->probs_path && was_psha[0] && strcmp(was_psha, psha))
		file = d->probs_path, was = was_psha, now = psha;
	if (file) {
		if (record_mismatch(l, file, was, now, force, e) < 0)
			return -1;
		if (!force)
			return err_set(e, ERR_INPUT, "%s: changed since the corrections log "
				       "%s was made for it (SHA-256 %.12s…, now %.12s…); "
				       "refusing to mix decisions across versions of the data "
				       "(--force opens it anyway)", file, l->path, was, now);
	}
	if (!file && (size_t)k != d->k)
		return err_set(e, ERR_INPUT, "%s: made for %lld classes, the data has "
			       "%zu", l->path, (long long)k, d->k);
	return 0;
}

int log_open(struct logdb **out, const char *db_path, const struct dataset *d,
	     int force, struct err *e)
{
	if (connect(out, db_path, 1, e) < 0 || check_dataset(*out, d, force, e) < 0) {
		log_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int log_open_existing(struct logdb **out, const char *db_path, struct err *e)
{
	if (connect(out, db_path, 0, e) < 0)
		goto fail;
	struct logdb *l = *out;
	sqlite3_stmt *st = log_prepare(l, "SELECT data_path, data_sha256 FROM dataset", e);
	if (!st)
		goto fail;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		err_set(e, ERR_INPUT, "%s: the log records no dataset", db_path);
		goto fail;
	}
	l->data_path = xstrdup((const char *)sqlite3_column_text(st, 0));
	snprintf(l->data_sha, sizeof l->data_sha, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return 0;
fail:
	log_close(*out);
	*out = NULL;
	return -1;
}

void log_close(struct logdb *l)
{
	if (!l)
		return;
	if (l->db)
		sqlite3_close(l->db);
	free(l->path);
	free(l->data_path);
	free(l);
}

const char *log_data_path(const struct logdb *l)
{
	return l->data_path;
}

const char *log_data_sha256(const struct logdb *l)
{
	return l->data_sha;
}
