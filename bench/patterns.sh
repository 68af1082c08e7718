#!/usr/bin/env bash
# Pattern-rule benchmark (issue 18, docs/benchmarks.md "Pattern rules"):
# 10,000 patterns (9,900 generated keywords + the 100 hand-written regexes
# of tests/fixtures/patterns/regexes.txt, 30 with backreferences or
# lookaround) over the purpose text of a bench export, one thread.
#
# usage: bench/patterns.sh TXSCREEN EXPORT.csv WORKDIR [SUBSET_ROWS]
#   1. compile time (no cache) and rule-set load with the cache;
#   2. the whole export: screen --rules R --lists none --threads 1,
#      beside --rules none, the 9,900 keywords alone, wc -l and cat on the
#      same file;
#   3. the first SUBSET_ROWS records (default 2000): the engine beside
#      grep -E -f and pcre2grep -f over the same extracted purposes (both
#      take one pattern at a time per line, so the whole export would take
#      hours; grep runs once); grep gets the patterns it can parse (no lookaround, no \x{});
#   4. the differential test (tests/unit/test_patset.c, differential_*: the
#      engine's matches against PCRE2 alone, exact and all-prefiltered), when
#      the test binary sits beside TXSCREEN in the build tree.
# The rule scans [purpose, remittance]; a CSV export carries only purpose
# (remittance information comes from payment messages), so purpose is the
# text the engine and the grep tools read.
set -euo pipefail
bin=$1 export=$2 work=$3 sub=${4:-2000}
here=$(cd "$(dirname "$0")" && pwd)
# pcre2grep and bc, installed when missing (.ci/deps.sh)
source "$here/../.ci/deps.sh" && txs_bench_deps
mkdir -p "$work"
python3 "$here/patterns_gen.py" 9900 "$work/kw.txt"
{ cat "$work/kw.txt"; grep -v '^#' "$here/../tests/fixtures/patterns/regexes.txt"; } > "$work/patterns.txt"
cat > "$work/rules.yaml" <<'YAML'
ruleset: pattern-bench
version: "1"
scoring: {method: noisy_or, bands: {edd: 25, review: 50, block: 80}}
rules:
  - id: bench_patterns
    kind: text_pattern
    weight: 0.2
    reason: benchmark patterns (weight below the edd band, so alerts do not dominate the output)
    params: {fields: [purpose, remittance], file: patterns.txt}
YAML
sed 's/file: patterns.txt/file: kw.txt/; s/^ruleset: pattern-bench/ruleset: pattern-bench-kw/' \
  "$work/rules.yaml" > "$work/rules-kw.yaml"
head -2 "$export" > "$work/header.csv"   # one record: an empty input exits 9
head -$((sub + 1)) "$export" > "$work/subset.csv"
python3 - "$work/subset.csv" "$work/texts.txt" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f, open(sys.argv[2], 'w', encoding='utf-8') as o:
    r = csv.reader(f); next(r)
    for row in r: o.write(row[15].replace('\n', ' ') + '\n')
PY
# grep -E: \d -> [0-9]; drop lookaround and \x{...} (not ERE).
grep -v -e '(?' -e '\\x{' "$work/patterns.txt" | sed 's/\\d/[0-9]/g' > "$work/patterns.ere"
# t OUT CMD...: run CMD with stdout to OUT, print the wall seconds.
t() { local o=$1 s e; shift; s=$(date +%s.%N); "$@" > "$o" || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
rs=(--rules "$work/rules.yaml" --lists none --threads 1 --quiet)
rm -rf "$work/cache"
echo "patterns: $(wc -l < "$work/patterns.txt") (grep -E gets $(wc -l < "$work/patterns.ere"))"
echo "compile, no cache (s):      $(t /dev/null "$bin" screen "${rs[@]}" "$work/header.csv")"
echo "compile + write cache (s):  $(t /dev/null "$bin" screen "${rs[@]}" --pattern-cache "$work/cache" "$work/header.csv")"
for i in 1 2 3 4 5; do
  echo "load with cache (s):        $(t /dev/null "$bin" screen "${rs[@]}" --pattern-cache "$work/cache" "$work/header.csv")"
  echo "load, --rules none (s):     $(t /dev/null "$bin" screen --rules none --lists none --threads 1 --quiet "$work/header.csv")"
done
"$bin" screen --rules "$work/rules-kw.yaml" --lists none --threads 1 --quiet \
  --pattern-cache "$work/cache" "$work/header.csv" > /dev/null || true
rows=$(($(wc -l < "$export") - 1))
echo "export records: $rows"
for i in 1 2; do
  echo "cat export (s):             $(t /dev/null cat "$export")"
  echo "wc -l export (s):           $(t /dev/null wc -l "$export")"
  echo "screen --rules none (s):    $(t /dev/null "$bin" screen --rules none --lists none --threads 1 --quiet "$export")"
  sk=$(t /dev/null "$bin" screen --rules "$work/rules-kw.yaml" --lists none --threads 1 --quiet --pattern-cache "$work/cache" "$export")
  echo "screen keywords only (s):   $sk  ($(echo "$rows / $sk" | bc) records/s)"
  sp=$(t "$work/alerts.jsonl" "$bin" screen "${rs[@]}" --pattern-cache "$work/cache" "$export")
  echo "screen patterns (s):        $sp  ($(echo "$rows / $sp" | bc) records/s)"
done
echo "alert lines (patterns run): $(wc -l < "$work/alerts.jsonl")"
echo "subset records: $sub"
for i in 1 2; do
  echo "subset screen patterns (s): $(t /dev/null "$bin" screen "${rs[@]}" --pattern-cache "$work/cache" "$work/subset.csv")"
  echo "subset pcre2grep -u -f (s): $(t "$work/pcre2grep.count" pcre2grep -u -c -f "$work/patterns.txt" "$work/texts.txt")"
done
echo "subset grep -E -f (s):      $(t "$work/grep.count" grep -E -c -f "$work/patterns.ere" "$work/texts.txt")" 
echo "lines matched: grep $(cat "$work/grep.count"), pcre2grep $(cat "$work/pcre2grep.count")"
unit=$(dirname "$bin")/tests/test_patset
if [ -x "$unit" ]; then
  echo "differential test: $("$unit" --filter 'patset/differential*' 2>&1 | tail -1)"
fi
