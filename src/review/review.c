/* review.c — the review session: decisions, per-pass winners and the queue
 * (see review.h). Filters and search live in review_queue.c, what one row
 * is (its winner, its state) in review_row.c. */
#include "review.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "effective.h"
#include "sanitize.h"
#include "review_tools.h"
#include "util.h"


/* Rows from which the first read's three winner passes run on threads. */
#define ALL_WINNERS_THREADED 100000

/* Winners over the decisions of one pass (0: all passes). */
static void winners(struct review *r, int pass, int32_t *out)
{
	if (!pass) {
		effective_winners(r->dec, r->ndec, INT64_MAX, r->d->n, out);
		return;
	}
	struct log_decision *sub = xmallocarray(r->ndec ? r->ndec : 1, sizeof *sub);
	size_t *map = xmallocarray(r->ndec ? r->ndec : 1, sizeof *map), m = 0;
	for (size_t i = 0; i < r->ndec; i++)
		if (r->dec[i].pass == pass) {
			map[m] = i;
			sub[m++] = r->dec[i];
		}
	effective_winners(sub, m, INT64_MAX, r->d->n, out);
	for (size_t row = 0; row < r->d->n; row++)
		if (out[row] >= 0)
			out[row] = (int32_t)map[out[row]];
	free(sub);
	free(map);
}

struct winners_job {
	struct review *r;
	int pass;
	int32_t *out;
};

static void *winners_thread(void *arg)
{
	struct winners_job *j = arg;
	winners(j->r, j->pass, j->out);
	return NULL;
}

/* The three passes' winners at once (each reads the decisions and writes
 * its own array; at 10^7 rows each is a first write of 80 MB). */
static void all_winners(struct review *r)
{
	struct winners_job job[2] = { { r, 1, r->win1 }, { r, 2, r->win2 } };
	pthread_t th[2];
	int started[2];
	for (int i = 0; i < 2; i++)
		started[i] = r->d->n >= ALL_WINNERS_THREADED &&
			     pthread_create(&th[i], NULL, winners_thread, &job[i]) == 0;
	winners(r, 0, r->win);
	for (int i = 0; i < 2; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			winners(r, job[i].pass, job[i].out);
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}


/* Chain r->dec[from..] onto their rows: row_last[row] is the newest
 * decision on the row, prev_on_row[i] the one before decision i (-1: none). */
static void chain_rows(struct review *r, size_t from)
{
	r->prev_on_row = xrealloc(r->prev_on_row, (r->dec_cap ? r->dec_cap : 1) *
				  sizeof *r->prev_on_row);
	for (size_t i = from; i < r->ndec; i++) {
		size_t row = r->dec[i].row;
		r->prev_on_row[i] = row < r->d->n ? r->row_last[row] : -1;
		if (row < r->d->n)
			r->row_last[row] = (int32_t)i;
	}
}

/* Row `row`'s winners of all passes and of each pass, from its chain
 * (newest first): what effective_winners finds over the row's decisions
 * (the newest second-pass decision not undone wins, else the newest
 * other), where within one pass only that pass's undos count. An undo
 * comes after its target on the same row, so it is met first. */
static void row_winners(struct review *r, size_t row)
{
	struct undo_seen { int64_t id; int pass; } stack[16], *seen = stack;
	size_t ns = 0, cap = sizeof stack / sizeof *stack;
	long any = -1, any2 = -1, w1 = -1, w2 = -1;
	for (long j = r->row_last[row]; j >= 0; j = r->prev_on_row[j]) {
		const struct log_decision *dd = &r->dec[j];
		if (dd->action == LOG_UNDO) {
			if (ns == cap) {
				struct undo_seen *more = xmallocarray(cap *= 2, sizeof *more);
				memcpy(more, seen, ns * sizeof *seen);
				if (seen != stack)
					free(seen);
				seen = more;
			}
			seen[ns++] = (struct undo_seen){ dd->undoes, dd->pass };
			continue;
		}
		int undone = 0, undone_in_pass = 0;
		for (size_t u = 0; u < ns; u++)
			if (seen[u].id == dd->id) {
				undone = 1;
				undone_in_pass |= seen[u].pass == dd->pass;
			}
		if (!undone && any < 0)
			any = j;
		if (!undone && dd->pass == 2 && any2 < 0)
			any2 = j;
		if (!undone_in_pass && dd->pass == 1 && w1 < 0)
			w1 = j;
		if (!undone_in_pass && dd->pass == 2 && w2 < 0)
			w2 = j;
	}
	if (seen != stack)
		free(seen);
	r->win[row] = (int32_t)(any2 >= 0 ? any2 : any);
	r->win1[row] = (int32_t)w1;
	r->win2[row] = (int32_t)w2;
}

/* Recompute the winners of the rows that decisions r->dec[from..] touch
 * (their own rows and the rows of what they undo): only those rows can
 * change, and only their decisions matter (found through the per-row
 * chains), so a new decision costs O(decisions on its row), not
 * O(decisions) or O(rows). The progress counts follow. */
static void update_winners(struct review *r, size_t from)
{
	size_t nt = 0, *touched = xmallocarray(2 * (r->ndec - from), sizeof *touched);
	int sorted = 1;
	for (size_t i = from; i < r->ndec; i++) {
		size_t rows[2] = { r->dec[i].row, SIZE_MAX };
		long t = r->dec[i].action == LOG_UNDO ? review_find_decision(r, r->dec[i].undoes) : -1;
		if (t >= 0 && r->dec[t].row != rows[0])
			rows[1] = r->dec[t].row;
		for (int k = 0; k < 2 && rows[k] != SIZE_MAX; k++) {
			sorted &= !nt || touched[nt - 1] <= rows[k];
			touched[nt++] = rows[k];
		}
	}
	if (!sorted)      /* a bulk batch is recorded in row order */
		qsort(touched, nt, sizeof *touched, cmp_size);
	size_t u = 0;
	for (size_t i = 0; i < nt; i++)
		if ((!u || touched[u - 1] != touched[i]) && touched[i] < r->d->n)
			touched[u++] = touched[i];
	for (size_t j = 0; j < u; j++) {
		review_count_row(r, touched[j], -1);
		row_winners(r, touched[j]);
		review_count_row(r, touched[j], 1);
	}
	free(touched);
}

/* Take decisions recorded since the last read (by anyone): `given`, this
 * session's own just recorded (when nothing came between), else read from
 * the log. */
static int take_decisions(struct review *r, struct log_decision *given, size_t ngiven,
			  struct err *e)
{
	struct log_decision *more = given;
	size_t n = ngiven, before = r->ndec;
	int64_t after = r->ndec ? r->dec[r->ndec - 1].id : 0;
	if (!given && log_list(r->db, after, &more, &n, e) < 0)
		return -1;
	if (n && !given && !r->dec_cap) {    /* the first read: its array becomes ours */
		free(r->dec);
		r->dec = more;
		r->ndec = r->dec_cap = n;
		more = NULL;
	} else if (n) {
		struct log_decision *room = review_decisions_room(r, n);
		if (more != room)     /* else recorded in place (review_bulk) */
			memcpy(room, more, n * sizeof *more);
		r->ndec += n;
	}
	if (!given)
		free(more);   /* strings now belong to r->dec */
	r->last_read = n;
	struct log_note *nn;
	size_t nnew;
	if (log_notes(r->db, r->nnotes ? r->notes[r->nnotes - 1].id : 0, &nn, &nnew, e) < 0)
		return -1;
	if (nnew) {
		r->notes = xrealloc(r->notes, (r->nnotes + nnew) * sizeof *r->notes);
		memcpy(r->notes + r->nnotes, nn, nnew * sizeof *nn);
		r->nnotes += nnew;
	}
	free(nn);
	if (n)
		chain_rows(r, before);
	if (!r->loaded) {
		all_winners(r);
		review_count_all(r);
		r->loaded = 1;
	} else if (n) {
		update_winners(r, before);
	}
	struct log_version *v;
	size_t nv;
	if (log_versions(r->db, &v, &nv, e) < 0)
		return -1;
	r->version = v[nv - 1].number;
	log_versions_free(v, nv);
	return 0;
}

static int load_decisions(struct review *r, struct err *e)
{
	return take_decisions(r, NULL, 0, e);
}

int review_load_decisions(struct review *r, struct err *e)
{
	return load_decisions(r, e);
}

struct log_decision *review_decisions_room(struct review *r, size_t n)
{
	if (r->ndec + n > r->dec_cap) {
		r->dec_cap = r->dec_cap * 2 > r->ndec + n ? r->dec_cap * 2 : r->ndec + n;
		r->dec = xrealloc(r->dec, r->dec_cap * sizeof *r->dec);
	}
	return r->dec + r->ndec;
}

int review_take_decisions(struct review *r, struct log_decision *dec, size_t n, struct err *e)
{
	int64_t last = r->ndec ? r->dec[r->ndec - 1].id : 0;
	if (r->loaded && n && dec[0].id == last + 1)
		return take_decisions(r, dec, n, e);
	for (size_t i = 0; i < n; i++) {     /* others wrote meanwhile: read it all */
		free(dec[i].example_id);
		free(dec[i].label);
		free(dec[i].reviewer);
		free(dec[i].note);
		free(dec[i].batch);
	}
	return load_decisions(r, e);
}

/* Where this reviewer left off: the first open example after the example
 * of their most recent decision still in the queue (wrapping round), or the
 * first open example when they have decided nothing here yet. */
static void resume(struct review *r)
{
	r->cursor = 0;
	for (size_t i = r->ndec; i-- > 0;) {
		const struct log_decision *dd = &r->dec[i];
		if (dd->action == LOG_UNDO || strcmp(dd->reviewer, r->reviewer) ||
		    dd->pass != (r->expert ? 2 : 1))
			continue;
		for (size_t q = 0; q < r->qlen; q++)
			if (r->queue[q] == dd->row)
				r->cursor = q;
		break;
	}
	if (review_next_undecided(r) < 0)
		r->cursor = 0;
}

int review_open(struct review **out, const struct dataset *d, const struct cl_scan *s,
		struct logdb *db, const char *reviewer, int expert, struct err *e)
{
	if (d->n > INT32_MAX)
		return err_set(e, ERR_INPUT, "%s: %zu examples; the review screen takes at "
			       "most %d", d->data_path, d->n, INT32_MAX);
	struct review *r = xcalloc(1, sizeof *r);
	r->rebuild_sources = review_tools_rebuild;
	r->d = d;
	r->scan = s;
	r->db = db;
	r->reviewer = reviewer;
	r->expert = expert;
	r->role_expert = expert;
	r->filter.given = r->filter.suggested = -1;
	r->filter.state = RS_ANY;
	r->win = xmallocarray_big(d->n, sizeof *r->win);
	r->win1 = xmallocarray_big(d->n, sizeof *r->win1);
	r->win2 = xmallocarray_big(d->n, sizeof *r->win2);
	r->rank = xmallocarray_big(d->n, sizeof *r->rank);
	r->queue = xmallocarray(d->n, sizeof *r->queue);
	r->row_last = xmallocarray_big(d->n, sizeof *r->row_last);
	for (size_t i = 0; i < d->n; i++)
		r->rank[i] = r->row_last[i] = -1;
	r->ranked_classes = xmallocarray_big(s->n_ranked ? 2 * s->n_ranked : 1,
					     sizeof *r->ranked_classes);
	for (size_t i = 0; i < s->n_ranked; i++) {
		size_t row = s->ranked[i];
		r->rank[row] = (int32_t)i;
		r->ranked_classes[2 * i] = d->labels[row];
		r->ranked_classes[2 * i + 1] = s->suggested[row];
	}
	r->started = util_seconds();
	if (load_decisions(r, e) < 0 || log_latest_scan(db, &r->scan_id, e) < 0) {
		review_free(r);
		return -1;
	}
	review_rebuild(r);
	resume(r);
	*out = r;
	return 0;
}

void review_free(struct review *r)
{
	if (!r)
		return;
	log_decisions_free(r->dec, r->ndec);
	log_notes_free(r->notes, r->nnotes);
	review_tools_free(r);
	free(r->win);
	free(r->win1);
	free(r->win2);
	free(r->rank);
	free(r->ranked_classes);
	free(r->queue);
	free(r->row_last);
	free(r->prev_on_row);
	review_count_free(r);
	review_search_free(r);
	free(r);
}





void review_move(struct review *r, long delta)
{
	if (!r->qlen)
		return;
	long c = (long)r->cursor + delta;
	r->cursor = c < 0 ? 0 : c >= (long)r->qlen ? r->qlen - 1 : (size_t)c;
}

void review_top(struct review *r)
{
	r->cursor = 0;
}

void review_bottom(struct review *r)
{
	r->cursor = r->qlen ? r->qlen - 1 : 0;
}

/* Undecided for this session: no decision yet, or for an expert no
 * second-pass decision yet. */
static int open_item(const struct review *r, size_t row)
{
	return r->expert ? r->win2[row] < 0 : r->win[row] < 0;
}

int review_next_undecided(struct review *r)
{
	for (size_t k = 0; k < r->qlen; k++) {
		size_t i = (r->cursor + k) % r->qlen;
		if (open_item(r, r->queue[i])) {
			r->cursor = i;
			return 0;
		}
	}
	return -1;
}

int review_annotator_hidden(const struct review *r, size_t row)
{
	return r->expert && r->blind && r->win1[row] >= 0 && r->win2[row] < 0;
}

static void say(struct review *r, int error, const char *msg)
{
	snprintf(r->message, sizeof r->message, "%.500s", msg);
	r->message_error = error;
}

void review_write_begin(struct review *r)
{
	if (r->before_write)
		r->before_write(r);
}

void review_write_end(struct review *r)
{
	if (r->after_write)
		r->after_write(r);
}

static int record(struct review *r, size_t row, enum log_action a, const char *label,
		  int64_t undoes)
{
	review_write_begin(r);
	char idbuf[32];
	struct log_new_decision nd = {
		.row = row, .example_id = dataset_id(r->d, row, idbuf), .action = a,
		.label = label, .reviewer = r->reviewer, .expert = r->role_expert || r->expert,
		.pass = r->expert ? 2 : 1, .note = NULL,
		.scan_id = r->scan_id, .undoes = undoes,
	};
	struct err e = { 0 };
	int w = log_decide(r->db, &nd, NULL, &e);
	review_write_end(r);
	if (w < 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "NOT SAVED (decision still pending): %.400s", e.msg);
		say(r, 1, msg);
		return -1;
	}
	r->session_decisions++;
	/* The decision is saved: a failed re-read must not make the caller
	 * record it again, so it is reported and the next refresh catches up. */
	if (load_decisions(r, &e) < 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "saved, but re-reading the log failed: %.400s", e.msg);
		say(r, 1, msg);
		return 1;
	}
	return 0;
}

/* The queue after record() on row: only that row can have changed when
 * the log's re-read brought nothing but the new decision. */
static void requeue_after(struct review *r, int recorded, size_t row)
{
	if (recorded == 0 && r->last_read == 1 && r->dec[r->ndec - 1].row == row)
		review_requeue_row(r, row);
	else
		review_rebuild(r);
}

int review_decide(struct review *r, enum log_action a, const char *label)
{
	long row = review_row(r);
	if (row < 0) {
		say(r, 1, "nothing to decide: the queue is empty");
		return -1;
	}
	const struct dataset *d = r->d;
	const char *given = dataset_cell(d, (size_t)row, (size_t)d->label_col);
	if (a == LOG_ACCEPT)
		label = d->class_names[r->scan->suggested[row]];
	else if (a == LOG_REJECT)
		label = given;
	else if (a == LOG_EXCLUDE)
		label = NULL;
	else if (a == LOG_CONFIRM && label && dataset_class_index(d, label) < 0) {
		say(r, 1, "confirm: the annotator's label is not a class of this dataset");
		return -1;
	}
	else if (a == LOG_RELABEL && (!label || dataset_class_index(d, label) < 0)) {
		say(r, 1, "relabel: not a class of this dataset");
		return -1;
	}
	/* Next: the next example not decided by another reviewer (they stay in
	 * the queue, marked), else simply the next one. */
	long next = r->cursor + 1 < r->qlen ? (long)r->queue[r->cursor + 1] : -1;
	for (size_t i = r->cursor + 1; i < r->qlen; i++)
		if (!review_by_other(r, r->queue[i])) {
			next = (long)r->queue[i];
			break;
		}
	int rc = record(r, (size_t)row, a, label, 0);
	if (rc < 0)
		return -1;
	char msg[300], cls[256];
	snprintf(msg, sizeof msg, "saved: %s row %ld%s%s", log_action_name(a), row,
		 label ? " -> " : "", label ? san_class(cls, sizeof cls, label) : "");
	if (!rc)
		say(r, 0, msg);
	requeue_after(r, rc, (size_t)row);
	r->cursor = r->qlen ? r->qlen - 1 : 0;
	for (size_t i = 0; next >= 0 && i < r->qlen; i++)
		if ((long)r->queue[i] == next) {
			r->cursor = i;
			break;
		}
	return 0;
}

int review_unsure(struct review *r)
{
	long row = review_row(r);
	if (row < 0) {
		say(r, 1, "nothing to decide: the queue is empty");
		return -1;
	}
	const char *given = dataset_cell(r->d, (size_t)row, (size_t)r->d->label_col);
	int rc = review_decide(r, LOG_UNSURE, given);
	if (rc == 0 && !r->message_error) {
		snprintf(r->message, sizeof r->message, "saved: unsure on row %ld: the label "
			 "stays %.100s; the expert's queue has it", row, given);
		r->message_error = 0;
	}
	return rc;
}

int review_confirm(struct review *r)
{
	long row = review_row(r);
	if (!r->expert || row < 0 || r->win1[row] < 0) {
		say(r, 1, "confirm: no annotator decision here to confirm");
		return -1;
	}
	const char *given = dataset_cell(r->d, (size_t)row, (size_t)r->d->label_col);
	const char *label = effective_label(r->dec, r->win1[row], given);
	return review_decide(r, LOG_CONFIRM, label);
}

int review_skip(struct review *r)
{
	review_move(r, 1);
	say(r, 0, "skipped (nothing recorded)");
	return 0;
}

int review_undo(struct review *r)
{
	int64_t target;
	struct err e = { 0 };
	int found = log_undo_target(r->db, -1, r->reviewer, &target, &e);
	if (found <= 0) {
		say(r, 1, found < 0 ? e.msg : "nothing of yours to undo");
		return -1;
	}
	/* The target may come from another process of this reviewer's. */
	long t = review_find_decision(r, target);
	if (t < 0 && load_decisions(r, &e) == 0)
		t = review_find_decision(r, target);
	if (t < 0) {
		say(r, 1, e.msg[0] ? e.msg : "undo: decision not found");
		return -1;
	}
	size_t row = r->dec[t].row;
	int rc = record(r, row, LOG_UNDO, NULL, target);
	if (rc < 0)
		return -1;
	requeue_after(r, rc, row);
	for (size_t i = 0; i < r->qlen; i++)
		if (r->queue[i] == row)
			r->cursor = i;
	char msg[120];
	snprintf(msg, sizeof msg, "undone: decision %lld on row %zu", (long long)target, row);
	if (!rc)
		say(r, 0, msg);
	return 0;
}

int review_set_note(struct review *r, const char *text)
{
	long row = review_row(r);
	if (row < 0 || !text || !*text) {
		say(r, 1, row < 0 ? "note: no example here" : "note: empty, nothing recorded");
		return -1;
	}
	char idbuf[32];
	struct log_new_note nn = {
		.row = (size_t)row, .example_id = dataset_id(r->d, (size_t)row, idbuf),
		.decision_id = 0, .reviewer = r->reviewer, .expert = r->role_expert || r->expert,
		.text = text,
	};
	struct err e = { 0 };
	review_write_begin(r);
	int w = log_add_note(r->db, &nn, NULL, &e);
	review_write_end(r);
	if (w < 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "NOT SAVED (note): %.400s", e.msg);
		say(r, 1, msg);
		return -1;
	}
	if (load_decisions(r, &e) < 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "note saved, but re-reading the log failed: %.400s", e.msg);
		say(r, 1, msg);
		return 0;
	}
	char msg[80];
	snprintf(msg, sizeof msg, "note saved on row %ld", row);
	say(r, 0, msg);
	return 0;
}

size_t review_notes_of(const struct review *r, size_t row, const struct log_note **out,
		       size_t max)
{
	size_t n = 0;
	for (size_t i = r->nnotes; i-- > 0;)
		if (r->notes[i].row == row) {
			if (n < max)
				out[n] = &r->notes[i];
			n++;
		}
	return n;
}

int review_commit(struct review *r, const char *message)
{
	struct log_version v;
	struct err e = { 0 };
	review_write_begin(r);
	int w = log_commit(r->db, r->reviewer, message, &v, &e);
	review_write_end(r);
	if (w < 0) {
		say(r, 1, e.msg);
		return -1;
	}
	r->version = v.number;
	char msg[120];
	snprintf(msg, sizeof msg, "committed version %lld", (long long)v.number);
	say(r, 0, msg);
	return 0;
}

int review_refresh(struct review *r)
{
	struct err e = { 0 };
	long row = review_row(r);
	if (load_decisions(r, &e) < 0) {
		say(r, 1, e.msg);
		return -1;
	}
	review_rebuild(r);
	for (size_t i = 0; row >= 0 && i < r->qlen; i++)
		if ((long)r->queue[i] == row)
			r->cursor = i;
	say(r, 0, "refreshed");
	return 0;
}



void review_progress(const struct review *r, struct review_progress *p)
{
	*p = r->prog[r->expert ? 1 : 0];   /* kept by each log read (review_count.c) */
	/* Over at least a minute, so the first decisions do not read as a
	 * burst of thousands per minute. */
	double minutes = (util_seconds() - r->started) / 60;
	p->per_minute = (double)r->session_decisions / (minutes > 1 ? minutes : 1);
}
