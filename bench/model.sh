#!/bin/sh
# bench/model.sh — the built-in model on the bundled datasets: out-of-fold
# accuracy on the clean labels (vs the bundled scikit-learn probabilities),
# F1 of the flagged examples against the injected flips on the noisy labels
# (vs the F1 with the bundled probabilities), and wall time; then a
# generated 100,000-row text dataset. Where scikit-learn imports (Debian:
# python3-sklearn python3-pandas), its out-of-fold LogisticRegression on the
# two text sets is timed in the same run, unigram and bigram configurations
# (bench/sklearn_model.py). Run from the top of a built tree:
#   BENCH_DIR=/tmp/rb bench/model.sh
set -eu
DIR=${BENCH_DIR:-/tmp/relabel-bench}/model
R=${RELABEL:-$PWD/relabel}
SKPY=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
	if "$p" -c 'import sklearn, pandas' 2>/dev/null; then SKPY=$p; break; fi
done
sklearn() { # DATA.csv: both configurations, one line each
	[ -n "$SKPY" ] || { echo "   scikit-learn does not import: not compared"; return 0; }
	for c in unigram bigram; do
		"$SKPY" bench/sklearn_model.py "$1" $c | sed 's/^/   /'
	done
}
rm -rf "$DIR"
mkdir -p "$DIR"
# given labels, one per line in row order
labels() { f=$1; shift; "$R" scan "$f" --all --format tsv "$@" | tail -n +2 | sort -t"$(printf '\t')" -k2,2n | cut -f4; }
flagged() { "$R" scan "$@" | tail -n +2 | cut -d, -f2 | sort -n; }
f1() { # flips-file flagged-file
	awk 'NR == FNR { f[$1] = 1; nf++; next } { p++; if ($1 in f) tp++ }
	     END { pr = p ? tp / p : 0; rc = nf ? tp / nf : 0; printf "%.3f", pr + rc ? 2 * pr * rc / (pr + rc) : 0 }' "$1" "$2"
}
for set in digits debian-sections; do
	src=data/$set
	for v in clean noisy; do
		mkdir -p "$DIR/$set/$v"
		cp "$src/$v/data.csv" "$DIR/$set/$v/"
	done
	[ -d "$src/images" ] && cp -r "$src/images" "$DIR/$set/"
	start=$(date +%s.%N)
	"$R" stats "$DIR/$set/clean/data.csv" --format json >"$DIR/$set/clean.json"
	end=$(date +%s.%N)
	ours=$(grep -o '"accuracy": [0-9.]*' "$DIR/$set/clean.json" | cut -d' ' -f2)
	ref=$(grep -o '"clean_cv_accuracy": [0-9.]*' "$src/meta.json" | cut -d' ' -f2)
	printf '%-16s clean accuracy %.4f (bundled %.4f), cross-validation %.2f s\n' \
		"$set" "$ours" "$ref" "$(echo "$end - $start" | bc)"
	printf '%-16s settings: %s\n' "$set" "$(grep -o '"features": "[^"]*"' "$DIR/$set/clean.json" | cut -d'"' -f4)"
	labels "$src/clean/data.csv" --probs "$src/clean/probs.csv" >"$DIR/c.txt"
	labels "$src/noisy/data.csv" --probs "$src/noisy/probs.csv" >"$DIR/n.txt"
	paste "$DIR/c.txt" "$DIR/n.txt" | awk -F'\t' '$1 != $2 { print NR - 1 }' >"$DIR/flips.txt"
	flagged "$src/noisy/data.csv" --probs "$src/noisy/probs.csv" >"$DIR/ref.txt"
	flagged "$DIR/$set/noisy/data.csv" >"$DIR/ours.txt"
	printf '%-16s noisy: %d flips; F1 with the built-in model %s, with the bundled probabilities %s\n' \
		"$set" "$(wc -l <"$DIR/flips.txt")" "$(f1 "$DIR/flips.txt" "$DIR/ours.txt")" \
		"$(f1 "$DIR/flips.txt" "$DIR/ref.txt")"
	if [ "$set" = debian-sections ]; then sklearn "$src/clean/data.csv"; fi
done
cc -O2 -o "$DIR/gentext" bench/gentext.c
mkdir -p "$DIR/text100k"
"$DIR/gentext" 100000 8 "$DIR/text100k"
/usr/bin/time -f 'text 100k rows x 8 classes: %e s wall, %U s user, %M KB peak' \
	"$R" stats "$DIR/text100k/data.csv" | sed -n 2p
sklearn "$DIR/text100k/data.csv"
