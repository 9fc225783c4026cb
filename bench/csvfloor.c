/* bench/csvfloor.c — the floor for reading a CSV file: libcsv tokenizing it
 * on one core with callbacks that do nothing but count fields.
 *   csvfloor FILE...   -> prints bytes, fields, seconds and MB/s */
#include <csv.h>
#include <stdio.h>
#include <time.h>

static size_t fields;

static void on_field(void *s, size_t len, void *data)
{
	(void)s, (void)len, (void)data;
	fields++;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	for (int a = 1; a < argc; a++) {
		FILE *f = fopen(argv[a], "rb");
		if (!f) {
			perror(argv[a]);
			return 1;
		}
		struct csv_parser p;
		csv_init(&p, CSV_APPEND_NULL);
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		size_t n, bytes = 0;
		fields = 0;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
			csv_parse(&p, buf, n, on_field, NULL, NULL);
			bytes += n;
		}
		csv_fini(&p, on_field, NULL, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf("%s: %zu bytes, %zu fields, %.3f s, %.0f MB/s\n", argv[a], bytes,
		       fields, s, (double)bytes / 1e6 / s);
		csv_free(&p);
		fclose(f);
	}
	return 0;
}
