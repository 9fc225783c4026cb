/* cmd_decide.c — `relabel decide`: record one decision on one example in the
 * corrections log. Invalid input is refused before anything is written. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl.h"
#include "commands.h"
#include "effective.h"
#include "logcli.h"
#include "numparse.h"
#include "sanitize.h"
#include "util.h"

static const char usage[] =
	"usage: relabel decide [DATA.csv] [--db FILE] (--row N | --id ID)\n"
	"                      --action accept|relabel|reject|exclude|undo|confirm|unsure\n"
	"                      [OPTIONS]\n\n"
	"Record one decision in the corrections log.\n\n"
	"  --row N             the 0-based data row (as relabel scan prints it)\n"
	"  --id ID             the example whose id column is exactly ID (ids\n"
	"                      must be unique)\n"
	"  --action A          accept (take the suggested label), relabel (needs\n"
	"                      --label), reject (keep the given label), exclude\n"
	"                      (drop from exports), undo (revert the latest\n"
	"                      decision on the example that is not yet undone),\n"
	"                      confirm (an expert confirms the annotator's outcome),\n"
	"                      unsure (cannot tell: the label stays as given)\n"
	"  --label NAME        the class for relabel\n"
	"  --reviewer NAME     who decides (default: $RELABEL_REVIEWER, then login)\n"
	"  --role R            annotator (default) or expert\n"
	"  --pass P            1 (first review) or 2 (second review); default 2 for\n"
	"                      experts, 1 for annotators\n"
	"  --note TEXT         attach a note\n"
	"  --db FILE           the corrections log (default: DATA.relabel.db)\n"
	"  --force             open the log even if the data changed since (with an\n"
	"                      id column, decisions follow their example's id)\n"
	"  --lock-timeout S    wait at most S seconds (default 5, or\n"
	"                      $RELABEL_LOCK_TIMEOUT) for another process's lock\n";

enum { OPT_ROW = CLI_OPT_FIRST_FREE, OPT_ID, OPT_ACTION, OPT_LABEL, OPT_REVIEWER,
       OPT_ROLE, OPT_PASS, OPT_NOTE, OPT_DB, OPT_FORCE, OPT_LOCK_TIMEOUT };

struct args {
	const char *row, *id, *action, *label, *reviewer, *role, *pass, *note, *db;
	int force;
};

/* Run and record a scan when the log has none yet, for accept's scan id. */
static int latest_scan(struct logctx *c, int64_t *scan_id, struct err *e)
{
	*scan_id = 0;
	if (!c->db)               /* no log yet: recorded once it is made */
		return 0;
	if (log_latest_scan(c->db, scan_id, e) < 0 || *scan_id > 0)
		return *scan_id > 0 ? 0 : -1;
	struct cl_problem pb = { c->d->n, c->d->k, c->d->probs, c->d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	struct cl_scan s;
	if (cl_scan_run(&pb, &prm, &s, e) < 0)
		return -1;
	int rc = log_record_scan(c->db, &prm, &s, c->d->labels, 0, scan_id, e);
	cl_scan_free(&s);
	return rc;
}

/* What the first pass decided for row (the outcome a confirm confirms). */
static int annotator_outcome(struct logctx *c, size_t row, const char **label,
			     struct err *e)
{
	struct log_decision *dec = NULL;
	size_t n = 0, m = 0;
	if (c->db && logctx_list(c, &dec, &n, e) < 0)
		return -1;
	struct log_decision *first = xmallocarray(n ? n : 1, sizeof *first);
	for (size_t i = 0; i < n; i++)
		if (dec[i].pass == 1 && dec[i].row == row)
			first[m++] = dec[i];
	int32_t *w = xmallocarray(c->d->n, sizeof *w);
	effective_winners(first, m, INT64_MAX, c->d->n, w);
	long win = w[row];
	int rc = 0;
	if (win < 0 || first[win].action == LOG_UNSURE)
		rc = err_set(e, ERR_INPUT, "nothing to confirm: no annotator decision on row "
			     "%zu", row);
	else {
		/* NULL: the annotator excluded it; else the class name of the
		 * dataset (which outlives dec) */
		const char *l = effective_label(first, win, NULL);
		int k = l ? dataset_class_index(c->d, l) : -1;
		*label = k >= 0 ? c->d->class_names[k] : NULL;
		if (l && k < 0)
			rc = err_set(e, ERR_INPUT, "row %zu: '%s' is not a class", row, l);
	}
	free(w);
	free(first);
	log_decisions_free(dec, n);
	return rc;
}

static int build(struct logctx *c, const struct args *a, struct log_new_decision *nd,
		 struct err *e)
{
	struct dataset *d = c->d;
	long row;
	if (a->id) {
		if (dataset_ids_unique(d, "to decide by --id", e) < 0)
			return -1;
		row = dataset_find_id(d, a->id);
		if (row < 0)
			return err_set(e, ERR_INPUT, "no example with id '%s' in %s", a->id,
				       d->data_path);
	} else {
		unsigned long long v;
		if (numparse_uint(a->row, d->n - 1, &v) < 0)
			return err_set(e, ERR_INPUT, "--row '%s': expected a row from 0 to %zu",
				       a->row, d->n - 1);
		row = (long)v;
	}
	nd->row = (size_t)row;
	if (log_action_parse(a->action, &nd->action) < 0)
		return err_set(e, ERR_INPUT, "--action '%s': expected accept, relabel, "
			       "reject, exclude, undo, confirm or unsure", a->action);
	if (a->label && nd->action != LOG_RELABEL)
		return err_set(e, ERR_INPUT, "--label goes with --action relabel only");
	const char *given = d->class_names[d->labels[row]];
	switch (nd->action) {
	case LOG_ACCEPT: {
		if (!d->probs)
			return err_set(e, ERR_INPUT, "accept needs the predicted probabilities "
				       "(--probs FILE, or probs.csv beside the data)");
		const double *p = d->probs + (size_t)row * d->k;
		size_t best = 0;
		for (size_t j = 1; j < d->k; j++)
			if (p[j] > p[best])
				best = j;
		nd->label = d->class_names[best];
		return latest_scan(c, &nd->scan_id, e);
	}
	case LOG_RELABEL:
		if (!a->label)
			return err_set(e, ERR_INPUT, "relabel needs --label NAME");
		if (dataset_class_index(d, a->label) < 0)
			return err_set(e, ERR_INPUT, "--label '%s' is not a class of the "
				       "dataset", a->label);
		nd->label = a->label;
		break;
	case LOG_REJECT:
		nd->label = given;
		break;
	case LOG_UNDO:
		/* The target is found inside the write transaction (log_decide). */
		nd->undoes = 0;
		break;
	case LOG_UNSURE:
		nd->label = given;
		break;
	case LOG_CONFIRM:
		if (nd->pass != 2)
			return err_set(e, ERR_INPUT, "confirm is an expert's second-pass "
				       "decision (--role expert)");
		if (annotator_outcome(c, (size_t)row, &nd->label, e) < 0)
			return -1;
		break;
	default:
		break;
	}
	if (a->label && nd->action != LOG_RELABEL)
		return err_set(e, ERR_INPUT, "--label goes with --action relabel only");
	if (nd->action == LOG_UNDO && !c->db)
		return err_set(e, ERR_INPUT, "nothing to undo for row %ld", row);
	return c->db ? log_latest_scan(c->db, &nd->scan_id, e) : 0;
}

static int parse_role(const struct args *a, struct log_new_decision *nd, struct err *e)
{
	nd->expert = a->role && !strcmp(a->role, "expert");
	if (a->role && !nd->expert && strcmp(a->role, "annotator"))
		return err_set(e, ERR_INPUT, "--role '%s': expected annotator or expert", a->role);
	nd->pass = nd->expert ? 2 : 1;
	if (a->pass) {
		if (strcmp(a->pass, "1") && strcmp(a->pass, "2"))
			return err_set(e, ERR_INPUT, "--pass '%s': expected 1 or 2", a->pass);
		nd->pass = a->pass[0] - '0';
	}
	nd->reviewer = a->reviewer ? a->reviewer : log_default_reviewer();
	nd->note = a->note;
	return 0;
}

int cmd_decide(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_DATASET_OPTIONS,
		{ "row", required_argument, NULL, OPT_ROW },
		{ "id", required_argument, NULL, OPT_ID },
		{ "action", required_argument, NULL, OPT_ACTION },
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "reviewer", required_argument, NULL, OPT_REVIEWER },
		{ "role", required_argument, NULL, OPT_ROLE },
		{ "pass", required_argument, NULL, OPT_PASS },
		{ "note", required_argument, NULL, OPT_NOTE },
		{ "db", required_argument, NULL, OPT_DB },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct dataset_opts o = { 0 };
	struct args a = { 0 };
	struct err e = { 0 };
	int opt;
	optind = 1;
	while ((opt = cli_getopt(argc, argv, "h", longopts)) != -1) {
		int r = cli_dataset_option(opt, optarg, &o, &e);
		if (r < 0)
			return cli_usage_error("decide", "%s", e.msg);
		if (r > 0)
			continue;
		switch (opt) {
		case OPT_ROW: a.row = optarg; break;
		case OPT_ID: a.id = optarg; break;
		case OPT_ACTION: a.action = optarg; break;
		case OPT_LABEL: a.label = optarg; break;
		case OPT_REVIEWER: a.reviewer = optarg; break;
		case OPT_ROLE: a.role = optarg; break;
		case OPT_PASS: a.pass = optarg; break;
		case OPT_NOTE: a.note = optarg; break;
		case OPT_DB: a.db = optarg; break;
		case OPT_FORCE: a.force = 1; break;
		case OPT_LOCK_TIMEOUT:
			if (log_parse_lock_timeout(optarg) < 0)
				return cli_usage_error("decide", "--lock-timeout '%s': expected "
						       "seconds (a number from 0 to 86400)", optarg);
			/* in force for the open (and migration) as well */
			setenv("RELABEL_LOCK_TIMEOUT", optarg, 1);
			break;
		case 'h': fputs(usage, stdout); fputs(cli_dataset_help, stdout); return 0;
		default: return cli_usage_error("decide", "unknown option");
		}
	}
	if (optind < argc - 1)
		return cli_usage_error("decide", "expected at most one DATA.csv");
	if (!a.row == !a.id)
		return cli_usage_error("decide", "give exactly one of --row and --id");
	if (!a.action)
		return cli_usage_error("decide", "--action is required");
	struct log_new_decision nd = { 0 };
	if (parse_role(&a, &nd, &e) < 0)
		return cli_usage_error("decide", "%s", e.msg);
	struct logctx c;
	o.index_ids = a.id != NULL;   /* one sort serves the checks and the lookup */
	/* A new log is made only for a decision that is valid. */
	if (logctx_open_deferred(&c, optind < argc ? argv[optind] : NULL, a.db, &o,
				 !strcmp(a.action, "accept") ? 2 : 1, a.force, &e) < 0)
		return cli_fail(&e);
	char idbuf[32];
	struct log_decision out;
	int rc = build(&c, &a, &nd, &e);
	if (rc == 0 && !c.db) {
		rc = logctx_create(&c, &e);
		if (rc == 0 && nd.action == LOG_ACCEPT)
			rc = latest_scan(&c, &nd.scan_id, &e);
	}
	if (rc == 0) {
		nd.example_id = dataset_id(c.d, nd.row, idbuf);
		rc = log_decide(c.db, &nd, &out, &e);
	}
	if (rc < 0 && log_locked(c.db))
		snprintf(e.msg + strlen(e.msg), sizeof e.msg - strlen(e.msg), "; nothing "
			 "recorded (--lock-timeout SECONDS waits longer)");
	if (rc == 0) {
		if (nd.action == LOG_UNDO)
			san_printf("recorded undo of decision %lld on row %zu (id %s) as decision "
			       "%lld, %s\n", (long long)out.undoes, out.row,
			       dataset_id(c.d, out.row, idbuf), (long long)out.id, out.uuid);
		else
			san_printf("recorded %s of row %zu (id %s) as decision %lld, %s\n",
			       log_action_name(nd.action), nd.row, nd.example_id,
			       (long long)out.id, out.uuid);
	}
	logctx_close(&c);
	return rc < 0 ? cli_fail(&e) : 0;
}
