/* test_review.c — the review session headless: queue order and moves,
 * filters, search, decisions reaching the log, undo, resume, two sessions on
 * one database (other reviewers' rows kept and marked, state others/mine),
 * second review (confirm as its own action, override, blind, disagreements
 * and their queue, the expert's progress, the role kept across passes),
 * notes as records of their own, agreement between passes on hand-computed
 * examples, and a failed write keeping the decision pending. Each test builds a six-row dataset in a temp dir and scans it
 * with every row ranked, so the queue order is the self-confidence order. */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log_batch.h"
#include "review.h"

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

/* Self-confidence (p[given]) orders the rows 0..5; suggested = argmax. */
static void setup(void)
{
	char probs_path[600];
	snprintf(dir, sizeof dir, "/tmp/relabel-test-review-XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
	snprintf(data_path, sizeof data_path, "%s/data.csv", dir);
	snprintf(probs_path, sizeof probs_path, "%s/probs.csv", dir);
	snprintf(db_path, sizeof db_path, "%s/data.relabel.db", dir);
	put(data_path, "id,label,text\n"
	    "a1,cat,A fluffy Cat\n"        /* 0: suggested dog  */
	    "b2,dog,barking loudly\n"      /* 1: suggested cat  */
	    "c3,bird,tweet\n"              /* 2: suggested dog  */
	    "d4,cat,CATS everywhere\n"     /* 3: suggested cat  */
	    "e5,dog,woof\n"                /* 4: suggested dog  */
	    "f6,bird,song\n");             /* 5: suggested bird */
	put(probs_path, "cat,dog,bird\n"
	    "0.2,0.7,0.1\n0.6,0.3,0.1\n0.1,0.5,0.4\n"
	    "0.5,0.4,0.1\n0.1,0.8,0.1\n0.05,0.05,0.9\n");
	struct dataset_opts o = { .data_path = data_path };
	struct err e;
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 1, 0 };
	ck_assert_msg(cl_scan_run(&pb, &prm, &scan, &e) == 0, "%s", e.msg);
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
	return l;
}

static struct review *open_session(struct logdb *l, const char *who, int expert)
{
	struct review *r;
	struct err e;
	ck_assert_msg(review_open(&r, d, &scan, l, who, expert, &e) == 0, "%s", e.msg);
	return r;
}

/* The queue as a string of row digits, e.g. "012345". */
static const char *queue_str(const struct review *r)
{
	static char buf[64];
	size_t i;
	for (i = 0; i < r->qlen && i < sizeof buf - 1; i++)
		buf[i] = (char)('0' + r->queue[i]);
	buf[i] = '\0';
	return buf;
}

static struct log_decision *all_decisions(struct logdb *l, size_t *n)
{
	struct log_decision *dec;
	struct err e;
	ck_assert_msg(log_list(l, 0, &dec, n, &e) == 0, "%s", e.msg);
	return dec;
}

START_TEST(test_queue_order_and_moves)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	ck_assert_str_eq(queue_str(r), "012345");
	ck_assert_int_eq(review_row(r), 0);
	review_move(r, 2);
	ck_assert_int_eq(review_row(r), 2);
	review_move(r, 100);
	ck_assert_int_eq(review_row(r), 5);
	review_move(r, -100);
	ck_assert_int_eq(review_row(r), 0);
	review_bottom(r);
	ck_assert_int_eq(review_row(r), 5);
	review_top(r);
	ck_assert_int_eq(review_row(r), 0);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_filters_combine_and_clear)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	ck_assert_int_eq(review_filter(r, "given cat"), 0);
	ck_assert_str_eq(queue_str(r), "03");
	ck_assert_int_eq(review_filter(r, "suggested dog"), 0);   /* and given cat */
	ck_assert_str_eq(queue_str(r), "0");
	char buf[128];
	review_filter_text(r, buf, sizeof buf);
	ck_assert_str_eq(buf, "given=cat suggested=dog");
	ck_assert_int_eq(review_filter(r, "clear"), 0);
	ck_assert_str_eq(queue_str(r), "012345");
	ck_assert_int_eq(review_filter(r, "pair bird dog"), 0);
	ck_assert_str_eq(queue_str(r), "2");
	review_filter_pair(r, 1, 0);      /* a cell of the confident joint */
	ck_assert_str_eq(queue_str(r), "1");
	review_filter(r, "clear");
	/* decision states */
	ck_assert_int_eq(review_decide(r, LOG_ACCEPT, NULL), 0);        /* row 0 */
	ck_assert_int_eq(review_decide(r, LOG_RELABEL, "bird"), 0);     /* row 1 */
	ck_assert_int_eq(review_decide(r, LOG_REJECT, NULL), 0);        /* row 2 */
	ck_assert_int_eq(review_decide(r, LOG_EXCLUDE, NULL), 0);       /* row 3 */
	const char *want[][2] = {
		{ "accepted", "0" }, { "relabelled", "1" }, { "rejected", "2" },
		{ "excluded", "3" }, { "decided", "0123" }, { "undecided", "45" },
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		char spec[64];
		snprintf(spec, sizeof spec, "state %s", want[i][0]);
		ck_assert_int_eq(review_filter(r, spec), 0);
		ck_assert_msg(!strcmp(queue_str(r), want[i][1]), "%s: %s", spec, queue_str(r));
	}
	/* state and class combine */
	ck_assert_int_eq(review_filter(r, "given cat"), 0);
	ck_assert_str_eq(queue_str(r), "");
	ck_assert_int_eq(review_row(r), -1);
	ck_assert_int_eq(review_decide(r, LOG_ACCEPT, NULL), -1);  /* empty queue */
	/* bad specs are refused and leave the filter as it was */
	ck_assert_int_eq(review_filter(r, "given horse"), -1);
	ck_assert_int_eq(review_filter(r, "state maybe"), -1);
	ck_assert_int_eq(review_filter(r, "colour red"), -1);
	ck_assert_int_eq(review_filter(r, "pair cat"), -1);
	ck_assert(r->message_error);
	ck_assert_str_eq(queue_str(r), "");
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_search_ids_and_text)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	ck_assert_int_eq(review_search(r, "cat", 1), 0);   /* from the next row on */
	ck_assert_int_eq(review_row(r), 3);               /* "CATS everywhere" */
	ck_assert_int_eq(review_search(r, NULL, 1), 0);    /* next match wraps */
	ck_assert_int_eq(review_row(r), 0);               /* "A fluffy Cat" */
	ck_assert_int_eq(review_search(r, NULL, -1), 0);   /* previous match */
	ck_assert_int_eq(review_row(r), 3);
	ck_assert_int_eq(review_search(r, "E5", 1), 0);    /* ids, any case */
	ck_assert_int_eq(review_row(r), 4);
	ck_assert_int_eq(review_search(r, "zebra", 1), -1);
	ck_assert_int_eq(review_row(r), 4);               /* cursor stays */
	/* search stays inside the filtered queue */
	review_filter(r, "given dog");
	ck_assert_int_eq(review_search(r, "cat", 1), -1);
	review_free(r);
	log_close(l);
}
END_TEST

/* The indexed search finds what a pass over the queue finds, from every
 * cursor, both ways, under filters, also in an expert queue holding rows
 * the scan did not rank. */
static long naive_search(const struct review *r, const char *needle, int way)
{
	for (size_t k = 1; k <= r->qlen; k++) {
		size_t i = (r->cursor + r->qlen + (way < 0 ? r->qlen - k : k)) % r->qlen;
		size_t row = r->queue[i];
		char idbuf[32], hay[2][200];
		const char *cells[2] = { dataset_id(d, row, idbuf), dataset_cell(d, row, 2) };
		for (int c = 0; c < 2; c++) {
			size_t j = 0;
			for (; cells[c][j] && j < sizeof hay[c] - 1; j++)
				hay[c][j] = (char)(cells[c][j] >= 'A' && cells[c][j] <= 'Z' ?
						   cells[c][j] | 0x20 : cells[c][j]);
			hay[c][j] = '\0';
			if (strstr(hay[c], needle))
				return (long)i;
		}
	}
	return -1;
}

START_TEST(test_search_index_matches_a_pass)
{
	struct logdb *l = open_db();
	struct review *a = open_session(l, "ann", 0);
	a->cursor = 1;
	ck_assert_int_eq(review_decide(a, LOG_ACCEPT, NULL), 0);
	a->cursor = 4;
	ck_assert_int_eq(review_decide(a, LOG_EXCLUDE, NULL), 0);
	/* an expert on a scan that ranks only the flagged rows: the decided
	 * rows it did not rank come after, by row */
	struct cl_scan flagged_only;
	struct err e;
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	ck_assert_msg(cl_scan_run(&pb, &prm, &flagged_only, &e) == 0, "%s", e.msg);
	struct review *x;
	ck_assert_msg(review_open(&x, d, &flagged_only, l, "exp", 1, &e) == 0, "%s", e.msg);
	ck_assert_uint_gt(x->qlen, 1);
	ck_assert_int_lt(x->rank[x->queue[x->qlen - 1]], 0);   /* decided, not ranked */
	ck_assert_int_ge(x->rank[x->queue[0]], 0);
	const char *needles[] = { "a", "c", "e5", "o", "t", "zz", "cat", "1", "s" };
	const char *filters[] = { "clear", "given dog", "state undecided", "suggested dog" };
	struct review *sess[2] = { a, x };
	int checked = 0;
	for (int v = 0; v < 2; v++)
		for (size_t f = 0; f < 2 * sizeof filters / sizeof *filters; f++) {
			review_filter(sess[v], filters[f / 2]);
			review_search_free(sess[v]);
			if (f % 2) {
				/* built on its own thread (as the screen opens); one let
				 * go while it may still run, then another */
				review_search_start(sess[v]);
				review_search_free(sess[v]);
				review_search_start(sess[v]);
				review_search_prepare(sess[v], 2);   /* 0 while it runs */
			} else {
				/* an index built part way (as while the screen waits) */
				ck_assert_int_eq(review_search_prepare(sess[v], 2), 1);
			}
			for (size_t c = 0; c < sess[v]->qlen; c++)
				for (size_t k = 0; k < sizeof needles / sizeof *needles; k++)
					for (int way = -1; way <= 1; way += 2) {
						sess[v]->cursor = c;
						ck_assert_int_eq(review_search_find(sess[v], needles[k], way),
								 naive_search(sess[v], needles[k], way));
						checked++;
					}
		}
	ck_assert_int_gt(checked, 100);
	review_filter(a, "clear");
	ck_assert_int_eq(review_search_find(a, "zz", 1), -1);
	ck_assert_int_eq(review_search_prepare(a, 2), 0);     /* a search completed it */
	ck_assert_uint_gt(x->qlen, 0);
	review_free(x);
	cl_scan_free(&flagged_only);
	review_free(a);
	log_close(l);
}
END_TEST

START_TEST(test_decision_reaches_log_before_moving)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	ck_assert_int_eq(review_set_note(r, "looks like a dog"), 0);   /* saved at once */
	ck_assert_int_eq(review_row(r), 0);               /* a note does not move */
	ck_assert_int_eq(review_decide(r, LOG_ACCEPT, NULL), 0);
	ck_assert_int_eq(review_row(r), 1);
	ck_assert_int_eq(review_skip(r), 0);              /* records nothing */
	ck_assert_int_eq(review_row(r), 2);
	ck_assert_int_eq(review_decide(r, LOG_RELABEL, "cat"), 0);
	ck_assert_int_eq(review_decide(r, LOG_RELABEL, "horse"), -1);
	ck_assert_int_eq(review_row(r), 3);
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(dec[0].row, 0);
	ck_assert_int_eq(dec[0].action, LOG_ACCEPT);
	ck_assert_str_eq(dec[0].label, "dog");
	ck_assert_str_eq(dec[0].reviewer, "alice");
	ck_assert_str_eq(dec[0].example_id, "a1");
	ck_assert_int_eq(dec[0].pass, 1);
	ck_assert_ptr_null(dec[0].note);                 /* the note is its own record */
	ck_assert_uint_eq(dec[1].row, 2);
	ck_assert_int_eq(dec[1].action, LOG_RELABEL);
	ck_assert_str_eq(dec[1].label, "cat");
	int64_t accept_id = dec[0].id;
	log_decisions_free(dec, n);
	/* a note on an example decided already, without deciding again */
	review_top(r);
	ck_assert_int_eq(review_set_note(r, "on second thought, a cat"), 0);
	ck_assert_int_eq(review_set_note(r, ""), -1);    /* nothing recorded */
	struct log_note *notes;
	size_t nn;
	struct err e;
	ck_assert_msg(log_notes(l, 0, &notes, &nn, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(nn, 2);
	ck_assert_uint_eq(notes[0].row, 0);
	ck_assert_str_eq(notes[0].text, "looks like a dog");
	ck_assert_int_eq(notes[0].decision_id, 0);        /* written before deciding */
	ck_assert_str_eq(notes[0].reviewer, "alice");
	ck_assert_str_eq(notes[0].example_id, "a1");
	ck_assert_str_eq(notes[1].text, "on second thought, a cat");
	ck_assert_int_eq(notes[1].decision_id, accept_id); /* attached to the decision */
	log_notes_free(notes, nn);
	const struct log_note *mine[4];
	ck_assert_uint_eq(review_notes_of(r, 0, mine, 4), 2);
	ck_assert_str_eq(mine[0]->text, "on second thought, a cat");   /* newest first */
	ck_assert_uint_eq(review_notes_of(r, 1, mine, 4), 0);
	ck_assert_uint_eq(r->ndec, 2);                     /* no decision recorded */
	ck_assert_int_eq(review_state_of(r, 0), RS_ACCEPTED);
	ck_assert_int_eq(review_state_of(r, 1), RS_UNDECIDED);
	ck_assert_int_eq(review_state_of(r, 2), RS_RELABELLED);
	struct review_progress p;
	review_progress(r, &p);
	ck_assert_uint_eq(p.total, scan.n_flagged);
	ck_assert(p.per_minute > 0);
	ck_assert_int_eq(review_commit(r, "first pass"), 0);
	ck_assert_int_eq(r->version, 1);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_undo_moves_cursor_back)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	ck_assert_int_eq(review_undo(r), -1);             /* nothing yet */
	review_decide(r, LOG_ACCEPT, NULL);               /* row 0 */
	review_decide(r, LOG_EXCLUDE, NULL);              /* row 1 */
	review_move(r, 2);
	ck_assert_int_eq(review_row(r), 4);
	ck_assert_int_eq(review_undo(r), 0);
	ck_assert_int_eq(review_row(r), 1);
	ck_assert_int_eq(review_state_of(r, 1), RS_UNDECIDED);
	ck_assert_int_eq(review_undo(r), 0);
	ck_assert_int_eq(review_row(r), 0);
	ck_assert_int_eq(review_state_of(r, 0), RS_UNDECIDED);
	ck_assert_int_eq(review_undo(r), -1);             /* both reverted */
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_uint_eq(n, 4);                          /* undo is its own record */
	ck_assert_int_eq(dec[2].action, LOG_UNDO);
	ck_assert_int_eq(dec[2].undoes, dec[1].id);
	ck_assert_int_eq(dec[3].undoes, dec[0].id);
	log_decisions_free(dec, n);
	review_free(r);
	log_close(l);
}
END_TEST

/* One reviewer in two processes: an undo in the one that has not re-read
 * the log yet still reverts the right example. */
START_TEST(test_undo_of_decision_from_other_process)
{
	struct logdb *la = open_db(), *lb = open_db();
	struct review *a = open_session(la, "alice", 0), *b = open_session(lb, "alice", 0);
	review_move(a, 2);
	ck_assert_int_eq(review_decide(a, LOG_EXCLUDE, NULL), 0);   /* row 2 */
	ck_assert_int_eq(review_undo(b), 0);
	ck_assert_int_eq(review_row(b), 2);
	ck_assert_int_eq(review_state_of(b, 2), RS_UNDECIDED);
	size_t n;
	struct log_decision *dec = all_decisions(la, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(dec[1].action, LOG_UNDO);
	ck_assert_uint_eq(dec[1].row, 2);
	log_decisions_free(dec, n);
	review_free(a);
	review_free(b);
	log_close(la);
	log_close(lb);
}
END_TEST

START_TEST(test_resume_where_left_off)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	review_decide(r, LOG_ACCEPT, NULL);               /* row 0 */
	review_decide(r, LOG_REJECT, NULL);               /* row 1 */
	review_free(r);
	log_close(l);
	l = open_db();
	r = open_session(l, "alice", 0);
	ck_assert_int_eq(review_row(r), 2);
	ck_assert_int_eq(review_state_of(r, 0), RS_ACCEPTED);
	ck_assert_int_eq(review_state_of(r, 1), RS_REJECTED);
	ck_assert_str_eq(queue_str(r), "012345");         /* own decisions stay */
	ck_assert_int_eq(review_next_undecided(r), 0);
	ck_assert_int_eq(review_row(r), 2);
	/* skip row 2, decide row 3: the next visit starts after row 3 */
	ck_assert_int_eq(review_skip(r), 0);
	ck_assert_int_eq(review_decide(r, LOG_EXCLUDE, NULL), 0);
	review_free(r);
	r = open_session(l, "alice", 0);
	ck_assert_int_eq(review_row(r), 4);
	/* another reviewer's latest decision does not move alice's resume point */
	struct review *b = open_session(l, "bob", 0);
	ck_assert_int_eq(review_row(b), 2);
	ck_assert_str_eq(queue_str(b), "012345");         /* alice's rows stay, marked */
	ck_assert(review_by_other(b, 0) && review_by_other(b, 3) && !review_by_other(b, 2));
	ck_assert_int_eq(review_filter(b, "state mine"), 0);
	ck_assert_str_eq(queue_str(b), "245");            /* ... unless hidden */
	review_bottom(b);
	ck_assert_int_eq(review_row(b), 5);
	ck_assert_int_eq(review_decide(b, LOG_ACCEPT, NULL), 0);
	review_free(b);
	review_free(r);
	r = open_session(l, "alice", 0);
	ck_assert_int_eq(review_row(r), 4);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_two_sessions_see_each_other)
{
	struct logdb *la = open_db(), *lb = open_db();
	struct review *a = open_session(la, "alice", 0), *b = open_session(lb, "bob", 0);
	ck_assert_int_eq(review_decide(a, LOG_EXCLUDE, NULL), 0);   /* row 0 */
	ck_assert_str_eq(queue_str(b), "012345");                    /* not yet */
	b->cursor = 2;
	ck_assert_int_eq(review_refresh(b), 0);
	ck_assert_int_eq(review_state_of(b, 0), RS_EXCLUDED);
	ck_assert_str_eq(queue_str(b), "012345");         /* alice's example stays */
	ck_assert(review_by_other(b, 0));
	char text[100];
	review_row_text(b, 0, text, sizeof text);
	ck_assert_str_eq(text, "alice: exclude");
	ck_assert_int_eq(review_row(b), 2);               /* cursor keeps its row */
	ck_assert_int_eq(review_decide(b, LOG_ACCEPT, NULL), 0);    /* row 2 */
	ck_assert_int_eq(review_refresh(a), 0);
	ck_assert_str_eq(queue_str(a), "012345");
	review_row_text(a, 2, text, sizeof text);
	ck_assert_str_eq(text, "bob: accept dog");
	ck_assert_int_eq(review_filter(a, "state others"), 0);
	ck_assert_str_eq(queue_str(a), "2");
	ck_assert_int_eq(review_filter(a, "state mine"), 0);
	ck_assert_str_eq(queue_str(a), "01345");
	struct review_progress p;
	review_progress(a, &p);   /* counts the flagged rows, whoever decided them */
	ck_assert_uint_eq(p.decided, p.mine + p.others);
	ck_assert_uint_eq(p.others, scan.flagged[2]);
	ck_assert_uint_eq(p.mine, scan.flagged[0]);
	ck_assert_uint_eq(p.total, scan.n_flagged);
	review_free(a);
	review_free(b);
	log_close(la);
	log_close(lb);
}
END_TEST

/* Annotator: 0 relabel bird (with a note), 1 reject, 2 accept, 3 reject. */
static void annotate(struct logdb *l)
{
	struct review *r = open_session(l, "ann", 0);
	ck_assert_int_eq(review_set_note(r, "wings"), 0);
	ck_assert_int_eq(review_decide(r, LOG_RELABEL, "bird"), 0);
	ck_assert_int_eq(review_decide(r, LOG_REJECT, NULL), 0);
	ck_assert_int_eq(review_decide(r, LOG_ACCEPT, NULL), 0);
	ck_assert_int_eq(review_decide(r, LOG_REJECT, NULL), 0);
	review_free(r);
}

START_TEST(test_expert_confirm_override_blind)
{
	struct logdb *l = open_db();
	annotate(l);
	struct review *x = open_session(l, "exp", 1);
	x->blind = 1;
	ck_assert_str_eq(queue_str(x), "0123");           /* what annotators decided */
	ck_assert_int_eq(review_row(x), 0);
	ck_assert(review_annotator_hidden(x, 0));
	const struct log_decision *ad = &x->dec[x->win1[0]];
	ck_assert_str_eq(ad->reviewer, "ann");
	const struct log_note *note;
	ck_assert_uint_eq(review_notes_of(x, 0, &note, 1), 1);
	ck_assert_str_eq(note->text, "wings");
	ck_assert_int_eq(review_confirm(x), 0);           /* row 0 */
	ck_assert(!review_annotator_hidden(x, 0));        /* decided: shown */
	ck_assert(review_annotator_hidden(x, 1));
	ck_assert_int_eq(review_decide(x, LOG_EXCLUDE, NULL), 0);   /* override row 1 */
	x->blind = 0;
	ck_assert(!review_annotator_hidden(x, 2));
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(dec[4].action, LOG_CONFIRM);    /* a confirm, not a copy */
	ck_assert_str_eq(dec[4].label, "bird");
	ck_assert_int_eq(dec[4].pass, 2);
	ck_assert_int_eq(dec[4].expert, 1);
	ck_assert_str_eq(dec[4].reviewer, "exp");
	ck_assert_int_eq(dec[5].action, LOG_EXCLUDE);
	ck_assert_int_eq(dec[5].pass, 2);
	log_decisions_free(dec, n);
	/* expert's decision wins; the next open item is row 2 */
	ck_assert_int_eq(review_state_of(x, 1), RS_EXCLUDED);
	ck_assert_int_eq(review_row(x), 2);
	struct review_progress p;
	review_progress(x, &p);
	size_t want = (size_t)scan.flagged[0] + scan.flagged[1];
	ck_assert_uint_eq(p.decided, want);
	review_free(x);
	/* confirm makes no sense for an annotator */
	struct review *r = open_session(l, "ann", 0);
	ck_assert_int_eq(review_confirm(r), -1);
	review_free(r);
	log_close(l);
}
END_TEST

/* Disagreements: marked in the list, a queue of their own; the expert's
 * progress counts the expert queue; blind hides the list text too; E keeps
 * the expert's role in the decisions recorded. */
START_TEST(test_disagree_queue_progress_blind_text)
{
	struct logdb *l = open_db();
	annotate(l);                  /* 0 bird, 1 reject (dog), 2 accept (dog), 3 reject (cat) */
	struct review *x = open_session(l, "exp", 1);
	struct review_progress p;
	review_progress(x, &p);
	ck_assert_uint_eq(p.total, 4);                    /* the expert queue, not the flagged */
	ck_assert_uint_eq(p.decided, 0);
	char text[100];
	x->blind = 1;
	review_row_text(x, 1, text, sizeof text);
	ck_assert_str_eq(text, "·");                      /* hidden in the list too */
	x->blind = 0;
	review_row_text(x, 1, text, sizeof text);
	ck_assert_str_eq(text, "ann: reject (dog)");
	ck_assert_int_eq(review_confirm(x), 0);                     /* 0: agree */
	ck_assert_int_eq(review_decide(x, LOG_RELABEL, "bird"), 0); /* 1: disagree */
	ck_assert_int_eq(review_decide(x, LOG_ACCEPT, NULL), 0);    /* 2: agree */
	ck_assert(!review_disagrees(x, 0));
	ck_assert(review_disagrees(x, 1));
	ck_assert(!review_disagrees(x, 2));
	review_row_text(x, 1, text, sizeof text);
	ck_assert_str_eq(text, "≠ relabel → bird");
	review_row_text(x, 0, text, sizeof text);
	ck_assert_str_eq(text, "confirm → bird");
	review_progress(x, &p);
	ck_assert_uint_eq(p.total, 4);
	ck_assert_uint_eq(p.decided, 3);
	ck_assert_uint_eq(p.disagree, 1);
	ck_assert_int_eq(review_filter(x, "state disagree"), 0);
	ck_assert_str_eq(queue_str(x), "1");
	ck_assert_int_eq(review_filter(x, "state undecided"), 0);   /* this pass's */
	ck_assert_str_eq(queue_str(x), "3");
	/* per class: only classes decided in both passes, with their counts */
	size_t same;
	ck_assert_uint_eq(review_agreement_count(x, 2, &same), 2);  /* bird: rows 0, 1 */
	ck_assert_uint_eq(same, 1);
	ck_assert_uint_eq(review_agreement_count(x, 0, &same), 0);  /* cat: none */
	/* an annotator sees the disagreement too */
	struct review *a = open_session(l, "ann", 0);
	ck_assert(review_disagrees(a, 1));
	review_row_text(a, 1, text, sizeof text);
	ck_assert_str_eq(text, "≠ exp: relabel bird");
	review_free(a);
	/* the expert switching to the first pass keeps the expert role */
	x->expert = 0;
	review_filter(x, "clear");
	review_bottom(x);                                 /* row 5, undecided */
	ck_assert_int_eq(review_decide(x, LOG_EXCLUDE, NULL), 0);
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_int_eq(dec[n - 1].pass, 1);
	ck_assert_int_eq(dec[n - 1].expert, 1);
	log_decisions_free(dec, n);
	review_free(x);
	log_close(l);
}
END_TEST

/* Health with the decisions: labels as decided, excluded rows left out;
 * per class flagged and decided counts. */
START_TEST(test_health_after_decisions)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	struct err e;
	double h0, h, want;
	size_t kept;
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	ck_assert(cl_health_score(&pb, &h0, &e) == 0);
	ck_assert_int_eq(review_health_after(r, &h, &kept, &e), 0);
	ck_assert_double_eq_tol(h, h0, 1e-12);
	ck_assert_uint_eq(kept, 6);
	ck_assert_int_eq(review_decide(r, LOG_EXCLUDE, NULL), 0);          /* row 0 */
	ck_assert_int_eq(review_decide(r, LOG_ACCEPT, NULL), 0);           /* row 1 -> cat */
	int labels[5];                                                      /* rows 1..5 */
	for (int i = 1; i < 5; i++)
		labels[i] = d->labels[i + 1];
	labels[0] = scan.suggested[1];
	struct cl_problem pb2 = { 5, d->k, d->probs + d->k, labels };
	ck_assert(cl_health_score(&pb2, &want, &e) == 0);
	ck_assert_int_eq(review_health_after(r, &h, &kept, &e), 0);
	ck_assert_uint_eq(kept, 5);
	ck_assert_double_eq_tol(h, want, 1e-12);
	size_t fl[3], dc[3], nf = 0, nd = 0;
	review_class_progress(r, fl, dc);
	for (int c = 0; c < 3; c++) {
		nf += fl[c];
		nd += dc[c];
	}
	ck_assert_uint_eq(nf, scan.n_flagged);
	ck_assert_uint_eq(nd, (size_t)scan.flagged[0] + scan.flagged[1]);
	char why[300];
	review_reliability(d, NULL, 0.9, why, sizeof why);      /* two examples a class */
	ck_assert_msg(strstr(why, "only 2 examples of cat"), "%s", why);
	/* 30 a, 20 b: chance is 0.6; 0.62 is near it, 0.9 is not */
	int lab[50];
	for (int i = 0; i < 50; i++)
		lab[i] = i < 30 ? 0 : 1;
	char *names[2] = { "a", "b" };
	struct dataset fake = { .n = 50, .k = 2, .labels = lab, .class_names = names };
	review_reliability(&fake, NULL, 0.62, why, sizeof why);
	ck_assert_msg(strstr(why, "near chance (0.60 always saying a)"), "%s", why);
	review_reliability(&fake, NULL, 0.9, why, sizeof why);
	ck_assert_str_eq(why, "");
	/* no model accuracy: the scan's suggested labels give it (31 of 50
	 * right: 0.62), the same as the probabilities' argmax */
	int sugg[50];
	double probs[100];
	for (int i = 0; i < 50; i++) {
		sugg[i] = i < 31 ? lab[i] : 1 - lab[i];
		probs[2 * i] = sugg[i] == 0 ? 0.8 : 0.2;
		probs[2 * i + 1] = 1 - probs[2 * i];
	}
	review_reliability(&fake, sugg, -1, why, sizeof why);
	ck_assert_msg(strstr(why, "accuracy 0.62 is near chance"), "%s", why);
	fake.probs = probs;
	char why2[300];
	review_reliability(&fake, NULL, -1, why2, sizeof why2);
	ck_assert_str_eq(why, why2);
	review_free(r);
	log_close(l);
}
END_TEST

START_TEST(test_agreement_hand_computed)
{
	struct logdb *l = open_db();
	annotate(l);
	struct review *x = open_session(l, "exp", 1);
	double agree, kappa;
	ck_assert_uint_eq(review_agreement(x, -1, &agree, &kappa), 0);
	ck_assert_int_eq(review_confirm(x), 0);                  /* 0: bird / bird */
	ck_assert_int_eq(review_decide(x, LOG_EXCLUDE, NULL), 0); /* 1: dog / excluded */
	ck_assert_int_eq(review_decide(x, LOG_RELABEL, "dog"), 0); /* 2: dog / dog */
	ck_assert_int_eq(review_decide(x, LOG_ACCEPT, NULL), 0); /* 3: cat / cat */
	/* pass 1 outcomes bird dog dog cat, pass 2 bird excl dog cat:
	 * po = 3/4; marginals bird 1/1, dog 2/1, cat 1/1, excl 0/1 over 4:
	 * pe = (1 + 2 + 1 + 0) / 16 = 1/4; kappa = (3/4 - 1/4) / (3/4) = 2/3 */
	ck_assert_uint_eq(review_agreement(x, -1, &agree, &kappa), 4);
	ck_assert_double_eq_tol(agree, 0.75, 1e-12);
	ck_assert_double_eq_tol(kappa, 2.0 / 3, 1e-12);
	/* dog against the rest: 0110 vs 0010; po = 3/4, pe = (2*3 + 2*1)/16 */
	ck_assert_uint_eq(review_agreement(x, 1, &agree, &kappa), 4);
	ck_assert_double_eq_tol(agree, 0.75, 1e-12);
	ck_assert_double_eq_tol(kappa, 0.5, 1e-12);
	/* cat against the rest: 0001 vs 0001, full agreement */
	review_agreement(x, 0, &agree, &kappa);
	ck_assert_double_eq_tol(agree, 1.0, 1e-12);
	ck_assert_double_eq_tol(kappa, 1.0, 1e-12);
	review_free(x);
	log_close(l);
}
END_TEST

START_TEST(test_failed_write_keeps_decision_pending)
{
	struct logdb *l = open_db();
	struct review *r = open_session(l, "alice", 0);
	/* A file size limit makes every write to the log fail (root ignores
	 * file modes, so a read-only file would not). */
	struct rlimit old, tiny;
	ck_assert(getrlimit(RLIMIT_FSIZE, &old) == 0);
	tiny = old;
	tiny.rlim_cur = 4096;
	signal(SIGXFSZ, SIG_IGN);
	ck_assert(setrlimit(RLIMIT_FSIZE, &tiny) == 0);
	int rc = review_decide(r, LOG_ACCEPT, NULL);
	int rcn = review_set_note(r, "keep me");
	ck_assert(setrlimit(RLIMIT_FSIZE, &old) == 0);
	ck_assert_int_eq(rcn, -1);                        /* the note is refused too */
	ck_assert_msg(strstr(r->message, "NOT SAVED (note)"), "%s", r->message);
	ck_assert_int_eq(rc, -1);
	ck_assert(r->message_error);
	ck_assert_int_eq(review_row(r), 0);               /* cursor stayed */
	ck_assert_int_eq(review_state_of(r, 0), RS_UNDECIDED);
	ck_assert_uint_eq(r->nnotes, 0);
	size_t n;
	struct log_decision *dec = all_decisions(l, &n);
	ck_assert_uint_eq(n, 0);
	log_decisions_free(dec, n);
	/* once the log can be written again, the same decision goes through */
	ck_assert_int_eq(review_decide(r, LOG_ACCEPT, NULL), 0);
	ck_assert_int_eq(review_row(r), 1);
	dec = all_decisions(l, &n);
	ck_assert_uint_eq(n, 1);
	log_decisions_free(dec, n);
	review_free(r);
	log_close(l);
}
END_TEST

/* A long-lived session updates only the rows new decisions touch; its
 * per-row winners must equal those of a session built from scratch. */
START_TEST(test_incremental_winners_match_full)
{
	struct logdb *la = open_db(), *lx = open_db();
	struct review *a = open_session(la, "ann", 0), *x = open_session(lx, "exp", 1);
	enum log_action acts[] = { LOG_ACCEPT, LOG_REJECT, LOG_EXCLUDE, LOG_RELABEL };
	for (int i = 0; i < 24; i++) {
		a->cursor = (size_t)(i * 7) % a->qlen;
		if (i % 5 == 4)
			ck_assert_int_eq(review_undo(a), 0);
		else
			ck_assert_int_eq(review_decide(a, acts[i % 4], "bird"), 0);
		if (i % 3 == 2) {
			ck_assert_int_eq(review_refresh(x), 0);
			if (x->qlen) {
				x->cursor = (size_t)i % x->qlen;
				ck_assert_int_eq(i % 2 ? review_confirm(x) :
						 review_decide(x, LOG_RELABEL, "cat"), 0);
			}
			if (i % 6 == 5)
				ck_assert_int_eq(review_undo(x), 0);
		}
	}
	ck_assert_int_eq(review_refresh(a), 0);
	ck_assert_int_eq(review_refresh(x), 0);
	struct review *fresh = open_session(la, "ann", 0);
	ck_assert_uint_eq(fresh->ndec, a->ndec);
	for (size_t row = 0; row < d->n; row++) {
		ck_assert_int_eq(a->win[row], fresh->win[row]);
		ck_assert_int_eq(a->win1[row], fresh->win1[row]);
		ck_assert_int_eq(a->win2[row], fresh->win2[row]);
	}
	/* the counts kept per log read equal a recount of every row */
	struct review *sess[2] = { a, x };
	for (int v = 0; v < 2; v++) {
		struct review *r = sess[v];
		struct review_progress kept[2] = { r->prog[0], r->prog[1] };
		size_t k1 = d->k + 1, pairs[16], cls[3];
		memcpy(pairs, r->pairs, k1 * k1 * sizeof *pairs);
		memcpy(cls, r->class_decided, d->k * sizeof *cls);
		review_count_all(r);
		for (int e = 0; e < 2; e++) {
			ck_assert_uint_eq(kept[e].total, r->prog[e].total);
			ck_assert_uint_eq(kept[e].decided, r->prog[e].decided);
			ck_assert_uint_eq(kept[e].mine, r->prog[e].mine);
			ck_assert_uint_eq(kept[e].others, r->prog[e].others);
			ck_assert_uint_eq(kept[e].disagree, r->prog[e].disagree);
		}
		ck_assert(!memcmp(pairs, r->pairs, k1 * k1 * sizeof *pairs));
		ck_assert(!memcmp(cls, r->class_decided, d->k * sizeof *cls));
	}
	/* ... and agreement from the pairs equals a pass over the rows */
	size_t both = 0, same = 0;
	for (size_t row = 0; row < d->n; row++)
		if (x->win1[row] >= 0 && x->win2[row] >= 0) {
			both++;
			same += review_outcome(x, x->win1[row]) == review_outcome(x, x->win2[row]);
		}
	double ag, ka;
	ck_assert_uint_eq(review_agreement(x, -1, &ag, &ka), both);
	ck_assert(both > 0);
	ck_assert_double_eq_tol(ag, (double)same / (double)both, 1e-12);
	review_free(fresh);
	review_free(a);
	review_free(x);
	log_close(la);
	log_close(lx);
}
END_TEST

/* After each decision and undo the queue patched in place (the decided
 * row taken out or put back) equals the queue rebuilt from every ranked
 * row, under each decision-state filter and a class filter beside it; a
 * decision from another session in between makes a full rebuild. */
START_TEST(test_requeue_matches_rebuild)
{
	struct logdb *l = open_db(), *lo = open_db();
	struct review *r = open_session(l, "ann", 0), *other = open_session(lo, "bob", 0);
	const char *filters[] = { "state undecided", "state decided", "state mine", "clear",
				  "given dog" };
	enum log_action acts[] = { LOG_ACCEPT, LOG_REJECT, LOG_EXCLUDE };
	int patched = 0;
	for (int i = 0; i < 40; i++) {
		ck_assert_int_eq(review_filter(r, filters[i % 5]), 0);
		if (!r->qlen) {
			ck_assert_int_eq(review_filter(r, "clear"), 0);
			ck_assert(r->qlen > 0);
		}
		r->cursor = (size_t)(i * 5) % r->qlen;
		if (i % 7 == 6) {    /* another reviewer decides meanwhile */
			other->cursor = (size_t)i % other->qlen;
			ck_assert_int_eq(review_decide(other, LOG_REJECT, NULL), 0);
		}
		if (i % 4 == 3)
			ck_assert_int_eq(review_undo(r), 0);
		else
			ck_assert_int_eq(review_decide(r, acts[i % 3], NULL), 0);
		patched += r->last_read == 1;
		char kept[64];
		snprintf(kept, sizeof kept, "%s", queue_str(r));
		size_t cursor = r->cursor;
		review_rebuild(r);
		ck_assert_msg(!strcmp(kept, queue_str(r)), "step %d (%s): patched %s, rebuilt %s",
			      i, filters[i % 5], kept, queue_str(r));
		ck_assert_uint_eq(cursor < r->qlen || !r->qlen, 1);
	}
	ck_assert_int_gt(patched, 20);
	review_free(r);
	review_free(other);
	log_close(l);
	log_close(lo);
}
END_TEST

/* The winners a session keeps up to date as decisions arrive (one at a
 * time and in batches, undos of either pass naming targets of either
 * pass) equal those of a session built from scratch, after every read. */
START_TEST(test_incremental_winners_random_logs)
{
	static const char *const cls[] = { "cat", "dog", "bird" };
	static const enum log_action acts[] = { LOG_ACCEPT, LOG_RELABEL, LOG_REJECT,
						LOG_EXCLUDE, LOG_UNSURE, LOG_CONFIRM };
	unsigned seed = 12345;
	for (int round = 0; round < 12; round++) {
		unlink(db_path);
		struct logdb *l = open_db();
		struct review *a = open_session(l, "ann", 0);
		int64_t ids = 0;
		for (int step = 0; step < 160; step++) {
			struct err e;
			int pass = 1 + (int)(rand_r(&seed) % 2);
			if (rand_r(&seed) % 4 == 0 && ids) {
				struct log_new_decision nd = { .action = LOG_UNDO, .reviewer = "r",
							       .pass = pass,
							       .undoes = 1 + (int64_t)(rand_r(&seed) % (unsigned)ids) };
				if (log_decide(l, &nd, NULL, &e) == 0)
					ids++;
			} else if (rand_r(&seed) % 8 == 0) {
				struct log_new_decision b[3];
				size_t nb = 0;
				for (size_t row = rand_r(&seed) % 2; row < d->n && nb < 3; row += 2) {
					enum log_action act = acts[rand_r(&seed) % 4];
					b[nb++] = (struct log_new_decision){ .row = row, .action = act,
						.label = act == LOG_EXCLUDE ? NULL : cls[rand_r(&seed) % 3],
						.reviewer = "r", .expert = pass == 2, .pass = pass };
				}
				ck_assert_msg(log_decide_batch(l, b, nb, "b", NULL, NULL, NULL, &e) == 0,
					      "%s", e.msg);
				ids += (int64_t)nb;
			} else {
				enum log_action act = acts[rand_r(&seed) % 6];
				struct log_new_decision nd = { .row = rand_r(&seed) % d->n, .action = act,
					.label = act == LOG_EXCLUDE ? NULL : cls[rand_r(&seed) % 3],
					.reviewer = "r", .expert = pass == 2,
					.pass = act == LOG_CONFIRM ? 2 : pass };
				ck_assert_msg(log_decide(l, &nd, NULL, &e) == 0, "%s", e.msg);
				ids++;
			}
			if (rand_r(&seed) % 5)
				continue;
			ck_assert_int_eq(review_refresh(a), 0);
			struct review *fresh = open_session(l, "ann", 0);
			ck_assert_uint_eq(fresh->ndec, a->ndec);
			for (size_t row = 0; row < d->n; row++) {
				ck_assert_int_eq(a->win[row], fresh->win[row]);
				ck_assert_int_eq(a->win1[row], fresh->win1[row]);
				ck_assert_int_eq(a->win2[row], fresh->win2[row]);
			}
			review_free(fresh);
		}
		review_free(a);
		log_close(l);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("review");
	TCase *tc = tcase_create("session");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_queue_order_and_moves);
	tcase_add_test(tc, test_filters_combine_and_clear);
	tcase_add_test(tc, test_search_ids_and_text);
	tcase_add_test(tc, test_search_index_matches_a_pass);
	tcase_add_test(tc, test_decision_reaches_log_before_moving);
	tcase_add_test(tc, test_undo_moves_cursor_back);
	tcase_add_test(tc, test_resume_where_left_off);
	tcase_add_test(tc, test_undo_of_decision_from_other_process);
	tcase_add_test(tc, test_two_sessions_see_each_other);
	tcase_add_test(tc, test_expert_confirm_override_blind);
	tcase_add_test(tc, test_agreement_hand_computed);
	tcase_add_test(tc, test_disagree_queue_progress_blind_text);
	tcase_add_test(tc, test_health_after_decisions);
	tcase_add_test(tc, test_failed_write_keeps_decision_pending);
	tcase_add_test(tc, test_incremental_winners_match_full);
	tcase_add_test(tc, test_requeue_matches_rebuild);
	tcase_add_test(tc, test_incremental_winners_random_logs);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
