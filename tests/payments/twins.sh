#!/usr/bin/env bash
# The two shared invalid samples that map (docs/formats.md "The two shared
# invalid samples that map"): each is a twin of a sample of the valid set,
# so no check can reject it without rejecting its twin.  Pins the evidence:
# the files differ only where the doc says, and each maps to exactly the
# canonical transaction of its twin (the file name aside).  If the reader
# ever rejects one of them, or they map differently, this fails and the doc
# needs revisiting.  Usage: twins.sh TXSCREEN SRC_ROOT
set -euo pipefail
bin=$1 root=$2
fx=$root/tests/fixtures/payments
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

tag=$fx/invalid/phoughton-cbpr/test_files_2025__cbprplus_pacs008_sample_tag_mismatch_issue.xml
atob=$fx/mx/phoughton-cbpr/test_files_2025__CBPRplus_p.8.1.1.a_pacs.008_AtoB.xml
r8=$fx/invalid/phoughton-cbpr/test_files_2026_violators__pain001_credit_initiation_sample__violates_pain.001-R8_existing.xml
pain=$fx/mx/phoughton-cbpr/test_files_2026__pain001_credit_initiation_sample.xml

# 1. tag_mismatch_issue is AtoB without its leading 10-line comment.
sed 2,11d "$atob" | cmp -s - "$tag" || fail "tag_mismatch_issue is not AtoB minus its comment"
# 2. R8_existing differs from the pain.001 sample in AppHdr/BizSvc only.
d=$(diff "$pain" "$r8" || true)
[ "$(printf '%s\n' "$d" | grep -c '^[<>]')" = 2 ] || fail "R8_existing differs in more than one line"
# (here-strings, not pipes: with pipefail, grep -q exiting at its match
# can fail the pipeline on printf's SIGPIPE)
grep -q '^< .*<head:BizSvc>swift.cbprplus.02</head:BizSvc>' <<<"$d" || fail "R8: not the BizSvc line"
grep -q '^> .*<head:BizSvc>swift.cbprplus.03</head:BizSvc>' <<<"$d" || fail "R8: not the BizSvc line"
# ... and its R8 defect (PmtInfId is not MsgId) is its twin's too.
for f in "$pain" "$r8"; do
  m=$(grep -o '<pain:MsgId>[^<]*' "$f" | cut -d'>' -f2)
  p=$(grep -o '<pain:PmtInfId>[^<]*' "$f" | cut -d'>' -f2)
  [ -n "$m" ] && [ -n "$p" ] && [ "$m" != "$p" ] || fail "$f: PmtInfId equals MsgId"
done

# 3. Each maps to its twin's transaction, byte for byte but the file name
#    and the line it starts on (AtoB's comment shifts it by 10).
for pair in "$tag:$atob" "$r8:$pain"; do
  a=${pair%%:*} b=${pair#*:}
  "$bin" parse --quiet --rejects "$work/rej" --out "$work/a" "$a"
  [ ! -s "$work/rej" ] || fail "$(basename "$a") is rejected: $(cat "$work/rej")"
  "$bin" parse --quiet --out "$work/b" "$b"
  strip='s/^{"file":"[^"]*",//; s/"line":[0-9]*,//'
  sed "$strip" "$work/a" >"$work/a2"
  sed "$strip" "$work/b" >"$work/b2"
  [ -s "$work/a2" ] || fail "$(basename "$a") maps to nothing"
  cmp -s "$work/a2" "$work/b2" || fail "$(basename "$a") maps differently from $(basename "$b")"
done
echo "twins: ok"
