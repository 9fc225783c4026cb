#!/bin/sh
# review-golden.sh — the review screen, driven headlessly by scripts of named
# actions, against golden text snapshots (screen + session state) in
# tests/golden/. GENERATE=1 rewrites the goldens instead of comparing.
# Also checks that scripted decisions reach the corrections log exactly as
# decided.
set -u
R=${RELABEL:-./relabel}
G=${top_srcdir:-.}/tests/golden
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
cp "${top_srcdir:-.}/data/digits/noisy/data.csv" "${top_srcdir:-.}/data/digits/noisy/probs.csv" "$T/"
mkdir -p "$T/snaps"
# A text dataset with wide characters, combining marks and a control character.
printf 'id,text,label\nw1,"漢字 wide text, café with e\314\201 and a tab\there",chat\nw2,plain words that wrap across the preview pane because they are long enough to need it,chien\nw3,x,chat\n' >"$T/text.csv"
printf 'chat,chien\n0.1,0.9\n0.2,0.8\n0.95,0.05\n' >"$T/text-probs.csv"

run() { # name script-text [extra args]
	name=$1 text=$2
	shift 2
	printf '%s\n' "$text" >"$T/$name.script"
	(cd "$T" && RELABEL_REVIEWER=tester "$R" review "$@" --image=symbols \
		--script "$name.script" --snapshots snaps) || say "$name: exit $?"
}
mkdir "$T/pics"
printf 'not a png' >"$T/pics/bad.png"
printf 'id,image,label\nm0,pics/bad.png,a\nm1,pics/bad.png,a\nm2,pics/missing.png,a\nm3,pics/bad.png,b\nm4,pics/bad.png,b\nm5,pics/bad.png,b\n' >"$T/img.csv"
printf 'a,b\n0.9,0.1\n0.9,0.1\n0.1,0.9\n0.1,0.9\n0.1,0.9\n0.9,0.1\n' >"$T/img-probs.csv"
run images 'snapshot image-missing
down
snapshot image-corrupt' img.csv --probs img-probs.csv --size 80x24
run main 'snapshot list
down
snapshot down
accept
relabel eight
exclude
snapshot decided
undo
snapshot undone
help
snapshot help
quit
stats
snapshot stats
quit
filter pair one six
snapshot pair
filter clear
filter state undecided
snapshot undecided
search 164
snapshot search
note looks like a two
reject
commit first pass
snapshot committed
resize 50x10
snapshot too-small' data.csv --size 100x30
run text 'snapshot text
preview-down
snapshot scrolled' text.csv --probs text-probs.csv --size 80x20
run expert 'snapshot expert
confirm
snapshot confirmed' data.csv --size 100x30 --role expert --reviewer boss
run blind 'snapshot blind' data.csv --size 100x30 --role expert --reviewer boss2 --blind

for f in "$T"/snaps/*.txt; do
	n=$(basename "$f")
	if [ "${GENERATE:-0}" = 1 ]; then
		cp "$f" "$G/$n"
	elif ! cmp -s "$f" "$G/$n"; then
		say "snapshot $n differs from tests/golden/$n"
		diff "$G/$n" "$f" | head -20
	fi
done
[ "${GENERATE:-0}" = 1 ] || [ "$(ls "$T/snaps" | wc -l)" = "$(ls "$G" | wc -l)" ] ||
	say "golden files and snapshots differ in number"

# The decisions reached the log as decided (newest first).
"$R" log "$T/data.csv" --format csv | cut -d, -f1,3,4,5,7,10 >"$T/log.csv"
cat >"$T/want.csv" <<'END'
row,action,label,reviewer,pass,note
193,accept,three,boss,2,
164,reject,nine,tester,1,looks like a two
164,undo,,tester,1,
164,exclude,,tester,1,
631,relabel,eight,tester,1,
193,accept,three,tester,1,
END
cmp -s "$T/log.csv" "$T/want.csv" || { say "log does not match the decisions"; diff "$T/want.csv" "$T/log.csv"; }
[ $fail = 0 ] && echo "review-golden: ok"
exit $fail
