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

int thumbcache_has(const struct thumbcache *tc, long row, int cols, int rows,
		   enum img_mode mode)
{
	for (int i = 0; i < THUMBCACHE_SIZE; i++) {
		const struct thumb_entry *x = &tc->e[i];
		if (x->row == row && x->cols == cols && x->rows == rows && x->mode == mode)
			return 1;
	}
	return 0;
}

const struct thumb_entry *thumbcache_get(struct thumbcache *tc, long row, const char *path,
					 int cols, int rows, enum img_mode mode)
{
	struct thumb_entry *slot = &tc->e[0];
	tc->clock++;
	for (int i = 0; i < THUMBCACHE_SIZE; i++) {
		struct thumb_entry *x = &tc->e[i];
		if (x->row == row && x->cols == cols && x->rows == rows && x->mode == mode) {
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
	slot->cols = cols;
	slot->rows = rows;
	slot->mode = mode;
	slot->used = tc->clock;
	struct image im;
	struct err e = { 0 };
	int full_w = 0, full_h = 0;
	if (image_load(path, cols * 2, rows * 4, &im, &full_w, &full_h, &e) < 0) {
		snprintf(slot->err, sizeof slot->err, "%.250s", e.msg);
		return slot;
	}
	slot->w = full_w;
	slot->h = full_h;
	slot->ok = thumb_make(&im, cols, rows, mode, 0x000000, &slot->t) == 0;
	if (!slot->ok)
		snprintf(slot->err, sizeof slot->err, "no room to draw the image");
	image_free(&im);
	return slot;
}
