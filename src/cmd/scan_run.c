/* scan_run.c — the scan on a dataset in memory or streamed (see
 * scan_run.h). */
#include "scan_run.h"

#include <stdio.h>
#include <time.h>

#include "cl_stream.h"
#include "sanitize.h"
#include "util.h"

struct glue {
	struct dataset *d;
	const struct dataset_opts *o;
	struct progress *pg;
	double t0;
	char stage[96];
};

static int glue_read(void *ctx, int pass, size_t a, size_t b, double *out,
		     struct err *e)
{
	struct glue *g = ctx;
	return dataset_probs_rows(g->d, g->o, a, b, out, pass == 1, e);
}

static void glue_release(void *ctx, size_t a, size_t b)
{
	struct glue *g = ctx;
	dataset_probs_release(g->d, a, b);
}

/* "pass 2 of 3, about 14 s left": the estimate assumes every pass takes as
 * long as the ones so far. */
static void glue_progress(void *ctx, int pass, int passes, double done)
{
	struct glue *g = ctx;
	if (!g->pg)
		return;
	if (pass > passes)
		passes = pass;
	double total = ((double)(pass - 1) + done) / (double)passes;
	double spent = util_seconds() - g->t0, left = total > 0 ? spent / total - spent : 0;
	snprintf(g->stage, sizeof g->stage, "pass %d of %d, about %.0f s left", pass,
		 passes, left);
	progress_report(g->pg, g->stage, total);
}

static void stream_done(struct dataset *d, const struct dataset_opts *o)
{
	dataset_probs_stream_done(d, o);
	if (d->warning[0])
		san_fprintf(stderr, "relabel: warning: %s\n", d->warning);
}

struct cl_work *scan_run_work(struct dataset *d, const struct dataset_opts *o,
			      struct progress *pg, struct err *e)
{
	if (!dataset_probs_streamed(d))
		return NULL;
	struct glue g = { d, o, pg, util_seconds(), "" };
	struct cl_source src = { d->n, d->k, d->labels, glue_read, glue_release,
				 glue_progress, &g };
	struct cl_work *w = cl_work_stream(&src, e);
	if (w)
		stream_done(d, o);
	return w;
}

int scan_run(struct dataset *d, const struct dataset_opts *o,
	     const struct cl_scan_params *prm, struct cl_scan *s,
	     struct progress *pg, struct err *e)
{
	if (!dataset_probs_streamed(d)) {
		struct cl_problem pb = { d->n, d->k, d->probs, d->labels };
		return cl_scan_run(&pb, prm, s, e);
	}
	struct glue g = { d, o, pg, util_seconds(), "" };
	struct cl_source src = { d->n, d->k, d->labels, glue_read, glue_release,
				 glue_progress, &g };
	int rc = cl_scan_stream(&src, prm, s, e);
	if (rc == 0)
		stream_done(d, o);
	return rc;
}
