#!/usr/bin/env python3
"""bench/cleanlab_job.py — the job `relabel scan` does, done with cleanlab, timed.

  cleanlab_job.py csv DATA.csv PROBS.csv OUT      pandas load + find_label_issues
                                                  + get_label_quality_scores
  cleanlab_job.py npy LABELS.npy PROBS.npy OUT    np.load instead of pandas
  cleanlab_job.py batched LABELS.npy PROBS.npy OUT
                                                  find_label_issues_batched on the
                                                  memory-mapped file (its default
                                                  batch size)
  cleanlab_job.py check                           exit 0 if cleanlab imports

OUT receives the flagged rows, worst first, one per line (as the `row`
column of `relabel scan`), so the two lists can be compared with cmp.
One line on stdout: the phases' wall times, the total, and peak RSS.
Labels in DATA.csv are class names mapped to the PROBS.csv header's
column order, as relabel does. cleanlab comes from wherever Python finds
it (pip install cleanlab==2.9.0, or PYTHONPATH at a source checkout).
"""
import resource
import sys
import time


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv):
    if len(argv) >= 2 and argv[1] == "check":
        import cleanlab  # noqa: F401
        print(cleanlab.__version__)
        return 0
    if len(argv) != 5 or argv[1] not in ("csv", "npy", "batched"):
        sys.stderr.write(__doc__)
        return 2
    mode, a, b, out = argv[1:]
    t0 = time.perf_counter()
    import numpy as np
    from cleanlab.filter import find_label_issues
    from cleanlab.rank import get_label_quality_scores
    t_import = time.perf_counter() - t0

    t0 = time.perf_counter()
    if mode == "csv":
        import pandas as pd
        data = pd.read_csv(a, dtype={"label": str})
        probs = pd.read_csv(b)
        index = {name: i for i, name in enumerate(probs.columns)}
        labels = data["label"].map(index).to_numpy(dtype=np.int64)
        pred_probs = probs.to_numpy(dtype=np.float64)
    elif mode == "npy":
        labels = np.load(a)
        pred_probs = np.load(b)
    else:
        labels = np.load(a, mmap_mode="r")
        pred_probs = np.load(b, mmap_mode="r")
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    if mode == "batched":
        from cleanlab.experimental.label_issues_batched import find_label_issues_batched
        ranked = find_label_issues_batched(labels=labels, pred_probs=pred_probs,
                                           verbose=False)
        t_find = time.perf_counter() - t0
        t_scores = 0.0
    else:
        ranked = find_label_issues(labels, pred_probs,
                                   return_indices_ranked_by="self_confidence")
        t_find = time.perf_counter() - t0
        t0 = time.perf_counter()
        get_label_quality_scores(labels, pred_probs)
        t_scores = time.perf_counter() - t0
    with open(out, "w") as f:
        f.write("".join("%d\n" % i for i in ranked))
    print("cleanlab %s: import %.2f s, load %.2f s, find %.2f s, scores %.2f s, "
          "job %.2f s (without import), %d flagged, %.0f MB peak"
          % (mode, t_import, t_load, t_find, t_scores, t_load + t_find + t_scores,
             len(ranked), peak_mb()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
