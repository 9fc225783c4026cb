/* dataset.h — a labelled dataset loaded from DATA.csv and PROBS.csv (libcsv).
 *
 * The dataset owns every string and array below; views borrow const pointers.
 * Memory: the probabilities (n*k doubles) plus O(n) for the cells of DATA.csv,
 * kept in one string pool (no per-field allocation).
 *
 * Rows are 0-based data rows (the header is not a row). Class indices are
 * positions in the PROBS.csv header. Bad input fails with ERR_INPUT and a
 * message "FILE:LINE:COLUMN: what was wrong; what was expected".
 */
#ifndef RELABEL_DATASET_H
#define RELABEL_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct dataset_opts {
	const char *data_path;   /* DATA.csv, required */
	const char *probs_path;  /* PROBS.csv; NULL = "probs.csv" beside DATA.csv */
	const char *label_col;   /* NULL = "label" (required column) */
	const char *id_col;      /* NULL = "id" (optional column) */
	const char *text_col;    /* NULL = "text" (optional column) */
	const char *image_col;   /* NULL = "image" (optional column) */
	int renormalize;         /* divide each probability row by its sum */
	/* When no probabilities file is given or found: 0 = bad input (the
	 * message says what was looked for); 1 = load DATA.csv alone, with
	 * probs = NULL and the classes = the distinct labels in byte order. */
	int allow_missing_probs;
	int threads;             /* PROBS.csv parse threads: 0 = auto, 1 = serial */
	int exact_floats;        /* 1 = strtod for every number (the safe path) */
	int record_offsets;      /* fill row_offset (export needs it) */
	int probs_header_only;   /* read only PROBS.csv's header (the classes):
	                            probs stays NULL (export needs no numbers) */
	/* Optional progress report (stage name, fraction 0..1); may be NULL. */
	void (*progress)(void *ctx, const char *stage, double fraction);
	void *progress_ctx;
};

struct dataset {
	char *data_path;          /* as given */
	char *probs_path;         /* the file loaded, or NULL */
	size_t n;                 /* examples */
	size_t ncols;             /* columns of DATA.csv */
	char **col_names;         /* ncols header names (UTF-8 BOM removed) */
	int label_col, id_col, text_col, image_col;  /* column index, or -1 */
	size_t k;                 /* classes */
	char **class_names;       /* k names, in PROBS.csv header order */
	int *labels;              /* n given labels, class indices */
	double *probs;            /* n*k row-major, or NULL (no probabilities) */
	uint64_t *row_offset;     /* with opts.record_offsets, n+1 byte offsets
	                             into DATA.csv: where each data record starts,
	                             [n] = the file size; else NULL */
	char warning[512];        /* non-fatal notice (rows not summing to 1), or "" */
	struct dataset_priv *priv;  /* cell storage and id index */
};

/* Load DATA.csv (and PROBS.csv unless allowed missing). On success *out is
 * a new dataset to free with dataset_free. */
int dataset_load(struct dataset **out, const struct dataset_opts *o, struct err *e);
void dataset_free(struct dataset *d);

/* The cell of DATA.csv at (row, col), unquoted, NUL-terminated. */
const char *dataset_cell(const struct dataset *d, size_t row, size_t col);

/* The example's id: its id cell, or its row number when there is no id
 * column (written into buf, which must hold 32 bytes). */
const char *dataset_id(const struct dataset *d, size_t row, char buf[32]);

/* The row whose id equals `id` exactly (row numbers when there is no id
 * column), or -1. */
long dataset_find_id(const struct dataset *d, const char *id);

/* Class index of an exact class name, or -1. */
int dataset_class_index(const struct dataset *d, const char *name);

/* Allocate d->probs (n*k doubles, uninitialised) for a caller that computes
 * the probabilities itself; the dataset frees it. Returns d->probs. */
double *dataset_alloc_probs(struct dataset *d);

/* Index of a DATA.csv column by exact name, or -1. */
int dataset_column(const struct dataset *d, const char *name);

#endif
