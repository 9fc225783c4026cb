/* cli.c — shared dataset options and error reporting for commands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char cli_dataset_help[] =
	"  --probs FILE        predicted probabilities (default: probs.csv beside DATA.csv)\n"
	"  --label-col NAME    column holding the given label (default: label)\n"
	"  --id-col NAME       column holding the example id (default: id)\n"
	"  --text-col NAME     column holding a text preview (default: text)\n"
	"  --image-col NAME    column holding a PNG path (default: image)\n"
	"  --renormalize       divide each probability row by its sum\n"
	"  --threads N         threads for parsing probabilities (default: all cores)\n"
	"  --exact-floats      convert every number with strtod (slower, same result)\n";

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

int cli_load_dataset(struct dataset **out, struct dataset_opts *o, struct err *e)
{
	if (dataset_load(out, o, e) < 0)
		return -1;
	if ((*out)->warning[0])
		fprintf(stderr, "relabel: warning: %s\n", (*out)->warning);
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
