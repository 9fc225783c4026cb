/* log_model.c — the built-in model's probabilities kept in the corrections
 * log, keyed by the data's SHA-256 and the model settings. */
#include <stdio.h>
#include <string.h>

#include "log_priv.h"

int log_store_probs(struct logdb *l, const struct log_model_info *info,
		    const double *probs, size_t n, size_t k, struct err *e)
{
	char t[32];
	log_now(t);
	if (log_begin(l, e) < 0)
		return -1;
	sqlite3_stmt *st = log_prepare(l, "INSERT INTO model_probs (data_sha256, settings, n, k,"
				       " probs, features, folds, accuracy, logloss, seconds, created)"
				       " VALUES (?,?,?,?,?,?,?,?,?,?,?)", e);
	int rc = SQLITE_ERROR;
	if (st) {
		sqlite3_bind_text(st, 1, l->data_sha, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, info->settings, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)n);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)k);
		sqlite3_bind_blob64(st, 5, probs, (sqlite3_uint64)(n * k * sizeof *probs),
				    SQLITE_STATIC);
		sqlite3_bind_text(st, 6, info->features, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 7, info->folds);
		sqlite3_bind_double(st, 8, info->accuracy);
		sqlite3_bind_double(st, 9, info->logloss);
		sqlite3_bind_double(st, 10, info->seconds);
		sqlite3_bind_text(st, 11, t, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE) {
		log_sql_err(l, e, "cannot store the model's probabilities");
		log_rollback(l);
		return -1;
	}
	return log_commit_tx(l, e);
}

int log_load_probs(struct logdb *l, const char *settings, double *probs, size_t n,
		   size_t k, struct log_model_info *info, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, "SELECT probs, features, folds, accuracy, logloss,"
				       " seconds FROM model_probs WHERE data_sha256 = ? AND"
				       " settings = ? AND n = ? AND k = ? ORDER BY id DESC LIMIT 1", e);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, l->data_sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, settings, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)n);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)k);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW && (size_t)sqlite3_column_bytes(st, 0) == n * k * sizeof *probs) {
		memcpy(probs, sqlite3_column_blob(st, 0), n * k * sizeof *probs);
		snprintf(info->settings, sizeof info->settings, "%s", settings);
		snprintf(info->features, sizeof info->features, "%s",
			 sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "");
		info->folds = sqlite3_column_int(st, 2);
		info->accuracy = sqlite3_column_double(st, 3);
		info->logloss = sqlite3_column_double(st, 4);
		info->seconds = sqlite3_column_double(st, 5);
		found = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot read stored probabilities");
	return found;
}
