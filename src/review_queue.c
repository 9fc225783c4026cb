/* review_queue.c — which examples the session shows, in which order:
 * filters, search, and the agreement between review passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "sanitize.h"
#include "review_tools.h"
#include "util.h"

void review_rebuild(struct review *r);

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

void review_rebuild(struct review *r)
{
	const struct cl_scan *s = r->scan;
	r->qlen = 0;
	for (size_t i = 0; i < s->n_ranked; i++)
		if (shown(r, s->ranked[i]))
			r->queue[r->qlen++] = s->ranked[i];
	if (r->expert)      /* decided examples the scan did not flag, by row */
		for (size_t row = 0; row < r->d->n; row++)
			if (r->rank[row] < 0 && shown(r, row))
				r->queue[r->qlen++] = row;
	review_tools_rebuild(r);   /* search-all, spot check, added by hand, sort */
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

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* ASCII case-insensitive substring test; `needle` is already lower case
 * and not empty. Looks for the first byte in either case before comparing. */
static int contains_ci(const char *hay, const char *needle, size_t n)
{
	unsigned char c0 = (unsigned char)needle[0];
	unsigned char c1 = c0 >= 'a' && c0 <= 'z' ? (unsigned char)(c0 & ~0x20) : c0;
	for (const unsigned char *p = (const unsigned char *)hay; *p; p++) {
		if (*p != c0 && *p != c1)
			continue;
		size_t i = 1;
		while (i < n && p[i] && lower(p[i]) == (unsigned char)needle[i])
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

int review_search(struct review *r, const char *text, int dir)
{
	if (text)
		snprintf(r->search, sizeof r->search, "%s", text);
	if (!r->search[0] || !r->qlen)
		return -1;
	const struct dataset *d = r->d;
	char needle[sizeof r->search];
	size_t n = 0;
	for (; r->search[n]; n++)
		needle[n] = (char)lower((unsigned char)r->search[n]);
	needle[n] = '\0';
	for (size_t k = 1; k <= r->qlen; k++) {
		size_t i = (r->cursor + r->qlen + (dir < 0 ? r->qlen - k : k)) % r->qlen;
		size_t row = r->queue[i];
		char idbuf[32];
		if (contains_ci(dataset_id(d, row, idbuf), needle, n) ||
		    (d->text_col >= 0 &&
		     contains_ci(dataset_cell(d, row, (size_t)d->text_col), needle, n))) {
			r->cursor = i;
			set_msg(r, 0, "found ", r->search);
			return 0;
		}
	}
	set_msg(r, 1, "no match for ", r->search);
	return -1;
}

/* Outcome code of a decision: class index, or k for excluded. */
static int outcome(const struct review *r, long w)
{
	const struct log_decision *d = &r->dec[w];
	if (d->action == LOG_EXCLUDE)
		return (int)r->d->k;
	int c = d->label ? dataset_class_index(r->d, d->label) : -1;
	return c < 0 ? (int)r->d->k : c;
}

int review_disagrees(const struct review *r, size_t row)
{
	return r->win1[row] >= 0 && r->win2[row] >= 0 &&
	       outcome(r, r->win1[row]) != outcome(r, r->win2[row]);
}

size_t review_agreement_count(const struct review *r, int cls, size_t *agreeing)
{
	size_t n = 0, same = 0;
	for (size_t row = 0; row < r->d->n; row++) {
		if (r->win1[row] < 0 || r->win2[row] < 0)
			continue;
		int a = outcome(r, r->win1[row]), b = outcome(r, r->win2[row]);
		if (a == cls || b == cls) {
			n++;
			same += a == b;
		}
	}
	if (agreeing)
		*agreeing = same;
	return n;
}

size_t review_agreement(const struct review *r, int cls, double *agree, double *kappa)
{
	size_t k = r->d->k + 1, n = 0, same = 0;
	double *pa = xcalloc(k, sizeof *pa), *pb = xcalloc(k, sizeof *pb);
	for (size_t row = 0; row < r->d->n; row++) {
		if (r->win1[row] < 0 || r->win2[row] < 0)
			continue;
		int a = outcome(r, r->win1[row]), b = outcome(r, r->win2[row]);
		if (cls >= 0) {       /* one class against the rest */
			a = a == cls;
			b = b == cls;
		}
		n++;
		same += a == b;
		pa[a]++;
		pb[b]++;
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
