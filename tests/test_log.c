/* test_log.c — the corrections log: precedence of decisions, append-only
 * storage, crash safety under SIGKILL, concurrent writers, and bad
 * databases (not SQLite, read-only, newer schema, changed data, full disk),
 * each failing cleanly with the existing log intact. */
#include <check.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "effective.h"
#include "hash.h"
#include "log.h"
#include "log_batch.h"
#include "log_priv.h"
#include "review.h"
#include "util.h"

static char dir[] = "/tmp/relabel-test-log-XXXXXX";
static char data_path[600], probs_path[600], db_path[600], data_sha[65];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	fputs(text, f);
	fclose(f);
}

static struct dataset *fixture(void)
{
	snprintf(data_path, sizeof data_path, "%s/data.csv", dir);
	snprintf(probs_path, sizeof probs_path, "%s/probs.csv", dir);
	snprintf(db_path, sizeof db_path, "%s/data.relabel.db", dir);
	put(data_path, "id,label\na,x\nb,y\nc,x\nd,y\n");
	put(probs_path, "x,y\n0.9,0.1\n0.8,0.2\n0.3,0.7\n0.4,0.6\n");
	/* the log and what SQLite keeps beside it (made with the log's mode:
	 * a -shm left from a read-only log would make the next one read-only) */
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
		char p[700];
		snprintf(p, sizeof p, "%s%s", db_path, side[i]);
		unlink(p);
	}
	struct dataset_opts o = { .data_path = data_path };
	struct dataset *d;
	struct err e;
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	ck_assert(hash_file_sha256(data_path, data_sha, NULL, &e) == 0);
	return d;
}

static struct logdb *open_log(const struct dataset *d)
{
	struct logdb *l;
	struct err e;
	ck_assert_msg(log_open(&l, db_path, d, 0, &e) == 0, "%s", e.msg);
	return l;
}

static int64_t decide(struct logdb *l, size_t row, enum log_action a,
		      const char *label, int pass, int64_t undoes)
{
	static const char *const ids[] = { "a", "b", "c", "d" };
	struct log_new_decision nd = { .row = row, .example_id = ids[row], .action = a,
				       .label = label, .reviewer = "r", .expert = pass == 2,
				       .pass = pass, .undoes = undoes };
	struct log_decision out;
	struct err e;
	ck_assert_msg(log_decide(l, &nd, &out, &e) == 0, "%s", e.msg);
	return out.id;
}

/* The effective label of row 0 after the decisions recorded so far. */
static const char *label_of(struct logdb *l, size_t row, int64_t upto)
{
	static char buf[64];
	struct log_decision *d;
	size_t n;
	struct err e;
	ck_assert(log_list(l, 0, &d, &n, &e) == 0);
	int32_t w[4];
	effective_winners(d, n, upto, 4, w);
	const char *s = effective_label(d, w[row], "given");
	snprintf(buf, sizeof buf, "%s", s ? s : "(excluded)");
	log_decisions_free(d, n);
	return buf;
}

/* A scan of n ranked rows made up for the log's tests: row (rank - 1) * 7
 * mod n at each rank (a permutation when 7 does not divide n), score
 * row / n, suggested row mod 2, given row / 2 mod 2. */
struct synth_scan {
	struct cl_scan s;
	size_t *ranked;
	double *scores, th[2];
	int *suggested, *labels;
	int64_t cj[4];
};

static void synth_scan(struct synth_scan *x, size_t n)
{
	x->ranked = xmallocarray(n, sizeof *x->ranked);
	x->scores = xmallocarray(n, sizeof *x->scores);
	x->suggested = xmallocarray(n, sizeof *x->suggested);
	x->labels = xmallocarray(n, sizeof *x->labels);
	x->th[0] = x->th[1] = 0.5;
	for (int i = 0; i < 4; i++)
		x->cj[i] = i + 1;
	for (size_t i = 0; i < n; i++) {
		x->ranked[i] = (i * 7) % n;
		x->scores[i] = (double)i / (double)n;
		x->suggested[i] = (int)(i % 2);
		x->labels[i] = (int)((i / 2) % 2);
	}
	x->s = (struct cl_scan){ .n = n, .k = 2, .thresholds = x->th, .cj_raw = x->cj,
				 .cj = x->cj, .suggested = x->suggested, .scores = x->scores,
				 .n_flagged = n, .n_ranked = n, .ranked = x->ranked };
}

static void synth_scan_free(struct synth_scan *x)
{
	free(x->ranked);
	free(x->scores);
	free(x->suggested);
	free(x->labels);
}

/* A scan's issues go in by batches of rows: every ranked row exactly once,
 * with its rank, score and labels, for a count spanning full batches and a
 * rest, and for a count smaller than one batch. */
START_TEST(test_scan_issues_recorded_in_batches)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	enum { N = 600 };
	struct synth_scan x;
	synth_scan(&x, N);
	struct cl_scan s = x.s;
	const int *labels = x.labels;
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	int64_t id1, id2;
	struct err e;
	ck_assert_msg(log_record_scan(l, &prm, &s, labels, 0, &id1, &e) == 0, "%s", e.msg);
	s.n_ranked = 3;
	ck_assert_msg(log_record_scan(l, &prm, &s, labels, 0, &id2, &e) == 0, "%s", e.msg);
	log_close(l);
	sqlite3 *db;
	sqlite3_stmt *st;
	ck_assert(sqlite3_open(db_path, &db) == SQLITE_OK);
	ck_assert(sqlite3_prepare_v2(db, "SELECT count(*), count(DISTINCT row), sum(rank),"
				     " sum(row = (rank - 1) * 7 % 600), sum(score = row / 600.0),"
				     " sum(suggested = row % 2), sum(given = row / 2 % 2)"
				     " FROM issue WHERE scan_id = ?", -1, &st, NULL) == SQLITE_OK);
	sqlite3_bind_int64(st, 1, id1);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), N);
	ck_assert_int_eq(sqlite3_column_int(st, 1), N);
	ck_assert_int_eq(sqlite3_column_int(st, 2), N * (N + 1) / 2);
	for (int c = 3; c <= 6; c++)
		ck_assert_int_eq(sqlite3_column_int(st, c), N);
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id2);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 3);
	ck_assert_int_eq(sqlite3_column_int(st, 2), 6);
	sqlite3_finalize(st);
	sqlite3_close(db);
	synth_scan_free(&x);
	dataset_free(d);
}
END_TEST

/* A scan recorded on its own thread, a chunk of issues per transaction,
 * while the session writes: each claim waits for the scan's row, then
 * holds the recorder off, so a claim sees whole chunks only (a second
 * connection reads the issues while the claim is held); every decision
 * names the scan; in the end every issue is in, in rank order. */
START_TEST(test_writes_between_scan_chunks)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	enum { N = 5 * 4096 + 123, CHUNK = 4096 };
	struct synth_scan x;
	synth_scan(&x, N);
	struct cl_scan s = x.s;
	const int *labels = x.labels;
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	sqlite3 *db;
	ck_assert(sqlite3_open(db_path, &db) == SQLITE_OK);
	sqlite3_stmt *count;
	ck_assert(sqlite3_prepare_v2(db, "SELECT count(*), coalesce(max(rank), 0) FROM issue",
				     -1, &count, NULL) == SQLITE_OK);
	struct log_scan_job *job = log_record_scan_start(l, &prm, &s, labels);
	struct err e;
	int64_t scan_id = 0, last = -1, undo_of = 0;
	int writes = 0, mid = 0;
	for (int i = 0; i < 40 || (last < N && i < 4000); i++) {
		int64_t id;
		ck_assert_msg(log_scan_job_claim(job, &id, &e) == 0, "%s", e.msg);
		ck_assert(scan_id == 0 || id == scan_id);
		scan_id = id;
		ck_assert_int_eq(sqlite3_step(count), SQLITE_ROW);
		int64_t have = sqlite3_column_int64(count, 0);
		ck_assert_int_eq(sqlite3_column_int64(count, 1), have);     /* ranks 1..have */
		ck_assert_msg(have % CHUNK == 0 || have == N, "a claim saw %lld issues",
			      (long long)have);
		ck_assert(have >= last);
		mid += have > 0 && have < N;
		last = have;
		sqlite3_reset(count);
		struct log_new_decision nd = { .row = 0, .example_id = "a",
					       .action = undo_of ? LOG_UNDO : LOG_RELABEL,
					       .label = undo_of ? NULL : "y", .reviewer = "r",
					       .pass = 1, .scan_id = id, .undoes = undo_of };
		struct log_decision out;
		ck_assert_msg(log_decide(l, &nd, &out, &e) == 0, "%s", e.msg);
		undo_of = undo_of ? 0 : out.id;
		writes++;
		log_scan_job_release(job);
		/* a reviewer's pace: a claim made again at once is served
		 * before the recorder's next chunk (the session comes first) */
		usleep(2000);
	}
	ck_assert_msg(mid > 0, "no write went between two chunks");
	int64_t id;
	ck_assert_msg(log_record_scan_finish(job, &id, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(id, scan_id);
	int complete;
	ck_assert(log_scan_complete(l, id, &complete, &e) == 0);
	ck_assert_int_eq(complete, 1);
	ck_assert_int_eq(sqlite3_step(count), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int64(count, 0), N);
	sqlite3_finalize(count);
	sqlite3_stmt *st;
	ck_assert(sqlite3_prepare_v2(db, "SELECT count(*), sum(scan_id = ?),"
				     " (SELECT sum(row = (rank - 1) * 7 % ?2) FROM issue) FROM decision",
				     -1, &st, NULL) == SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, N);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), writes);
	ck_assert_int_eq(sqlite3_column_int(st, 1), writes);
	ck_assert_int_eq(sqlite3_column_int(st, 2), N);
	sqlite3_finalize(st);
	sqlite3_close(db);
	size_t records;
	ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
	log_close(l);
	synth_scan_free(&x);
	dataset_free(d);
}
END_TEST

static void db_exec(const char *sql);

/* A recording cut off (its last chunks never written) is found by
 * log_scan_complete; a complete one, and one with nothing flagged, are
 * not mistaken for it. */
START_TEST(test_cut_off_scan_found)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	enum { N = 3000 };
	struct synth_scan x;
	synth_scan(&x, N);
	struct cl_scan s = x.s;
	const int *labels = x.labels;
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	int64_t id1, id2, latest;
	int complete;
	struct err e;
	ck_assert(log_record_scan(l, &prm, &s, labels, 0, &id1, &e) == 0);
	ck_assert(log_scan_complete(l, id1, &complete, &e) == 0);
	ck_assert_int_eq(complete, 1);
	s.n_flagged = s.n_ranked = 0;
	ck_assert(log_record_scan(l, &prm, &s, labels, 0, &id2, &e) == 0);
	ck_assert(log_scan_complete(l, id2, &complete, &e) == 0);
	ck_assert_int_eq(complete, 1);
	ck_assert(log_latest_scan(l, &latest, &e) == 0);
	ck_assert_int_eq(latest, id2);
	log_close(l);
	db_exec("DELETE FROM issue WHERE scan_id = 1 AND rank > 2048");
	l = open_log(d);
	ck_assert(log_scan_complete(l, id1, &complete, &e) == 0);
	ck_assert_int_eq(complete, 0);
	log_close(l);
	synth_scan_free(&x);
	dataset_free(d);
}
END_TEST

static int count_steps(void *n)
{
	++*(long *)n;
	return 0;
}

/* An undo (of the newest decision, and of the newest on a row) does work
 * proportional to what it touches, not to the size of the log: the SQLite
 * virtual machine steps it takes barely change from 200 to 20,000
 * decisions. */
START_TEST(test_undo_cost_does_not_grow_with_the_log)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	ck_assert(sqlite3_exec(l->db, "PRAGMA synchronous=OFF", 0, 0, 0) == SQLITE_OK);
	long steps[2];
	int sizes[2] = { 200, 20000 }, made = 0;
	for (int s = 0; s < 2; s++) {
		for (; made < sizes[s]; made++)
			decide(l, (size_t)made % 4, LOG_RELABEL, made % 2 ? "x" : "y", 1, 0);
		long n = 0;
		sqlite3_progress_handler(l->db, 10, count_steps, &n);
		int64_t target;
		struct err e;
		ck_assert(log_undo_target(l, -1, "r", &target, &e) == 1);
		decide(l, (size_t)(made - 1) % 4, LOG_UNDO, NULL, 1, target);
		struct log_new_decision nd = { .row = (size_t)(made - 2) % 4, .example_id = "x",
					       .action = LOG_UNDO, .reviewer = "r", .pass = 1 };
		ck_assert_msg(log_decide(l, &nd, NULL, &e) == 0, "%s", e.msg);
		sqlite3_progress_handler(l->db, 0, NULL, NULL);
		steps[s] = n;
	}
	ck_assert_msg(steps[1] < 3 * steps[0], "undo: %ld steps at 200 decisions, %ld at "
		      "20000", steps[0], steps[1]);
	log_close(l);
	dataset_free(d);
}
END_TEST

START_TEST(test_later_decision_wins_within_pass)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	decide(l, 0, LOG_RELABEL, "y", 1, 0);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "y");
	decide(l, 0, LOG_EXCLUDE, NULL, 1, 0);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "(excluded)");
	decide(l, 0, LOG_REJECT, "x", 1, 0);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "x");
	ck_assert_str_eq(label_of(l, 1, INT64_MAX), "given");
	log_close(l);
	dataset_free(d);
}
END_TEST

START_TEST(test_undo_reverts_its_target)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	int64_t a = decide(l, 0, LOG_RELABEL, "y", 1, 0);
	int64_t b = decide(l, 0, LOG_EXCLUDE, NULL, 1, 0);
	int64_t t;
	struct err e;
	ck_assert_int_eq(log_undo_target(l, 0, NULL, &t, &e), 1);
	ck_assert_int_eq(t, b);
	decide(l, 0, LOG_UNDO, NULL, 1, b);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "y");
	ck_assert_int_eq(log_undo_target(l, 0, NULL, &t, &e), 1);
	ck_assert_int_eq(t, a);
	decide(l, 0, LOG_UNDO, NULL, 1, a);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "given");
	ck_assert_int_eq(log_undo_target(l, 0, NULL, &t, &e), 0);
	log_close(l);
	dataset_free(d);
}
END_TEST

START_TEST(test_expert_wins_regardless_of_order)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	decide(l, 0, LOG_REJECT, "x", 2, 0);           /* expert first */
	decide(l, 0, LOG_RELABEL, "y", 1, 0);          /* annotator later */
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "x");
	int64_t e2 = decide(l, 0, LOG_EXCLUDE, NULL, 2, 0);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "(excluded)");
	decide(l, 0, LOG_UNDO, NULL, 2, e2);           /* back to the earlier expert */
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "x");
	log_close(l);
	dataset_free(d);
}
END_TEST

/* Each decision names the first version that seals it (0 while
 * working), as the per-decision subquery it replaced defined it. */
START_TEST(test_list_names_sealing_version)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	struct err e;
	struct log_version v;
	decide(l, 0, LOG_RELABEL, "y", 1, 0);
	decide(l, 1, LOG_EXCLUDE, NULL, 1, 0);
	ck_assert_int_eq(log_commit(l, "me", "one", &v, &e), 0);
	decide(l, 2, LOG_RELABEL, "y", 1, 0);
	ck_assert_int_eq(log_commit(l, "me", "two", &v, &e), 0);
	decide(l, 3, LOG_EXCLUDE, NULL, 1, 0);
	decide(l, 0, LOG_EXCLUDE, NULL, 1, 0);
	ck_assert_int_eq(log_commit(l, "me", "three", &v, &e), 0);
	decide(l, 1, LOG_RELABEL, "y", 1, 0);
	struct log_decision *dec;
	size_t n;
	ck_assert_msg(log_list(l, 0, &dec, &n, &e) == 0, "%s", e.msg);
	static const int64_t want[] = { 1, 1, 2, 3, 3, 0 };
	ck_assert_uint_eq(n, 6);
	sqlite3 *db;
	ck_assert(sqlite3_open(db_path, &db) == SQLITE_OK);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(dec[i].version, want[i]);
		sqlite3_stmt *st;
		ck_assert(sqlite3_prepare_v2(db, "SELECT coalesce((SELECT min(number) FROM version v"
					     " WHERE v.number > 0 AND v.last_decision >= ?), 0)", -1,
					     &st, NULL) == SQLITE_OK);
		sqlite3_bind_int64(st, 1, dec[i].id);
		ck_assert(sqlite3_step(st) == SQLITE_ROW);
		ck_assert_int_eq(dec[i].version, sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	log_decisions_free(dec, n);
	ck_assert_msg(log_list(l, 4, &dec, &n, &e) == 0, "%s", e.msg);   /* a later read */
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(dec[0].version, 3);
	ck_assert_int_eq(dec[1].version, 0);
	log_decisions_free(dec, n);
	log_close(l);
	dataset_free(d);
}
END_TEST

START_TEST(test_versions_seal_and_never_change)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	struct err e;
	struct log_version v;
	ck_assert_int_eq(log_commit(l, "me", "empty", &v, &e), -1);   /* nothing to seal */
	int64_t a = decide(l, 0, LOG_RELABEL, "y", 1, 0);
	ck_assert_int_eq(log_commit(l, "me", "one", &v, &e), 0);
	ck_assert_int_eq(v.number, 1);
	ck_assert_int_eq(v.last_decision, a);
	decide(l, 0, LOG_EXCLUDE, NULL, 1, 0);
	ck_assert_str_eq(label_of(l, 0, v.last_decision), "y");        /* version 1 */
	ck_assert_str_eq(label_of(l, 0, 0), "given");                  /* version 0 */
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "(excluded)");     /* working */
	sqlite3 *db;
	sqlite3_open(db_path, &db);
	ck_assert_int_ne(sqlite3_exec(db, "UPDATE decision SET label='x'", 0, 0, 0), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db, "DELETE FROM decision", 0, 0, 0), SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db, "UPDATE version SET message='x'", 0, 0, 0), SQLITE_OK);
	sqlite3_close(db);
	log_close(l);
	dataset_free(d);
}
END_TEST

/* A child records decisions in a loop and reports each saved id on a pipe;
 * it is killed at a random moment. Every reported id must be in the log. */
START_TEST(test_sigkill_loses_no_saved_decision)
{
	struct dataset *d = fixture();
	log_close(open_log(d));
	srand((unsigned)getpid());
	for (int round = 0; round < 5; round++) {
		int fds[2];
		ck_assert(pipe(fds) == 0);
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			struct logdb *l;
			struct err e;
			if (log_open(&l, db_path, d, 0, &e) < 0)
				_exit(3);
			for (;;) {
				struct log_new_decision nd = { .row = 1, .example_id = "b",
					.action = LOG_RELABEL, .label = "x", .reviewer = "k", .pass = 1 };
				struct log_decision out;
				if (log_decide(l, &nd, &out, &e) < 0)
					_exit(4);
				if (write(fds[1], &out.id, sizeof out.id) != sizeof out.id)
					_exit(5);
			}
		}
		close(fds[1]);
		usleep(20000 + (useconds_t)(rand() % 150000));
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
		ck_assert(WIFSIGNALED(status));
		int64_t id, last = 0;
		size_t reported = 0;
		while (read(fds[0], &id, sizeof id) == sizeof id) {
			last = id;
			reported++;
		}
		close(fds[0]);
		sqlite3 *db;
		ck_assert(sqlite3_open(db_path, &db) == SQLITE_OK);
		sqlite3_stmt *st;
		sqlite3_prepare_v2(db, "SELECT count(*) FROM decision WHERE id = ?", -1, &st, 0);
		sqlite3_bind_int64(st, 1, last);
		ck_assert(sqlite3_step(st) == SQLITE_ROW);
		ck_assert_msg(reported == 0 || sqlite3_column_int(st, 0) == 1,
			      "decision %lld was reported saved but is missing", (long long)last);
		sqlite3_finalize(st);
		sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, 0);
		ck_assert(sqlite3_step(st) == SQLITE_ROW);
		ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	dataset_free(d);
}
END_TEST

START_TEST(test_concurrent_writers)
{
	struct dataset *d = fixture();
	log_close(open_log(d));
	enum { WRITERS = 2, EACH = 500 };
	pid_t pids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		if ((pids[w] = fork()) == 0) {
			struct logdb *l;
			struct err e;
			if (log_open(&l, db_path, d, 0, &e) < 0)
				_exit(3);
			for (int i = 0; i < EACH; i++) {
				struct log_new_decision nd = { .row = (size_t)w, .example_id = w ? "b" : "a",
					.action = LOG_REJECT, .label = "x", .reviewer = w ? "b" : "a",
					.pass = 1 };
				if (log_decide(l, &nd, NULL, &e) < 0) {
					fprintf(stderr, "writer %d: %s\n", w, e.msg);
					_exit(4);
				}
			}
			log_close(l);
			_exit(0);
		}
	}
	for (int w = 0; w < WRITERS; w++) {
		int status;
		waitpid(pids[w], &status, 0);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "writer %d failed (status %d)", w, status);
	}
	struct logdb *l = open_log(d);
	struct log_decision *dec;
	size_t n;
	struct err e;
	ck_assert(log_list(l, 0, &dec, &n, &e) == 0);
	ck_assert_uint_eq(n, WRITERS * EACH);
	log_decisions_free(dec, n);
	log_close(l);
	dataset_free(d);
}
END_TEST

START_TEST(test_bad_databases)
{
	struct dataset *d = fixture();
	struct logdb *l;
	struct err e;
	put(db_path, "this is not a database, just text\n");
	ck_assert_int_eq(log_open(&l, db_path, d, 0, &e), -1);
	ck_assert_msg(strstr(e.msg, db_path) != NULL, "%s", e.msg);
	unlink(db_path);
	/* Another program's database. */
	sqlite3 *db;
	sqlite3_open(db_path, &db);
	sqlite3_exec(db, "CREATE TABLE t(x)", 0, 0, 0);
	sqlite3_close(db);
	ck_assert_int_eq(log_open(&l, db_path, d, 0, &e), -1);
	ck_assert_msg(strstr(e.msg, "not a relabel"), "%s", e.msg);
	unlink(db_path);
	/* A newer schema is refused, not downgraded. */
	l = open_log(d);
	log_close(l);
	sqlite3_open(db_path, &db);
	sqlite3_exec(db, "PRAGMA user_version=99", 0, 0, 0);
	sqlite3_close(db);
	ck_assert_int_eq(log_open(&l, db_path, d, 0, &e), -1);
	ck_assert_msg(strstr(e.msg, "newer relabel"), "%s", e.msg);
	dataset_free(d);
}
END_TEST

START_TEST(test_changed_data_refused_unless_forced)
{
	struct dataset *d = fixture();
	log_close(open_log(d));
	dataset_free(d);
	put(data_path, "id,label\na,y\nb,y\nc,x\nd,y\n");
	struct dataset_opts o = { .data_path = data_path };
	struct err e;
	ck_assert(dataset_load(&d, &o, &e) == 0);
	struct logdb *l;
	ck_assert_int_eq(log_open(&l, db_path, d, 0, &e), -1);
	ck_assert_msg(strstr(e.msg, "data.csv: changed"), "%s", e.msg);
	ck_assert_int_eq(log_open(&l, db_path, d, 1, &e), 0);
	log_close(l);
	sqlite3 *db;
	sqlite3_stmt *st;
	sqlite3_open(db_path, &db);
	sqlite3_prepare_v2(db, "SELECT count(*), sum(forced) FROM mismatch", -1, &st, 0);
	ck_assert(sqlite3_step(st) == SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 2);
	ck_assert_int_eq(sqlite3_column_int(st, 1), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);
	dataset_free(d);
}
END_TEST

START_TEST(test_read_only_and_full_disk)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	decide(l, 0, LOG_RELABEL, "y", 1, 0);
	log_close(l);
	struct err e;
	if (geteuid() != 0) {     /* root ignores file modes */
		chmod(db_path, 0444);
		ck_assert_int_eq(log_open(&l, db_path, d, 0, &e), -1);
		ck_assert_msg(strstr(e.msg, db_path), "%s", e.msg);
		chmod(db_path, 0644);
	}
	/* A file size limit makes writes fail like a full disk. */
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct logdb *c;
		if (log_open(&c, db_path, d, 0, &e) < 0)
			_exit(3);
		struct rlimit rl = { 4096, 4096 };
		setrlimit(RLIMIT_FSIZE, &rl);
		char big[8192];
		memset(big, 'n', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		for (int i = 0; i < 200; i++) {
			struct log_new_decision nd = { .row = 1, .example_id = "b",
				.action = LOG_EXCLUDE, .reviewer = "r", .pass = 1, .note = big };
			if (log_decide(c, &nd, NULL, &e) < 0)
				_exit(strstr(e.msg, db_path) ? 0 : 6);
		}
		_exit(7);
	}
	int status;
	waitpid(pid, &status, 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
	l = open_log(d);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "y");    /* the log is intact */
	ck_assert_str_eq(label_of(l, 1, INT64_MAX), "given"); /* nothing partial */
	log_close(l);
	dataset_free(d);
}
END_TEST


/* A log as relabel 0.x wrote it: schema 1 (or 2 with model_probs), with
 * two undos of one decision (possible before schema 3). */
static void write_old_log(int version)
{
	unlink(db_path);
	sqlite3 *db;
	ck_assert(sqlite3_open(db_path, &db) == SQLITE_OK);
	char sql[4096];
	snprintf(sql, sizeof sql,
		"PRAGMA journal_mode=WAL;"
		"CREATE TABLE dataset (id INTEGER PRIMARY KEY CHECK (id = 1),"
		" data_path TEXT NOT NULL, data_size INTEGER NOT NULL, data_sha256 TEXT NOT NULL,"
		" probs_path TEXT, probs_size INTEGER, probs_sha256 TEXT,"
		" n INTEGER NOT NULL, k INTEGER NOT NULL, created TEXT NOT NULL);"
		"CREATE TABLE class (idx INTEGER PRIMARY KEY, name TEXT NOT NULL);"
		"CREATE TABLE mismatch (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
		" file TEXT NOT NULL, recorded TEXT, found TEXT, forced INTEGER NOT NULL);"
		"CREATE TABLE scan (id INTEGER PRIMARY KEY, time TEXT NOT NULL,"
		" filter_by TEXT NOT NULL, rank_by TEXT NOT NULL, adjust INTEGER NOT NULL,"
		" thresholds TEXT NOT NULL, confident_joint_raw TEXT NOT NULL,"
		" confident_joint TEXT NOT NULL, n_flagged INTEGER NOT NULL, seconds REAL);"
		"CREATE TABLE issue (scan_id INTEGER NOT NULL REFERENCES scan(id),"
		" rank INTEGER NOT NULL, row INTEGER NOT NULL, score REAL NOT NULL,"
		" given INTEGER NOT NULL, suggested INTEGER NOT NULL,"
		" PRIMARY KEY (scan_id, rank)) WITHOUT ROWID;"
		"CREATE TABLE decision (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
		" row INTEGER NOT NULL, example_id TEXT NOT NULL,"
		" action TEXT NOT NULL CHECK (action IN ('accept','relabel','reject','exclude','undo')),"
		" label TEXT, reviewer TEXT NOT NULL,"
		" role TEXT NOT NULL CHECK (role IN ('annotator','expert')),"
		" pass INTEGER NOT NULL CHECK (pass IN (1, 2)), time TEXT NOT NULL, note TEXT,"
		" scan_id INTEGER REFERENCES scan(id), undoes INTEGER REFERENCES decision(id));"
		"CREATE INDEX decision_row ON decision(row);"
		"CREATE TABLE version (number INTEGER PRIMARY KEY, last_decision INTEGER NOT NULL,"
		" author TEXT NOT NULL, time TEXT NOT NULL, message TEXT NOT NULL,"
		" n_accept INTEGER, n_relabel INTEGER, n_reject INTEGER, n_exclude INTEGER,"
		" n_undo INTEGER);"
		"CREATE TRIGGER decision_append_only_u BEFORE UPDATE ON decision"
		" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
		"CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision"
		" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
		"CREATE TRIGGER version_append_only_u BEFORE UPDATE ON version"
		" BEGIN SELECT RAISE(ABORT, 'versions are sealed'); END;"
		"CREATE TRIGGER version_append_only_d BEFORE DELETE ON version"
		" BEGIN SELECT RAISE(ABORT, 'versions are sealed'); END;"
		"%s"
		"INSERT INTO dataset VALUES (1, '%s', 20, '%s', NULL, NULL, NULL, 4, 2, 't');"
		"INSERT INTO class VALUES (0, 'x'), (1, 'y');"
		"INSERT INTO decision VALUES (1, 'u1', 0, 'a', 'relabel', 'y', 'r', 'annotator', 1, 't1', 'old note', NULL, NULL);"
		"INSERT INTO decision VALUES (2, 'u2', 1, 'b', 'exclude', NULL, 'r', 'annotator', 1, 't2', NULL, NULL, NULL);"
		"INSERT INTO decision VALUES (3, 'u3', 1, 'b', 'undo', NULL, 'r', 'annotator', 1, 't3', NULL, NULL, 2);"
		"INSERT INTO decision VALUES (4, 'u4', 1, 'b', 'undo', NULL, 's', 'annotator', 1, 't4', NULL, NULL, 2);"
		"INSERT INTO version VALUES (1, 4, 'me', 't5', 'first', 0, 1, 0, 1, 2);"
		"PRAGMA application_id=%d; PRAGMA user_version=%d;",
		version >= 2 ? "CREATE TABLE model_probs (id INTEGER PRIMARY KEY, data_sha256 TEXT NOT NULL,"
		" settings TEXT NOT NULL, n INTEGER NOT NULL, k INTEGER NOT NULL,"
		" probs BLOB NOT NULL, features TEXT, folds INTEGER, accuracy REAL, logloss REAL,"
		" seconds REAL, created TEXT NOT NULL);" : "",
		data_path, data_sha, 0x524c4244, version);
	char *msg = NULL;
	ck_assert_msg(sqlite3_exec(db, sql, 0, 0, &msg) == SQLITE_OK, "%s", msg);
	sqlite3_close(db);
}

static int64_t db_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	ck_assert(sqlite3_open(db_path, &db) == SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, 0) == SQLITE_OK, "%s", sql);
	int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void db_exec(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;
	ck_assert(sqlite3_open(db_path, &db) == SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, 0, 0, &msg) == SQLITE_OK, "%s: %s", sql, msg);
	sqlite3_close(db);
}

START_TEST(test_old_logs_migrate)
{
	for (int version = 1; version <= 2; version++) {
		struct dataset *d = fixture();
		write_old_log(version);
		struct logdb *l = open_log(d);
		ck_assert_int_eq(db_int("PRAGMA user_version"), LOG_SCHEMA_VERSION);
		/* the undo-once index starts after the old duplicate undo (4),
		 * through every migration, beside the index of every undo */
		ck_assert_int_eq(db_int("SELECT count(*) FROM sqlite_master WHERE name ="
					" 'decision_undo_once' AND sql LIKE '%id > 4'"), 1);
		ck_assert_int_eq(db_int("SELECT count(*) FROM sqlite_master WHERE name ="
					" 'decision_undoes'"), 1);
		struct log_decision *dec;
		size_t n;
		struct err e;
		ck_assert_msg(log_list(l, 0, &dec, &n, &e) == 0, "%s", e.msg);
		ck_assert_uint_eq(n, 4);
		ck_assert_str_eq(dec[0].example_id, "a");
		ck_assert_str_eq(dec[0].note, "old note");
		ck_assert_str_eq(dec[0].label, "y");
		ck_assert_int_eq(dec[3].undoes, 2);      /* the old duplicate undo is kept */
		ck_assert_int_eq(dec[3].version, 1);
		ck_assert_ptr_null(dec[0].batch);
		ck_assert_uint_eq(strlen(dec[0].hash), 64);
		log_decisions_free(dec, n);
		ck_assert_str_eq(label_of(l, 0, INT64_MAX), "y");
		ck_assert_str_eq(label_of(l, 1, INT64_MAX), "given");
		size_t records;
		ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
		ck_assert_uint_eq(records, 5);
		/* Decisions after the migration: one undo per decision. */
		int64_t r = decide(l, 0, LOG_EXCLUDE, NULL, 1, 0);
		decide(l, 0, LOG_UNDO, NULL, 1, r);
		struct log_new_decision nd = { .row = 0, .action = LOG_UNDO, .reviewer = "r",
					       .pass = 1, .undoes = r };
		ck_assert_int_eq(log_decide(l, &nd, NULL, &e), -1);
		ck_assert_msg(strstr(e.msg, "already undone"), "%s", e.msg);
		ck_assert_int_eq(db_int("SELECT count(*) FROM decision"), 6);
		struct log_version v;
		ck_assert_msg(log_commit(l, "me", "second", &v, &e) == 0, "%s", e.msg);
		ck_assert_int_eq(v.counts[LOG_UNDO], 1);
		ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
		log_close(l);
		/* Reopening does not migrate again. */
		l = open_log(d);
		ck_assert_int_eq(db_int("SELECT count(*) FROM decision"), 6);
		log_close(l);
		dataset_free(d);
	}
}
END_TEST

START_TEST(test_confirm_and_unsure)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	decide(l, 0, LOG_RELABEL, "y", 1, 0);
	decide(l, 0, LOG_CONFIRM, "y", 2, 0);          /* the expert confirms */
	decide(l, 0, LOG_RELABEL, "x", 1, 0);          /* a later annotator change */
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "y");
	decide(l, 1, LOG_RELABEL, "x", 1, 0);
	int64_t u = decide(l, 1, LOG_UNSURE, NULL, 2, 0);  /* expert unsure: as given */
	ck_assert_str_eq(label_of(l, 1, INT64_MAX), "given");
	decide(l, 1, LOG_UNDO, NULL, 2, u);
	ck_assert_str_eq(label_of(l, 1, INT64_MAX), "x");
	decide(l, 2, LOG_EXCLUDE, NULL, 1, 0);
	decide(l, 2, LOG_CONFIRM, NULL, 2, 0);         /* confirms the exclusion */
	ck_assert_str_eq(label_of(l, 2, INT64_MAX), "(excluded)");
	decide(l, 3, LOG_RELABEL, "x", 1, 0);
	decide(l, 3, LOG_UNSURE, "x", 1, 0);           /* unsure is a decision */
	ck_assert_str_eq(label_of(l, 3, INT64_MAX), "given");
	/* A confirm belongs to the second pass. */
	struct log_new_decision nd = { .row = 0, .action = LOG_CONFIRM, .label = "y",
				       .reviewer = "r", .pass = 1 };
	struct err e;
	ck_assert_int_eq(log_decide(l, &nd, NULL, &e), -1);
	enum log_action a;
	ck_assert_int_eq(log_action_parse("confirm", &a), 0);
	ck_assert_int_eq(a, LOG_CONFIRM);
	ck_assert_int_eq(log_action_parse("unsure", &a), 0);
	ck_assert_int_eq(a, LOG_UNSURE);
	ck_assert_str_eq(log_action_name(LOG_UNSURE), "unsure");
	log_close(l);
	dataset_free(d);
}
END_TEST

START_TEST(test_batch_notes_and_spot_checks)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	struct err e;
	struct log_new_decision nd = { .row = 2, .example_id = "c", .action = LOG_EXCLUDE,
				       .reviewer = "r", .pass = 1, .batch = "bulk-1" };
	struct log_decision out;
	ck_assert_msg(log_decide(l, &nd, &out, &e) == 0, "%s", e.msg);
	int64_t nid;
	struct log_new_note nn = { .row = 2, .example_id = "c", .reviewer = "r",
				   .text = "blurry photo" };
	ck_assert_msg(log_add_note(l, &nn, &nid, &e) == 0, "%s", e.msg);
	nn.row = 3;
	nn.example_id = "d";
	nn.expert = 1;
	nn.text = "second";
	ck_assert(log_add_note(l, &nn, NULL, &e) == 0);
	nn.text = "";
	ck_assert_int_eq(log_add_note(l, &nn, NULL, &e), -1);
	size_t rows[3] = { 3, 0, 2 };
	int64_t sid;
	ck_assert_msg(log_add_spot_check(l, 0, "r", 42, rows, 3, &sid, &e) == 0, "%s", e.msg);
	log_close(l);

	l = open_log(d);
	struct log_decision *dec;
	size_t n;
	ck_assert(log_list(l, 0, &dec, &n, &e) == 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(dec[0].batch, "bulk-1");
	ck_assert_str_eq(dec[0].example_id, "c");
	log_decisions_free(dec, n);
	struct log_note *no;
	ck_assert(log_notes(l, 0, &no, &n, &e) == 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(no[0].id, nid);
	ck_assert_str_eq(no[0].text, "blurry photo");
	ck_assert_str_eq(no[0].example_id, "c");
	ck_assert_int_eq(no[0].decision_id, out.id);   /* the latest decision on row 2 */
	ck_assert_int_eq(no[1].decision_id, 0);        /* none on row 3 */
	ck_assert_int_eq(no[1].expert, 1);
	log_notes_free(no, n);
	ck_assert(log_notes(l, nid, &no, &n, &e) == 0);
	ck_assert_uint_eq(n, 1);
	log_notes_free(no, n);
	struct log_spot_check *sc;
	ck_assert(log_spot_checks(l, &sc, &n, &e) == 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(sc[0].id, sid);
	ck_assert_uint_eq(sc[0].seed, 42);
	ck_assert_uint_eq(sc[0].n, 3);
	ck_assert_uint_eq(sc[0].rows[0], 3);
	ck_assert_uint_eq(sc[0].rows[2], 2);
	ck_assert_str_eq(sc[0].reviewer, "r");
	log_spot_checks_free(sc, n);
	size_t records;
	ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(records, 4);
	log_close(l);
	db_exec("DROP TRIGGER note_append_only_u; UPDATE note SET text = 'sharp' WHERE id = 1");
	db_exec("DROP TRIGGER spot_check_row_append_only_u;"
		"UPDATE spot_check_row SET row = 1 WHERE pos = 0");
	l = open_log(d);
	ck_assert_int_eq(log_verify(l, &records, &e), 1);
	ck_assert_msg(strstr(e.msg, "note 1 does not match"), "%s", e.msg);
	log_close(l);
	dataset_free(d);
}
END_TEST

/* Sealed decisions rewritten behind relabel's back show in the chain. */
START_TEST(test_hash_chain_shows_tampering)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	decide(l, 0, LOG_RELABEL, "y", 1, 0);
	decide(l, 1, LOG_RELABEL, "x", 1, 0);
	decide(l, 2, LOG_EXCLUDE, NULL, 1, 0);
	struct err e;
	struct log_version v;
	ck_assert(log_commit(l, "me", "one", &v, &e) == 0);
	ck_assert_uint_eq(strlen(v.hash), 64);
	decide(l, 3, LOG_REJECT, "y", 1, 0);
	size_t records;
	ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(records, 5);
	log_close(l);
	const char *edits[][2] = {
		{ "DROP TRIGGER decision_append_only_u; UPDATE decision SET label = 'y' WHERE id = 2",
		  "decision 2 does not match" },
		{ "DROP TRIGGER version_append_only_u; UPDATE version SET message = 'x'",
		  "version 1 does not match" },
		{ "DROP TRIGGER decision_append_only_d; DELETE FROM decision WHERE id = 2",
		  "decision 3 does not match" },
		{ "DROP TRIGGER decision_append_only_d; DELETE FROM decision WHERE id >= 3",
		  "version 1 does not match" },
	};
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		dataset_free(d);
		d = fixture();
		l = open_log(d);
		decide(l, 0, LOG_RELABEL, "y", 1, 0);
		decide(l, 1, LOG_RELABEL, "x", 1, 0);
		decide(l, 2, LOG_EXCLUDE, NULL, 1, 0);
		ck_assert(log_commit(l, "me", "one", &v, &e) == 0);
		decide(l, 3, LOG_REJECT, "y", 1, 0);
		log_close(l);
		db_exec(edits[i][0]);
		l = open_log(d);
		ck_assert_msg(log_verify(l, &records, &e) == 1, "edit %zu not seen", i);
		ck_assert_msg(strstr(e.msg, edits[i][1]), "edit %zu: %s", i, e.msg);
		log_close(l);
	}
	dataset_free(d);
}
END_TEST

/* No index keeps uuids unique (schema 5): a decision written with another's
 * uuid, its hash chained as relabel would chain it, is found by --verify. */
START_TEST(test_verify_finds_a_repeated_uuid)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	decide(l, 0, LOG_RELABEL, "y", 1, 0);
	decide(l, 1, LOG_EXCLUDE, NULL, 1, 0);
	struct log_decision *dec;
	size_t n, records;
	struct err e;
	ck_assert(log_list(l, 0, &dec, &n, &e) == 0);
	ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
	struct cval v[14] = {
		CV_INT(3), CV_TEXT(dec[0].uuid), CV_INT(2), CV_TEXT("c"), CV_TEXT("reject"),
		CV_TEXT("x"), CV_TEXT("r"), CV_TEXT("annotator"), CV_INT(1),
		CV_TEXT("2026-01-01T00:00:00Z"), CV_TEXT(NULL), CV_TEXT(NULL), CV_TEXT(NULL),
		CV_TEXT(NULL),
	};
	ck_assert(log_begin(l, &e) == 0);
	ck_assert_msg(log_insert_chained(l, "decision", LOG_DECISION_COLS, v, 14, 14, NULL,
					 &e) == 0, "%s", e.msg);
	ck_assert(log_commit_tx(l, &e) == 0);
	log_decisions_free(dec, n);
	ck_assert_int_eq(log_verify(l, &records, &e), 1);
	ck_assert_msg(strstr(e.msg, "decisions 1 and 3 have the same uuid"), "%s", e.msg);
	log_close(l);
	dataset_free(d);
}
END_TEST

/* Rows inserted by hand (by a program that ignores the log's CHECK
 * constraints) are refused on read, including what schema 4 checks only
 * in relabel's writers (a label that is not a class, an undo's target). */
START_TEST(test_hand_inserted_rows_refused)
{
	const char *rows[][2] = {
		{ "(9, 'h', -1, NULL, 'reject', 'x', 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		  "row -1 is outside" },
		{ "(9, 'h', 4, NULL, 'reject', 'x', 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		  "row 4 is outside" },
		{ "(9, 'h', 0, NULL, 'accept', NULL, 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		  "accept without a label" },
		{ "(9, 'h', 0, NULL, 'exclude', 'x', 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		  "exclude with a label" },
		{ "(9, 'h', 0, NULL, 'relabel', 'zebra', 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		  "label 'zebra' is not a class" },
		{ "(9, 'h', 0, NULL, 'undo', NULL, 'r', 'annotator', 1, 't', NULL, NULL, 12, NULL, '')",
		  "undo of no earlier decision" },
		{ "(9, 'h', 1, NULL, 'undo', NULL, 'r', 'annotator', 1, 't', NULL, NULL, 1, NULL, '')",
		  "undo of decision 1, which is not a decision on its row" },
		{ "(9, 'h', 1, NULL, 'undo', NULL, 'r', 'annotator', 1, 't', NULL, NULL, 3, NULL, '')",
		  "undo of decision 3, which is not a decision on its row or is an undo" },
		{ "(9, 'h', 0, NULL, 'reject', 'x', 'r', 'annotator', 1, 't', NULL, NULL, 1, NULL, '')",
		  "reject naming an undo target" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct dataset *d = fixture();
		struct logdb *l = open_log(d);
		decide(l, 0, LOG_RELABEL, "y", 1, 0);             /* decision 1, row 0 */
		int64_t two = decide(l, 1, LOG_RELABEL, "x", 1, 0);
		decide(l, 1, LOG_UNDO, NULL, 1, two);             /* decision 3 */
		log_close(l);
		char sql[600];
		snprintf(sql, sizeof sql, "PRAGMA foreign_keys=OFF; PRAGMA ignore_check_constraints=ON;"
			 " INSERT INTO decision VALUES %s", rows[i][0]);
		db_exec(sql);
		l = open_log(d);
		struct log_decision *dec;
		size_t n;
		struct err e;
		ck_assert_int_eq(log_list(l, 0, &dec, &n, &e), -1);
		ck_assert_int_eq(e.code, ERR_INPUT);
		ck_assert_msg(strstr(e.msg, "decision 9: ") && strstr(e.msg, rows[i][1]),
			      "row %zu: %s", i, e.msg);
		log_close(l);
		dataset_free(d);
	}
	/* The CHECK constraints refuse rows of the first kinds from any program. */
	struct dataset *d = fixture();
	log_close(open_log(d));
	sqlite3 *db;
	sqlite3_open(db_path, &db);
	static const char *const refused[] = {
		"(1, 'h', -1, NULL, 'reject', 'x', 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		"(1, 'h', 0, NULL, 'accept', NULL, 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		"(1, 'h', 0, NULL, 'exclude', 'x', 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		"(1, 'h', 0, NULL, 'undo', NULL, 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		"(1, 'h', 0, NULL, 'confirm', 'x', 'r', 'expert', 1, 't', NULL, NULL, NULL, NULL, '')",
		"(1, 'h', 0, NULL, 'frobnicate', 'x', 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
		"(1, 'h', 0, NULL, 'reject', 'x', 'r', 'boss', 1, 't', NULL, NULL, NULL, NULL, '')",
	};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		char sql[300];
		snprintf(sql, sizeof sql, "INSERT INTO decision VALUES %s", refused[i]);
		ck_assert_msg(sqlite3_exec(db, sql, 0, 0, 0) != SQLITE_OK, "%s", refused[i]);
	}
	ck_assert_int_eq(sqlite3_exec(db, "INSERT INTO decision VALUES (1, 'h', 0, NULL, 'reject',"
				      " 'x', 'r', 'annotator', 1, 't', NULL, NULL, NULL, NULL, '')",
				      0, 0, 0), SQLITE_OK);
	sqlite3_close(db);
	dataset_free(d);
}
END_TEST

/* relabel's writers make the checks that schema 4 no longer makes in the
 * database: a label of the dataset, an undo of a decision on its row that
 * is not an undo; a refused batch records nothing. */
START_TEST(test_writers_check_labels_and_undo_targets)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	struct err e;
	struct log_new_decision nd = { .row = 0, .example_id = "a", .action = LOG_RELABEL,
				       .label = "zebra", .reviewer = "r", .pass = 1 };
	ck_assert_int_eq(log_decide(l, &nd, NULL, &e), -1);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_msg(strstr(e.msg, "'zebra' is not a class"), "%s", e.msg);
	nd.action = LOG_UNSURE;                           /* unsure's label is free text */
	ck_assert_msg(log_decide(l, &nd, NULL, &e) == 0, "%s", e.msg);
	int64_t on0 = decide(l, 0, LOG_RELABEL, "y", 1, 0);
	int64_t on1 = decide(l, 1, LOG_EXCLUDE, NULL, 1, 0);
	int64_t undo1 = decide(l, 1, LOG_UNDO, NULL, 1, on1);
	struct log_new_decision b[3] = {
		{ .row = 2, .example_id = "c", .action = LOG_REJECT, .label = "x", .reviewer = "r",
		  .pass = 1 },
		{ .row = 3, .example_id = "d", .action = LOG_REJECT, .label = "y", .reviewer = "r",
		  .pass = 1 },
		{ .row = 1, .example_id = "b", .action = LOG_UNDO, .reviewer = "r", .pass = 1,
		  .undoes = on0 },                        /* on0 is on row 0 */
	};
	ck_assert_int_eq(log_decide_batch(l, b, 3, "b1", NULL, NULL, NULL, &e), -1);
	ck_assert_msg(strstr(e.msg, "not a decision on its row"), "%s", e.msg);
	b[2].row = 1;
	b[2].undoes = undo1;                              /* an undo */
	ck_assert_int_eq(log_decide_batch(l, b, 3, "b1", NULL, NULL, NULL, &e), -1);
	ck_assert_msg(strstr(e.msg, "or is an undo"), "%s", e.msg);
	b[2].undoes = 99;                                 /* not recorded */
	ck_assert_int_eq(log_decide_batch(l, b, 3, "b1", NULL, NULL, NULL, &e), -1);
	b[2].row = 0;
	b[2].undoes = on0;
	b[1].label = "zebra";
	ck_assert_int_eq(log_decide_batch(l, b, 3, "b1", NULL, NULL, NULL, &e), -1);
	ck_assert_msg(strstr(e.msg, "'zebra' is not a class"), "%s", e.msg);
	b[1].label = "y";
	b[0].scan_id = 99;                                /* no such scan */
	ck_assert_int_eq(log_decide_batch(l, b, 3, "b1", NULL, NULL, NULL, &e), -1);
	ck_assert_msg(strstr(e.msg, "scan 99, which is not recorded"), "%s", e.msg);
	b[0].scan_id = 0;
	ck_assert_int_eq(db_int("SELECT count(*) FROM decision"), 4);
	sqlite3_stmt *fk;                                 /* keys are on again */
	ck_assert(sqlite3_prepare_v2(l->db, "PRAGMA foreign_keys", -1, &fk, 0) == SQLITE_OK);
	ck_assert(sqlite3_step(fk) == SQLITE_ROW && sqlite3_column_int(fk, 0) == 1);
	sqlite3_finalize(fk);
	ck_assert_msg(log_decide_batch(l, b, 3, "b1", NULL, NULL, NULL, &e) == 0, "%s", e.msg);
	/* targets far apart are looked up one by one */
	for (int i = 0; i < 1100; i++)
		decide(l, 2, LOG_RELABEL, "y", 1, 0);
	int64_t last = decide(l, 3, LOG_RELABEL, "x", 1, 0);
	struct log_new_decision u[2] = {
		{ .row = 1, .example_id = "b", .action = LOG_EXCLUDE, .reviewer = "r", .pass = 1 },
		{ .row = 3, .example_id = "d", .action = LOG_UNDO, .reviewer = "r", .pass = 1,
		  .undoes = undo1 },
	};
	ck_assert_int_eq(log_decide_batch(l, u, 2, "b2", NULL, NULL, NULL, &e), -1);
	u[1].undoes = last;
	u[0].action = LOG_UNDO;
	u[0].undoes = on1;                                /* already undone */
	ck_assert_int_eq(log_decide_batch(l, u, 2, "b2", NULL, NULL, NULL, &e), -1);
	u[0] = (struct log_new_decision){ .row = 2, .example_id = "c", .action = LOG_UNDO,
					  .reviewer = "r", .pass = 1, .undoes = 5 };
	ck_assert_msg(log_decide_batch(l, u, 2, "b2", NULL, NULL, NULL, &e) == 0, "%s", e.msg);
	struct log_decision *dec;
	size_t n;
	ck_assert_msg(log_list(l, 0, &dec, &n, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(n, 4 + 3 + 1101 + 2);
	log_decisions_free(dec, n);
	size_t records;
	ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
	log_close(l);
	dataset_free(d);
}
END_TEST

static void same_decisions(const struct log_decision *a, const struct log_decision *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(a[i].id, b[i].id);
		ck_assert_str_eq(a[i].uuid, b[i].uuid);
		ck_assert_uint_eq(a[i].row, b[i].row);
		ck_assert_pstr_eq(a[i].example_id, b[i].example_id);
		ck_assert_int_eq(a[i].action, b[i].action);
		ck_assert_pstr_eq(a[i].label, b[i].label);
		ck_assert_str_eq(a[i].reviewer, b[i].reviewer);
		ck_assert_int_eq(a[i].expert, b[i].expert);
		ck_assert_int_eq(a[i].pass, b[i].pass);
		ck_assert_str_eq(a[i].time, b[i].time);
		ck_assert_pstr_eq(a[i].note, b[i].note);
		ck_assert_int_eq(a[i].scan_id, b[i].scan_id);
		ck_assert_int_eq(a[i].undoes, b[i].undoes);
		ck_assert_int_eq(a[i].version, b[i].version);
		ck_assert_pstr_eq(a[i].batch, b[i].batch);
		ck_assert_str_eq(a[i].hash, b[i].hash);
	}
}

/* The decision table and its rules exactly as schema 3 made them. */
static const char schema3_decisions[] =
	"PRAGMA foreign_keys=OFF; BEGIN;"
	"CREATE TABLE d3 (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
	" row INTEGER NOT NULL, example_id TEXT,"
	" action TEXT NOT NULL CHECK (action IN ('accept','relabel','reject','exclude',"
	"'undo','confirm','unsure')),"
	" label TEXT, reviewer TEXT NOT NULL,"
	" role TEXT NOT NULL CHECK (role IN ('annotator','expert')),"
	" pass INTEGER NOT NULL CHECK (pass IN (1, 2)), time TEXT NOT NULL, note TEXT,"
	" scan_id INTEGER REFERENCES scan(id), undoes INTEGER REFERENCES decision(id),"
	" batch TEXT, hash TEXT NOT NULL);"
	"INSERT INTO d3 SELECT * FROM decision; DROP TABLE decision;"
	"ALTER TABLE d3 RENAME TO decision;"
	"CREATE INDEX decision_row ON decision(row);"
	"CREATE INDEX decision_undoes ON decision(undoes) WHERE undoes IS NOT NULL;"
	"CREATE UNIQUE INDEX decision_undo_once ON decision(undoes)"
	" WHERE undoes IS NOT NULL AND id > 0;"
	"CREATE TRIGGER decision_valid BEFORE INSERT ON decision WHEN NEW.row < 0"
	" OR (NEW.action IN ('accept','relabel','reject') AND NEW.label IS NULL)"
	" OR (NEW.action IN ('exclude','undo') AND NEW.label IS NOT NULL)"
	" OR (NEW.label IS NOT NULL AND NEW.action <> 'unsure'"
	"     AND NOT EXISTS (SELECT 1 FROM class WHERE name = NEW.label))"
	" OR (NEW.action = 'confirm' AND NEW.pass <> 2)"
	" OR ((NEW.action = 'undo') <> (NEW.undoes IS NOT NULL))"
	" BEGIN SELECT RAISE(ABORT, 'invalid decision (row, label or undo target)'); END;"
	"CREATE TRIGGER decision_undo_valid BEFORE INSERT ON decision"
	" WHEN NEW.action = 'undo' AND NOT EXISTS (SELECT 1 FROM decision t"
	"  WHERE t.id = NEW.undoes AND t.action <> 'undo' AND t.row = NEW.row)"
	" BEGIN SELECT RAISE(ABORT, 'an undo names an earlier decision on its row"
	" that is not an undo'); END;"
	"CREATE TRIGGER decision_append_only_u BEFORE UPDATE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER decision_append_only_d BEFORE DELETE ON decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"PRAGMA user_version=3; COMMIT;";

/* A schema 3 log reads as it is when opened read-only, and is upgraded to
 * schema 5 (through 4) on its first read-write open: the same decisions
 * field by field, the same hash chain, the same undo-once rule, now kept
 * by one index (no duplicate undo to skip), and no index on uuid. */
START_TEST(test_v3_log_upgrades)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	struct err e;
	int64_t a = decide(l, 0, LOG_RELABEL, "y", 1, 0);
	decide(l, 1, LOG_EXCLUDE, NULL, 1, 0);
	decide(l, 0, LOG_UNDO, NULL, 1, a);
	struct log_version v;
	ck_assert(log_commit(l, "me", "one", &v, &e) == 0);
	struct log_new_decision b[2] = {
		{ .row = 2, .example_id = "c", .action = LOG_ACCEPT, .label = "y", .reviewer = "r",
		  .pass = 1, .note = "n" },
		{ .row = 3, .example_id = "d", .action = LOG_UNSURE, .label = "maybe", .reviewer = "r",
		  .expert = 1, .pass = 2 },
	};
	ck_assert(log_decide_batch(l, b, 2, "bulk-9", NULL, NULL, NULL, &e) == 0);
	decide(l, 3, LOG_CONFIRM, "y", 2, 0);
	struct log_decision *want, *got;
	size_t nw, ng, records, rec3;
	ck_assert(log_list(l, 0, &want, &nw, &e) == 0);
	ck_assert_uint_eq(nw, 6);
	log_close(l);
	db_exec(schema3_decisions);
	ck_assert_int_eq(db_int("SELECT count(*) FROM sqlite_master WHERE name = 'decision_valid'"), 1);

	ck_assert_msg(log_open_read_only(&l, db_path, d, 0, &e) == 0, "%s", e.msg);
	ck_assert_msg(log_list(l, 0, &got, &ng, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(ng, nw);
	same_decisions(want, got, nw);
	log_decisions_free(got, ng);
	ck_assert_msg(log_verify(l, &rec3, &e) == 0, "%s", e.msg);
	log_close(l);
	ck_assert_int_eq(db_int("PRAGMA user_version"), 3);       /* reading never writes */

	l = open_log(d);
	ck_assert_int_eq(db_int("PRAGMA user_version"), 5);
	ck_assert_int_eq(db_int("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
				" AND tbl_name = 'decision'"), 2);        /* append-only */
	ck_assert_int_eq(db_int("SELECT count(*) FROM sqlite_master WHERE name ="
				" 'decision_undo_once' AND sql LIKE '%UNIQUE%'"
				" AND sql LIKE '%WHERE undoes IS NOT NULL'"), 1);
	ck_assert_int_eq(db_int("SELECT count(*) FROM sqlite_master WHERE type = 'index'"
				" AND tbl_name = 'decision'"), 2);        /* row, undo once */
	ck_assert_int_eq(db_int("SELECT count(*) FROM sqlite_master WHERE sql LIKE"
				" '%uuid TEXT NOT NULL UNIQUE%'"), 0);
	ck_assert_msg(log_list(l, 0, &got, &ng, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(ng, nw);
	same_decisions(want, got, nw);
	log_decisions_free(got, ng);
	ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(records, rec3);
	/* still undone once, still appended to */
	struct log_new_decision nd = { .row = 0, .action = LOG_UNDO, .reviewer = "r", .pass = 1,
				       .undoes = a };
	ck_assert_int_eq(log_decide(l, &nd, NULL, &e), -1);
	decide(l, 1, LOG_UNDO, NULL, 1, 2);
	ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(records, rec3 + 1);
	log_close(l);
	log_decisions_free(want, nw);
	dataset_free(d);
}
END_TEST

/* Concurrent undos of one row: each decision is undone at most once, and
 * every process that reports success reverted a different decision. */
START_TEST(test_concurrent_undos_never_share_a_target)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	decide(l, 0, LOG_RELABEL, "y", 1, 0);
	decide(l, 0, LOG_EXCLUDE, NULL, 1, 0);
	log_close(l);
	enum { P = 6 };
	int go[2];
	ck_assert(pipe(go) == 0);
	pid_t pids[P];
	for (int p = 0; p < P; p++) {
		if ((pids[p] = fork()) == 0) {
			close(go[1]);
			struct logdb *c;
			struct err e;
			if (log_open(&c, db_path, d, 0, &e) < 0)
				_exit(3);
			char b;
			if (read(go[0], &b, 1) != 0)   /* wait until the pipe closes */
				_exit(5);
			struct log_new_decision nd = { .row = 0, .action = LOG_UNDO,
						       .reviewer = "r", .pass = 1 };
			int rc = log_decide(c, &nd, NULL, &e);
			log_close(c);
			_exit(rc == 0 ? 0 : strstr(e.msg, "nothing to undo") ? 1 : 4);
		}
	}
	close(go[0]);
	usleep(100000);
	close(go[1]);
	int ok = 0, none = 0;
	for (int p = 0; p < P; p++) {
		int status;
		waitpid(pids[p], &status, 0);
		ck_assert(WIFEXITED(status));
		ok += WEXITSTATUS(status) == 0;
		none += WEXITSTATUS(status) == 1;
	}
	ck_assert_int_eq(ok, 2);
	ck_assert_int_eq(none, P - 2);
	ck_assert_int_eq(db_int("SELECT count(DISTINCT undoes) FROM decision WHERE action = 'undo'"), 2);
	l = open_log(d);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "given");
	log_close(l);
	dataset_free(d);
}
END_TEST

/* Another process holds the write lock: a write waits one slice, fails
 * with log_locked set and writes nothing; it succeeds once released. */
START_TEST(test_lock_wait_is_bounded)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	decide(l, 0, LOG_RELABEL, "y", 1, 0);
	int ready[2], done[2];
	ck_assert(pipe(ready) == 0 && pipe(done) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		sqlite3 *db;
		char b = 1;
		if (sqlite3_open(db_path, &db) != SQLITE_OK ||
		    sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0) != SQLITE_OK)
			_exit(3);
		if (write(ready[1], &b, 1) != 1 || read(done[0], &b, 1) < 0)
			_exit(4);
		sqlite3_exec(db, "COMMIT", 0, 0, 0);
		sqlite3_close(db);
		_exit(0);
	}
	char b;
	ck_assert(read(ready[0], &b, 1) == 1);
	log_set_lock_timeout(l, LOG_LOCK_SLICE_MS);
	struct log_new_decision nd = { .row = 1, .example_id = "b", .action = LOG_EXCLUDE,
				       .reviewer = "r", .pass = 1 };
	struct err e;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(log_decide(l, &nd, NULL, &e), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	ck_assert_msg(ms < 1000, "the write waited %.0f ms", ms);
	ck_assert_int_eq(log_locked(l), 1);
	ck_assert_int_eq(e.code, ERR_RUNTIME);
	ck_assert_msg(strstr(e.msg, LOG_LOCKED_MSG), "%s", e.msg);
	ck_assert_str_eq(label_of(l, 1, INT64_MAX), "given");
	ck_assert(write(done[1], &b, 1) == 1);
	int status;
	waitpid(pid, &status, 0);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_msg(log_decide(l, &nd, NULL, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(log_locked(l), 0);
	ck_assert_int_eq(log_parse_lock_timeout("2.5"), 2500);
	ck_assert_int_eq(log_parse_lock_timeout("0"), 0);
	ck_assert_int_eq(log_parse_lock_timeout("-1"), -1);
	ck_assert_int_eq(log_parse_lock_timeout("x"), -1);
	ck_assert_int_eq(log_parse_lock_timeout(""), -1);
	log_close(l);
	dataset_free(d);
}
END_TEST

/* Reading never writes: an older log is migrated in memory only, another
 * application's file and a missing log are refused untouched. */
START_TEST(test_read_only_open)
{
	struct dataset *d = fixture();
	write_old_log(2);
	struct logdb *l;
	struct err e;
	ck_assert_msg(log_open_read_only(&l, db_path, d, 0, &e) == 0, "%s", e.msg);
	ck_assert_str_eq(label_of(l, 0, INT64_MAX), "y");
	size_t records;
	ck_assert_int_eq(log_verify(l, &records, &e), 0);
	struct log_new_decision nd = { .row = 1, .action = LOG_EXCLUDE, .reviewer = "r", .pass = 1 };
	ck_assert_int_eq(log_decide(l, &nd, NULL, &e), -1);   /* opened read-only */
	log_close(l);
	ck_assert_int_eq(db_int("PRAGMA user_version"), 2);
	ck_assert_int_eq(db_int("SELECT count(*) FROM decision"), 4);
	unlink(db_path);
	ck_assert_int_eq(log_open_read_only(&l, db_path, d, 0, &e), -1);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_int_eq(access(db_path, F_OK), -1);
	put(db_path, "");
	ck_assert_int_eq(log_open(&l, db_path, d, 0, &e), -1);
	ck_assert_msg(strstr(e.msg, "empty file"), "%s", e.msg);
	struct stat st;
	ck_assert(stat(db_path, &st) == 0 && st.st_size == 0);
	dataset_free(d);
}
END_TEST

/* What the review screen sees of a locked log: the decision is not saved,
 * stays pending, the message says why, and the attempt takes one slice. */
START_TEST(test_review_session_on_a_locked_log)
{
	struct dataset *d = fixture();
	struct logdb *l = open_log(d);
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 1, 0 };
	struct cl_scan scan;
	struct err e;
	ck_assert_msg(cl_scan_run(&pb, &prm, &scan, &e) == 0, "%s", e.msg);
	struct review *r;
	ck_assert_msg(review_open(&r, d, &scan, l, "alice", 0, &e) == 0, "%s", e.msg);
	log_set_lock_timeout(l, LOG_LOCK_SLICE_MS);
	long row = review_row(r);
	ck_assert_int_ge(row, 0);
	sqlite3 *db;
	ck_assert(sqlite3_open(db_path, &db) == SQLITE_OK);
	ck_assert(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0) == SQLITE_OK);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(review_decide(r, LOG_EXCLUDE, NULL), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	ck_assert_msg(ms < 1000, "the screen was blocked %.0f ms", ms);
	ck_assert_msg(strstr(r->message, "NOT SAVED") && strstr(r->message, LOG_LOCKED_MSG),
		      "%s", r->message);
	ck_assert_msg(strstr(r->message, LOG_LOCKED_MSG) - r->message < 60, "%s", r->message);
	ck_assert_int_eq(review_row(r), row);               /* still on the example */
	ck_assert_int_eq(review_state_of(r, (size_t)row), RS_UNDECIDED);
	ck_assert(sqlite3_exec(db, "COMMIT", 0, 0, 0) == SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(review_decide(r, LOG_EXCLUDE, NULL), 0);
	ck_assert_int_eq(review_state_of(r, (size_t)row), RS_EXCLUDED);
	review_free(r);
	cl_scan_free(&scan);
	log_close(l);
	dataset_free(d);
}
END_TEST

/* Several processes opening one old log at once migrate it once; making
 * one new log at once, they make it once. */
START_TEST(test_concurrent_migrations)
{
	struct dataset *d = fixture();
	for (int round = 0; round < 3; round++) {
		if (round < 2)
			write_old_log(2);
		else
			unlink(db_path);      /* a new log made by several at once */
		enum { P = 4 };
		int go[2];
		ck_assert(pipe(go) == 0);
		pid_t pids[P];
		for (int p = 0; p < P; p++) {
			if ((pids[p] = fork()) == 0) {
				close(go[1]);
				char b;
				if (read(go[0], &b, 1) != 0)
					_exit(5);
				struct logdb *c;
				struct err e;
				if (log_open(&c, db_path, d, 0, &e) < 0) {
					fprintf(stderr, "%s\n", e.msg);
					_exit(3);
				}
				log_close(c);
				_exit(0);
			}
		}
		close(go[0]);
		usleep(50000);
		close(go[1]);
		for (int p = 0; p < P; p++) {
			int status;
			waitpid(pids[p], &status, 0);
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				      "process %d: status %d", p, status);
		}
		ck_assert_int_eq(db_int("PRAGMA user_version"), LOG_SCHEMA_VERSION);
		ck_assert_int_eq(db_int("SELECT count(*) FROM decision"), round < 2 ? 4 : 0);
		ck_assert_int_eq(db_int("SELECT count(*) FROM dataset"), 1);
		ck_assert_int_eq(db_int("SELECT count(*) FROM class"), 2);
		struct logdb *l = open_log(d);
		size_t records;
		struct err e;
		ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);
		ck_assert_uint_eq(records, round < 2 ? 5 : 0);
		log_close(l);
	}
	dataset_free(d);
}
END_TEST

/* The chain hash built without stdio equals the format's definition
 * (log_chain.c) written with fprintf, for every kind of field. */
static void reference_hash(const char *table, const char *prev, const struct cval *v,
			   size_t n, char out[65])
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert(f);
	fprintf(f, "relabel chain 1\n%s\n%s\n", table, prev);
	for (size_t i = 0; i < n; i++)
		if (v[i].type == 'i')
			fprintf(f, "I%lld\n", (long long)v[i].i);
		else if (v[i].type == 't')
			fprintf(f, "T%zu:%s\n", strlen(v[i].s), v[i].s);
		else
			fputs("N\n", f);
	fclose(f);
	hash_sha256_hex(buf, len, out);
	free(buf);
}

START_TEST(test_chain_hash_matches_its_definition)
{
	static char big[3000];
	memset(big, 'x', sizeof big - 1);
	const struct cval v[] = {
		CV_INT(0), CV_INT(1), CV_INT(-1), CV_INT(INT64_MAX), CV_INT(INT64_MIN),
		CV_INT(1234567890123LL), CV_TEXT(""), CV_TEXT("caf\xc3\xa9 \n:T"), CV_TEXT(NULL),
		CV_ID(0), CV_ID(42), CV_TEXT(big),
	};
	size_t n = sizeof v / sizeof *v;
	for (size_t k = 0; k <= n; k++) {
		char a[65], b[65];
		const char *prev = k % 2 ? "" : "00ff";
		log_chain_hash("decision", prev, v + (k % 3), n - k < n - (k % 3) ? n - k : n - (k % 3), a);
		reference_hash("decision", prev, v + (k % 3), n - k < n - (k % 3) ? n - k : n - (k % 3), b);
		ck_assert_str_eq(a, b);
	}
	char a[65], b[65];
	log_chain_hash("version", "abc", v, n, a);
	reference_hash("version", "abc", v, n, b);
	ck_assert_str_eq(a, b);
}
END_TEST

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_later_decision_wins_within_pass);
	tcase_add_test(tc, test_chain_hash_matches_its_definition);
	tcase_add_test(tc, test_list_names_sealing_version);
	tcase_add_test(tc, test_scan_issues_recorded_in_batches);
	tcase_add_test(tc, test_writes_between_scan_chunks);
	tcase_add_test(tc, test_cut_off_scan_found);
	tcase_add_test(tc, test_undo_cost_does_not_grow_with_the_log);
	tcase_add_test(tc, test_undo_reverts_its_target);
	tcase_add_test(tc, test_expert_wins_regardless_of_order);
	tcase_add_test(tc, test_versions_seal_and_never_change);
	tcase_add_test(tc, test_sigkill_loses_no_saved_decision);
	tcase_add_test(tc, test_concurrent_writers);
	tcase_add_test(tc, test_bad_databases);
	tcase_add_test(tc, test_changed_data_refused_unless_forced);
	tcase_add_test(tc, test_read_only_and_full_disk);
	tcase_add_test(tc, test_old_logs_migrate);
	tcase_add_test(tc, test_confirm_and_unsure);
	tcase_add_test(tc, test_batch_notes_and_spot_checks);
	tcase_add_test(tc, test_hash_chain_shows_tampering);
	tcase_add_test(tc, test_verify_finds_a_repeated_uuid);
	tcase_add_test(tc, test_hand_inserted_rows_refused);
	tcase_add_test(tc, test_writers_check_labels_and_undo_targets);
	tcase_add_test(tc, test_v3_log_upgrades);
	tcase_add_test(tc, test_concurrent_undos_never_share_a_target);
	tcase_add_test(tc, test_lock_wait_is_bounded);
	tcase_add_test(tc, test_read_only_open);
	tcase_add_test(tc, test_review_session_on_a_locked_log);
	tcase_add_test(tc, test_concurrent_migrations);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed++;
	return failed ? 1 : 0;
}
