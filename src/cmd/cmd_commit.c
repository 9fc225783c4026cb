/* cmd_commit.c — `relabel commit -m MSG`: seal the decisions made since the
 * last version into a new version. */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "logcli.h"

static const char usage[] =
	"usage: relabel commit [DATA.csv] [--db FILE] -m MESSAGE [--author NAME]\n\n"
	"Seal the decisions made since the last version into version N+1.\n";

enum { OPT_DB = CLI_OPT_FIRST_FREE, OPT_AUTHOR, OPT_FORCE };

int cmd_commit(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "message", required_argument, NULL, 'm' },
		{ "author", required_argument, NULL, OPT_AUTHOR },
		{ "db", required_argument, NULL, OPT_DB },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
	struct err e = { 0 };
	const char *msg = NULL, *author = NULL, *db = NULL;
	int force = 0, opt;
	optind = 1;
	while ((opt = cli_getopt(argc, argv, "m:h", longopts)) != -1) {
		int r = cli_dataset_option(opt, optarg, &o, &e);
		if (r < 0)
			return cli_usage_error("commit", "%s", e.msg);
		if (r > 0)
			continue;
		switch (opt) {
		case 'm': msg = optarg; break;
		case OPT_AUTHOR: author = optarg; break;
		case OPT_DB: db = optarg; break;
		case OPT_FORCE: force = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("commit", "unknown option");
		}
	}
	if (!msg || !*msg)
		return cli_usage_error("commit", "a message is required (-m MESSAGE)");
	if (optind < argc - 1)
		return cli_usage_error("commit", "expected at most one DATA.csv");
	struct logctx c;
	if (logctx_open(&c, optind < argc ? argv[optind] : NULL, db, &o, 0, force, &e) < 0)
		return cli_fail(&e);
	struct log_version v;
	int rc = log_commit(c.db, author ? author : log_default_reviewer(), msg, &v, &e);
	if (rc == 0)
		printf("version %lld: %lld accepted, %lld relabelled, %lld rejected, "
		       "%lld excluded, %lld undone\n", (long long)v.number,
		       (long long)v.counts[LOG_ACCEPT], (long long)v.counts[LOG_RELABEL],
		       (long long)v.counts[LOG_REJECT], (long long)v.counts[LOG_EXCLUDE],
		       (long long)v.counts[LOG_UNDO]);
	logctx_close(&c);
	return rc < 0 ? cli_fail(&e) : 0;
}
