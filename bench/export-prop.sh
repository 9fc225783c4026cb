#!/bin/sh
# bench/export-prop.sh [SEED [COUNT]] — the export round-trip property test
# of `make check` (tests/test_export_prop.c: random CSVs with LF, CRLF, CR
# and mixed line ends, BOM, quoted fields, blank lines, no final line end,
# bytes that are not UTF-8, random decisions; export compared with a simple
# reference) for COUNT cases (default 100000) from SEED (default: the time).
# Run from the build directory after `make check` (or `make
# tests/test_export_prop`). Prints the seed, so a failure can be re-run.
set -eu
SEED=${1:-$(date +%s)}
COUNT=${2:-100000}
P=${TEST_EXPORT_PROP:-tests/test_export_prop}
[ -x "$P" ] || { echo "export-prop: build $P first (make tests/test_export_prop)"; exit 2; }
echo "export-prop: seed $SEED, $COUNT cases"
start=$(date +%s.%N)
"$P" "$SEED" "$COUNT"
end=$(date +%s.%N)
echo "export-prop: $COUNT cases in $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"
