#!/usr/bin/env bash
# bench/lookback.sh: look-back screening at scale (issue 17 target: a state
# of 1,000,000 known counterparties re-screened against a delta of 100
# added entities in <= 5 s on 1 thread; memory per counterparty stated).
#
#   1. `txscreen gen --rows R --accounts 1000000`, rewritten by
#      bench/longtail.py so that every record's two names are new: about
#      2 R distinct name counterparties (plus the banks' BICs);
#   2. one `screen --state` over it with a two-entity snapshot v1 (the
#      state records v1 and keeps every counterparty);
#   3. v2 = v1 + 100 entities: 10 names of the export (planted: each must
#      come back as a lookback alert) and 90 names longtail.py draws with
#      another seed (the same name tables, so they share tokens with many
#      counterparties, as a real list update does);
#   4. `rescreen --state S --lists v2` timed (wall, user, max RSS) beside
#      `wc -l` and `cat` of the state file in the same run, three times;
#      with BASE (another txscreen, e.g. main's build), each round times
#      BASE's rescreen too, interleaved, and checks that both wrote the same
#      alerts and the same state bytes.
#
# usage: bench/lookback.sh TXSCREEN [ROWS] [WORKDIR] [BASE]   (ROWS default
# 520000; a WORKDIR holding export.csv and state.bin from an earlier run is
# reused, so build it once: the state takes minutes)
set -eu
bin=$(realpath "$1")
rows=${2:-520000}
work=${3:-$(mktemp -d)}
base=${4:+$(realpath "$4")}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cd "$work"
if [ ! -s export.csv ]; then
  "$bin" gen --seed 17 --rows "$rows" --accounts 1000000 --labels /dev/null --out gen.csv 2>/dev/null
  python3 "$here/longtail.py" --in gen.csv --out export.csv --seed 1
  "$bin" gen --seed 18 --rows 2000 --accounts 1000000 --labels /dev/null --out gen2.csv 2>/dev/null
  python3 "$here/longtail.py" --in gen2.csv --out other.csv --seed 2
fi
python3 - <<'PY'
import csv, json, random
rnd = random.Random(17)
with open("export.csv", newline="") as f:
    rows = [r for r in csv.DictReader(f)]
planted = [r["bene_name"] for r in rnd.sample(rows, 10)]
with open("other.csv", newline="") as f:
    other = [r["orig_name"] for r in csv.DictReader(f) if r["orig_name"]][:90]
base = [{"id": "e1", "schema": "Person", "properties": {"name": ["Ivan Petrovich Sidorov"]}},
        {"id": "e2", "schema": "Company", "properties": {"name": ["Volga Shipping Holdings JSC"]}}]
with open("v1.jsonl", "w") as f:
    for e in base: f.write(json.dumps(e) + "\n")
with open("v2.jsonl", "w") as f:
    for e in base: f.write(json.dumps(e) + "\n")
    for i, n in enumerate(planted + other):
        f.write(json.dumps({"id": "n%03d" % i, "schema": "LegalEntity", "properties": {"name": [n]}}) + "\n")
with open("planted.txt", "w") as f:
    for n in planted: f.write(n + "\n")
PY
"$bin" lists compile v1.jsonl -o v1.snap 2>/dev/null
"$bin" lists compile v2.jsonl -o v2.snap 2>/dev/null
# The generator plants a few typologies over a year and more (its last
# record is 14 months after the first), and retention counts back from the
# latest event: 13 months would drop almost every counterparty of the
# first weeks.  The bench keeps them all (ten years).
keep=(--lookback-retention 3650)
if [ ! -s state.bin ]; then
  "$bin" screen -q --threads 2 --lists v1.snap --state state.bin "${keep[@]}" --out /dev/null export.csv
fi
cp state.bin run.bin
echo "export: $(wc -l < export.csv) lines; state: $(stat -c %s state.bin) bytes"
for i in 1 2 3; do
  cp state.bin run.bin; rm -f run.bin.prev
  /usr/bin/time -f "wc -l state: %e s" wc -l run.bin > /dev/null
  /usr/bin/time -f "cat state: %e s" cat run.bin > /dev/null
  if [ -n "$base" ]; then
    cp state.bin base.bin; rm -f base.bin.prev
    /usr/bin/time -f "base rescreen: %e s wall, %U s user, %S s sys, %M KB max RSS" \
      "$base" rescreen --state base.bin --lists v2.snap "${keep[@]}" --out base.jsonl
  fi
  /usr/bin/time -f "rescreen: %e s wall, %U s user, %S s sys, %M KB max RSS" \
    "$bin" rescreen --state run.bin --lists v2.snap "${keep[@]}" --out lookback.jsonl
  if [ -n "$base" ]; then
    cmp -s base.jsonl lookback.jsonl && cmp -s base.bin run.bin && echo "same alerts and state as base" ||
      echo "DIFFERENT alerts or state from base"
  fi
done
# A planted name counts as found when a lookback alert names it as its
# counterparty (read as JSON: the alerts write UTF-8 as it is, so a name
# such as "Paola Špika" must not be looked for in its \u-escaped form).
python3 - <<'PY'
import json
with open("planted.txt", encoding="utf-8") as f:
    planted = [l.rstrip("\n") for l in f if l.strip()]
seen, n = set(), 0
with open("lookback.jsonl", encoding="utf-8") as f:
    for line in f:
        seen.add(json.loads(line)["counterparty"]["value"])
        n += 1
missed = [p for p in planted if p not in seen]
print("planted counterparties found: %d of %d; lookback alerts: %d"
      % (len(planted) - len(missed), len(planted), n))
for p in missed:
    print("missed: " + p)
raise SystemExit(1 if missed else 0)
PY
