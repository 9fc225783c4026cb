/* bench/logbench.c — corrections-log timings:
 *   logbench DATA.csv DB COUNT   records COUNT decisions (one transaction
 *   and fsync each, as the review screen does) on random rows and prints the
 *   median and 95th percentile time per decision, overall and over the last
 *   tenth (when the log already holds 90% of them). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dataset.h"
#include "log.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return fprintf(stderr, "usage: logbench DATA.csv DB COUNT\n"), 2;
	struct dataset_opts o = { .data_path = argv[1] };
	struct dataset *d;
	struct logdb *l;
	struct err e;
	if (dataset_load(&d, &o, &e) < 0 || log_open(&l, argv[2], d, 0, &e) < 0)
		return fprintf(stderr, "%s\n", e.msg), 1;
	long count = atol(argv[3]);
	double *t = malloc((size_t)count * sizeof *t);
	srand(1);
	for (long i = 0; i < count; i++) {
		size_t row = (size_t)rand() % d->n;
		char idbuf[32];
		struct log_new_decision nd = { .row = row, .example_id = dataset_id(d, row, idbuf),
			.action = LOG_RELABEL, .label = d->class_names[rand() % (int)d->k],
			.reviewer = "bench", .pass = 1 };
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (log_decide(l, &nd, NULL, &e) < 0)
			return fprintf(stderr, "%s\n", e.msg), 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		t[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	long tail = count / 10 ? count / 10 : 1;
	qsort(t + count - tail, (size_t)tail, sizeof *t, cmp);
	printf("last %ld decisions: median %.2f ms, max %.2f ms\n", tail,
	       t[count - tail + tail / 2], t[count - 1]);
	qsort(t, (size_t)count, sizeof *t, cmp);
	printf("%ld decisions: median %.2f ms, p95 %.2f ms, max %.2f ms\n", count,
	       t[count / 2], t[count * 95 / 100], t[count - 1]);
	log_close(l);
	dataset_free(d);
	free(t);
	return 0;
}
