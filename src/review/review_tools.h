/* review_tools.h — the review session's power tools (no drawing): go to
 * any example, search the whole dataset, spot-check a seeded sample of the
 * unflagged examples, bulk decisions on the filtered queue (one batch, one
 * undo), unsure, the most confident examples of a class, and sorting the
 * queue.
 *
 * The queue has a source: the flagged examples (the scan's ranking, plus
 * the examples added by hand with goto), the matches of search-all, or the
 * spot-check sample. Filters and the sort apply to whichever is shown;
 * review_tools_back returns to the flagged examples. search-all and
 * spot-check clear the filter when they open their queue. The state lives in
 * review.tools, created on first use and freed by review_free. */
#ifndef RELABEL_REVIEW_TOOLS_H
#define RELABEL_REVIEW_TOOLS_H

#include "review.h"
#include "spotcheck.h"

enum review_source { SRC_FLAGGED, SRC_SEARCH, SRC_SPOT };

/* A bulk action this large reports progress (it takes longer than a
 * keystroke should: about 7-9 us a decision, so 10^4 take about 80 ms;
 * see bench/README.md). */
#define BULK_PROGRESS_MIN 1000
enum review_sort { SORT_RANK, SORT_SCORE, SORT_GIVEN, SORT_SUGGESTED, SORT_CONFIDENCE,
		   SORT_KEYS };

/* Per-row marks (review_tools.mark). */
enum { MARK_HAND = 1, MARK_SPOT = 2, MARK_SCRATCH = 4 };

struct review_tools {
	enum review_source source;
	enum review_sort sort;
	unsigned char *mark;        /* per row: MARK_* bits */
	size_t *hand, nhand;        /* added by hand, in the order added */
	size_t *results, nresults;  /* search-all matches, flagged first */
	size_t nresults_flagged;
	char query[128];
	size_t *sample, nsample;    /* the spot-check sample shown, draw order */
	int64_t spot_id;            /* its id in the log */
	uint64_t spot_seed;
	char spot_by[64];           /* who drew it */
	size_t nspots;              /* samples of this scan in the log */
	char batch[40];             /* the batch id of this session's last bulk action */
	int *class_rank;            /* class index -> position in name order */
	/* The last sorted queue, so a rebuild (after every decision) orders
	 * a subset of it in O(its length) instead of sorting again. */
	size_t *order, norder;
	uint32_t *order_pos;        /* per row: position in order, or UINT32_MAX */
	int order_sort;             /* the key order was sorted by, -1: none */
	unsigned char *order_sel;
	/* Class examples, computed once per class (the scan does not change). */
	size_t (*examples)[16];
	unsigned char *examples_n;  /* per class: how many, 255 = not yet */
	/* search-all's index: per row its id, \001 and its text, ASCII lower
	 * case, row after row; row r starts at fold_at[r]. Built in chunks
	 * while the screen is idle, or all at once by the first search-all. */
	char *fold;
	size_t fold_len, fold_cap, fold_rows;
	uint64_t *fold_at;
	uint64_t fold_count[256];   /* how often each byte occurs in it */
	int inited;
	/* Progress of a bulk action (NULL: none); called every 500 decisions
	 * when more than BULK_PROGRESS_MIN are recorded. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

struct review_tools *review_tools(struct review *r);
void review_tools_free(struct review *r);
/* Called at the end of every queue rebuild: replaces or extends the queue
 * by its source and applies the sort. */
void review_tools_rebuild(struct review *r);
/* "added by hand", "spot check" or NULL: why an unflagged row is listed. */
const char *review_tools_mark(const struct review *r, size_t row);
/* Describe the source and sort for the status bar, in the filter's style
 * (search-all="TEXT", spot-check=#ID, sort=KEY; "" for the defaults). */
void review_tools_source_text(const struct review *r, char *buf, size_t n);
/* Back to the flagged examples (keeps the filter and the sort). */
void review_tools_back(struct review *r);

/* While no key comes: the checkpoint a bulk batch put off (log_idle),
 * else a chunk of search-all's index. Returns 1 if it did either, 0 when
 * nothing is left to do. */
int review_tools_idle(struct review *r);

/* goto ROW|ID: "row N" and "id X" say which; otherwise an exact id, else a
 * row number. An example not in the queue joins it as added by hand (the
 * filter and source are cleared if they hide it). Returns 0 or -1. */
int review_goto(struct review *r, const char *spec);

/* search-all TEXT: ids and text of every example, case-insensitive; the
 * matches become the queue, flagged ones first (in rank order), then the
 * rest by row. Returns the number of matches, -1 when none. */
long review_search_all(struct review *r, const char *text);

/* sort rank|score|given|suggested|confidence. given/suggested: by class
 * name, then rank; confidence: the model's probability of the suggested
 * class, highest first; score: ascending. Returns 0 or -1. */
int review_sort(struct review *r, const char *key);
const char *review_sort_name(enum review_sort s);


/* Undecided examples in the current queue (what bulk would decide). */
size_t review_bulk_count(const struct review *r);
/* bulk accept|reject|exclude: one decision per undecided example of the
 * current queue, all sharing a new batch id, in one transaction. Returns
 * the number recorded, or -1 (nothing recorded, message says why). */
long review_bulk(struct review *r, enum log_action a);
/* undo: the whole batch when this reviewer's last decision belongs to one,
 * else review_undo. */
int review_tools_undo(struct review *r);

/* spot-check [N [SEED]]: with N, draw N unflagged examples (SEED, or a
 * new one) and record the sample; without, reopen this scan's latest
 * sample. The sample becomes the queue. Returns 0 or -1. */
int review_spot_check(struct review *r, const char *spec);
/* The estimate over every sample of this scan. 0 when there is none. */
int review_spot_estimate(struct review *r, struct spot_estimate *est);

/* The examples labelled `cls` that the scan did not flag, highest
 * predicted probability of `cls` first: up to max rows into out. */
size_t review_class_examples(const struct review *r, int cls, size_t *out, size_t max);

/* Internal to the session's files: re-read the log (review.c), load this
 * scan's spot-check samples (review_spot.c). */
int review_load_decisions(struct review *r, struct err *e);
/* Catch up with the log given this session's own decisions just recorded
 * (dec[0..n), consecutive ids, as log_decide_batch fills them): taken as
 * they are when they follow the last decision read, else the log is read
 * (and they are freed). Their strings belong to the session after. dec
 * may be review_decisions_room(r, n): they are then taken in place. */
int review_take_decisions(struct review *r, struct log_decision *dec, size_t n,
			  struct err *e);
/* Room for n more decisions after the session's (valid until the next
 * read of the log), for recording a batch straight into it. */
struct log_decision *review_decisions_room(struct review *r, size_t n);
int spot_load(struct review *r);
void review_clear_filter(struct review *r);

#endif
