/* cl.c — confident learning's counting core: validation, per-class
 * thresholds, the confident joint, calibration and the prune counts
 * (ALGORITHM.md §1-§6.1). Every formula is evaluated in cleanlab's order;
 * sums use npy.c so the last bits match numpy.
 */
#include "cl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "npy.h"
#include "util.h"

static const char *const filter_names[CL_FILTER_COUNT] = {
	"prune_by_noise_rate", "prune_by_class", "both", "confident_learning",
	"predicted_neq_given", "low_normalized_margin", "low_self_confidence",
};
static const char *const score_names[CL_SCORE_COUNT] = {
	"self_confidence", "normalized_margin", "confidence_weighted_entropy",
};

const char *cl_filter_name(enum cl_filter_by f)
{
	return f < CL_FILTER_COUNT ? filter_names[f] : "?";
}

const char *cl_score_name(enum cl_score s)
{
	return s < CL_SCORE_COUNT ? score_names[s] : "?";
}

int cl_filter_parse(const char *name, enum cl_filter_by *out)
{
	for (int i = 0; i < CL_FILTER_COUNT; i++)
		if (!strcmp(name, filter_names[i])) {
			*out = (enum cl_filter_by)i;
			return 0;
		}
	return -1;
}

int cl_score_parse(const char *name, enum cl_score *out)
{
	for (int i = 0; i < CL_SCORE_COUNT; i++)
		if (!strcmp(name, score_names[i])) {
			*out = (enum cl_score)i;
			return 0;
		}
	return -1;
}

int cl_check_range(const struct cl_problem *pb, struct err *e)
{
	size_t nk = pb->n * pb->k;
	for (size_t i = 0; i < nk; i++)
		if (pb->p[i] < -1e-6 || pb->p[i] > 1 + 1e-6)
			return err_set(e, ERR_INPUT,
				       "Values in pred_probs must be between 0 and 1.");
	return 0;
}

int cl_check_two_classes(const struct cl_problem *pb, int allow_all_zero,
			 struct err *e)
{
	int first = pb->n ? pb->labels[0] : 0;
	for (size_t i = 1; i < pb->n; i++)
		if (pb->labels[i] != first)
			return 0;
	if (allow_all_zero && first == 0)
		return 0;
	return err_set(e, ERR_INPUT, "Labels must contain at least 2 classes.");
}

int cl_check_unit_interval(const struct cl_problem *pb, struct err *e)
{
	size_t nk = pb->n * pb->k;
	for (size_t i = 0; i < nk; i++)
		if (pb->p[i] < 0 || pb->p[i] > 1)
			return err_set(e, ERR_INPUT,
				       "All probabilities are required to be in the interval [0, 1].");
	return 0;
}

void cl_class_counts(const struct cl_problem *pb, size_t *nk)
{
	memset(nk, 0, pb->k * sizeof *nk);
	for (size_t i = 0; i < pb->n; i++)
		nk[pb->labels[i]]++;
}

/* Threshold of every class: the numpy mean of its column over its own rows,
 * in row order. Each class's values are gathered contiguously in turn, so
 * the buffer is the size of the largest class. */
void cl_thresholds(const struct cl_problem *pb, double *t)
{
	size_t n = pb->n, k = pb->k, most = 1;
	size_t *nk = xcalloc(k, sizeof *nk);
	cl_class_counts(pb, nk);
	for (size_t c = 0; c < k; c++)
		if (nk[c] > most)
			most = nk[c];
	double *buf = xmallocarray(most, sizeof *buf);
	for (size_t c = 0; c < k; c++) {
		double v = 2.0;
		if (nk[c]) {
			size_t m = 0;
			for (size_t i = 0; i < n; i++)
				if ((size_t)pb->labels[i] == c)
					buf[m++] = pb->p[i * k + c];
			v = npy_sum(buf, m, 1) / (double)nk[c];
		}
		t[c] = v < 2e-6 ? 2e-6 : v;
	}
	free(buf);
	free(nk);
}

size_t cl_confident_joint(const struct cl_problem *pb, const double *t,
			  int64_t *cj, size_t *off_rows)
{
	size_t n = pb->n, k = pb->k, noff = 0;
	double *cut = xmallocarray(k, sizeof *cut);
	for (size_t c = 0; c < k; c++)
		cut[c] = t[c] - 1e-6;
	memset(cj, 0, k * k * sizeof *cj);
	for (size_t i = 0; i < n; i++) {
		const double *row = pb->p + i * k;
		size_t count = 0, guess = 0;
		for (size_t c = 0; c < k; c++)
			if (row[c] >= cut[c]) {
				count++;
				guess = c;
			}
		if (count == 0)
			continue;
		if (count > 1)
			guess = cl_argmax(row, k);
		size_t given = (size_t)pb->labels[i];
		cj[given * k + guess]++;
		if (guess != given && off_rows)
			off_rows[noff] = i;
		if (guess != given)
			noff++;
	}
	for (size_t c = 0; c < k; c++)
		if (cj[c * k + c] < 1)
			cj[c * k + c] = 1;
	free(cut);
	return noff;
}

/* round_preserving_sum of one row y (k values) into r. */
static void round_preserving_sum(size_t k, const double *y, int64_t *r,
				 double *res, size_t *ord)
{
	double target = npy_rint(npy_sum(y, k, 1));
	double have = 0;
	for (size_t j = 0; j < k; j++) {
		r[j] = (int64_t)npy_rint(y[j]);
		have += (double)r[j];
	}
	while (fabs(have - target) > 1e-6) {
		double diff = npy_rint(target - have);
		int inc = diff < 0 ? -1 : 1;
		size_t m = (size_t)fabs(diff);
		if (m > k)
			m = k;
		for (size_t j = 0; j < k; j++)
			res[j] = y[j] - (double)r[j];
		npy_argsort(res, k, ord);
		for (size_t a = 0; a < m; a++) {
			size_t j = inc > 0 ? ord[k - 1 - a] : ord[a];
			r[j] += inc;
		}
		have = 0;
		for (size_t j = 0; j < k; j++)
			have += (double)r[j];
	}
}

void cl_calibrate(size_t k, const int64_t *cj, const size_t *nk, int64_t *out)
{
	double *x = xmallocarray(k * k, sizeof *x);
	double *res = xmallocarray(k, sizeof *res);
	size_t *ord = xmallocarray(k, sizeof *ord);
	int64_t ntot = 0;
	for (size_t i = 0; i < k; i++) {
		int64_t rs = 0;
		for (size_t j = 0; j < k; j++)
			rs += cj[i * k + j];
		double d = (double)rs > 1e-100 ? (double)rs : 1e-100;
		for (size_t j = 0; j < k; j++)
			x[i * k + j] = ((double)cj[i * k + j] / d) * (double)nk[i];
		ntot += (int64_t)nk[i];
	}
	double tot = npy_sum(x, k * k, 1);
	if (!(tot > 1e-100))
		tot = 1e-100;
	for (size_t i = 0; i < k * k; i++)
		x[i] = (x[i] / tot) * (double)ntot;
	for (size_t i = 0; i < k; i++)
		round_preserving_sum(k, x + i * k, out + i * k, res, ord);
	free(x);
	free(res);
	free(ord);
}

void cl_estimate_joint(size_t k, const int64_t *cj, const size_t *nk, double *J)
{
	int64_t *cal = xmallocarray(k * k, sizeof *cal);
	cl_calibrate(k, cj, nk, cal);
	int64_t tot = 0;
	for (size_t i = 0; i < k * k; i++)
		tot += cal[i];
	double d = (double)tot > 1e-100 ? (double)tot : 1e-100;
	for (size_t i = 0; i < k * k; i++)
		J[i] = (double)cal[i] / d;
	free(cal);
}

void cl_prune_counts(size_t k, const int64_t *cal, int64_t *pc)
{
	/* M[j][c] = cal[c][j]; work column by column (given class c). */
	for (size_t c = 0; c < k; c++) {
		int64_t d = cal[c * k + c];
		int64_t nd = d > 1 ? d : 1;
		double delta = (double)(nd - d);
		size_t z = 0;
		for (size_t j = 0; j < k; j++)
			if (cal[c * k + j] != 0)
				z++;
		double q = (double)(z > 2 ? z - 1 : 1);
		for (size_t j = 0; j < k; j++) {
			if (j == c)
				continue;
			double v = (double)cal[c * k + j] - delta / q;
			if (v < 0)
				v = 0;
			pc[j * k + c] = (int64_t)trunc(v);
		}
		pc[c * k + c] = nd;
	}
}
