/* bench/gennpy.c — writes a synthetic dataset as NumPy files:
 *   gennpy N K f2|f4|f8 DIR  ->  DIR/probs.npy (N x K, C order) and
 *                                DIR/labels.npy (N int64)
 * Rows are peaked around a "true" class that disagrees with the label for
 * about 10% of rows, as bench/gen.c writes them; float16/32 values are
 * the float64 row rounded to nearest. Deterministic (fixed seed). Writes
 * in blocks, so 10^7 x 345 (6.9 GB as float16) needs little memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state = 88172645463325252ull;

static double urand(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (double)(state >> 11) / 9007199254740992.0;
}

/* A .npy version 1.0 header for shape (n,) or (n, k), padded to 64. */
static void header(FILE *f, const char *descr, long n, long k)
{
	char dict[200];
	int len = k ? snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, "
			       "'shape': (%ld, %ld), }", descr, n, k)
		    : snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, "
			       "'shape': (%ld,), }", descr, n);
	int total = 10 + len + 1, pad = (64 - total % 64) % 64;
	unsigned short hl = (unsigned short)(len + pad + 1);
	fwrite("\x93NUMPY\x01\x00", 1, 8, f);
	fputc(hl & 0xff, f);
	fputc(hl >> 8, f);
	fwrite(dict, 1, (size_t)len, f);
	for (int i = 0; i < pad; i++)
		fputc(' ', f);
	fputc('\n', f);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: gennpy N K f2|f4|f8 DIR\n");
		return 2;
	}
	long n = atol(argv[1]), k = atol(argv[2]);
	int size = argv[3][1] - '0';
	char path[4096];
	snprintf(path, sizeof path, "%s/probs.npy", argv[4]);
	FILE *p = fopen(path, "wb");
	snprintf(path, sizeof path, "%s/labels.npy", argv[4]);
	FILE *l = fopen(path, "wb");
	if (!p || !l || n < 1 || k < 2 || (size != 2 && size != 4 && size != 8)) {
		fprintf(stderr, "gennpy: bad arguments or cannot write\n");
		return 1;
	}
	header(p, size == 2 ? "<f2" : size == 4 ? "<f4" : "<f8", n, k);
	header(l, "<i8", n, 0);
	double *row = malloc((size_t)k * sizeof *row);
	unsigned char *out = malloc((size_t)k * 8);
	for (long i = 0; i < n; i++) {
		long truth = (long)(urand() * (double)k), label = truth;
		if (urand() < 0.1)
			label = (long)(urand() * (double)k);
		int64_t lab = label;
		fwrite(&lab, 8, 1, l);
		double sum = 0;
		for (long j = 0; j < k; j++)
			sum += row[j] = urand() * (j == truth ? 4.0 + 8.0 * k * urand() / 10 : 1.0);
		for (long j = 0; j < k; j++) {
			double v = row[j] / sum;
			if (size == 8) {
				memcpy(out + j * 8, &v, 8);
			} else if (size == 4) {
				float x = (float)v;
				memcpy(out + j * 4, &x, 4);
			} else {
				_Float16 x = (_Float16)v;
				memcpy(out + j * 2, &x, 2);
			}
		}
		fwrite(out, (size_t)size, (size_t)k, p);
	}
	free(row);
	free(out);
	return fclose(p) || fclose(l);
}
