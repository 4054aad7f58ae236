#!/usr/bin/env python3
"""Rewrites the plan benchmark's source.csv (E.164 digits, 4479...) with the spellings CRM
exports hold, in turn: "07930 123456", "+44 7930 123456", "0044-7930-123456", "(07930) 123 456".
The numbers, and so the plan, stay the same.

usage: messify.py IN_CSV OUT_CSV"""
import sys

with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    out.write(src.readline())
    for i, line in enumerate(src):
        msisdn, rest = line.split(",", 1)
        nsn = msisdn[2:]  # 7930123456
        area, local = nsn[:4], nsn[4:]
        spelling = (f"0{area} {local}", f"+44 {area} {local}", f"0044-{area}-{local}",
                    f"(0{area}) {local[:3]} {local[3:]}")[i % 4]
        out.write(f"{spelling},{rest}")
