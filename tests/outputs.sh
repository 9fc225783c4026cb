#!/bin/sh
# outputs.sh — where relabel writes (-o, --manifest, --save-probs): an output
# that is DATA, PROBS, the corrections log (or its -wal/-shm) or the other
# output is refused before any work (exit 2, both roles named); a directory
# or a missing directory likewise; new files get 0666 & ~umask and replaced
# ones keep their mode and owner; kill -9 leaves no temporary files (or the
# next run removes them); devices, FIFOs, sockets, process substitution and
# /dev/stdout are written in place and stay what they were; a symbolic link
# stays a link and its target gets the bytes. Never writes to the real
# /dev/null: device nodes are made with mknod in the test's own directory.
set -u
R=${RELABEL:-./relabel}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
devnull_before=$(stat -L -c '%F %t:%T %i' /dev/null)

D=$T/d.csv P=$T/probs.csv
printf 'id,text,label\n1,hello,a\n2,world,b\n3,foo,c\n4,bar,a\n5,baz,b\n6,qux,c\n' >"$D"
printf 'a,b,c\n.8,.1,.1\n.1,.8,.1\n.7,.2,.1\n.8,.1,.1\n.1,.1,.8\n.1,.1,.8\n' >"$P"
export RELABEL_REVIEWER=tester
"$R" decide "$D" --row 2 --action relabel --label a >"$T/o" 2>&1 || say "decide: $(cat "$T/o")"
"$R" commit "$D" -m one >"$T/o" 2>&1 || say "commit: $(cat "$T/o")"
L=$T/d.relabel.db
"$R" scan "$D" -o "$T/want-scan.csv" 2>"$T/e" || say "scan to a file: $(cat "$T/e")"
"$R" export "$D" -o "$T/want-export.csv" 2>"$T/e" || say "export to a file: $(cat "$T/e")"
sums() { cksum "$D" "$P" "$L" | awk '{print $1, $2}'; }
inputs=$(sums)
mkdir "$T/keep"
cp "$D" "$P" "$L" "$T/keep/"
# restore: the inputs as they were (so that one failure does not cascade)
restore() {
	[ -d "$T/np" ] && ! cmp -s "$T/keep/np.csv" "$T/np/d.csv" && cp "$T/keep/np.csv" "$T/np/d.csv"
	[ "$(sums)" = "$inputs" ] && return
	rm -f "$D" "$P" "$L" "$L-wal" "$L-shm"
	cp "$T/keep/d.csv" "$T/keep/probs.csv" "$T/keep/d.relabel.db" "$T/"
	ln -f "$D" "$T/hard.csv" 2>>"$T/junk"
}

# refuse WANT-IN-MESSAGE ARGS...: exit 2, the message names what was hit,
# nothing of the inputs changed.
refuse() {
	want=$1
	shift
	(cd "$T" && "$R" "$@") >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc = 2 ] || say "$*: exit $rc, want 2 ($(cat "$T/err"))"
	grep -qF -- "$want" "$T/err" || say "$*: message '$(cat "$T/err")' lacks '$want'"
	[ "$(sums)" = "$inputs" ] || say "$*: an input changed"
	grep -q '^exported' "$T/err" && say "$*: claims an export"
	restore
}

# --- outputs that are inputs or each other (compared by device and inode)
mkdir "$T/sub"
ln -s d.csv "$T/link.csv"
ln "$D" "$T/hard.csv"
refuse "-o d.relabel.db is the same file as the corrections log" export d.csv -o d.relabel.db
refuse "is the same file as the corrections log" scan d.csv -o d.relabel.db
refuse "is the same file as the corrections log's write-ahead log" export d.csv -o d.relabel.db-wal
refuse "is the same file as the corrections log's shared-memory file" export d.csv -o d.relabel.db-shm
refuse "-o ./d.csv is the same file as DATA d.csv" export d.csv -o ./d.csv
refuse "-o sub/../d.csv is the same file as DATA" export d.csv -o sub/../d.csv
refuse "-o link.csv is the same file as DATA" export d.csv -o link.csv
refuse "-o hard.csv is the same file as DATA" export d.csv -o hard.csv
refuse "--manifest d.csv is the same file as DATA" export d.csv -o x.csv --manifest d.csv
refuse "-o probs.csv is the same file as PROBS" scan d.csv -o probs.csv
refuse "-o $P is the same file as PROBS" scan "$D" -o "$P"
refuse "--manifest out.csv is the same file as -o out.csv" export d.csv -o out.csv --manifest out.csv
refuse "--manifest ./out.csv is the same file as -o out.csv" export d.csv -o out.csv --manifest ./out.csv
refuse "-o and --manifest both write to standard output" export d.csv -o - --manifest -
refuse "--manifest - (standard output) is the same file as -o /dev/stdout" export d.csv -o /dev/stdout --manifest -
refuse "is the same file as DATA" export --db d.relabel.db -o d.csv
[ -e "$T/out.csv" ] && say "a refused export wrote out.csv"
# with --db: the log named there, even before it exists
refuse "-o new.db is the same file as the corrections log new.db" scan d.csv --db new.db -o new.db
[ -e "$T/new.db" ] && say "a refused scan created its log"

# --save-probs: the trained probabilities must not overwrite anything either
N=$T/np
mkdir "$N"
printf 'id,text,label\n' >"$N/d.csv"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	if [ $((i % 2)) = 0 ]; then echo "$i,red apple $i,a"; else echo "$i,blue sky $i,b"; fi
done >>"$N/d.csv"
cp "$N/d.csv" "$N/keep.csv"
cp "$N/d.csv" "$T/keep/np.csv"
refuse "--save-probs np/d.csv is the same file as DATA" scan np/d.csv --folds 2 --save-probs np/d.csv
refuse "the scan's output and --save-probs both write to standard output" scan np/d.csv --folds 2 --save-probs -
refuse "the report and --save-probs both write to standard output" stats np/d.csv --folds 2 --save-probs -
refuse "--save-probs np/d.relabel.db is the same file as the corrections log" review np/d.csv --folds 2 --save-probs np/d.relabel.db
cmp -s "$N/d.csv" "$N/keep.csv" || say "--save-probs overwrote DATA"
"$R" scan "$N/d.csv" --folds 2 --save-probs "$N/p.csv" -o "$T/np.scan" 2>"$T/e" || say "--save-probs to a new file: $(cat "$T/e")"
[ "$(head -1 "$N/p.csv")" = "a,b" ] || say "--save-probs wrote $(head -1 "$N/p.csv")"

# --- directories, missing directories: refused before any work
refuse "-o sub: is a directory" export d.csv -o sub
refuse "is a directory" scan d.csv --db fresh.db -o "$T/sub/"
refuse "the directory nodir does not exist" scan d.csv --db fresh.db -o nodir/x.csv
refuse "the directory nodir does not exist" export d.csv -o x.csv --manifest nodir/m.json
refuse "d.csv is not a directory" scan d.csv --db fresh.db -o d.csv/x
if [ "$(id -u)" != 0 ]; then
	# an unwritable directory is an I/O failure (exit 1), also found first
	mkdir "$T/ro"
	chmod 555 "$T/ro"
	(cd "$T" && "$R" scan d.csv --db fresh.db -o ro/x.csv) 2>"$T/e"
	rc=$?
	[ $rc = 1 ] || say "scan -o into an unwritable directory: exit $rc, want 1"
	grep -q 'cannot write in ro' "$T/e" || say "unwritable directory message: $(cat "$T/e")"
	chmod 755 "$T/ro"
else
	echo "SKIP (part): an unwritable directory cannot be made for root"
fi
[ -e "$T/fresh.db" ] && say "a refused scan did its work (created its log)"
[ -e "$T/x.csv" ] && say "a refused export wrote its -o"
[ -d "$T/sub" ] || say "the directory is gone"

# --- modes: new files 0666 & ~umask, an existing file keeps its mode (and owner)
for um in 022 077 002; do
	rm -f "$T/m.csv"
	(umask $um && "$R" export "$D" -o "$T/m.csv" --manifest "$T/m.json" 2>"$T/e") || say "export (umask $um)"
	want=$(printf '%o' $((0666 & ~0$um)))
	[ "$(stat -c %a "$T/m.csv")" = "$want" ] || say "umask $um: new file mode $(stat -c %a "$T/m.csv"), want $want"
	rm -f "$T/m.json"
done
printf 'old\n' >"$T/m.csv"
chmod 0640 "$T/m.csv"
[ "$(id -u)" = 0 ] && chown nobody "$T/m.csv" 2>>"$T/junk"
owner=$(stat -c %U "$T/m.csv")
(umask 077 && "$R" export "$D" -o "$T/m.csv") 2>"$T/e" || say "export over an existing file"
[ "$(stat -c %a "$T/m.csv")" = 640 ] || say "a replaced 0640 file is now $(stat -c %a "$T/m.csv")"
[ "$(stat -c %U "$T/m.csv")" = "$owner" ] || say "a replaced file lost its owner $owner"
cmp -s "$T/m.csv" "$T/want-export.csv" || say "the replaced file has other bytes"
chmod 0444 "$T/m.csv"
RELABEL_TEST_NO_TMPFILE=1 "$R" scan "$D" -o "$T/m.csv" 2>"$T/e" || say "scan over a 0444 file"
[ "$(stat -c %a "$T/m.csv")" = 444 ] || say "named temporary file: 0444 became $(stat -c %a "$T/m.csv")"
cmp -s "$T/m.csv" "$T/want-scan.csv" || say "named temporary file: other bytes"
ls "$T" | grep -q '\.tmp\.' && say "temporary files left: $(ls "$T" | grep '\.tmp\.')"

# --- temporary files after kill -9 / SIGTERM
K=$T/kill
mkdir "$K"
awk 'BEGIN { print "id,text,label"; for (i = 0; i < 60000; i++)
	printf "%d,text of example %d with some words,%s\n", i, i, substr("abc", i % 3 + 1, 1) }' >"$K/d.csv"
awk 'BEGIN { print "a,b,c"; for (i = 0; i < 60000; i++) print ".6,.3,.1" }' >"$K/probs.csv"
"$R" decide "$K/d.csv" --row 7 --action relabel --label c >"$T/o" 2>&1 || say "decide (kill data)"
"$R" export "$K/d.csv" --working -o "$K/want.csv" --manifest "$K/want.json" 2>"$T/e" || say "export (kill data)"
leftovers() { ls "$K" | grep -c '\.tmp\.'; }
# kill_loop N SIGNAL: export N times, each killed after a different delay
kill_loop() {
	i=0
	while [ $i -lt "$1" ]; do
		[ -n "${fresh:-}" ] && rm -f "$K/out.csv" "$K/out.json"
		"$R" export "$K/d.csv" --working -o "$K/out.csv" --manifest "$K/out.json" 2>>"$T/junk" &
		pid=$!
		sleep "$(printf '0.%03d' $(((i * 37) % 90 + 1)))"
		kill "-$2" $pid 2>>"$T/junk"
		wait $pid 2>>"$T/junk"
		if [ -e "$K/out.csv" ] && ! cmp -s "$K/out.csv" "$K/want.csv"; then
			say "kill -$2 after $i: out.csv is neither absent nor complete"
		fi
		i=$((i + 1))
	done
}
fstype=$(stat -f -c %T "$K")
case $fstype in
ext2/ext3|ext4|xfs|btrfs|tmpfs|f2fs) tmpfile=yes ;;
*) tmpfile=no; echo "note: $fstype may lack O_TMPFILE: checking leftovers only after the next run" ;;
esac
fresh=yes kill_loop 12 9
n=$(leftovers)
[ $tmpfile = no ] || [ "$n" = 0 ] || say "kill -9 of new-file exports left $n temporary files"
cp "$K/want.csv" "$K/out.csv"
fresh= kill_loop 12 9
RELABEL_TEST_NO_TMPFILE=1 fresh= kill_loop 12 9
"$R" export "$K/d.csv" --working -o "$K/out.csv" --manifest "$K/out.json" 2>"$T/e" || say "export after the kills"
n=$(leftovers)
[ "$n" = 0 ] || say "the run after kill -9 left $n temporary files: $(ls "$K" | grep '\.tmp\.')"
RELABEL_TEST_NO_TMPFILE=1 fresh= kill_loop 12 TERM
n=$(leftovers)
[ "$n" = 0 ] || say "SIGTERM left $n named temporary files"
# leftovers of dead processes are removed, those of live ones kept
sh -c 'exit 0' &
dead=$!
wait $dead
printf 'x' >"$K/out.csv.tmp.$dead.AbC123"
printf 'x' >"$K/out.csv.tmp.$$.AbC123"
printf 'x' >"$K/other.csv.tmp.$dead.AbC123"
"$R" export "$K/d.csv" --working -o "$K/out.csv" 2>"$T/e" || say "export (leftover clean-up)"
[ -e "$K/out.csv.tmp.$dead.AbC123" ] && say "a dead process's temporary file was kept"
[ -e "$K/out.csv.tmp.$$.AbC123" ] || say "a live process's temporary file was removed"
[ -e "$K/other.csv.tmp.$dead.AbC123" ] || say "another output's temporary file was removed"
rm -f "$K/out.csv.tmp.$$.AbC123" "$K/other.csv.tmp.$dead.AbC123"

# --- special files: written in place, still what they were
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>>"$T/junk" && mknod "$T/full" c 1 7 2>>"$T/junk"; then
	"$R" scan "$D" -o "$T/null" 2>"$T/e" || say "scan -o a null device: $(cat "$T/e")"
	"$R" export "$D" -o "$T/null" --manifest "$T/m2.json" 2>"$T/e" || say "export -o a null device: $(cat "$T/e")"
	[ -c "$T/null" ] || say "the null device node is now $(stat -c %F "$T/null")"
	"$R" scan "$D" -o "$T/full" 2>"$T/e"
	rc=$?
	[ $rc = 1 ] || say "scan -o a full device: exit $rc, want 1"
	grep -q 'No space left' "$T/e" || say "full device message: $(cat "$T/e")"
	"$R" export "$D" -o "$T/x.csv" --manifest "$T/full" 2>"$T/e"
	rc=$?
	[ $rc = 1 ] || say "export --manifest a full device: exit $rc, want 1"
	grep -q '^exported' "$T/e" && say "a failed export claims it was written"
	"$R" export "$D" -o - >"$T/full" 2>"$T/e"
	rc=$?
	[ $rc = 1 ] || say "export -o - onto a full device: exit $rc, want 1"
	grep -q 'standard output.*No space left' "$T/e" || say "full standard output message: $(cat "$T/e")"
	grep -q '^exported' "$T/e" && say "a failed export to standard output claims it was written"
	[ -c "$T/full" ] || say "the full device node is now $(stat -c %F "$T/full")"
	ls "$T" | grep -q '\.tmp\.' && say "device outputs left temporary files"
else
	echo "SKIP (part): device nodes need root and mknod; not run as root here"
fi

mkfifo "$T/fifo"
# (bounded: a FIFO replaced by a file would leave its reader waiting)
timeout 20 cat "$T/fifo" >"$T/fifo.out" &
reader=$!
timeout 20 "$R" scan "$D" -o "$T/fifo" 2>"$T/e" || say "scan -o FIFO: $(cat "$T/e")"
wait $reader
[ -p "$T/fifo" ] || say "the FIFO is now $(stat -c %F "$T/fifo")"
cmp -s "$T/fifo.out" "$T/want-scan.csv" || say "the FIFO's reader got other bytes"
# a reader that goes away early is a reported write error, not a silent death
timeout 20 head -c 10 "$T/fifo" >"$T/fifo.out" &
reader=$!
timeout 20 "$R" scan "$K/d.csv" --all -o "$T/fifo" 2>"$T/e"
rc=$?
wait $reader
[ $rc = 1 ] || say "scan -o FIFO whose reader quit: exit $rc, want 1"
grep -q 'Broken pipe' "$T/e" || say "broken FIFO message: $(cat "$T/e")"
[ -p "$T/fifo" ] || say "the FIFO is now $(stat -c %F "$T/fifo")"

if command -v bash >>"$T/junk" 2>&1; then
	timeout 20 bash -c '"$1" scan "$2" -o >(cat >"$3"); rc=$?; wait $!; exit $rc' sh "$R" "$D" "$T/ps.out" 2>"$T/e" ||
		say "scan -o >(...): $(cat "$T/e")"
	cmp -s "$T/ps.out" "$T/want-scan.csv" || say "process substitution got other bytes"
	timeout 20 bash -c '"$1" export "$2" -o >(cat >"$3") --manifest >(cat >"$4"); rc=$?; wait; exit $rc' \
		sh "$R" "$D" "$T/ps.csv" "$T/ps.json" 2>"$T/e" || say "export to process substitutions: $(cat "$T/e")"
	cmp -s "$T/ps.csv" "$T/want-export.csv" || say "export through process substitution: other bytes"
	grep -q '"rows_out": 6' "$T/ps.json" || say "manifest through process substitution"
else
	echo "SKIP (part): no bash for process substitution"
fi

"$R" scan "$D" -o /dev/stdout >"$T/so.csv" 2>"$T/e" || say "scan -o /dev/stdout: $(cat "$T/e")"
cmp -s "$T/so.csv" "$T/want-scan.csv" || say "-o /dev/stdout into a file: other bytes"
printf 'kept\n' >"$T/app.csv"
"$R" scan "$D" -o /dev/stdout >>"$T/app.csv" 2>"$T/e" || say "scan -o /dev/stdout >>"
{ printf 'kept\n'; cat "$T/want-scan.csv"; } | cmp -s - "$T/app.csv" || say "-o /dev/stdout >> replaced the file"
"$R" scan "$D" -o /dev/stdout 2>"$T/e" | cat >"$T/pipe.csv"
cmp -s "$T/pipe.csv" "$T/want-scan.csv" || say "-o /dev/stdout into a pipe: other bytes"
"$R" export "$D" -o - --manifest "$T/m3.json" 2>"$T/e" >"$T/dash.csv" || say "export -o -"
cmp -s "$T/dash.csv" "$T/want-export.csv" || say "export -o -: other bytes"
"$R" export "$D" -o "$T/m3.csv" --manifest /dev/stderr 2>"$T/m3.err" || say "--manifest /dev/stderr"
grep -q '"rows_out": 6' "$T/m3.err" || say "--manifest /dev/stderr: no manifest"

if command -v python3 >>"$T/junk" 2>&1; then
	timeout 20 python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1)
sys.stdout.write("ready\n"); sys.stdout.flush()
c, _ = s.accept(); data = b""
while True:
    b = c.recv(65536)
    if not b: break
    data += b
open(sys.argv[2], "wb").write(data)' "$T/sock" "$T/sock.out" >"$T/sock.ready" &
	srv=$!
	i=0
	while [ $i -lt 100 ] && ! grep -q ready "$T/sock.ready" 2>>"$T/junk"; do sleep 0.05; i=$((i + 1)); done
	timeout 20 "$R" scan "$D" -o "$T/sock" 2>"$T/e" || say "scan -o a socket: $(cat "$T/e")"
	wait $srv
	[ -S "$T/sock" ] || say "the socket is now $(stat -c %F "$T/sock")"
	cmp -s "$T/sock.out" "$T/want-scan.csv" || say "the socket's listener got other bytes"
else
	echo "SKIP (part): no python3 for a socket listener"
fi

# --- symbolic links: written through, the link stays a link
mkdir "$T/real"
ln -s real/target.csv "$T/rel-link"
ln -s "$T/rel-link" "$T/chain-link"
printf 'old\n' >"$T/real/target.csv"
chmod 0604 "$T/real/target.csv"
"$R" scan "$D" -o "$T/chain-link" 2>"$T/e" || say "scan -o a chain of links: $(cat "$T/e")"
[ -L "$T/chain-link" ] && [ -L "$T/rel-link" ] || say "a link was replaced by a file"
[ "$(readlink "$T/rel-link")" = real/target.csv ] || say "the link points elsewhere now"
cmp -s "$T/real/target.csv" "$T/want-scan.csv" || say "the link's target got other bytes"
[ "$(stat -c %a "$T/real/target.csv")" = 604 ] || say "the link's target lost its mode"
ln -s real/new.csv "$T/dangling"
"$R" export "$D" -o "$T/dangling" 2>"$T/e" || say "export -o a dangling link: $(cat "$T/e")"
[ -L "$T/dangling" ] || say "the dangling link was replaced"
cmp -s "$T/real/new.csv" "$T/want-export.csv" || say "the dangling link's target got other bytes"
ln -s nowhere/x.csv "$T/bad-link"
refuse "-o bad-link: the directory" scan d.csv -o bad-link
ln -s sub "$T/dir-link"
refuse "-o dir-link: is a directory" scan d.csv -o dir-link
ls "$T" "$T/real" | grep -q '\.tmp\.' && say "link outputs left temporary files"

[ "$(stat -L -c '%F %t:%T %i' /dev/null)" = "$devnull_before" ] || say "/dev/null changed"
[ $fail = 0 ] && echo "outputs: ok"
exit $fail
