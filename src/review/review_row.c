/* review_row.c — what one example is in the session, read from its
 * arrays: its winning decision (this pass's), its state and the state
 * filter's groups, whether another reviewer or the other pass decided it
 * differently, the outcome a decision gives, and the row under the cursor.
 * Pure queries: the leaf the session's other files build on.
 */
#include <stdlib.h>
#include <string.h>

#include "review.h"

int review_outcome(const struct review *r, long w)
{
	const struct log_decision *d = &r->dec[w];
	if (d->action == LOG_EXCLUDE)
		return (int)r->d->k;
	int c = d->label ? dataset_class_index(r->d, d->label) : -1;
	return c < 0 ? (int)r->d->k : c;
}

int review_by_other(const struct review *r, size_t row)
{
	const struct log_decision *dd = review_decision(r, row);
	return dd && strcmp(dd->reviewer, r->reviewer) != 0;
}

size_t review_rank_place(const struct review *r, size_t qr, size_t row)
{
	int32_t want = r->rank[row];
	size_t lo = 0, hi = qr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->rank[r->queue[mid]] < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct log_decision *review_decision(const struct review *r, size_t row)
{
	long w = r->expert ? r->win2[row] : r->win[row];
	return w >= 0 ? &r->dec[w] : NULL;
}

const char *review_state_name(enum review_state s)
{
	static const char *const names[RS_STATES] = {
		"undecided", "accepted", "relabelled", "rejected", "excluded", "unsure", "decided",
		"others", "mine", "disagree",
	};
	return s >= 0 && s < RS_STATES ? names[s] : "any";
}

static enum review_state state_of_decision(const struct log_decision *d, const char *given)
{
	switch (d->action) {
	case LOG_ACCEPT: return RS_ACCEPTED;
	case LOG_EXCLUDE: return RS_EXCLUDED;
	case LOG_REJECT: return RS_REJECTED;
	case LOG_UNSURE: return RS_UNSURE;
	default:
		if (!d->label)
			return RS_EXCLUDED;
		return strcmp(d->label, given) ? RS_RELABELLED : RS_REJECTED;
	}
}

enum review_state review_state_of(const struct review *r, size_t row)
{
	long w = r->win[row];
	if (w < 0)
		return RS_UNDECIDED;
	return state_of_decision(&r->dec[w], r->d->class_names[r->d->labels[row]]);
}

long review_row(const struct review *r)
{
	return r->qlen ? (long)r->queue[r->cursor] : -1;
}

long review_find_decision(const struct review *r, int64_t id)
{
	size_t lo = 0, hi = r->ndec;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->dec[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->ndec && r->dec[lo].id == id ? (long)lo : -1;
}

int review_disagrees(const struct review *r, size_t row)
{
	return r->win1[row] >= 0 && r->win2[row] >= 0 &&
	       review_outcome(r, r->win1[row]) != review_outcome(r, r->win2[row]);
}

int review_state_matches(const struct review *r, size_t row, int state)
{
	switch (state) {
	case RS_ANY: return 1;
	case RS_OTHERS: return review_by_other(r, row);
	case RS_MINE: return !review_by_other(r, row);
	case RS_DISAGREE: return review_disagrees(r, row);
	case RS_DECIDED: return review_decision(r, row) != NULL;
	case RS_UNDECIDED: return review_decision(r, row) == NULL;
	default: return (int)review_state_of(r, row) == state;
	}
}
