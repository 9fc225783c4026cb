/* cl_base.c — the engine's leaves: method names, input validation (V1-V3
 * of ALGORITHM.md §1), class counts and the row argmax. */
#include "cl.h"

#include <string.h>

#include "cl_internal.h"
#include "cl_par.h"

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

struct range_pass {
	const double *p;
	double lo, hi;
	int bad[CL_PAR_MAX];
};

static void range_part(void *ctx, size_t lo, size_t hi, size_t part)
{
	struct range_pass *r = ctx;
	int bad = 0;
	for (size_t i = lo; i < hi; i++)
		bad |= !(r->p[i] >= r->lo && r->p[i] <= r->hi);
	r->bad[part] = bad;
}

/* 1 if any of the n*k values lies outside [lo, hi] (or is NaN). */
static int any_outside(const struct cl_problem *pb, double lo, double hi)
{
	size_t m = pb->n * pb->k, parts = cl_par_parts(m);
	struct range_pass r = { pb->p, lo, hi, { 0 } };
	cl_par_run(m, parts, range_part, &r);
	for (size_t i = 0; i < parts; i++)
		if (r.bad[i])
			return 1;
	return 0;
}

int cl_check_range(const struct cl_problem *pb, struct err *e)
{
	if (any_outside(pb, CL_RANGE_LO, CL_RANGE_HI))
		return err_set(e, ERR_INPUT, CL_MSG_RANGE);
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
	if (any_outside(pb, 0, 1))
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

size_t cl_argmax(const double *row, size_t k)
{
	/* the first largest (a NaN is never larger), chosen without a branch
	 * on the values */
	size_t best = 0;
	double top = row[0];
	for (size_t j = 1; j < k; j++) {
		int up = row[j] > top;
		best = up ? j : best;
		top = up ? row[j] : top;
	}
	return best;
}

int cl_reduce_keeps(const double *row, size_t k, size_t l)
{
	double q = row[l] + 1e-6;
	for (size_t j = 0; j < k; j++)
		if ((j < l && row[j] >= q) || (j > l && row[j] > q))
			return 1;
	return 0;
}
