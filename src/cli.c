/* cli.c — shared dataset options and error reporting for commands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

const char cli_dataset_help[] =
	"  --probs FILE        predicted probabilities (default: probs.csv beside DATA.csv)\n"
	"  --label-col NAME    column holding the given label (default: label)\n"
	"  --id-col NAME       column holding the example id (default: id)\n"
	"  --text-col NAME     column holding a text preview (default: text)\n"
	"  --image-col NAME    column holding a PNG path (default: image)\n"
	"  --renormalize       divide each probability row by its sum\n"
	"  --threads N         threads for parsing probabilities (default: all cores)\n"
	"  --exact-floats      convert every number with strtod (slower, same result)\n"
	"Without predicted probabilities a model is trained (cross-validated):\n"
	"  --features F        text, image, numeric, or numeric column names (a,b,c)\n"
	"  --folds N           cross-validation folds (default 5)\n"
	"  --seed N            seed for the folds (default 0)\n"
	"  --retrain           train again even if the log holds probabilities\n"
	"  --save-probs FILE   write the computed probabilities as a PROBS.csv\n";

struct cli_model cli_model;

static int parse_count(const char *arg, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || *end || !*arg || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int cli_dataset_option(int opt, const char *arg, struct dataset_opts *o,
		       struct err *e)
{
	switch (opt) {
	case CLI_OPT_PROBS: o->probs_path = arg; return 1;
	case CLI_OPT_LABEL_COL: o->label_col = arg; return 1;
	case CLI_OPT_ID_COL: o->id_col = arg; return 1;
	case CLI_OPT_TEXT_COL: o->text_col = arg; return 1;
	case CLI_OPT_IMAGE_COL: o->image_col = arg; return 1;
	case CLI_OPT_RENORMALIZE: o->renormalize = 1; return 1;
	case CLI_OPT_EXACT_FLOATS: o->exact_floats = 1; return 1;
	case CLI_OPT_FEATURES: {
		struct feat_opts *f = &cli_model.opts.feat;
		f->columns = NULL;
		if (!strcmp(arg, "text"))
			f->kind = FEAT_TEXT;
		else if (!strcmp(arg, "image"))
			f->kind = FEAT_IMAGE;
		else if (!strcmp(arg, "numeric"))
			f->kind = FEAT_NUMERIC;
		else if (*arg) {
			f->kind = FEAT_NUMERIC;
			f->columns = arg;
		} else
			return err_set(e, ERR_INPUT, "--features: text, image, numeric or column names");
		return 1;
	}
	case CLI_OPT_FOLDS: {
		long v;
		if (parse_count(arg, 2, MODEL_MAX_FOLDS, &v) < 0)
			return err_set(e, ERR_INPUT, "--folds: a whole number from 2 to %d", MODEL_MAX_FOLDS);
		cli_model.opts.folds = (int)v;
		return 1;
	}
	case CLI_OPT_SEED: {
		long v;
		if (parse_count(arg, 0, 2147483647L, &v) < 0)
			return err_set(e, ERR_INPUT, "--seed: a whole number from 0");
		cli_model.opts.seed = (unsigned long)v;
		return 1;
	}
	case CLI_OPT_RETRAIN: cli_model.retrain = 1; return 1;
	case CLI_OPT_SAVE_PROBS: cli_model.save_probs = arg; return 1;
	case CLI_OPT_THREADS: {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || *end || v < 1 || v > 256)
			return err_set(e, ERR_INPUT,
				       "--threads: '%s' is not a whole number from 1 to 256", arg);
		o->threads = (int)v;
		return 1;
	}
	default:
		return 0;
	}
}

static int save_probs(const struct dataset *d, const char *path, struct err *e)
{
	struct out o;
	out_protect("DATA", d->data_path);
	if (out_open(&o, path, e) < 0)
		return -1;
	for (size_t c = 0; c < d->k; c++) {
		if (c)
			fputc(',', o.f);
		out_csv_field(o.f, d->class_names[c]);
	}
	fputc('\n', o.f);
	for (size_t i = 0; i < d->n; i++)
		for (size_t c = 0; c < d->k; c++)
			fprintf(o.f, "%.17g%c", d->probs[i * d->k + c], c + 1 < d->k ? ',' : '\n');
	return out_close(&o, e);
}

int cli_fit_model(struct dataset *d, struct logdb *db, struct err *e)
{
	struct cli_model *m = &cli_model;
	struct log_model_info *info = &m->info;
	model_describe(&m->opts, info->settings, sizeof info->settings);
	int found = 0;
	if (db && !m->retrain) {
		dataset_alloc_probs(d);
		found = log_load_probs(db, info->settings, d->probs, d->n, d->k, info, e);
		if (found < 0)
			return -1;
	}
	if (!found) {
		struct model_report rep;
		if (model_fit_probs(d, &m->opts, &rep, e) < 0)
			return -1;
		snprintf(info->features, sizeof info->features, "%s", rep.features);
		info->folds = rep.folds;
		info->accuracy = rep.accuracy;
		info->logloss = rep.logloss;
		info->seconds = rep.seconds;
		snprintf(m->warning, sizeof m->warning, "%s", rep.warning);
		if (m->warning[0])
			fprintf(stderr, "relabel: warning: %s\n", m->warning);
		if (db && log_store_probs(db, info, d->probs, d->n, d->k, e) < 0)
			return -1;
	}
	m->used = 1;
	return m->save_probs ? save_probs(d, m->save_probs, e) : 0;
}

int cli_load_dataset(struct dataset **out, struct dataset_opts *o, struct err *e)
{
	o->allow_missing_probs = 1;
	if (dataset_load(out, o, e) < 0)
		return -1;
	if ((*out)->warning[0])
		fprintf(stderr, "relabel: warning: %s\n", (*out)->warning);
	if (!(*out)->probs && cli_fit_model(*out, NULL, e) < 0) {
		dataset_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int cli_fail(const struct err *e)
{
	fprintf(stderr, "relabel: %s\n", e->msg[0] ? e->msg : "unknown error");
	return e->code == ERR_INPUT ? 2 : 1;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "relabel %s: ", command);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'relabel %s --help'.\n", command);
	va_end(ap);
	return 2;
}
