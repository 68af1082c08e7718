#!/usr/bin/env python3
"""Write the keyword half of the pattern benchmark (bench/patterns.sh): N
distinct words taken in file order from bench/data/name-tail.tsv and
name-freq.tsv (letters only, 4+ characters), one `\\bWORD\\b` a line, so
the list is the same on every run.  usage: patterns_gen.py N OUT"""
import sys, unicodedata

def words(path, col):
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) > col:
                for w in parts[col].split():
                    yield w

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    here = sys.path[0]
    seen, kept = set(), []
    for src, col in ((here + "/data/name-freq.tsv", 1), (here + "/data/name-tail.tsv", 2)):
        for w in words(src, col):
            if len(kept) == n or len(w) < 4 or w in seen:
                continue
            if not all(unicodedata.category(c).startswith("L") for c in w):
                continue
            seen.add(w)
            kept.append(w)
    if len(kept) < n:
        sys.exit("only %d words" % len(kept))
    with open(out, "w", encoding="utf-8") as f:
        for w in kept:
            f.write("\\b%s\\b\n" % w)

main()
