/* review_queue.c — which examples the session shows, in which order:
 * filters, search, and the agreement between review passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "sanitize.h"
#include "review_tools.h"
#include "util.h"


static int shown(const struct review *r, size_t row)
{
	const struct review_filter *f = &r->filter;
	if (f->given >= 0 && r->d->labels[row] != f->given)
		return 0;
	if (f->suggested >= 0 && r->scan->suggested[row] != f->suggested)
		return 0;
	if (r->expert && r->win1[row] < 0)   /* second review: what annotators decided */
		return 0;
	return review_state_matches(r, row, f->state);
}


/* The ranked rows the filter shows, in rank order. The classes come from
 * ranked_classes, in order; the per-row arrays a state filter or an
 * expert's queue reads (win, win1, win2: 40 MB each at 10^7 rows) are
 * read at random rows, so each is fetched PREFETCH rows ahead (at 10^6
 * flagged the pass waited on memory for 37-55 ms without). */
#define PREFETCH 64
static void ranked_pass(struct review *r)
{
	const struct cl_scan *s = r->scan;
	const struct review_filter *f = &r->filter;
	const int32_t *cls = r->ranked_classes;
	const int32_t *w = r->expert ? r->win2 : r->win;
	int per_row = r->expert || f->state != RS_ANY;
	size_t n = s->n_ranked, q = 0;
	for (size_t i = 0; i < n; i++) {
		if (f->given >= 0 && cls[2 * i] != f->given)
			continue;
		if (f->suggested >= 0 && cls[2 * i + 1] != f->suggested)
			continue;
		size_t row = s->ranked[i];
		if (per_row) {
			if (i + PREFETCH < n) {
				size_t ahead = s->ranked[i + PREFETCH];
				__builtin_prefetch(&w[ahead]);
				if (r->expert)
					__builtin_prefetch(&r->win1[ahead]);
			}
			if ((r->expert && r->win1[row] < 0) ||
			    !review_state_matches(r, row, f->state))
				continue;
		}
		r->queue[q++] = row;
	}
	r->qlen = q;
}

void review_rebuild(struct review *r)
{
	ranked_pass(r);
	if (r->expert)      /* decided examples the scan did not flag, by row */
		for (size_t row = 0; row < r->d->n; row++)
			if (r->rank[row] < 0 && shown(r, row))
				r->queue[r->qlen++] = row;
	r->queue_plain = 0;
	if (r->rebuild_sources)   /* search-all, spot check, added by hand, sort */
		r->rebuild_sources(r);
	if (r->cursor >= r->qlen)
		r->cursor = r->qlen ? r->qlen - 1 : 0;
}

/* A queue of the scan's ranked rows in rank order (no expert's, no tool's
 * source, order or hand-added rows) changes by a decision on a ranked row
 * at most by that row: a filter on the decision state hides it now or
 * shows it again. It is taken out or put back at its rank's place, found
 * by binary search (a move of the rows after it, not a pass testing every
 * ranked row: 10^6 flagged cost 5-12 ms a decision that way). */
void review_requeue_row(struct review *r, size_t row)
{
	if (r->expert || r->rank[row] < 0 || !r->queue_plain) {
		review_rebuild(r);
		return;
	}
	size_t lo = review_rank_place(r, r->qlen, row);
	int in = lo < r->qlen && r->queue[lo] == row, show = shown(r, row);
	if (in && !show) {
		memmove(r->queue + lo, r->queue + lo + 1, (r->qlen - lo - 1) * sizeof *r->queue);
		r->qlen--;
	} else if (!in && show) {
		memmove(r->queue + lo + 1, r->queue + lo, (r->qlen - lo) * sizeof *r->queue);
		r->queue[lo] = row;
		r->qlen++;
	}
	if (r->cursor >= r->qlen)
		r->cursor = r->qlen ? r->qlen - 1 : 0;
}

static void set_msg(struct review *r, int error, const char *what, const char *arg)
{
	snprintf(r->message, sizeof r->message, "%s%.300s", what, arg);
	r->message_error = error;
}

void review_filter_pair(struct review *r, int given, int suggested)
{
	r->filter.given = given;
	r->filter.suggested = suggested;
	review_rebuild(r);
	r->cursor = 0;
}

int review_filter(struct review *r, const char *spec)
{
	char kind[32] = "", a[256] = "", b[256] = "";
	sscanf(spec, "%31s %255s %255s", kind, a, b);
	struct review_filter f = r->filter;
	if (!strcmp(kind, "clear")) {
		f.given = f.suggested = -1;
		f.state = RS_ANY;
		r->filter = f;
		review_rebuild(r);
		r->cursor = 0;
		set_msg(r, 0, "filter cleared", "");
		return 0;
	} else if (!strcmp(kind, "given") || !strcmp(kind, "suggested")) {
		int c = a[0] ? dataset_class_index(r->d, a) : -1;
		if (a[0] && c < 0) {
			set_msg(r, 1, "filter: no class ", a);
			return -1;
		}
		*(kind[0] == 'g' ? &f.given : &f.suggested) = c;
	} else if (!strcmp(kind, "pair")) {
		int g = dataset_class_index(r->d, a), s = dataset_class_index(r->d, b);
		if (g < 0 || s < 0) {
			set_msg(r, 1, "filter pair: expected two class names, got ", spec);
			return -1;
		}
		f.given = g;
		f.suggested = s;
	} else if (!strcmp(kind, "state")) {
		f.state = RS_ANY;
		for (int s = 0; s < RS_STATES; s++)
			if (!strcmp(a, review_state_name((enum review_state)s)))
				f.state = s;
		if (f.state == RS_ANY && strcmp(a, "any")) {
			set_msg(r, 1, "filter state: expected undecided, accepted, relabelled, "
				"rejected, excluded, decided, others, mine, disagree or any, not ", a);
			return -1;
		}
	} else {
		set_msg(r, 1, "filter: expected given, suggested, pair, state or clear, not ", spec);
		return -1;
	}
	r->filter = f;
	review_rebuild(r);
	r->cursor = 0;
	char terms[300], msg[400];
	review_filter_text(r, terms, sizeof terms);
	if (terms[0])
		snprintf(msg, sizeof msg, "filter %s: %zu shown%s", terms, r->qlen,
			 r->qlen ? "" : " (nothing matches; F clears)");
	else
		snprintf(msg, sizeof msg, "no filter: %zu shown", r->qlen);
	set_msg(r, 0, msg, "");
	return 0;
}

void review_filter_text(const struct review *r, char *buf, size_t n)
{
	const struct review_filter *f = &r->filter;
	size_t o = 0;
	char cls[1024];
	buf[0] = '\0';
	if (f->given >= 0)
		o += (size_t)snprintf(buf + o, n - o, "given=%s ",
				      san_class(cls, sizeof cls, r->d->class_names[f->given]));
	if (f->suggested >= 0 && o < n)
		o += (size_t)snprintf(buf + o, n - o, "suggested=%s ",
				      san_class(cls, sizeof cls, r->d->class_names[f->suggested]));
	if (f->state != RS_ANY && o < n)
		o += (size_t)snprintf(buf + o, n - o, "state=%s ", review_state_name((enum review_state)f->state));
	if (o < n) {            /* the queue's source and sort, if not the default */
		size_t before = o;
		review_tools_source_text(r, buf + o, n - o);
		o += strlen(buf + o);
		if (o > before && o + 1 < n) {
			buf[o++] = ' ';
			buf[o] = '\0';
		}
	}
	if (o && o < n)
		buf[o - 1] = '\0';
}

int review_search(struct review *r, const char *text, int dir)
{
	if (text)
		snprintf(r->search, sizeof r->search, "%s", text);
	if (!r->search[0] || !r->qlen)
		return -1;
	char needle[sizeof r->search];
	size_t n = 0;
	for (; r->search[n]; n++)
		needle[n] = (char)(r->search[n] >= 'A' && r->search[n] <= 'Z' ?
				   r->search[n] | 0x20 : r->search[n]);
	needle[n] = '\0';
	long i = review_search_find(r, needle, dir);   /* review_search.c */
	if (i >= 0) {
		r->cursor = (size_t)i;
		set_msg(r, 0, "found ", r->search);
		return 0;
	}
	set_msg(r, 1, "no match for ", r->search);
	return -1;
}


/* Both agreement figures come from the pairs of outcomes kept by each log
 * read (review_count.c): O(k^2), not a pass over the rows. */
size_t review_agreement_count(const struct review *r, int cls, size_t *agreeing)
{
	size_t k = r->d->k + 1, n = 0, same = 0;
	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b < k; b++)
			if ((int)a == cls || (int)b == cls) {
				n += r->pairs[a * k + b];
				same += a == b ? r->pairs[a * k + b] : 0;
			}
	if (agreeing)
		*agreeing = same;
	return n;
}

size_t review_agreement(const struct review *r, int cls, double *agree, double *kappa)
{
	size_t k = r->d->k + 1, n = 0, same = 0;
	double *pa = xcalloc(k, sizeof *pa), *pb = xcalloc(k, sizeof *pb);
	for (size_t a0 = 0; a0 < k; a0++)
		for (size_t b0 = 0; b0 < k; b0++) {
			size_t c = r->pairs[a0 * k + b0];
			if (!c)
				continue;
			size_t a = a0, b = b0;
			if (cls >= 0) {       /* one class against the rest */
				a = (int)a == cls;
				b = (int)b == cls;
			}
			n += c;
			same += a == b ? c : 0;
			pa[a] += (double)c;
			pb[b] += (double)c;
		}
	double po = n ? (double)same / (double)n : 0, pe = 0;
	for (size_t c = 0; c < k && n; c++)
		pe += (pa[c] / (double)n) * (pb[c] / (double)n);
	*agree = po;
	*kappa = pe < 1 ? (po - pe) / (1 - pe) : 1.0;
	free(pa);
	free(pb);
	return n;
}
