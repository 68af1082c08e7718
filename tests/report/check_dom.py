#!/usr/bin/env python3
"""Compare the figures a report's dumped DOM shows with the run's manifest.

usage: check_dom.py DOM MANIFEST [CASES]

Every element with data-k (a manifest key path such as counts.alerts or
alerts_by_band.block; "cases" is the number of lines of CASES) and data-v
must hold the manifest's figure in data-v and show it as its text (digits
with thousands commas).  The figures the report counts from the alerts file
(alerts, bands, rules) thus prove the alerts file and the manifest agree.
Also checks that the page's script ran (the cases table's pager exists) and
that the core figures are all there, so an empty page cannot pass.
"""
import json
import sys
from html.parser import HTMLParser


class Figures(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.figs, self.stack, self.ids, self.imgs = [], [], set(), 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs += 1
        if "id" in a:
            self.ids.add(a["id"])
        if "data-k" in a:
            self.figs.append([a["data-k"], a.get("data-v"), ""])
            self.stack.append(len(self.figs) - 1)

    def handle_endtag(self, tag):
        if tag == "span" and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack:
            self.figs[self.stack[-1]][2] += data


def main():
    dom, manifest = sys.argv[1], sys.argv[2]
    cases = sys.argv[3] if len(sys.argv) > 3 else None
    p = Figures()
    with open(dom, encoding="utf-8") as f:
        p.feed(f.read())
    with open(manifest, encoding="utf-8") as f:
        m = json.load(f)
    bad = []
    if p.imgs:
        bad.append("%d <img> elements in the page (it draws none: injected markup?)" % p.imgs)
    need = {"counts.read", "counts.screened", "counts.rejected", "counts.alerts",
            "alerts_by_band.block", "alerts_by_band.review", "alerts_by_band.edd"}
    if cases:
        need.add("cases")
        if "cases-table-pager" not in p.ids:
            bad.append("the cases table has no pager: the page's script did not run")
    seen = set()
    for key, val, text in p.figs:
        seen.add(key)
        if key == "cases":
            with open(cases, encoding="utf-8") as f:
                want = sum(1 for line in f if line.strip())
        else:
            want = m
            for part in key.split(".", 1) if key.startswith("alerts_by_rule.") else key.split("."):
                want = want.get(part) if isinstance(want, dict) else None
        if not isinstance(want, int):
            bad.append("%s: not a figure of the manifest (%r)" % (key, want))
            continue
        if val != str(want):
            bad.append("%s: the page says %s, the manifest %d" % (key, val, want))
        if text.replace(",", "") != str(want):
            bad.append("%s: shown as %r, the manifest says %d" % (key, text, want))
    for k in sorted(need - seen):
        bad.append("%s: not shown" % k)
    for b in bad:
        print("FAIL " + b)
    print("%d figures compared, %d problems" % (len(p.figs), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
