/* logcli.h — what the log commands share: finding the dataset and its
 * corrections log from `DATA.csv` and/or `--db FILE`, checking that they
 * belong together, and resolving a version to a decision cut-off. */
#ifndef RELABEL_LOGCLI_H
#define RELABEL_LOGCLI_H

#include "cli.h"
#include "dataset.h"
#include "log.h"

struct logctx {
	struct dataset *d;     /* NULL when the command needs no dataset */
	struct logdb *db;      /* NULL while a deferred log is not made yet */
	char *pending;         /* the path of a log to make (deferred) */
	int force;
};

/* Open the log (creating it beside DATA.csv if needed) and, when
 * need_dataset is set or DATA.csv is given, load the dataset (from the path
 * the log records when only --db is given). need_dataset 2: the
 * probabilities are needed too (trained by the built-in model, or taken
 * from the log, when there is no probabilities file). */
int logctx_open(struct logctx *c, const char *data_path, const char *db_path,
		struct dataset_opts *o, int need_dataset, int force, struct err *e);
/* The same for commands that only read (log, diff, export, stats): the
 * log is opened read-only and never created. */
int logctx_open_read_only(struct logctx *c, const char *data_path, const char *db_path,
			  struct dataset_opts *o, int need_dataset, int force,
			  struct err *e);
/* Read-only too, but a default log (no db_path) that does not exist is no
 * error: c->db stays NULL and the data stands as it is, version 0 (export
 * of data nobody has reviewed yet, e.g. an image folder to path,label). */
int logctx_open_read_only_optional(struct logctx *c, const char *data_path,
				   const char *db_path, struct dataset_opts *o,
				   int need_dataset, int force, struct err *e);
void logctx_close(struct logctx *c);
/* Like logctx_open, but a log that does not exist yet is not made (db
 * stays NULL) until logctx_create: a command that refuses its input leaves
 * no new log behind. */
int logctx_open_deferred(struct logctx *c, const char *data_path, const char *db_path,
			 struct dataset_opts *o, int need_dataset, int force,
			 struct err *e);
int logctx_create(struct logctx *c, struct err *e);

/* Every decision (log_list), with a warning on stderr naming decisions
 * left out because the data changed and their example is gone. */
int logctx_list(struct logctx *c, struct log_decision **out, size_t *count,
		struct err *e);

/* Decisions with id <= *upto make up version `number` (number < 0: the
 * latest sealed version; LOGCTX_WORKING: everything recorded). */
#define LOGCTX_WORKING (-2)
int logctx_version(struct logctx *c, long number, int64_t *upto, long *resolved,
		   struct err *e);

/* Parse a version number argument; -1 if invalid. */
long logctx_parse_version(const char *s);

#endif
