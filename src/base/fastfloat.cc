// fastfloat.cc — the one C++ file: fast_float's exact decimal-to-double
// conversion (Eisel–Lemire, with its own exact fallback for hard cases)
// behind a C interface for numparse.c. Correctly rounded like glibc's strtod,
// which stays the safe path (--exact-floats); tests check both agree bit for
// bit.
#include <fast_float/fast_float.h>

#include "fastfloat.h"

extern "C" int fastfloat_parse(const char *s, size_t len, double *out)
{
	double v = 0;
	auto r = fast_float::from_chars(s, s + len, v, fast_float::chars_format::general);
	if (r.ec != std::errc() || r.ptr != s + len)
		return -1;
	*out = v;
	return 0;
}
