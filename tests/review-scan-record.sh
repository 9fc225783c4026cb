#!/bin/sh
# review-scan-record.sh — the scan a review records while its screen opens
# (in a thread of its own): once the session ends every ranked issue is in
# the log, and a decision made at once names that scan; a session that only
# moves records it too; --rank-by records a second scan, which the
# decisions of that session name; a recording cut off short of its issues
# is recorded anew by the next review, a complete one is not.
set -u
R=${RELABEL:-./relabel}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
cp "${top_srcdir:-.}/data/digits/noisy/data.csv" "${top_srcdir:-.}/data/digits/noisy/probs.csv" "$T/"
q() { sqlite3 "$T/data.relabel.db" "$1"; }
flagged=$("$R" scan "$T/data.csv" | tail -n +2 | wc -l)
[ "$flagged" -gt 10 ] || say "only $flagged flagged"
printf 'accept\n' >"$T/a.script"
RELABEL_REVIEWER=t "$R" review "$T/data.csv" --script "$T/a.script" >/dev/null 2>&1 || say "review exit $?"
[ "$(q 'SELECT count(*) FROM scan')" = 1 ] || say "scans: $(q 'SELECT count(*) FROM scan')"
[ "$(q 'SELECT count(*) FROM issue WHERE scan_id = 1')" = "$flagged" ] ||
	say "issues: $(q 'SELECT count(*) FROM issue') of $flagged"
[ "$(q 'SELECT scan_id FROM decision')" = 1 ] || say "decision's scan: $(q 'SELECT scan_id FROM decision')"
rm -f "$T"/data.relabel.db*
printf 'down\n' >"$T/m.script"
RELABEL_REVIEWER=t "$R" review "$T/data.csv" --script "$T/m.script" >/dev/null 2>&1 || say "review (moves) exit $?"
[ "$(q 'SELECT count(*) FROM issue')" = "$flagged" ] || say "issues after moves: $(q 'SELECT count(*) FROM issue')"
RELABEL_REVIEWER=t "$R" review "$T/data.csv" --rank-by normalized_margin --script "$T/a.script" \
	>/dev/null 2>&1 || say "review --rank-by exit $?"
[ "$(q 'SELECT count(*) FROM scan')" = 2 ] || say "scans after --rank-by: $(q 'SELECT count(*) FROM scan')"
[ "$(q 'SELECT scan_id FROM decision')" = 2 ] || say "--rank-by decision's scan: $(q 'SELECT scan_id FROM decision')"
rm -f "$T"/data.relabel.db*
RELABEL_REVIEWER=t "$R" review "$T/data.csv" --script "$T/a.script" >/dev/null 2>&1 || say "review exit $?"
q "DELETE FROM issue WHERE scan_id = 1 AND rank > 5"   # as a process killed mid-way leaves it
RELABEL_REVIEWER=t "$R" review "$T/data.csv" --script "$T/a.script" >/dev/null 2>&1 ||
	say "review after the cut exit $?"
[ "$(q 'SELECT count(*) FROM scan')" = 2 ] || say "scans after the cut: $(q 'SELECT count(*) FROM scan')"
[ "$(q 'SELECT count(*) FROM issue WHERE scan_id = 2')" = "$flagged" ] ||
	say "issues recorded anew: $(q 'SELECT count(*) FROM issue WHERE scan_id = 2') of $flagged"
[ "$(q 'SELECT group_concat(scan_id) FROM decision')" = 1,2 ] ||
	say "decisions' scans after the cut: $(q 'SELECT group_concat(scan_id) FROM decision')"
RELABEL_REVIEWER=t "$R" review "$T/data.csv" --script "$T/m.script" >/dev/null 2>&1 ||
	say "review after the new record exit $?"
[ "$(q 'SELECT count(*) FROM scan')" = 2 ] || say "a complete scan recorded again: $(q 'SELECT count(*) FROM scan') scans"
exit $fail
