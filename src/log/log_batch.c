/* log_batch.c — many decisions in one transaction (see log_batch.h), each
 * chained like log_decide's. */
#include <string.h>

#include "log_batch.h"
#include "log_priv.h"

void log_new_batch_id(char buf[37])
{
	log_uuid(buf);
}

int log_decide_batch(struct logdb *l, const struct log_new_decision *nds, size_t n,
		     const char *batch, void (*progress)(void *ctx, size_t done, size_t total),
		     void *ctx, struct err *e)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (nds[i].action >= LOG_ACTIONS || (nds[i].action == LOG_UNDO && nds[i].undoes <= 0))
			return err_set(e, ERR_INPUT, "batch: decision %zu: not an action "
				       "this call records", i);
	if (log_begin(l, e) < 0)
		return -1;
	/* One prepared statement; each record chains on the one before it. */
	int ok;
	char prev[65], hash[65];
	int64_t id = log_next_id(l, "decision", "id", &ok);
	sqlite3_stmt *st = NULL;
	if (!ok) {
		log_sql_err(l, e, "cannot read decisions");
		goto fail;
	}
	if (log_chain_head(l, "decision", prev, e) < 0)
		goto fail;
	if (!(st = log_prepare(l, "INSERT INTO decision (" LOG_DECISION_COLS ", hash) VALUES "
			       "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", e)))
		goto fail;
	for (size_t i = 0; i < n; i++, id++) {
		const struct log_new_decision *nd = &nds[i];
		char uuid[37], t[32];
		log_uuid(uuid);
		log_now(t);
		struct cval v[14] = {
			CV_INT(id), CV_TEXT(uuid), CV_INT(nd->row),
			CV_TEXT(l->has_ids ? nd->example_id : NULL),
			CV_TEXT(log_action_name(nd->action)),
			CV_TEXT(nd->action == LOG_UNDO || nd->action == LOG_EXCLUDE ? NULL : nd->label),
			CV_TEXT(nd->reviewer), CV_TEXT(nd->expert ? "expert" : "annotator"),
			CV_INT(nd->pass), CV_TEXT(t), CV_TEXT(nd->note), CV_ID(nd->scan_id),
			CV_ID(nd->action == LOG_UNDO ? nd->undoes : 0), CV_TEXT(batch),
		};
		log_chain_hash("decision", prev, v, 14, hash);
		for (int c = 0; c < 14; c++) {
			if (v[c].type == 'i')
				sqlite3_bind_int64(st, c + 1, v[c].i);
			else if (v[c].type == 't')
				sqlite3_bind_text(st, c + 1, v[c].s, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(st, c + 1);
		}
		sqlite3_bind_text(st, 15, hash, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			log_sql_err(l, e, "cannot record the batch");
			if (sqlite3_errcode(l->db) == SQLITE_CONSTRAINT)
				e->code = ERR_INPUT;
			goto fail;
		}
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		memcpy(prev, hash, sizeof prev);
		if (progress && ((i + 1) % 500 == 0 || i + 1 == n))
			progress(ctx, i + 1, n);
	}
	sqlite3_finalize(st);
	return log_commit_tx(l, e);
fail:
	sqlite3_finalize(st);
	log_rollback(l);
	return -1;
}
