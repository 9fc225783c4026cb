/* imgview.c — fitting images to cells: symbol modes through libchafa,
 * the ASCII ramp and the pixel-mode fitting as relabel's own code (see
 * imgview.h). */
#include "imgview.h"

#include <chafa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pixelproto.h"
#include "util.h"

static const char *const mode_names[IMG_MODE_COUNT] = {
	"none", "blocks", "ascii", "symbols", "sixel", "kitty", "iterm",
};

int img_mode_parse(const char *name)
{
	if (!strcmp(name, "auto"))
		return -1;
	for (int i = 0; i < IMG_MODE_COUNT; i++)
		if (!strcmp(name, mode_names[i]))
			return i;
	return -2;
}

const char *img_mode_name(int mode)
{
	return mode >= 0 && mode < IMG_MODE_COUNT ? mode_names[mode] : "auto";
}

/* Source pixel composited over black, as three channels. */
static void over(const uint8_t *p, unsigned rgb[3])
{
	for (int ch = 0; ch < 3; ch++)
		rgb[ch] = (p[ch] * p[3] + 127) / 255;
}

/* Average of the source rectangle [x0,x1) x [y0,y1) (at least one pixel). */
static uint32_t area(const struct image *im, int x0, int x1, int y0, int y1)
{
	unsigned long sum[3] = { 0, 0, 0 }, n = 0;
	if (x1 <= x0)
		x1 = x0 + 1;
	if (y1 <= y0)
		y1 = y0 + 1;
	for (int y = y0; y < y1 && y < im->h; y++)
		for (int x = x0; x < x1 && x < im->w; x++) {
			unsigned rgb[3];
			over(im->rgba + ((size_t)y * (size_t)im->w + (size_t)x) * 4, rgb);
			for (int ch = 0; ch < 3; ch++)
				sum[ch] += rgb[ch];
			n++;
		}
	if (!n)
		return 0;
	return (uint32_t)((sum[0] + n / 2) / n) << 16 | (uint32_t)((sum[1] + n / 2) / n) << 8 |
	       (uint32_t)((sum[2] + n / 2) / n);
}

/* The pixel of a tw x th fitting of im at (x, y): an area average when
 * shrinking, the covering source pixel when enlarging. */
static uint32_t fitted(const struct image *im, int tw, int th, int x, int y)
{
	if (tw < im->w || th < im->h)
		return area(im, (int)((long)x * im->w / tw), (int)((long)(x + 1) * im->w / tw),
			    (int)((long)y * im->h / th), (int)((long)(y + 1) * im->h / th));
	return area(im, (int)((long)x * im->w / tw), 0, (int)((long)y * im->h / th), 0);
}

void img_fit_pixels(int w, int h, int bw, int bh, int *pw, int *ph)
{
	*pw = *ph = 0;
	if (w < 1 || h < 1 || bw < 1 || bh < 1)
		return;
	if (w <= bw && h <= bh) {
		/* enlarge by whole multiples only, so every pixel stays square */
		int k = bw / w < bh / h ? bw / w : bh / h;
		*pw = w * k;
		*ph = h * k;
		return;
	}
	double s = (double)bw / w < (double)bh / h ? (double)bw / w : (double)bh / h;
	*pw = (int)(w * s);
	*ph = (int)(h * s);
	if (*pw < 1)
		*pw = 1;
	if (*ph < 1)
		*ph = 1;
}

/* Rounded division (v + n/2) / n without a divide instruction: n's
 * multiplier M = floor((2^64 - 1) / n) + 1 gives v / n = (M * v) >> 64
 * exactly for every 32-bit v and n >= 2 (Lemire, Kaser and Kurz, "Faster
 * remainder by direct computation", 2019); n = 1 is v itself. */
#ifdef __SIZEOF_INT128__
static uint64_t div_magic(uint32_t n)
{
	return n < 2 ? 0 : UINT64_C(0xFFFFFFFFFFFFFFFF) / n + 1;
}

static uint32_t div_round(uint32_t v, uint32_t n, uint64_t m)
{
	uint32_t x = v + n / 2;
	return n < 2 ? x : (uint32_t)(((unsigned __int128)m * x) >> 64);
}
#else
static uint64_t div_magic(uint32_t n)
{
	(void)n;
	return 0;
}

static uint32_t div_round(uint32_t v, uint32_t n, uint64_t m)
{
	(void)m;
	return (v + n / 2) / n;
}
#endif

/* Shrinking, one pass over the source: each source row's pixels are
 * summed into the output columns they fall in, rows into the output row. */
static void shrink_rgba(const struct image *im, int pw, int ph, uint8_t *out, size_t stride)
{
	int *x0 = xmallocarray((size_t)pw + 1, sizeof *x0);
	for (int x = 0; x <= pw; x++)
		x0[x] = (int)((long)x * im->w / pw);
	/* an output row covers hlo or hlo + 1 source rows: each output
	 * pixel's count and its divisor's multiplier, for both */
	int hlo = ph <= im->h ? im->h / ph : 1;
	uint32_t *cnt = xmallocarray((size_t)pw * 2, sizeof *cnt);
	uint64_t *mag = xmallocarray((size_t)pw * 2, sizeof *mag);
	for (int k = 0; k < 2; k++)
		for (int x = 0; x < pw; x++) {
			uint32_t wx = (uint32_t)(x0[x + 1] > x0[x] ? x0[x + 1] - x0[x] : 1);
			cnt[k * pw + x] = wx * (uint32_t)(hlo + k);
			mag[k * pw + x] = div_magic(cnt[k * pw + x]);
		}
	/* shrinking by less than half, no output pixel covers more than two
	 * columns: an opaque row is summed without a loop a pixel, its
	 * first column plus its second (or the first again, masked off) */
	int two = im->w >= 2;
	for (int x = 0; x < pw && two; x++)
		two = x0[x + 1] - x0[x] <= 2;
	int *x1 = xmallocarray((size_t)pw, sizeof *x1);
	uint32_t *m1 = xmallocarray((size_t)pw, sizeof *m1);
	for (int x = 0; x < pw; x++) {
		int second = x0[x + 1] - x0[x] == 2;
		x1[x] = x0[x] + second;
		m1[x] = second ? 0xffffffffu : 0;
	}
	uint32_t *acc = xmallocarray((size_t)pw * 3, sizeof *acc);
	for (int y = 0; y < ph; y++) {
		int y0 = (int)((long)y * im->h / ph), y1 = (int)((long)(y + 1) * im->h / ph);
		if (y1 <= y0)
			y1 = y0 + 1;
		memset(acc, 0, (size_t)pw * 3 * sizeof *acc);
		for (int sy = y0; sy < y1; sy++) {
			const uint8_t *p = im->rgba + (size_t)sy * (size_t)im->w * 4;
			unsigned alpha = 0;
			if (two) {
				alpha = 255;
				for (int sx = 0; sx < im->w; sx++)
					alpha &= p[(size_t)sx * 4 + 3];
			}
			if (alpha == 255) {
				for (int x = 0; x < pw; x++) {
					const uint8_t *a = p + (size_t)x0[x] * 4, *b = p + (size_t)x1[x] * 4;
					uint32_t m = m1[x];
					acc[x * 3] += a[0] + (b[0] & m);
					acc[x * 3 + 1] += a[1] + (b[1] & m);
					acc[x * 3 + 2] += a[2] + (b[2] & m);
				}
				continue;
			}
			for (int x = 0; x < pw; x++) {
				uint32_t r = 0, g = 0, b = 0;
				int e = x0[x + 1] > x0[x] ? x0[x + 1] : x0[x] + 1;
				for (int sx = x0[x]; sx < e; sx++) {
					const uint8_t *q = p + (size_t)sx * 4;
					if (q[3] == 255) {
						r += q[0];
						g += q[1];
						b += q[2];
					} else {
						r += (q[0] * q[3] + 127u) / 255;
						g += (q[1] * q[3] + 127u) / 255;
						b += (q[2] * q[3] + 127u) / 255;
					}
				}
				acc[x * 3] += r;
				acc[x * 3 + 1] += g;
				acc[x * 3 + 2] += b;
			}
		}
		uint8_t *o = out + (size_t)y * stride;
		int k = y1 - y0 - hlo;
		if (k < 0 || k > 1) {       /* cannot happen; the plain division */
			for (int x = 0; x < pw; x++) {
				uint32_t n = (uint32_t)((x0[x + 1] > x0[x] ? x0[x + 1] - x0[x] : 1) * (y1 - y0));
				for (int ch = 0; ch < 3; ch++)
					o[x * 4 + ch] = (uint8_t)((acc[x * 3 + ch] + n / 2) / n);
				o[x * 4 + 3] = 255;
			}
			continue;
		}
		const uint32_t *nk = cnt + (size_t)k * (size_t)pw;
		const uint64_t *mk = mag + (size_t)k * (size_t)pw;
		for (int x = 0; x < pw; x++) {
			for (int ch = 0; ch < 3; ch++)
				o[x * 4 + ch] = (uint8_t)div_round(acc[x * 3 + ch], nk[x], mk[x]);
			o[x * 4 + 3] = 255;
		}
	}
	free(acc);
	free(m1);
	free(x1);
	free(mag);
	free(cnt);
	free(x0);
}

/* im scaled to pw x ph into out, whose rows are stride bytes apart. */
static void scale_into(const struct image *im, int pw, int ph, uint8_t *out, size_t stride)
{
	if (pw < im->w || ph < im->h) {
		shrink_rgba(im, pw, ph, out, stride);
		return;
	}
	for (int y = 0; y < ph; y++) {       /* enlarging: the covering pixel */
		const uint8_t *row = im->rgba + (size_t)((long)y * im->h / ph) * (size_t)im->w * 4;
		uint8_t *o = out + (size_t)y * stride;
		for (int x = 0; x < pw; x++) {
			const uint8_t *q = row + (size_t)((long)x * im->w / pw) * 4;
			for (int ch = 0; ch < 3; ch++)
				o[x * 4 + ch] = (uint8_t)((q[ch] * q[3] + 127u) / 255);
			o[x * 4 + 3] = 255;
		}
	}
}

uint8_t *img_scale_rgba(const struct image *im, int pw, int ph)
{
	uint8_t *out = xmallocarray((size_t)pw * (size_t)ph, 4);
	scale_into(im, pw, ph, out, (size_t)pw * 4);
	return out;
}

/* The size in cells of im fitted into cols x rows, a cell being one pixel
 * wide and cell_aspect pixels tall, pixels square. */
static void fit_cells(const struct image *im, int cols, int rows, double cell_aspect,
		      int *tc, int *tr)
{
	double sx = (double)cols / im->w, sy = (double)rows * cell_aspect / im->h;
	double s = sx < sy ? sx : sy;
	*tc = (int)(im->w * s + 0.5);
	*tr = (int)(im->h * s / cell_aspect + 0.5);
	if (*tc < 1)
		*tc = 1;
	if (*tr < 1)
		*tr = 1;
	if (*tc > cols)
		*tc = cols;
	if (*tr > rows)
		*tr = rows;
}

static int make_ascii(const struct image *im, const struct img_box *b, struct thumb *out)
{
	static const char ramp[] = " .:-=+*#%@";
	int tc, tr;
	fit_cells(im, b->cols, b->rows, 2.0, &tc, &tr);
	out->cols = tc;
	out->rows = tr;
	out->cells = xcalloc((size_t)tc * (size_t)tr, sizeof *out->cells);
	for (int y = 0; y < tr; y++)
		for (int x = 0; x < tc; x++) {
			uint32_t v = fitted(im, tc, tr, x, y);
			unsigned lum = (299 * (v >> 16) + 587 * ((v >> 8) & 0xff) +
					114 * (v & 0xff)) / 1000;
			struct thumb_cell *cell = &out->cells[(size_t)y * (size_t)tc + (size_t)x];
			cell->text[0] = ramp[lum * (sizeof ramp - 2) / 255];
			cell->fg = cell->bg = -1;
		}
	return 0;
}

/* im with every pixel repeated k x k times. */
static uint8_t *enlarge(const struct image *im, int k)
{
	size_t W = (size_t)im->w * (size_t)k;
	uint8_t *out = xmallocarray(W * (size_t)im->h * (size_t)k, 4);
	for (int y = 0; y < im->h; y++) {
		uint8_t *row = out + (size_t)y * (size_t)k * W * 4;
		for (int x = 0; x < im->w; x++)
			for (int r = 0; r < k; r++)
				memcpy(row + ((size_t)x * (size_t)k + (size_t)r) * 4,
				       im->rgba + ((size_t)y * (size_t)im->w + (size_t)x) * 4, 4);
		for (int r = 1; r < k; r++)
			memcpy(row + (size_t)r * W * 4, row, W * 4);
	}
	return out;
}

static int make_symbols(const struct image *im, const struct img_box *b, struct thumb *out)
{
	int tc, tr;
	/* a cell is about twice as tall as wide; half-block pixels are square */
	fit_cells(im, b->cols, b->rows, 2.0, &tc, &tr);
	ChafaSymbolMap *map = chafa_symbol_map_new();
	if (b->mode == IMG_BLOCKS)
		chafa_symbol_map_add_by_tags(map, CHAFA_SYMBOL_TAG_VHALF | CHAFA_SYMBOL_TAG_SPACE);
	else
		chafa_symbol_map_add_by_tags(map, CHAFA_SYMBOL_TAG_BLOCK | CHAFA_SYMBOL_TAG_SPACE |
					     CHAFA_SYMBOL_TAG_HALF | CHAFA_SYMBOL_TAG_QUAD |
					     CHAFA_SYMBOL_TAG_SEXTANT);
	chafa_symbol_map_remove_by_tags(map, CHAFA_SYMBOL_TAG_WIDE | CHAFA_SYMBOL_TAG_AMBIGUOUS);
	ChafaCanvasConfig *cfg = chafa_canvas_config_new();
	chafa_canvas_config_set_geometry(cfg, tc, tr);
	chafa_canvas_config_set_canvas_mode(cfg, b->colors == 8 ? CHAFA_CANVAS_MODE_INDEXED_8 :
					    b->colors == 16 ? CHAFA_CANVAS_MODE_INDEXED_16 :
					    b->colors == 256 ? CHAFA_CANVAS_MODE_INDEXED_256 :
					    CHAFA_CANVAS_MODE_TRUECOLOR);
	chafa_canvas_config_set_symbol_map(cfg, map);
	chafa_canvas_config_set_bg_color(cfg, 0x000000);
	chafa_canvas_config_set_preprocessing_enabled(cfg, FALSE);
	chafa_canvas_config_set_dither_mode(cfg, CHAFA_DITHER_MODE_NONE);
	ChafaCanvas *cv = chafa_canvas_new(cfg);
	/* chafa works on 8x8 pixels a cell and enlarges smoothly; a smaller
	 * image is first enlarged by repeating pixels, so that 8x8 digits stay
	 * sharp and chafa only ever shrinks */
	int k = 1;
	while ((im->w * k < tc * 8 || im->h * k < tr * 8) &&
	       (double)im->w * im->h * (k + 1) * (k + 1) <= 4e6)
		k++;
	if (k > 1) {
		uint8_t *big = enlarge(im, k);
		chafa_canvas_draw_all_pixels(cv, CHAFA_PIXEL_RGBA8_UNASSOCIATED, big, im->w * k,
					     im->h * k, im->w * k * 4);
		free(big);
	} else {
		chafa_canvas_draw_all_pixels(cv, CHAFA_PIXEL_RGBA8_UNASSOCIATED, im->rgba, im->w,
					     im->h, im->w * 4);
	}
	out->cols = tc;
	out->rows = tr;
	out->cells = xcalloc((size_t)tc * (size_t)tr, sizeof *out->cells);
	for (int y = 0; y < tr; y++)
		for (int x = 0; x < tc; x++) {
			struct thumb_cell *cell = &out->cells[(size_t)y * (size_t)tc + (size_t)x];
			gunichar ch = chafa_canvas_get_char_at(cv, x, y);
			gint fg, bg;
			chafa_canvas_get_colors_at(cv, x, y, &fg, &bg);
			int n = g_unichar_to_utf8(ch ? ch : ' ', cell->text);
			cell->text[n] = '\0';
			cell->fg = fg;
			cell->bg = bg;
		}
	chafa_canvas_unref(cv);
	chafa_canvas_config_unref(cfg);
	chafa_symbol_map_unref(map);
	return 0;
}

static int make_pixels(const struct image *im, const struct img_box *b, struct thumb *out)
{
	int cw = b->cell_w, ch = b->cell_h;
	if (cw < 1 || ch < 1)
		return -1;
	int pw, ph, bh = b->rows * ch;
	/* sixel draws bands of 6 pixel rows (chafa would rescale a picture
	 * of another height): fit into whole bands */
	if (b->mode == IMG_SIXEL)
		bh -= bh % 6;
	img_fit_pixels(im->w, im->h, b->cols * cw, bh, &pw, &ph);
	if (pw < 1)
		return -1;
	out->cols = (pw + cw - 1) / cw;
	out->rows = (ph + ch - 1) / ch;
	out->pw = pw;
	out->ph = ph;
	/* kitty and iTerm2 place whole cells: the picture at their top left,
	 * the rest transparent, so nothing is stretched; sixel is the picture
	 * in whole bands */
	int W = out->cols * cw, H = out->rows * ch;
	if (b->mode == IMG_SIXEL) {
		W = pw;
		H = (ph + 5) / 6 * 6;
	}
	/* the fitted picture is scaled straight into the padded one */
	uint8_t *pad = xcalloc((size_t)W * (size_t)H, 4);
	scale_into(im, pw, ph, pad, (size_t)W * 4);
	out->seq = pixel_encode(b->mode, pad, W, H, out->cols, out->rows, &out->seqlen);
	free(pad);
	return out->seq ? 0 : -1;
}

int thumb_make(const struct image *im, const struct img_box *box, struct thumb *out)
{
	memset(out, 0, sizeof *out);
	if (box->cols < 1 || box->rows < 1 || im->w < 1 || im->h < 1 || box->mode == IMG_NONE)
		return -1;
	out->mode = box->mode;
	int r = box->mode == IMG_ASCII ? make_ascii(im, box, out) :
		IMG_IS_PIXELS(box->mode) ? make_pixels(im, box, out) : make_symbols(im, box, out);
	if (r < 0)
		thumb_free(out);
	return r;
}

void thumb_free(struct thumb *t)
{
	if (t) {
		free(t->cells);
		free(t->seq);
		t->cells = NULL;
		t->seq = NULL;
	}
}

void thumb_draw(const struct thumb *t, struct canvas *c, int x, int y)
{
	for (int r = 0; r < t->rows; r++)
		for (int col = 0; col < t->cols; col++) {
			struct canvas_cell *cell = canvas_at(c, x + col, y + r);
			if (!cell)
				continue;
			cell->width = 1;
			cell->style = ST_NORMAL;
			cell->fg = cell->bg = CANVAS_COLOR_DEFAULT;
			if (!t->cells) {        /* pixel modes: the picture goes here */
				cell->text[0] = '\0';
				continue;
			}
			const struct thumb_cell *tc = &t->cells[(size_t)r * (size_t)t->cols + (size_t)col];
			snprintf(cell->text, sizeof cell->text, "%s", tc->text);
			if (tc->fg >= 0)
				cell->fg = CANVAS_RGB(tc->fg >> 16, (tc->fg >> 8) & 0xff, tc->fg & 0xff);
			if (tc->bg >= 0)
				cell->bg = CANVAS_RGB(tc->bg >> 16, (tc->bg >> 8) & 0xff, tc->bg & 0xff);
		}
}
