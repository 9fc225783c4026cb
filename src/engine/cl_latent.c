/* cl_latent.c — latent estimates (class prior, noise matrices; ALGORITHM.md
 * §10) and the dataset health tables (§11). The noise matrix's column sums
 * are sequential and the inverse noise matrix's pairwise, as numpy's memory
 * layouts make them. */
#include "cl.h"

#include <stdlib.h>

#include "cl_internal.h"
#include "npy.h"
#include "util.h"

static double at_least(double x, double lo)
{
	return x > lo ? x : lo;
}

/* clip_noise_rates: clamp off-diagonal entries to [0, 0.9999], then divide
 * each column by its sum (pairwise or sequential). */
static void clip_noise_rates(size_t k, double *m, int pairwise, double *col)
{
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++) {
			double *v = &m[i * k + j];
			if (i == j)
				continue;
			if (*v < 0.0)
				*v = 0.0;
			if (*v > 0.9999)
				*v = 0.9999;
		}
	for (size_t j = 0; j < k; j++) {
		double s = pairwise ? npy_sum(m + j, k, k) : npy_sum_seq(m + j, k, k);
		col[j] = at_least(s, 1e-100);
	}
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			m[i * k + j] = m[i * k + j] / col[j];
}

static void clip_values(size_t k, double *x, double low, double high, double total)
{
	for (size_t j = 0; j < k; j++) {
		if (x[j] < low)
			x[j] = low;
		if (x[j] > high)
			x[j] = high;
	}
	double s = at_least(npy_sum(x, k, 1), 1e-100);
	for (size_t j = 0; j < k; j++)
		x[j] = (x[j] * total) / s;
}

static void compute_py(size_t k, const double *ps, const double *nm,
		       const double *inv, double *py)
{
	for (size_t j = 0; j < k; j++)
		py[j] = (inv[j * k + j] / at_least(nm[j * k + j], 1e-100)) * ps[j];
	clip_values(k, py, 1e-6, 1.0, 1.0);
}

void cl_estimate_latent(size_t k, const int64_t *cj, const size_t *nk, size_t n,
			double *py, double *nm, double *inv)
{
	double *ps = xmallocarray(k, sizeof *ps), *col = xmallocarray(k, sizeof *col);
	for (size_t j = 0; j < k; j++)
		ps[j] = (double)nk[j] / (double)n;
	for (size_t i = 0; i < k; i++) {
		int64_t rs = 0, cs = 0;
		for (size_t j = 0; j < k; j++) {
			rs += cj[i * k + j];
			cs += cj[j * k + i];
		}
		for (size_t j = 0; j < k; j++) {
			/* column i of nm, row i of inv's source */
			nm[j * k + i] = (double)cj[j * k + i] / at_least((double)cs, 1e-100);
			inv[j * k + i] = (double)cj[i * k + j] / at_least((double)rs, 1e-100);
		}
	}
	compute_py(k, ps, nm, inv, py);
	clip_noise_rates(k, nm, 0, col);
	clip_noise_rates(k, inv, 1, col);
	free(ps);
	free(col);
}

void cl_work_py_and_noise(struct cl_work *wp, double *py, double *nm,
			  double *inv, int64_t *cj_out)
{
	const struct cl_problem *pb = wp->pb;
	size_t k = pb->k;
	const struct cl_work w = *wp;
	cl_estimate_latent(k, w.cal, w.nk, pb->n, py, nm, inv);
	double *ps = xmallocarray(k, sizeof *ps), *col = xmallocarray(k, sizeof *col);
	for (size_t j = 0; j < k; j++)
		ps[j] = (double)w.nk[j] / (double)pb->n;
	for (int outer = 0; outer < 3; outer++) {
		for (int inner = 0; inner < 5; inner++) {
			for (size_t a = 0; a < k; a++)
				for (size_t b = 0; b < k; b++)
					inv[b * k + a] = (nm[a * k + b] * py[b]) /
							 at_least(ps[a], 1e-100);
			clip_noise_rates(k, inv, 1, col);
			compute_py(k, ps, nm, inv, py);
		}
		for (size_t a = 0; a < k; a++)
			for (size_t b = 0; b < k; b++)
				nm[b * k + a] = (inv[a * k + b] * ps[b]) /
						at_least(py[a], 1e-100);
		clip_noise_rates(k, nm, 0, col);
	}
	clip_values(k, py, 1e-5, 1.0, 1.0);
	clip_noise_rates(k, nm, 0, col);
	clip_noise_rates(k, inv, 1, col);
	if (cj_out)
		for (size_t i = 0; i < k * k; i++)
			cj_out[i] = w.cal[i];
	free(ps);
	free(col);
}

void cl_estimate_py_and_noise(const struct cl_problem *pb, double *py,
			      double *nm, double *inv, int64_t *cj_out)
{
	struct cl_work *w = cl_work_new(pb);
	cl_work_py_and_noise(w, py, nm, inv, cj_out);
	cl_work_delete(w);
}

/* estimate_joint(labels, pred_probs): the once-calibrated joint, normalised. */
static double *joint_of(const struct cl_work *w)
{
	size_t k = w->pb->k;
	double *J = xmallocarray(k * k, sizeof *J);
	cl_estimate_joint(k, w->cj, w->nk, J);
	return J;
}

void cl_work_rank_classes(struct cl_work *w, struct cl_class_quality *out)
{
	const struct cl_problem *pb = w->pb;
	size_t k = pb->k;
	double *J = joint_of(w), *lqs = xmallocarray(k, sizeof *lqs);
	struct cl_class_quality *tmp = xmallocarray(k, sizeof *tmp);
	size_t *ord = xmallocarray(k, sizeof *ord);
	for (size_t c = 0; c < k; c++) {
		double rs = npy_sum(J + c * k, k, 1), cs = npy_sum_seq(J + c, k, k);
		double gln = rs - J[c * k + c], tln = cs - J[c * k + c];
		tmp[c].class_index = c;
		tmp[c].label_noise = gln / at_least(rs, 1e-6);
		tmp[c].inverse_label_noise = tln / at_least(cs, 1e-6);
		tmp[c].label_quality = 1 - tmp[c].label_noise;
		tmp[c].label_issues = (int64_t)npy_rint(gln * (double)pb->n);
		tmp[c].inverse_label_issues = (int64_t)npy_rint(tln * (double)pb->n);
		lqs[c] = tmp[c].label_quality;
	}
	npy_argsort(lqs, k, ord);
	for (size_t c = 0; c < k; c++)
		out[c] = tmp[ord[c]];
	free(J);
	free(lqs);
	free(tmp);
	free(ord);
}

void cl_work_overlapping_classes(struct cl_work *w, struct cl_overlap *out)
{
	const struct cl_problem *pb = w->pb;
	size_t k = pb->k, m = k * (k - 1) / 2, p = 0;
	double *J = joint_of(w);
	struct cl_overlap *tmp = xmallocarray(m ? m : 1, sizeof *tmp);
	double *rev = xmallocarray(m ? m : 1, sizeof *rev);
	size_t *ord = xmallocarray(m ? m : 1, sizeof *ord);
	for (size_t a = 0; a < k; a++)
		for (size_t b = a + 1; b < k; b++, p++) {
			tmp[p].a = a;
			tmp[p].b = b;
			tmp[p].joint_probability = J[a * k + b] + J[b * k + a];
			tmp[p].num_overlapping =
				(int64_t)npy_rint(tmp[p].joint_probability * (double)pb->n);
		}
	/* pandas' descending sort: argsort the reversed values, map back,
	 * reverse. */
	for (size_t i = 0; i < m; i++)
		rev[i] = tmp[m - 1 - i].joint_probability;
	npy_argsort(rev, m, ord);
	for (size_t i = 0; i < m; i++)
		out[i] = tmp[m - 1 - ord[m - 1 - i]];
	free(J);
	free(tmp);
	free(rev);
	free(ord);
}

int cl_work_health_score(struct cl_work *w, double *out, struct err *e)
{
	size_t cnt;
	if (cl_work_num_label_issues(w, CL_OFF_DIAGONAL, &cnt, e) < 0)
		return -1;
	*out = 1 - (double)cnt / (double)w->pb->n;
	return 0;
}

/* The one-shot forms: each on a computation of its own. */
void cl_rank_classes(const struct cl_problem *pb, struct cl_class_quality *out)
{
	struct cl_work *w = cl_work_new(pb);
	cl_work_rank_classes(w, out);
	cl_work_delete(w);
}

void cl_overlapping_classes(const struct cl_problem *pb, struct cl_overlap *out)
{
	struct cl_work *w = cl_work_new(pb);
	cl_work_overlapping_classes(w, out);
	cl_work_delete(w);
}

int cl_health_score(const struct cl_problem *pb, double *out, struct err *e)
{
	if (cl_check_range(pb, e) < 0 || cl_check_two_classes(pb, 0, e) < 0)
		return -1;
	struct cl_work *w = cl_work_new(pb);
	int rc = cl_work_health_score(w, out, e);
	cl_work_delete(w);
	return rc;
}
