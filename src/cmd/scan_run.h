/* scan_run.h — running the scan on a loaded dataset, the way the commands
 * share: in memory, or in streaming passes over its .npy probabilities
 * when the loader streamed them (dataset_probs_streamed), with a progress
 * line and ETA on stderr for long passes. */
#ifndef RELABEL_SCAN_RUN_H
#define RELABEL_SCAN_RUN_H

#include "cl.h"
#include "dataset.h"
#include "progress.h"

/* pg may be NULL (no progress line). */
int scan_run(struct dataset *d, const struct dataset_opts *o,
	     const struct cl_scan_params *prm, struct cl_scan *s,
	     struct progress *pg, struct err *e);

/* For relabel stats: the engine's shared computation over streamed
 * probabilities (NULL with e set on bad input), or NULL with e untouched
 * when the probabilities are in memory (use stats_compute). */
struct cl_work *scan_run_work(struct dataset *d, const struct dataset_opts *o,
			      struct progress *pg, struct err *e);

#endif
