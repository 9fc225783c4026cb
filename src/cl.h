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
};

/* The result of one scan. Every array is owned by the struct. */
struct cl_scan {
	size_t n, k;
	double *thresholds;     /* k */
	int64_t *cj_raw;        /* k*k confident joint, [given][suggested] */
	int64_t *cj;            /* k*k calibrated confident joint */
	int *suggested;         /* n: first argmax of each row */
	double *scores;         /* n: the rank_by score of every row */
	unsigned char *flagged; /* n: 1 where find_label_issues flags the row */
	size_t n_flagged;
	size_t n_ranked;        /* n_flagged, or n with params.all */
	size_t *ranked;         /* n_ranked rows, worst score first */
};

/* find_label_issues + the scores + the joints in one call. */
int cl_scan_run(const struct cl_problem *pb, const struct cl_scan_params *prm,
		struct cl_scan *out, struct err *e);
void cl_scan_free(struct cl_scan *s);

#endif
