#!/usr/bin/env bash
# screen --format payments with threads (engine/src/pipeline/threads.c,
# payment slots): alerts, rejects and the manifest's counts are those of
# --threads 1 byte for byte, over the shared samples (MX, MT and the invalid
# ones, so rejects interleave with transactions) and generated pacs.008 and
# MT103 files of several ring slots with planted typologies (the stateful
# rules' partitions).  Usage: threads.sh TXSCREEN SRC_ROOT
set -euo pipefail
bin=$1 root=$2
fx=$root/tests/fixtures/payments
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
"$bin" gen --format pacs.008 --rows 3000 --seed 3 --out "$work/g.xml" >/dev/null 2>&1
"$bin" gen --format mt103 --rows 3000 --seed 4 --out "$work/g.fin" >/dev/null 2>&1
files=("$fx"/mx/*/* "$fx"/mt/*/* "$fx"/invalid/*/*.xml "$work/g.xml" "$work/g.fin")
# the manifest without its run-dependent lines (as tests/golden/run.sh)
counts() { grep -v -e '"command":' -e '"started_utc":' -e '"wall_seconds":' \
  -e '"records_per_second":' -e '"threads":' -e '"mb_per_second":' "$1"; }
for t in 1 2 3; do
  mkdir "$work/t$t"
  (cd "$work/t$t" && "$bin" screen --format payments --rules default --threads $t \
     --out alerts.jsonl --rejects rejects.jsonl --manifest manifest.json "${files[@]}" \
     2>/dev/null) || fail "--threads $t exited $?"
done
[ "$(wc -l <"$work/t1/alerts.jsonl")" -ge 10 ] || fail "too few alerts to compare"
[ "$(wc -l <"$work/t1/rejects.jsonl")" -ge 30 ] || fail "too few rejects to compare"
for t in 2 3; do
  cmp -s "$work/t1/alerts.jsonl" "$work/t$t/alerts.jsonl" || fail "--threads $t: alerts differ"
  cmp -s "$work/t1/rejects.jsonl" "$work/t$t/rejects.jsonl" || fail "--threads $t: rejects differ"
  diff <(counts "$work/t1/manifest.json") <(counts "$work/t$t/manifest.json") >/dev/null ||
    fail "--threads $t: manifests differ"
done
echo "threads: ok ($(wc -l <"$work/t1/alerts.jsonl") alerts, $(wc -l <"$work/t1/rejects.jsonl") rejects)"
