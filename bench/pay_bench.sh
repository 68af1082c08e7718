#!/usr/bin/env bash
# Payment parse throughput beside the tools that set its targets (issue 15):
# pacs.008 against `xmllint --stream --noout`, MT103 against `wc -l`, on
# the same bytes, interleaved (one of each per round) so a noisy shared
# machine slows both alike.  Prints every run; the medians go to
# docs/benchmarks.md.
#
# usage: pay_bench.sh BUILD_DIR PACS008_FILE MT103_FILE [ROUNDS]
set -eu
b=$1 mx=$2 mt=$3 rounds=${4:-3}
mb() { echo "scale=1; $(stat -c %s "$1") / 1000000 / $2" | bc; }
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
for r in $(seq 1 "$rounds"); do
  s=$(t xmllint --stream --noout "$mx"); echo "round $r xmllint --stream  $s s  $(mb "$mx" "$s") MB/s"
  "$b/bench/pay_bench" "$mx" | sed "s/^/round $r pay_bench mx  /"
  s=$(t wc -l "$mt"); echo "round $r wc -l             $s s  $(mb "$mt" "$s") MB/s"
  "$b/bench/pay_bench" "$mt" | sed "s/^/round $r pay_bench mt  /"
done
