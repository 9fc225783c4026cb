/* cmd_stats_spot.c — the spot check in `relabel stats`: when the dataset's
 * corrections log exists and holds spot-check samples of its latest scan,
 * the estimate of what the scan missed (review_spot_estimate). The log is
 * never created here. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "review_tools.h"

int stats_spot_estimate(const struct dataset *d, const char *db_path, int force,
			struct spot_estimate *est, struct err *e);

/* Returns 1 with est filled, 0 when there is no log or no sample, -1 on
 * error. */
int stats_spot_estimate(const struct dataset *d, const char *db_path, int force,
			struct spot_estimate *est, struct err *e)
{
	char *def = db_path ? NULL : log_default_path(d->data_path);
	const char *path = db_path ? db_path : def;
	if (access(path, F_OK) != 0) {
		free(def);
		return db_path ? err_set(e, ERR_INPUT, "%s: no such corrections log", db_path) : 0;
	}
	struct logdb *db;
	int rc = log_open(&db, path, d, force, e);
	if (rc < 0 && !db_path) {      /* the summary stands without it */
		fprintf(stderr, "relabel: warning: spot check not reported: %s\n", e->msg);
		err_clear(e);
		free(def);
		return 0;
	}
	free(def);
	if (rc < 0)
		return -1;
	struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
	struct cl_scan_params prm = { CL_PRUNE_BY_NOISE_RATE, CL_SELF_CONFIDENCE, 0, 0, 0 };
	struct cl_scan s;
	struct review *r = NULL;
	rc = cl_scan_run(&pb, &prm, &s, e);
	if (rc < 0) {                  /* cleanlab refuses: the summary says why */
		err_clear(e);
		rc = 0;
	} else {
		rc = review_open(&r, d, &s, db, log_default_reviewer(), 0, e);
		if (rc == 0) {
			rc = review_spot_estimate(r, est);
			review_free(r);
		}
		cl_scan_free(&s);
	}
	log_close(db);
	return rc;
}
