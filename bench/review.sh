#!/bin/sh
# bench/review.sh — the review screen on 10^6 examples (about 10^5 flagged),
# driven by the headless front end: time from the end of the scan to the
# first screen, and the time of each action including the redraw
# (RELABEL_SCRIPT_TIMES), summarised per action as median and max ms; then
# the same script on a log already holding 10^5 decisions when bench/log.sh
# has left one ($BENCH_DIR/log-100k.db).
# Run from the top of a built tree:  BENCH_DIR=/tmp/rb bench/review.sh
# (ROWS=10000000 for 10^7 examples, about 840,000 flagged; GEN_NOISE=0.12
# beside it for 1,001,578 flagged, the "10^6 flagged" of the targets).
set -eu
DIR=${BENCH_DIR:-/tmp/relabel-bench}
R=${RELABEL:-$PWD/relabel}
mkdir -p "$DIR"
cc -O2 -o "$DIR/gen" bench/gen.c
N=${ROWS:-1000000}
d="$DIR/${N}x10${GEN_NOISE:+n$GEN_NOISE}"
mkdir -p "$d"
[ -s "$d/probs.csv" ] || "$DIR/gen" "$N" 10 "$d"   # gen reads GEN_NOISE
rm -f "$d/data.relabel.db" "$d/data.relabel.db-wal" "$d/data.relabel.db-shm"
s="$DIR/review.script"
{
	for i in $(seq 50); do echo down; done
	for i in $(seq 20); do echo page-down; done
	for i in $(seq 30); do echo accept; echo reject; echo exclude; echo undo; done
	for c in c1 c2 c3 c4 c5; do echo "filter given $c"; echo "filter suggested c0"; echo "filter clear"; done
	for i in $(seq 10); do echo "search r9999$i"; echo search-next; done
	echo "filter state undecided"; echo next-undecided; echo bottom; echo top
} >"$s"
echo "== first screen (load + scan + log + session + first draw), then the script"
/usr/bin/time -f '   whole run %e s wall, %M KB peak' env RELABEL_SCRIPT_TIMES="$DIR/times.txt" \
	"$R" review "$d/data.csv" --script "$s" --size 120x40 --snapshots "$DIR"
"$R" scan "$d/data.csv" >/dev/null
/usr/bin/time -f '   scan alone %e s wall' "$R" scan "$d/data.csv" >/dev/null
summary() {
	grep -v "^first-screen " "$1" | sort -k1,1 -k2,2n | awk '
	{ n[$1]++; v[$1, n[$1]] = $2 }
	END { for (a in n) printf "   %-16s n=%-4d median %7.2f  max %7.2f\n", a, n[a], v[a, int((n[a] + 1) / 2)], v[a, n[a]] }' | sort
}
echo "== per action (ms, action + redraw)"
summary "$DIR/times.txt"
big="$DIR/log-100k.db"
if [ -s "$big" ]; then
	db="$DIR/review-100k.db"
	rm -f "$db" "$db-wal" "$db-shm" "$DIR/times-100k.txt"
	sqlite3 "$big" ".backup '$db'"
	echo "== the same on a log holding 10^5 decisions (per action, ms)"
	/usr/bin/time -f '   whole run %e s wall, %M KB peak' env RELABEL_SCRIPT_TIMES="$DIR/times-100k.txt" \
		"$R" review "$d/data.csv" --db "$db" --reviewer bench --script "$s" --size 120x40 \
		--snapshots "$DIR"
	summary "$DIR/times-100k.txt"
fi
