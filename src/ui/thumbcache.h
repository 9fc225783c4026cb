/* thumbcache.h — decoded, scaled and encoded images of recently shown
 * examples, so moving back and forth through the queue decodes each image
 * once, and background threads (two on a machine of two cores or more)
 * that prepare the pictures the reviewer is likely to ask for next (the
 * next examples, the zoom view), so that a keystroke to a prepared example
 * only draws or writes ready bytes. The last few decoded images are kept
 * too, so an example's zoom view after its preview does not decode the
 * file again.
 *
 * Bounded: the least recently used entry is dropped. An entry is keyed by
 * example (row) and box (cells, mode, cell size in pixels, palette), so a
 * resize or a change of mode never finds a picture made for another box.
 *
 * Threads: the cache itself is only ever touched by the thread that calls
 * these functions (the UI). A worker makes an entry on its own and hands
 * it over under a lock; the UI takes finished entries in on its next call.
 * A picture the UI wants that a worker is making right now is waited for
 * (it started earlier, so it is ready sooner than a fresh one); one still
 * waiting in the workers' queue is taken out and made on the UI thread at
 * once (the workers hold off meanwhile). */
#ifndef RELABEL_THUMBCACHE_H
#define RELABEL_THUMBCACHE_H

#include "imgview.h"

#define THUMBCACHE_SIZE 32
#define THUMBCACHE_JOBS 8         /* pictures asked of the workers at once */

struct thumb_entry {
	long row;
	struct img_box box;
	int ok;                  /* 0: err holds why there is no image */
	struct thumb t;
	int w, h;                /* the image's own size */
	char err[256];
	unsigned long used;
};

/* A picture to prepare: row's image at path, fitted to box. */
struct thumb_req {
	long row;
	const char *path;
	struct img_box box;
};

struct thumbwork;
struct decache;

struct thumbcache {
	struct thumb_entry e[THUMBCACHE_SIZE];
	unsigned long clock;
	unsigned long hits, misses;
	unsigned long waits;     /* gets that waited for a worker's picture */
	unsigned long prepared;  /* entries the workers made and handed over */
	struct thumbwork *w;     /* the background workers (started on first use) */
	struct decache *dc;      /* the last few decoded images (see thumbcache.c) */
};

void thumbcache_init(struct thumbcache *tc);
/* Stops the workers (pictures in the making are finished and dropped). */
void thumbcache_free(struct thumbcache *tc);
/* Whether row's image is cached fitted to that box. */
int thumbcache_has(struct thumbcache *tc, long row, const struct img_box *box);
/* The entry for row's image at path fitted to the box, made on a miss (or
 * waited for, if a worker is making it). Never NULL; valid until the
 * next thumbcache_get, thumbcache_prepare or thumbcache_settle. */
const struct thumb_entry *thumbcache_get(struct thumbcache *tc, long row, const char *path,
					 const struct img_box *box);
/* Ask the workers to prepare these pictures, in this order (at most
 * THUMBCACHE_JOBS), instead of anything asked before; ones already cached
 * are skipped, and a picture in the making that is no longer asked for is
 * abandoned at its next step. n = 0 asks for nothing. */
void thumbcache_prepare(struct thumbcache *tc, const struct thumb_req *req, int n);
/* on: the workers start no picture, and one in the making waits (between
 * a PNG's rows, or after its decoding), until as many calls with on = 0
 * (as while the UI makes a picture itself; the tests use it to ask for
 * pictures deterministically). Not to be held across thumbcache_settle,
 * nor across a thumbcache_get of a picture a worker is making. */
void thumbcache_hold(struct thumbcache *tc, int on);
/* Wait until the workers have done everything asked, and take it in. */
void thumbcache_settle(struct thumbcache *tc);
/* How many image files were decoded (by any thread): an example's
 * other pictures reuse its last decoding while it is kept. */
unsigned long thumbcache_decodes(struct thumbcache *tc);

#endif
