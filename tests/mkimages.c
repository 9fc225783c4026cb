/* tests/mkimages.c — writes the small image dataset tests/imageset/ used
 * by tests/imagefolder.sh: class folders of tiny PNG and JPEG files with a
 * pattern per class (bright with a light centre: "bright"; dark: "dark"), a
 * PNG saved under a .jpg name (the type comes from the signature), a nested
 * folder, and a 64x48 colour JPEG for the preview snapshot. Deterministic.
 * Build and run from the top of the source tree:
 *   cc -o mkimages tests/mkimages.c $(pkg-config --cflags --libs libpng libturbojpeg)
 *   ./mkimages tests/imageset
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <turbojpeg.h>

static unsigned seed = 12345;
static int rnd(int n)
{
	seed = seed * 1103515245u + 12345u;
	return (int)((seed >> 16) % (unsigned)n);
}

/* w x h RGB pixels: base brightness plus a centre blob and noise. */
static unsigned char *pattern(int w, int h, int base, int blob, int hue)
{
	unsigned char *p = malloc((size_t)w * h * 3);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int dx = x - w / 2, dy = y - h / 2;
			int v = base + (dx * dx + dy * dy < w * h / 10 ? blob : 0) + rnd(24) - 12;
			v = v < 0 ? 0 : v > 255 ? 255 : v;
			unsigned char *q = p + ((size_t)y * w + x) * 3;
			q[0] = (unsigned char)(hue == 0 ? v : v * 3 / 4);
			q[1] = (unsigned char)(hue == 1 ? v : v * 3 / 4);
			q[2] = (unsigned char)(hue == 2 ? v : (x * 255 / w + v) / 2);
		}
	return p;
}

static int write_png(const char *path, const unsigned char *px, int w, int h)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 9);
	png_write_info(png, info);
	for (int y = 0; y < h; y++)
		png_write_row(png, (png_const_bytep)(px + (size_t)y * w * 3));
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return fclose(f);
}

static int write_jpeg(const char *path, const unsigned char *px, int w, int h)
{
	tjhandle tj = tjInitCompress();
	unsigned char *out = NULL;
	unsigned long len = 0;
	if (tjCompress2(tj, px, w, 0, h, TJPF_RGB, &out, &len, TJSAMP_420, 80, 0) < 0)
		return -1;
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(out, 1, len, f);
	tjFree(out);
	tjDestroy(tj);
	return fclose(f);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return fprintf(stderr, "usage: mkimages DIR\n"), 2;
	char path[4096];
	const char *dir = argv[1];
	const char *cls[2] = { "bright", "dark" };
	for (int c = 0; c < 2; c++) {
		snprintf(path, sizeof path, "%s/%s", dir, cls[c]);
		mkdir(path, 0755);
	}
	snprintf(path, sizeof path, "%s/dark/more", dir);
	mkdir(path, 0755);
	for (int i = 0; i < 12; i++) {
		for (int c = 0; c < 2; c++) {
			/* one of each class looks like the other: a label error */
			int look = (i == 5) ? 1 - c : c;
			unsigned char *px = pattern(16, 16, look ? 40 : 190, look ? 20 : 60, i % 3);
			const char *sub = c == 1 && i >= 10 ? "/more" : "";
			if (i % 2 == 0)
				snprintf(path, sizeof path, "%s/%s%s/%02d.png", dir, cls[c], sub, i);
			else
				snprintf(path, sizeof path, "%s/%s%s/%02d.jpg", dir, cls[c], sub, i);
			int rc = i == 7 && c == 0 ? write_png(path, px, 16, 16) :   /* PNG named .jpg */
				 i % 2 == 0 ? write_png(path, px, 16, 16) : write_jpeg(path, px, 16, 16);
			free(px);
			if (rc < 0)
				return 1;
		}
	}
	unsigned char *px = pattern(64, 48, 120, 100, 0);
	snprintf(path, sizeof path, "%s/../preview.jpg", dir);
	if (write_jpeg(path, px, 64, 48) < 0)
		return 1;
	free(px);
	return 0;
}
