/* imgview.h — images fitted to a box of terminal cells, ready to draw.
 * Any decoder's RGBA (struct image) will do.
 *
 * Symbol modes go through libchafa (in imgview.c and pixelproto.c only):
 * it scales the image to the box and picks, per cell, a symbol (sextants,
 * quadrants, half blocks, ... in IMG_SYMBOLS; upper/lower half blocks only
 * in IMG_BLOCKS) with a foreground and a background colour, for the
 * terminal's palette, read back as cells that the canvas and the curses
 * front end draw like any text. An image smaller than chafa's 8x8 pixels a
 * cell is first enlarged by repeating pixels, so digits stay sharp.
 * IMG_ASCII is relabel's own grey-scale character ramp for terminals
 * without colour (area-averaged, no colours).
 *
 * Pixel modes (sixel, kitty, iTerm2) fit the image into the box's pixels
 * (cells times the terminal's cell size), shrinking by area averaging and
 * enlarging by whole multiples (every pixel of the image is shown; an
 * image that fits exactly is not resampled). The fitted picture is encoded
 * by pixelproto.h into the bytes the front end writes after curses has
 * drawn the frame; the canvas only gets blank cells where it will be.
 *
 * Aspect ratio is kept (a cell is about twice as tall as wide in symbol
 * modes; pixel modes use the real cell size). Alpha is composited over
 * black (the pane background). */
#ifndef RELABEL_IMGVIEW_H
#define RELABEL_IMGVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "image.h"

enum img_mode {
	IMG_NONE, IMG_BLOCKS, IMG_ASCII, IMG_SYMBOLS,
	IMG_SIXEL, IMG_KITTY, IMG_ITERM,
	IMG_MODE_COUNT
};
#define IMG_IS_PIXELS(m) ((m) == IMG_SIXEL || (m) == IMG_KITTY || (m) == IMG_ITERM)

/* "auto" is -1; an unknown name -2. */
int img_mode_parse(const char *name);
const char *img_mode_name(int mode);

/* Where and how an image is fitted. cell_w/cell_h: the terminal's cell
 * size in pixels (pixel modes only). colors: the terminal's palette for
 * the symbol modes, 8, 16 or 256 (chafa then chooses symbols and colours
 * for that palette), or 0 for direct colour. */
struct img_box {
	int cols, rows;
	enum img_mode mode;
	int cell_w, cell_h;
	int colors;
};

struct thumb_cell {
	char text[8];            /* one UTF-8 character */
	int32_t fg, bg;          /* 0xRRGGBB, or -1: the pane's default */
};

struct thumb {
	enum img_mode mode;
	int cols, rows;          /* cells the picture covers */
	struct thumb_cell *cells;     /* symbol and ascii modes: cols*rows */
	int pw, ph;              /* pixel modes: the picture's size in pixels */
	char *seq;               /* pixel modes: the bytes that draw it */
	size_t seqlen;
};

/* Fit im into the box. Returns 0, or -1 if the box is empty. */
int thumb_make(const struct image *im, const struct img_box *box, struct thumb *out);
void thumb_free(struct thumb *t);
/* Draw at (x, y) of the canvas (pixel modes: blank cells). */
void thumb_draw(const struct thumb *t, struct canvas *c, int x, int y);

/* The picture's size in pixels for an image of w x h in a box of bw x bh
 * pixels: the largest fit; an image that fits is enlarged only by a whole
 * multiple. */
void img_fit_pixels(int w, int h, int bw, int bh, int *pw, int *ph);
/* im scaled to pw x ph RGBA (opaque, alpha composited over black):
 * area average when shrinking, repetition when enlarging. */
uint8_t *img_scale_rgba(const struct image *im, int pw, int ph);

#endif
