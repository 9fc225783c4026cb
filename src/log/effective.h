/* effective.h — which decision decides each example's label at a version
 * (pure: no I/O). The rules: only decisions with id <= upto count; an undo
 * reverts the decision it points at; within a pass a later decision
 * supersedes an earlier one; any pass-2 (expert) decision wins over pass-1
 * decisions, whatever their order. A 'confirm' is a pass-2 decision whose
 * label is the annotator's outcome it confirms (NULL: excluded); an
 * 'unsure' decides like any other but leaves the given label (so an
 * expert's unsure restores the given label over an annotator's change). */
#ifndef RELABEL_EFFECTIVE_H
#define RELABEL_EFFECTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

/* winner[row] = index into d[] of the deciding decision, or -1 when the
 * given label stands. d[] is in id order; nd < 2^31 (log_read_decisions
 * refuses more). */
void effective_winners(const struct log_decision *d, size_t nd, int64_t upto,
		       size_t nrows, int32_t *winner);

/* The label a winning decision gives (NULL = excluded); `given` when the
 * row has no winner (w < 0) or the winner is 'unsure'. */
const char *effective_label(const struct log_decision *d, long w, const char *given);

#endif
