/* image_load.c — an image file of any supported type (PNG, JPEG) to RGBA:
 * the type comes from the file's first bytes, never from its name. The
 * file is opened without blocking and must be a regular file (a FIFO or a
 * device is refused, not waited on). */
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum image_type image_sniff(const uint8_t *data, size_t len)
{
	if (len >= 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8))
		return IMAGE_PNG;
	if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
		return IMAGE_JPEG;
	return IMAGE_UNKNOWN;
}

int image_decode(const uint8_t *data, size_t len, int want_w, int want_h,
		 struct image *out, int *full_w, int *full_h, struct err *e)
{
	switch (image_sniff(data, len)) {
	case IMAGE_PNG:
		if (image_decode_png(data, len, out, e) < 0)
			return -1;
		if (full_w)
			*full_w = out->w;
		if (full_h)
			*full_h = out->h;
		return 0;
	case IMAGE_JPEG:
		return image_decode_jpeg(data, len, want_w, want_h, out, full_w, full_h, e);
	default:
		memset(out, 0, sizeof *out);
		return err_set(e, ERR_INPUT, "not a PNG or JPEG file");
	}
}

int image_load(const char *path, int want_w, int want_h, struct image *out,
	       int *full_w, int *full_h, struct err *e)
{
	return image_load_as(path, want_w, want_h, out, full_w, full_h, NULL, e);
}

int image_load_as(const char *path, int want_w, int want_h, struct image *out,
		  int *full_w, int *full_h, enum image_type *type, struct err *e)
{
	if (type)
		*type = IMAGE_UNKNOWN;
	memset(out, 0, sizeof *out);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_INPUT, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > IMAGE_MAX_FILE) {
		close(fd);
		return err_set(e, ERR_INPUT, "%s: %s", path, S_ISREG(st.st_mode) ?
			       "file too large to preview" : "not a regular file");
	}
	size_t len = (size_t)st.st_size, got = 0;
	uint8_t *buf = malloc(len ? len : 1);
	while (buf && got < len) {
		ssize_t r = read(fd, buf + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!buf || got != len) {
		free(buf);
		return err_set(e, ERR_INPUT, "%s: cannot read", path);
	}
	int rc = image_decode(buf, len, want_w, want_h, out, full_w, full_h, e);
	if (rc == 0 && type)
		*type = image_sniff(buf, len);
	free(buf);
	return rc;
}
