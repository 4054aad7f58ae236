#!/usr/bin/env python3
"""Generates the plan benchmark's inputs: a source CSV of N contacts and the confirmed state of
the same N contacts with 1% changed (0.5% of numbers dropped from the source and 0.5% new ones,
plus 0.5% moved to another list), so the plan has real work on both sides.

usage: gen_data.py N OUT_DIR
writes OUT_DIR/source.csv (mobisync's input), OUT_DIR/state.csv (seed rows and the sqlite3
baseline's second side) and OUT_DIR/desired.csv (the baseline's first side: the same pairs
as the source)."""
import os
import sys

n = int(sys.argv[1])
assert n <= 7_000_000, "numbers are 07930 to 07936 plus six digits"
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
step = 200  # every 200th row: 0.5%
with open(f"{out}/source.csv", "w") as src, open(f"{out}/desired.csv", "w") as des, \
        open(f"{out}/state.csv", "w") as st:
    src.write("msisdn,name,reference,applications\n")
    des.write("msisdn,application\n")
    st.write("msisdn,name,reference,application\n")
    for i in range(n):
        # 07930 000000 onwards, then 07931 000000 after a million: valid GB mobiles.
        msisdn = f"4479{30 + i // 1_000_000}{i % 1_000_000:06d}"
        name = f"Person {i}"
        ref = f"R{i}"
        app = "contacts:42"
        in_state = i % step != 0          # 0.5% are new in the source
        in_source = i % step != 1         # 0.5% left the source
        moved = i % step == 2             # 0.5% moved list
        if in_source:
            src_app = "contacts:43" if moved else app
            src.write(f"{msisdn},{name},{ref},{src_app}\n")
            des.write(f"{msisdn},{src_app}\n")
        if in_state:
            st.write(f"{msisdn},{name},{ref},{app}\n")
