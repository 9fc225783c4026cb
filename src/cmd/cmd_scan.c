/* cmd_scan.c — `relabel scan`: the flagged examples, worst label first, as
 * CSV (the layout of cleanlab reference files), TSV or JSON. */
#define _GNU_SOURCE 1
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cl.h"
#include "cl_par.h"
#include "cli.h"
#include "log.h"
#include "commands.h"
#include "output.h"
#include "progress.h"
#include "sanitize.h"
#include "scan_run.h"
#include "util.h"

static const char usage[] =
	"usage: relabel scan DATA.csv|DIR/ [OPTIONS]\n"
	"       relabel scan --labels Y.npy --probs P.npy [OPTIONS]\n\n"
	"Print the examples whose given label is likely wrong, worst first:\n"
	"rank,row,id,given,suggested,score (rank from 1, row from 0).\n\n"
	"  --filter-by M       prune_by_noise_rate (default), prune_by_class, both,\n"
	"                      confident_learning, predicted_neq_given,\n"
	"                      low_normalized_margin, low_self_confidence\n"
	"  --rank-by S         self_confidence (default), normalized_margin,\n"
	"                      confidence_weighted_entropy\n"
	"  --adjust            rank by the score of threshold-adjusted probabilities\n"
	"  --all               list every example ranked by the score\n"
	"  --format F          csv (default), tsv or json\n"
	"  -o, --output FILE   write to FILE instead of stdout (a regular file is\n"
	"                      replaced atomically; a FIFO or device written in place)\n"
	"  --db FILE           also record the scan in this corrections log\n"
	"  --force             record it even if the data changed since the log began\n";

enum { OPT_FILTER = CLI_OPT_FIRST_FREE, OPT_RANK, OPT_ADJUST, OPT_ALL, OPT_FORMAT,
       OPT_DB, OPT_FORCE };

/* How rows are written: the format, whether the output is a terminal
 * (fields shown in visible form even where rows are formatted in buffers
 * first), and each class name in its field form, made once. */
struct row_form {
	int fmt, terminal;
	char sep;
	const char *sep_s;        /* sep as a string */
	const struct dataset *d;
	const struct cl_scan *s;
	char **cls;               /* k field forms */
	unsigned char *cls_bad;   /* k: the JSON form replaced bytes */
};

static void field_for(FILE *f, const struct row_form *rf, const char *s)
{
	if (rf->fmt == 'j')
		out_json_string(f, s);
	else if (rf->fmt == 't')
		out_tsv_field_for(f, s, rf->terminal);
	else
		out_csv_field_for(f, s, rf->terminal);
}

static void row_form_init(struct row_form *rf, int fmt, int terminal,
			  const struct dataset *d, const struct cl_scan *s)
{
	*rf = (struct row_form){ fmt, terminal, fmt == 't' ? '\t' : ',', fmt == 't' ? "\t" : ",",
				 d, s, NULL, NULL };
	rf->cls = xcalloc(d->k ? d->k : 1, sizeof *rf->cls);
	rf->cls_bad = xcalloc(d->k ? d->k : 1, 1);
	for (size_t c = 0; c < d->k; c++) {
		size_t len, before = out_json_replaced;
		FILE *m = open_memstream(&rf->cls[c], &len);
		if (!m)
			die("out of memory (formatting the scan)");
		field_for(m, rf, d->class_names[c]);
		if (fclose(m) != 0)
			die("out of memory (formatting the scan)");
		rf->cls_bad[c] = out_json_replaced != before;
		out_json_replaced = before;    /* counted where a row shows it */
	}
}

static void row_form_free(struct row_form *rf)
{
	for (size_t c = 0; c < rf->d->k; c++)
		free(rf->cls[c]);
	free(rf->cls);
	free(rf->cls_bad);
}

/* Printable ASCII with none of the bytes a format quotes or escapes: the
 * field as it is, in every format. */
static int plain_field(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == ',' || *p == '"' || *p == '\\')
			return 0;
	*len = (size_t)(p - (const unsigned char *)s);
	return 1;
}

static char *put_size(char *p, size_t v)
{
	char t[24];
	int n = 0;
	do
		t[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = t[--n];
	return p;
}

static void put_class(FILE *f, const struct row_form *rf, int c)
{
	fputs_unlocked(rf->cls[c], f);
	if (rf->cls_bad[c])
		__atomic_fetch_add(&out_json_replaced, 1, __ATOMIC_RELAXED);
}

/* What a row shows, gathered for a batch of rows before any is written: the
 * lookups of a row's id, labels and score land at random places in memory,
 * and a tight loop over the batch has them all on their way at once (the
 * id's bytes prefetched), where one row at a time waited for each. */
#define ROW_BATCH 64

struct row_view {
	size_t row;
	const char *id;
	int given, sugg;
	double score;
	char idbuf[32];
};

static void gather_rows(const struct row_form *rf, size_t from, size_t n,
			struct row_view *v)
{
	const struct cl_scan *s = rf->s;
	for (size_t a = 0; a < n; a++) {
		size_t row = s->ranked[from + a];
		v[a].row = row;
		v[a].id = dataset_id(rf->d, row, v[a].idbuf);
		__builtin_prefetch(v[a].id);
		v[a].given = rf->d->labels[row];
		v[a].sugg = s->suggested[row];
		v[a].score = cl_scan_ranked_score(s, from + a);
	}
}

/* One row: rank, row, id, given, suggested, score (the one printf). */
static void write_row(FILE *f, const struct row_form *rf, size_t rank,
		      const struct row_view *v)
{
	size_t idlen;
	char score[40], head[96], *p = head;
	int json = rf->fmt == 'j';
	snprintf(score, sizeof score, "%.17g", v->score);
	if (json) {
		p = stpcpy(p, rank ? ",\n{\"rank\":" : "{\"rank\":");
		p = put_size(p, rank + 1);
		p = stpcpy(p, ",\"row\":");
		p = put_size(p, v->row);
		p = stpcpy(p, ",\"id\":");
	} else {
		p = put_size(p, rank + 1);
		*p++ = rf->sep;
		p = put_size(p, v->row);
		*p++ = rf->sep;
	}
	fwrite_unlocked(head, 1, (size_t)(p - head), f);
	if (plain_field(v->id, &idlen)) {
		if (json)
			fputc_unlocked('"', f);
		fwrite_unlocked(v->id, 1, idlen, f);
		if (json)
			fputc_unlocked('"', f);
	} else {
		field_for(f, rf, v->id);
	}
	fputs_unlocked(json ? ",\"given\":" : rf->sep_s, f);
	put_class(f, rf, v->given);
	fputs_unlocked(json ? ",\"suggested\":" : rf->sep_s, f);
	put_class(f, rf, v->sugg);
	fputs_unlocked(json ? ",\"score\":" : rf->sep_s, f);
	fputs_unlocked(score, f);
	fputs_unlocked(json ? "}" : "\n", f);
}

/* Ranks [lo, hi), a batch at a time. */
static void write_ranks(FILE *f, const struct row_form *rf, size_t lo, size_t hi)
{
	struct row_view v[ROW_BATCH];
	for (size_t at = lo; at < hi; at += ROW_BATCH) {
		size_t n = hi - at < ROW_BATCH ? hi - at : ROW_BATCH;
		gather_rows(rf, at, n, v);
		for (size_t a = 0; a < n; a++)
			write_row(f, rf, at + a, &v[a]);
	}
}

/* Rows are formatted on every core, a block at a time into memory (each
 * buffer written by one thread), and written in rank order. */
#define FORMAT_BLOCK 16384

struct format_ctx {
	const struct row_form *rf;
	size_t base;
	char *buf[CL_PAR_MAX];
	size_t len[CL_PAR_MAX];
};

static void format_part(void *ctx, size_t lo, size_t hi, size_t part)
{
	struct format_ctx *c = ctx;
	FILE *m = open_memstream(&c->buf[part], &c->len[part]);
	if (!m)
		die("out of memory (formatting the scan)");
	write_ranks(m, c->rf, c->base + lo, c->base + hi);
	if (fclose(m) != 0)
		die("out of memory (formatting the scan)");
}

static void write_rows(FILE *f, int fmt, const struct dataset *d, const struct cl_scan *s)
{
	struct row_form rf;
	row_form_init(&rf, fmt, san_is_terminal(f), d, s);
	size_t parts = cl_par_parts(s->n_ranked * 16);  /* a row: ~16 visits */
	if (parts < 2) {
		write_ranks(f, &rf, 0, s->n_ranked);
		row_form_free(&rf);
		return;
	}
	struct format_ctx c = { .rf = &rf };
	for (c.base = 0; c.base < s->n_ranked; c.base += parts * FORMAT_BLOCK) {
		size_t n = s->n_ranked - c.base;
		if (n > parts * FORMAT_BLOCK)
			n = parts * FORMAT_BLOCK;
		cl_par_run(n, parts, format_part, &c);
		for (size_t p = 0; p < parts; p++) {
			if (c.buf[p])
				fwrite(c.buf[p], 1, c.len[p], f);
			free(c.buf[p]);
			c.buf[p] = NULL;
		}
	}
	row_form_free(&rf);
}

static int write_scan(const char *path, int fmt, const struct dataset *d,
		      const struct cl_scan *s, struct err *e)
{
	struct out o;
	if (out_open(&o, path, e) < 0)
		return -1;
	if (fmt == 'j')
		fputs("[\n", o.f);
	else if (fmt == 't')
		fputs("rank\trow\tid\tgiven\tsuggested\tscore\n", o.f);
	else
		fputs("rank,row,id,given,suggested,score\n", o.f);
	write_rows(o.f, fmt, d, s);
	if (fmt == 'j')
		fputs(s->n_ranked ? "\n]\n" : "]\n", o.f);
	cli_warn_json_utf8(0, d, d->data_path);
	return out_close(&o, e);
}

static int record(const char *db, int force, const struct dataset *d,
		  const struct cl_scan_params *prm, const struct cl_scan *s,
		  double took, struct err *e)
{
	struct logdb *l;
	int64_t id;
	if (log_open(&l, db, d, force, e) < 0)
		return -1;
	int rc = log_record_scan(l, prm, s, d->labels, took, &id, e);
	log_close(l);
	return rc;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "filter-by", required_argument, NULL, OPT_FILTER },
		{ "rank-by", required_argument, NULL, OPT_RANK },
		{ "adjust", no_argument, NULL, OPT_ADJUST },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, OPT_DB },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
#ifdef M_MMAP_THRESHOLD
	/* Blocks of 1 MiB and more get mappings of their own and give their
	 * memory back when freed (glibc's threshold otherwise rises to the
	 * largest block freed, and the engine's arrays, freed before the
	 * output is written, would stay resident): the peak is lower. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
	/* the output and the log take only the ranked rows' scores */
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 1 };
	const char *outpath = NULL, *db = NULL;
	int fmt = 'c', force = 0, opt;
	struct err e = { 0 };
	optind = 1;
	while ((opt = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
		int r = cli_dataset_option(opt, optarg, &o, &e);
		if (r < 0)
			return cli_usage_error("scan", "%s", e.msg);
		if (r > 0)
			continue;
		switch (opt) {
		case OPT_FILTER:
			if (cl_filter_parse(optarg, &prm.filter_by) < 0)
				return cli_usage_error("scan", "unknown --filter-by '%s'", optarg);
			break;
		case OPT_RANK:
			if (cl_score_parse(optarg, &prm.rank_by) < 0)
				return cli_usage_error("scan", "unknown --rank-by '%s'", optarg);
			break;
		case OPT_ADJUST: prm.adjust = 1; break;
		case OPT_ALL: prm.all = 1; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") && strcmp(optarg, "tsv") && strcmp(optarg, "json"))
				return cli_usage_error("scan", "--format must be csv, tsv or json");
			fmt = optarg[0];
			break;
		case 'o': outpath = optarg; break;
		case OPT_DB: db = optarg; break;
		case OPT_FORCE: force = 1; break;
		case 'h': fputs(usage, stdout); fputs(cli_dataset_help, stdout); return 0;
		default: return cli_usage_error("scan", "unknown option");
		}
	}
	if (optind != argc - 1 && !(o.labels_path && optind == argc))
		return cli_usage_error("scan", "expected one DATA.csv (or --labels FILE.npy)");
	o.data_path = optind < argc ? argv[optind] : NULL;
	o.stream_ok = 1;
	struct out_spec out = { outpath ? "-o" : "the scan's output", outpath };
	if (cli_check_outputs(&o, db, &out, 1, &e) < 0)
		return cli_fail(&e);
	struct progress pg;
	progress_start(&pg, "scan");
	o.progress = progress_report;
	o.progress_ctx = &pg;
	struct dataset *d;
	if (cli_load_dataset(&d, &o, &e) < 0) {
		progress_done(&pg);
		return cli_fail(&e);
	}
	progress_report(&pg, "scoring", 1);
	struct cl_scan s;
	double t0 = util_seconds();
	int rc = scan_run(d, &o, &prm, &s, &pg, &e);
	double took = util_seconds() - t0;
	progress_done(&pg);
	if (rc == 0 && db)
		rc = record(db, force, d, &prm, &s, took, &e);
	if (rc == 0)
		rc = write_scan(outpath, fmt, d, &s, &e);
	if (s.n)
		cl_scan_free(&s);
	dataset_free(d);
	return rc < 0 ? cli_fail(&e) : 0;
}
