/* bench/npybench.c — time loading probabilities from .npy (the memory map,
 * the checks) through dataset_load, as `relabel scan --labels y.npy
 * --probs p.npy` does before scoring:
 *   npybench gen N K DIR     writes DIR/p64.npy, DIR/p32.npy, DIR/y.npy
 *   npybench load DIR FILE   best of 5 warm loads of DIR/FILE with DIR/y.npy */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataset.h"

static void header(FILE *f, const char *descr, size_t n, size_t k)
{
	char dict[200];
	int len = k ? snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, "
			       "'shape': (%zu, %zu), }", descr, n, k)
		    : snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, "
			       "'shape': (%zu,), }", descr, n);
	size_t pad = (64 - (10 + (size_t)len + 1) % 64) % 64, hlen = (size_t)len + pad + 1;
	fwrite("\x93NUMPY\x01\x00", 1, 8, f);
	fputc((int)(hlen & 0xff), f);
	fputc((int)(hlen >> 8), f);
	fwrite(dict, 1, (size_t)len, f);
	for (size_t i = 0; i < pad; i++)
		fputc(' ', f);
	fputc('\n', f);
}

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char path[4096];
	if (argc == 5 && !strcmp(argv[1], "gen")) {
		size_t n = strtoull(argv[2], NULL, 10), k = strtoull(argv[3], NULL, 10);
		snprintf(path, sizeof path, "%s/p64.npy", argv[4]);
		FILE *f64 = fopen(path, "wb");
		snprintf(path, sizeof path, "%s/p32.npy", argv[4]);
		FILE *f32 = fopen(path, "wb");
		snprintf(path, sizeof path, "%s/y.npy", argv[4]);
		FILE *fy = fopen(path, "wb");
		if (!f64 || !f32 || !fy)
			return 1;
		header(f64, "<f8", n, k);
		header(f32, "<f4", n, k);
		header(fy, "<i8", n, 0);
		double *row = malloc(k * sizeof *row);
		float *rf = malloc(k * sizeof *rf);
		srand(3);
		for (size_t i = 0; i < n; i++) {
			double sum = 0;
			for (size_t j = 0; j < k; j++)
				sum += row[j] = (rand() % 1000 + 1) * (j == i % k ? 20.0 : 1.0);
			for (size_t j = 0; j < k; j++) {
				row[j] /= sum;
				rf[j] = (float)row[j];
			}
			int64_t y = rand() % 10 ? (int64_t)(i % k) : rand() % (int)k;
			fwrite(row, sizeof *row, k, f64);
			fwrite(rf, sizeof *rf, k, f32);
			fwrite(&y, sizeof y, 1, fy);
		}
		free(row);
		free(rf);
		return fclose(f64) | fclose(f32) | fclose(fy);
	}
	if (argc != 4 || strcmp(argv[1], "load"))
		return fprintf(stderr, "usage: npybench gen N K DIR | load DIR FILE\n"), 2;
	char y[4096];
	snprintf(y, sizeof y, "%s/y.npy", argv[2]);
	snprintf(path, sizeof path, "%s/%s", argv[2], argv[3]);
	double best = 1e9, best_cpu = 1e9;
	size_t n = 0, k = 0;
	for (int rep = 0; rep < 5; rep++) {
		struct dataset_opts o = { .labels_path = y, .probs_path = path };
		struct dataset *d;
		struct err e = { 0 };
		double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		if (dataset_load(&d, &o, &e) < 0)
			return fprintf(stderr, "%s\n", e.msg), 1;
		double t = clock_s(CLOCK_MONOTONIC) - t0, cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (cpu < best_cpu)
			best_cpu = cpu;
		n = d->n;
		k = d->k;
		dataset_free(d);
		if (t < best)
			best = t;
	}
	printf("%zu x %zu %s: load %.3f s wall, %.3f s CPU (best of 5)\n", n, k, argv[3],
	       best, best_cpu);
	return 0;
}
