#!/usr/bin/env python3
"""Measure the name matcher against the fixtures in tests/fixtures/names/.

usage: tests/names/eval.py TXSCREEN [--set NAME=VALUE ...]

Runs `TXSCREEN score --pairs` on each fixture and prints:
  - name-bench-dev.csv: precision, recall and F1 at the default threshold,
    overall, by schema and by case group, beside OpenSanctions logic-v2's
    scores on the same pairs (name-bench-dev.logic-v2-scores.csv, threshold
    0.70, computed here the same way);
  - OFAC parity: share of ofac-sls-scores.csv rows within +/-5 points of
    OFAC's score with --algorithm ofac.  A -1 row (OFAC did not return the
    name at its slider 80, so its score was below 80) counts as within
    tolerance when our score is below 85 (80 + the same 5 points);
  - cross-script: every pair of cross-script-pairs.csv against its minimum.
"""
import csv
import io
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "fixtures", "names")


def run(binary, path, extra, rows=None):
    args = [binary, "score", "--pairs", path] + extra
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def prf(pairs):
    tp = sum(1 for p, t in pairs if p and t)
    fp = sum(1 for p, t in pairs if p and not t)
    fn = sum(1 for p, t in pairs if not p and t)
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return pr, rc, f1, len(pairs)


def bench(binary, extra):
    path = os.path.join(FIX, "name-bench-dev.csv")
    gold = list(csv.DictReader(open(path, encoding="utf-8")))
    ours = run(binary, path, extra)
    assert len(ours) == len(gold), (len(ours), len(gold))
    peer = list(csv.DictReader(open(os.path.join(FIX, "name-bench-dev.logic-v2-scores.csv"), encoding="utf-8")))
    peer_by = {(r["name1"], r["name2"], r["schema"]): float(r["score"]) >= 0.70 for r in peer}
    groups = defaultdict(lambda: ([], []))
    for g, o in zip(gold, ours):
        truth = g["is_match"].strip().lower() == "true"
        mine = o["match"] == "true"
        theirs = peer_by.get((g["name1"], g["name2"], g["schema"]))
        for key in ("all", "schema=" + g["schema"], "group=" + g["case_group"]):
            groups[key][0].append((mine, truth))
            if theirs is not None:
                groups[key][1].append((theirs, truth))
    print("name-bench-dev.csv (447 pairs, default threshold; logic-v2 at 0.70)")
    print("%-28s %5s | %6s %6s %6s | %6s %6s %6s" % ("slice", "n", "P", "R", "F1", "lv2 P", "lv2 R", "lv2 F1"))
    for key in sorted(groups, key=lambda k: (k != "all", k)):
        a, b = groups[key]
        pa, ra, fa, n = prf(a)
        pb, rb, fb, _ = prf(b)
        print("%-28s %5d | %6.3f %6.3f %6.3f | %6.3f %6.3f %6.3f" % (key, n, pa, ra, fa, pb, rb, fb))
    return prf(groups["all"][0])[2]


def ofac(binary, extra):
    path = os.path.join(FIX, "ofac-sls-scores.csv")
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), "txs-ofac-pairs.csv")
    gold = list(csv.DictReader(open(path, encoding="utf-8")))
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name1", "name2"])
        for r in gold:
            w.writerow([r["query_name"], r["result_name"]])
    ours = run(binary, tmp, ["--algorithm", "ofac"])
    ok = 0
    misses = []
    for g, o in zip(gold, ours):
        want = float(g["ofac_score"])
        got = 100.0 * float(o["score"])
        good = got < 85.0 if want < 0 else abs(got - want) <= 5.0
        ok += good
        if not good:
            misses.append("  %-32s %-45s ofac %4.0f ours %5.1f" % (g["query_name"], g["result_name"], want, got))
    print("OFAC parity: %d/%d = %.1f%% within +/-5 points" % (ok, len(gold), 100.0 * ok / len(gold)))
    for m in misses:
        print(m)
    return ok / len(gold)


def cross(binary, extra):
    path = os.path.join(FIX, "cross-script-pairs.csv")
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), "txs-cross-pairs.csv")
    rows = [l for l in csv.reader(open(path, encoding="utf-8")) if l and not l[0].startswith("#")]
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["name1", "name2", "schema"])
        for r in rows:
            w.writerow([r[0], r[1], "person"])
    ours = run(binary, tmp, extra)
    ok = 0
    print("cross-script pairs (schema person):")
    for r, o in zip(rows, ours):
        good = float(o["score"]) >= float(r[2])
        ok += good
        print("  %s %-20s %-18s min %.2f got %.4f  %s" % ("ok  " if good else "FAIL", r[0], r[1], float(r[2]),
                                                         float(o["score"]), o["explanation"][:90]))
    print("cross-script: %d/%d at or above their minimum" % (ok, len(rows)))
    return ok == len(rows)


def main():
    binary = sys.argv[1]
    extra = []
    for a in sys.argv[2:]:
        extra += ["--set", a]
    f1 = bench(binary, extra)
    print()
    ofac(binary, extra)
    print()
    cross(binary, extra)
    print("\nF1 %.4f" % f1)


if __name__ == "__main__":
    main()
