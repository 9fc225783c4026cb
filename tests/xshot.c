/* xshot.c — helper of tests/review-xterm.sh: writes the test pattern and
 * judges screenshots of the terminal.
 *   xshot pattern OUT.png      a 96x64 pattern: a 2-pixel orange frame,
 *                              1-pixel black/white columns on the left,
 *                              1-pixel red/white rows on the right
 *   xshot match SHOT.png       finds the frame in SHOT, derives the scale
 *                              k (whole multiple), compares every pixel
 *                              with the pattern enlarged k times; prints
 *                              "x y w h k mismatch%" and exits 0 if at
 *                              most 2% differ by more than 48 a channel
 *   xshot absent SHOT.png X Y W H   exits 0 if no orange pixel is on the
 *                              screenshot and no pattern red in the box */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

enum { PW = 96, PH = 64 };

static void pattern_px(int x, int y, unsigned char rgb[3])
{
	static const unsigned char orange[3] = { 255, 128, 0 }, black[3] = { 0, 0, 0 },
				   white[3] = { 255, 255, 255 }, red[3] = { 255, 0, 0 };
	const unsigned char *c;
	if (x < 2 || y < 2 || x >= PW - 2 || y >= PH - 2)
		c = orange;
	else if (x < PW / 2)
		c = x % 2 ? white : black;
	else
		c = y % 2 ? white : red;
	memcpy(rgb, c, 3);
}

static int write_pattern(const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return 1;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_init_io(png, f);
	png_set_IHDR(png, info, PW, PH, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	unsigned char row[PW * 3];
	for (int y = 0; y < PH; y++) {
		for (int x = 0; x < PW; x++)
			pattern_px(x, y, row + x * 3);
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return fclose(f) != 0;
}

static int near(const unsigned char *p, int r, int g, int b, int tol)
{
	return abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
}

static int load(const char *path, struct image *im)
{
	struct err e = { 0 };
	if (image_load_png(path, im, &e) < 0) {
		fprintf(stderr, "xshot: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int match(const char *path)
{
	struct image im;
	if (load(path, &im) < 0)
		return 2;
	int x0 = im.w, y0 = im.h, x1 = -1, y1 = -1;
	for (int y = 0; y < im.h; y++)
		for (int x = 0; x < im.w; x++)
			if (near(im.rgba + ((size_t)y * im.w + x) * 4, 255, 128, 0, 40)) {
				x0 = x < x0 ? x : x0;
				y0 = y < y0 ? y : y0;
				x1 = x > x1 ? x : x1;
				y1 = y > y1 ? y : y1;
			}
	if (x1 < 0) {
		printf("no picture on the screen\n");
		image_free(&im);
		return 1;
	}
	int w = x1 - x0 + 1, h = y1 - y0 + 1, k = w / PW;
	if (k < 1 || w != k * PW || h != k * PH) {
		printf("%d %d %d %d: not the pattern at a whole scale\n", x0, y0, w, h);
		image_free(&im);
		return 1;
	}
	long bad = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char want[3];
			pattern_px(x / k, y / k, want);
			if (!near(im.rgba + ((size_t)(y0 + y) * im.w + (size_t)(x0 + x)) * 4,
				  want[0], want[1], want[2], 48))
				bad++;
		}
	double pct = 100.0 * (double)bad / ((double)w * h);
	printf("%d %d %d %d %d %.2f\n", x0, y0, w, h, k, pct);
	image_free(&im);
	return pct <= 2.0 ? 0 : 1;
}

static int absent(const char *path, int bx, int by, int bw, int bh)
{
	struct image im;
	if (load(path, &im) < 0)
		return 2;
	long orange = 0, red = 0;
	for (int y = 0; y < im.h; y++)
		for (int x = 0; x < im.w; x++) {
			const unsigned char *p = im.rgba + ((size_t)y * im.w + x) * 4;
			if (near(p, 255, 128, 0, 40))
				orange++;
			if (x >= bx && x < bx + bw && y >= by && y < by + bh && near(p, 255, 0, 0, 30))
				red++;
		}
	printf("%ld orange, %ld red\n", orange, red);
	image_free(&im);
	return orange || red;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "pattern"))
		return write_pattern(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "match"))
		return match(argv[2]);
	if (argc == 7 && !strcmp(argv[1], "absent"))
		return absent(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
	fprintf(stderr, "usage: xshot pattern OUT | match SHOT | absent SHOT X Y W H\n");
	return 2;
}
