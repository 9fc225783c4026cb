/* numpyfile.c — the .npy reader (see numpyfile.h): the header's Python dict
 * literal parsed strictly, the size it implies checked against the file,
 * the file mapped read-only (copy-on-write once made writable), gzip
 * inflated with zlib, and row ranges converted to double.
 */
#include "numpyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util.h"

#define MAX_HEADER (1u << 20)

static int bad(struct err *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(struct err *e, const char *path, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INPUT, "%s: %s", path, msg);
}

/* --- the header dict --------------------------------------------------- */

struct hp {
	const char *s, *end;
};

static void skip_ws(struct hp *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n'))
		p->s++;
}

static int eat(struct hp *p, char c)
{
	skip_ws(p);
	if (p->s < p->end && *p->s == c) {
		p->s++;
		return 1;
	}
	return 0;
}

/* A quoted Python string without escapes into buf. */
static int str_lit(struct hp *p, char *buf, size_t cap)
{
	skip_ws(p);
	if (p->s >= p->end || (*p->s != '\'' && *p->s != '"'))
		return -1;
	char q = *p->s++;
	size_t n = 0;
	while (p->s < p->end && *p->s != q) {
		if (*p->s == '\\' || n + 1 >= cap)
			return -1;
		buf[n++] = *p->s++;
	}
	if (p->s >= p->end)
		return -1;
	p->s++;
	buf[n] = '\0';
	return 0;
}

static int word(struct hp *p, const char *w)
{
	skip_ws(p);
	size_t n = strlen(w);
	if ((size_t)(p->end - p->s) >= n && !memcmp(p->s, w, n)) {
		p->s += n;
		return 1;
	}
	return 0;
}

/* A tuple of non-negative integers: (), (n,), (n, k), ... */
static int shape_lit(struct hp *p, size_t *dims, int *ndim)
{
	if (!eat(p, '('))
		return -1;
	*ndim = 0;
	for (;;) {
		if (eat(p, ')'))
			return 0;
		skip_ws(p);
		if (p->s >= p->end || *p->s < '0' || *p->s > '9')
			return -1;
		uint64_t v = 0;
		while (p->s < p->end && *p->s >= '0' && *p->s <= '9') {
			if (v > (UINT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (uint64_t)(*p->s++ - '0');
		}
		if (*ndim < 8)
			dims[*ndim] = (size_t)v;
		(*ndim)++;
		if (!eat(p, ',')) {
			if (!eat(p, ')'))
				return -1;
			/* (n) without a comma is an int in Python, not a tuple */
			return *ndim == 1 ? -1 : 0;
		}
	}
}

static int parse_descr(struct npyfile *f, const char *d, struct err *e)
{
	snprintf(f->descr, sizeof f->descr, "%s", d);
	const char *s = d;
	char order = '=';
	if (*s == '<' || *s == '>' || *s == '|' || *s == '=')
		order = *s++;
	char kind = *s ? *s++ : 0;
	char *endp;
	long size = *s ? strtol(s, &endp, 10) : 0;
	if (kind == 'O')
		return bad(e, f->path, "object arrays (dtype '%s') are not supported; "
			   "expected a float or integer array (np.save of a numeric array)", d);
	int ok = (kind == 'f' && (size == 2 || size == 4 || size == 8)) ||
		 ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8));
	if (!ok || *endp)
		return bad(e, f->path, "dtype '%s' is not supported; expected float16, "
			   "float32, float64 or an integer type", d);
	f->kind = kind;
	f->itemsize = (int)size;
	f->big_endian = order == '>';
	return 0;
}

int npyf_parse_header(struct npyfile *f, const uint8_t *buf, size_t len,
		      size_t *data_off, struct err *e)
{
	const char *path = f->path ? f->path : "(npy)";
	if (len < 10 || memcmp(buf, "\x93NUMPY", 6))
		return bad(e, path, "not a NumPy .npy file (no \\x93NUMPY magic)%s; "
			   "expected a file written by numpy.save", "");
	f->major = buf[6];
	f->minor = buf[7];
	size_t hlen, start;
	if (f->major == 1) {
		hlen = (size_t)buf[8] | (size_t)buf[9] << 8;
		start = 10;
	} else if (f->major == 2 || f->major == 3) {
		if (len < 12)
			return bad(e, path, "truncated header%s; expected a whole .npy header", "");
		hlen = (size_t)buf[8] | (size_t)buf[9] << 8 | (size_t)buf[10] << 16 |
		       (size_t)buf[11] << 24;
		start = 12;
	} else {
		char v[16];
		snprintf(v, sizeof v, "%d.%d", f->major, f->minor);
		return bad(e, path, "format version %s is not supported; expected 1.0, "
			   "2.0 or 3.0", v);
	}
	if (f->minor != 0) {
		char v[16];
		snprintf(v, sizeof v, "%d.%d", f->major, f->minor);
		return bad(e, path, "format version %s is not supported; expected 1.0, "
			   "2.0 or 3.0", v);
	}
	if (hlen > MAX_HEADER)
		return bad(e, path, "header length is implausible%s; expected at most 1 MiB", "");
	if (len < start + hlen)
		return bad(e, path, "truncated header%s; expected a whole .npy header", "");
	struct hp p = { (const char *)buf + start, (const char *)buf + start + hlen };
	for (const char *c = p.s; c < p.end; c++)
		if (*c == '\0' || (f->major < 3 && (unsigned char)*c >= 0x80))
			return bad(e, path, "header has bytes that are not text%s; "
				   "expected a Python dict literal", "");
	int have_descr = 0, have_fortran = 0, have_shape = 0;
	size_t dims[8];
	int ndim = 0;
	char key[32], val[64];
	if (!eat(&p, '{'))
		return bad(e, path, "header is not a dict%s; expected "
			   "{'descr': ..., 'fortran_order': ..., 'shape': ...}", "");
	for (;;) {
		if (eat(&p, '}'))
			break;
		if (str_lit(&p, key, sizeof key) < 0 || !eat(&p, ':'))
			return bad(e, path, "malformed header%s; expected "
				   "{'descr': ..., 'fortran_order': ..., 'shape': ...}", "");
		if (!strcmp(key, "descr")) {
			skip_ws(&p);
			if (p.s < p.end && *p.s == '[')
				return bad(e, path, "structured dtypes%s are not supported; "
					   "expected a plain float or integer array", "");
			if (str_lit(&p, val, sizeof val) < 0)
				return bad(e, path, "malformed descr%s; expected a dtype string such as '<f8'", "");
			if (parse_descr(f, val, e) < 0)
				return -1;
			have_descr++;
		} else if (!strcmp(key, "fortran_order")) {
			if (word(&p, "True"))
				f->fortran = 1;
			else if (word(&p, "False"))
				f->fortran = 0;
			else
				return bad(e, path, "malformed fortran_order%s; expected True or False", "");
			have_fortran++;
		} else if (!strcmp(key, "shape")) {
			if (shape_lit(&p, dims, &ndim) < 0)
				return bad(e, path, "malformed shape%s; expected a tuple of integers", "");
			have_shape++;
		} else
			return bad(e, path, "unexpected header key '%s'; expected only "
				   "descr, fortran_order and shape", key);
		if (!eat(&p, ',')) {
			if (!eat(&p, '}'))
				return bad(e, path, "malformed header%s; expected "
					   "{'descr': ..., 'fortran_order': ..., 'shape': ...}", "");
			break;
		}
	}
	skip_ws(&p);
	if (p.s != p.end)
		return bad(e, path, "text after the header dict%s; expected padding only", "");
	if (have_descr != 1 || have_fortran != 1 || have_shape != 1)
		return bad(e, path, "header lacks descr, fortran_order or shape%s; "
			   "expected each once", "");
	if (ndim < 1 || ndim > 2) {
		char r[32];
		snprintf(r, sizeof r, "%d", ndim);
		return bad(e, path, "array has %s dimensions; expected shape (N, K) "
			   "for probabilities or (N,) for labels", r);
	}
	f->ndim = ndim;
	f->n = dims[0];
	f->k = ndim == 2 ? dims[1] : 1;
	*data_off = start + hlen;
	return 0;
}

/* The data bytes the header promises, or SIZE_MAX on overflow. */
static size_t data_bytes(const struct npyfile *f)
{
	if (f->k && f->n > SIZE_MAX / f->k)
		return SIZE_MAX;
	size_t cells = f->n * f->k;
	if (cells > SIZE_MAX / (size_t)f->itemsize)
		return SIZE_MAX;
	return cells * (size_t)f->itemsize;
}

static int check_size(struct npyfile *f, size_t off, size_t have, struct err *e)
{
	size_t want = data_bytes(f);
	if (want == SIZE_MAX || want != have) {
		char shape[64];
		if (f->ndim == 2)
			snprintf(shape, sizeof shape, "(%zu, %zu)", f->n, f->k);
		else
			snprintf(shape, sizeof shape, "(%zu,)", f->n);
		return err_set(e, ERR_INPUT, "%s: %s: the header says shape %s of '%s' "
			       "(%zu bytes of data) but %zu bytes follow the %zu-byte header; "
			       "expected the file numpy.save wrote", f->path,
			       have < want ? "truncated file" : "header does not match the file size",
			       shape, f->descr, want == SIZE_MAX ? 0 : want, have, off);
	}
	return 0;
}

int npyf_open_mem(struct npyfile *f, const char *name, const uint8_t *buf,
		  size_t len, struct err *e)
{
	memset(f, 0, sizeof *f);
	f->path = xstrdup(name);
	size_t off;
	if (npyf_parse_header(f, buf, len, &off, e) < 0 ||
	    check_size(f, off, len - off, e) < 0) {
		npyf_close(f);
		return -1;
	}
	f->data = buf + off;
	return 0;
}

/* Inflate a gzip stream into an anonymous mapping sized by its header. */
static int open_gz(struct npyfile *f, int fd, uint64_t packed, struct err *e)
{
	gzFile gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		return err_set(e, ERR_RUNTIME, "%s: cannot start zlib", f->path);
	}
	uint8_t head[12];
	int got = gzread(gz, head, sizeof head);
	int rc = -1;
	uint8_t *all = NULL;
	size_t cap = 0;
	if (got < 0) {
		int zerr;
		err_set(e, ERR_INPUT, "%s: corrupt gzip data: %s", f->path, gzerror(gz, &zerr));
		goto out;
	}
	size_t hlen = 0, start = 12;
	if (got >= 10 && !memcmp(head, "\x93NUMPY", 6)) {
		if (head[6] == 1) {
			hlen = (size_t)head[8] | (size_t)head[9] << 8;
			start = 10;
		} else
			hlen = (size_t)head[8] | (size_t)head[9] << 8 |
			       (size_t)head[10] << 16 | (size_t)head[11] << 24;
	}
	if (hlen > MAX_HEADER)
		hlen = MAX_HEADER;
	size_t have = (size_t)got;
	cap = start + hlen > have ? start + hlen : have;
	uint8_t *hbuf = xmalloc(cap);
	memcpy(hbuf, head, have);
	if (cap > have) {
		int more = gzread(gz, hbuf + have, (unsigned)(cap - have));
		have += more > 0 ? (size_t)more : 0;
	}
	size_t off;
	if (npyf_parse_header(f, hbuf, have, &off, e) < 0) {
		free(hbuf);
		goto out;
	}
	size_t want = data_bytes(f);
	/* deflate packs at most about 1032:1: a bigger promise is a lie */
	if (want == SIZE_MAX || want > SIZE_MAX - off - 1 ||
	    (uint64_t)want / 1100 > packed + (1u << 20)) {
		free(hbuf);
		err_set(e, ERR_INPUT, "%s: header does not match the file size: shape (%zu, %zu) "
			"of '%s' is more data than a %llu-byte gzip file can hold; expected the "
			"file numpy.save wrote", f->path, f->n, f->k, f->descr,
			(unsigned long long)packed);
		goto out;
	}
	cap = off + want;
	all = mmap(NULL, cap + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (all == MAP_FAILED) {
		all = NULL;
		free(hbuf);
		err_set(e, ERR_RUNTIME, "%s: out of memory inflating %zu bytes", f->path, cap);
		goto out;
	}
	memcpy(all, hbuf, have);
	free(hbuf);
	size_t pos = have;
	for (;;) {
		size_t room = cap + 1 - pos;
		if (room == 0)
			break;
		int n = gzread(gz, all + pos, room > (1u << 30) ? 1u << 30 : (unsigned)room);
		if (n < 0) {
			int zerr;
			err_set(e, ERR_INPUT, "%s: corrupt gzip data: %s", f->path, gzerror(gz, &zerr));
			goto out;
		}
		if (n == 0)
			break;
		pos += (size_t)n;
	}
	if (check_size(f, off, pos - off, e) < 0)
		goto out;
	f->base = all;
	f->base_len = cap + 1;
	f->anon = 1;
	f->data = all + off;
	all = NULL;
	rc = 0;
out:
	if (all)
		munmap(all, cap + 1);
	gzclose(gz);
	return rc;
}

int npyf_open(struct npyfile *f, const char *path, struct err *e)
{
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set(e, ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		err_set(e, ERR_INPUT, "%s: not a regular file; expected a .npy file", path);
		goto fail;
	}
	uint8_t magic[2] = { 0, 0 };
	if (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		if (open_gz(f, fd, (uint64_t)st.st_size, e) < 0)
			goto fail;
		return 0;
	}
	size_t len = (size_t)st.st_size;
	void *m = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (len && m == MAP_FAILED) {
		err_set(e, ERR_RUNTIME, "%s: cannot map: %s", path, strerror(errno));
		goto fail;
	}
	f->base = m;
	f->base_len = len;
	f->mapped = len > 0;
	size_t off;
	if (npyf_parse_header(f, f->base, len, &off, e) < 0 ||
	    check_size(f, off, len - off, e) < 0)
		goto fail;
	f->data = f->base + off;
	return 0;
fail:
	npyf_close(f);
	return -1;
}

void npyf_close(struct npyfile *f)
{
	if ((f->mapped || f->anon) && f->base)
		munmap(f->base, f->base_len);
	free(f->path);
	memset(f, 0, sizeof *f);
}

static int host_big_endian(void)
{
	const uint16_t one = 1;
	return *(const uint8_t *)&one == 0;
}

double *npyf_native(const struct npyfile *f, int writable)
{
	if (f->kind != 'f' || f->itemsize != 8 || f->big_endian != host_big_endian() ||
	    (f->fortran && f->n > 1 && f->k > 1) || ((uintptr_t)f->data & 7))
		return NULL;
	/* copy-on-write: writes change this process's pages only */
	if (writable && f->mapped && mprotect(f->base, f->base_len, PROT_READ | PROT_WRITE) < 0)
		return NULL;
	return (double *)(uintptr_t)f->data;
}

double npyf_half(uint16_t h)
{
	int sign = h >> 15, ex = (h >> 10) & 0x1f, man = h & 0x3ff;
	double v;
	if (ex == 0)
		v = ldexp((double)man, -24);
	else if (ex == 31)
		v = man ? NAN : INFINITY;
	else
		v = ldexp((double)(man | 0x400), ex - 25);
	return sign ? -v : v;
}

/* Every float16 value as a double, built once (512 KB): a lookup per
 * element instead of a decode. */
static double *half_values;
static pthread_once_t half_once = PTHREAD_ONCE_INIT;

static void half_init(void)
{
	half_values = xmallocarray(65536, sizeof *half_values);
	for (uint32_t h = 0; h < 65536; h++)
		half_values[h] = npyf_half((uint16_t)h);
}

static const double *half_table(void)
{
	pthread_once(&half_once, half_init);
	return half_values;
}

void npyf_halves(const uint8_t *p, size_t m, double *out)
{
	const double *half = half_table();
	for (size_t i = 0; i < m; i++) {
		uint16_t h;
		memcpy(&h, p + i * 2, 2);
		out[i] = half[h];
	}
}

static uint64_t load_bits(const uint8_t *p, int size, int swap)
{
	uint64_t v = 0;
	if (!swap)
		memcpy((uint8_t *)&v + (host_big_endian() ? 8 - size : 0), p, (size_t)size);
	else
		for (int i = 0; i < size; i++)
			((uint8_t *)&v)[host_big_endian() ? 7 - i : i] = p[size - 1 - i];
	return v;
}

static double to_double(const uint8_t *p, int size, int swap)
{
	uint64_t b = load_bits(p, size, swap);
	if (size == 8) {
		double d;
		memcpy(&d, &b, 8);
		return d;
	}
	if (size == 4) {
		uint32_t u = (uint32_t)b;
		float x;
		memcpy(&x, &u, 4);
		return (double)x;
	}
	return npyf_half((uint16_t)b);
}

int npyf_rows(const struct npyfile *f, size_t a, size_t b, double *out,
	      struct err *e)
{
	if (f->kind != 'f')
		return err_set(e, ERR_INPUT, "%s: dtype '%s' is not a float type; expected "
			       "probabilities as float16, float32 or float64", f->path, f->descr);
	if (b > f->n || a > b)
		return err_set(e, ERR_RUNTIME, "%s: rows %zu..%zu outside %zu", f->path, a, b, f->n);
	int swap = f->big_endian != host_big_endian();
	size_t sz = (size_t)f->itemsize, k = f->k;
	if (!f->fortran && !swap && sz == 8) {
		memcpy(out, f->data + a * k * 8, (b - a) * k * 8);
		return 0;
	}
	if (!f->fortran && !swap && sz == 2) {
		npyf_halves(f->data + a * k * 2, (b - a) * k, out);
		return 0;
	}
	if (!f->fortran && !swap && sz == 4) {
		const uint8_t *p = f->data + a * k * 4;
		for (size_t i = 0; i < (b - a) * k; i++) {
			float x;
			memcpy(&x, p + i * 4, 4);
			out[i] = (double)x;
		}
		return 0;
	}
	for (size_t i = a; i < b; i++)
		for (size_t j = 0; j < k; j++) {
			size_t idx = f->fortran ? j * f->n + i : i * k + j;
			out[(i - a) * k + j] = to_double(f->data + idx * sz, f->itemsize, swap);
		}
	return 0;
}

void npyf_prefault(const struct npyfile *f)
{
	if (!f->mapped)
		return;
#ifdef MADV_POPULATE_READ
	if (madvise(f->base, f->base_len, MADV_POPULATE_READ) == 0)
		return;
#endif
	/* Older kernels: read ahead, then touch one byte a page. */
	madvise(f->base, f->base_len, MADV_WILLNEED);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	volatile uint8_t sink = 0;
	for (size_t off = 0; off < f->base_len; off += page)
		sink ^= f->base[off];
	(void)sink;
}

void npyf_release(const struct npyfile *f, size_t a, size_t b)
{
	if (!f->mapped || b <= a)
		return;
	size_t sz = (size_t)f->itemsize, page = (size_t)sysconf(_SC_PAGESIZE);
	size_t spans = f->fortran ? f->k : 1;
	for (size_t j = 0; j < spans; j++) {
		/* The bytes of rows [a, b) (of column j in Fortran order), shrunk to
		 * whole pages: a page shared with rows still to come stays. */
		const uint8_t *lo = f->fortran ? f->data + (j * f->n + a) * sz
					       : f->data + a * f->k * sz;
		const uint8_t *hi = f->fortran ? f->data + (j * f->n + b) * sz
					       : f->data + b * f->k * sz;
		uintptr_t l = ((uintptr_t)lo + page - 1) / page * page;
		uintptr_t h = (uintptr_t)hi / page * page;
		if (b == f->n && !f->fortran)
			h = ((uintptr_t)hi + page - 1) / page * page;
		if (h > l)
			madvise((void *)l, h - l, MADV_DONTNEED);
	}
}

int npyf_ints(const struct npyfile *f, size_t a, size_t b, int64_t *out,
	      struct err *e)
{
	if (f->kind != 'i' && f->kind != 'u')
		return err_set(e, ERR_INPUT, "%s: dtype '%s' is not an integer type; "
			       "expected labels as integers (class indices)", f->path, f->descr);
	int swap = f->big_endian != host_big_endian();
	int sz = f->itemsize;
	if (!swap && sz == 8 && f->kind == 'i' && (f->k == 1 || f->fortran)) {
		memcpy(out, f->data + a * 8, (b - a) * 8);
		return 0;
	}
	for (size_t i = a; i < b; i++) {
		size_t idx = f->fortran ? i : i * f->k;  /* first column for (n, 1) */
		uint64_t v = load_bits(f->data + idx * (size_t)sz, sz, swap);
		if (f->kind == 'i' && sz < 8 && (v >> (sz * 8 - 1)) & 1)
			v |= ~(uint64_t)0 << (sz * 8);   /* sign-extend */
		if (f->kind == 'u' && v > INT64_MAX)
			return err_set(e, ERR_INPUT, "%s: row %zu: label %llu is too large; "
				       "expected a class index", f->path, i,
				       (unsigned long long)v);
		out[i - a] = (int64_t)v;
	}
	return 0;
}

int npyf_is_npy_path(const char *path)
{
	size_t n = strlen(path);
	return (n >= 4 && !strcmp(path + n - 4, ".npy")) ||
	       (n >= 7 && !strcmp(path + n - 7, ".npy.gz"));
}
