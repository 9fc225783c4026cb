/* test_jpeg.c — JPEG decoding with libjpeg-turbo: the RGBA image of a
 * decoded JPEG against a golden (tests/golden/byod/preview-jpeg.txt, block
 * means of tests/preview.jpg), DCT scaling (a 4000x3000 photo decoded at
 * the smallest scale covering the wanted size, not in full), the type from
 * the signature not the name, and corrupt JPEGs (every truncation, flipped
 * bytes) failing or decoding without a crash. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "image.h"

static const char *srcdir;

/* The image as 8x6 block means of R,G,B,A, one block per line. */
static void describe(const struct image *im, char *out, size_t cap)
{
	size_t n = 0;
	n += (size_t)snprintf(out + n, cap - n, "%dx%d\n", im->w, im->h);
	for (int by = 0; by < 6; by++)
		for (int bx = 0; bx < 8; bx++) {
			unsigned long s[4] = { 0 }, cnt = 0;
			for (int y = by * im->h / 6; y < (by + 1) * im->h / 6; y++)
				for (int x = bx * im->w / 8; x < (bx + 1) * im->w / 8; x++, cnt++)
					for (int c = 0; c < 4; c++)
						s[c] += im->rgba[((size_t)y * im->w + x) * 4 + c];
			n += (size_t)snprintf(out + n, cap - n, "%d,%d: %lu %lu %lu %lu\n", bx, by,
					      s[0] / cnt, s[1] / cnt, s[2] / cnt, s[3] / cnt);
		}
}

START_TEST(test_golden_preview)
{
	char path[4096], got[8192], want[8192] = "";
	snprintf(path, sizeof path, "%s/tests/preview.jpg", srcdir);
	struct image im;
	struct err e = { 0 };
	int fw = 0, fh = 0;
	ck_assert_msg(image_load(path, 0, 0, &im, &fw, &fh, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(fw, 64);
	ck_assert_int_eq(fh, 48);
	describe(&im, got, sizeof got);
	image_free(&im);
	snprintf(path, sizeof path, "%s/tests/golden/byod/preview-jpeg.txt", srcdir);
	const char *gen = getenv("GENERATE");
	if (gen && !strcmp(gen, "1")) {
		FILE *f = fopen(path, "w");
		ck_assert(f != NULL);
		fputs(got, f);
		fclose(f);
	}
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "no golden %s", path);
	size_t n = fread(want, 1, sizeof want - 1, f);
	want[n] = '\0';
	fclose(f);
	ck_assert_msg(!strcmp(got, want), "decoded preview differs from the golden:\n%s", got);
}
END_TEST

static unsigned char *make_jpeg(int w, int h, unsigned long *len)
{
	unsigned char *px = malloc((size_t)w * h * 3);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char *p = px + ((size_t)y * w + x) * 3;
			p[0] = (unsigned char)(x * 255 / w);
			p[1] = (unsigned char)(y * 255 / h);
			p[2] = 128;
		}
	tjhandle tj = tjInitCompress();
	unsigned char *out = NULL;
	ck_assert_int_eq(tjCompress2(tj, px, w, 0, h, TJPF_RGB, &out, len, TJSAMP_420, 75, 0), 0);
	tjDestroy(tj);
	free(px);
	return out;
}

START_TEST(test_dct_scaling)
{
	unsigned long len;
	unsigned char *j = make_jpeg(4000, 3000, &len);
	struct image im;
	struct err e = { 0 };
	int fw, fh;
	/* a 40x20-cell preview wants about 80x80 pixels: 1/8 scale is 500x375 */
	ck_assert_msg(image_decode(j, len, 80, 80, &im, &fw, &fh, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(fw, 4000);
	ck_assert_int_eq(fh, 3000);
	ck_assert_int_eq(im.w, 500);
	ck_assert_int_eq(im.h, 375);
	/* colours survive: left is dark red, right is bright red */
	ck_assert_int_lt(im.rgba[(187 * 500 + 5) * 4], 40);
	ck_assert_int_gt(im.rgba[(187 * 500 + 495) * 4], 215);
	ck_assert_int_eq(im.rgba[3], 255);
	image_free(&im);
	/* 1000x800 wanted: 3/8 is the smallest cover (1500x1125) */
	ck_assert_int_eq(image_decode(j, len, 1000, 800, &im, NULL, NULL, &e), 0);
	ck_assert_int_eq(im.w, 1500);
	ck_assert_int_eq(im.h, 1125);
	image_free(&im);
	/* the size told beforehand is the size decoded */
	static const int wants[][2] = { { 80, 80 }, { 1000, 800 }, { 0, 0 }, { 3500, 2800 },
					{ 4000, 3000 }, { 1, 1 }, { 2001, 1 } };
	for (size_t i = 0; i < sizeof wants / sizeof wants[0]; i++) {
		int sw, sh;
		image_jpeg_size(4000, 3000, wants[i][0], wants[i][1], &sw, &sh);
		ck_assert_int_eq(image_decode(j, len, wants[i][0], wants[i][1], &im, NULL, NULL,
					      &e), 0);
		ck_assert_int_eq(im.w, sw);
		ck_assert_int_eq(im.h, sh);
		image_free(&im);
	}
	/* 3500x2800 is covered by 7/8 only: that scale decodes slower than
	 * the whole picture, which is taken instead */
	int sw, sh;
	image_jpeg_size(4000, 3000, 3500, 2800, &sw, &sh);
	ck_assert_int_eq(sw, 4000);
	image_jpeg_size(4000, 3000, 2900, 2200, &sw, &sh);     /* 3/4 covers */
	ck_assert_int_eq(sw, 3000);
	/* full size is 12 Mpixel: within the limit, decoded whole */
	ck_assert_int_eq(image_decode(j, len, 0, 0, &im, NULL, NULL, &e), 0);
	ck_assert_int_eq(im.w, 4000);
	image_free(&im);
	tjFree(j);
}
END_TEST

START_TEST(test_signature_not_name)
{
	unsigned long len;
	unsigned char *j = make_jpeg(32, 24, &len);
	char path[64] = "/tmp/relabel-jpeg-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	ck_assert(write(fd, j, len) == (ssize_t)len);
	close(fd);
	char named[80];
	snprintf(named, sizeof named, "%s.png", path);
	ck_assert_int_eq(rename(path, named), 0);
	struct image im;
	struct err e = { 0 };
	ck_assert_msg(image_load(named, 0, 0, &im, NULL, NULL, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(im.w, 32);
	image_free(&im);
	ck_assert_int_eq(image_sniff(j, len), IMAGE_JPEG);
	ck_assert_int_eq(image_sniff((const uint8_t *)"\x89PNG\r\n\x1a\n", 8), IMAGE_PNG);
	ck_assert_int_eq(image_sniff((const uint8_t *)"GIF89a", 6), IMAGE_UNKNOWN);
	ck_assert_int_eq(image_load("/dev/null", 0, 0, &im, NULL, NULL, &e), -1);
	unlink(named);
	tjFree(j);
}
END_TEST

START_TEST(test_corrupt_never_crashes)
{
	unsigned long len;
	unsigned char *j = make_jpeg(48, 32, &len);
	struct image im;
	struct err e = { 0 };
	int ok = 0, failed = 0;
	for (unsigned long cut = 0; cut < len; cut += 7) {
		if (image_decode(j, cut, 0, 0, &im, NULL, NULL, &e) == 0) {
			ck_assert(im.rgba != NULL && im.w == 48 && im.h == 32);
			ok++;
			image_free(&im);
		} else {
			ck_assert_int_ne(e.code, ERR_NONE);
			failed++;
		}
	}
	ck_assert_int_gt(failed, 0);
	unsigned char *bad = malloc(len);
	unsigned seed = 1;
	for (int round = 0; round < 300; round++) {
		memcpy(bad, j, len);
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			bad[(seed >> 8) % len] ^= (unsigned char)(seed >> 3);
		}
		bad[0] = 0xff, bad[1] = 0xd8, bad[2] = 0xff;
		if (image_decode(bad, len, 0, 0, &im, NULL, NULL, &e) == 0)
			image_free(&im);
	}
	free(bad);
	tjFree(j);
	(void)ok;
}
END_TEST

int main(void)
{
	srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	Suite *s = suite_create("jpeg");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_golden_preview);
	tcase_add_test(tc, test_dct_scaling);
	tcase_add_test(tc, test_signature_not_name);
	tcase_add_test(tc, test_corrupt_never_crashes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
