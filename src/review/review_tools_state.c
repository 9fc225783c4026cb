/* review_tools_state.c — the power tools' state in the session: made on
 * first use, freed with the session, and what it tells the queue and the
 * screen (an example's mark, the queue's source as text, sort names). It
 * calls nothing of the session, so the tools, the spot check and the queue
 * all build on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_tools.h"
#include "util.h"

struct review_tools *review_tools(struct review *r)
{
	if (!r->tools) {
		struct review_tools *t = xcalloc(1, sizeof *t);
		t->mark = xcalloc(r->d->n ? r->d->n : 1, 1);
		t->class_rank = xmallocarray(r->d->k, sizeof *t->class_rank);
		for (size_t c = 0; c < r->d->k; c++) {
			int pos = 0;
			for (size_t o = 0; o < r->d->k; o++)
				pos += strcmp(r->d->class_names[o], r->d->class_names[c]) < 0;
			t->class_rank[c] = pos;
		}
		t->order_pos = xmallocarray(r->d->n ? r->d->n : 1, sizeof *t->order_pos);
		for (size_t i = 0; i < r->d->n; i++)
			t->order_pos[i] = UINT32_MAX;
		t->order_sort = -1;
		t->examples = xcalloc(r->d->k ? r->d->k : 1, sizeof *t->examples);
		t->examples_n = xmallocarray(r->d->k ? r->d->k : 1, 1);
		memset(t->examples_n, 255, r->d->k ? r->d->k : 1);
		r->tools = t;
	}
	return r->tools;
}

void review_tools_free(struct review *r)
{
	struct review_tools *t = r->tools;
	if (!t)
		return;
	free(t->mark);
	free(t->hand);
	free(t->results);
	free(t->sample);
	free(t->class_rank);
	free(t->order);
	free(t->order_pos);
	free(t->order_sel);
	free(t->examples);
	free(t->examples_n);
	free(t->fold);
	free(t->fold_at);
	free(t);
	r->tools = NULL;
}

const char *review_tools_mark(const struct review *r, size_t row)
{
	const struct review_tools *t = r->tools;
	if (!t || r->rank[row] >= 0)
		return NULL;
	if (t->source == SRC_SPOT && (t->mark[row] & MARK_SPOT))
		return "spot check";
	if (t->mark[row] & MARK_HAND)
		return "added by hand";
	if (t->mark[row] & MARK_SPOT)
		return "spot check";
	return NULL;
}

void review_tools_source_text(const struct review *r, char *buf, size_t n)
{
	const struct review_tools *t = r->tools;
	buf[0] = '\0';
	if (!t)
		return;
	size_t o = 0;
	if (t->source == SRC_SEARCH)
		o = (size_t)snprintf(buf, n, "search-all=\"%s\"", t->query);
	else if (t->source == SRC_SPOT)
		o = (size_t)snprintf(buf, n, "spot-check=#%lld", (long long)t->spot_id);
	if (t->sort != SORT_RANK && o < n)
		snprintf(buf + o, n - o, "%ssort=%s", o ? " " : "", review_sort_name(t->sort));
}

void review_clear_filter(struct review *r)
{
	r->filter.given = r->filter.suggested = -1;
	r->filter.state = RS_ANY;
}

const char *review_sort_name(enum review_sort s)
{
	static const char *const names[SORT_KEYS] = {
		"rank", "score", "given", "suggested", "confidence",
	};
	return s < SORT_KEYS ? names[s] : "?";
}
