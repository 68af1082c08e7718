#!/usr/bin/env python3
"""bench/biglist.py: a realistic 1,000,000-name benchmark list (issue 12 item 4).

Writes an OpenSanctions targets.simple.csv (docs/lists.md) of generated
persons and companies whose name frequencies follow real frequency data, so
that common names have the long posting lists real PEP and sanctions lists
have ("Maria Garcia", "James Smith", "... Trading LLC").  Compile it together
with the real lists:

  python3 bench/biglist.py --out bench/out/biglist-1m.csv
  txscreen lists compile tests/fixtures/lists/ofac-sdn-2024-05-03/sdn.csv \\
      samples/lists/un-consolidated-2026-02-27.xml bench/out/biglist-1m.csv \\
      -o bench/out/biglist-1m.snap

Frequencies (bench/data/README.md cites them):
  given names  bench/data/name-freq.tsv given_f / given_m: the US Social
               Security Administration's top 200 names of each decade
               1960s-1990s with their birth counts as shares; past them, the
               Latin-script given names of bench/data/name-tail.tsv continue the curve
               as 1/rank (an assumption: the SSA top 200 cover most births,
               the tail is long and flat);
  surnames     name-freq.tsv surname: the top 1,000 surnames of the US
               Census with their counts as shares; past them the Latin
               surnames of name-tail.tsv continue as 1/rank (the Census top 1,000
               cover about 40% of people);
  companies    the words of the OFAC SDN (2024-05-03) and UN entity names,
               counted: a company name is 1-3 words drawn by that count (or
               a surname and 1-2 words), and the legal form is drawn by how
               often each ends an entity name there.
10% of persons are non-Latin names of name-tail.tsv, a first and a last name
of one locale drawn uniformly (no frequency data for them here; Chinese,
Japanese and Korean written family name first, unspaced).  None of the
name files is derived from the negatives files that measure false positives.  Persons are 80%, companies 20%; 25% of persons carry a
middle name.  Deterministic: Python's random.Random(seed) (Mersenne Twister),
the same bytes for the same seed and inputs.  About 10 s for 1 M rows.

usage: bench/biglist.py [--rows 1000000] [--seed 1] [--out FILE]
"""
import argparse, bisect, csv, io, itertools, os, random, re, sys, unicodedata
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FREQ = os.path.join(HERE, "data", "name-freq.tsv")
TAIL = os.path.join(HERE, "data", "name-tail.tsv")
OFAC = os.path.join(ROOT, "tests", "fixtures", "lists", "ofac-sdn-2024-05-03", "sdn.csv")
UN = os.path.join(ROOT, "samples", "lists", "un-consolidated-2026-02-27.xml")
HEADER = ("id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,"
          "emails,program_ids,dataset,first_seen,last_seen,last_change").split(",")
# Legal forms recognised at the end of a list entity name (written as lists
# write them; dots and commas dropped before the comparison).
LEGAL = {"LLC", "LTD", "LIMITED", "INC", "CORP", "CORPORATION", "CO", "COMPANY", "GMBH", "AG",
         "SA", "SAL", "SARL", "SRL", "SPA", "JSC", "OJSC", "PJSC", "CJSC", "OOO", "OAO", "ZAO",
         "AO", "PAO", "FZE", "FZCO", "FZC", "LLP", "PLC", "BV", "NV", "AB", "AS", "KG", "SDN BHD",
         "BHD", "PTE", "LP", "DMCC", "EST", "CA", "DE CV"}
# Words of legal-form phrases and function words: not company words.
NOT_WORDS = {"LIABILITY", "JOINT", "STOCK", "OBSHCHESTVO", "OGRANICHENNOI", "OGRANICHENNOY",
             "OTVETSTVENNOSTYU", "AKTSIONERNOE", "OTKRYTOE", "ZAKRYTOE", "PUBLICHNOE",
             "TOVARISHCHESTVO", "THE", "AND", "FOR", "DEL", "LOS", "LAS"}


def script(name):
    for ch in name:
        if ch.isalpha():
            n = unicodedata.name(ch, "")
            return n.split(" ")[0] if n else "?"
    return "?"


class Table:
    """Names with weights; draws by binary search on the cumulative sum."""

    def __init__(self, items):
        self.names = [n for n, _ in items]
        self.cum = list(itertools.accumulate(w for _, w in items))

    def draw(self, rng):
        return self.names[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def with_tail(head, tail, rng_order):
    """head: [(name, share)] of real data, best first; tail: names, in an
    order fixed by the seed, continuing the curve as 1/rank."""
    seen = {n for n, _ in head}
    tail = [n for n in tail if n not in seen]
    rng_order.shuffle(tail)
    last_w, r0 = head[-1][1], len(head)
    return head + [(n, last_w * r0 / (r0 + i + 1)) for i, n in enumerate(tail)]


def load_freq():
    f = {"given_f": [], "given_m": [], "surname": []}
    with open(FREQ, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            f[row["kind"]].append((row["name"], float(row["share"])))
    t = {}  # locale -> {"first": [...], "last": [...]}
    with open(TAIL, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            t.setdefault(row["locale"], {"first": [], "last": []})[row["kind"]].append(row["name"])
    return f, t


# Locales whose names are written family name first, without a space.
FAMILY_FIRST = {"zh_CN", "zh_TW", "ja_JP", "ko_KR"}


def list_entity_names():
    names = []
    with open(OFAC, encoding="latin-1", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) > 2 and row[2].strip() in ("-0-", ""):
                names.append(row[1])
    for ent in ET.parse(UN).getroot().iter("ENTITY"):
        names.append((ent.findtext("FIRST_NAME") or "").strip())
    return [n for n in names if n]


def company_tables():
    words, forms = {}, {}
    for name in list_entity_names():
        toks = [t for t in re.split(r"[^A-Za-z0-9&]+", name.replace(".", "").upper()) if t]
        if len(toks) >= 2 and toks[-1] in LEGAL:
            forms[toks[-1]] = forms.get(toks[-1], 0) + 1
            toks = toks[:-1]
        for t in toks:
            if len(t) >= 3 and not t.isdigit() and t not in LEGAL and t not in NOT_WORDS:
                words[t] = words.get(t, 0) + 1
    key = lambda kv: (-kv[1], kv[0])
    return (Table(sorted(words.items(), key=key)), Table(sorted(forms.items(), key=key)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    freq, tail = load_freq()
    latin = {k: sorted({n for d in tail.values() for n in d[k] if script(n) == "LATIN"})
             for k in ("first", "last")}
    order = random.Random(a.seed + 1)
    given = Table(with_tail(sorted(freq["given_f"] + freq["given_m"], key=lambda x: -x[1]),
                            latin["first"], order))
    surname = Table(with_tail(freq["surname"], latin["last"], order))
    # other scripts: no frequency data, uniform within a locale
    other = {}
    for loc, d in sorted(tail.items()):
        f = sorted(n for n in d["first"] if script(n) != "LATIN")
        l = sorted(n for n in d["last"] if script(n) != "LATIN")
        if f and l:
            other[loc] = (Table([(n, 1.0) for n in f]), Table([(n, 1.0) for n in l]))
    scripts = Table([(loc, len(other[loc][0].names) + len(other[loc][1].names))
                     for loc in sorted(other)])
    cwords, cforms = company_tables()
    out = sys.stdout if a.out == "-" else open(a.out + ".tmp", "w", encoding="utf-8", newline="")
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(HEADER)
    for i in range(a.rows):
        if i % 5 == 4:
            schema = "Company"
            k = rng.random()
            words = [surname.draw(rng)] if k < 0.4 else []
            want = len(words) + (rng.randint(1, 2) if k < 0.4 else 1 + (k > 0.6) + (k > 0.85))
            while len(words) < want:  # distinct words
                x = cwords.draw(rng)
                if x not in words:
                    words.append(x)
            name = " ".join(x.title() if x.isupper() else x for x in words) + " " + cforms.draw(rng)
        else:
            schema = "Person"
            if rng.random() < 0.10:  # a non-Latin name, first and last of one locale
                loc = scripts.draw(rng)
                f, l = other[loc]
                name = (l.draw(rng) + f.draw(rng) if loc in FAMILY_FIRST
                        else f.draw(rng) + " " + l.draw(rng))
            else:
                parts = [given.draw(rng)]
                if rng.random() < 0.25:
                    parts.append(given.draw(rng))
                parts.append(surname.draw(rng))
                name = " ".join(parts)
        w.writerow(["BIG-%07d" % i, schema, name, "", "", "", "", "", "", "", "", "",
                    "Synthetic 1M (bench/biglist.py)", "2026-01-01T00:00:00",
                    "2026-01-01T00:00:00", "2026-01-01T00:00:00"])
    if out is not sys.stdout:
        out.close()
        os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    sys.exit(main())
