# bench/find-cleanlab.sh — sourced by the benchmarks that time cleanlab in
# the same run: sets PY to the first of $PYTHON, python3, /usr/bin/python3
# under which cleanlab imports (pip install cleanlab==2.9.0, or PYTHONPATH
# at a source checkout with Debian's python3-sklearn python3-pandas
# python3-tqdm python3-termcolor), else to nothing, and says which.
PY=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
	if "$p" bench/cleanlab_job.py check >/dev/null 2>&1; then PY=$p; break; fi
done
if [ -n "$PY" ]; then
	echo "cleanlab $("$PY" bench/cleanlab_job.py check) with $PY"
else
	echo "cleanlab does not import: relabel alone"
fi
