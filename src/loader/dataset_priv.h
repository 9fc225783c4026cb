/* dataset_priv.h — the loader's private state, shared by dataset*.c. */
#ifndef RELABEL_DATASET_PRIV_H
#define RELABEL_DATASET_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

struct npyfile;

/* A string -> index hash table (open addressing; keys are borrowed). */
struct strmap {
	size_t cap;          /* power of two */
	size_t count;
	size_t *slot;        /* index + 1, 0 = empty */
	const char **key;    /* key of each slot */
};

struct dataset_priv {
	char *pool;          /* every DATA.csv cell, NUL-terminated, row-major */
	size_t pool_len, pool_cap;
	/* Where each row's cells start in the pool: the offset's low 32 bits
	 * per row (4 bytes a row, not 8), and each change of its high bits
	 * as an era (none while the pool is under 4 GiB). Read and written
	 * through row_cell_get/row_cell_add, rows in order. */
	uint32_t *row_cells;
	size_t rows_cap;
	struct cell_era { size_t row; uint32_t high; } *eras;
	size_t neras;
	uint64_t *id_keys;   /* id index, built on first use (dataset_ids.c):
	                        hash << 32 | row, sorted */
	uint64_t *read_keys; /* the same keys unsorted, hashed as DATA.csv's
	                        rows were read (rows_cap of them), or NULL */
	size_t read_keys_n;  /* rows whose key is in read_keys */
	struct strmap classes;
	uint64_t body_off, probs_size;  /* PROBS.csv: where its body starts */
	size_t body_line;
	struct npyfile *probs_npy;  /* .npy probabilities (d->probs may point in) */
	int probs_in_npy;           /* d->probs is the file's mapped doubles */
	int probs_streamed;         /* rows are read on demand (d->probs NULL) */
	size_t sum_off, sum_first;  /* streamed: rows whose sum is off, first one */
	double sum_first_value;
	char *image_base;           /* folder image paths resolve against */
	char content_sha[65];       /* set for built datasets (image folders) */
	uint64_t content_size;
};

/* The pool offset of row r's first cell; record the next row's
 * (r == rows recorded so far; the caller keeps row_cells' room). */
uint64_t row_cell_get(const struct dataset_priv *pv, size_t r);
void row_cell_add(struct dataset_priv *pv, size_t r, uint64_t off);

/* FNV-1a of a NUL-terminated string (dataset_map.c). */
uint64_t dataset_fnv1a(const char *s);
void strmap_init(struct strmap *m, size_t expected);
void strmap_free(struct strmap *m);
/* Insert key -> value; returns -1 if the key was there (value unchanged). */
int strmap_put(struct strmap *m, const char *key, size_t value);
/* Value for key, or -1. */
long strmap_get(const struct strmap *m, const char *key);

/* Load PROBS.csv's header (class names) into d; and its body into d->probs. */
int dataset_probs_header(struct dataset *d, const char *path, int *join_by_id,
			 struct err *e);
int dataset_probs_body(struct dataset *d, const struct dataset_opts *o,
		       int join_by_id, struct err *e);
/* Or the body on threads of its own while DATA.csv is read: start returns
 * NULL where that does not apply (a join by id, a small file: then
 * dataset_probs_body after DATA.csv); finish waits for it and gives what
 * dataset_probs_body would; abandon stops it (DATA.csv failed). */
struct probs_job;
struct probs_job *dataset_probs_start(struct dataset *d, const struct dataset_opts *o,
				      int join_by_id);
int dataset_probs_finish(struct probs_job *j, struct dataset *d,
			 const struct dataset_opts *o, struct err *e);
void dataset_probs_abandon(struct probs_job *j);



/* Open a file for reading (O_CLOEXEC); returns the fd or -1 (ERR_INPUT). */
int dataset_open_file(const char *path, const char *what, uint64_t *size,
		      struct err *e);
/* Build the id -> row index once (dataset_ids.c). */
void dataset_index_ids(struct dataset *d);
/* mmap-backed arrays for the probabilities (huge pages where possible). */
void *dataset_alloc_big(size_t bytes);
void dataset_free_big(void *p, size_t bytes);

/* dataset_npy.c: .npy probabilities and labels, class-name files. */
int dataset_npy_probs_header(struct dataset *d, const struct dataset_opts *o,
			     struct err *e);
int dataset_npy_probs_body(struct dataset *d, const struct dataset_opts *o,
			   struct err *e);
int dataset_npy_labels(struct dataset *d, const struct dataset_opts *o,
		       struct err *e);
/* Class names from --classes FILE (k = 0: any count) into d. */
int dataset_classes_file(struct dataset *d, const char *path, size_t k,
			 struct err *e);
/* Names "0" .. "k-1" into d. */
void dataset_classes_numbered(struct dataset *d, size_t k);
/* A label cell as a class index (for --label-index), or -1. */
long dataset_label_as_index(const char *s, size_t k);

/* dataset_byod.c: datasets with no DATA.csv (labels .npy, image folders);
 * returns 1 when o is not one of those. */
int dataset_byod_load(struct dataset **out, const struct dataset_opts *o,
		      struct err *e);
/* Classes from --classes for labels read from DATA.csv (no probabilities). */
int dataset_classes_for_cells(struct dataset *d, const struct dataset_opts *o,
			      struct err *e);
/* --labels FILE.npy for a dataset read from DATA.csv. */
int dataset_labels_hook(struct dataset *d, const struct dataset_opts *o, struct err *e);
/* Append a "label" column holding the class names of d->labels. */
void dataset_virtual_label_column(struct dataset *d);
/* The folder image paths resolve against: --image-root, else the folder of
 * the data file. */
void dataset_set_image_base(struct dataset *d, const struct dataset_opts *o);
/* dataset_input.c: the delimiter a file is read with; whether s ends with
 * tail (ASCII case ignored). */
char dataset_delimiter(const struct dataset_opts *o, const char *path);
int dataset_ends_with(const char *s, const char *tail);

#endif
