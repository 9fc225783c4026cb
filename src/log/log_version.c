/* log_version.c — versions: sealing the decisions made so far (a scan's
 * record is log_scan.c's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_priv.h"
#include "util.h"

static int64_t scalar(struct logdb *l, const char *sql, int64_t arg, int *ok)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;
	*ok = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) == SQLITE_OK;
	if (*ok) {
		sqlite3_bind_int64(st, 1, arg);
		int rc = sqlite3_step(st);
		*ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
		if (rc == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

int log_commit(struct logdb *l, const char *author, const char *message,
	       struct log_version *out, struct err *e)
{
	if (log_begin(l, e) < 0)
		return -1;
	int ok;
	int64_t last = scalar(l, "SELECT coalesce(max(last_decision), 0) FROM version", 0, &ok);
	int64_t number = ok ? scalar(l, "SELECT coalesce(max(number), 0) + 1 FROM version", 0, &ok) : 0;
	int64_t top = ok ? scalar(l, "SELECT coalesce(max(id), 0) FROM decision", 0, &ok) : 0;
	if (!ok) {
		log_sql_err(l, e, "cannot read versions");
		log_rollback(l);
		return -1;
	}
	if (top <= last) {
		log_rollback(l);
		return err_set(e, ERR_INPUT, "nothing to commit: no decisions since "
			       "version %lld", (long long)(number - 1));
	}
	int64_t counts[LOG_ACTIONS];
	for (int a = 0; a < LOG_ACTIONS; a++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM decision WHERE id > ?1 "
			 "AND id <= %lld AND action = '%s'", (long long)top,
			 log_action_name((enum log_action)a));
		counts[a] = scalar(l, sql, last, &ok);
	}
	char t[32], head[65] = "", hash[65];
	log_now(t);
	sqlite3_stmt *st = log_prepare(l, "SELECT hash FROM decision WHERE id = ?", e);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, top);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(head, sizeof head, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	struct cval v[6 + LOG_ACTIONS] = {
		CV_INT(number), CV_INT(top), CV_TEXT(author), CV_TEXT(t), CV_TEXT(message),
	};
	for (int a = 0; a < LOG_ACTIONS; a++)
		v[5 + a] = CV_INT(counts[a]);
	v[5 + LOG_ACTIONS] = CV_TEXT(head);
	if (log_insert_chained(l, "version", LOG_VERSION_COLS, v, 5 + LOG_ACTIONS,
			       6 + LOG_ACTIONS, hash, e) < 0)
		goto fail;
	if (log_commit_tx(l, e) < 0)
		return -1;
	if (out) {
		memset(out, 0, sizeof *out);
		out->number = number;
		out->last_decision = top;
		memcpy(out->time, t, sizeof t);
		memcpy(out->counts, counts, sizeof counts);
		memcpy(out->hash, hash, sizeof hash);
	}
	return 0;
fail:
	log_rollback(l);
	return -1;
}

int log_versions(struct logdb *l, struct log_version **out, size_t *count,
		 struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, "SELECT number, last_decision, author, time, "
				       "message, n_accept, n_relabel, n_reject, n_exclude, n_undo, "
				       "n_confirm, n_unsure, hash FROM version ORDER BY number", e);
	if (!st)
		return -1;
	size_t cap = 8;
	*out = xcalloc(cap, sizeof **out);
	(*out)[0].author = xstrdup("");
	(*out)[0].message = xstrdup("the dataset as given");
	*count = 1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == cap)
			*out = xrealloc(*out, (cap *= 2) * sizeof **out);
		struct log_version *v = &(*out)[(*count)++];
		memset(v, 0, sizeof *v);
		v->number = sqlite3_column_int64(st, 0);
		v->last_decision = sqlite3_column_int64(st, 1);
		const char *au = (const char *)sqlite3_column_text(st, 2);
		v->author = xstrdup(au ? au : "");
		snprintf(v->time, sizeof v->time, "%s", (const char *)sqlite3_column_text(st, 3));
		const char *ms = (const char *)sqlite3_column_text(st, 4);
		v->message = xstrdup(ms ? ms : "");
		for (int a = 0; a < LOG_ACTIONS; a++)
			v->counts[a] = sqlite3_column_int64(st, 5 + a);
		const char *h = (const char *)sqlite3_column_text(st, 5 + LOG_ACTIONS);
		snprintf(v->hash, sizeof v->hash, "%s", h ? h : "");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_versions_free(*out, *count);
		return log_sql_err(l, e, "cannot read versions");
	}
	return 0;
}

void log_versions_free(struct log_version *v, size_t count)
{
	for (size_t i = 0; v && i < count; i++) {
		free(v[i].author);
		free(v[i].message);
	}
	free(v);
}
