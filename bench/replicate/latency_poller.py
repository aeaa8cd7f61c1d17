#!/usr/bin/env python3
"""Watches the replication manifest and prints, per marker row, when it became
queryable: `<marker id> <unix microseconds>`.

A change is queryable exactly when the manifest's commit covers it (readers
list committed files from the manifest), and bench_marker only receives
single-row inserts with ids 1, 2, 3, ... so marker i is queryable once the
table's committed insert count reaches i.

usage: latency_poller.py MANIFEST TABLE MARKERS
"""
import json
import sys
import time

manifest, table, markers = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen = 0
deadline = time.time() + 600
while seen < markers and time.time() < deadline:
    try:
        with open(manifest) as f:
            state = json.load(f)
        inserts = state["tables"][table]["counters"]["inserts"]
    except (OSError, ValueError, KeyError):
        inserts = 0  # no manifest or table yet; the file is replaced atomically
    now_us = int(time.time() * 1e6)
    while seen < min(inserts, markers):
        seen += 1
        print(seen, now_us, flush=True)
    time.sleep(0.005)
