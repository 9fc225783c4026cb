/* effective.h — which decision decides each example's label at a version
 * (pure: no I/O). The rules: only decisions with id <= upto count; an undo
 * reverts the decision it points at; within a pass a later decision
 * supersedes an earlier one; any pass-2 (expert) decision wins over pass-1
 * decisions, whatever their order. */
#ifndef RELABEL_EFFECTIVE_H
#define RELABEL_EFFECTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

/* winner[row] = index into d[] of the deciding decision, or -1 when the
 * given label stands. d[] is in id order. */
void effective_winners(const struct log_decision *d, size_t nd, int64_t upto,
		       size_t nrows, long *winner);

/* The label a winning decision gives (NULL = excluded); `given` when the
 * row has no winner (w < 0). */
const char *effective_label(const struct log_decision *d, long w, const char *given);

#endif
