#!/bin/sh
# image-fifo.sh — an image path that is a FIFO (or any file that is not a
# regular file) is never opened for a blocking read: the review screen (also
# its prefetch of the next rows) shows "not a regular file" and the built-in
# image model refuses the image with a message. Every run has a timeout.
set -u
command -v timeout >/dev/null 2>&1 || { echo "SKIP: no timeout(1)"; exit 77; }
R=${RELABEL:-./relabel}
S=${top_srcdir:-.}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
mkdir "$T/pics" "$T/snaps"
for i in 0 1 2 3 4 5 6 7; do cp "$S/data/digits/images/0000$i.png" "$T/pics/$i.png"; done
mkfifo "$T/pics/fifo.png" || { echo "SKIP: cannot make a FIFO"; exit 77; }
{
	echo 'id,image,label'
	echo 'r0,pics/0.png,a'
	echo 'r1,pics/fifo.png,a'
	echo 'r2,pics/2.png,b'
	for i in 3 4 5 6 7; do echo "r$i,pics/$i.png,$( [ $((i % 2)) = 0 ] && echo a || echo b)"; done
} >"$T/d.csv"
printf 'a,b\n0.1,0.9\n0.2,0.8\n0.7,0.3\n0.6,0.4\n0.5,0.5\n0.45,0.55\n0.9,0.1\n0.3,0.7\n' >"$T/p.csv"

# The FIFO row is second in the queue: idling on the first prefetches it.
printf 'snapshot first\nidle\nsnapshot idle\ndown\nsnapshot fifo\nquit\n' >"$T/s.script"
order=$(cd "$T" && "$R" scan d.csv --probs p.csv | cut -d, -f3 | sed -n 2,3p | tr '\n' ' ')
(cd "$T" && RELABEL_REVIEWER=t timeout 10 "$R" review d.csv --probs p.csv --script s.script \
	--snapshots snaps --size 80x24 >/dev/null 2>"$T/err") ||
	{ say "review with a FIFO image: exit $? (124 = hung)"; cat "$T/err"; }
[ -f "$T/snaps/fifo.txt" ] && grep -q 'not a regular file' "$T/snaps/fifo.txt" ||
	say "the preview of the FIFO image does not say 'not a regular file' (queue: $order)"

# The built-in image model: a bad image with a clear message, exit 2.
(cd "$T" && timeout 10 "$R" scan d.csv --features image >/dev/null 2>"$T/err2")
rc=$?
[ $rc = 124 ] && say "the image model hung on the FIFO"
[ $rc = 2 ] || say "the image model: exit $rc, want 2"
grep -q 'not a regular file' "$T/err2" || { say "no 'not a regular file' message"; cat "$T/err2"; }
[ $fail = 0 ] && echo "image-fifo: ok"
exit $fail
