/* thumbcache.c — the LRU of scaled images (see thumbcache.h). */
#include "thumbcache.h"

#include <stdio.h>
#include <string.h>

void thumbcache_init(struct thumbcache *tc)
{
	memset(tc, 0, sizeof *tc);
	for (int i = 0; i < THUMBCACHE_SIZE; i++)
		tc->e[i].row = -1;
}

void thumbcache_free(struct thumbcache *tc)
{
	for (int i = 0; i < THUMBCACHE_SIZE; i++)
		thumb_free(&tc->e[i].t);
	thumbcache_init(tc);
}

static int same_box(const struct img_box *a, const struct img_box *b)
{
	return a->cols == b->cols && a->rows == b->rows && a->mode == b->mode &&
	       a->colors == b->colors &&
	       (!IMG_IS_PIXELS(a->mode) || (a->cell_w == b->cell_w && a->cell_h == b->cell_h));
}

int thumbcache_has(const struct thumbcache *tc, long row, const struct img_box *box)
{
	for (int i = 0; i < THUMBCACHE_SIZE; i++) {
		const struct thumb_entry *x = &tc->e[i];
		if (x->row == row && same_box(&x->box, box))
			return 1;
	}
	return 0;
}

const struct thumb_entry *thumbcache_get(struct thumbcache *tc, long row, const char *path,
					 const struct img_box *box)
{
	struct thumb_entry *slot = &tc->e[0];
	tc->clock++;
	for (int i = 0; i < THUMBCACHE_SIZE; i++) {
		struct thumb_entry *x = &tc->e[i];
		if (x->row == row && same_box(&x->box, box)) {
			x->used = tc->clock;
			tc->hits++;
			return x;
		}
		if (x->used < slot->used)
			slot = x;
	}
	tc->misses++;
	thumb_free(&slot->t);
	memset(slot, 0, sizeof *slot);
	slot->row = row;
	slot->box = *box;
	slot->used = tc->clock;
	struct image im;
	struct err e = { 0 };
	int full_w = 0, full_h = 0;
	/* A JPEG is decoded at the smallest scale that still covers the pane:
	 * its pixels in the pixel modes, 8 x 8 a cell for chafa's symbols. */
	int want_w = box->cols * (box->cell_w > 0 ? box->cell_w : 8);
	int want_h = box->rows * (box->cell_h > 0 ? box->cell_h : 8);
	if (image_load(path, want_w, want_h, &im, &full_w, &full_h, &e) < 0) {
		snprintf(slot->err, sizeof slot->err, "%.250s", e.msg);
		return slot;
	}
	slot->w = full_w;
	slot->h = full_h;
	slot->ok = thumb_make(&im, box, &slot->t) == 0;
	if (!slot->ok)
		snprintf(slot->err, sizeof slot->err, "no room to draw the image");
	image_free(&im);
	return slot;
}
