#!/bin/sh
# bench/fuzz-jpeg.sh [SECONDS] — fuzz the JPEG decoder (libjpeg-turbo with
# DCT scaling), the PNG/JPEG signature dispatch and the image drawing with
# libFuzzer under ASan+UBSan for a bounded time (default 60 s), seeded with
# the test JPEGs. Needs clang with its fuzzer runtime (Debian: clang
# libclang-rt-14-dev) and libturbojpeg0-dev. Run from the top of the tree.
set -eu
SECS=${1:-60}
OUT=${FUZZ_DIR:-${TMPDIR:-/tmp}/relabel-fuzz-jpeg}
mkdir -p "$OUT/corpus"
cp tests/preview.jpg tests/imageset/*/*.jpg "$OUT/corpus/" 2>/dev/null || true
clang -g -O1 -fsanitize=fuzzer,address,undefined $(printf -- "-I%s " src/*/) -o "$OUT/fuzz_jpeg" \
	tests/fuzz_jpeg.c src/image/image_load.c src/image/image_jpeg.c src/image/image.c src/ui/imgview.c \
	src/ui/pixelproto.c src/ui/sixel.c src/ui/canvas.c src/base/textwidth.c src/base/err.c src/base/util.c src/base/sanitize.c \
	src/base/utf8.c $(pkg-config --cflags --libs libpng libturbojpeg chafa) -lm
"$OUT/fuzz_jpeg" -max_total_time="$SECS" -max_len=65536 -print_final_stats=1 \
	"$OUT/corpus" 2>&1 | tail -15
