/* cmd_stats.c — `relabel stats`: the dataset health summary, as text or as
 * one JSON object with cleanlab's names. Outputs cleanlab would refuse to
 * compute are null, with the reason under "errors"; the command still
 * succeeds. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "output.h"
#include "scan_run.h"
#include "stats.h"

static const char usage[] =
	"usage: relabel stats DATA.csv|DIR/ [OPTIONS]\n"
	"       relabel stats --labels Y.npy --probs P.npy [OPTIONS]\n\n"
	"Dataset health: per-class label quality, overlapping classes, overall\n"
	"health score and the confident joint.\n\n"
	"  --format F          text (default) or json\n"
	"  --db FILE           the corrections log whose spot checks to report\n"
	"                      (default: DATA.relabel.db, when it exists)\n"
	"  --force             read the log even if the data changed since\n";

enum { OPT_FORMAT = CLI_OPT_FIRST_FREE, OPT_DB, OPT_FORCE };

int stats_spot_estimate(const struct dataset *d, const char *db_path, int force,
			struct spot_estimate *est, struct err *e);   /* cmd_stats_spot.c */

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "db", required_argument, NULL, OPT_DB },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
	struct err e = { 0 };
	int json = 0, force = 0, opt;
	const char *db = NULL;
	optind = 1;
	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
		int r = cli_dataset_option(opt, optarg, &o, &e);
		if (r < 0)
			return cli_usage_error("stats", "%s", e.msg);
		if (r > 0)
			continue;
		if (opt == OPT_FORMAT) {
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return cli_usage_error("stats", "--format must be text or json");
			json = optarg[0] == 'j';
		} else if (opt == OPT_DB) {
			db = optarg;
		} else if (opt == OPT_FORCE) {
			force = 1;
		} else if (opt == 'h') {
			fputs(usage, stdout);
			fputs(cli_dataset_help, stdout);
			return 0;
		} else {
			return cli_usage_error("stats", "unknown option");
		}
	}
	if (optind != argc - 1 && !(o.labels_path && optind == argc))
		return cli_usage_error("stats", "expected one DATA.csv");
	o.data_path = optind < argc ? argv[optind] : NULL;
	o.stream_ok = 1;
	struct out_spec out = { "the report", NULL };
	if (cli_check_outputs(&o, NULL, &out, 1, &e) < 0)
		return cli_fail(&e);
	struct dataset *d;
	if (cli_load_dataset(&d, &o, &e) < 0)
		return cli_fail(&e);
	struct progress pg;
	progress_start(&pg, "stats");
	struct cl_work *w = scan_run_work(d, &o, &pg, &e);
	progress_done(&pg);
	if (!w && dataset_probs_streamed(d)) {
		dataset_free(d);
		return cli_fail(&e);
	}
	struct stats s;
	if (w)
		stats_compute_work(d, w, &s);
	else
		stats_compute(d, &s);
	cl_work_delete(w);
	struct spot_estimate spot;
	int have = stats_spot_estimate(d, db, force, &spot, &e);
	if (have < 0) {
		stats_free(&s);
		dataset_free(d);
		return cli_fail(&e);
	}
	if (have)
		s.spot = &spot;
	s.model = cli_model.used ? &cli_model.info : NULL;
	if (json) {
		stats_write_json(stdout, d, &s);
		cli_warn_json_utf8(0, d, d->data_path);
	} else
		stats_write_text(stdout, d, &s);
	stats_free(&s);
	dataset_free(d);
	if (fflush(stdout) != 0) {
		err_set(&e, ERR_RUNTIME, "writing output failed");
		return cli_fail(&e);
	}
	return 0;
}
