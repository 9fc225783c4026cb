/* bench/gentext.c — a synthetic text dataset for the built-in model:
 *   gentext N K DIR -> DIR/data.csv (id,text,label), no probabilities.
 * Each class draws most words from its own vocabulary and the rest from a
 * shared one; 5% of labels are flipped. Deterministic. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long s = 0x2545F4914F6CDD1Dull;

static unsigned long long rnd(void)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return fprintf(stderr, "usage: gentext N K DIR\n"), 2;
	long n = atol(argv[1]), k = atol(argv[2]);
	char path[4096];
	snprintf(path, sizeof path, "%s/data.csv", argv[3]);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fputs("id,text,label\n", f);
	for (long i = 0; i < n; i++) {
		long c = (long)(rnd() % (unsigned long long)k), label = c;
		if (rnd() % 100 < 5)
			label = (long)(rnd() % (unsigned long long)k);
		fprintf(f, "t%ld,\"", i);
		int words = 15 + (int)(rnd() % 30);
		for (int w = 0; w < words; w++) {
			if (rnd() % 100 < 35)
				fprintf(f, "%sw%ldx%llu", w ? " " : "", c, rnd() % 400);
			else
				fprintf(f, "%scommon%llu", w ? " " : "", rnd() % 3000);
		}
		fprintf(f, "\",class%ld\n", label);
	}
	return fclose(f) != 0;
}
