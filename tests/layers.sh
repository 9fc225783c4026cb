#!/bin/sh
# layers.sh — each third-party library is visible from one module only, and
# nothing below the user interface includes curses.
#   csv.h    -> src/dataset*.c      png.h -> src/image.c
#   chafa.h  -> src/imgview.c, src/pixelproto.c
#   sqlite3.h -> src/log*.c         curses.h -> src/term.c
#   fast_float -> src/fastfloat.cc
#   zlib.h -> numpyfile.c, dataset_byod.c   turbojpeg.h -> image_jpeg.c
set -u
cd "${top_srcdir:-.}/src" || exit 99
fail=0
check() { # header allowed-file-pattern
	bad=$(grep -l "#include *[<\"]$1[>\"]" ./*.c ./*.cc ./*.h 2>/dev/null | sed 's|^\./||' | grep -Ev "^($2)\$")
	if [ -n "$bad" ]; then
		echo "FAIL: $1 included outside its module: $bad"
		fail=1
	fi
}
check 'csv\.h' 'dataset[a-z_]*\.c'
check 'png\.h' 'image\.c'
check 'chafa\.h' 'imgview\.c|pixelproto\.c'
check 'sqlite3\.h' 'log[a-z_]*\.c|log_priv\.h'
check 'zlib\.h' 'numpyfile\.c|dataset_byod\.c|image_[a-z]*\.c'
check 'turbojpeg\.h' 'image_jpeg\.c'
check 'nettle/[a-z0-9]*\.h' 'hash\.c'
check 'fast_float/[a-z_]*\.h' 'fastfloat\.cc'
check 'n?curses[w]?\.h|ncursesw/curses\.h' 'term\.c'
# The engine is pure: no stdio, no I/O.
if grep -nE '#include *<(stdio|unistd|fcntl)\.h>' cl.c cl_*.c npy*.c 2>/dev/null; then
	echo "FAIL: the engine must not do I/O"
	fail=1
fi
[ $fail = 0 ] && echo "layers: ok"
exit $fail
