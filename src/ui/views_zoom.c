/* views_zoom.c — the zoom view (the current example's image over the
 * whole screen, at the largest size the terminal allows; in the pixel
 * modes an image that fits is shown with every one of its pixels, enlarged
 * by a whole multiple) and the
 * request that the front end draw a pixel-mode picture. */
#include <stdio.h>

#include "views.h"

void ui_picture_set(struct ui *u, long row, int x, int y, const struct thumb *t)
{
	/* only views known to leave the preview uncovered get the picture;
	 * under the picker or any other overlay it goes */
	if (!IMG_IS_PIXELS(t->mode) || !t->seq ||
	    (u->mode != UI_LIST && u->mode != UI_PROMPT && u->mode != UI_ZOOM))
		return;
	u->pic = (struct ui_picture){ 1, row, x, y, t };
}

struct img_box ui_zoom_box(const struct ui *u, int cols, int rows)
{
	int mode = u->image_mode < 0 ? IMG_SYMBOLS : u->image_mode;
	if (mode == IMG_NONE)
		mode = IMG_SYMBOLS;
	return (struct img_box){ cols, rows - 1, (enum img_mode)mode, u->cell_w, u->cell_h,
				 u->colors };
}

void view_zoom(struct ui *u, struct canvas *c)
{
	const struct dataset *d = u->rv->d;
	long row = review_row(u->rv);
	int y = c->rows - 1;
	canvas_fill(c, 0, y, c->cols, 1, ST_STATUS);
	if (row < 0 || d->image_col < 0 || row != u->img_path_row) {
		canvas_put(c, 0, y, " zoom: no image here (any key returns)", c->cols, ST_STATUS);
		return;
	}
	const char *img = dataset_cell(d, (size_t)row, (size_t)d->image_col);
	/* its own box: the list view's prefetch box stays as it was */
	struct img_box box = ui_zoom_box(u, c->cols, c->rows);
	int mode = box.mode;
	const struct thumb_entry *t = thumbcache_get(&u->tc, row, u->img_path, &box);
	if (!t->ok) {
		canvas_printf(c, 0, 0, c->cols, ST_NORMAL, "image: %s", img);
		canvas_put(c, 0, 1, t->err, c->cols, ST_ERROR);
	} else {
		int x0 = (c->cols - t->t.cols) / 2, y0 = (c->rows - 1 - t->t.rows) / 2;
		thumb_draw(&t->t, c, x0, y0);
		ui_picture_set(u, row, x0, y0, &t->t);
	}
	canvas_printf(c, 0, y, c->cols, ST_STATUS, " zoom  %s (%dx%d, %s)  any key returns",
		      img, t->w, t->h, img_mode_name(mode));
}
