#!/usr/bin/env python3
"""Puts the cases of tests/data/verdicts.csv to the Python reference's verdict rule (judge() in
scripts/python/claims.py); test_claims_verdict puts the same cases to the C ledger's, so both
decide alike on the same numbers. Also checks the reason judged() gives when not judged.

usage: check_verdicts.py SOURCE_DIR     exit 0 when every case matches, 1 with one line per miss."""
import csv
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
sys.path.insert(0, os.path.join(root, "scripts", "python"))
import claims  # noqa: E402  (after the path is set)

errors, cases = [], 0
with open(os.path.join(root, "tests", "data", "verdicts.csv"), newline="") as f:
    for line, row in enumerate(csv.DictReader(f), start=2):
        checks = [("x", float(row[f"measured{k}_ms"]) / 1e3, float(row[f"expected{k}_ms"]) / 1e3,
                   float(row[f"overhead{k}_ms"]) / 1e3)
                  for k in ("", "2") if row[f"measured{k}_ms"] != ""]
        verdict, _ = claims.judge(row["others_hold"] == "1", checks, float(row["tolerance"]),
                                  float(row["slack_ms"]) / 1e3)
        cases += 1
        if verdict != row["verdict"]:
            errors.append(f"verdicts.csv:{line} ({row['case']}): {verdict}, "
                          f"expected {row['verdict']}")

verdict, why, overheads = claims.judged(
    0.05, True, [("sequence", 0.301, 0.3, 0.0001), ("Pool(5)", 0.224, 0.1, 0.110)], "ok", "off")
want = ("not judged at this scale", "at time scale 0.05 a fixed overhead can account for the "
        "figure: Pool(5) overhead 0.1100 s, tolerance 0.0100 s, off by +0.1240 s",
        "; fixed overhead (empty tasks): sequence 0.0001 s, Pool(5) 0.1100 s")
if (verdict, why, overheads) != want:
    errors.append(f"judged(): {(verdict, why, overheads)}, expected {want}")
if cases < 10:
    errors.append(f"only {cases} cases in verdicts.csv")
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
