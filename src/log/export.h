/* export.h — writing a cleaned dataset version: DATA.csv byte for byte
 * except the label of changed examples (re-quoted only where needed) and
 * the excluded examples (dropped), in the original order; and a manifest of
 * every change with its provenance. Both files are written atomically. */
#ifndef RELABEL_EXPORT_H
#define RELABEL_EXPORT_H

#include "dataset.h"
#include "log.h"

struct export_req {
	const struct dataset *d;         /* loaded with opts.record_offsets */
	const char *data_sha256;         /* recorded hash the source must match */
	const struct log_decision *dec;  /* all decisions, id order */
	size_t ndec;
	int64_t upto;                    /* decisions with id <= upto apply */
	long version;                    /* for the manifest; < 0 = working */
	const struct log_note *notes;    /* for the manifest (may be NULL): every note */
	size_t nnotes;
	const char *out_path, *manifest_path;   /* manifest may be NULL */
};

struct export_counts {
	size_t rows_in, rows_out, changed, excluded;
};

int export_write(const struct export_req *r, struct export_counts *c, struct err *e);

#endif
