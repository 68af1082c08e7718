#!/usr/bin/env bash
# bench/typologies.sh: the typology measurements of docs/benchmarks.md.
#   1. AMLworld: the 3,209 laundering transactions of the HI-Small patterns file
#      embedded in 1 M generated benign rows (100,000 accounts); attempt-level
#      recall per typology, benign accounts alerted, and txscreen eval's table.
#   2. Planted: 1 M generated rows with every typology and near-miss planted;
#      txscreen eval's pattern recall per typology and near-misses alerted.
#   3. Throughput: 10 M rows over 1 M accounts with the default rule set and
#      no lists, 1 thread, beside wc -l and cat on the same file; peak RSS.
#
#   bench/typologies.sh [--bin build/txscreen] [--patterns FILE] [--skip-throughput]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=$root/build/txscreen
patterns=$root/../shared/data/aml/amlworld-hi-small-patterns.csv
throughput=1
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin=$2; shift 2 ;;
        --patterns) patterns=$2; shift 2 ;;
        --skip-throughput) throughput=0; shift ;;
        *) sed -n '2,12p' "$0"; exit 2 ;;
    esac
done
out=$here/out/typologies
mkdir -p "$out"
cd "$out"
echo "== AMLworld patterns in generated benign background"
"$bin" gen --embed-amlworld "$patterns" --rows 1000000 --out aml.csv --labels aml-labels.csv
"$bin" screen --profile amlworld --lists none --quiet --out aml-alerts.jsonl aml.csv
python3 "$here/aml_benign.py" aml-alerts.jsonl aml-labels.csv
"$bin" eval --profile amlworld --labels aml-labels.csv aml.csv > aml-eval.txt
echo "(txscreen eval's full report: $out/aml-eval.txt)"
echo "== planted typologies and near-misses"
"$bin" gen --seed 11 --rows 1000000 --out planted.csv --labels planted-labels.csv
"$bin" eval --labels planted-labels.csv --format csv planted.csv > planted-eval.csv
grep -E ",pattern_recall,|near_miss_alerted_pct|alerts_per_10k" planted-eval.csv
if [ "$throughput" = 1 ]; then
    echo "== throughput: 10 M rows, 1 M accounts, default rules, no lists, 1 thread"
    "$bin" gen --seed 3 --rows 10000000 --accounts 1000000 --labels /dev/null --out big.csv
    for i in 1 2; do
        /usr/bin/time -f "wc -l %e s" wc -l big.csv > /dev/null
        /usr/bin/time -f "cat %e s" cat big.csv > /dev/null
    done
    /usr/bin/time -f "screen %e s, peak RSS %M KB" "$bin" screen --threads 1 --lists none \
        --quiet --out /dev/null --manifest big-manifest.json big.csv
    grep -E '"(accounts|events|bytes)"' big-manifest.json | tail -3
    rm -f big.csv
fi
