/* npy.h — the numpy 1.24 primitives whose exact behaviour cleanlab's numbers
 * depend on: pairwise summation, the unstable introsort argsort, and
 * round-half-to-even. Pure functions; no allocation except where stated.
 */
#ifndef RELABEL_NPY_H
#define RELABEL_NPY_H

#include <stddef.h>

/* np.sum of n doubles a[0], a[stride], ... as one contiguous run (pairwise,
 * 8-way unrolled, 8192-element blocks). stride is in elements. */
double npy_sum(const double *a, size_t n, size_t stride);

/* Sequential sum ((a0 + a1) + a2) + ... — numpy's order along a
 * non-contiguous axis. */
double npy_sum_seq(const double *a, size_t n, size_t stride);

/* numpy's default argsort ("quicksort" = introsort, not stable) of v[0..n-1]:
 * fills idx with a permutation such that v[idx[.]] ascends, breaking ties
 * exactly as numpy does. */
void npy_argsort(const double *v, size_t n, size_t *idx);

/* The same over an existing index array: sorts idx[0..n-1] by v[idx[.]]
 * (numpy's algorithm applied to the given starting order). */
void npy_argsort_inplace(const double *v, size_t *idx, size_t n);

/* np.rint: round half to even. */
double npy_rint(double x);

#endif
