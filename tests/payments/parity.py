#!/usr/bin/env python3
"""MT/MX parity (issue 15): the same payment as an MT and as an MX message
(tests/fixtures/payments/pairs.csv, from a public MT-to-MX converter's test
suite) must map to canonical transactions that agree on amount, currency,
value date, the debtor's and creditor's names and accounts, and the BICs of
every agent both sides carry.

usage: parity.py TXSCREEN FIXTURES_DIR

A value one format cannot carry is not compared, and each such case is a
named rule below (docs/formats.md "What each format cannot carry"), so
nothing is skipped silently: the summary counts values compared and values
not comparable by rule.
"""
import csv
import json
import os
import subprocess
import sys

# Pairs where the converter's MX does not say what the MT says, each with
# the reason (docs/formats.md "MT/MX parity").
KNOWN = {
    ("mt/ballerina-mt2mx/custom__fin1.fin", "instructing_agent.bic"):
        "block 1 lacks its 'F01' application and service ids; the converter "
        "reads the logical terminal three characters too far",
}

BIC_ROLES = ["debtor_agent", "creditor_agent", "intermediary_agent_1",
             "instructing_agent", "instructed_agent"]


def parse(txs, path):
    out = subprocess.run([txs, "parse", "--quiet", path], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"parity: txscreen parse {path} exited {out.returncode}: {out.stderr}")
    return [json.loads(line) for line in out.stdout.splitlines()]


def party(t, role):
    for p in t["parties"]:
        if p["role"] == role and "scope" not in p:
            return p
    return None


def bic8(b):
    return b[:8] if b and (len(b) == 8 or b.endswith("XXX")) else b


def norm_name(s):
    # MT lines are 35 characters in the SWIFT X set: the converter joins
    # and upper-cases differently; compare case- and space-insensitively.
    return " ".join((s or "").upper().split())


def account(p):
    return p.get("iban") or p.get("account")


def mt_amount(mt, mx):
    """MT101 with :33B: (the original ordered amount): the pain.001 the
    converter writes carries 33B as InstdAmt, so 33B is what compares; the
    MT's amount is :32B:, the amount transferred."""
    ia = mt["refs"].get("instructed_amount")
    if mt["kind"] == "MT101" and ia and mx["kind"].startswith("pain.001"):
        ccy, amt = ia.split(" ")
        whole, _, frac = amt.partition(",")
        exp = len(mx["amount"].partition(".")[2])
        frac = (frac + "0" * exp)[:exp]
        return (whole + ("." + frac if exp else "")), ccy
    return mt["amount"], mt["currency"]


def compare(mt, mx):
    """Yields (field, mt value, mx value, rule) where rule is None when the
    values must agree, or the name of the rule that makes them
    incomparable."""
    amount, currency = mt_amount(mt, mx)
    yield "amount", amount, mx["amount"], None
    yield "currency", currency, mx["currency"], None
    yield "value_date", mt["timestamp"][:10], mx["timestamp"][:10], None
    checks = [(role, field, get) for role in ("debtor", "creditor")
              for field, get in (("name", lambda p: norm_name(p.get("name"))),
                                 ("account", account),
                                 ("bic", lambda p: bic8(p.get("bic"))))]
    checks += [(role, "bic", lambda p: bic8(p.get("bic"))) for role in BIC_ROLES]
    for role, field, get in checks:
        a, b = party(mt, role), party(mx, role)
        va = get(a) if a else None
        vb = get(b) if b else None
        if not va and not vb:
            continue
        yield f"{role}.{field}", va, vb, None if va and vb else "only one format carries it"


def main():
    txs, root = sys.argv[1], sys.argv[2]
    pairs = list(csv.DictReader(open(os.path.join(root, "pairs.csv"))))
    compared = incomparable = failed = 0
    for row in pairs:
        mt = parse(txs, os.path.join(root, row["mt_file"]))
        mx = parse(txs, os.path.join(root, row["mx_file"]))
        if len(mt) != 1 or len(mx) != 1:
            print(f"FAIL {row['mt_file']}: {len(mt)} MT and {len(mx)} MX transactions")
            failed += 1
            continue
        for field, a, b, rule in compare(mt[0], mx[0]):
            rule = rule or KNOWN.get((row["mt_file"], field))
            if rule:
                incomparable += 1
                print(f"  not compared {row['mt_file']} {field}: mt={a!r} mx={b!r} ({rule})")
                continue
            compared += 1
            if a != b:
                failed += 1
                print(f"FAIL {row['mt_file']} vs {row['mx_file']}: {field}: mt={a!r} mx={b!r}")
    print(f"parity: {len(pairs)} pairs, {compared} values compared, "
          f"{failed} disagree, {incomparable} not compared (one format only, or a listed "
          f"converter quirk)")
    sys.exit(1 if failed else 0)


main()
