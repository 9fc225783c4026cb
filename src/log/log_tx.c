/* log_tx.c — the corrections log's transactions and their failures:
 * BEGIN IMMEDIATE and COMMIT with a bounded wait for other processes'
 * locks, and error messages from SQLite with hints (the log locked by
 * another process, a full disk, the file size limit). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "log_priv.h"
#include "util.h"

double log_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int locked_err(struct logdb *l, struct err *e)
{
	l->locked = 1;
	/* The reason first: the review screen shows it after "NOT SAVED". */
	return err_set(e, ERR_RUNTIME, LOG_LOCKED_MSG " (%s; waited %.1f s)",
		       l->path, l->lock_ms / 1000.0);
}

/* Disk-full and file-size-limit hints for I/O errors. */
void log_io_hint(struct logdb *l, struct err *e)
{
	int code = sqlite3_errcode(l->db);
	if ((code != SQLITE_IOERR && code != SQLITE_FULL && code != SQLITE_CANTOPEN) ||
	    strstr(e->msg, "(disk full") || strstr(e->msg, "ulimit -f"))
		return;
	char *dir = xstrdup(l->path), *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir ? 1 : 0] = '\0';
	struct statvfs vs;
	struct rlimit rl;
	int have_vs = statvfs(slash ? dir : ".", &vs) == 0;
	unsigned long long avail = have_vs ? (unsigned long long)vs.f_bavail * vs.f_frsize : 0;
	size_t n = strlen(e->msg);
	if (have_vs && avail < 1 << 20)
		snprintf(e->msg + n, sizeof e->msg - n, " (disk full: %llu bytes free on "
			 "the log's file system)", avail);
	else if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		snprintf(e->msg + n, sizeof e->msg - n, " (the file size limit, ulimit -f, "
			 "is %llu bytes)", (unsigned long long)rl.rlim_cur);
	else if (code == SQLITE_FULL)
		snprintf(e->msg + n, sizeof e->msg - n, " (disk full?)");
	free(dir);
}

int log_sql_err(struct logdb *l, struct err *e, const char *what)
{
	int code = sqlite3_errcode(l->db);
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return locked_err(l, e);
	const char *hint = code == SQLITE_READONLY ? " (read-only database)" :
			   code == SQLITE_NOTADB ? " (not a relabel database)" : "";
	/* A damaged file is bad input (exit 2), like any file that is not a log. */
	err_set(e, code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? ERR_INPUT : ERR_RUNTIME,
		"%s: %s: %s%s", l->path, what, sqlite3_errmsg(l->db), hint);
	log_io_hint(l, e);
	return -1;
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

/* BEGIN IMMEDIATE waits in SQLite's busy handler up to the lock timeout;
 * a few short retries cover the cases it returns BUSY at once. */
int log_begin(struct logdb *l, struct err *e)
{
	double until = log_now_ms() + l->lock_ms;
	l->locked = 0;
	if (l->read_only)
		return err_set(e, ERR_RUNTIME, "%s: opened read-only; nothing is written",
			       l->path);
	for (;;) {
		int rc = sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			return log_sql_err(l, e, "cannot start a transaction");
		if (log_now_ms() >= until)
			return locked_err(l, e);
		usleep(2000 + (unsigned)(rand() % 3000));
	}
}

int log_commit_tx(struct logdb *l, struct err *e)
{
	double until = log_now_ms() + l->lock_ms;
	for (;;) {
		int rc = sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (rc != SQLITE_BUSY)
			break;
		if (log_now_ms() >= until) {
			locked_err(l, e);
			log_rollback(l);
			return -1;
		}
		usleep(2000);
	}
	log_sql_err(l, e, "cannot commit");
	log_rollback(l);
	return -1;
}

int log_idle(struct logdb *l)
{
	if (!l || !l->checkpoint_due)
		return 0;
	l->checkpoint_due = 0;
	/* PASSIVE: never waits for readers or writers; what it cannot copy
	 * now a later checkpoint does. */
	sqlite3_wal_checkpoint_v2(l->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return 1;
}

int log_parse_lock_timeout(const char *s)
{
	char *end;
	errno = 0;
	if (!s || !*s || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -1;
	double v = strtod(s, &end);
	if (errno || *end || v < 0 || v > 86400)
		return -1;
	return (int)(v * 1000 + 0.5);
}

void log_set_lock_timeout(struct logdb *l, int ms)
{
	l->lock_ms = ms < 0 ? 0 : ms;
	if (l->db)
		sqlite3_busy_timeout(l->db, l->lock_ms);
}

int log_locked(const struct logdb *l)
{
	return l && l->locked;
}

void log_rollback(struct logdb *l)
{
	if (!sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
}
