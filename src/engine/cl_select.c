/* cl_select.c — the pruning selections of find_label_issues done in one
 * streaming pass per class (ALGORITHM.md §6.2).
 *
 * For class c and each suggested class j, prune_by_noise_rate flags the cnt
 * rows of class c with the smallest keys -(P[j] - P[c]); prune_by_class
 * (j == c here) the cnt rows with the smallest P[c]. A bounded max-heap keeps
 * the cnt + 1 smallest keys of each selection while the class's rows stream
 * by in cache-sized blocks. If the cnt-th and (cnt+1)-th smallest keys differ,
 * the heap holds exactly the rows any argsort would select; if they are tied,
 * the selection is redone with numpy's exact argsort, which decides ties.
 * Classes are independent (each flags only its own rows), so they are
 * shared out across cores.
 *
 * cl_flag_smallest, the same selection over one array, is done with a
 * partial selection when the key at the cut-off is not tied (the selected
 * set is then the same whatever the sort), and with numpy's exact argsort
 * when it is.
 */
#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "npy.h"
#include "util.h"

#include "cl_par.h"

/* Rows gathered at a time: about 512 KB of probabilities (at least 64 rows). */
#define BLOCK_VALUES 65536
#define block_rows(k) ((k) < BLOCK_VALUES / 64 ? BLOCK_VALUES / (k) : 64)

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

void cl_heap_init(struct cl_heap *h, size_t cap)
{
	h->cap = cap;
	h->size = 0;
	h->key = xmallocarray(cap ? cap : 1, sizeof(double));
	h->pos = xmallocarray(cap ? cap : 1, sizeof(size_t));
}

void cl_heap_free(struct cl_heap *h)
{
	free(h->key);
	free(h->pos);
}

static void heap_sift_down(struct cl_heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, big = i;
		if (l < h->size && h->key[l] > h->key[big])
			big = l;
		if (r < h->size && h->key[r] > h->key[big])
			big = r;
		if (big == i)
			return;
		double tk = h->key[i];
		size_t tp = h->pos[i];
		h->key[i] = h->key[big];
		h->pos[i] = h->pos[big];
		h->key[big] = tk;
		h->pos[big] = tp;
		i = big;
	}
}

void cl_heap_push(struct cl_heap *h, double key, size_t pos)
{
	if (h->size == h->cap) {
		if (!(key < h->key[0]))
			return;
		h->key[0] = key;
		h->pos[0] = pos;
		heap_sift_down(h, 0);
		return;
	}
	size_t i = h->size++;
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (!(h->key[up] < key))
			break;
		h->key[i] = h->key[up];
		h->pos[i] = h->pos[up];
		i = up;
	}
	h->key[i] = key;
	h->pos[i] = pos;
}

int cl_heap_flag(const struct cl_heap *h, size_t cnt, const uint32_t *rows,
		 unsigned char *flag)
{
	if (h->size <= cnt) {             /* fewer rows than cnt: all of them */
		for (size_t a = 0; a < h->size; a++)
			flag[rows ? rows[h->pos[a]] : h->pos[a]] = 1;
		return 0;
	}
	double w = h->key[0], v = h->key[1];
	if (h->size > 2 && h->key[2] > v)
		v = h->key[2];
	if (!(v < w))
		return -1;
	for (size_t a = 1; a < h->size; a++)
		flag[rows ? rows[h->pos[a]] : h->pos[a]] = 1;
	return 0;
}

/* One selection: flag the first cnt positions of argsort(keys). */
struct pick {
	size_t j, cnt;
	struct cl_heap h;
};

static void pick_exact(const struct cl_work *w, size_t c, struct pick *pk,
		       unsigned char *flag, struct cl_scratch *s)
{
	size_t k = w->pb->k, m = w->nk[c];
	const uint32_t *rows = w->rows + w->start[c];
	for (size_t p = 0; p < m; p++)
		s->key[p] = cl_prune_key(w->pb->p + (size_t)rows[p] * k, pk->j, c);
	cl_flag_smallest(s->key, m, pk->cnt, rows, flag, s);
}

/* Run the selections picks[0..np-1] over class c's rows. */
static void select_class(const struct cl_work *w, size_t c, struct pick *picks,
			 size_t np, unsigned char *flag, struct cl_scratch *s,
			 double *block)
{
	size_t k = w->pb->k, m = w->nk[c];
	const uint32_t *rows = w->rows + w->start[c];
	size_t rows_at_once = block_rows(k);
	for (size_t b = 0; b < m; b += rows_at_once) {
		size_t len = m - b < rows_at_once ? m - b : rows_at_once;
		for (size_t p = 0; p < len; p++)
			memcpy(block + p * k, w->pb->p + (size_t)rows[b + p] * k, k * sizeof(double));
		for (size_t a = 0; a < np; a++) {
			struct cl_heap *h = &picks[a].h;
			size_t j = picks[a].j;
			for (size_t p = 0; p < len; p++)
				cl_heap_offer(h, cl_prune_key(block + p * k, j, c), b + p);
		}
	}
	for (size_t a = 0; a < np; a++)
		if (cl_heap_flag(&picks[a].h, picks[a].cnt, rows, flag) < 0)
			pick_exact(w, c, &picks[a], flag, s);
}

struct select_pass {
	const struct cl_work *w;
	int by_class;
	unsigned char *flag;
};

/* The selections of classes [lo, hi), with scratch of their largest size. */
static void select_part(void *ctx, size_t lo, size_t hi, size_t part)
{
	struct select_pass *q = ctx;
	const struct cl_work *w = q->w;
	size_t k = w->pb->k, most = 1;
	(void)part;
	for (size_t c = lo; c < hi; c++)
		if (w->nk[c] > most)
			most = w->nk[c];
	struct cl_scratch s;
	cl_scratch_init(&s, most);
	struct pick *picks = xcalloc(k, sizeof *picks);
	double *block = xmallocarray(block_rows(k) * k, sizeof *block);
	for (size_t c = lo; c < hi; c++) {
		size_t m = w->nk[c], np = 0;
		if (m <= 1)
			continue;
		for (size_t j = 0; j < k; j++) {
			int64_t cnt = q->by_class ? (j == c ? (int64_t)m - w->pc[c * k + c] : 0)
						  : (j == c ? 0 : w->pc[j * k + c]);
			if (cnt <= 0)
				continue;
			struct pick *pk = &picks[np++];
			pk->j = j;
			pk->cnt = (size_t)cnt < m ? (size_t)cnt : m;
			cl_heap_init(&pk->h, pk->cnt + 1);
		}
		select_class(w, c, picks, np, q->flag, &s, block);
		for (size_t a = 0; a < np; a++)
			cl_heap_free(&picks[a].h);
	}
	free(picks);
	free(block);
	cl_scratch_free(&s);
}

/* by_class = 0: prune_by_noise_rate; 1: prune_by_class. */
void cl_prune_select(const struct cl_work *w, int by_class, unsigned char *flag)
{
	size_t k = w->pb->k, parts = cl_par_parts(w->pb->n * k);
	struct select_pass q = { w, by_class, flag };
	cl_par_run(k, parts < k ? parts : k, select_part, &q);
}
