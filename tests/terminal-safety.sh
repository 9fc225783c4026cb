#!/bin/sh
# terminal-safety.sh — no escape sequence from data, log or arguments reaches
# a terminal. Every command that prints text runs in a pseudo-terminal
# (script(1) from util-linux) on a dataset whose every field (ids, text,
# class names, reviewer, note, commit message, author, file names) holds
# OSC title and clipboard sequences, CSI, C1 controls (UTF-8 U+009B and a raw
# 0x9b byte), a bidi override and DEL; the bytes that reach the pty must hold
# no ESC, no C1 control and no invalid UTF-8. Written to a pipe, CSV stays
# byte-exact.
set -u
command -v script >/dev/null 2>&1 || { echo "SKIP: no script(1)"; exit 77; }
R=${RELABEL:-./relabel}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }

# The hostile text: window title, clipboard write, clear screen, C1 CSI
# (encoded and raw), right-to-left override, DEL.
H=$(printf '\033]0;OWNED\a\033]52;c;cHduZWQ=\a\033[2J\302\233m\233m\342\200\256\177')
export H R
D="$T/d$H"
mkdir "$D"
{
	printf 'id,text,label\n'
	printf 'i0%s,t0 %s,a%s\n' "$H" "$H" "$H"
	printf 'i1%s,t1 %s,a%s\n' "$H" "$H" "$H"
	printf 'i2%s,t2 %s,b%s\n' "$H" "$H" "$H"
	printf 'i3%s,t3 %s,b%s\n' "$H" "$H" "$H"
	printf 'i4%s,t4 %s,a%s\n' "$H" "$H" "$H"
	printf 'i5%s,t5 %s,b%s\n' "$H" "$H" "$H"
} >"$D/d$H.csv"
printf 'a%s,b%s\n0.1,0.9\n0.8,0.2\n0.9,0.1\n0.2,0.8\n0.3,0.7\n0.6,0.4\n' "$H" "$H" >"$D/probs.csv"
DATA="$D/d$H.csv"
export DATA D

# in_pty NAME SHELL-COMMAND: run it in a pty, keep what reached the terminal.
n=0
in_pty() {
	n=$((n + 1))
	script -q -e -c "$2" "$T/pty.$n" </dev/null >/dev/null 2>&1
	rc=$?
	[ $rc -lt 128 ] || say "$1: killed by a signal (exit $rc)"
	# script's own header and trailer are plain ASCII; check everything.
	if LC_ALL=C grep -q "$(printf '\033')" "$T/pty.$n"; then
		say "$1: an ESC reached the terminal"
		LC_ALL=C grep -a "$(printf '\033')" "$T/pty.$n" | od -c | head -4
	elif LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$T/pty.$n"; then
		say "$1: a C1 control reached the terminal"
	elif ! iconv -f UTF-8 -t UTF-8 "$T/pty.$n" >/dev/null 2>&1; then
		say "$1: invalid UTF-8 (a raw C1 byte) reached the terminal"
	fi
}

# The harness itself sees raw bytes and gives the command a terminal.
script -q -c 'test -t 1 && test -t 2 && echo TTY; printf "%s" "$H"' "$T/self" </dev/null >/dev/null 2>&1
grep -q TTY "$T/self" || say "script(1) gave no terminal"
LC_ALL=C grep -q "$(printf '\033')" "$T/self" || say "the pty capture does not see raw ESC"

in_pty "scan csv" '"$R" scan "$DATA"'
in_pty "scan tsv" '"$R" scan "$DATA" --format tsv'
in_pty "scan json" '"$R" scan "$DATA" --format json'
in_pty "scan --all" '"$R" scan "$DATA" --all'
in_pty "stats text" '"$R" stats "$DATA"'
in_pty "stats json" '"$R" stats "$DATA" --format json'
in_pty "decide accept" '"$R" decide "$DATA" --row 0 --action accept --reviewer "eve$H" --note "x$H"'
in_pty "decide relabel" '"$R" decide "$DATA" --id "i2$H" --action relabel --label "a$H" --reviewer "eve$H"'
in_pty "decide exclude" '"$R" decide "$DATA" --row 4 --action exclude --reviewer "eve$H" --note "n$H"'
in_pty "commit" '"$R" commit "$DATA" -m "m$H" --author "au$H"'
in_pty "decide after commit" '"$R" decide "$DATA" --row 1 --action reject --reviewer "r$H" --note "$H"'
in_pty "log text" '"$R" log "$DATA"'
in_pty "log csv" '"$R" log "$DATA" --format csv'
in_pty "log json" '"$R" log "$DATA" --format json'
in_pty "log --reviewer" '"$R" log "$DATA" --reviewer "eve$H"'
in_pty "diff text" '"$R" diff "$DATA" 0 working'
in_pty "diff csv" '"$R" diff "$DATA" --format csv 0 working'
in_pty "export" '"$R" export "$DATA" --working -o "$D/out$H.csv" --manifest "$D/m$H.json"'
in_pty "export to stdout" '"$R" export "$DATA" --working -o -'
in_pty "undo" '"$R" decide "$DATA" --row 4 --action undo --reviewer "eve$H"'
# A log edited by hand: hostile text in the fields relabel writes itself.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$D/d$H.relabel.db" "$H" <<'END'
import os, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
h = os.fsencode(sys.argv[2])
db.execute("INSERT INTO decision (uuid, row, example_id, action, label, reviewer, role,"
           " pass, time, note) VALUES (CAST(? AS TEXT), 3, CAST(? AS TEXT),"
           " 'reject', CAST(? AS TEXT), 'x', 'annotator', 1, CAST(? AS TEXT), NULL)",
           (b"u" + h, b"i3" + h, b"b" + h, b"t" + h))
db.commit()
END
	in_pty "hand-edited log text" '"$R" log "$DATA"'
	in_pty "hand-edited log csv" '"$R" log "$DATA" --format csv'
	in_pty "hand-edited log json" '"$R" log "$DATA" --format json'
	in_pty "hand-edited diff" '"$R" diff "$DATA" 0 working'
	in_pty "hand-edited export" '"$R" export "$DATA" --working -o - --manifest -'
fi
# Error paths naming hostile files, values and options.
in_pty "missing data" '"$R" stats "$D/none$H.csv"'
in_pty "bad --row" '"$R" decide "$DATA" --row "$H" --action accept'
in_pty "bad --id" '"$R" decide "$DATA" --id "$H" --action accept'
in_pty "bad --action" '"$R" decide "$DATA" --row 0 --action "$H"'
in_pty "bad --label" '"$R" decide "$DATA" --row 0 --action relabel --label "$H"'
in_pty "bad --filter-by" '"$R" scan "$DATA" --filter-by "$H"'
in_pty "bad --version" '"$R" log "$DATA" --version "$H"'
in_pty "bad diff version" '"$R" diff "$DATA" "$H" 0'
in_pty "bad --threads" '"$R" scan "$DATA" --threads "$H"'
in_pty "unknown option" '"$R" scan "$DATA" "--$H"'
in_pty "unknown command" '"$R" "$H"'
in_pty "bad --db" '"$R" log --db "$D/none$H.db"'
printf 'id,text,label\nx,y,c%s\n' "$H" >"$D/bad.csv"
in_pty "label not a class" '"$R" scan "$D/bad.csv" --probs "$D/probs.csv"'
printf 'a%s,b%s\n0.5,zz%s\n' "$H" "$H" "$H" >"$D/badprobs.csv"
printf 'id,text,label\nx,y,a%s\n' "$H" >"$D/one.csv"
in_pty "bad probability" '"$R" scan "$D/one.csv" --probs "$D/badprobs.csv"'
{
	echo 'id,image,label'
	for i in 0 1 2 3 4 5 6 7 8 9; do printf '%s,img%s.png,%s\n' $i "$H" $((i % 2)); done
} >"$D/img.csv"
in_pty "missing image (model)" '"$R" scan "$D/img.csv" --features image'
in_pty "--help" '"$R" --help; "$R" scan --help; "$R" decide --help; "$R" log --help'

# Enough rows that scan formats them on several threads, into buffers that
# are not the terminal: the ids are still shown in visible form.
awk -v h="$H" 'BEGIN { print "id,label"
	for (i = 0; i < 40000; i++) printf "b%d%s,%s\n", i, h, (i % 3 ? "x" : "y") }' >"$D/big.csv"
awk 'BEGIN { print "x,y"
	for (i = 0; i < 40000; i++) print (i % 2 ? "0.3,0.7" : "0.8,0.2") }' >"$D/bigprobs.csv"
in_pty "scan --all, rows formatted in parts" '"$R" scan "$D/big.csv" --probs "$D/bigprobs.csv" --all'
in_pty "scan --all tsv, rows formatted in parts" \
	'"$R" scan "$D/big.csv" --probs "$D/bigprobs.csv" --all --format tsv'
[ "$(LC_ALL=C grep -c '^[0-9]*,[0-9]*,b[0-9]*\\e\]0;OWNED' "$T/pty.$((n - 1))")" -ge 40000 ] ||
	say "scan --all, rows formatted in parts: not every row reached the terminal"

# To a pipe, CSV keeps the data exact.
"$R" scan "$DATA" --all | grep -qF "i0$H" || say "scan to a pipe altered the ids"
"$R" log "$DATA" --format csv | grep -qF "eve$H" || say "log csv to a pipe altered the reviewer"
[ -f "$D/out$H.csv" ] && grep -qF "t3 $H" "$D/out$H.csv" || say "export altered the data"
# In the terminal, the escapes are visible.
grep -q 'eve\\e\]0;OWNED\\a\\e\]52;c;cHduZWQ=\\a\\e\[2J<U+009B>m\\x9bm<U+202E>\\x7f' "$T/pty.12" ||
	say "log text does not show the escapes visibly"

[ $fail = 0 ] && echo "terminal-safety: ok"
exit $fail
