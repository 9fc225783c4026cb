/* stats_text.c — the dataset health summary as text tables for a person:
 * overall health, per-class label quality, the most overlapping class pairs
 * and the confident joint. */
#include <stdio.h>

#include "log.h"
#include "sanitize.h"
#include "stats.h"
#include "textwidth.h"

#define NAMEW 16

static void name(FILE *f, const char *s, size_t cols)
{
	char vis[1024], buf[256];
	tw_fit(buf, sizeof buf, san_class(vis, sizeof vis, s), cols, 1);
	fputs(buf, f);
}

static void joint_table(FILE *f, const struct dataset *d, const struct stats *s)
{
	size_t k = s->k, show = k > 12 ? 12 : k;
	fprintf(f, "\nConfident joint (rows: given label, columns: suggested label)%s\n",
		k > show ? ", first 12 classes" : "");
	name(f, "", NAMEW);
	for (size_t j = 0; j < show; j++) {
		fputc(' ', f);
		char buf[64];
		char vis[1024];
		tw_fit(buf, sizeof buf, san_class(vis, sizeof vis, d->class_names[j]), 7, 0);
		fprintf(f, "%*s%s", (int)(7 - tw_width(buf)), "", buf);
	}
	fputc('\n', f);
	for (size_t i = 0; i < show; i++) {
		name(f, d->class_names[i], NAMEW);
		for (size_t j = 0; j < show; j++)
			fprintf(f, " %7lld", (long long)s->cj[i * k + j]);
		fputc('\n', f);
	}
}

void stats_write_text(FILE *f, const struct dataset *d, const struct stats *s)
{
	san_fprintf(f, "%s: %zu examples, %zu classes\n", d->data_path, s->n, s->k);
	if (s->model)
		san_fprintf(f, "Probabilities: built-in model (%s; %d-fold cross-validation): "
			"accuracy %.4f, log-loss %.4f against the given labels\n",
			s->model->features, s->model->folds, s->model->accuracy,
			s->model->logloss);
	if (s->have_health)
		fprintf(f, "Overall label health: %.3f (%zu likely label issues, %.1f%%)\n",
			s->health, s->off_diag, 100.0 * (double)s->off_diag / (double)s->n);
	if (s->spot) {
		char line[400];
		spot_line(s->spot, line, sizeof line);
		fprintf(f, "%s\n", line);
	}
	for (int i = 0; i < s->nerrs; i++)
		san_fprintf(f, "Not computed: %s: %s\n", s->errs[i].key, s->errs[i].msg);
	fprintf(f, "\nPer-class label quality (worst first)\n");
	name(f, "class", NAMEW);
	fprintf(f, "  %7s %7s %9s %9s %8s\n", "issues", "inverse", "noise", "inv.noise",
		"quality");
	for (size_t c = 0; c < s->k; c++) {
		const struct cl_class_quality *q = &s->classes[c];
		name(f, d->class_names[q->class_index], NAMEW);
		fprintf(f, "  %7lld %7lld %9.4f %9.4f %8.4f\n", (long long)q->label_issues,
			(long long)q->inverse_label_issues, q->label_noise,
			q->inverse_label_noise, q->label_quality);
	}
	size_t m = s->k * (s->k - 1) / 2, shown = 0;
	fprintf(f, "\nMost overlapping classes\n");
	for (size_t p = 0; p < m && shown < 10; p++) {
		const struct cl_overlap *o = &s->overlaps[p];
		if (o->num_overlapping == 0)
			break;
		name(f, d->class_names[o->a], NAMEW);
		fputs(" <-> ", f);
		name(f, d->class_names[o->b], NAMEW);
		fprintf(f, " %7lld examples  joint %.4f\n", (long long)o->num_overlapping,
			o->joint_probability);
		shown++;
	}
	if (!shown)
		fputs("(none)\n", f);
	joint_table(f, d, s);
}
