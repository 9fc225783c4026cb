#!/bin/sh
# review-tmux.sh — the review screen in a real terminal (tmux, private
# server, no config): it starts on the demo data (--image=symbols), a
# keystroke's decision reaches the log, it survives resizing below the
# minimum and back, and q and SIGTERM both leave with the terminal
# restored; --image=auto inside tmux falls back to symbols, and
# --image=kitty through the passthrough shows no bytes as text; late
# replies to the terminal probe are not taken for keys. Polls
# against a deadline; never sleeps a fixed time to wait for an outcome.
set -u
command -v tmux >/dev/null 2>&1 || { echo "SKIP: no tmux"; exit 77; }
R=${RELABEL:-./relabel}
unset XTERM_VERSION TERM_PROGRAM LC_TERMINAL   # auto's choice must not depend on the outer terminal
T0=$(mktemp -d)
T=$T0
S=relabel-test-$$
# tmux runs commands through $SHELL, else the account's login shell, which
# for a system account is nologin: name a real shell.
SHELL=/bin/sh
export SHELL
tm() { tmux -L "$S" -f /dev/null "$@"; }
# The copied images keep the source's read-only modes (make distcheck).
trap 'tm kill-server 2>/dev/null; chmod -R u+w "$T0"; rm -rf "$T0"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir "$T/noisy"
cp -r "${top_srcdir:-.}/data/digits/images" "$T/"
cp "${top_srcdir:-.}/data/digits/noisy/data.csv" "${top_srcdir:-.}/data/digits/noisy/probs.csv" "$T/noisy/"
T=$T/noisy

# wait_for WHAT TEST...: poll up to 15 s until the command succeeds.
wait_for() {
	what=$1
	shift
	i=0
	while [ $i -lt 150 ]; do
		"$@" && return 0
		i=$((i + 1))
		sleep 0.1
	done
	say "timed out waiting for $what"
	tm capture-pane -p -t "$S" 2>/dev/null | head -5
	return 1
}
screen_has() { tm capture-pane -p -t "$S" 2>/dev/null | grep -q "$1"; }
screen_lacks() { ! screen_has "$1"; }

start() { # [image mode]
	tm new-session -d -s "$S" -x 100 -y 30 \
		"cd '$T' && RELABEL_REVIEWER=tty TERM=screen-256color '$R' review data.csv --image=${1:-symbols}; echo EXIT=\$? >'$T/exit'; sleep 30"
}

# a session that keeps the server alive between the runs below (a new
# session could otherwise race with the exit of the last one's server)
tm new-session -d -s keep "sleep 300"
start
wait_for "the screen" screen_has "first review"
screen_has "one → six" || say "the worst example is not on the screen"
# The digit is drawn with chafa's block symbols in 256 colours
# (TERM=screen-256color).
tm capture-pane -e -p -t "$S" >"$T/pane.txt"
grep -q '[▀▄▌▐▖▗▘▝▚▞▙▛▜▟█]' "$T/pane.txt" || say "no block symbols on the screen"
grep -q '38;5;[0-9]*' "$T/pane.txt" || say "no 256-colour foreground in the capture"
grep -q '48;5;[0-9]*' "$T/pane.txt" || say "no 256-colour background in the capture"
tm send-keys -t "$S" a
logged() { "$R" log "$T/data.csv" --format csv 2>/dev/null | grep -q '^911,911,accept,six,tty'; }
wait_for "the decision in the log" logged
wait_for "the status line" screen_has "saved: accept row 911"
# Digit N relabels to the N-th most likely class at once: row 193's bars
# read three, two, eight, ...
wait_for "row 193" screen_has "row 193"
screen_has "3    eight" || say "the bars are not numbered by probability"
tm send-keys -t "$S" 3
logged3() { "$R" log "$T/data.csv" --format csv 2>/dev/null | grep -q '^193,193,relabel,eight,tty'; }
wait_for "the digit relabel in the log" logged3
# The picker: most likely first with keys; 2 picks row 631's second (three).
wait_for "row 631" screen_has "row 631"
tm send-keys -t "$S" l
wait_for "the picker" screen_has "relabel as:"
screen_has "1  S two" || say "the picker does not start with the most likely class"
tm send-keys -t "$S" 2
logged2() { "$R" log "$T/data.csv" --format csv 2>/dev/null | grep -q '^631,631,relabel,three,tty'; }
wait_for "the picker's key 2 in the log" logged2
# Type to filter, Enter picks the first match (row 164 -> seven).
wait_for "row 164" screen_has "row 164"
tm send-keys -t "$S" l
wait_for "the picker (2)" screen_has "relabel as:"
tm send-keys -t "$S" s e v
wait_for "the filtered picker" screen_has "relabel as: sev_"
tm send-keys -t "$S" Enter
logged4() { "$R" log "$T/data.csv" --format csv 2>/dev/null | grep -q '^164,164,relabel,seven,tty'; }
wait_for "the filtered pick in the log" logged4
# Replies to the terminal probe that come after it stopped waiting (DA1,
# kitty's graphics reply, the text area and cell sizes) are read as what
# they are, never as keys: their digits would pick classes, their letters
# run actions. After them, ? still opens the help screen, and no decision
# was made, the cursor has not moved.
count() { "$R" log "$T/data.csv" --format csv 2>/dev/null | wc -l; }
before=$(count)
row_now() { tm capture-pane -p -t "$S" | grep -o 'row [0-9]*  id' | head -1; }
row0=$(row_now)
tm send-keys -t "$S" -l "$(printf '\033[?62;4;22c')"
tm send-keys -t "$S" -l "$(printf '\033_Gi=31;OK\033\\')"
tm send-keys -t "$S" -l "$(printf '\033[4;600;1000t')"
tm send-keys -t "$S" -l "$(printf '\033[6;20;10t')"
tm send-keys -t "$S" '?'
wait_for "the help screen after late replies" screen_has "image previews:"
tm send-keys -t "$S" q
wait_for "the list after the help screen" screen_has "first review"
[ "$(count)" = "$before" ] || say "late probe replies made decisions: $(count) log lines, were $before"
[ "$(row_now)" = "$row0" ] || say "late probe replies moved the cursor: $(row_now), was $row0"
screen_has '62;4\|600;1000\|i=31' && say "a late reply shows as text"
tm resize-window -t "$S" -x 50 -y 10
wait_for "the too-small notice" screen_has "terminal too small"
tm resize-window -t "$S" -x 100 -y 30
wait_for "the screen after resize" screen_has "first review"
tm send-keys -t "$S" q
exited() { [ -s "$T/exit" ]; }
wait_for "exit after q" exited
grep -q 'EXIT=0' "$T/exit" || say "q exit status: $(cat "$T/exit")"
wait_for "the screen to be restored" screen_lacks "first review"
tm kill-session -t "$S"

# SIGTERM: the handler only sets a flag; the loop restores and exits 143.
rm -f "$T/exit"
start
wait_for "the screen (2)" screen_has "first review"
pkill -TERM -f "^$R review data.csv" 2>/dev/null || say "no process to signal"
wait_for "exit after SIGTERM" exited
grep -q 'EXIT=143' "$T/exit" || say "SIGTERM exit status: $(cat "$T/exit")"
wait_for "the screen to be restored (2)" screen_lacks "first review"

# --image=auto inside tmux: the probe gets no graphics answer (tmux
# without allow-passthrough, then with it but no outer terminal to ask),
# never hangs, and falls back to symbols, as the help screen says.
tm kill-session -t "$S" 2>/dev/null
for pass in off on; do
	rm -f "$T/exit"
	[ $pass = on ] && tm set-option -g allow-passthrough on   # before the program starts
	start auto
	wait_for "the screen (auto, passthrough $pass)" screen_has "first review"
	tm send-keys -t "$S" '?'
	wait_for "the help screen (auto, passthrough $pass)" screen_has "image previews: symbols"
	why="inside tmux without allow-passthrough"
	[ $pass = on ] && why="no graphics protocol answered"
	screen_has "$why" || say "auto in tmux, passthrough $pass: $(tm capture-pane -p -t "$S" | grep 'image previews')"
	tm send-keys -t "$S" q q
	wait_for "exit (auto, passthrough $pass)" exited
	tm kill-session -t "$S"
done

# --image=kitty through the passthrough (still on): no escape sequence
# leaks into the pane as text, the picture's caption is there.
rm -f "$T/exit"
start kitty
wait_for "the screen (kitty)" screen_has "first review"
wait_for "the caption of the picture" screen_has "png (8x8)"
tm capture-pane -p -t "$S" | grep -q 'Ga=\|tmux;\|AAAA' && say "kitty bytes shown as text"
tm send-keys -t "$S" q
wait_for "exit (kitty)" exited
grep -q 'EXIT=0' "$T/exit" || say "kitty exit status: $(cat "$T/exit")"
tm kill-session -t "$S"

# The terminal goes away under the screen (its window is closed): the
# program ends instead of staying behind, spinning on a dead terminal.
start
wait_for "the screen (hang-up)" screen_has "first review"
tm kill-session -t "$S"
gone() { ! pgrep -f "^$R review data.csv" >/dev/null; }
wait_for "the program to end when its terminal hangs up" gone

# A non-terminal stdin is refused.
"$R" review "$T/data.csv" </dev/null >/dev/null 2>"$T/err" && say "non-tty accepted"
grep -q 'needs a terminal' "$T/err" || say "non-tty message: $(cat "$T/err")"
[ $fail = 0 ] && echo "review-tmux: ok"
exit $fail
