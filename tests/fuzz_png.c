/* fuzz_png.c — libFuzzer target for the PNG path: any bytes must decode or
 * fail with a reason, and a decoded image must scale and draw in every
 * image mode, without a crash, a leak or undefined behaviour. Built and run by bench/fuzz-png.sh. */
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "image.h"
#include "imgview.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image im;
	struct err e;
	if (image_decode_png(data, size, &im, &e) < 0)
		return 0;
	/* every mode: symbols through chafa, the ramp, each pixel protocol */
	static const enum img_mode modes[] = { IMG_SYMBOLS, IMG_BLOCKS, IMG_ASCII, IMG_SIXEL,
					       IMG_KITTY, IMG_ITERM };
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		struct thumb t;
		struct img_box b = { .cols = 20, .rows = 10, .mode = modes[i], .cell_w = 7, .cell_h = 13 };
		if (thumb_make(&im, &b, &t) == 0) {
			struct canvas *c = canvas_new(20, 10);
			thumb_draw(&t, c, 0, 0);
			canvas_free(c);
			thumb_free(&t);
		}
	}
	image_free(&im);
	return 0;
}
