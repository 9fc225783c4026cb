#!/bin/sh
# byod.sh — bring your own data: the same numbers in any container give the
# same flagged lists. CSV, .npy float64 (versions 1.0/2.0/3.0, C and Fortran
# order, both byte orders, gzip), float32 and float16 .npy of values exact in
# those types, TSV and gzip DATA/PROBS files, --labels without DATA.csv, and
# on every oracle case CSV vs .npy with --classes. Bad .npy files exit 2
# naming the file. The fixtures are made with numpy (skipped without it).
set -u
R=${RELABEL:-./relabel}
S=${top_srcdir:-.}
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import numpy' 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "SKIP: python3 with numpy (python3-numpy) not found"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0 checked=0
say() { echo "FAIL: $*"; fail=1; }
same() { # what file-a file-b
	checked=$((checked + 1))
	cmp -s "$2" "$3" || { say "$1 differs"; diff "$2" "$3" | head -5; }
}

# --- generated data ---------------------------------------------------------
cd "$T" || exit 99
"$PY" - <<'PYEOF' || exit 99
import numpy as np, gzip, json
rng = np.random.default_rng(11)
n, k = 3000, 5
p = rng.dirichlet(np.ones(k) * 0.4, size=n)
y = p.argmax(1)
flip = rng.random(n) < 0.12
y[flip] = rng.integers(0, k, flip.sum())
names = ["ant", "bee", "cat", "dog", "eel"]
def write_csv(path, probs, sep=","):
    with open(path, "w") as f:
        f.write(sep.join(names) + "\n")
        for r in probs:
            f.write(sep.join(repr(float(v)) for v in r) + "\n")
def data(path, sep=","):
    with open(path, "w") as f:
        f.write(sep.join(["id", "label"]) + "\n")
        for i, l in enumerate(y):
            f.write("x%d%s%s\n" % (i, sep, names[l]))
for tag, q in (("64", p), ("32", p.astype(np.float32).astype(np.float64)),
               ("16", p.astype(np.float16).astype(np.float64))):
    write_csv("probs%s.csv" % tag, q)
np.save("p64.npy", p)
np.save("p64F.npy", np.asfortranarray(p))
np.save("p64B.npy", p.astype(">f8"))
np.save("p32.npy", p.astype(np.float32))
np.save("p32B.npy", np.asfortranarray(p.astype(">f4")))
np.save("p16.npy", p.astype(np.float16))
for v in ((2, 0), (3, 0)):
    with open("p64v%d.npy" % v[0], "wb") as f:
        np.lib.format.write_array(f, p, version=v)
with open("p64.npy", "rb") as f, gzip.open("p64.npy.gz", "wb") as g:
    g.write(f.read())
np.save("y.npy", y.astype(np.int16))
data("data.csv")
data("data.tsv", "\t")
write_csv("probs64.tsv", p, "\t")
with open("classes.txt", "w") as f:
    f.write("\n".join(names) + "\n")
json.dump(names, open("classes.json", "w"))
# IMDB-like: a value exceeds 1 by 1e-5
q = p.copy(); q[0] = [1.00001, 0.00001, 0, 0, 0]
np.save("over.npy", q)
PYEOF
gzip -c data.csv >data.csv.gz
gzip -c probs64.csv >probs64.csv.gz
"$R" scan data.csv --probs probs64.csv >csv64.out || say "scan CSV exit $?"
"$R" scan data.csv --probs probs32.csv >csv32.out || say "scan CSV32 exit $?"
"$R" scan data.csv --probs probs16.csv >csv16.out || say "scan CSV16 exit $?"
[ "$(wc -l <csv64.out)" -gt 100 ] || say "too few flagged to compare"
for f in p64 p64F p64B p64v2 p64v3; do
	"$R" scan data.csv --probs $f.npy --classes classes.txt >npy.out || say "$f exit $?"
	same "$f.npy vs CSV" csv64.out npy.out
done
"$R" scan data.csv --probs p64.npy.gz --classes classes.json >npy.out || say "npy.gz exit $?"
same "p64.npy.gz vs CSV" csv64.out npy.out
for f in p32 p32B; do
	"$R" scan data.csv --probs $f.npy --classes classes.txt >npy.out || say "$f exit $?"
	same "$f.npy vs CSV of the float32 values" csv32.out npy.out
done
"$R" scan data.csv --probs p16.npy --classes classes.txt >npy.out || say "p16 exit $?"
same "p16.npy vs CSV of the float16 values" csv16.out npy.out
"$R" scan data.tsv --probs probs64.tsv >tsv.out || say "TSV exit $?"
same "TSV input vs CSV" csv64.out tsv.out
"$R" scan data.csv --delimiter , --probs probs64.csv >tsv.out || say "--delimiter exit $?"
same "--delimiter , vs CSV" csv64.out tsv.out
"$R" scan data.csv.gz --probs probs64.csv.gz >gz.out || say "gzip exit $?"
same "csv.gz inputs vs CSV" csv64.out gz.out
# export keeps TSV a TSV and reads a gzip input uncompressed, changing only
# the decided row
for f in data.tsv data.csv.gz; do
	"$R" decide $f --probs probs64.csv --row 3 --action relabel --label eel >/dev/null ||
		say "decide $f exit $?"
	"$R" export $f --probs probs64.csv --working -o out.$f.txt 2>/dev/null || say "export $f exit $?"
done
gzip -dc data.csv.gz >plain.csv
[ "$(diff data.tsv out.data.tsv.txt | grep -c '^[<>]')" = 2 ] && grep -q "^x3	eel$" out.data.tsv.txt ||
	say "TSV export: $(diff data.tsv out.data.tsv.txt | head -4)"
[ "$(diff plain.csv out.data.csv.gz.txt | grep -c '^[<>]')" = 2 ] && grep -q "^x3,eel$" out.data.csv.gz.txt ||
	say "gzip export: $(diff plain.csv out.data.csv.gz.txt | head -4)"
checked=$((checked + 2))
# labels as .npy: without DATA.csv (ids are row numbers), and with a DATA.csv
# that has no label column
cut -d, -f1,2,4- csv64.out >want.out
"$R" scan --labels y.npy --probs p64.npy --classes classes.txt | cut -d, -f1,2,4- >lab.out ||
	say "--labels exit $?"
same "--labels y.npy without DATA.csv" want.out lab.out
cut -d, -f1 data.csv >ids.csv
"$R" scan ids.csv --labels y.npy --probs p64.npy --classes classes.txt >lab.out || say "ids.csv exit $?"
same "--labels y.npy with a DATA.csv of ids" csv64.out lab.out
# a label column that disagrees with --labels is refused, naming the row
"$PY" -c "
import numpy as np
y = np.load('y.npy'); y[4] = (y[4] + 1) % 5; np.save('y4.npy', y)"
"$R" scan data.csv --labels y4.npy --probs p64.npy --classes classes.txt >/dev/null 2>err.txt
[ $? = 2 ] && grep -q 'data.csv: row 4: label .* differs from class' err.txt || say "disagreeing labels: $(cat err.txt)"
# the review screen and the log on labels alone; the log is y.relabel.db
printf 'accept\nquit\n' >r.txt
RELABEL_REVIEWER=t "$R" review --labels y.npy --probs p64.npy --classes classes.txt --script r.txt ||
	say "review --labels exit $?"
[ -f y.relabel.db ] || say "no y.relabel.db"
first=$(sed -n 2p csv64.out | cut -d, -f2)
"$R" log y.npy --probs p64.npy --classes classes.txt --format csv | grep -q "^$first,[^,]*,accept," ||
	say "the decision on row $first is not in the log: $("$R" log y.npy --probs p64.npy --classes classes.txt --format csv)"
checked=$((checked + 3))
# integer labels in DATA.csv: class indices when the classes are 0..K-1
"$PY" -c "
import numpy as np
y = np.load('y.npy'); open('idx.csv','w').write('label\n' + ''.join('%d\n' % v for v in y))"
"$R" scan idx.csv --probs p64.npy | cut -d, -f1,2 >a.out || say "idx exit $?"
cut -d, -f1,2 csv64.out >b.out
same "integer labels with classes 0..K-1" b.out a.out
"$R" scan idx.csv --probs p64.npy --classes classes.txt --label-index | cut -d, -f1,2 >a.out ||
	say "--label-index exit $?"
same "--label-index" b.out a.out
# --renormalize: rows above 1 by 1e-5 are accepted only with it
"$R" scan data.csv --probs over.npy --classes classes.txt >/dev/null 2>err.txt
[ $? = 2 ] && grep -q 'over.npy: row 0, column 0: .*--renormalize' err.txt ||
	say "over-1 rows without --renormalize: $(cat err.txt)"
"$R" scan data.csv --probs over.npy --classes classes.txt --renormalize >/dev/null 2>err.txt ||
	say "--renormalize refused: $(cat err.txt)"
checked=$((checked + 2))
# bad .npy files: exit 2, the file named
"$PY" - <<'PYEOF'
import numpy as np
np.save("obj.npy", np.array([[0.5, "a"]], dtype=object), allow_pickle=True)
np.save("rank3.npy", np.zeros((3000, 5, 1)))
np.save("rank1.npy", np.zeros(3000))
p = np.load("p64.npy"); p[7, 3] = np.nan; np.save("nan.npy", p)
b = open("p64.npy", "rb").read()
open("trunc.npy", "wb").write(b[:len(b) - 9])
open("lie.npy", "wb").write(b.replace(b"(3000, 5)", b"(3001, 5)", 1))
PYEOF
for f in obj rank3 rank1 nan trunc lie; do
	"$R" scan data.csv --probs $f.npy --classes classes.txt >/dev/null 2>err.txt
	rc=$?
	checked=$((checked + 1))
	[ $rc = 2 ] && grep -q "^relabel: $f.npy: " err.txt || say "$f.npy: exit $rc: $(cat err.txt)"
done
"$R" scan data.csv --probs nan.npy --classes classes.txt 2>&1 >/dev/null | grep -q 'nan.npy: row 7, column 3' ||
	say "NaN not placed at row 7, column 3"

# --- the oracle cases: CSV vs .npy --------------------------------------------
for c in "$S"/tests/oracle/p*/; do
	c=${c%/}
	name=${c##*/}
	"$PY" - "$c/probs.csv" "$T/$name.npy" "$T/$name.json" <<'PYEOF'
import csv, json, sys, numpy as np
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
json.dump(rows[0], open(sys.argv[3], "w", encoding="utf-8"), ensure_ascii=False)
np.save(sys.argv[2], np.array([[float(v) for v in r] for r in rows[1:]], dtype=np.float64))
PYEOF
	for f in prune_by_noise_rate prune_by_class both confident_learning; do
		"$R" scan "$c/data.csv" --filter-by $f >a.out 2>/dev/null
		ra=$?
		"$R" scan "$c/data.csv" --filter-by $f --probs "$T/$name.npy" \
			--classes "$T/$name.json" >b.out 2>/dev/null
		rb=$?
		[ $ra = $rb ] || say "$name $f: exit $ra with CSV, $rb with .npy"
		same "$name $f: .npy vs CSV" a.out b.out
	done
done
[ "$checked" -ge 93 ] || say "only $checked comparisons ran"
[ $fail = 0 ] && echo "byod: $checked comparisons ok"
exit $fail
