/* cli.c — shared dataset options and error reporting for commands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_par.h"
#include "numparse.h"
#include "output.h"
#include "sanitize.h"

const char cli_dataset_help[] =
	"\nDATA.csv may be a .tsv/.tab file, gzip-compressed (.gz), or a folder of\n"
	"images DIR/CLASS/*.png|jpg (one folder per class; its log is DIR.relabel.db).\n"
	"  --probs FILE        predicted probabilities: PROBS.csv or a NumPy .npy of\n"
	"                      shape (N, K) (default: probs.csv beside DATA.csv)\n"
	"  --labels FILE.npy   given labels as integer class indices, shape (N,);\n"
	"                      DATA.csv is then optional (ids are row numbers)\n"
	"  --classes FILE      class names for .npy columns: one per line or a JSON\n"
	"                      list (default: 0 .. K-1)\n"
	"  --label-index       integer labels in DATA.csv are class indices\n"
	"  --image-root DIR    resolve relative image paths against DIR (default:\n"
	"                      the folder DATA.csv is in)\n"
	"  --delimiter C       field delimiter of DATA.csv: a character or 'tab'\n"
	"                      (default: tab for .tsv/.tab, else comma)\n"
	"  --label-col NAME    column holding the given label (default: label)\n"
	"  --id-col NAME       column holding the example id (default: id)\n"
	"  --text-col NAME     column holding a text preview (default: text)\n"
	"  --image-col NAME    column holding a PNG or JPEG path (default: image)\n"
	"  --renormalize       divide each probability row by its sum (before the\n"
	"                      range check)\n"
	"  --threads N         threads for parsing probabilities (default: all cores)\n"
	"  --exact-floats      libcsv and strtod for every field (slower, same result)\n"
	"  --low-memory        scan and stats: read .npy probabilities in passes\n"
	"                      instead of holding them in memory (same results; the\n"
	"                      default when they would fill 40% of memory)\n"
	"Without predicted probabilities a model is trained (cross-validated):\n"
	"  --features F        text, image, numeric, or numeric column names (a,b,c)\n"
	"  --folds N           cross-validation folds (default 5)\n"
	"  --seed N            seed for the folds (default 0)\n"
	"  --retrain           train again even if the log holds probabilities\n"
	"  --save-probs FILE   write the computed probabilities as a PROBS.csv\n";

struct cli_model cli_model;
char **cli_argv;

static int parse_count(const char *arg, long lo, long hi, long *out)
{
	unsigned long long v;
	if (numparse_uint(arg, (unsigned long long)hi, &v) < 0 || (long)v < lo)
		return -1;
	*out = (long)v;
	return 0;
}

int cli_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char spec[64];
	snprintf(spec, sizeof spec, ":%s", shortopts);
	opterr = 0;
	int opt = getopt_long(argc, argv, spec, longopts, NULL);
	if (opt != ':' && opt != '?')
		return opt;
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	char shortname[3] = { '-', (char)optopt, 0 };
	const char *name = optopt && arg[0] == '-' && arg[1] != '-' ? shortname : arg;
	if (opt == ':')
		san_fprintf(stderr, "relabel %s: option '%s' needs a value\n", argv[0], name);
	else
		san_fprintf(stderr, "relabel %s: unknown option '%s'\n", argv[0], name);
	fprintf(stderr, "Try 'relabel %s --help'.\n", argv[0]);
	exit(2);
}

void cli_warn_json_utf8(size_t before, const struct dataset *d, const char *other)
{
	if (out_json_replaced <= before)
		return;
	san_fprintf(stderr, "relabel: warning: %s: text that is not UTF-8; the JSON "
		"output shows U+FFFD for each such byte (exported CSV keeps the bytes)\n",
		d && d->bad_utf8[0] ? d->bad_utf8 : other);
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
	case CLI_OPT_LOW_MEMORY: o->low_memory = 1; return 1;
	case CLI_OPT_EXACT_FLOATS: o->exact_floats = 1; return 1;
	case CLI_OPT_LABELS: o->labels_path = arg; return 1;
	case CLI_OPT_CLASSES: o->classes_path = arg; return 1;
	case CLI_OPT_LABEL_INDEX: o->label_index = 1; return 1;
	case CLI_OPT_IMAGE_ROOT: o->image_root = arg; return 1;
	case CLI_OPT_DELIMITER:
		if (!strcmp(arg, "tab") || !strcmp(arg, "\\t"))
			o->delimiter = '\t';
		else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' && arg[0] != '\r')
			o->delimiter = arg[0];
		else
			return err_set(e, ERR_INPUT, "--delimiter: one character or 'tab'");
		return 1;
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
		long v;
		if (parse_count(arg, 1, 256, &v) < 0)
			return err_set(e, ERR_INPUT,
				       "--threads: '%s' is not a whole number from 1 to 256", arg);
		o->threads = (int)v;
		cl_par_set_threads((size_t)v);
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
			san_fprintf(stderr, "relabel: warning: %s\n", m->warning);
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
		san_fprintf(stderr, "relabel: warning: %s\n", (*out)->warning);
	if (!(*out)->probs && !dataset_probs_streamed(*out) &&
	    cli_fit_model(*out, NULL, e) < 0) {
		dataset_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int cli_fail(const struct err *e)
{
	san_fprintf(stderr, "relabel: %s\n", e->msg[0] ? e->msg : "unknown error");
	return e->code == ERR_INPUT ? 2 : 1;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "relabel %s: ", command);
	if (!strcmp(fmt, "unknown option") && cli_argv && optind > 0)
		san_fprintf(stderr, "unknown option or missing value: '%s'", cli_argv[optind - 1]);
	else
		san_vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'relabel %s --help'.\n", command);
	va_end(ap);
	return 2;
}
