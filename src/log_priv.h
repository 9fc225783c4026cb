/* log_priv.h — what the log's files share: the open connection and helpers
 * for statements, transactions and time stamps (internal). */
#ifndef RELABEL_LOG_PRIV_H
#define RELABEL_LOG_PRIV_H

#include <sqlite3.h>

#include "log.h"

struct logdb {
	sqlite3 *db;
	char *path;
	char *data_path;
	char data_sha[65];
};

/* Fill e from the connection's last error, prefixed with the db path. */
int log_sql_err(struct logdb *l, struct err *e, const char *what);
/* Prepare; returns NULL with e filled on failure. */
sqlite3_stmt *log_prepare(struct logdb *l, const char *sql, struct err *e);
/* BEGIN IMMEDIATE, retrying while other writers hold the lock. */
int log_begin(struct logdb *l, struct err *e);
int log_commit_tx(struct logdb *l, struct err *e);
void log_rollback(struct logdb *l);
/* Now, UTC, ISO 8601 with milliseconds. */
void log_now(char buf[32]);
/* A random version 4 UUID. */
void log_uuid(char buf[37]);

#endif
