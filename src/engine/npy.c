/* npy.c — numpy 1.24's summation order and argsort, reproduced exactly.
 *
 * Summation: numpy reduces a contiguous run in blocks of 8192 elements, each
 * block summed pairwise (8 accumulators up to 128 elements, halving above),
 * and accumulates the blocks left to right from 0.0.
 * Argsort: numpy's aquicksort — median-of-three quicksort on index arrays,
 * insertion sort for ranges of at most 16 elements, heapsort when the depth
 * budget 2*floor(log2 n) runs out; the smaller side is processed first.
 */
#include "npy.h"

#include <math.h>

#define BLOCK 8192

static double pairwise(const double *a, size_t n, size_t s)
{
	if (n < 8) {
		double r = 0.0;
		for (size_t i = 0; i < n; i++)
			r += a[i * s];
		return r;
	}
	if (n <= 128) {
		double r[8];
		for (int m = 0; m < 8; m++)
			r[m] = a[m * s];
		size_t i;
		for (i = 8; i < n - (n % 8); i += 8)
			for (int m = 0; m < 8; m++)
				r[m] += a[(i + m) * s];
		double res = ((r[0] + r[1]) + (r[2] + r[3])) +
			     ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			res += a[i * s];
		return res;
	}
	size_t h = n / 2;
	h -= h % 8;
	return pairwise(a, h, s) + pairwise(a + h * s, n - h, s);
}

double npy_sum(const double *a, size_t n, size_t stride)
{
	double acc = 0.0;
	for (size_t off = 0; off < n; off += BLOCK) {
		size_t len = n - off < BLOCK ? n - off : BLOCK;
		acc = acc + pairwise(a + off * stride, len, stride);
	}
	if (n == 0)
		return 0.0;
	return acc;
}

double npy_sum_seq(const double *a, size_t n, size_t stride)
{
	if (n == 0)
		return 0.0;
	double r = a[0];
	for (size_t i = 1; i < n; i++)
		r = r + a[i * stride];
	return r;
}

double npy_rint(double x)
{
	return nearbyint(x);
}

#define LT(a, b) (v[a] < v[b])
#define SWAP(x, y) do { size_t t_ = (x); (x) = (y); (y) = t_; } while (0)

/* Sift tmp down from position i of the 1-based heap a[1..m]. */
static void sift(const double *v, size_t *a, size_t i, size_t m, size_t tmp)
{
	for (size_t j = i << 1; j <= m;) {
		if (j < m && LT(a[j], a[j + 1]))
			j++;
		if (!LT(tmp, a[j]))
			break;
		a[i] = a[j];
		i = j;
		j += j;
	}
	a[i] = tmp;
}

/* Heapsort of a[0..m-1] (numpy's aheapsort, written 1-based). */
static void heapsort_idx(const double *v, size_t *a0, size_t m)
{
	size_t *a = a0 - 1;
	for (size_t l = m >> 1; l > 0; --l)
		sift(v, a, l, m, a[l]);
	while (m > 1) {
		size_t tmp = a[m];
		a[m] = a[1];
		m -= 1;
		sift(v, a, 1, m, tmp);
	}
}

static int msb(size_t n)
{
	int d = 0;
	while (n >>= 1)
		d++;
	return d;
}

void npy_argsort_inplace(const double *v, size_t *idx, size_t num)
{
	if (num < 2)
		return;
	size_t *pl = idx, *pr = idx + num - 1;
	size_t *stack[2 * 64 + 8], **sptr = stack;
	int depth[64 + 8], *psdepth = depth;
	int cdepth = msb(num) * 2;
	size_t *pm, *pi, *pj, *pk, vi;
	double vp;

	for (;;) {
		if (cdepth < 0) {
			heapsort_idx(v, pl, (size_t)(pr - pl) + 1);
			goto stack_pop;
		}
		while ((pr - pl) > 15) {
			pm = pl + ((pr - pl) >> 1);
			if (LT(*pm, *pl)) SWAP(*pm, *pl);
			if (LT(*pr, *pm)) SWAP(*pr, *pm);
			if (LT(*pm, *pl)) SWAP(*pm, *pl);
			vp = v[*pm];
			pi = pl;
			pj = pr - 1;
			SWAP(*pm, *pj);
			for (;;) {
				do
					++pi;
				while (v[*pi] < vp);
				do
					--pj;
				while (vp < v[*pj]);
				if (pi >= pj)
					break;
				SWAP(*pi, *pj);
			}
			pk = pr - 1;
			SWAP(*pi, *pk);
			if (pi - pl < pr - pi) {
				*sptr++ = pi + 1;
				*sptr++ = pr;
				pr = pi - 1;
			} else {
				*sptr++ = pl;
				*sptr++ = pi - 1;
				pl = pi + 1;
			}
			*psdepth++ = --cdepth;
		}
		for (pi = pl + 1; pi <= pr; ++pi) {
			vi = *pi;
			vp = v[vi];
			pj = pi;
			pk = pi - 1;
			while (pj > pl && vp < v[*pk])
				*pj-- = *pk--;
			*pj = vi;
		}
stack_pop:
		if (sptr == stack)
			break;
		pr = *(--sptr);
		pl = *(--sptr);
		cdepth = *(--psdepth);
	}
}

void npy_argsort(const double *v, size_t n, size_t *idx)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	npy_argsort_inplace(v, idx, n);
}
