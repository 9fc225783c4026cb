/* dataset_priv.h — the loader's private state, shared by dataset*.c. */
#ifndef RELABEL_DATASET_PRIV_H
#define RELABEL_DATASET_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"

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
	uint64_t *row_cells; /* n: pool offset of each row's first cell */
	size_t rows_cap;
	struct strmap ids;   /* id -> row, built on first use */
	int ids_built;
	struct strmap classes;
	uint64_t body_off, probs_size;  /* PROBS.csv: where its body starts */
	size_t body_line;
};

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



/* Open a file for reading (O_CLOEXEC); returns the fd or -1 (ERR_INPUT). */
int dataset_open_file(const char *path, const char *what, uint64_t *size,
		      struct err *e);
/* Build the id -> row index once; returns the first duplicate row or -1. */
long dataset_index_ids(struct dataset *d);
/* mmap-backed arrays for the probabilities (huge pages where possible). */
void *dataset_alloc_big(size_t bytes);
void dataset_free_big(void *p, size_t bytes);
#endif
