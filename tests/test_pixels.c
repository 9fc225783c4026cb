/* test_pixels.c — image previews through libchafa and the terminal
 * graphics protocols: the symbol renderer's cells for small synthetic
 * images (golden cells), the fitting of pictures to a pane's pixels, each
 * protocol's byte stream decoded here (a small sixel decoder, the kitty
 * payload's base64 RGBA, iTerm2's base64 TIFF) and compared pixel by
 * pixel with the source scaled to the pane, relabel's sixel encoder
 * against chafa's, tmux passthrough wrapping, and the terminal probe:
 * parsing replies, the automatic choice, and never waiting for a terminal
 * that does not answer (a pty), and the picture cache's background
 * workers: what they prepare is byte for byte what is made on the spot,
 * keyed by example and box, an example's decoding is reused for its other
 * pictures, with no leak when they are stopped mid-way. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <glib.h>
#include <math.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imgview.h"
#include "pixelproto.h"
#include "sixel.h"
#include "termprobe.h"
#include "thumbcache.h"

/* --- the symbol renderer ------------------------------------------------ */

static struct thumb render(const struct image *im, int cols, int rows, enum img_mode m)
{
	struct thumb t;
	struct img_box b = { .cols = cols, .rows = rows, .mode = m };
	ck_assert_int_eq(thumb_make(im, &b, &t), 0);
	return t;
}

/* A w x h grey image from a pattern of '#' (white) and '.' (black). */
static struct image pattern(int w, int h, const char *pat, uint8_t *px)
{
	for (int i = 0; i < w * h; i++) {
		uint8_t v = pat[i] == '#' ? 255 : 0;
		px[i * 4] = px[i * 4 + 1] = px[i * 4 + 2] = v;
		px[i * 4 + 3] = 255;
	}
	return (struct image){ w, h, px };
}

static void cell_is(const struct thumb *t, int x, int y, const char *text, int32_t fg,
		    int32_t bg)
{
	const struct thumb_cell *c = &t->cells[y * t->cols + x];
	ck_assert_str_eq(c->text, text);
	ck_assert_int_eq(c->fg, fg);
	ck_assert_int_eq(c->bg, bg);
}

START_TEST(test_symbols_golden_cells)
{
	uint8_t px[16 * 16 * 4];
	/* sextants: one cell is 2 x 3 of them */
	static const struct { const char *pat, *text; int32_t fg, bg; } sx[] = {
		{ "#..#..", "\xF0\x9F\xAC\x88", 0xf2f2f2, 0x0b0b0b },   /* U+1FB08 */
		{ "#..#.#", "\xF0\x9F\xAC\xA7", 0xf7f7f7, 0x070707 },   /* U+1FB27 */
		{ "##....", "\xF0\x9F\xAC\x82", 0xe9e9e9, 0x000000 },   /* U+1FB02 */
		{ "#....#", "\xF0\x9F\xAC\x9F", 0xe9e9e9, 0x000000 },   /* U+1FB1F */
		{ "#.#.#.", "\xE2\x96\x8C", 0xffffff, 0x000000 },       /* left half */
	};
	for (size_t i = 0; i < sizeof sx / sizeof sx[0]; i++) {
		struct image im = pattern(2, 3, sx[i].pat, px);
		struct thumb t = render(&im, 1, 1, IMG_SYMBOLS);
		ck_assert_int_eq(t.cols, 1);
		ck_assert_int_eq(t.rows, 1);
		cell_is(&t, 0, 0, sx[i].text, sx[i].fg, sx[i].bg);
		thumb_free(&t);
	}
	/* quadrants: a 2x2 checker a cell, yellow on black */
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 4; x++) {
			uint8_t *p = px + (y * 4 + x) * 4, on = (x + y / 2) % 2 ? 255 : 0;
			p[0] = p[1] = on;
			p[2] = 0;
			p[3] = 255;
		}
	struct image q = { 4, 4, px };
	struct thumb t = render(&q, 2, 1, IMG_SYMBOLS);
	ck_assert_int_eq(t.cols, 2);
	cell_is(&t, 0, 0, "\xE2\x96\x9E", 0xffff00, 0x000000);     /* U+259E */
	cell_is(&t, 1, 0, "\xE2\x96\x9E", 0xffff00, 0x000000);
	thumb_free(&t);
	/* top red, bottom blue: one upper half block a cell */
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 16; x++) {
			uint8_t *p = px + (y * 16 + x) * 4;
			p[0] = y < 8 ? 255 : 0;
			p[1] = 0;
			p[2] = y < 8 ? 0 : 255;
			p[3] = 255;
		}
	struct image rb = { 16, 16, px };
	t = render(&rb, 2, 1, IMG_SYMBOLS);
	cell_is(&t, 0, 0, "\xE2\x96\x80", 0xff0000, 0x0000ff);
	cell_is(&t, 1, 0, "\xE2\x96\x80", 0xff0000, 0x0000ff);
	thumb_free(&t);
	/* blocks mode has only half blocks: left/right halves average out */
	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 16; x++) {
			uint8_t *p = px + (y * 16 + x) * 4;
			p[0] = p[1] = p[2] = x % 8 < 4 ? 255 : 0;
			p[3] = 255;
		}
	t = render(&rb, 2, 1, IMG_BLOCKS);
	cell_is(&t, 0, 0, " ", -1, 0x7f7f7f);
	thumb_free(&t);
	t = render(&rb, 2, 1, IMG_SYMBOLS);          /* symbols draw them */
	cell_is(&t, 0, 0, "\xE2\x96\x8C", 0xffffff, 0x000000);
	thumb_free(&t);
}
END_TEST

START_TEST(test_symbols_fit_and_draw)
{
	/* a wide image in a tall box: as wide as the box, aspect kept
	 * (cells twice as tall as wide) */
	uint8_t *px = malloc(64 * 16 * 4);
	memset(px, 200, 64 * 16 * 4);
	struct image im = { 64, 16, px };
	struct thumb t = render(&im, 32, 20, IMG_SYMBOLS);
	ck_assert_int_eq(t.cols, 32);
	ck_assert_int_eq(t.rows, 4);
	struct canvas *c = canvas_new(40, 10);
	thumb_draw(&t, c, 2, 3);
	ck_assert(CANVAS_IS_RGB(canvas_at(c, 2, 3)->bg));
	ck_assert(!CANVAS_IS_RGB(canvas_at(c, 1, 3)->bg));
	thumb_free(&t);
	canvas_free(c);
	free(px);
}
END_TEST

/* --- decoders of the protocols --------------------------------------- */

struct pic {
	int w, h;
	uint8_t *rgba;       /* alpha 0: not painted */
};

/* Sixel as chafa and relabel write it: DCS P1;P2;P3 q, raster attributes,
 * colour definitions (#n;2;r;g;b in percent), #n selects, ? .. ~ six
 * pixels, !n repeats, $ returns to the band's start, - goes to the next
 * band. */
static struct pic sixel_decode(const char *s, size_t n)
{
	struct pic p = { 0, 0, NULL };
	const char *q = memchr(s, 'q', n), *end = s + n;
	ck_assert_ptr_nonnull(q);
	ck_assert(s[0] == 0x1b && s[1] == 'P');
	q++;
	int pan, pad;
	ck_assert_int_eq(sscanf(q, "\"%d;%d;%d;%d", &pan, &pad, &p.w, &p.h), 4);
	p.rgba = calloc((size_t)p.w * p.h, 4);
	uint8_t pal[256][3] = { { 0 } };
	int colour = 0, x = 0, band = 0;
	while (q < end && *q != 0x1b) {
		char ch = *q;
		if (ch == '"') {
			q++;
			while (q < end && ((*q >= '0' && *q <= '9') || *q == ';'))
				q++;
		} else if (ch == '#') {
			int v[5], k = 0;
			q++;
			while (k < 5) {
				v[k++] = (int)strtol(q, (char **)&q, 10);
				if (*q != ';')
					break;
				q++;
			}
			colour = v[0] & 255;
			if (k == 5 && v[1] == 2)
				for (int c = 0; c < 3; c++)
					pal[colour][c] = (uint8_t)((v[2 + c] * 255 + 50) / 100);
		} else if (ch == '$') {
			x = 0;
			q++;
		} else if (ch == '-') {
			x = 0;
			band++;
			q++;
		} else {
			int rep = 1;
			if (ch == '!') {
				q++;
				rep = (int)strtol(q, (char **)&q, 10);
				ch = *q;
			}
			ck_assert_msg(ch >= '?' && ch <= '~', "sixel byte %d", ch);
			int bits = ch - '?';
			for (int r = 0; r < rep; r++, x++)
				for (int b = 0; b < 6; b++) {
					int y = band * 6 + b;
					if (!(bits >> b & 1) || x >= p.w || y >= p.h)
						continue;
					uint8_t *o = p.rgba + ((size_t)y * p.w + x) * 4;
					memcpy(o, pal[colour], 3);
					o[3] = 255;
				}
			q++;
		}
	}
	ck_assert_msg(q + 1 < end && q[1] == '\\', "sixel not ended by ST");
	return p;
}

/* The kitty sequences' payloads, each chunk base64 on its own (as the
 * terminal decodes them), concatenated; the first sequence's keys
 * checked. */
static struct pic kitty_decode(const char *s, size_t n, int cols, int rows)
{
	struct pic p = { 0, 0, NULL };
	GByteArray *data = g_byte_array_new();
	int first = 1, more = 1;
	const char *q = s, *end = s + n;
	while (q < end) {
		ck_assert(q[0] == 0x1b && q[1] == '_' && q[2] == 'G');
		const char *st = strstr(q, "\x1b\\");
		ck_assert_ptr_nonnull(st);
		const char *semi = memchr(q, ';', (size_t)(st - q));
		char keys[256];
		size_t kl = (size_t)((semi ? semi : st) - (q + 3));
		ck_assert_uint_lt(kl, sizeof keys);
		memcpy(keys, q + 3, kl);
		keys[kl] = '\0';
		if (first) {
			int c, r;
			ck_assert_msg(strstr(keys, "a=T") && strstr(keys, "f=32"), "%s", keys);
			ck_assert_int_eq(sscanf(strstr(keys, "s="), "s=%d", &p.w), 1);
			ck_assert_int_eq(sscanf(strstr(keys, "v="), "v=%d", &p.h), 1);
			ck_assert_int_eq(sscanf(strstr(keys, "c="), "c=%d", &c), 1);
			ck_assert_int_eq(sscanf(strstr(keys, "r="), "r=%d", &r), 1);
			ck_assert_int_eq(c, cols);
			ck_assert_int_eq(r, rows);
			first = 0;
		}
		more = strstr(keys, "m=1") != NULL;
		if (semi && st > semi + 1) {
			ck_assert_int_eq((st - semi - 1) % 4, 0);
			ck_assert_int_le(st - semi - 1, 4096);
			if (more)        /* only the last chunk may be padded */
				ck_assert(st[-1] != '=');
			char *chunk = g_strndup(semi + 1, (gsize)(st - semi - 1));
			gsize len;
			guchar *bytes = g_base64_decode(chunk, &len);
			g_byte_array_append(data, bytes, (guint)len);
			g_free(bytes);
			g_free(chunk);
		}
		q = st + 2;
	}
	ck_assert_int_eq(more, 0);
	ck_assert_uint_eq(data->len, (size_t)p.w * p.h * 4);
	p.rgba = g_byte_array_free(data, FALSE);
	return p;
}

static unsigned le(const uint8_t *p, int bytes)
{
	return bytes == 2 ? (unsigned)(p[0] | p[1] << 8) :
			    (unsigned)(p[0] | p[1] << 8 | p[2] << 16 | (unsigned)p[3] << 24);
}

/* OSC 1337 File=...:BASE64 BEL, a little-endian TIFF of 8-bit RGBA in one
 * strip. */
static struct pic iterm_decode(const char *s, size_t n, int cols, int rows)
{
	struct pic p = { 0, 0, NULL };
	ck_assert(!strncmp(s, "\x1b]1337;File=inline=1;", 21));
	int c, r;
	ck_assert_int_eq(sscanf(strstr(s, "width="), "width=%d", &c), 1);
	ck_assert_int_eq(sscanf(strstr(s, "height="), "height=%d", &r), 1);
	ck_assert_int_eq(c, cols);
	ck_assert_int_eq(r, rows);
	const char *colon = memchr(s, ':', n);
	ck_assert_ptr_nonnull(colon);
	size_t bl = strcspn(colon + 1, "\a\x1b");
	ck_assert_uint_lt((size_t)(colon + 1 - s) + bl, n);
	char *b64 = g_strndup(colon + 1, bl);
	gsize len;
	uint8_t *tif = g_base64_decode(b64, &len);
	g_free(b64);
	ck_assert_uint_ge(len, 8);
	ck_assert(!memcmp(tif, "II*\0", 4));
	unsigned ifd = le(tif + 4, 4), strip = 0, spp = 0;
	unsigned entries = le(tif + ifd, 2);
	for (unsigned i = 0; i < entries; i++) {
		const uint8_t *e = tif + ifd + 2 + i * 12;
		unsigned tag = le(e, 2), type = le(e + 2, 2);
		unsigned v = type == 3 ? le(e + 8, 2) : le(e + 8, 4);
		if (tag == 256) p.w = (int)v;
		if (tag == 257) p.h = (int)v;
		if (tag == 273) strip = v;
		if (tag == 277) spp = v;
	}
	ck_assert_uint_eq(spp, 4);
	ck_assert_uint_le(strip + (size_t)p.w * p.h * 4, len);
	p.rgba = malloc((size_t)p.w * p.h * 4);
	memcpy(p.rgba, tif + strip, (size_t)p.w * p.h * 4);
	g_free(tif);
	return p;
}

/* --- the protocols against the source scaled to the pane --------------- */

/* A 4x4 image of 16 distinct colours. */
static struct image colours16(uint8_t *px)
{
	for (int i = 0; i < 16; i++) {
		px[i * 4] = (uint8_t)(i * 17);
		px[i * 4 + 1] = (uint8_t)(255 - i * 17);
		px[i * 4 + 2] = (uint8_t)(i % 4 * 85);
		px[i * 4 + 3] = 255;
	}
	return (struct image){ 4, 4, px };
}

/* The decoded picture equals the source scaled to the pane (within tol a
 * channel) wherever the picture is, and leaves the padding around it
 * unpainted; with k > 0 the scaled source is the source enlarged k times,
 * with k < 0 shrunk -k times from blocks of one colour. */
static void compare(const struct pic *d, const struct thumb *t, const struct image *src, int k,
		    int tol)
{
	ck_assert_int_ge(d->w, t->pw);
	ck_assert_int_ge(d->h, t->ph);
	uint8_t *fit = img_scale_rgba(src, t->pw, t->ph);
	for (int y = 0; y < d->h; y++)
		for (int x = 0; x < d->w; x++) {
			const uint8_t *o = d->rgba + ((size_t)y * d->w + x) * 4;
			if (x >= t->pw || y >= t->ph) {
				ck_assert_msg(o[3] == 0, "padding at %d,%d is painted", x, y);
				continue;
			}
			const uint8_t *f = fit + ((size_t)y * t->pw + x) * 4;
			int sx = k > 0 ? x / k : x * -k, sy = k > 0 ? y / k : y * -k;
			const uint8_t *s = src->rgba + ((size_t)sy * src->w + sx) * 4;
			for (int c = 0; c < 3; c++) {
				ck_assert_int_eq(f[c], s[c]);
				ck_assert_msg(abs(o[c] - f[c]) <= tol, "pixel %d,%d channel %d: %d, want %d",
					      x, y, c, o[c], f[c]);
			}
			ck_assert_int_eq(o[3], 255);
		}
	free(fit);
}

START_TEST(test_pixel_fitting)
{
	int pw, ph;
	img_fit_pixels(8, 8, 100, 50, &pw, &ph);      /* enlarge by a whole 6 */
	ck_assert_int_eq(pw, 48);
	ck_assert_int_eq(ph, 48);
	img_fit_pixels(1000, 1000, 400, 300, &pw, &ph);   /* shrink to fit */
	ck_assert_int_eq(pw, 300);
	ck_assert_int_eq(ph, 300);
	img_fit_pixels(96, 64, 96, 64, &pw, &ph);     /* exactly: as it is */
	ck_assert_int_eq(pw, 96);
	ck_assert_int_eq(ph, 64);
	/* shrinking averages areas: 2x2 blocks of one colour to one pixel */
	uint8_t px[8 * 8 * 4];
	for (int y = 0; y < 8; y++)
		for (int x = 0; x < 8; x++) {
			uint8_t *p = px + (y * 8 + x) * 4;
			p[0] = (uint8_t)(x / 2 * 60);
			p[1] = (uint8_t)(y / 2 * 60);
			p[2] = 7;
			p[3] = 255;
		}
	struct image im = { 8, 8, px };
	uint8_t *s = img_scale_rgba(&im, 4, 4);
	for (int y = 0; y < 4; y++)
		for (int x = 0; x < 4; x++) {
			ck_assert_int_eq(s[(y * 4 + x) * 4], x * 60);
			ck_assert_int_eq(s[(y * 4 + x) * 4 + 1], y * 60);
		}
	free(s);
}
END_TEST

/* The area average with its divisions done by multiplication is exactly
 * the plain one: random pictures (with alpha) at many sizes. */
START_TEST(test_shrink_exact)
{
	static const int sizes[][4] = {
		{ 1000, 1000, 500, 498 }, { 997, 613, 311, 97 }, { 640, 480, 639, 479 },
		{ 50, 300, 50, 7 }, { 300, 50, 7, 50 }, { 33, 17, 32, 16 }, { 5000, 3, 1, 1 },
		{ 7, 4000, 3, 1 }, { 256, 256, 255, 1 }, { 100, 10, 60, 20 },
	};
	unsigned seed = 12345;
	for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
		int w = sizes[t][0], h = sizes[t][1], pw = sizes[t][2], ph = sizes[t][3];
		uint8_t *px = malloc((size_t)w * h * 4);
		for (size_t i = 0; i < (size_t)w * h * 4; i++) {
			seed = seed * 1103515245u + 12345u;
			px[i] = (uint8_t)(seed >> 16);
			/* mostly opaque, some not; the last two sizes wholly
			 * opaque (the rows that need no alpha) */
			if (i % 4 == 3 && ((seed >> 8) % 3 || t >= 8))
				px[i] = 255;
		}
		struct image im = { w, h, px };
		uint8_t *s = img_scale_rgba(&im, pw, ph);
		for (int y = 0; y < ph; y++) {
			int y0 = (int)((long)y * h / ph), y1 = (int)((long)(y + 1) * h / ph);
			if (y1 <= y0)
				y1 = y0 + 1;
			for (int x = 0; x < pw; x++) {
				int x0 = (int)((long)x * w / pw), x1 = (int)((long)(x + 1) * w / pw);
				if (x1 <= x0)
					x1 = x0 + 1;
				unsigned long sum[3] = { 0, 0, 0 }, n = 0;
				for (int sy = y0; sy < y1; sy++)
					for (int sx = x0; sx < x1; sx++, n++)
						for (int ch = 0; ch < 3; ch++) {
							const uint8_t *q = px + ((size_t)sy * w + sx) * 4;
							sum[ch] += (q[ch] * q[3] + 127u) / 255;
						}
				for (int ch = 0; ch < 3; ch++)
					ck_assert_msg(s[((size_t)y * pw + x) * 4 + ch] ==
						      (sum[ch] + n / 2) / n, "size %zu at %d,%d", t, x, y);
				ck_assert_int_eq(s[((size_t)y * pw + x) * 4 + 3], 255);
			}
		}
		free(s);
		free(px);
	}
}
END_TEST

static struct thumb pixels(const struct image *im, enum img_mode m, int cols, int rows, int cw,
			   int ch)
{
	struct thumb t;
	struct img_box b = { .cols = cols, .rows = rows, .mode = m, .cell_w = cw, .cell_h = ch };
	ck_assert_int_eq(thumb_make(im, &b, &t), 0);
	ck_assert_ptr_nonnull(t.seq);
	ck_assert_uint_eq(strlen(t.seq), t.seqlen);
	return t;
}

START_TEST(test_kitty_payload)
{
	uint8_t px[64];
	struct image im = colours16(px);
	/* pane 5x2 cells of 4x8 px = 20x16 px: enlarged x4 to 16x16, over
	 * 4x2 cells */
	struct thumb t = pixels(&im, IMG_KITTY, 5, 2, 4, 8);
	ck_assert_int_eq(t.pw, 16);
	ck_assert_int_eq(t.ph, 16);
	ck_assert_int_eq(t.cols, 4);
	ck_assert_int_eq(t.rows, 2);
	struct pic d = kitty_decode(t.seq, t.seqlen, 4, 2);
	ck_assert_int_eq(d.w, 16);
	ck_assert_int_eq(d.h, 16);
	compare(&d, &t, &im, 4, 0);
	g_free(d.rgba);
	thumb_free(&t);
	/* a large picture comes in chunks of at most 4096 base64 bytes */
	uint8_t *big = malloc(200 * 100 * 4);
	for (int i = 0; i < 200 * 100; i++) {
		big[i * 4] = (uint8_t)i;
		big[i * 4 + 1] = (uint8_t)(i >> 8);
		big[i * 4 + 2] = (uint8_t)(i * 7);
		big[i * 4 + 3] = 255;
	}
	struct image bi = { 200, 100, big };
	t = pixels(&bi, IMG_KITTY, 20, 5, 10, 20);       /* 200x100 px exactly */
	d = kitty_decode(t.seq, t.seqlen, 20, 5);
	compare(&d, &t, &bi, 1, 0);
	ck_assert_ptr_nonnull(strstr(t.seq, "m=1"));
	g_free(d.rgba);
	thumb_free(&t);
	/* shrinking: 3x3 blocks of one colour average to that colour */
	for (int y = 0; y < 99; y++)
		for (int x = 0; x < 198; x++) {
			uint8_t *p = big + (y * 198 + x) * 4;
			p[0] = (uint8_t)(x / 3 * 7);
			p[1] = (uint8_t)(y / 3 * 7);
			p[2] = (uint8_t)((x / 3 + y / 3) * 3);
			p[3] = 255;
		}
	struct image sh = { 198, 99, big };
	t = pixels(&sh, IMG_KITTY, 11, 3, 6, 11);       /* 66x33 px: a third */
	ck_assert_int_eq(t.pw, 66);
	ck_assert_int_eq(t.ph, 33);
	d = kitty_decode(t.seq, t.seqlen, 11, 3);
	compare(&d, &t, &sh, -3, 0);
	g_free(d.rgba);
	thumb_free(&t);
	free(big);
}
END_TEST

START_TEST(test_sixel_stream)
{
	uint8_t px[64];
	struct image im = colours16(px);
	/* cells of 7x13: pane 4x2 = 28x26 px; the picture fits whole bands
	 * (24 rows): x6 = 24x24 */
	struct thumb t = pixels(&im, IMG_SIXEL, 4, 2, 7, 13);
	ck_assert_int_eq(t.pw, 24);
	ck_assert_int_eq(t.ph, 24);
	ck_assert_int_eq(t.cols, 4);
	ck_assert_int_eq(t.rows, 2);
	struct pic d = sixel_decode(t.seq, t.seqlen);
	ck_assert_int_eq(d.w, 24);
	ck_assert_int_eq(d.h % 6, 0);
	compare(&d, &t, &im, 6, 2);          /* colours are sent in percent */
	free(d.rgba);
	thumb_free(&t);
	/* the 96x64 test pattern of the xterm test, unscaled */
	uint8_t *pat = malloc(96 * 64 * 4);
	for (int y = 0; y < 64; y++)
		for (int x = 0; x < 96; x++) {
			uint8_t *p = pat + (y * 96 + x) * 4;
			int on = x < 48 ? x % 2 : y % 2;
			p[0] = on || x >= 48 ? 255 : 0;
			p[1] = p[2] = on ? 255 : 0;
			p[3] = 255;
		}
	struct image pi = { 96, 64, pat };
	t = pixels(&pi, IMG_SIXEL, 16, 6, 6, 13);     /* 96x78 px, 78 whole bands */
	ck_assert_int_eq(t.pw, 96);
	ck_assert_int_eq(t.ph, 64);
	d = sixel_decode(t.seq, t.seqlen);
	compare(&d, &t, &pi, 1, 2);
	free(d.rgba);
	thumb_free(&t);
	free(pat);
}
END_TEST

/* A photograph-like picture (smooth gradients, fine noise) through sixel:
 * the palette chafa fits to it must keep its colours (RMSE against the
 * source, in percent of full scale). */
START_TEST(test_sixel_photo_colours)
{
	int w = 498, h = 498;
	uint8_t *px = malloc((size_t)w * h * 4);
	uint32_t r = 12345;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = px + ((size_t)y * w + x) * 4;
			r = r * 1103515245u + 12345u;
			int n = (int)(r >> 28) - 8;
			int v[3] = { x * 255 / w + n, y * 255 / h + n,
				     (x + y) * 255 / (w + h) / 2 + 64 + n };
			for (int c = 0; c < 3; c++)
				p[c] = (uint8_t)(v[c] < 0 ? 0 : v[c] > 255 ? 255 : v[c]);
			p[3] = 255;
		}
	struct image im = { w, h, px };
	struct thumb t = pixels(&im, IMG_SIXEL, 50, 25, 10, 20);
	ck_assert_int_eq(t.pw, 498);
	ck_assert_int_eq(t.ph, 498);
	struct pic d = sixel_decode(t.seq, t.seqlen);
	ck_assert_int_ge(d.h, 498);
	double se = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < 3; c++) {
				double e = (double)d.rgba[((size_t)y * d.w + x) * 4 + c] -
					   px[((size_t)y * w + x) * 4 + c];
				se += e * e;
			}
	double rmse = sqrt(se / ((double)w * h * 3)) / 255 * 100;
	fprintf(stderr, "sixel photo RMSE %.3f%%\n", rmse);
	ck_assert_msg(rmse < 2.5, "sixel colours off by %.2f%% RMSE", rmse);
	free(d.rgba);
	thumb_free(&t);
	free(px);
}
END_TEST

/* RMSE of a decoded picture against rgba (w x h) in percent of full
 * scale; every pixel must be painted exactly where rgba is opaque. */
static double painted_rmse(const struct pic *d, const uint8_t *rgba, int w, int h)
{
	ck_assert_int_eq(d->w, w);
	ck_assert_int_ge(d->h, h);
	double se = 0;
	long n = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const uint8_t *o = d->rgba + ((size_t)y * d->w + x) * 4;
			const uint8_t *s = rgba + ((size_t)y * w + x) * 4;
			ck_assert_msg(o[3] == s[3], "pixel %d,%d: alpha %d, want %d", x, y, o[3], s[3]);
			if (!s[3])
				continue;
			for (int c = 0; c < 3; c++)
				se += ((double)o[c] - s[c]) * ((double)o[c] - s[c]);
			n += 3;
		}
	return n ? sqrt(se / (double)n) / 255 * 100 : 0;
}

/* A picture of the kind the pixel modes make: opaque, rows from y_clear
 * on transparent (the padding to whole bands). kind 0: the photograph of
 * test_sixel_photo_colours; 1: noise in every channel; 2: 40 flat
 * colours in stripes; 3: one colour. */
static uint8_t *test_picture(int w, int h, int y_clear, int kind)
{
	uint8_t *px = calloc((size_t)w * h, 4);
	uint32_t r = 777;
	for (int y = 0; y < y_clear; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = px + ((size_t)y * w + x) * 4;
			r = r * 1103515245u + 12345u;
			int n = (int)(r >> 28) - 8, v[3];
			if (kind == 0) {
				v[0] = x * 255 / w + n;
				v[1] = y * 255 / h + n;
				v[2] = (x + y) * 255 / (w + h) / 2 + 64 + n;
			} else if (kind == 1) {
				v[0] = (int)(r >> 8 & 255);
				v[1] = (int)(r >> 16 & 255);
				v[2] = (int)(r >> 24);
			} else if (kind == 2) {
				int k = (x / 7 + y / 5) % 40;
				v[0] = k * 6;
				v[1] = 255 - k * 5;
				v[2] = (k * 37) % 256;
			} else {
				v[0] = 200;
				v[1] = 30;
				v[2] = 90;
			}
			for (int c = 0; c < 3; c++)
				p[c] = (uint8_t)(v[c] < 0 ? 0 : v[c] > 255 ? 255 : v[c]);
			p[3] = 255;
		}
	return px;
}

/* relabel's sixel encoder against chafa's on the same pictures: both
 * decode to the same painted pixels (the padding left clear), and its
 * colours are at least as close to the source's as chafa's (photographs
 * and noise: RMSE no more than chafa's plus 0.2 points; up to 256 flat
 * colours: each exact but for the percent steps of sixel colours). */
START_TEST(test_sixel_own_and_chafa_agree)
{
	static const struct { int w, h, y_clear, kind; } cases[] = {
		{ 498, 498, 498, 0 }, { 520, 516, 511, 0 }, { 780, 780, 780, 0 },
		{ 97, 60, 55, 1 }, { 300, 36, 36, 1 }, { 640, 120, 118, 2 },
		{ 600, 12, 12, 3 }, { 5, 6, 1, 3 }, { 1, 6, 6, 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int w = cases[i].w, h = cases[i].h;
		uint8_t *px = test_picture(w, h, cases[i].y_clear, cases[i].kind);
		size_t n1, n2;
		char *own = sixel_encode(px, w, h, &n1);
		char *ref = pixel_sixel_chafa(px, w, h, &n2);
		ck_assert_ptr_nonnull(own);
		ck_assert_ptr_nonnull(ref);
		ck_assert_uint_eq(strlen(own), n1);
		struct pic a = sixel_decode(own, n1), b = sixel_decode(ref, n2);
		double ea = painted_rmse(&a, px, w, h), eb = painted_rmse(&b, px, w, h);
		fprintf(stderr, "sixel %dx%d kind %d: RMSE own %.3f%%, chafa %.3f%%; %zu / %zu bytes\n",
			w, h, cases[i].kind, ea, eb, n1, n2);
		if (cases[i].kind >= 2) {
			for (int y = 0; y < cases[i].y_clear; y++)
				for (int x = 0; x < w; x++)
					for (int c = 0; c < 3; c++)
						ck_assert_int_le(abs(a.rgba[((size_t)y * w + x) * 4 + c] -
								     px[((size_t)y * w + x) * 4 + c]), 2);
		} else {
			ck_assert_msg(ea <= eb + 0.2, "own RMSE %.3f%%, chafa's %.3f%%", ea, eb);
		}
		/* pixel_encode takes relabel's encoder for such pictures */
		size_t n3;
		char *via = pixel_encode(IMG_SIXEL, px, w, h, 1, 1, &n3);
		ck_assert_uint_eq(n3, n1);
		ck_assert(!memcmp(via, own, n1));
		free(via);
		free(a.rgba);
		free(b.rgba);
		free(own);
		free(ref);
		free(px);
	}
}
END_TEST

/* What relabel's encoder does not take goes to chafa: partial alpha, a
 * height that is no whole number of bands; nothing transparent at all
 * still draws (an empty band per six rows). */
START_TEST(test_sixel_own_declines)
{
	uint8_t *px = test_picture(40, 12, 12, 0);
	px[4 * 17 + 3] = 128;
	size_t n, m;
	ck_assert_ptr_null(sixel_encode(px, 40, 12, &n));
	char *via = pixel_encode(IMG_SIXEL, px, 40, 12, 1, 1, &n);
	char *ref = pixel_sixel_chafa(px, 40, 12, &m);
	ck_assert_uint_eq(n, m);
	ck_assert(!memcmp(via, ref, n));
	free(via);
	free(ref);
	ck_assert_ptr_null(sixel_encode(px, 40, 10, &n));
	ck_assert_ptr_null(pixel_encode(IMG_SIXEL, px, 40, 10, 1, 1, &n));
	/* RELABEL_SIXEL=chafa: an opaque picture relabel's encoder would take
	 * goes to chafa too, byte for byte its sequence */
	px[4 * 17 + 3] = 255;
	char *own = pixel_encode(IMG_SIXEL, px, 40, 12, 1, 1, &n);
	setenv("RELABEL_SIXEL", "chafa", 1);
	via = pixel_encode(IMG_SIXEL, px, 40, 12, 1, 1, &n);
	unsetenv("RELABEL_SIXEL");
	ref = pixel_sixel_chafa(px, 40, 12, &m);
	ck_assert_uint_eq(n, m);
	ck_assert(!memcmp(via, ref, n));
	ck_assert(strcmp(own, ref) != 0);     /* the default is relabel's own */
	free(own);
	free(via);
	free(ref);
	free(px);
	uint8_t *clear = calloc(8 * 12, 4);
	char *s = sixel_encode(clear, 8, 12, &n);
	ck_assert_ptr_nonnull(s);
	struct pic d = sixel_decode(s, n);
	ck_assert_double_eq(painted_rmse(&d, clear, 8, 12), 0);
	free(d.rgba);
	free(s);
	free(clear);
}
END_TEST

START_TEST(test_iterm_payload)
{
	uint8_t px[64];
	struct image im = colours16(px);
	struct thumb t = pixels(&im, IMG_ITERM, 3, 1, 4, 8);   /* 12x8 px: x2 */
	ck_assert_int_eq(t.pw, 8);
	ck_assert_int_eq(t.cols, 2);
	struct pic d = iterm_decode(t.seq, t.seqlen, 2, 1);
	ck_assert_int_eq(d.w, 8);
	ck_assert_int_eq(d.h, 8);
	compare(&d, &t, &im, 2, 0);
	free(d.rgba);
	thumb_free(&t);
	/* a larger one, of a size that is no multiple of 3 bytes */
	uint8_t *big = malloc(70 * 26 * 4);
	for (int i = 0; i < 70 * 26; i++) {
		big[i * 4] = (uint8_t)i;
		big[i * 4 + 1] = (uint8_t)(i >> 3);
		big[i * 4 + 2] = (uint8_t)(i * 7);
		big[i * 4 + 3] = 255;
	}
	struct image bi = { 70, 26, big };
	t = pixels(&bi, IMG_ITERM, 10, 2, 7, 13);
	d = iterm_decode(t.seq, t.seqlen, 10, 2);
	compare(&d, &t, &bi, 1, 0);
	free(d.rgba);
	thumb_free(&t);
	free(big);
}
END_TEST

START_TEST(test_tmux_wrap_and_delete)
{
	const char in[] = "\x1b_Ga=T;AAAA\x1b\\x\x1b[3;4H\x1b]1337;File=:QQ\a";
	size_t n;
	char *w = pixel_tmux_wrap(in, sizeof in - 1, &n);
	const char want[] = "\x1bPtmux;\x1b\x1b_Ga=T;AAAA\x1b\x1b\\\x1b\\" "x"
			    "\x1bPtmux;\x1b\x1b[3;4H\x1b\\"
			    "\x1bPtmux;\x1b\x1b]1337;File=:QQ\a\x1b\\";
	ck_assert_uint_eq(n, sizeof want - 1);
	ck_assert(!memcmp(w, want, n));
	free(w);
	ck_assert_str_eq(pixel_kitty_delete(), "\x1b_Ga=d,d=A\x1b\\");
	/* sizes the protocols cannot take */
	uint8_t px[16] = { 0 };
	ck_assert_ptr_null(pixel_encode(IMG_SIXEL, px, 2, 2, 1, 1, &n));
	ck_assert_ptr_null(pixel_encode(IMG_KITTY, px, 2, 2, 3, 1, &n));
	ck_assert_ptr_null(pixel_encode(IMG_SYMBOLS, px, 2, 2, 1, 1, &n));
}
END_TEST

/* --- the terminal probe ------------------------------------------------ */

START_TEST(test_probe_parse)
{
	struct term_caps c = { 0 };
	const char *xterm = "\x1b[6;17;9t\x1b[4;510;900t\x1b[?63;1;2;4;6;9;15;16;22;28c";
	termprobe_parse(xterm, strlen(xterm), &c);
	ck_assert_int_eq(c.answered, 1);
	ck_assert_int_eq(c.sixel, 1);
	ck_assert_int_eq(c.kitty, 0);
	ck_assert_int_eq(c.cell_w, 9);
	ck_assert_int_eq(c.cell_h, 17);
	memset(&c, 0, sizeof c);
	const char *kitty = "\x1b_Gi=31;OK\x1b\\\x1b[?62;c";
	termprobe_parse(kitty, strlen(kitty), &c);
	ck_assert_int_eq(c.kitty, 1);
	ck_assert_int_eq(c.sixel, 0);
	ck_assert_int_eq(c.answered, 1);
	memset(&c, 0, sizeof c);
	const char *no = "\x1b_Gi=31;ENOTSUPPORTED:x\x1b\\\x1b[?1;2c";   /* and attribute 2 is no 4 */
	termprobe_parse(no, strlen(no), &c);
	ck_assert_int_eq(c.kitty, 0);
	ck_assert_int_eq(c.sixel, 0);
	/* only the text area's size: cells from the cell count */
	memset(&c, 0, sizeof c);
	c.cols = 100;
	c.rows = 30;
	const char *win = "\x1b[4;600;1000t\x1b[?62;4c";
	termprobe_parse(win, strlen(win), &c);
	ck_assert_int_eq(c.cell_w, 10);
	ck_assert_int_eq(c.cell_h, 20);
	/* truncated replies are ignored, not misread */
	memset(&c, 0, sizeof c);
	termprobe_parse("\x1b[?62;4", 7, &c);
	ck_assert_int_eq(c.answered, 0);
	ck_assert_int_eq(c.sixel, 0);
}
END_TEST

START_TEST(test_probe_choice)
{
	char why[128];
	struct term_caps c = { .answered = 1, .kitty = 1 };
	ck_assert_int_eq(termprobe_choose(&c, 1, 1, why, sizeof why), IMG_KITTY);
	c = (struct term_caps){ .answered = 1, .sixel = 1, .cell_w = 9, .cell_h = 17 };
	ck_assert_int_eq(termprobe_choose(&c, 1, 1, why, sizeof why), IMG_SIXEL);
	ck_assert_ptr_nonnull(strstr(why, "9x17"));
	/* colours off (NO_COLOR): no colour pictures, whatever the terminal draws */
	ck_assert_int_eq(termprobe_choose(&c, 0, 1, why, sizeof why), IMG_ASCII);
	c.kitty = 1;
	ck_assert_int_eq(termprobe_choose(&c, 0, 1, why, sizeof why), IMG_ASCII);
	ck_assert_ptr_nonnull(strstr(why, "colours are off"));
	c.kitty = 0;
	c.cell_w = 0;         /* sixel without a cell size: not safe to place */
	ck_assert_int_eq(termprobe_choose(&c, 1, 1, why, sizeof why), IMG_SYMBOLS);
	c = (struct term_caps){ .answered = 1, .iterm = 1, .cell_w = 8, .cell_h = 16 };
	ck_assert_int_eq(termprobe_choose(&c, 1, 1, why, sizeof why), IMG_ITERM);
	c.tmux = 1;           /* inside tmux without passthrough */
	ck_assert_int_eq(termprobe_choose(&c, 1, 1, why, sizeof why), IMG_SYMBOLS);
	ck_assert_ptr_nonnull(strstr(why, "tmux"));
	c = (struct term_caps){ 0 };
	ck_assert_int_eq(termprobe_choose(&c, 1, 1, why, sizeof why), IMG_SYMBOLS);
	ck_assert_ptr_nonnull(strstr(why, "did not answer"));
	ck_assert_int_eq(termprobe_choose(&c, 0, 1, why, sizeof why), IMG_ASCII);
	c.xterm = 1;          /* xterm without sixel: its fonts lack sextants */
	ck_assert_int_eq(termprobe_choose(&c, 1, 1, why, sizeof why), IMG_BLOCKS);
	ck_assert_int_eq(termprobe_choose(&c, 1, 0, why, sizeof why), IMG_ASCII);
}
END_TEST

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

START_TEST(test_probe_never_hangs)
{
	int m, s;
	ck_assert_int_eq(openpty(&m, &s, NULL, NULL, NULL), 0);
	setenv("TERM", "xterm-256color", 1);
	unsetenv("TMUX");
	/* a terminal that never answers: back after the timeout */
	struct term_caps c = { 0 };
	double t0 = now();
	ck_assert_int_eq(termprobe_query(s, s, 150, &c), 0);
	double dt = now() - t0;
	ck_assert_msg(dt >= 0.12 && dt < 1.0, "waited %.3f s", dt);
	char q[256];
	ssize_t n = read(m, q, sizeof q - 1);     /* what was asked */
	ck_assert_int_gt(n, 0);
	q[n] = '\0';
	ck_assert_ptr_nonnull(strstr(q, "\x1b_Gi=31,"));
	ck_assert_ptr_nonnull(strstr(q, "\x1b[c"));
	/* one that answers (the reply is already waiting): back at once */
	const char *reply = "\x1b[6;20;10t\x1b[?62;4;22c";
	ck_assert_int_eq(write(m, reply, strlen(reply)), (ssize_t)strlen(reply));
	memset(&c, 0, sizeof c);
	t0 = now();
	ck_assert_int_eq(termprobe_query(s, s, 2000, &c), 1);
	ck_assert_msg(now() - t0 < 1.0, "waited for an answer that had come");
	ck_assert_int_eq(c.sixel, 1);
	ck_assert_int_eq(c.cell_w, 10);
	ck_assert_int_eq(c.cell_h, 20);
	close(m);
	close(s);
}
END_TEST


/* --- the picture cache and its worker ------------------------------------ */

static void src_path(char *buf, size_t n, const char *rel)
{
	const char *top = getenv("top_srcdir");
	snprintf(buf, n, "%s/%s", top && *top ? top : ".", rel);
}

/* The picture made directly, without the cache. */
static void same_as_direct(const struct thumb_entry *x, const char *path,
			   const struct img_box *box)
{
	struct image im;
	struct err e = { 0 };
	int fw, fh;
	int ww = box->cols * (box->cell_w > 0 ? box->cell_w : 8);
	int wh = box->rows * (box->cell_h > 0 ? box->cell_h : 8);
	ck_assert_int_eq(image_load(path, ww, wh, &im, &fw, &fh, &e), 0);
	struct thumb t;
	ck_assert_int_eq(thumb_make(&im, box, &t), 0);
	ck_assert_int_eq(x->ok, 1);
	ck_assert_int_eq(x->w, fw);
	ck_assert_int_eq(x->h, fh);
	ck_assert_int_eq(x->t.cols, t.cols);
	ck_assert_int_eq(x->t.rows, t.rows);
	ck_assert_int_eq((int)x->t.seqlen, (int)t.seqlen);
	if (t.seq)
		ck_assert(memcmp(x->t.seq, t.seq, t.seqlen) == 0);
	if (t.cells)
		ck_assert(memcmp(x->t.cells, t.cells,
				 (size_t)t.cols * (size_t)t.rows * sizeof *t.cells) == 0);
	thumb_free(&t);
	image_free(&im);
}

static const char *const pics[] = {
	"tests/preview.jpg", "tests/imageset/bright/00.png", "tests/imageset/bright/01.jpg",
	"tests/imageset/dark/02.png", "data/digits/images/00000.png",
};
#define NPICS (int)(sizeof pics / sizeof pics[0])

START_TEST(test_prepared_pictures)
{
	char path[NPICS][4096];
	for (int i = 0; i < NPICS; i++)
		src_path(path[i], sizeof path[i], pics[i]);
	struct img_box sixel = { 30, 12, IMG_SIXEL, 10, 20, 0 };
	struct img_box kitty = { 30, 12, IMG_KITTY, 10, 20, 0 };
	struct img_box sym = { 30, 12, IMG_SYMBOLS, 0, 0, 256 };
	struct thumbcache tc;
	thumbcache_init(&tc);
	struct thumb_req req[NPICS];
	for (int i = 0; i < NPICS; i++)
		req[i] = (struct thumb_req){ i, path[i], sixel };
	thumbcache_prepare(&tc, req, NPICS);
	thumbcache_settle(&tc);
	ck_assert_int_eq((int)tc.prepared, NPICS);
	for (int i = 0; i < NPICS; i++) {
		ck_assert(thumbcache_has(&tc, i, &sixel));
		/* another mode or pane size is another picture */
		ck_assert(!thumbcache_has(&tc, i, &kitty));
		struct img_box wider = sixel;
		wider.cols++;
		ck_assert(!thumbcache_has(&tc, i, &wider));
		struct img_box cells = sixel;
		cells.cell_h = 18;
		ck_assert(!thumbcache_has(&tc, i, &cells));
		same_as_direct(thumbcache_get(&tc, i, path[i], &sixel), path[i], &sixel);
	}
	ck_assert_int_eq((int)tc.hits, NPICS);
	ck_assert_int_eq((int)tc.misses, 0);
	/* a get of a picture asked for but not ready: waited for or made
	 * here, the same bytes either way, never made twice in the cache */
	for (int round = 0; round < 3; round++) {
		struct img_box b = round == 0 ? kitty : round == 1 ? sym : kitty;
		b.cols += round;
		for (int i = 0; i < NPICS; i++)
			req[i] = (struct thumb_req){ i, path[i], b };
		thumbcache_prepare(&tc, req, NPICS);
		for (int i = NPICS - 1; i >= 0; i--)
			same_as_direct(thumbcache_get(&tc, i, path[i], &b), path[i], &b);
		thumbcache_settle(&tc);
		int n = 0;
		for (int i = 0; i < THUMBCACHE_SIZE; i++)
			if (tc.e[i].row >= 0 && tc.e[i].box.mode == b.mode &&
			    tc.e[i].box.cols == b.cols)
				n++;
		ck_assert_int_eq(n, NPICS);
	}
	/* a missing file: the reason, as when made on the spot */
	req[0] = (struct thumb_req){ 99, "no/such/file.png", sixel };
	thumbcache_prepare(&tc, req, 1);
	thumbcache_settle(&tc);
	const struct thumb_entry *x = thumbcache_get(&tc, 99, "no/such/file.png", &sixel);
	ck_assert_int_eq(x->ok, 0);
	ck_assert(x->err[0] != '\0');
	/* stopped with work queued and in the making: nothing leaks (ASan) */
	for (int i = 0; i < NPICS; i++)
		req[i] = (struct thumb_req){ 100 + i, path[i], sixel };
	thumbcache_prepare(&tc, req, NPICS);
	thumbcache_free(&tc);
	/* asking for other pictures abandons the old ones (the workers held
	 * meanwhile: these pictures take them well under a millisecond) */
	thumbcache_init(&tc);
	thumbcache_hold(&tc, 1);
	thumbcache_prepare(&tc, req, NPICS);
	thumbcache_prepare(&tc, req + 1, 1);
	thumbcache_hold(&tc, 0);
	thumbcache_settle(&tc);
	ck_assert(thumbcache_has(&tc, 101, &sixel));
	ck_assert(!thumbcache_has(&tc, 103, &sixel));
	thumbcache_free(&tc);
}
END_TEST

/* An example's other pictures (its zoom view after its preview) come from
 * its kept decoding: a PNG's for any box, a JPEG's for the wanted sizes
 * that take the same DCT scale; each is the picture made on the spot. */
START_TEST(test_decoded_once)
{
	char path[NPICS][4096];
	for (int i = 0; i < NPICS; i++)
		src_path(path[i], sizeof path[i], pics[i]);
	struct img_box pane = { 30, 12, IMG_SIXEL, 10, 20, 0 };
	struct img_box zoom = { 100, 29, IMG_SIXEL, 10, 20, 0 };
	struct img_box sym = { 30, 12, IMG_SYMBOLS, 0, 0, 256 };
	struct thumbcache tc;
	thumbcache_init(&tc);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 0);
	/* 1: tests/imageset/bright/00.png */
	same_as_direct(thumbcache_get(&tc, 1, path[1], &pane), path[1], &pane);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 1);
	same_as_direct(thumbcache_get(&tc, 1, path[1], &zoom), path[1], &zoom);
	same_as_direct(thumbcache_get(&tc, 1, path[1], &sym), path[1], &sym);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 1);
	/* 0: tests/preview.jpg (64x48), decoded whole for the pane, another
	 * mode and the zoom view alike, at half size for a pane of 30x20
	 * pixels */
	struct img_box kitty = pane;
	kitty.mode = IMG_KITTY;
	same_as_direct(thumbcache_get(&tc, 0, path[0], &pane), path[0], &pane);
	same_as_direct(thumbcache_get(&tc, 0, path[0], &kitty), path[0], &kitty);
	same_as_direct(thumbcache_get(&tc, 0, path[0], &zoom), path[0], &zoom);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 2);
	struct img_box tiny = { 3, 1, IMG_SIXEL, 10, 20, 0 };
	same_as_direct(thumbcache_get(&tc, 0, path[0], &tiny), path[0], &tiny);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 3);
	/* the same file under another example is decoded for that one */
	same_as_direct(thumbcache_get(&tc, 7, path[1], &pane), path[1], &pane);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 4);
	/* a worker takes what the UI decoded, and the UI what one did */
	struct thumb_req req[2] = { { 1, path[1], kitty }, { 4, path[4], pane } };
	thumbcache_prepare(&tc, req, 1);
	thumbcache_settle(&tc);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 4);
	thumbcache_prepare(&tc, req + 1, 1);
	thumbcache_settle(&tc);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 5);
	same_as_direct(thumbcache_get(&tc, 4, path[4], &zoom), path[4], &zoom);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 5);
	/* only the last few are kept: two more, and 7 is gone */
	same_as_direct(thumbcache_get(&tc, 3, path[3], &pane), path[3], &pane);
	same_as_direct(thumbcache_get(&tc, 2, path[2], &pane), path[2], &pane);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 7);
	same_as_direct(thumbcache_get(&tc, 7, path[1], &zoom), path[1], &zoom);
	ck_assert_uint_eq(thumbcache_decodes(&tc), 8);
	thumbcache_free(&tc);
}
END_TEST

/* Replies that come after the probe stopped waiting are told from keys. */
START_TEST(test_late_replies)
{
	static const char *const replies[] = {
		"\x1b[?62;4;22c", "\x1b[?1;2c", "\x1b[?64;1;2;4;6;9;15;18;21;22c",
		"\x1b_Gi=31;OK\x1b\\", "\x1b_Gi=31;ENOENT:no such\x1b\\",
		"\x1b[6;20;10t", "\x1b[4;600;1000t",
	};
	for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
		const char *r = replies[i];
		size_t n = strlen(r);
		ck_assert_int_eq(termprobe_reply_len(r, n), (int)n);
		for (size_t k = 1; k < n; k++)      /* every prefix: wait for more */
			ck_assert_msg(termprobe_reply_len(r, k) == -1, "%zu: prefix %zu", i, k);
		/* a reply then a key: the reply's length only */
		char two[128];
		snprintf(two, sizeof two, "%sj", r);
		ck_assert_int_eq(termprobe_reply_len(two, n + 1), (int)n);
	}
	/* keys: the Esc key's sequences and Alt+key are never replies */
	static const char *const keys[] = {
		"\x1bj", "\x1b[A", "\x1b[1;5A", "\x1b[6~", "\x1b[5;2~", "\x1b[?x", "\x1b[?c",
		"\x1bOA", "\x1b[4;5t", "\x1b[8;30;100t", "\x1b[14t", "\x1b_X", "\x1b_Gabc\x1bx",
		"\x1b[61;1;1t", "\x1b[;1;1t", "j",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		ck_assert_msg(termprobe_reply_len(keys[i], strlen(keys[i])) == 0, "key %zu", i);
	ck_assert_int_eq(termprobe_reply_len("\x1b", 1), -1);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("pixels");
	TCase *tc = tcase_create("pixels");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_symbols_golden_cells);
	tcase_add_test(tc, test_symbols_fit_and_draw);
	tcase_add_test(tc, test_pixel_fitting);
	tcase_add_test(tc, test_shrink_exact);
	tcase_add_test(tc, test_kitty_payload);
	tcase_add_test(tc, test_sixel_stream);
	tcase_add_test(tc, test_sixel_photo_colours);
	tcase_add_test(tc, test_sixel_own_and_chafa_agree);
	tcase_add_test(tc, test_sixel_own_declines);
	tcase_add_test(tc, test_iterm_payload);
	tcase_add_test(tc, test_tmux_wrap_and_delete);
	tcase_add_test(tc, test_probe_parse);
	tcase_add_test(tc, test_probe_choice);
	tcase_add_test(tc, test_probe_never_hangs);
	tcase_add_test(tc, test_prepared_pictures);
	tcase_add_test(tc, test_decoded_once);
	tcase_add_test(tc, test_late_replies);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
