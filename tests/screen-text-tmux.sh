#!/bin/sh
# screen-text-tmux.sh — text whose width terminals disagree on leaves no
# fragments or shifted lines in a real terminal. tmux 3.3 joins a ZWJ emoji
# sequence into one 2-column cell where the C library counts 2 columns per
# emoji; the screen must draw such text so that tmux's grid equals the
# headless snapshot of the same screen, both at start and after moving on.
# Polls against a deadline; never sleeps a fixed time to wait for an outcome.
set -u
command -v tmux >/dev/null 2>&1 || { echo "SKIP: no tmux"; exit 77; }
R=${RELABEL:-./relabel}
T=$(mktemp -d)
S=relabel-text-$$
# tmux runs commands through $SHELL, else the account's login shell, which
# for a system account is nologin: name a real shell.
SHELL=/bin/sh
export SHELL
tm() { tmux -L "$S" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }

Z=$(printf '\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247')
V=$(printf '\342\235\244\357\270\217 \360\237\221\215\360\237\217\275 \360\237\207\253\360\237\207\267\360\237\207\251')
{
	printf 'id,text,label\n'
	printf 'z1,first %s %s row,chat\n' "$Z" "$V"
	printf 'z2,plain second row,chat\n'
	printf 'z3,third,chat\n'
	printf '%s,"family %s and %s in the middle of a line",chat\n' "$Z" "$Z" "$V"
	printf 'z5,y,chien\nz6,y,chien\nz7,y,chien\nz8,y,chat\nz9,y,chat\nz10,y,chat\n'
} >"$T/t.csv"
printf 'chat,chien\n0.1,0.9\n0.2,0.8\n0.3,0.7\n0.35,0.65\n0.4,0.6\n0.4,0.6\n0.4,0.6\n0.9,0.1\n0.9,0.1\n0.9,0.1\n' >"$T/p.csv"
mkdir "$T/snaps" "$T/run"
cp "$T/t.csv" "$T/p.csv" "$T/run/"
printf 'snapshot start\ndown\nsnapshot moved\n' >"$T/s.script"
(cd "$T" && RELABEL_REVIEWER=tty "$R" review t.csv --probs p.csv --script s.script \
	--snapshots snaps --size 120x20 >/dev/null) || say "headless run: exit $?"
for n in start moved; do
	head -20 "$T/snaps/$n.txt" | sed 's/ *$//' >"$T/want-$n.txt"
done

matches() { # NAME: the pane equals the snapshot NAME
	tm capture-pane -p -t "$S" 2>/dev/null | sed 's/ *$//' >"$T/got-$1.txt"
	cmp -s "$T/want-$1.txt" "$T/got-$1.txt"
}
wait_for() { # WHAT NAME
	i=0
	while [ $i -lt 100 ]; do
		matches "$2" && return 0
		i=$((i + 1))
		sleep 0.1
	done
	say "$1: the terminal differs from the snapshot"
	diff "$T/want-$2.txt" "$T/got-$2.txt" | head -10
	return 1
}
tm new-session -d -s "$S" -x 120 -y 20 \
	"cd '$T/run' && RELABEL_REVIEWER=tty TERM=screen-256color '$R' review t.csv --probs p.csv; sleep 30"
wait_for "the first screen" start
tm send-keys -t "$S" j
wait_for "after moving on" moved
tm send-keys -t "$S" q
[ $fail = 0 ] && echo "screen-text-tmux: ok"
exit $fail
