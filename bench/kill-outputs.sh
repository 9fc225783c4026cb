#!/bin/bash
# bench/kill-outputs.sh — temporary files left by killed exports: N exports
# (-o and --manifest) of a 60,000-row dataset, each killed with SIGKILL
# 10-99 ms after it starts; counts OUT.tmp.* files left beside the outputs,
# outputs that are not complete, and what is left after one more run.
# Run from the top of a built tree:  bench/kill-outputs.sh [N]
# (RELABEL_TEST_NO_TMPFILE=1 measures the named-temporary-file fallback.)
#
# Recorded (60 runs, ext4, 2 cores):
#   before output.c used O_TMPFILE:  4 left after 60 kills, 4 after one more run
#   O_TMPFILE (default):             0 left after 60 kills, 0 after one more run
#   named fallback:                  2 left after 60 kills, 0 after one more run
set -u
R=${RELABEL:-$PWD/relabel}
N=${1:-60}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d" || exit 1
awk 'BEGIN { print "id,text,label"; for (i = 0; i < 60000; i++)
	printf "%d,text of example %d with some words,%s\n", i, i, substr("abc", i % 3 + 1, 1) }' >d.csv
awk 'BEGIN { print "a,b,c"; for (i = 0; i < 60000; i++) print ".6,.3,.1" }' >probs.csv
"$R" decide d.csv --row 7 --action relabel --label c >/dev/null 2>&1
"$R" export d.csv --working -o want.csv 2>/dev/null
cp want.csv out.csv
broken=0
for _ in $(seq 1 "$N"); do
	"$R" export d.csv --working -o out.csv --manifest out.json 2>/dev/null &
	pid=$!
	sleep "0.0$(((RANDOM % 90) + 10))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	cmp -s out.csv want.csv || broken=$((broken + 1))
done
echo "temporary files left after $N kills: $(ls | grep -c '\.tmp\.'); outputs not complete: $broken"
"$R" export d.csv --working -o out.csv --manifest out.json 2>/dev/null
echo "temporary files left after one more run: $(ls | grep -c '\.tmp\.')"
