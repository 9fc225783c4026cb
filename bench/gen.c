/* bench/gen.c — writes a synthetic labelled dataset for benchmarks:
 *   gen N K DIR [short]  ->  DIR/data.csv (id,label) and DIR/probs.csv
 * Probabilities are written %.6f, or with "short" as the shortest decimal
 * that reads back to the same double (up to 17 significant digits, as
 * pandas' to_csv and Python's repr write them).
 * Labels are drawn uniformly, probabilities from a peaked random row around
 * a "true" class that disagrees with the label for about 10% of rows
 * ($GEN_NOISE: another share, 0.12 flags about 10% of rows).
 * Deterministic (fixed seed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state = 88172645463325252ull;

static double urand(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (double)(state >> 11) / 9007199254740992.0;
}

/* The shortest %.*g form of v that strtod reads back as v. */
static void shortest(FILE *f, double v)
{
	char buf[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, f);
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: gen N K DIR [short]\n");
		return 2;
	}
	long n = atol(argv[1]), k = atol(argv[2]);
	int short_digits = argc == 5 && !strcmp(argv[4], "short");
	const char *ns = getenv("GEN_NOISE");
	double noise = ns && *ns ? atof(ns) : 0.1;
	char path[4096];
	snprintf(path, sizeof path, "%s/data.csv", argv[3]);
	FILE *d = fopen(path, "w");
	snprintf(path, sizeof path, "%s/probs.csv", argv[3]);
	FILE *p = fopen(path, "w");
	if (!d || !p || n < 1 || k < 2) {
		fprintf(stderr, "gen: bad arguments or cannot write\n");
		return 1;
	}
	static char buf1[1 << 20], buf2[1 << 20];
	setvbuf(d, buf1, _IOFBF, sizeof buf1);
	setvbuf(p, buf2, _IOFBF, sizeof buf2);
	fputs("id,label\n", d);
	for (long j = 0; j < k; j++)
		fprintf(p, "%sc%ld", j ? "," : "", j);
	fputc('\n', p);
	double *row = malloc((size_t)k * sizeof *row);
	for (long i = 0; i < n; i++) {
		long truth = (long)(urand() * (double)k), label = truth;
		if (urand() < noise)
			label = (long)(urand() * (double)k);
		fprintf(d, "r%ld,c%ld\n", i, label);
		double sum = 0;
		for (long j = 0; j < k; j++)
			sum += row[j] = urand() * (j == truth ? 4.0 + 8.0 * urand() : 1.0);
		for (long j = 0; j < k; j++) {
			if (j)
				fputc(',', p);
			if (short_digits)
				shortest(p, row[j] / sum);
			else
				fprintf(p, "%.6f", row[j] / sum);
		}
		fputc('\n', p);
	}
	free(row);
	return fclose(d) || fclose(p);
}
