#!/bin/sh
# review-image.sh — choosing the image mode and the zoom view, headlessly
# (--script): --image and RELABEL_IMAGE (the flag wins; bad names are
# usage errors), the help screen's line saying which mode and why, the
# zoom action on an image (full screen, any key returns) and on a text
# example, and a pixel mode leaving the pane's cells blank for the
# picture the terminal front end draws.
set -u
R=${RELABEL:-./relabel}
unset RELABEL_IMAGE
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir "$T/noisy"
cp -r "${top_srcdir:-.}/data/digits/images" "$T/"
cp "${top_srcdir:-.}/data/digits/noisy/data.csv" "${top_srcdir:-.}/data/digits/noisy/probs.csv" "$T/noisy/"
D=$T/noisy/data.csv
run() { # name script [args]: snapshots in $T/NAME/
	name=$1
	printf '%s\n' "$2" >"$T/$name.script"
	shift 2
	mkdir -p "$T/$name"
	RELABEL_REVIEWER=t "$R" review "$D" --db "$T/$name.db" --script "$T/$name.script" \
		--size 100x30 --snapshots "$T/$name" "$@" 2>"$T/$name.err"
}
helpline() { grep 'image previews:' "$T/$1/help.txt"; }

run auto 'help
snapshot help' || say "auto: exit $?"
helpline auto | grep -q 'image previews: symbols (auto; no terminal to ask)' || say "auto: $(helpline auto)"
RELABEL_IMAGE=ascii run env 'help
snapshot help' || say "env: exit $?"
helpline env | grep -q 'image previews: ascii (RELABEL_IMAGE)' || say "env: $(helpline env)"
RELABEL_IMAGE=ascii run flag 'help
snapshot help' --image=blocks || say "flag: exit $?"
helpline flag | grep -q 'image previews: blocks (--image)' || say "flag over env: $(helpline flag)"
RELABEL_IMAGE=bogus run badenv 'quit'
[ $? = 2 ] || say "RELABEL_IMAGE=bogus accepted"
grep -q 'RELABEL_IMAGE: auto, kitty, sixel, iterm, symbols, blocks, ascii or none' "$T/badenv.err" ||
	say "bad RELABEL_IMAGE message: $(cat "$T/badenv.err")"
run badflag 'quit' --image=halfblocks
[ $? = 2 ] || say "--image=halfblocks accepted"

# zoom: the digit over the whole screen, any key returns
run zoom 'snapshot list
zoom
snapshot zoom
key x
snapshot back' || say "zoom: exit $?"
grep -q '^ zoom  ../images/00911.png (8x8, symbols)  any key returns' "$T/zoom/zoom.txt" ||
	say "zoom status line: $(sed -n 30p "$T/zoom/zoom.txt")"
grep -q '^mode: 6$' "$T/zoom/zoom.txt" || say "zoom: not in the zoom view"
grep -q '^mode: 0$' "$T/zoom/back.txt" || say "zoom: a key did not return to the list"
# the zoomed digit fills the screen's height: 29 rows of symbols
n=$(head -29 "$T/zoom/zoom.txt" | LC_ALL=C grep -c "$(printf '[\200-\377]')")
[ "$n" -ge 25 ] || say "zoom: the image covers $n rows"
cmp -s "$T/zoom/list.txt" "$T/zoom/back.txt" || say "zoom: the list is not as it was"

# a pixel mode: blank cells where the terminal draws the picture, and the
# caption under them
run sixel 'snapshot list' --image=sixel || say "sixel: exit $?"
grep -q '../images/00911.png (8x8)' "$T/sixel/list.txt" || say "sixel: no caption"
grep -q '[▀▄▌▐▖▗▘▝▚▞]' "$T/sixel/list.txt" && say "sixel: symbols drawn under the picture"

# no image column: nothing to zoom
printf 'id,text,label\n1,hello,a\n2,world,b\n3,again,a\n' >"$T/text.csv"
printf 'a,b\n0.1,0.9\n0.9,0.1\n0.8,0.2\n' >"$T/text-probs.csv"
printf 'zoom\nsnapshot z\n' >"$T/tz.script"
mkdir "$T/tz"
"$R" review "$T/text.csv" --probs "$T/text-probs.csv" --script "$T/tz.script" \
	--snapshots "$T/tz" || say "text zoom: exit $?"
grep -q '^message: no image to zoom' "$T/tz/z.txt" || say "text zoom: $(grep '^message' "$T/tz/z.txt")"
grep -q '^mode: 0$' "$T/tz/z.txt" || say "text zoom: left the list"
[ $fail = 0 ] && echo "review-image: ok"
exit $fail
