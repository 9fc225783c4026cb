/* bench/sessionbench.c — review-session timings without any drawing:
 *   sessionbench DATA.csv DB [all|bulk]   loads and scans DATA.csv, then times
 *   building the session and each operation the screen calls (filters,
 *   search, decide, undo, refresh, progress, agreement) and the power tools
 *   (goto, search-all, sort, class examples, unsure, bulk and its undo,
 *   spot check and its estimate, guidelines; bulk of a 10^4 spot-check
 *   sample and its undo, five times, each followed by the checkpoint the
 *   screen makes in the pause after it), printing median and max ms.
 *   DB may already hold decisions (bench/log.sh makes one with 10^5). With
 *   "all" the queue holds every row (the scan's --all), for searching and
 *   moving through 10^6 rows. With "bulk" only the bulk of a 10^4 sample
 *   and its undo are timed, eleven times (for profiling and for comparing
 *   two builds alternately). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guide.h"
#include "review.h"
#include "review_tools.h"

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

/* CPU time of this process: on a machine shared with other work the wall
 * time includes waiting for a core. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void report(const char *what, double *t, double *c, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp);
	qsort(c, (size_t)n, sizeof *c, cmp);
	printf("   %-34s n=%-4d median %7.2f  max %7.2f ms  (cpu median %7.2f)\n", what, n,
	       t[n / 2], t[n - 1], c[n / 2]);
}

#define TIME(what, n, stmt) do { \
	double t_[n], c_[n]; \
	for (int i = 0; i < (n); i++) { double s_ = now_ms(), u_ = cpu_ms(); stmt; \
		t_[i] = now_ms() - s_; c_[i] = cpu_ms() - u_; } \
	report(what, t_, c_, n); } while (0)

int main(int argc, char **argv)
{
	if (argc != 3 && !(argc == 4 && (!strcmp(argv[3], "all") || !strcmp(argv[3], "bulk"))))
		return fprintf(stderr, "usage: sessionbench DATA.csv DB [all|bulk]\n"), 2;
	int only_bulk = argc == 4 && !strcmp(argv[3], "bulk");
	struct dataset_opts o = { .data_path = argv[1] };
	struct dataset *d;
	struct logdb *l;
	struct err e;
	struct cl_scan s;
	if (dataset_load(&d, &o, &e) < 0 || log_open(&l, argv[2], d, 0, &e) < 0)
		return fprintf(stderr, "%s\n", e.msg), 1;
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0,
				      argc == 4 && !only_bulk };
	if (cl_scan_run(&pb, &prm, &s, &e) < 0)
		return fprintf(stderr, "%s\n", e.msg), 1;
	struct review *r = NULL;
	TIME("build the session", 5, review_free(r); review_open(&r, d, &s, l, "bench", 0, &e));
	printf("   %zu examples, %zu classes, %zu flagged, %zu in the queue, %zu decisions "
	       "in the log\n", d->n, d->k, s.n_flagged, r->qlen, r->ndec);
	if (only_bulk)
		goto bulk;
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

	/* The power tools. */
	printf("   tools\n");
	char idbuf[32], spec2[64];
	review_filter(r, "clear");
	TIME("goto flagged id", 20, snprintf(spec2, sizeof spec2, "id %s",
	     dataset_id(d, s.ranked[(size_t)i * 997 % s.n_ranked], idbuf)); review_goto(r, spec2));
	TIME("goto unflagged row (by hand)", 20, snprintf(spec2, sizeof spec2, "row %d", 500000 + i * 7);
	     review_goto(r, spec2));
	review_tools_back(r);
	TIME("unsure", 20, review_unsure(r));
	TIME("search-all index, built while idle", 1, while (review_tools_idle(r)) ;);
	review_free(r);
	review_open(&r, d, &s, l, "bench", 0, &e);
	TIME("search-all index, one idle chunk", 20, review_tools_idle(r));
	while (review_tools_idle(r))
		;
	TIME("search-all (no match)", 10, snprintf(q, sizeof q, "zz%d", i); review_search_all(r, q));
	TIME("search-all (id r99999*)", 10, review_search_all(r, "r99999"));
	TIME("search-all (common word)", 5, review_search_all(r, "alpha"));
	printf("   search-all matches: %zu (%zu flagged)\n", review_tools(r)->nresults,
	       review_tools(r)->nresults_flagged);
	review_tools_back(r);
	static const char *const keys[] = { "score", "given", "suggested", "confidence", "rank" };
	for (int k = 0; k < 5; k++) {
		char what[64];
		snprintf(what, sizeof what, "sort %s", keys[k]);
		TIME(what, 10, review_sort(r, keys[k]));
	}
	review_sort(r, "confidence");
	TIME("accept (sorted queue)", 20, review_decide(r, LOG_ACCEPT, NULL));
	review_sort(r, "rank");
	size_t ex[8];
	TIME("class examples (2 classes)", 20, review_class_examples(r, i % (int)d->k, ex, 8);
	     review_class_examples(r, (i + 1) % (int)d->k, ex, 8));
	TIME("spot-check 200 (new)", 5, snprintf(spec2, sizeof spec2, "200 %d", i + 1);
	     review_spot_check(r, spec2));
	TIME("spot-check (reopen)", 10, review_spot_check(r, ""));
	for (int j = 0; j < 100; j++)
		review_decide(r, j % 5 ? LOG_REJECT : LOG_RELABEL, d->class_names[j % d->k]);
	struct spot_estimate est;
	TIME("spot estimate", 20, review_spot_estimate(r, &est));
	char line[400];
	spot_line(&est, line, sizeof line);
	printf("   %s\n", line);
	review_tools_back(r);
	review_filter_pair(r, 0, 1);
	printf("   bulk queue (pair 0 -> 1): %zu undecided\n", review_bulk_count(r));
	TIME("bulk accept (one pair)", 1, review_bulk(r, LOG_ACCEPT));
	TIME("undo the batch", 1, review_tools_undo(r));
	review_filter(r, "clear");
	size_t big = review_bulk_count(r);
	printf("   bulk queue (every flagged): %zu undecided\n", big);
	TIME("bulk reject (all, with progress)", 1, review_bulk(r, LOG_REJECT));
	TIME("undo the big batch", 1, review_tools_undo(r));
	TIME("accept after the batches", 20, review_decide(r, LOG_ACCEPT, NULL));
bulk:
	/* Bulk of 10^4: a spot-check sample of 10,000 unflagged examples, all
	 * rejected (their given labels kept) in one batch, then undone. */
	{
		enum { RUNS_MAX = 11 };
		int runs = only_bulk ? RUNS_MAX : 5;
		double tb[RUNS_MAX], cb[RUNS_MAX], tu[RUNS_MAX], cu[RUNS_MAX];
		double tp[2 * RUNS_MAX], cp[2 * RUNS_MAX];
		size_t nb = 0;
		for (int i = 0; i < runs; i++) {
			snprintf(spec2, sizeof spec2, "10000 %d", 100 + i);
			review_spot_check(r, spec2);
			nb = review_bulk_count(r);
			double s0 = now_ms(), c0 = cpu_ms();
			review_bulk(r, LOG_REJECT);
			tb[i] = now_ms() - s0;
			cb[i] = cpu_ms() - c0;
			/* the pause after it, as the screen spends it: the
			 * checkpoint the batch put off (log_idle) */
			s0 = now_ms();
			c0 = cpu_ms();
			log_idle(l);
			tp[2 * i] = now_ms() - s0;
			cp[2 * i] = cpu_ms() - c0;
			s0 = now_ms();
			c0 = cpu_ms();
			review_tools_undo(r);
			tu[i] = now_ms() - s0;
			cu[i] = cpu_ms() - c0;
			s0 = now_ms();
			c0 = cpu_ms();
			log_idle(l);
			tp[2 * i + 1] = now_ms() - s0;
			cp[2 * i + 1] = cpu_ms() - c0;
		}
		printf("   bulk queue (spot-check sample): %zu undecided\n", nb);
		report("bulk reject (10^4 sample)", tb, cb, runs);
		report("undo of that batch", tu, cu, runs);
		report("the pause after each (checkpoint)", tp, cp, 2 * runs);
		review_tools_back(r);
	}
	review_free(r);
	cl_scan_free(&s);
	log_close(l);
	dataset_free(d);
	return 0;
}
