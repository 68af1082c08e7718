#!/usr/bin/env bash
# Cases across runs through --state alone (issue 16 item 1; docs/outputs.md
# "Cases across runs"):
#   - night 1 raises a sanctions case on an account; night 2, another
#     input naming the same account, marks it "continuing" with the same id,
#     and a case first raised on night 2 "new", without --previous-cases;
#   - the state, alerts and cases are the same bytes at 1 and 2 threads;
#   - rescreen closes the state's case when its entity leaves the list, and
#     the next night raises it no more as continuing;
#   - a case not raised within the retention is dropped: new again;
#   - a version 4 state (before cases) still loads, its counterparties kept;
#   - rescreen writes the accounts back as the bytes it read.
#
# usage: cases.sh TXSCREEN SRCDIR
set -u
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0
check() { if eval "$2"; then echo "ok   $1"; pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }

hdr=txn_id,timestamp,amount,currency,channel,orig_account,orig_name,orig_country,orig_bank,orig_address,bene_account,bene_name,bene_country,bene_bank,bene_address,purpose
cat > n1.csv <<C
$hdr
A1,2026-03-01T10:00:00Z,1200.00,USD,wire,US0000000101,Claire Nek,US,,,GB0000000202,Ivan Petrovich Sidorov,RU,,,invoice
A2,2026-03-01T11:00:00Z,80.00,USD,card,US0000000103,Tom Baker,US,,,US0000000104,Corner Shop LLC,US,,,groceries
C
cat > n2.csv <<C
$hdr
B1,2026-03-02T09:00:00Z,900.00,USD,wire,US0000000105,Ana Ruiz,US,,,GB0000000202,Ivan Petrovich Sidorov,RU,,,services
B2,2026-03-02T12:00:00Z,450.00,USD,wire,US0000000101,Claire Nek,US,,,DE0000000303,Viktor Anatolyevich Bout,RU,,,freight
C
cat > v1.jsonl <<'L'
{"id":"e1","schema":"Person","properties":{"name":["Ivan Petrovich Sidorov"],"country":["ru"]}}
{"id":"e2","schema":"Person","properties":{"name":["Viktor Anatolyevich Bout"],"country":["ru"]}}
L
cat > v2.jsonl <<'L'
{"id":"e2","schema":"Person","properties":{"name":["Viktor Anatolyevich Bout"],"country":["ru"]}}
L
"$bin" lists compile v1.jsonl -o v1.snap 2>/dev/null
"$bin" lists compile v2.jsonl -o v2.snap 2>/dev/null

for t in 1 2; do
  mkdir t$t
  "$bin" screen -q --threads $t --lists v1.snap --state t$t/st.bin --cases t$t/c1.jsonl \
    --out t$t/a1.jsonl n1.csv
  cp t$t/st.bin t$t/st1.bin
  "$bin" screen -q --threads $t --lists v1.snap --state t$t/st.bin --cases t$t/c2.jsonl \
    --out t$t/a2.jsonl n2.csv; echo $? > t$t/rc
done
id=$(grep -o '"case_id":"S-[0-9a-f]*","kind":"sanctions","status":"new","subject":{"party":"GB0000000202"' t1/c1.jsonl | cut -d'"' -f4)
check "night 1: a new case on the account" "[ -n '$id' ]"
check "night 2: exit 0" "[ \$(cat t1/rc) = 0 ]"
check "  the same account's case is continuing, with the same id" \
  "grep -q '\"case_id\":\"$id\",\"kind\":\"sanctions\",\"status\":\"continuing\"' t1/c2.jsonl"
check "  the case first raised tonight is new" \
  "grep -q '\"status\":\"new\",\"subject\":{\"party\":\"DE0000000303\",\"list\":\"OS\",\"entry\":\"OS:e2\"}' t1/c2.jsonl"
check "  so is the account's typology case; nothing else is continuing" \
  "grep -q '\"kind\":\"typology\",\"status\":\"continuing\",\"subject\":{\"account\":\"GB0000000202\"' t1/c2.jsonl && [ \$(grep -c continuing t1/c2.jsonl) = 2 ]"
check "the state after each night, the alerts and the cases: same bytes at 1 and 2 threads" \
  "cmp -s t1/st1.bin t2/st1.bin && cmp -s t1/st.bin t2/st.bin && cmp -s t1/a2.jsonl t2/a2.jsonl && cmp -s t1/c2.jsonl t2/c2.jsonl"
check "the state is version 5" "[ \"\$(head -c 12 t1/st.bin | tail -c 4 | od -An -tu4 | tr -d ' ')\" = 5 ]"

# The same with --previous-cases as well: one case, not two.
cp t1/st1.bin both.bin
"$bin" screen -q --lists v1.snap --state both.bin --previous-cases t1/c1.jsonl --cases both.jsonl \
  --out /dev/null n2.csv
check "--previous-cases with the state: the same cases" "cmp -s both.jsonl t1/c2.jsonl"

# rescreen copies the accounts' bytes: with the lists unchanged, and under
# another --rules, it writes back the very file it read.
cp t1/st.bin same.bin
"$bin" rescreen -q --state same.bin --lists v1.snap --out same.jsonl; rc1=$?
"$bin" rescreen -q --state same.bin --rules strict --lists v1.snap --out same.jsonl 2>err; rc2=$?
check "rescreen with unchanged lists: the same state bytes (accounts copied)" \
  "[ $rc1 = 0 ] && [ $rc2 = 0 ] && cmp -s same.bin t1/st.bin"

# A list change closes the state's case, with no --previous-cases.
cp t1/st.bin r.bin
"$bin" rescreen -q --state r.bin --lists v2.snap --out r.jsonl --cases rc.jsonl; rc=$?
check "rescreen: the removed entity's case is closed from the state" \
  "[ $rc = 0 ] && [ \$(wc -l < rc.jsonl) = 1 ] && grep -q '\"case_id\":\"$id\",\"kind\":\"sanctions\",\"status\":\"closed\"' rc.jsonl"
"$bin" screen -q --lists v1.snap --state r.bin --lookback off --cases r2.jsonl --out /dev/null n1.csv 2>/dev/null
sed 's/^A/C/' n1.csv | sed 's/2026-03-01/2026-03-03/' > n3.csv
"$bin" screen -q --lists v1.snap --state r.bin --lookback off --cases r3.jsonl --out /dev/null n3.csv
check "  raised again after it was closed: new" \
  "grep -q '\"case_id\":\"$id\",\"kind\":\"sanctions\",\"status\":\"new\"' r3.jsonl"

# Retention: a night 15 months later; with 30 days the case was dropped.
sed 's/^A/D/; s/2026-03-01/2027-06-01/' n1.csv > late.csv
for keep in 30 1000; do
  cp t1/st.bin k$keep.bin
  "$bin" screen -q --lookback-retention $keep --lists v1.snap --state k$keep.bin \
    --cases k$keep.jsonl --out /dev/null late.csv
done
check "--lookback-retention 1000: still continuing 15 months later" \
  "grep -q '\"case_id\":\"$id\",\"kind\":\"sanctions\",\"status\":\"continuing\"' k1000.jsonl"
check "--lookback-retention 30: dropped, so new" \
  "grep -q '\"case_id\":\"$id\",\"kind\":\"sanctions\",\"status\":\"new\"' k30.jsonl"

# A version 4 state (before cases) loads with its counterparties.
cp "$src/tests/fixtures/state/v4-20-records.state" v4.bin
"$bin" rescreen --state v4.bin --lists v2.snap --out v4.jsonl 2>err; rc=$?
check "a version 4 state loads: its 68 counterparties" \
  "[ $rc = 0 ] && grep -q 'rescreen: 68 counterparties known' err"
check "  it is saved as version 5" "[ \"\$(head -c 12 v4.bin | tail -c 4 | od -An -tu4 | tr -d ' ')\" = 5 ]"
"$bin" screen -q --lists v1.snap --state v4.bin --cases v4c.jsonl --out /dev/null n2.csv; rc=$?
check "  and screens on: its cases are new" "[ $rc = 0 ] && [ \$(grep -c '\"status\":\"new\"' v4c.jsonl) = 4 ] && ! grep -q continuing v4c.jsonl"

echo "state cases: $pass passed, $fail failed"
[ $fail -eq 0 ]
