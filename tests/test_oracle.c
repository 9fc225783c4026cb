/* test_oracle.c — the engine and `relabel stats --format json` against
 * cleanlab 2.9.0's own outputs on every reference case in tests/oracle:
 * thresholds, both confident joints, the label quality scores, and every
 * number of summary.json (num_label_issues, estimate_joint, the latent
 * estimates, the dataset tables, the health score), including which outputs
 * cleanlab refused to compute. Integers must match exactly; floats to a
 * relative 1e-12 (bit-exact is expected except the entropy score).
 */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl.h"
#include "dataset.h"
#include "json_min.h"
#include "stats.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, f);
	s[got] = '\0';
	fclose(f);
	return s;
}

static int close_enough(double got, double want, double rel)
{
	if (got == want)
		return 1;
	return fabs(got - want) <= rel * fmax(fabs(want), 1e-300);
}

static char case_dir[512];

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", case_dir, name);
}

/* Numbers of a CSV file's lines after the header: field `col` of each line
 * counted from the end (0 = last), or every field when col < 0. */
static size_t csv_numbers(const char *name, int col, double *out, size_t cap,
			  int *empty)
{
	char path[600];
	path_of(path, sizeof path, name);
	char *text = slurp(path);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	size_t n = 0;
	char *line = strchr(text, '\n');
	while (line && line[1]) {
		line++;
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (col >= 0) {
			char *f = strrchr(line, ',');
			out[n] = strtod(f + 1, NULL);
			n++;
		} else {
			char *p = line;
			for (;;) {
				char *comma = strchr(p, ',');
				if (comma)
					*comma = '\0';
				if (empty)
					empty[n] = *p == '\0';
				out[n++] = *p ? strtod(p, NULL) : 0;
				if (!comma || n >= cap)
					break;
				p = comma + 1;
			}
		}
		line = end;
	}
	free(text);
	return n;
}

static void check_joint(const char *name, const int64_t *cj, size_t k)
{
	double *v = malloc(k * k * sizeof *v);
	size_t n = csv_numbers(name, -1, v, k * k, NULL);
	ck_assert_uint_eq(n, k * k);
	for (size_t i = 0; i < k * k; i++)
		ck_assert_msg((double)cj[i] == v[i], "%s %s cell %zu: %lld, want %.0f",
			      case_dir, name, i, (long long)cj[i], v[i]);
	free(v);
}

static void check_scores(const struct dataset *d)
{
	size_t n = d->n, cols = 7;
	double *v = malloc(n * cols * sizeof *v);
	int *empty = malloc(n * cols * sizeof *empty);
	size_t got = csv_numbers("expected/scores.csv", -1, v, n * cols, empty);
	size_t lines = got / cols;
	struct cl_problem pb = { n, d->k, d->probs, d->labels };
	double *s = malloc(n * sizeof *s);
	for (int m = 0; m < 6; m++) {
		struct err e = { 0 };
		int rc = cl_label_quality_scores(&pb, (enum cl_score)(m % 3), m >= 3, s, &e);
		for (size_t l = 0; l < lines; l++) {
			size_t row = (size_t)v[l * cols];
			int want_err = empty[l * cols + 1 + m];
			ck_assert_msg((rc < 0) == want_err, "%s scores column %d: error %d, "
				      "want %d", case_dir, m, rc < 0, want_err);
			if (rc < 0)
				break;
			double rel = m == 2 ? 1e-12 : 0;
			ck_assert_msg(close_enough(s[row], v[l * cols + 1 + m], rel),
				      "%s row %zu score %d: %.17g want %.17g", case_dir, row,
				      m, s[row], v[l * cols + 1 + m]);
		}
	}
	free(v);
	free(empty);
	free(s);
}

/* Every number in `want` equals the one in `got` at the same place. */
static void same_json(const struct jv *got, const struct jv *want, const char *where)
{
	ck_assert_msg(got != NULL, "%s %s: missing", case_dir, where);
	if (want->t == J_NULL) {
		ck_assert_msg(got->t == J_NULL, "%s %s: want null", case_dir, where);
		return;
	}
	ck_assert_msg(got->t == want->t, "%s %s: type %d want %d", case_dir, where,
		      got->t, want->t);
	if (want->t == J_NUM)
		ck_assert_msg(close_enough(got->num, want->num, 1e-12),
			      "%s %s: %.17g want %.17g", case_dir, where, got->num, want->num);
	else if (want->t == J_STR)
		ck_assert_str_eq(got->str, want->str);
	else if (want->t == J_ARR) {
		ck_assert_msg(got->n == want->n, "%s %s: %zu items want %zu", case_dir,
			      where, got->n, want->n);
		for (size_t i = 0; i < want->n; i++)
			same_json(&got->items[i], &want->items[i], where);
	} else if (want->t == J_OBJ) {
		for (size_t i = 0; i < want->n; i++)
			same_json(jv_get(got, want->keys[i]), &want->items[i], want->keys[i]);
	}
}

static void check_summary(const struct dataset *d, const struct stats *st)
{
	char path[600], *buf;
	size_t len;
	FILE *mem = open_memstream(&buf, &len);
	stats_write_json(mem, d, st);
	fclose(mem);
	struct jv *got = jv_parse(buf);
	ck_assert_msg(got != NULL, "stats JSON does not parse");
	path_of(path, sizeof path, "expected/summary.json");
	char *text = slurp(path);
	struct jv *want = jv_parse(text);
	ck_assert_msg(want != NULL, "%s does not parse", path);
	static const char *const keys[] = {
		"num_label_issues.off_diagonal", "num_label_issues.off_diagonal_calibrated",
		"estimate_joint", "estimate_py_and_noise_matrices_from_probabilities",
		"estimate_latent", "dataset",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		same_json(jv_get(got, keys[i]), jv_get(want, keys[i]), keys[i]);
	/* Each error cleanlab raised for these outputs is reported too. */
	const struct jv *errs = jv_get(want, "errors");
	for (size_t i = 0; errs && i < errs->n; i++) {
		const char *k = errs->keys[i];
		if (!strncmp(k, "summary:", 8) && strcmp(k + 8, "num_label_issues.off_diagonal_custom"))
			ck_assert_msg(jv_get(jv_get(got, "errors"), "x") == NULL &&
				      strstr(buf, k + 8), "%s: error %s not reported", case_dir, k);
	}
	jv_free(got);
	jv_free(want);
	free(text);
	free(buf);
}

static void run_case(const char *dir)
{
	snprintf(case_dir, sizeof case_dir, "%s", dir);
	char data[600], probs[600];
	path_of(data, sizeof data, "data.csv");
	path_of(probs, sizeof probs, "probs.csv");
	struct dataset_opts o = { .data_path = data, .probs_path = probs };
	struct dataset *d;
	struct err e = { 0 };
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s: %s", dir, e.msg);
	struct stats st;
	stats_compute(d, &st);
	double *t = malloc(d->k * sizeof *t);
	ck_assert_uint_eq(csv_numbers("expected/thresholds.csv", 0, t, d->k, NULL), d->k);
	for (size_t c = 0; c < d->k; c++)
		ck_assert_msg(close_enough(st.thresholds[c], t[c], 1e-12),
			      "%s threshold %zu: %.17g want %.17g", dir, c, st.thresholds[c], t[c]);
	free(t);
	check_joint("expected/confident_joint_raw.csv", st.cj_raw, d->k);
	check_joint("expected/confident_joint.csv", st.cj, d->k);
	check_scores(d);
	check_summary(d, &st);
	stats_free(&st);
	dataset_free(d);
}

static char **cases;
static int ncases;

START_TEST(test_case)
{
	run_case(cases[_i]);
}
END_TEST

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *top = getenv("top_srcdir");
	char root[512];
	snprintf(root, sizeof root, "%s/tests/oracle", top ? top : ".");
	DIR *dir = opendir(root);
	if (!dir) {
		fprintf(stderr, "cannot open %s\n", root);
		return 99;
	}
	cases = calloc(64, sizeof *cases);
	struct dirent *de;
	while ((de = readdir(dir)) && ncases < 64)
		if (de->d_name[0] == 'p') {
			cases[ncases] = malloc(strlen(root) + strlen(de->d_name) + 2);
			sprintf(cases[ncases++], "%s/%s", root, de->d_name);
		}
	closedir(dir);
	qsort(cases, (size_t)ncases, sizeof *cases, cmp);
	Suite *s = suite_create("oracle");
	TCase *tc = tcase_create("cases");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_case, 0, ncases);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed || ncases < 16 ? 1 : 0;
}
