/* cmd_export.c — `relabel export`: write the cleaned dataset of a version
 * (default: the latest sealed one) and, on request, its manifest. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "export.h"
#include "export_formats.h"
#include "logcli.h"
#include "output.h"
#include "sanitize.h"

static const char usage[] =
	"usage: relabel export [DATA.csv] [--db FILE] [--version N | --working]\n"
	"                      -o OUT.csv [--manifest M.json]\n\n"
	"Write the dataset of version N (default: the latest committed version):\n"
	"every original column as read, the label column replaced by the label\n"
	"the decisions give, excluded examples dropped, row order kept. --working\n"
	"also applies decisions not yet committed. A regular file is replaced\n"
	"atomically; a FIFO, device or - is written in place. An output that is\n"
	"DATA, PROBS, the corrections log or the other output is refused.\n\n"
	"  --format F          csv (default), jsonl (one JSON object per kept example,\n"
	"                      with original_label when it changed) or npy (the final\n"
	"                      labels as class indices, one per input row)\n"
	"  --mask FILE.npy     with --format npy: a boolean mask, True = excluded\n"
	"  --original-label-col NAME  add the given label as column NAME\n"
	"  --layout folders    write the images as OUTDIR/LABEL/FILE (hard links where\n"
	"                      possible, else copies); -o OUTDIR or a second argument\n"
	"  --rebase-paths      rewrite relative image paths to resolve from the\n"
	"                      output's folder\n"
	"An image folder (DIR/CLASS/FILE) exports as path,label CSV by default.\n";

enum { OPT_DB = CLI_OPT_FIRST_FREE, OPT_VERSION, OPT_WORKING, OPT_MANIFEST, OPT_FORCE,
       OPT_FORMAT, OPT_MASK, OPT_ORIG_COL, OPT_LAYOUT, OPT_REBASE };

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
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "mask", required_argument, NULL, OPT_MASK },
		{ "original-label-col", required_argument, NULL, OPT_ORIG_COL },
		{ "layout", required_argument, NULL, OPT_LAYOUT },
		{ "rebase-paths", no_argument, NULL, OPT_REBASE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
	struct err e = { 0 };
	const char *db = NULL, *out = NULL, *manifest = NULL;
	long version = -1;
	int working = 0, force = 0, opt, fmt_given = 0;
	struct export_opts x = { EXPORT_CSV, NULL, NULL, 0 };
	optind = 1;
	while ((opt = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
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
		case OPT_FORMAT:
			fmt_given = 1;
			if (!strcmp(optarg, "csv"))
				x.format = EXPORT_CSV;
			else if (!strcmp(optarg, "jsonl"))
				x.format = EXPORT_JSONL;
			else if (!strcmp(optarg, "npy"))
				x.format = EXPORT_NPY;
			else
				return cli_usage_error("export", "--format must be csv, jsonl or npy");
			break;
		case OPT_MASK: x.mask_path = optarg; break;
		case OPT_ORIG_COL: x.orig_col = optarg; break;
		case OPT_REBASE: x.rebase = 1; break;
		case OPT_LAYOUT:
			if (!strcmp(optarg, "folders"))
				x.format = EXPORT_FOLDERS;
			else if (strcmp(optarg, "file"))
				return cli_usage_error("export", "--layout must be folders or file");
			break;
		case OPT_VERSION:
			if ((version = logctx_parse_version(optarg)) < 0)
				return cli_usage_error("export", "--version '%s': expected a number", optarg);
			break;
		case 'h': fputs(usage, stdout); fputs(cli_dataset_help, stdout); return 0;
		default: return cli_usage_error("export", "unknown option");
		}
	}
	if (x.format == EXPORT_FOLDERS && fmt_given)
		return cli_usage_error("export", "--layout folders writes image files, not --format");
	if (x.format == EXPORT_FOLDERS && !out && argc - optind == 2)
		out = argv[--argc];
	if (!out)
		return cli_usage_error("export", "-o OUT.csv is required");
	if (x.mask_path && x.format != EXPORT_NPY)
		return cli_usage_error("export", "--mask goes with --format npy");
	if (manifest && x.format != EXPORT_CSV)
		return cli_usage_error("export", "--manifest goes with CSV output");
	if (working && version >= 0)
		return cli_usage_error("export", "--version and --working exclude each other");
	if (optind < argc - 1)
		return cli_usage_error("export", "expected at most one DATA.csv");
	/* A folder tree is a new directory of its own (export_formats.c
	 * refuses one that exists); every other output is a file. */
	struct out_spec outs[] = { { "-o", x.format == EXPORT_FOLDERS ? NULL : out },
				   { manifest ? "--manifest" : NULL, manifest } };
	o.data_path = optind < argc ? argv[optind] : NULL;
	if (cli_check_outputs(&o, db, outs, 2, &e) < 0)
		return cli_fail(&e);
	struct logctx c;
	o.record_offsets = 1;
	o.probs_header_only = 1;   /* the classes, never the numbers */
	if (logctx_open_read_only_optional(&c, optind < argc ? argv[optind] : NULL, db, &o, 1,
					   force, &e) < 0)
		return cli_fail(&e);
	char data_hex[65] = "";
	if (!c.db) {          /* nobody decided anything yet: the data as it is */
		uint64_t size;
		if (version > 0) {
			logctx_close(&c);
			err_set(&e, ERR_INPUT, "no version %ld: no corrections log yet", version);
			return cli_fail(&e);
		}
		if (dataset_content_sha256(c.d, data_hex, &size, &e) < 0) {
			logctx_close(&c);
			return cli_fail(&e);
		}
	}
	/* a dataset not read from one CSV file, or columns to rewrite: from the cells */
	char *from = NULL, *to = NULL;
	int moved = x.format != EXPORT_FOLDERS && export_rebase_needed(c.d, out, &from, &to);
	if (moved && !x.rebase)
		san_fprintf(stderr, "relabel: note: image paths are relative to %s; from the "
			"output's folder %s they will not resolve (--rebase-paths rewrites "
			"them relative to the output)\n", from, to);
	free(from);
	free(to);
	int generic = x.format != EXPORT_CSV || c.d->folder || c.d->virtual_labels ||
		      x.orig_col || (x.rebase && moved);
	if (generic && manifest) {
		logctx_close(&c);
		return cli_usage_error("export", "--manifest goes with the plain CSV export");
	}
	struct export_req r = { .d = c.d, .data_sha256 = c.db ? log_data_sha256(c.db) : data_hex,
				.out_path = out, .manifest_path = manifest };
	struct export_counts n;
	struct log_decision *dec = NULL;
	size_t nd = 0;
	int rc = 0;
	if (c.db) {
		rc = logctx_version(&c, working ? LOGCTX_WORKING : version, &r.upto, &r.version, &e);
		if (rc == 0)
			rc = logctx_list(&c, &dec, &nd, &e);
	} else {
		r.upto = 0;
		r.version = 0;
	}
	r.dec = dec;
	r.ndec = nd;
	struct log_note *notes = NULL;
	size_t nn = 0;
	if (rc == 0 && manifest && c.db)
		rc = log_notes(c.db, 0, &notes, &nn, &e);
	r.notes = notes;
	r.nnotes = nn;
	if (rc == 0)
		rc = generic ? export_formats_write(&r, &x, &n, &e) : export_write(&r, &n, &e);
	if (rc == 0 && manifest)
		cli_warn_json_utf8(0, c.d, "a file name in the manifest");
	if (rc == 0) {
		if (r.version >= 0)
			fprintf(stderr, "exported version %ld", r.version);
		else
			fprintf(stderr, "exported the working state");
		san_fprintf(stderr, ": %zu rows of %zu (%zu relabelled, %zu excluded) to %s\n",
			n.rows_out, n.rows_in, n.changed, n.excluded, out);
	}
	log_decisions_free(dec, nd);
	log_notes_free(notes, nn);
	logctx_close(&c);
	return rc < 0 ? cli_fail(&e) : 0;
}
