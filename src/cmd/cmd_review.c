/* cmd_review.c — `relabel review`: load, scan, open the corrections log and
 * the review session, then run the screen on the terminal or replay a
 * script headlessly. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "cl.h"
#include "cli.h"
#include "commands.h"
#include "log.h"
#include "logcli.h"
#include "imgview.h"
#include "progress.h"
#include "review.h"
#include "script.h"
#include "term.h"
#include "ui.h"
#include "ui_tools.h"

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
	"  --image MODE        image previews: auto (default; asks the terminal;\n"
	"                      ascii when colours are off, e.g. NO_COLOR),\n"
	"                      kitty, sixel, iterm (pixels), symbols (sextants,\n"
	"                      quadrants, half blocks... in colour), blocks (half\n"
	"                      blocks), ascii (a grey-scale ramp) or none; default\n"
	"                      from $RELABEL_IMAGE\n"
	"  --script FILE       replay named actions from FILE instead of a terminal\n"
	"  --size COLSxROWS    the screen size for --script (default 100x30)\n"
	"  --snapshots DIR     where --script writes snapshots (default: .)\n"
	"  --force             open the log even if the data changed since\n"
	"  --filter-by M       how find_label_issues flags (as for scan; default\n"
	"                      prune_by_noise_rate)\n"
	"  --rank-by S         the queue's order: self_confidence (default),\n"
	"                      normalized_margin, confidence_weighted_entropy\n"
	"  --adjust            rank by the score of threshold-adjusted probabilities\n"
	"                      (these three are recorded with the scan in the log)\n"
	"  --guidelines FILE   labelling guidelines (Markdown): the key H shows the\n"
	"                      sections whose headings name the given and the\n"
	"                      suggested class\n";

enum { OPT_DB = CLI_OPT_FIRST_FREE, OPT_REVIEWER, OPT_ROLE, OPT_BLIND, OPT_SCRIPT,
       OPT_SIZE, OPT_SNAPS, OPT_FORCE, OPT_COLOR, OPT_IMAGE, OPT_FILTER, OPT_RANK,
       OPT_ADJUST, OPT_GUIDELINES };

struct review_args {
	const char *db, *reviewer, *role, *script, *snaps, *guidelines;
	int blind, force, cols, rows, color, image, image_set;
	struct cl_scan_params prm;
	int chose;               /* --filter-by, --rank-by or --adjust given */
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
		{ "filter-by", required_argument, NULL, OPT_FILTER },
		{ "rank-by", required_argument, NULL, OPT_RANK },
		{ "adjust", no_argument, NULL, OPT_ADJUST },
		{ "guidelines", required_argument, NULL, OPT_GUIDELINES },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct err e = { 0 };
	int opt;
	optind = 1;
	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
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
		case OPT_GUIDELINES: a->guidelines = optarg; break;
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
			a->image = img_mode_parse(optarg);
			a->image_set = 1;
			if (a->image == -2)
				return cli_usage_error("review", "--image: auto, kitty, sixel, iterm, "
						       "symbols, blocks, ascii or none");
			break;
		case OPT_FILTER:
			if (cl_filter_parse(optarg, &a->prm.filter_by) < 0)
				return cli_usage_error("review", "unknown --filter-by '%s'", optarg);
			a->chose = 1;
			break;
		case OPT_RANK:
			if (cl_score_parse(optarg, &a->prm.rank_by) < 0)
				return cli_usage_error("review", "unknown --rank-by '%s'", optarg);
			a->chose = 1;
			break;
		case OPT_ADJUST: a->prm.adjust = 1; a->chose = 1; break;
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

/* The session's scan: run it, and record it when the log has none yet,
 * when the latest one's recording was cut off, or when the reviewer chose
 * how to flag or rank (a new scan record, which the session's decisions
 * then refer to). The record is written in a thread of its own (*job)
 * while the screen opens. */
static int scan(struct logctx *c, const struct review_args *a, struct cl_scan *s,
		struct log_scan_job **job, struct err *e)
{
	struct cl_problem pb = { c->d->n, c->d->k, c->d->probs, c->d->labels };
	struct cl_scan_params prm = a->prm;
	*job = NULL;
	if (!c->d->probs)
		return err_set(e, ERR_INPUT, "%s: no predicted probabilities: give them with "
			       "--probs FILE or put probs.csv beside the data", c->d->data_path);
	if (cl_scan_run(&pb, &prm, s, e) < 0)
		return -1;
	int64_t id;
	int complete = 1;
	if (log_latest_scan(c->db, &id, e) < 0 ||
	    (id > 0 && log_scan_complete(c->db, id, &complete, e) < 0)) {
		cl_scan_free(s);
		return -1;
	}
	if (id == 0 || !complete || a->chose)
		*job = log_record_scan_start(c->db, &prm, s, c->d->labels);
	return 0;
}

/* Wait for the whole record (once), at the end of the session. */
static int scan_recorded(struct review *rv, struct log_scan_job **job, struct err *e)
{
	int64_t id;
	if (!*job)
		return 0;
	int rc = log_record_scan_finish(*job, &id, e);
	*job = NULL;
	if (rc == 0 && rv)
		rv->scan_id = id;
	return rc;
}

/* A failure is kept for the end (the screen is up): the command fails. */
static struct err scan_err;

/* Around each write of the session: the scan's row is in the log (the
 * decisions name it) and its issues wait (cmd_review's screen goes on
 * while they are recorded). */
static void before_write(struct review *rv)
{
	struct log_scan_job **job = rv->write_hook_ctx;
	struct err e = { 0 };
	int64_t id;
	if (!*job)
		return;
	if (log_scan_job_claim(*job, &id, &e) == 0)
		rv->scan_id = id;
	else if (scan_err.code == ERR_NONE)
		scan_err = e;
}

static void after_write(struct review *rv)
{
	struct log_scan_job **job = rv->write_hook_ctx;
	if (*job)
		log_scan_job_release(*job);
}

/* Where the probabilities came from, and whether confident learning can
 * be trusted on this data: printed before the screen opens, shown in its
 * first status message and in the health view. */
static void describe_model(struct ui *u, const struct dataset *d)
{
	double acc = -1;
	if (cli_model.used) {
		const struct log_model_info *mi = &cli_model.info;
		const char *colon = strchr(mi->features, ':');
		int kind = colon ? (int)(colon - mi->features) : (int)strlen(mi->features);
		snprintf(u->model_line, sizeof u->model_line, "built-in model: logistic regression "
			 "on %.*s, %d folds, out-of-fold accuracy %.2f", kind, mi->features,
			 mi->folds, mi->accuracy);
		acc = mi->accuracy;
	}
	review_reliability(d, u->rv->scan->suggested, acc, u->warn_line, sizeof u->warn_line);
	if (u->model_line[0])
		san_fprintf(stderr, "relabel: %s\n", u->model_line);
	if (u->warn_line[0])
		san_fprintf(stderr, "relabel: %s\n", u->warn_line);
	snprintf(u->rv->message, sizeof u->rv->message, "%.250s%s%.250s", u->model_line,
		 u->model_line[0] && u->warn_line[0] ? "; " : "", u->warn_line);
	u->rv->message_error = u->warn_line[0] != 0;
}

static int run(struct ui *u, const struct review_args *a, struct err *e)
{
	if (u->image_mode >= 0)
		snprintf(u->image_why, sizeof u->image_why, "%s (%s)", img_mode_name(u->image_mode),
			 a->image_set ? "--image" : "RELABEL_IMAGE");
	if (!a->script)
		return term_run(u, a->color, e);
	/* no terminal to ask: symbols, and cells of 10x20 pixels for the
	 * pixel modes */
	if (u->image_mode < 0) {
		u->image_mode = IMG_SYMBOLS;
		snprintf(u->image_why, sizeof u->image_why, "symbols (auto; no terminal to ask)");
	}
	u->cell_w = 10;
	u->cell_h = 20;
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
	struct review_args a = { .color = -1, .image = -1,
				 .prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0 } };
	int rc = parse(argc, argv, &o, &a);
	if (rc)
		return rc;
	const char *env = getenv("RELABEL_IMAGE");
	if (!a.image_set && env && *env) {
		a.image = img_mode_parse(env);
		if (a.image == -2)
			return cli_usage_error("review", "RELABEL_IMAGE: auto, kitty, sixel, iterm, "
					       "symbols, blocks, ascii or none");
	}
	struct err e = { 0 };
	struct guide *guide = NULL;     /* read first: a bad file fails at once */
	if (a.guidelines && guide_load(&guide, a.guidelines, &e) < 0)
		return cli_fail(&e);
	struct progress pg;
	progress_start(&pg, "review");
	o.progress = progress_report;
	o.progress_ctx = &pg;
	struct logctx c;
	o.index_ids = 1;      /* goto by id, decisions by id */
	if (logctx_open(&c, optind < argc ? argv[optind] : NULL, a.db, &o, 2, a.force, &e) < 0) {
		progress_done(&pg);
		guide_free(guide);
		return cli_fail(&e);
	}
	progress_report(&pg, "finding label issues", 1);
	struct cl_scan s;
	struct log_scan_job *job;
	if (scan(&c, &a, &s, &job, &e) < 0) {
		progress_done(&pg);
		guide_free(guide);
		logctx_close(&c);
		return cli_fail(&e);
	}
	progress_done(&pg);
	/* A locked log must not freeze the screen: a write waits one short
	 * slice, then the decision stays pending with the lock reported. */
	log_set_lock_timeout(c.db, LOG_LOCK_SLICE_MS);
	struct review *rv = NULL;
	int expert = a.role && !strcmp(a.role, "expert");
	rc = review_open(&rv, c.d, &s, c.db, a.reviewer ? a.reviewer : log_default_reviewer(),
			 expert, &e);
	if (rc == 0) {
		rv->before_write = before_write;
		rv->after_write = after_write;
		rv->write_hook_ctx = &job;
		rv->blind = a.blind;
		review_search_start(rv);   /* the search index, beside the first frame */
		struct ui u;
		ui_init(&u, rv);
		u.image_mode = a.image;
		describe_model(&u, c.d);
		snprintf(u.scan_line, sizeof u.scan_line, "queue: find_label_issues(filter_by=%s), "
			 "ranked by %s%s", cl_filter_name(a.prm.filter_by), cl_score_name(a.prm.rank_by),
			 a.prm.adjust ? " of the threshold-adjusted probabilities" : "");
		ui_tools(&u)->guide = guide;    /* the screen owns it now */
		guide = NULL;
		rc = run(&u, &a, &e);
		ui_free(&u);
	}
	struct err se = { 0 };
	if (scan_recorded(rc == 0 ? rv : NULL, &job, &se) < 0 && scan_err.code == ERR_NONE)
		scan_err = se;
	if (scan_err.code != ERR_NONE && rc == 0) {
		e = scan_err;
		rc = -1;
	}
	if (rv)
		review_free(rv);
	guide_free(guide);
	cl_scan_free(&s);
	logctx_close(&c);
	return rc < 0 ? cli_fail(&e) : rc;
}
