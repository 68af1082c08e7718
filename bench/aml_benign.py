#!/usr/bin/env python3
"""Attempt-level recall per labelled typology and the benign accounts alerted.

usage: aml_benign.py ALERTS.jsonl LABELS.csv

An attempt (pattern_id) counts as detected when any of its transactions is an
alert's own transaction or is listed in the evidence (txn_ids) of any hit.
A benign account alerted is an account named as the subject ("account") of a
hit in an alert that touches no labelled transaction.  Prints one line per
typology and the benign account count with its rules, for docs/benchmarks.md.
"""
import collections
import csv
import json
import sys


def main():
    alerts, labels = sys.argv[1], sys.argv[2]
    lab = set()
    pat = collections.defaultdict(set)
    typ = {}
    for r in csv.DictReader(open(labels)):
        lab.add(r['txn_id'])
        pat[r['pattern_id']].add(r['txn_id'])
        typ[r['pattern_id']] = r['typology']
    pred = set()
    benign = set()
    by_rule = collections.Counter()
    for line in open(alerts):
        a = json.loads(line)
        ids = {a['txn_id']}
        for h in a['hits']:
            ids |= set(h.get('evidence', {}).get('txn_ids', []))
        pred |= ids
        if ids & lab:
            continue
        for h in a['hits']:
            if 'account' in h:
                benign.add(h['account'])
                by_rule[h['rule']] += 1
    rec = collections.defaultdict(lambda: [0, 0])
    for p, ids in pat.items():
        rec[typ[p]][1] += 1
        if ids & pred:
            rec[typ[p]][0] += 1
    for t in sorted(rec):
        d, n = rec[t]
        print(f"{t:24s} {d}/{n} = {100 * d / n:.1f}%")
    print("benign accounts alerted", len(benign), dict(by_rule.most_common()))


if __name__ == '__main__':
    main()
