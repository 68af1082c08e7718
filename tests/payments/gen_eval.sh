#!/usr/bin/env bash
# The generator's payment formats against its native CSV (issue 15 item 7):
# `txscreen gen --format pacs.008|pain.001|mt103` of one seed writes the
# records and labels of the CSV of that seed; `parse` maps every message
# (0 rejects); `eval --input-format payments` over each gives the same
# figures for the three formats, and the CSV's recall for every typology
# but the two cash ones (threshold_cash, structuring: a credit transfer is
# channel wire, so the cash rules cannot fire; docs/formats.md "Generated
# payment messages").
#
# usage: gen_eval.sh TXSCREEN
set -eu
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
rows=5000 seed=5
gen() { "$bin" gen --rows $rows --seed $seed --accounts 20000 --plant-rate 0.01 "$@"; }
gen --out g.csv --labels l.csv
"$bin" eval --labels l.csv --format csv g.csv > e.csv
fail=0
for f in pacs.008 pain.001 mt103; do
  gen --format "$f" --out "g.$f" --labels "l.$f"
  "$bin" parse "g.$f" > /dev/null 2> "parse.$f"
  want="$rows transactions, 0 transactions rejected"
  if ! grep -q "0 rejected; $want" "parse.$f"; then
    echo "FAIL $f: parse: $(cat "parse.$f")"; fail=1
  fi
  [ "$(wc -l < "l.$f")" = "$(wc -l < l.csv)" ] || { echo "FAIL $f: label rows differ"; fail=1; }
  "$bin" eval --labels "l.$f" --input-format payments --format csv "g.$f" > "e.$f"
done
# Every figure of the three payment formats agrees.
for f in pain.001 mt103; do
  cmp -s e.pacs.008 "e.$f" || { echo "FAIL: eval of $f differs from pacs.008:"; diff e.pacs.008 "e.$f" | head; fail=1; }
done
# Per typology, the CSV's recall (transactions and patterns), but for cash.
awk -F, '
  NR == FNR { if ($3 == "recall" || $3 == "pattern_recall") csv[$2 "," $3] = $4; next }
  $3 == "recall" || $3 == "pattern_recall" {
    k = $2 "," $3; seen[k] = 1
    cash = ($2 == "threshold_cash" || $2 == "structuring")
    if (cash && $4 + 0 != 0) { print "FAIL " k ": cash typology found in payments: " $4; bad = 1 }
    if (!cash && $2 != "overall" && $4 != csv[k]) { print "FAIL " k ": csv " csv[k] ", payments " $4; bad = 1 }
    if (cash) ncash++
  }
  END {
    for (k in csv) if (!(k in seen)) { print "FAIL " k " missing in payments"; bad = 1 }
    if (ncash < 2) { print "FAIL: no cash typology planted (seed)"; bad = 1 }
    exit bad
  }' e.csv e.pacs.008 || fail=1
[ $fail = 0 ] && echo "gen_eval: pacs.008, pain.001, mt103 agree with the CSV of seed $seed ($rows records)"
exit $fail
