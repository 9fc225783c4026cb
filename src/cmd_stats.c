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
#include "stats.h"

static const char usage[] =
	"usage: relabel stats DATA.csv [OPTIONS]\n\n"
	"Dataset health: per-class label quality, overlapping classes, overall\n"
	"health score and the confident joint.\n\n"
	"  --format F          text (default) or json\n";

enum { OPT_FORMAT = CLI_OPT_FIRST_FREE };

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
	struct err e = { 0 };
	int json = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		int r = cli_dataset_option(opt, optarg, &o, &e);
		if (r < 0)
			return cli_usage_error("stats", "%s", e.msg);
		if (r > 0)
			continue;
		if (opt == OPT_FORMAT) {
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return cli_usage_error("stats", "--format must be text or json");
			json = optarg[0] == 'j';
		} else if (opt == 'h') {
			fputs(usage, stdout);
			fputs(cli_dataset_help, stdout);
			return 0;
		} else {
			return cli_usage_error("stats", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("stats", "expected one DATA.csv");
	o.data_path = argv[optind];
	struct out_spec out = { "the report", NULL };
	if (cli_check_outputs(&o, NULL, &out, 1, &e) < 0)
		return cli_fail(&e);
	struct dataset *d;
	if (cli_load_dataset(&d, &o, &e) < 0)
		return cli_fail(&e);
	struct stats s;
	stats_compute(d, &s);
	if (json)
		stats_write_json(stdout, d, &s);
	else
		stats_write_text(stdout, d, &s);
	stats_free(&s);
	dataset_free(d);
	if (fflush(stdout) != 0) {
		err_set(&e, ERR_RUNTIME, "writing output failed");
		return cli_fail(&e);
	}
	return 0;
}
