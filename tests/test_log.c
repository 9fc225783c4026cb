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
#include <unistd.h>

#include "effective.h"
#include "log.h"

static char dir[] = "/tmp/relabel-test-log-XXXXXX";
static char data_path[600], probs_path[600], db_path[600];

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
	unlink(db_path);
	struct dataset_opts o = { .data_path = data_path };
	struct dataset *d;
	struct err e;
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
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
	struct log_new_decision nd = { .row = row, .example_id = "x", .action = a,
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
	long w[4];
	effective_winners(d, n, upto, 4, w);
	const char *s = effective_label(d, w[row], "given");
	snprintf(buf, sizeof buf, "%s", s ? s : "(excluded)");
	log_decisions_free(d, n);
	return buf;
}

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
				struct log_new_decision nd = { .row = (size_t)w, .example_id = "a",
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

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_later_decision_wins_within_pass);
	tcase_add_test(tc, test_undo_reverts_its_target);
	tcase_add_test(tc, test_expert_wins_regardless_of_order);
	tcase_add_test(tc, test_versions_seal_and_never_change);
	tcase_add_test(tc, test_sigkill_loses_no_saved_decision);
	tcase_add_test(tc, test_concurrent_writers);
	tcase_add_test(tc, test_bad_databases);
	tcase_add_test(tc, test_changed_data_refused_unless_forced);
	tcase_add_test(tc, test_read_only_and_full_disk);
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
