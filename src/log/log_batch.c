/* log_batch.c — many decisions in one transaction (see log_batch.h), each
 * chained like log_decide's. The batch shares one time stamp (they are
 * recorded by one commit) and one read of random bytes for the UUIDs. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log_batch.h"
#include "log_priv.h"
#include "util.h"

void log_new_batch_id(char buf[37])
{
	log_uuid(buf);
}

#define ROWS 64
#define CHAIN_THREAD_MIN 2000   /* records: a smaller batch hashes on the spot */
#define DEFER_MAX 20000            /* decisions: larger batches checkpoint */

/* INSERT of k records (15 parameters each). */
static sqlite3_stmt *prepare_rows(struct logdb *l, size_t k, struct err *e)
{
	/* OR ROLLBACK: a refused record rolls the whole batch back (as the
	 * caller would), so SQLite keeps no statement journal (a copy of
	 * every page each statement touches, to undo that statement alone). */
	static const char head[] = "INSERT OR ROLLBACK INTO decision (" LOG_DECISION_COLS
				   ", hash) VALUES ";
	static const char one[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	char *sql = xmalloc(sizeof head + k * sizeof one), *o = sql;
	memcpy(o, head, sizeof head - 1);
	o += sizeof head - 1;
	for (size_t j = 0; j < k; j++) {
		if (j)
			*o++ = ',';
		memcpy(o, one, sizeof one - 1);
		o += sizeof one - 1;
	}
	*o = '\0';
	sqlite3_stmt *st = log_prepare(l, sql, e);
	free(sql);
	return st;
}

/* Every undo of the batch names an earlier decision on its row that is
 * not an undo (schema 4 leaves this check to the writers; a second undo
 * of one decision is refused by the log's unique index). The targets of a
 * batch's undo are mostly one run of ids: read as one range when they
 * span few more ids than there are undos, else looked up one by one. */
static int check_undo_targets(struct logdb *l, const struct log_new_decision *nds, size_t n,
			      int64_t next_id, struct err *e)
{
	int64_t lo = INT64_MAX, hi = 0;
	size_t nu = 0;
	for (size_t i = 0; i < n; i++)
		if (nds[i].action == LOG_UNDO) {
			nu++;
			lo = nds[i].undoes < lo ? nds[i].undoes : lo;
			hi = nds[i].undoes > hi ? nds[i].undoes : hi;
		}
	if (!nu)
		return 0;
	if (hi >= next_id)
		return err_set(e, ERR_INPUT, "batch: an undo names decision %lld, which is "
			       "not recorded yet", (long long)hi);
	int range = (uint64_t)(hi - lo) <= 4 * (uint64_t)nu + 1024;
	sqlite3_stmt *st = log_prepare(l, range ?
		"SELECT id, row, action = 'undo' FROM decision WHERE id BETWEEN ? AND ?" :
		"SELECT id, row, action = 'undo' FROM decision WHERE id = ?", e);
	if (!st)
		return -1;
	/* row of each target, -1 when absent or an undo (range: by id - lo) */
	size_t span = range ? (size_t)(hi - lo) + 1 : 0;
	int64_t *row = range ? xmallocarray(span, sizeof *row) : NULL;
	int rc = SQLITE_DONE;
	if (range) {
		for (size_t i = 0; i < span; i++)
			row[i] = -1;
		sqlite3_bind_int64(st, 1, lo);
		sqlite3_bind_int64(st, 2, hi);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (!sqlite3_column_int(st, 2))
				row[sqlite3_column_int64(st, 0) - lo] = sqlite3_column_int64(st, 1);
	}
	int bad = rc != SQLITE_DONE ? log_sql_err(l, e, "cannot read the undo targets") : 0;
	for (size_t i = 0; !bad && i < n; i++) {
		const struct log_new_decision *nd = &nds[i];
		if (nd->action != LOG_UNDO)
			continue;
		int64_t at = -1;
		if (range)
			at = row[nd->undoes - lo];
		else {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, nd->undoes);
			if ((rc = sqlite3_step(st)) == SQLITE_ROW && !sqlite3_column_int(st, 2))
				at = sqlite3_column_int64(st, 1);
			else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
				bad = log_sql_err(l, e, "cannot read the undo targets");
				break;
			}
		}
		if (at < 0 || (size_t)at != nd->row)
			bad = err_set(e, ERR_INPUT, "batch: decision %zu: an undo names decision "
				      "%lld, which is not a decision on its row (%zu) or is an "
				      "undo", i, (long long)nd->undoes, nd->row);
	}
	free(row);
	sqlite3_finalize(st);
	return bad ? -1 : 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The records of a batch, a segment of up to SEGMENT at a time: their
 * UUIDs and chain hashes are made by a thread of their own (each hash
 * needs the one before, so one thread) while SQLite inserts the records
 * whose hashes are ready; `ready` counts them. Records [base, base + n)
 * of the batch, at uuids[0..n) and hashes[0..n); prev carries the chain
 * from one segment to the next. */
#define SEGMENT 16384
struct chain_job {
	struct logdb *l;
	const struct log_new_decision *nds;
	size_t base, n;
	int64_t id;
	uint64_t ms;
	const unsigned char *rnd;
	const char *t, *batch;
	size_t tlen, blen;
	char prev[65];
	char (*uuids)[37];
	char (*hashes)[65];
	size_t ready;
};

/* Record i's fields, as they are hashed and bound (its UUID made). */
static void record_fields(const struct chain_job *c, size_t i, struct cval v[14])
{
	const struct log_new_decision *nd = &c->nds[c->base + i];
	struct cval f[14] = {
		CV_INT(c->id + (int64_t)(c->base + i)), CV_TEXTN(c->uuids[i], 36), CV_INT(nd->row),
		CV_TEXT(c->l->has_ids ? nd->example_id : NULL),
		CV_TEXT(log_action_name(nd->action)),
		CV_TEXT(nd->action == LOG_UNDO || nd->action == LOG_EXCLUDE ? NULL : nd->label),
		CV_TEXT(nd->reviewer), CV_TEXT(nd->expert ? "expert" : "annotator"),
		CV_INT(nd->pass), CV_TEXTN(c->t, c->tlen), CV_TEXT(nd->note),
		CV_ID(nd->scan_id), CV_ID(nd->action == LOG_UNDO ? nd->undoes : 0),
		CV_TEXTN(c->batch, c->blen),
	};
	memcpy(v, f, sizeof f);
}

static void *chain_thread(void *arg)
{
	struct chain_job *c = arg;
	for (size_t i = 0; i < c->n; i++) {
		struct cval v[14];
		log_uuid7(c->ms, c->rnd + 10 * (c->base + i), c->uuids[i]);
		record_fields(c, i, v);
		log_chain_hash("decision", c->prev, v, 14, c->hashes[i]);
		memcpy(c->prev, c->hashes[i], sizeof c->prev);
		__atomic_store_n(&c->ready, i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Wait until the first `upto` records are made. */
static void chain_wait(struct chain_job *c, size_t upto)
{
	while (__atomic_load_n(&c->ready, __ATOMIC_ACQUIRE) < upto)
		sched_yield();
}

static int insert_batch(struct logdb *l, const struct log_new_decision *nds, size_t n,
			const char *batch, void (*progress)(void *ctx, size_t done, size_t total),
			void *ctx, struct log_decision *out, struct err *e);

int log_decide_batch(struct logdb *l, const struct log_new_decision *nds, size_t n,
		     const char *batch, void (*progress)(void *ctx, size_t done, size_t total),
		     void *ctx, struct log_decision *out, struct err *e)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (nds[i].action >= LOG_ACTIONS || (nds[i].action == LOG_UNDO && nds[i].undoes <= 0))
			return err_set(e, ERR_INPUT, "batch: decision %zu: not an action "
				       "this call records", i);
	/* Foreign keys are checked here, not by SQLite: per row it would look
	 * up the scan and the undo target and, as the table is its own parent
	 * (undoes), search it for rows naming the new one (a multi-row INSERT
	 * always does). check_scans and check_undo_targets make the same
	 * checks once per batch; inserting decisions breaks no other key. */
	if (sqlite3_exec(l->db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL) != SQLITE_OK)
		return log_sql_err(l, e, "cannot record the batch");
	int rc = log_begin(l, e) < 0 ? -1 : insert_batch(l, nds, n, batch, progress, ctx, out, e);
	/* outside a transaction (committed or rolled back): it cannot fail */
	sqlite3_exec(l->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	return rc;
}

/* Every scan a decision names is recorded. */
static int check_scans(struct logdb *l, const struct log_new_decision *nds, size_t n,
		       struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, "SELECT 1 FROM scan WHERE id = ?", e);
	if (!st)
		return -1;
	int64_t known = 0;
	int bad = 0;
	for (size_t i = 0; !bad && i < n; i++) {
		if (nds[i].scan_id <= 0 || nds[i].scan_id == known)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, nds[i].scan_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			known = nds[i].scan_id;
		else
			bad = rc == SQLITE_DONE ? err_set(e, ERR_INPUT, "batch: decision %zu names "
							  "scan %lld, which is not recorded", i,
							  (long long)nds[i].scan_id)
						: log_sql_err(l, e, "cannot read the scans");
	}
	sqlite3_finalize(st);
	return bad ? -1 : 0;
}

static int insert_batch(struct logdb *l, const struct log_new_decision *nds, size_t n,
			const char *batch, void (*progress)(void *ctx, size_t done, size_t total),
			void *ctx, struct log_decision *out, struct err *e)
{
	/* One prepared statement; each record chains on the one before it. */
	int ok;
	char t[32];
	size_t seg = n < SEGMENT ? n : SEGMENT;
	struct chain_job c = { .l = l, .nds = nds, .batch = batch };
	c.uuids = xmallocarray(seg, sizeof *c.uuids);
	c.hashes = xmallocarray(seg, sizeof *c.hashes);
	c.ms = log_now_unix_ms();
	log_format_time(c.ms, t);
	c.t = t;
	c.tlen = strlen(t);
	c.blen = batch ? strlen(batch) : 0;
	unsigned char *rnd = xmallocarray(n, 10);
	log_random(rnd, n * 10);
	c.rnd = rnd;
	c.id = log_next_id(l, "decision", "id", &ok);
	int64_t id = c.id;
	sqlite3_stmt *st = NULL;
	pthread_t th;
	int threaded = 0;
	if (!ok) {
		log_sql_err(l, e, "cannot read decisions");
		goto fail;
	}
	if (log_chain_head(l, "decision", c.prev, e) < 0 || log_check_labels(l, nds, n, e) < 0 ||
	    check_scans(l, nds, n, e) < 0 || check_undo_targets(l, nds, n, id, e) < 0)
		goto fail;
	/* ROWS records a statement: SQLite's per-statement work (its setup
	 * and halt) is then paid once per ROWS rows. Segments are multiples of
	 * ROWS, so a statement never spans two. */
	for (size_t at = 0, k; at < n; at += k) {
		if (at == c.base + c.n) {     /* the next segment's hashes */
			if (threaded)
				pthread_join(th, NULL);
			c.base = at;
			c.n = n - at < SEGMENT ? n - at : SEGMENT;
			c.ready = 0;
			/* on their own thread for a batch worth it, else here */
			threaded = n >= CHAIN_THREAD_MIN &&
				   pthread_create(&th, NULL, chain_thread, &c) == 0;
			if (!threaded)
				chain_thread(&c);
		}
		k = n - at < ROWS ? n - at : ROWS;
		if (!st || k != ROWS) {
			sqlite3_finalize(st);
			if (!(st = prepare_rows(l, k, e)))
				goto fail;
		}
		size_t off = at - c.base;     /* the statement's first record in the segment */
		chain_wait(&c, off + k);
		for (size_t j = 0; j < k; j++) {
			struct cval v[14];
			record_fields(&c, off + j, v);
			/* SQLITE_STATIC: every bound string outlives the step. */
			int p = (int)j * 15 + 1;
			for (int col = 0; col < 14; col++) {
				if (v[col].type == 'i')
					sqlite3_bind_int64(st, p + col, v[col].i);
				else if (v[col].type == 't')
					sqlite3_bind_text(st, p + col, v[col].s, (int)v[col].len,
							  SQLITE_STATIC);
				else
					sqlite3_bind_null(st, p + col);
			}
			sqlite3_bind_text(st, p + 14, c.hashes[off + j], 64, SQLITE_STATIC);
			if (out) {
				struct log_decision *d = &out[at + j];
				memset(d, 0, sizeof *d);
				d->id = id + (int64_t)(at + j);
				memcpy(d->uuid, c.uuids[off + j], sizeof c.uuids[off + j]);
				memcpy(d->time, t, sizeof t);
				memcpy(d->hash, c.hashes[off + j], sizeof c.hashes[off + j]);
			}
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			log_sql_err(l, e, "cannot record the batch");
			if (sqlite3_errcode(l->db) == SQLITE_CONSTRAINT)
				e->code = ERR_INPUT;
			goto fail;
		}
		sqlite3_reset(st);
		if (progress && ((at + k) / 500 > at / 500 || at + k == n))
			progress(ctx, at + k, n);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (threaded)
		pthread_join(th, NULL);
	free(rnd);
	free(c.uuids);
	free(c.hashes);
	/* SQLite copies the WAL into the database file after a commit that
	 * leaves it over 1,000 pages (a checkpoint: for a batch of 10^4, a
	 * tenth of its time). A batch of up to DEFER_MAX decisions leaves it
	 * to log_idle in the next pause (else to the next commit), unless an
	 * earlier batch's is still due: at most one batch's pages wait. */
	int defer = n <= DEFER_MAX && !l->checkpoint_due;
	if (defer)
		sqlite3_wal_autocheckpoint(l->db, 0);
	int rc = log_commit_tx(l, e);
	if (defer)
		sqlite3_wal_autocheckpoint(l->db, 1000);
	if (rc < 0)
		return -1;
	l->checkpoint_due = defer;
	/* As log_list would read them back. */
	for (size_t i = 0; out && i < n; i++) {
		const struct log_new_decision *nd = &nds[i];
		struct log_decision *d = &out[i];
		d->row = nd->row;
		d->example_id = dup_or_null(l->has_ids ? nd->example_id : NULL);
		d->action = nd->action;
		d->label = dup_or_null(nd->action == LOG_UNDO || nd->action == LOG_EXCLUDE ? NULL :
				       nd->label);
		d->reviewer = xstrdup(nd->reviewer ? nd->reviewer : "");
		d->expert = nd->expert != 0;
		d->pass = nd->pass;
		d->note = dup_or_null(nd->note);
		d->scan_id = nd->scan_id > 0 ? nd->scan_id : 0;
		d->undoes = nd->action == LOG_UNDO ? nd->undoes : 0;
		d->batch = dup_or_null(batch);
	}
	return 0;
fail:
	if (threaded)
		pthread_join(th, NULL);
	free(rnd);
	free(c.uuids);
	free(c.hashes);
	sqlite3_finalize(st);
	log_rollback(l);
	return -1;
}
