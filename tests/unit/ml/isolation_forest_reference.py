#!/usr/bin/env python3
"""Test-only reference: sklearn's IsolationForest anomaly scores.

Usage: isolation_forest_reference.py DATA.csv [SEED]. Reads a CSV matrix (no header), fits IsolationForest with 100 trees
and a subsample of 256, and prints one score per row, 2^(-E[h]/c(n)) (the
negation of sklearn's score_samples), so it is comparable with ml::IsolationForest.
"""
import sys

import numpy as np
from sklearn.ensemble import IsolationForest

data = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
forest = IsolationForest(n_estimators=100, max_samples=256, random_state=int(sys.argv[2]) if len(sys.argv) > 2 else 0)
forest.fit(data)
for score in -forest.score_samples(data):
    print(repr(float(score)))
