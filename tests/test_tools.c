/* test_tools.c — the review session's power tools headless: goto by row
 * and id (unflagged examples join the queue added by hand and can be
 * decided), search-all (flagged first), sort keys, class examples, unsure,
 * bulk decisions sharing a batch id and undone as a whole (with progress
 * past 10^4), spot-check samples recorded and reopened by a second
 * reviewer, the estimate and its Wilson interval against hand-computed
 * values, and the guidelines' sections.
 *
 * The dataset: 12 rows, classes cat, dog, bird; the default scan flags rows
 * 0 and 1 only (rank order 0, 1), so rows 2..11 are unflagged. */
#include <check.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "effective.h"
#include "guide.h"
#include "log_batch.h"
#include "review_tools.h"
#include "spotcheck.h"

static char dir[64], data_path[600], db_path[600];
static struct dataset *d;
static struct cl_scan scan;

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert(f != NULL);
	fputs(text, f);
	fclose(f);
}

static void load(void)
{
	struct dataset_opts o = { .data_path = data_path };
	struct err e;
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	ck_assert_msg(cl_scan_run(&pb, &prm, &scan, &e) == 0, "%s", e.msg);
}

static void mkdir_tmp(void)
{
	snprintf(dir, sizeof dir, "/tmp/relabel-test-tools-XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
	snprintf(data_path, sizeof data_path, "%s/data.csv", dir);
	snprintf(db_path, sizeof db_path, "%s/data.relabel.db", dir);
}

static void setup(void)
{
	char probs_path[600];
	mkdir_tmp();
	snprintf(probs_path, sizeof probs_path, "%s/probs.csv", dir);
	put(data_path, "id,label,text\n"
	    "a1,cat,A fluffy Cat\n" "b2,dog,barking loudly\n" "c3,bird,tweet tweet\n"
	    "d4,cat,purring cat on a mat\n" "e5,dog,woof\n" "f6,bird,song at dawn\n"
	    "g7,cat,Cat naps\n" "h8,dog,fetching sticks\n" "i9,bird,feathers\n"
	    "j10,cat,whiskers\n" "k11,dog,wet nose dog\n" "l12,bird,nest building\n");
	put(probs_path, "cat,dog,bird\n"
	    "0.1,0.8,0.1\n0.7,0.2,0.1\n0.1,0.6,0.3\n0.9,0.05,0.05\n0.05,0.9,0.05\n"
	    "0.05,0.05,0.9\n0.8,0.1,0.1\n0.1,0.85,0.05\n0.1,0.1,0.8\n0.95,0.03,0.02\n"
	    "0.2,0.7,0.1\n0.1,0.2,0.7\n");
	load();
	ck_assert_int_eq(scan.n_flagged, 2);
}

static void teardown(void)
{
	cl_scan_free(&scan);
	dataset_free(d);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert(system(cmd) == 0);
}

static struct logdb *open_db(void)
{
	struct logdb *l;
	struct err e;
	ck_assert_msg(log_open(&l, db_path, d, 0, &e) == 0, "%s", e.msg);
	int64_t id;
	ck_assert(log_latest_scan(l, &id, &e) == 0);
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	if (!id)
		ck_assert_msg(log_record_scan(l, &prm, &scan, d->labels, 0, &id, &e) == 0, "%s", e.msg);
	return l;
}

static struct review *open_session(struct logdb *l, const char *who, int expert)
{
	struct review *r;
	struct err e;
	ck_assert_msg(review_open(&r, d, &scan, l, who, expert, &e) == 0, "%s", e.msg);
	return r;
}

/* The queue as row numbers separated by spaces. */
static const char *queue_str(const struct review *r)
{
	static char buf[512];
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->qlen && o < sizeof buf - 8; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%zu", i ? " " : "", r->queue[i]);
	return buf;
}

static struct log_decision *all_decisions(struct logdb *l, size_t *n)
{
	struct log_decision *dec;
	struct err e;
	ck_assert_msg(log_list(l, 0, &dec, n, &e) == 0, "%s", e.msg);
	return dec;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The session's decisions (bulk takes its own without reading them back)
 * are the log's, field by field. */
static void session_matches_log(struct review *r, struct logdb *l)
{
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_uint_eq(r->ndec, n);
	for (size_t i = 0; i < n; i++) {
		const struct log_decision *a = &r->dec[i], *b = &dec[i];
		ck_assert_int_eq(a->id, b->id);
		ck_assert_str_eq(a->uuid, b->uuid);
		ck_assert_uint_eq(a->row, b->row);
		ck_assert(same_str(a->example_id, b->example_id));
		ck_assert_int_eq(a->action, b->action);
		ck_assert(same_str(a->label, b->label));
		ck_assert_str_eq(a->reviewer, b->reviewer);
		ck_assert_int_eq(a->expert, b->expert);
		ck_assert_int_eq(a->pass, b->pass);
		ck_assert_str_eq(a->time, b->time);
		ck_assert(same_str(a->note, b->note));
		ck_assert_int_eq(a->scan_id, b->scan_id);
		ck_assert_int_eq(a->undoes, b->undoes);
		ck_assert_int_eq(a->version, b->version);
		ck_assert(same_str(a->batch, b->batch));
		ck_assert_str_eq(a->hash, b->hash);
	}
	log_decisions_free(dec, n);
}

/* The queue search (`/`) against a naive scan of the queue: the rows the
 * scan did not rank (here added by hand, in the order added) are searched
 * through their own index entries, with the same results, forwards and
 * backwards from every cursor, also once those entries were made while
 * idle. */
static int naive_hit(const struct review *r, size_t row, const char *needle)
{
	char idbuf[32], low[256];
	const char *cells[2] = { dataset_id(d, row, idbuf), dataset_cell(d, row, 2) };
	for (int c = 0; c < 2; c++) {
		size_t i = 0;
		for (; cells[c][i] && i < sizeof low - 1; i++)
			low[i] = (char)tolower((unsigned char)cells[c][i]);
		low[i] = '\0';
		if (strstr(low, needle))
			return 1;
	}
	return 0;
}

static long naive_find(const struct review *r, const char *needle, int way)
{
	for (size_t k = 1; k <= r->qlen; k++) {
		size_t q = way >= 0 ? (r->cursor + k) % r->qlen : (r->cursor + r->qlen - k) % r->qlen;
		if (naive_hit(r, r->queue[q], needle))
			return (long)q;
	}
	return -1;
}

/* Every needle searched from every step-th queue position both ways gives
 * what the naive scan gives. */
static void search_matches_naive(struct review *r, const char *const *needles,
				 size_t nneedles, size_t step)
{
	for (size_t k = 0; k < nneedles; k++)
		for (size_t c = 0; c < r->qlen; c += step)
			for (int way = -1; way <= 1; way += 2) {
				r->cursor = c;
				long want = naive_find(r, needles[k], way);
				long got = review_search_find(r, needles[k], way);
				ck_assert_msg(got == want, "'%s' from %zu way %d: %ld, naive %ld",
					      needles[k], c, way, got, want);
			}
}

/* A test's own dataset: DATA.csv and PROBS.csv opened for writing in a
 * fresh directory, their headers written. */
static void fresh_files(FILE **f, FILE **g, const char *data_header,
			const char *probs_header)
{
	teardown();
	mkdir_tmp();
	char probs_path[600];
	snprintf(probs_path, sizeof probs_path, "%s/probs.csv", dir);
	*f = fopen(data_path, "w");
	*g = fopen(probs_path, "w");
	ck_assert(*f && *g);
	fputs(data_header, *f);
	fputs(probs_header, *g);
}

START_TEST(test_queue_search_matches_naive_scan)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	static const char *const add[] = { "id k11", "id d4", "id i9", "id b2", "id g7", "id c3" };
	for (size_t i = 0; i < sizeof add / sizeof *add; i++)
		ck_assert_int_eq(review_goto(r, add[i]), 0);
	ck_assert_uint_eq(r->qlen, 7);     /* b2 is flagged already */
	static const char *const needles[] = { "cat", "a", "dog", "tweet", "k1", "1", "zz", "t t",
					       "nose", "barking", "c3", "e" };
	for (int round = 0; round < 2; round++) {
		search_matches_naive(r, needles, sizeof needles / sizeof *needles, 1);
		review_search_free(r);        /* again with the entries made while idle */
		while (review_search_prepare(r, 3))
			;
	}
	review_free(r);
	log_close(l);
}
END_TEST

/* The same with more unranked rows than are checked one by one (the rest
 * through one pass over their entries): 3,000 rows, 1,200 added by hand. */
START_TEST(test_queue_search_many_unranked_rows)
{
	FILE *f, *g;
	fresh_files(&f, &g, "id,label,text\n", "a,b\n");
	static const char *const words[] = { "Oak", "ash", "elm", "yew", "fir", "Pine", "rare" };
	for (int i = 0; i < 3000; i++) {
		fprintf(f, "x%d,%s,%s %s%s\n", i, i % 2 ? "a" : "b", words[i % 6], words[(i / 7) % 6],
			i == 2501 || i == 2901 || i == 1203 ? " rare" : "");
		fputs(i % 50 == 0 ? "0.95,0.05\n" : i % 2 ? "0.9,0.1\n" : "0.1,0.9\n", g);
	}
	fclose(f);
	fclose(g);
	load();
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	char spec[32];
	for (int i = 1; i < 3000 && r->qlen < 1200 + scan.n_ranked; i += 2) {
		snprintf(spec, sizeof spec, "row %d", (i * 7) % 3000);
		review_goto(r, spec);
	}
	review_goto(r, "row 2901");
	review_goto(r, "row 2501");
	review_goto(r, "row 1203");
	ck_assert_uint_gt(r->qlen - scan.n_ranked, 1000);
	static const char *const needles[] = { "rare", "x29", "oak elm", "pine", "zz", "x2501", "y", "x12" };
	search_matches_naive(r, needles, sizeof needles / sizeof *needles, 97);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_wilson_hand_computed)
{
	/* z = 1.959963984540054, z^2 = 3.841458820694124.
	 * 0 of 10: [0, z^2/(n+z^2)] = [0, 3.841459/13.841459] = [0, 0.277533].
	 * 5 of 10: centre 0.5, half = z/(1+z^2/10) * sqrt(0.025 + z^2/400)
	 *          = 1.415999 * 0.186020 = 0.263407: [0.236593, 0.763407].
	 * 1 of 20: centre (0.05 + 0.096036)/1.192073 = 0.122507, half
	 *          = 1.644170 * 0.068207 = 0.113625: [0.008881, 0.236131].
	 * 3 of 200: [0.005114, 0.043166]. 10 of 10 mirrors 0 of 10. */
	static const struct { size_t k, n; double lo, hi; } t[] = {
		{ 0, 10, 0.0, 0.277533 }, { 5, 10, 0.236593, 0.763407 },
		{ 1, 20, 0.008881, 0.236131 }, { 3, 200, 0.005114, 0.043166 },
		{ 10, 10, 0.722467, 1.0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		double lo, hi;
		spot_wilson(t[i].k, t[i].n, &lo, &hi);
		ck_assert_msg(fabs(lo - t[i].lo) < 1e-6 && fabs(hi - t[i].hi) < 1e-6,
			      "%zu of %zu: %.6f-%.6f", t[i].k, t[i].n, lo, hi);
	}
	double lo, hi;
	spot_wilson(0, 0, &lo, &hi);
	ck_assert(lo == 0 && hi == 1);
	/* The estimate and its line. */
	enum spot_outcome o[] = { SPOT_CHANGED, SPOT_SAME, SPOT_SAME, SPOT_SAME, SPOT_SAME,
				  SPOT_CHANGED, SPOT_CHANGED, SPOT_SAME, SPOT_CHANGED, SPOT_CHANGED,
				  SPOT_UNSURE, SPOT_OPEN };
	struct spot_estimate est;
	spot_estimate(o, 12, 1000, &est);
	ck_assert_int_eq(est.decided, 10);
	ck_assert_int_eq(est.mislabelled, 5);
	ck_assert_int_eq(est.unsure, 1);
	ck_assert(fabs(est.examples - 500) < 1e-9);
	char line[300];
	spot_line(&est, line, sizeof line);
	ck_assert_str_eq(line, "spot check: 5 of 10 unflagged examples were mislabelled → about "
			 "50.0% (95% Wilson interval 23.7–76.3%) of the 1000 unflagged, ≈ 500 examples");
}
END_TEST

START_TEST(test_spot_sample_is_seeded)
{
	unsigned char flagged[100] = { 0 };
	for (int i = 0; i < 100; i += 3)
		flagged[i] = 1;      /* 34 flagged, 66 unflagged */
	size_t a[80], b[80], c[80];
	ck_assert_int_eq(spot_sample(flagged, 100, 42, 20, a), 20);
	ck_assert_int_eq(spot_sample(flagged, 100, 42, 20, b), 20);
	ck_assert_int_eq(spot_sample(flagged, 100, 43, 20, c), 20);
	ck_assert(!memcmp(a, b, sizeof *a * 20));
	ck_assert(memcmp(a, c, sizeof *a * 20));
	for (int i = 0; i < 20; i++) {
		ck_assert(!flagged[a[i]]);
		for (int j = 0; j < i; j++)
			ck_assert(a[i] != a[j]);
	}
	/* More than there are: every unflagged row, once. */
	ck_assert_int_eq(spot_sample(flagged, 100, 7, 80, a), 66);
	/* The generator is fixed (splitmix64), not the C library's: the
	 * first draws for seed 1 stay the same everywhere. */
	unsigned char none[10] = { 0 };
	ck_assert_int_eq(spot_sample(none, 10, 1, 3, a), 3);
	size_t again[3];
	spot_sample(none, 10, 1, 3, again);
	ck_assert(!memcmp(a, again, sizeof again));
}
END_TEST

START_TEST(test_goto_row_and_id)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	ck_assert_str_eq(queue_str(r), "0 1");
	ck_assert_int_eq(review_goto(r, "b2"), 0);          /* a flagged id */
	ck_assert_int_eq(review_row(r), 1);
	ck_assert_int_eq(review_goto(r, "e5"), 0);          /* unflagged: added by hand */
	ck_assert_int_eq(review_row(r), 4);
	ck_assert_str_eq(queue_str(r), "0 1 4");
	ck_assert_str_eq(review_tools_mark(r, 4), "added by hand");
	ck_assert(strstr(r->message, "added by hand"));
	ck_assert_int_eq(review_goto(r, "row 9"), 0);       /* by row number */
	ck_assert_int_eq(review_row(r), 9);
	ck_assert_int_eq(review_goto(r, "3"), 0);           /* no such id: a row */
	ck_assert_str_eq(queue_str(r), "0 1 4 9 3");
	ck_assert_int_eq(review_goto(r, "zebra"), -1);
	ck_assert(r->message_error && strstr(r->message, "no example with id"));
	ck_assert_int_eq(review_goto(r, "row 12"), -1);
	ck_assert(strstr(r->message, "rows are 0 to 11"));
	ck_assert_int_eq(review_row(r), 3);                 /* cursor stays */
	/* Decided like any other, and still listed when the session reopens. */
	ck_assert_int_eq(review_goto(r, "e5"), 0);
	ck_assert_int_eq(review_decide(r, LOG_RELABEL, "cat"), 0);
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(dec[0].row, 4);
	ck_assert_str_eq(dec[0].label, "cat");
	log_decisions_free(dec, n);
	review_free(r);
	r = open_session(l, "alice", 0);
	ck_assert_str_eq(queue_str(r), "0 1 4");
	/* A filter that hides the example is cleared to show it. */
	ck_assert_int_eq(review_filter(r, "given cat"), 0);
	ck_assert_int_eq(review_goto(r, "h8"), 0);
	ck_assert_int_eq(review_row(r), 7);
	ck_assert_int_eq(r->filter.given, -1);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_search_all_flagged_first)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	/* "cat" is in the text of rows 0, 3, 6 and "dog" in 10: flagged 0 first. */
	ck_assert_int_eq(review_search_all(r, "CAT"), 3);
	ck_assert_str_eq(queue_str(r), "0 3 6");
	ck_assert_int_eq(review_row(r), 0);
	char buf[200];
	review_filter_text(r, buf, sizeof buf);
	ck_assert_str_eq(buf, "search-all=\"CAT\"");
	ck_assert_int_eq(review_search_all(r, "b"), 2);   /* b2 (id, flagged), "nest building" */
	ck_assert_str_eq(queue_str(r), "1 11");
	ck_assert_int_eq(review_search_all(r, "zebra"), -1);
	ck_assert_str_eq(queue_str(r), "1 11");             /* the results stay */
	/* Filters narrow the results; decisions work there. */
	ck_assert_int_eq(review_search_all(r, "o"), 5);    /* 1 (flagged), 3 4 5 10 */
	ck_assert_int_eq(review_filter(r, "given dog"), 0);
	ck_assert_str_eq(queue_str(r), "1 4 10");
	ck_assert_int_eq(review_decide(r, LOG_REJECT, NULL), 0);
	ck_assert_int_eq(review_row(r), 4);
	review_tools_back(r);
	review_filter(r, "clear");
	ck_assert_str_eq(queue_str(r), "0 1");
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_sort_keys)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	review_search_all(r, "t");       /* flagged 0, then rows 2 3 5 6 7 8 10 11 */
	ck_assert_str_eq(queue_str(r), "0 2 3 5 6 7 8 10 11");
	ck_assert_int_eq(review_sort(r, "given"), 0);     /* bird, cat, dog; then rank */
	ck_assert_str_eq(queue_str(r), "2 5 8 11 0 3 6 7 10");
	ck_assert_int_eq(review_sort(r, "suggested"), 0); /* bird: 5 8 11, cat: 3 6, dog: 0 2 7 10 */
	ck_assert_str_eq(queue_str(r), "5 8 11 3 6 0 2 7 10");
	ck_assert_int_eq(review_sort(r, "confidence"), 0);
	/* p(suggested): 3 .9, 5 .9, 7 .85, 0 6 8 .8, 10 11 .7, 2 .6 */
	ck_assert_str_eq(queue_str(r), "3 5 7 0 6 8 10 11 2");
	ck_assert_int_eq(review_sort(r, "score"), 0);     /* self-confidence ascending */
	ck_assert_str_eq(queue_str(r), "0 2 10 11 6 8 7 3 5");
	ck_assert_int_eq(review_sort(r, "rank"), 0);
	ck_assert_str_eq(queue_str(r), "0 2 3 5 6 7 8 10 11");
	/* The index built while idle gives the same matches. */
	while (review_tools_idle(r))
		;
	ck_assert_int_eq(review_search_all(r, "t"), 9);
	/* A subset of the sorted queue keeps the order (the cached order). */
	ck_assert_int_eq(review_sort(r, "confidence"), 0);
	ck_assert_int_eq(review_filter(r, "given cat"), 0);
	ck_assert_str_eq(queue_str(r), "3 0 6");
	review_top(r);
	ck_assert_int_eq(review_decide(r, LOG_REJECT, NULL), 0);
	ck_assert_int_eq(review_filter(r, "state undecided"), 0);
	ck_assert_str_eq(queue_str(r), "0 6");
	review_filter(r, "clear");
	ck_assert_int_eq(review_sort(r, "colour"), -1);
	ck_assert(r->message_error);
	/* The flagged queue sorts too, and the sort survives decisions. */
	review_tools_back(r);
	review_sort(r, "given");
	ck_assert_str_eq(queue_str(r), "0 1");
	review_goto(r, "c3");
	ck_assert_str_eq(queue_str(r), "2 0 1");
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_class_examples)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	size_t rows[8];
	/* cat: rows 0 (flagged, left out), 3 (.9), 6 (.8), 9 (.95) */
	ck_assert_int_eq(review_class_examples(r, dataset_class_index(d, "cat"), rows, 8), 3);
	ck_assert_int_eq(rows[0], 9);
	ck_assert_int_eq(rows[1], 3);
	ck_assert_int_eq(rows[2], 6);
	ck_assert_int_eq(review_class_examples(r, dataset_class_index(d, "dog"), rows, 2), 2);
	ck_assert_int_eq(rows[0], 4);    /* .9, then 7 (.85); 1 is flagged */
	ck_assert_int_eq(rows[1], 7);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_unsure)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	ck_assert_int_eq(review_unsure(r), 0);          /* row 0 */
	ck_assert_int_eq(review_state_of(r, 0), RS_UNSURE);
	ck_assert_str_eq(review_state_name(RS_UNSURE), "unsure");
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(dec[0].action, LOG_UNSURE);
	int32_t w[12];
	effective_winners(dec, n, INT64_MAX, d->n, w);
	ck_assert_str_eq(effective_label(dec, w[0], "cat"), "cat");   /* stays as given */
	log_decisions_free(dec, n);
	ck_assert_int_eq(review_filter(r, "state unsure"), 0);
	ck_assert_str_eq(queue_str(r), "0");
	review_free(r);
	/* The expert's queue has it, marked unsure. */
	struct review *x = open_session(l, "boss", 1);
	ck_assert_str_eq(queue_str(x), "0");
	ck_assert_int_eq(x->dec[x->win1[0]].action, LOG_UNSURE);
	review_free(x);
	log_close(l);
}
END_TEST

static size_t progress_calls, progress_last;
static void count_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	ck_assert(done > progress_last && done <= total);
	progress_calls++;
	progress_last = done;
}

START_TEST(test_bulk_batch_and_undo)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	review_search_all(r, "o");              /* 1 3 4 5 10 */
	ck_assert_int_eq(review_filter(r, "given dog"), 0);
	ck_assert_str_eq(queue_str(r), "1 4 10");
	review_goto(r, "k11");
	ck_assert_int_eq(review_decide(r, LOG_REJECT, NULL), 0);   /* row 10 decided */
	review_search_all(r, "o");
	review_filter(r, "given dog");
	ck_assert_int_eq(review_bulk_count(r), 2);
	ck_assert_int_eq(review_bulk(r, LOG_ACCEPT), 2);
	ck_assert_int_eq(review_bulk_count(r), 0);
	ck_assert_int_eq(review_bulk(r, LOG_ACCEPT), -1);          /* nothing left */
	session_matches_log(r, l);
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_int_eq(n, 3);
	ck_assert(dec[0].batch == NULL);
	ck_assert(dec[1].batch && dec[2].batch && !strcmp(dec[1].batch, dec[2].batch));
	ck_assert_int_eq(dec[1].row, 1);
	ck_assert_str_eq(dec[1].label, "cat");      /* the suggestion */
	ck_assert_int_eq(dec[2].row, 4);
	ck_assert_str_eq(dec[2].label, "dog");
	log_decisions_free(dec, n);
	size_t nrec;
	struct err e;
	ck_assert_msg(log_verify(l, &nrec, &e) == 0, "%s", e.msg);   /* chained like any */
	/* undo right after: the whole batch, and only it */
	ck_assert_int_eq(review_tools_undo(r), 0);
	ck_assert(strstr(r->message, "2 decisions"));
	ck_assert_int_eq(review_state_of(r, 1), RS_UNDECIDED);
	ck_assert_int_eq(review_state_of(r, 4), RS_UNDECIDED);
	ck_assert_int_eq(review_state_of(r, 10), RS_REJECTED);
	session_matches_log(r, l);
	/* the next undo is the single decision before it */
	ck_assert_int_eq(review_tools_undo(r), 0);
	ck_assert_int_eq(review_state_of(r, 10), RS_UNDECIDED);
	ck_assert_int_eq(review_tools_undo(r), -1);
	ck_assert_msg(log_verify(l, &nrec, &e) == 0, "%s", e.msg);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_bulk_progress_past_10000)
{
	/* 80,000 rows, a quarter of them flagged: a batch of more than one
	 * segment of records hashed on their own thread (16,384) */
	FILE *f, *g;
	fresh_files(&f, &g, "label\n", "a,b\n");
	for (int i = 0; i < 80000; i++) {
		fputs(i % 2 ? "a\n" : "b\n", f);
		fputs(i % 4 == 0 ? "0.95,0.05\n" : i % 2 ? "0.9,0.1\n" : "0.1,0.9\n", g);
	}
	fclose(f);
	fclose(g);
	load();
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	ck_assert_uint_gt(r->qlen, 10000);
	struct review_tools *t = review_tools(r);
	t->progress = count_progress;
	progress_calls = progress_last = 0;
	long m = review_bulk(r, LOG_EXCLUDE);
	ck_assert_int_eq(m, (long)r->qlen);
	ck_assert_uint_ge(progress_calls, 5);
	ck_assert_int_eq(progress_last, (size_t)m);
	ck_assert_int_eq(review_bulk_count(r), 0);
	ck_assert_uint_gt((size_t)m, 16384);
	session_matches_log(r, l);      /* the hashes and UUIDs as recorded */
	progress_calls = progress_last = 0;     /* the undo of the batch reports too */
	ck_assert_int_eq(review_tools_undo(r), 0);
	ck_assert_uint_ge(progress_calls, 5);
	ck_assert_int_eq(review_bulk_count(r), (size_t)m);
	session_matches_log(r, l);
	size_t records;
	struct err e = { 0 };
	ck_assert_msg(log_verify(l, &records, &e) == 0, "%s", e.msg);   /* the chain holds */
	ck_assert_uint_ge(records, 2 * (size_t)m);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_spot_check_queue_and_estimate)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	struct spot_estimate est;
	ck_assert_int_eq(review_spot_estimate(r, &est), 0);
	ck_assert_int_eq(review_spot_check(r, ""), -1);        /* nothing to reopen */
	ck_assert_int_eq(review_spot_check(r, "0"), -1);
	ck_assert_int_eq(review_spot_check(r, "4 123"), 0);
	ck_assert_int_eq(r->qlen, 4);
	char first[512];
	snprintf(first, sizeof first, "%s", queue_str(r));
	size_t expect[4];
	spot_sample(scan.flagged, d->n, 123, 4, expect);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(r->queue[i], expect[i]);
		ck_assert(!scan.flagged[r->queue[i]]);
		ck_assert_str_eq(review_tools_mark(r, r->queue[i]), "spot check");
	}
	/* Decide three: one mislabelled, one fine, one unsure. */
	ck_assert_int_eq(review_decide(r, LOG_RELABEL,
				       d->class_names[(d->labels[r->queue[0]] + 1) % 3]), 0);
	ck_assert_int_eq(review_decide(r, LOG_REJECT, NULL), 0);
	ck_assert_int_eq(review_unsure(r), 0);
	ck_assert_int_eq(review_spot_estimate(r, &est), 1);
	ck_assert_int_eq(est.sampled, 4);
	ck_assert_int_eq(est.decided, 2);
	ck_assert_int_eq(est.mislabelled, 1);
	ck_assert_int_eq(est.unsure, 1);
	ck_assert_int_eq(est.unflagged, 10);
	ck_assert(fabs(est.examples - 5) < 1e-9);
	review_free(r);
	/* A second reviewer asking for 4 gets the same sample, from the log. */
	struct review *b = open_session(l, "bob", 0);
	ck_assert_int_eq(review_spot_check(b, "4"), 0);
	ck_assert_str_eq(queue_str(b), first);
	ck_assert(strstr(b->message, "seed 123"));
	ck_assert(strstr(b->message, "by alice"));
	ck_assert_int_eq(review_spot_check(b, "4 new"), 0);    /* a new sample on request */
	size_t nsc;
	struct log_spot_check *sc;
	struct err e;
	ck_assert(log_spot_checks(l, &sc, &nsc, &e) == 0);
	ck_assert_int_eq(nsc, 2);
	ck_assert_int_eq(sc[0].seed, 123);
	ck_assert_int_eq(sc[0].n, 4);
	ck_assert_str_eq(sc[0].reviewer, "alice");
	ck_assert_str_eq(sc[1].reviewer, "bob");
	log_spot_checks_free(sc, nsc);
	/* The flagged queue does not list spot-check decisions as added by hand. */
	review_tools_back(b);
	ck_assert_str_eq(queue_str(b), "0 1");
	review_free(b);
	log_close(l);
}
END_TEST

START_TEST(test_guidelines)
{
	char path[700];
	snprintf(path, sizeof path, "%s/guide.md", dir);
	put(path, "# Labelling guide\nIntro.\n\n## Cat\nWhiskers.\n### Cat vs dog\nEars.\n"
	    "## Dogs\nNot the class dog (plural).\n## The `dog` class\nBarks.\n"
	    "```\n# cat in a code block\n```\nBird\n----\nFeathers.\n");
	struct guide *g;
	struct err e;
	ck_assert_msg(guide_load(&g, path, &e) == 0, "%s", e.msg);
	size_t s[8];
	ck_assert_int_eq(guide_sections_for(g, "cat", s, 8), 1);   /* Cat (with Cat vs dog) */
	ck_assert_str_eq(g->sec[s[0]].heading, "Cat");
	ck_assert_int_eq(g->sec[s[0]].end - g->sec[s[0]].first, 4);
	ck_assert_int_eq(guide_sections_for(g, "dog", s, 8), 2);   /* Cat vs dog, The `dog` class */
	ck_assert_str_eq(g->sec[s[0]].heading, "Cat vs dog");
	ck_assert_str_eq(g->sec[s[1]].heading, "The `dog` class");
	ck_assert_int_eq(guide_sections_for(g, "bird", s, 8), 1);  /* setext heading */
	ck_assert_str_eq(g->lines[g->sec[s[0]].first + 2], "Feathers.");
	ck_assert_int_eq(guide_sections_for(g, "horse", s, 8), 0);
	ck_assert(guide_names("Two vs. Five", "five"));
	ck_assert(!guide_names("Twofold", "two"));
	ck_assert(guide_names("class 7 (seven)", "7"));
	guide_free(g);
	/* Clear errors at start. */
	char bad[700];
	snprintf(bad, sizeof bad, "%s/missing.md", dir);
	ck_assert_int_eq(guide_load(&g, bad, &e), -1);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert(strstr(e.msg, "missing.md: cannot read the guidelines"));
	FILE *f = fopen(path, "wb");
	fwrite("# ok\nab\0c\n", 1, 10, f);
	fclose(f);
	ck_assert_int_eq(guide_load(&g, path, &e), -1);
	ck_assert_msg(strstr(e.msg, "guide.md:2:3: NUL byte"), "%s", e.msg);
	put(path, "# caf\xc3\n");
	ck_assert_int_eq(guide_load(&g, path, &e), -1);
	ck_assert_msg(strstr(e.msg, "guide.md:1:6: invalid UTF-8"), "%s", e.msg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tools");
	TCase *tc = tcase_create("tools");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_wilson_hand_computed);
	tcase_add_test(tc, test_spot_sample_is_seeded);
	tcase_add_test(tc, test_goto_row_and_id);
	tcase_add_test(tc, test_search_all_flagged_first);
	tcase_add_test(tc, test_sort_keys);
	tcase_add_test(tc, test_class_examples);
	tcase_add_test(tc, test_unsure);
	tcase_add_test(tc, test_queue_search_matches_naive_scan);
	tcase_add_test(tc, test_queue_search_many_unranked_rows);
	tcase_add_test(tc, test_bulk_batch_and_undo);
	tcase_add_test(tc, test_bulk_progress_past_10000);
	tcase_add_test(tc, test_spot_check_queue_and_estimate);
	tcase_add_test(tc, test_guidelines);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
