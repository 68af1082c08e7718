#!/usr/bin/env bash
# --validate-xsd (engine/src/payments/mx_xsd.c): a message that passes its
# schema maps to exactly the transactions it maps to without validation
# (the replay is the same mapping code), messages keep their numbers in a
# file of several documents, gzip included, and an invalid message between
# two valid ones rejects only itself.  Usage: xsd.sh TXSCREEN SRC_ROOT
set -euo pipefail
bin=$1 root=$2
fx=$root/tests/fixtures/payments
xsd=$fx/xsd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. Every pacs.008 sample: validated output is a subset, line for line.
mkdir "$work/mx"
for f in "$fx"/mx/*/*.xml; do
  grep -q 'xsd:pacs.008.001.08"' "$f" && cp "$f" "$work/mx/"
done
n=$(ls "$work/mx" | wc -l)
[ "$n" -ge 30 ] || fail "only $n pacs.008 samples"
"$bin" parse --quiet --out "$work/plain.jsonl" "$work/mx"
"$bin" parse --quiet --validate-xsd "$xsd" --out "$work/valid.jsonl" --rejects "$work/rej.jsonl" "$work/mx"
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
plain = open(f"{w}/plain.jsonl").read().splitlines()
valid = open(f"{w}/valid.jsonl").read().splitlines()
rej = [json.loads(l) for l in open(f"{w}/rej.jsonl")]
assert set(valid) <= set(plain), "a validated transaction differs from the unvalidated one"
files = {json.loads(l)["file"] for l in plain}
vfiles = {json.loads(l)["file"] for l in valid}
rfiles = {r["file"] for r in rej}
assert vfiles | rfiles == files and not (vfiles & rfiles), "a message is neither mapped nor rejected"
assert len(vfiles) >= 25, f"only {len(vfiles)} samples pass the partial schema"
for r in rej:
    assert r["where"] == "Document" and r["reason"].startswith("schema ") and r["line"] > 0, r
print(f"xsd: {len(vfiles)} of {len(files)} pacs.008 samples valid, {len(rfiles)} rejected by the schema")
PY

# 2. Three documents in one file, the middle one invalid; plain and gzip.
good=$(ls "$fx"/mx/*/test_files_2025__cbprplus_pacs008_2025.xml | head -1)
bad=$fx/invalid/phoughton-cbpr/test_files_2025__cbprplus_pacs008_sample_xsd_issue.xml
cat "$good" "$bad" "$good" > "$work/three.xml"
gzip -c "$work/three.xml" > "$work/three.xml.gz"
for f in three.xml three.xml.gz; do
  "$bin" parse --quiet --validate-xsd "$xsd" --out "$work/o.jsonl" --rejects "$work/r.jsonl" "$work/$f"
  python3 - "$work" "$(grep -c '' "$good")" <<'PY'
import json, sys
w, lines = sys.argv[1], int(sys.argv[2])
out = [json.loads(l) for l in open(f"{w}/o.jsonl")]
rej = [json.loads(l) for l in open(f"{w}/r.jsonl")]
assert [t["message"] for t in out] == [1, 3], [t["message"] for t in out]
assert [r["message"] for r in rej] == [2] and rej[0]["where"] == "Document", rej
# the third message's lines are counted from the start of the file
assert out[1]["line"] > out[0]["line"] + lines, (out[0]["line"], out[1]["line"])
assert rej[0]["line"] > lines, rej[0]["line"]
PY
done
echo "xsd: ok"
