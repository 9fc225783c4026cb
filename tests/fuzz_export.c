/* fuzz_export.c — libFuzzer target for the export path: the input is a
 * DATA.csv (loaded without probabilities); the bytes also seed a list of
 * decisions. Properties checked (abort on failure): with no decisions the
 * export equals the input byte for byte; with the decisions it loads back
 * with rows_out rows, the labels the decisions give, and the other cells as
 * they were. Built and run by bench/fuzz-csv.sh. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dataset.h"
#include "effective.h"
#include "export.h"
#include "hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[80];

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		abort();
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)len + 1);
	if (fread(p, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	*n = (size_t)len;
	return p;
}

static void put(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static const char *const labels[] = { "a", "b,c", "d\"e", "f\r\ng" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%.30s/relabel-fuzz-export-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir))
			abort();
	}
	char in[128], out[128], out2[128], man[128];
	snprintf(in, sizeof in, "%s/in.csv", dir);
	snprintf(out, sizeof out, "%s/out.csv", dir);
	snprintf(out2, sizeof out2, "%s/out2.csv", dir);
	snprintf(man, sizeof man, "%s/m.json", dir);
	put(in, data, size);
	struct dataset_opts o = { .data_path = in, .allow_missing_probs = 1,
				  .record_offsets = 1 };
	struct dataset *d = NULL;
	struct err e = { 0 };
	if (dataset_load(&d, &o, &e) < 0)
		return 0;
	char sha[65];
	if (hash_file_sha256(in, sha, NULL, &e) < 0)
		abort();
	/* no decisions: the same bytes */
	struct export_req r = { .d = d, .data_sha256 = sha, .upto = INT64_MAX,
				.version = -1, .out_path = out, .manifest_path = man };
	struct export_counts n;
	if (export_write(&r, &n, &e) < 0)
		abort();
	size_t glen;
	char *got = slurp(out, &glen);
	if (glen != size || memcmp(got, data, size))
		abort();
	free(got);
	/* decisions seeded by the bytes */
	size_t nd = d->n < 64 ? d->n : 64;
	struct log_decision *dec = calloc(nd + 1, sizeof *dec);
	char rev[] = "fuzz";
	char (*ids)[32] = calloc(nd + 1, sizeof *ids);
	for (size_t i = 0; i < nd; i++) {
		unsigned b = data[(i * 7) % size];
		dec[i].id = (int64_t)i + 1;
		dec[i].row = (b * 31u + i) % d->n;
		dec[i].reviewer = rev;
		dec[i].example_id = (char *)dataset_id(d, dec[i].row, ids[i]);
		dec[i].pass = 1;
		dec[i].action = b % 3 == 0 ? LOG_EXCLUDE : LOG_RELABEL;
		dec[i].label = b % 3 == 0 ? NULL : (char *)labels[b % 4];
	}
	r.dec = dec;
	r.ndec = nd;
	r.out_path = out2;
	if (export_write(&r, &n, &e) < 0)
		abort();
	int32_t *win = malloc(d->n * sizeof *win);
	effective_winners(dec, nd, INT64_MAX, d->n, win);
	struct dataset_opts o2 = { .data_path = out2, .allow_missing_probs = 1 };
	struct dataset *d2 = NULL;
	if (n.rows_out == 0) {
		free(ids);
		free(win);
		free(dec);
		dataset_free(d);
		return 0;
	}
	if (dataset_load(&d2, &o2, &e) < 0 || d2->n != n.rows_out || d2->ncols != d->ncols)
		abort();
	size_t j = 0;
	for (size_t i = 0; i < d->n; i++) {
		const char *given = dataset_cell(d, i, (size_t)d->label_col);
		const char *l = effective_label(dec, win[i], given);
		if (!l)
			continue;
		for (size_t c = 0; c < d->ncols; c++)
			if (strcmp(dataset_cell(d2, j, c),
				   (int)c == d->label_col ? l : dataset_cell(d, i, c)))
				abort();
		j++;
	}
	dataset_free(d2);
	free(ids);
	free(win);
	free(dec);
	dataset_free(d);
	return 0;
}
