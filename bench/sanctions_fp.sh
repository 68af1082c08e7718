#!/usr/bin/env bash
# bench/sanctions_fp.sh: false-positive rate and name throughput of sanctions
# screening on names that are on no list (issue 4's target: <= 0.1% of the
# 50,000 names of negatives-us-50k.csv against OFAC 2024 + UN).
#
#   bench/sanctions_fp.sh [--bin build/txscreen] [--names FILE] [--lists SRC... | --snapshot SNAP]
#
# Each name becomes the beneficiary of one native-CSV record (originator
# empty); the run uses --rules none, so every alert is a sanctions hit on a
# benign name.  Prints names, alerts, the rate, and names/s beside wc -l.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../.ci/deps.sh" && txs_bench_deps
root=$(dirname "$here")
shared="$root/../shared/data"
bin="$root/build/txscreen"
names="$shared/names/negatives-us-50k.csv"
lists=("$shared/lists/ofac-sdn-2024-05-03/sdn.csv" "$shared/lists/un-consolidated-2026-02-27.xml")
snap=
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --names) names=$2; shift 2 ;;
    --snapshot) snap=$2; shift 2 ;;
    --lists) shift; lists=(); while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do lists+=("$1"); shift; done ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$snap" ]; then ln -s "$(realpath "$snap")" "$work/lists.snap"
else "$bin" lists compile "${lists[@]}" -o "$work/lists.snap" >/dev/null; fi
# The negatives file has names only: the records carry no country, so the
# country qualifier (docs/matching.md) cannot clear a homonym here.
awk -F, 'NR > 1 {
  gsub(/"/, "\"\"", $1)
  printf "N%d,2026-03-01T00:00:00Z,100.00,USD,wire,A1,,,,,B%d,\"%s\",,,,\n", NR, NR, $1
}' "$names" | { echo "txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,bene_address,purpose"; cat; } > "$work/neg.csv"
n=$(($(wc -l < "$work/neg.csv") - 1))
t0=$(date +%s.%N)
"$bin" screen --quiet --rules none --lists "$work/lists.snap" --out "$work/alerts.jsonl" "$work/neg.csv"
t1=$(date +%s.%N)
w0=$(date +%s.%N); wc -l "$work/neg.csv" >/dev/null; w1=$(date +%s.%N)
a=$(wc -l < "$work/alerts.jsonl")
blk=$(grep -c '"band":"block"' "$work/alerts.jsonl" || true)
rev=$(grep -c '"band":"review"' "$work/alerts.jsonl" || true)
awk -v n="$n" -v a="$a" -v blk="$blk" -v rev="$rev" -v t="$(echo "$t1 - $t0" | bc)" -v w="$(echo "$w1 - $w0" | bc)" 'BEGIN {
  printf "names %d  alerts %d  false-positive rate %.3f%%  (block %d, review %d)\n", n, a, 100 * a / n, blk, rev
  printf "screen: %.2f s, %.0f names/s   (wc -l on the same file: %.0f lines/s)\n", t, n / t, n / w }'
if [ "$a" -gt 0 ]; then
  echo "first alerts (party name -> entry):"
  grep -o '"value":"[^"]*","matched_name":"[^"]*"\|"entry_name":"[^"]*"' "$work/alerts.jsonl" | head -n 40
fi
