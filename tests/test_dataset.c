/* test_dataset.c — the loader: RFC 4180 input it must accept, and every kind
 * of bad input, each reported as FILE:LINE:COLUMN at the right place with
 * ERR_INPUT; the fast and the safe number paths, serial and split parsing,
 * giving bit-identical probabilities. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dataset.h"
#include "dataset_priv.h"
#include "numparse.h"

static char dir[] = "/tmp/relabel-test-dataset-XXXXXX";
static char data_path[600], probs_path[600];

static void put(const char *name, const char *text, char *path)
{
	snprintf(path, 600, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert(f != NULL);
	fputs(text, f);
	fclose(f);
}

static struct dataset *load_opt(const char *data, const char *probs, int index_ids)
{
	put("data.csv", data, data_path);
	put("probs.csv", probs, probs_path);
	struct dataset_opts o = { .data_path = data_path, .record_offsets = 1,
				  .index_ids = index_ids };
	struct dataset *d = NULL;
	struct err e = { 0 };
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "unexpected error: %s", e.msg);
	return d;
}

static struct dataset *load_ok(const char *data, const char *probs)
{
	return load_opt(data, probs, 0);
}

/* Loading fails with ERR_INPUT and a message starting with `where` (file
 * name relative to the temp dir) and containing `what`. */
static void load_bad(const char *data, const char *probs, const char *where,
		     const char *what)
{
	put("data.csv", data, data_path);
	put("probs.csv", probs, probs_path);
	struct dataset_opts o = { .data_path = data_path };
	struct dataset *d = NULL;
	struct err e = { 0 };
	ck_assert_msg(dataset_load(&d, &o, &e) == -1, "accepted bad input, want %s", where);
	ck_assert_ptr_null(d);
	ck_assert_int_eq(e.code, ERR_INPUT);
	char want[700];
	snprintf(want, sizeof want, "%s/%s", dir, where);
	ck_assert_msg(!strncmp(e.msg, want, strlen(want)), "message '%s' does not start "
		      "with '%s'", e.msg, want);
	ck_assert_msg(strstr(e.msg, what) != NULL, "message '%s' lacks '%s'", e.msg, what);
}

#define P2 "a,b\n0.9,0.1\n0.2,0.8\n"

/* The row index keeps 32 bits a row and an era for each change of the
 * high bits: offsets past 4 GiB, several times, and a row longer than
 * 8 GiB (two eras at once) read back exactly. */
START_TEST(test_row_index_eras)
{
	static const uint64_t offs[] = {
		0, 10, 4294967295u, 4294967296u, 4294967300u, 8589934591u,
		30064771072u, 30064771073u, 34359738368u, 34359738369u,
	};
	size_t n = sizeof offs / sizeof offs[0];
	struct dataset_priv pv = { 0 };
	pv.row_cells = malloc(n * sizeof *pv.row_cells);
	for (size_t r = 0; r < n; r++)
		row_cell_add(&pv, r, offs[r]);
	ck_assert_uint_eq(pv.neras, 3);   /* the high bits become 1, 7 and 8 */
	for (size_t r = 0; r < n; r++)
		ck_assert_msg(row_cell_get(&pv, r) == offs[r], "row %zu: %llu, want %llu", r,
			      (unsigned long long)row_cell_get(&pv, r), (unsigned long long)offs[r]);
	free(pv.row_cells);
	free(pv.eras);
}
END_TEST

START_TEST(test_rfc4180_fields)
{
	struct dataset *d = load_ok(
		"\xEF\xBB\xBFid,text,label\r\n"
		"x1,\"hello, \"\"world\"\"\r\nsecond line\",a\r\n"
		"x2, spaced ,b\r\n",
		"a,b\n0.9,0.1\n0.2,0.8");   /* no final newline: csv_fini's row */
	ck_assert_uint_eq(d->n, 2);
	ck_assert_str_eq(d->col_names[0], "id");
	ck_assert_int_eq(d->text_col, 1);
	ck_assert_str_eq(dataset_cell(d, 0, 1), "hello, \"world\"\r\nsecond line");
	ck_assert_str_eq(dataset_cell(d, 1, 1), " spaced ");
	ck_assert_int_eq(d->labels[0], 0);
	ck_assert_int_eq(d->labels[1], 1);
	ck_assert_double_eq(d->probs[3], 0.8);
	ck_assert_uint_eq(d->row_offset[0], 3 + 15);
	ck_assert_uint_eq(d->row_offset[1], 3 + 15 + 38);
	ck_assert_uint_eq(d->row_offset[2], 3 + 15 + 38 + 15);
	ck_assert_int_eq(dataset_find_id(d, "x2"), 1);
	ck_assert_int_eq(dataset_find_id(d, "x3"), -1);
	dataset_free(d);
}
END_TEST

/* Export reads only PROBS.csv's header: the classes, not one number (a
 * body that would not parse is never looked at). */
START_TEST(test_probs_header_only)
{
	put("data.csv", "id,label\nx1,b\nx2,a\n", data_path);
	put("probs.csv", "a,b\nnot,numbers\n", probs_path);
	struct dataset_opts o = { .data_path = data_path, .record_offsets = 1,
				  .probs_header_only = 1 };
	struct dataset *d = NULL;
	struct err e = { 0 };
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "unexpected error: %s", e.msg);
	ck_assert_ptr_null(d->probs);
	ck_assert_uint_eq(d->k, 2);
	ck_assert_str_eq(d->class_names[1], "b");
	ck_assert_int_eq(d->labels[0], 1);
	ck_assert_uint_eq(d->row_offset[2], 19);
	dataset_free(d);
	o.probs_header_only = 0;
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
}
END_TEST

START_TEST(test_class_names_opaque)
{
	struct dataset *d = load_ok("label\n10\n\"a,\"\"b\"\n\xC3\xA9t\xC3\xA9\n",
				    "10,2,\"a,\"\"b\",\xC3\xA9t\xC3\xA9\n"
				    "1,0,0,0\n0,0,1,0\n0,0,0,1\n");
	ck_assert_uint_eq(d->k, 4);
	ck_assert_str_eq(d->class_names[2], "a,\"b");
	ck_assert_int_eq(d->labels[0], 0);
	ck_assert_int_eq(d->labels[1], 2);
	ck_assert_int_eq(d->labels[2], 3);
	ck_assert_int_eq(dataset_class_index(d, "2"), 1);
	char buf[32];
	ck_assert_str_eq(dataset_id(d, 2, buf), "2");
	dataset_free(d);
}
END_TEST

START_TEST(test_join_by_id)
{
	struct dataset *d = load_ok("id,label\nq,a\nr,b\n", "id,a,b\nr,0.3,0.7\nq,1,0\n");
	ck_assert_double_eq(d->probs[0], 1);
	ck_assert_double_eq(d->probs[3], 0.7);
	dataset_free(d);
	load_bad("id,label\nq,a\nr,b\n", "id,a,b\nr,0.3,0.7\nr,1,0\n", "probs.csv:3:1:", "twice");
	load_bad("id,label\nq,a\nr,b\n", "id,a,b\nr,0.3,0.7\nz,1,0\n", "probs.csv:3:1:", "'z'");
	load_bad("id,label\nq,a\nq,b\n", "id,a,b\nq,0.3,0.7\nq,1,0\n", "data.csv:", "twice");
	load_bad("label\na\nb\n", "id,a,b\n0,0.3,0.7\n1,1,0\n", "probs.csv:1:1:", "no id column");
}
END_TEST

START_TEST(test_bad_structure)
{
	load_bad("", P2, "data.csv:1:", "empty file");
	load_bad("label\n", P2, "data.csv:", "no examples");
	load_bad("id,label\nx,a\ny\n", P2, "data.csv:3:1:", "expected 2");
	load_bad("id,label\nx,a,z\ny,b\n", P2, "data.csv:2:3:", "expected 2");
	load_bad("id,lbl\nx,a\ny,b\n", P2, "data.csv:1:", "no column 'label'");
	load_bad("id,label\nx,a\ny,c\n", P2, "data.csv:3:2:", "label 'c'");
	load_bad("label\na\nb\n", "", "probs.csv:1:", "empty file");
	load_bad("label\na\nb\n", "a,b\n0.5,0.5\n", "probs.csv:", "1 rows of probabilities for 2");
	load_bad("label\na\nb\n", P2 "0.5,0.5\n", "probs.csv:4:", "more rows");
	load_bad("label\na\nb\n", "a,b\n0.5\n0.5,0.5\n", "probs.csv:2:1:", "expected 2");
	load_bad("label\na\nb\n", "a,a\n0.5,0.5\n0.5,0.5\n", "probs.csv:1:2:", "twice");
}
END_TEST

START_TEST(test_bad_quotes)
{
	/* The quoted field opens on line 3 and never closes. */
	load_bad("id,label\nx,a\n\"y\nmore,b\nz,a\n", P2, "data.csv:3:1:", "never closed");
	load_bad("id,label\nx,a\nab\"c,b\n", P2, "data.csv:3:1:", "inside an unquoted field");
	/* A record after a multi-line field is reported at its own line. */
	load_bad("text,label\n\"one\ntwo\nthree\",a\nx,b,c\n", P2, "data.csv:5:3:", "expected 2");
}
END_TEST

START_TEST(test_bad_numbers)
{
	const char *data = "label\na\nb\n";
	load_bad(data, "a,b\n0.5,x\n0.5,0.5\n", "probs.csv:2:2:", "not a number");
	load_bad(data, "a,b\n0.5,0.5\nnan,0.5\n", "probs.csv:3:1:", "NaN");
	load_bad(data, "a,b\n0.5,inf\n0.5,0.5\n", "probs.csv:2:2:", "infinite");
	load_bad(data, "a,b\n0.5,1.1\n0.5,0.5\n", "probs.csv:2:2:", "outside [0, 1]");
	load_bad(data, "a,b\n-0.000002,1\n0.5,0.5\n", "probs.csv:2:1:", "outside");
	load_bad(data, "a,b\n0.5,\n0.5,0.5\n", "probs.csv:2:2:", "empty");
	load_bad(data, "a,b\n0x1p-1,0.5\n0.5,0.5\n", "probs.csv:2:1:", "not a number");
	/* Within cleanlab's 1e-6 tolerance: accepted exactly as read. */
	struct dataset *d = load_ok(data, "a,b\n1.0000005,-0.0000005\n0.5,0.5\n");
	ck_assert_double_eq(d->probs[0], 1.0000005);
	ck_assert_str_eq(d->warning, "");
	dataset_free(d);
}
END_TEST

START_TEST(test_missing_files)
{
	put("data.csv", "label\na\n", data_path);
	unlink(probs_path);
	struct dataset_opts o = { .data_path = data_path };
	struct dataset *d;
	struct err e = { 0 };
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_msg(strstr(e.msg, "looked for") && strstr(e.msg, "probs.csv"), "%s", e.msg);
	o.allow_missing_probs = 1;
	ck_assert_int_eq(dataset_load(&d, &o, &e), 0);
	ck_assert_ptr_null(d->probs);
	ck_assert_uint_eq(d->k, 1);
	dataset_free(d);
	o.data_path = "/nonexistent/data.csv";
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "/nonexistent/data.csv: cannot open"), "%s", e.msg);
}
END_TEST

START_TEST(test_sums_warning_and_renormalize)
{
	struct dataset *d = load_ok("label\na\nb\nb\n", "a,b\n0.5,0.5\n0.2,0.2\n0.1,0.1\n");
	ck_assert_msg(strstr(d->warning, "probs.csv:3:") && strstr(d->warning, "2 rows"),
		      "%s", d->warning);
	ck_assert_double_eq(d->probs[2], 0.2);
	dataset_free(d);
	struct dataset_opts o = { .data_path = data_path, .renormalize = 1 };
	struct err e;
	ck_assert_int_eq(dataset_load(&d, &o, &e), 0);
	ck_assert_double_eq(d->probs[2], 0.5);
	dataset_free(d);
}
END_TEST

/* Fast path, safe path, serial and split parsing agree bit for bit. */
START_TEST(test_paths_agree)
{
	const char *top = getenv("top_srcdir");
	static const char *const cases[] = { "p04_k10_quoting_sparse", "p05_k50_mixed",
		"p14_float32_sums", "p15_prob_slightly_out_of_range", "p06_ties_thresholds" };
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		char data[600], probs[600];
		snprintf(data, sizeof data, "%s/tests/oracle/%s/data.csv", top ? top : ".", cases[c]);
		snprintf(probs, sizeof probs, "%s/tests/oracle/%s/probs.csv", top ? top : ".", cases[c]);
		struct dataset *ref = NULL, *d = NULL;
		struct err e;
		struct dataset_opts o = { .data_path = data, .probs_path = probs,
					  .threads = 1, .exact_floats = 1 };
		ck_assert_msg(dataset_load(&ref, &o, &e) == 0, "%s", e.msg);
		for (int mode = 0; mode < 3; mode++) {
			o.threads = mode == 0 ? 1 : mode + 1;
			o.exact_floats = 0;
			ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
			ck_assert(!memcmp(d->probs, ref->probs, ref->n * ref->k * sizeof(double)));
			ck_assert(!memcmp(d->labels, ref->labels, ref->n * sizeof(int)));
			dataset_free(d);
		}
		dataset_free(ref);
	}
}
END_TEST


static void put_bytes(const char *name, const char *buf, size_t len, char *path);

/* DATA.csv through the plain tokenizer (then libcsv from the first line
 * that needs it) and through libcsv alone: the same cells, labels, record
 * offsets and UTF-8 note, or the same message, whatever line 2,500 of
 * 3,000 holds. */
START_TEST(test_data_plain_agrees)
{
	static const char *const lines[] = {
		"r2500,\"a, quoted\ttext\",b", "r2500,\"two\nlines\",a", "r2500,crlf\r", "r2500,x\r,a",
		"", "r2500,cr\rr2501,x,a", "r2500,x,zz", "r2500,x,a,extra", "r2500,x",
		"r2500,,", "r2500,\xff\xfe,a", "r2500,x,\"b\"", "r2500,\"open,a",
		"r2500,x,a\n\nr2501,y,b", "r2500,a\"b,a", "r2500,x,b",
	};
	for (size_t v = 0; v < sizeof lines / sizeof lines[0]; v++) {
		size_t cap = 3000 * 40 + 100, len = 0;
		char *buf = malloc(cap);
		len += (size_t)snprintf(buf + len, cap - len, "id,text,label\n");
		for (int i = 0; i < 3000; i++) {
			if (i == 2500)
				len += (size_t)snprintf(buf + len, cap - len, "%s\n", lines[v]);
			else
				len += (size_t)snprintf(buf + len, cap - len, "r%d,w%d w%d,%c\n", i,
							i * 7 % 13, i % 5, "ab"[i % 3 == 0]);
		}
		if (v % 2)
			len--;       /* and the last line without its line end */
		char probs[600];
		put_bytes("data.csv", buf, len, data_path);
		put("classes.csv", "a,b\n", probs);
		free(buf);
		struct dataset_opts o = { .data_path = data_path, .probs_path = probs,
					  .probs_header_only = 1, .record_offsets = 1 };
		struct dataset *fast = NULL, *safe = NULL;
		struct err ef = { 0 }, es = { 0 };
		int rf = dataset_load(&fast, &o, &ef);
		o.exact_floats = 1;
		int rs = dataset_load(&safe, &o, &es);
		ck_assert_msg(rf == rs, "line '%s': %d (plain) vs %d (libcsv)", lines[v], rf, rs);
		if (rf < 0) {
			ck_assert_str_eq(ef.msg, es.msg);
			continue;
		}
		ck_assert_uint_eq(fast->n, safe->n);
		ck_assert_str_eq(fast->bad_utf8, safe->bad_utf8);
		ck_assert(!memcmp(fast->labels, safe->labels, fast->n * sizeof(int)));
		ck_assert(!memcmp(fast->row_offset, safe->row_offset,
				  (fast->n + 1) * sizeof(uint64_t)));
		for (size_t i = 0; i < fast->n; i++)
			for (size_t c = 0; c < fast->ncols; c++)
				ck_assert_str_eq(dataset_cell(fast, i, c), dataset_cell(safe, i, c));
		dataset_free(fast);
		dataset_free(safe);
	}
}
END_TEST

static void put_bytes(const char *name, const char *buf, size_t len, char *path)
{
	snprintf(path, 600, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert(f != NULL);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* Bare CR, CRLF and LF all end lines and records: offsets and line numbers. */
START_TEST(test_line_ends)
{
	struct dataset *d = load_ok("id,label\r1,a\r2,b\r3,a\r", "a,b\r0.9,0.1\r0.2,0.8\r0.7,0.3\r");
	ck_assert_uint_eq(d->n, 3);
	ck_assert_uint_eq(d->row_offset[0], 9);
	ck_assert_uint_eq(d->row_offset[1], 13);
	ck_assert_uint_eq(d->row_offset[2], 17);
	ck_assert_uint_eq(d->row_offset[3], 21);
	ck_assert_int_eq(d->labels[1], 1);
	ck_assert_double_eq(d->probs[5], 0.3);
	dataset_free(d);
	/* mixed: LF, CR, CRLF, a blank CR line, a quoted CR */
	d = load_ok("id,label\n1,a\r2,b\r\n\r3,\"a\"\r4,b", "a,b\r\n0.9,0.1\n0.2,0.8\r0.7,0.3\r\n\r\n0.5,0.5");
	ck_assert_uint_eq(d->n, 4);
	ck_assert_uint_eq(d->row_offset[1], 13);
	ck_assert_uint_eq(d->row_offset[2], 19);
	ck_assert_uint_eq(d->row_offset[3], 25);
	ck_assert_uint_eq(d->row_offset[4], 28);
	ck_assert_str_eq(dataset_cell(d, 2, 1), "a");
	ck_assert_double_eq(d->probs[7], 0.5);
	dataset_free(d);
	/* errors count CR lines: line 4 (CRLF is one line end) */
	load_bad("id,label\r1,a\r\n2,b\r3,a,x\r", "a,b\n0.9,0.1\n0.2,0.8\n0.7,0.3\n",
		 "data.csv:4:3:", "more than 2 fields");
	load_bad("label\ra\rb\r", "a,b\r\n0.9,0.1\r\n0.2,zz\r\n", "probs.csv:3:2:", "not a number");
	load_bad("text,label\r\"one\rtwo\",a\rx\r", P2, "data.csv:4:1:", "1 field");
}
END_TEST

/* A NUL byte is bad input where it is, in either file; /dev/zero ends at once. */
START_TEST(test_nul_bytes)
{
	put_bytes("data.csv", "label\na\nb\0c\n", 12, data_path);
	put("probs.csv", P2, probs_path);
	struct dataset_opts o = { .data_path = data_path };
	struct dataset *d = NULL;
	struct err e = { 0 };
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_msg(strstr(e.msg, "data.csv:3:1: NUL byte"), "%s", e.msg);
	put("data.csv", "label\na\nb\n", data_path);
	put_bytes("probs.csv", "a,b\n0.5,0.5\n0.8\0,0.2\n", 21, probs_path);
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "probs.csv:3:1: NUL byte") && !strstr(e.msg, "not a number"),
		      "%s", e.msg);
	/* a binary file: relabel's words, not libcsv's */
	put_bytes("probs.csv", "\x89PNG\r\n\x1a\n\"x\"y\0\0\0", 16, probs_path);
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_int_eq(e.code, ERR_INPUT);
	ck_assert_msg(!strstr(e.msg, "strict") && !strstr(e.msg, "error parsing"), "%s", e.msg);
	put("probs.csv", "a,b\n\"0.5\"x,0.5\n0.5,0.5\n", probs_path);
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(strstr(e.msg, "probs.csv:2:1: text after the closing") &&
		      !strstr(e.msg, "strict"), "%s", e.msg);
	o.data_path = "/dev/zero";
	o.probs_path = probs_path;
	put("probs.csv", P2, probs_path);
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(e.code == ERR_INPUT && strstr(e.msg, "/dev/zero:1:1: NUL byte"), "%s", e.msg);
	o.data_path = data_path;
	o.probs_path = "/dev/zero";
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(e.code == ERR_INPUT && strstr(e.msg, "/dev/zero:1:1: NUL byte"), "%s", e.msg);
}
END_TEST

/* Empty labels and class names, duplicate column names, too many classes. */
START_TEST(test_names)
{
	load_bad("id,label\n1,a\n2,\n", P2, "data.csv:3:2:", "empty label");
	load_bad("label\na\nb\n", "a,,b\n0.5,0.2,0.3\n0.5,0.2,0.3\n", "probs.csv:1:2:",
		 "empty class name");
	load_bad("id,label,id\n1,a,2\n2,b,3\n", P2, "data.csv:1:3:", "'id' appears twice");
	/* without probabilities (the built-in model's classes) too */
	put("data.csv", "text,label\nx,a\ny,\nz,b\n", data_path);
	unlink(probs_path);
	struct dataset_opts o = { .data_path = data_path, .allow_missing_probs = 1 };
	struct dataset *d = NULL;
	struct err e = { 0 };
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(e.code == ERR_INPUT && strstr(e.msg, "data.csv:3:2: empty label"), "%s", e.msg);
	/* 10,001 distinct labels: refused with the limit, at the line */
	size_t cap = 200000, len = 0;
	char *big = malloc(cap);
	len += (size_t)sprintf(big, "label\n");
	for (int i = 0; i <= DATASET_MAX_CLASSES; i++)
		len += (size_t)sprintf(big + len, "c%d\n", i);
	put("data.csv", big, data_path);
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(e.code == ERR_INPUT && strstr(e.msg, "data.csv:10002:1:") &&
		      strstr(e.msg, "at most 10000 classes"), "%s", e.msg);
	len = 0;
	for (int i = 0; i <= DATASET_MAX_CLASSES; i++)
		len += (size_t)sprintf(big + len, "%sc%d", i ? "," : "", i);
	sprintf(big + len, "\n");
	put("probs.csv", big, probs_path);
	put("data.csv", "label\nc1\n", data_path);
	o.allow_missing_probs = 0;
	ck_assert_int_eq(dataset_load(&d, &o, &e), -1);
	ck_assert_msg(e.code == ERR_INPUT && strstr(e.msg, "at most 10000"), "%s", e.msg);
	free(big);
}
END_TEST

/* The id index and the first duplicate id against a naive answer (sort the
 * ids; each id's first row; the pair whose second row comes first), on
 * files with enough distinct ids that their 32-bit hash tags collide. */
struct idrow { const char *id; size_t row; };

static int cmp_idrow(const void *a, const void *b)
{
	const struct idrow *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->row > y->row) - (x->row < y->row);
}

START_TEST(test_duplicate_ids_large)
{
	enum { N = 150000 };
	srand(12345);
	for (int round = 0; round < 6; round++) {
		static char ids[N][16];
		/* rounds 4 and 5: every row one id, and every other row one id
		 * (one hash tag for many rows: the in-place sort stays linear) */
		for (size_t i = 0; i < N; i++)
			snprintf(ids[i], sizeof ids[i], "k%u", round == 4 || (round == 5 && i % 2) ? 7u :
				 (unsigned)((i + 977u * (unsigned)round) * 2654435761u));
		size_t dups = round >= 3 ? 0 : (size_t)(1 + rand() % 3);
		for (size_t t = 0; t < dups; t++) {
			size_t a = (size_t)rand() % N, b = (size_t)rand() % N;
			if (a != b)
				memcpy(ids[a > b ? a : b], ids[a < b ? a : b], sizeof ids[0]);
		}
		size_t cap = (size_t)N * 24 + 64;
		char *data = malloc(cap), *probs = malloc((size_t)N * 4 + 8);
		size_t len = (size_t)sprintf(data, "id,label\n");
		for (size_t i = 0; i < N; i++)
			len += (size_t)sprintf(data + len, "%s,a\n", ids[i]);
		strcpy(probs, "a\n");
		for (size_t i = 0; i < N; i++)
			strcat(probs + 2 * i, "1\n");
		/* odd rounds: the index made at load, from the keys hashed while
		 * reading; even rounds: made on first use, from the pool */
		struct dataset *d = load_opt(data, probs, round % 2);
		struct idrow *v = malloc(N * sizeof *v);
		for (size_t i = 0; i < N; i++)
			v[i] = (struct idrow){ dataset_cell(d, i, 0), i };
		qsort(v, N, sizeof *v, cmp_idrow);
		size_t want_a = 0, want_b = SIZE_MAX;
		for (size_t i = 1; i < N; i++)
			if (!strcmp(v[i].id, v[i - 1].id) && (i < 2 || strcmp(v[i - 2].id, v[i].id)) &&
			    v[i].row < want_b) {
				want_a = v[i - 1].row;
				want_b = v[i].row;
			}
		/* the index: every id finds its first row; absent ids none */
		for (size_t i = 0; i < N; i++)
			if (i == 0 || strcmp(v[i].id, v[i - 1].id))
				ck_assert_int_eq(dataset_find_id(d, v[i].id), (long)v[i].row);
		char absent[32];
		for (int t = 0; t < 1000; t++) {
			snprintf(absent, sizeof absent, "k%u ", (unsigned)rand());
			ck_assert_int_eq(dataset_find_id(d, absent), -1);
		}
		/* the load's own check (on the keys hashed while reading) warned
		 * of the same pair; the call below hashes the pool again */
		char warn[200] = "";
		if (want_b != SIZE_MAX)
			snprintf(warn, sizeof warn, "data.csv:%zu:1: id '%s' appears twice "
				 "(also at line %zu)", want_b + 2, ids[want_b], want_a + 2);
		ck_assert_msg(want_b != SIZE_MAX ? strstr(d->warning, warn) != NULL : !d->warning[0],
			      "warning '%s', expected '%s'", d->warning, warn);
		size_t a = 0, b = 0;
		int got = dataset_duplicate_id(d, &a, &b);
		ck_assert_int_eq(got, want_b != SIZE_MAX);
		if (got) {
			ck_assert_uint_eq(a, want_a);
			ck_assert_uint_eq(b, want_b);
		}
		free(v);
		free(data);
		free(probs);
		dataset_free(d);
	}
}
END_TEST

/* Duplicate ids: refused for a join (both lines), a warning otherwise. */
START_TEST(test_duplicate_ids)
{
	load_bad("id,label\nx,a\ny,b\r\nx,a\n", "id,a,b\nx,0.5,0.5\ny,0.5,0.5\n",
		 "data.csv:4:1:", "id 'x' appears twice (also at line 2)");
	struct dataset *d = load_ok("id,label\nx,a\ny,b\nx,a\n", "a,b\n0.5,0.5\n0.5,0.5\n0.5,0.5\n");
	ck_assert_msg(strstr(d->warning, "data.csv:4:1: id 'x' appears twice (also at line 2)"),
		      "%s", d->warning);
	size_t a, b;
	ck_assert_int_eq(dataset_duplicate_id(d, &a, &b), 1);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(b, 2);
	ck_assert_uint_eq(dataset_row_line(d, 2), 4);
	dataset_free(d);
	/* row numbers as ids (no id column) match exactly */
	d = load_ok("label\na\nb\n", P2);
	ck_assert_int_eq(dataset_find_id(d, "1"), 1);
	ck_assert_int_eq(dataset_find_id(d, " 1"), -1);
	ck_assert_int_eq(dataset_find_id(d, "+1"), -1);
	ck_assert_int_eq(dataset_find_id(d, "01"), -1);
	ck_assert_int_eq(dataset_find_id(d, ""), -1);
	ck_assert_int_eq(dataset_find_id(d, "2"), -1);
	dataset_free(d);
}
END_TEST

/* The first byte that is not UTF-8 is noted as FILE:LINE:COLUMN. */
START_TEST(test_bad_utf8_position)
{
	struct dataset *d = load_ok("id,text,label\n1,caf\xc3\xa9,a\n2,\"x\ncaf\xe9\",b\n", P2);
	ck_assert_str_eq(dataset_cell(d, 1, 1), "x\ncaf\xe9");   /* bytes kept */
	char want[700];
	snprintf(want, sizeof want, "%s:4:2", data_path);
	ck_assert_str_eq(d->bad_utf8, want);
	dataset_free(d);
	d = load_ok("id,text,label\n1,\xed\xa0\x80,a\n2,ok,b\n", P2);   /* a surrogate */
	snprintf(want, sizeof want, "%s:2:2", data_path);
	ck_assert_str_eq(d->bad_utf8, want);
	dataset_free(d);
	d = load_ok("label\na\nb\n", P2);
	ck_assert_str_eq(d->bad_utf8, "");
	dataset_free(d);
}
END_TEST

/* A 10 MB field loads in linear time (libcsv grew by 128 bytes a step). */
START_TEST(test_long_field)
{
	size_t n = 10u << 20;
	char *buf = malloc(n + 64);
	memcpy(buf, "text,label\n\"", 12);
	memset(buf + 12, 'x', n);
	memcpy(buf + 12 + n, "\",a\ny,b\n", 9);
	put("data.csv", buf, data_path);
	free(buf);
	put("probs.csv", P2, probs_path);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct dataset_opts o = { .data_path = data_path };
	struct dataset *d = NULL;
	struct err e = { 0 };
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_uint_eq(strlen(dataset_cell(d, 0, 0)), n);
	dataset_free(d);
	ck_assert_msg(s < 5, "a 10 MB field took %.1f s", s);
}
END_TEST

START_TEST(test_numparse_uint)
{
	unsigned long long v;
	ck_assert_int_eq(numparse_uint("0", 10, &v), 0);
	ck_assert_int_eq(numparse_uint("10", 10, &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(numparse_uint("11", 10, &v), -1);
	ck_assert_int_eq(numparse_uint("9", 3, &v), -1);
	ck_assert_int_eq(numparse_uint("", 10, &v), -1);
	ck_assert_int_eq(numparse_uint(" 3", 10, &v), -1);
	ck_assert_int_eq(numparse_uint("+3", 10, &v), -1);
	ck_assert_int_eq(numparse_uint("3 ", 10, &v), -1);
	ck_assert_int_eq(numparse_uint("-0", 10, &v), -1);
	ck_assert_int_eq(numparse_uint("18446744073709551615", ~0ull, &v), 0);
	ck_assert_int_eq(numparse_uint("18446744073709551616", ~0ull, &v), -1);
}
END_TEST

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	Suite *s = suite_create("dataset");
	TCase *tc = tcase_create("load");
	tcase_add_test(tc, test_row_index_eras);
	tcase_add_test(tc, test_rfc4180_fields);
	tcase_add_test(tc, test_class_names_opaque);
	tcase_add_test(tc, test_probs_header_only);
	tcase_add_test(tc, test_join_by_id);
	tcase_add_test(tc, test_bad_structure);
	tcase_add_test(tc, test_bad_quotes);
	tcase_add_test(tc, test_bad_numbers);
	tcase_add_test(tc, test_missing_files);
	tcase_add_test(tc, test_sums_warning_and_renormalize);
	tcase_add_test(tc, test_paths_agree);
	tcase_add_test(tc, test_data_plain_agrees);
	tcase_add_test(tc, test_line_ends);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_duplicate_ids);
	tcase_add_test(tc, test_duplicate_ids_large);
	tcase_add_test(tc, test_bad_utf8_position);
	tcase_add_test(tc, test_long_field);
	tcase_add_test(tc, test_numparse_uint);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed++;
	return failed ? 1 : 0;
}
