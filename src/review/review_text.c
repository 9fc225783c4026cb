/* review_text.c — decisions in words for the review screen: what a
 * decision did ("relabel → nine"), who made it, and what the list's
 * decision column shows for a row (hidden while a blind expert decides,
 * marked when the passes disagree). */
#include <stdio.h>
#include <string.h>

#include "review.h"
#include "sanitize.h"

const char *review_result_label(const struct review *r, const struct log_decision *dd)
{
	(void)r;
	return dd->action == LOG_EXCLUDE || dd->action == LOG_UNDO || !dd->label ? "" : dd->label;
}

void review_decision_text(const struct review *r, const struct log_decision *dd,
			  int with_who, char *buf, size_t n)
{
	char who[80] = "";
	if (with_who && strcmp(dd->reviewer, r->reviewer))
		snprintf(who, sizeof who, "%.60s: ", dd->reviewer);
	const char *label = review_result_label(r, dd);
	const char *given = r->d->class_names[r->d->labels[dd->row]];
	const char *act = log_action_name(dd->action);
	char vis[256];      /* the class name with its edge spaces shown */
	san_class(vis, sizeof vis, label);
	if (!label[0])
		snprintf(buf, n, "%s%s%s", who, act, dd->action == LOG_EXCLUDE ? "" : " (excluded)");
	else if (dd->action == LOG_REJECT || !strcmp(label, given))
		snprintf(buf, n, "%s%s (%s)", who, act, vis);
	else      /* another's, shorter: "alice: relabel nine" */
		snprintf(buf, n, "%s%s%s%s", who, act, who[0] ? " " : " → ", vis);
}

void review_row_text(const struct review *r, size_t row, char *buf, size_t n)
{
	const struct log_decision *dd = review_decision(r, row);
	if (r->expert && !dd && r->win1[row] >= 0 && !review_annotator_hidden(r, row))
		dd = &r->dec[r->win1[row]];   /* not yet reviewed: the annotator's */
	if (!dd || (r->expert && review_annotator_hidden(r, row))) {
		snprintf(buf, n, "·");
		return;
	}
	char text[200];
	review_decision_text(r, dd, 1, text, sizeof text);
	snprintf(buf, n, "%s%s", review_disagrees(r, row) ? "≠ " : "", text);
}
