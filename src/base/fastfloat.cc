// fastfloat.cc — the one C++ file: fast_float's exact decimal-to-double
// conversion (Eisel–Lemire, with its own exact fallback for hard cases)
// behind a C interface for numparse.c: the whole string, or the mantissa
// and exponent numparse.c has already read. Correctly rounded like glibc's strtod,
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

extern "C" int fastfloat_decimal(uint64_t m, int exp10, const char *s, size_t len,
				 double *out)
{
	// What from_chars does after its own scan when the digits are at most
	// 19 and the Clinger path does not apply: Eisel–Lemire on (w, q), and
	// on an invalid result (power2 < 0) its exact digit comparison, which
	// needs the string, so from_chars. That result cannot come for
	// exponents -27..55 (the product is exact there), the record reader's
	// whole domain; tests check other exponents against strtod.
	using binary = fast_float::binary_format<double>;
	fast_float::adjusted_mantissa am = fast_float::compute_float<binary>(exp10, m);
	if (am.power2 < 0)
		return fastfloat_parse(s, len, out);
	fast_float::to_float(false, am, *out);
	return 0;
}
