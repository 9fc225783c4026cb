#!/bin/sh
# bench/npy.sh — bringing probabilities as NumPy .npy: the load (memory map
# + checks, through dataset_load with labels from y.npy; best of 5 warm) of
# float64 and float32 files, and `relabel scan --labels y.npy --probs p.npy`
# end to end (/usr/bin/time: wall, CPU, peak RSS). Run from the top of a
# built tree:   bench/npy.sh [SIZES]   (default "1000000x10 10000000x10")
# Data goes to ${BENCH_DIR:-/tmp/relabel-bench}/npy-NxK (1.3 GB at 10^7 x 10).
# Where cleanlab imports (bench/find-cleanlab.sh), its np.load +
# find_label_issues + get_label_quality_scores runs in the same loop and the
# flagged rows are compared.
set -eu
R=${RELABEL:-./relabel}
DIR=${BENCH_DIR:-/tmp/relabel-bench}
SIZES=${*:-"1000000x10 10000000x10"}
mkdir -p "$DIR"
. bench/find-cleanlab.sh
LIBS=$(sed -n 's/^ALL_LIBS = //p' Makefile)
cc -O2 $(printf -- "-I%s " src/*/) -I. -o "$DIR/npybench" bench/npybench.c librelabel.a \
	$(pkg-config --libs ncursesw sqlite3 libpng nettle zlib libturbojpeg) -lcsv -lpthread -lm
for size in $SIZES; do
	n=${size%x*} k=${size#*x}
	d="$DIR/npy-$size"
	mkdir -p "$d"
	[ -s "$d/p64.npy" ] || "$DIR/npybench" gen "$n" "$k" "$d"
	cat "$d"/*.npy >/dev/null   # warm the page cache
	echo "== N=$n K=$k (float64 file $(($(wc -c <"$d/p64.npy") / 1000000)) MB)"
	"$DIR/npybench" load "$d" p64.npy | sed 's/^/   /'
	"$DIR/npybench" load "$d" p32.npy | sed 's/^/   /'
	/usr/bin/time -f '%e %U %S %M' -o "$DIR/time.out" "$R" scan --labels "$d/y.npy" \
		--probs "$d/p64.npy" >/dev/null
	awk '{ printf "   relabel scan (float64 .npy): %.2f s wall, %.2f s CPU, %.0f MB peak\n", $1, $2 + $3, $4 / 1024 }' "$DIR/time.out"
	if [ -n "$PY" ]; then
		/usr/bin/time -f '%e %U %S %M' -o "$DIR/time.out" "$PY" bench/cleanlab_job.py npy \
			"$d/y.npy" "$d/p64.npy" "$DIR/cleanlab.rows" | sed 's/^/   /'
		awk '{ printf "   cleanlab process: %.2f s wall, %.2f s CPU, %.0f MB peak\n", $1, $2 + $3, $4 / 1024 }' "$DIR/time.out"
		"$R" scan --labels "$d/y.npy" --probs "$d/p64.npy" | tail -n +2 | cut -d, -f2 >"$DIR/relabel.rows"
		cmp -s "$DIR/cleanlab.rows" "$DIR/relabel.rows" &&
			echo "   flagged rows: identical ($(wc -l <"$DIR/relabel.rows"))" ||
			echo "   flagged rows: DIFFERENT from cleanlab's"
	fi
done
