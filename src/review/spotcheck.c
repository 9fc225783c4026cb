/* spotcheck.c — spot-check sampling and the Wilson interval (see
 * spotcheck.h). The generator is splitmix64, chosen because it is fully
 * specified by a few lines, so the sample does not depend on the C
 * library's rand(). */
#include "spotcheck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define WILSON_Z 1.959963984540054

void spot_wilson(size_t k, size_t n, double *lo, double *hi)
{
	if (n == 0) {
		*lo = 0;
		*hi = 1;
		return;
	}
	double nn = (double)n, p = (double)k / nn, z2 = WILSON_Z * WILSON_Z;
	double denom = 1 + z2 / nn;
	double centre = (p + z2 / (2 * nn)) / denom;
	double half = WILSON_Z / denom * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
	*lo = k == 0 ? 0 : centre - half;
	*hi = k == n ? 1 : centre + half;
	if (*lo < 0)
		*lo = 0;
	if (*hi > 1)
		*hi = 1;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound) without modulo bias. */
static uint64_t below(uint64_t *s, uint64_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, x;
	do
		x = splitmix64(s);
	while (x >= limit);
	return x % bound;
}

size_t spot_sample(const unsigned char *flagged, size_t nrows, uint64_t seed,
		   size_t n, size_t *out)
{
	size_t m = 0;
	for (size_t r = 0; r < nrows; r++)
		m += !flagged[r];
	if (n > m)
		n = m;
	if (!n)
		return 0;
	/* A partial Fisher-Yates shuffle of the unflagged rows' positions. */
	uint32_t *pool = xmallocarray(m, sizeof *pool);
	size_t j = 0;
	for (size_t r = 0; r < nrows; r++)
		if (!flagged[r])
			pool[j++] = (uint32_t)r;
	uint64_t s = seed;
	for (size_t i = 0; i < n; i++) {
		size_t pick = i + (size_t)below(&s, (uint64_t)(m - i));
		uint32_t t = pool[i];
		pool[i] = pool[pick];
		pool[pick] = t;
		out[i] = pool[i];
	}
	free(pool);
	return n;
}

uint64_t spot_new_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t s = (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^
		     ((uint64_t)getpid() << 32);
	/* Keep it below 2^53 so JSON readers and SQLite show it exactly. */
	return splitmix64(&s) >> 11;
}

void spot_estimate(const enum spot_outcome *outcome, size_t nsampled, size_t unflagged,
		   struct spot_estimate *est)
{
	est->sampled = nsampled;
	est->decided = est->mislabelled = est->unsure = 0;
	for (size_t i = 0; i < nsampled; i++) {
		est->decided += outcome[i] == SPOT_SAME || outcome[i] == SPOT_CHANGED;
		est->mislabelled += outcome[i] == SPOT_CHANGED;
		est->unsure += outcome[i] == SPOT_UNSURE;
	}
	est->unflagged = unflagged;
	est->p = est->decided ? (double)est->mislabelled / (double)est->decided : 0;
	spot_wilson(est->mislabelled, est->decided, &est->lo, &est->hi);
	est->examples = est->p * (double)unflagged;
}

void spot_line(const struct spot_estimate *est, char *buf, size_t size)
{
	if (!est->decided) {
		snprintf(buf, size, "spot check: %zu unflagged examples sampled, none decided yet",
			 est->sampled);
		return;
	}
	snprintf(buf, size, "spot check: %zu of %zu unflagged examples were mislabelled "
		 "→ about %.1f%% (95%% Wilson interval %.1f–%.1f%%) of the %zu unflagged, "
		 "≈ %.0f examples", est->mislabelled, est->decided, est->p * 100,
		 est->lo * 100, est->hi * 100, est->unflagged, est->examples);
}
