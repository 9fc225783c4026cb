/* cl_stream.c — the scan in streaming passes over a row source (see
 * cl_stream.h for the passes and why their results equal cl_scan_run's). */
#include "cl_stream.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "cl_par.h"
#include "npy.h"
#include "util.h"

/* Rows per block: about 4 MB of doubles. */
#define BLOCK_VALUES ((size_t)1 << 19)

/* One selection: class c against column j (j == c: prune_by_class),
 * cnt rows, flagging into set 0 (noise rate) or 1 (by class). */
struct sel {
	size_t c, j, cnt;
	int set;
	int tied;
	double *keys;        /* pass 4: the class's keys in class order */
};

struct state {
	const struct cl_source *src;
	size_t n, k, parts;
	const struct cl_scan_params *prm;
	size_t *nk, *start;
	uint32_t *rows, *slot;   /* class index; slot[i]: i's place in it */
	/* pass 1 */
	double *own;             /* n: P[i][label], in class order */
	int *suggested;
	unsigned char *keep;
	double *score, *low;     /* n: rank_by score; the low_* method's score */
	enum cl_score low_sc;
	double logk;
	int bad_range[CL_PAR_MAX], bad_unit[CL_PAR_MAX];
	/* pass 2 */
	double *t, *cut, tmax;
	int64_t *cj_part[CL_PAR_MAX];
	uint32_t *off_part[CL_PAR_MAX];
	size_t noff_part[CL_PAR_MAX], offcap_part[CL_PAR_MAX];
	/* pass 3 and 4 */
	struct sel *sel;
	size_t nsel, *sel_start;     /* class c's selections: sel_start[c..c+1) */
	struct cl_heap *heaps[CL_PAR_MAX];   /* nsel per part */
	/* Pass 3's test, dense where a row's selections read it: a key enters
	 * heaps[part][s] only if below top[part][s] (the full heap's largest
	 * key, else +inf); sel_j[s] is sel[s].j. */
	double *top[CL_PAR_MAX];
	uint32_t *sel_j;
	int pass;
	double *tmp[CL_PAR_MAX];     /* k scratch per part */
};

typedef void (*row_fn)(struct state *st, size_t part, size_t i, const double *row);

struct pass_run {
	struct state *st;
	row_fn fn;
	int pass, passes;
	const unsigned char *need;   /* rows to read (NULL: every row) */
	int rc[CL_PAR_MAX];
	struct err err[CL_PAR_MAX];
};

static void pass_part(void *ctx, size_t lo, size_t hi, size_t part)
{
	struct pass_run *pr = ctx;
	struct state *st = pr->st;
	const struct cl_source *src = st->src;
	size_t k = st->k, block = BLOCK_VALUES / k ? BLOCK_VALUES / k : 1;
	double *buf = xmallocarray(block * k, sizeof *buf);
	pr->rc[part] = 0;
	for (size_t a = lo; a < hi && pr->rc[part] == 0; a += block) {
		size_t b = hi - a < block ? hi : a + block;
		/* the block's runs of needed rows (all of it without a mask) */
		for (size_t r0 = a, r1; r0 < b; r0 = r1) {
			while (pr->need && r0 < b && !pr->need[r0])
				r0++;
			for (r1 = r0; r1 < b && (!pr->need || pr->need[r1]); r1++)
				;
			if (r0 == r1)
				break;
			if (src->read(src->ctx, pr->pass, r0, r1, buf, &pr->err[part]) < 0) {
				pr->rc[part] = -1;
				break;
			}
			for (size_t i = r0; i < r1; i++)
				pr->fn(st, part, i, buf + (i - r0) * k);
		}
		if (src->release)
			src->release(src->ctx, a, b);
		if (part == 0 && src->progress)
			src->progress(src->ctx, pr->pass, pr->passes,
				      (double)(b - lo) / (double)(hi - lo));
	}
	free(buf);
}

/* One pass over every row (or the rows need marks); the first failing
 * range's error (in row order). */
static int run_pass_rows(struct state *st, row_fn fn, int pass, int passes,
			 const unsigned char *need, struct err *e)
{
	struct pass_run pr = { .st = st, .fn = fn, .pass = pass, .passes = passes,
			       .need = need };
	cl_par_run(st->n, st->parts, pass_part, &pr);
	for (size_t p = 0; p < st->parts; p++)
		if (pr.rc[p] < 0) {
			if (e)
				*e = pr.err[p];
			return -1;
		}
	return 0;
}

static int run_pass(struct state *st, row_fn fn, int pass, int passes, struct err *e)
{
	return run_pass_rows(st, fn, pass, passes, NULL, e);
}

static void pass1_row(struct state *st, size_t part, size_t i, const double *row)
{
	size_t k = st->k, l = (size_t)st->src->labels[i];
	int bad = 0, unit = 0;
	for (size_t j = 0; j < k; j++) {
		bad |= !(row[j] >= CL_RANGE_LO && row[j] <= CL_RANGE_HI);
		unit |= !(row[j] >= 0 && row[j] <= 1);
	}
	st->bad_range[part] |= bad;
	st->bad_unit[part] |= unit;
	st->own[st->start[l] + st->slot[i]] = row[l];
	st->suggested[i] = (int)cl_argmax(row, k);
	st->keep[i] = (unsigned char)cl_reduce_keeps(row, k, l);
	if (!st->prm->adjust)
		st->score[i] = cl_row_score(row, k, l, st->prm->rank_by, st->logk,
					    st->tmp[part]);
	if (st->low && st->low != st->score)
		st->low[i] = cl_row_score(row, k, l, st->low_sc, st->logk, st->tmp[part]);
}

static void pass2_row(struct state *st, size_t part, size_t i, const double *row)
{
	size_t k = st->k, given = (size_t)st->src->labels[i], count = 0, guess = 0;
	for (size_t c = 0; c < k; c++)
		if (row[c] >= st->cut[c]) {
			count++;
			guess = c;
		}
	if (count > 1)
		guess = (size_t)st->suggested[i];
	if (count) {
		st->cj_part[part][given * k + guess]++;
		if (guess != given) {
			if (st->noff_part[part] == st->offcap_part[part]) {
				st->offcap_part[part] = st->offcap_part[part] * 2 + 1024;
				st->off_part[part] = xrealloc(st->off_part[part],
							      st->offcap_part[part] * sizeof(uint32_t));
			}
			st->off_part[part][st->noff_part[part]++] = (uint32_t)i;
		}
	}
	if (st->prm->adjust) {
		double *tmp = st->tmp[part], *adj = tmp + k;
		cl_adjust_row(row, k, st->t, st->tmax, adj);
		st->score[i] = cl_row_score(adj, k, given, st->prm->rank_by, st->logk, tmp);
	}
}

static void pass3_row(struct state *st, size_t part, size_t i, const double *row)
{
	size_t c = (size_t)st->src->labels[i];
	double *top = st->top[part];
	for (size_t s = st->sel_start[c]; s < st->sel_start[c + 1]; s++) {
		double key = cl_prune_key(row, st->sel_j[s], c);
		if (key < top[s]) {
			struct cl_heap *h = &st->heaps[part][s];
			cl_heap_push(h, key, st->slot[i]);
			if (h->size == h->cap)
				top[s] = h->key[0];
		}
	}
}

static void pass4_row(struct state *st, size_t part, size_t i, const double *row)
{
	size_t c = (size_t)st->src->labels[i];
	(void)part;
	for (size_t s = st->sel_start[c]; s < st->sel_start[c + 1]; s++)
		if (st->sel[s].keys)
			st->sel[s].keys[st->slot[i]] = cl_prune_key(row, st->sel[s].j, c);
}

/* The selections of prune_by_noise_rate (set 0) and/or prune_by_class
 * (set 1), grouped by class, as cl_prune_select makes them. */
static void plan_selections(struct state *st, int noise, int by_class, const int64_t *pc)
{
	size_t k = st->k;
	st->sel = xmallocarray(k * k * 2 + 1, sizeof *st->sel);
	st->sel_start = xcalloc(k + 1, sizeof *st->sel_start);
	for (size_t c = 0; c < k; c++) {
		st->sel_start[c] = st->nsel;
		size_t m = st->nk[c];
		if (m <= 1)
			continue;
		for (int set = 0; set < 2; set++) {
			if ((set == 0 && !noise) || (set == 1 && !by_class))
				continue;
			for (size_t j = 0; j < k; j++) {
				int64_t cnt = set ? (j == c ? (int64_t)m - pc[c * k + c] : 0)
						  : (j == c ? 0 : pc[j * k + c]);
				if (cnt <= 0)
					continue;
				struct sel *s = &st->sel[st->nsel++];
				memset(s, 0, sizeof *s);
				s->c = c;
				s->j = j;
				s->set = set;
				s->cnt = (size_t)cnt < m ? (size_t)cnt : m;
			}
		}
	}
	st->sel_start[k] = st->nsel;
}

/* Passes 3 and 4: flag[set] for each selection. */
static int run_selections(struct state *st, unsigned char *flag[2], int passes,
			  struct err *e)
{
	st->sel_j = xmallocarray(st->nsel ? st->nsel : 1, sizeof *st->sel_j);
	for (size_t s = 0; s < st->nsel; s++)
		st->sel_j[s] = (uint32_t)st->sel[s].j;
	for (size_t p = 0; p < st->parts; p++) {
		st->heaps[p] = xmallocarray(st->nsel ? st->nsel : 1, sizeof(struct cl_heap));
		st->top[p] = xmallocarray(st->nsel ? st->nsel : 1, sizeof(double));
		for (size_t s = 0; s < st->nsel; s++) {
			cl_heap_init(&st->heaps[p][s], st->sel[s].cnt + 1);
			st->top[p][s] = INFINITY;
		}
	}
	int rc = run_pass(st, pass3_row, 3, passes, e);
	size_t tied_values = 0;
	for (size_t s = 0; rc == 0 && s < st->nsel; s++) {
		struct sel *sl = &st->sel[s];
		struct cl_heap merged;
		cl_heap_init(&merged, sl->cnt + 1);
		for (size_t p = 0; p < st->parts; p++)
			for (size_t a = 0; a < st->heaps[p][s].size; a++)
				cl_heap_push(&merged, st->heaps[p][s].key[a], st->heaps[p][s].pos[a]);
		if (cl_heap_flag(&merged, sl->cnt, st->rows + st->start[sl->c], flag[sl->set]) < 0) {
			sl->tied = 1;
			tied_values += st->nk[sl->c];
		}
		cl_heap_free(&merged);
	}
	for (size_t p = 0; p < st->parts; p++) {
		for (size_t s = 0; s < st->nsel; s++)
			cl_heap_free(&st->heaps[p][s]);
		free(st->heaps[p]);
		free(st->top[p]);
	}
	/* Tied cut-offs: the class's keys in full, in rounds of about n values
	 * (at least one selection a round), reading only the rows of the
	 * round's classes. */
	size_t budget = st->n, next = 0;
	unsigned char *need = tied_values ? xmallocarray(st->n ? st->n : 1, 1) : NULL;
	while (rc == 0 && tied_values) {
		size_t have = 0, first = next;
		for (; next < st->nsel; next++) {
			struct sel *sl = &st->sel[next];
			if (!sl->tied)
				continue;
			if (have && have + st->nk[sl->c] > budget)
				break;
			sl->keys = xmallocarray(st->nk[sl->c], sizeof(double));
			have += st->nk[sl->c];
		}
		memset(need, 0, st->n);
		for (size_t s = first; s < next; s++)
			if (st->sel[s].keys)
				for (size_t a = 0; a < st->nk[st->sel[s].c]; a++)
					need[st->rows[st->start[st->sel[s].c] + a]] = 1;
		rc = run_pass_rows(st, pass4_row, 4, passes, need, e);
		for (size_t s = first; s < next; s++) {
			struct sel *sl = &st->sel[s];
			if (!sl->keys)
				continue;
			size_t m = st->nk[sl->c];
			if (rc == 0) {
				struct cl_scratch sc;
				cl_scratch_init(&sc, m);
				cl_flag_smallest(sl->keys, m, sl->cnt, st->rows + st->start[sl->c],
						 flag[sl->set], &sc);
				cl_scratch_free(&sc);
			}
			free(sl->keys);
			sl->keys = NULL;
			tied_values -= m;
		}
	}
	free(need);
	return rc;
}

static void state_free(struct state *st)
{
	free(st->nk);
	free(st->start);
	free(st->rows);
	free(st->slot);
	free(st->own);
	free(st->suggested);
	free(st->keep);
	free(st->score);
	if (st->low != st->score)
		free(st->low);
	free(st->t);
	free(st->cut);
	for (size_t p = 0; p < CL_PAR_MAX; p++) {
		free(st->cj_part[p]);
		free(st->off_part[p]);
		free(st->tmp[p]);
	}
	free(st->sel);
	free(st->sel_j);
	free(st->sel_start);
}

/* Thresholds from the gathered own-class values (as cl_thresholds). */
static void thresholds(struct state *st)
{
	for (size_t c = 0; c < st->k; c++) {
		double v = 2.0;
		if (st->nk[c])
			v = npy_sum(st->own + st->start[c], st->nk[c], 1) / (double)st->nk[c];
		st->t[c] = v < 2e-6 ? 2e-6 : v;
	}
}

/* The computation kept with the scan, with no probabilities behind it. */
static struct cl_work *make_work(struct state *st, const int64_t *cj, const int64_t *cal,
				 const int64_t *pc, size_t *off, size_t noff)
{
	size_t k = st->k;
	struct cl_work *w = xcalloc(1, sizeof *w);
	w->problem.n = st->n;
	w->problem.k = k;
	w->problem.p = NULL;
	w->problem.labels = st->src->labels;
	w->pb = &w->problem;
	w->nk = st->nk;
	w->start = st->start;
	w->rows = st->rows;
	st->nk = NULL;
	st->start = NULL;
	st->rows = NULL;
	w->t = xmallocarray(k, sizeof *w->t);
	memcpy(w->t, st->t, k * sizeof *w->t);
	w->cj = xmallocarray(k * k, sizeof *w->cj);
	memcpy(w->cj, cj, k * k * sizeof *w->cj);
	w->cal = xmallocarray(k * k, sizeof *w->cal);
	memcpy(w->cal, cal, k * k * sizeof *w->cal);
	w->pc = xmallocarray(k * k, sizeof *w->pc);
	memcpy(w->pc, pc, k * k * sizeof *w->pc);
	w->off = off;
	w->noff = noff;
	w->range_state = 1;
	w->keep = st->keep;
	st->keep = NULL;
	return w;
}

static int low_method(enum cl_filter_by f)
{
	return f == CL_LOW_NORMALIZED_MARGIN || f == CL_LOW_SELF_CONFIDENCE;
}

/* The scan, or with work_only just passes 1 and 2 and out->work. */
static int stream(const struct cl_source *src, const struct cl_scan_params *prm,
		  int work_only, struct cl_scan *out, struct err *e)
{
	size_t n = src->n, k = src->k, n1 = n ? n : 1;
	memset(out, 0, sizeof *out);
	if (n > UINT32_MAX)
		return err_set(e, ERR_INPUT, "%zu examples: at most %u are supported", n, UINT32_MAX);
	if (n == 0 || k == 0)
		return err_set(e, ERR_INPUT, "no examples to scan");
	struct state st;
	memset(&st, 0, sizeof st);
	st.src = src;
	st.n = n;
	st.k = k;
	st.prm = prm;
	st.parts = cl_par_parts(n * k);
	if (st.parts > n)
		st.parts = n;
	st.logk = log((double)k);
	struct cl_problem lab = { n, k, NULL, src->labels };
	st.nk = xcalloc(k, sizeof *st.nk);
	st.start = xcalloc(k + 1, sizeof *st.start);
	st.rows = xmallocarray(n1, sizeof *st.rows);
	cl_class_index(&lab, st.nk, st.start, st.rows);
	st.slot = xmallocarray(n1, sizeof *st.slot);
	for (size_t c = 0; c < k; c++)
		for (size_t a = st.start[c]; a < st.start[c + 1]; a++)
			st.slot[st.rows[a]] = (uint32_t)(a - st.start[c]);
	st.own = xmallocarray(n1, sizeof *st.own);
	st.suggested = xmallocarray(n1, sizeof *st.suggested);
	st.keep = xmallocarray(n1, 1);
	st.score = xmallocarray(n1, sizeof *st.score);
	enum cl_filter_by f = prm->filter_by;
	if (low_method(f)) {
		st.low_sc = f == CL_LOW_SELF_CONFIDENCE ? CL_SELF_CONFIDENCE : CL_NORMALIZED_MARGIN;
		st.low = !prm->adjust && prm->rank_by == st.low_sc ? st.score :
			 xmallocarray(n1, sizeof *st.low);
	}
	for (size_t p = 0; p < st.parts; p++)
		st.tmp[p] = xmallocarray(2 * k, sizeof(double));
	int prune = !work_only && (f == CL_PRUNE_BY_NOISE_RATE || f == CL_PRUNE_BY_CLASS ||
				   f == CL_BOTH);
	int passes = 2 + prune;
	unsigned char *flag = NULL, *other = NULL;
	size_t *off = NULL;
	int64_t *cj = NULL, *cal = NULL, *pc = NULL;
	int rc = -1;

	/* Pass 1, then validation in cl_scan_run's order. */
	if (run_pass(&st, pass1_row, 1, passes, e) < 0)
		goto out;
	int bad_range = 0, bad_unit = 0;
	for (size_t p = 0; p < st.parts; p++) {
		bad_range |= st.bad_range[p];
		bad_unit |= st.bad_unit[p];
	}
	if (bad_range && !work_only) {
		err_set(e, ERR_INPUT, CL_MSG_RANGE);
		goto out;
	}
	int exempt = f != CL_PREDICTED_NEQ_GIVEN && !low_method(f);
	if (work_only) {
		/* no validation: the summaries validate as cleanlab does */
	} else if (cl_check_two_classes(&lab, exempt, e) < 0 ||
	    (low_method(f) && cl_check_two_classes(&lab, 0, e) < 0))
		goto out;
	if (!work_only && prm->rank_by == CL_CONFIDENCE_WEIGHTED_ENTROPY) {
		if (prm->adjust) {
			err_set(e, ERR_INPUT, "adjust_pred_probs is not currently supported "
				"for confidence_weighted_entropy.");
			goto out;
		}
		if (bad_unit) {
			err_set(e, ERR_INPUT, "All probabilities are required to be in the "
				"interval [0, 1].");
			goto out;
		}
	}
	st.t = xmallocarray(k, sizeof *st.t);
	thresholds(&st);
	st.cut = xmallocarray(k, sizeof *st.cut);
	st.tmax = st.t[0];
	for (size_t c = 0; c < k; c++) {
		st.cut[c] = st.t[c] - 1e-6;
		if (st.t[c] > st.tmax)
			st.tmax = st.t[c];
	}

	/* Pass 2: the confident joint (and adjusted scores). */
	for (size_t p = 0; p < st.parts; p++)
		st.cj_part[p] = xcalloc(k * k, sizeof(int64_t));
	if (run_pass(&st, pass2_row, 2, passes, e) < 0)
		goto out;
	cj = xcalloc(k * k, sizeof *cj);
	size_t noff = 0;
	for (size_t p = 0; p < st.parts; p++) {
		for (size_t a = 0; a < k * k; a++)
			cj[a] += st.cj_part[p][a];
		noff += st.noff_part[p];
	}
	for (size_t c = 0; c < k; c++)
		if (cj[c * k + c] < 1)
			cj[c * k + c] = 1;
	off = xmallocarray(noff ? noff : 1, sizeof *off);
	for (size_t p = 0, at = 0; p < st.parts; p++)
		for (size_t a = 0; a < st.noff_part[p]; a++)
			off[at++] = st.off_part[p][a];
	cal = xmallocarray(k * k, sizeof *cal);
	cl_calibrate(k, cj, st.nk, cal);
	pc = xmallocarray(k * k, sizeof *pc);
	cl_prune_counts(k, cal, pc);
	if (work_only) {
		out->n = n;
		out->k = k;
		out->work = make_work(&st, cj, cal, pc, off, noff);
		out->work->range_state = bad_range ? -1 : 1;
		off = NULL;
		rc = 0;
		goto out;
	}

	/* find_label_issues. */
	flag = xcalloc(n1, 1);
	if (prune) {
		other = f == CL_BOTH ? xcalloc(n1, 1) : NULL;
		plan_selections(&st, f != CL_PRUNE_BY_CLASS, f != CL_PRUNE_BY_NOISE_RATE, pc);
		unsigned char *sets[2] = { flag, other ? other : flag };
		if (run_selections(&st, sets, passes, e) < 0)
			goto out;
		if (other)
			for (size_t i = 0; i < n; i++)
				flag[i] = flag[i] && other[i];
	} else if (f == CL_CONFIDENT_LEARNING) {
		for (size_t a = 0; a < noff; a++)
			flag[off[a]] = 1;
	} else if (f == CL_PREDICTED_NEQ_GIVEN) {
		for (size_t i = 0; i < n; i++)
			flag[i] = st.suggested[i] != src->labels[i];
	} else {
		size_t m = 0;
		for (size_t a = 0; a < noff; a++)
			m += st.keep[off[a]];
		struct cl_scratch sc;
		cl_scratch_init(&sc, n);
		cl_flag_smallest(st.low, n, m, NULL, flag, &sc);
		cl_scratch_free(&sc);
	}
	if (!low_method(f))
		for (size_t i = 0; i < n; i++)
			if (flag[i])
				flag[i] = st.keep[i];

	/* The scan's result, as cl_scan_run assembles it. */
	out->n = n;
	out->k = k;
	out->thresholds = xmallocarray(k, sizeof(double));
	memcpy(out->thresholds, st.t, k * sizeof(double));
	out->cj_raw = xmallocarray(k * k, sizeof(int64_t));
	memcpy(out->cj_raw, cj, k * k * sizeof(int64_t));
	out->cj = xmallocarray(k * k, sizeof(int64_t));
	memcpy(out->cj, cal, k * k * sizeof(int64_t));
	out->suggested = st.suggested;
	st.suggested = NULL;
	out->scores = st.score;
	if (st.low == st.score)
		st.low = NULL;
	st.score = NULL;
	out->flagged = flag;
	flag = NULL;
	for (size_t i = 0; i < n; i++)
		out->n_flagged += out->flagged[i];
	out->ranked = xmallocarray(n1, sizeof(size_t));
	if (prm->all) {
		npy_argsort(out->scores, n, out->ranked);
		out->n_ranked = n;
	} else {
		out->n_ranked = cl_order_issues(&lab, out->flagged, out->scores, out->ranked);
		out->ranked = xrealloc(out->ranked, (out->n_ranked ? out->n_ranked : 1) *
				       sizeof(size_t));
	}
	out->work = make_work(&st, cj, cal, pc, off, noff);
	off = NULL;
	rc = 0;
out:
	free(flag);
	free(other);
	free(off);
	free(cj);
	free(cal);
	free(pc);
	state_free(&st);
	return rc;
}

int cl_scan_stream(const struct cl_source *src, const struct cl_scan_params *prm,
		   struct cl_scan *out, struct err *e)
{
	return stream(src, prm, 0, out, e);
}

struct cl_work *cl_work_stream(const struct cl_source *src, struct err *e)
{
	struct cl_scan_params prm = { CL_CONFIDENT_LEARNING, CL_SELF_CONFIDENCE, 0, 0, 0 };
	struct cl_scan s;
	if (stream(src, &prm, 1, &s, e) < 0)
		return NULL;
	return s.work;
}
