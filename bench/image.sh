#!/bin/sh
# bench/image.sh — moving through the review queue with image previews, per
# keystroke (action + full redraw, RELABEL_SCRIPT_TIMES; the request for
# the next pictures follows the frame, as in the terminal front end): on the bundled digits (8x8 PNGs), on 40 generated
# 1000x1000 RGB PNGs and the same as JPEGs (with ImageMagick's convert), in
# each image mode (MODES, default: symbols blocks sixel kitty iterm; the
# script front end fits pixel pictures to cells of 10x20 pixels and
# encodes them, as the terminal front end would before writing them).
# Walks: keys back to back (first visits, then return visits, which hit
# the picture cache); keys with DWELL ms (default 300) of looking at each
# example in between, while the background worker prepares the next
# examples' pictures and the zoom view; the zoom view entered on 10
# examples, back to back and after a dwell.
# Each figure: wall-clock median and max, CPU median and max of every
# thread of the process, and the median CPU of the UI thread alone.
# Run from the top of a built tree:  BENCH_DIR=/tmp/rb bench/image.sh
set -eu
DIR=${BENCH_DIR:-/tmp/relabel-bench}
R=${RELABEL:-$PWD/relabel}
MODES=${MODES:-symbols blocks sixel kitty iterm}
DWELL=${DWELL:-300}
mkdir -p "$DIR/big/img"
cc -O2 -o "$DIR/mkpng" bench/mkpng.c $(pkg-config --cflags --libs libpng)
[ -s "$DIR/big/data.csv" ] || "$DIR/mkpng" 40 1000 "$DIR/big"
# the same pictures as JPEGs (quality 90), where ImageMagick is installed
SETS="digits big"
if command -v convert >/dev/null; then
	mkdir -p "$DIR/jpeg/img"
	if [ ! -s "$DIR/jpeg/data.csv" ]; then
		for f in "$DIR"/big/img/*.png; do
			b=$(basename "$f" .png)
			convert "$f" -quality 90 "$DIR/jpeg/img/$b.jpg"
		done
		sed 's/\.png,/.jpg,/' "$DIR/big/data.csv" >"$DIR/jpeg/data.csv"
		cp "$DIR/big/probs.csv" "$DIR/jpeg/probs.csv"
	fi
	SETS="$SETS jpeg"
fi
# wall-clock median and max, then the CPU time's (every thread), which a
# busy machine inflates less, then the UI thread's CPU
summary() {
	awk '{ print $2, $3, $4 }' >"$DIR/sum.txt"
	w=$(sort -n "$DIR/sum.txt" | awk '{ v[NR] = $1 } END { printf "median %.2f ms, max %.2f ms", v[int((NR + 1) / 2)], v[NR] }')
	c=$(sort -k2,2n "$DIR/sum.txt" | awk '{ v[NR] = $2 } END { printf "CPU median %.2f ms, max %.2f ms", v[int((NR + 1) / 2)], v[NR] }')
	t=$(sort -k3,3n "$DIR/sum.txt" | awk '{ v[NR] = $3 } END { printf "UI thread CPU median %.2f ms (n=%d)", v[int((NR + 1) / 2)], NR }')
	echo "$w; $c; $t"
}
{ for i in $(seq 30); do echo down; done; for i in $(seq 30); do echo up; done; } >"$DIR/img.script"
# the same walk when the reviewer looks at each example for DWELL ms
{ echo "pause $DWELL"; for i in $(seq 30); do echo down; echo "pause $DWELL"; done; } >"$DIR/img-dwell.script"
# the zoom view, entered and left on each of 10 examples, back to back
{ for i in $(seq 10); do echo zoom; echo key x; echo down; done; } >"$DIR/img-zoom.script"
# and after looking at each example for DWELL ms
{ for i in $(seq 10); do echo "pause $DWELL"; echo zoom; echo key x; echo down; done; } >"$DIR/img-zoom-dwell.script"
for mode in $MODES; do
	for set in $SETS; do
		if [ $set = digits ]; then data=data/digits/noisy/data.csv; else data=$DIR/$set/data.csv; fi
		rm -f "${data%.csv}.relabel.db"*
		run() { # script times
			RELABEL_SCRIPT_TIMES="$DIR/$2" "$R" review "$data" --db "$DIR/img-$set.db" \
				--image="$mode" --script "$DIR/$1" --size 120x40 --snapshots "$DIR" 2>/dev/null
			rm -f "$DIR/img-$set.db"*
		}
		run img.script times-$set.txt
		printf '%-7s %-6s first visits, back to back:   ' $mode $set; grep -v "^first-screen " "$DIR/times-$set.txt" | head -30 | summary
		printf '%-7s %-6s return visits (up):           ' $mode $set; grep -v "^first-screen " "$DIR/times-$set.txt" | tail -30 | summary
		run img-dwell.script times-dwell-$set.txt
		printf '%-7s %-6s first visits, %d ms dwell:   ' $mode $set $DWELL
		grep '^down ' "$DIR/times-dwell-$set.txt" | summary
		run img-zoom.script times-zoom-$set.txt
		printf '%-7s %-6s zoom, back to back:           ' $mode $set
		grep '^zoom ' "$DIR/times-zoom-$set.txt" | summary
		run img-zoom-dwell.script times-zoomd-$set.txt
		printf '%-7s %-6s zoom, %d ms dwell:           ' $mode $set $DWELL
		grep '^zoom ' "$DIR/times-zoomd-$set.txt" | summary
	done
done
