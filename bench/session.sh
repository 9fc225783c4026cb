#!/bin/sh
# bench/session.sh — the review session's operations on 10^6 examples
# (about 10^5 flagged), timed without drawing (bench/sessionbench.c).
# Run from the top of a built tree:  BENCH_DIR=/tmp/rb bench/session.sh
set -eu
DIR=${BENCH_DIR:-/tmp/relabel-bench}
mkdir -p "$DIR"
cc -O2 -Isrc -I. -o "$DIR/sessionbench" bench/sessionbench.c librelabel.a \
	$(pkg-config --libs sqlite3 nettle ncursesw libpng) -lcsv -lm -lpthread
cc -O2 -o "$DIR/gen" bench/gen.c
d="$DIR/1000000x10"
mkdir -p "$d"
[ -s "$d/probs.csv" ] || "$DIR/gen" 1000000 10 "$d"
db="$DIR/session-bench.db"
rm -f "$db" "$db-wal" "$db-shm"
"$DIR/sessionbench" "$d/data.csv" "$db"
