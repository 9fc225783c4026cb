/* effective.c — applying decisions to labels (see effective.h). */
#include "effective.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void effective_winners(const struct log_decision *d, size_t nd, int64_t upto,
		       size_t nrows, long *winner)
{
	long *first = xmallocarray(nrows ? nrows : 1, sizeof *first);
	for (size_t r = 0; r < nrows; r++)
		winner[r] = first[r] = -1;
	/* ids are increasing, so undone ids can be found by binary search */
	unsigned char *undone = xcalloc(nd ? nd : 1, 1);
	for (size_t i = 0; i < nd && d[i].id <= upto; i++) {
		if (d[i].action != LOG_UNDO)
			continue;
		size_t lo = 0, hi = nd;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (d[mid].id < d[i].undoes)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < nd && d[lo].id == d[i].undoes)
			undone[lo] = 1;
	}
	for (size_t i = 0; i < nd && d[i].id <= upto; i++) {
		if (d[i].action == LOG_UNDO || undone[i] || d[i].row >= nrows)
			continue;
		if (d[i].pass == 2)
			winner[d[i].row] = (long)i;
		else
			first[d[i].row] = (long)i;
	}
	for (size_t r = 0; r < nrows; r++)
		if (winner[r] < 0 || d[winner[r]].pass != 2)
			winner[r] = first[r];
	free(first);
	free(undone);
}

const char *effective_label(const struct log_decision *d, long w, const char *given)
{
	if (w < 0 || d[w].action == LOG_UNSURE)
		return given;
	return d[w].action == LOG_EXCLUDE ? NULL : d[w].label;
}
