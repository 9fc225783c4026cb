/* logcli.c — opening dataset + log for the log commands (see logcli.h). */
#include "logcli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

int logctx_open(struct logctx *c, const char *data_path, const char *db_path,
		struct dataset_opts *o, int need_dataset, int force, struct err *e)
{
	c->d = NULL;
	c->db = NULL;
	char *dbp = NULL, *recorded = NULL;
	if (!data_path && !db_path)
		return err_set(e, ERR_INPUT, "give DATA.csv or --db FILE");
	if (!data_path) {
		if (log_open_existing(&c->db, db_path, e) < 0)
			return -1;
		if (!need_dataset)
			return 0;
		recorded = xstrdup(log_data_path(c->db));
		log_close(c->db);
		c->db = NULL;
		data_path = recorded;
	}
	o->data_path = data_path;
	o->allow_missing_probs = 1;
	int rc = cli_check_outputs(o, db_path, NULL, 0, e);
	if (rc == 0)
		rc = dataset_load(&c->d, o, e);
	if (rc == 0 && c->d->warning[0])
		fprintf(stderr, "relabel: warning: %s\n", c->d->warning);
	if (rc == 0) {
		dbp = db_path ? xstrdup(db_path) : log_default_path(data_path);
		rc = log_open(&c->db, dbp, c->d, force, e);
	}
	if (rc == 0 && !c->d->probs && need_dataset > 1)
		rc = cli_fit_model(c->d, c->db, e);
	free(dbp);
	free(recorded);
	if (rc < 0)
		logctx_close(c);
	return rc;
}

void logctx_close(struct logctx *c)
{
	log_close(c->db);
	dataset_free(c->d);
	c->db = NULL;
	c->d = NULL;
}

long logctx_parse_version(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return errno || *end || !*s || v < 0 ? -1 : v;
}

int logctx_version(struct logctx *c, long number, int64_t *upto, long *resolved,
		   struct err *e)
{
	if (number == LOGCTX_WORKING) {
		*upto = INT64_MAX;
		*resolved = LOGCTX_WORKING;
		return 0;
	}
	struct log_version *v;
	size_t n;
	if (log_versions(c->db, &v, &n, e) < 0)
		return -1;
	long want = number < 0 ? (long)n - 1 : number;
	int rc = 0;
	if (want >= (long)n)
		rc = err_set(e, ERR_INPUT, "no version %ld; the latest is %zu", number, n - 1);
	else {
		*upto = v[want].last_decision;
		*resolved = want;
	}
	log_versions_free(v, n);
	return rc;
}
