/* review_bulk.c — bulk decisions: one action on every undecided example of
 * the current queue, recorded as individual decisions sharing a batch id in
 * one transaction (all or nothing), and undoing such a batch as a whole.
 * The session takes the batch's decisions as recorded (no re-read of the
 * log) and finds a batch's members and their undos without a pass over
 * every decision's undo target. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log_batch.h"
#include "review_tools.h"
#include "util.h"


static int fail(struct review *r, const char *what, const char *why)
{
	snprintf(r->message, sizeof r->message, "%s%.450s", what, why);
	r->message_error = 1;
	return -1;
}

/* Record nds[0..n) as one batch, then catch up with the log. */
static int record_batch(struct review *r, struct log_new_decision *nds, size_t n,
			const char *batch)
{
	struct review_tools *t = r->tools;
	struct err e = { 0 };
	/* recorded straight into the session's array (no copy of the batch) */
	struct log_decision *done = review_decisions_room(r, n);
	review_write_begin(r);
	for (size_t i = 0; i < n; i++)        /* the recorded scan's, now known */
		nds[i].scan_id = r->scan_id;
	int w = log_decide_batch(r->db, nds, n, batch, n > BULK_PROGRESS_MIN ? t->progress : NULL,
				 t->progress_ctx, done, &e);
	review_write_end(r);
	if (w < 0)
		return fail(r, "NOT SAVED (nothing recorded): ", e.msg);
	r->session_decisions += n;
	int rc = review_take_decisions(r, done, n, &e);
	if (rc < 0)
		return fail(r, "saved, but re-reading the log failed: ", e.msg), 1;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Is r->dec[i] undone? Its undo is on its row (the log enforces it), after
 * it: a walk down the row's chain. */
static int is_undone(const struct review *r, size_t i)
{
	size_t row = r->dec[i].row;
	if (row >= r->d->n)
		return 0;
	for (long j = r->row_last[row]; j > (long)i; j = r->prev_on_row[j])
		if (r->dec[j].action == LOG_UNDO && r->dec[j].undoes == r->dec[i].id)
			return 1;
	return 0;
}

static int in_batch(const struct log_decision *dd, const char *batch)
{
	return dd->batch && dd->batch[0] == batch[0] && !strcmp(dd->batch, batch) &&
	       dd->action != LOG_UNDO;
}

long review_bulk(struct review *r, enum log_action a)
{
	struct review_tools *t = review_tools(r);
	if (a != LOG_ACCEPT && a != LOG_REJECT && a != LOG_EXCLUDE)
		return fail(r, "bulk: expected accept, reject or exclude", "");
	size_t n = review_bulk_count(r);
	if (!n)
		return fail(r, "bulk: no undecided example in this queue", "");
	const struct dataset *d = r->d;
	/* In row order: the log's index on rows is then updated page after
	 * page, and the data's cells are read in order (the rows are
	 * distinct, so the order means nothing else). */
	size_t *rows = xmallocarray(n, sizeof *rows), m = 0;
	for (size_t i = 0; i < r->qlen; i++) {
		size_t row = r->queue[i];
		if (!(r->expert ? r->win2[row] >= 0 : r->win[row] >= 0))
			rows[m++] = row;
	}
	qsort(rows, m, sizeof *rows, cmp_size);
	/* The ids copied one after another: the log reads each several times
	 * (hash, insert, the session's copy), from a few cache lines. */
	struct log_new_decision *nds = xmallocarray(m, sizeof *nds);
	size_t *at = xmallocarray(m, sizeof *at), len = 0, cap = 16 * m + 64;
	char *pool = xmalloc(cap), buf[32];
	for (size_t i = 0; i < m; i++) {
		const char *id = dataset_id(d, rows[i], buf);
		size_t k = strlen(id) + 1;
		if (len + k > cap)
			pool = xrealloc(pool, cap = 2 * cap + k);
		memcpy(pool + len, id, k);
		at[i] = len;
		len += k;
	}
	for (size_t i = 0; i < m; i++) {
		size_t row = rows[i];
		/* the given label as its class's name (the class list's own
		 * string: shared by the batch, checked once) */
		const char *given = d->class_names[d->labels[row]];
		nds[i] = (struct log_new_decision){
			.row = row, .example_id = pool + at[i], .action = a,
			.label = a == LOG_ACCEPT ? d->class_names[r->scan->suggested[row]] :
				 a == LOG_REJECT ? given : NULL,
			.reviewer = r->reviewer, .expert = r->expert, .pass = r->expert ? 2 : 1,
			.scan_id = r->scan_id,
		};
	}
	free(at);
	free(rows);
	char batch[37];
	log_new_batch_id(batch);
	int rc = record_batch(r, nds, m, batch);
	free(nds);
	free(pool);
	if (rc < 0)
		return -1;
	snprintf(t->batch, sizeof t->batch, "%s", batch);
	long row = review_row(r);
	review_rebuild(r);
	for (size_t i = 0; row >= 0 && i < r->qlen; i++)
		if ((long)r->queue[i] == row)
			r->cursor = i;
	if (!rc) {
		snprintf(r->message, sizeof r->message, "saved: bulk %s of %zu examples as one batch "
			 "(u undoes the whole batch)", log_action_name(a), m);
		r->message_error = 0;
	}
	return (long)m;
}

int review_tools_undo(struct review *r)
{
	struct review_tools *t = review_tools(r);
	struct err e = { 0 };
	int64_t target;
	if (review_load_decisions(r, &e) < 0)
		return fail(r, "", e.msg);
	int found = log_undo_target(r->db, -1, r->reviewer, &target, &e);
	long ti = found > 0 ? review_find_decision(r, target) : -1;
	if (ti < 0 || !r->dec[ti].batch)
		return review_undo(r);
	const char *batch = r->dec[ti].batch;
	/* Every decision of the batch that is not undone yet. A batch is
	 * recorded by one transaction, so its decisions are one run of ids
	 * (its undos, sharing its id, come later): the run around the target. */
	size_t lo = (size_t)ti, hi = (size_t)ti + 1;
	while (lo > 0 && in_batch(&r->dec[lo - 1], batch))
		lo--;
	while (hi < r->ndec && in_batch(&r->dec[hi], batch))
		hi++;
	struct log_new_decision *nds = xmallocarray(hi - lo, sizeof *nds);
	size_t m = 0, first_row = r->dec[ti].row;
	for (size_t i = lo; i < hi; i++) {
		const struct log_decision *dd = &r->dec[i];
		if (!in_batch(dd, batch) || is_undone(r, i))
			continue;
		if (!m)
			first_row = dd->row;
		nds[m++] = (struct log_new_decision){
			.row = dd->row, .example_id = dd->example_id, .action = LOG_UNDO,
			.reviewer = r->reviewer, .expert = r->expert, .pass = dd->pass,
			.scan_id = r->scan_id, .undoes = dd->id,
		};
	}
	/* The cursor goes to the batch's first example in the queue. */
	size_t *rows = xmallocarray(m ? m : 1, sizeof *rows);
	for (size_t i = 0; i < m; i++)
		rows[i] = nds[i].row;
	qsort(rows, m, sizeof *rows, cmp_size);
	char copy[40];
	snprintf(copy, sizeof copy, "%s", batch);
	int rc = record_batch(r, nds, m, copy);
	free(nds);
	if (rc < 0) {
		free(rows);
		return -1;
	}
	t->batch[0] = '\0';
	review_rebuild(r);
	for (size_t i = 0; i < r->qlen; i++)
		if (r->queue[i] == first_row ||
		    bsearch(&r->queue[i], rows, m, sizeof *rows, cmp_size)) {
			r->cursor = i;
			break;
		}
	free(rows);
	if (!rc) {
		snprintf(r->message, sizeof r->message, "undone: the whole batch, %zu decisions", m);
		r->message_error = 0;
	}
	return 0;
}
