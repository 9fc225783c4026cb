#!/usr/bin/env python3
"""bench/sklearn_model.py — scikit-learn's out-of-fold probabilities on a
text dataset, timed, as the reference for relabel's built-in model.

  sklearn_model.py DATA.csv CONFIG

DATA.csv has id,text,label columns. CONFIG is one of
  unigram   TfidfVectorizer(sublinear_tf=True, min_df=2) + LogisticRegression()
  bigram    the bundled datasets' model: 1-2 grams, min_df=2, at most 100,000
            features, sublinear tf + LogisticRegression(C=10)
both with cross_val_predict(method="predict_proba") over
StratifiedKFold(5, shuffle=True, random_state=0), n_jobs=2 (the machine's
two cores, as relabel uses). One line: accuracy of the out-of-fold argmax
against the labels, the wall time of vectorizing + cross-validation, and
the process's peak RSS.
"""
import resource
import sys
import time


def main(argv):
    if len(argv) != 3 or argv[2] not in ("unigram", "bigram"):
        sys.stderr.write(__doc__)
        return 2
    import os
    import warnings
    # lbfgs's convergence warnings, also in the worker processes
    os.environ["PYTHONWARNINGS"] = "ignore"
    warnings.simplefilter("ignore")
    import numpy as np
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    df = pd.read_csv(argv[1], dtype=str, keep_default_na=False)
    t0 = time.perf_counter()
    if argv[2] == "unigram":
        model = make_pipeline(TfidfVectorizer(sublinear_tf=True, min_df=2),
                              LogisticRegression())
    else:
        model = make_pipeline(TfidfVectorizer(sublinear_tf=True, min_df=2,
                                              ngram_range=(1, 2), max_features=100000),
                              LogisticRegression(C=10))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    p = cross_val_predict(model, df["text"], df["label"], cv=folds,
                          method="predict_proba", n_jobs=2)
    took = time.perf_counter() - t0
    classes = np.unique(df["label"])
    acc = float(np.mean(classes[p.argmax(1)] == df["label"].to_numpy()))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss += resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print("scikit-learn %s: accuracy %.4f, %.2f s wall, %.0f MB peak"
          % (argv[2], acc, took, rss / 1024.0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
