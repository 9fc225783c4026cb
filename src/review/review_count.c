/* review_count.c — the session's counts kept as decisions arrive: progress
 * (annotator's and expert's view), per-class decided counts and the pairs
 * of outcomes of rows decided in both passes (agreement). A log read takes
 * each touched row's share out before its winners change and puts it back
 * after, so no redraw or health view rescans the rows. */
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "util.h"


static void bump(size_t *x, int sign)
{
	if (sign > 0)
		++*x;
	else
		--*x;
}

/* One view's share of a row: the annotator counts flagged rows decided in
 * any pass; the expert the rows annotators decided, decided in pass 2. */
static void view_row(const struct review *r, size_t row, int expert,
		     struct review_progress *p, int sign)
{
	if (expert ? r->win1[row] < 0 : !r->scan->flagged[row])
		return;
	bump(&p->total, sign);
	long w = expert ? r->win2[row] : r->win[row];
	if (w < 0)
		return;
	bump(&p->decided, sign);
	bump(strcmp(r->dec[w].reviewer, r->reviewer) ? &p->others : &p->mine, sign);
	if (review_disagrees(r, row))
		bump(&p->disagree, sign);
}

void review_count_row(struct review *r, size_t row, int sign)
{
	view_row(r, row, 0, &r->prog[0], sign);
	view_row(r, row, 1, &r->prog[1], sign);
	if (r->scan->flagged[row] && r->win[row] >= 0)
		bump(&r->class_decided[r->d->labels[row]], sign);
	if (r->win1[row] >= 0 && r->win2[row] >= 0) {
		size_t a = (size_t)review_outcome(r, r->win1[row]);
		size_t b = (size_t)review_outcome(r, r->win2[row]);
		bump(&r->pairs[a * (r->d->k + 1) + b], sign);
	}
}

void review_count_all(struct review *r)
{
	size_t k = r->d->k;
	memset(r->prog, 0, sizeof r->prog);
	free(r->pairs);
	free(r->class_decided);
	r->pairs = xcalloc((k + 1) * (k + 1), sizeof *r->pairs);
	r->class_decided = xcalloc(k ? k : 1, sizeof *r->class_decided);
	for (size_t row = 0; row < r->d->n; row++)
		review_count_row(r, row, 1);
}

void review_count_free(struct review *r)
{
	free(r->pairs);
	free(r->class_decided);
	r->pairs = NULL;
	r->class_decided = NULL;
}
