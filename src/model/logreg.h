/* logreg.h — multinomial logistic regression with an L2 penalty, fitted by
 * L-BFGS (pure; deterministic: no randomness at all).
 *
 * Minimises sum_i -log softmax(W x_i + b)[y_i] + ||W||^2 / (2C), the
 * intercepts b unpenalised (the objective scikit-learn's LogisticRegression
 * uses), until the largest gradient entry is below tol, the objective stops
 * improving, max_iter iterations pass, or *stop becomes non-zero.
 */
#ifndef RELABEL_LOGREG_H
#define RELABEL_LOGREG_H

#include <signal.h>
#include <stddef.h>

#include "featurize.h"

struct lr_opts {
	double C;
	int max_iter;
	double tol;
	volatile sig_atomic_t *stop;   /* may be NULL */
	const double *init;   /* start from these (d + 1) * k weights; NULL = zeros */
};

struct lr_model {
	size_t k, d;
	double *w;         /* (d + 1) * k: feature j's k weights at w[j*k], then the k intercepts */
	int iterations;
	double objective;
};

/* Fit on the rows listed (labels y[row] in 0..k-1). Returns 0, or -1 when
 * stopped. */
int lr_train(const struct fmatrix *X, const size_t *rows, size_t nrows, const int *y,
	     size_t k, const struct lr_opts *o, struct lr_model *out);
/* Class probabilities of one row of X. */
void lr_predict(const struct lr_model *m, const struct fmatrix *X, size_t row, double *p);
void lr_free(struct lr_model *m);

/* General L-BFGS (exposed for tests): minimise f over x[0..n-1]; fg
 * returns f(x) and fills g. Stops when max |g| < gtol, when an iteration
 * improves f by less than ftol relative to max(|f|, 1), after max_iter
 * iterations, or when *stop is set. Returns the iterations used, or -1 if
 * stopped. */
typedef double (*lbfgs_fg)(const double *x, double *g, void *ctx);
int lbfgs_minimize(size_t n, double *x, lbfgs_fg fg, void *ctx, int max_iter, double gtol,
		   double ftol, volatile sig_atomic_t *stop, double *fx);

#endif
