#!/usr/bin/env bash
# Memory does not grow with the transactions of one message (issue 15:
# peak RSS <= 64 MiB whatever the file).  A bulk pacs.008 is one Document
# of any number of CdtTrfTxInf, so whatever the reader keeps for a message
# (its group header, the element paths it has seen) must stay bounded: the
# peak RSS of `txscreen parse` on a 40 MB single-document file may exceed
# that on a 2 MB one by 2 MiB at most.  (A per-message path cache that
# kept every colliding path grew by about 4 MiB here, 100 MiB on 1 GB.)
# Not in the sanitizer build, whose allocator keeps freed memory.
# Usage: rss.sh TXSCREEN SRC_ROOT
set -euo pipefail
bin=$1 root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
python3 "$root/bench/payments_gen.py" pacs008 "$work/small.xml" 2 >/dev/null
python3 "$root/bench/payments_gen.py" pacs008 "$work/big.xml" 40 >/dev/null
rss() {
  /usr/bin/time -f "%M" -o "$work/rss" "$bin" parse --rejects "$work/rej" "$1" >/dev/null 2>&1 ||
    fail "parse $1"
  [ ! -s "$work/rej" ] || fail "$1 has rejects"
  cat "$work/rss"
}
small=$(rss "$work/small.xml") big=$(rss "$work/big.xml")
echo "peak RSS: 2 MB file ${small} KiB, 40 MB file ${big} KiB"
[ $((big - small)) -le 2048 ] || fail "peak RSS grew by $((big - small)) KiB from 2 MB to 40 MB of one message"
echo "rss: ok"
