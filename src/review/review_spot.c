/* review_spot.c — the spot-check queue: drawing a seeded sample of the
 * unflagged examples, recording it in the log (so another reviewer reopens
 * the same rows), and the estimate of what the scan missed from the
 * decisions on every sample of the current scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review_tools.h"
#include "util.h"


/* Show sample s (its rows are marked as sampled). */
static void show(struct review *r, const struct log_spot_check *s)
{
	struct review_tools *t = review_tools(r);
	free(t->sample);
	t->sample = xmallocarray(s->n ? s->n : 1, sizeof *t->sample);
	t->nsample = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i] < r->d->n) {
			t->sample[t->nsample++] = s->rows[i];
			t->mark[s->rows[i]] |= MARK_SPOT;
		}
	t->spot_id = s->id;
	t->spot_seed = s->seed;
	snprintf(t->spot_by, sizeof t->spot_by, "%s", s->reviewer);
}

/* Load this scan's samples: mark their rows; returns the number of
 * samples, -1 on error (message set). `latest` receives the newest. */
static long load(struct review *r, struct log_spot_check **all, size_t *n)
{
	struct err e = { 0 };
	if (log_spot_checks(r->db, all, n, &e) < 0) {
		snprintf(r->message, sizeof r->message, "%.500s", e.msg);
		r->message_error = 1;
		return -1;
	}
	/* Keep this scan's (the rows are this scan's unflagged examples). */
	size_t keep = 0;
	for (size_t i = 0; i < *n; i++) {
		if ((*all)[i].scan_id == r->scan_id) {
			struct log_spot_check tmp = (*all)[keep];
			(*all)[keep++] = (*all)[i];
			(*all)[i] = tmp;
		}
	}
	for (size_t i = keep; i < *n; i++) {
		free((*all)[i].reviewer);
		free((*all)[i].rows);
	}
	*n = keep;
	struct review_tools *t = review_tools(r);
	for (size_t i = 0; i < *n; i++)
		for (size_t j = 0; j < (*all)[i].n; j++)
			if ((*all)[i].rows[j] < r->d->n)
				t->mark[(*all)[i].rows[j]] |= MARK_SPOT;
	t->nspots = *n;
	return (long)*n;
}

int spot_load(struct review *r)
{
	struct log_spot_check *all;
	size_t n;
	if (load(r, &all, &n) < 0)
		return -1;
	log_spot_checks_free(all, n);
	return 0;
}

static int parse_spec(const char *spec, size_t *n, uint64_t *seed, int *fresh, int *seeded)
{
	char a[32] = "", b[32] = "", c[8] = "";
	*n = 0;
	*fresh = *seeded = 0;
	int k = sscanf(spec, "%31s %31s %7s", a, b, c);
	if (k <= 0)
		return 0;
	char *end;
	unsigned long long v = strtoull(a, &end, 10);
	if (*end || a[0] == '-' || v == 0 || v > 1000000000ULL || k == 3)
		return -1;
	*n = (size_t)v;
	if (k == 2) {
		if (!strcmp(b, "new")) {
			*fresh = 1;
		} else {
			unsigned long long sv = strtoull(b, &end, 10);
			if (*end || b[0] == '-')
				return -1;
			*seed = sv;
			*seeded = 1;
		}
	}
	return 0;
}

static void announce(struct review *r, const char *how)
{
	struct review_tools *t = r->tools;
	snprintf(r->message, sizeof r->message, "spot check #%lld (%s, seed %llu, by %.60s): %zu "
		 "unflagged examples%s", (long long)t->spot_id, how,
		 (unsigned long long)t->spot_seed, t->spot_by, t->nsample,
		 r->qlen < t->nsample ? " (some hidden by the filter)" : "");
	r->message_error = 0;
}

int review_spot_check(struct review *r, const char *spec)
{
	struct review_tools *t = review_tools(r);
	size_t want;
	uint64_t seed = 0;
	int fresh, seeded;
	if (parse_spec(spec ? spec : "", &want, &seed, &fresh, &seeded) < 0) {
		snprintf(r->message, sizeof r->message, "spot-check: expected N, N new or N SEED "
			 "(N a positive number), not \"%.100s\"", spec);
		r->message_error = 1;
		return -1;
	}
	struct log_spot_check *all;
	size_t nall;
	if (load(r, &all, &nall) < 0)
		return -1;
	/* Reopen: no N, or the newest sample of that size (or that seed). */
	const struct log_spot_check *reuse = NULL;
	for (size_t i = nall; i-- > 0 && !reuse && !fresh;)
		if (!want || (all[i].n == want && (!seeded || all[i].seed == seed)))
			reuse = &all[i];
	if (!want && !reuse) {
		log_spot_checks_free(all, nall);
		snprintf(r->message, sizeof r->message, "spot-check: no sample yet; spot-check N "
			 "draws N unflagged examples");
		r->message_error = 1;
		return -1;
	}
	const char *how = "reopened";
	if (reuse) {
		show(r, reuse);
	} else {
		struct log_spot_check s = { 0 };
		s.seed = seeded ? seed : spot_new_seed();
		s.rows = xmallocarray(want, sizeof *s.rows);
		s.n = spot_sample(r->scan->flagged, r->d->n, s.seed, want, s.rows);
		if (!s.n) {
			free(s.rows);
			log_spot_checks_free(all, nall);
			snprintf(r->message, sizeof r->message, "spot-check: every example is flagged");
			r->message_error = 1;
			return -1;
		}
		struct err e = { 0 };
		review_write_begin(r);
		int w = log_add_spot_check(r->db, r->scan_id, r->reviewer, s.seed, s.rows, s.n,
					   &s.id, &e);
		review_write_end(r);
		if (w < 0) {
			free(s.rows);
			log_spot_checks_free(all, nall);
			snprintf(r->message, sizeof r->message, "NOT SAVED: %.480s", e.msg);
			r->message_error = 1;
			return -1;
		}
		s.reviewer = (char *)r->reviewer;
		show(r, &s);
		free(s.rows);
		t->nspots++;
		how = "new sample, recorded";
	}
	log_spot_checks_free(all, nall);
	t->source = SRC_SPOT;
	review_clear_filter(r);         /* the sample as drawn */
	review_rebuild(r);
	r->cursor = 0;
	review_next_undecided(r);
	announce(r, how);
	return 0;
}

static enum spot_outcome outcome(const struct review *r, size_t row)
{
	long w = r->win[row];
	if (w < 0)
		return SPOT_OPEN;
	const struct log_decision *d = &r->dec[w];
	if (d->action == LOG_UNSURE)
		return SPOT_UNSURE;
	if (d->action == LOG_EXCLUDE || !d->label)
		return SPOT_CHANGED;
	return strcmp(d->label, dataset_cell(r->d, row, (size_t)r->d->label_col)) ?
	       SPOT_CHANGED : SPOT_SAME;
}

int review_spot_estimate(struct review *r, struct spot_estimate *est)
{
	struct review_tools *t = review_tools(r);
	if (!t->inited)
		review_rebuild(r);
	memset(est, 0, sizeof *est);
	if (!t->nspots)
		return 0;
	size_t m = 0;
	for (size_t row = 0; row < r->d->n; row++)
		m += (t->mark[row] & MARK_SPOT) != 0;
	enum spot_outcome *o = xmallocarray(m ? m : 1, sizeof *o);
	size_t j = 0;
	for (size_t row = 0; row < r->d->n; row++)
		if (t->mark[row] & MARK_SPOT)
			o[j++] = outcome(r, row);
	spot_estimate(o, m, r->d->n - r->scan->n_flagged, est);
	free(o);
	return 1;
}
