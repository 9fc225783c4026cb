/* test_fastpaths.c — every fast path kept beside a safe one agrees with it
 * bit for bit: fast_float and Clinger against strtod on random and
 * adversarial decimals; the plain PROBS.csv tokenizer against libcsv, for
 * values and for error positions; the engine split across 1, 2 and 3
 * threads against one thread, and the streaming scan against the in-memory
 * one, for every filter_by method, score and adjust setting. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cl.h"
#include "cl_par.h"
#include "cl_stream.h"
#include "dataset.h"
#include "fastfloat.h"
#include "numparse.h"

static char dir[] = "/tmp/relabel-test-fastpaths-XXXXXX";

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Both paths: the same status and, when OK, the same bits. */
static void agree(const char *s)
{
	double fast = 0, safe = 0;
	enum numparse_status a = numparse_double(s, strlen(s), 0, &fast);
	enum numparse_status b = numparse_double(s, strlen(s), 1, &safe);
	ck_assert_msg(a == b, "'%s': status %d (fast) vs %d (strtod)", s, a, b);
	if (a == NUM_OK)
		ck_assert_msg(!memcmp(&fast, &safe, sizeof fast),
			      "'%s': %.17g (fast) vs %.17g (strtod)", s, fast, safe);
	/* the whole-record reader: the field alone, and the field between
	 * two others, read as the field reader reads it */
	double row[3] = { 0, 0, 0 };
	int whole = numparse_row(s, strlen(s), ',', 1, row);
	ck_assert_msg((whole == 0) == (a == NUM_OK && !strchr(s, ',')),
		      "'%s': record reader %d, field reader status %d", s, whole, a);
	if (whole == 0)
		ck_assert_msg(!memcmp(&row[0], &safe, sizeof safe), "'%s': %.17g (record) "
			      "vs %.17g (strtod)", s, row[0], safe);
	char line[1024];
	int n = snprintf(line, sizeof line, "0.25\t%s\t1", s);
	if (n > 0 && (size_t)n < sizeof line && !strchr(s, '\t')) {
		whole = numparse_row(line, (size_t)n, '\t', 3, row);
		ck_assert_msg((whole == 0) == (a == NUM_OK), "'%s' between tabs: %d", s, whole);
		if (whole == 0)
			ck_assert(row[0] == 0.25 && row[2] == 1 &&
				  !memcmp(&row[1], &safe, sizeof safe));
	}
}

START_TEST(test_adversarial_decimals)
{
	static const char *const cases[] = {
		"0", "-0", "+0", "0.0", "1", "1.", ".5", "-.5", "0.1", "0.3",
		"0.123456", "0.30000000000000004", "0.1000000000000000055511151231257827",
		/* halfway between two doubles, and one digit either side */
		"9007199254740993", "9007199254740992.5", "9007199254740993.0000000001",
		"1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124",
		"1.00000000000000011102230246251565404236316680908203126",
		"0.500000000000000166533453693773481063544750213623046875",
		/* 19, 20 and many significant digits */
		"1234567890123456789", "12345678901234567890", "0.12345678901234567890123",
		"3.14159265358979323846264338327950288419716939937510582097494459",
		"0.0000000000000000000000000000000000000000000000000000000000001",
		/* subnormals, the smallest and largest doubles, over- and underflow */
		"2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
		"4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
		"1e-324", "1e-400", "5e-324", "1.7976931348623157e308", "1.7976931348623158e308",
		"1.7976931348623159e308", "1e308", "1e309", "1e400", "-1e400", "1e-99999",
		"1e+22", "1e22", "1e23", "8.98846567431158e307", "4.35679828185e-320",
		/* grammar: all paths must refuse the same strings */
		"", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "0x10",
		"nan", "NaN", "inf", "-Infinity", "1e5x", "--1", "+-1", "1d5",
		/* the short plain form's edges: 2^53 and one more, 19 and 20
		 * digits, 22 and 23 digits after the point, leading zeros */
		"9007199254740992", "9007199254740993", "900719925474099.3",
		"0.9007199254740993", "1234567890123456789.", "0.1234567890123456789",
		"0.0000000000000000000001", "0.00000000000000000000001",
		"0.0000000000000000000009", "000000000000000000000.5", "007.25", "5.",
		"1..5", ".", "..", "0.5.", "-0.000000", "+0.999999",
		/* leading zeros: up to 19 digits with m <= 2^53 (Clinger's
		 * path), 20 and more (fast_float's), at and past 2^53 */
		"0.0123456789012345", "0.01775733344936509", "0.000349436681932542",
		"0.009007199254740992", "0.009007199254740993", "0.0009007199254740993",
		"0.000000000000000001", "0.0000000000000000001", "0.00000000000000000001",
		"000000000000000001.5", "0000000000000000001.5", "0.999999999999999999",
		"0.0999999999999999999", "0.30000000000000004441", "0.0000000000000000009",
		/* 20 digits whose value wraps 64 bits to a small number */
		"18446744073709551617", "1844674407370955161.7", "0.18446744073709551617",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		agree(cases[i]);
	/* records the whole-record reader must hand back to the field reader:
	 * too few or too many fields, an empty one, a trailing delimiter, a
	 * line end, a quote, another delimiter */
	static const char *const rows[] = {
		"0.1,0.2", "0.1,0.2,0.3,0.4", "0.1,,0.3", ",0.2,0.3", "0.1,0.2,",
		"0.1,0.2,0.3,", "0.1,0.2,0.3\r", "\"0.1\",0.2,0.3", "0.1;0.2;0.3",
		"0.1,0.2\t0.3", "", "0.1,0.2,0.3 ", "0.1,0.2,0.3\n",
	};
	double out[3];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		ck_assert_msg(numparse_row(rows[i], strlen(rows[i]), ',', 3, out) < 0,
			      "'%s' read as a record of 3", rows[i]);
	/* every byte after 0 to 19 digits, before and after the point (where
	 * runs of eight digits are read as one word: the byte falls in the
	 * first word, the second, or the digits after them), with 8 or more
	 * bytes left on the line and fewer */
	for (int at = 0; at < 20; at++)
		for (int c = 1; c < 256; c++) {
			char field[40], line[80];
			for (int frac = 0; frac < 2; frac++) {
				int n = snprintf(field, sizeof field, "%s%.*s%c%s", frac ? "0." : "",
						 at, "9876543210987654321", c, "21");
				for (int tail = 0; tail < 2; tail++) {
					int ln = snprintf(line, sizeof line, "%s%s", field,
							  tail ? ";0.5;0.25" : "");
					double v = 0, w[3];
					int ok = numparse_double(field, (size_t)n, 1, &v) == NUM_OK;
					int got = numparse_row(line, (size_t)ln, ';', tail ? 3 : 1, w);
					ck_assert_msg((got == 0) == ok, "byte %d after %d digits: %d", c,
						      at, got);
					if (ok)
						ck_assert(!memcmp(&v, &w[0], sizeof v));
				}
			}
		}
	ck_assert(numparse_row("0.1,-0.2,3e-1", 13, ',', 3, out) == 0 && out[0] == 0.1 &&
		  out[1] == -0.2 && out[2] == 0.3);
	/* 800 digits: longer than any buffer on the fast side */
	char big[820] = "0.";
	for (int i = 2; i < 802; i++)
		big[i] = (char)('0' + (i * 7) % 10);
	big[802] = '\0';
	agree(big);
}
END_TEST

/* The conversion of a decimal already read (mantissa and exponent) against
 * strtod on the text, over every exponent a double can reach: the record
 * reader's domain (at most 19 digits, exponent -19..0) and far past it,
 * where fast_float's Eisel–Lemire step can give up and read the text. */
START_TEST(test_mantissa_exponent)
{
	char s[64];
	for (int iter = 0; iter < 200000; iter++) {
		uint64_t r = next();
		int nd = 1 + (int)(r % 19);
		uint64_t m = next() % 10000000000000000000ull;
		uint64_t lim = 1;
		for (int i = 0; i < nd && lim <= 1000000000000000000ull; i++)
			lim *= 10;
		if (nd < 19)
			m %= lim;
		int q = iter % 2 ? -(int)((r >> 8) % 20) : (int)((r >> 8) % 660) - 350;
		int n = snprintf(s, sizeof s, "%llue%d", (unsigned long long)m, q);
		double fast = -1, safe = strtod(s, NULL);
		ck_assert_int_eq(fastfloat_decimal(m, q, s, (size_t)n, &fast), 0);
		ck_assert_msg(!memcmp(&fast, &safe, sizeof fast), "'%s': %.17g vs strtod %.17g",
			      s, fast, safe);
	}
}
END_TEST

START_TEST(test_random_decimals)
{
	char s[64];
	for (int iter = 0; iter < 300000; iter++) {
		uint64_t r = next();
		switch (iter % 5) {
		case 0: {   /* the shortest round-trip form of a random double in [0,1) */
			double v = (double)(next() >> 11) / 9007199254740992.0;
			snprintf(s, sizeof s, "%.*g", 1 + (int)(r % 17), v);
			break;
		}
		case 1:     /* random bits: any finite double, 17 digits */
		{
			uint64_t bits = next();
			double v;
			memcpy(&v, &bits, sizeof v);
			if (!isfinite(v))
				v = 0.5;
			snprintf(s, sizeof s, "%.17e", v);
			break;
		}
		case 2: {   /* many digits, random exponent */
			int nd = 1 + (int)(r % 25), pos = 0;
			for (int i = 0; i < nd; i++)
				s[pos++] = (char)('0' + next() % 10);
			pos += snprintf(s + pos, sizeof s - (size_t)pos, "e%d",
					(int)(next() % 700) - 350);
			break;
		}
		case 3: {   /* 1-20 plain digits with the point anywhere (or none) */
			int nd = 1 + (int)(r % 20), dot = (int)((r >> 8) % (unsigned)(nd + 2)), pos = 0;
			for (int i = 0; i < nd; i++) {
				if (i == dot)
					s[pos++] = '.';
				s[pos++] = (char)('0' + next() % 10);
			}
			if (dot == nd)
				s[pos++] = '.';
			s[pos] = '\0';
			break;
		}
		default:    /* %.6f as the benchmark files, and near-halfway forms */
			snprintf(s, sizeof s, "%.6f", (double)(r >> 11) / 9007199254740992.0);
			if (iter % 8 == 7)
				snprintf(s, sizeof s, "%.20f", (double)(r >> 11) / 9007199254740992.0);
		}
		agree(s);
	}
}
END_TEST

/* How write_probs writes numbers, and what it puts between them. */
static int num_digits = 17, num_fixed = 0;     /* %.17g, or %.*f when fixed */
static char num_sep = ',';

/* A PROBS.csv of n rows (17 digits unless num_digits says otherwise),
 * with `bad` put at row bad_row column bad_col (0-based) when bad is not
 * NULL. */
static void write_probs(const char *data, const char *probs, size_t n, size_t k,
			const char *bad, size_t bad_row, size_t bad_col)
{
	FILE *d = fopen(data, "wb"), *p = fopen(probs, "wb");
	ck_assert(d && p);
	fputs("id,label\n", d);
	for (size_t j = 0; j < k; j++)
		fprintf(p, "%sc%zu", j ? (char[]){ num_sep, 0 } : "", j);
	fputc('\n', p);
	double *row = malloc(k * sizeof *row);
	for (size_t i = 0; i < n; i++) {
		fprintf(d, "r%zu,c%zu\n", i, (size_t)(next() % k));
		double sum = 0;
		for (size_t j = 0; j < k; j++)
			sum += row[j] = (double)(next() >> 11) / 9007199254740992.0 + 0.01;
		for (size_t j = 0; j < k; j++) {
			if (j)
				fputc(num_sep, p);
			if (bad && i == bad_row && j == bad_col)
				fputs(bad, p);
			else if (num_fixed)
				fprintf(p, "%.*f", num_digits, row[j] / sum);
			else
				fprintf(p, "%.*g", num_digits, row[j] / sum);
		}
		fputc('\n', p);
	}
	free(row);
	ck_assert(fclose(d) == 0 && fclose(p) == 0);
}

static int load(const char *data, const char *probs, int threads, int exact,
		struct dataset **d, struct err *e)
{
	struct dataset_opts o = { .data_path = data, .probs_path = probs,
				  .threads = threads, .exact_floats = exact };
	return dataset_load(d, &o, e);
}

/* The split plain path (the whole-record reader, then fields) against
 * libcsv and strtod alone: the same array bit for bit, and the same error
 * at the same line and column, for the number forms files hold. */
static void plain_agrees(const char *probs_name, int digits, int fixed, char sep)
{
	char data[600], probs[600];
	snprintf(data, sizeof data, "%s/data.csv", dir);
	snprintf(probs, sizeof probs, "%s/%s", dir, probs_name);
	num_digits = digits;
	num_fixed = fixed;
	num_sep = sep;
	write_probs(data, probs, 40000, 7, NULL, 0, 0);
	struct dataset *ref = NULL, *d = NULL;
	struct err e;
	ck_assert_msg(load(data, probs, 1, 1, &ref, &e) == 0, "%s", e.msg);
	for (int threads = 2; threads <= 4; threads++) {
		ck_assert_msg(load(data, probs, threads, 0, &d, &e) == 0, "%s", e.msg);
		ck_assert(!memcmp(d->probs, ref->probs, ref->n * ref->k * sizeof(double)));
		dataset_free(d);
	}
	dataset_free(ref);
	/* Bad input in the last part of the file: the same error, at the same
	 * line and column, from libcsv alone and from the split plain path. */
	static const struct { const char *bad; size_t col; } bads[] = {
		{ "0.5x", 3 }, { "", 0 }, { "1.5", 6 }, { "nan", 2 }, { "0.1,0.2", 6 },
		{ "\"0.5\"", 1 }, { "0.1\r", 4 }, { "0.1\t0.2", 6 }, { "-0.5", 2 },
		{ "1.0000001", 5 }, { "0.5 ", 0 }, { "00000000000000000000.5", 1 },
	};
	for (size_t b = 0; b < sizeof bads / sizeof bads[0]; b++) {
		write_probs(data, probs, 40000, 7, bads[b].bad, 39000, bads[b].col);
		struct err e1, e2;
		int r1 = load(data, probs, 1, 1, &d, &e1);
		if (r1 == 0)
			dataset_free(d);
		int r2 = load(data, probs, 3, 0, &d, &e2);
		if (r2 == 0)
			dataset_free(d);
		ck_assert_msg(r1 == r2, "%s case %zu: %d vs %d", probs_name, b, r1, r2);
		if (r1 < 0)
			ck_assert_msg(!strcmp(e1.msg, e2.msg), "%s case %zu:\n  %s\n  %s",
				      probs_name, b, e1.msg, e2.msg);
	}
	num_digits = 17;
	num_fixed = 0;
	num_sep = ',';
}

START_TEST(test_plain_tokenizer_agrees)
{
	plain_agrees("probs.csv", 17, 0, ',');
	plain_agrees("probs6.csv", 6, 1, ',');
	plain_agrees("probs.tsv", 6, 1, '\t');
	plain_agrees("probs9.tsv", 9, 0, '\t');
}
END_TEST

static long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert(f != NULL);
	ck_assert(fseek(f, 0, SEEK_END) == 0);
	long n = ftell(f);
	fclose(f);
	return n;
}

/* Keep the first `lines` lines of a file. */
static void keep_lines(const char *path, size_t lines)
{
	FILE *f = fopen(path, "rb");
	ck_assert(f != NULL);
	char *buf = NULL;
	size_t cap = 0, len = 0, seen = 0;
	int c;
	while (seen < lines && (c = fgetc(f)) != EOF) {
		if (len + 1 >= cap)
			buf = realloc(buf, cap = cap ? cap * 2 : 4096);
		buf[len++] = (char)c;
		seen += c == '\n';
	}
	fclose(f);
	f = fopen(path, "wb");
	ck_assert(f && fwrite(buf, 1, len, f) == len && fclose(f) == 0);
	free(buf);
}

/* PROBS.csv's body is parsed beside DATA.csv before the row count is known;
 * whatever the two files disagree on, the message is the serial one. */
START_TEST(test_probs_beside_data_errors)
{
	char data[600], probs[600];
	snprintf(data, sizeof data, "%s/data.csv", dir);
	snprintf(probs, sizeof probs, "%s/probs.csv", dir);
	static const struct { size_t data_rows, probs_rows; const char *bad;
			      size_t bad_row; int bad_label; } cases[] = {
		{ 39000, 40000, NULL, 0, 0 },          /* more rows than examples */
		{ 39000, 40000, "x", 39500, 0 },       /* ... bad number past them */
		{ 39000, 40000, "x", 39000, 0 },       /* ... bad in the first extra row */
		{ 39000, 40000, "x", 38999, 0 },       /* ... bad in the last row */
		{ 39000, 40000, "1.5", 20000, 0 },     /* bad well inside */
		{ 40000, 39000, NULL, 0, 0 },          /* fewer rows */
		{ 40000, 39000, "x", 100, 0 },
		{ 40000, 40000, "x", 30000, 1 },       /* DATA.csv's error comes first */
		{ 40000, 40000, NULL, 0, 1 },
	};
	/* a last line with no line end is a row like any other */
	write_probs(data, probs, 40000, 7, NULL, 0, 0);
	FILE *pf = fopen(probs, "rb+");
	ck_assert(pf && fseek(pf, -1, SEEK_END) == 0 && fgetc(pf) == '\n');
	ck_assert(fclose(pf) == 0);
	ck_assert(truncate(probs, (off_t)((size_t)file_size(probs) - 1)) == 0);
	struct dataset *ref = NULL, *got = NULL;
	struct err e0;
	ck_assert_msg(load(data, probs, 1, 1, &ref, &e0) == 0, "%s", e0.msg);
	for (int threads = 2; threads <= 3; threads++) {
		ck_assert_msg(load(data, probs, threads, 0, &got, &e0) == 0, "%d threads: %s",
			      threads, e0.msg);
		ck_assert_uint_eq(got->n, ref->n);
		ck_assert(!memcmp(got->probs, ref->probs, ref->n * ref->k * sizeof(double)));
		dataset_free(got);
	}
	dataset_free(ref);
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		size_t n = cases[c].data_rows > cases[c].probs_rows ? cases[c].data_rows :
			   cases[c].probs_rows;
		write_probs(data, probs, n, 7, cases[c].bad, cases[c].bad_row, 2);
		keep_lines(data, cases[c].data_rows + 1);
		keep_lines(probs, cases[c].probs_rows + 1);
		if (cases[c].bad_label) {
			FILE *f = fopen(data, "ab");
			ck_assert(f && fputs("late,nosuchclass\n", f) >= 0 && fclose(f) == 0);
		}
		struct dataset *d = NULL;
		struct err e1, e2;
		ck_assert_int_eq(load(data, probs, 1, 1, &d, &e1), -1);
		for (int threads = 2; threads <= 3; threads++) {
			ck_assert_int_eq(load(data, probs, threads, 0, &d, &e2), -1);
			ck_assert_msg(!strcmp(e1.msg, e2.msg), "case %zu, %d threads:\n  %s\n  %s",
				      c, threads, e1.msg, e2.msg);
		}
	}
}
END_TEST

static int scan_equal(const struct cl_scan *a, const struct cl_scan *b)
{
	size_t n = a->n, k = a->k;
	return a->n_flagged == b->n_flagged && a->n_ranked == b->n_ranked &&
	       !memcmp(a->thresholds, b->thresholds, k * sizeof(double)) &&
	       !memcmp(a->cj_raw, b->cj_raw, k * k * sizeof(int64_t)) &&
	       !memcmp(a->cj, b->cj, k * k * sizeof(int64_t)) &&
	       !memcmp(a->suggested, b->suggested, n * sizeof(int)) &&
	       !memcmp(a->scores, b->scores, n * sizeof(double)) &&
	       !memcmp(a->flagged, b->flagged, n) &&
	       !memcmp(a->ranked, b->ranked, a->n_ranked * sizeof(size_t));
}

/* A scan that scored only its ranked rows against one that scored all. */
static int ranked_equal(const struct cl_scan *all, const struct cl_scan *only)
{
	if (only->scores || !only->ranked_scores || all->n_ranked != only->n_ranked ||
	    all->n_flagged != only->n_flagged || memcmp(all->flagged, only->flagged, all->n) ||
	    memcmp(all->ranked, only->ranked, all->n_ranked * sizeof(size_t)))
		return 0;
	for (size_t r = 0; r < all->n_ranked; r++) {
		double a = cl_scan_ranked_score(all, r), b = cl_scan_ranked_score(only, r);
		if (memcmp(&a, &b, sizeof a) || memcmp(&a, &all->scores[all->ranked[r]], sizeof a))
			return 0;
	}
	return 1;
}

START_TEST(test_engine_threads_agree)
{
	/* Large enough that every pass is split (more than 2^19 cells). */
	size_t n = 120000, k = 9;
	double *p = malloc(n * k * sizeof *p);
	int *labels = malloc(n * sizeof *labels);
	for (size_t i = 0; i < n; i++) {
		size_t truth = next() % k;
		labels[i] = (int)(next() % 10 == 0 ? next() % k : truth);
		double sum = 0;
		for (size_t j = 0; j < k; j++) {
			/* coarse values make ties at the selection cut-offs common */
			double v = (double)(next() % 50) / 50.0 + (j == truth ? 2.0 : 0.0);
			p[i * k + j] = v;
			sum += v;
		}
		for (size_t j = 0; j < k; j++)
			p[i * k + j] /= sum;
	}
	struct cl_problem pb = { n, k, p, labels };
	for (int f = 0; f < CL_FILTER_COUNT; f++)
		for (int sc = 0; sc < CL_SCORE_COUNT; sc++) {
			struct cl_scan_params prm = { (enum cl_filter_by)f, (enum cl_score)sc,
						      sc == CL_SELF_CONFIDENCE, f == 0, 0 };
			struct cl_scan ref, got;
			struct err e;
			cl_par_set_threads(1);
			ck_assert_msg(cl_scan_run(&pb, &prm, &ref, &e) == 0, "%s", e.msg);
			for (size_t t = 2; t <= 3; t++) {
				cl_par_set_threads(t);
				ck_assert_msg(cl_scan_run(&pb, &prm, &got, &e) == 0, "%s", e.msg);
				ck_assert_msg(scan_equal(&ref, &got), "filter %d score %d, %zu threads",
					      f, sc, t);
				cl_scan_free(&got);
				/* scoring only the ranked rows changes nothing they show */
				struct cl_scan_params only = prm;
				only.lean = 1;
				ck_assert_msg(cl_scan_run(&pb, &only, &got, &e) == 0, "%s", e.msg);
				ck_assert_msg(prm.all ? scan_equal(&ref, &got) : ranked_equal(&ref, &got),
					      "filter %d score %d, %zu threads: ranked scores only", f, sc, t);
				cl_scan_free(&got);
			}
			cl_scan_free(&ref);
		}
	cl_par_set_threads(0);
	free(p);
	free(labels);
}
END_TEST

/* An in-memory row source that copies rows out, as a file's would be. */
struct mem_src {
	const double *p;
	size_t k;
	size_t reads;
};

static int mem_read(void *ctx, int pass, size_t a, size_t b, double *out, struct err *e)
{
	struct mem_src *m = ctx;
	(void)e;
	(void)pass;
	memcpy(out, m->p + a * m->k, (b - a) * m->k * sizeof(double));
	__atomic_add_fetch(&m->reads, b - a, __ATOMIC_RELAXED);
	return 0;
}

static void random_problem(size_t n, size_t k, int levels, double *p, int *labels)
{
	for (size_t i = 0; i < n; i++) {
		size_t truth = next() % k;
		labels[i] = (int)(next() % 7 == 0 ? next() % k : truth);
		double sum = 0;
		for (size_t j = 0; j < k; j++) {
			double v = (double)(next() % (uint64_t)levels) / levels +
				   (j == truth ? 1.5 : 0.0);
			p[i * k + j] = v;
			sum += v;
		}
		for (size_t j = 0; j < k; j++)
			p[i * k + j] /= sum;
	}
}

static void stream_vs_memory(size_t n, size_t k, int levels, size_t threads)
{
	double *p = malloc(n * k * sizeof *p);
	int *labels = malloc(n * sizeof *labels);
	random_problem(n, k, levels, p, labels);
	struct cl_problem pb = { n, k, p, labels };
	struct mem_src ms = { p, k, 0 };
	struct cl_source src = { n, k, labels, mem_read, NULL, NULL, &ms };
	cl_par_set_threads(threads);
	for (int f = 0; f < CL_FILTER_COUNT; f++)
		for (int sc = 0; sc < CL_SCORE_COUNT; sc++)
			for (int adj = 0; adj < 2; adj++) {
				struct cl_scan_params prm = { (enum cl_filter_by)f, (enum cl_score)sc,
							      adj, f == 1 && sc == 0, 0 };
				struct cl_scan ref, got;
				struct err e1 = { 0 }, e2 = { 0 };
				int r1 = cl_scan_run(&pb, &prm, &ref, &e1);
				int r2 = cl_scan_stream(&src, &prm, &got, &e2);
				ck_assert_msg(r1 == r2, "filter %d score %d adjust %d: %d vs %d (%s / %s)",
					      f, sc, adj, r1, r2, e1.msg, e2.msg);
				if (r1 < 0) {
					ck_assert_str_eq(e1.msg, e2.msg);
					continue;
				}
				ck_assert_msg(scan_equal(&ref, &got), "n %zu k %zu filter %d score %d "
					      "adjust %d threads %zu", n, k, f, sc, adj, threads);
				/* the summaries from the kept computations agree too */
				size_t c1, c2;
				ck_assert_int_eq(cl_work_num_label_issues(ref.work, CL_OFF_DIAGONAL, &c1, &e1), 0);
				ck_assert_int_eq(cl_work_num_label_issues(got.work, CL_OFF_DIAGONAL, &c2, &e2), 0);
				ck_assert_uint_eq(c1, c2);
				cl_scan_free(&ref);
				cl_scan_free(&got);
			}
	cl_par_set_threads(0);
	free(p);
	free(labels);
}

START_TEST(test_stream_equals_memory)
{
	stream_vs_memory(3000, 4, 6, 1);       /* coarse values: tied cut-offs */
	stream_vs_memory(20000, 12, 1000, 1);
	stream_vs_memory(90000, 7, 9, 3);      /* split passes, merged heaps */
	stream_vs_memory(70000, 3, 1 << 20, 2);
}
END_TEST

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	Suite *s = suite_create("fastpaths");
	TCase *tc = tcase_create("agree");
	tcase_add_test(tc, test_adversarial_decimals);
	tcase_add_test(tc, test_random_decimals);
	tcase_add_test(tc, test_mantissa_exponent);
	tcase_add_test(tc, test_plain_tokenizer_agrees);
	tcase_add_test(tc, test_probs_beside_data_errors);
	tcase_add_test(tc, test_engine_threads_agree);
	tcase_add_test(tc, test_stream_equals_memory);
	tcase_set_timeout(tc, 120);
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
