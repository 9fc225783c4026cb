/* thumbcache.c — the LRU of prepared pictures and the worker thread that
 * prepares the next ones (see thumbcache.h). */
#include "thumbcache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct job {
	long row;
	struct img_box box;
	char *path;
};

struct thumbwork {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t wake;     /* the worker: a job or stop */
	pthread_cond_t done;     /* the UI: a job finished */
	int stop;
	struct job q[THUMBCACHE_JOBS];   /* waiting, first to be made first */
	int nq;
	struct job cur;          /* in the making (busy) */
	int busy, cancel;
	int hold;                /* the UI is making a picture itself: wait */
	struct thumb_entry out[THUMBCACHE_JOBS + 1];   /* made, not yet taken in */
	int nout;
};

static int same_box(const struct img_box *a, const struct img_box *b)
{
	return a->cols == b->cols && a->rows == b->rows && a->mode == b->mode &&
	       a->colors == b->colors &&
	       (!IMG_IS_PIXELS(a->mode) || (a->cell_w == b->cell_w && a->cell_h == b->cell_h));
}

static void entry_free(struct thumb_entry *x)
{
	thumb_free(&x->t);
	memset(x, 0, sizeof *x);
	x->row = -1;
}

/* Decode, fit and encode row's image into *x (filled even on failure).
 * cancelled (may be NULL) is asked after decoding whether to go on;
 * returns 0 if abandoned there. */
static int entry_make(struct thumb_entry *x, long row, const char *path,
		      const struct img_box *box, int (*cancelled)(void *), void *arg)
{
	memset(x, 0, sizeof *x);
	x->row = row;
	x->box = *box;
	struct image im;
	struct err e = { 0 };
	int full_w = 0, full_h = 0;
	/* A JPEG is decoded at the smallest scale that still covers the pane:
	 * its pixels in the pixel modes, 8 x 8 a cell for chafa's symbols. */
	int want_w = box->cols * (box->cell_w > 0 ? box->cell_w : 8);
	int want_h = box->rows * (box->cell_h > 0 ? box->cell_h : 8);
	if (image_load(path, want_w, want_h, &im, &full_w, &full_h, &e) < 0) {
		snprintf(x->err, sizeof x->err, "%.250s", e.msg);
		return 1;
	}
	if (cancelled && cancelled(arg)) {
		image_free(&im);
		return 0;
	}
	x->w = full_w;
	x->h = full_h;
	x->ok = thumb_make(&im, box, &x->t) == 0;
	if (!x->ok)
		snprintf(x->err, sizeof x->err, "no room to draw the image");
	image_free(&im);
	return 1;
}

static struct thumb_entry *find(struct thumbcache *tc, long row, const struct img_box *box)
{
	for (int i = 0; i < THUMBCACHE_SIZE; i++)
		if (tc->e[i].row == row && same_box(&tc->e[i].box, box))
			return &tc->e[i];
	return NULL;
}

static struct thumb_entry *lru_slot(struct thumbcache *tc)
{
	struct thumb_entry *slot = &tc->e[0];
	for (int i = 1; i < THUMBCACHE_SIZE; i++)
		if (tc->e[i].used < slot->used)
			slot = &tc->e[i];
	return slot;
}

/* Move a made entry into the cache (it replaces the least recently used
 * one, unless the same picture is there already). */
static void insert(struct thumbcache *tc, struct thumb_entry *x)
{
	if (find(tc, x->row, &x->box)) {
		thumb_free(&x->t);
		return;
	}
	struct thumb_entry *slot = lru_slot(tc);
	thumb_free(&slot->t);
	*slot = *x;
	slot->used = ++tc->clock;
}

/* Take in what the worker finished; the caller holds the lock. */
static void take_locked(struct thumbcache *tc)
{
	struct thumbwork *w = tc->w;
	for (int i = 0; i < w->nout; i++) {
		insert(tc, &w->out[i]);
		tc->prepared++;
	}
	w->nout = 0;
}

static void take(struct thumbcache *tc)
{
	if (!tc->w)
		return;
	pthread_mutex_lock(&tc->w->mu);
	take_locked(tc);
	pthread_mutex_unlock(&tc->w->mu);
}

/* The worker's step between decoding and encoding: while the UI makes a
 * picture of its own (it wants it now), the cores are left to it. */
static int cur_cancelled(void *arg)
{
	struct thumbwork *w = arg;
	pthread_mutex_lock(&w->mu);
	while (w->hold && !w->cancel && !w->stop)
		pthread_cond_wait(&w->wake, &w->mu);
	int c = w->cancel || w->stop;
	pthread_mutex_unlock(&w->mu);
	return c;
}

static void *worker(void *arg)
{
	struct thumbwork *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && (w->nq == 0 || w->hold))
			pthread_cond_wait(&w->wake, &w->mu);
		if (w->stop)
			break;
		w->cur = w->q[0];
		memmove(w->q, w->q + 1, (size_t)(w->nq - 1) * sizeof w->q[0]);
		w->nq--;
		w->busy = 1;
		w->cancel = 0;
		pthread_mutex_unlock(&w->mu);
		struct thumb_entry x;
		int kept = entry_make(&x, w->cur.row, w->cur.path, &w->cur.box, cur_cancelled, w);
		pthread_mutex_lock(&w->mu);
		if (kept && !w->cancel && !w->stop && w->nout < THUMBCACHE_JOBS + 1)
			w->out[w->nout++] = x;
		else
			thumb_free(&x.t);
		free(w->cur.path);
		w->cur.path = NULL;
		w->busy = 0;
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static struct thumbwork *work_start(void)
{
	struct thumbwork *w = xcalloc(1, sizeof *w);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->done, NULL);
	if (pthread_create(&w->th, NULL, worker, w) != 0) {
		pthread_cond_destroy(&w->done);
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

static void work_stop(struct thumbwork *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	for (int i = 0; i < w->nq; i++)
		free(w->q[i].path);
	for (int i = 0; i < w->nout; i++)
		thumb_free(&w->out[i].t);
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

void thumbcache_init(struct thumbcache *tc)
{
	memset(tc, 0, sizeof *tc);
	for (int i = 0; i < THUMBCACHE_SIZE; i++)
		tc->e[i].row = -1;
}

void thumbcache_free(struct thumbcache *tc)
{
	if (tc->w)
		work_stop(tc->w);
	for (int i = 0; i < THUMBCACHE_SIZE; i++)
		thumb_free(&tc->e[i].t);
	thumbcache_init(tc);
}

int thumbcache_has(struct thumbcache *tc, long row, const struct img_box *box)
{
	take(tc);
	return find(tc, row, box) != NULL;
}

const struct thumb_entry *thumbcache_get(struct thumbcache *tc, long row, const char *path,
					 const struct img_box *box)
{
	take(tc);
	struct thumb_entry *x = find(tc, row, box);
	if (!x && tc->w) {
		struct thumbwork *w = tc->w;
		pthread_mutex_lock(&w->mu);
		for (int i = 0; i < w->nq; i++)       /* not started: made here */
			if (w->q[i].row == row && same_box(&w->q[i].box, box)) {
				free(w->q[i].path);
				memmove(w->q + i, w->q + i + 1, (size_t)(w->nq - i - 1) * sizeof w->q[0]);
				w->nq--;
				break;
			}
		if (w->busy && w->cur.row == row && same_box(&w->cur.box, box)) {
			tc->waits++;
			while (w->busy && w->cur.row == row && same_box(&w->cur.box, box))
				pthread_cond_wait(&w->done, &w->mu);
		}
		take_locked(tc);
		pthread_mutex_unlock(&w->mu);
		x = find(tc, row, box);
	}
	tc->clock++;
	if (x) {
		x->used = tc->clock;
		tc->hits++;
		return x;
	}
	tc->misses++;
	struct thumb_entry *slot = lru_slot(tc);
	entry_free(slot);
	if (tc->w) {
		pthread_mutex_lock(&tc->w->mu);
		tc->w->hold = 1;
		pthread_mutex_unlock(&tc->w->mu);
	}
	entry_make(slot, row, path, box, NULL, NULL);
	if (tc->w) {
		pthread_mutex_lock(&tc->w->mu);
		tc->w->hold = 0;
		pthread_cond_broadcast(&tc->w->wake);
		pthread_mutex_unlock(&tc->w->mu);
	}
	slot->used = tc->clock;
	return slot;
}

void thumbcache_prepare(struct thumbcache *tc, const struct thumb_req *req, int n)
{
	if (n > 0 && !tc->w)
		tc->w = work_start();
	struct thumbwork *w = tc->w;
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	take_locked(tc);
	for (int i = 0; i < w->nq; i++)
		free(w->q[i].path);
	w->nq = 0;
	int cur_wanted = 0;
	for (int i = 0; i < n && w->nq < THUMBCACHE_JOBS; i++) {
		if (find(tc, req[i].row, &req[i].box))
			continue;
		if (w->busy && w->cur.row == req[i].row && same_box(&w->cur.box, &req[i].box)) {
			cur_wanted = 1;
			continue;
		}
		w->q[w->nq++] = (struct job){ req[i].row, req[i].box, xstrdup(req[i].path) };
	}
	if (w->busy && !cur_wanted)
		w->cancel = 1;
	if (w->nq)
		pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->mu);
}

void thumbcache_settle(struct thumbcache *tc)
{
	struct thumbwork *w = tc->w;
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	while (w->nq || w->busy)
		pthread_cond_wait(&w->done, &w->mu);
	take_locked(tc);
	pthread_mutex_unlock(&w->mu);
}
