#!/bin/sh
# log-integrity.sh — the corrections log under hostile conditions, from the
# command line: a lock held by another process (bounded wait, exit 1),
# concurrent undos of one row, another application's SQLite file, empty and
# non-SQLite files, read-only commands that must not create or change a
# log, --force after the data changed (decisions follow their ids), the
# hash chain (log --verify), rows inserted by hand, and a file size limit.
set -u
R=${RELABEL:-./relabel}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
export RELABEL_REVIEWER=tester
D=$T/d.csv
DB=$T/d.relabel.db
printf 'id,text,label\nq1,a,cat\nq2,b,dog\nq3,c,cat\nq4,d,dog\n' >"$D"
printf 'cat,dog\n0.1,0.9\n0.2,0.8\n0.7,0.3\n0.6,0.4\n' >"$T/probs.csv"

# Read-only commands never create a log; neither does a refused decide.
"$R" log "$D" >/dev/null 2>"$T/err"; rc=$?
[ $rc = 2 ] || say "log without a log: exit $rc"
grep -q 'no such corrections log' "$T/err" || say "log without a log: $(cat "$T/err")"
# export with no log yet writes the data as it stands (version 0), no log
"$R" export "$D" -o "$T/out.csv" 2>/dev/null || say "export without a log: exit $?"
cmp -s "$D" "$T/out.csv" || say "export without a log: not the data as it is"
"$R" export "$D" --version 1 -o "$T/out1.csv" 2>/dev/null && say "export of version 1 without a log"
"$R" diff "$D" 0 working >/dev/null 2>&1 && say "diff without a log"
"$R" decide "$D" --row 0 --action relabel --label zebra 2>/dev/null
"$R" decide "$D" --row 9 --action reject 2>/dev/null
ls "$T" | grep -q relabel && say "a log was created as a side effect: $(ls "$T")"

# A 0-byte file is not a new log; a non-SQLite --db is bad input.
: >"$T/empty.db"
"$R" decide "$D" --db "$T/empty.db" --row 0 --action reject 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q 'empty file' "$T/err" || say "0-byte log: exit $rc: $(cat "$T/err")"
[ -s "$T/empty.db" ] && say "the 0-byte file was written"
printf 'plain text, not a database\n' >"$T/text.db"
for cmd in "log --db $T/text.db" "decide $D --db $T/text.db --row 0 --action reject"; do
	# shellcheck disable=SC2086
	"$R" $cmd >/dev/null 2>&1; rc=$?
	[ $rc = 2 ] || say "non-SQLite --db ($cmd): exit $rc, want 2"
done

# Another application's database is refused and left byte for byte.
for mode in delete wal; do
	F=$T/foreign-$mode.db
	sqlite3 "$F" "PRAGMA journal_mode=$mode; CREATE TABLE t(x); INSERT INTO t VALUES (1);" >/dev/null
	sum=$(cksum <"$F")
	for cmd in "log --db $F" "log --db $F --verify" "decide $D --db $F --row 0 --action reject" \
		   "export $D --db $F -o $T/x.csv" "diff $D --db $F 0 working" \
		   "commit $D --db $F -m x"; do
		# shellcheck disable=SC2086
		"$R" $cmd >/dev/null 2>"$T/err"; rc=$?
		[ $rc = 2 ] || say "foreign $mode db ($cmd): exit $rc"
		grep -q 'not a relabel corrections log' "$T/err" || say "foreign: $(cat "$T/err")"
	done
	[ "$(cksum <"$F")" = "$sum" ] || say "the foreign $mode database was modified"
	[ "$(sqlite3 "$F" 'PRAGMA journal_mode')" = $mode ] || say "foreign db switched journal mode"
	ls "$F"-wal "$F"-shm >/dev/null 2>&1 && say "files made beside the foreign $mode database"
done

"$R" decide "$D" --id q1 --action relabel --label dog >/dev/null || say "decide 1"
"$R" decide "$D" --id q3 --action exclude >/dev/null || say "decide 2"
"$R" commit "$D" -m one >/dev/null || say "commit"

# Read-only commands leave the log's bytes alone.
sum=$(cksum <"$DB")
"$R" log "$D" >/dev/null && "$R" diff "$D" 0 1 >/dev/null &&
	"$R" export "$D" -o "$T/v1.csv" 2>/dev/null && "$R" log "$D" --verify >/dev/null ||
	say "read-only commands failed"
[ "$(cksum <"$DB")" = "$sum" ] || say "a read-only command changed the log"
if [ "$(id -u)" != 0 ]; then     # root ignores file modes
	mkdir "$T/ro" && cp "$D" "$T/probs.csv" "$DB" "$T/ro/" && chmod 0444 "$T/ro/"* &&
		chmod 0555 "$T/ro"
	"$R" log "$T/ro/d.csv" >/dev/null 2>"$T/err" || say "log on a read-only log: $(cat "$T/err")"
	"$R" export "$T/ro/d.csv" -o "$T/ro.csv" 2>"$T/err" || say "export from a read-only log: $(cat "$T/err")"
	chmod 0755 "$T/ro"
fi

# A lock held by another process: bounded wait, exit 1, nothing recorded.
before=$(sqlite3 "$DB" 'SELECT count(*) FROM decision')
{ echo 'BEGIN IMMEDIATE;'; sleep 6; echo 'COMMIT;'; } | sqlite3 "$DB" &
holder=$!
sleep 0.5
start=$(date +%s)
"$R" decide "$D" --row 1 --action reject --lock-timeout 1 >"$T/out" 2>"$T/err"; rc=$?
took=$(($(date +%s) - start))
[ $rc = 1 ] || say "locked decide: exit $rc, want 1"
grep -q 'the log is locked by another process' "$T/err" || say "lock message: $(cat "$T/err")"
[ $took -le 3 ] || say "locked decide took $took s with --lock-timeout 1"
[ -s "$T/out" ] && say "locked decide claimed: $(cat "$T/out")"
RELABEL_LOCK_TIMEOUT=0.5 "$R" decide "$D" --row 1 --action reject >/dev/null 2>&1; rc=$?
[ $rc = 1 ] || say "RELABEL_LOCK_TIMEOUT: exit $rc"
"$R" log "$D" >/dev/null || say "reading is blocked by the lock"
"$R" decide "$D" --row 1 --action reject --lock-timeout x 2>/dev/null; rc=$?
[ $rc = 2 ] || say "--lock-timeout x: exit $rc"
wait $holder
[ "$(sqlite3 "$DB" 'SELECT count(*) FROM decision')" = "$before" ] || say "a locked decide wrote"
"$R" decide "$D" --row 1 --action reject >/dev/null || say "decide after the lock"

# Concurrent undos of one row never revert one decision twice.
for round in 1 2 3; do
	"$R" decide "$D" --row 3 --action relabel --label cat >/dev/null
	"$R" decide "$D" --row 3 --action exclude >/dev/null
	pids=""
	for p in 1 2 3 4 5 6; do
		"$R" decide "$D" --row 3 --action undo >"$T/undo$p" 2>&1 &
		pids="$pids $!"
	done
	ok=0
	for p in $pids; do wait "$p" && ok=$((ok + 1)); done
	[ $ok = 2 ] || say "round $round: $ok concurrent undos succeeded, want 2"
	dup=$(sqlite3 "$DB" "SELECT count(*) - count(DISTINCT undoes) FROM decision WHERE action = 'undo'")
	[ "$dup" = 0 ] || say "round $round: $dup decisions undone twice"
done
sqlite3 "$DB" "INSERT INTO decision (id, uuid, row, action, reviewer, role, pass, time, undoes, hash)
	SELECT 999, 'x', row, 'undo', 'x', 'annotator', 1, 't', undoes, '' FROM decision
	WHERE action = 'undo' LIMIT 1" 2>/dev/null && say "a second undo of a decision was stored"

# The hash chain: intact, then edited behind relabel's back.
"$R" log "$D" --verify >"$T/out" || say "verify of an intact log: $(cat "$T/out")"
cp "$DB" "$T/tampered.db"
sqlite3 "$T/tampered.db" "DROP TRIGGER decision_append_only_u; UPDATE decision SET label = 'cat' WHERE id = 1"
"$R" log --db "$T/tampered.db" --verify >/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] || say "verify of a tampered log: exit $rc"
grep -q 'decision 1 does not match' "$T/err" || say "verify message: $(cat "$T/err")"
cp "$DB" "$T/tampered.db"
sqlite3 "$T/tampered.db" "DROP TRIGGER version_append_only_u; UPDATE version SET message = 'two'"
"$R" log --db "$T/tampered.db" --verify >/dev/null 2>"$T/err" && say "edited version passes"
grep -q 'version 1 does not match' "$T/err" || say "verify message: $(cat "$T/err")"

# Rows inserted by hand (by a program that ignores the log's CHECK
# constraints) are errors, not exported values.
cp "$DB" "$T/hand.db"
sqlite3 "$T/hand.db" "PRAGMA ignore_check_constraints=ON;
	INSERT INTO decision (id, uuid, row, action, label, reviewer, role, pass, time, hash)
	VALUES (1000, 'h', -1, 'relabel', 'dog', 'x', 'annotator', 1, 't', '')"
"$R" export "$D" --db "$T/hand.db" --working -o "$T/hand.csv" 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q 'decision 1000: row -1 is outside' "$T/err" ||
	say "hand-inserted row -1: exit $rc: $(cat "$T/err")"
"$R" log --db "$T/hand.db" --format csv 2>/dev/null | grep -q 18446744073709551615 &&
	say "row -1 printed as 18446744073709551615"

# --force after the data changed: decisions follow their example ids.
cp "$D" "$T/orig.csv"
printf 'id,text,label\nq2,b,dog\nq1,a,cat\nq4,d,dog\n' >"$D"
printf 'cat,dog\n0.2,0.8\n0.1,0.9\n0.6,0.4\n' >"$T/probs.csv"
"$R" diff "$D" 0 1 --force >"$T/out" 2>"$T/err" || say "diff --force: $(cat "$T/err")"
grep -q 'row 1 (id q1): cat -> dog' "$T/out" || say "diff --force: $(cat "$T/out")"
grep -q '1 example differs' "$T/out" || say "diff --force count: $(cat "$T/out")"
grep -q "id 'q3') is no longer in" "$T/err" || say "vanished id not reported: $(cat "$T/err")"
"$R" export "$D" --force -o "$T/forced.csv" 2>"$T/err" || say "export --force: $(cat "$T/err")"
printf 'id,text,label\nq2,b,dog\nq1,a,dog\nq4,d,dog\n' >"$T/want.csv"
cmp -s "$T/forced.csv" "$T/want.csv" || say "export --force: $(cat "$T/forced.csv")"
"$R" decide "$D" --force --id q4 --action relabel --label cat >/dev/null || say "decide --force"
"$R" export "$D" --force --working -o "$T/forced2.csv" 2>/dev/null || say "export --force --working"
grep -q '^q4,d,cat' "$T/forced2.csv" || say "decision made with --force not exported"
cp "$T/orig.csv" "$D"
printf 'cat,dog\n0.1,0.9\n0.2,0.8\n0.7,0.3\n0.6,0.4\n' >"$T/probs.csv"
"$R" export "$D" --working -o "$T/back.csv" 2>/dev/null || say "export of the original data"
grep -q '^q4,d,cat' "$T/back.csv" || say "forced decision lost its example on the original data"
# Without ids: said clearly.
N=$T/n.csv
printf 'text,label\na,cat\nb,dog\nc,cat\n' >"$N"
printf 'cat,dog\n0.1,0.9\n0.2,0.8\n0.7,0.3\n' >"$T/np.csv"
"$R" decide "$N" --probs "$T/np.csv" --row 2 --action relabel --label dog >/dev/null
printf 'text,label\nb,dog\na,cat\n' >"$N"
printf 'cat,dog\n0.2,0.8\n0.1,0.9\n' >"$T/np.csv"
"$R" export "$N" --probs "$T/np.csv" --working --force -o "$T/n-out.csv" 2>"$T/err" 1>/dev/null
grep -q 'no id column: decisions apply by row number' "$T/err" || say "no-id warning: $(cat "$T/err")"

# A file size limit: an error and exit 1, not SIGXFSZ; nothing claimed.
(
	ulimit -f 64
	i=0
	while [ $i -lt 40 ]; do
		"$R" decide "$D" --row 0 --action reject --note "$(head -c 30000 /dev/zero | tr '\0' n)" \
			>"$T/out" 2>"$T/err"; rc=$?
		[ $rc = 0 ] || break
		i=$((i + 1))
	done
	[ $rc = 1 ] || echo "FAIL: under ulimit -f: exit $rc (want 1)"
	grep -q 'ulimit -f' "$T/err" || echo "FAIL: ulimit message: $(cat "$T/err")"
	[ -s "$T/out" ] && echo "FAIL: under ulimit -f claimed: $(cat "$T/out")"
) >"$T/ulimit" 2>&1
[ -s "$T/ulimit" ] && { cat "$T/ulimit"; fail=1; }
"$R" log "$D" --verify >/dev/null || say "the log is not intact after the size limit"
# A first open that cannot write leaves nothing behind.
(ulimit -f 8; "$R" decide "$N" --db "$T/new.db" --probs "$T/np.csv" --row 0 --action reject) \
	>/dev/null 2>"$T/err"; rc=$?
[ $rc = 1 ] || say "first open under ulimit -f: exit $rc: $(cat "$T/err")"
ls "$T"/new.db* >/dev/null 2>&1 && say "a failed first open left $(ls "$T"/new.db*)"

# confirm and unsure from the command line.
C=$T/c.csv
printf 'id,label\nk1,cat\nk2,dog\nk3,cat\n' >"$C"
printf 'cat,dog\n0.1,0.9\n0.8,0.2\n0.3,0.7\n' >"$T/c-probs.csv"
o="--probs $T/c-probs.csv"
# shellcheck disable=SC2086
{
"$R" decide "$C" $o --id k1 --action relabel --label dog >/dev/null || say "relabel k1"
"$R" decide "$C" $o --id k1 --action confirm 2>/dev/null && say "confirm without --role expert"
"$R" decide "$C" $o --id k1 --action confirm --role expert >/dev/null || say "confirm"
"$R" decide "$C" $o --id k1 --action relabel --label cat >/dev/null || say "relabel after confirm"
"$R" decide "$C" $o --id k2 --action confirm --role expert 2>/dev/null && say "confirm of nothing"
"$R" decide "$C" $o --id k3 --action relabel --label dog >/dev/null || say "relabel k3"
"$R" decide "$C" $o --id k3 --action unsure --role expert >/dev/null || say "unsure"
"$R" export "$C" $o --working -o "$T/c-out.csv" 2>/dev/null || say "export confirm/unsure"
}
printf 'id,label\nk1,dog\nk2,dog\nk3,cat\n' >"$T/c-want.csv"
cmp -s "$T/c-out.csv" "$T/c-want.csv" || say "confirm/unsure export: $(cat "$T/c-out.csv")"

[ $fail = 0 ] && echo "log-integrity: ok"
exit $fail
