/* log_scan.c — a scan in the corrections log: its row (parameters,
 * thresholds, joints, how many it flagged) and its ranked issues, written
 * in one transaction (log_record_scan) or, by log_scan_async.c, the row
 * first and the issues in chunks of their own transactions. A scan whose
 * issues stop short of its n_flagged was cut off (log_scan_complete). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_priv.h"
#include "util.h"

/* A K*K integer matrix or K doubles as JSON text. */
static char *json_ints(const int64_t *m, size_t n)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	fputc('[', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%lld", i ? "," : "", (long long)m[i]);
	fputc(']', f);
	fclose(f);
	return buf;
}

static char *json_doubles(const double *v, size_t n)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	fputc('[', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%.17g", i ? "," : "", v[i]);
	fputc(']', f);
	fclose(f);
	return buf;
}

int log_scan_insert_row(struct logdb *l, const struct cl_scan_params *prm,
			const struct cl_scan *s, double seconds, int64_t *scan_id, struct err *e)
{
	char t[32];
	log_now(t);
	char *th = json_doubles(s->thresholds, s->k), *raw = json_ints(s->cj_raw, s->k * s->k),
	     *cal = json_ints(s->cj, s->k * s->k);
	int rc = SQLITE_ERROR;
	sqlite3_stmt *st = log_prepare(l, "INSERT INTO scan (time, filter_by, rank_by, adjust,"
				       " thresholds, confident_joint_raw, confident_joint, n_flagged,"
				       " seconds) VALUES (?,?,?,?,?,?,?,?,?)", e);
	if (st) {
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, cl_filter_name(prm->filter_by), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, cl_score_name(prm->rank_by), -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 4, prm->adjust);
		sqlite3_bind_text(st, 5, th, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, raw, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, cal, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, (sqlite3_int64)s->n_flagged);
		sqlite3_bind_double(st, 9, seconds);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	free(th);
	free(raw);
	free(cal);
	if (rc != SQLITE_DONE)
		return e->code == ERR_NONE ? log_sql_err(l, e, "cannot record the scan") : -1;
	*scan_id = sqlite3_last_insert_rowid(l->db);
	return 0;
}

int log_scan_insert_issues(struct logdb *l, int64_t scan_id, const struct cl_scan *s,
			   const int *labels, size_t from, size_t to, struct err *e)
{
	/* ISSUE_BATCH rows per statement (one prepared statement for the full
	 * batches, one for the rest). */
	enum { ISSUE_BATCH = 256 };
	size_t done = from;
	int rc = SQLITE_DONE;
	for (int pass = 0; pass < 2 && rc == SQLITE_DONE; pass++) {
		size_t per = pass ? to - done : ISSUE_BATCH;
		if (!per || (!pass && to - from < ISSUE_BATCH))
			continue;
		char *sql;
		size_t len;
		FILE *f = open_memstream(&sql, &len);
		fputs("INSERT INTO issue VALUES ", f);
		for (size_t i = 0; i < per; i++)
			fputs(i ? ",(?,?,?,?,?,?)" : "(?,?,?,?,?,?)", f);
		fclose(f);
		sqlite3_stmt *st = log_prepare(l, sql, e);
		free(sql);
		if (!st)
			return -1;
		while (rc == SQLITE_DONE && to - done >= per) {
			sqlite3_reset(st);
			for (size_t i = 0; i < per; i++) {
				size_t r = done + i, row = s->ranked[r];
				int p = (int)(6 * i);
				sqlite3_bind_int64(st, p + 1, scan_id);
				sqlite3_bind_int64(st, p + 2, (sqlite3_int64)r + 1);
				sqlite3_bind_int64(st, p + 3, (sqlite3_int64)row);
				sqlite3_bind_double(st, p + 4, cl_scan_ranked_score(s, r));
				sqlite3_bind_int(st, p + 5, labels[row]);
				sqlite3_bind_int(st, p + 6, s->suggested[row]);
			}
			rc = sqlite3_step(st);
			done += per;
		}
		sqlite3_finalize(st);
	}
	return rc == SQLITE_DONE ? 0 : log_sql_err(l, e, "cannot record the scan's issues");
}

int log_record_scan(struct logdb *l, const struct cl_scan_params *prm,
		    const struct cl_scan *s, const int *labels, double seconds,
		    int64_t *scan_id, struct err *e)
{
	/* Every issue names the scan inserted first in the same transaction:
	 * SQLite's per-row foreign-key lookup would only find it again (a
	 * tenth of the time for 837,000 issues). Outside a transaction, so it
	 * takes effect; switched back on below whatever happens. */
	sqlite3_exec(l->db, "PRAGMA foreign_keys=OFF", NULL, NULL, NULL);
	int rc = log_begin(l, e);
	if (rc == 0) {
		if (log_scan_insert_row(l, prm, s, seconds, scan_id, e) < 0 ||
		    log_scan_insert_issues(l, *scan_id, s, labels, 0, s->n_ranked, e) < 0) {
			log_rollback(l);
			rc = -1;
		} else {
			rc = log_commit_tx(l, e);
		}
	}
	sqlite3_exec(l->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	return rc < 0 ? -1 : 0;
}

int log_latest_scan(struct logdb *l, int64_t *scan_id, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, "SELECT coalesce(max(id), 0) FROM scan", e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	*scan_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : log_sql_err(l, e, "cannot read scans");
}

int log_scan_complete(struct logdb *l, int64_t scan_id, int *complete, struct err *e)
{
	/* The issues are written in rank order, a chunk per transaction: the
	 * highest rank recorded tells how far a recording got (one lookup in
	 * the issue table's primary key). */
	sqlite3_stmt *st = log_prepare(l, "SELECT n_flagged, (SELECT coalesce(max(rank), 0)"
				       " FROM issue WHERE scan_id = ?1) FROM scan WHERE id = ?1", e);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, scan_id);
	int rc = sqlite3_step(st);
	*complete = rc == SQLITE_ROW && sqlite3_column_int64(st, 1) >= sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : log_sql_err(l, e, "cannot read scans");
}
