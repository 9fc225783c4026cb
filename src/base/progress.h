/* progress.h — a one-line progress report on stderr for slow steps before
 * any screen opens. Silent for the first second and when stderr is not a
 * terminal, so scripted runs and fast runs print nothing. */
#ifndef RELABEL_PROGRESS_H
#define RELABEL_PROGRESS_H

struct progress {
	const char *task;
	double t0, last;
	int shown, tty;
};

void progress_start(struct progress *p, const char *task);
/* A dataset_opts.progress callback: ctx is a struct progress. */
void progress_report(void *ctx, const char *stage, double fraction);
/* Clear the line if anything was shown. */
void progress_done(struct progress *p);

#endif
