/* numpyfile.h — reading NumPy .npy files (format versions 1.0, 2.0, 3.0):
 * a memory map of the file, its header checked against its size, and
 * conversion of row ranges to double without touching the rest.
 *
 * Supported element types: float16/32/64 and signed/unsigned integers of
 * 1, 2, 4 and 8 bytes, in either byte order; C or Fortran order; 1 or 2
 * dimensions. A `.npy.gz` file is inflated (zlib) into memory first. Every
 * conversion to double is exact (float16 and float32 widen exactly; integers
 * are converted by npyf_ints).
 *
 * A streaming pass maps the file once with npyf_open and converts the rows
 * it needs with npyf_rows; npyf_native gives the mapped doubles themselves
 * when no conversion is needed (little-endian float64, C order, aligned).
 * Bad input fails with ERR_INPUT, the message starting with the file name.
 */
#ifndef RELABEL_NUMPYFILE_H
#define RELABEL_NUMPYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct npyfile {
	char *path;                 /* as given, for messages */
	int major, minor;           /* format version */
	char kind;                  /* 'f' float, 'i' signed, 'u' unsigned */
	int itemsize;               /* bytes per element */
	int big_endian;             /* elements stored big-endian */
	int fortran;                /* column-major */
	int ndim;                   /* 1 or 2 */
	size_t n, k;                /* shape: (n,) has k = 1 */
	char descr[64];             /* as in the header, e.g. "<f8" */
	const uint8_t *data;        /* first element */
	uint8_t *base;              /* the mapping or the inflated buffer */
	size_t base_len;
	int mapped;                 /* base came from mmap of the file */
	int anon;                   /* base came from an anonymous mapping */
};

/* Map (or inflate) and check the file. Writable copy-on-write mapping:
 * a caller may write into the native doubles without changing the file. */
int npyf_open(struct npyfile *f, const char *path, struct err *e);
/* The same over a buffer held in memory (the struct borrows it). */
int npyf_open_mem(struct npyfile *f, const char *name, const uint8_t *buf,
		  size_t len, struct err *e);
void npyf_close(struct npyfile *f);

/* The data as n*k row-major doubles in place, or NULL when the elements
 * need converting (not little-endian float64 in C order, or misaligned).
 * writable: make the pages copy-on-write writable (else read-only). */
double *npyf_native(const struct npyfile *f, int writable);

/* Convert rows [a, b) of a float array to doubles, row-major, into out
 * ((b-a)*k values). Fails on an integer array. */
int npyf_rows(const struct npyfile *f, size_t a, size_t b, double *out,
	      struct err *e);

/* Fault the whole mapping in at once (the in-memory path: much faster
 * than page by page); a streaming pass reads it lazily instead. */
void npyf_prefault(const struct npyfile *f);

/* Rows [a, b) will not be read again soon: drop their whole pages from
 * this process's memory (MADV_DONTNEED on the file mapping; the file and
 * the page cache are untouched). Nothing for an inflated .npy.gz. */
void npyf_release(const struct npyfile *f, size_t a, size_t b);

/* Convert elements [a, b) of a 1-D integer array into out. An unsigned
 * value above INT64_MAX fails, naming its row. */
int npyf_ints(const struct npyfile *f, size_t a, size_t b, int64_t *out,
	      struct err *e);

/* Parse just the header of an in-memory .npy (used by the reader and by
 * tests): fills everything but data/base; *data_off = where data starts.
 * `len` may be shorter than the whole file. Returns 0 or -1. */
int npyf_parse_header(struct npyfile *f, const uint8_t *buf, size_t len,
		      size_t *data_off, struct err *e);

/* float16 bits to the double they denote (exact). */
double npyf_half(uint16_t h);
/* m little-endian float16 values at p (any alignment) as doubles, through
 * a table of npyf_half built once. */
void npyf_halves(const uint8_t *p, size_t m, double *out);

/* 1 if path ends in ".npy" or ".npy.gz". */
int npyf_is_npy_path(const char *path);

#endif
