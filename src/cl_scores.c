/* cl_scores.c — label quality scores (ALGORITHM.md §8) and the one-call scan
 * that the commands and the review screen use. */
#include "cl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
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

/* Adjusted row: (P - t) + tmax, divided by its numpy row sum. */
static void adjust_row(const double *row, size_t k, const double *t, double tmax,
		       double *out)
{
	for (size_t j = 0; j < k; j++)
		out[j] = (row[j] - t[j]) + tmax;
	double s = npy_sum(out, k, 1);
	for (size_t j = 0; j < k; j++)
		out[j] = out[j] / s;
}

int cl_label_quality_scores(const struct cl_problem *pb, enum cl_score sc,
			    int adjust, double *out, struct err *e)
{
	size_t n = pb->n, k = pb->k;
	if (cl_check_range(pb, e) < 0)
		return -1;
	if (sc == CL_CONFIDENCE_WEIGHTED_ENTROPY) {
		if (adjust)
			return err_set(e, ERR_INPUT,
				       "adjust_pred_probs is not currently supported for confidence_weighted_entropy.");
		if (cl_check_unit_interval(pb, e) < 0)
			return -1;
	}
	double *t = NULL, tmax = 0, *tmp = xmallocarray(k, sizeof *tmp);
	if (adjust) {
		t = xmallocarray(k, sizeof *t);
		cl_thresholds(pb, t);
		tmax = t[0];
		for (size_t j = 1; j < k; j++)
			if (t[j] > tmax)
				tmax = t[j];
	}
	double logk = log((double)k);
	for (size_t i = 0; i < n; i++) {
		const double *row = pb->p + i * k;
		size_t l = (size_t)pb->labels[i];
		if (adjust) {
			adjust_row(row, k, t, tmax, tmp);
			row = tmp;
		}
		switch (sc) {
		case CL_SELF_CONFIDENCE: out[i] = self_conf(row, l); break;
		case CL_NORMALIZED_MARGIN: out[i] = norm_margin(row, k, l); break;
		default: out[i] = entropy_score(row, k, l, logk, tmp); break;
		}
	}
	free(t);
	free(tmp);
	return 0;
}

void cl_scan_free(struct cl_scan *s)
{
	if (!s)
		return;
	free(s->thresholds);
	free(s->cj_raw);
	free(s->cj);
	free(s->suggested);
	free(s->scores);
	free(s->flagged);
	free(s->ranked);
	memset(s, 0, sizeof *s);
}

int cl_scan_run(const struct cl_problem *pb, const struct cl_scan_params *prm,
		struct cl_scan *out, struct err *e)
{
	size_t n = pb->n, k = pb->k, n1 = n ? n : 1;
	memset(out, 0, sizeof *out);
	if (n > UINT32_MAX)
		return err_set(e, ERR_INPUT, "%zu examples: at most %u are supported", n, UINT32_MAX);
	out->n = n;
	out->k = k;
	struct cl_work w;
	cl_work_init(&w, pb);
	out->thresholds = xmallocarray(k, sizeof(double));
	memcpy(out->thresholds, w.t, k * sizeof(double));
	out->cj_raw = xmallocarray(k * k, sizeof(int64_t));
	memcpy(out->cj_raw, w.cj, k * k * sizeof(int64_t));
	out->cj = xmallocarray(k * k, sizeof(int64_t));
	memcpy(out->cj, w.cal, k * k * sizeof(int64_t));
	out->suggested = xmallocarray(n1, sizeof(int));
	for (size_t i = 0; i < n; i++)
		out->suggested[i] = (int)cl_argmax(pb->p + i * k, k);
	out->flagged = xcalloc(n1, 1);
	out->scores = xmallocarray(n1, sizeof(double));
	out->ranked = xmallocarray(n1, sizeof(size_t));
	if (cl_find_issues_work(&w, prm->filter_by, out->flagged, e) < 0 ||
	    cl_label_quality_scores(pb, prm->rank_by, prm->adjust, out->scores, e) < 0) {
		cl_work_free(&w);
		cl_scan_free(out);
		return -1;
	}
	cl_work_free(&w);
	for (size_t i = 0; i < n; i++)
		out->n_flagged += out->flagged[i];
	if (prm->all) {
		npy_argsort(out->scores, n, out->ranked);
		out->n_ranked = n;
	} else {
		out->n_ranked = cl_order_issues(pb, out->flagged, out->scores, out->ranked);
	}
	return 0;
}
