/* bench/pixelbench.c — where one sixel picture of an image goes, one step
 * after another on one thread: decoding (image_load at the pane's size),
 * relabel's fitting to the pane's pixels (img_scale_rgba), the sixel
 * encoding (pixel_encode: relabel's encoder, sixel.c) and, for
 * comparison, chafa's sixel encoder on the same picture
 * (pixel_sixel_chafa); wall milliseconds per picture, averaged over the
 * files given. The pane is 52x39 cells of 10x20 pixels (a 120x40
 * screen's preview); ZOOM=1 in the environment: 120x39 cells (its zoom
 * view). Build and run from the top of a built tree:
 *   cc -O2 -I. -Isrc/base -Isrc/image -Isrc/ui $(pkg-config --cflags chafa) \
 *     bench/pixelbench.c librelabel.a $(pkg-config --libs chafa libpng \
 *     libturbojpeg zlib ncursesw sqlite3 nettle) -lcsv -lm -lpthread -lstdc++ \
 *     -o pixelbench && ./pixelbench FILE...   (e.g. bench/image.sh's big set) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "image.h"
#include "imgview.h"
#include "pixelproto.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	double td = 0, ts = 0, te = 0, tc = 0;
	int n = 0;
	const char *zoom = getenv("ZOOM");
	int bw = zoom && *zoom == '1' ? 1200 : 520, bh = 780;
	for (int i = 1; i < argc; i++) {
		struct image im;
		struct err e;
		int fw, fh, pw, ph;
		double t0 = now();
		if (image_load(argv[i], bw, bh, &im, &fw, &fh, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			continue;
		}
		double t1 = now();
		img_fit_pixels(im.w, im.h, bw, bh, &pw, &ph);
		ph -= ph % 6;
		uint8_t *fit = img_scale_rgba(&im, pw, ph);
		double t2 = now();
		size_t len;
		char *seq = pixel_encode(IMG_SIXEL, fit, pw, ph, 1, 1, &len);
		double t3 = now();
		char *ref = pixel_sixel_chafa(fit, pw, ph, &len);
		double t4 = now();
		td += t1 - t0;
		ts += t2 - t1;
		te += t3 - t2;
		tc += t4 - t3;
		n++;
		free(ref);
		free(seq);
		free(fit);
		image_free(&im);
	}
	if (n)
		printf("%d pictures: decode %.2f ms, fit %.2f ms, sixel %.2f ms each "
		       "(chafa's encoder: %.2f ms)\n", n, td / n, ts / n, te / n, tc / n);
	return n ? 0 : 1;
}
