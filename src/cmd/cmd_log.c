/* cmd_log.c — `relabel log`: versions and decisions, newest first, as text,
 * CSV (one line per decision) or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "logcli.h"
#include "output.h"
#include "sanitize.h"

static const char usage[] =
	"usage: relabel log [DATA.csv] [--db FILE] [--version N] [--reviewer R]\n"
	"                   [--format text|csv|json]\n"
	"       relabel log [DATA.csv] [--db FILE] --verify\n\n"
	"Versions and decisions, newest first. --version N shows the decisions\n"
	"sealed in version N; csv prints a header and one line per decision:\n"
	"row,id,action,label,reviewer,role,pass,time,version,note,batch\n"
	"(version is empty for decisions not yet committed; batch is the id a\n"
	"bulk action's decisions share). The text format shows a batch as one\n"
	"line with its count and first rows.\n"
	"--verify recomputes the hash chain of every decision, version, note and\n"
	"spot check: exit 0 when intact, 1 naming the first record that was\n"
	"changed or removed behind relabel's back.\n";

enum { OPT_DB = CLI_OPT_FIRST_FREE, OPT_VERSION, OPT_REVIEWER, OPT_FORMAT, OPT_FORCE,
       OPT_VERIFY };

static void csv_line(const struct log_decision *d)
{
	printf("%zu,", d->row);
	out_csv_field(stdout, d->example_id ? d->example_id : "");
	printf(",%s,", log_action_name(d->action));
	out_csv_field(stdout, d->label ? d->label : "");
	putchar(',');
	out_csv_field(stdout, d->reviewer);
	printf(",%s,%d,", d->expert ? "expert" : "annotator", d->pass);
	out_csv_field(stdout, d->time);
	putchar(',');
	if (d->version)
		printf("%lld", (long long)d->version);
	putchar(',');
	out_csv_field(stdout, d->note ? d->note : "");
	putchar(',');
	out_csv_field(stdout, d->batch ? d->batch : "");
	putchar('\n');
}

static void json_line(const struct log_decision *d, int first)
{
	printf("%s    {\"id\": %lld, \"uuid\": ", first ? "" : ",\n", (long long)d->id);
	out_json_string(stdout, d->uuid);
	printf(", \"row\": %zu, \"example_id\": ", d->row);
	if (d->example_id)
		out_json_string(stdout, d->example_id);
	else
		fputs("null", stdout);
	printf(", \"action\": \"%s\", \"label\": ", log_action_name(d->action));
	if (d->label)
		out_json_string(stdout, d->label);
	else
		fputs("null", stdout);
	fputs(", \"reviewer\": ", stdout);
	out_json_string(stdout, d->reviewer);
	printf(", \"role\": \"%s\", \"pass\": %d, \"time\": ",
	       d->expert ? "expert" : "annotator", d->pass);
	out_json_string(stdout, d->time);
	fputs(", \"version\": ", stdout);
	if (d->version)
		printf("%lld", (long long)d->version);
	else
		fputs("null", stdout);
	fputs(", \"note\": ", stdout);
	if (d->note)
		out_json_string(stdout, d->note);
	else
		fputs("null", stdout);
	if (d->undoes)
		printf(", \"undoes\": %lld", (long long)d->undoes);
	fputs(", \"batch\": ", stdout);
	if (d->batch)
		out_json_string(stdout, d->batch);
	else
		fputs("null", stdout);
	putchar('}');
}

static void text_line(const struct log_decision *d)
{
	char label[1024];
	san_printf("  #%lld %s row %zu%s%s%s %s%s%s by %s (%s, pass %d)%s%s\n",
	       (long long)d->id, d->time, d->row, d->example_id ? " (id " : "",
	       d->example_id ? d->example_id : "", d->example_id ? ")" : "",
	       log_action_name(d->action),
	       d->label ? " -> " : "", d->label ? san_class(label, sizeof label, d->label) : "",
	       d->reviewer,
	       d->expert ? "expert" : "annotator", d->pass, d->note ? ": " : "",
	       d->note ? d->note : "");
}

static int same_batch(const struct log_decision *a, const struct log_decision *b)
{
	return a->batch && b->batch && !strcmp(a->batch, b->batch) && a->version == b->version &&
	       (a->action == LOG_UNDO) == (b->action == LOG_UNDO);   /* the batch, its undo */
}

/* A decision, or for the newest decision of a batch (its decisions are
 * consecutive: one transaction) the whole batch on one line. */
static void text_entry(const struct log_decision *d, size_t nd, size_t i)
{
	if (!d[i].batch) {
		text_line(&d[i]);
		return;
	}
	if (i + 1 < nd && same_batch(&d[i], &d[i + 1]))
		return;               /* shown with the batch's newest decision */
	size_t first = i, counts[LOG_ACTIONS] = { 0 };
	while (first > 0 && same_batch(&d[first - 1], &d[i]))
		first--;
	for (size_t j = first; j <= i; j++)
		counts[d[j].action < LOG_ACTIONS ? d[j].action : 0]++;
	printf("  #%lld-#%lld %s batch %.8s: %zu decision%s (", (long long)d[first].id,
	       (long long)d[i].id, d[i].time, d[i].batch, i - first + 1, i > first ? "s" : "");
	const char *sep = "";
	for (int a = 0; a < LOG_ACTIONS; a++)
		if (counts[a]) {
			printf("%s%s %zu", sep, log_action_name((enum log_action)a), counts[a]);
			sep = ", ";
		}
	printf(") by %s (%s, pass %d), rows", d[i].reviewer, d[i].expert ? "expert" : "annotator",
	       d[i].pass);
	for (size_t j = first; j <= i && j < first + 8; j++)
		printf(" %zu", d[j].row);
	puts(i - first + 1 > 8 ? " ..." : "");
}

static int keep(const struct log_decision *d, long version, const char *reviewer)
{
	return (version < 0 || d->version == version) &&
	       (!reviewer || !strcmp(d->reviewer, reviewer));
}

static void print(int fmt, const struct log_version *v, size_t nv,
		  const struct log_decision *d, size_t nd, long version, const char *rev)
{
	int first = 1;
	if (fmt == 'c')
		puts("row,id,action,label,reviewer,role,pass,time,version,note,batch");
	if (fmt == 'j') {
		puts("{\n  \"versions\": [");
		for (size_t i = nv; i-- > 0;) {
			printf("%s    {\"number\": %lld, \"last_decision\": %lld, \"author\": ",
			       i + 1 == nv ? "" : ",\n", (long long)v[i].number,
			       (long long)v[i].last_decision);
			out_json_string(stdout, v[i].author);
			fputs(", \"time\": ", stdout);
			out_json_string(stdout, v[i].time);
			fputs(", \"message\": ", stdout);
			out_json_string(stdout, v[i].message);
			putchar('}');
		}
		puts("\n  ],\n  \"decisions\": [");
	}
	for (size_t i = nd; i-- > 0;) {
		if (!keep(&d[i], version, rev))
			continue;
		if (fmt == 'c')
			csv_line(&d[i]);
		else if (fmt == 'j')
			json_line(&d[i], first);
		first = 0;
	}
	if (fmt == 'j')
		puts("\n  ]\n}");
	if (fmt != 't')
		return;
	size_t work = 0;
	for (size_t i = 0; i < nd; i++)
		work += d[i].version == 0 && keep(&d[i], -1, rev);
	if (version < 0 && work) {
		printf("working (not committed): %zu decision%s\n", work, work == 1 ? "" : "s");
		for (size_t i = nd; i-- > 0;)
			if (d[i].version == 0 && keep(&d[i], -1, rev))
				text_entry(d, nd, i);
	}
	for (size_t k = nv; k-- > 0;) {
		if (version >= 0 && (long)k != version)
			continue;
		san_printf("version %lld%s%s  %s  %s\n", (long long)v[k].number,
		       v[k].author[0] ? " by " : "", v[k].author, v[k].time, v[k].message);
		for (size_t i = nd; i-- > 0;)
			if (d[i].version == v[k].number && k > 0 && keep(&d[i], -1, rev))
				text_entry(d, nd, i);
	}
}

int cmd_log(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "db", required_argument, NULL, OPT_DB },
		{ "version", required_argument, NULL, OPT_VERSION },
		{ "reviewer", required_argument, NULL, OPT_REVIEWER },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "verify", no_argument, NULL, OPT_VERIFY },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
	struct err e = { 0 };
	const char *db = NULL, *rev = NULL;
	long version = -1;
	int fmt = 't', force = 0, verify = 0, opt;
	optind = 1;
	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
		int r = cli_dataset_option(opt, optarg, &o, &e);
		if (r < 0)
			return cli_usage_error("log", "%s", e.msg);
		if (r > 0)
			continue;
		switch (opt) {
		case OPT_DB: db = optarg; break;
		case OPT_REVIEWER: rev = optarg; break;
		case OPT_FORCE: force = 1; break;
		case OPT_VERIFY: verify = 1; break;
		case OPT_VERSION:
			if ((version = logctx_parse_version(optarg)) < 0)
				return cli_usage_error("log", "--version '%s': expected a number", optarg);
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "csv") && strcmp(optarg, "json"))
				return cli_usage_error("log", "--format must be text, csv or json");
			fmt = optarg[0];
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("log", "unknown option");
		}
	}
	if (optind < argc - 1)
		return cli_usage_error("log", "expected at most one DATA.csv");
	struct logctx c;
	if (logctx_open_read_only(&c, optind < argc ? argv[optind] : NULL, db, &o, 0, force, &e) < 0)
		return cli_fail(&e);
	if (verify) {
		size_t records;
		int vr = log_verify(c.db, &records, &e);
		if (vr == 0 && log_old_schema(c.db))
			san_printf("%s: schema %d, made before records were hash-chained: "
			       "nothing to verify until a command that writes upgrades it\n",
			       log_path(c.db), log_old_schema(c.db));
		else if (vr == 0)
			san_printf("%s: intact: %zu records, every hash chain verified\n",
			       log_path(c.db), records);
		logctx_close(&c);
		return vr ? cli_fail(&e) : 0;
	}
	struct log_version *v = NULL;
	struct log_decision *d = NULL;
	size_t nv = 0, nd = 0;
	int rc = log_versions(c.db, &v, &nv, &e);
	if (rc == 0 && version >= (long)nv)
		rc = err_set(&e, ERR_INPUT, "no version %ld; the latest is %zu", version, nv - 1);
	if (rc == 0)
		rc = log_list(c.db, 0, &d, &nd, &e);
	if (rc == 0)
		print(fmt, v, nv, d, nd, version, rev);
	if (rc == 0 && fmt == 'j')
		cli_warn_json_utf8(0, c.d, db ? db : "the corrections log");
	log_versions_free(v, nv);
	log_decisions_free(d, nd);
	logctx_close(&c);
	return rc < 0 ? cli_fail(&e) : 0;
}
