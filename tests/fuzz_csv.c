/* fuzz_csv.c — libFuzzer target for the CSV loader (DATA.csv and PROBS.csv):
 * any bytes must load or fail with ERR_INPUT and a message, without a
 * crash, a leak, undefined behaviour or unbounded memory. The first byte
 * picks the options (probabilities or not, serial or split parsing, exact
 * floats, renormalising); the rest is DATA.csv, or DATA.csv and PROBS.csv
 * separated by the first "\n==\n". Every input is also loaded by the safe
 * path (libcsv and strtod alone, one thread), which must give the same
 * dataset or the same message. Built and run by bench/fuzz-csv.sh. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memory file for bytes, named by its /proc path. */
static int memfile(const void *p, size_t n, char path[64])
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		abort();
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

/* The fast paths' result against the safe path's: the same outcome, and
 * the same message or the same dataset. */
static void same_as_safe(const struct dataset_opts *fast, const struct dataset *d,
			 const struct err *e)
{
	struct dataset_opts o = *fast;
	o.exact_floats = 1;
	o.threads = 1;
	struct dataset *s = NULL;
	struct err se = { 0 };
	int rc = dataset_load(&s, &o, &se);
	if ((rc == 0) != (d != NULL))
		abort();
	if (!d) {
		if (strcmp(e->msg, se.msg))
			abort();
		return;
	}
	if (s->n != d->n || s->ncols != d->ncols || s->k != d->k ||
	    strcmp(s->bad_utf8, d->bad_utf8) || strcmp(s->warning, d->warning) ||
	    memcmp(s->labels, d->labels, d->n * sizeof *d->labels) ||
	    (d->probs && memcmp(s->probs, d->probs, d->n * d->k * sizeof *d->probs)) ||
	    (d->row_offset && memcmp(s->row_offset, d->row_offset,
				     (d->n + 1) * sizeof *d->row_offset)))
		abort();
	for (size_t i = 0; i < d->n; i++)
		for (size_t c = 0; c < d->ncols; c++)
			if (strcmp(dataset_cell(d, i, c), dataset_cell(s, i, c)))
				abort();
	dataset_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned opt = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1, dlen = len;
	const char *probs = NULL;
	size_t plen = 0;
	if (opt & 1) {
		const char *sep = memmem(text, len, "\n==\n", 4);
		if (sep) {
			dlen = (size_t)(sep - text);
			probs = sep + 4;
			plen = len - dlen - 4;
		}
	}
	char dpath[64], ppath[64];
	int dfd = memfile(text, dlen, dpath), pfd = -1;
	if (probs)
		pfd = memfile(probs, plen, ppath);
	struct dataset_opts o = { .data_path = dpath, .probs_path = probs ? ppath : NULL,
				  .allow_missing_probs = !probs, .threads = opt & 2 ? 2 : 1,
				  .exact_floats = !!(opt & 4), .renormalize = !!(opt & 8),
				  .record_offsets = !!(opt & 16) };
	struct dataset *d = NULL;
	struct err e = { 0 };
	int loaded = dataset_load(&d, &o, &e) == 0;
	same_as_safe(&o, loaded ? d : NULL, &e);
	if (loaded) {
		for (size_t i = 0; i < d->n; i++) {
			for (size_t c = 0; c < d->ncols; c++)
				(void)strlen(dataset_cell(d, i, c));
			if (d->labels[i] < 0 || (size_t)d->labels[i] >= d->k)
				abort();
		}
		char buf[32];
		if (dataset_find_id(d, dataset_id(d, d->n - 1, buf)) < 0)
			abort();
		size_t a, b;
		if (dataset_duplicate_id(d, &a, &b) && (a >= b || b >= d->n))
			abort();
		if (d->row_offset)
			for (size_t i = 0; i < d->n; i++)
				if (d->row_offset[i] >= d->row_offset[i + 1])
					abort();
		dataset_free(d);
	} else if (e.code != ERR_INPUT || !e.msg[0]) {
		abort();
	}
	close(dfd);
	if (pfd >= 0)
		close(pfd);
	return 0;
}
