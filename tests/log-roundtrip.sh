#!/bin/sh
# log-roundtrip.sh — decide, commit and export from the command line: the
# export equals the original byte for byte except exactly the decided labels
# (re-quoted only where needed) and the excluded rows; an older version
# re-exports identically; invalid decisions are refused with nothing
# written; a changed source or a log of another dataset is refused.
set -u
R=${RELABEL:-./relabel}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
D=$T/data.csv
printf 'id,text,label\r\nq1,"a ""quoted"", text",cat\r\nq2,plain,dog\r\nq3,"two\r\nlines",cat\r\nq4,x,dog\r\n' >"$D"
printf 'cat,"dog"\n0.1,0.9\n0.2,0.8\n0.7,0.3\n0.6,0.4\n' >"$T/probs.csv"

export RELABEL_REVIEWER=tester
"$R" decide "$D" --id q1 --action accept >/dev/null || say "accept"
"$R" decide "$D" --row 2 --action exclude --note 'two lines?' >/dev/null || say "exclude"
"$R" decide "$D" --row 3 --action relabel --label 'cat' >/dev/null || say "relabel"
"$R" commit "$D" -m "first" >/dev/null || say "commit 1"
"$R" export "$D" -o "$T/v1.csv" --manifest "$T/v1.json" 2>/dev/null || say "export v1"
printf 'id,text,label\r\nq1,"a ""quoted"", text",dog\r\nq2,plain,dog\r\nq4,x,cat\r\n' >"$T/want1.csv"
cmp -s "$T/v1.csv" "$T/want1.csv" || { say "version 1 export differs"; diff "$T/v1.csv" "$T/want1.csv"; }
grep -q '"changed": 2, "excluded": 1' "$T/v1.json" || say "manifest counts"
grep -q '"old": "cat", "new": "dog"' "$T/v1.json" || say "manifest change"

# More work, version 2; version 1 re-exports byte for byte.
"$R" decide "$D" --row 3 --action undo >/dev/null || say "undo"
"$R" decide "$D" --id q2 --action relabel --label cat --role expert --reviewer boss >/dev/null || say "expert"
"$R" decide "$D" --id q2 --action reject >/dev/null || say "annotator after expert"
"$R" commit "$D" -m "second" >/dev/null || say "commit 2"
"$R" export "$D" --version 1 -o "$T/v1again.csv" 2>/dev/null || say "re-export v1"
cmp -s "$T/v1.csv" "$T/v1again.csv" || say "re-export of version 1 is not identical"
"$R" export "$D" -o "$T/v2.csv" --manifest "$T/v2.json" 2>/dev/null || say "export v2"
# each changed row lists its own decisions, in order, and each reviewer once
tr -d '\n' <"$T/v2.json" | grep -q '"row": 1, "id": "q2", "action": "relabel", "old": "dog", "new": "cat", "excluded": false, "decisions": \["[-0-9a-f]*", "[-0-9a-f]*"\], "reviewers": \["boss", "tester"\]}' ||
	say "manifest of version 2: row 1's decisions and reviewers"
printf 'id,text,label\r\nq1,"a ""quoted"", text",dog\r\nq2,plain,cat\r\nq4,x,dog\r\n' >"$T/want2.csv"
cmp -s "$T/v2.csv" "$T/want2.csv" || { say "version 2 export differs"; diff "$T/v2.csv" "$T/want2.csv"; }
"$R" export "$D" --version 0 -o "$T/v0.csv" 2>/dev/null || say "export v0"
cmp -s "$T/v0.csv" "$D" || say "version 0 is not the dataset as given"
"$R" diff "$D" 1 2 | grep -q 'row 1 (id q2): dog -> cat' || say "diff 1 2"

# One csv line per decision; invalid input writes nothing.
n=$("$R" log "$D" --format csv | wc -l)
[ "$n" = 7 ] || say "log csv has $n lines, want 7 (header + 6)"
for bad in "--row 9 --action reject" "--id nope --action reject" \
	   "--row 0 --action relabel" "--row 0 --action relabel --label bird" \
	   "--row 0 --action frobnicate" "--row 0 --action exclude --pass 3"; do
	# shellcheck disable=SC2086
	"$R" decide "$D" $bad >/dev/null 2>"$T/err"; rc=$?
	[ $rc = 2 ] || say "decide $bad: exit $rc, want 2"
done
"$R" decide "$D" --row 2 --action undo >/dev/null 2>&1 || say "undo of the exclusion"
"$R" decide "$D" --row 2 --action undo >/dev/null 2>"$T/err" && say "second undo accepted"
grep -q 'nothing to undo' "$T/err" || say "undo message: $(cat "$T/err")"
n=$("$R" log "$D" --format csv | wc -l)
[ "$n" = 8 ] || say "refused decisions were written ($n lines)"

# A changed source is refused; so is a log of another dataset.
cp "$D" "$T/keep.csv"
sed -i 's/plain/plaiN/' "$D"
"$R" export "$D" -o "$T/x.csv" 2>"$T/err" && say "export from a changed source"
grep -q 'changed' "$T/err" || say "changed-source message: $(cat "$T/err")"
[ -e "$T/x.csv" ] && say "a refused export left a file"
cp "$T/keep.csv" "$D"
mkdir "$T/other"
printf 'id,label\nz,cat\ny,dog\n' >"$T/other/data.csv"
printf 'cat,dog\n1,0\n0,1\n' >"$T/other/probs.csv"
"$R" log "$T/other/data.csv" --db "$T/data.relabel.db" >/dev/null 2>"$T/err" && say "log of another dataset accepted"
printf 'garbage' >"$T/bad.db"
"$R" log --db "$T/bad.db" >/dev/null 2>"$T/err"; rc=$?
[ $rc != 0 ] && grep -q 'bad.db' "$T/err" || say "non-SQLite --db: exit $rc: $(cat "$T/err")"
[ "$(cat "$T/bad.db")" = garbage ] || say "a bad --db file was modified"
# scan --db records the scan and its ranked issues.
"$R" scan "$D" --db "$T/data.relabel.db" >"$T/scan.csv" || say "scan --db"
n=$(sqlite3 "$T/data.relabel.db" "SELECT count(*) FROM issue WHERE scan_id = (SELECT max(id) FROM scan)")
[ "$n" = $(($(wc -l <"$T/scan.csv") - 1)) ] || say "scan --db recorded $n issues"
[ $fail = 0 ] && echo "log-roundtrip: ok"
exit $fail
