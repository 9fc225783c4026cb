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
[ "$checked" -ge 120 ] || { echo "FAIL: only $checked comparisons ran"; fail=1; }
[ $fail = 0 ] && echo "oracle-scan: $checked comparisons ok"
exit $fail
