/* cl.c — confident learning's counting core: per-class thresholds, the
 * confident joint, calibration and the prune counts (ALGORITHM.md §2-§6.1).
 * Every formula is evaluated in cleanlab's order; sums use npy.c so the
 * last bits match numpy. The passes over rows are split across cores
 * (cl_par.h) without changing any result.
 */
#include "cl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "cl_par.h"
#include "npy.h"
#include "util.h"

void cl_class_index(const struct cl_problem *pb, size_t *nk, size_t *start,
		    uint32_t *rows)
{
	size_t k = pb->k;
	cl_class_counts(pb, nk);
	start[0] = 0;
	for (size_t c = 0; c < k; c++)
		start[c + 1] = start[c] + nk[c];
	size_t *fill = xmallocarray(k ? k : 1, sizeof *fill);
	memcpy(fill, start, k * sizeof *fill);
	for (size_t i = 0; i < pb->n; i++)
		rows[fill[pb->labels[i]]++] = (uint32_t)i;
	free(fill);
}

struct thr_pass {
	const struct cl_problem *pb;
	const size_t *nk, *start;
	const uint32_t *rows;
	double *t;
};

/* Thresholds of classes [lo, hi): the numpy mean of the class's column over
 * its own rows in row order, gathered contiguously. */
static void thr_part(void *ctx, size_t lo, size_t hi, size_t part)
{
	struct thr_pass *q = ctx;
	size_t k = q->pb->k, most = 1;
	(void)part;
	for (size_t c = lo; c < hi; c++)
		if (q->nk[c] > most)
			most = q->nk[c];
	double *buf = xmallocarray(most, sizeof *buf);
	for (size_t c = lo; c < hi; c++) {
		double v = 2.0;
		size_t m = q->nk[c];
		if (m) {
			const uint32_t *r = q->rows + q->start[c];
			for (size_t a = 0; a < m; a++)
				buf[a] = q->pb->p[(size_t)r[a] * k + c];
			v = npy_sum(buf, m, 1) / (double)m;
		}
		q->t[c] = v < 2e-6 ? 2e-6 : v;
	}
	free(buf);
}

void cl_thresholds_indexed(const struct cl_problem *pb, const size_t *nk,
			   const size_t *start, const uint32_t *rows, double *t)
{
	struct thr_pass q = { pb, nk, start, rows, t };
	size_t parts = cl_par_parts(pb->n);
	cl_par_run(pb->k, parts < pb->k ? parts : pb->k, thr_part, &q);
}

void cl_thresholds(const struct cl_problem *pb, double *t)
{
	size_t k = pb->k;
	size_t *nk = xmallocarray(k ? k : 1, sizeof *nk);
	size_t *start = xmallocarray(k + 1, sizeof *start);
	uint32_t *rows = xmallocarray(pb->n ? pb->n : 1, sizeof *rows);
	cl_class_index(pb, nk, start, rows);
	cl_thresholds_indexed(pb, nk, start, rows, t);
	free(nk);
	free(start);
	free(rows);
}

struct joint_pass {
	const struct cl_problem *pb;
	const double *cut;
	int *suggested;            /* n, or NULL */
	int64_t *cj[CL_PAR_MAX];   /* k*k per part */
	size_t *off[CL_PAR_MAX];   /* the part's off-diagonal rows, or NULL */
	size_t noff[CL_PAR_MAX];
	int bad[CL_PAR_MAX];       /* a value of the part outside V1's bounds */
};

static void joint_part(void *ctx, size_t lo, size_t hi, size_t part)
{
	struct joint_pass *q = ctx;
	const struct cl_problem *pb = q->pb;
	size_t k = pb->k, noff = 0;
	int64_t *cj = q->cj[part];
	size_t *off = q->off[part];
	int bad = 0;
	for (size_t i = lo; i < hi; i++) {
		const double *row = pb->p + i * k;
		size_t count = 0, guess = 0;
		/* without branches on the values: which classes pass their
		 * threshold is as good as random, so a branch would miss */
		for (size_t c = 0; c < k; c++) {
			double v = row[c];
			bad |= !((v >= CL_RANGE_LO) & (v <= CL_RANGE_HI));
			size_t ge = v >= q->cut[c];
			count += ge;
			guess = ge ? c : guess;
		}
		if (q->suggested) {
			size_t best = cl_argmax(row, k);
			q->suggested[i] = (int)best;
			if (count > 1)
				guess = best;
		} else if (count > 1) {
			guess = cl_argmax(row, k);
		}
		if (count == 0)
			continue;
		size_t given = (size_t)pb->labels[i];
		cj[given * k + guess]++;
		if (guess != given) {
			if (off)
				off[noff] = i;
			noff++;
		}
	}
	q->noff[part] = noff;
	q->bad[part] = bad;
}

size_t cl_joint_pass(const struct cl_problem *pb, const double *t, int64_t *cj,
		     size_t *off_rows, int *suggested, int *range_state)
{
	size_t n = pb->n, k = pb->k, total = 0;
	size_t parts = cl_par_parts(n * k);
	if (parts > n)
		parts = n ? n : 1;
	struct joint_pass q = { pb, NULL, suggested, { 0 }, { 0 }, { 0 }, { 0 } };
	double *cut = xmallocarray(k ? k : 1, sizeof *cut);
	for (size_t c = 0; c < k; c++)
		cut[c] = t[c] - 1e-6;
	q.cut = cut;
	for (size_t i = 0; i < parts; i++) {
		q.cj[i] = xcalloc(k ? k * k : 1, sizeof(int64_t));
		/* Part 0 writes straight into off_rows; the others into their own
		 * buffers, appended in part order below. */
		if (off_rows)
			q.off[i] = i == 0 ? off_rows :
				   xmallocarray(n / parts + 1, sizeof(size_t));
	}
	cl_par_run(n, parts, joint_part, &q);
	memset(cj, 0, k * k * sizeof *cj);
	if (range_state)
		*range_state = 1;
	for (size_t i = 0; i < parts; i++) {
		if (range_state && q.bad[i])
			*range_state = -1;
		for (size_t a = 0; a < k * k; a++)
			cj[a] += q.cj[i][a];
		if (off_rows && i > 0)
			memmove(off_rows + total, q.off[i], q.noff[i] * sizeof(size_t));
		total += q.noff[i];
		free(q.cj[i]);
		if (i > 0)
			free(q.off[i]);
	}
	for (size_t c = 0; c < k; c++)
		if (cj[c * k + c] < 1)
			cj[c * k + c] = 1;
	free(cut);
	return total;
}

size_t cl_confident_joint(const struct cl_problem *pb, const double *t,
			  int64_t *cj, size_t *off_rows)
{
	return cl_joint_pass(pb, t, cj, off_rows, NULL, NULL);
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
