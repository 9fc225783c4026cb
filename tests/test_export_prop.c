/* test_export_prop.c — export round trip as a property: random CSV files
 * (LF, CRLF, CR and mixed line ends; a BOM; quoted fields holding commas,
 * quotes and line breaks; fields quoted without need; blank lines; no final
 * line end; bytes that are not UTF-8) with random decisions are loaded and
 * exported, and the export must equal, byte for byte, what a deliberately
 * simple reference computes from the generator's own model of the file:
 * unchanged records and everything between records copied as generated,
 * changed records re-quoted minimally with their own line end and the
 * blank lines after them, excluded records dropped with theirs. The
 * manifest must be valid JSON and UTF-8 with matching counts.
 *
 * Usage: test_export_prop [SEED [COUNT]] (default 1 and 300; bench/
 * export-prop.sh runs many more). A failing case is left in the temp
 * directory and its seed printed.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "export.h"
#include "hash.h"
#include "json_min.h"
#include "utf8.h"

static uint64_t seed0 = 1;
static unsigned count = 300;
static char dir[] = "/tmp/relabel-test-export-XXXXXX";

/* splitmix64 */
static uint64_t rs;
static uint64_t rnd(void)
{
	uint64_t z = (rs += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

/* A growing byte string. */
struct buf {
	char *p;
	size_t n, cap;
};
static void add(struct buf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		b->cap = (b->n + len + 1) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}
static void adds(struct buf *b, const char *s) { add(b, s, strlen(s)); }

static const char *const labels[] = { "a", "b", "c,d", "e\"f", "g\nh", "caf\xe9",
				      " sp ", "i\r\nj" };
#define NLABELS (sizeof labels / sizeof labels[0])
static const char *const pieces[] = { "x", "hello", "1.5", " ", ",", "\"", "\n",
				      "\r", "\r\n", "\xff", "\xc3\xa9", "\xe2\x82", "''" };

static const char *line_end(int mode)
{
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	return ends[mode < 3 ? mode : (int)pick(3)];
}

static int needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* The field as generated: quoted when it must be, sometimes when not. */
static void raw_field(struct buf *b, const char *v, int minimal)
{
	if (!needs_quotes(v) && (minimal || pick(4))) {
		adds(b, v);
		return;
	}
	adds(b, "\"");
	for (const char *p = v; *p; p++) {
		add(b, p, 1);
		if (*p == '"')
			add(b, p, 1);
	}
	adds(b, "\"");
}

struct rec {
	char **v;            /* ncols values */
	struct buf raw;      /* the record as generated, without its line end */
	struct buf after;    /* its line end and the blank lines after it */
};

struct model {
	size_t ncols, label_col, n;
	struct buf head;     /* BOM, header, its line end, blank lines */
	struct rec *r;
};

static void gen_value(struct buf *b)
{
	unsigned k = pick(4);
	for (unsigned i = 0; i < k; i++)
		adds(b, pieces[pick(sizeof pieces / sizeof pieces[0])]);
}

static void gen(struct model *m, struct buf *file)
{
	int mode = (int)pick(4);   /* LF, CRLF, CR, mixed */
	memset(m, 0, sizeof *m);
	m->ncols = 1 + pick(4);
	m->label_col = pick((unsigned)m->ncols);
	m->n = 1 + pick(25);
	if (pick(4) == 0)
		adds(&m->head, "\xEF\xBB\xBF");
	for (size_t c = 0; c < m->ncols; c++) {
		char name[16];
		snprintf(name, sizeof name, "c%u", (unsigned)c);
		if (c)
			adds(&m->head, ",");
		raw_field(&m->head, c == m->label_col ? "label" : name, 0);
	}
	adds(&m->head, line_end(mode));
	while (pick(5) == 0)
		adds(&m->head, line_end(mode));
	m->r = calloc(m->n, sizeof *m->r);
	for (size_t i = 0; i < m->n; i++) {
		struct rec *r = &m->r[i];
		r->v = calloc(m->ncols, sizeof *r->v);
		for (size_t c = 0; c < m->ncols; c++) {
			struct buf v = { 0 };
			adds(&v, "");
			if (c == m->label_col)
				adds(&v, labels[pick(NLABELS)]);
			else
				gen_value(&v);
			/* one empty column alone is a blank line, not a record */
			if (m->ncols == 1 && !v.n)
				adds(&v, "x");
			r->v[c] = v.p;
			if (c)
				adds(&r->raw, ",");
			raw_field(&r->raw, v.p, 0);
		}
		adds(&r->after, "");
		if (i + 1 < m->n || pick(3)) {
			adds(&r->after, line_end(mode));
			unsigned blank = pick(8) == 0 ? 2 + pick(8) : pick(5) == 0;
			while (blank--)
				adds(&r->after, line_end(mode));
		}
	}
	adds(file, "");
	add(file, m->head.p, m->head.n);
	for (size_t i = 0; i < m->n; i++) {
		add(file, m->r[i].raw.p, m->r[i].raw.n);
		add(file, m->r[i].after.p, m->r[i].after.n);
	}
}

static void model_free(struct model *m)
{
	for (size_t i = 0; i < m->n; i++) {
		for (size_t c = 0; c < m->ncols; c++)
			free(m->r[i].v[c]);
		free(m->r[i].v);
		free(m->r[i].raw.p);
		free(m->r[i].after.p);
	}
	free(m->r);
	free(m->head.p);
}

/* The reference: the label each row ends with (NULL = excluded), by the
 * plain rules, looked up decision by decision. */
static const char *ref_label(const struct log_decision *d, size_t nd, size_t row,
			     const char *given)
{
	long best1 = -1, best2 = -1;
	for (size_t i = 0; i < nd; i++) {
		if (d[i].row != row || d[i].action == LOG_UNDO)
			continue;
		int undone = 0;
		for (size_t j = 0; j < nd; j++)
			undone |= d[j].action == LOG_UNDO && d[j].undoes == d[i].id;
		if (undone)
			continue;
		if (d[i].pass == 2)
			best2 = (long)i;
		else
			best1 = (long)i;
	}
	long w = best2 >= 0 ? best2 : best1;
	if (w < 0)
		return given;
	return d[w].action == LOG_EXCLUDE ? NULL : d[w].label;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = { 0 };
	char tmp[4096];
	size_t got;
	adds(&b, "");
	while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
		add(&b, tmp, got);
	fclose(f);
	*len = b.n;
	return b.p;
}

static char reviewer[] = "rev";

/* One case; returns 0 if the export is right. */
static int one_case(uint64_t seed)
{
	rs = seed;
	struct model m;
	struct buf file = { 0 };
	gen(&m, &file);
	char data[600], out[600], man[600];
	snprintf(data, sizeof data, "%s/data.csv", dir);
	snprintf(out, sizeof out, "%s/out.csv", dir);
	snprintf(man, sizeof man, "%s/m.json", dir);
	FILE *f = fopen(data, "wb");
	ck_assert(f != NULL);
	fwrite(file.p, 1, file.n, f);
	fclose(f);

	struct dataset_opts o = { .data_path = data, .record_offsets = 1,
				  .allow_missing_probs = 1 };
	struct dataset *d = NULL;
	struct err e = { 0 };
	int ok = 1;
	if (dataset_load(&d, &o, &e) < 0) {
		fprintf(stderr, "seed %llu: load failed: %s\n", (unsigned long long)seed, e.msg);
		ok = 0;
		goto done;
	}
	if (d->n != m.n) {
		fprintf(stderr, "seed %llu: %zu rows loaded, %zu generated\n",
			(unsigned long long)seed, d->n, m.n);
		ok = 0;
		goto done;
	}
	/* random decisions */
	size_t nd = pick(2 * (unsigned)m.n + 1);
	struct log_decision *dec = calloc(nd + 1, sizeof *dec);
	char (*ids)[32] = calloc(nd + 1, sizeof *ids);
	for (size_t i = 0; i < nd; i++) {
		struct log_decision *x = &dec[i];
		x->id = (int64_t)i + 1;
		snprintf(x->uuid, sizeof x->uuid, "00000000-0000-4000-8000-%012zu", i);
		x->row = pick((unsigned)m.n);
		x->reviewer = reviewer;
		/* the example's id as recorded with each decision (no id column:
		 * the row number) */
		snprintf(ids[i], sizeof ids[i], "%zu", x->row);
		x->example_id = ids[i];
		x->pass = pick(4) == 0 ? 2 : 1;
		x->expert = x->pass == 2;
		unsigned a = pick(10);
		const char *given = m.r[x->row].v[m.label_col];
		if (a < 4) {
			x->action = LOG_RELABEL;
			x->label = (char *)labels[pick(NLABELS)];
		} else if (a < 5) {
			x->action = LOG_ACCEPT;
			x->label = (char *)labels[pick(NLABELS)];
		} else if (a < 7) {
			x->action = LOG_REJECT;
			x->label = (char *)given;
		} else if (a < 9) {
			x->action = LOG_EXCLUDE;
		} else {
			/* undo a live, earlier non-undo decision on this row */
			x->action = LOG_UNDO;
			for (size_t j = i; j-- > 0;) {
				int undone = 0;
				for (size_t k = 0; k < i; k++)
					undone |= dec[k].action == LOG_UNDO && dec[k].undoes == dec[j].id;
				if (dec[j].row == x->row && dec[j].action != LOG_UNDO && !undone) {
					x->undoes = dec[j].id;
					break;
				}
			}
			if (!x->undoes)
				x->action = LOG_EXCLUDE;
		}
	}
	/* the reference export */
	struct buf want = { 0 };
	size_t changed = 0, excluded = 0;
	adds(&want, "");
	add(&want, m.head.p, m.head.n);
	for (size_t i = 0; i < m.n; i++) {
		const char *given = m.r[i].v[m.label_col];
		const char *l = ref_label(dec, nd, i, given);
		if (!l) {
			excluded++;
			continue;
		}
		if (!strcmp(l, given)) {
			add(&want, m.r[i].raw.p, m.r[i].raw.n);
		} else {
			changed++;
			for (size_t c = 0; c < m.ncols; c++) {
				if (c)
					adds(&want, ",");
				raw_field(&want, c == m.label_col ? l : m.r[i].v[c], 1);
			}
		}
		add(&want, m.r[i].after.p, m.r[i].after.n);
	}
	char sha[65];
	ck_assert(hash_file_sha256(data, sha, NULL, &e) == 0);
	struct export_req req = { .d = d, .data_sha256 = sha, .dec = dec, .ndec = nd,
				  .upto = INT64_MAX, .version = -1, .out_path = out,
				  .manifest_path = man };
	struct export_counts n;
	if (export_write(&req, &n, &e) < 0) {
		fprintf(stderr, "seed %llu: export failed: %s\n", (unsigned long long)seed, e.msg);
		ok = 0;
	}
	size_t glen = 0, mlen = 0;
	char *got = ok ? slurp(out, &glen) : NULL;
	if (ok && (!got || glen != want.n || memcmp(got, want.p, glen))) {
		fprintf(stderr, "seed %llu: export differs from the reference (%zu bytes, "
			"want %zu)\n", (unsigned long long)seed, glen, want.n);
		ok = 0;
	}
	char *mj = ok ? slurp(man, &mlen) : NULL;
	struct jv *j = mj ? jv_parse(mj) : NULL;
	if (ok && (!j || utf8_first_bad(mj, mlen) != mlen)) {
		fprintf(stderr, "seed %llu: the manifest is not valid JSON/UTF-8\n",
			(unsigned long long)seed);
		ok = 0;
	}
	if (ok) {
		const struct jv *in = jv_get(j, "rows_in"), *ro = jv_get(j, "rows_out"),
				*ch = jv_get(j, "changed"), *ex = jv_get(j, "excluded"),
				*list = jv_get(j, "changes");
		if (!in || !ro || !ch || !ex || !list || in->num != (double)m.n ||
		    ro->num != (double)(m.n - excluded) || ch->num != (double)changed ||
		    ex->num != (double)excluded || list->n != changed + excluded ||
		    n.changed != changed || n.excluded != excluded) {
			fprintf(stderr, "seed %llu: manifest counts differ (want %zu changed, "
				"%zu excluded of %zu)\n", (unsigned long long)seed, changed,
				excluded, m.n);
			ok = 0;
		}
	}
	jv_free(j);
	free(mj);
	free(got);
	free(want.p);
	free(dec);
	free(ids);
done:
	dataset_free(d);
	model_free(&m);
	free(file.p);
	return ok ? 0 : -1;
}

START_TEST(test_export_matches_reference)
{
	unsigned bad = 0;
	for (unsigned i = 0; i < count; i++)
		if (one_case(seed0 * 1000003u + i) < 0 && bad++ == 0)
			fprintf(stderr, "first failing case: seed %llu (files in %s)\n",
				(unsigned long long)(seed0 * 1000003u + i), dir);
	ck_assert_msg(bad == 0, "%u of %u random exports differ from the reference", bad, count);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc > 1)
		seed0 = strtoull(argv[1], NULL, 10);
	if (argc > 2)
		count = (unsigned)strtoul(argv[2], NULL, 10);
	if (!mkdtemp(dir))
		return 99;
	Suite *s = suite_create("export-property");
	TCase *tc = tcase_create("roundtrip");
	tcase_add_test(tc, test_export_matches_reference);
	tcase_set_timeout(tc, 0);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (!failed) {
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			failed++;
	}
	return failed ? 1 : 0;
}
