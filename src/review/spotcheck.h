/* spotcheck.h — the spot check's arithmetic (pure, no I/O): a seeded random
 * sample of the examples confident learning did not flag, and what the
 * decisions on it say about the labels the scan missed (a Wilson score
 * interval on the share of mislabelled examples).
 *
 * The sample is a function of (seed, n, the unflagged rows in row order)
 * alone, so anyone who reads the seed from the log draws the same rows. */
#ifndef RELABEL_SPOTCHECK_H
#define RELABEL_SPOTCHECK_H

#include <stddef.h>
#include <stdint.h>

/* The 95% two-sided Wilson score interval for k successes in n trials
 * (z = 1.959963984540054). n = 0 gives [0, 1]. */
void spot_wilson(size_t k, size_t n, double *lo, double *hi);

/* Draw min(n, the number of rows with flagged[row] == 0) distinct unflagged
 * rows of 0..nrows-1 with the generator seeded by `seed`, in draw order,
 * into out (room for n). Returns how many were drawn. */
size_t spot_sample(const unsigned char *flagged, size_t nrows, uint64_t seed,
		   size_t n, size_t *out);

/* A seed for a new sample when none is given (time and process id). */
uint64_t spot_new_seed(void);

struct spot_estimate {
	size_t sampled;        /* distinct rows in the samples */
	size_t decided;        /* n: of those, decided (unsure not counted) */
	size_t mislabelled;    /* k: decided with another label, or excluded */
	size_t unsure;         /* decided unsure */
	size_t unflagged;      /* M: examples the scan did not flag */
	double p, lo, hi;      /* k/n and its 95% Wilson interval */
	double examples;       /* p * M */
};

enum spot_outcome { SPOT_OPEN, SPOT_SAME, SPOT_CHANGED, SPOT_UNSURE };

/* Fill est from per-row outcomes of the sampled rows. */
void spot_estimate(const enum spot_outcome *outcome, size_t nsampled, size_t unflagged,
		   struct spot_estimate *est);

/* The one line the health view and `relabel stats` print:
 * "spot check: k of n unflagged examples were mislabelled → about p% (95%
 * Wilson interval a–b%) of the M unflagged, ≈ X examples". */
void spot_line(const struct spot_estimate *est, char *buf, size_t size);

#endif
