/* fuzz_jpeg.c — libFuzzer target for the JPEG path (and the signature
 * dispatch in front of it): any bytes must decode or fail with a reason, at
 * full size and DCT-scaled, and a decoded image must scale and draw,
 * without a crash, a leak or undefined behaviour. Built and run by
 * bench/fuzz-jpeg.sh. */
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
	int want = size ? data[size - 1] % 64 : 0;
	if (image_decode(data, size, want, want, &im, NULL, NULL, &e) < 0)
		return 0;
	struct thumb t;
	struct img_box box = { 20, 10, IMG_BLOCKS, 0, 0, 256 };
	if (thumb_make(&im, &box, &t) == 0) {
		struct canvas *c = canvas_new(20, 10);
		thumb_draw(&t, c, 0, 0);
		canvas_free(c);
		thumb_free(&t);
	}
	image_free(&im);
	return 0;
}
