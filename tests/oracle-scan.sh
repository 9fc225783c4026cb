#!/bin/sh
# oracle-scan.sh — `relabel scan` reproduces cleanlab 2.9.0's issue lists byte
# for byte on every reference case (tests/oracle/*/expected/issues_*.csv), for
# every --filter-by, including the order of ties; where cleanlab raised, scan
# fails with exit status 2.
set -u
R=${RELABEL:-./relabel}
cd "${top_srcdir:-.}/tests/oracle" || exit 99
fail=0 checked=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for c in p*/; do
	c=${c%/}
	for f in prune_by_noise_rate prune_by_class both confident_learning \
		 predicted_neq_given low_normalized_margin low_self_confidence; do
		exp=$c/expected/issues_$f.csv
		"$R" scan "$c/data.csv" --filter-by "$f" >"$out" 2>/dev/null
		rc=$?
		checked=$((checked + 1))
		if [ -f "$exp" ]; then
			if ! cmp -s "$out" "$exp"; then
				echo "FAIL: $c --filter-by $f differs from $exp (exit $rc)"
				diff "$out" "$exp" | head -5
				fail=1
			fi
		elif [ "$rc" != 2 ]; then
			echo "FAIL: $c --filter-by $f: cleanlab raised, scan exited $rc"
			fail=1
		fi
	done
	exp=$c/expected/issues_prune_by_noise_rate_nm.csv
	if [ -f "$exp" ]; then
		"$R" scan "$c/data.csv" --rank-by normalized_margin >"$out" 2>/dev/null
		cmp -s "$out" "$exp" || { echo "FAIL: $c --rank-by normalized_margin"; fail=1; }
		checked=$((checked + 1))
	fi
done
# Ranked rows are formatted on several threads a block at a time: the
# output is the one thread's byte for byte (more rows than two blocks).
big=$(mktemp -d)
trap 'rm -f "$out"; rm -rf "$big"' EXIT
awk 'BEGIN { print "id,label,text" > "'"$big"'/data.csv"; print "a,b,c" > "'"$big"'/probs.csv"
	s = 7; for (i = 0; i < 150000; i++) {
		s = (s * 1103515245 + 12345) % 2147483648; p = (s % 1000) / 1000 * 0.9 + 0.05
		q = (1 - p) / 2; lab = substr("abc", s % 3 + 1, 1)
		printf "r%d,%s,\"t %d, \"\"q\"\"\"\n", i, lab, i > "'"$big"'/data.csv"
		printf "%.6f,%.6f,%.6f\n", p, q, 1 - p - q > "'"$big"'/probs.csv" } }'
for fmt in csv tsv json; do
	"$R" scan "$big/data.csv" --all --format $fmt --threads 1 >"$big/one"
	"$R" scan "$big/data.csv" --all --format $fmt --threads 3 >"$big/three" 2>/dev/null
	lines=$(wc -l <"$big/one")
	if [ "$lines" -lt 150000 ] || ! cmp -s "$big/one" "$big/three"; then
		echo "FAIL: scan --all --format $fmt on 3 threads differs from 1 ($lines lines)"
		fail=1
	fi
	checked=$((checked + 1))
done

[ "$checked" -ge 120 ] || { echo "FAIL: only $checked comparisons ran"; fail=1; }
[ $fail = 0 ] && echo "oracle-scan: $checked comparisons ok"
exit $fail
