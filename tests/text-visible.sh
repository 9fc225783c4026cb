#!/bin/sh
# text-visible.sh — what looks alike in print is told apart: class names
# with leading or trailing spaces are shown with "␠" in stats, diff and log,
# while CSV and JSON keep the names exact.
set -u
R=${RELABEL:-./relabel}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
printf 'id,text,label\n1,x,cat\n2,y,cat \n3,z,cat\n4,w,cat \n5,v, cat\n' >"$T/d.csv"
printf 'cat,cat , cat\n0.9,0.05,0.05\n0.2,0.7,0.1\n0.3,0.6,0.1\n0.6,0.3,0.1\n0.1,0.1,0.8\n' >"$T/probs.csv"
"$R" stats "$T/d.csv" >"$T/stats.txt" || say "stats: exit $?"
grep -q '^cat␠  ' "$T/stats.txt" || say "stats does not mark the trailing space of 'cat '"
grep -q '^␠cat  ' "$T/stats.txt" || say "stats does not mark the leading space of ' cat'"
grep -q '^cat   ' "$T/stats.txt" || say "stats marks 'cat' itself"
"$R" stats "$T/d.csv" --format json | grep -q '"cat "' || say "stats json altered the class name"
"$R" decide "$T/d.csv" --row 0 --action relabel --label 'cat ' >/dev/null || say "decide: exit $?"
"$R" diff "$T/d.csv" 0 working | grep -q '^row 0 (id 1): cat -> cat␠$' || say "diff does not show the trailing space"
"$R" log "$T/d.csv" | grep -q 'relabel -> cat␠ by' || say "log does not show the trailing space"
"$R" log "$T/d.csv" --format csv | grep -q ',relabel,cat ,' || say "log csv altered the label"
[ $fail = 0 ] && echo "text-visible: ok"
exit $fail
