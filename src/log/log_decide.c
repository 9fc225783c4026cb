/* log_decide.c — decisions: recording one per transaction (an undo's
 * target found inside it), finding what an undo reverts, and listing them,
 * validated, with the version that sealed each. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_priv.h"
#include "util.h"

static const char *const action_names[LOG_ACTIONS] = {
	"accept", "relabel", "reject", "exclude", "undo", "confirm", "unsure",
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

/* The newest decision not undone, on row ?1 (the row index) or on any row
 * (by ids, newest first), by reviewer ?2 or anyone. An undo always comes
 * after its target, so only the decisions after a candidate are looked at
 * for its undo: finding the target of a recent decision costs what came
 * since, not a pass over the whole log per candidate. */
#define UNDO_TARGET(where) \
	"SELECT d.id, d.row FROM decision d WHERE " where "d.action <> 'undo'" \
	" AND (?2 IS NULL OR d.reviewer = ?2)" \
	" AND NOT EXISTS (SELECT 1 FROM decision u WHERE u.id > d.id AND u.undoes = d.id)" \
	" ORDER BY d.id DESC LIMIT 1"

static const char *undo_target_sql(sqlite3_int64 row)
{
	return row < 0 ? UNDO_TARGET("?1 < 0 AND ") : UNDO_TARGET("d.row = ?1 AND ");
}

/* Find (undoes == 0) or check the undo's target inside the transaction. */
static int resolve_undo(struct logdb *l, const struct log_new_decision *nd,
			int64_t *undoes, size_t *row, struct err *e)
{
	sqlite3_stmt *st;
	if (nd->undoes > 0) {
		st = log_prepare(l, "SELECT d.row, EXISTS (SELECT 1 FROM decision u WHERE"
				 " u.id > d.id AND u.undoes = d.id), d.action = 'undo'"
				 " FROM decision d WHERE d.id = ?", e);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, nd->undoes);
		int rc = sqlite3_step(st), r = 0;
		if (rc != SQLITE_ROW)
			r = rc == SQLITE_DONE ? err_set(e, ERR_INPUT, "nothing to undo: there is "
							"no decision %lld", (long long)nd->undoes)
					      : log_sql_err(l, e, "cannot look up decisions");
		else if (sqlite3_column_int(st, 1))
			r = err_set(e, ERR_INPUT, "nothing to undo: decision %lld is already "
				    "undone", (long long)nd->undoes);
		else if (sqlite3_column_int(st, 2))
			r = err_set(e, ERR_INPUT, "decision %lld is an undo; undo the decision "
				    "itself", (long long)nd->undoes);
		else {
			*undoes = nd->undoes;
			*row = (size_t)sqlite3_column_int64(st, 0);
		}
		sqlite3_finalize(st);
		return r;
	}
	sqlite3_int64 which = nd->undo_any_row ? -1 : (sqlite3_int64)nd->row;
	if (!(st = log_prepare(l, undo_target_sql(which), e)))
		return -1;
	sqlite3_bind_int64(st, 1, which);
	bind_text_or_null(st, 2, nd->undo_reviewer);
	int rc = sqlite3_step(st), r = 0;
	if (rc == SQLITE_ROW) {
		*undoes = sqlite3_column_int64(st, 0);
		*row = (size_t)sqlite3_column_int64(st, 1);
	} else if (rc != SQLITE_DONE)
		r = log_sql_err(l, e, "cannot look up decisions");
	else if (nd->undo_any_row)
		r = err_set(e, ERR_INPUT, "nothing to undo%s%s", nd->undo_reviewer ? " by " : "",
			    nd->undo_reviewer ? nd->undo_reviewer : "");
	else
		r = err_set(e, ERR_INPUT, "nothing to undo for row %zu", nd->row);
	sqlite3_finalize(st);
	return r;
}

int log_decide(struct logdb *l, const struct log_new_decision *nd,
	       struct log_decision *out, struct err *e)
{
	char uuid[37], t[32], hash[65];
	unsigned char rnd[10];
	uint64_t ms = log_now_unix_ms();
	log_random(rnd, sizeof rnd);
	log_uuid7(ms, rnd, uuid);
	log_format_time(ms, t);
	if (nd->action >= LOG_ACTIONS)
		return err_set(e, ERR_INPUT, "not an action");
	if (log_begin(l, e) < 0)
		return -1;
	int64_t undoes = 0;
	size_t row = nd->row;
	int ok;
	int64_t id = log_next_id(l, "decision", "id", &ok);
	if (!ok) {
		log_sql_err(l, e, "cannot read decisions");
		goto fail;
	}
	if (nd->action == LOG_UNDO && resolve_undo(l, nd, &undoes, &row, e) < 0)
		goto fail;
	if (log_check_labels(l, nd, 1, e) < 0)
		goto fail;
	struct cval v[14] = {
		CV_INT(id), CV_TEXT(uuid), CV_INT(row),
		CV_TEXT(l->has_ids ? nd->example_id : NULL),
		CV_TEXT(log_action_name(nd->action)),
		CV_TEXT(nd->action == LOG_UNDO || nd->action == LOG_EXCLUDE ? NULL : nd->label),
		CV_TEXT(nd->reviewer), CV_TEXT(nd->expert ? "expert" : "annotator"),
		CV_INT(nd->pass), CV_TEXT(t), CV_TEXT(nd->note), CV_ID(nd->scan_id),
		CV_ID(undoes), CV_TEXT(nd->batch),
	};
	if (log_insert_chained(l, "decision", LOG_DECISION_COLS, v, 14, 14, hash, e) < 0) {
		if (sqlite3_extended_errcode(l->db) == SQLITE_CONSTRAINT_UNIQUE && undoes)
			err_set(e, ERR_INPUT, "nothing to undo: decision %lld is already undone",
				(long long)undoes);
		else if (sqlite3_errcode(l->db) == SQLITE_CONSTRAINT)
			e->code = ERR_INPUT;
		goto fail;
	}
	if (log_commit_tx(l, e) < 0)
		return -1;
	if (out) {
		memset(out, 0, sizeof *out);
		out->id = id;
		memcpy(out->uuid, uuid, sizeof uuid);
		memcpy(out->time, t, sizeof t);
		memcpy(out->hash, hash, sizeof hash);
		out->row = row;
		out->action = nd->action;
		out->undoes = undoes;
	}
	return 0;
fail:
	log_rollback(l);
	return -1;
}

int log_undo_target(struct logdb *l, long row, const char *reviewer,
		    int64_t *id, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, undo_target_sql(row), e);
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The log's classes, sorted, and its dataset's row count (read once per
 * connection: the dataset record never changes). */
static int load_bounds(struct logdb *l, char ***classes, size_t *k, int64_t *n,
		       struct err *e)
{
	if (!l->bounds_loaded) {
		l->n_rows = INT64_MAX;
		sqlite3_stmt *st = log_prepare(l, "SELECT n FROM dataset WHERE id = 1", e);
		if (!st)
			return -1;
		if (sqlite3_step(st) == SQLITE_ROW)
			l->n_rows = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (!(st = log_prepare(l, "SELECT name FROM class", e)))
			return -1;
		size_t cap = 0;
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (l->n_classes == cap)
				l->classes = xrealloc(l->classes, (cap = cap ? cap * 2 : 16) *
						      sizeof *l->classes);
			l->classes[l->n_classes++] = dup_col(st, 0);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return log_sql_err(l, e, "cannot read the classes");
		if (l->n_classes)
			qsort(l->classes, l->n_classes, sizeof *l->classes, cmp_str);
		l->bounds_loaded = l->n_classes > 0;
	}
	/* Once opened with --force on other data (by anyone, also since this
	 * connection was made), decisions may name rows of that data: rows
	 * beyond the recorded count are then left to follow() (left out and
	 * reported), not refused, and every decision's id is looked up. */
	if (!l->forced_seen) {
		sqlite3_stmt *st = log_prepare(l, "SELECT count(*) FROM mismatch WHERE forced = 1",
					       e);
		if (!st)
			return -1;
		l->forced_seen = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
		sqlite3_finalize(st);
	}
	*classes = l->classes;
	*k = l->n_classes;
	*n = l->forced_seen ? INT64_MAX : l->n_rows;
	return 0;
}

static int label_known(char **classes, size_t k, enum log_action a, const char *label)
{
	return !label || a == LOG_UNSURE || (k && bsearch(&label, classes, k, sizeof *classes,
							   cmp_str));
}

int log_check_labels(struct logdb *l, const struct log_new_decision *nds, size_t n,
		     struct err *e)
{
	char **classes;
	size_t k;
	int64_t rows;
	if (load_bounds(l, &classes, &k, &rows, e) < 0)
		return -1;
	/* A batch's labels are mostly a few strings (the dataset's class
	 * names): those found are remembered by address. */
	const char *known[16] = { NULL };
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		const struct log_new_decision *nd = &nds[i];
		const char *label = nd->action == LOG_UNDO || nd->action == LOG_EXCLUDE ? NULL :
				    nd->label;
		size_t j = 0;
		while (j < nk && known[j] != label)
			j++;
		if (!label || j < nk)
			continue;
		if (nd->action != LOG_UNSURE && nk < sizeof known / sizeof *known)
			known[nk++] = label;
		if (!label_known(classes, k, nd->action, label))
			return err_set(e, ERR_INPUT, "%s: cannot record: invalid decision "
				       "(label '%.60s' is not a class of the dataset)", l->path,
				       label);
	}
	return 0;
}

/* A decision as stored must make sense; else name it. */
static int validate(struct logdb *l, const struct log_decision *d, int64_t row,
		    const char *action, int target_ok, char **classes, size_t k, int64_t n,
		    struct err *e)
{
	const char *what = NULL;
	char buf[200];
	if (!action || log_action_parse(action, &(enum log_action){ 0 }) < 0)
		snprintf(buf, sizeof buf, "unknown action '%.60s'", action ? action : "(null)"),
			what = buf;
	else if (row < 0 || row >= n)
		snprintf(buf, sizeof buf, "row %lld is outside the dataset (0 to %lld)",
			 (long long)row, (long long)n - 1), what = buf;
	else if ((d->action == LOG_ACCEPT || d->action == LOG_RELABEL ||
		  d->action == LOG_REJECT) && !d->label)
		snprintf(buf, sizeof buf, "%s without a label", action), what = buf;
	else if ((d->action == LOG_EXCLUDE || d->action == LOG_UNDO) && d->label)
		snprintf(buf, sizeof buf, "%s with a label", action), what = buf;
	else if (d->label && d->action != LOG_UNSURE && k &&
		 !bsearch(&d->label, classes, k, sizeof *classes, cmp_str))
		snprintf(buf, sizeof buf, "label '%.60s' is not a class of the dataset",
			 d->label), what = buf;
	else if (d->action == LOG_UNDO && (d->undoes <= 0 || d->undoes >= d->id))
		snprintf(buf, sizeof buf, "undo of no earlier decision"), what = buf;
	else if (d->action == LOG_UNDO && !target_ok)
		snprintf(buf, sizeof buf, "undo of decision %lld, which is not a decision on "
			 "its row or is an undo", (long long)d->undoes), what = buf;
	else if (d->action != LOG_UNDO && d->undoes)
		snprintf(buf, sizeof buf, "%s naming an undo target", action), what = buf;
	else if (d->action == LOG_CONFIRM && d->pass != 2)
		snprintf(buf, sizeof buf, "confirm outside the second pass"), what = buf;
	if (!what)
		return 0;
	return err_set(e, ERR_INPUT, "%s: decision %lld: %s; the log was changed by hand "
		       "(relabel log --verify checks it)", l->path, (long long)d->id, what);
}

/* The decision's row is where its example id is now (the data may have
 * changed since it was recorded, with --force then or now); -1 when the
 * example is gone (it is counted and named). */
static int follow(struct logdb *l, struct log_decision *d)
{
	char buf[32];
	/* The data is the log's own and was never changed under --force: each
	 * decision's id is its row's (as it was recorded), no need to look
	 * (a random access into the data per decision when opening a session). */
	if (!l->forced_seen && !l->data_changed && d->row < l->d->n)
		return 0;
	if (d->row < l->d->n && (!d->example_id ||
				 !strcmp(dataset_id(l->d, d->row, buf), d->example_id)))
		return 0;
	long r = d->example_id ? dataset_find_id(l->d, d->example_id) : -1;
	if (r >= 0) {
		d->row = (size_t)r;
		return 0;
	}
	if (l->vanished++ == 0) {
		if (d->example_id)
			snprintf(l->vanished_msg, sizeof l->vanished_msg, "the example of "
				 "decision %lld (id '%.80s') is no longer in %s", (long long)d->id,
				 d->example_id, l->d->data_path);
		else
			snprintf(l->vanished_msg, sizeof l->vanished_msg, "decision %lld is on "
				 "row %zu, beyond the %zu rows of %s", (long long)d->id, d->row,
				 l->d->n, l->d->data_path);
	}
	return -1;
}

int log_data_changed(const struct logdb *l)
{
	return l->data_changed;
}

size_t log_vanished(const struct logdb *l, const char **msg)
{
	if (msg)
		*msg = l->vanished_msg;
	return l->vanished;
}

/* The versions that seal decisions (number > 0), for finding the first
 * that seals a decision without a query per decision. */
struct seal {
	int64_t last;         /* last_decision */
	int64_t first;        /* the smallest number sealing up to here or later */
};

static int cmp_seal(const void *a, const void *b)
{
	int64_t x = ((const struct seal *)a)->last, y = ((const struct seal *)b)->last;
	return x < y ? -1 : x > y;
}

static int load_seals(struct logdb *l, struct seal **out, size_t *n, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, "SELECT last_decision, number FROM version"
				       " WHERE number > 0", e);
	if (!st)
		return -1;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 16) * sizeof **out);
		(*out)[(*n)++] = (struct seal){ sqlite3_column_int64(st, 0),
						sqlite3_column_int64(st, 1) };
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*out);
		*out = NULL;
		return log_sql_err(l, e, "cannot read versions");
	}
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_seal);
	for (size_t i = *n; i-- > 1;)     /* suffix minimum of the numbers */
		if ((*out)[i].first < (*out)[i - 1].first)
			(*out)[i - 1].first = (*out)[i].first;
	return 0;
}

/* min(number) of the versions with last_decision >= id, 0 when none. */
static int64_t sealed_by(const struct seal *s, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].last < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? s[lo].first : 0;
}

/* A text column into a fixed buffer ("" for NULL), cut to fit. */
static void copy_col(char *dst, size_t cap, sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	size_t len = v ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (len >= cap)
		len = cap - 1;
	if (len)
		memcpy(dst, v, len);
	dst[len] = '\0';
}

int log_list(struct logdb *l, int64_t after, struct log_decision **out,
	     size_t *count, struct err *e)
{
	*out = NULL;
	*count = 0;
	char **classes = NULL;
	size_t k = 0;
	int64_t n = 0;
	if (load_bounds(l, &classes, &k, &n, e) < 0)
		return -1;
	struct seal *seals = NULL;
	size_t nseals = 0;
	if (load_seals(l, &seals, &nseals, e) < 0)
		return -1;
	sqlite3_stmt *st = log_prepare(l,
		"SELECT id, uuid, row, example_id, action, label, reviewer, role, pass,"
		" time, note, scan_id, undoes, CASE WHEN undoes IS NOT NULL THEN"
		" (SELECT t.row = d.row AND t.action <> 'undo' FROM decision t"
		" WHERE t.id = d.undoes) END, batch, hash"
		" FROM decision d WHERE id > ? ORDER BY id", e);
	if (!st) {
		free(seals);
		return -1;
	}
	sqlite3_bind_int64(st, 1, after);
	l->vanished = 0;
	l->vanished_msg[0] = '\0';
	size_t cap = 0;
	int rc = SQLITE_DONE, bad = 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == INT32_MAX) {   /* decisions are indexed with 32 bits */
			bad = err_set(e, ERR_INPUT, "%s: more than %d decisions; at most "
				      "that many are supported", log_path(l), INT32_MAX) < 0;
			break;
		}
		if (*count == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 64) * sizeof **out);
		struct log_decision *d = &(*out)[(*count)++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(st, 0);
		copy_col(d->uuid, sizeof d->uuid, st, 1);
		int64_t row = sqlite3_column_int64(st, 2);
		d->row = row < 0 ? SIZE_MAX : (size_t)row;
		d->example_id = dup_col(st, 3);
		const char *action = (const char *)sqlite3_column_text(st, 4);
		if (action)
			log_action_parse(action, &d->action);
		d->label = dup_col(st, 5);
		d->reviewer = dup_col(st, 6);
		const char *role = (const char *)sqlite3_column_text(st, 7);
		d->expert = role && !strcmp(role, "expert");
		d->pass = sqlite3_column_int(st, 8);
		copy_col(d->time, sizeof d->time, st, 9);
		d->note = dup_col(st, 10);
		d->scan_id = sqlite3_column_int64(st, 11);
		d->undoes = sqlite3_column_int64(st, 12);
		d->version = sealed_by(seals, nseals, d->id);
		d->batch = dup_col(st, 14);
		copy_col(d->hash, sizeof d->hash, st, 15);
		if (!d->reviewer)
			d->reviewer = xstrdup("");
		bad = validate(l, d, row, action, sqlite3_column_int(st, 13), classes, k, n,
			       e) < 0;
		if (!bad && l->d && follow(l, d) < 0) {
			free(d->example_id);
			free(d->label);
			free(d->reviewer);
			free(d->note);
			free(d->batch);
			(*count)--;
		}
	}
	sqlite3_finalize(st);
	free(seals);
	if (bad || rc != SQLITE_DONE) {
		log_decisions_free(*out, *count);
		*out = NULL;
		*count = 0;
		return bad ? -1 : log_sql_err(l, e, "cannot read decisions");
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
		free(d[i].batch);
	}
	free(d);
}
