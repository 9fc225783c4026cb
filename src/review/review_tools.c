/* review_tools.c — goto, search-all, sort, bulk decisions with batch
 * undo, the spot-check queue and class examples (see review_tools.h; their
 * state is review_tools_state.c's, unsure a decision of review.c's). */
#include "review_tools.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void say(struct review *r, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct review *r, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
	r->message_error = error;
}

static int open_item(const struct review *r, size_t row)
{
	return r->expert ? r->win2[row] < 0 : r->win[row] < 0;
}



static void add_hand(struct review *r, size_t row)
{
	struct review_tools *t = review_tools(r);
	if (t->mark[row] & MARK_HAND)
		return;
	t->mark[row] |= MARK_HAND;
	t->hand = xrealloc(t->hand, (t->nhand + 1) * sizeof *t->hand);
	t->hand[t->nhand++] = row;
}

/* First rebuild: the spot samples of this scan, and the unflagged examples
 * this reviewer decided earlier outside them, which rejoin as added by hand. */
static void init(struct review *r)
{
	struct review_tools *t = review_tools(r);
	t->inited = 1;
	spot_load(r);
	for (size_t i = 0; i < r->ndec; i++) {
		const struct log_decision *dd = &r->dec[i];
		if (dd->row < r->d->n && r->rank[dd->row] < 0 && !(t->mark[dd->row] & MARK_SPOT) &&
		    dd->action != LOG_UNDO && dd->pass == 1 && !strcmp(dd->reviewer, r->reviewer))
			add_hand(r, dd->row);
	}
}

/* The filter (classes, decision state) on a row of any source. */
static int passes(const struct review *r, size_t row)
{
	const struct review_filter *f = &r->filter;
	if (f->given >= 0 && r->d->labels[row] != f->given)
		return 0;
	if (f->suggested >= 0 && r->scan->suggested[row] != f->suggested)
		return 0;
	return review_state_matches(r, row, f->state);
}

static void fill_from(struct review *r, const size_t *rows, size_t n)
{
	r->qlen = 0;
	for (size_t i = 0; i < n; i++)
		if (passes(r, rows[i]))
			r->queue[r->qlen++] = rows[i];
}

/* Doubles as unsigned keys in the same order. */
static uint64_t dkey(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof u);
	return u >> 63 ? ~u : u | (1ULL << 63);
}

static uint64_t sort_key(const struct review *r, enum review_sort s, size_t row)
{
	const struct review_tools *t = r->tools;
	switch (s) {
	case SORT_SCORE: return dkey(r->scan->scores[row]);
	case SORT_GIVEN: return (uint64_t)t->class_rank[r->d->labels[row]];
	case SORT_SUGGESTED: return (uint64_t)t->class_rank[r->scan->suggested[row]];
	case SORT_CONFIDENCE:
		return ~dkey(r->d->probs[row * r->d->k + (size_t)r->scan->suggested[row]]);
	default: return r->rank[row] >= 0 ? (uint64_t)r->rank[row] : r->scan->n_ranked + row;
	}
}

struct keyed { uint64_t key; size_t row; };

/* Stable LSD radix sort of the queue by key, 8 bits a pass, skipping the
 * passes where every key has the same byte: ties keep the queue's order,
 * which is rank order. */
static void radix_sort_queue(struct review *r);

/* Order the queue by the sort key: a subset of the last sorted queue is
 * picked out of it in order; anything else is sorted afresh. */
static void sort_queue(struct review *r)
{
	struct review_tools *t = r->tools;
	size_t n = r->qlen;
	int hit = t->order_sort == (int)t->sort && n <= t->norder;
	for (size_t i = 0; hit && i < n; i++)
		hit = t->order_pos[r->queue[i]] != UINT32_MAX;
	if (hit) {
		memset(t->order_sel, 0, t->norder);
		for (size_t i = 0; i < n; i++)
			t->order_sel[t->order_pos[r->queue[i]]] = 1;
		size_t q = 0;
		for (size_t p = 0; p < t->norder; p++)
			if (t->order_sel[p])
				r->queue[q++] = t->order[p];
		return;
	}
	radix_sort_queue(r);
	for (size_t p = 0; p < t->norder; p++)
		t->order_pos[t->order[p]] = UINT32_MAX;
	t->order = xrealloc(t->order, (n ? n : 1) * sizeof *t->order);
	t->order_sel = xrealloc(t->order_sel, n ? n : 1);
	memcpy(t->order, r->queue, n * sizeof *t->order);
	t->norder = n;
	for (size_t p = 0; p < n; p++)
		t->order_pos[t->order[p]] = (uint32_t)p;
	t->order_sort = (int)t->sort;
}

static void radix_sort_queue(struct review *r)
{
	size_t n = r->qlen;
	if (n < 2)
		return;
	struct keyed *a = xmallocarray(n, sizeof *a), *b = xmallocarray(n, sizeof *b);
	uint64_t all_or = 0, all_and = ~0ULL;
	for (size_t i = 0; i < n; i++) {
		a[i].row = r->queue[i];
		a[i].key = sort_key(r, r->tools->sort, a[i].row);
		all_or |= a[i].key;
		all_and &= a[i].key;
	}
	for (int shift = 0; shift < 64; shift += 8) {
		if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
			continue;
		size_t count[257] = { 0 };
		for (size_t i = 0; i < n; i++)
			count[((a[i].key >> shift) & 0xff) + 1]++;
		for (int c = 0; c < 256; c++)
			count[c + 1] += count[c];
		for (size_t i = 0; i < n; i++)
			b[count[(a[i].key >> shift) & 0xff]++] = a[i];
		struct keyed *tmp = a;
		a = b;
		b = tmp;
	}
	for (size_t i = 0; i < n; i++)
		r->queue[i] = a[i].row;
	free(a);
	free(b);
}

void review_tools_rebuild(struct review *r)
{
	struct review_tools *t = review_tools(r);
	if (!t->inited)
		init(r);
	if (t->source == SRC_SEARCH) {
		fill_from(r, t->results, t->nresults);
	} else if (t->source == SRC_SPOT) {
		fill_from(r, t->sample, t->nsample);
	} else if (t->nhand) {      /* the hand-added examples not already listed */
		for (size_t i = 0; i < r->qlen; i++)
			t->mark[r->queue[i]] |= MARK_SCRATCH;
		size_t q = r->qlen;
		for (size_t i = 0; i < t->nhand; i++) {
			size_t row = t->hand[i];
			if (!(t->mark[row] & MARK_SCRATCH) && passes(r, row))
				r->queue[r->qlen++] = row;
		}
		for (size_t i = 0; i < q; i++)
			t->mark[r->queue[i]] &= (unsigned char)~MARK_SCRATCH;
	}
	if (t->sort != SORT_RANK)
		sort_queue(r);
	r->queue_plain = t->source == SRC_FLAGGED && !t->nhand && t->sort == SORT_RANK;
	if (r->cursor >= r->qlen)
		r->cursor = r->qlen ? r->qlen - 1 : 0;
}




/* Put the cursor on row; returns 0, or -1 when it is not in the queue. */
static int cursor_to(struct review *r, size_t row)
{
	for (size_t i = 0; i < r->qlen; i++)
		if (r->queue[i] == row) {
			r->cursor = i;
			return 0;
		}
	return -1;
}


void review_tools_back(struct review *r)
{
	struct review_tools *t = review_tools(r);
	long row = review_row(r);
	t->source = SRC_FLAGGED;
	review_rebuild(r);
	r->cursor = 0;
	if (row >= 0)
		cursor_to(r, (size_t)row);
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

int review_goto(struct review *r, const char *spec)
{
	struct review_tools *t = review_tools(r);
	while (*spec == ' ')
		spec++;
	long row = -1;
	int by_row = !strncmp(spec, "row ", 4), by_id = !strncmp(spec, "id ", 3);
	const char *v = by_row ? spec + 4 : by_id ? spec + 3 : spec;
	while (*v == ' ')
		v++;
	if (!*v) {
		say(r, 1, "goto: expected a row number or an id");
		return -1;
	}
	if (!by_row)
		row = dataset_find_id(r->d, v);
	if (row < 0 && !by_id && all_digits(v)) {
		unsigned long long x = strtoull(v, NULL, 10);
		row = x < r->d->n ? (long)x : -1;
	}
	if (row < 0) {
		if (by_row || (!by_id && all_digits(v)))
			say(r, 1, "goto: no row %.100s (rows are 0 to %zu)", v, r->d->n - 1);
		else
			say(r, 1, "goto: no example with id \"%.200s\"", v);
		return -1;
	}
	size_t rw = (size_t)row;
	char idbuf[32];
	const char *id = dataset_id(r->d, rw, idbuf);
	if (cursor_to(r, rw) == 0) {
		say(r, 0, "row %zu (id %.100s)", rw, id);
		return 0;
	}
	int was_hand = (t->mark[rw] & MARK_HAND) != 0;
	if (!(t->source == SRC_SPOT && (t->mark[rw] & MARK_SPOT))) {
		t->source = SRC_FLAGGED;
		if (r->rank[rw] < 0)
			add_hand(r, rw);
	}
	review_rebuild(r);
	if (cursor_to(r, rw) < 0) {     /* hidden by the filter: clear it */
		review_clear_filter(r);
		review_rebuild(r);
	}
	if (cursor_to(r, rw) < 0) {     /* decided by another reviewer */
		t->source = SRC_FLAGGED;
		add_hand(r, rw);
		review_rebuild(r);
		cursor_to(r, rw);
	}
	if ((t->mark[rw] & MARK_HAND) && !was_hand)
		say(r, 0, "row %zu (id %.100s) added by hand%s", rw, id,
		    r->rank[rw] < 0 ? ": not flagged by the scan" : "");
	else
		say(r, 0, "row %zu (id %.100s)", rw, id);
	return 0;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static void fold_append(struct review_tools *t, const char *s)
{
	size_t n = strlen(s);
	if (t->fold_len + n + 2 > t->fold_cap) {
		t->fold_cap = (t->fold_len + n + 2) * 3 / 2 + 4096;
		t->fold = xrealloc(t->fold, t->fold_cap);
	}
	unsigned char *o = (unsigned char *)t->fold + t->fold_len;
	for (size_t i = 0; i < n; i++)
		t->fold_count[o[i] = lower((unsigned char)s[i])]++;
	t->fold_len += n;
}

/* Index rows up to `upto` (at most). */
static void fold_rows(struct review *r, size_t upto)
{
	struct review_tools *t = review_tools(r);
	const struct dataset *d = r->d;
	if (!t->fold_at)
		t->fold_at = xmallocarray(d->n + 1, sizeof *t->fold_at);
	if (upto > d->n)
		upto = d->n;
	for (; t->fold_rows < upto; t->fold_rows++) {
		size_t row = t->fold_rows;
		char idbuf[32];
		t->fold_at[row] = t->fold_len;
		fold_append(t, dataset_id(d, row, idbuf));
		t->fold[t->fold_len++] = '\001';
		if (d->text_col >= 0)
			fold_append(t, dataset_cell(d, row, (size_t)d->text_col));
		t->fold[t->fold_len++] = '\n';
	}
	t->fold_at[t->fold_rows] = t->fold_len;
}

int review_tools_idle(struct review *r)
{
	struct review_tools *t = review_tools(r);
	if (log_idle(r->db))                    /* a bulk batch's checkpoint */
		return 1;
	if (t->fold_rows >= r->d->n)
		return 0;
	fold_rows(r, t->fold_rows + 20000);     /* about 5 ms */
	return 1;
}

/* The row whose indexed text holds byte offset off, at or after row
 * `from` (matches come in order, so the search walks forward). */
static size_t row_at(const struct review_tools *t, size_t from, size_t off)
{
	size_t step = 1, lo = from, hi;
	while (lo + step < t->fold_rows && t->fold_at[lo + step] <= off) {   /* gallop */
		lo += step;
		step *= 2;
	}
	hi = lo + step < t->fold_rows ? lo + step : t->fold_rows;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (t->fold_at[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

long review_search_all(struct review *r, const char *text)
{
	struct review_tools *t = review_tools(r);
	while (*text == ' ')
		text++;
	if (!*text) {
		review_tools_back(r);
		say(r, 0, "back to the flagged examples");
		return 0;
	}
	char needle[sizeof t->query];
	size_t n = 0;
	for (; text[n] && n + 1 < sizeof needle; n++)
		needle[n] = (char)lower((unsigned char)text[n]);
	needle[n] = '\0';
	const struct dataset *d = r->d;
	size_t nm = 0, nf = 0, *hits = xmallocarray(d->n ? d->n : 1, sizeof *hits);
	unsigned char *hit = xcalloc(d->n ? d->n : 1, 1);
	fold_rows(r, d->n);
	/* memchr for the needle's rarest byte, then compare the rest. */
	size_t rare = 0;
	for (size_t i = 1; i < n; i++)
		if (t->fold_count[(unsigned char)needle[i]] < t->fold_count[(unsigned char)needle[rare]])
			rare = i;
	const char *p = t->fold + rare, *end = p;
	size_t at = 0;
	if (t->fold_len >= n)
		end = t->fold + t->fold_len - (n - rare) + 1;
	while (p < end) {
		const char *m = memchr(p, needle[rare], (size_t)(end - p));
		if (!m)
			break;
		const char *start = m - rare;
		if (memcmp(start, needle, n)) {
			p = m + 1;
			continue;
		}
		at = row_at(t, at, (size_t)(start - t->fold));
		hit[at] = 1;
		p = t->fold + t->fold_at[at + 1] + rare;    /* on to the next row */
	}
	for (size_t i = 0; i < r->scan->n_ranked; i++) {   /* flagged first, by rank */
		size_t row = r->scan->ranked[i];
		if (hit[row] && r->scan->flagged[row]) {
			hits[nm++] = row;
			hit[row] = 0;
			nf++;
		}
	}
	for (size_t row = 0; row < d->n; row++)
		if (hit[row])
			hits[nm++] = row;
	free(hit);
	if (!nm) {
		free(hits);
		say(r, 1, "search-all: no example matches \"%.200s\"", text);
		return -1;
	}
	free(t->results);
	t->results = hits;
	review_clear_filter(r);         /* the whole dataset: no filter hides a match */
	t->nresults = nm;
	t->nresults_flagged = nf;
	snprintf(t->query, sizeof t->query, "%s", text);
	t->source = SRC_SEARCH;
	review_rebuild(r);
	r->cursor = 0;
	char msg[300];
	snprintf(msg, sizeof msg, "search-all \"%.150s\": %zu matches, %zu flagged (F returns to "
		 "the flagged queue)", text, nm, nf);
	say(r, 0, "%s", msg);
	return (long)nm;
}


int review_sort(struct review *r, const char *key)
{
	struct review_tools *t = review_tools(r);
	while (*key == ' ')
		key++;
	for (int s = 0; s < SORT_KEYS; s++)
		if (!strcmp(key, review_sort_name((enum review_sort)s))) {
			long row = review_row(r);
			t->sort = (enum review_sort)s;
			review_rebuild(r);
			r->cursor = 0;
			if (row >= 0)
				cursor_to(r, (size_t)row);
			say(r, 0, "sorted by %s", key);
			return 0;
		}
	say(r, 1, "sort: expected rank, score, given, suggested or confidence, not \"%.100s\"",
	    key);
	return -1;
}

static size_t top_examples(const struct review *r, int cls, size_t *out, size_t max);

/* Insert row (probability p of its class) into a top list of at most max. */
static void top_insert(const struct dataset *d, size_t cls, size_t *out, unsigned char *m,
		       size_t max, size_t row, double p)
{
	if (*m == max && p <= d->probs[out[*m - 1] * d->k + cls])
		return;
	size_t i = *m < max ? (*m)++ : *m - 1u;
	while (i > 0 && d->probs[out[i - 1] * d->k + cls] < p) {
		out[i] = out[i - 1];
		i--;
	}
	out[i] = row;
}

/* The kept examples of every class, in one pass over the rows. */
static void all_examples(const struct review *r, struct review_tools *t)
{
	const struct dataset *d = r->d;
	memset(t->examples_n, 0, d->k);
	for (size_t row = 0; row < d->n; row++) {
		if (r->scan->flagged[row])
			continue;
		size_t c = (size_t)d->labels[row];
		top_insert(d, c, t->examples[c], &t->examples_n[c], 16, row, d->probs[row * d->k + c]);
	}
}

size_t review_class_examples(const struct review *r, int cls, size_t *out, size_t max)
{
	if (cls < 0 || (size_t)cls >= r->d->k || !max)
		return 0;
	struct review_tools *t = review_tools((struct review *)r);
	if (t->examples_n[cls] == 255)
		all_examples(r, t);
	size_t m = t->examples_n[cls] < max ? t->examples_n[cls] : max;
	memcpy(out, t->examples[cls], m * sizeof *out);
	if (max <= 16 || m < 16)
		return m;
	return top_examples(r, cls, out, max);     /* more than are kept */
}

static size_t top_examples(const struct review *r, int cls, size_t *out, size_t max)
{
	const struct dataset *d = r->d;
	size_t m = 0;
	/* A small insertion-sorted top list: max is a handful. */
	for (size_t row = 0; row < d->n; row++) {
		if (d->labels[row] != cls || r->scan->flagged[row])
			continue;
		double p = d->probs[row * d->k + (size_t)cls];
		if (m == max && p <= d->probs[out[m - 1] * d->k + (size_t)cls])
			continue;
		size_t i = m < max ? m++ : m - 1;
		while (i > 0 && d->probs[out[i - 1] * d->k + (size_t)cls] < p) {
			out[i] = out[i - 1];
			i--;
		}
		out[i] = row;
	}
	return m;
}

size_t review_bulk_count(const struct review *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->qlen; i++)
		n += open_item(r, r->queue[i]);
	return n;
}

