#!/bin/sh
# review-golden.sh — the review screen, driven headlessly by scripts of named
# actions, against golden text snapshots (screen + session state) in
# tests/golden/. GENERATE=1 rewrites the goldens instead of comparing.
# Also checks that scripted decisions reach the corrections log exactly as
# decided.
set -u
R=${RELABEL:-./relabel}
G=${top_srcdir:-.}/tests/golden
# One level below a fresh directory: the snapshots of missing images need
# ../images not to exist, whatever the machine's /tmp holds.
T0=$(mktemp -d)
T=$T0/w
mkdir "$T"
trap 'rm -rf "$T0"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
cp "${top_srcdir:-.}/data/digits/noisy/data.csv" "${top_srcdir:-.}/data/digits/noisy/probs.csv" "$T/"
mkdir -p "$T/snaps"
# A text dataset with wide characters, combining marks and a control character.
printf 'id,text,label\nw1,"漢字 wide text, café with e\314\201 and a tab\there",chat\nw2,plain words that wrap across the preview pane because they are long enough to need it,chien\nw3,x,chat\n' >"$T/text.csv"
printf 'chat,chien\n0.1,0.9\n0.2,0.8\n0.95,0.05\n' >"$T/text-probs.csv"

# Screen text: escapes, bidi controls and invalid bytes shown in visible form
# everywhere (list, detail, preview), tabs expanded, ZWJ emoji sequences drawn
# as separate emoji (no ZWJ, variation selector or skin-tone modifier
# reaches the terminal), CRLF inside a cell a line break, and the classes
# "cat" and "cat " told apart by "␠".
Z=$(printf '\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247')
E=$(printf '\033]0;T\a\302\233\233\342\200\256\177')
{
	printf 'id,text,label\n'
	printf 'e%s,"family %s heart \342\235\244\357\270\217 thumb \360\237\221\215\360\237\217\275 flag \360\237\207\253\360\237\207\267 end\r\ncol\tx\ty\r\nctl %s end",cat\n' "$E" "$Z" "$E"
	printf '%s,second,cat\nz3,x,cat\nz4,four,cat\nz5,y,cat \nz6,y,cat \nz7,y,cat \nz8,y,cat\nz9,y,cat\nz10,y,cat\n' "$Z"
} >"$T/st.csv"
printf 'cat,cat \n0.1,0.9\n0.2,0.8\n0.35,0.65\n0.3,0.7\n0.4,0.6\n0.4,0.6\n0.4,0.6\n0.9,0.1\n0.9,0.1\n0.9,0.1\n' >"$T/st-probs.csv"

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
run screentext 'snapshot screen-text
down
snapshot screen-text-down
key l
snapshot screen-text-picker
key Esc
relabel cat 
snapshot screen-text-saved
stats
snapshot screen-text-stats' st.csv --probs st-probs.csv --size 120x30
run text 'snapshot text
preview-down
snapshot scrolled' text.csv --probs text-probs.csv --size 80x20
run expert 'snapshot expert
confirm
snapshot confirmed' data.csv --size 100x30 --role expert --reviewer boss
run blind 'snapshot blind' data.csv --size 100x30 --role expert --reviewer boss2 --blind
# The picker: most likely first, G and S marked, keys 1-9 0; filtered by typing.
run picker 'key l
snapshot picker
type e
snapshot picker-filtered
key Esc
down
down
down
down
key 3
snapshot digit-relabel' data.csv --size 100x30 --reviewer alice
# More classes than the picker's lines: a second page, two keys away.
mkdir "$T/deb"
cp "${top_srcdir:-.}/data/debian-sections/noisy/data.csv" "${top_srcdir:-.}/data/debian-sections/noisy/probs.csv" "$T/deb/"
printf 'key l\nsnapshot picker-page1\nkey PgDn\nsnapshot picker-page2\nkey 2\nsnapshot picker-paged-pick\n' >"$T/deb.script"
(cd "$T/deb" && RELABEL_REVIEWER=tester "$R" review data.csv --script ../deb.script \
	--size 60x16 --snapshots ../snaps) || say "deb: exit $?"
"$R" log "$T/deb/data.csv" --format csv | grep -q '^824,golang-github[^,]*,relabel,haskell,tester' ||
	say "the second page's key 2 did not relabel to its second class"
# Another annotator sees the rows others decided, marked; state others/mine.
run others 'snapshot others
filter state others
snapshot others-only
filter state mine
snapshot others-mine
key f
snapshot others-prompt
key Esc
filter state bogus
snapshot others-error
clear-filter
snapshot others-cleared' data.csv --size 100x30 --reviewer carol
# 80x24: the given class stays in the bars (the middle elided); footer fits.
run small 'down
down
down
snapshot small-detail
key l
snapshot small-picker' data.csv --size 80x24 --reviewer carol
# Expert: a disagreement with the annotator, its own queue, the health view.
run disagree 'relabel nine
snapshot disagree
filter state disagree
snapshot disagree-only
stats
snapshot disagree-stats
quit
expert
snapshot expert-to-first' data.csv --size 100x30 --role expert --reviewer boss3

# The built-in model on a small text dataset: named before the screen, in
# the health view, with the warning that the data is too small.
mkdir "$T/small"
awk 'BEGIN { print "id,text,label"
	for (i = 0; i < 30; i++) {
		if (i % 4 == 0) print "t" i ",cheap pills buy now " i ",spam"
		else if (i % 4 == 1) print "t" i ",lunch at noon tomorrow " i ",ham"
		else print "t" i ",meeting notes attached " (i % 2) "," (i == 6 ? "spam" : "ham")
	} }' >"$T/small/small.csv"
printf 'snapshot model\nstats\nsnapshot model-stats\n' >"$T/model.script"
(cd "$T/small" && RELABEL_REVIEWER=tester "$R" review small.csv --script ../model.script \
	--size 100x30 --snapshots ../snaps 2>../model.err) || say "model: exit $?"
grep -q '^relabel: built-in model: logistic regression on text, 5 folds, out-of-fold accuracy' \
	"$T/model.err" || say "the built-in model is not named before the screen: $(cat "$T/model.err")"
grep -q '^relabel: warning: only 9 examples of spam; confident learning needs about 10' \
	"$T/model.err" || say "no warning about the small class: $(cat "$T/model.err")"
# --rank-by and --filter-by build the queue and are shown and recorded.
run ranked 'stats
snapshot ranked-stats' data.csv --size 100x30 --rank-by normalized_margin --filter-by both
if command -v sqlite3 >/dev/null 2>&1; then
	[ "$(sqlite3 "$T/data.relabel.db" 'SELECT filter_by, rank_by FROM scan ORDER BY id DESC LIMIT 1')" = \
		"both|normalized_margin" ] || say "review --rank-by/--filter-by not recorded with the scan"
fi

# The power tools (goto, sort, class examples, guidelines, unsure, bulk and
# its undo, spot check, search-all) on copies, so the log check below is
# not disturbed. The digits' images are found through a link.
mkdir -p "$T/tools/noisy" "$T/deb"
cp "${top_srcdir:-.}/data/digits/noisy/data.csv" "${top_srcdir:-.}/data/digits/noisy/probs.csv" "$T/tools/noisy/"
ln -s "$(cd "${top_srcdir:-.}/data/digits/images" && pwd)" "$T/tools/images"
cp "${top_srcdir:-.}/data/debian-sections/noisy/data.csv" "${top_srcdir:-.}/data/debian-sections/noisy/probs.csv" "$T/deb/"
printf '# Digits guide\nLabel the digit you see.\n\n## zero\nA closed ring.\n\n## one\nA single stroke, maybe a flag at the top.\n\n### one or seven?\nA seven has a bar across the top.\n\n## six\nA loop at the bottom, a stem up.\n\n## nine\nA loop at the top, a stem down.\n' >"$T/tools/guide.md"
seq -f 'Line %g.' 2 30 >>"$T/tools/guide.md"
run tools 'goto 7
snapshot tools-goto
accept
goto row 99999
snapshot tools-goto-bad
sort given
snapshot tools-sort
sort rank
goto 164
examples
snapshot tools-examples
quit
guide
snapshot tools-guide
key j
key j
key j
snapshot tools-guide-scrolled
quit
unsure
snapshot tools-unsure
filter given one
key B
type reject
key Enter
snapshot tools-bulk-confirm
key y
snapshot tools-bulk
undo
snapshot tools-bulk-undone
spot-check 20 7
snapshot tools-spot
relabel eight
reject
stats
snapshot tools-spot-stats' tools/noisy/data.csv --size 100x30 --image ascii --guidelines tools/guide.md
run tools-expert 'snapshot tools-expert-unsure' tools/noisy/data.csv --size 100x30 --image none --role expert --reviewer boss
run tools-text 'search-all python3
snapshot tools-search-all
examples
snapshot tools-examples-text' deb/data.csv --size 100x30
"$R" log "$T/tools/noisy/data.csv" >"$T/tools-log.txt"
grep -q 'batch .*: [0-9]* decisions (reject [0-9]*) by tester' "$T/tools-log.txt" ||
	{ say "relabel log does not show the bulk batch"; cat "$T/tools-log.txt"; }
(cd "$T" && RELABEL_REVIEWER=tester "$R" stats tools/noisy/data.csv) | grep -q \
	'^spot check: 1 of 2 unflagged examples were mislabelled → about 50.0% (95% Wilson interval 9.5–90.5%) of the 1613 unflagged, ≈ 806 examples$' ||
	say "relabel stats does not report the spot check"
(cd "$T" && "$R" stats tools/noisy/data.csv --format json) | grep -q \
	'"spot_check": {"sampled": 20, "decided": 2, "mislabelled": 1, "unsure": 0, "unflagged": 1613, "rate": 0.5, ' ||
	say "relabel stats --format json does not report the spot check"
"$R" review "$T/tools/noisy/data.csv" --guidelines "$T/missing.md" --script /dev/null 2>"$T/err.txt"
[ $? = 2 ] && grep -q 'missing.md: cannot read the guidelines' "$T/err.txt" ||
	say "--guidelines with a missing file: no clear error at start"

# Decision times vary from run to run: compare them as a fixed mark.
for f in "$T"/snaps/*.txt; do
	sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}/YYYY-MM-DD hh:mm/g' "$f" >"$f.tmp" &&
		mv "$f.tmp" "$f"
done

for f in "$T"/snaps/*.txt; do
	n=$(basename "$f")
	if [ "${GENERATE:-0}" = 1 ]; then
		cp "$f" "$G/$n"
	elif ! cmp -s "$f" "$G/$n"; then
		say "snapshot $n differs from tests/golden/$n"
		diff "$G/$n" "$f" | head -20
	fi
done
[ "${GENERATE:-0}" = 1 ] || [ "$(ls "$T/snaps" | wc -l)" = "$(ls "$G"/*.txt | wc -l)" ] ||
	say "golden files and snapshots differ in number"

# The decisions reached the log as decided (newest first).
"$R" log "$T/data.csv" --format csv | cut -d, -f1,3,4,5,7,10 >"$T/log.csv"
cat >"$T/want.csv" <<'END'
row,action,label,reviewer,pass,note
631,relabel,nine,boss3,2,
333,relabel,three,alice,1,
193,confirm,three,boss,2,
164,reject,nine,tester,1,
164,undo,,tester,1,
164,exclude,,tester,1,
631,relabel,eight,tester,1,
193,accept,three,tester,1,
END
cmp -s "$T/log.csv" "$T/want.csv" || { say "log does not match the decisions"; diff "$T/want.csv" "$T/log.csv"; }
# The expert's y is a confirm, and the note is a record of its own: both
# reach the manifest.
"$R" decide "$T/data.csv" --row 911 --action reject --reviewer dora --note "decided by script" \
	>/dev/null 2>&1 || say "decide --note failed"
"$R" export "$T/data.csv" --working -o "$T/out.csv" --manifest "$T/m.json" 2>/dev/null ||
	say "export failed"
grep -q '"row": 911, "id": "911", "decision": "[0-9a-f-]*", "reviewer": "dora", "role": "annotator", "time": "[^"]*", "text": "decided by script"' "$T/m.json" ||
	say "manifest: the decide --note on row 911 is missing"
grep -q '"row": 193, "id": "193", "action": "confirm"' "$T/m.json" ||
	say "manifest: row 193 not exported as a confirm"
grep -q '"row": 164, "id": "164", "decision": "[0-9a-f-]*", "reviewer": "tester", "role": "annotator", "time": "[^"]*", "text": "looks like a two"' "$T/m.json" ||
	say "manifest: the note on row 164 is missing"
[ $fail = 0 ] && echo "review-golden: ok"
exit $fail
