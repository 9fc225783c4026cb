/* cl_work.c — computing the shared starting point of every method and
 * summary once (see cl_internal.h and cl.h), and the engine's scratch
 * buffers. */
#include <stdlib.h>

#include "cl_internal.h"
#include "err.h"
#include "util.h"

void cl_work_init(struct cl_work *w, const struct cl_problem *src)
{
	size_t n = src->n, k = src->k;
	w->problem = *src;
	w->pb = &w->problem;
	w->range_state = 0;
	w->keep = NULL;
	const struct cl_problem *pb = w->pb;
	w->nk = xcalloc(k, sizeof *w->nk);
	w->start = xcalloc(k + 1, sizeof *w->start);
	w->rows = xmallocarray(n ? n : 1, sizeof *w->rows);
	cl_class_index(pb, w->nk, w->start, w->rows);
	w->t = xmallocarray(k, sizeof *w->t);
	cl_thresholds_indexed(pb, w->nk, w->start, w->rows, w->t);
	w->cj = xmallocarray(k * k, sizeof *w->cj);
	w->off = xmallocarray(n ? n : 1, sizeof *w->off);
	w->suggested = xmallocarray(n ? n : 1, sizeof *w->suggested);
	w->noff = cl_joint_pass(pb, w->t, w->cj, w->off, w->suggested, &w->range_state);
	w->off = xrealloc(w->off, (w->noff ? w->noff : 1) * sizeof *w->off);
	w->cal = xmallocarray(k * k, sizeof *w->cal);
	cl_calibrate(k, w->cj, w->nk, w->cal);
	w->pc = xmallocarray(k * k, sizeof *w->pc);
	cl_prune_counts(k, w->cal, w->pc);
}

void cl_work_free(struct cl_work *w)
{
	free(w->nk);
	free(w->start);
	free(w->rows);
	free(w->t);
	free(w->cj);
	free(w->off);
	free(w->cal);
	free(w->pc);
	free(w->suggested);
	free(w->keep);
}

void cl_work_shed_selection(struct cl_work *w)
{
	free(w->rows);
	free(w->off);
	w->rows = NULL;
	w->off = NULL;
	w->noff = 0;
}

struct cl_work *cl_work_new(const struct cl_problem *pb)
{
	struct cl_work *w = xmalloc(sizeof *w);
	cl_work_init(w, pb);
	return w;
}

void cl_work_delete(struct cl_work *w)
{
	if (!w)
		return;
	cl_work_free(w);
	free(w);
}

int cl_work_check_range(struct cl_work *w, struct err *e)
{
	if (w->range_state == 0)
		w->range_state = cl_check_range(w->pb, NULL) < 0 ? -1 : 1;
	if (w->range_state > 0)
		return 0;
	return err_set(e, ERR_INPUT, CL_MSG_RANGE);
}

const struct cl_problem *cl_work_problem(const struct cl_work *w) { return w->pb; }
const size_t *cl_work_class_counts(const struct cl_work *w) { return w->nk; }
const double *cl_work_thresholds(const struct cl_work *w) { return w->t; }
const int64_t *cl_work_joint_raw(const struct cl_work *w) { return w->cj; }
const int64_t *cl_work_joint(const struct cl_work *w) { return w->cal; }

void cl_scratch_init(struct cl_scratch *s, size_t n)
{
	if (!n)
		n = 1;
	s->key = xmallocarray(n, sizeof *s->key);
	s->dbl = xmallocarray(n, sizeof *s->dbl);
	s->idx = xmallocarray(n, sizeof *s->idx);
}

void cl_scratch_free(struct cl_scratch *s)
{
	free(s->key);
	free(s->dbl);
	free(s->idx);
}
