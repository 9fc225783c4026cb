/* log_priv.h — what the log's files share: the open connection and helpers
 * for statements, transactions and time stamps (internal). */
#ifndef RELABEL_LOG_PRIV_H
#define RELABEL_LOG_PRIV_H

#include <sqlite3.h>
#include <string.h>

#include "log.h"

struct logdb {
	sqlite3 *db;
	char *path;
	char *data_path;
	char data_sha[65];
	int has_ids;          /* the dataset it was opened with has an id column */
	int lock_ms;          /* how long a write waits for another's lock */
	int locked;           /* the last failure was a lock wait running out */
	int read_only;
	int created;          /* this connection made the file */
	int old_schema;       /* read-only, migrated in memory from this schema */
	int data_changed;     /* opened with --force on changed DATA */
	int checkpoint_due;   /* a batch's commit put off its checkpoint */
	const struct dataset *d;  /* the dataset it was opened with, or NULL */
	size_t vanished;      /* decisions log_list left out (see log.h) */
	int bounds_loaded;    /* classes and n_rows read (log_list checks) */
	int forced_seen;      /* an open with --force is recorded (else every
			       * decision was made on this very data); looked
			       * up by each log_list until seen */
	char **classes;       /* sorted */
	size_t n_classes;
	int64_t n_rows;
	char vanished_msg[300];
};

/* A field of a chained record, for binding and for hashing alike (a text
 * with its length in bytes, measured once). */
struct cval {
	char type;            /* 'i' integer, 't' text, 'n' NULL */
	int64_t i;
	const char *s;
	size_t len;
};
#define CV_INT(v) ((struct cval){ 'i', (int64_t)(v), NULL, 0 })
static inline struct cval cv_textn(const char *s, size_t len)
{
	return (struct cval){ s ? 't' : 'n', 0, s, s ? len : 0 };
}
static inline struct cval cv_text(const char *s)
{
	return cv_textn(s, s ? strlen(s) : 0);
}
#define CV_TEXT(v) cv_text(v)
#define CV_TEXTN(v, n) cv_textn((v), (n))
#define CV_ID(v) ((struct cval){ (v) > 0 ? 'i' : 'n', (int64_t)(v), NULL, 0 })

/* Insert a chained record into `table` (inside the caller's transaction):
 * its first ncols values go into the columns `cols` (comma-separated), all
 * n values (the rest: derived fields such as the head of another chain)
 * and the previous record's hash make its hash, stored in column `hash`
 * and copied to hash_out (may be NULL). */
int log_insert_chained(struct logdb *l, const char *table, const char *cols,
		       const struct cval *v, size_t ncols, size_t n,
		       char hash_out[65], struct err *e);
/* The hash of a record whose predecessor's hash is prev (see log_chain.c),
 * for callers that insert many records in one statement loop. */
void log_chain_hash(const char *table, const char *prev, const struct cval *v, size_t n,
		    char out[65]);
/* The column lists the chains hash (shared by insert and verify). */
#define LOG_DECISION_COLS "id, uuid, row, example_id, action, label, reviewer, " \
	"role, pass, time, note, scan_id, undoes, batch"
#define LOG_VERSION_COLS "number, last_decision, author, time, message, n_accept, " \
	"n_relabel, n_reject, n_exclude, n_undo, n_confirm, n_unsure"
#define LOG_NOTE_COLS "id, row, example_id, decision_id, reviewer, role, time, text"
#define LOG_SPOT_COLS "id, scan_id, reviewer, time, seed, n"
/* Refuse (ERR_INPUT) a new decision whose label is not one of the log's
 * classes (unsure's may be any text; exclude and undo store none): the
 * check schema 4 leaves to its writers (see log_schema4.c). */
int log_check_labels(struct logdb *l, const struct log_new_decision *nds, size_t n,
		     struct err *e);
/* Migrate a schema 2 log to 3, 3 to 4, 4 to 5 (inside the caller's
 * transaction). */
int log_migrate_v3(struct logdb *l, struct err *e);
int log_migrate_v4(struct logdb *l, struct err *e);
int log_migrate_v5(struct logdb *l, struct err *e);
/* The hash of the newest decision, version, ... ("" when none). */
int log_chain_head(struct logdb *l, const char *table, char out[65], struct err *e);
int64_t log_next_id(struct logdb *l, const char *table, const char *key, int *ok);

/* Fill e from the connection's last error, prefixed with the db path. */
int log_sql_err(struct logdb *l, struct err *e, const char *what);
/* Prepare; returns NULL with e filled on failure. */
sqlite3_stmt *log_prepare(struct logdb *l, const char *sql, struct err *e);
/* A scan's row, and its ranked issues [from, to), each inside the caller's
 * transaction (log_scan.c). */
int log_scan_insert_row(struct logdb *l, const struct cl_scan_params *prm,
			const struct cl_scan *s, double seconds, int64_t *scan_id, struct err *e);
int log_scan_insert_issues(struct logdb *l, int64_t scan_id, const struct cl_scan *s,
			   const int *labels, size_t from, size_t to, struct err *e);
/* BEGIN IMMEDIATE, retrying while other writers hold the lock. */
int log_begin(struct logdb *l, struct err *e);
int log_commit_tx(struct logdb *l, struct err *e);
void log_rollback(struct logdb *l);
/* Append a disk-full or file-size-limit hint to an I/O error. */
void log_io_hint(struct logdb *l, struct err *e);
/* A monotonic clock in milliseconds. */
double log_now_ms(void);
/* Now, UTC, ISO 8601 with milliseconds. */
void log_now(char buf[32]);
/* A random version 4 UUID (batch ids). */
void log_uuid(char buf[37]);
/* A decision's UUID: version 7, the time in milliseconds since 1970 then
 * 74 random bits (from rnd), so that new decisions' UUIDs sort after the
 * old ones and the log's unique index on them grows at its end instead of
 * at a random page per decision (a bulk batch on a large log dirtied one
 * index page per decision). */
void log_uuid7(uint64_t unix_ms, const unsigned char rnd[10], char buf[37]);
uint64_t log_now_unix_ms(void);
/* unix_ms as log_now writes it. */
void log_format_time(uint64_t unix_ms, char buf[32]);
/* n random bytes (getrandom; one call for a whole batch). */
void log_random(void *buf, size_t n);

#endif
