/* stats.c — computing the dataset health summary and writing it as JSON
 * (cleanlab's names and shapes) or as text tables. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "output.h"
#include "textwidth.h"
#include "util.h"

static void add_err(struct stats *s, const char *key, const struct err *e)
{
	struct stats_value_err *v = &s->errs[s->nerrs++];
	v->key = key;
	snprintf(v->msg, sizeof v->msg, "ValueError: %s", e->msg);
}

void stats_compute_work(const struct dataset *d, struct cl_work *w, struct stats *s)
{
	size_t n = d->n, k = d->k;
	struct err e = { 0 };
	memset(s, 0, sizeof *s);
	s->n = n;
	s->k = k;
	const size_t *nk = cl_work_class_counts(w);
	s->thresholds = xmallocarray(k, sizeof(double));
	s->cj_raw = xmallocarray(k * k, sizeof(int64_t));
	s->cj = xmallocarray(k * k, sizeof(int64_t));
	memcpy(s->thresholds, cl_work_thresholds(w), k * sizeof(double));
	memcpy(s->cj_raw, cl_work_joint_raw(w), k * k * sizeof(int64_t));
	memcpy(s->cj, cl_work_joint(w), k * k * sizeof(int64_t));
	if (cl_work_num_label_issues(w, CL_OFF_DIAGONAL, &s->off_diag, &e) == 0)
		s->have_off_diag = 1;
	else
		add_err(s, "num_label_issues.off_diagonal", &e);
	if (cl_work_num_label_issues(w, CL_OFF_DIAGONAL_CALIBRATED, &s->off_diag_cal, &e) == 0)
		s->have_off_diag_cal = 1;
	else
		add_err(s, "num_label_issues.off_diagonal_calibrated", &e);
	s->joint = xmallocarray(k * k, sizeof(double));
	cl_estimate_joint(k, s->cj_raw, nk, s->joint);
	s->py = xmallocarray(k, sizeof(double));
	s->nm = xmallocarray(k * k, sizeof(double));
	s->inv = xmallocarray(k * k, sizeof(double));
	cl_work_py_and_noise(w, s->py, s->nm, s->inv, NULL);
	s->lat_py = xmallocarray(k, sizeof(double));
	s->lat_nm = xmallocarray(k * k, sizeof(double));
	s->lat_inv = xmallocarray(k * k, sizeof(double));
	cl_estimate_latent(k, s->cj, nk, n, s->lat_py, s->lat_nm, s->lat_inv);
	s->classes = xmallocarray(k, sizeof *s->classes);
	cl_work_rank_classes(w, s->classes);
	s->overlaps = xmallocarray(k * (k - 1) / 2 + 1, sizeof *s->overlaps);
	cl_work_overlapping_classes(w, s->overlaps);
	if (cl_work_health_score(w, &s->health, &e) == 0)
		s->have_health = 1;
	else
		add_err(s, "dataset.overall_label_health_score", &e);
}

void stats_compute(const struct dataset *d, struct stats *s)
{
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_work *w = cl_work_new(&pb);
	stats_compute_work(d, w, s);
	cl_work_delete(w);
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	free(s->thresholds);
	free(s->cj_raw);
	free(s->cj);
	free(s->joint);
	free(s->py);
	free(s->nm);
	free(s->inv);
	free(s->lat_py);
	free(s->lat_nm);
	free(s->lat_inv);
	free(s->classes);
	free(s->overlaps);
	memset(s, 0, sizeof *s);
}

static void json_vec(FILE *f, const double *v, size_t k)
{
	fputc('[', f);
	for (size_t j = 0; j < k; j++) {
		if (j)
			fputs(", ", f);
		out_double(f, v[j]);
	}
	fputc(']', f);
}

static void json_mat(FILE *f, const double *m, size_t k)
{
	fputc('[', f);
	for (size_t i = 0; i < k; i++) {
		if (i)
			fputs(", ", f);
		json_vec(f, m + i * k, k);
	}
	fputc(']', f);
}

static void json_imat(FILE *f, const int64_t *m, size_t k)
{
	fputc('[', f);
	for (size_t i = 0; i < k; i++) {
		fputs(i ? ", [" : "[", f);
		for (size_t j = 0; j < k; j++)
			fprintf(f, "%s%lld", j ? ", " : "", (long long)m[i * k + j]);
		fputc(']', f);
	}
	fputc(']', f);
}

static void json_count(FILE *f, int have, size_t v)
{
	if (have)
		fprintf(f, "%zu", v);
	else
		fputs("null", f);
}

static void json_dataset(FILE *f, const struct dataset *d, const struct stats *s)
{
	size_t k = s->k, m = k * (k - 1) / 2;
	fputs("  \"dataset\": {\n    \"rank_classes_by_label_quality\": [", f);
	for (size_t c = 0; c < k; c++) {
		const struct cl_class_quality *q = &s->classes[c];
		fputs(c ? ",\n      {\"Class Name\": " : "\n      {\"Class Name\": ", f);
		out_json_string(f, d->class_names[q->class_index]);
		fprintf(f, ", \"Class Index\": %zu, \"Label Issues\": %lld, "
			"\"Inverse Label Issues\": %lld, \"Label Noise\": ", q->class_index,
			(long long)q->label_issues, (long long)q->inverse_label_issues);
		out_double(f, q->label_noise);
		fputs(", \"Inverse Label Noise\": ", f);
		out_double(f, q->inverse_label_noise);
		fputs(", \"Label Quality Score\": ", f);
		out_double(f, q->label_quality);
		fputc('}', f);
	}
	fputs("],\n    \"find_overlapping_classes\": [", f);
	for (size_t p = 0; p < m; p++) {
		const struct cl_overlap *o = &s->overlaps[p];
		fputs(p ? ",\n      {\"Class Name A\": " : "\n      {\"Class Name A\": ", f);
		out_json_string(f, d->class_names[o->a]);
		fputs(", \"Class Name B\": ", f);
		out_json_string(f, d->class_names[o->b]);
		fprintf(f, ", \"Class Index A\": %zu, \"Class Index B\": %zu, "
			"\"Num Overlapping Examples\": %lld, \"Joint Probability\": ",
			o->a, o->b, (long long)o->num_overlapping);
		out_double(f, o->joint_probability);
		fputc('}', f);
	}
	fputs("],\n    \"overall_label_health_score\": ", f);
	if (s->have_health)
		out_double(f, s->health);
	else
		fputs("null", f);
	fputs("\n  },\n", f);
}

void stats_write_json(FILE *f, const struct dataset *d, const struct stats *s)
{
	size_t k = s->k;
	fprintf(f, "{\n  \"N\": %zu,\n  \"K\": %zu,\n  \"classes\": [", s->n, k);
	for (size_t c = 0; c < k; c++) {
		if (c)
			fputs(", ", f);
		out_json_string(f, d->class_names[c]);
	}
	fputs("],\n  \"thresholds\": ", f);
	json_vec(f, s->thresholds, k);
	fputs(",\n  \"confident_joint_raw\": ", f);
	json_imat(f, s->cj_raw, k);
	fputs(",\n  \"confident_joint\": ", f);
	json_imat(f, s->cj, k);
	fputs(",\n  \"num_label_issues\": {\"off_diagonal\": ", f);
	json_count(f, s->have_off_diag, s->off_diag);
	fputs(", \"off_diagonal_calibrated\": ", f);
	json_count(f, s->have_off_diag_cal, s->off_diag_cal);
	fputs("},\n  \"estimate_joint\": ", f);
	json_mat(f, s->joint, k);
	fputs(",\n  \"estimate_py_and_noise_matrices_from_probabilities\": {\"py\": ", f);
	json_vec(f, s->py, k);
	fputs(", \"noise_matrix\": ", f);
	json_mat(f, s->nm, k);
	fputs(", \"inverse_noise_matrix\": ", f);
	json_mat(f, s->inv, k);
	fputs(", \"confident_joint\": ", f);
	json_imat(f, s->cj, k);
	fputs("},\n  \"estimate_latent\": {\"py\": ", f);
	json_vec(f, s->lat_py, k);
	fputs(", \"noise_matrix\": ", f);
	json_mat(f, s->lat_nm, k);
	fputs(", \"inverse_noise_matrix\": ", f);
	json_mat(f, s->lat_inv, k);
	fputs("},\n", f);
	json_dataset(f, d, s);
	if (s->model) {
		fputs("  \"model\": {\"features\": ", f);
		out_json_string(f, s->model->features);
		fputs(", \"settings\": ", f);
		out_json_string(f, s->model->settings);
		fprintf(f, ", \"folds\": %d, \"accuracy\": ", s->model->folds);
		out_double(f, s->model->accuracy);
		fputs(", \"log_loss\": ", f);
		out_double(f, s->model->logloss);
		fputs("},\n", f);
	}
	if (s->spot) {
		const struct spot_estimate *sp = s->spot;
		fprintf(f, "  \"spot_check\": {\"sampled\": %zu, \"decided\": %zu, \"mislabelled\": %zu, "
			"\"unsure\": %zu, \"unflagged\": %zu, \"rate\": ", sp->sampled, sp->decided,
			sp->mislabelled, sp->unsure, sp->unflagged);
		out_double(f, sp->p);
		fputs(", \"wilson_95\": [", f);
		out_double(f, sp->lo);
		fputs(", ", f);
		out_double(f, sp->hi);
		fputs("], \"estimated_missed\": ", f);
		out_double(f, sp->examples);
		fputs("},\n", f);
	}
	fputs("  \"errors\": {", f);
	for (int i = 0; i < s->nerrs; i++) {
		fputs(i ? ", " : "", f);
		out_json_string(f, s->errs[i].key);
		fputs(": ", f);
		out_json_string(f, s->errs[i].msg);
	}
	fputs("}\n}\n", f);
}
