/* review.h — a review session: the queue of flagged examples and every
 * operation the review screen offers, with no drawing (the screen and the
 * headless script front end both drive it).
 *
 * Decisions are written to the corrections log before the session moves
 * on; if a write fails the operation returns -1, the cursor stays and the
 * reason is in review.message. The session borrows the dataset, the scan
 * and the log; it owns its queue and its copy of the decisions.
 */
#ifndef RELABEL_REVIEW_H
#define RELABEL_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "cl.h"
#include "dataset.h"
#include "log.h"

enum review_state { RS_ANY = -1, RS_UNDECIDED = 0, RS_ACCEPTED, RS_RELABELLED,
		    RS_REJECTED, RS_EXCLUDED, RS_UNSURE, RS_DECIDED, RS_STATES };

struct review_tools;

struct review_filter {
	int given, suggested;    /* class index, or -1 for any */
	int state;               /* enum review_state, RS_ANY for any */
};

struct review {
	const struct dataset *d;
	const struct cl_scan *scan;
	struct logdb *db;
	const char *reviewer;
	int expert;              /* second review: the queue is what annotators decided */
	int blind;               /* expert: hide the annotator's decision until deciding */
	struct log_decision *dec;    /* every decision, id order */
	size_t ndec;
	long *win, *win1, *win2; /* per row: deciding decision (all, pass 1, pass 2) or -1 */
	long *rank;              /* per row: position in the scan's ranking, or -1 */
	size_t *queue, qlen;     /* rows shown, in order */
	size_t cursor;           /* index into queue */
	struct review_filter filter;
	char search[128];
	/* A note is written with the next decision (not an undo) on the row the
	 * cursor was on when it was set (note_row); deciding other rows leaves
	 * it pending; setting a new note replaces it. */
	char note[512];
	char message[512];
	int message_error;
	int64_t version, scan_id;
	double started;
	size_t session_decisions;
	int loaded;              /* winners computed once; later reads update them */
	long note_row;           /* the row the pending note belongs to, or -1 */
	struct review_tools *tools;  /* goto, search-all, spot check, bulk, sort (review_tools.h) */
};

int review_open(struct review **out, const struct dataset *d, const struct cl_scan *s,
		struct logdb *db, const char *reviewer, int expert, struct err *e);
/* review_open puts the cursor where this reviewer left off: the first
 * undecided example after their most recent decision (wrapping round), else
 * the first undecided example, else the top. */
void review_free(struct review *r);

/* The row under the cursor, or -1 when the queue is empty. */
long review_row(const struct review *r);
enum review_state review_state_of(const struct review *r, size_t row);
const char *review_state_name(enum review_state s);

void review_move(struct review *r, long delta);   /* clamps at the ends */
void review_top(struct review *r);
void review_bottom(struct review *r);
int review_next_undecided(struct review *r);      /* 0, or -1 if none */

/* Expert with blind set: 1 while the annotator's decision on `row` must stay
 * hidden (no second-pass decision on it yet), else 0. */
int review_annotator_hidden(const struct review *r, size_t row);

/* Record a decision on the cursor's row (label: for relabel), then move to
 * the next example. Returns 0 once the decision is in the log (if re-reading
 * the log afterwards failed, message_error is set and a refresh catches up;
 * the decision must not be recorded again); -1 when nothing was recorded:
 * the cursor and the pending note stay, message says why. review_confirm
 * and review_undo follow the same rule. */
int review_decide(struct review *r, enum log_action a, const char *label);
/* Expert: record the annotator's outcome again as this expert's decision. */
int review_confirm(struct review *r);
int review_skip(struct review *r);
/* Revert this reviewer's most recent decision and go back to it. */
int review_undo(struct review *r);
/* Attach text to the next decision on the cursor's row ("" drops it). */
void review_set_note(struct review *r, const char *text);
int review_commit(struct review *r, const char *message);
/* Re-read decisions other processes recorded; keeps the cursor's row. */
int review_refresh(struct review *r);

/* Filters: "given NAME", "suggested NAME", "state NAME", "pair A B", "clear".
 * Returns -1 with a message for an unknown class or state. */
int review_filter(struct review *r, const char *spec);
void review_filter_pair(struct review *r, int given, int suggested);
/* Describe the active filter ("" when none). */
void review_filter_text(const struct review *r, char *buf, size_t n);
/* Search ids and text, case-insensitive, from the cursor on (dir 1 or -1). */
int review_search(struct review *r, const char *text, int dir);

struct review_progress {
	size_t decided, total;   /* of the flagged examples */
	double per_minute;       /* this session */
};
void review_progress(const struct review *r, struct review_progress *p);

/* Agreement between passes on the outcome (label, or excluded) over the
 * examples decided in both: percent agreement and Cohen's kappa, overall
 * (cls = -1) or for one class (one against the rest). Returns the number of
 * examples compared. */
size_t review_agreement(const struct review *r, int cls, double *agree, double *kappa);

#endif
