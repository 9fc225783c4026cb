/* log_chain.c — the hash chains of the corrections log: inserting a chained
 * record and verifying every chain (`relabel log --verify`).
 *
 * A record's hash is the SHA-256 (hex) of
 *     "relabel chain 1\n" TABLE "\n" PREV "\n" FIELD...
 * where PREV is the hash of the table's previous record ("" for the first)
 * and each FIELD, in the order of the LOG_*_COLS lists, is "N\n" (NULL),
 * "I<decimal>\n" (integer) or "T<byte length>:<bytes>\n" (text). A version
 * also hashes the hash of the last decision it seals, a spot check the
 * comma-separated rows of its sample, so the chains are linked.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "log_priv.h"
#include "util.h"

/* The text a record's hash covers, built in a buffer (no stdio: a bulk
 * batch hashes thousands of records). */
struct chain_buf {
	char *p, *heap;
	size_t len, cap;
};

static void put(struct chain_buf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap * 2 > b->len + n ? b->cap * 2 : b->len + n;
		char *q = xmalloc(cap);
		memcpy(q, b->p, b->len);
		free(b->heap);
		b->p = b->heap = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void put_str(struct chain_buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* tag, the decimal of v, "\n" or ":" */
static void put_num(struct chain_buf *b, char tag, uint64_t mag, int neg, char end)
{
	char t[24], *o = t + sizeof t;
	*--o = end;
	do
		*--o = (char)('0' + mag % 10);
	while (mag /= 10);
	if (neg)
		*--o = '-';
	*--o = tag;
	put(b, o, (size_t)(t + sizeof t - o));
}

static void chain_hash(const char *table, const char *prev, const struct cval *v,
		       size_t n, char out[65])
{
	char stack[1024];
	struct chain_buf b = { stack, NULL, 0, sizeof stack };
	put_str(&b, "relabel chain 1\n");
	put_str(&b, table);
	put(&b, "\n", 1);
	put_str(&b, prev);
	put(&b, "\n", 1);
	for (size_t i = 0; i < n; i++) {
		if (v[i].type == 'i') {
			int64_t x = v[i].i;
			put_num(&b, 'I', x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x, x < 0, '\n');
		} else if (v[i].type == 't') {
			put_num(&b, 'T', v[i].len, 0, ':');
			put(&b, v[i].s, v[i].len);
			put(&b, "\n", 1);
		} else
			put(&b, "N\n", 2);
	}
	hash_sha256_hex(b.p, b.len, out);
	free(b.heap);
}

int64_t log_next_id(struct logdb *l, const char *table, const char *key, int *ok)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT coalesce(max(%s), 0) + 1 FROM %s", key, table);
	sqlite3_stmt *st = NULL;
	int64_t v = 0;
	*ok = sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) == SQLITE_OK &&
	      sqlite3_step(st) == SQLITE_ROW;
	if (*ok)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static const char *key_of(const char *table)
{
	return strcmp(table, "version") ? "id" : "number";
}

int log_chain_head(struct logdb *l, const char *table, char out[65], struct err *e)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT hash FROM %s ORDER BY %s DESC LIMIT 1", table,
		 key_of(table));
	sqlite3_stmt *st = log_prepare(l, sql, e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	out[0] = '\0';
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot read the hash chain");
	return 0;
}

int log_insert_chained(struct logdb *l, const char *table, const char *cols,
		       const struct cval *v, size_t ncols, size_t n,
		       char hash_out[65], struct err *e)
{
	char prev[65], hash[65];
	if (log_chain_head(l, table, prev, e) < 0)
		return -1;
	chain_hash(table, prev, v, n, hash);
	char sql[600];
	int len = snprintf(sql, sizeof sql, "INSERT INTO %s (%s, hash) VALUES (", table, cols);
	for (size_t i = 0; i <= ncols && len < (int)sizeof sql - 4; i++)
		len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?", i ? "," : "");
	snprintf(sql + len, sizeof sql - (size_t)len, ")");
	sqlite3_stmt *st = log_prepare(l, sql, e);
	if (!st)
		return -1;
	for (size_t i = 0; i < ncols; i++) {
		int c = (int)i + 1;
		if (v[i].type == 'i')
			sqlite3_bind_int64(st, c, v[i].i);
		else if (v[i].type == 't')
			sqlite3_bind_text(st, c, v[i].s, (int)v[i].len, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, c);
	}
	sqlite3_bind_text(st, (int)ncols + 1, hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot record");
	if (hash_out)
		memcpy(hash_out, hash, sizeof hash);
	return 0;
}

static const struct chain_spec {
	const char *table, *what, *cols, *extra;
} specs[] = {
	{ "decision", "decision", LOG_DECISION_COLS, NULL },
	{ "version", "version", LOG_VERSION_COLS,
	  "(SELECT d.hash FROM decision d WHERE d.id = version.last_decision)" },
	{ "note", "note", LOG_NOTE_COLS, NULL },
	{ "spot_check", "spot check", LOG_SPOT_COLS,
	  "(SELECT group_concat(row, ',') FROM (SELECT row FROM spot_check_row r"
	  " WHERE r.spot_check_id = spot_check.id ORDER BY pos))" },
};

/* Verify one chain; 1 and e filled at the first broken record. */
static int verify_chain(struct logdb *l, const struct chain_spec *c, size_t *records,
			struct err *e)
{
	char sql[700];
	snprintf(sql, sizeof sql, "SELECT %s%s%s, hash FROM %s ORDER BY %s", c->cols,
		 c->extra ? ", " : "", c->extra ? c->extra : "", c->table, key_of(c->table));
	sqlite3_stmt *st = log_prepare(l, sql, e);
	if (!st)
		return -1;
	int n = sqlite3_column_count(st) - 1, rc, bad = 0;
	struct cval *v = xmallocarray((size_t)n, sizeof *v);
	char prev[65] = "", hash[65];
	int64_t last_key = 0;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			int t = sqlite3_column_type(st, i);
			v[i] = t == SQLITE_NULL ? CV_TEXT(NULL) :
			       t == SQLITE_INTEGER ? CV_INT(sqlite3_column_int64(st, i)) :
			       CV_TEXT((const char *)sqlite3_column_text(st, i));
		}
		int64_t key = sqlite3_column_int64(st, 0);
		const unsigned char *stored = sqlite3_column_text(st, n);
		chain_hash(c->table, prev, v, (size_t)n, hash);
		if (!stored || strcmp((const char *)stored, hash)) {
			bad = 1;
			err_set(e, ERR_RUNTIME, "%s: %s %" PRId64 " does not match its hash: "
				"it, or a %s before it, was changed or removed after it "
				"was recorded%s", l->path, c->what, key, c->what,
				last_key && key != last_key + 1 ? " (the numbering has a gap)" : "");
			break;
		}
		memcpy(prev, hash, sizeof hash);
		last_key = key;
		(*records)++;
	}
	free(v);
	sqlite3_finalize(st);
	if (bad)
		return 1;
	if (rc != SQLITE_DONE)
		return log_sql_err(l, e, "cannot read the log");
	return 0;
}

/* No two decisions share a uuid (since schema 5 no index checks it on
 * insert: ids are random, see log_schema5.c). */
static int verify_unique_uuids(struct logdb *l, struct err *e)
{
	sqlite3_stmt *st = log_prepare(l, "SELECT uuid, min(id), max(id) FROM decision"
				       " GROUP BY uuid HAVING count(*) > 1 LIMIT 1", e);
	if (!st)
		return -1;
	int rc = sqlite3_step(st), bad = 0;
	if (rc == SQLITE_ROW) {
		bad = 1;
		err_set(e, ERR_RUNTIME, "%s: decisions %" PRId64 " and %" PRId64 " have the same"
			" uuid %s: a decision was copied, or the log was written by another"
			" program", l->path, (int64_t)sqlite3_column_int64(st, 1),
			(int64_t)sqlite3_column_int64(st, 2), (const char *)sqlite3_column_text(st, 0));
	} else if (rc != SQLITE_DONE)
		bad = log_sql_err(l, e, "cannot read the log");
	sqlite3_finalize(st);
	return bad;
}

void log_chain_hash(const char *table, const char *prev, const struct cval *v, size_t n,
		    char out[65])
{
	chain_hash(table, prev, v, n, out);
}

int log_verify(struct logdb *l, size_t *records, struct err *e)
{
	*records = 0;
	for (size_t i = 0; i < sizeof specs / sizeof *specs; i++) {
		int rc = verify_chain(l, &specs[i], records, e);
		if (rc)
			return rc;
	}
	/* The tail of a chain can be cut without breaking it; the versions'
	 * links to the decisions catch sealed decisions removed at the end. */
	int ok;
	int64_t top = log_next_id(l, "decision", "id", &ok) - 1;
	int64_t sealed = 0;
	sqlite3_stmt *st = log_prepare(l, "SELECT coalesce(max(last_decision), 0) FROM version", e);
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		sealed = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (ok && sealed > top)
		return err_set(e, ERR_RUNTIME, "%s: version seals decisions up to %" PRId64
			       " but the log ends at decision %" PRId64 ": decisions were removed",
			       l->path, sealed, top), 1;
	return verify_unique_uuids(l, e);
}
