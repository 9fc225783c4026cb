#!/bin/sh
# review-xterm.sh — image previews in a real terminal that draws pixels:
# xterm as a VT340 (sixel) under Xvfb runs `relabel review` on a dataset
# whose worst example is a test pattern of one-pixel lines (which half
# blocks cannot draw). Screenshots of the screen (ImageMagick's import)
# must show the pattern pixel for pixel (whole-multiple enlargement,
# within a tolerance); after moving to an example without a picture, under
# the label picker and the help screen, and after quitting no pixel of the old picture may
# remain; the zoom view shows it larger; after a resize it is redrawn once. Keys are typed with xdotool. Polls against deadlines.
# Skips (exit 77) where Xvfb, xterm, import or xdotool is missing.
# XTERM_SHOTS=DIR keeps the screenshots of every checkpoint.
set -u
for tool in Xvfb xterm import xdotool; do
	command -v $tool >/dev/null 2>&1 || { echo "SKIP: no $tool (tools/setup installs it)"; exit 77; }
done
R=${RELABEL:-./relabel}
unset RELABEL_IMAGE
X=${top_builddir:-.}/tests/xshot
T=$(mktemp -d)
XPID= TPID=
cleanup() {
	[ -n "$TPID" ] && kill "$TPID" 2>/dev/null
	[ -n "$XPID" ] && kill "$XPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }

"$X" pattern "$T/pat.png" || { echo "FAIL: cannot write the pattern"; exit 1; }
# two flagged examples: the pattern (worst), then one whose image is
# missing (pics.csv: review-tmux.sh signals "relabel review data.csv")
{ echo id,image,label; echo p,pat.png,a; echo m,missing.png,b
  for i in 1 2 3 4; do echo a$i,pat.png,a; echo b$i,pat.png,b; done; } >"$T/pics.csv"
{ echo a,b; echo 0.01,0.99; echo 0.98,0.02
  for i in 1 2 3 4; do echo 0.9,0.1; echo 0.1,0.9; done; } >"$T/pics-probs.csv"

# Xvfb picks a free display and tells its number on fd 3.
Xvfb -displayfd 3 -screen 0 1024x768x24 -nolisten tcp 3>"$T/display" >/dev/null 2>&1 &
XPID=$!
i=0
while [ ! -s "$T/display" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/display" ] || { echo "SKIP: Xvfb did not start"; exit 77; }
DISPLAY=:$(cat "$T/display")
export DISPLAY
xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256' -geometry 100x30+0+0 \
	-e sh -c "cd '$T' && RELABEL_REVIEWER=x '$R' review pics.csv --probs pics-probs.csv; echo EXIT=\$? >'$T/exit'; sleep 60" \
	2>/dev/null &
TPID=$!

shot() { import -window root "$T/shot.png" 2>/dev/null; }
# wait_for WHAT CMD...: take screenshots for up to 15 s until CMD succeeds
wait_for() {
	what=$1
	shift
	i=0
	while [ $i -lt 60 ]; do
		if shot && "$@" >"$T/out"; then
			# XTERM_SHOTS=DIR keeps each checkpoint's screenshot
			[ -n "${XTERM_SHOTS:-}" ] && cp "$T/shot.png" "$XTERM_SHOTS/$(echo "$what" | tr -c 'a-z0-9\n' -).png"
			return 0
		fi
		i=$((i + 1))
		sleep 0.25
	done
	say "timed out waiting for $what: $(cat "$T/out")"
	cp "$T/shot.png" "${top_builddir:-.}/tests/review-xterm-failed.png" 2>/dev/null
	return 1
}
# typed keys go to the focused window (xterm ignores synthetic events)
key() {
	w=$(xdotool search --class xterm 2>/dev/null | head -1)
	xdotool windowfocus "$w" 2>/dev/null
	xdotool key "$1" 2>/dev/null
}

wait_for "the pattern in the preview pane" "$X" match "$T/shot.png" || exit 1
read -r bx by bw bh k pct <"$T/out"
echo "preview: ${bw}x${bh} at $bx,$by (x$k), $pct% of pixels off"

key j
wait_for "the picture to go (an example without one)" "$X" absent "$T/shot.png" "$bx" "$by" "$bw" "$bh"

key k
wait_for "the pattern back" "$X" match "$T/shot.png"
key z
zoomed() { "$X" match "$T/shot.png" && read -r _ _ zw _ _ _ <"$T/out" && [ "$zw" -gt "$bw" ]; }
wait_for "the zoom view, larger" zoomed
echo "zoom: $(cat "$T/out")"
key x
wait_for "the preview after zoom" "$X" match "$T/shot.png"
read -r _ _ w2 _ _ _ <"$T/out"
[ "$w2" = "$bw" ] || say "after zoom the preview is ${w2} wide, was $bw"

key l
wait_for "the label picker covering the picture" "$X" absent "$T/shot.png" "$bx" "$by" "$bw" "$bh"
key Escape
wait_for "the pattern after the picker" "$X" match "$T/shot.png"
key question
wait_for "the help screen covering the picture" "$X" absent "$T/shot.png" "$bx" "$by" "$bw" "$bh"
key q
wait_for "the pattern after help" "$X" match "$T/shot.png"
# resizing the window: the picture is drawn again for the new layout and
# the old one is gone (a second picture would break the frame's box)
w=$(xdotool search --class xterm 2>/dev/null | head -1)
xdotool windowsize "$w" 560 360 2>/dev/null
moved() { "$X" match "$T/shot.png" && read -r nx _ _ _ _ _ <"$T/out" && [ "$nx" != "$bx" ]; }
wait_for "the picture after a resize, in its new place" moved
echo "after resize: $(cat "$T/out")"
key q
i=0
while [ ! -s "$T/exit" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q 'EXIT=0' "$T/exit" 2>/dev/null || say "exit status: $(cat "$T/exit" 2>/dev/null)"
wait_for "no picture left after quitting" "$X" absent "$T/shot.png" 0 0 1024 768
[ $fail = 0 ] && echo "review-xterm: ok"
exit $fail
