#!/usr/bin/env bash
# State across runs: an export split by day into consecutive runs that carry
# --state from one to the next must raise the same alerts as one run over
# all of it (docs/rules.md "State across runs").  Alerts are compared with
# their "source" (file and line, which differ by construction) removed.
#
# usage: days.sh TXSCREEN
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# 400k rows: about five days of background at 0-5 s a row, plus planted
# patterns (plant rate 0.01) of the typologies that span hours to days, so
# the export covers about a week of days, each its own run.
"$bin" gen --seed 5 --rows 400000 --plant-rate 0.01 \
    --typologies structuring,pass_through,fan_in,fan_out,gather_scatter,scatter_gather,cycle,round_amounts,threshold_cash,corridor_high_risk \
    --out all.csv --labels labels.csv
"$bin" screen --lists none --quiet --out one.jsonl all.csv
# Split by the date of column 2 (the timestamp), header in every part.
head -1 all.csv > header
tail -n +2 all.csv | awk -F, -v dir="$work" '{ d = substr($2, 1, 10); print > (dir "/day-" d ".body") }'
n=0
: > many.jsonl
for body in $(ls day-*.body | sort); do
    cat header "$body" > part.csv
    "$bin" screen --lists none --quiet --state state.bin --out part.jsonl part.csv
    cat part.jsonl >> many.jsonl
    n=$((n + 1))
done
strip() { sed -e 's/"source":{"file":"[^"]*","line":[0-9]*},//' "$1"; }
if [ "$n" -lt 3 ]; then echo "days.sh: expected several days, got $n" >&2; exit 1; fi
if ! cmp -s <(strip one.jsonl) <(strip many.jsonl); then
    echo "days.sh: $n daily runs with --state differ from one run:" >&2
    diff <(strip one.jsonl) <(strip many.jsonl) | head -20 >&2
    exit 1
fi
a=$(wc -l < one.jsonl)
if [ "$a" -lt 50 ]; then echo "days.sh: only $a alerts: the test would prove little" >&2; exit 1; fi
echo "days.sh: $n daily runs with --state == one run ($a alerts)"
