/* log_note.c — notes and spot-check samples in the corrections log: each
 * an append-only, hash-chained record of its own (see log.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_priv.h"
#include "util.h"

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

int log_add_note(struct logdb *l, const struct log_new_note *nn, int64_t *id,
		 struct err *e)
{
	if (!nn->text || !*nn->text)
		return err_set(e, ERR_INPUT, "an empty note is not recorded");
	char t[32];
	log_now(t);
	if (log_begin(l, e) < 0)
		return -1;
	int ok;
	int64_t nid = log_next_id(l, "note", "id", &ok), dec = nn->decision_id;
	if (ok && dec <= 0) {
		sqlite3_stmt *st = log_prepare(l, "SELECT max(id) FROM decision WHERE row = ?", e);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, (sqlite3_int64)nn->row);
		ok = sqlite3_step(st) == SQLITE_ROW;
		dec = ok ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_finalize(st);
	}
	if (!ok) {
		log_sql_err(l, e, "cannot read the log");
		goto fail;
	}
	struct cval v[8] = {
		CV_INT(nid), CV_INT(nn->row), CV_TEXT(l->has_ids ? nn->example_id : NULL),
		CV_ID(dec), CV_TEXT(nn->reviewer), CV_TEXT(nn->expert ? "expert" : "annotator"),
		CV_TEXT(t), CV_TEXT(nn->text),
	};
	if (log_insert_chained(l, "note", LOG_NOTE_COLS, v, 8, 8, NULL, e) < 0)
		goto fail;
	if (log_commit_tx(l, e) < 0)
		return -1;
	if (id)
		*id = nid;
	return 0;
fail:
	log_rollback(l);
	return -1;
}

int log_notes(struct logdb *l, int64_t after, struct log_note **out, size_t *count,
	      struct err *e)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *st = log_prepare(l, "SELECT " LOG_NOTE_COLS ", hash FROM note"
				       " WHERE id > ? ORDER BY id", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, after);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 16) * sizeof **out);
		struct log_note *n = &(*out)[(*count)++];
		memset(n, 0, sizeof *n);
		n->id = sqlite3_column_int64(st, 0);
		n->row = (size_t)sqlite3_column_int64(st, 1);
		n->example_id = dup_col(st, 2);
		n->decision_id = sqlite3_column_int64(st, 3);
		n->reviewer = dup_col(st, 4);
		const char *role = (const char *)sqlite3_column_text(st, 5);
		n->expert = role && !strcmp(role, "expert");
		const char *t = (const char *)sqlite3_column_text(st, 6);
		snprintf(n->time, sizeof n->time, "%s", t ? t : "");
		n->text = dup_col(st, 7);
		const char *h = (const char *)sqlite3_column_text(st, 8);
		snprintf(n->hash, sizeof n->hash, "%s", h ? h : "");
		if (!n->reviewer)
			n->reviewer = xstrdup("");
		if (!n->text)
			n->text = xstrdup("");
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_notes_free(*out, *count);
		*out = NULL;
		*count = 0;
		return log_sql_err(l, e, "cannot read notes");
	}
	return 0;
}

void log_notes_free(struct log_note *n, size_t count)
{
	for (size_t i = 0; n && i < count; i++) {
		free(n[i].example_id);
		free(n[i].reviewer);
		free(n[i].text);
	}
	free(n);
}

/* "r0,r1,..." as the chain hashes a sample (NULL when empty). */
static char *rows_text(const size_t *rows, size_t n)
{
	if (!n)
		return NULL;
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		die("out of memory");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%zu", i ? "," : "", rows[i]);
	if (fclose(f) != 0)
		die("out of memory");
	return buf;
}

int log_add_spot_check(struct logdb *l, int64_t scan_id, const char *reviewer,
		       uint64_t seed, const size_t *rows, size_t n, int64_t *id,
		       struct err *e)
{
	char t[32];
	log_now(t);
	if (log_begin(l, e) < 0)
		return -1;
	int ok;
	int64_t sid = log_next_id(l, "spot_check", "id", &ok);
	char *rt = rows_text(rows, n);
	sqlite3_stmt *st = NULL;
	if (!ok) {
		log_sql_err(l, e, "cannot read the log");
		goto fail;
	}
	/* The sample's rows are hashed with the record (as their text). */
	struct cval v[7] = {
		CV_INT(sid), CV_ID(scan_id), CV_TEXT(reviewer), CV_TEXT(t),
		CV_INT((int64_t)seed), CV_INT(n), CV_TEXT(rt),
	};
	if (log_insert_chained(l, "spot_check", LOG_SPOT_COLS, v, 6, 7, NULL, e) < 0)
		goto fail;
	if (!(st = log_prepare(l, "INSERT INTO spot_check_row VALUES (?, ?, ?)", e)))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, sid);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)rows[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			log_sql_err(l, e, "cannot record the spot check");
			goto fail;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	free(rt);
	if (log_commit_tx(l, e) < 0)
		return -1;
	if (id)
		*id = sid;
	return 0;
fail:
	sqlite3_finalize(st);
	free(rt);
	log_rollback(l);
	return -1;
}

int log_spot_checks(struct logdb *l, struct log_spot_check **out, size_t *count,
		    struct err *e)
{
	*out = NULL;
	*count = 0;
	sqlite3_stmt *st = log_prepare(l, "SELECT " LOG_SPOT_COLS ", hash FROM spot_check"
				       " ORDER BY id", e);
	sqlite3_stmt *rs = st ? log_prepare(l, "SELECT pos, row FROM spot_check_row"
					    " WHERE spot_check_id = ? ORDER BY pos", e) : NULL;
	int rc = SQLITE_ERROR;
	if (!rs)
		goto out;
	size_t cap = 0;
	while ( (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 8) * sizeof **out);
		struct log_spot_check *s = &(*out)[(*count)++];
		memset(s, 0, sizeof *s);
		s->id = sqlite3_column_int64(st, 0);
		s->scan_id = sqlite3_column_int64(st, 1);
		s->reviewer = dup_col(st, 2);
		if (!s->reviewer)
			s->reviewer = xstrdup("");
		const char *t = (const char *)sqlite3_column_text(st, 3);
		snprintf(s->time, sizeof s->time, "%s", t ? t : "");
		s->seed = (uint64_t)sqlite3_column_int64(st, 4);
		const char *h = (const char *)sqlite3_column_text(st, 6);
		snprintf(s->hash, sizeof s->hash, "%s", h ? h : "");
		int64_t want = sqlite3_column_int64(st, 5);
		size_t rcap = want > 0 && want < (1 << 24) ? (size_t)want : 16;
		s->rows = xmallocarray(rcap, sizeof *s->rows);
		sqlite3_reset(rs);
		sqlite3_bind_int64(rs, 1, s->id);
		int r2;
		while ((r2 = sqlite3_step(rs)) == SQLITE_ROW) {
			if (s->n == rcap)
				s->rows = xrealloc(s->rows, (rcap *= 2) * sizeof *s->rows);
			s->rows[s->n++] = (size_t)sqlite3_column_int64(rs, 1);
		}
		if (r2 != SQLITE_DONE) {
			rc = r2;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		log_sql_err(l, e, "cannot read spot checks");
out:
	sqlite3_finalize(st);
	sqlite3_finalize(rs);
	if (rc != SQLITE_DONE) {
		log_spot_checks_free(*out, *count);
		*out = NULL;
		*count = 0;
		return -1;
	}
	return 0;
}

void log_spot_checks_free(struct log_spot_check *s, size_t count)
{
	for (size_t i = 0; s && i < count; i++) {
		free(s[i].reviewer);
		free(s[i].rows);
	}
	free(s);
}
