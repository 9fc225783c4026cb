/* stats.h — the dataset health summary behind `relabel stats` and the
 * review screen's stats view: everything cleanlab reports about a labelled
 * dataset, each output either computed or carrying the reason cleanlab would
 * have refused it. */
#ifndef RELABEL_STATS_H
#define RELABEL_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "cl.h"
#include "dataset.h"
#include "log.h"
#include "spotcheck.h"

struct stats_value_err {
	const char *key;        /* e.g. "num_label_issues.off_diagonal" */
	char msg[1100];
};

struct stats {
	size_t n, k;
	double *thresholds;                 /* k */
	int64_t *cj_raw, *cj;               /* k*k */
	int have_off_diag, have_off_diag_cal, have_health;
	size_t off_diag, off_diag_cal;
	double *joint;                      /* k*k estimate_joint */
	double *py, *nm, *inv;              /* converged estimates */
	double *lat_py, *lat_nm, *lat_inv;  /* estimate_latent(cj) */
	struct cl_class_quality *classes;   /* k, cleanlab's order */
	struct cl_overlap *overlaps;        /* k*(k-1)/2, descending */
	double health;
	/* the built-in model that made the probabilities, or NULL (the
	 * command sets it; the writers report it) */
	const struct log_model_info *model;
	struct stats_value_err errs[4];
	int nerrs;
	/* The spot check's estimate when the corrections log has one (set by
	 * the caller after stats_compute; NULL: none), printed as "spot_check". */
	const struct spot_estimate *spot;
};

/* Compute everything for the dataset's labels and probabilities: from one
 * shared computation of the engine (one pass over the probabilities for
 * the thresholds, one for the joint), or from a scan's (no pass at all but
 * the off-diagonal rows'). */
void stats_compute(const struct dataset *d, struct stats *s);
void stats_compute_work(const struct dataset *d, struct cl_work *w, struct stats *s);
void stats_free(struct stats *s);

/* One JSON object with the names and shapes of cleanlab's summary. */
void stats_write_json(FILE *f, const struct dataset *d, const struct stats *s);
/* The summary a person reads. */
void stats_write_text(FILE *f, const struct dataset *d, const struct stats *s);

#endif
