/* cl_scan.c — the one-call scan that the commands and the review screen
 * use: find_label_issues, the label quality scores, the joints, the
 * suggested labels and the ranking, from one shared computation. */
#include "cl.h"

#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "npy.h"
#include "util.h"

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
	free(s->ranked_scores);
	cl_work_delete(s->work);
	memset(s, 0, sizeof *s);
}

/* params.lean: the flagged rows scored alone and ordered as
 * cl_order_issues orders them (numpy's argsort of their scores in row
 * order); the shared computation is let go. */
static int rank_flagged(struct cl_work *w, const struct cl_scan_params *prm,
			struct cl_scan *out, struct err *e)
{
	size_t m = 0;
	cl_work_shed_selection(w);     /* before the flagged rows' buffers */
	for (size_t i = 0; i < out->n; i++)
		if (out->flagged[i])
			out->ranked[m++] = i;
	double *s = xmallocarray(m ? m : 1, sizeof *s);
	if (cl_work_scores_rows(w, prm->rank_by, prm->adjust, out->ranked, m, s, e) < 0) {
		free(s);
		cl_scan_free(out);
		return -1;
	}
	out->ranked_scores = xmallocarray(m ? m : 1, sizeof *out->ranked_scores);
	cl_order_rows(out->ranked, s, m, out->ranked_scores);
	out->ranked = xrealloc(out->ranked, (m ? m : 1) * sizeof *out->ranked);
	out->n_ranked = m;
	free(s);
	cl_work_delete(out->work);
	out->work = NULL;
	return 0;
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
	struct cl_work *w = cl_work_new(pb);
	out->work = w;
	out->thresholds = xmallocarray(k, sizeof(double));
	memcpy(out->thresholds, w->t, k * sizeof(double));
	out->cj_raw = xmallocarray(k * k, sizeof(int64_t));
	memcpy(out->cj_raw, w->cj, k * k * sizeof(int64_t));
	out->cj = xmallocarray(k * k, sizeof(int64_t));
	memcpy(out->cj, w->cal, k * k * sizeof(int64_t));
	out->suggested = w->suggested;    /* computed in the joint's pass */
	w->suggested = NULL;
	out->flagged = xcalloc(n1, 1);
	out->ranked = xmallocarray(n1, sizeof(size_t));
	if (cl_find_issues_work(w, prm->filter_by, out->flagged, e) < 0) {
		cl_scan_free(out);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		out->n_flagged += out->flagged[i];
	if (prm->lean && !prm->all)
		return rank_flagged(w, prm, out, e);
	out->scores = xmallocarray(n1, sizeof(double));
	if (cl_work_scores(w, prm->rank_by, prm->adjust, out->scores, e) < 0) {
		cl_scan_free(out);
		return -1;
	}
	if (prm->all) {
		npy_argsort(out->scores, n, out->ranked);
		out->n_ranked = n;
	} else {
		out->n_ranked = cl_order_issues(pb, out->flagged, out->scores, out->ranked);
		out->ranked = xrealloc(out->ranked, (out->n_ranked ? out->n_ranked : 1) *
				       sizeof(size_t));
	}
	return 0;
}
