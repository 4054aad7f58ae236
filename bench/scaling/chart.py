#!/usr/bin/env python3
"""Draws the scaling chart of bench/scaling as an SVG, with nothing but the standard library.

usage: chart.py RESULTS.tsv OUT.svg TITLE
RESULTS.tsv: a header line, then one line per size: rows, plan_s, sqlite_s, plan_rss_mib,
sqlite_rss_mib (medians). Two panels share the x axis (rows): on the left the wall seconds of
`mobisync plan` and of the sqlite3 baseline, each with a dashed line through the origin and its
value at the middle size (what exactly linear cost would give); on the right the peak RSS with
the goal, 250 MiB per million rows."""
import sys

rows_in = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()][1:]
data = [(int(r[0]), float(r[1]), float(r[2]), float(r[3]), float(r[4])) for r in rows_in]
out, title = sys.argv[2], sys.argv[3]
W, H, PW, PH, LEFT, TOP = 900, 420, 340, 280, 70, 60
PLAN, BASE, GOAL = "#1f77b4", "#ff7f0e", "#d62728"


def nice(v):
    """A round axis maximum at or above v."""
    step = 10 ** len(str(int(max(v, 1)))) / 10
    for m in (1, 2, 2.5, 5, 10):
        if m * step >= v:
            return m * step
    return 10 * step


def panel(x0, ymax, label, series, lines):
    """One panel at x0: axes, ticks, the series (points joined) and reference lines."""
    xmax = nice(max(d[0] for d in data))
    sx = lambda x: x0 + x / xmax * PW
    sy = lambda y: TOP + PH - y / ymax * PH
    svg = [f'<rect x="{x0}" y="{TOP}" width="{PW}" height="{PH}" fill="none" stroke="#888"/>',
           f'<text x="{x0 + PW / 2}" y="{TOP - 10}" text-anchor="middle">{label}</text>',
           f'<text x="{x0 + PW / 2}" y="{TOP + PH + 38}" text-anchor="middle">rows (millions)</text>']
    for i in range(6):
        x, y = xmax * i / 5, ymax * i / 5
        svg.append(f'<text x="{sx(x):.1f}" y="{TOP + PH + 18}" text-anchor="middle" '
                   f'font-size="11">{x / 1e6:g}</text>')
        svg.append(f'<text x="{x0 - 6}" y="{sy(y) + 4:.1f}" text-anchor="end" '
                   f'font-size="11">{y:g}</text>')
        svg.append(f'<line x1="{x0}" x2="{x0 + PW}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" '
                   f'stroke="#eee"/>')
    for (x1, y1, x2, y2, colour, dash) in lines:
        svg.append(f'<line x1="{sx(x1):.1f}" y1="{sy(y1):.1f}" x2="{sx(x2):.1f}" '
                   f'y2="{sy(y2):.1f}" stroke="{colour}" stroke-dasharray="{dash}"/>')
    for (points, colour) in series:
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in points:
            svg.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="{colour}"/>')
            svg.append(f'<text x="{sx(x) + 6:.1f}" y="{sy(y) - 6:.1f}" font-size="11" '
                       f'fill="{colour}">{y:g}</text>')
    return svg


xmax = max(d[0] for d in data)
mid = data[len(data) // 2]  # the reference size for the "exactly linear" lines
seconds = panel(LEFT, nice(max(max(d[1], d[2]) for d in data) * 1.1), "wall seconds",
                [([(d[0], d[1]) for d in data], PLAN), ([(d[0], d[2]) for d in data], BASE)],
                [(0, 0, xmax, mid[1] * xmax / mid[0], PLAN, "5,4"),
                 (0, 0, xmax, mid[2] * xmax / mid[0], BASE, "5,4")])
rss_max = nice(max(max(d[3], d[4]) for d in data + [(xmax, 0, 0, 250 * xmax / 1e6, 0)]) * 1.05)
memory = panel(LEFT + PW + 110, rss_max, "peak RSS, MiB",
               [([(d[0], d[3]) for d in data], PLAN), ([(d[0], d[4]) for d in data], BASE)],
               [(0, 0, xmax, 250 * xmax / 1e6, GOAL, "2,3")])
legend = [(PLAN, "mobisync plan, after a previous sync (median)"),
          (BASE, "sqlite3: import both sides, EXCEPT both ways (baseline, median)"),
          (GOAL, "goal: 250 MiB per million rows"), ("#888", "dashed: linear through the middle size")]
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H + 40}" '
       f'font-family="sans-serif" font-size="13">',
       f'<rect width="100%" height="100%" fill="white"/>',
       f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>']
svg += seconds + memory
for i, (colour, text) in enumerate(legend):
    y = TOP + PH + 60 + (i // 2) * 18
    x = LEFT + (i % 2) * 420
    svg.append(f'<rect x="{x}" y="{y - 9}" width="14" height="4" fill="{colour}"/>'
               f'<text x="{x + 20}" y="{y}" font-size="12">{text}</text>')
svg.append("</svg>")
with open(out, "w") as f:
    f.write("\n".join(svg) + "\n")
