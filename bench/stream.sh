#!/bin/sh
# bench/stream.sh — confident learning on .npy probabilities larger than
# memory. Run from the top of a built tree:   bench/stream.sh [BIG_N]
#  1. 10^6 x 100 float64: relabel streamed (--low-memory) and in memory,
#     and cleanlab's exact find_label_issues: the flagged lists compared;
#  2. 10^6 x 345 float16: relabel in memory and streamed, lists compared,
#     and cleanlab's find_label_issues_batched on the memory-mapped file;
#  3. BIG_N (default 10^7) x 345 float16 (6.9 GB; N*K*8 = 27.6 GB): relabel
#     (the streaming path chosen by itself) and find_label_issues_batched.
# Each run: wall, CPU (user+sys), peak RSS. cleanlab runs where it imports
# (bench/find-cleanlab.sh). bench/gennpy.c writes the data, deterministic;
# the first 10^6 rows of the big file are the 10^6 file. Data goes to
# ${BENCH_DIR:-/tmp/relabel-bench}/stream (about 8.5 GB).
set -eu
R=${RELABEL:-./relabel}
DIR=${BENCH_DIR:-/tmp/relabel-bench}/stream
BIG=${1:-10000000}
mkdir -p "$DIR"
. bench/find-cleanlab.sh
cc -O2 -o "$DIR/gennpy" bench/gennpy.c
measure() { # LABEL COMMAND... : one line of figures; output in $DIR/cmd.out
	label=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$DIR/time.out" "$@" >"$DIR/cmd.out"
	awk -v l="$label" '{ printf "   %-34s %7.2f s wall %7.2f s cpu %7.0f MB peak\n", l, $1, $2 + $3, $4 / 1024 }' \
		"$DIR/time.out"
}
rows() { tail -n +2 "$DIR/cmd.out" | cut -d, -f2 >"$1"; }
same() { cmp -s "$1" "$2" && echo "   $3: identical ($(wc -l <"$1") rows)" || echo "   $3: DIFFERENT"; }
gen() { # N K TYPE
	d="$DIR/$1x$2$3"
	mkdir -p "$d"
	[ -s "$d/probs.npy" ] || "$DIR/gennpy" "$1" "$2" "$3" "$d"
	cat "$d/labels.npy" "$d/probs.npy" >/dev/null 2>&1 || :  # warm what fits
}

# relabel on the data set made last, in memory and streamed (or with
# BOTH=no as it chooses), then cleanlab's MODE job; the rows compared
relabel_and_cleanlab() { # MODE CLEANLAB-LABEL BOTH
	if [ "$3" = yes ]; then
		measure "relabel, in memory" "$R" scan --labels "$d/labels.npy" --probs "$d/probs.npy"
		rows "$DIR/memory.rows"
		measure "relabel, streamed" "$R" scan --low-memory --labels "$d/labels.npy" --probs "$d/probs.npy"
		rows "$DIR/streamed.rows"
		same "$DIR/streamed.rows" "$DIR/memory.rows" "streamed vs in memory"
	else
		measure "relabel (streams by itself)" "$R" scan --labels "$d/labels.npy" --probs "$d/probs.npy"
		rows "$DIR/memory.rows"
	fi
	[ -n "$PY" ] || return 0
	measure "cleanlab $2" "$PY" bench/cleanlab_job.py "$1" "$d/labels.npy" "$d/probs.npy" "$DIR/cleanlab.rows"
	sed 's/^/   /' "$DIR/cmd.out"
	same "$DIR/cleanlab.rows" "$DIR/memory.rows" "cleanlab vs relabel"
}

echo "== 10^6 x 100 float64"
gen 1000000 100 f8
relabel_and_cleanlab npy find_label_issues yes

echo "== 10^6 x 345 float16"
gen 1000000 345 f2
relabel_and_cleanlab batched "find_label_issues_batched (approximate)" yes

[ "$BIG" -gt 0 ] || exit 0
echo "== $BIG x 345 float16"
gen "$BIG" 345 f2
relabel_and_cleanlab batched "find_label_issues_batched (approximate)" no
