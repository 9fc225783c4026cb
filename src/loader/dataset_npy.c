/* dataset_npy.c — probabilities and labels from NumPy .npy files (class
 * names from --classes: dataset_classes.c).
 *
 * Probabilities: the file is mapped (numpyfile.c); little-endian float64 in C
 * order is used in place (copy-on-write, so --renormalize writes only the
 * pages of rows whose sum is not exactly 1), anything else is converted
 * exactly to double in blocks of rows. Each row is renormalised first (with
 * --renormalize), then every value checked: finite and within [0, 1] up to
 * 1e-6. Errors name the file, the row and the column (0-based, as numpy
 * indexes them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <pthread.h>
#include <unistd.h>

#include "dataset_priv.h"
#include "numpyfile.h"
#include "util.h"

static int classes_index(struct dataset *d, const char *where, struct err *e)
{
	strmap_init(&d->priv->classes, d->k);
	for (size_t c = 0; c < d->k; c++)
		if (strmap_put(&d->priv->classes, d->class_names[c], c) < 0)
			return err_set(e, ERR_INPUT, "%s: class name '%s' appears twice; "
				       "expected each class once", where, d->class_names[c]);
	return 0;
}

int dataset_npy_probs_header(struct dataset *d, const struct dataset_opts *o,
			     struct err *e)
{
	struct npyfile *f = xcalloc(1, sizeof *f);
	d->priv->probs_npy = f;
	if (npyf_open(f, d->probs_path, e) < 0)
		return -1;
	if (f->kind != 'f')
		return err_set(e, ERR_INPUT, "%s: dtype '%s' is not a float type; expected "
			       "probabilities as float16, float32 or float64", d->probs_path,
			       f->descr);
	if (f->ndim != 2)
		return err_set(e, ERR_INPUT, "%s: shape (%zu,) has one dimension; expected "
			       "(N, K): one row of class probabilities per example",
			       d->probs_path, f->n);
	if (f->k == 0)
		return err_set(e, ERR_INPUT, "%s: shape (%zu, 0) has no classes; expected "
			       "(N, K) with K >= 1", d->probs_path, f->n);
	if (f->k > 1000000)
		return err_set(e, ERR_INPUT, "%s: %zu classes; expected at most 1000000",
			       d->probs_path, f->k);
	if (o->classes_path) {
		if (dataset_classes_file(d, o->classes_path, f->k, e) < 0)
			return -1;
		return classes_index(d, o->classes_path, e);
	}
	dataset_classes_numbered(d, f->k);
	return classes_index(d, d->probs_path, e);
}

/* Renormalise (on request) and check rows [a, b) of p (row-major, rows a..
 * stored from p[0]). Counts rows whose sum is off by more than 1e-3. */
static int check_rows(const struct dataset *d, const struct dataset_opts *o,
		      double *p, size_t a, size_t b, size_t *off, size_t *first,
		      double *first_sum, struct err *e)
{
	size_t k = d->k;
	for (size_t i = a; i < b; i++) {
		double *row = p + (i - a) * k, sum = 0;
		int inside = 1;       /* NaN fails both comparisons */
		for (size_t j = 0; j < k; j++) {
			sum += row[j];
			inside &= (row[j] >= -1e-6) & (row[j] <= 1 + 1e-6);
		}
		if (inside && sum - 1 <= 1e-3 && 1 - sum <= 1e-3 && (!o->renormalize || sum == 1.0))
			continue;     /* the common case: nothing to report or change */
		if (!isfinite(sum)) {
			for (size_t j = 0; j < k; j++)
				if (!isfinite(row[j]))
					return err_set(e, ERR_INPUT, "%s: row %zu, column %zu: "
						       "value %g is not a finite number; expected a "
						       "probability between 0 and 1", d->probs_path,
						       i, j, row[j]);
		}
		if ((sum - 1 > 1e-3 || 1 - sum > 1e-3) && (*off)++ == 0) {
			*first = i;
			*first_sum = sum;
		}
		if (o->renormalize && sum > 0 && sum != 1.0)
			for (size_t j = 0; j < k; j++)
				row[j] /= sum;
		for (size_t j = 0; j < k; j++)
			if (row[j] < -1e-6 || row[j] > 1 + 1e-6)
				return err_set(e, ERR_INPUT, "%s: row %zu, column %zu: probability "
					       "%.17g is outside [0, 1]; expected a value between 0 "
					       "and 1 (within 1e-6)%s", d->probs_path, i, j, row[j],
					       o->renormalize ? "" :
					       " (--renormalize divides each row by its sum first)");
	}
	return 0;
}

static void sum_warning(struct dataset *d, const struct dataset_opts *o, size_t off,
			size_t first, double first_sum)
{
	if (off)
		snprintf(d->warning, sizeof d->warning, "%s: row %zu: probabilities sum to "
			 "%.6g, not 1 (%zu row%s off by more than 1e-3); %s", d->probs_path,
			 first, first_sum, off, off == 1 ? "" : "s",
			 o->renormalize ? "each row was divided by its sum" :
			 "rows are used as given (--renormalize divides by the sum)");
}

/* Stream when asked, or when the doubles would take over 40% of memory. */
static int stream_wanted(const struct dataset *d, const struct dataset_opts *o)
{
	if (o->low_memory)
		return 1;
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	if (pages <= 0 || size <= 0)
		return 0;
	double bytes = (double)d->n * (double)d->k * 8.0;
	return bytes > 0.4 * (double)pages * (double)size;
}

int dataset_probs_streamed(const struct dataset *d)
{
	return d->priv && d->priv->probs_streamed;
}

static pthread_mutex_t sums_lock = PTHREAD_MUTEX_INITIALIZER;

/* check_rows' renormalisation alone: each row over its sum (in column
 * order), unless the sum is 0 or exactly 1. */
static void renormalize_rows(size_t k, double *p, size_t rows)
{
	for (size_t i = 0; i < rows; i++) {
		double *row = p + i * k, sum = 0;
		for (size_t j = 0; j < k; j++)
			sum += row[j];
		if (sum > 0 && sum != 1.0)
			for (size_t j = 0; j < k; j++)
				row[j] /= sum;
	}
}

int dataset_probs_rows(struct dataset *d, const struct dataset_opts *o, size_t a,
		       size_t b, double *out, int count_sums, struct err *e)
{
	struct npyfile *f = d->priv->probs_npy;
	size_t off = 0, first = 0;
	double first_sum = 0;
	if (npyf_rows(f, a, b, out, e) < 0)
		return -1;
	if (!count_sums) {
		/* a later pass over rows the first one checked: only what
		 * --renormalize changes, computed exactly as check_rows does */
		if (o->renormalize)
			renormalize_rows(d->k, out, b - a);
		return 0;
	}
	if (check_rows(d, o, out, a, b, &off, &first, &first_sum, e) < 0)
		return -1;
	if (count_sums && off) {
		pthread_mutex_lock(&sums_lock);
		if (!d->priv->sum_off || first < d->priv->sum_first) {
			d->priv->sum_first = first;
			d->priv->sum_first_value = first_sum;
		}
		d->priv->sum_off += off;
		pthread_mutex_unlock(&sums_lock);
	}
	return 0;
}

void dataset_probs_release(const struct dataset *d, size_t a, size_t b)
{
	if (d->priv->probs_npy)
		npyf_release(d->priv->probs_npy, a, b);
}

void dataset_probs_stream_done(struct dataset *d, const struct dataset_opts *o)
{
	sum_warning(d, o, d->priv->sum_off, d->priv->sum_first, d->priv->sum_first_value);
}

/* One worker's share of the rows: convert (unless in place) and check. */
struct part {
	struct dataset *d;
	const struct dataset_opts *o;
	struct npyfile *f;
	int native;
	size_t a, b;
	size_t off, first;
	double first_sum;
	int rc;
	struct err err;
	pthread_t th;
};

static void *run_part(void *arg)
{
	struct part *p = arg;
	struct dataset *d = p->d;
	size_t block = 65536 / d->k + 1;
	p->rc = 0;
	for (size_t a = p->a; a < p->b && p->rc == 0; a += block) {
		size_t b = a + block < p->b ? a + block : p->b;
		double *dst = d->probs + a * d->k;
		if ((!p->native && npyf_rows(p->f, a, b, dst, &p->err) < 0) ||
		    check_rows(d, p->o, dst, a, b, &p->off, &p->first, &p->first_sum, &p->err) < 0)
			p->rc = -1;
	}
	return NULL;
}

int dataset_npy_probs_body(struct dataset *d, const struct dataset_opts *o,
			   struct err *e)
{
	struct npyfile *f = d->priv->probs_npy;
	if (f->n != d->n)
		return err_set(e, ERR_INPUT, "%s: %zu rows of probabilities for %zu examples "
			       "in %s; expected one row per example", d->probs_path, f->n, d->n,
			       d->data_path);
	if (o->stream_ok && f->mapped && stream_wanted(d, o)) {
		d->priv->probs_streamed = 1;
		return 0;
	}
	npyf_prefault(f);
	double *native = npyf_native(f, o->renormalize);
	if (native) {
		/* read-only pages stay shared with the page cache unless written */
		d->probs = native;
		d->priv->probs_in_npy = 1;
	} else
		dataset_alloc_probs(d);
	/* the rows in contiguous shares, one per core for large files */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t np = o->threads > 0 ? (size_t)o->threads : cpus > 0 ? (size_t)cpus : 1;
	if (np > 16)
		np = 16;
	if (d->n * d->k < (1u << 20))
		np = 1;
	struct part part[16];
	for (size_t t = 0; t < np; t++) {
		part[t] = (struct part){ .d = d, .o = o, .f = f, .native = native != NULL,
					 .a = d->n * t / np, .b = d->n * (t + 1) / np };
		if (np == 1 || pthread_create(&part[t].th, NULL, run_part, &part[t]) != 0) {
			run_part(&part[t]);
			part[t].th = 0;
		}
	}
	size_t off = 0, first = 0;
	double first_sum = 0;
	int rc = 0;
	for (size_t t = 0; t < np; t++) {
		if (part[t].th)
			pthread_join(part[t].th, NULL);
	}
	for (size_t t = 0; t < np; t++) {
		if (part[t].rc < 0 && rc == 0) {     /* the first bad row in file order */
			*e = part[t].err;
			rc = -1;
		}
		if (part[t].off && !off) {
			first = part[t].first;
			first_sum = part[t].first_sum;
		}
		off += part[t].off;
	}
	if (rc < 0)
		return -1;
	if (!native) {
		npyf_close(f);
		free(f);
		d->priv->probs_npy = NULL;
	}
	sum_warning(d, o, off, first, first_sum);
	return 0;
}

int dataset_npy_labels(struct dataset *d, const struct dataset_opts *o, struct err *e)
{
	struct npyfile f;
	const char *path = o->labels_path;
	if (npyf_open(&f, path, e) < 0)
		return -1;
	int rc = 0;
	if (f.kind != 'i' && f.kind != 'u')
		rc = err_set(e, ERR_INPUT, "%s: dtype '%s' is not an integer type; expected "
			     "labels as integer class indices", path, f.descr);
	else if (f.ndim != 1)
		rc = err_set(e, ERR_INPUT, "%s: shape (%zu, %zu) has two dimensions; "
			     "expected (N,): one class index per example", path, f.n, f.k);
	else if (f.n != d->n)
		rc = err_set(e, ERR_INPUT, "%s: %zu labels for %zu examples in %s; expected "
			     "one label per example", path, f.n, d->n, d->data_path);
	int64_t buf[4096];
	if (rc == 0 && d->k == 0) {
		/* no class names from elsewhere: 0 .. the largest label */
		int64_t max = 0;
		for (size_t a = 0; rc == 0 && a < f.n; a += 4096) {
			size_t b = a + 4096 < f.n ? a + 4096 : f.n;
			rc = npyf_ints(&f, a, b, buf, e);
			for (size_t i = a; rc == 0 && i < b; i++)
				if (buf[i - a] > max)
					max = buf[i - a];
		}
		if (rc == 0 && max >= 1000000)
			rc = err_set(e, ERR_INPUT, "%s: label %lld; expected class indices "
				     "below 1000000", path, (long long)max);
		if (rc == 0) {
			dataset_classes_numbered(d, (size_t)max + 1);
			strmap_init(&d->priv->classes, d->k);
			for (size_t c = 0; c < d->k; c++)
				strmap_put(&d->priv->classes, d->class_names[c], c);
		}
	}
	for (size_t a = 0; rc == 0 && a < f.n; a += 4096) {
		size_t b = a + 4096 < f.n ? a + 4096 : f.n;
		if (npyf_ints(&f, a, b, buf, e) < 0) {
			rc = -1;
			break;
		}
		for (size_t i = a; i < b; i++) {
			if (buf[i - a] < 0 || (uint64_t)buf[i - a] >= d->k) {
				rc = err_set(e, ERR_INPUT, "%s: row %zu: label %lld is not a class "
					     "index; expected 0 to %zu", path, i,
					     (long long)buf[i - a], d->k - 1);
				break;
			}
			d->labels[i] = (int)buf[i - a];
		}
	}
	npyf_close(&f);
	return rc;
}
