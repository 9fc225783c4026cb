/* progress.c — the stderr progress line (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "sanitize.h"
#include "util.h"

void progress_start(struct progress *p, const char *task)
{
	p->task = task;
	p->t0 = p->last = util_seconds();
	p->shown = 0;
	p->tty = isatty(STDERR_FILENO);
}

void progress_report(void *ctx, const char *stage, double fraction)
{
	struct progress *p = ctx;
	double t = util_seconds();
	if (!p->tty || t - p->t0 < 1.0 || (p->shown && t - p->last < 0.2))
		return;
	p->last = t;
	p->shown = 1;
	if (fraction > 0 && fraction <= 1)
		san_fprintf(stderr, "\r\033[Krelabel %s: %s %3.0f%% (%.1fs)", p->task, stage,
			fraction * 100, t - p->t0);
	else
		san_fprintf(stderr, "\r\033[Krelabel %s: %s (%.1fs)", p->task, stage, t - p->t0);
	fflush(stderr);
}

void progress_done(struct progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->shown = 0;
}
