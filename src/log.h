/* log.h — the corrections log: one SQLite database per dataset that keeps
 * every decision, every scan and every version, append-only.
 *
 * Guarantees: each decision is its own committed transaction (WAL journal,
 * synchronous=FULL) before log_decide returns, so a decision reported saved
 * survives a killed process; decisions and versions are never updated or
 * deleted (triggers refuse it); several processes may write at once (busy
 * timeout plus retries on BEGIN IMMEDIATE). The database records the SHA-256
 * of DATA.csv and PROBS.csv and refuses to open against changed files
 * unless forced, recording the mismatch.
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

#define LOG_SCHEMA_VERSION 2

struct logdb;

enum log_action { LOG_ACCEPT, LOG_RELABEL, LOG_REJECT, LOG_EXCLUDE, LOG_UNDO, LOG_ACTIONS };
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
void log_close(struct logdb *db);
/* The DATA.csv path the log was made for, and its recorded SHA-256. */
const char *log_data_path(const struct logdb *db);
const char *log_data_sha256(const struct logdb *db);

/* Record a scan and its ranked issues; sets *scan_id. */
int log_record_scan(struct logdb *db, const struct cl_scan_params *prm,
		    const struct cl_scan *s, const int *labels, double seconds,
		    int64_t *scan_id, struct err *e);
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
};

/* What a caller decides; log_decide fills id, uuid, time. */
struct log_new_decision {
	size_t row;
	const char *example_id;
	enum log_action action;
	const char *label;
	const char *reviewer;
	int expert, pass;
	const char *note;
	int64_t scan_id;
	int64_t undoes;
};

/* Record one decision in its own transaction. out (may be NULL) receives
 * its id, uuid and time (its strings are not set). */
int log_decide(struct logdb *db, const struct log_new_decision *nd,
	       struct log_decision *out, struct err *e);

/* The most recent decision, not an undo and not already undone, on `row`
 * (any row when row < 0) by `reviewer` (anyone when NULL). Returns 1 and
 * sets *id when found, 0 when there is none, -1 on error. */
int log_undo_target(struct logdb *db, long row, const char *reviewer,
		    int64_t *id, struct err *e);

/* Decisions with id > after, oldest first. */
int log_list(struct logdb *db, int64_t after, struct log_decision **out,
	     size_t *count, struct err *e);
void log_decisions_free(struct log_decision *d, size_t count);

struct log_version {
	int64_t number;
	int64_t last_decision;    /* decisions with id <= this are sealed */
	char *author, *message;
	char time[32];
	int64_t counts[LOG_ACTIONS];
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

/* The login name to record when no reviewer is given: $RELABEL_REVIEWER,
 * else the user's login name. */
const char *log_default_reviewer(void);

#endif
