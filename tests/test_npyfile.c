/* test_npyfile.c — the .npy reader and the loader on .npy inputs: every
 * float dtype in both byte orders, C and Fortran order, format versions
 * 1.0/2.0/3.0 and gzip, values converted exactly (every float16 bit
 * pattern); integer labels of every width; and each kind of bad file
 * (truncated, lying header, wrong rank, object and structured dtypes, bad
 * magic, NaN, out of range) failing with ERR_INPUT naming the file (and
 * for values the row and column). The files are built here byte by byte. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "dataset.h"
#include "numpyfile.h"

static char dir[] = "/tmp/relabel-test-npy-XXXXXX";

struct buf {
	unsigned char *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

/* The header as numpy writes it (padded with spaces to a multiple of 64,
 * ending in a newline), for the given version. */
static void header(struct buf *b, int version, const char *dict)
{
	size_t pre = version == 1 ? 10 : 12, len = strlen(dict);
	size_t total = pre + len + 1, pad = (64 - total % 64) % 64, hlen = len + pad + 1;
	unsigned char magic[12] = { 0x93, 'N', 'U', 'M', 'P', 'Y', (unsigned char)version, 0,
				    (unsigned char)hlen, (unsigned char)(hlen >> 8),
				    (unsigned char)(hlen >> 16), (unsigned char)(hlen >> 24) };
	put(b, magic, pre);
	put(b, dict, len);
	for (size_t i = 0; i < pad; i++)
		put(b, " ", 1);
	put(b, "\n", 1);
}

/* One element of value v as descr kind/size/order. */
static void element(struct buf *b, double v, int size, int big)
{
	unsigned char raw[8];
	if (size == 8)
		memcpy(raw, &v, 8);
	else if (size == 4) {
		float f = (float)v;
		memcpy(raw, &f, 4);
	} else {
		/* values used are exact halves: sign 0, from a small table */
		uint16_t h;
		if (v == 0)
			h = 0;
		else {
			int ex;
			double m = frexp(v, &ex);        /* v = m * 2^ex, m in [0.5, 1) */
			h = (uint16_t)(((ex - 1 + 15) << 10) | ((int)ldexp(m, 11) & 0x3ff));
		}
		memcpy(raw, &h, 2);
	}
	if (big)
		for (int i = 0; i < size / 2; i++) {
			unsigned char t = raw[i];
			raw[i] = raw[size - 1 - i];
			raw[size - 1 - i] = t;
		}
	put(b, raw, (size_t)size);
}

/* Probabilities exactly representable in float16: multiples of 1/8. */
static const double P[3][4] = {
	{ 0.5, 0.25, 0.125, 0.125 },
	{ 0.0, 1.0, 0.0, 0.0 },
	{ 0.375, 0.375, 0.125, 0.125 },
};

static void write_file(const char *name, const struct buf *b, char *path)
{
	snprintf(path, 600, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert(f != NULL);
	fwrite(b->p, 1, b->n, f);
	fclose(f);
}

static void make_probs(struct buf *b, int version, int size, int big, int fortran)
{
	char dict[200];
	snprintf(dict, sizeof dict, "{'descr': '%cf%d', 'fortran_order': %s, 'shape': (3, 4), }",
		 big ? '>' : '<', size, fortran ? "True" : "False");
	b->n = 0;
	header(b, version, dict);
	for (int a = 0; a < (fortran ? 4 : 3); a++)
		for (int c = 0; c < (fortran ? 3 : 4); c++)
			element(b, fortran ? P[c][a] : P[a][c], size, big);
}

START_TEST(test_every_layout)
{
	struct buf b = { 0 };
	char path[600];
	for (int version = 1; version <= 3; version++)
		for (int size = 2; size <= 8; size *= 2)
			for (int big = 0; big <= 1; big++)
				for (int fortran = 0; fortran <= 1; fortran++) {
					make_probs(&b, version, size, big, fortran);
					write_file("p.npy", &b, path);
					struct npyfile f;
					struct err e = { 0 };
					ck_assert_msg(npyf_open(&f, path, &e) == 0, "v%d f%d big %d F %d: %s",
						      version, size, big, fortran, e.msg);
					ck_assert_int_eq(f.major, version);
					ck_assert_uint_eq(f.n, 3);
					ck_assert_uint_eq(f.k, 4);
					ck_assert_int_eq(f.fortran, fortran);
					double out[12];
					ck_assert_int_eq(npyf_rows(&f, 0, 3, out, &e), 0);
					for (int i = 0; i < 12; i++)
						ck_assert_msg(out[i] == P[i / 4][i % 4], "v%d f%d big %d F %d [%d]: %g",
							      version, size, big, fortran, i, out[i]);
					/* a row range alone */
					ck_assert_int_eq(npyf_rows(&f, 2, 3, out, &e), 0);
					ck_assert(out[0] == 0.375 && out[3] == 0.125);
					ck_assert_int_eq(npyf_native(&f, 0) != NULL,
							 size == 8 && !big && !fortran);
					npyf_close(&f);
				}
	free(b.p);
}
END_TEST

START_TEST(test_float16_exact)
{
	for (unsigned h = 0; h < 65536; h++) {
		double v = npyf_half((uint16_t)h);
		int ex = (h >> 10) & 31, man = h & 0x3ff, neg = h >> 15;
		double want = ex == 0 ? man * pow(2, -24) : ex == 31 ? (man ? NAN : INFINITY)
			      : (1 + man / 1024.0) * pow(2, ex - 15);
		if (neg)
			want = -want;
		if (isnan(want))
			ck_assert(isnan(v));
		else
			ck_assert_msg(v == want, "half %04x: %.17g, want %.17g", h, v, want);
	}
	ck_assert(npyf_half(0x3c00) == 1.0);
	ck_assert(npyf_half(0x0001) == ldexp(1, -24));
	ck_assert(npyf_half(0x7bff) == 65504.0);
}
END_TEST

/* The bulk conversion of npyf_rows against npyf_half, over all 65,536
 * halves, from odd addresses and with several lengths: the same bits, NaNs
 * included (sign kept). */
START_TEST(test_float16_bulk)
{
	size_t m = 65536 + 16;
	uint8_t *bytes = malloc(m * 2 + 1);
	double *out = malloc(m * sizeof *out);
	for (size_t i = 0; i < m; i++) {
		uint16_t h = (uint16_t)(i * 40503u);   /* odd: every half once */
		memcpy(bytes + 1 + i * 2, &h, 2);
	}
	for (size_t start = 0; start < 3; start++)
		for (size_t len = m - 16; len <= m - start; len += 5) {
			const uint8_t *p = bytes + 1 + start * 2;
			npyf_halves(p, len, out);
			for (size_t i = 0; i < len; i++) {
				uint16_t h;
				memcpy(&h, p + i * 2, 2);
				double want = npyf_half(h);
				if (isnan(want))
					ck_assert_msg(isnan(out[i]) && !signbit(out[i]) == !signbit(want),
						      "half %04x: NaN expected", h);
				else
					ck_assert_msg(!memcmp(&out[i], &want, sizeof want),
						      "half %04x: %.17g, want %.17g", h, out[i], want);
			}
		}
	free(bytes);
	free(out);
}
END_TEST

START_TEST(test_integer_labels)
{
	const char *descr[] = { "|i1", "|u1", "<i2", ">i2", "<u2", "<i4", ">i4", "<u4",
				"<i8", ">i8", "<u8", ">u8" };
	struct buf b = { 0 };
	char path[600];
	for (size_t t = 0; t < sizeof descr / sizeof *descr; t++) {
		int size = descr[t][2] - '0';
		int big = descr[t][0] == '>';
		char dict[200];
		snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (5,), }",
			 descr[t]);
		b.n = 0;
		header(&b, 1, dict);
		for (int i = 0; i < 5; i++) {
			unsigned char raw[8] = { 0 };
			uint64_t v = (uint64_t)(i == 4 && descr[t][1] == 'i' ? -1 : i * 3 % 4);
			for (int j = 0; j < size; j++)
				raw[big ? size - 1 - j : j] = (unsigned char)(v >> (8 * j));
			put(&b, raw, (size_t)size);
		}
		write_file("y.npy", &b, path);
		struct npyfile f;
		struct err e = { 0 };
		ck_assert_msg(npyf_open(&f, path, &e) == 0, "%s: %s", descr[t], e.msg);
		int64_t out[5];
		ck_assert_int_eq(npyf_ints(&f, 0, 5, out, &e), 0);
		for (int i = 0; i < 4; i++)
			ck_assert_int_eq(out[i], i * 3 % 4);
		ck_assert_int_eq(out[4], descr[t][1] == 'i' ? -1 : 4 * 3 % 4);
		npyf_close(&f);
	}
	free(b.p);
}
END_TEST

/* Opening fails with ERR_INPUT, the message naming the file and `what`. */
static void open_bad(const struct buf *b, const char *what)
{
	char path[600];
	write_file("bad.npy", b, path);
	struct npyfile f;
	struct err e = { 0 };
	ck_assert_msg(npyf_open(&f, path, &e) == -1, "accepted, want '%s'", what);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_msg(!strncmp(e.msg, path, strlen(path)), "'%s' does not name the file", e.msg);
	ck_assert_msg(strstr(e.msg, what) != NULL, "'%s' lacks '%s'", e.msg, what);
}

START_TEST(test_bad_files)
{
	struct buf b = { 0 };
	make_probs(&b, 1, 8, 0, 0);
	size_t whole = b.n;
	b.n = whole - 1;
	open_bad(&b, "truncated file");
	b.n = 40;
	open_bad(&b, "truncated header");
	b.n = 5;
	open_bad(&b, "not a NumPy .npy file");
	b.n = whole;
	put(&b, "extra", 5);
	open_bad(&b, "header does not match the file size");
	const struct { const char *dict, *what; } cases[] = {
		{ "{'descr': '<f8', 'fortran_order': False, 'shape': (4, 4), }", "truncated file" },
		{ "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4), }", "does not match" },
		{ "{'descr': '|O', 'fortran_order': False, 'shape': (3, 4), }", "object arrays" },
		{ "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (3,), }", "structured" },
		{ "{'descr': '<c16', 'fortran_order': False, 'shape': (3, 4), }", "not supported" },
		{ "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2, 2), }", "3 dimensions" },
		{ "{'descr': '<f8', 'fortran_order': False, 'shape': (), }", "0 dimensions" },
		{ "{'descr': '<f8', 'fortran_order': 0, 'shape': (3, 4), }", "fortran_order" },
		{ "{'descr': '<f8', 'shape': (3, 4), }", "lacks" },
		{ "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), 'x': 1}", "unexpected header key" },
		{ "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999, 4), }", "malformed shape" },
		{ "{'descr': '<f8', 'fortran_order': False, 'shape': (12), }", "malformed shape" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf c = { 0 };
		header(&c, 1, cases[i].dict);
		for (int j = 0; j < 12; j++)
			element(&c, 0.25, 8, 0);
		open_bad(&c, cases[i].what);
		free(c.p);
	}
	/* a version that does not exist */
	make_probs(&b, 1, 8, 0, 0);
	b.p[6] = 4;
	open_bad(&b, "format version 4.0");
	free(b.p);
}
END_TEST

START_TEST(test_gzip)
{
	struct buf b = { 0 };
	char path[600];
	make_probs(&b, 2, 4, 1, 1);
	snprintf(path, sizeof path, "%s/p.npy.gz", dir);
	gzFile gz = gzopen(path, "wb");
	ck_assert(gz != NULL);
	gzwrite(gz, b.p, (unsigned)b.n);
	gzclose(gz);
	struct npyfile f;
	struct err e = { 0 };
	ck_assert_msg(npyf_open(&f, path, &e) == 0, "%s", e.msg);
	double out[12];
	ck_assert_int_eq(npyf_rows(&f, 0, 3, out, &e), 0);
	for (int i = 0; i < 12; i++)
		ck_assert(out[i] == P[i / 4][i % 4]);
	npyf_close(&f);
	/* truncated inside the compressed stream */
	gz = gzopen(path, "wb");
	gzwrite(gz, b.p, (unsigned)b.n - 8);
	gzclose(gz);
	ck_assert_int_eq(npyf_open(&f, path, &e), -1);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_msg(strstr(e.msg, "truncated") != NULL, "%s", e.msg);
	free(b.p);
}
END_TEST

/* The loader: DATA.csv + .npy probabilities, labels from .npy. */
static int load(const char *data, const struct buf *probs, struct dataset **d,
		struct err *e, int renorm)
{
	char dpath[600], ppath[600];
	snprintf(dpath, sizeof dpath, "%s/data.csv", dir);
	FILE *f = fopen(dpath, "w");
	fputs(data, f);
	fclose(f);
	write_file("probs.npy", probs, ppath);
	struct dataset_opts o = { .data_path = dpath, .probs_path = ppath,
				  .renormalize = renorm };
	return dataset_load(d, &o, e);
}

START_TEST(test_loader_values)
{
	struct buf b = { 0 };
	struct dataset *d;
	struct err e = { 0 };
	make_probs(&b, 1, 2, 1, 1);
	ck_assert_msg(load("id,label\na,0\nb,1\nc,3\n", &b, &d, &e, 0) == 0, "%s", e.msg);
	ck_assert_uint_eq(d->k, 4);
	ck_assert_str_eq(d->class_names[3], "3");
	ck_assert_int_eq(d->labels[2], 3);
	for (int i = 0; i < 12; i++)
		ck_assert(d->probs[i] == P[i / 4][i % 4]);
	dataset_free(d);
	/* NaN: row and column named */
	char dict[] = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }";
	b.n = 0;
	header(&b, 1, dict);
	for (int i = 0; i < 12; i++)
		element(&b, i == 6 ? NAN : 0.25, 8, 0);
	ck_assert_int_eq(load("id,label\na,0\nb,1\nc,3\n", &b, &d, &e, 0), -1);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_msg(strstr(e.msg, "probs.npy: row 1, column 2") != NULL, "%s", e.msg);
	/* above 1 by 1e-5: refused, and the message suggests --renormalize */
	b.n = 0;
	header(&b, 1, dict);
	for (int i = 0; i < 12; i++)
		element(&b, i == 4 ? 1.00001 : i == 5 ? 0.00001 : i < 4 || i > 7 ? 0.25 : 0, 8, 0);
	ck_assert_int_eq(load("id,label\na,0\nb,1\nc,3\n", &b, &d, &e, 0), -1);
	ck_assert_msg(strstr(e.msg, "row 1, column 0") && strstr(e.msg, "--renormalize"), "%s", e.msg);
	/* with --renormalize the row is divided by its sum first */
	ck_assert_msg(load("id,label\na,0\nb,1\nc,3\n", &b, &d, &e, 1) == 0, "%s", e.msg);
	ck_assert(d->probs[4] == 1.00001 / (1.00001 + 0.00001));
	ck_assert(d->probs[0] == 0.25);
	dataset_free(d);
	/* rows differ from the examples */
	ck_assert_int_eq(load("id,label\na,0\nb,1\n", &b, &d, &e, 1), -1);
	ck_assert_msg(strstr(e.msg, "3 rows of probabilities for 2 examples"), "%s", e.msg);
	/* labels must be class indices */
	ck_assert_int_eq(load("id,label\na,0\nb,1\nc,7\n", &b, &d, &e, 1), -1);
	ck_assert_msg(strstr(e.msg, "data.csv:4:2:") != NULL, "%s", e.msg);
	free(b.p);
}
END_TEST

START_TEST(test_csv_renormalize_first)
{
	char dpath[600], ppath[600];
	snprintf(dpath, sizeof dpath, "%s/data.csv", dir);
	snprintf(ppath, sizeof ppath, "%s/probs.csv", dir);
	FILE *f = fopen(dpath, "w");
	fputs("label\na\nb\n", f);
	fclose(f);
	f = fopen(ppath, "w");
	fputs("a,b\n1.00001,0.00001\n0.2,0.8\n", f);
	fclose(f);
	struct dataset_opts o = { .data_path = dpath, .probs_path = ppath };
	struct dataset *d;
	struct err e = { 0 };
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "probs.csv:2:1:") && strstr(e.msg, "--renormalize"), "%s", e.msg);
	o.renormalize = 1;
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	ck_assert(d->probs[0] == 1.00001 / (1.00001 + 0.00001));
	dataset_free(d);
}
END_TEST

START_TEST(test_classes_file)
{
	struct buf b = { 0 };
	make_probs(&b, 1, 8, 0, 0);
	char cpath[600], dpath[600], ppath[600];
	snprintf(cpath, sizeof cpath, "%s/classes.json", dir);
	FILE *f = fopen(cpath, "w");
	fputs(" [\"cat\", \"dog\", \"caf\\u00e9\", \"a,b\"]\n", f);
	fclose(f);
	snprintf(dpath, sizeof dpath, "%s/data.csv", dir);
	f = fopen(dpath, "w");
	fputs("label\ncat\n\"a,b\"\n2\n", f);
	fclose(f);
	write_file("probs.npy", &b, ppath);
	struct dataset_opts o = { .data_path = dpath, .probs_path = ppath,
				  .classes_path = cpath, .label_index = 1 };
	struct dataset *d;
	struct err e = { 0 };
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	ck_assert_str_eq(d->class_names[2], "caf\xc3\xa9");
	ck_assert_int_eq(d->labels[0], 0);
	ck_assert_int_eq(d->labels[1], 3);
	ck_assert_int_eq(d->labels[2], 2);     /* --label-index */
	dataset_free(d);
	o.label_index = 0;
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "data.csv:4:1:"), "%s", e.msg);
	/* one name per line, wrong count */
	f = fopen(cpath, "w");
	fputs("cat\ndog\n", f);
	fclose(f);
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "2 class names for 4 columns"), "%s", e.msg);
	/* without probabilities, --classes fixes the class order of the labels */
	f = fopen(dpath, "w");
	fputs("label\ndog\ncat\n1\n", f);
	fclose(f);
	f = fopen(cpath, "w");
	fputs("dog\ncat\n", f);
	fclose(f);
	struct dataset_opts o2 = { .data_path = dpath, .probs_path = NULL, .classes_path = cpath,
				   .allow_missing_probs = 1, .label_index = 1 };
	snprintf(ppath, sizeof ppath, "%s/probs.csv", dir);
	unlink(ppath);
	ck_assert_msg(dataset_load(&d, &o2, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(d->k, 2);
	ck_assert_int_eq(d->labels[0], 0);
	ck_assert_int_eq(d->labels[1], 1);
	ck_assert_int_eq(d->labels[2], 1);
	dataset_free(d);
	/* and with a probabilities CSV it is refused */
	o.probs_path = dpath;
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "--classes names the columns of .npy"), "%s", e.msg);
	free(b.p);
}
END_TEST

START_TEST(test_labels_only)
{
	struct buf b = { 0 };
	char ypath[600], ppath[600];
	b.n = 0;
	header(&b, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }");
	int32_t y[3] = { 0, 3, 1 };
	put(&b, y, sizeof y);
	write_file("y.npy", &b, ypath);
	make_probs(&b, 3, 4, 0, 0);
	write_file("probs.npy", &b, ppath);
	struct dataset_opts o = { .labels_path = ypath, .probs_path = ppath };
	struct dataset *d;
	struct err e = { 0 };
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(d->n, 3);
	ck_assert_int_eq(d->labels[1], 3);
	ck_assert_str_eq(dataset_cell(d, 1, (size_t)d->label_col), "3");
	char idb[32];
	ck_assert_str_eq(dataset_id(d, 2, idb), "2");
	ck_assert(d->probs[4] == 0.0 && d->probs[5] == 1.0);
	dataset_free(d);
	/* a label outside the classes */
	y[1] = 4;
	b.n = 0;
	header(&b, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }");
	put(&b, y, sizeof y);
	write_file("y.npy", &b, ypath);
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "y.npy: row 1: label 4 is not a class index"), "%s", e.msg);
	/* float labels */
	o.labels_path = ppath;
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "not an integer type"), "%s", e.msg);
	free(b.p);
}
END_TEST

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	Suite *s = suite_create("npyfile");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_every_layout);
	tcase_add_test(tc, test_float16_exact);
	tcase_add_test(tc, test_float16_bulk);
	tcase_add_test(tc, test_integer_labels);
	tcase_add_test(tc, test_bad_files);
	tcase_add_test(tc, test_gzip);
	tcase_add_test(tc, test_loader_values);
	tcase_add_test(tc, test_csv_renormalize_first);
	tcase_add_test(tc, test_classes_file);
	tcase_add_test(tc, test_labels_only);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed++;
	return failed ? 1 : 0;
}
