/* logcli.c — opening dataset + log for the log commands (see logcli.h). */
#include "logcli.h"
#include "numparse.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hash.h"
#include "sanitize.h"
#include "util.h"

static int ctx_open(struct logctx *c, const char *data_path, const char *db_path,
		    struct dataset_opts *o, int need_dataset, int force, int ro,
		    int defer, struct err *e)
{
	c->d = NULL;
	c->db = NULL;
	c->pending = NULL;
	c->force = force;
	char *dbp = NULL, *recorded = NULL;
	if (!data_path && !db_path && !o->labels_path)
		return err_set(e, ERR_INPUT, "give DATA.csv or --db FILE");
	if (!data_path && !o->labels_path) {
		if ((ro ? log_open_read_only(&c->db, db_path, NULL, 0, e)
			: log_open_existing(&c->db, db_path, e)) < 0)
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
	if (rc == 0) {
		/* the log checks both files' SHA-256: hash them while loading */
		char *probs = dataset_probs_path(o);
		if (data_path)
			hash_file_prefetch(data_path);
		if (probs)
			hash_file_prefetch(probs);
		free(probs);
		rc = dataset_load(&c->d, o, e);
	}
	if (rc == 0 && c->d->warning[0])
		san_fprintf(stderr, "relabel: warning: %s\n", c->d->warning);
	if (rc == 0) {
		dbp = db_path ? xstrdup(db_path) : log_default_path(c->d->data_path);
		if (defer && access(dbp, F_OK) != 0 && errno == ENOENT) {
			c->pending = dbp;     /* made by logctx_create */
			dbp = NULL;
		} else
			rc = ro ? log_open_read_only(&c->db, dbp, c->d, force, e)
				: log_open(&c->db, dbp, c->d, force, e);
	}
	if (rc == 0 && c->db && log_data_changed(c->db) && c->d->id_col < 0)
		san_fprintf(stderr, "relabel: warning: %s has no id column: decisions apply by "
			"row number, whatever the rows now hold\n", c->d->data_path);
	if (rc == 0 && !c->d->probs && need_dataset > 1)
		rc = cli_fit_model(c->d, c->db, e);
	free(dbp);
	free(recorded);
	if (rc < 0)
		logctx_close(c);
	return rc;
}

int logctx_open(struct logctx *c, const char *data_path, const char *db_path,
		struct dataset_opts *o, int need_dataset, int force, struct err *e)
{
	return ctx_open(c, data_path, db_path, o, need_dataset, force, 0, 0, e);
}

int logctx_open_deferred(struct logctx *c, const char *data_path, const char *db_path,
			 struct dataset_opts *o, int need_dataset, int force,
			 struct err *e)
{
	return ctx_open(c, data_path, db_path, o, need_dataset, force, 0, 1, e);
}

int logctx_create(struct logctx *c, struct err *e)
{
	if (c->db || !c->pending)
		return 0;
	if (log_open(&c->db, c->pending, c->d, c->force, e) < 0)
		return -1;
	free(c->pending);
	c->pending = NULL;
	return 0;
}

int logctx_open_read_only(struct logctx *c, const char *data_path, const char *db_path,
			  struct dataset_opts *o, int need_dataset, int force,
			  struct err *e)
{
	return ctx_open(c, data_path, db_path, o, need_dataset, force, 1, 0, e);
}

int logctx_open_read_only_optional(struct logctx *c, const char *data_path,
				   const char *db_path, struct dataset_opts *o,
				   int need_dataset, int force, struct err *e)
{
	return ctx_open(c, data_path, db_path, o, need_dataset, force, 1, !db_path, e);
}

int logctx_list(struct logctx *c, struct log_decision **out, size_t *count,
		struct err *e)
{
	if (log_list(c->db, 0, out, count, e) < 0)
		return -1;
	const char *msg;
	size_t n = log_vanished(c->db, &msg);
	if (n)
		san_fprintf(stderr, "relabel: warning: %zu decision%s left out because %s "
			"changed: %s%s\n", n, n == 1 ? "" : "s", c->d ? c->d->data_path : "the data",
			msg, n > 1 ? " (and more)" : "");
	return 0;
}

void logctx_close(struct logctx *c)
{
	log_close(c->db);
	free(c->pending);
	c->pending = NULL;
	dataset_free(c->d);
	c->db = NULL;
	c->d = NULL;
}

long logctx_parse_version(const char *s)
{
	unsigned long long v;
	return numparse_uint(s, LONG_MAX, &v) < 0 ? -1 : (long)v;
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
