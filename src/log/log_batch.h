/* log_batch.h — recording many decisions at once: a bulk action's
 * decisions (and the undo of a whole batch) in one transaction, sharing a
 * batch id, so the batch is in the log entirely or not at all. */
#ifndef RELABEL_LOG_BATCH_H
#define RELABEL_LOG_BATCH_H

#include "log.h"

/* A new batch id (a random UUID). */
void log_new_batch_id(char buf[37]);

/* Record nds[0..n) in one transaction, each with batch id `batch`. An undo
 * must name its target (undoes > 0). progress (may be NULL) is called
 * every 500 decisions and at the end with (done, n). out (may be NULL)
 * receives, once committed, the n decisions as log_list would read them
 * back (ids consecutive; free with log_decisions_free's rules), so that a
 * reader of the log need not read them again. */
int log_decide_batch(struct logdb *db, const struct log_new_decision *nds, size_t n,
		     const char *batch, void (*progress)(void *ctx, size_t done, size_t total),
		     void *ctx, struct log_decision *out, struct err *e);

#endif
