/* review_health.c — the dataset's health with the session's decisions
 * applied (labels as decided so far, excluded rows left out) and, per
 * class, how many flagged examples are decided and still open. Pure: the
 * engine's functions over the session's winners. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "sanitize.h"
#include "util.h"

int review_health_after(const struct review *r, double *health, size_t *n_kept,
			struct err *e)
{
	const struct dataset *d = r->d;
	size_t n = d->n, k = d->k, m = 0, excluded = 0;
	int *labels = xmallocarray(n ? n : 1, sizeof *labels);
	for (size_t row = 0; row < n; row++) {
		long w = r->win[row];
		if (w >= 0 && (r->dec[w].action == LOG_EXCLUDE || !r->dec[w].label))
			excluded++;
	}
	double *probs = excluded ? xmallocarray((n - excluded) * k + 1, sizeof *probs) : NULL;
	for (size_t row = 0; row < n; row++) {
		long w = r->win[row];
		int c = d->labels[row];
		if (w >= 0) {
			if (r->dec[w].action == LOG_EXCLUDE || !r->dec[w].label)
				continue;
			int dc = dataset_class_index(d, r->dec[w].label);
			if (dc >= 0)
				c = dc;
		}
		if (probs)
			memcpy(probs + m * k, d->probs + row * k, k * sizeof *probs);
		labels[m++] = c;
	}
	struct cl_problem pb = { m, k, probs ? probs : d->probs, labels };
	int rc = cl_health_score(&pb, health, e);
	*n_kept = m;
	free(probs);
	free(labels);
	return rc;
}

void review_class_progress(const struct review *r, size_t *flagged, size_t *decided)
{
	memset(flagged, 0, r->d->k * sizeof *flagged);
	memset(decided, 0, r->d->k * sizeof *decided);
	for (size_t i = 0; i < r->scan->n_ranked; i++) {
		size_t row = r->scan->ranked[i];
		if (!r->scan->flagged[row])
			continue;
		flagged[r->d->labels[row]]++;
	}
	memcpy(decided, r->class_decided, r->d->k * sizeof *decided);   /* kept per log read */
}

size_t review_cell_flagged(const struct review *r, int given, int suggested)
{
	size_t n = 0;
	for (size_t i = 0; i < r->scan->n_ranked; i++) {
		size_t row = r->scan->ranked[i];
		n += r->scan->flagged[row] && r->d->labels[row] == given &&
		     r->scan->suggested[row] == suggested;
	}
	return n;
}

void review_reliability(const struct dataset *d, const int *suggested, double accuracy,
			char *buf, size_t n)
{
	size_t k = d->k, *nk = xcalloc(k, sizeof *nk), least = 0, most = 0, hits = 0;
	for (size_t i = 0; i < d->n; i++)
		nk[d->labels[i]]++;
	for (size_t c = 0; c < k; c++) {
		if (nk[c] > nk[most])
			most = c;
		if (nk[c] < nk[least])
			least = c;
	}
	if (accuracy < 0 && suggested) {    /* the scan's argmax of each row */
		for (size_t i = 0; i < d->n; i++)
			hits += suggested[i] == d->labels[i];
		accuracy = d->n ? (double)hits / (double)d->n : 0;
	} else if (accuracy < 0 && d->probs) {   /* the given probabilities' argmax */
		for (size_t i = 0; i < d->n; i++) {
			const double *p = d->probs + i * k;
			size_t best = 0;
			for (size_t c = 1; c < k; c++)
				if (p[c] > p[best])
					best = c;
			hits += (int)best == d->labels[i];
		}
		accuracy = d->n ? (double)hits / (double)d->n : 0;
	}
	double chance = d->n ? (double)nk[most] / (double)d->n : 0;
	buf[0] = '\0';
	char vis[256];      /* class names with their edge spaces shown */
	if (d->n && nk[least] < 10)
		snprintf(buf, n, "warning: only %zu example%s of %.60s; confident learning "
			 "needs about 10 per class", nk[least], nk[least] == 1 ? "" : "s",
			 san_class(vis, sizeof vis, d->class_names[least]));
	else if (d->n && accuracy >= 0 && accuracy < chance + 0.05)
		snprintf(buf, n, "warning: accuracy %.2f is near chance (%.2f always saying "
			 "%.60s): suggestions are unreliable", accuracy, chance,
			 san_class(vis, sizeof vis, d->class_names[most]));
	free(nk);
}
