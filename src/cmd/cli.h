/* cli.h — command-line options shared by every command that loads a dataset.
 *
 * Each command adds CLI_DATASET_OPTIONS to its getopt_long table and passes
 * unknown option codes to cli_dataset_option(), so `--probs`, `--label-col`
 * and the rest mean the same everywhere.
 */
#ifndef RELABEL_CLI_H
#define RELABEL_CLI_H

#include <getopt.h>

#include "dataset.h"
#include "log.h"
#include "model.h"

enum {
	CLI_OPT_PROBS = 1000,
	CLI_OPT_LABEL_COL,
	CLI_OPT_ID_COL,
	CLI_OPT_TEXT_COL,
	CLI_OPT_IMAGE_COL,
	CLI_OPT_RENORMALIZE,
	CLI_OPT_THREADS,
	CLI_OPT_EXACT_FLOATS,
	CLI_OPT_FEATURES,
	CLI_OPT_FOLDS,
	CLI_OPT_SEED,
	CLI_OPT_RETRAIN,
	CLI_OPT_SAVE_PROBS,
	CLI_OPT_LABELS,
	CLI_OPT_CLASSES,
	CLI_OPT_LABEL_INDEX,
	CLI_OPT_IMAGE_ROOT,
	CLI_OPT_DELIMITER,
	CLI_OPT_LOW_MEMORY,
	CLI_OPT_FIRST_FREE     /* commands number their own options from here */
};

#define CLI_DATASET_OPTIONS \
	{ "probs", required_argument, NULL, CLI_OPT_PROBS }, \
	{ "label-col", required_argument, NULL, CLI_OPT_LABEL_COL }, \
	{ "id-col", required_argument, NULL, CLI_OPT_ID_COL }, \
	{ "text-col", required_argument, NULL, CLI_OPT_TEXT_COL }, \
	{ "image-col", required_argument, NULL, CLI_OPT_IMAGE_COL }, \
	{ "renormalize", no_argument, NULL, CLI_OPT_RENORMALIZE }, \
	{ "threads", required_argument, NULL, CLI_OPT_THREADS }, \
	{ "exact-floats", no_argument, NULL, CLI_OPT_EXACT_FLOATS }, \
	{ "features", required_argument, NULL, CLI_OPT_FEATURES }, \
	{ "folds", required_argument, NULL, CLI_OPT_FOLDS }, \
	{ "seed", required_argument, NULL, CLI_OPT_SEED }, \
	{ "retrain", no_argument, NULL, CLI_OPT_RETRAIN }, \
	{ "save-probs", required_argument, NULL, CLI_OPT_SAVE_PROBS }, \
	{ "labels", required_argument, NULL, CLI_OPT_LABELS }, \
	{ "classes", required_argument, NULL, CLI_OPT_CLASSES }, \
	{ "label-index", no_argument, NULL, CLI_OPT_LABEL_INDEX }, \
	{ "image-root", required_argument, NULL, CLI_OPT_IMAGE_ROOT }, \
	{ "delimiter", required_argument, NULL, CLI_OPT_DELIMITER }, \
	{ "low-memory", no_argument, NULL, CLI_OPT_LOW_MEMORY }

/* Help text lines for the options above (for COMMAND --help). */
extern const char cli_dataset_help[];

/* Apply option `opt` with argument `arg` to o. Returns 1 if the option is one
 * of CLI_DATASET_OPTIONS, 0 if not, -1 (with e filled) on a bad value. */
int cli_dataset_option(int opt, const char *arg, struct dataset_opts *o,
		       struct err *e);

/* The built-in model's settings from the options above, and what the last
 * training (or the stored result) reported. */
struct cli_model {
	struct model_opts opts;
	int retrain;
	const char *save_probs;
	int used;                   /* the probabilities came from the model */
	struct log_model_info info;
	char warning[200];
};
extern struct cli_model cli_model;
/* The command's argv (set by main), for naming a bad option. */
extern char **cli_argv;

/* Fill d->probs with the built-in model's out-of-fold probabilities,
 * taking them from the log when it has them for this data and these
 * settings (db may be NULL), storing them there otherwise, and writing
 * --save-probs. */
int cli_fit_model(struct dataset *d, struct logdb *db, struct err *e);

/* Load the dataset every command works on. Commands call this rather than
 * dataset_load so that what happens when no probabilities are given (an
 * error now; the built-in model later) is decided in one place. Prints the
 * loader's warning, if any, to stderr. */
int cli_load_dataset(struct dataset **out, struct dataset_opts *o, struct err *e);

/* getopt_long for the commands: a missing option value or an unknown option
 * prints one message ("relabel CMD: option '--row' needs a value") and
 * exits with status 2; otherwise as getopt_long. argv[0] is the command. */
int cli_getopt(int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* After JSON output: if out_json_replaced grew past `before`, warn on
 * stderr that bytes that are not UTF-8 were shown as U+FFFD, naming the
 * first such place (the dataset's FILE:LINE:COLUMN when it has one, else
 * `other`, e.g. the log file). */
void cli_warn_json_utf8(size_t before, const struct dataset *d, const char *other);

/* Register DATA (o->data_path, may be NULL), PROBS (--probs, or probs.csv
 * beside DATA.csv if it exists) and the corrections log (log_path, or the
 * default beside DATA.csv) as files no output may be (see output.h). */
void cli_protect_inputs(const struct dataset_opts *o, const char *log_path);
/* cli_protect_inputs, then check the command's outputs plus --save-probs
 * before any work is done (out_check): exit status 2 for an output that is
 * an input, a directory, in a missing directory, or another output. */
struct out_spec;
int cli_check_outputs(const struct dataset_opts *o, const char *log_path,
		      const struct out_spec *outs, size_t n, struct err *e);

/* Print "relabel: MESSAGE" for a failed step and return its exit status
 * (2 for ERR_INPUT, 1 otherwise). */
int cli_fail(const struct err *e);

/* Print "relabel COMMAND: usage error: MSG\nTry 'relabel COMMAND --help'." and
 * return 2. */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
