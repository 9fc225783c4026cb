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
	/* Bring-your-own-data inputs (dataset_byod.c, dataset_npy.c): */
	const char *labels_path; /* --labels FILE.npy: integer class indices */
	const char *classes_path;/* --classes FILE: names for .npy classes */
	int label_index;         /* integer labels are class indices */
	const char *image_root;  /* --image-root DIR; NULL = DATA.csv's folder */
	char delimiter;          /* 0 = by extension (.tsv/.tab: tab), else it */
	/* When no probabilities file is given or found: 0 = bad input (the
	 * message says what was looked for); 1 = load DATA.csv alone, with
	 * probs = NULL and the classes = the distinct labels in byte order. */
	int allow_missing_probs;
	int threads;             /* PROBS.csv parse threads: 0 = auto, 1 = serial */
	int exact_floats;        /* 1 = strtod for every number (the safe path) */
	int record_offsets;      /* fill row_offset (export needs it) */
	int index_ids;           /* build the id index while loading (the
	                            duplicate check's keys are kept for it) */
	/* Streaming (.npy probabilities only): stream_ok = the command can scan
	 * a streamed source (dataset_probs_rows) instead of d->probs; it is
	 * then streamed with low_memory (--low-memory), or when N*K doubles
	 * would take more than 40% of physical memory. */
	int stream_ok, low_memory;
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
	char bad_utf8[320];       /* "FILE:LINE:COLUMN" of the first byte that
	                             is not UTF-8 (DATA.csv, PROBS.csv's header),
	                             or "": JSON output shows U+FFFD there */
	char warning[1024];       /* non-fatal notices (rows not summing to 1,
	                             duplicate ids), or ""; several are joined
	                             by "\nrelabel: warning: " */
	char delim;               /* DATA.csv's field delimiter (',' or '\t' ...) */
	int folder;               /* built from an image folder DIR/CLASS/FILE */
	int virtual_labels;       /* the label column was made from --labels */
	struct dataset_priv *priv;  /* cell storage and id index */
};

/* Load DATA.csv (and PROBS.csv unless allowed missing). On success *out is
 * a new dataset to free with dataset_free. */
int dataset_load(struct dataset **out, const struct dataset_opts *o, struct err *e);
void dataset_free(struct dataset *d);
/* The probabilities file dataset_load looks for: --probs, else probs.csv
 * beside DATA.csv (malloc'd; NULL with neither). */
char *dataset_probs_path(const struct dataset_opts *o);

/* A streamed dataset: d->probs is NULL and its rows are read on demand,
 * converted exactly to double, renormalised with --renormalize and checked
 * as loading checks them (the first bad value named by row and column).
 * count_sums: the first pass: check every value and count rows whose sum
 * is off by more than 1e-3 into d->warning; later passes (count_sums 0)
 * only convert and renormalise rows the first pass checked. Safe from
 * several threads for disjoint ranges. */
int dataset_probs_streamed(const struct dataset *d);
int dataset_probs_rows(struct dataset *d, const struct dataset_opts *o, size_t a,
		       size_t b, double *out, int count_sums, struct err *e);
/* Rows [a, b) will not be read again soon (drops their pages). */
void dataset_probs_release(const struct dataset *d, size_t a, size_t b);
/* Write d->warning from the counts of a streamed pass. */
void dataset_probs_stream_done(struct dataset *d, const struct dataset_opts *o);

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

/* The first two rows (in file order of the second) whose ids are equal:
 * 1 with *first < *second set, or 0 (also when there is no id column). */
int dataset_duplicate_id(const struct dataset *d, size_t *first, size_t *second);

/* 0, or -1 with ERR_INPUT "DATA:LINE:COL: id 'x' appears twice (also at
 * line L); expected unique ids PURPOSE" for the first duplicate. */
int dataset_ids_unique(const struct dataset *d, const char *purpose, struct err *e);

/* The 1-based line of DATA.csv where data row `row` starts (read again from
 * the file; for messages), or 0 if it cannot be read. */
size_t dataset_row_line(const struct dataset *d, size_t row);

/* At most this many classes (PROBS.csv columns or distinct labels): the
 * confident joint alone holds k*k counts. */
#define DATASET_MAX_CLASSES 10000

/* Index of a DATA.csv column by exact name, or -1. */
int dataset_column(const struct dataset *d, const char *name);

/* The file of a row's image cell: absolute as is, else relative to
 * --image-root, the image folder, or DATA.csv's folder (dataset_byod.c). */
void dataset_image_path(const struct dataset *d, size_t row, char *path, size_t n);
/* The folder relative image paths resolve against ("" = current). */
const char *dataset_image_base(const struct dataset *d);

/* Open an input file, inflating it when it is gzip-compressed (into an
 * unlinked temporary file); the fd reads the uncompressed bytes. A stream
 * (pipe, FIFO) is read once and kept: opening its path again reads the
 * same bytes (dataset_input.c). */
int dataset_open_input(const char *path, const char *what, uint64_t *size,
		       struct err *e);
/* SHA-256 and size of the file at path as given (compressed bytes for a
 * .gz), or of the kept copy when it was a stream. */
int dataset_hash_input(const char *path, char hex[65], uint64_t *size, struct err *e);

/* SHA-256 and size of what the dataset was loaded from, as the corrections
 * log records it: the data file's bytes, or for a dataset built from an
 * image folder its listing (path and label of every file). */
int dataset_content_sha256(const struct dataset *d, char hex[65], uint64_t *size,
			   struct err *e);

#endif
