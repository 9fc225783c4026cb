/* review.h — a review session: the queue of flagged examples and every
 * operation the review screen offers, with no drawing (the screen and the
 * headless script front end both drive it).
 *
 * Decisions are written to the corrections log before the session moves
 * on; if a write fails the operation returns -1, the cursor stays and the
 * reason is in review.message. The session borrows the dataset, the scan
 * and the log; it owns its queue and its copies of the decisions and notes.
 * Headers of the other parts: review_queue.c (filters, search, agreement),
 * review_text.c (decisions in words), review_health.c (health with the
 * decisions, per-class progress, reliability).
 */
#ifndef RELABEL_REVIEW_H
#define RELABEL_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "cl.h"
#include "dataset.h"
#include "log.h"

/* The outcome of a row (undecided .. excluded), then filter-only states:
 * decided (any outcome), others (decided by another reviewer in this
 * session's pass), mine (not decided by another reviewer: open or mine),
 * disagree (both passes decided, with different outcomes). */
enum review_state { RS_ANY = -1, RS_UNDECIDED = 0, RS_ACCEPTED, RS_RELABELLED,
		    RS_REJECTED, RS_EXCLUDED, RS_UNSURE, RS_DECIDED, RS_OTHERS, RS_MINE,
		    RS_DISAGREE, RS_STATES };

struct review_tools;

struct review_filter {
	int given, suggested;    /* class index, or -1 for any */
	int state;               /* enum review_state, RS_ANY for any */
};

/* Annotator: of the flagged examples, how many are decided (by anyone),
 * by this reviewer and by others. Expert: of the examples annotators
 * decided (the expert queue), how many this pass decided, and how many of
 * those disagree with the annotator. */
struct review_progress {
	size_t decided, total;
	size_t mine, others, disagree;
	double per_minute;       /* this session */
};

struct review_search_index;   /* review_search.c */

struct review {
	const struct dataset *d;
	const struct cl_scan *scan;
	struct logdb *db;
	const char *reviewer;
	int expert;              /* second review: the queue is what annotators decided */
	int role_expert;         /* the reviewer's role is expert (kept across E) */
	int blind;               /* expert: hide the annotator's decision until deciding */
	struct log_decision *dec;    /* every decision, id order */
	size_t ndec, dec_cap;     /* dec_cap: room allocated (it grows by doubling) */
	/* Per-row arrays are 32-bit (review_open refuses more rows, the log
	 * more decisions): at 10^7 rows each is 40 MB of fresh pages. */
	int32_t *win, *win1, *win2; /* per row: deciding decision (all, pass 1, pass 2) or -1 */
	int32_t *rank;           /* per row: position in the scan's ranking, or -1 */
	/* per ranked position i: [2i] the given class, [2i+1] the suggested
	 * one (a filter's pass reads them in order, not at random rows) */
	int32_t *ranked_classes;
	size_t *queue, qlen;     /* rows shown, in order */
	size_t cursor;           /* index into queue */
	struct review_filter filter;
	char search[128];
	struct log_note *notes;  /* every note, id order (a record of its own) */
	size_t nnotes;
	char message[512];
	int message_error;
	int64_t version, scan_id;
	double started;
	size_t session_decisions;
	int loaded;              /* winners computed once; later reads update them */
	size_t last_read;        /* decisions the latest read of the log appended */
	struct review_tools *tools;  /* goto, search-all, spot check, bulk, sort (review_tools.h) */
	/* the queue's other sources and its sort, run by each rebuild
	 * (review_tools_rebuild, set by review_open) */
	void (*rebuild_sources)(struct review *r);
	int queue_plain;         /* set by each rebuild: the flagged rows alone, in rank order */
	/* Kept up to date by each log read (review_count.c), never rescanned: */
	int32_t *row_last;       /* per row: its newest decision (index), or -1 */
	long *prev_on_row;       /* per decision: the row's decision before it, or -1 */
	struct review_progress prog[2];   /* counts of the annotator's, the expert's view */
	size_t *class_decided;   /* per given class: flagged rows decided */
	size_t *pairs;           /* (k+1)^2: outcome in pass 1 x pass 2 (k = excluded) */
	struct review_search_index *sindex;   /* built at the first search */
	/* Called (once set) around each write to the log: the scan being
	 * recorded meanwhile must have its row in it first, and its recording
	 * waits while the session writes (cmd_review.c). */
	void (*before_write)(struct review *r);
	void (*after_write)(struct review *r);
	void *write_hook_ctx;
};

/* Every write of the session's to the log goes between these two (the
 * hooks above; scan_id is the recorded scan's once the first returns). */
void review_write_begin(struct review *r);
void review_write_end(struct review *r);

int review_open(struct review **out, const struct dataset *d, const struct cl_scan *s,
		struct logdb *db, const char *reviewer, int expert, struct err *e);
/* The queue holds every flagged example, also those another reviewer
 * decided (marked with their decision; "state others" / "state mine" show
 * or hide them); an expert's queue holds what annotators decided.
 * review_open puts the cursor where this reviewer left off: the first
 * undecided example after their most recent decision (wrapping round), else
 * the first undecided example, else the top. */
void review_free(struct review *r);

/* The row under the cursor, or -1 when the queue is empty. */
long review_row(const struct review *r);
/* Index of the decision with log id `id` in r->dec (id order), or -1. */
long review_find_decision(const struct review *r, int64_t id);
/* Where ranked row `row` stands, or would stand, among the first qr queue
 * positions when they hold ranked rows in rank order (binary search;
 * review_row.c). */
size_t review_rank_place(const struct review *r, size_t qr, size_t row);
/* Whether a row is in a decision state filter (RS_ANY, a state, or the
 * groups decided / others / mine / disagree). */
int review_state_matches(const struct review *r, size_t row, int state);
/* Rebuild the queue from its source, the filter and the sort (the cursor
 * clamped to it; review_queue.c): after any change of them. */
void review_rebuild(struct review *r);
/* The same after a change of one row's decisions only: the row taken out
 * of the queue or put back, when that is all that can change. */
void review_requeue_row(struct review *r, size_t row);
enum review_state review_state_of(const struct review *r, size_t row);
const char *review_state_name(enum review_state s);

void review_move(struct review *r, long delta);   /* clamps at the ends */
void review_top(struct review *r);
void review_bottom(struct review *r);
int review_next_undecided(struct review *r);      /* 0, or -1 if none */

/* Expert with blind set: 1 while the annotator's decision on `row` must stay
 * hidden (no second-pass decision on it yet), else 0. */
int review_annotator_hidden(const struct review *r, size_t row);

/* The decision that decides `row` for this session's pass (an expert's:
 * the second pass's), or NULL. */
const struct log_decision *review_decision(const struct review *r, size_t row);
/* 1 when another reviewer's decision decides `row` in this session's pass. */
int review_by_other(const struct review *r, size_t row);
/* 1 when both passes decided `row` and their outcomes differ. */
int review_disagrees(const struct review *r, size_t row);
/* The resulting label of a decision ("" for exclude and undo). */
const char *review_result_label(const struct review *r, const struct log_decision *dd);
/* A decision in words: "relabel → nine", "reject (five)", "exclude",
 * "confirm → six"; with_who and by another reviewer: "alice: relabel nine". */
void review_decision_text(const struct review *r, const struct log_decision *dd,
			  int with_who, char *buf, size_t n);
/* What the list's decision column shows for `row`: "·" while open (or
 * while a blind expert must not see it), the decision otherwise, marked
 * "≠ " when the passes disagree. */
void review_row_text(const struct review *r, size_t row, char *buf, size_t n);
/* Record a decision on the cursor's row (label: for relabel), then move to
 * the next example. Returns 0 once the decision is in the log (if re-reading
 * the log afterwards failed, message_error is set and a refresh catches up;
 * the decision must not be recorded again); -1 when nothing was recorded:
 * the cursor stays, message says why. review_confirm
 * and review_undo follow the same rule. */
int review_decide(struct review *r, enum log_action a, const char *label);
/* Expert: confirm the annotator's outcome, recorded as a 'confirm'
 * decision of the second pass carrying that outcome's label. */
int review_confirm(struct review *r);
/* unsure: record that the reviewer cannot tell (the given label stays; the
 * example goes to the expert's queue). */
int review_unsure(struct review *r);
int review_skip(struct review *r);
/* Revert this reviewer's most recent decision and go back to it. */
int review_undo(struct review *r);
/* Record a note on the cursor's example at once, attached to its latest
 * decision if any (decided or not, at any time). Returns 0 once saved, -1
 * (message says why) when nothing was recorded. */
int review_set_note(struct review *r, const char *text);
/* The notes on `row`, newest first: writes up to max pointers, returns how
 * many there are in all. Decisions' own notes (relabel decide --note) are
 * in their decision. */
size_t review_notes_of(const struct review *r, size_t row, const struct log_note **out,
		       size_t max);
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

/* Annotator: of the flagged examples, how many are decided (by anyone),
 * by this reviewer and by others. Expert: of the examples annotators
 * decided (the expert queue), how many this pass decided, and how many of
 * those disagree with the annotator. struct review_progress is above. */
void review_progress(const struct review *r, struct review_progress *p);

/* Agreement between passes on the outcome (label, or excluded) over the
 * examples decided in both: percent agreement and Cohen's kappa, overall
 * (cls = -1) or for one class (one against the rest). Returns the number of
 * examples compared. */
size_t review_agreement(const struct review *r, int cls, double *agree, double *kappa);
/* Examples decided in both passes whose outcome in either pass is `cls`;
 * *agreeing (may be NULL): how many of them both passes decided alike. */
size_t review_agreement_count(const struct review *r, int cls, size_t *agreeing);

/* review_count.c: the counts above. review_count_row adds (sign 1) or
 * takes away (-1) one row's share; review_count_all recounts every row. */
void review_count_row(struct review *r, size_t row, int sign);
void review_count_all(struct review *r);
void review_count_free(struct review *r);
/* Outcome code of a decision (index into r->dec): class index, or k for
 * excluded. */
int review_outcome(const struct review *r, long w);
/* review_search.c: the queue position of the next (dir >= 0) or previous
 * example, cyclically from the cursor, whose id or text holds `needle`
 * (lower case, ASCII case folded in the data), or -1; and the memory of its
 * index. */
long review_search_find(struct review *r, const char *needle, int dir);
/* Build up to `rows` more of the index ahead of a search (while the screen
 * waits for keys); 1 while there was something left to do, else 0. */
int review_search_prepare(struct review *r, size_t rows);
/* Build the index of the scan's ranked rows on a thread of its own now
 * (the screen calls it as it opens); a search waits for what is left. */
void review_search_start(struct review *r);
/* Wait until that thread (if any) has finished. */
void review_search_settle(struct review *r);
void review_search_free(struct review *r);

/* Health (cleanlab's overall_label_health_score) with the decisions so far
 * applied: decided labels, excluded rows left out (*n_kept rows remain).
 * -1 with e set where cleanlab would refuse. review_health.c. */
int review_health_after(const struct review *r, double *health, size_t *n_kept,
			struct err *e);
/* Per given class (k entries each): flagged examples, and how many of them
 * are decided (by anyone, any pass). */
void review_class_progress(const struct review *r, size_t *flagged, size_t *decided);
/* Flagged examples with this given and suggested class. */
size_t review_cell_flagged(const struct review *r, int given, int suggested);
/* Why confident learning may be unreliable on this data ("" when no
 * reason): a class with fewer than 10 examples, or a model accuracy
 * (accuracy < 0: that of the probabilities' argmax, the scan's suggested
 * labels when given, else computed) near chance (within 0.05 of always
 * guessing the commonest class). */
void review_reliability(const struct dataset *d, const int *suggested, double accuracy,
			char *buf, size_t n);

#endif
