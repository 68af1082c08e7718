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
# Twice: every day on 1 thread (one state table), and with the thread count
# changing from day to day (3, 2, 1, ...: the state partitioned 3 ways, then
# 2, then one table, each loading what the other wrote).
strip() { sed -e 's/"source":{"file":"[^"]*","line":[0-9]*},//' "$1"; }
days=$(ls day-*.body | sort)
for run in one-thread mixed; do
    n=0
    : > many-$run.jsonl
    for body in $days; do
        t=1
        [ "$run" = mixed ] && t=$((3 - n % 3))
        cat header "$body" > part.csv
        "$bin" screen --lists none --quiet --threads "$t" --state state-$run.bin \
            --out part.jsonl part.csv
        cat part.jsonl >> many-$run.jsonl
        n=$((n + 1))
    done
    if [ "$n" -lt 3 ]; then echo "days.sh: expected several days, got $n" >&2; exit 1; fi
    if ! cmp -s <(strip one.jsonl) <(strip many-$run.jsonl); then
        echo "days.sh: $n daily runs ($run) with --state differ from one run:" >&2
        diff <(strip one.jsonl) <(strip many-$run.jsonl) | head -20 >&2
        exit 1
    fi
done
if ! cmp -s state-one-thread.bin state-mixed.bin; then
    echo "days.sh: the state file after the last day depends on the thread counts" >&2
    exit 1
fi
a=$(wc -l < one.jsonl)
if [ "$a" -lt 50 ]; then echo "days.sh: only $a alerts: the test would prove little" >&2; exit 1; fi
echo "days.sh: $n daily runs with --state == one run ($a alerts), on 1 thread and on 3/2/1;" \
    "the same state file"
