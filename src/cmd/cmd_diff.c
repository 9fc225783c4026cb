/* cmd_diff.c — `relabel diff A B`: the examples whose label or inclusion
 * differs between two versions, old -> new. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "effective.h"
#include "logcli.h"
#include "output.h"
#include "sanitize.h"
#include "util.h"

static const char usage[] =
	"usage: relabel diff [DATA.csv] [--db FILE] [--format text|csv] [--force] A B\n\n"
	"The examples whose label or inclusion differs between versions A and B\n"
	"(a number, or 'working' for decisions not yet committed). --force reads\n"
	"a log made for data that changed since: decisions follow their example\n"
	"id (decisions whose example is gone are named and left out).\n";

enum { OPT_DB = CLI_OPT_FIRST_FREE, OPT_FORMAT, OPT_FORCE };

static long parse(const char *s)
{
	return strcmp(s, "working") ? logctx_parse_version(s) : LOGCTX_WORKING;
}

static void show(int csv, const struct dataset *d, size_t row, const char *a,
		 const char *b)
{
	char idbuf[32];
	const char *id = dataset_id(d, row, idbuf);
	if (csv) {
		printf("%zu,", row);
		out_csv_field(stdout, id);
		putchar(',');
		out_csv_field(stdout, a ? a : "");
		putchar(',');
		out_csv_field(stdout, b ? b : "");
		printf(",%s\n", !b ? "excluded" : !a ? "included" : "relabelled");
		return;
	}
	char ca[1024], cb[1024];
	san_printf("row %zu (id %s): %s -> %s\n", row, id,
		   a ? san_class(ca, sizeof ca, a) : "(excluded)",
		   b ? san_class(cb, sizeof cb, b) : "(excluded)");
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "db", required_argument, NULL, OPT_DB },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
	struct err e = { 0 };
	const char *db = NULL;
	int csv = 0, force = 0, opt;
	optind = 1;
	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
		int r = cli_dataset_option(opt, optarg, &o, &e);
		if (r < 0)
			return cli_usage_error("diff", "%s", e.msg);
		if (r > 0)
			continue;
		if (opt == OPT_DB)
			db = optarg;
		else if (opt == OPT_FORCE)
			force = 1;
		else if (opt == OPT_FORMAT && (!strcmp(optarg, "csv") || !strcmp(optarg, "text")))
			csv = optarg[0] == 'c';
		else if (opt == 'h')
			return fputs(usage, stdout), 0;
		else
			return cli_usage_error("diff", "unknown option or format");
	}
	int left = argc - optind;
	if (left < 2 || left > 3)
		return cli_usage_error("diff", "expected [DATA.csv] A B");
	long va = parse(argv[argc - 2]), vb = parse(argv[argc - 1]);
	if (va == -1 || vb == -1)
		return cli_usage_error("diff", "versions are numbers or 'working'");
	struct logctx c;
	if (logctx_open_read_only(&c, left == 3 ? argv[optind] : NULL, db, &o, 1, force, &e) < 0)
		return cli_fail(&e);
	int64_t ua, ub;
	long ra, rb;
	struct log_decision *dec = NULL;
	size_t nd = 0;
	int rc = logctx_version(&c, va, &ua, &ra, &e);
	if (rc == 0)
		rc = logctx_version(&c, vb, &ub, &rb, &e);
	if (rc == 0)
		rc = logctx_list(&c, &dec, &nd, &e);
	if (rc == 0) {
		const struct dataset *d = c.d;
		int32_t *wa = xmallocarray(d->n, sizeof *wa), *wb = xmallocarray(d->n, sizeof *wb);
		effective_winners(dec, nd, ua, d->n, wa);
		effective_winners(dec, nd, ub, d->n, wb);
		if (csv)
			puts("row,id,old,new,change");
		size_t changed = 0;
		for (size_t row = 0; row < d->n; row++) {
			const char *given = dataset_cell(d, row, (size_t)d->label_col);
			const char *a = effective_label(dec, wa[row], given);
			const char *b = effective_label(dec, wb[row], given);
			if ((!a) != (!b) || (a && strcmp(a, b))) {
				show(csv, d, row, a, b);
				changed++;
			}
		}
		if (!csv)
			printf("%zu example%s differ%s\n", changed, changed == 1 ? "" : "s",
			       changed == 1 ? "s" : "");
		free(wa);
		free(wb);
	}
	log_decisions_free(dec, nd);
	logctx_close(&c);
	return rc < 0 ? cli_fail(&e) : 0;
}
