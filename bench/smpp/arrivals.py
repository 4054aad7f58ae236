#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Reads the record of a strict node SMSC (tests/smsc/smsc.js --max-per-second, its "arrival"
# lines) and prints one JSON object about the accepted arrivals: how many in the WINDOW seconds
# from the first, the most and fewest in one aligned second of that window, the most in any
# sliding second (all binds, and the busiest bind), the throttled answers, and per bind the spans
# of RATE consecutive arrivals (the limiter's cycle: 1,000 ms + its margin + the answer's round
# trip + any scheduling delay) as percentiles in ms.
# usage: arrivals.py RECORD.jsonl WINDOW_SECONDS RATE
import json
import sys


def most_in_sliding_second(ts):
    most, first = 0, 0
    for last, t in enumerate(ts):
        while ts[first] <= t - 1000.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))] if xs else 0.0


path, window, rate = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
accepted, throttled, by_bind = [], 0, {}
with open(path) as f:
    for line in f:
        r = json.loads(line)
        if r.get("event") != "arrival":
            continue
        if not r["accepted"]:
            throttled += 1
            continue
        accepted.append(r["arrival_ms"])
        by_bind.setdefault(r["session"], []).append(r["arrival_ms"])
accepted.sort()
t0 = accepted[0]
in_window = [t for t in accepted if t < t0 + window * 1000.0]
per_second = [0] * int(window)
for t in in_window:
    per_second[int((t - t0) // 1000)] += 1
spans = []
for ts in by_bind.values():
    ts.sort()
    spans += [ts[k] - ts[k - rate] for k in range(rate, len(ts))]
print(json.dumps({
    "accepted": len(accepted), "in_window": len(in_window), "throttled": throttled,
    "max_second": max(per_second), "min_second": min(per_second),
    "max_sliding": most_in_sliding_second(accepted),
    "max_sliding_bind": max(most_in_sliding_second(sorted(ts)) for ts in by_bind.values()),
    "binds": len(by_bind),
    "span_p1": round(percentile(spans, 1), 2), "span_p50": round(percentile(spans, 50), 2),
    "span_p99": round(percentile(spans, 99), 2), "span_max": round(max(spans, default=0.0), 2),
}))
