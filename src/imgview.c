/* imgview.c — scaling images to cells and drawing them (see imgview.h). */
#include "imgview.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Source pixel composited over bg, as three channels. */
static void over(const uint8_t *p, uint32_t bg, unsigned rgb[3])
{
	unsigned a = p[3];
	for (int ch = 0; ch < 3; ch++) {
		unsigned b = (bg >> (16 - 8 * ch)) & 0xff;
		rgb[ch] = (p[ch] * a + b * (255 - a) + 127) / 255;
	}
}

/* Average of the source rectangle [x0,x1) x [y0,y1) (at least one pixel). */
static uint32_t area(const struct image *im, int x0, int x1, int y0, int y1, uint32_t bg)
{
	unsigned long sum[3] = { 0, 0, 0 }, n = 0;
	if (x1 <= x0)
		x1 = x0 + 1;
	if (y1 <= y0)
		y1 = y0 + 1;
	for (int y = y0; y < y1 && y < im->h; y++)
		for (int x = x0; x < x1 && x < im->w; x++) {
			unsigned rgb[3];
			over(im->rgba + ((size_t)y * (size_t)im->w + (size_t)x) * 4, bg, rgb);
			for (int ch = 0; ch < 3; ch++)
				sum[ch] += rgb[ch];
			n++;
		}
	if (!n)
		return bg;
	return (uint32_t)((sum[0] + n / 2) / n) << 16 | (uint32_t)((sum[1] + n / 2) / n) << 8 |
	       (uint32_t)((sum[2] + n / 2) / n);
}

int thumb_make(const struct image *im, int box_cols, int box_rows, enum img_mode mode,
	       uint32_t bg, struct thumb *out)
{
	memset(out, 0, sizeof *out);
	if (box_cols < 1 || box_rows < 1 || im->w < 1 || im->h < 1 || mode == IMG_NONE)
		return -1;
	int per_row = mode == IMG_BLOCKS ? 2 : 1;
	/* image size in cell units: a pixel is 1 column wide and, in blocks
	 * mode, half a row tall; in ascii mode a row holds one pixel row of a
	 * pixel twice as tall as wide */
	double sx = (double)box_cols / im->w;
	double sy = (double)box_rows * per_row / (im->h * (mode == IMG_ASCII ? 0.5 : 1.0));
	double s = sx < sy ? sx : sy;
	int tw = (int)(im->w * s + 0.5);
	int th = (int)(im->h * s * (mode == IMG_ASCII ? 0.5 : 1.0) + 0.5);
	if (tw < 1)
		tw = 1;
	if (th < 1)
		th = 1;
	out->mode = mode;
	out->pw = tw;
	out->cols = tw;
	out->rows = (th + per_row - 1) / per_row;
	out->ph = out->rows * per_row;
	out->px = xmallocarray((size_t)out->pw * (size_t)out->ph, sizeof *out->px);
	int shrink = tw < im->w || th < im->h;
	for (int y = 0; y < out->ph; y++)
		for (int x = 0; x < out->pw; x++) {
			uint32_t v = bg;
			if (y < th) {
				if (shrink)
					v = area(im, x * im->w / tw, (x + 1) * im->w / tw,
						 y * im->h / th, (y + 1) * im->h / th, bg);
				else
					v = area(im, (int)((x + 0.5) * im->w / tw), 0,
						 (int)((y + 0.5) * im->h / th), 0, bg);
			}
			out->px[(size_t)y * (size_t)out->pw + (size_t)x] = v;
		}
	return 0;
}

void thumb_free(struct thumb *t)
{
	if (t) {
		free(t->px);
		t->px = NULL;
	}
}

void thumb_draw(const struct thumb *t, struct canvas *c, int x, int y)
{
	static const char ramp[] = " .:-=+*#%@";
	for (int r = 0; r < t->rows; r++)
		for (int col = 0; col < t->cols; col++) {
			struct canvas_cell *cell = canvas_at(c, x + col, y + r);
			if (!cell)
				continue;
			cell->width = 1;
			cell->style = ST_NORMAL;
			if (t->mode == IMG_BLOCKS) {
				uint32_t top = t->px[(size_t)(2 * r) * (size_t)t->pw + (size_t)col];
				uint32_t bot = t->px[(size_t)(2 * r + 1) * (size_t)t->pw + (size_t)col];
				strcpy(cell->text, "\xE2\x96\x80");
				cell->fg = CANVAS_RGB(top >> 16, (top >> 8) & 0xff, top & 0xff);
				cell->bg = CANVAS_RGB(bot >> 16, (bot >> 8) & 0xff, bot & 0xff);
			} else {
				uint32_t v = t->px[(size_t)r * (size_t)t->pw + (size_t)col];
				unsigned lum = (299 * (v >> 16) + 587 * ((v >> 8) & 0xff) +
						114 * (v & 0xff)) / 1000;
				cell->text[0] = ramp[lum * (sizeof ramp - 2) / 255];
				cell->text[1] = '\0';
				cell->fg = cell->bg = CANVAS_COLOR_DEFAULT;
			}
		}
}
