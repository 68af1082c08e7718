#!/usr/bin/env bash
# The main job on the bundled defaults, from a fresh Debian 12 machine:
# installs what is missing, builds txscreen, and screens the bundled sample
# export with the default rule set, writing alerts, rejects and the manifest
# to samples/out/.  Usage: bash samples/run.sh [extra txscreen screen options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.ci/deps.sh"
txs_deps
build="$root/build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DTXS_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target txscreen_cli txs_default_lists >/dev/null
out="$root/samples/out"
mkdir -p "$out"
"$build/txscreen" screen \
  --out "$out/alerts.jsonl" --rejects "$out/rejects.jsonl" \
  --manifest "$out/manifest.json" "$@" "$root/samples/transactions.csv"
echo "alerts:   $out/alerts.jsonl ($(wc -l < "$out/alerts.jsonl") lines)"
echo "rejects:  $out/rejects.jsonl ($(wc -l < "$out/rejects.jsonl") lines)"
echo "manifest: $out/manifest.json"
head -n 3 "$out/alerts.jsonl"
