/* thumbcache.c — the LRU of prepared pictures, the decoded images they
 * are made from, and the worker threads that prepare the next ones (see
 * thumbcache.h). */
#include "thumbcache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Decoded images of recent examples, shared by the UI and the workers, so
 * that an example's zoom view after its preview (or the preview after the
 * zoom) does not decode the file again. A PNG is decoded at full size
 * whatever the box, so one decoding serves every box; a JPEG is decoded at
 * a DCT scale chosen for the wanted size, so it serves the sizes for which
 * the same scale is chosen (a 64x48 one is decoded whole for any pane of
 * more than 32x24 pixels). */
#define DECODED_KEEP 4
#define DECODED_BYTES ((size_t)64 << 20)

struct decoded {
	long row;                /* -1: an empty slot */
	char *path;
	int any_size;            /* a PNG: the same pixels for every size */
	struct image im;
	int full_w, full_h;
	int refs;                /* pictures being made from it */
	unsigned long used;
};

struct decache {
	pthread_mutex_t mu;
	struct decoded d[DECODED_KEEP];
	unsigned long clock;
	unsigned long decodes;   /* files decoded */
};

static struct decache *decache_new(void)
{
	struct decache *dc = xcalloc(1, sizeof *dc);
	pthread_mutex_init(&dc->mu, NULL);
	for (int i = 0; i < DECODED_KEEP; i++)
		dc->d[i].row = -1;
	return dc;
}

static void decoded_clear(struct decoded *d)
{
	image_free(&d->im);
	free(d->path);
	memset(d, 0, sizeof *d);
	d->row = -1;
}

static void decache_free(struct decache *dc)
{
	if (!dc)
		return;
	for (int i = 0; i < DECODED_KEEP; i++)
		decoded_clear(&dc->d[i]);
	pthread_mutex_destroy(&dc->mu);
	free(dc);
}

/* Whether d is what image_load_as would decode for want_w x want_h. */
static int serves(const struct decoded *d, int want_w, int want_h)
{
	if (d->any_size)
		return 1;
	int sw, sh;
	image_jpeg_size(d->full_w, d->full_h, want_w, want_h, &sw, &sh);
	return sw == d->im.w && sh == d->im.h;
}

static int is_slot(const struct decache *dc, const struct decoded *d)
{
	return d >= dc->d && d < dc->d + DECODED_KEEP;
}

/* row's image at path decoded for want_w x want_h: a kept one (held until
 * decoded_drop), or decoded now into *tmp and kept if there is room, or
 * NULL with the reason in e. */
static struct decoded *decoded_take(struct decache *dc, long row, const char *path,
				    int want_w, int want_h, struct decoded *tmp, struct err *e)
{
	pthread_mutex_lock(&dc->mu);
	for (int i = 0; i < DECODED_KEEP; i++) {
		struct decoded *d = &dc->d[i];
		if (d->row == row && !strcmp(d->path, path) && serves(d, want_w, want_h)) {
			d->refs++;
			d->used = ++dc->clock;
			pthread_mutex_unlock(&dc->mu);
			return d;
		}
	}
	pthread_mutex_unlock(&dc->mu);
	memset(tmp, 0, sizeof *tmp);
	enum image_type type;
	if (image_load_as(path, want_w, want_h, &tmp->im, &tmp->full_w, &tmp->full_h, &type,
			  e) < 0)
		return NULL;
	tmp->row = row;
	tmp->any_size = type == IMAGE_PNG;
	size_t bytes = (size_t)tmp->im.w * (size_t)tmp->im.h * 4;
	pthread_mutex_lock(&dc->mu);
	dc->decodes++;
	/* kept in place of the least recently used ones nobody holds, as
	 * long as all that is kept stays within DECODED_BYTES */
	struct decoded *slot = NULL;
	while (bytes <= DECODED_BYTES) {
		size_t kept = 0;
		struct decoded *lru = NULL;
		slot = NULL;
		for (int i = 0; i < DECODED_KEEP; i++) {
			struct decoded *d = &dc->d[i];
			if (d->row < 0) {
				slot = d;
				continue;
			}
			kept += (size_t)d->im.w * (size_t)d->im.h * 4;
			if (!d->refs && (!lru || d->used < lru->used))
				lru = d;
		}
		if (slot && kept + bytes <= DECODED_BYTES)
			break;
		slot = NULL;
		if (!lru)
			break;
		decoded_clear(lru);
	}
	if (slot) {
		*slot = *tmp;
		slot->path = xstrdup(path);
		slot->refs = 1;
		slot->used = ++dc->clock;
		memset(tmp, 0, sizeof *tmp);
	}
	pthread_mutex_unlock(&dc->mu);
	return slot ? slot : tmp;
}

static void decoded_drop(struct decache *dc, struct decoded *d)
{
	if (!is_slot(dc, d)) {
		image_free(&d->im);
		return;
	}
	pthread_mutex_lock(&dc->mu);
	d->refs--;
	pthread_mutex_unlock(&dc->mu);
}

struct job {
	long row;
	struct img_box box;
	char *path;
};

/* Two threads take the queue's jobs in turn (one on a single core), so
 * with keys back to back the example after the next is being made while
 * the next one is: its picture is started one key before it is wanted. */
#define WORKERS 2

struct slot {                    /* one worker thread */
	struct thumbwork *w;
	pthread_t th;
	struct job cur;          /* in the making (busy) */
	int busy, cancel;
};

struct thumbwork {
	struct slot s[WORKERS];
	int n;                   /* threads running */
	pthread_mutex_t mu;
	pthread_cond_t wake;     /* the workers: a job or stop */
	pthread_cond_t done;     /* the UI: a job finished */
	int stop;
	struct job q[THUMBCACHE_JOBS];   /* waiting, first to be made first */
	int nq;
	int hold;                /* the UI is making a picture itself (or has
				  * asked them to hold): wait while not 0 */
	struct thumb_entry out[THUMBCACHE_JOBS + WORKERS];   /* made, not yet taken in */
	int nout;
	struct decache *dc;      /* the cache's decoded images */
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

/* Decode (or take the decoded image kept in dc), fit and encode row's
 * image into *x (filled even on failure). cancelled (may be NULL) is asked
 * after decoding whether to go on; returns 0 if abandoned there. */
static int entry_make(struct thumb_entry *x, struct decache *dc, long row, const char *path,
		      const struct img_box *box, int (*cancelled)(void *), void *arg)
{
	memset(x, 0, sizeof *x);
	x->row = row;
	x->box = *box;
	struct err e = { 0 };
	/* A JPEG is decoded at the smallest scale that still covers the pane:
	 * its pixels in the pixel modes, 8 x 8 a cell for chafa's symbols. */
	int want_w = box->cols * (box->cell_w > 0 ? box->cell_w : 8);
	int want_h = box->rows * (box->cell_h > 0 ? box->cell_h : 8);
	struct decoded tmp, *d = decoded_take(dc, row, path, want_w, want_h, &tmp, &e);
	if (!d) {
		snprintf(x->err, sizeof x->err, "%.250s", e.msg);
		return 1;
	}
	if (cancelled && cancelled(arg)) {
		decoded_drop(dc, d);
		return 0;
	}
	x->w = d->full_w;
	x->h = d->full_h;
	x->ok = thumb_make(&d->im, box, &x->t) == 0;
	if (!x->ok)
		snprintf(x->err, sizeof x->err, "no room to draw the image");
	decoded_drop(dc, d);
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

/* The worker's step between decoding and encoding (and, while a PNG is
 * decoded, every 64 rows: decode_pause): while the UI makes a picture of
 * its own (it wants it now), the cores are left to it. */
static int cur_cancelled(void *arg)
{
	struct slot *sl = arg;
	struct thumbwork *w = sl->w;
	pthread_mutex_lock(&w->mu);
	while (w->hold && !sl->cancel && !w->stop)
		pthread_cond_wait(&w->wake, &w->mu);
	int c = sl->cancel || w->stop;
	pthread_mutex_unlock(&w->mu);
	return c;
}

/* While decoding, between rows: the same give-way, without abandoning
 * (a cancelled picture is dropped at the step after decoding). */
static void decode_pause(void *arg)
{
	struct slot *sl = arg;
	struct thumbwork *w = sl->w;
	pthread_mutex_lock(&w->mu);
	while (w->hold && !sl->cancel && !w->stop)
		pthread_cond_wait(&w->wake, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

static void *worker(void *arg)
{
	struct slot *sl = arg;
	struct thumbwork *w = sl->w;
	image_set_pause(decode_pause, sl);
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && (w->nq == 0 || w->hold))
			pthread_cond_wait(&w->wake, &w->mu);
		if (w->stop)
			break;
		sl->cur = w->q[0];
		memmove(w->q, w->q + 1, (size_t)(w->nq - 1) * sizeof w->q[0]);
		w->nq--;
		sl->busy = 1;
		sl->cancel = 0;
		pthread_mutex_unlock(&w->mu);
		struct thumb_entry x;
		int kept = entry_make(&x, w->dc, sl->cur.row, sl->cur.path, &sl->cur.box,
				      cur_cancelled, sl);
		pthread_mutex_lock(&w->mu);
		if (kept && !sl->cancel && !w->stop && w->nout < THUMBCACHE_JOBS + WORKERS)
			w->out[w->nout++] = x;
		else
			thumb_free(&x.t);
		free(sl->cur.path);
		sl->cur.path = NULL;
		sl->busy = 0;
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void work_stop(struct thumbwork *w);

static struct thumbwork *work_start(struct decache *dc)
{
	struct thumbwork *w = xcalloc(1, sizeof *w);
	w->dc = dc;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->wake, NULL);
	pthread_cond_init(&w->done, NULL);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int want = cores >= WORKERS ? WORKERS : 1;
	while (w->n < want) {
		struct slot *sl = &w->s[w->n];
		sl->w = w;
		if (pthread_create(&sl->th, NULL, worker, sl) != 0)
			break;
		w->n++;
	}
	if (!w->n) {
		work_stop(w);
		return NULL;
	}
	return w;
}

/* The worker making row's picture for box, or NULL. */
static struct slot *making(struct thumbwork *w, long row, const struct img_box *box)
{
	for (int i = 0; i < w->n; i++)
		if (w->s[i].busy && w->s[i].cur.row == row && same_box(&w->s[i].cur.box, box))
			return &w->s[i];
	return NULL;
}

static void work_stop(struct thumbwork *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->mu);
	for (int i = 0; i < w->n; i++)
		pthread_join(w->s[i].th, NULL);
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
	decache_free(tc->dc);
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
		if (making(w, row, box)) {
			tc->waits++;
			while (making(w, row, box))
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
		tc->w->hold++;
		pthread_mutex_unlock(&tc->w->mu);
	}
	if (!tc->dc)
		tc->dc = decache_new();
	entry_make(slot, tc->dc, row, path, box, NULL, NULL);
	if (tc->w) {
		pthread_mutex_lock(&tc->w->mu);
		tc->w->hold--;
		pthread_cond_broadcast(&tc->w->wake);
		pthread_mutex_unlock(&tc->w->mu);
	}
	slot->used = tc->clock;
	return slot;
}

void thumbcache_prepare(struct thumbcache *tc, const struct thumb_req *req, int n)
{
	if (n > 0 && !tc->dc)
		tc->dc = decache_new();
	if (n > 0 && !tc->w)
		tc->w = work_start(tc->dc);
	struct thumbwork *w = tc->w;
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	take_locked(tc);
	for (int i = 0; i < w->nq; i++)
		free(w->q[i].path);
	w->nq = 0;
	int wanted[WORKERS] = { 0 };
	for (int i = 0; i < n && w->nq < THUMBCACHE_JOBS; i++) {
		if (find(tc, req[i].row, &req[i].box))
			continue;
		struct slot *sl = making(w, req[i].row, &req[i].box);
		if (sl) {
			wanted[sl - w->s] = 1;
			continue;
		}
		w->q[w->nq++] = (struct job){ req[i].row, req[i].box, xstrdup(req[i].path) };
	}
	for (int i = 0; i < w->n; i++)
		if (w->s[i].busy)
			w->s[i].cancel = !wanted[i];
	/* new jobs, and abandoned ones that may be waiting to give way */
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->mu);
}

void thumbcache_hold(struct thumbcache *tc, int on)
{
	if (!tc->dc)
		tc->dc = decache_new();
	if (!tc->w)
		tc->w = work_start(tc->dc);
	struct thumbwork *w = tc->w;
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->hold += on ? 1 : -1;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->mu);
}

void thumbcache_settle(struct thumbcache *tc)
{
	struct thumbwork *w = tc->w;
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		int busy = 0;
		for (int i = 0; i < w->n; i++)
			busy |= w->s[i].busy;
		if (!w->nq && !busy)
			break;
		pthread_cond_wait(&w->done, &w->mu);
	}
	take_locked(tc);
	pthread_mutex_unlock(&w->mu);
}

unsigned long thumbcache_decodes(struct thumbcache *tc)
{
	if (!tc->dc)
		return 0;
	pthread_mutex_lock(&tc->dc->mu);
	unsigned long n = tc->dc->decodes;
	pthread_mutex_unlock(&tc->dc->mu);
	return n;
}
