/* cl_scores.c — label quality scores (ALGORITHM.md §8), row by row, the
 * rows split across cores. */
#include "cl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "cl_par.h"
#include "npy.h"
#include "util.h"

static double self_conf(const double *row, size_t l)
{
	return row[l];
}

static double norm_margin(const double *row, size_t k, size_t l)
{
	double best = -INFINITY;
	for (size_t j = 0; j < k; j++)
		if (j != l && row[j] > best)
			best = row[j];
	return ((row[l] - best) + 1) / 2;
}

static double entropy_score(const double *row, size_t k, size_t l, double logk,
			    double *tmp)
{
	for (size_t j = 0; j < k; j++)
		tmp[j] = row[j] == 0 ? 0.0 : row[j] * log(row[j]);
	double h = -npy_sum(tmp, k, 1) / logk;
	double sc = row[l] > 1e-6 ? row[l] : 1e-6;
	double s = h / sc;
	double clipped = s > 1e-6 ? s : 1e-6;
	return log(s + 1) / clipped;
}

double cl_row_score(const double *row, size_t k, size_t l, enum cl_score sc,
		    double logk, double *tmp)
{
	switch (sc) {
	case CL_SELF_CONFIDENCE: return self_conf(row, l);
	case CL_NORMALIZED_MARGIN: return norm_margin(row, k, l);
	default: return entropy_score(row, k, l, logk, tmp);
	}
}

/* Adjusted row: (P - t) + tmax, divided by its numpy row sum. */
void cl_adjust_row(const double *row, size_t k, const double *t, double tmax,
		   double *out)
{
	for (size_t j = 0; j < k; j++)
		out[j] = (row[j] - t[j]) + tmax;
	double s = npy_sum(out, k, 1);
	for (size_t j = 0; j < k; j++)
		out[j] = out[j] / s;
}

struct score_pass {
	const struct cl_problem *pb;
	enum cl_score sc;
	const double *t;   /* thresholds with adjust, else NULL */
	double tmax, logk;
	const size_t *rows;   /* score these rows (out[a] for rows[a]), or NULL: all */
	double *out;
};

static void score_part(void *ctx, size_t lo, size_t hi, size_t part)
{
	struct score_pass *q = ctx;
	size_t k = q->pb->k;
	double *tmp = xmallocarray(k, sizeof *tmp);
	(void)part;
	for (size_t a = lo; a < hi; a++) {
		size_t i = q->rows ? q->rows[a] : a;
		const double *row = q->pb->p + i * k;
		size_t l = (size_t)q->pb->labels[i];
		if (q->t) {
			cl_adjust_row(row, k, q->t, q->tmax, tmp);
			row = tmp;
		}
		q->out[a] = cl_row_score(row, k, l, q->sc, q->logk, tmp);
	}
	free(tmp);
}

/* The scores of every row, or of rows[0..m-1] (out[a] for rows[a]);
 * validated by the caller; t: thresholds with adjust. */
static int scores_run(const struct cl_problem *pb, enum cl_score sc, int adjust,
		      const double *t, const size_t *rows, size_t m, double *out,
		      struct err *e)
{
	size_t n = rows ? m : pb->n, k = pb->k;
	if (sc == CL_CONFIDENCE_WEIGHTED_ENTROPY) {
		if (adjust)
			return err_set(e, ERR_INPUT,
				       "adjust_pred_probs is not currently supported for confidence_weighted_entropy.");
		if (cl_check_unit_interval(pb, e) < 0)
			return -1;
	}
	double tmax = 0;
	if (adjust) {
		tmax = t[0];
		for (size_t j = 1; j < k; j++)
			if (t[j] > tmax)
				tmax = t[j];
	}
	struct score_pass q = { pb, sc, adjust ? t : NULL, tmax, log((double)k), rows, out };
	size_t work = sc == CL_SELF_CONFIDENCE && !adjust ? n : n * k;
	cl_par_run(n, cl_par_parts(work), score_part, &q);
	return 0;
}

int cl_label_quality_scores(const struct cl_problem *pb, enum cl_score sc,
			    int adjust, double *out, struct err *e)
{
	if (cl_check_range(pb, e) < 0)
		return -1;
	double *t = NULL;
	if (adjust && sc != CL_CONFIDENCE_WEIGHTED_ENTROPY) {
		t = xmallocarray(pb->k, sizeof *t);
		cl_thresholds(pb, t);
	}
	int rc = scores_run(pb, sc, adjust, t, NULL, 0, out, e);
	free(t);
	return rc;
}

int cl_work_scores(struct cl_work *w, enum cl_score sc, int adjust, double *out,
		   struct err *e)
{
	if (cl_work_check_range(w, e) < 0)
		return -1;
	return scores_run(w->pb, sc, adjust, w->t, NULL, 0, out, e);
}

int cl_work_scores_rows(struct cl_work *w, enum cl_score sc, int adjust,
			const size_t *rows, size_t m, double *out, struct err *e)
{
	if (cl_work_check_range(w, e) < 0)
		return -1;
	return scores_run(w->pb, sc, adjust, w->t, rows, m, out, e);
}
