/* image.h — PNG decoding (libpng, kept inside image.c) into 8-bit RGBA.
 *
 * Decoding is bounded in memory and time: at most IMAGE_MAX_SIDE pixels a
 * side, IMAGE_MAX_PIXELS in all and IMAGE_MAX_FILE bytes of file. A missing,
 * unreadable, truncated, corrupt, non-PNG or oversized file fails with a
 * one-line reason in err (ERR_INPUT), never a crash.
 */
#ifndef RELABEL_IMAGE_H
#define RELABEL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define IMAGE_MAX_SIDE 16384
#define IMAGE_MAX_PIXELS (16u * 1024 * 1024)
#define IMAGE_MAX_FILE (64u * 1024 * 1024)

struct image {
	int w, h;
	uint8_t *rgba;    /* w*h*4 bytes, straight (not premultiplied) alpha */
};

/* Read the image file at path into *data (malloc'd, *len bytes; the caller
 * frees it). Only a regular file of at most IMAGE_MAX_FILE bytes is read;
 * anything else (a FIFO, a device, a directory) is refused with "not a
 * regular file" without waiting on it. */
int image_read_file(const char *path, uint8_t **data, size_t *len, struct err *e);
/* Decode the PNG at path into *out (free with image_free). */
int image_load_png(const char *path, struct image *out, struct err *e);
/* Decode a PNG held in memory. */
int image_decode_png(const uint8_t *data, size_t len, struct image *out, struct err *e);
void image_free(struct image *im);

#endif
