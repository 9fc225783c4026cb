/* cl_par.c — the engine's parallel passes (see cl_par.h). */
#include "cl_par.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/sysinfo.h>

/* Below this many element visits a pass runs on one core. */
#define PAR_MIN_WORK ((size_t)1 << 19)

struct part {
	cl_range_fn fn;
	void *ctx;
	size_t lo, hi, index;
	pthread_t th;
	int started;
};

static void *part_main(void *arg)
{
	struct part *p = arg;
	p->fn(p->ctx, p->lo, p->hi, p->index);
	return NULL;
}

void cl_par_run(size_t n, size_t parts, cl_range_fn fn, void *ctx)
{
	if (parts < 1)
		parts = 1;
	if (parts > CL_PAR_MAX)
		parts = CL_PAR_MAX;
	if (parts > n && n > 0)
		parts = n;
	struct part p[CL_PAR_MAX];
	for (size_t i = 0; i < parts; i++) {
		p[i].fn = fn;
		p[i].ctx = ctx;
		p[i].lo = n / parts * i + (i < n % parts ? i : n % parts);
		p[i].hi = p[i].lo + n / parts + (i < n % parts);
		p[i].index = i;
		p[i].started = 0;
	}
	/* A thread that cannot be created runs its part here instead. */
	for (size_t i = 1; i < parts; i++)
		p[i].started = pthread_create(&p[i].th, NULL, part_main, &p[i]) == 0;
	part_main(&p[0]);
	for (size_t i = 1; i < parts; i++) {
		if (p[i].started)
			pthread_join(p[i].th, NULL);
		else
			part_main(&p[i]);
	}
}

static size_t thread_limit;   /* 0: the online cores */

void cl_par_set_threads(size_t n)
{
	thread_limit = n;
}

size_t cl_par_parts(size_t work)
{
	if (work < PAR_MIN_WORK)
		return 1;
	long cpus = thread_limit ? (long)thread_limit : (long)get_nprocs();
	if (cpus < 1)
		cpus = 1;
	return cpus > CL_PAR_MAX ? CL_PAR_MAX : (size_t)cpus;
}
