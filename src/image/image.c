/* image.c — PNG to RGBA with libpng (the only file that includes png.h).
 *
 * Every colour type and bit depth is expanded to 8-bit RGBA: palettes and
 * low bit depths expanded, tRNS turned into alpha, 16-bit reduced, grey
 * widened to RGB, opaque images given an alpha of 255, interlacing handled
 * by libpng. libpng reports errors by longjmp: everything allocated is
 * reachable from `struct dec`, which the error path frees.
 */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* This thread's pause between rows (image_set_pause), or none. */
static _Thread_local void (*pause_fn)(void *);
static _Thread_local void *pause_arg;

void image_set_pause(void (*fn)(void *), void *arg)
{
	pause_fn = fn;
	pause_arg = arg;
}

static void on_row(png_structp png, png_uint_32 row, int pass)
{
	(void)png;
	(void)pass;
	if (pause_fn && row % 64 == 0)
		pause_fn(pause_arg);
}

struct dec {
	const uint8_t *data;
	size_t len, pos;
	char why[200];
	uint8_t *pixels;
	png_bytep *rows;
};

static void on_error(png_structp png, png_const_charp msg)
{
	struct dec *d = png_get_error_ptr(png);
	snprintf(d->why, sizeof d->why, "%s", msg);
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void on_read(png_structp png, png_bytep out, size_t n)
{
	struct dec *d = png_get_io_ptr(png);
	if (n > d->len - d->pos)
		png_error(png, "file is truncated");
	memcpy(out, d->data + d->pos, n);
	d->pos += n;
}

static void set_transforms(png_structp png, png_infop info)
{
	int type = png_get_color_type(png, info);
	png_set_expand(png);           /* palette -> RGB, low bits -> 8, tRNS -> alpha */
	png_set_strip_16(png);
	if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
		png_set_gray_to_rgb(png);
	if (!(type & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
		png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
}

/* The decode itself; returns 0 or -1 (d->why says why). */
static int decode(struct dec *d, struct image *out)
{
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, d, on_error, on_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_read_struct(&png, NULL, NULL);
		snprintf(d->why, sizeof d->why, "out of memory");
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		return -1;
	}
	png_set_user_limits(png, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE);
	png_set_chunk_cache_max(png, 128);
	png_set_chunk_malloc_max(png, 8u << 20);
	png_set_read_fn(png, d, on_read);
	if (pause_fn)
		png_set_read_status_fn(png, on_row);
	/* Every chunk's CRC-32 is checked (a damaged file is refused); zlib's
	 * Adler-32 of the inflated pixels is not, as the IDAT chunks' CRCs
	 * already cover the same bytes (about 1 ms of a 1000x1000 picture). */
#ifdef PNG_IGNORE_ADLER32
	png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
	png_read_info(png, info);
	png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
	if ((uint64_t)w * h > IMAGE_MAX_PIXELS)
		png_error(png, "image too large to preview");
	set_transforms(png, info);
	if (png_get_rowbytes(png, info) != (size_t)w * 4)
		png_error(png, "unsupported pixel layout");
	d->pixels = malloc((size_t)w * h * 4);
	d->rows = malloc(h * sizeof *d->rows);
	if (!d->pixels || !d->rows)
		png_error(png, "out of memory");
	for (png_uint_32 y = 0; y < h; y++)
		d->rows[y] = d->pixels + (size_t)y * w * 4;
	png_read_image(png, d->rows);
	png_read_end(png, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	out->w = (int)w;
	out->h = (int)h;
	out->rgba = d->pixels;
	d->pixels = NULL;
	return 0;
}

int image_decode_png(const uint8_t *data, size_t len, struct image *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (len < 8 || png_sig_cmp(data, 0, 8))
		return err_set(e, ERR_INPUT, "not a PNG file");
	if (len >= 24 && !memcmp(data + 12, "IHDR", 4)) {
		uint32_t w = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 |
			     (uint32_t)data[18] << 8 | data[19];
		uint32_t h = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 |
			     (uint32_t)data[22] << 8 | data[23];
		if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE || (uint64_t)w * h > IMAGE_MAX_PIXELS)
			return err_set(e, ERR_INPUT, "image too large to preview (%ux%u; at most "
				       "%d a side and %u pixels)", w, h, IMAGE_MAX_SIDE,
				       IMAGE_MAX_PIXELS);
	}
	struct dec d = { .data = data, .len = len };
	int rc = decode(&d, out);
	free(d.pixels);
	free(d.rows);
	if (rc < 0)
		return err_set(e, ERR_INPUT, "cannot decode the PNG: %s", d.why);
	return 0;
}

int image_read_file(const char *path, uint8_t **data, size_t *len, struct err *e)
{
	*data = NULL;
	*len = 0;
	/* O_NONBLOCK: opening a FIFO (or a device) must not wait for a writer;
	 * only a regular file is read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return err_set(e, ERR_INPUT, "%s: %s", path, strerror(errno));
	struct stat st = { 0 };
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > IMAGE_MAX_FILE) {
		close(fd);
		return err_set(e, ERR_INPUT, "%s: %s", path, S_ISREG(st.st_mode) ?
			       "file too large to preview" : "not a regular file");
	}
	FILE *f = fcntl(fd, F_SETFL, 0) == 0 ? fdopen(fd, "rb") : NULL;
	if (!f) {
		int saved = errno;
		close(fd);
		return err_set(e, ERR_INPUT, "%s: %s", path, strerror(saved));
	}
	size_t n = (size_t)st.st_size;
	uint8_t *buf = malloc(n ? n : 1);
	size_t got = buf ? fread(buf, 1, n, f) : 0;
	fclose(f);
	if (!buf || got != n) {
		free(buf);
		return err_set(e, ERR_INPUT, "%s: cannot read", path);
	}
	*data = buf;
	*len = n;
	return 0;
}

int image_load_png(const char *path, struct image *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	uint8_t *buf;
	size_t len;
	if (image_read_file(path, &buf, &len, e) < 0)
		return -1;
	int rc = image_decode_png(buf, len, out, e);
	free(buf);
	return rc;
}

void image_free(struct image *im)
{
	if (im) {
		free(im->rgba);
		im->rgba = NULL;
		im->w = im->h = 0;
	}
}
