/* imgview.h — images fitted to a box of terminal cells and drawn into a
 * canvas: Unicode upper half blocks (two pixels a cell, foreground = top,
 * background = bottom, in RGB; the terminal front end picks the nearest
 * colour it can show) or a grey-scale character ramp. Aspect ratio is kept
 * (a cell is about twice as tall as wide); shrinking averages areas,
 * enlarging repeats pixels (8x8 digits stay sharp). Alpha is composited
 * over the pane background. */
#ifndef RELABEL_IMGVIEW_H
#define RELABEL_IMGVIEW_H

#include <stdint.h>

#include "canvas.h"
#include "image.h"

enum img_mode { IMG_NONE, IMG_BLOCKS, IMG_ASCII };

struct thumb {
	enum img_mode mode;
	int cols, rows;      /* cells the thumbnail covers */
	int pw, ph;          /* pixels: pw = cols; ph = 2*rows (blocks) or rows */
	uint32_t *px;        /* pw*ph 0xRRGGBB, background where the image is not */
};

/* Fit im into box_cols x box_rows cells. Returns 0, or -1 if the box is
 * empty. bg is the pane background (0xRRGGBB). */
int thumb_make(const struct image *im, int box_cols, int box_rows, enum img_mode mode,
	       uint32_t bg, struct thumb *out);
void thumb_free(struct thumb *t);
/* Draw at (x, y) of the canvas. */
void thumb_draw(const struct thumb *t, struct canvas *c, int x, int y);

#endif
