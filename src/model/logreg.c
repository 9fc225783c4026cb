/* logreg.c — L-BFGS and the multinomial logistic loss (see logreg.h). */
#include "logreg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define HISTORY 7

static double dot(const double *a, const double *b, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

static double maxabs(const double *a, size_t n)
{
	double m = 0;
	for (size_t i = 0; i < n; i++)
		if (fabs(a[i]) > m)
			m = fabs(a[i]);
	return m;
}

/* d = -H g by the two-loop recursion over the stored pairs. */
static void direction(size_t n, const double *g, double *d, double **S, double **Y,
		      const double *rho, int have, int newest, double *alpha)
{
	for (size_t i = 0; i < n; i++)
		d[i] = -g[i];
	for (int k = 0; k < have; k++) {
		int j = (newest - k + HISTORY) % HISTORY;
		alpha[j] = rho[j] * dot(S[j], d, n);
		for (size_t i = 0; i < n; i++)
			d[i] -= alpha[j] * Y[j][i];
	}
	if (have) {
		double gamma = dot(S[newest], Y[newest], n) / dot(Y[newest], Y[newest], n);
		for (size_t i = 0; i < n; i++)
			d[i] *= gamma;
	}
	for (int k = have - 1; k >= 0; k--) {
		int j = (newest - k + HISTORY) % HISTORY;
		double b = rho[j] * dot(Y[j], d, n);
		for (size_t i = 0; i < n; i++)
			d[i] += S[j][i] * (alpha[j] - b);
	}
}

int lbfgs_minimize(size_t n, double *x, lbfgs_fg fg, void *ctx, int max_iter, double tol,
		   double ftol, volatile sig_atomic_t *stop, double *fx)
{
	double *g = xcalloc(n, sizeof *g), *d = xmallocarray(n, sizeof *d);
	double *xn = xmallocarray(n, sizeof *xn), *gn = xmallocarray(n, sizeof *gn);
	double *S[HISTORY], *Y[HISTORY], rho[HISTORY], alpha[HISTORY];
	for (int k = 0; k < HISTORY; k++) {
		S[k] = xmallocarray(n, sizeof(double));
		Y[k] = xmallocarray(n, sizeof(double));
	}
	double f = fg(x, g, ctx);
	int have = 0, newest = HISTORY - 1, it;
	for (it = 0; it < max_iter; it++) {
		if (stop && *stop) {
			it = -1;
			break;
		}
		if (maxabs(g, n) < tol)
			break;
		direction(n, g, d, S, Y, rho, have, newest, alpha);
		double gd = dot(g, d, n);
		if (gd >= 0) {          /* not a descent direction: restart */
			have = 0;
			for (size_t i = 0; i < n; i++)
				d[i] = -g[i];
			gd = dot(g, d, n);
		}
		double step = have ? 1.0 : 1.0 / sqrt(dot(g, g, n)), fnew = f;
		int ok = 0;
		for (int ls = 0; ls < 40; ls++, step *= 0.5) {
			for (size_t i = 0; i < n; i++)
				xn[i] = x[i] + step * d[i];
			fnew = fg(xn, gn, ctx);
			if (fnew <= f + 1e-4 * step * gd) {
				ok = 1;
				break;
			}
		}
		if (!ok)
			break;
		newest = (newest + 1) % HISTORY;
		for (size_t i = 0; i < n; i++) {
			S[newest][i] = xn[i] - x[i];
			Y[newest][i] = gn[i] - g[i];
		}
		double sy = dot(S[newest], Y[newest], n);
		if (sy > 1e-12) {
			rho[newest] = 1.0 / sy;
			if (have < HISTORY)
				have++;
		} else {
			newest = (newest + HISTORY - 1) % HISTORY;
		}
		double rel = (f - fnew) / fmax(fmax(fabs(f), fabs(fnew)), 1.0);
		memcpy(x, xn, n * sizeof *x);
		memcpy(g, gn, n * sizeof *g);
		f = fnew;
		if (rel < ftol)
			break;
	}
	if (fx)
		*fx = f;
	for (int k = 0; k < HISTORY; k++) {
		free(S[k]);
		free(Y[k]);
	}
	free(g);
	free(d);
	free(xn);
	free(gn);
	return it;
}

struct lr_ctx {
	const struct fmatrix *X;
	const size_t *rows;
	size_t nrows, k;
	const int *y;
	double C;
	double *z;
};

/* Weights are stored feature-major: w[j*k + c] for feature j and class c,
 * then the k intercepts, so one sparse entry touches k adjacent values. */
static double lr_fg(const double *w, double *g, void *arg)
{
	struct lr_ctx *c = arg;
	size_t k = c->k, d = c->X->d;
	const struct fmatrix *X = c->X;
	const double *b = w + d * k;
	double f = 0, *z = c->z;
	memset(g, 0, (d + 1) * k * sizeof *g);
	double *gb = g + d * k;
	for (size_t r = 0; r < c->nrows; r++) {
		size_t i = c->rows[r];
		memcpy(z, b, k * sizeof *z);
		for (size_t a = X->rowptr[i]; a < X->rowptr[i + 1]; a++) {
			const double *wj = w + (size_t)X->col[a] * k;
			double v = X->val[a];
			for (size_t cl = 0; cl < k; cl++)
				z[cl] += wj[cl] * v;
		}
		double mx = z[0], sum = 0;
		for (size_t cl = 1; cl < k; cl++)
			mx = fmax(mx, z[cl]);
		for (size_t cl = 0; cl < k; cl++)
			sum += exp(z[cl] - mx);
		double lse = mx + log(sum);
		f += lse - z[c->y[i]];
		for (size_t cl = 0; cl < k; cl++) {
			z[cl] = exp(z[cl] - lse) - (cl == (size_t)c->y[i]);
			gb[cl] += z[cl];
		}
		for (size_t a = X->rowptr[i]; a < X->rowptr[i + 1]; a++) {
			double *gj = g + (size_t)X->col[a] * k, v = X->val[a];
			for (size_t cl = 0; cl < k; cl++)
				gj[cl] += z[cl] * v;
		}
	}
	for (size_t j = 0; j < d * k; j++) {
		f += w[j] * w[j] / (2 * c->C);
		g[j] += w[j] / c->C;
	}
	return f;
}

int lr_train(const struct fmatrix *X, const size_t *rows, size_t nrows, const int *y,
	     size_t k, const struct lr_opts *o, struct lr_model *out)
{
	out->k = k;
	out->d = X->d;
	out->w = xcalloc(k * (X->d + 1), sizeof *out->w);
	if (o->init)
		memcpy(out->w, o->init, k * (X->d + 1) * sizeof *out->w);
	struct lr_ctx c = { X, rows, nrows, k, y, o->C, xmallocarray(k, sizeof(double)) };
	int it = lbfgs_minimize(k * (X->d + 1), out->w, lr_fg, &c, o->max_iter, o->tol,
				1e-6, o->stop, &out->objective);
	free(c.z);
	out->iterations = it;
	return it < 0 ? -1 : 0;
}

void lr_predict(const struct lr_model *m, const struct fmatrix *X, size_t row, double *p)
{
	size_t k = m->k;
	double mx = -INFINITY, sum = 0;
	memcpy(p, m->w + m->d * k, k * sizeof *p);
	for (size_t a = X->rowptr[row]; a < X->rowptr[row + 1]; a++) {
		const double *wj = m->w + (size_t)X->col[a] * k;
		for (size_t cl = 0; cl < k; cl++)
			p[cl] += wj[cl] * X->val[a];
	}
	for (size_t cl = 0; cl < k; cl++)
		mx = fmax(mx, p[cl]);
	for (size_t cl = 0; cl < k; cl++)
		sum += (p[cl] = exp(p[cl] - mx));
	for (size_t cl = 0; cl < k; cl++)
		p[cl] /= sum;
}

void lr_free(struct lr_model *m)
{
	if (m) {
		free(m->w);
		m->w = NULL;
	}
}
