/* bench/sessionbench.c — review-session timings without any drawing:
 *   sessionbench DATA.csv DB [all]   loads and scans DATA.csv, then times
 *   building the session and each operation the screen calls (filters,
 *   search, decide, undo, refresh, progress, agreement), printing median
 *   and max ms. DB may already hold decisions (bench/log.sh makes one with
 *   10^5). With "all" the queue holds every row (the scan's --all), for
 *   searching and moving through 10^6 rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "review.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp);
	printf("   %-28s n=%-4d median %7.2f  max %7.2f ms\n", what, n, t[n / 2], t[n - 1]);
}

#define TIME(what, n, stmt) do { \
	double t_[n]; \
	for (int i = 0; i < (n); i++) { double s_ = now_ms(); stmt; t_[i] = now_ms() - s_; } \
	report(what, t_, n); } while (0)

int main(int argc, char **argv)
{
	if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "all")))
		return fprintf(stderr, "usage: sessionbench DATA.csv DB [all]\n"), 2;
	struct dataset_opts o = { .data_path = argv[1] };
	struct dataset *d;
	struct logdb *l;
	struct err e;
	struct cl_scan s;
	if (dataset_load(&d, &o, &e) < 0 || log_open(&l, argv[2], d, 0, &e) < 0)
		return fprintf(stderr, "%s\n", e.msg), 1;
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, argc == 4 };
	if (cl_scan_run(&pb, &prm, &s, &e) < 0)
		return fprintf(stderr, "%s\n", e.msg), 1;
	struct review *r = NULL;
	TIME("build the session", 5, review_free(r); review_open(&r, d, &s, l, "bench", 0, &e));
	printf("   %zu examples, %zu classes, %zu flagged, %zu in the queue, %zu decisions "
	       "in the log\n", d->n, d->k, s.n_flagged, r->qlen, r->ndec);
	TIME("move down", 50, review_move(r, 1));
	TIME("move to the bottom, the top", 20, i % 2 ? review_top(r) : review_bottom(r));
	char spec[64], q[64];
	TIME("filter given", 20, snprintf(spec, sizeof spec, "given %s", d->class_names[i % d->k]);
	     review_filter(r, spec));
	TIME("filter suggested", 20, snprintf(spec, sizeof spec, "suggested %s", d->class_names[i % d->k]);
	     review_filter(r, spec));
	TIME("filter clear", 20, review_filter(r, "clear"));
	TIME("filter state undecided", 20, review_filter(r, "state undecided"));
	TIME("filter pair (stats cell)", 20, review_filter_pair(r, i % (int)d->k, (i + 1) % (int)d->k));
	review_filter(r, "clear");
	TIME("search, first (builds the index)", 1, review_search(r, "zzfirst", 1));
	TIME("search (no match)", 20, snprintf(q, sizeof q, "zz%d", i); review_search(r, q, 1));
	TIME("search-next", 20, review_search(r, i ? NULL : "r99999", 1));
	review_top(r);
	TIME("accept (fsync + re-read)", 100, review_decide(r, LOG_ACCEPT, NULL));
	TIME("undo", 50, review_undo(r));
	TIME("next undecided", 20, review_next_undecided(r));
	TIME("refresh", 20, review_refresh(r));
	struct review_progress p;
	TIME("progress", 20, review_progress(r, &p));
	struct review *x;
	if (review_open(&x, d, &s, l, "expert", 1, &e) < 0)
		return fprintf(stderr, "%s\n", e.msg), 1;
	TIME("expert confirm", 20, review_confirm(x));
	double ag, ka;
	TIME("agreement (overall)", 20, review_agreement(x, -1, &ag, &ka));
	review_free(x);
	review_free(r);
	cl_scan_free(&s);
	log_close(l);
	dataset_free(d);
	return 0;
}
