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
LIBS="$(pkg-config --libs sqlite3 nettle ncursesw libpng zlib libturbojpeg chafa) -lcsv -lm -lpthread"
cc -O2 $(printf -- "-I%s " src/*/) -I. -o "$DIR/sessionbench" bench/sessionbench.c librelabel.a $LIBS
cc -O2 $(printf -- "-I%s " src/*/) -I. -o "$DIR/logbench" bench/logbench.c librelabel.a $LIBS
cc -O2 -o "$DIR/gen" bench/gen.c
d="$DIR/1000000x10"
mkdir -p "$d"
[ -s "$d/probs.csv" ] || "$DIR/gen" 1000000 10 "$d"
# The same rows with a text column (8-15 words of a 64-word vocabulary),
# for search-all.
t="$DIR/1000000x10text"
mkdir -p "$t"
[ -s "$t/data.csv" ] || awk -F, 'BEGIN { srand(7); split("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega red green blue cyan magenta yellow black white north south east west up down left right one two three four five six seven eight nine ten apple pear plum fig lime kiwi date sloe oak ash elm yew fir", w, " ") }
	NR == 1 { print $0 ",text"; next }
	{ n = 8 + int(rand() * 8); s = ""; for (i = 0; i < n; i++) s = s (i ? " " : "") w[1 + int(rand() * 64)]; print $0 "," s }' \
	"$d/data.csv" >"$t/data.csv"
cp "$d/probs.csv" "$t/probs.csv"
db="$DIR/session-bench.db"
rm -f "$db" "$db-wal" "$db-shm"
echo "== a fresh log"
"$DIR/sessionbench" "$t/data.csv" "$db"
big="$DIR/log-100k-text.db"   # 10^5 decisions on the text-column copy
[ -s "$big" ] || "$DIR/logbench" "$t/data.csv" "$big" 100000
rm -f "$db" "$db-wal" "$db-shm"
sqlite3 "$big" ".backup '$db'"
echo "== a log holding 10^5 decisions"
"$DIR/sessionbench" "$t/data.csv" "$db"
rm -f "$db" "$db-wal" "$db-shm"
echo "== every row in the queue (10^6), a fresh log"
"$DIR/sessionbench" "$t/data.csv" "$db" all
