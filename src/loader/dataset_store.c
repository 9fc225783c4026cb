/* dataset_store.c — a loaded dataset in memory: its big arrays, freeing it,
 * and the accessors every other file reads it through (cells, classes,
 * columns; ids are dataset_ids.c's). The leaf of the loader: it calls no other loader file, so the
 * files that fill a dataset (dataset.c, dataset_probs.c, dataset_npy.c,
 * dataset_byod.c) depend on it and never on each other in a loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset_priv.h"
#include "numpyfile.h"
#include "util.h"

/* Open path for reading; ERR_INPUT naming the file if it can't be. */
int dataset_open_file(const char *path, const char *what, uint64_t *size,
		      struct err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_INPUT, "%s: cannot open %s: %s", path, what,
			       strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_INPUT, "%s: cannot read %s: %s", path, what,
			       S_ISDIR(st.st_mode) ? "is a directory" : strerror(errno));
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

/* Large arrays come from mmap of their own (given back whole when freed),
 * in ordinary pages. Huge pages were asked for once, for fewer faults; on a
 * virtual machine that hands free memory back to its host, the first touch
 * of a fresh 80 MB array cost 144-223 ms in huge pages against 43-51 ms in
 * 4 KiB pages; scan at 10^6 x 10 was equal back to back, and at 10^7 x 10
 * took 3.7-3.8 s against 3.2-3.3 s back to back (3.7-5.0 s against
 * 3.7-4.0 s after idle); see bench/README.md. */
void *dataset_alloc_big(size_t bytes)
{
	void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("out of memory (allocating %zu bytes)", bytes);
	return p;
}

void dataset_free_big(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes ? bytes : 1);
}

void dataset_free(struct dataset *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ncols; i++)
		free(d->col_names[i]);
	free(d->col_names);
	for (size_t c = 0; c < d->k; c++)
		free(d->class_names[c]);
	free(d->class_names);
	free(d->labels);
	if (!d->priv || !d->priv->probs_in_npy)
		dataset_free_big(d->probs, d->n * d->k * sizeof(double));
	if (d->priv && d->priv->probs_npy) {
		npyf_close(d->priv->probs_npy);
		free(d->priv->probs_npy);
	}
	free(d->row_offset);
	free(d->data_path);
	free(d->probs_path);
	if (d->priv) {
		free(d->priv->pool);
		free(d->priv->row_cells);
		free(d->priv->eras);
		free(d->priv->id_keys);
		free(d->priv->read_keys);
		strmap_free(&d->priv->classes);
		free(d->priv->image_base);
		free(d->priv);
	}
	free(d);
}

uint64_t row_cell_get(const struct dataset_priv *pv, size_t r)
{
	uint64_t high = 0;
	if (pv->neras) {   /* the last era starting at or before r */
		size_t lo = 0, hi = pv->neras;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (pv->eras[mid].row <= r)
				lo = mid + 1;
			else
				hi = mid;
		}
		high = lo ? pv->eras[lo - 1].high : 0;
	}
	return high << 32 | pv->row_cells[r];
}

void row_cell_add(struct dataset_priv *pv, size_t r, uint64_t off)
{
	uint32_t high = (uint32_t)(off >> 32);
	if (high != (pv->neras ? pv->eras[pv->neras - 1].high : 0)) {
		pv->eras = xrealloc(pv->eras, (pv->neras + 1) * sizeof *pv->eras);
		pv->eras[pv->neras++] = (struct cell_era){ r, high };
	}
	pv->row_cells[r] = (uint32_t)off;
}

const char *dataset_cell(const struct dataset *d, size_t row, size_t col)
{
	const char *s = d->priv->pool + row_cell_get(d->priv, row);
	for (size_t c = 0; c < col; c++)
		s += strlen(s) + 1;
	return s;
}

const char *dataset_id(const struct dataset *d, size_t row, char buf[32])
{
	if (d->id_col >= 0)
		return dataset_cell(d, row, (size_t)d->id_col);
	snprintf(buf, 32, "%zu", row);
	return buf;
}

int dataset_class_index(const struct dataset *d, const char *name)
{
	return (int)strmap_get(&d->priv->classes, name);
}

double *dataset_alloc_probs(struct dataset *d)
{
	if (!d->priv->probs_in_npy)
		dataset_free_big(d->probs, d->n * d->k * sizeof(double));
	d->priv->probs_in_npy = 0;
	d->probs = dataset_alloc_big(d->n * d->k * sizeof(double));
	return d->probs;
}

int dataset_column(const struct dataset *d, const char *name)
{
	for (size_t i = 0; i < d->ncols; i++)
		if (!strcmp(d->col_names[i], name))
			return (int)i;
	return -1;
}
