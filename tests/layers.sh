#!/bin/sh
# layers.sh — the source tree's layers, lowest first:
#   base   errors, allocation, text, outputs, numbers (src/base)
#   loader DATA/PROBS/.npy/image folders (src/loader)
#   engine confident learning, pure (src/engine)   image  PNG/JPEG decoding
#   log    the corrections log and export (src/log)
#   model  the built-in model (src/model)
#   review the review session and the health summary (src/review)
#   ui     canvas, views, image drawing, the terminal (src/ui)
#   cmd    the commands and their options (src/cmd)
# A file includes project headers only from its own layer or lower ones;
# each third-party library is visible from one module only; nothing below
# the terminal front end includes curses; the engine does no I/O; no two
# files of the library call each other.
set -u
lib=${top_builddir:-.}/librelabel.a
case $lib in /*) ;; *) lib=$PWD/$lib ;; esac
cd "${top_srcdir:-.}/src" || exit 99
fail=0
rank() {
	case $1 in
	base) echo 0 ;; loader) echo 1 ;; engine|image) echo 2 ;; log) echo 3 ;;
	model) echo 4 ;; review) echo 5 ;; ui) echo 6 ;; cmd) echo 7 ;; *) echo 99 ;;
	esac
}
for dir in */; do
	dir=${dir%/}
	[ "$(rank "$dir")" = 99 ] && { echo "FAIL: src/$dir is no known layer"; fail=1; }
done
# where each header lives
ls */*.h | sed 's|/| |' >"${TMPDIR:-/tmp}/layers.$$"
for f in */*.c */*.cc */*.h; do
	own=${f%%/*}
	for inc in $(sed -n 's/^#include *"\([^"]*\)".*/\1/p' "$f"); do
		at=$(awk -v h="$inc" '$2 == h { print $1 }' "${TMPDIR:-/tmp}/layers.$$")
		[ -n "$at" ] && [ "$at" != "$own" ] || continue
		if [ "$(rank "$at")" -ge "$(rank "$own")" ]; then
			echo "FAIL: src/$f ($own) includes $inc from the layer above or beside it ($at)"
			fail=1
		fi
	done
done
rm -f "${TMPDIR:-/tmp}/layers.$$"
check() { # header allowed-file-pattern (paths below src/)
	bad=$(grep -l "#include *[<\"]$1[>\"]" */*.c */*.cc */*.h 2>/dev/null | grep -Ev "^($2)\$")
	if [ -n "$bad" ]; then
		echo "FAIL: $1 included outside its module: $bad"
		fail=1
	fi
}
check 'csv\.h' 'loader/dataset[a-z_]*\.c'
check 'png\.h' 'image/image\.c'
check 'chafa\.h' 'ui/imgview\.c|ui/pixelproto\.c'
check 'sqlite3\.h' 'log/log[a-z_]*\.c|log/log_priv\.h'
check 'zlib\.h' 'loader/numpyfile\.c|loader/dataset_input\.c|image/image_[a-z]*\.c'
check 'turbojpeg\.h' 'image/image_jpeg\.c'
check 'nettle/[a-z0-9]*\.h' 'base/hash\.c'
check 'fast_float/[a-z_]*\.h' 'base/fastfloat\.cc'
check 'n?curses[w]?\.h|ncursesw/curses\.h' 'ui/term\.c'
# The engine is pure: no stdio, no I/O.
if grep -nE '#include *<(stdio|unistd|fcntl)\.h>' engine/*.c 2>/dev/null; then
	echo "FAIL: the engine must not do I/O"
	fail=1
fi
# No two files call each other (a loop says a boundary is in the wrong
# place): from the built library, which member defines each symbol and
# which members use it.
if [ -f "$lib" ] && command -v nm >/dev/null; then
	loops=$(nm -A "$lib" 2>/dev/null | awk '
	{ split($1, p, ":"); m = p[2] }
	NF == 3 && $2 ~ /^[TDBR]$/ { def[$3] = m }
	NF == 3 && $2 == "U" { use[NR] = m " " $3 }
	END {
		for (i in use) { split(use[i], u, " "); if ((u[2] in def) && def[u[2]] != u[1]) e[u[1] " " def[u[2]]] = 1 }
		for (k in e) { split(k, b, " "); if (((b[2] " " b[1]) in e) && b[1] < b[2]) print b[1] " <-> " b[2] }
	}' | sort)
	if [ -n "$loops" ]; then
		echo "FAIL: files that call each other:"
		echo "$loops"
		fail=1
	fi
else
	echo "SKIP (part): no built librelabel.a to check for call loops"
fi
[ $fail = 0 ] && echo "layers: ok"
exit $fail
