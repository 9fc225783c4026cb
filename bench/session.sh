#!/bin/sh
# bench/session.sh — the review session's operations on 10^6 examples
# (about 10^5 flagged), timed without drawing (bench/sessionbench.c): on a
# fresh log, on a log already holding 10^5 decisions (made by
# bench/logbench.c, as bench/log.sh does; reused when present), and with
# every row in the queue (10^6, the scan's --all) for search and moves.
# Run from the top of a built tree:  BENCH_DIR=/tmp/rb bench/session.sh
set -eu
DIR=${BENCH_DIR:-/tmp/relabel-bench}
mkdir -p "$DIR"
LIBS="$(pkg-config --libs sqlite3 nettle ncursesw libpng) -lcsv -lm -lpthread"
cc -O2 -Isrc -I. -o "$DIR/sessionbench" bench/sessionbench.c librelabel.a $LIBS
cc -O2 -Isrc -I. -o "$DIR/logbench" bench/logbench.c librelabel.a $LIBS
cc -O2 -o "$DIR/gen" bench/gen.c
d="$DIR/1000000x10"
mkdir -p "$d"
[ -s "$d/probs.csv" ] || "$DIR/gen" 1000000 10 "$d"
db="$DIR/session-bench.db"
rm -f "$db" "$db-wal" "$db-shm"
echo "== a fresh log"
"$DIR/sessionbench" "$d/data.csv" "$db"
big="$DIR/log-100k.db"   # made by bench/log.sh, else here
[ -s "$big" ] || "$DIR/logbench" "$d/data.csv" "$big" 100000
rm -f "$db" "$db-wal" "$db-shm"
sqlite3 "$big" ".backup '$db'"
echo "== a log holding 10^5 decisions"
"$DIR/sessionbench" "$d/data.csv" "$db"
rm -f "$db" "$db-wal" "$db-shm"
echo "== every row in the queue (10^6), a fresh log"
"$DIR/sessionbench" "$d/data.csv" "$db" all
