#!/usr/bin/env bash
# Look-back screening (issue 17 item 4; docs/lists.md "Look-back screening"):
#   - a counterparty paid under list v1 that v2 adds as an entity is found by
#     `rescreen` and by the next `screen` run: a lookback alert names it, the
#     entity and its last transaction;
#   - an entity v2 removed closes its open sanctions cases;
#   - the state (its counterparties) and the look-back alerts are the same
#     bytes at 1 and 3 threads;
#   - a version 3 state (before look-back) still loads and records the lists;
#     a snapshot that is not the recorded one is refused with the reason;
#   - counterparties not seen within --lookback-retention are dropped.
#
# usage: run.sh TXSCREEN SRCDIR
set -u
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }

# Two days of the sample night; v1 lists a name of day 1 (a case is raised),
# v2 drops it and adds the name of a day-1 counterparty ("planted").
head -n 200 "$src/samples/transactions.csv" > day1.csv
{ head -n 1 day1.csv; sed -n 201,300p "$src/samples/transactions.csv"; } > day2.csv
cat > v1.jsonl <<'L'
{"id":"e1","schema":"Person","properties":{"name":["Ivan Petrovich Sidorov"],"country":["ru"]}}
{"id":"e2","schema":"Person","properties":{"name":["Umang van Doorn"]}}
L
cat > v2.jsonl <<'L'
{"id":"e1","schema":"Person","properties":{"name":["Ivan Petrovich Sidorov"],"country":["ru"]}}
{"id":"e3","schema":"Company","properties":{"name":["Pratesi Foods Pty Ltd"],"country":["au"]}}
L
"$bin" lists compile v1.jsonl -o v1.snap 2>/dev/null
"$bin" lists compile v2.jsonl -o v2.snap 2>/dev/null

for t in 1 3; do
  mkdir t$t
  "$bin" screen -q --threads $t --lists v1.snap --state t$t/st.bin --cases t$t/c1.jsonl \
    --out t$t/a1.jsonl day1.csv
  cp t$t/st.bin t$t/st1.bin
  "$bin" rescreen -q --state t$t/st.bin --lists v2.snap --out t$t/lb.jsonl \
    --cases t$t/c2.jsonl --previous-cases t$t/c1.jsonl; echo $? > t$t/rc
done
check "day 1 raised a case on the entity v2 removes" "grep -q '\"entry\":\"OS:e2\"' t1/c1.jsonl"
check "rescreen: exit 0, one lookback alert" "[ \$(cat t1/rc) = 0 ] && [ \$(wc -l < t1/lb.jsonl) = 1 ]"
check "  it names the planted counterparty" \
  "grep -q '\"counterparty\":{\"type\":\"name\",\"value\":\"Pratesi Foods Pty Ltd\",\"country\":\"AU\"}' t1/lb.jsonl"
check "  the new entity, as added" "grep -q '\"change\":\"added\".*\"entry_id\":\"OS:e3\"' t1/lb.jsonl"
check "  and its last transaction" "grep -q '\"last_txn\":\"T2\",\"transactions\":1' t1/lb.jsonl"
check "  a case for it" "grep -q '\"status\":\"new\",\"subject\":{\"party\":\"Pratesi Foods Pty Ltd\",\"list\":\"OS\",\"entry\":\"OS:e3\"}' t1/c2.jsonl"
check "the removed entity's cases are closed" \
  "[ \$(grep -c '\"status\":\"closed\".*\"entry\":\"OS:e2\"},\"reason\":\"the entity was removed from the list\"' t1/c2.jsonl) = \$(grep -c '\"entry\":\"OS:e2\"' t1/c1.jsonl) ]"
check "the state after day 1: same bytes at 1 and 3 threads" "cmp -s t1/st1.bin t3/st1.bin"
check "look-back alerts and cases: same bytes at 1 and 3 threads" \
  "cmp -s t1/lb.jsonl t3/lb.jsonl && cmp -s t1/c2.jsonl t3/c2.jsonl && cmp -s t1/st.bin t3/st.bin"
check "rescreen keeps the state before as .prev" "cmp -s t1/st.bin.prev t1/st1.bin"

# The next run after rescreen: the state records v2, no second look-back.
"$bin" screen --threads 1 --lists v2.snap --state t1/st.bin --out again.jsonl day2.csv 2>err
check "after rescreen the next run does not look back again" "! grep -q lookback again.jsonl && ! grep -q 'lists changed' err"

# The next screen run looks back by itself when the lists changed.
mkdir s; cp t1/st1.bin s/st.bin
"$bin" screen --threads 2 --lists v2.snap --state s/st.bin --out s/a2.jsonl day2.csv 2>s/err
check "screen with new lists: the lookback alert comes first in its alerts" \
  "head -n 1 s/a2.jsonl | cmp -s - t1/lb.jsonl && grep -q 'lists changed since s/st.bin was saved: look-back done' s/err"
cp t1/st1.bin s/off.bin
"$bin" screen -q --lookback off --lists v2.snap --state s/off.bin --out s/off.jsonl day2.csv
check "--lookback off: no lookback alert" "! grep -q lookback s/off.jsonl"

# The recorded snapshot must be the one found: a moved snapshot is named.
cp t1/st1.bin m.bin; mv v1.snap v1-moved.snap
"$bin" rescreen -q --state m.bin --lists v2.snap --out m.jsonl 2>err; rc=$?
check "old snapshot gone: exit 3 naming --previous-lists" "[ $rc = 3 ] && grep -q -- '--previous-lists' err && [ ! -e m.jsonl ]"
check "  the state left as it was" "cmp -s m.bin t1/st1.bin"
"$bin" rescreen -q --state m.bin --lists v2.snap --previous-lists v2.snap --out m.jsonl 2>err; rc=$?
check "a wrong --previous-lists: exit 3, its hash named" "[ $rc = 3 ] && grep -q 'not the snapshot m.bin last screened with' err"
"$bin" rescreen -q --state m.bin --lists v2.snap --previous-lists v1-moved.snap --out m.jsonl; rc=$?
check "--previous-lists the moved snapshot: the same alert" "[ $rc = 0 ] && cmp -s m.jsonl t1/lb.jsonl"

# A version 3 state (before look-back) loads; the lists are recorded then.
cp "$src/tests/fixtures/state/v3-20-records.state" v3.bin
"$bin" rescreen --state v3.bin --lists v2.snap --out v3.jsonl 2>err; rc=$?
check "a version 3 state loads: nothing to look back at" "[ $rc = 0 ] && [ ! -s v3.jsonl ] && grep -q 'recorded no lists' err"
check "  it is saved as version 5" "[ \"\$(head -c 12 v3.bin | tail -c 4 | od -An -tu4 | tr -d ' ')\" = 5 ]"
printf 'TXSSTATE\x09\x00\x00\x00' > v9.bin; head -c 100 /dev/zero >> v9.bin
"$bin" rescreen -q --state v9.bin --lists v2.snap --out v9.jsonl 2>err; rc=$?
check "a newer version is refused with the versions read" "[ $rc = 3 ] && grep -q 'state file version 9; this txscreen reads versions 2 to 5' err"

# A counterparty written twice is refused (the loader appends records
# while they keep identity order, and checks the one out of order against
# the table it then builds): the first record repeated right after itself.
python3 - t1/st1.bin dup.bin <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
ni = struct.unpack_from("<I", b, 48)[0]
at = 56 + 24 * ni                      # the look-back section's size
lbn = struct.unpack_from("<Q", b, at)[0]
q = at + 8
nl = struct.unpack_from("<I", b, q)[0]
q += 8
for _ in range(nl):
    q += 10 + struct.unpack_from("<H", b, q + 8)[0]
ncp = struct.unpack_from("<Q", b, q)[0]
struct.pack_into("<Q", b, q, ncp + 1)
q += 8
rec = bytes(b[q:q + 33 + b[q + 29] + b[q + 30]])
b[q + len(rec):q + len(rec)] = rec
struct.pack_into("<Q", b, at, lbn + len(rec))
open(sys.argv[2], "wb").write(b)
PY
cp dup.bin dup2.bin
"$bin" rescreen -q --state dup.bin --lists v2.snap --previous-lists v1-moved.snap --out dup.jsonl 2>err; rc=$?
check "a counterparty twice in the file: rescreen refuses it" "[ $rc = 3 ] && grep -q 'a counterparty appears twice' err && cmp -s dup.bin dup2.bin"
"$bin" screen -q --lists v1-moved.snap --state dup.bin --out dup.jsonl day2.csv 2>err; rc=$?
check "  and so does screen" "[ $rc = 3 ] && grep -q 'a counterparty appears twice' err && cmp -s dup.bin dup2.bin"

# Retention: day 2 is the same day, so a 1-day retention keeps everything;
# a record a year later drops every counterparty not seen since.
{ head -n 1 day1.csv; sed -n 2p day2.csv | sed 's/^\([^,]*\),2026-03-01/\1X,2027-06-01/'; } > later.csv
mv v1-moved.snap v1.snap
for keep in 30 1000; do
  cp t1/st1.bin r$keep.bin
  "$bin" screen -q --lookback-retention $keep --lists v1.snap --state r$keep.bin --out /dev/null later.csv
  "$bin" rescreen -q --state r$keep.bin --lists v2.snap --out r$keep.jsonl; echo $? > r$keep.rc
done
check "--lookback-retention 1000: still found 15 months later" "[ \$(cat r1000.rc) = 0 ] && cmp -s r1000.jsonl t1/lb.jsonl"
check "--lookback-retention 30: a counterparty last seen a year ago is gone" "[ \$(cat r30.rc) = 0 ] && [ -e r30.jsonl ] && [ ! -s r30.jsonl ]"

echo "lookback: $pass passed, $fail failed"
[ $fail -eq 0 ]
