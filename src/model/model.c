/* model.c — cross-validated out-of-fold probabilities (see model.h). Each
 * fold trains on the other folds' rows and predicts its own; worker threads
 * take folds from a shared counter, and the main thread reports progress. */
#include "model.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logreg.h"
#include "progress.h"
#include "util.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static unsigned long long next(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

void model_folds(const int *labels, size_t n, size_t k, int folds, unsigned long seed,
		 int *fold)
{
	unsigned long long s = 0x9E3779B97F4A7C15ull ^ (seed * 2654435761ull + 1);
	size_t *rows = xmallocarray(n ? n : 1, sizeof *rows);
	int offset = 0;
	for (size_t c = 0; c < k; c++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if ((size_t)labels[i] == c)
				rows[m++] = i;
		for (size_t i = m; i > 1; i--) {     /* Fisher-Yates */
			size_t j = (size_t)(next(&s) % i);
			size_t t = rows[i - 1];
			rows[i - 1] = rows[j];
			rows[j] = t;
		}
		/* deal round-robin, continuing where the last class stopped so
		 * fold sizes stay even */
		for (size_t i = 0; i < m; i++)
			fold[rows[i]] = (int)((i + (size_t)offset) % (size_t)folds);
		offset = (int)((m + (size_t)offset) % (size_t)folds);
	}
	free(rows);
}

struct job {
	struct dataset *d;
	const struct fmatrix *X;
	const int *fold;
	int folds;
	struct lr_opts lr;
	pthread_mutex_t mu;
	int next_fold, done;
	size_t rows_done;
	int failed;
	double *acc;
};

static void run_fold(struct job *j, int f)
{
	struct dataset *d = j->d;
	size_t ntrain = 0, ntest = 0, correct = 0;
	size_t *train = xmallocarray(d->n, sizeof *train), *test = xmallocarray(d->n, sizeof *test);
	for (size_t i = 0; i < d->n; i++) {
		if (j->fold[i] == f)
			test[ntest++] = i;
		else
			train[ntrain++] = i;
	}
	struct lr_model m;
	int rc = lr_train(j->X, train, ntrain, d->labels, d->k, &j->lr, &m);
	for (size_t a = 0; rc == 0 && a < ntest; a++) {
		double *p = d->probs + test[a] * d->k;
		lr_predict(&m, j->X, test[a], p);
		size_t best = 0;
		for (size_t c = 1; c < d->k; c++)
			if (p[c] > p[best])
				best = c;
		correct += (int)best == d->labels[test[a]];
	}
	lr_free(&m);
	pthread_mutex_lock(&j->mu);
	j->done++;
	j->rows_done += ntrain;
	j->failed |= rc < 0;
	j->acc[f] = ntest ? (double)correct / (double)ntest : 0;
	pthread_mutex_unlock(&j->mu);
	free(train);
	free(test);
}

static void *worker(void *arg)
{
	struct job *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->mu);
		int f = j->next_fold < j->folds && !j->failed ? j->next_fold++ : -1;
		pthread_mutex_unlock(&j->mu);
		if (f < 0)
			return NULL;
		run_fold(j, f);
	}
}

/* ---- Choosing the settings: a small inner validation. ---------------
 * Inside the first fold's training part (rows not in fold 0), a stratified
 * fifth (model_folds with the seed + 1) is held out; every candidate -- C
 * in {0.1, 1, 10} (unless given) times, for text, words with or without
 * bigrams -- trains on the rest and is scored on it: the best accuracy
 * wins, then the lower log loss, then the earlier candidate. A feature
 * matrix's candidates train in order of C, each warm-started from the one
 * before; the matrices train in parallel. Deterministic for a given seed.
 * On large data the candidates train on at most INNER_TRAIN rows and are
 * scored on at most INNER_TEST (every m-th row of each part, in row order:
 * the parts stay stratified): enough to rank three values of C and two
 * feature sets, at a fixed cost (100,000 texts: the choice took two thirds
 * of the whole run). */
#define INNER_TRAIN 10000
#define INNER_TEST 5000

/* Keep about `most` of rows[0..*m-1], evenly spaced. */
static void thin_rows(size_t *rows, size_t *m, size_t most)
{
	if (*m <= most)
		return;
	size_t kept = 0;
	for (size_t a = 0; a < most; a++)
		rows[kept++] = rows[(size_t)((double)a * (double)*m / (double)most)];
	*m = kept;
}

struct cand {
	int mat;          /* index of the feature matrix (text: 0 bigrams, 1 words) */
	double C;
	double acc, logloss;
	int failed;
};

struct inner {
	const struct dataset *d;
	const struct fmatrix *X;  /* the candidates' matrices */
	const size_t *train, *test;
	size_t ntrain, ntest;
	struct cand *c;           /* by matrix, then C ascending */
	int nc, nmat;
	pthread_mutex_t mu;
	int next;
};

/* One candidate, started from init (NULL: zeros); keeps its weights in *m. */
static void run_cand(struct inner *in, struct cand *c, const double *init, struct lr_model *m)
{
	const struct dataset *d = in->d;
	const struct fmatrix *X = &in->X[c->mat];
	struct lr_opts lo = { c->C, 100, 1e-4, &interrupted, init };
	c->failed = lr_train(X, in->train, in->ntrain, d->labels, d->k, &lo, m) < 0;
	double *p = xmallocarray(d->k, sizeof *p), ll = 0;
	size_t correct = 0;
	for (size_t a = 0; !c->failed && a < in->ntest; a++) {
		size_t row = in->test[a], best = 0;
		lr_predict(m, X, row, p);
		for (size_t cl = 1; cl < d->k; cl++)
			if (p[cl] > p[best])
				best = cl;
		correct += (int)best == d->labels[row];
		ll -= log(fmax(p[d->labels[row]], 1e-9));
	}
	free(p);
	c->acc = in->ntest ? (double)correct / (double)in->ntest : 0;
	c->logloss = in->ntest ? ll / (double)in->ntest : 0;
}

/* A worker takes one feature matrix at a time and trains its candidates
 * in order of C, each from the previous one's weights (the path from
 * strong to weak regularisation converges in far fewer iterations). */
static void *inner_worker(void *arg)
{
	struct inner *in = arg;
	for (;;) {
		pthread_mutex_lock(&in->mu);
		int mat = in->next < in->nmat && !interrupted ? in->next++ : -1;
		pthread_mutex_unlock(&in->mu);
		if (mat < 0)
			return NULL;
		struct lr_model prev = { 0 };
		for (int i = 0; i < in->nc; i++) {
			struct cand *c = &in->c[i];
			if (c->mat != mat)
				continue;
			struct lr_model m;
			run_cand(in, c, prev.w, &m);
			lr_free(&prev);
			prev = m;
		}
		lr_free(&prev);
	}
}

int model_choose(const struct dataset *d, const struct fmatrix *X, int nmat,
		 const double *Cs, int nC, const int *fold, unsigned long seed, int threads,
		 int *mat, double *C, char *why, size_t whylen)
{
	size_t m = 0;
	for (size_t i = 0; i < d->n; i++)
		m += fold[i] != 0;
	size_t *rows = xmallocarray(m ? m : 1, sizeof *rows), j = 0;
	int *lab = xmallocarray(m ? m : 1, sizeof *lab), *sub = xmallocarray(m ? m : 1, sizeof *sub);
	for (size_t i = 0; i < d->n; i++)
		if (fold[i] != 0) {
			rows[j] = i;
			lab[j++] = d->labels[i];
		}
	model_folds(lab, m, d->k, 5, seed + 1, sub);
	struct inner in = { .d = d, .X = X, .nc = nmat * nC, .nmat = nmat };
	size_t *train = xmallocarray(m ? m : 1, sizeof *train);
	size_t *test = xmallocarray(m ? m : 1, sizeof *test);
	for (size_t a = 0; a < m; a++) {
		if (sub[a] == 0)
			test[in.ntest++] = rows[a];
		else
			train[in.ntrain++] = rows[a];
	}
	thin_rows(train, &in.ntrain, INNER_TRAIN);
	thin_rows(test, &in.ntest, INNER_TEST);
	in.train = train;
	in.test = test;
	in.c = xcalloc((size_t)in.nc, sizeof *in.c);
	for (int a = 0; a < nmat; a++)
		for (int b = 0; b < nC; b++)
			in.c[a * nC + b] = (struct cand){ .mat = a, .C = Cs[b] };
	pthread_mutex_init(&in.mu, NULL);
	int nth = threads < 1 ? 1 : threads > nmat ? nmat : threads;
	pthread_t th[16];
	if (nth > 16)
		nth = 16;
	for (int t = 0; t < nth; t++)
		pthread_create(&th[t], NULL, inner_worker, &in);
	for (int t = 0; t < nth; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_destroy(&in.mu);
	int best = -1;
	for (int a = 0; a < in.nc; a++) {
		const struct cand *c = &in.c[a];
		if (c->failed)
			continue;
		if (best < 0 || c->acc > in.c[best].acc ||
		    (c->acc == in.c[best].acc && c->logloss < in.c[best].logloss))
			best = a;
	}
	int rc = best < 0 || interrupted ? -1 : 0;
	if (rc == 0) {
		*mat = in.c[best].mat;
		*C = in.c[best].C;
		snprintf(why, whylen, "held-out accuracy %.4f on %zu rows", in.c[best].acc,
			 in.ntest);
	}
	free(in.c);
	free(train);
	free(test);
	free(rows);
	free(lab);
	free(sub);
	return rc;
}

void model_describe(const struct model_opts *o, char *buf, size_t n)
{
	static const char *const kinds[] = { "auto", "text", "image", "numeric" };
	char C[32];
	if (o->C > 0)
		snprintf(C, sizeof C, "%g", o->C);
	else            /* chosen by the inner validation */
		snprintf(C, sizeof C, "chosen(0.1,1,10)");
	snprintf(buf, n, "logreg features=%s%s%s folds=%d seed=%lu C=%s", kinds[o->feat.kind],
		 o->feat.columns ? ":" : "", o->feat.columns ? o->feat.columns : "",
		 o->folds ? o->folds : 5, o->seed, C);
}

static int choose_folds(const struct dataset *d, const struct model_opts *o,
			struct model_report *rep, struct err *e)
{
	int folds = o->folds ? o->folds : 5;
	size_t *nk = xcalloc(d->k, sizeof *nk), least = d->n;
	for (size_t i = 0; i < d->n; i++)
		nk[d->labels[i]]++;
	for (size_t c = 0; c < d->k; c++)
		if (nk[c] && nk[c] < least)
			least = nk[c];
	free(nk);
	if ((size_t)folds > least && least >= 2) {
		snprintf(rep->warning, sizeof rep->warning, "a class has only %zu examples: "
			 "using %zu folds instead of %d", least, least, folds);
		folds = (int)least;
	}
	if (folds < 2 || (size_t)folds > d->n || folds > MODEL_MAX_FOLDS)
		return err_set(e, ERR_INPUT, "cannot cross-validate with %d folds on %zu "
			       "examples (the smallest class has %zu)", folds, d->n, least);
	return folds;
}

static void wait_progress(struct job *j, int folds, size_t n)
{
	struct progress pg;
	progress_start(&pg, "model");
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pthread_mutex_lock(&j->mu);
		int done = j->done;
		pthread_mutex_unlock(&j->mu);
		if (done == folds || interrupted)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		double s = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
		char stage[120];
		double rate = s > 0 ? (double)done * (double)n * (folds - 1) / folds / s : 0;
		double eta = done ? s / done * (folds - done) : 0;
		snprintf(stage, sizeof stage, "training fold %d/%d, %.0f examples/s, ETA %.0fs "
			 "(Ctrl-C stops)", done + 1, folds, rate, eta);
		progress_report(&pg, stage, 0);
		usleep(100000);
	}
	progress_done(&pg);
}

int model_fit_probs(struct dataset *d, const struct model_opts *o,
		    struct model_report *rep, struct err *e)
{
	memset(rep, 0, sizeof *rep);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int folds = choose_folds(d, o, rep, e);
	if (folds < 0)
		return -1;
	/* text: words and bigrams (X[0]) or words only (X[1]) */
	struct fmatrix X[2];
	char desc[2][200];
	if (features_build(d, &o->feat, &X[0], desc[0], sizeof desc[0], e) < 0)
		return -1;
	int text = !strncmp(desc[0], "text", 4), nmat = 1;
	if (text && !o->feat.words_only) {
		struct feat_opts words = o->feat;
		words.words_only = 1;
		if (features_build(d, &words, &X[1], desc[1], sizeof desc[1], e) < 0) {
			fmatrix_free(&X[0]);
			return -1;
		}
		nmat = 2;
	}
	int *fold = xmallocarray(d->n, sizeof *fold);
	model_folds(d->labels, d->n, d->k, folds, o->seed, fold);
	long cpus = o->threads ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
	static const double grid[] = { 0.1, 1, 10 };
	const double *Cs = o->C > 0 ? &o->C : grid;
	int nC = o->C > 0 ? 1 : 3, mat = 0;
	double C = Cs[0];
	char why[64] = "";
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	interrupted = 0;
	sigaction(SIGINT, &sa, &old);
	if (nmat * nC > 1) {
		struct progress pg;
		progress_start(&pg, "model");
		progress_report(&pg, "choosing the settings on a held-out part (Ctrl-C stops)", 0);
		int rc = model_choose(d, X, nmat, Cs, nC, fold, o->seed, (int)(cpus < 1 ? 1 : cpus),
				      &mat, &C, why, sizeof why);
		progress_done(&pg);
		if (rc < 0) {
			sigaction(SIGINT, &old, NULL);
			for (int a = 0; a < nmat; a++)
				fmatrix_free(&X[a]);
			free(fold);
			return err_set(e, ERR_RUNTIME, "training the model was interrupted");
		}
	}
	for (int a = 0; a < nmat; a++)
		if (a != mat)
			fmatrix_free(&X[a]);
	if (nmat * nC > 1)
		snprintf(rep->features, sizeof rep->features, "%.80s; C=%g, chosen by inner "
			 "validation (%s)", desc[mat], C, why);
	else
		snprintf(rep->features, sizeof rep->features, "%.150s; C=%g", desc[mat], C);
	dataset_alloc_probs(d);
	struct job j = { .d = d, .X = &X[mat], .fold = fold, .folds = folds,
			 .lr = { C, 100, 1e-4, &interrupted, NULL },
			 .acc = rep->fold_accuracy };
	pthread_mutex_init(&j.mu, NULL);
	int nth = cpus < 1 ? 1 : cpus > folds ? folds : (int)cpus;
	pthread_t th[MODEL_MAX_FOLDS];
	for (int t = 0; t < nth; t++)
		pthread_create(&th[t], NULL, worker, &j);
	wait_progress(&j, folds, d->n);
	for (int t = 0; t < nth; t++)
		pthread_join(th[t], NULL);
	sigaction(SIGINT, &old, NULL);
	pthread_mutex_destroy(&j.mu);
	fmatrix_free(&X[mat]);
	free(fold);
	if (j.failed || interrupted)
		return err_set(e, ERR_RUNTIME, "training the model was interrupted");
	/* no hard 0 or 1: floor each probability, keep rows summing to 1 */
	double ll = 0;
	size_t correct = 0;
	for (size_t i = 0; i < d->n; i++) {
		double *p = d->probs + i * d->k, sum = 0;
		size_t best = 0;
		for (size_t c = 0; c < d->k; c++)
			sum += (p[c] = fmax(p[c], 1e-9));
		for (size_t c = 0; c < d->k; c++) {
			p[c] /= sum;
			if (p[c] > p[best])
				best = c;
		}
		correct += (int)best == d->labels[i];
		ll -= log(p[d->labels[i]]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rep->trained = 1;
	rep->folds = folds;
	rep->seed = o->seed;
	rep->C = j.lr.C;
	rep->accuracy = (double)correct / (double)d->n;
	rep->logloss = ll / (double)d->n;
	rep->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return 0;
}
