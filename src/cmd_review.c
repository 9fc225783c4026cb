/* cmd_review.c — `relabel review`: load, scan, open the corrections log and
 * the review session, then run the screen on the terminal or replay a
 * script headlessly. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl.h"
#include "commands.h"
#include "log.h"
#include "logcli.h"
#include "imgview.h"
#include "progress.h"
#include "review.h"
#include "script.h"
#include "term.h"
#include "ui.h"

static const char usage[] =
	"usage: relabel review DATA.csv|DIR/ [OPTIONS]\n"
	"       relabel review --labels Y.npy --probs P.npy [OPTIONS]\n\n"
	"Open the review screen on the examples confident learning flags, worst\n"
	"label first. Every decision is saved at once in the corrections log.\n"
	"Press ? on the screen for the keys.\n\n"
	"  --db FILE           the corrections log (default: DATA.relabel.db)\n"
	"  --reviewer NAME     who reviews (default: $RELABEL_REVIEWER, then login)\n"
	"  --role R            annotator (default) or expert (second review)\n"
	"  --blind             expert: hide the annotator's decision until deciding\n"
	"  --color WHEN        auto (default), always or never (NO_COLOR is honoured)\n"
	"  --image MODE        auto (default), blocks (half blocks in colour), ascii\n"
	"                      (a grey-scale character ramp) or none\n"
	"  --script FILE       replay named actions from FILE instead of a terminal\n"
	"  --size COLSxROWS    the screen size for --script (default 100x30)\n"
	"  --snapshots DIR     where --script writes snapshots (default: .)\n"
	"  --force             open the log even if the data changed since\n";

enum { OPT_DB = CLI_OPT_FIRST_FREE, OPT_REVIEWER, OPT_ROLE, OPT_BLIND, OPT_SCRIPT,
       OPT_SIZE, OPT_SNAPS, OPT_FORCE, OPT_COLOR, OPT_IMAGE };

struct review_args {
	const char *db, *reviewer, *role, *script, *snaps;
	int blind, force, cols, rows, color, image;
};

static int parse(int argc, char **argv, struct dataset_opts *o, struct review_args *a)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "db", required_argument, NULL, OPT_DB },
		{ "reviewer", required_argument, NULL, OPT_REVIEWER },
		{ "role", required_argument, NULL, OPT_ROLE },
		{ "blind", no_argument, NULL, OPT_BLIND },
		{ "script", required_argument, NULL, OPT_SCRIPT },
		{ "size", required_argument, NULL, OPT_SIZE },
		{ "snapshots", required_argument, NULL, OPT_SNAPS },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct err e = { 0 };
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_dataset_option(opt, optarg, o, &e);
		if (r < 0)
			return cli_usage_error("review", "%s", e.msg);
		if (r > 0)
			continue;
		switch (opt) {
		case OPT_DB: a->db = optarg; break;
		case OPT_REVIEWER: a->reviewer = optarg; break;
		case OPT_ROLE: a->role = optarg; break;
		case OPT_BLIND: a->blind = 1; break;
		case OPT_SCRIPT: a->script = optarg; break;
		case OPT_SNAPS: a->snaps = optarg; break;
		case OPT_FORCE: a->force = 1; break;
		case OPT_SIZE:
			if (script_parse_size(optarg, &a->cols, &a->rows) < 0)
				return cli_usage_error("review", "--size: expected COLSxROWS");
			break;
		case OPT_COLOR:
			a->color = !strcmp(optarg, "always") ? 1 : !strcmp(optarg, "never") ? 0 :
				   !strcmp(optarg, "auto") ? -1 : -2;
			if (a->color == -2)
				return cli_usage_error("review", "--color: auto, always or never");
			break;
		case OPT_IMAGE:
			a->image = !strcmp(optarg, "auto") ? -1 : !strcmp(optarg, "blocks") ? IMG_BLOCKS :
				   !strcmp(optarg, "ascii") ? IMG_ASCII : !strcmp(optarg, "none") ? IMG_NONE : -2;
			if (a->image == -2)
				return cli_usage_error("review", "--image: auto, blocks, ascii or none");
			break;
		case 'h': fputs(usage, stdout); fputs(cli_dataset_help, stdout); exit(0);
		default: return cli_usage_error("review", "unknown option");
		}
	}
	if (optind != argc - 1 && !(o->labels_path && optind == argc))
		return cli_usage_error("review", "expected one DATA.csv (or --labels FILE.npy)");
	if (a->role && strcmp(a->role, "annotator") && strcmp(a->role, "expert"))
		return cli_usage_error("review", "--role: annotator or expert");
	return 0;
}

/* The session's scan: run it, and record it when the log has none yet. */
static int scan(struct logctx *c, struct cl_scan *s, struct err *e)
{
	struct cl_problem pb = { c->d->n, c->d->k, c->d->probs, c->d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0 };
	if (!c->d->probs)
		return err_set(e, ERR_INPUT, "%s: no predicted probabilities: give them with "
			       "--probs FILE or put probs.csv beside the data", c->d->data_path);
	if (cl_scan_run(&pb, &prm, s, e) < 0)
		return -1;
	int64_t id;
	if (log_latest_scan(c->db, &id, e) < 0 ||
	    (id == 0 && log_record_scan(c->db, &prm, s, c->d->labels, 0, &id, e) < 0)) {
		cl_scan_free(s);
		return -1;
	}
	return 0;
}

static int run(struct ui *u, const struct review_args *a, struct err *e)
{
	if (!a->script)
		return term_run(u, a->color, e);
	FILE *f = strcmp(a->script, "-") ? fopen(a->script, "r") : stdin;
	if (!f)
		return err_set(e, ERR_INPUT, "%s: cannot open the script", a->script);
	int rc = script_run(u, f, a->script, a->cols ? a->cols : 100, a->rows ? a->rows : 30,
			    a->snaps, e);
	if (f != stdin)
		fclose(f);
	return rc;
}

int cmd_review(int argc, char **argv)
{
	struct dataset_opts o = { 0 };
	struct review_args a = { .color = -1, .image = -1 };
	int rc = parse(argc, argv, &o, &a);
	if (rc)
		return rc;
	struct err e = { 0 };
	struct progress pg;
	progress_start(&pg, "review");
	o.progress = progress_report;
	o.progress_ctx = &pg;
	struct logctx c;
	if (logctx_open(&c, optind < argc ? argv[optind] : NULL, a.db, &o, 2, a.force, &e) < 0) {
		progress_done(&pg);
		return cli_fail(&e);
	}
	progress_report(&pg, "finding label issues", 1);
	struct cl_scan s;
	if (scan(&c, &s, &e) < 0) {
		progress_done(&pg);
		logctx_close(&c);
		return cli_fail(&e);
	}
	progress_done(&pg);
	struct review *rv;
	int expert = a.role && !strcmp(a.role, "expert");
	rc = review_open(&rv, c.d, &s, c.db, a.reviewer ? a.reviewer : log_default_reviewer(),
			 expert, &e);
	if (rc == 0) {
		rv->blind = a.blind;
		struct ui u;
		ui_init(&u, rv);
		u.image_mode = a.image;
		rc = run(&u, &a, &e);
		ui_free(&u);
		review_free(rv);
	}
	cl_scan_free(&s);
	logctx_close(&c);
	return rc < 0 ? cli_fail(&e) : rc;
}
