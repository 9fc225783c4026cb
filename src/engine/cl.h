/* cl.h — confident learning exactly as cleanlab 2.9.0 computes it.
 *
 * Pure functions over arrays: no I/O, no globals, no curses. Probabilities are
 * an n*k row-major array of doubles; labels are class indices 0..k-1.
 * The rules (and every rounding and summation order) are those of
 * ALGORITHM.md in the project docs (doc/algorithm.md). Where cleanlab raises,
 * these functions return -1 with a struct err (ERR_INPUT) carrying the same
 * reason.
 *
 * The low-level functions (thresholds, joints, calibration, scores, latent
 * estimates, dataset health) are declared in this file below the scan API.
 */
#ifndef RELABEL_CL_H
#define RELABEL_CL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct cl_problem {
	size_t n, k;
	const double *p;      /* n*k */
	const int *labels;    /* n */
};

enum cl_filter_by {
	CL_PRUNE_BY_NOISE_RATE = 0,   /* cleanlab's default */
	CL_PRUNE_BY_CLASS,
	CL_BOTH,
	CL_CONFIDENT_LEARNING,
	CL_PREDICTED_NEQ_GIVEN,
	CL_LOW_NORMALIZED_MARGIN,
	CL_LOW_SELF_CONFIDENCE,
	CL_FILTER_COUNT
};

enum cl_score {
	CL_SELF_CONFIDENCE = 0,       /* cleanlab's default */
	CL_NORMALIZED_MARGIN,
	CL_CONFIDENCE_WEIGHTED_ENTROPY,
	CL_SCORE_COUNT
};

/* Names as cleanlab spells them ("prune_by_noise_rate", "self_confidence"). */
const char *cl_filter_name(enum cl_filter_by f);
const char *cl_score_name(enum cl_score s);
/* Parse a name; returns 0, or -1 if unknown. */
int cl_filter_parse(const char *name, enum cl_filter_by *out);
int cl_score_parse(const char *name, enum cl_score *out);

struct cl_scan_params {
	enum cl_filter_by filter_by;
	enum cl_score rank_by;
	int adjust;      /* rank by the adjust_pred_probs variant of the score */
	int all;         /* rank every row, not only the flagged ones */
	int lean;        /* the caller reads only the ranked rows and their
			    scores (ranked_scores), no other row's score and
			    no summary: scores and work stay NULL, which saves
			    n doubles and the shared computation's arrays */
};

/* The computation every method and summary starts from — class counts,
 * thresholds, the raw and calibrated joints, the off-diagonal rows — done
 * once and shared (cl_internal.h). The problem's arrays must outlive it. */
struct cl_work;
struct cl_work *cl_work_new(const struct cl_problem *pb);
void cl_work_delete(struct cl_work *w);

/* The result of one scan. Every array is owned by the struct. */
struct cl_scan {
	size_t n, k;
	double *thresholds;     /* k */
	int64_t *cj_raw;        /* k*k confident joint, [given][suggested] */
	int64_t *cj;            /* k*k calibrated confident joint */
	int *suggested;         /* n: first argmax of each row */
	double *scores;         /* n: the rank_by score of every row (NULL
				   with params.lean) */
	unsigned char *flagged; /* n: 1 where find_label_issues flags the row */
	size_t n_flagged;
	size_t n_ranked;        /* n_flagged, or n with params.all */
	size_t *ranked;         /* n_ranked rows, worst score first */
	double *ranked_scores;  /* their scores, where scores is NULL */
	struct cl_work *work;   /* the shared computation, for summaries (NULL
				   with params.lean) */
};

/* find_label_issues + the scores + the joints in one call. */
int cl_scan_run(const struct cl_problem *pb, const struct cl_scan_params *prm,
		struct cl_scan *out, struct err *e);
void cl_scan_free(struct cl_scan *s);
/* The score of the r-th ranked row (whichever array holds it). */
static inline double cl_scan_ranked_score(const struct cl_scan *s, size_t r)
{
	return s->ranked_scores ? s->ranked_scores[r] : s->scores[s->ranked[r]];
}

/* ---- Low-level API: one function per cleanlab computation. ------------ */

/* V1: every P within [-1e-6, 1 + 1e-6]. */
int cl_check_range(const struct cl_problem *pb, struct err *e);
/* V2: at least two distinct given labels; with allow_all_zero, a problem
 * whose labels are all 0 passes too (find_label_issues' exemption). */
int cl_check_two_classes(const struct cl_problem *pb, int allow_all_zero,
			 struct err *e);
/* V3: every P within [0, 1] exactly (the entropy score's check). */
int cl_check_unit_interval(const struct cl_problem *pb, struct err *e);

/* n_k: rows per given class (k entries). */
void cl_class_counts(const struct cl_problem *pb, size_t *nk);
/* Per-class confident thresholds t (k entries; 2 for a missing class). */
void cl_thresholds(const struct cl_problem *pb, double *t);
/* Raw confident joint cj (k*k, [given][guess]) with the diagonal clipped to
 * >= 1. If off_rows is not NULL (capacity n) the off-diagonal rows are
 * written there in row order. Returns their count. */
size_t cl_confident_joint(const struct cl_problem *pb, const double *t,
			  int64_t *cj, size_t *off_rows);
/* calibrate_confident_joint: rows scaled to n_k, totals to sum(n_k), each
 * row rounded preserving its sum. out may not alias cj. */
void cl_calibrate(size_t k, const int64_t *cj, const size_t *nk, int64_t *out);
/* estimate_joint with a confident joint supplied: J = calibrate(cj)/total. */
void cl_estimate_joint(size_t k, const int64_t *cj, const size_t *nk, double *J);
/* The prune-count matrix PC[j][c] (k*k, [suggested][given]) from the
 * calibrated joint (_keep_at_least_n_per_class with n = 1). */
void cl_prune_counts(size_t k, const int64_t *cal, int64_t *pc);

/* find_label_issues(filter_by): flagged[i] = 1 for every returned row.
 * Validates as cleanlab does for that method. */
int cl_find_label_issues(const struct cl_problem *pb, enum cl_filter_by f,
			 unsigned char *flagged, struct err *e);
/* order_label_issues: the flagged rows ordered by score ascending (numpy
 * argsort ties). out needs room for every flagged row; returns the count. */
size_t cl_order_issues(const struct cl_problem *pb, const unsigned char *flagged,
		       const double *scores, size_t *out);
/* get_label_quality_scores(method, adjust_pred_probs) for every row. */
int cl_label_quality_scores(const struct cl_problem *pb, enum cl_score s,
			    int adjust, double *out, struct err *e);

enum cl_count_method { CL_OFF_DIAGONAL, CL_OFF_DIAGONAL_CALIBRATED };
/* num_label_issues(estimation_method). */
int cl_num_label_issues(const struct cl_problem *pb, enum cl_count_method m,
			size_t *out, struct err *e);
/* off_diagonal_custom with a supplied confident joint cj. */
int cl_num_label_issues_custom(const struct cl_problem *pb, const int64_t *cj,
			       size_t *out, struct err *e);

/* estimate_latent(cj, labels) without convergence: py (k), nm and inv (k*k,
 * nm[i][j] = P(given=i|true=j), inv[i][j] = P(true=i|given=j)). */
void cl_estimate_latent(size_t k, const int64_t *cj, const size_t *nk, size_t n,
			double *py, double *nm, double *inv);
/* estimate_py_and_noise_matrices_from_probabilities (calibrated, converged);
 * cj_out (k*k, may be NULL) receives the calibrated joint used. */
void cl_estimate_py_and_noise(const struct cl_problem *pb, double *py,
			      double *nm, double *inv, int64_t *cj_out);

/* cleanlab.dataset.rank_classes_by_label_quality: one record per class. */
struct cl_class_quality {
	size_t class_index;
	int64_t label_issues, inverse_label_issues;
	double label_noise, inverse_label_noise, label_quality;
};
/* out: k records in cleanlab's order (label quality ascending). */
void cl_rank_classes(const struct cl_problem *pb, struct cl_class_quality *out);

struct cl_overlap {
	size_t a, b;
	int64_t num_overlapping;
	double joint_probability;
};
/* find_overlapping_classes: k*(k-1)/2 records, joint probability descending
 * (pandas order). */
void cl_overlapping_classes(const struct cl_problem *pb, struct cl_overlap *out);
/* overall_label_health_score. */
int cl_health_score(const struct cl_problem *pb, double *out, struct err *e);

/* The same summaries from a shared computation (no pass over the
 * probabilities but the off-diagonal count's reduction of its own rows).
 * Each function above is its twin here on a fresh cl_work. */
int cl_work_num_label_issues(struct cl_work *w, enum cl_count_method m,
			     size_t *out, struct err *e);
void cl_work_py_and_noise(struct cl_work *w, double *py, double *nm,
			  double *inv, int64_t *cj_out);
void cl_work_rank_classes(struct cl_work *w, struct cl_class_quality *out);
void cl_work_overlapping_classes(struct cl_work *w, struct cl_overlap *out);
int cl_work_health_score(struct cl_work *w, double *out, struct err *e);
/* Read-only views of the shared computation (k, k*k, k*k entries). */
const struct cl_problem *cl_work_problem(const struct cl_work *w);
const size_t *cl_work_class_counts(const struct cl_work *w);
const double *cl_work_thresholds(const struct cl_work *w);
const int64_t *cl_work_joint_raw(const struct cl_work *w);
const int64_t *cl_work_joint(const struct cl_work *w);

#endif
