#!/bin/sh
# bench/first-screen.sh — `relabel review`'s time to its first screen (load,
# scan, log, session, first frame: RELABEL_SCRIPT_TIMES' first-screen line)
# next to `relabel scan`'s whole run on the same data, alternating, RUNS
# times each; first with a fresh log (the scan's issues are recorded), then
# with the log from the run before. CPU is every thread's user + system
# time (the review's up to its first frame: the line's third field).
# Run from the top of a built tree:
#   BENCH_DIR=/tmp/rb bench/first-screen.sh [SIZES]   (default 1000000x10 10000000x10)
set -eu
R=${RELABEL:-$PWD/relabel}
DIR=${BENCH_DIR:-/tmp/relabel-bench}
RUNS=${RUNS:-3}
SIZES=${*:-"1000000x10 10000000x10"}
mkdir -p "$DIR"
${CC:-cc} -O2 -o "$DIR/gen" bench/gen.c
echo down >"$DIR/first-screen.script"
for size in $SIZES; do
	n=${size%x*} k=${size#*x}
	d="$DIR/$size"
	mkdir -p "$d"
	[ -s "$d/probs.csv" ] || "$DIR/gen" "$n" "$k" "$d"
	cat "$d/data.csv" "$d/probs.csv" >/dev/null
	echo "== N=$n K=$k (load $(cut -d' ' -f1 /proc/loadavg))"
	for i in $(seq "$RUNS"); do
		for fresh in yes no; do
			[ $fresh = yes ] && rm -f "$d/data.relabel.db" "$d/data.relabel.db-wal" "$d/data.relabel.db-shm"
			RELABEL_SCRIPT_TIMES="$DIR/fs.times" /usr/bin/time -f '%M' -o "$DIR/fs.rss" \
				"$R" review "$d/data.csv" --script "$DIR/first-screen.script" \
				--size 120x40 --snapshots "$DIR" >/dev/null
			first=$(awk '$1 == "first-screen" { print $2 / 1000 }' "$DIR/fs.times")
			fcpu=$(awk '$1 == "first-screen" { print $3 / 1000 }' "$DIR/fs.times")
			/usr/bin/time -f '%e %M %U %S' -o "$DIR/scan.time" "$R" scan "$d/data.csv" >/dev/null
			read -r scan srss su ss <"$DIR/scan.time"
			awk -v f="$first" -v fc="$fcpu" -v s="$scan" -v sc="$(echo "$su + $ss" | bc)" -v fr=$fresh \
			    -v rr="$(cat "$DIR/fs.rss")" -v sr="$srss" 'BEGIN {
				printf "   %-9s review first screen %6.2f s (%5.2f s CPU, %5.0f MB)   scan %6.2f s (%5.2f s CPU, %5.0f MB)   ratio %.2f (CPU %.2f)\n",
				fr == "yes" ? "fresh log" : "same log", f, fc, rr / 1024, s, sc, sr / 1024, f / s, fc / sc }'
		done
	done
done
