#!/usr/bin/env bash
# A --state file remembers the inputs it absorbed (issue 14, item 3):
#   - the same input twice is refused (exit 4), nothing is published and
#     the state is left byte for byte as it was;
#   - --reprocess redoes the last run from STATE.prev: the same alerts and
#     the same state as the run it redoes, for a first run too;
#   - --reprocess of an input absorbed before the last run is refused, and
#     so is one that leaves out an input the last run absorbed.
#
# usage: reprocess.sh TXSCREEN
set -u
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
"$bin" gen --seed 3 --rows 20000 --labels /dev/null --out all.csv 2>/dev/null
head -n 10001 all.csv > d1.csv
{ head -n 1 all.csv; tail -n +10002 all.csv; } > d2.csv
run() { "$bin" screen --lists none --quiet --threads 1 "$@"; }

run --state s.bin --out a1.jsonl d1.csv; rc=$?
check "first day screened" "[ $rc -eq 0 ] && [ -s s.bin ] && [ -e s.bin.prev ] && [ ! -s s.bin.prev ]"
cp s.bin s1.bin
cp s.bin.prev s0.prev
run --state s.bin --out again.jsonl --manifest again.json d1.csv 2>err; rc=$?
check "the same day again: exit 4" "[ $rc -eq 4 ]"
check "  the reason names the input and --reprocess" "grep -q 'd1.csv: already absorbed' err && grep -q -- '--reprocess' err"
check "  nothing published" "[ ! -e again.jsonl ] && [ ! -e again.json ]"
check "  the state untouched" "cmp -s s.bin s1.bin"
gzip -c d1.csv > d1.csv.gz
run --state s.bin --out gz.jsonl d1.csv.gz; rc=$?
check "a recompressed copy is another input to the ledger (documented limit)" "[ $rc -eq 0 ]"
cp s1.bin s.bin
cp s0.prev s.bin.prev
run --state s.bin --reprocess --out a1r.jsonl d1.csv; rc=$?
check "--reprocess of a first run: same alerts, same state" "[ $rc -eq 0 ] && cmp -s a1.jsonl a1r.jsonl && cmp -s s.bin s1.bin"
run --state s.bin --out a2.jsonl d2.csv; rc=$?
cp s.bin s2.bin
check "second day screened, first day's state kept as .prev" "[ $rc -eq 0 ] && cmp -s s.bin.prev s1.bin"
run --state s.bin --reprocess --out a2r.jsonl d2.csv; rc=$?
check "--reprocess of the second day: same alerts, same state" "[ $rc -eq 0 ] && cmp -s a2.jsonl a2r.jsonl && cmp -s s.bin s2.bin && cmp -s s.bin.prev s1.bin"
run --state s.bin --reprocess --out x.jsonl d1.csv 2>err; rc=$?
check "--reprocess of a day before the last run: exit 4" "[ $rc -eq 4 ] && grep -q 'before the last run' err && [ ! -e x.jsonl ]"
head -n 5001 d2.csv > d2-part.csv
run --state s.bin --reprocess --out x.jsonl d2-part.csv 2>err; rc=$?
check "--reprocess without the last run's input: exit 4" "[ $rc -eq 4 ] && grep -q 'does not read' err && cmp -s s.bin s2.bin"
rm -f s.bin.prev
run --state s.bin --reprocess --out x.jsonl d2.csv 2>err; rc=$?
check "--reprocess with no .prev: exit 3, says what is missing" "[ $rc -eq 3 ] && grep -q 's.bin.prev' err"
run --reprocess --out x.jsonl d2.csv 2>err; rc=$?
check "--reprocess without --state: usage error" "[ $rc -eq 2 ]"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
