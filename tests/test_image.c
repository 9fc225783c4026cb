/* test_image.c — PNG decoding of every colour type and bit depth (images
 * written here with libpng, decoded pixels compared with what was written),
 * rejection of corrupt, truncated, non-PNG and oversized files, rendering
 * of small images in blocks (through chafa) and ascii modes against known
 * cells, the
 * palette, and the colour-pair cache's eviction rules. */
#include <check.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "image.h"
#include "imgview.h"
#include "palette.h"

struct buf {
	uint8_t *p;
	size_t n;
};

static void wr(png_structp png, png_bytep data, size_t n)
{
	struct buf *b = png_get_io_ptr(png);
	b->p = realloc(b->p, b->n + n);
	memcpy(b->p + b->n, data, n);
	b->n += n;
}

static void fl(png_structp png)
{
	(void)png;
}

/* The expected RGBA of pixel (x, y) of the test pattern for a colour type
 * and depth: a gradient that uses the full range of the depth. */
static unsigned level(int x, int y, int depth)
{
	unsigned max = (1u << depth) - 1;
	return (unsigned)((x * 3 + y * 5) % (int)(max + 1));
}

static unsigned to8(unsigned v, int depth)
{
	if (depth == 16)
		return v >> 8;
	return v * 255 / ((1u << depth) - 1);
}

/* Encode a w x h image of the given type/depth; returns its bytes. */
static struct buf encode(int type, int depth, int interlace, int trns)
{
	enum { W = 7, H = 5 };
	struct buf b = { 0 };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_set_write_fn(png, &b, wr, fl);
	png_set_IHDR(png, info, W, H, depth, type, interlace ? PNG_INTERLACE_ADAM7 :
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_color pal[256];
	png_byte alpha[256];
	if (type == PNG_COLOR_TYPE_PALETTE) {
		int n = 1 << depth;
		for (int i = 0; i < n; i++) {
			pal[i].red = (png_byte)(i * 255 / (n - 1));
			pal[i].green = (png_byte)(255 - i * 255 / (n - 1));
			pal[i].blue = (png_byte)(i * 37);
			alpha[i] = (png_byte)(i * 255 / (n - 1));
		}
		png_set_PLTE(png, info, pal, n);
		if (trns)
			png_set_tRNS(png, info, alpha, n, NULL);
	} else if (trns && type == PNG_COLOR_TYPE_GRAY) {
		png_color_16 t = { .gray = (png_uint_16)level(0, 0, depth) };
		png_set_tRNS(png, info, NULL, 0, &t);
	}
	png_write_info(png, info);
	int ch = type == PNG_COLOR_TYPE_RGB ? 3 : type == PNG_COLOR_TYPE_RGBA ? 4 :
		 type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
	png_set_packing(png);
	if (depth == 16)
		png_set_swap(png);
	int passes = png_set_interlace_handling(png);
	for (int pass = 0; pass < passes; pass++)
		for (int y = 0; y < H; y++) {
			uint16_t row16[W * 4];
			uint8_t row8[W * 4];
			for (int x = 0; x < W; x++)
				for (int c = 0; c < ch; c++) {
					unsigned v = level(x + c, y, depth);
					row16[x * ch + c] = (uint16_t)v;
					row8[x * ch + c] = (uint8_t)v;
				}
			png_write_row(png, depth == 16 ? (png_bytep)row16 : row8);
		}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return b;
}

static void check_pixels(const struct image *im, int type, int depth, int trns)
{
	ck_assert_int_eq(im->w, 7);
	ck_assert_int_eq(im->h, 5);
	for (int y = 0; y < 5; y++)
		for (int x = 0; x < 7; x++) {
			const uint8_t *p = im->rgba + (y * 7 + x) * 4;
			unsigned want[4];
			if (type == PNG_COLOR_TYPE_PALETTE) {
				int i = (int)level(x, y, depth), n = 1 << depth;
				want[0] = (unsigned)(i * 255 / (n - 1));
				want[1] = (unsigned)(255 - i * 255 / (n - 1));
				want[2] = (unsigned)(i * 37) & 0xff;
				want[3] = trns ? (unsigned)(i * 255 / (n - 1)) : 255;
			} else {
				int color = type & PNG_COLOR_MASK_COLOR;
				for (int c = 0; c < 3; c++)
					want[c] = to8(level(x + (color ? c : 0), y, depth), depth);
				want[3] = type & PNG_COLOR_MASK_ALPHA ?
					  to8(level(x + (color ? 3 : 1), y, depth), depth) : 255;
				if (trns && level(x, y, depth) == level(0, 0, depth))
					want[3] = 0;
			}
			for (int c = 0; c < 4; c++)
				ck_assert_msg(p[c] == want[c], "type %d depth %d (%d,%d) channel %d: "
					      "%u want %u", type, depth, x, y, c, p[c], want[c]);
		}
}

START_TEST(test_every_colour_type_and_depth)
{
	static const struct { int type, depth; } kinds[] = {
		{ PNG_COLOR_TYPE_GRAY, 1 }, { PNG_COLOR_TYPE_GRAY, 2 }, { PNG_COLOR_TYPE_GRAY, 4 },
		{ PNG_COLOR_TYPE_GRAY, 8 }, { PNG_COLOR_TYPE_GRAY, 16 },
		{ PNG_COLOR_TYPE_GRAY_ALPHA, 8 }, { PNG_COLOR_TYPE_GRAY_ALPHA, 16 },
		{ PNG_COLOR_TYPE_RGB, 8 }, { PNG_COLOR_TYPE_RGB, 16 },
		{ PNG_COLOR_TYPE_RGBA, 8 }, { PNG_COLOR_TYPE_RGBA, 16 },
		{ PNG_COLOR_TYPE_PALETTE, 1 }, { PNG_COLOR_TYPE_PALETTE, 2 },
		{ PNG_COLOR_TYPE_PALETTE, 4 }, { PNG_COLOR_TYPE_PALETTE, 8 },
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		for (int il = 0; il < 2; il++)
			for (int trns = 0; trns < 2; trns++) {
				int type = kinds[k].type, depth = kinds[k].depth;
				if (trns && type != PNG_COLOR_TYPE_PALETTE && !(type == PNG_COLOR_TYPE_GRAY && depth == 8))
					continue;
				struct buf b = encode(type, depth, il, trns);
				struct image im;
				struct err e;
				ck_assert_msg(image_decode_png(b.p, b.n, &im, &e) == 0, "type %d depth %d: %s",
					      type, depth, e.msg);
				check_pixels(&im, type, depth, trns);
				image_free(&im);
				free(b.p);
			}
}
END_TEST

static void count_pause(void *arg)
{
	(*(int *)arg)++;
}

/* A thread's pause function is called while its PNGs decode, every 64
 * rows, and changes nothing of the pixels. */
START_TEST(test_decode_pause)
{
	enum { W = 3, H = 300 };
	struct buf b = { 0 };
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_set_write_fn(png, &b, wr, fl);
	png_set_IHDR(png, info, W, H, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < H; y++) {
		uint8_t row[W] = { (uint8_t)y, (uint8_t)(y * 3), (uint8_t)(255 - y) };
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	int n = 0;
	struct image im;
	struct err e;
	image_set_pause(count_pause, &n);
	ck_assert_int_eq(image_decode_png(b.p, b.n, &im, &e), 0);
	ck_assert_msg(n >= H / 64 && n <= H / 64 + 1, "%d pauses", n);
	for (int y = 0; y < H; y++)
		ck_assert_int_eq(im.rgba[(y * W + 1) * 4], (uint8_t)(y * 3));
	image_free(&im);
	image_set_pause(NULL, NULL);
	n = 0;
	ck_assert_int_eq(image_decode_png(b.p, b.n, &im, &e), 0);
	ck_assert_int_eq(n, 0);
	image_free(&im);
	free(b.p);
}
END_TEST

START_TEST(test_corrupt_files_rejected)
{
	struct buf b = encode(PNG_COLOR_TYPE_RGB, 8, 0, 0);
	struct image im;
	struct err e;
	for (size_t cut = 0; cut < b.n; cut += 3) {     /* truncated anywhere */
		ck_assert_int_eq(image_decode_png(b.p, cut, &im, &e), -1);
		ck_assert_ptr_null(im.rgba);
		ck_assert(e.msg[0]);
	}
	uint8_t *bad = malloc(b.n);
	memcpy(bad, b.p, b.n);
	bad[0] = 'G';                                    /* wrong signature */
	ck_assert_int_eq(image_decode_png(bad, b.n, &im, &e), -1);
	ck_assert_str_eq(e.msg, "not a PNG file");
	memcpy(bad, b.p, b.n);
	bad[29] ^= 0x55;                                 /* IHDR CRC */
	ck_assert_int_eq(image_decode_png(bad, b.n, &im, &e), -1);
	memcpy(bad, b.p, b.n);
	bad[b.n - 20] ^= 0xff;                           /* IDAT data or CRC */
	ck_assert_int_eq(image_decode_png(bad, b.n, &im, &e), -1);
	free(bad);
	free(b.p);
	ck_assert_int_eq(image_load_png("/nonexistent.png", &im, &e), -1);
	ck_assert_msg(strstr(e.msg, "/nonexistent.png"), "%s", e.msg);
}
END_TEST

/* A header announcing 20000 x 20000 is refused before any allocation. */
START_TEST(test_huge_image_refused)
{
	uint8_t png[8 + 25];
	memcpy(png, "\x89PNG\r\n\x1a\n", 8);
	uint8_t *c = png + 8;
	memcpy(c, "\0\0\0\x0dIHDR", 8);
	uint32_t w = 20000, h = 20000;
	uint8_t ihdr[13] = { w >> 24, w >> 16 & 255, w >> 8 & 255, w & 255,
			     h >> 24, h >> 16 & 255, h >> 8 & 255, h & 255, 8, 2, 0, 0, 0 };
	memcpy(c + 8, ihdr, 13);
	uint32_t crc = (uint32_t)crc32(crc32(0, c + 4, 4), ihdr, 13);
	c[21] = crc >> 24;
	c[22] = crc >> 16 & 255;
	c[23] = crc >> 8 & 255;
	c[24] = crc & 255;
	struct image im;
	struct err e;
	ck_assert_int_eq(image_decode_png(png, sizeof png, &im, &e), -1);
	ck_assert_msg(strstr(e.msg, "large") || strstr(e.msg, "width") || strstr(e.msg, "exceeds"),
		      "%s", e.msg);
}
END_TEST

/* 2x2 image: red, green / blue, half-transparent white. */
static struct image tiny(void)
{
	static uint8_t px[16] = { 255, 0, 0, 255, 0, 255, 0, 255,
				  0, 0, 255, 255, 255, 255, 255, 128 };
	struct image im = { 2, 2, px };
	return im;
}

/* The colours of the upper and lower half of a half-block cell, whichever
 * of the two half blocks (or space / full block) chafa chose. */
static void halves(const struct canvas_cell *cell, uint32_t *top, uint32_t *bot)
{
	if (!strcmp(cell->text, "\xE2\x96\x80")) {          /* upper half */
		*top = cell->fg;
		*bot = cell->bg;
	} else if (!strcmp(cell->text, "\xE2\x96\x84")) {   /* lower half */
		*top = cell->bg;
		*bot = cell->fg;
	} else if (!strcmp(cell->text, "\xE2\x96\x88")) {   /* full block */
		*top = *bot = cell->fg;
	} else {
		ck_assert_str_eq(cell->text, " ");
		*top = *bot = cell->bg;
	}
}

START_TEST(test_blocks_rendering)
{
	struct image im = tiny();
	struct thumb t;
	ck_assert_int_eq(thumb_make(&im, &(struct img_box){ .cols = 2, .rows = 1, .mode = IMG_BLOCKS }, &t), 0);
	ck_assert_int_eq(t.cols, 2);
	ck_assert_int_eq(t.rows, 1);
	struct canvas *c = canvas_new(4, 2);
	thumb_draw(&t, c, 1, 0);
	uint32_t top, bot;
	halves(canvas_at(c, 1, 0), &top, &bot);
	ck_assert_uint_eq(top, CANVAS_RGB(255, 0, 0));
	ck_assert_uint_eq(bot, CANVAS_RGB(0, 0, 255));
	halves(canvas_at(c, 2, 0), &top, &bot);
	ck_assert_uint_eq(top, CANVAS_RGB(0, 255, 0));
	/* alpha over black: about half grey */
	ck_assert_int_ge((int)CANVAS_R(bot), 120);
	ck_assert_int_le((int)CANVAS_R(bot), 136);
	thumb_free(&t);
	/* Enlarging: 2x2 into 4 columns x 2 rows (4 px tall). */
	ck_assert_int_eq(thumb_make(&im, &(struct img_box){ .cols = 4, .rows = 2, .mode = IMG_BLOCKS }, &t), 0);
	ck_assert_int_eq(t.cols, 4);
	ck_assert_int_eq(t.rows, 2);
	canvas_clear(c);
	thumb_draw(&t, c, 0, 0);
	halves(canvas_at(c, 0, 0), &top, &bot);
	ck_assert_uint_eq(top, CANVAS_RGB(255, 0, 0));
	ck_assert_uint_eq(bot, CANVAS_RGB(255, 0, 0));
	halves(canvas_at(c, 0, 1), &top, &bot);
	ck_assert_uint_eq(bot, CANVAS_RGB(0, 0, 255));
	thumb_free(&t);
	canvas_free(c);
}
END_TEST

START_TEST(test_ascii_rendering_and_shrinking)
{
	static uint8_t px[4 * 4 * 4];
	for (int i = 0; i < 16; i++) {
		uint8_t v = i % 4 < 2 ? 0 : 255;          /* left half black, right white */
		px[i * 4] = px[i * 4 + 1] = px[i * 4 + 2] = v;
		px[i * 4 + 3] = 255;
	}
	struct image im = { 4, 4, px };
	struct thumb t;
	ck_assert_int_eq(thumb_make(&im, &(struct img_box){ .cols = 2, .rows = 4, .mode = IMG_ASCII }, &t), 0);  /* shrink 2:1 */
	ck_assert_int_eq(t.cols, 2);
	ck_assert_int_eq(t.rows, 1);   /* a cell is twice as tall as wide */
	struct canvas *c = canvas_new(2, 1);
	thumb_draw(&t, c, 0, 0);
	ck_assert_str_eq(canvas_at(c, 0, 0)->text, " ");
	ck_assert_str_eq(canvas_at(c, 1, 0)->text, "@");
	thumb_free(&t);
	canvas_free(c);
}
END_TEST

START_TEST(test_palette)
{
	ck_assert_int_eq(palette_256(0x000000), 16);
	ck_assert_int_eq(palette_256(0xffffff), 231);
	ck_assert_int_eq(palette_256(0xff0000), 196);
	ck_assert_int_eq(palette_256(0x808080), 244);
	ck_assert_int_eq(palette_basic(0xff0000, 16), 9);
	ck_assert_int_eq(palette_basic(0xff0000, 8), 1);
	ck_assert_int_eq(palette_basic(0x000000, 8), 0);
}
END_TEST

START_TEST(test_paircache_evicts_only_old_frames)
{
	struct paircache pc;
	paircache_init(&pc, 32, 3);
	int fresh;
	ck_assert_int_eq(paircache_get(&pc, 1, 2, &fresh), 32);
	ck_assert_int_eq(fresh, 1);
	ck_assert_int_eq(paircache_get(&pc, 1, 2, &fresh), 32);
	ck_assert_int_eq(fresh, 0);
	ck_assert_int_eq(paircache_get(&pc, 3, 4, &fresh), 33);
	ck_assert_int_eq(paircache_get(&pc, 5, 6, &fresh), 34);
	ck_assert_int_eq(paircache_get(&pc, 7, 8, &fresh), -1);   /* all in use this frame */
	paircache_frame(&pc);
	ck_assert_int_eq(paircache_get(&pc, 3, 4, &fresh), 33);
	ck_assert_int_eq(paircache_get(&pc, 5, 6, &fresh), 34);
	ck_assert_int_eq(paircache_get(&pc, 7, 8, &fresh), 32);   /* the least recent one */
	ck_assert_int_eq(fresh, 1);
	/* thousands of images: never out of pairs, never a stale colour */
	for (int frame = 0; frame < 5000; frame++) {
		paircache_frame(&pc);
		int p = paircache_get(&pc, frame, frame + 1, &fresh);
		ck_assert_int_ge(p, 32);
		ck_assert_int_eq(fresh, 1);
		ck_assert_int_eq(pc.fg[p - 32], frame);
	}
	paircache_free(&pc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("image");
	TCase *tc = tcase_create("image");
	tcase_add_test(tc, test_every_colour_type_and_depth);
	tcase_add_test(tc, test_decode_pause);
	tcase_add_test(tc, test_corrupt_files_rejected);
	tcase_add_test(tc, test_huge_image_refused);
	tcase_add_test(tc, test_blocks_rendering);
	tcase_add_test(tc, test_ascii_rendering_and_shrinking);
	tcase_add_test(tc, test_palette);
	tcase_add_test(tc, test_paircache_evicts_only_old_frames);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
