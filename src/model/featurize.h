/* featurize.h — turning a dataset's columns into a numeric feature matrix
 * for the built-in model (pure apart from reading images):
 *   text    lower-cased words of two or more characters and word bigrams
 *           (words only with words_only),
 *           hashed, kept when in at least two examples (raising that
 *           bar until at most 15,000 terms remain: fewer, more common
 *           terms generalise better across folds and train faster), weighted
 *           (1 + ln tf) * idf (smooth idf over all texts: it uses no
 *           labels), each row scaled to unit length;
 *   image   the PNG as grey, area-averaged to an 8x8 grid, intensity / 255;
 *   numeric every column whose cells all read as numbers (empty, NA, NaN
 *           count as missing), standardised; a missing value becomes the
 *           column mean plus a 0/1 "was missing" feature.
 */
#ifndef RELABEL_FEATURIZE_H
#define RELABEL_FEATURIZE_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "err.h"

/* Compressed sparse rows. */
struct fmatrix {
	size_t n, d;
	size_t *rowptr;      /* n+1 */
	uint32_t *col;       /* nnz */
	float *val;          /* nnz */
};

enum feat_kind { FEAT_AUTO, FEAT_TEXT, FEAT_IMAGE, FEAT_NUMERIC };

struct feat_opts {
	enum feat_kind kind;
	const char *columns;   /* numeric: comma-separated column names, or NULL for all */
	int words_only;        /* text: words without the bigrams */
};

int features_build(const struct dataset *d, const struct feat_opts *o,
		   struct fmatrix *m, char *desc, size_t desclen, struct err *e);
void fmatrix_free(struct fmatrix *m);

/* The tokenizer: calls cb for each lower-cased token of text. Returns the
 * number of tokens. */
size_t features_tokens(const char *text, void (*cb)(void *ctx, const char *tok, size_t len),
		       void *ctx);
/* FNV-1a of a token (bigrams are hashed as "a b"). */
uint64_t features_hash(const char *s, size_t len);

#endif
