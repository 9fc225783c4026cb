/* image.h — PNG decoding (libpng, kept inside image.c) into 8-bit RGBA.
 *
 * Decoding is bounded in memory and time; a missing, unreadable, truncated,
 * corrupt, non-PNG or oversized file fails with a one-line reason in err.
 */
#ifndef RELABEL_IMAGE_H
#define RELABEL_IMAGE_H

#include <stdint.h>

#include "err.h"

struct image {
	int w, h;
	uint8_t *rgba;    /* w*h*4 bytes, straight (not premultiplied) alpha */
};

/* Decode the PNG at path into *out (free with image_free). */
int image_load_png(const char *path, struct image *out, struct err *e);
void image_free(struct image *im);

#endif
