/* cl_internal.h — shared state of the engine's files (not a public API).
 *
 * struct cl_work holds what every find_label_issues method starts from,
 * computed once: class counts, each class's rows in row order, thresholds,
 * the raw joint with its off-diagonal rows, the calibrated joint and the
 * prune counts.
 */
#ifndef RELABEL_CL_INTERNAL_H
#define RELABEL_CL_INTERNAL_H

#include "cl.h"

/* cleanlab's messages where more than one file raises them. */
#define CL_MSG_RANGE "Values in pred_probs must be between 0 and 1."
/* V1's bounds: every probability within [CL_RANGE_LO, CL_RANGE_HI]. */
#define CL_RANGE_LO (-1e-6)
#define CL_RANGE_HI (1 + 1e-6)

struct cl_work {
	const struct cl_problem *pb;   /* &problem */
	struct cl_problem problem;
	size_t *nk;       /* k */
	size_t *start;    /* k+1: class c's rows are rows[start[c] .. start[c+1]) */
	uint32_t *rows;   /* n (the engine takes at most 2^32 - 1 rows) */
	double *t;        /* k */
	int64_t *cj;      /* k*k raw */
	int64_t *cal;     /* k*k calibrated */
	int64_t *pc;      /* k*k prune counts [suggested][given] */
	size_t *off;      /* off-diagonal rows of the raw joint */
	size_t noff;
	int *suggested;   /* n: first argmax of each row (taken by cl_scan_run) */
	int range_state;  /* V1 once checked: 0 unknown, 1 ok, -1 failed */
	unsigned char *keep;  /* n or NULL: cl_reduce_keeps of every row, for a
			       * computation with no probabilities in memory */
};

void cl_work_init(struct cl_work *w, const struct cl_problem *pb);
/* cl_check_range, remembered. */
int cl_work_check_range(struct cl_work *w, struct err *e);

/* n_k, and each class's rows in row order: class c's are
 * rows[start[c] .. start[c+1]) (start has k+1 entries). */
void cl_class_index(const struct cl_problem *pb, size_t *nk, size_t *start,
		    uint32_t *rows);
/* cl_thresholds from that index (one gather per class, classes in parallel). */
void cl_thresholds_indexed(const struct cl_problem *pb, const size_t *nk,
			   const size_t *start, const uint32_t *rows, double *t);
/* cl_confident_joint that also fills suggested[i] = argmax of row i when
 * suggested is not NULL, and *range_state (when not NULL) as
 * cl_work_check_range remembers it: 1 if every value lies within V1's
 * bounds, else -1 (one pass over the rows, split across cores). */
size_t cl_joint_pass(const struct cl_problem *pb, const double *t, int64_t *cj,
		     size_t *off_rows, int *suggested, int *range_state);
void cl_work_free(struct cl_work *w);
/* Let go of what only the flagging reads (the class index and the
 * off-diagonal rows): for a caller that scores the flagged rows next and
 * runs no method again. */
void cl_work_shed_selection(struct cl_work *w);

/* Scratch buffers of n elements for selections and sorts. */
struct cl_scratch {
	double *key, *dbl;
	size_t *idx;
};
void cl_scratch_init(struct cl_scratch *s, size_t n);
void cl_scratch_free(struct cl_scratch *s);

/* Flag rows[p] (or p when rows is NULL) for the first c positions of
 * argsort(key[0..m-1]) (cl_select.c). */
void cl_flag_smallest(const double *key, size_t m, size_t c, const uint32_t *rows,
		      unsigned char *flag, struct cl_scratch *s);

/* prune_by_noise_rate (by_class = 0) or prune_by_class (1): set flag[] for
 * the rows each class's selections pick (cl_select.c). */
void cl_prune_select(const struct cl_work *w, int by_class, unsigned char *flag);

int cl_find_issues_work(struct cl_work *w, enum cl_filter_by f,
			unsigned char *flag, struct err *e);
/* get_label_quality_scores on a shared computation (its range check and,
 * with adjust, its thresholds). */
int cl_work_scores(struct cl_work *w, enum cl_score s, int adjust, double *out,
		   struct err *e);
/* Reorder rows[0..m-1] by numpy's argsort of their scores s (and write
 * the scores in that order to sorted, when not NULL): order_label_issues'
 * order, the one cl_order_issues gives. */
void cl_order_rows(size_t *rows, const double *s, size_t m, double *sorted);
/* cl_work_scores of rows[0..m-1] only: out[a] is rows[a]'s score. */
int cl_work_scores_rows(struct cl_work *w, enum cl_score s, int adjust,
			const size_t *rows, size_t m, double *out, struct err *e);
size_t cl_count_from_joint(size_t k, const int64_t *cj, const size_t *nk, size_t n);

/* First index of the maximum of row[0..k-1]. */
size_t cl_argmax(const double *row, size_t k);
/* _reduce_issues' test for one row labelled l: 1 if the row stays flagged
 * (another column beats the given one even with a 1e-6 bonus). */
int cl_reduce_keeps(const double *row, size_t k, size_t l);
/* One row's label quality score (tmp: k doubles of scratch). */
double cl_row_score(const double *row, size_t k, size_t l, enum cl_score sc,
		    double logk, double *tmp);
/* adjust_pred_probs for one row: (P - t) + tmax over its numpy sum. */
void cl_adjust_row(const double *row, size_t k, const double *t, double tmax,
		   double *out);

/* A bounded max-heap keeping the cap smallest keys pushed, with a position
 * each: one prune selection of cnt rows keeps cnt + 1 (cl_select.c). */
struct cl_heap {
	size_t cap, size;
	double *key;
	size_t *pos;
};
void cl_heap_init(struct cl_heap *h, size_t cap);
void cl_heap_free(struct cl_heap *h);
void cl_heap_push(struct cl_heap *h, double key, size_t pos);
/* cl_heap_push, with the test most keys fail (a full heap whose largest
 * key is not above them) done before the call. */
static inline void cl_heap_offer(struct cl_heap *h, double key, size_t pos)
{
	if (h->size < h->cap || key < h->key[0])
		cl_heap_push(h, key, pos);
}
/* With cnt < cap = cnt + 1 entries kept: flag pos_to_row(pos) of the cnt
 * smallest and return 0, or return -1 if the cut-off is tied (an exact
 * argsort must decide). rows maps positions to rows (NULL: identity). */
int cl_heap_flag(const struct cl_heap *h, size_t cnt, const uint32_t *rows,
		 unsigned char *flag);
/* The key of a row of class c in the selection against column j:
 * -(P[j] - P[c]), or P[c] for prune_by_class (j == c). */
static inline double cl_prune_key(const double *row, size_t j, size_t c)
{
	return j == c ? row[c] : -(row[j] - row[c]);
}

#endif
