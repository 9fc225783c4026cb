/* cmd_export.c — `relabel export`: write the cleaned dataset of a version
 * (default: the latest sealed one) and, on request, its manifest. */
#include <getopt.h>
#include <stdio.h>

#include "commands.h"
#include "export.h"
#include "logcli.h"

static const char usage[] =
	"usage: relabel export [DATA.csv] [--db FILE] [--version N | --working]\n"
	"                      -o OUT.csv [--manifest M.json]\n\n"
	"Write the dataset of version N (default: the latest committed version):\n"
	"every original column as read, the label column replaced by the label\n"
	"the decisions give, excluded examples dropped, row order kept. --working\n"
	"also applies decisions not yet committed. Files are written atomically.\n";

enum { OPT_DB = CLI_OPT_FIRST_FREE, OPT_VERSION, OPT_WORKING, OPT_MANIFEST, OPT_FORCE };

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "db", required_argument, NULL, OPT_DB },
		{ "version", required_argument, NULL, OPT_VERSION },
		{ "working", no_argument, NULL, OPT_WORKING },
		{ "output", required_argument, NULL, 'o' },
		{ "manifest", required_argument, NULL, OPT_MANIFEST },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
	struct err e = { 0 };
	const char *db = NULL, *out = NULL, *manifest = NULL;
	long version = -1;
	int working = 0, force = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		int r = cli_dataset_option(opt, optarg, &o, &e);
		if (r < 0)
			return cli_usage_error("export", "%s", e.msg);
		if (r > 0)
			continue;
		switch (opt) {
		case OPT_DB: db = optarg; break;
		case 'o': out = optarg; break;
		case OPT_MANIFEST: manifest = optarg; break;
		case OPT_WORKING: working = 1; break;
		case OPT_FORCE: force = 1; break;
		case OPT_VERSION:
			if ((version = logctx_parse_version(optarg)) < 0)
				return cli_usage_error("export", "--version '%s': expected a number", optarg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("export", "unknown option");
		}
	}
	if (!out)
		return cli_usage_error("export", "-o OUT.csv is required");
	if (working && version >= 0)
		return cli_usage_error("export", "--version and --working exclude each other");
	if (optind < argc - 1)
		return cli_usage_error("export", "expected at most one DATA.csv");
	struct logctx c;
	o.record_offsets = 1;
	o.probs_header_only = 1;   /* the classes, never the numbers */
	if (logctx_open_read_only(&c, optind < argc ? argv[optind] : NULL, db, &o, 1, force, &e) < 0)
		return cli_fail(&e);
	struct export_req r = { .d = c.d, .data_sha256 = log_data_sha256(c.db),
				.out_path = out, .manifest_path = manifest };
	struct export_counts n;
	struct log_decision *dec = NULL;
	size_t nd = 0;
	int rc = logctx_version(&c, working ? LOGCTX_WORKING : version, &r.upto, &r.version, &e);
	if (rc == 0)
		rc = logctx_list(&c, &dec, &nd, &e);
	r.dec = dec;
	r.ndec = nd;
	struct log_note *notes = NULL;
	size_t nn = 0;
	if (rc == 0 && manifest)
		rc = log_notes(c.db, 0, &notes, &nn, &e);
	r.notes = notes;
	r.nnotes = nn;
	if (rc == 0)
		rc = export_write(&r, &n, &e);
	if (rc == 0) {
		if (r.version >= 0)
			fprintf(stderr, "exported version %ld", r.version);
		else
			fprintf(stderr, "exported the working state");
		fprintf(stderr, ": %zu rows of %zu (%zu relabelled, %zu excluded) to %s\n",
			n.rows_out, n.rows_in, n.changed, n.excluded, out);
	}
	log_decisions_free(dec, nd);
	log_notes_free(notes, nn);
	logctx_close(&c);
	return rc < 0 ? cli_fail(&e) : 0;
}
