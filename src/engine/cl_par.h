/* cl_par.h — splitting the engine's passes over rows (or classes) across
 * the machine's cores. Results never depend on the number of parts: each
 * part writes only its own rows or its own accumulators, which the caller
 * combines in part order. */
#ifndef RELABEL_CL_PAR_H
#define RELABEL_CL_PAR_H

#include <stddef.h>

/* Run fn(ctx, lo, hi, part) for parts consecutive ranges covering [0, n),
 * part 0 on the calling thread and the others on threads of their own. */
typedef void (*cl_range_fn)(void *ctx, size_t lo, size_t hi, size_t part);
void cl_par_run(size_t n, size_t parts, cl_range_fn fn, void *ctx);

/* How many parts a pass over `work` element visits deserves: 1 for small
 * problems (threads cost more than they save), else the online cores
 * (at most CL_PAR_MAX), or the limit set below. */
#define CL_PAR_MAX 16
size_t cl_par_parts(size_t work);
/* Use at most n threads (0: as many as there are cores); --threads. */
void cl_par_set_threads(size_t n);

#endif
