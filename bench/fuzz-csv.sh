#!/bin/sh
# bench/fuzz-csv.sh [SECONDS] — fuzz the CSV loader (DATA.csv and PROBS.csv,
# tests/fuzz_csv.c) and the export path (tests/fuzz_export.c) with
# libFuzzer under ASan+UBSan, SECONDS each (default 60), seeded with the
# cleanlab reference datasets and a few hostile line-end cases. Needs clang
# with its fuzzer runtime (Debian: clang libclang-rt-14-dev). Run from the
# top of the source tree. Exits non-zero when a target crashes (the
# reproducer is left in FUZZ_DIR, default /tmp/relabel-fuzz-csv).
set -eu
SECS=${1:-60}
OUT=${FUZZ_DIR:-/tmp/relabel-fuzz-csv}
mkdir -p "$OUT/csv" "$OUT/export"
# seeds: DATA alone, DATA + PROBS (first byte: options, see fuzz_csv.c)
for d in tests/oracle/p0*; do
	name=$(basename "$d")
	{ printf '\001'; head -c 3000 "$d/data.csv"; printf '\n==\n'; head -c 3000 "$d/probs.csv"; } \
		>"$OUT/csv/$name"
	{ printf '\000'; head -c 3000 "$d/data.csv"; } >"$OUT/csv/$name-data"
	head -c 3000 "$d/data.csv" >"$OUT/export/$name"
done
printf '\001id,label\r1,a\r\n2,"b\rc"\r\r\n==\na,"b\rc"\r0.5,0.5\r0.5,0.5\r' >"$OUT/csv/cr"
printf 'id,text,label\r1,"x,""y""",a\r\r\n\n2,\377,b' >"$OUT/export/cr"
# The whole loader (CSV, .npy, image folders, gzip) and what it calls; the
# one C++ file, fast_float's, is built on its own.
SRC="src/loader/dataset*.c src/loader/numpyfile.c src/base/numparse.c src/base/utf8.c src/base/err.c src/base/util.c
     src/base/sanitize.c src/base/textwidth.c src/base/hash.c src/base/output*.c $OUT/fastfloat.o"
LIBS="$(pkg-config --libs nettle zlib) -lcsv -lpthread -lm"
FLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $(printf -- "-I%s " src/*/)"
clang++ -g -O1 -fsanitize=fuzzer-no-link,address,undefined -std=c++11 -fno-exceptions \
	-fno-rtti $(printf -- "-I%s " src/*/) -c -o "$OUT/fastfloat.o" src/base/fastfloat.cc
# shellcheck disable=SC2086
clang $FLAGS -o "$OUT/fuzz_csv" tests/fuzz_csv.c $SRC $LIBS -lstdc++
# shellcheck disable=SC2086
clang $FLAGS -o "$OUT/fuzz_export" tests/fuzz_export.c $SRC src/log/export.c \
	src/log/effective.c src/log/export_formats.c src/log/log.c src/log/log_[a-z]*.c src/engine/cl_base.c src/engine/cl_par.c $LIBS -lsqlite3 -lstdc++
status=0
for t in csv export; do
	echo "== fuzz_$t, $SECS s"
	TMPDIR=$OUT "$OUT/fuzz_$t" -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUT/crash-$t-" "$OUT/$t" \
		>"$OUT/fuzz_$t.log" 2>&1 || status=1
	grep -E '^(stat::number_of_executed_units|stat::new_units_added|#[0-9]+ *DONE)|ERROR|SUMMARY' \
		"$OUT/fuzz_$t.log" | tail -6
done
[ $status = 0 ] || echo "fuzz-csv: a target failed; see $OUT/fuzz_*.log and $OUT/crash-*"
exit $status
