/* cl_issues.c — find_label_issues for every filter_by, the final reduction,
 * order_label_issues and num_label_issues (ALGORITHM.md §6, §9).
 * The selections themselves ("the first c rows of an argsort") are
 * cl_select.c's.
 */
#include "cl.h"

#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "npy.h"
#include "util.h"

/* _reduce_issues on the flagged rows (keep bits precomputed by a streaming
 * scan, or computed from the rows). */
static void reduce_issues(const struct cl_work *w, unsigned char *flag)
{
	const struct cl_problem *pb = w->pb;
	for (size_t i = 0; i < pb->n; i++)
		if (flag[i])
			flag[i] = w->keep ? w->keep[i] :
				  (unsigned char)cl_reduce_keeps(pb->p + i * pb->k, pb->k,
								 (size_t)pb->labels[i]);
}

/* Rows counted off the diagonal of the raw joint that survive reduction. */
static size_t off_diagonal_count(const struct cl_work *w, unsigned char *flag)
{
	memset(flag, 0, w->pb->n);
	for (size_t a = 0; a < w->noff; a++)
		flag[w->off[a]] = 1;
	reduce_issues(w, flag);
	size_t cnt = 0;
	for (size_t i = 0; i < w->pb->n; i++)
		cnt += flag[i];
	return cnt;
}

static int low_score_issues(const struct cl_work *w, enum cl_score sc,
			    unsigned char *flag, struct err *e)
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
	struct cl_scratch s;
	cl_scratch_init(&s, pb->n);
	cl_flag_smallest(score, pb->n, m, NULL, flag, &s);
	cl_scratch_free(&s);
	free(score);
	return 0;
}

int cl_find_issues_work(struct cl_work *w, enum cl_filter_by f,
			unsigned char *flag, struct err *e)
{
	const struct cl_problem *pb = w->pb;
	size_t n = pb->n, k = pb->k;
	if (cl_work_check_range(w, e) < 0)
		return -1;
	int exempt = f != CL_PREDICTED_NEQ_GIVEN && f != CL_LOW_NORMALIZED_MARGIN &&
		     f != CL_LOW_SELF_CONFIDENCE;
	if (cl_check_two_classes(pb, exempt, e) < 0)
		return -1;
	memset(flag, 0, n);
	int rc = 0;
	switch (f) {
	case CL_PRUNE_BY_NOISE_RATE:
		cl_prune_select(w, 0, flag);
		break;
	case CL_PRUNE_BY_CLASS:
		cl_prune_select(w, 1, flag);
		break;
	case CL_BOTH: {
		unsigned char *other = xcalloc(n ? n : 1, 1);
		cl_prune_select(w, 0, flag);
		cl_prune_select(w, 1, other);
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
				      flag, e);
		break;
	default:
		rc = err_set(e, ERR_INPUT, "unknown filter_by method");
	}
	if (rc == 0 && f != CL_LOW_NORMALIZED_MARGIN && f != CL_LOW_SELF_CONFIDENCE)
		reduce_issues(w, flag);
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

void cl_order_rows(size_t *rows, const double *s, size_t m, double *sorted)
{
	size_t *ord = xmallocarray(m ? m : 1, sizeof *ord);
	size_t *tmp = xmallocarray(m ? m : 1, sizeof *tmp);
	npy_argsort(s, m, ord);
	for (size_t a = 0; a < m; a++) {
		tmp[a] = rows[ord[a]];
		if (sorted)
			sorted[a] = s[ord[a]];
	}
	memcpy(rows, tmp, m * sizeof *rows);
	free(tmp);
	free(ord);
}

size_t cl_order_issues(const struct cl_problem *pb, const unsigned char *flagged,
		       const double *scores, size_t *out)
{
	size_t m = 0;
	for (size_t i = 0; i < pb->n; i++)
		if (flagged[i])
			out[m++] = i;
	double *s = xmallocarray(m ? m : 1, sizeof *s);
	for (size_t a = 0; a < m; a++)
		s[a] = scores[out[a]];
	cl_order_rows(out, s, m, NULL);
	free(s);
	return m;
}

int cl_work_num_label_issues(struct cl_work *w, enum cl_count_method m,
			     size_t *out, struct err *e)
{
	const struct cl_problem *pb = w->pb;
	if (cl_work_check_range(w, e) < 0 || cl_check_two_classes(pb, 0, e) < 0)
		return -1;
	if (m == CL_OFF_DIAGONAL) {
		unsigned char *flag = xcalloc(pb->n ? pb->n : 1, 1);
		*out = off_diagonal_count(w, flag);
		free(flag);
	} else {
		*out = cl_count_from_joint(pb->k, w->cal, w->nk, pb->n);
	}
	return 0;
}

int cl_num_label_issues(const struct cl_problem *pb, enum cl_count_method m,
			size_t *out, struct err *e)
{
	if (cl_check_range(pb, e) < 0 || cl_check_two_classes(pb, 0, e) < 0)
		return -1;
	struct cl_work *w = cl_work_new(pb);
	int rc = cl_work_num_label_issues(w, m, out, e);
	cl_work_delete(w);
	return rc;
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
