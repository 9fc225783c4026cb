#!/bin/sh
# bench/log.sh — corrections-log speed: time per recorded decision (fsync
# included) while a log grows to 10^5 decisions on a 10^6-row dataset, and
# export of that dataset with them (with the manifest). The log is kept as
# $BENCH_DIR/log-100k.db for bench/session.sh.
# Run from the top of a built tree:  BENCH_DIR=/tmp/rb bench/log.sh
set -eu
DIR=${BENCH_DIR:-/tmp/relabel-bench}
R=${RELABEL:-./relabel}
N=${DECISIONS:-100000}
mkdir -p "$DIR"
cc -O2 $(printf -- "-I%s " src/*/) -I. -o "$DIR/logbench" bench/logbench.c librelabel.a \
	$(pkg-config --libs sqlite3 nettle ncursesw libpng) -lcsv -lm -lpthread
cc -O2 -o "$DIR/gen" bench/gen.c
d="$DIR/1000000x10"
mkdir -p "$d"
[ -s "$d/probs.csv" ] || "$DIR/gen" 1000000 10 "$d"
db="$DIR/log-100k.db"
rm -f "$db" "$db-wal" "$db-shm"
echo "== $N decisions, one per transaction, synchronous=FULL (10^6-row dataset)"
"$DIR/logbench" "$d/data.csv" "$db" "$N"
echo "== export of 10^6 rows with $N decisions (--working, with manifest)"
/usr/bin/time -f '   %e s wall, %U s user + %S s sys, %M KB peak' "$R" export "$d/data.csv" \
	--db "$db" --working -o "$DIR/export.csv" --manifest "$DIR/export.json"
