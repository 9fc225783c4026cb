/* cl_stream.h — the scan of cl.h over probabilities that never sit in memory
 * whole: a few passes over a row source (a memory-mapped .npy, say), each
 * converting blocks of rows to doubles, keeping only what is O(N) (labels,
 * per-row scores and flags, each class's row list) and O(K²) between them.
 *
 * The results are exactly those of cl_scan_run on the same values — same
 * thresholds, joints, flags, scores and ranking, tie order included —
 * because every quantity is computed by the same code from the same
 * numbers in the same order:
 *   pass 1: range checks, each row's own-class probability (gathered into
 *           its class's slot, so each threshold is numpy's pairwise sum in
 *           row order), the suggested label, the unadjusted score and the
 *           _reduce_issues test of every row;
 *   pass 2: the confident joint and its off-diagonal rows (and adjusted
 *           scores), with the thresholds of pass 1;
 *   pass 3: the prune selections, each a bounded heap of cnt + 1 keys per
 *           (class, column) — heaps of each core merged;
 *   pass 4: only where a selection's cut-off is tied: that class's keys in
 *           full, decided by numpy's argsort as in memory.
 * The passes run on every core, each over its own range of rows.
 */
#ifndef RELABEL_CL_STREAM_H
#define RELABEL_CL_STREAM_H

#include <stddef.h>

#include "cl.h"
#include "err.h"

struct cl_source {
	size_t n, k;
	const int *labels;    /* n, in memory */
	/* Rows [a, b) as (b - a) * k doubles in out, for pass 1, 2, ...; 0, or
	 * -1 with e set (bad values are the source's to report, with their row
	 * and column). May be called from several threads at once for disjoint
	 * ranges. */
	int (*read)(void *ctx, int pass, size_t a, size_t b, double *out,
		    struct err *e);
	/* Rows [a, b) will not be read again in this pass (may be NULL). */
	void (*release)(void *ctx, size_t a, size_t b);
	/* After each block of the first core's range: pass p of `passes`,
	 * fraction done (may be NULL). Called from one thread only. */
	void (*progress)(void *ctx, int pass, int passes, double done);
	void *ctx;
};

/* cl_scan_run over a source. out->work is a computation without the
 * probabilities (summaries work on it; nothing that needs rows does). */
int cl_scan_stream(const struct cl_source *src, const struct cl_scan_params *prm,
		   struct cl_scan *out, struct err *e);

/* Just the shared computation (passes 1 and 2), for the summaries of
 * relabel stats: nothing is validated here (each summary validates as
 * cleanlab does); errors come only from the source. */
struct cl_work *cl_work_stream(const struct cl_source *src, struct err *e);

#endif
