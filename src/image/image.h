/* image.h — PNG (libpng, image.c) and JPEG (libjpeg-turbo, image_jpeg.c)
 * decoding into 8-bit RGBA.
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

/* Any supported image (PNG or JPEG, told apart by their first bytes;
 * image_load.c). A JPEG is decoded at the smallest DCT scale that is at
 * least want_w x want_h (0 x 0: full size, within the limits above); a PNG
 * at full size. full_w/full_h (may be NULL) get the stored size. */
enum image_type { IMAGE_UNKNOWN, IMAGE_PNG, IMAGE_JPEG };
enum image_type image_sniff(const uint8_t *data, size_t len);
int image_load(const char *path, int want_w, int want_h, struct image *out,
	       int *full_w, int *full_h, struct err *e);
/* The same, and *type (may be NULL) gets the decoded file's type (a PNG's
 * pixels are the same whatever the wanted size). */
int image_load_as(const char *path, int want_w, int want_h, struct image *out,
		  int *full_w, int *full_h, enum image_type *type, struct err *e);
int image_decode(const uint8_t *data, size_t len, int want_w, int want_h,
		 struct image *out, int *full_w, int *full_h, struct err *e);
/* A function the calling thread's PNG decoding calls every 64 rows, which
 * may wait there (the picture cache's workers give way to a picture
 * wanted at once); NULL: none. */
void image_set_pause(void (*fn)(void *), void *arg);
/* JPEG with libjpeg-turbo (image_jpeg.c). */
/* The size a w x h JPEG is decoded at when want_w x want_h is wanted (the
 * DCT scale image_decode_jpeg takes); 0 x 0 if none is within the limits. */
void image_jpeg_size(int w, int h, int want_w, int want_h, int *sw, int *sh);
int image_decode_jpeg(const uint8_t *data, size_t len, int want_w, int want_h,
		      struct image *out, int *full_w, int *full_h, struct err *e);

#endif
