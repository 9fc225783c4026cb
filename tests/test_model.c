/* test_model.c — the built-in model: the optimiser on problems with known
 * minima, the tokenizer and hashing on fixed examples, stratified folds,
 * determinism for a seed, and end to end: label flips injected into a
 * dataset without probabilities are found by confident learning on the
 * model's out-of-fold probabilities. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cl.h"
#include "featurize.h"
#include "logreg.h"
#include "model.h"

static double quad(const double *x, double *g, void *ctx)
{
	(void)ctx;
	double f = 0;
	for (int i = 0; i < 5; i++) {   /* sum (i+1) (x_i - i)^2 */
		f += (i + 1) * (x[i] - i) * (x[i] - i);
		g[i] = 2 * (i + 1) * (x[i] - i);
	}
	return f;
}

static double rosen(const double *x, double *g, void *ctx)
{
	(void)ctx;
	double a = 1 - x[0], b = x[1] - x[0] * x[0];
	g[0] = -2 * a - 400 * x[0] * b;
	g[1] = 200 * b;
	return a * a + 100 * b * b;
}

START_TEST(test_lbfgs_known_minima)
{
	double x[5] = { 10, -3, 7, 0, 100 }, f;
	ck_assert_int_ge(lbfgs_minimize(5, x, quad, NULL, 100, 1e-9, 0, NULL, &f), 0);
	for (int i = 0; i < 5; i++)
		ck_assert_double_eq_tol(x[i], i, 1e-6);
	double r[2] = { -1.2, 1 };
	lbfgs_minimize(2, r, rosen, NULL, 500, 1e-8, 0, NULL, &f);
	ck_assert_double_eq_tol(r[0], 1, 1e-3);
	ck_assert_double_eq_tol(r[1], 1, 1e-3);
}
END_TEST

/* One feature, two classes: class 1 exactly when x > 0. */
START_TEST(test_logreg_learns_a_threshold)
{
	enum { N = 40 };
	size_t rowptr[N + 1], rows[N];
	uint32_t col[N];
	float val[N];
	int y[N];
	for (int i = 0; i < N; i++) {
		rowptr[i] = (size_t)i;
		col[i] = 0;
		val[i] = (float)(i - N / 2) + 0.5f;
		y[i] = val[i] > 0;
		rows[i] = (size_t)i;
	}
	rowptr[N] = N;
	struct fmatrix X = { N, 1, rowptr, col, val };
	struct lr_opts o = { 1.0, 200, 1e-6, NULL, NULL };
	struct lr_model m;
	ck_assert_int_eq(lr_train(&X, rows, N, y, 2, &o, &m), 0);
	double p[2];
	lr_predict(&m, &X, 0, p);
	ck_assert(p[0] > 0.99);
	lr_predict(&m, &X, N - 1, p);
	ck_assert(p[1] > 0.99);
	ck_assert_double_eq_tol(p[0] + p[1], 1, 1e-12);
	lr_free(&m);
}
END_TEST

struct toks {
	char all[256];
};

static void collect(void *ctx, const char *tok, size_t len)
{
	struct toks *t = ctx;
	strncat(t->all, tok, len);
	strcat(t->all, "|");
}

START_TEST(test_tokens_and_hash)
{
	struct toks t = { "" };
	ck_assert_uint_eq(features_tokens("Hello, WORLD! a 2to3 x_y café", collect, &t), 5);
	ck_assert_str_eq(t.all, "hello|world|2to3|x_y|café|");
}
END_TEST

START_TEST(test_hash_fixed_values)
{
	ck_assert_uint_eq(features_hash("", 0), 0xcbf29ce484222325ull);
	ck_assert_uint_eq(features_hash("a", 1), 0xaf63dc4c8601ec8cull);
}
END_TEST

START_TEST(test_stratified_folds)
{
	enum { N = 103 };
	int labels[N], fold[N], count[5][3] = { { 0 } };
	for (int i = 0; i < N; i++)
		labels[i] = i % 7 == 0 ? 2 : i % 2;
	model_folds(labels, N, 3, 5, 42, fold);
	int per[5] = { 0 };
	for (int i = 0; i < N; i++) {
		ck_assert(fold[i] >= 0 && fold[i] < 5);
		count[fold[i]][labels[i]]++;
		per[fold[i]]++;
	}
	for (int f = 0; f < 5; f++) {
		ck_assert(per[f] >= N / 5 - 1 && per[f] <= N / 5 + 2);
		for (int c = 0; c < 3; c++) {
			int total = 0;
			for (int g = 0; g < 5; g++)
				total += count[g][c];
			ck_assert(abs(count[f][c] * 5 - total) <= 5);   /* within one example */
		}
	}
	int again[N];
	model_folds(labels, N, 3, 5, 42, again);
	ck_assert(!memcmp(fold, again, sizeof fold));
	model_folds(labels, N, 3, 5, 43, again);
	ck_assert(memcmp(fold, again, sizeof fold) != 0);
}
END_TEST

/* A numeric dataset: three well separated clusters, 10% of labels flipped. */
static char dir[] = "/tmp/relabel-test-model-XXXXXX";

static struct dataset *noisy_numeric(int *flipped, int n)
{
	char path[600];
	snprintf(path, sizeof path, "%s/data.csv", dir);
	FILE *f = fopen(path, "w");
	fputs("id,x,y,label\n", f);
	unsigned long long s = 12345;
	for (int i = 0; i < n; i++) {
		int c = i % 3, lab = c;
		s ^= s << 13; s ^= s >> 7; s ^= s << 17;
		double nx = (double)(s % 1000) / 1000 - 0.5;
		s ^= s << 13; s ^= s >> 7; s ^= s << 17;
		double ny = (double)(s % 1000) / 1000 - 0.5;
		flipped[i] = i % 10 == 3;
		if (flipped[i])
			lab = (c + 1) % 3;
		fprintf(f, "r%d,%.3f,%.3f,%c\n", i, c * 3 + nx, (c == 1) * 3 + ny, "abc"[lab]);
	}
	fclose(f);
	struct dataset_opts o = { .data_path = path, .allow_missing_probs = 1 };
	struct dataset *d;
	struct err e;
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	return d;
}

START_TEST(test_flips_found_without_probabilities)
{
	enum { N = 300 };
	int flipped[N];
	struct dataset *d = noisy_numeric(flipped, N);
	struct model_opts mo = { .seed = 1 };
	struct model_report rep;
	struct err e;
	ck_assert_msg(model_fit_probs(d, &mo, &rep, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(rep.folds, 5);
	for (size_t i = 0; i < d->n * d->k; i++)
		ck_assert(d->probs[i] > 0 && d->probs[i] < 1);   /* no hard 0/1 */
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	struct cl_scan s;
	ck_assert(cl_scan_run(&pb, &prm, &s, &e) == 0);
	int found = 0, flips = 0, false_pos = 0;
	for (int i = 0; i < N; i++) {
		flips += flipped[i];
		found += flipped[i] && s.flagged[i];
		false_pos += !flipped[i] && s.flagged[i];
	}
	ck_assert_msg(found >= flips * 9 / 10, "found %d of %d flips", found, flips);
	ck_assert_msg(false_pos <= flips / 5, "%d false positives", false_pos);
	/* Determinism: the same seed gives the same probabilities, bit for bit. */
	double *first = malloc(d->n * d->k * sizeof *first);
	memcpy(first, d->probs, d->n * d->k * sizeof *first);
	ck_assert(model_fit_probs(d, &mo, &rep, &e) == 0);
	ck_assert(!memcmp(first, d->probs, d->n * d->k * sizeof *first));
	free(first);
	cl_scan_free(&s);
	dataset_free(d);
}
END_TEST

/* One-hot features: of the given label (informative) or of a random
 * class (noise). */
static void one_hot(struct fmatrix *m, const struct dataset *d, int informative)
{
	m->n = d->n;
	m->d = d->k;
	m->rowptr = malloc((d->n + 1) * sizeof *m->rowptr);
	m->col = malloc(d->n * sizeof *m->col);
	m->val = malloc(d->n * sizeof *m->val);
	unsigned long long s = 777;
	for (size_t i = 0; i < d->n; i++) {
		s ^= s << 13; s ^= s >> 7; s ^= s << 17;
		m->rowptr[i] = i;
		m->col[i] = informative ? (uint32_t)d->labels[i] : (uint32_t)(s % d->k);
		m->val[i] = 1;
	}
	m->rowptr[d->n] = d->n;
}

/* The inner validation picks the clearly better setting, wherever it is in
 * the list, and says so; on text whose classes differ only in word order
 * it keeps the bigrams, and the model info records the choice. */
START_TEST(test_inner_validation_picks_the_better_setting)
{
	enum { N = 300 };
	int flipped[N];
	struct dataset *d = noisy_numeric(flipped, N);
	int fold[N];
	model_folds(d->labels, d->n, d->k, 5, 1, fold);
	struct fmatrix X[2];
	double Cs[] = { 0.1, 1, 10 }, C;
	char why[120];
	for (int good = 0; good < 2; good++) {
		one_hot(&X[good], d, 1);
		one_hot(&X[!good], d, 0);
		int mat = -1;
		ck_assert_int_eq(model_choose(d, X, 2, Cs, 3, fold, 1, 2, &mat, &C, why, sizeof why), 0);
		ck_assert_int_eq(mat, good);
		ck_assert_msg(strstr(why, "held-out accuracy 1.0000") != NULL, "%s", why);
		fmatrix_free(&X[0]);
		fmatrix_free(&X[1]);
	}
	dataset_free(d);

	char path[600];
	snprintf(path, sizeof path, "%s/order.csv", dir);
	FILE *f = fopen(path, "w");
	fputs("id,text,label\n", f);
	const char *w[] = { "red", "green", "blue", "gold" };
	unsigned long long s = 99;
	for (int i = 0; i < 400; i++) {
		s ^= s << 13; s ^= s >> 7; s ^= s << 17;
		int a = (int)(s % 4), b = (a + 1 + (int)(s / 4 % 3)) % 4;
		/* same words in both classes; only the order tells them apart */
		if (i % 2)
			fprintf(f, "t%d,%s apple %s pear,one\n", i, w[a], w[b]);
		else
			fprintf(f, "t%d,%s pear %s apple,two\n", i, w[a], w[b]);
	}
	fclose(f);
	struct dataset_opts o = { .data_path = path, .allow_missing_probs = 1 };
	struct err e;
	ck_assert_msg(dataset_load(&d, &o, &e) == 0, "%s", e.msg);
	struct model_opts mo = { .seed = 3 };
	struct model_report rep;
	ck_assert_msg(model_fit_probs(d, &mo, &rep, &e) == 0, "%s", e.msg);
	ck_assert_msg(strstr(rep.features, "words and bigrams") != NULL, "%s", rep.features);
	ck_assert_msg(strstr(rep.features, "chosen by inner validation") != NULL, "%s", rep.features);
	ck_assert_msg(rep.accuracy > 0.9, "accuracy %.3f", rep.accuracy);
	mo.feat.words_only = 1;     /* words alone cannot tell the classes apart */
	ck_assert(model_fit_probs(d, &mo, &rep, &e) == 0);
	ck_assert_msg(rep.accuracy < 0.7, "words only: accuracy %.3f", rep.accuracy);
	dataset_free(d);
}
END_TEST

int main(void)
{
	if (!mkdtemp(dir))
		return 99;
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("model");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lbfgs_known_minima);
	tcase_add_test(tc, test_logreg_learns_a_threshold);
	tcase_add_test(tc, test_tokens_and_hash);
	tcase_add_test(tc, test_hash_fixed_values);
	tcase_add_test(tc, test_stratified_folds);
	tcase_add_test(tc, test_flips_found_without_probabilities);
	tcase_add_test(tc, test_inner_validation_picks_the_better_setting);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed++;
	return failed ? 1 : 0;
}
