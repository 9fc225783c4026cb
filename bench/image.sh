#!/bin/sh
# bench/image.sh — moving through the review queue with image previews, per
# keystroke (action + full redraw, RELABEL_SCRIPT_TIMES): on the bundled
# digits (8x8 PNGs) and on 40 generated 1000x1000 RGB PNGs; first visits
# decode, returning visits hit the thumbnail cache, and with pauses between
# keys the next images are decoded ahead of the cursor.
# Run from the top of a built tree:  BENCH_DIR=/tmp/rb bench/image.sh
set -eu
DIR=${BENCH_DIR:-/tmp/relabel-bench}
R=${RELABEL:-$PWD/relabel}
mkdir -p "$DIR/big/img"
cc -O2 -o "$DIR/mkpng" bench/mkpng.c $(pkg-config --cflags --libs libpng)
[ -s "$DIR/big/data.csv" ] || "$DIR/mkpng" 40 1000 "$DIR/big"
summary() {
	sort -k2,2n | awk '{ v[NR] = $2 } END { printf "median %.2f ms, max %.2f ms (n=%d)\n", v[int((NR + 1) / 2)], v[NR], NR }'
}
{ for i in $(seq 30); do echo down; done; for i in $(seq 30); do echo up; done; } >"$DIR/img.script"
# the same walk when the reviewer looks at each example: the screen
# decodes the next images while no key comes
{ echo idle; for i in $(seq 30); do echo down; echo idle; done; } >"$DIR/img-idle.script"
for set in digits big; do
	if [ $set = digits ]; then data=data/digits/noisy/data.csv; else data=$DIR/big/data.csv; fi
	rm -f "${data%.csv}.relabel.db"*
	RELABEL_SCRIPT_TIMES="$DIR/times-$set.txt" "$R" review "$data" --db "$DIR/img-$set.db" \
		--script "$DIR/img.script" --size 120x40 --snapshots "$DIR"
	rm -f "$DIR/img-$set.db"*
	printf '%-7s first visits (down):   ' $set; head -30 "$DIR/times-$set.txt" | summary
	printf '%-7s return visits (up):    ' $set; tail -30 "$DIR/times-$set.txt" | summary
	RELABEL_SCRIPT_TIMES="$DIR/times-idle-$set.txt" "$R" review "$data" --db "$DIR/img-$set.db" \
		--script "$DIR/img-idle.script" --size 120x40 --snapshots "$DIR"
	rm -f "$DIR/img-$set.db"*
	printf '%-7s first visits after a pause (prefetched): ' $set
	grep '^down ' "$DIR/times-idle-$set.txt" | summary
done
