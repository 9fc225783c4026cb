/* log_decide.c — decisions: recording one per transaction, finding what an
 * undo reverts, and listing them with the version that sealed each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_priv.h"
#include "util.h"

static const char *const action_names[LOG_ACTIONS] = {
	"accept", "relabel", "reject", "exclude", "undo",
};

const char *log_action_name(enum log_action a)
{
	return a < LOG_ACTIONS ? action_names[a] : "?";
}

int log_action_parse(const char *s, enum log_action *out)
{
	for (int i = 0; i < LOG_ACTIONS; i++)
		if (!strcmp(s, action_names[i])) {
			*out = (enum log_action)i;
			return 0;
		}
	return -1;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_id_or_null(sqlite3_stmt *st, int i, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int log_decide(struct logdb *l, const struct log_new_decision *nd,
	       struct log_decision *out, struct err *e)
{
	char uuid[37], t[32];
	log_uuid(uuid);
	log_now(t);
	if (log_begin(l, e) < 0)
		return -1;
	sqlite3_stmt *st = log_prepare(l, "INSERT INTO decision (uuid, row, example_id, "
				       "action, label, reviewer, role, pass, time, note, scan_id, "
				       "undoes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!st) {
		log_rollback(l);
		return -1;
	}
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)nd->row);
	sqlite3_bind_text(st, 3, nd->example_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, log_action_name(nd->action), -1, SQLITE_STATIC);
	bind_text_or_null(st, 5, nd->label);
	sqlite3_bind_text(st, 6, nd->reviewer, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, nd->expert ? "expert" : "annotator", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 8, nd->pass);
	sqlite3_bind_text(st, 9, t, -1, SQLITE_STATIC);
	bind_text_or_null(st, 10, nd->note);
	bind_id_or_null(st, 11, nd->scan_id);
	bind_id_or_null(st, 12, nd->undoes);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_sql_err(l, e, "cannot record the decision");
		log_rollback(l);
		return -1;
	}
	int64_t id = sqlite3_last_insert_rowid(l->db);
	if (log_commit_tx(l, e) < 0)
		return -1;
	if (out) {
		memset(out, 0, sizeof *out);
		out->id = id;
		memcpy(out->uuid, uuid, sizeof uuid);
		memcpy(out->time, t, sizeof t);
	}
	return 0;
}

int log_undo_target(struct logdb *l, long row, const char *reviewer,
		    int64_t *id, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l,
		"SELECT d.id FROM decision d WHERE d.action <> 'undo'"
		" AND (?1 < 0 OR d.row = ?1) AND (?2 IS NULL OR d.reviewer = ?2)"
		" AND NOT EXISTS (SELECT 1 FROM decision u WHERE u.undoes = d.id)"
		" ORDER BY d.id DESC LIMIT 1", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, row);
	bind_text_or_null(st, 2, reviewer);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
	if (found)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot look up decisions");
	return found;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

int log_list(struct logdb *l, int64_t after, struct log_decision **out,
	     size_t *count, struct err *e)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *st = log_prepare(l,
		"SELECT id, uuid, row, example_id, action, label, reviewer, role, pass,"
		" time, note, scan_id, undoes,"
		" (SELECT min(number) FROM version v WHERE v.number > 0 AND v.last_decision >= d.id)"
		" FROM decision d WHERE id > ? ORDER BY id", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 64) * sizeof **out);
		struct log_decision *d = &(*out)[(*count)++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(st, 0);
		snprintf(d->uuid, sizeof d->uuid, "%s", (const char *)sqlite3_column_text(st, 1));
		d->row = (size_t)sqlite3_column_int64(st, 2);
		d->example_id = dup_col(st, 3);
		log_action_parse((const char *)sqlite3_column_text(st, 4), &d->action);
		d->label = dup_col(st, 5);
		d->reviewer = dup_col(st, 6);
		d->expert = !strcmp((const char *)sqlite3_column_text(st, 7), "expert");
		d->pass = sqlite3_column_int(st, 8);
		snprintf(d->time, sizeof d->time, "%s", (const char *)sqlite3_column_text(st, 9));
		d->note = dup_col(st, 10);
		d->scan_id = sqlite3_column_int64(st, 11);
		d->undoes = sqlite3_column_int64(st, 12);
		d->version = sqlite3_column_int64(st, 13);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_decisions_free(*out, *count);
		*out = NULL;
		*count = 0;
		return log_sql_err(l, e, "cannot read decisions");
	}
	return 0;
}

void log_decisions_free(struct log_decision *d, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(d[i].example_id);
		free(d[i].label);
		free(d[i].reviewer);
		free(d[i].note);
	}
	free(d);
}
