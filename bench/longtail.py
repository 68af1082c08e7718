#!/usr/bin/env python3
"""bench/longtail.py: a long-tail export for the sanctions benchmarks (issue 12 item 6).

`txscreen gen` draws its parties from 100,000 accounts, so a day's names
recur and the screener's name cache answers most of them.  Real payment
files also carry many one-off payees.  This rewrites a native CSV export
(as `txscreen gen` writes it) so that every record's originator and
beneficiary names are new: each is a given name, a middle name half of the
time, and a surname, drawn from bench/data/name-freq.tsv (by frequency) and
bench/data/name-tail.tsv (uniformly), or for a business (when the original
name ends in a legal form) a surname, a company word and the original legal
form.  Everything else (accounts, amounts, times, countries, banks) is kept
byte for byte, so the file differs from the standard export only in how
often names repeat.  Empty names (cash deposits) stay empty.
Deterministic: random.Random(seed).

usage: bench/longtail.py --in EXPORT.csv --out LONGTAIL.csv [--seed 1]
"""
import argparse, bisect, csv, itertools, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))
LEGAL = {"LLC", "LTD", "INC", "GMBH", "AG", "PLC", "SA", "SARL", "NV", "SPA", "CO", "AB", "SL",
         "GK", "BV", "SRL", "KK", "OO", "OY", "AS", "SAS", "LIMITED", "PTY", "CORP", "SE", "KG",
         "APS", "ASA", "BHD", "PTE", "OU", "SRO", "AS", "DOO", "ZRT", "KFT"}
WORDS = ["Trading", "Logistics", "Holdings", "Services", "Consulting", "Imports", "Foods",
         "Industries", "Partners", "Systems", "Retail", "Energy", "Medical", "Digital", "Builders",
         "Textiles", "Motors", "Farms", "Capital", "Studio"]


def tables():
    given, sur = [], []
    with open(os.path.join(HERE, "data", "name-freq.tsv"), encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            (sur if r["kind"] == "surname" else given).append((r["name"], float(r["share"])))
    # the Latin-script tail at about the weight of the last listed name: a
    # long flat tail (other scripts are left out: mixed-script names would be
    # a test of their own)
    with open(os.path.join(HERE, "data", "name-tail.tsv"), encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if all(ord(c) < 0x250 for c in r["name"]):
                (given if r["kind"] == "first" else sur).append((r["name"], 0.0002))
    def mk(items):
        return [n for n, _ in items], list(itertools.accumulate(w for _, w in items))
    return mk(given), mk(sur)


def draw(t, rng):
    names, cum = t
    return names[bisect.bisect_right(cum, rng.random() * cum[-1])]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    given, sur = tables()

    def person():
        p = [draw(given, rng)]
        if rng.random() < 0.5:
            p.append(draw(given, rng))
        p.append(draw(sur, rng))
        return " ".join(p)

    def rename(old):
        if not old:
            return old
        last = old.rsplit(" ", 1)[-1]
        if " " in old and last.replace(".", "").upper() in LEGAL:
            return "%s %s %s" % (draw(sur, rng), rng.choice(WORDS), last)
        return person()

    with open(a.inp, encoding="utf-8", newline="") as fi, \
            open(a.out + ".tmp", "w", encoding="utf-8", newline="") as fo:
        r = csv.reader(fi)
        w = csv.writer(fo, lineterminator="\n")
        head = next(r)
        w.writerow(head)
        on, bn = head.index("orig_name"), head.index("bene_name")
        for row in r:
            row[on] = rename(row[on])
            row[bn] = rename(row[bn])
            w.writerow(row)
    os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    sys.exit(main())
