#!/bin/sh
# bench/fuzz-npy.sh [SECONDS] — fuzz the .npy header parser and the row
# conversion with libFuzzer under ASan+UBSan for a bounded time (default
# 60 s), seeded with small arrays of every layout. Needs clang with its
# fuzzer runtime (Debian: clang libclang-rt-14-dev) and python3-numpy for
# the seeds. Run from the top of the source tree.
set -eu
SECS=${1:-60}
OUT=${FUZZ_DIR:-${TMPDIR:-/tmp}/relabel-fuzz-npy}
mkdir -p "$OUT/corpus"
for p in python3 /usr/bin/python3; do
	"$p" - "$OUT/corpus" 2>/dev/null <<'PYEOF' && break
import sys, numpy as np
d = sys.argv[1]
a = np.arange(12, dtype=np.float64).reshape(3, 4) / 16
for t in ("<f8", ">f8", "<f4", ">f2", "<i4", "|u1"):
    np.save("%s/%s.npy" % (d, t.strip("<>|")), a.astype(t))
np.save("%s/F.npy" % d, np.asfortranarray(a))
np.save("%s/y.npy" % d, np.arange(5, dtype=">i2"))
with open("%s/v3.npy" % d, "wb") as f:
    np.lib.format.write_array(f, a, version=(3, 0))
PYEOF
done
clang -g -O1 -fsanitize=fuzzer,address,undefined $(printf -- "-I%s " src/*/) -o "$OUT/fuzz_npy" \
	tests/fuzz_npy.c src/loader/numpyfile.c src/base/err.c src/base/util.c src/base/sanitize.c src/base/textwidth.c src/base/utf8.c -lz -lm
"$OUT/fuzz_npy" -max_total_time="$SECS" -max_len=4096 -print_final_stats=1 \
	"$OUT/corpus" 2>&1 | tail -8
