#!/bin/sh
# bench/scan.sh — end-to-end time and memory of `relabel scan` on generated
# datasets, next to libcsv's tokenize-only floor and relabel's safe path
# (strtod for every number, one thread). Run from the top of a built tree:
#   bench/scan.sh [SIZES]      SIZES default: "100000x10 1000000x10 1000000x10s 10000000x10 1000000x100"
# A size ending in "s" writes the probabilities as the shortest decimals
# that read back exactly (up to 17 digits, as pandas' to_csv writes them).
# Data goes to ${BENCH_DIR:-/tmp/relabel-bench} (about 1.1 GB at 10^7 x 10).
# Where cleanlab imports (bench/find-cleanlab.sh), its whole job is timed in
# the same run (bench/cleanlab_job.py) and its flagged rows compared.
set -eu
R=${RELABEL:-./relabel}
DIR=${BENCH_DIR:-/tmp/relabel-bench}
SIZES=${*:-"100000x10 1000000x10 1000000x10s 10000000x10 1000000x100"}
CC=${CC:-cc}
mkdir -p "$DIR"
. bench/find-cleanlab.sh
$CC -O2 -o "$DIR/gen" bench/gen.c
$CC -O2 -o "$DIR/csvfloor" bench/csvfloor.c -lcsv
# wall s, user+sys s, peak RSS MB of a command (its output in $DIR/cmd.out)
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$DIR/time.out" "$@" >"$DIR/cmd.out"
	awk '{ printf "%6.2f s wall %6.2f s cpu %7.0f MB peak", $1, $2 + $3, $4 / 1024 }' "$DIR/time.out"
}
for size in $SIZES; do
	n=${size%x*} k=${size#*x} digits=
	case $k in *s) k=${k%s} digits=short ;; esac
	d="$DIR/$size"
	mkdir -p "$d"
	[ -s "$d/probs.csv" ] || "$DIR/gen" "$n" "$k" "$d" $digits
	bytes=$(cat "$d/data.csv" "$d/probs.csv" | wc -c)
	cat "$d/data.csv" "$d/probs.csv" >/dev/null   # warm the page cache
	echo "== N=$n K=$k ($((bytes / 1000000)) MB of CSV; N*K*8 = $((n * k * 8 / 1000000)) MB)"
	echo "   relabel scan          $(measure "$R" scan "$d/data.csv")"
	echo "   safe path (1 thread)  $(measure "$R" scan --exact-floats --threads 1 "$d/data.csv")"
	"$DIR/csvfloor" "$d/data.csv" "$d/probs.csv" | sed 's/^/   libcsv floor: /'
	if [ -n "$PY" ]; then
		echo "   cleanlab process      $(measure "$PY" bench/cleanlab_job.py csv "$d/data.csv" "$d/probs.csv" "$DIR/cleanlab.rows")"
		sed 's/^/   /' "$DIR/cmd.out"
		"$R" scan "$d/data.csv" | tail -n +2 | cut -d, -f2 >"$DIR/relabel.rows"
		cmp -s "$DIR/cleanlab.rows" "$DIR/relabel.rows" &&
			echo "   flagged rows: identical ($(wc -l <"$DIR/relabel.rows"))" ||
			echo "   flagged rows: DIFFERENT from cleanlab's"
	fi
done
