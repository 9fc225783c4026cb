#!/bin/sh
# bench/fuzz-png.sh [SECONDS] — fuzz the PNG decoder and the image drawing
# with libFuzzer under ASan+UBSan for a bounded time (default 60 s), seeded
# with the bundled digit images. Needs clang with its fuzzer runtime
# (Debian: clang libclang-rt-14-dev). Run from the top of the source tree.
set -eu
SECS=${1:-60}
OUT=${FUZZ_DIR:-/tmp/relabel-fuzz}
mkdir -p "$OUT/corpus"
cp data/digits/images/0000*.png "$OUT/corpus/" 2>/dev/null || true
clang -g -O1 -fsanitize=fuzzer,address,undefined $(printf -- "-I%s " src/*/) -o "$OUT/fuzz_png" \
	tests/fuzz_png.c src/image/image.c src/ui/imgview.c src/ui/pixelproto.c src/ui/sixel.c src/ui/canvas.c \
	src/base/textwidth.c src/base/err.c src/base/util.c src/base/sanitize.c src/base/utf8.c $(pkg-config --cflags --libs libpng chafa)
"$OUT/fuzz_png" -max_total_time="$SECS" -max_len=65536 -print_final_stats=1 \
	"$OUT/corpus" 2>&1 | tail -15
