#!/bin/sh
# imagefolder.sh — an image folder DIR/CLASS/FILE (tests/imageset, made by
# tests/mkimages.c: PNGs, JPEGs, a PNG named .jpg, a nested folder) as a
# dataset: scanned with the built-in model trained on the images, reviewed
# headlessly (snapshot against tests/golden/byod/), its log beside DIR,
# exported as path,label CSV, JSON Lines, NumPy labels + mask and as a
# cleaned folder tree (hard links). Also a JPEG preview snapshot, a JPEG
# named .png, --image-root and --rebase-paths. GENERATE=1 rewrites goldens.
set -u
R=${RELABEL:-./relabel}
S=${top_srcdir:-.}
G=$S/tests/golden/byod
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }
cp -R "$S/tests/imageset" "$T/pets"
chmod -R u+w "$T/pets"
cd "$T" || exit 99
mkdir snaps

# scan: the built-in model on the pixels finds both planted errors
"$R" scan pets/ >scan.csv 2>scan.err || say "scan exit $?: $(cat scan.err)"
grep -q '^[0-9]*,5,bright/05.jpg,bright,dark,' scan.csv || say "bright/05.jpg not flagged: $(cat scan.csv)"
grep -q '^[0-9]*,17,dark/05.jpg,dark,bright,' scan.csv || say "dark/05.jpg not flagged: $(cat scan.csv)"
[ "$("$R" stats pets --format json | grep -c '"n": *24')" -ge 1 ] ||
	"$R" stats pets | grep -q '24 examples, 2 classes' || say "stats: not 24 examples"

# review headlessly: accept the first suggestion, exclude the second
printf 'snapshot folder-review\naccept\nexclude\nsnapshot folder-decided\n' >s.txt
RELABEL_REVIEWER=tester "$R" review pets/ --script s.txt --snapshots snaps --size 80x24 ||
	say "review exit $?"
[ -f pets.relabel.db ] || say "the log is not beside the folder (pets.relabel.db)"
[ ! -e pets/.relabel.db ] && [ ! -e pets/pets.relabel.db ] || say "a log was written inside the folder"

# export: path,label CSV by default
"$R" export pets --working -o clean.csv 2>exp.err || say "export exit $?: $(cat exp.err)"
grep -q 'rebase-paths' exp.err || say "no note that paths are relative to pets/"
[ "$(head -1 clean.csv)" = "path,label" ] || say "header: $(head -1 clean.csv)"
[ "$(wc -l <clean.csv)" = 24 ] || say "clean.csv has $(wc -l <clean.csv) lines, want 24"
grep -qx 'bright/05.jpg,dark' clean.csv || say "relabelled row missing"
grep -q '^dark/05.jpg,' clean.csv && say "excluded row kept"
# ... rebased: the paths resolve from the output's folder
"$R" export pets --working --rebase-paths -o rebased.csv 2>/dev/null || say "rebase exit $?"
grep -qx 'pets/bright/05.jpg,dark' rebased.csv || say "not rebased: $(sed -n 2p rebased.csv)"
while IFS=, read -r p l; do
	[ "$p" = path ] || [ -f "$p" ] || { say "rebased path $p does not resolve"; break; }
done <rebased.csv
mkdir deeper
"$R" export pets --working --rebase-paths -o deeper/rebased.csv 2>/dev/null || say "rebase exit $?"
grep -qx '../pets/bright/05.jpg,dark' deeper/rebased.csv || say "not rebased: $(sed -n 7p deeper/rebased.csv)"
# ... with the old label as a column, JSON Lines, NumPy
"$R" export pets --working --original-label-col given -o orig.csv 2>/dev/null || say "orig exit $?"
grep -qx 'bright/05.jpg,dark,bright' orig.csv || say "--original-label-col: $(grep 05.jpg orig.csv)"
"$R" export pets --working --format jsonl -o clean.jsonl 2>/dev/null || say "jsonl exit $?"
grep -qx '{"path":"bright/05.jpg","label":"dark","original_label":"bright"}' clean.jsonl ||
	say "jsonl: $(grep 05.jpg clean.jsonl)"
"$R" export pets --working --format npy -o labels.npy --mask mask.npy 2>/dev/null || say "npy exit $?"
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import numpy' 2>/dev/null; then PY=$p; break; fi
done
if [ -n "$PY" ]; then
	"$PY" - <<'PYEOF' || say "read-back with numpy/json/csv failed"
import csv, json, numpy as np
y = np.load("labels.npy"); m = np.load("mask.npy")
assert y.dtype == np.int64 and y.shape == (24,), (y.dtype, y.shape)
assert m.dtype == np.bool_ and m.tolist() == [i == 17 for i in range(24)], m
assert y[5] == 1 and y[0] == 0 and y[12] == 1, y
rows = [json.loads(l) for l in open("clean.jsonl", encoding="utf-8")]
assert len(rows) == 23 and all(set(r) >= {"path", "label"} for r in rows)
c = list(csv.DictReader(open("clean.csv", newline="")))
assert [r["label"] for r in c] == [r["label"] for r in rows]
PYEOF
else
	echo "note: python3-numpy missing; read-back skipped"
fi

# row order is torchvision ImageFolder's: sorted(os.walk(class)), files sorted
mkdir -p tv/x/a tv/x/b-c tv/y
for f in tv/x/b.png tv/x/a/1.png tv/x/c.JPG tv/x/b-c/2.png tv/y/z.png tv/x/a.png; do
	cp pets/bright/00.png "$f"
done
: >tv/x/notes.txt
"$R" export tv -o tv.csv 2>/dev/null || say "export tv exit $?"
if [ -n "$PY" ]; then
	"$PY" - <<'PYEOF' >tv.want || say "python walk failed"
import os
print("path,label")
for c in sorted(e.name for e in os.scandir("tv") if e.is_dir()):
    for root, _, files in sorted(os.walk(os.path.join("tv", c))):
        for f in sorted(files):
            if f.lower().endswith((".png", ".jpg", ".jpeg")):
                print("%s,%s" % (os.path.relpath(os.path.join(root, f), "tv"), c))
PYEOF
	cmp -s tv.want tv.csv || { say "row order differs from ImageFolder's"; diff tv.want tv.csv; }
fi

# the cleaned tree: hard links, excluded left out, relabelled moved
"$R" export pets/ --working --layout folders tree 2>/dev/null || say "tree exit $?"
[ "$(find tree -type f | wc -l)" = 23 ] || say "tree has $(find tree -type f | wc -l) files, want 23"
[ -f tree/dark/05.jpg ] && cmp -s tree/dark/05.jpg pets/bright/05.jpg || say "relabelled file not in dark/"
[ -f tree/dark/more/10.png ] || say "nested file lost"
[ "$(stat -c %h pets/bright/00.png)" -ge 2 ] || say "not hard-linked"
"$R" export pets/ --working --layout folders tree 2>err.txt && say "export over an existing tree"
grep -q 'already exists' err.txt || say "no 'already exists': $(cat err.txt)"

# on another file system the tree is copied
if [ -d /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d .)" ] &&
   other=$(mktemp -d -p /dev/shm 2>/dev/null); then
	"$R" export pets/ --working --layout folders "$other/tree" 2>err.txt || say "copy tree exit $?"
	grep -q '0 files hard-linked, 23 copied' err.txt || say "copies: $(cat err.txt)"
	cmp -s "$other/tree/dark/05.jpg" pets/bright/05.jpg || say "copied file differs"
	rm -rf "$other"
fi

# a CSV dataset elsewhere: JPEG preview, a JPEG named .png, --image-root
cp "$S/tests/preview.jpg" photo.png
mkdir sub
printf 'id,image,label\np1,photo.png,a\np2,photo.png,b\np3,photo.png,b\n' >sub/data.csv
printf 'a,b\n0.1,0.9\n0.2,0.8\n0.7,0.3\n' >sub/probs.csv
printf 'snapshot jpeg-preview\n' >j.txt
RELABEL_REVIEWER=tester "$R" review sub/data.csv --image-root . --script j.txt --snapshots snaps --size 80x24 ||
	say "review --image-root exit $?"
grep -q 'not a PNG\|No such file' snaps/jpeg-preview.txt && say "JPEG preview failed: $(grep -m1 'not\|No such' snaps/jpeg-preview.txt)"

# a class name that is not a folder name is refused for --layout folders
printf 'id,image,label\n1,photo.png,../x\n2,photo.png,ok\n' >trav.csv
printf '../x,ok\n0.9,0.1\n0.1,0.9\n' >trav-probs.csv
"$R" export trav.csv --probs trav-probs.csv --working --layout folders travout 2>err.txt
[ $? = 2 ] && grep -q "cannot be a folder name" err.txt && [ ! -e x ] && [ ! -e travout ] ||
	say "class '../x' as a folder: $(cat err.txt)"

for f in snaps/*.txt; do
	n=$(basename "$f")
	# decision times vary: compare them as a fixed mark
	sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}/YYYY-MM-DD hh:mm/g' "$f" >"$f.tmp" &&
		mv "$f.tmp" "$f"
	if [ "${GENERATE:-0}" = 1 ]; then
		cp "$f" "$G/$n"
	elif ! cmp -s "$f" "$G/$n"; then
		say "snapshot $n differs from tests/golden/byod/$n"
		diff "$G/$n" "$f" | head -20
	fi
done
[ "$(ls snaps | wc -l)" = 3 ] || say "expected 3 snapshots"
[ $fail = 0 ] && echo "imagefolder: ok"
exit $fail
