#!/bin/sh
# cli.sh — top-level usage: --help, --version, unknown commands, exit codes.
set -u
R=${RELABEL:-./relabel}
fail=0
expect() { # want-status description command...
	want=$1; shift; what=$1; shift
	"$@" >/tmp/relabel-cli.$$ 2>&1
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit $got, want $want"; cat /tmp/relabel-cli.$$; fail=1
	fi
}
expect 0 "--help" "$R" --help
"$R" --help | grep -q '^  scan ' || { echo "FAIL: --help lists no scan"; fail=1; }
expect 0 "--version" "$R" --version
"$R" --version | grep -Eq '^relabel [0-9]+\.[0-9]+' || { echo "FAIL: --version"; fail=1; }
# ... and the libraries it was built with, each with a version number
for lib in ncursesw libcsv SQLite libpng nettle zlib libjpeg-turbo libchafa fast_float; do
	"$R" --version | grep -Eq "^  $lib +[0-9]+\.[0-9]+" ||
		{ echo "FAIL: --version names no $lib version"; fail=1; }
done
expect 2 "no command" "$R"
expect 2 "unknown command" "$R" frobnicate
"$R" frobnicate 2>&1 | grep -q "unknown command 'frobnicate'" || { echo "FAIL: unknown command message"; fail=1; }
rm -f /tmp/relabel-cli.$$
[ $fail = 0 ] && echo "cli: ok"
exit $fail
