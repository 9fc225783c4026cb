/* dataset_npy.c — probabilities and labels from NumPy .npy files, and class
 * names from --classes FILE.
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

void dataset_classes_numbered(struct dataset *d, size_t k)
{
	d->k = k;
	d->class_names = xmallocarray(k ? k : 1, sizeof(char *));
	for (size_t c = 0; c < k; c++) {
		char b[24];
		snprintf(b, sizeof b, "%zu", c);
		d->class_names[c] = xstrdup(b);
	}
}

long dataset_label_as_index(const char *s, size_t k)
{
	char *end;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v >= k)
		return -1;
	return (long)v;
}

/* A JSON string literal at *p (escapes decoded, \u to UTF-8). */
static char *json_string(const char **p)
{
	const char *s = *p;
	if (*s != '"')
		return NULL;
	s++;
	size_t cap = 32, n = 0;
	char *out = xmalloc(cap);
	while (*s && *s != '"') {
		if (n + 8 > cap)
			out = xrealloc(out, cap *= 2);
		if ((unsigned char)*s < 0x20)
			goto bad;
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		char c = *s++;
		const char *map = "\"\"\\\\//b\bf\fn\nr\rt\t";
		const char *m = c ? strchr(map, c) : NULL;
		if (m && ((m - map) % 2) == 0) {
			out[n++] = m[1];
			continue;
		}
		if (c != 'u')
			goto bad;
		unsigned cp = 0;
		for (int i = 0; i < 4; i++, s++) {
			int h = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ?
				*s - 'a' + 10 : *s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
			if (h < 0)
				goto bad;
			cp = cp * 16 + (unsigned)h;
		}
		if (cp >= 0xd800 && cp < 0xdc00 && s[0] == '\\' && s[1] == 'u') {
			unsigned lo = 0;
			const char *t = s + 2;
			int ok = 1;
			for (int i = 0; i < 4 && ok; i++, t++) {
				int h = *t >= '0' && *t <= '9' ? *t - '0' : *t >= 'a' && *t <= 'f' ?
					*t - 'a' + 10 : *t >= 'A' && *t <= 'F' ? *t - 'A' + 10 : -1;
				ok = h >= 0;
				lo = lo * 16 + (unsigned)h;
			}
			if (!ok || lo < 0xdc00 || lo > 0xdfff)
				goto bad;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			s = t;
		} else if (cp >= 0xd800 && cp < 0xe000)
			goto bad;
		if (cp == 0)
			goto bad;
		if (cp < 0x80)
			out[n++] = (char)cp;
		else if (cp < 0x800) {
			out[n++] = (char)(0xc0 | cp >> 6);
			out[n++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			out[n++] = (char)(0xe0 | cp >> 12);
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[n++] = (char)(0xf0 | cp >> 18);
			out[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[n++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	if (*s != '"')
		goto bad;
	out[n] = '\0';
	*p = s + 1;
	return out;
bad:
	free(out);
	return NULL;
}

static void add_name(struct dataset *d, size_t *cap, char *name)
{
	if (d->k == *cap)
		d->class_names = xrealloc(d->class_names, (*cap = *cap ? *cap * 2 : 16) * sizeof(char *));
	d->class_names[d->k++] = name;
}

static int read_all(const char *path, char **text, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_INPUT, "%s: cannot open the class names file: %s",
			       path, strerror(errno));
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 == 0)
			buf = xrealloc(buf, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return err_set(e, ERR_INPUT, "%s: cannot read the class names file", path);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int dataset_classes_file(struct dataset *d, const char *path, size_t k, struct err *e)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	if (read_all(path, &text, &len, e) < 0)
		return -1;
	int rc = 0;
	const char *s = text;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		s += 3;
	if (memchr(s, '\0', len - (size_t)(s - text))) {
		rc = err_at(e, path, 1, 0, "NUL byte; expected one class name per line "
			    "or a JSON list of strings");
		goto out;
	}
	const char *t = s;
	while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
		t++;
	if (*t == '[') {
		t++;
		for (;;) {
			while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
				t++;
			if (*t == ']' && d->k == 0) {
				t++;
				break;
			}
			char *name = json_string(&t);
			if (!name) {
				rc = err_set(e, ERR_INPUT, "%s: byte %zu: expected a JSON string "
					     "(a class name)", path, (size_t)(t - text) + 1);
				goto out;
			}
			add_name(d, &cap, name);
			while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
				t++;
			if (*t == ',') {
				t++;
				continue;
			}
			if (*t == ']') {
				t++;
				break;
			}
			rc = err_set(e, ERR_INPUT, "%s: byte %zu: expected ',' or ']' in the "
				     "JSON list of class names", path, (size_t)(t - text) + 1);
			goto out;
		}
		while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
			t++;
		if (*t) {
			rc = err_set(e, ERR_INPUT, "%s: byte %zu: text after the JSON list; "
				     "expected the list alone", path, (size_t)(t - text) + 1);
			goto out;
		}
	} else {
		size_t line = 1;
		while (*s) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s);
			size_t m = n;
			if (m && s[m - 1] == '\r')
				m--;
			if (m == 0) {
				if (nl && nl[1] == '\0')
					break;     /* final line end */
				rc = err_at(e, path, line, 0, "empty class name; expected one "
					    "name per line");
				goto out;
			}
			add_name(d, &cap, xstrndup(s, m));
			s += n + (nl ? 1 : 0);
			line++;
		}
	}
	if (d->k == 0) {
		rc = err_set(e, ERR_INPUT, "%s: no class names; expected one per line or "
			     "a JSON list", path);
		goto out;
	}
	if (k && d->k != k) {
		rc = err_set(e, ERR_INPUT, "%s: %zu class names for %zu columns of "
			     "probabilities; expected one name per column", path, d->k, k);
		goto out;
	}
out:
	free(text);
	return rc;
}

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
	if (off)
		snprintf(d->warning, sizeof d->warning, "%s: row %zu: probabilities sum to "
			 "%.6g, not 1 (%zu row%s off by more than 1e-3); %s", d->probs_path,
			 first, first_sum, off, off == 1 ? "" : "s",
			 o->renormalize ? "each row was divided by its sum" :
			 "rows are used as given (--renormalize divides by the sum)");
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

void dataset_npy_free(struct dataset *d)
{
	if (d->priv && d->priv->probs_npy) {
		npyf_close(d->priv->probs_npy);
		free(d->priv->probs_npy);
		d->priv->probs_npy = NULL;
	}
}
