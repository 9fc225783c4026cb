/* cl_work.c — computing the shared starting point of find_label_issues once
 * (see cl_internal.h), and the engine's scratch buffers. */
#include <stdlib.h>

#include "cl_internal.h"
#include "util.h"

void cl_work_init(struct cl_work *w, const struct cl_problem *pb)
{
	size_t n = pb->n, k = pb->k;
	w->pb = pb;
	w->nk = xcalloc(k, sizeof *w->nk);
	w->start = xcalloc(k + 1, sizeof *w->start);
	w->rows = xmallocarray(n ? n : 1, sizeof *w->rows);
	cl_class_index(pb, w->nk, w->start, w->rows);
	w->t = xmallocarray(k, sizeof *w->t);
	cl_thresholds_indexed(pb, w->nk, w->start, w->rows, w->t);
	w->cj = xmallocarray(k * k, sizeof *w->cj);
	w->off = xmallocarray(n ? n : 1, sizeof *w->off);
	w->suggested = xmallocarray(n ? n : 1, sizeof *w->suggested);
	w->noff = cl_joint_pass(pb, w->t, w->cj, w->off, w->suggested);
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
}

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
