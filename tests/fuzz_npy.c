/* fuzz_npy.c — libFuzzer target for the .npy reader: any bytes must parse
 * or fail with a reason, and a parsed array must convert every row (or
 * every label) without reading outside the buffer. Built and run by
 * bench/fuzz-npy.sh. */
#include <stdint.h>
#include <stdlib.h>

#include "numpyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct npyfile f;
	struct err e;
	if (npyf_open_mem(&f, "fuzz.npy", data, size, &e) < 0)
		return 0;
	if (f.n && f.k && f.n * f.k <= 1 << 16) {
		if (f.kind == 'f') {
			double *out = malloc(f.k * sizeof *out);
			for (size_t i = 0; i < f.n; i++)
				npyf_rows(&f, i, i + 1, out, &e);
			free(out);
		} else if (f.ndim == 1) {
			int64_t v;
			for (size_t i = 0; i < f.n; i++)
				npyf_ints(&f, i, i + 1, &v, &e);
		}
	}
	npyf_close(&f);
	return 0;
}
