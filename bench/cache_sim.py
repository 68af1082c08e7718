#!/usr/bin/env python3
"""bench/cache_sim.py: hit rates of name-cache structures on an export's
party names, in the order `txscreen screen` meets them (orig_name, then
bene_name, record by record), to choose the cache of
engine/src/screen/name_cache.c (docs/matching.md "Sanctions screening").

Simulated: the old direct-mapped 2^17 slots, 4-way LRU sets of 2^16..2^20
buckets (16-byte keys, four to a 64-byte line), 8-way LRU sets of 2^15..2^17
buckets (8-byte keys, eight to a line: the engine's since the no-hit set
went from 8 to 4 MiB), and an unbounded cache.  Names are hashed with blake2b, not the
engine's xxh3, so slot collisions differ but not their rate.

usage: bench/cache_sim.py EXPORT.csv   (native CSV, e.g. from txscreen gen)
"""
import csv, hashlib, sys


def names(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        h = next(r)
        a, b = h.index("orig_name"), h.index("bene_name")
        for row in r:
            for x in (row[a], row[b]):
                if x:
                    yield x


def key(s):
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")


def direct(seq, bits):
    t, hit = [None] * (1 << bits), 0
    for h in seq:
        i = h & ((1 << bits) - 1)
        if t[i] == h:
            hit += 1
        else:
            t[i] = h
    return hit


def assoc(seq, bits, ways):
    t, hit = [[] for _ in range(1 << bits)], 0
    for h in seq:
        b = t[(h >> 20) & ((1 << bits) - 1)]
        if h in b:
            hit += 1
            b.remove(h)
        elif len(b) == ways:
            b.pop()
        b.insert(0, h)
    return hit


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    seq = [key(n) for n in names(sys.argv[1])]
    n, d = len(seq), len(set(seq))
    print("%s: %d names, %d distinct (%.1f%%)" % (sys.argv[1], n, d, 100.0 * d / n))
    print("  direct-mapped 2^17 slots          %5.1f%%" % (100.0 * direct(seq, 17) / n))
    for bits in range(16, 21):
        print("  4-way LRU 2^%d buckets (%7d names) %5.1f%%" % (bits, 4 << bits, 100.0 * assoc(seq, bits, 4) / n))
    for bits in range(15, 18):
        print("  8-way LRU 2^%d buckets (%7d names) %5.1f%%" % (bits, 8 << bits, 100.0 * assoc(seq, bits, 8) / n))
    print("  unbounded                         %5.1f%%" % (100.0 * (n - d) / n))


if __name__ == "__main__":
    main()
