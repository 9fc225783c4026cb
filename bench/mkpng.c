/* bench/mkpng.c — writes N RGB PNGs of SIZE x SIZE (a smooth pattern with
 * noise, so they compress like photographs) and a dataset that uses them:
 *   mkpng N SIZE DIR -> DIR/img/NNNN.png, DIR/data.csv, DIR/probs.csv */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return fprintf(stderr, "usage: mkpng N SIZE DIR\n"), 2;
	int n = atoi(argv[1]), size = atoi(argv[2]);
	char path[4096];
	snprintf(path, sizeof path, "%s/data.csv", argv[3]);
	FILE *d = fopen(path, "w");
	snprintf(path, sizeof path, "%s/probs.csv", argv[3]);
	FILE *p = fopen(path, "w");
	if (!d || !p)
		return 1;
	fputs("id,image,label\n", d);
	fputs("a,b\n", p);
	unsigned char *row = malloc((size_t)size * 3);
	srand(7);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/img/%04d.png", argv[3], i);
		FILE *f = fopen(path, "wb");
		if (!f)
			return 1;
		png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
		png_infop info = png_create_info_struct(png);
		png_init_io(png, f);
		png_set_IHDR(png, info, size, size, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
			     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
		png_write_info(png, info);
		for (int y = 0; y < size; y++) {
			for (int x = 0; x < size; x++) {
				row[x * 3] = (unsigned char)((x * 255 / size + i * 40) & 255);
				row[x * 3 + 1] = (unsigned char)((y * 255 / size) ^ (rand() & 15));
				row[x * 3 + 2] = (unsigned char)(((x + y) * 128 / size) & 255);
			}
			png_write_row(png, row);
		}
		png_write_end(png, NULL);
		png_destroy_write_struct(&png, &info);
		fclose(f);
		/* most examples flagged: labelled a, the model says b */
		fprintf(d, "x%d,img/%04d.png,%s\n", i, i, i < 3 ? "b" : "a");
		fprintf(p, "%s\n", i < 3 ? "0.1,0.9" : i % 4 == 0 ? "0.9,0.1" : "0.1,0.9");
	}
	free(row);
	return fclose(d) || fclose(p);
}
