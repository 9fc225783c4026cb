/* cl_issues.c — find_label_issues for every filter_by, the final reduction,
 * order_label_issues and num_label_issues (ALGORITHM.md §6, §9).
 *
 * Selecting "the first c rows of an argsort" is done with a partial
 * selection when the key at the cut-off is not tied (the selected set is then
 * the same whatever the sort), and with numpy's exact argsort when it is.
 */
#include "cl.h"

#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "npy.h"
#include "util.h"

/* Put the element of rank r (0-based) of a[0..m-1] in place (introselect
 * with three-way partitioning). Returns 0, or -1 if it degenerated. */
static int select_rank(double *a, size_t m, size_t r)
{
	size_t lo = 0, hi = m, budget = 64;
	while (hi - lo > 1) {
		if (budget-- == 0)
			return -1;
		size_t mid = lo + (hi - lo) / 2;
		double x = a[lo], y = a[mid], z = a[hi - 1], piv;
		piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
		size_t lt = lo, i = lo, gt = hi;
		while (i < gt) {
			double v = a[i];
			if (v < piv) {
				a[i++] = a[lt];
				a[lt++] = v;
			} else if (v > piv) {
				a[i] = a[--gt];
				a[gt] = v;
			} else {
				i++;
			}
		}
		if (r < lt)
			hi = lt;
		else if (r >= gt)
			lo = gt;
		else
			return 0;
	}
	return 0;
}

void cl_flag_smallest(const double *key, size_t m, size_t c, const uint32_t *rows,
		      unsigned char *flag, struct cl_scratch *s)
{
	if (c == 0 || m == 0)
		return;
	if (c >= m) {
		for (size_t p = 0; p < m; p++)
			flag[rows ? rows[p] : p] = 1;
		return;
	}
	double *tmp = s->dbl;
	memcpy(tmp, key, m * sizeof *tmp);
	if (select_rank(tmp, m, c - 1) == 0) {
		double v = tmp[c - 1], w = tmp[c];
		for (size_t p = c + 1; p < m; p++)
			if (tmp[p] < w)
				w = tmp[p];
		/* Elements after c-1 are >= v; if the smallest is > v, the
		 * c smallest keys are exactly those <= v. */
		if (v < w) {
			for (size_t p = 0; p < m; p++)
				if (key[p] <= v)
					flag[rows ? rows[p] : p] = 1;
			return;
		}
	}
	size_t *ord = s->idx;
	npy_argsort(key, m, ord);
	for (size_t p = 0; p < c; p++)
		flag[rows ? rows[ord[p]] : ord[p]] = 1;
}

/* _reduce_issues: drop flagged rows whose given label wins the argmax once
 * it gets a 1e-6 bonus (ties to the lower column). */
static void reduce_issues(const struct cl_problem *pb, unsigned char *flag)
{
	size_t k = pb->k;
	for (size_t i = 0; i < pb->n; i++) {
		if (!flag[i])
			continue;
		const double *row = pb->p + i * k;
		size_t l = (size_t)pb->labels[i];
		double q = row[l] + 1e-6;
		int keep = 0;
		for (size_t j = 0; j < k && !keep; j++)
			if ((j < l && row[j] >= q) || (j > l && row[j] > q))
				keep = 1;
		flag[i] = (unsigned char)keep;
	}
}

/* Rows counted off the diagonal of the raw joint that survive reduction. */
static size_t off_diagonal_count(const struct cl_work *w, unsigned char *flag)
{
	memset(flag, 0, w->pb->n);
	for (size_t a = 0; a < w->noff; a++)
		flag[w->off[a]] = 1;
	reduce_issues(w->pb, flag);
	size_t cnt = 0;
	for (size_t i = 0; i < w->pb->n; i++)
		cnt += flag[i];
	return cnt;
}

static int low_score_issues(const struct cl_work *w, enum cl_score sc,
			    unsigned char *flag, struct cl_scratch *s, struct err *e)
{
	const struct cl_problem *pb = w->pb;
	if (cl_check_two_classes(pb, 0, e) < 0)
		return -1;
	size_t m = off_diagonal_count(w, flag);
	double *score = xmallocarray(pb->n ? pb->n : 1, sizeof *score);
	if (cl_label_quality_scores(pb, sc, 0, score, e) < 0) {
		free(score);
		return -1;
	}
	memset(flag, 0, pb->n);
	cl_flag_smallest(score, pb->n, m, NULL, flag, s);
	free(score);
	return 0;
}

int cl_find_issues_work(const struct cl_work *w, enum cl_filter_by f,
			unsigned char *flag, struct err *e)
{
	const struct cl_problem *pb = w->pb;
	size_t n = pb->n, k = pb->k;
	if (cl_check_range(pb, e) < 0)
		return -1;
	int exempt = f != CL_PREDICTED_NEQ_GIVEN && f != CL_LOW_NORMALIZED_MARGIN &&
		     f != CL_LOW_SELF_CONFIDENCE;
	if (cl_check_two_classes(pb, exempt, e) < 0)
		return -1;
	struct cl_scratch s;
	cl_scratch_init(&s, n);
	memset(flag, 0, n);
	int rc = 0;
	switch (f) {
	case CL_PRUNE_BY_NOISE_RATE:
		cl_prune_select(w, 0, flag, &s);
		break;
	case CL_PRUNE_BY_CLASS:
		cl_prune_select(w, 1, flag, &s);
		break;
	case CL_BOTH: {
		unsigned char *other = xcalloc(n ? n : 1, 1);
		cl_prune_select(w, 0, flag, &s);
		cl_prune_select(w, 1, other, &s);
		for (size_t i = 0; i < n; i++)
			flag[i] = flag[i] && other[i];
		free(other);
		break;
	}
	case CL_CONFIDENT_LEARNING:
		for (size_t a = 0; a < w->noff; a++)
			flag[w->off[a]] = 1;
		break;
	case CL_PREDICTED_NEQ_GIVEN:
		for (size_t i = 0; i < n; i++)
			flag[i] = cl_argmax(pb->p + i * k, k) != (size_t)pb->labels[i];
		break;
	case CL_LOW_NORMALIZED_MARGIN:
	case CL_LOW_SELF_CONFIDENCE:
		rc = low_score_issues(w, f == CL_LOW_SELF_CONFIDENCE ?
				      CL_SELF_CONFIDENCE : CL_NORMALIZED_MARGIN,
				      flag, &s, e);
		break;
	default:
		rc = err_set(e, ERR_INPUT, "unknown filter_by method");
	}
	if (rc == 0 && f != CL_LOW_NORMALIZED_MARGIN && f != CL_LOW_SELF_CONFIDENCE)
		reduce_issues(pb, flag);
	cl_scratch_free(&s);
	return rc;
}

int cl_find_label_issues(const struct cl_problem *pb, enum cl_filter_by f,
			 unsigned char *flagged, struct err *e)
{
	struct cl_work w;
	cl_work_init(&w, pb);
	int rc = cl_find_issues_work(&w, f, flagged, e);
	cl_work_free(&w);
	return rc;
}

size_t cl_order_issues(const struct cl_problem *pb, const unsigned char *flagged,
		       const double *scores, size_t *out)
{
	size_t m = 0;
	for (size_t i = 0; i < pb->n; i++)
		if (flagged[i])
			out[m++] = i;
	double *s = xmallocarray(m ? m : 1, sizeof *s);
	size_t *ord = xmallocarray(m ? m : 1, sizeof *ord);
	for (size_t a = 0; a < m; a++)
		s[a] = scores[out[a]];
	npy_argsort(s, m, ord);
	for (size_t a = 0; a < m; a++)
		ord[a] = out[ord[a]];
	memcpy(out, ord, m * sizeof *out);
	free(s);
	free(ord);
	return m;
}

int cl_num_label_issues(const struct cl_problem *pb, enum cl_count_method m,
			size_t *out, struct err *e)
{
	if (cl_check_range(pb, e) < 0 || cl_check_two_classes(pb, 0, e) < 0)
		return -1;
	struct cl_work w;
	cl_work_init(&w, pb);
	if (m == CL_OFF_DIAGONAL) {
		unsigned char *flag = xcalloc(pb->n ? pb->n : 1, 1);
		*out = off_diagonal_count(&w, flag);
		free(flag);
	} else {
		*out = cl_count_from_joint(pb->k, w.cal, w.nk, pb->n);
	}
	cl_work_free(&w);
	return 0;
}

int cl_num_label_issues_custom(const struct cl_problem *pb, const int64_t *cj,
			       size_t *out, struct err *e)
{
	if (cl_check_range(pb, e) < 0 || cl_check_two_classes(pb, 0, e) < 0)
		return -1;
	size_t *nk = xcalloc(pb->k, sizeof *nk);
	cl_class_counts(pb, nk);
	int64_t *cal = xmallocarray(pb->k * pb->k, sizeof *cal);
	cl_calibrate(pb->k, cj, nk, cal);
	*out = cl_count_from_joint(pb->k, cal, nk, pb->n);
	free(cal);
	free(nk);
	return 0;
}

/* round((1 - trace(estimate_joint(cj))) * N), half to even. */
size_t cl_count_from_joint(size_t k, const int64_t *cj, const size_t *nk, size_t n)
{
	double *J = xmallocarray(k * k, sizeof *J);
	cl_estimate_joint(k, cj, nk, J);
	double trace = npy_sum(J, k, k + 1);
	free(J);
	double v = npy_rint((1 - trace) * (double)n);
	return v > 0 ? (size_t)v : 0;
}
