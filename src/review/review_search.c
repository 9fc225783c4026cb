/* review_search.c — finding text in the queue without a pass over it: the
 * ids and texts of the scan's ranked rows, lower-cased, in one buffer in
 * rank order (built at the first search), searched with memmem. The queue
 * lists its ranked rows in rank order, so a match maps back to its queue
 * position by binary search. Rows the scan did not rank (an expert's queue
 * shows the decided ones, a reviewer's those decided or added by hand: with
 * 10^5 decisions in the log they are tens of thousands) are checked one by
 * one against entries of the same form kept for them in a second buffer,
 * made the first time each is searched. The ranked part can be built on a
 * thread of its own as the screen opens (review_search_start): the session
 * touches the index only once that thread has ended. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "review.h"
#include "util.h"

struct review_search_index {
	const struct cl_scan *scan;   /* the scan it was built for */
	char *text;                   /* id \0 [text \0] of each ranked row */
	size_t len, cap;
	size_t *start;                /* n_ranked + 1 offsets into text */
	size_t built;                 /* ranked rows in it so far */
	/* Rows outside the ranking: entries of the same form, made on demand. */
	char *extra;
	size_t extra_len, extra_cap;
	uint64_t *extra_at;           /* per row: offset + 1 of its entry, 0: none */
	uint32_t *extra_n;            /* per row: its entry's length */
	size_t *extra_off, *extra_row, extra_count;   /* the entries in buffer order */
	uint32_t *pos, *pos_gen, gen; /* per row: queue position, stamped by a search */
	/* review_search_start's thread, building the ranked part: the index is
	 * the thread's until joined; done is set when it has finished. */
	pthread_t th;
	int threaded, done;
};

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s) + 1;
	if (*len + n > *cap) {
		while (*len + n > *cap)
			*cap = *cap ? *cap * 2 : 1 << 16;
		*buf = xrealloc(*buf, *cap);
	}
	for (size_t i = 0; i < n; i++)
		(*buf)[*len + i] = (char)lower((unsigned char)s[i]);
	*len += n;
}

/* Add up to max more of the scan's ranked rows to x (built in rank order,
 * so it can grow a slice at a time while the screen waits for keys). */
static void index_add(struct review_search_index *x, const struct dataset *d, size_t max)
{
	const struct cl_scan *s = x->scan;
	size_t nr = s->n_ranked;
	for (size_t i = x->built; i < nr && i - x->built < max; i++) {
		size_t row = s->ranked[i];
		char idbuf[32];
		x->start[i] = x->len;
		append(&x->text, &x->len, &x->cap, dataset_id(d, row, idbuf));
		if (d->text_col >= 0)
			append(&x->text, &x->len, &x->cap,
			       dataset_cell(d, row, (size_t)d->text_col));
	}
	x->built = nr - x->built > max ? x->built + max : nr;
	x->start[x->built] = x->len;
}

/* Wait for review_search_start's thread (if any): the index is the
 * session's again. */
static void index_join(struct review_search_index *x)
{
	if (x && x->threaded) {
		pthread_join(x->th, NULL);
		x->threaded = 0;
	}
}

static struct review_search_index *index_new(struct review *r)
{
	struct review_search_index *x = r->sindex = xcalloc(1, sizeof *x);
	x->scan = r->scan;
	x->start = xmallocarray(r->scan->n_ranked + 1, sizeof *x->start);
	x->start[0] = 0;
	return x;
}

static struct review_search_index *index_grow(struct review *r, size_t max)
{
	struct review_search_index *x = r->sindex;
	index_join(x);
	if (x && x->scan != r->scan)
		review_search_free(r);
	if (!(x = r->sindex))
		x = index_new(r);
	index_add(x, r->d, max);
	return x;
}

struct index_job {
	struct review_search_index *x;
	const struct dataset *d;
};

static void *index_thread(void *arg)
{
	struct index_job *j = arg;
#ifdef __linux__
	/* below the screen and the scan's recording, which the first decision
	 * waits for: the index takes what they leave (on Linux a thread has a
	 * nice value of its own) */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
#endif
	index_add(j->x, j->d, SIZE_MAX);
	__atomic_store_n(&j->x->done, 1, __ATOMIC_RELEASE);
	free(j);
	return NULL;
}

void review_search_settle(struct review *r)
{
	index_join(r->sindex);
}

void review_search_start(struct review *r)
{
	if (r->sindex || !r->scan->n_ranked)
		return;
	struct review_search_index *x = index_new(r);
	struct index_job *j = xmalloc(sizeof *j);
	*j = (struct index_job){ x, r->d };
	x->threaded = pthread_create(&x->th, NULL, index_thread, j) == 0;
	if (!x->threaded)
		free(j);     /* built a slice at a time while idle, as without */
}

static int row_matches(const struct review *r, struct review_search_index *x, size_t row,
		       const char *needle, size_t n);
static size_t ranked_in_queue(const struct review *r);

int review_search_prepare(struct review *r, size_t rows)
{
	struct review_search_index *x = r->sindex;
	if (x && x->threaded && !__atomic_load_n(&x->done, __ATOMIC_ACQUIRE))
		return 0;     /* its thread is at work: nothing to do while idle */
	index_join(x);
	if (!x || x->scan != r->scan || x->built < r->scan->n_ranked) {
		index_grow(r, rows);
		return 1;
	}
	/* then the entries of the queue's rows outside the ranking */
	size_t made = 0;
	for (size_t q = ranked_in_queue(r); q < r->qlen && made < rows; q++)
		if (!x->extra_at || !x->extra_at[r->queue[q]]) {
			row_matches(r, x, r->queue[q], "\001", 1);
			made++;
		}
	return made > 0;
}

static struct review_search_index *index_of(struct review *r)
{
	return index_grow(r, SIZE_MAX);
}

void review_search_free(struct review *r)
{
	if (!r->sindex)
		return;
	index_join(r->sindex);
	free(r->sindex->text);
	free(r->sindex->start);
	free(r->sindex->extra);
	free(r->sindex->extra_at);
	free(r->sindex->extra_n);
	free(r->sindex->extra_off);
	free(r->sindex->extra_row);
	free(r->sindex->pos);
	free(r->sindex->pos_gen);
	free(r->sindex);
	r->sindex = NULL;
}

/* A row outside the ranking: its id or text holds the (lower-case) needle.
 * Its entry (id \0 text \0, lower-cased) is made the first time; the
 * needle holds no \0, so a match lies within the id or within the text. */
static int row_matches(const struct review *r, struct review_search_index *x, size_t row,
		       const char *needle, size_t n)
{
	const struct dataset *d = r->d;
	if (!x->extra_at) {
		x->extra_at = xcalloc(d->n, sizeof *x->extra_at);
		x->extra_n = xmallocarray(d->n, sizeof *x->extra_n);
	}
	if (!x->extra_at[row]) {
		char idbuf[32];
		size_t off = x->extra_len;
		append(&x->extra, &x->extra_len, &x->extra_cap, dataset_id(d, row, idbuf));
		append(&x->extra, &x->extra_len, &x->extra_cap,
		       d->text_col >= 0 ? dataset_cell(d, row, (size_t)d->text_col) : "");
		x->extra_at[row] = off + 1;
		x->extra_n[row] = (uint32_t)(x->extra_len - off);
		if (!(x->extra_count & (x->extra_count + 1))) {     /* 0, 1, 3, 7, ...: grow */
			size_t cap = 2 * (x->extra_count + 1);
			x->extra_off = xrealloc(x->extra_off, cap * sizeof *x->extra_off);
			x->extra_row = xrealloc(x->extra_row, cap * sizeof *x->extra_row);
		}
		x->extra_off[x->extra_count] = off;
		x->extra_row[x->extra_count++] = row;
	}
	return memmem(x->extra + x->extra_at[row] - 1, x->extra_n[row], needle, n) != NULL;
}

/* Queue position of ranked row `row` among the first qr positions (the
 * ranked ones, in rank order), or -1 when the filter hides it. */
static long queue_pos(const struct review *r, size_t qr, size_t row)
{
	size_t lo = review_rank_place(r, qr, row);
	return lo < qr && r->queue[lo] == row ? (long)lo : -1;
}

/* The first (last: want_last) match among the unranked rows at queue
 * positions [a, b): the nearest few entries one by one (a common needle
 * matches at once), else one memmem pass over the whole buffer of entries,
 * each match mapped to its row's position in this range. */
static long find_unranked(struct review *r, struct review_search_index *x, size_t a,
			  size_t b, const char *needle, size_t n, int want_last)
{
	enum { NEAR = 256 };
	size_t near = b - a < NEAR ? b - a : NEAR;
	for (size_t k = 0; k < near; k++) {
		size_t q = want_last ? b - 1 - k : a + k;
		if (row_matches(r, x, r->queue[q], needle, n))
			return (long)q;
	}
	if (near == b - a)
		return -1;
	const struct dataset *d = r->d;
	if (!x->pos) {
		x->pos = xmallocarray(d->n, sizeof *x->pos);
		x->pos_gen = xcalloc(d->n, sizeof *x->pos_gen);
	}
	if (++x->gen == 0) {          /* the stamps wrapped round */
		memset(x->pos_gen, 0, d->n * sizeof *x->pos_gen);
		x->gen = 1;
	}
	for (size_t q = a; q < b; q++) {
		size_t row = r->queue[q];
		if (!x->extra_at[row])
			row_matches(r, x, row, "\001", 1);      /* makes its entry */
		x->pos[row] = (uint32_t)q;
		x->pos_gen[row] = x->gen;
	}
	long best = -1;
	const char *p = x->extra, *end = x->extra + x->extra_len;
	while (p < end) {
		const char *m = memmem(p, (size_t)(end - p), needle, n);
		if (!m)
			break;
		size_t off = (size_t)(m - x->extra), l = 0, h = x->extra_count;
		while (h - l > 1) {       /* the entry holding the match */
			size_t mid = l + (h - l) / 2;
			if (x->extra_off[mid] <= off)
				l = mid;
			else
				h = mid;
		}
		size_t row = x->extra_row[l];
		if (x->pos_gen[row] == x->gen) {
			long q = (long)x->pos[row];
			if (best < 0 || (want_last ? q > best : q < best))
				best = q;
		}
		p = l + 1 < x->extra_count ? x->extra + x->extra_off[l + 1] : end;
	}
	return best;
}

/* The first (last: want_last) shown match at queue positions [a, b). */
static long find_in(struct review *r, struct review_search_index *x, size_t qr, size_t a,
		    size_t b, const char *needle, size_t n, int want_last)
{
	long found = -1;
	size_t ua = a > qr ? a : qr;
	if (want_last && ua < b && (found = find_unranked(r, x, ua, b, needle, n, 1)) >= 0)
		return found;
	size_t rb = b < qr ? b : qr;
	if (a < rb) {
		size_t lo = (size_t)r->rank[r->queue[a]], hi = (size_t)r->rank[r->queue[rb - 1]] + 1;
		const char *p = x->text + x->start[lo], *end = x->text + x->start[hi];
		while (p < end) {
			const char *m = memmem(p, (size_t)(end - p), needle, n);
			if (!m)
				break;
			/* the ranked row whose entry holds the match */
			size_t off = (size_t)(m - x->text), l = lo, h = hi;
			while (h - l > 1) {
				size_t mid = l + (h - l) / 2;
				if (x->start[mid] <= off)
					l = mid;
				else
					h = mid;
			}
			long q = queue_pos(r, qr, r->scan->ranked[l]);
			if (q >= 0) {
				found = q;
				if (!want_last)
					return q;
			}
			p = x->text + x->start[l + 1];
		}
	}
	if (found >= 0 || want_last)
		return found;
	return ua < b ? find_unranked(r, x, ua, b, needle, n, 0) : -1;
}

/* The queue's ranked rows come first: how many. */
static size_t ranked_in_queue(const struct review *r)
{
	size_t lo = 0, hi = r->qlen;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->rank[r->queue[mid]] >= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long review_search_find(struct review *r, const char *needle, int dir)
{
	size_t n = strlen(needle), qlen = r->qlen, c = r->cursor;
	if (!n || !qlen)
		return -1;
	struct review_search_index *x = index_of(r);
	size_t qr = ranked_in_queue(r);
	long q;
	if (dir >= 0) {      /* cursor+1 .. end, then top .. cursor */
		if ((q = find_in(r, x, qr, c + 1, qlen, needle, n, 0)) < 0)
			q = find_in(r, x, qr, 0, c + 1, needle, n, 0);
	} else {             /* cursor-1 .. top, then end .. cursor */
		if ((q = find_in(r, x, qr, 0, c, needle, n, 1)) < 0)
			q = find_in(r, x, qr, c, qlen, needle, n, 1);
	}
	return q;
}
