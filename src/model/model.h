/* model.h — the built-in model: when a dataset comes without predicted
 * probabilities, out-of-fold probabilities from a multinomial logistic
 * regression trained with stratified K-fold cross-validation, folds in
 * parallel. Deterministic for a given seed. */
#ifndef RELABEL_MODEL_H
#define RELABEL_MODEL_H

#include "dataset.h"
#include "featurize.h"

struct model_opts {
	struct feat_opts feat;
	int folds;                  /* 0 = 5 */
	unsigned long seed;
	double C;                   /* 0 = chosen from 0.1, 1, 10 by inner validation */
	int threads;                /* 0 = one per core */
};

#define MODEL_MAX_FOLDS 20

struct model_report {
	int trained;
	char features[200];
	int folds;
	unsigned long seed;
	double C;
	double accuracy, logloss;   /* out of fold, against the given labels */
	double fold_accuracy[MODEL_MAX_FOLDS];
	double seconds;
	char warning[200];
};

/* Describe the model settings as a short string (the cache key). */
void model_describe(const struct model_opts *o, char *buf, size_t n);

/* Fill d->probs with out-of-fold probabilities. Progress goes to stderr
 * on a terminal; Ctrl-C stops it (ERR_RUNTIME "interrupted"). */
int model_fit_probs(struct dataset *d, const struct model_opts *o,
		    struct model_report *rep, struct err *e);

/* The inner validation: inside the rows not in fold 0, a stratified fifth
 * (model_folds with seed + 1) is held out; each candidate (feature matrix
 * X[0..nmat-1] times C in Cs[0..nC-1], ascending: each matrix's candidates
 * train one after the other, each from the previous one's weights, the
 * matrices in parallel) trains on the rest and the best
 * held-out accuracy wins (ties: the lower log loss, then the earlier
 * candidate). Sets *mat, *C and a short account in why. Returns 0, or -1
 * when interrupted. */
int model_choose(const struct dataset *d, const struct fmatrix *X, int nmat,
		 const double *Cs, int nC, const int *fold, unsigned long seed, int threads,
		 int *mat, double *C, char *why, size_t whylen);

/* Stratified fold of each row (0..folds-1), deterministic for seed. */
void model_folds(const int *labels, size_t n, size_t k, int folds, unsigned long seed,
		 int *fold);

#endif
