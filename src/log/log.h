/* log.h — the corrections log: one SQLite database per dataset that keeps
 * every decision, every scan and every version, append-only.
 *
 * Guarantees: each decision is its own committed transaction (WAL journal,
 * synchronous=FULL) before log_decide returns, so a decision reported saved
 * survives a killed process; decisions and versions are never updated or
 * deleted (triggers refuse it); several processes may write at once (each
 * write waits a bounded time for the others' lock, see log_set_lock_timeout,
 * then fails with nothing written). The database records the SHA-256
 * of DATA.csv and PROBS.csv and refuses to open against changed files
 * unless forced, recording the mismatch.
 *
 * Schema 3 adds, per record kind (decision, version, note, spot check), a
 * hash chain: each record's `hash` is the SHA-256 of its predecessor's hash
 * and a canonical serialization of its fields (log_chain.c), so that an
 * edit made behind relabel's back (triggers dropped) shows in
 * log_verify. Decisions carry the example's id when the data has ids
 * (decisions follow their id when the data changed, see log_data_changed)
 * and a batch id shared by a bulk action.
 *
 * Strings in returned structs are owned by the struct and freed by the
 * matching _free function.
 */
#ifndef RELABEL_LOG_H
#define RELABEL_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "cl.h"
#include "dataset.h"
#include "err.h"

#define LOG_SCHEMA_VERSION 5

struct logdb;

/* What a decision does to the example's label (effective.h applies them):
 *   accept   take the model's suggested label (recorded in `label`)
 *   relabel  set `label`, a class of the dataset
 *   reject   keep the given label (recorded in `label`)
 *   exclude  drop the example from exports (`label` NULL)
 *   undo     revert decision `undoes` (same row, not an undo, undone at most
 *            once: a second undo of one decision is refused by a constraint)
 *   confirm  an expert (pass 2) confirms the annotator's outcome: it acts
 *            exactly like a pass-2 decision giving that outcome, recorded in
 *            `label` (NULL when the annotator excluded the example, which
 *            the confirm then excludes too)
 *   unsure   the reviewer cannot tell: the label stays as given (at export
 *            the given label is written, whatever `label` holds). It is a
 *            decision like the others (it supersedes earlier ones of its
 *            pass and can be undone), not an undecided row. */
enum log_action { LOG_ACCEPT, LOG_RELABEL, LOG_REJECT, LOG_EXCLUDE, LOG_UNDO,
		  LOG_CONFIRM, LOG_UNSURE, LOG_ACTIONS };
const char *log_action_name(enum log_action a);
int log_action_parse(const char *s, enum log_action *out);

/* "data.csv" -> "data.relabel.db" beside it (a path without ".csv" gets
 * ".relabel.db" appended). Caller frees. */
char *log_default_path(const char *data_path);

/* Open or create the log for a loaded dataset. A log made for other files
 * (hash mismatch) is refused with a message naming the changed file unless
 * force is set; the mismatch is recorded either way. */
int log_open(struct logdb **out, const char *db_path, const struct dataset *d,
	     int force, struct err *e);
/* Open an existing log on its own (commands that need no dataset). */
int log_open_existing(struct logdb **out, const char *db_path, struct err *e);
/* Open an existing log read-only (log, diff, export, stats): nothing is
 * written, no log is created, a read-only file works, an older schema is
 * migrated in memory only. d may be NULL; with d, a changed DATA.csv is
 * refused unless force (the mismatch is not recorded). */
int log_open_read_only(struct logdb **out, const char *db_path, const struct dataset *d,
		       int force, struct err *e);
/* Every open checks the file before SQLite touches it: a missing log is
 * only created by log_open; a 0-byte file, a file that is not SQLite and
 * another application's SQLite database (application_id) are refused with
 * ERR_INPUT and left byte for byte as they were. */

/* When the log is opened with a dataset that has ids, log_list gives each
 * decision the row its example id has now (the data may have been changed
 * and opened with force) and leaves out decisions whose id is gone;
 * without ids decisions apply by row number (those beyond the data are
 * left out). log_data_changed: opened with force on a DATA.csv that
 * changed since the log was made; log_data_sha256 is then the data's
 * current hash. */
int log_data_changed(const struct logdb *db);
/* How many decisions the last log_list left out, and a message naming
 * them ("" when none). */
size_t log_vanished(const struct logdb *db, const char **msg);
void log_close(struct logdb *db);
/* Close; a log this connection created is removed again unless another
 * process has opened it meanwhile (log_open does so when it fails after
 * making the file). */
void log_close_discard(struct logdb *db);
/* A log opened read-only whose file has an older schema (migrated in
 * memory): that schema, else 0. Its hash chains exist only in memory until
 * a command that writes upgrades the file. */
int log_old_schema(const struct logdb *db);
/* The log's own path. */
const char *log_path(const struct logdb *db);
/* The DATA.csv path the log was made for, and its recorded SHA-256 (the
 * current one when opened with force on changed data). */
const char *log_data_path(const struct logdb *db);
const char *log_data_sha256(const struct logdb *db);

/* Record a scan and its ranked issues in one transaction; sets *scan_id.
 * log_scan.c. */
int log_record_scan(struct logdb *db, const struct cl_scan_params *prm,
		    const struct cl_scan *s, const int *labels, double seconds,
		    int64_t *scan_id, struct err *e);
/* Whether the scan's issues were all recorded (a recording cut off leaves
 * fewer than it flagged). */
int log_scan_complete(struct logdb *db, int64_t scan_id, int *complete, struct err *e);
/* The same record made in a thread of its own on a connection of its own,
 * so the caller goes on meanwhile (s and labels must stay until the
 * finish): the scan's row first, then its issues a chunk per transaction.
 * Each of the caller's writes to db in the meantime goes between
 * log_scan_job_claim (waits for the scan's row and the chunk being
 * written; gives the scan's id, or -1 with e set when its row could not
 * be written) and log_scan_job_release (called after every claim).
 * log_record_scan_finish waits for the rest and gives the scan's id, or -1
 * with e set. log_scan_async.c. */
struct log_scan_job;
struct log_scan_job *log_record_scan_start(struct logdb *db, const struct cl_scan_params *prm,
					   const struct cl_scan *s, const int *labels);
int log_scan_job_claim(struct log_scan_job *j, int64_t *scan_id, struct err *e);
void log_scan_job_release(struct log_scan_job *j);
int log_record_scan_finish(struct log_scan_job *j, int64_t *scan_id, struct err *e);
/* The latest scan's id, or 0 when none is recorded. */
int log_latest_scan(struct logdb *db, int64_t *scan_id, struct err *e);

struct log_decision {
	int64_t id;               /* order of recording (1, 2, ...) */
	char uuid[37];            /* random, globally unique */
	size_t row;
	char *example_id;
	enum log_action action;
	char *label;              /* resulting label; NULL for exclude and undo */
	char *reviewer;
	int expert;               /* role: 0 annotator, 1 expert */
	int pass;                 /* 1 first review, 2 second review */
	char time[32];            /* UTC, ISO 8601 with milliseconds */
	char *note;               /* or NULL */
	int64_t scan_id;          /* 0 if none */
	int64_t undoes;           /* for undo: the decision it reverts */
	int64_t version;          /* version that sealed it, or 0 while working */
	char *batch;              /* batch id shared by a bulk action, or NULL */
	char hash[65];            /* chain hash (see log_verify) */
};

/* What a caller decides; log_decide fills id, uuid, time. */
struct log_new_decision {
	size_t row;
	const char *example_id;   /* stored only when the log's data has ids */
	enum log_action action;
	const char *label;
	const char *reviewer;
	int expert, pass;
	const char *note;
	int64_t scan_id;
	/* For undo: the decision to revert (refused when undone meanwhile), or
	 * 0 to revert the latest decision not yet undone on `row` (on any row
	 * when undo_any_row) by undo_reviewer (anyone's when NULL), looked up
	 * inside the write transaction so that two concurrent undos never
	 * revert the same decision. `row` is then taken from the target. */
	int64_t undoes;
	int undo_any_row;
	const char *undo_reviewer;
	const char *batch;        /* NULL, or the id shared by a bulk action */
};

/* Record one decision in its own transaction. out (may be NULL) receives
 * its id, uuid, time, row, undoes and hash (its strings are not set).
 * An undo with nothing to revert fails with ERR_INPUT ("nothing to undo");
 * a log locked by another process for longer than the lock timeout fails
 * with ERR_RUNTIME and log_locked(db) == 1, nothing written. */
int log_decide(struct logdb *db, const struct log_new_decision *nd,
	       struct log_decision *out, struct err *e);

/* The most recent decision, not an undo and not already undone, on `row`
 * (any row when row < 0) by `reviewer` (anyone when NULL). Returns 1 and
 * sets *id when found, 0 when there is none, -1 on error. */
int log_undo_target(struct logdb *db, long row, const char *reviewer,
		    int64_t *id, struct err *e);

/* Decisions with id > after, oldest first. Every row is validated: a row
 * number out of range, an action that needs a label without one, a label
 * that is not a class of the log's dataset, an undo of nothing: ERR_INPUT
 * naming the decision (a log edited by hand). */
int log_list(struct logdb *db, int64_t after, struct log_decision **out,
	     size_t *count, struct err *e);
void log_decisions_free(struct log_decision *d, size_t count);

struct log_version {
	int64_t number;
	int64_t last_decision;    /* decisions with id <= this are sealed */
	char *author, *message;
	char time[32];
	int64_t counts[LOG_ACTIONS];
	char hash[65];
};

/* Seal every decision not yet in a version into version N+1. Fails with
 * ERR_INPUT when there is nothing to seal. */
int log_commit(struct logdb *db, const char *author, const char *message,
	       struct log_version *out, struct err *e);
/* Every version, 0 first. */
int log_versions(struct logdb *db, struct log_version **out, size_t *count,
		 struct err *e);
void log_versions_free(struct log_version *v, size_t count);

/* Probabilities computed by the built-in model, kept so that reopening the
 * same data with the same settings does not train again. */
struct log_model_info {
	char settings[200];     /* the cache key besides the data's hash */
	char features[200];
	int folds;
	double accuracy, logloss, seconds;
};
int log_store_probs(struct logdb *db, const struct log_model_info *info,
		    const double *probs, size_t n, size_t k, struct err *e);
/* Returns 1 and fills probs (n*k) and info when stored for this data and
 * these settings, 0 when not, -1 on error. */
int log_load_probs(struct logdb *db, const char *settings, double *probs, size_t n,
		   size_t k, struct log_model_info *info, struct err *e);

/* Notes: append-only records of their own, on an example. */
struct log_note {
	int64_t id;
	size_t row;
	char *example_id;         /* or NULL when the data has no ids */
	int64_t decision_id;      /* latest decision on the row when written, or 0 */
	char *reviewer;
	int expert;
	char time[32];
	char *text;
	char hash[65];
};
struct log_new_note {
	size_t row;
	const char *example_id;   /* stored only when the log's data has ids */
	int64_t decision_id;      /* 0: the latest decision on the row, if any */
	const char *reviewer;
	int expert;
	const char *text;
};
/* Record one note in its own transaction; *id (may be NULL) gets its id. */
int log_add_note(struct logdb *db, const struct log_new_note *nn, int64_t *id,
		 struct err *e);
/* Notes with id > after, oldest first. */
int log_notes(struct logdb *db, int64_t after, struct log_note **out, size_t *count,
	      struct err *e);
void log_notes_free(struct log_note *n, size_t count);

/* Spot checks: a random sample of rows drawn for checking, kept with the
 * seed and size that drew it. */
struct log_spot_check {
	int64_t id;
	int64_t scan_id;          /* 0 if none */
	char *reviewer;
	char time[32];
	uint64_t seed;
	size_t n;                 /* rows in the sample */
	size_t *rows;             /* n rows in sample order */
	char hash[65];
};
/* Record a sample of n rows in its own transaction; *id (may be NULL)
 * gets its id. */
int log_add_spot_check(struct logdb *db, int64_t scan_id, const char *reviewer,
		       uint64_t seed, const size_t *rows, size_t n, int64_t *id,
		       struct err *e);
/* Every spot check, oldest first. */
int log_spot_checks(struct logdb *db, struct log_spot_check **out, size_t *count,
		    struct err *e);
void log_spot_checks_free(struct log_spot_check *s, size_t count);

/* Recompute every hash chain. Returns 0 when intact, 1 when a record does
 * not match (e->msg names the first broken record; e->code ERR_RUNTIME),
 * -1 when the log cannot be read. */
int log_verify(struct logdb *db, size_t *records, struct err *e);

/* Lock waits: a write waits at most this long for another process's
 * transaction, then fails with "the log is locked by another process".
 * The default is $RELABEL_LOCK_TIMEOUT seconds (a decimal number), else
 * LOG_LOCK_TIMEOUT_DEFAULT_MS. An interactive caller sets a short slice and
 * keeps the decision pending when log_locked says so. */
#define LOG_LOCK_TIMEOUT_DEFAULT_MS 5000
#define LOG_LOCK_SLICE_MS 200    /* what the review screen waits per attempt */
#define LOG_LOCKED_MSG "the log is locked by another process"
void log_set_lock_timeout(struct logdb *db, int ms);
/* 1 when the last failed call failed because another process held the
 * lock past the timeout; the message then starts with LOG_LOCKED_MSG. */
int log_locked(const struct logdb *db);
/* Work a batch (log_decide_batch, up to 2*10^4 decisions) leaves for a
 * pause: copying its pages from the write-ahead log into the database
 * file (a checkpoint, which changes nothing that is read and nothing of
 * durability: the batch was fsynced in the WAL when it was committed).
 * Returns 1 when it did that work, 0 when none was due. Without a pause
 * the next commit does it, as SQLite does after any commit that leaves
 * the WAL over 1,000 pages. */
int log_idle(struct logdb *db);
/* Parse a --lock-timeout SECONDS value into milliseconds; -1 if invalid. */
int log_parse_lock_timeout(const char *s);

/* The login name to record when no reviewer is given: $RELABEL_REVIEWER,
 * else the user's login name. */
const char *log_default_reviewer(void);

#endif
