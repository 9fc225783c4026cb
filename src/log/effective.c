/* effective.c — applying decisions to labels (see effective.h). */
#include "effective.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void effective_winners(const struct log_decision *d, size_t nd, int64_t upto,
		       size_t nrows, int32_t *winner)
{
	for (size_t r = 0; r < nrows; r++)
		winner[r] = -1;
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
		/* the newest second-pass decision wins, else the newest other */
		long w = winner[d[i].row];
		if (d[i].pass == 2 || w < 0 || d[w].pass != 2)
			winner[d[i].row] = (int32_t)i;
	}
	free(undone);
}

const char *effective_label(const struct log_decision *d, long w, const char *given)
{
	if (w < 0 || d[w].action == LOG_UNSURE)
		return given;
	return d[w].action == LOG_EXCLUDE ? NULL : d[w].label;
}
