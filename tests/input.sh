#!/bin/sh
# input.sh — hostile input at the command line: bare-CR and mixed line ends
# exported byte for byte, NUL bytes and /dev/zero refused at once, JSON that
# stays valid on bytes that are not UTF-8, strict numeric options, exact
# --id, duplicate ids, empty labels and class names, duplicate column
# names, too many classes, the missing-image message, a missing option
# value, inputs that are pipes or FIFOs. Each check names the behaviour it
# keeps.
set -u
R=${RELABEL:-./relabel}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
# expect STATUS WHAT COMMAND...: exit status, stderr kept in $T/err
expect() {
	want=$1; what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; got=$?
	[ "$got" = "$want" ] || { say "$what: exit $got, want $want: $(head -3 "$T/err")"; }
}
json_ok() { # FILE WHAT: the file is valid JSON
	python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$1" \
		2>/dev/null || say "$2: not valid JSON: $(head -c 300 "$1")"
}
export RELABEL_REVIEWER=tester

# 1. Bare CR (classic Mac) line ends: the issue's example.
C=$T/cr; mkdir "$C"
printf 'id,text,label\r1,hello,a\r2,world,b\r3,foo,c\r4,bar,a\r5,baz,b\r6,qux,c\r' >"$C/d.csv"
printf 'a,b,c\r0.8,0.1,0.1\r0.1,0.8,0.1\r0.1,0.1,0.8\r0.1,0.8,0.1\r0.1,0.8,0.1\r0.1,0.1,0.8\r' >"$C/probs.csv"
expect 0 "decide on a CR file" "$R" decide "$C/d.csv" --row 3 --action accept
expect 0 "export of a CR file" "$R" export "$C/d.csv" --working -o "$C/out.csv" --manifest "$C/m.json"
printf 'id,text,label\r1,hello,a\r2,world,b\r3,foo,c\r4,bar,b\r5,baz,b\r6,qux,c\r' >"$C/want.csv"
cmp -s "$C/out.csv" "$C/want.csv" || say "CR export differs: $(od -c "$C/out.csv" | head -5)"
expect 0 "exclude on a CR file" "$R" decide "$C/d.csv" --row 0 --action exclude
expect 0 "export with an exclusion" "$R" export "$C/d.csv" --working -o "$C/out.csv" --manifest "$C/m.json"
printf 'id,text,label\r2,world,b\r3,foo,c\r4,bar,b\r5,baz,b\r6,qux,c\r' >"$C/want.csv"
cmp -s "$C/out.csv" "$C/want.csv" || say "CR export with exclusion differs"
grep -q '"rows_in": 6, "rows_out": 5, "changed": 1, "excluded": 1' "$C/m.json" ||
	say "CR manifest counts: $(tail -2 "$C/m.json")"
# errors in a CR file are reported at their own line
printf 'id,text,label\r1,hello,a\r2,world\r' >"$C/bad.csv"
expect 2 "short row in a CR file" "$R" scan "$C/bad.csv" --probs "$C/probs.csv"
grep -q 'bad.csv:3:2: row has 2 fields' "$T/err" || say "CR line number: $(cat "$T/err")"
# a stray CR inside an LF file: the changed row is not dropped
printf 'id,text,label\n1,hello,a\n2,world,b\r3,foo,c\n4,bar,a\n5,baz,b\n6,qux,c\n' >"$C/mix.csv"
expect 0 "decide on a mixed file" "$R" decide "$C/mix.csv" --probs "$C/probs.csv" --row 2 --action relabel --label a
expect 0 "export of a mixed file" "$R" export "$C/mix.csv" --probs "$C/probs.csv" --working -o "$C/mix-out.csv"
printf 'id,text,label\n1,hello,a\n2,world,b\r3,foo,a\n4,bar,a\n5,baz,b\n6,qux,c\n' >"$C/want.csv"
cmp -s "$C/mix-out.csv" "$C/want.csv" || say "mixed line-end export differs: $(od -c "$C/mix-out.csv" | head)"

# 15. A changed record followed by blank lines keeps its CR and the blank lines.
B=$T/blank; mkdir "$B"
printf 'id,label\r\n1,a\r\n\r\n\r\n\r\n\r\n\r\n2,b\r\n3,a\r\n\r\n' >"$B/d.csv"
printf 'a,b\n0.1,0.9\n0.1,0.9\n0.9,0.1\n' >"$B/probs.csv"
expect 0 "decide before blank lines" "$R" decide "$B/d.csv" --row 0 --action accept
expect 0 "decide before the final blank line" "$R" decide "$B/d.csv" --row 2 --action relabel --label b
expect 0 "export with blank lines" "$R" export "$B/d.csv" --working -o "$B/out.csv"
printf 'id,label\r\n1,b\r\n\r\n\r\n\r\n\r\n\r\n2,b\r\n3,b\r\n\r\n' >"$B/want.csv"
cmp -s "$B/out.csv" "$B/want.csv" || say "blank lines after a changed record: $(od -c "$B/out.csv" | head)"

# 4. NUL bytes and /dev/zero: bad input at once, exit 2.
N=$T/nul; mkdir "$N"
printf 'label\na\nb\n' >"$N/d.csv"
printf 'a,b\n0.5,0.5\n0.8\0,0.2\n' >"$N/probs.csv"
expect 2 "NUL in PROBS" "$R" scan "$N/d.csv"
grep -q 'probs.csv:3:1: NUL byte' "$T/err" || say "NUL in PROBS message: $(cat "$T/err")"
grep -q 'not a number' "$T/err" && say "NUL in PROBS reported as a number"
printf 'a,b\n0.5,0.5\n0.5,0.5\n' >"$N/p.csv"
printf 'label\na\nb\0\n' >"$N/d2.csv"
expect 2 "NUL in DATA" "$R" scan "$N/d2.csv" --probs "$N/p.csv"
grep -q 'd2.csv:3:1: NUL byte' "$T/err" || say "NUL in DATA message: $(cat "$T/err")"
expect 2 "/dev/zero as DATA" timeout 20 "$R" scan /dev/zero --probs "$N/p.csv"
expect 2 "/dev/zero as PROBS" timeout 20 "$R" scan "$N/d.csv" --probs /dev/zero
# a binary PROBS file: relabel's words, not the CSV library's
printf '"PK\003\004x"y,\001\002\n' >"$N/bin.csv"
expect 2 "binary PROBS" "$R" scan "$N/d.csv" --probs "$N/bin.csv"
grep -Eq 'strict checking|error parsing data' "$T/err" && say "libcsv's message reached the user: $(cat "$T/err")"
grep -q "bin.csv:1:1: text after the closing" "$T/err" || say "binary PROBS message: $(cat "$T/err")"

# 6. Bytes that are not UTF-8: valid JSON with U+FFFD and a warning naming
# the place; the exported CSV keeps the bytes.
U=$T/utf8; mkdir "$U"
printf 'id,text,label\ncaf\351,x,caf\351\nb,y,dog\nc,z,dog\n' >"$U/d.csv"
printf 'caf\351,dog\n0.9,0.1\n0.2,0.8\n0.3,0.7\n' >"$U/probs.csv"
expect 0 "scan --format json" "$R" scan "$U/d.csv" --all --format json -o "$U/scan.json"
json_ok "$U/scan.json" "scan --format json"
grep -q 'probs.csv:1:1: text that is not UTF-8' "$T/err" || say "scan json warning: $(cat "$T/err")"
grep -q 'caf\\u\|café\|caf�' "$U/scan.json" || say "scan json lost the id"
expect 0 "stats --format json" "$R" stats "$U/d.csv" --format json
cp "$T/out" "$U/stats.json"
json_ok "$U/stats.json" "stats --format json"
grep -q 'not UTF-8' "$T/err" || say "stats json warning missing"
expect 0 "decide on a Latin-1 row" "$R" decide "$U/d.csv" --row 1 --action relabel --label "$(printf 'caf\351')" --note "$(printf 'n\351')"
expect 0 "log --format json" "$R" log "$U/d.csv" --format json
cp "$T/out" "$U/log.json"
json_ok "$U/log.json" "log --format json"
grep -q 'not UTF-8' "$T/err" || say "log json warning missing"
expect 0 "export with a manifest" "$R" export "$U/d.csv" --working -o "$U/out.csv" --manifest "$U/m.json"
json_ok "$U/m.json" "the manifest"
printf 'id,text,label\ncaf\351,x,caf\351\nb,y,caf\351\nc,z,dog\n' >"$U/want.csv"
cmp -s "$U/out.csv" "$U/want.csv" || say "export altered bytes that are not UTF-8"
grep -q 'd.csv:2:1: text that is not UTF-8\|probs.csv:1:1: text that is not UTF-8' "$T/err" ||
	say "manifest warning: $(cat "$T/err")"
# C1 and bidi controls are escaped, an invalid byte is \ufffd
printf 'id,label\nx\302\205\342\200\256y\351,a\nb,b\n' >"$U/c1.csv"
printf 'a,b\n0.9,0.1\n0.2,0.8\n' >"$U/c1p.csv"
expect 0 "scan json of controls" "$R" scan "$U/c1.csv" --probs "$U/c1p.csv" --all --format json -o "$U/c1.json"
grep -q '"x\\u0085\\u202ey\\ufffd"' "$U/c1.json" || say "controls in JSON: $(cat "$U/c1.json")"
json_ok "$U/c1.json" "scan json of controls"
# valid UTF-8 gives no warning
printf 'id,label\ncaf\303\251,a\nb,b\n' >"$U/ok.csv"
printf 'a,b\n0.9,0.1\n0.2,0.8\n' >"$U/okp.csv"
expect 0 "scan of UTF-8" "$R" scan "$U/ok.csv" --probs "$U/okp.csv" --format json
grep -q 'UTF-8' "$T/err" && say "warning on valid UTF-8"

# 13. Command line: plain decimal only, exact --id, one message.
L=$T/cli; mkdir "$L"
printf 'label\na\nb\na\nb\n' >"$L/d.csv"
printf 'a,b\n0.9,0.1\n0.2,0.8\n0.3,0.7\n0.6,0.4\n' >"$L/probs.csv"
for bad in '' ' 3' '+3' '3 ' '-0' '0x1' '1e0'; do
	expect 2 "--row '$bad'" "$R" decide "$L/d.csv" --row "$bad" --action reject
done
for opt in "--threads" "--folds" "--seed"; do
	expect 2 "$opt ' 3'" "$R" scan "$L/d.csv" $opt ' 3'
	expect 2 "$opt +3" "$R" scan "$L/d.csv" $opt +3
done
expect 2 "export --version +0" "$R" export "$L/d.csv" --version +0 -o "$L/x.csv"
expect 2 "log --version ' 0'" "$R" log "$L/d.csv" --version ' 0'
expect 2 "review --size ' 80x24'" "$R" review "$L/d.csv" --size ' 80x24' --script /dev/null
for bad in ' 1' '+1' '01' '1 '; do
	expect 2 "--id '$bad' without an id column" "$R" decide "$L/d.csv" --id "$bad" --action reject
done
expect 0 "--id 1 without an id column" "$R" decide "$L/d.csv" --id 1 --action reject
expect 2 "accept with --label" "$R" decide "$L/d.csv" --row 0 --action accept --label b
grep -q -- '--label goes with --action relabel only' "$T/err" || say "accept --label message: $(cat "$T/err")"
expect 2 "missing option value" "$R" decide "$L/d.csv" --action reject --row
[ "$(grep -c . "$T/err")" = 2 ] && grep -q "option '--row' needs a value" "$T/err" &&
	! grep -q 'unknown option\|requires an argument' "$T/err" || say "missing value message: $(cat "$T/err")"
expect 2 "missing -o value" "$R" export "$L/d.csv" -o
grep -q "option '-o' needs a value" "$T/err" || say "missing -o message: $(cat "$T/err")"
expect 2 "unknown option" "$R" scan "$L/d.csv" --bogus
[ "$(grep -c . "$T/err")" = 2 ] && grep -q "unknown option '--bogus'" "$T/err" || say "unknown option message: $(cat "$T/err")"
# duplicate ids: refused to decide by id or to join, warned otherwise
printf 'id,label\nx,a\ny,b\nx,a\n' >"$L/dup.csv"
printf 'a,b\n0.9,0.1\n0.2,0.8\n0.3,0.7\n' >"$L/dupp.csv"
expect 0 "scan with duplicate ids" "$R" scan "$L/dup.csv" --probs "$L/dupp.csv"
grep -q "warning: .*dup.csv:4:1: id 'x' appears twice (also at line 2)" "$T/err" || say "duplicate id warning: $(cat "$T/err")"
expect 2 "decide --id with duplicate ids" "$R" decide "$L/dup.csv" --probs "$L/dupp.csv" --id x --action reject
grep -q "dup.csv:4:1: id 'x' appears twice (also at line 2)" "$T/err" || say "decide --id duplicate: $(cat "$T/err")"
printf 'id,a,b\nx,0.9,0.1\ny,0.2,0.8\nx,0.3,0.7\n' >"$L/dupj.csv"
expect 2 "join with duplicate ids" "$R" scan "$L/dup.csv" --probs "$L/dupj.csv"
grep -q "dup.csv:4:1: id 'x' appears twice (also at line 2)" "$T/err" || say "join duplicate: $(cat "$T/err")"

# 14. Empty labels and class names, duplicate column names, 10,001 classes.
M=$T/names; mkdir "$M"
printf 'text,label\nred apple,a\ngreen pear,\nred cherry,a\ngreen lime,b\nred rose,a\ngreen leaf,b\n' >"$M/d.csv"
expect 2 "empty label, built-in model" "$R" scan "$M/d.csv"
grep -q 'd.csv:3:2: empty label' "$T/err" || say "empty label message: $(cat "$T/err")"
printf 'label\na\nb\n' >"$M/e.csv"
printf 'a,\n0.5,0.5\n0.5,0.5\n' >"$M/ep.csv"
expect 2 "empty class name" "$R" scan "$M/e.csv" --probs "$M/ep.csv"
grep -q 'ep.csv:1:2: empty class name' "$T/err" || say "empty class message: $(cat "$T/err")"
printf 'label,x,label\na,1,a\n' >"$M/h.csv"
expect 2 "duplicate column names" "$R" scan "$M/h.csv" --probs "$N/p.csv"
grep -q "h.csv:1:3: column name 'label' appears twice" "$T/err" || say "duplicate column message: $(cat "$T/err")"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%sc%d", i ? "," : "", i; print ""
	     for (i = 0; i < 100000; i++) printf "%s%s", i ? "," : "", i ? "0" : "1"; print "" }' >"$M/big.csv"
printf 'label\nc0\n' >"$M/one.csv"
expect 2 "100,000 classes" "$R" scan "$M/one.csv" --probs "$M/big.csv"
grep -q 'at most 10000' "$T/err" || say "class limit message: $(cat "$T/err")"

# 15. The missing-image message while training names the path once, as
# written and as resolved; every text cell empty trains without UB.
I=$T/img; mkdir "$I" "$I/sub"
printf 'image,label\nnope.png,a\nnope.png,b\nnope.png,a\nnope.png,b\n' >"$I/sub/d.csv"
expect 2 "missing image while training" "$R" scan "$I/sub/d.csv"
grep -q "sub/d.csv:2:1: image 'nope.png' (resolved to '.*sub/nope.png'): No such file or directory" "$T/err" ||
	say "missing image message: $(cat "$T/err")"
[ "$(grep -o 'nope.png' "$T/err" | wc -l)" = 2 ] || say "missing image message repeats: $(cat "$T/err")"
printf 'text,label\n,a\n,b\n,a\n,b\n,a\n,b\n,a\n,b\n,a\n,b\n' >"$I/t.csv"
expect 0 "all text cells empty" "$R" scan "$I/t.csv" --features text
# a header error exits 2 (the ASan build exited 1 on a leak)
printf 'id,"lab\nel\n' >"$I/h.csv"
expect 2 "header error" "$R" scan "$I/h.csv" --probs "$N/p.csv"

# Inputs that are streams (a pipe, a FIFO, gzip through a pipe): read once
# and kept, so the parallel readers, the error messages' line numbers and
# the log's hash all see the same bytes as from the file.
S=$T/stream; mkdir "$S"
cp "${top_srcdir:-.}/data/digits/noisy/data.csv" "${top_srcdir:-.}/data/digits/noisy/probs.csv" "$S/"
"$R" scan "$S/data.csv" >"$S/want.txt" 2>/dev/null || say "scan of the files failed"
cat "$S/probs.csv" | "$R" scan "$S/data.csv" --probs /dev/stdin >"$S/got.txt" 2>"$T/err" ||
	say "probabilities from a pipe: $(head -2 "$T/err")"
cmp -s "$S/want.txt" "$S/got.txt" || say "probabilities from a pipe: another result"
gzip -c "$S/probs.csv" | "$R" scan "$S/data.csv" --probs /dev/stdin >"$S/got.txt" 2>"$T/err" ||
	say "gzip through a pipe: $(head -2 "$T/err")"
cmp -s "$S/want.txt" "$S/got.txt" || say "gzip through a pipe: another result"
mkfifo "$S/fifo.csv"
cat "$S/data.csv" >"$S/fifo.csv" &
"$R" scan "$S/fifo.csv" --probs "$S/probs.csv" >"$S/got.txt" 2>"$T/err" ||
	say "data from a FIFO: $(head -2 "$T/err")"
wait
cmp -s "$S/want.txt" "$S/got.txt" || say "data from a FIFO: another result"
sed '5s/^0\.[0-9]*/x/' "$S/probs.csv" | "$R" scan "$S/data.csv" --probs /dev/stdin >/dev/null 2>"$T/err"
[ $? = 2 ] || say "a bad number in a pipe: exit status"
grep -q '^relabel: /dev/stdin:5:1: not a number' "$T/err" || say "a bad number in a pipe: $(cat "$T/err")"
cat "$S/probs.csv" | "$R" decide "$S/data.csv" --probs /dev/stdin --row 0 --action reject \
	>/dev/null 2>"$T/err" || say "decide with probabilities from a pipe: $(head -2 "$T/err")"
[ "$(sqlite3 "$S/data.relabel.db" 'SELECT probs_sha256 FROM dataset')" = \
  "$(sha256sum <"$S/probs.csv" | cut -d' ' -f1)" ] || say "a pipe's hash in the log"

[ $fail = 0 ] && echo "input: ok"
exit $fail
