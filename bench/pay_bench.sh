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
source "$(cd "$(dirname "$0")" && pwd)/../.ci/deps.sh" && txs_bench_deps   # xmllint, bc
mb() { echo "scale=1; $(stat -c %s "$1") / 1000000 / $2" | bc; }
# wall and CPU (user + system) seconds of a command, its output dropped
t() {
  /usr/bin/time -f "%e %U %S" -o /tmp/pay_bench.time "$@" >/dev/null
  read -r e u s </tmp/pay_bench.time
  echo "$e $(echo "$u + $s" | bc)"
}
tool() {
  local r=$1 name=$2 f=$3; shift 3
  read -r e c < <(t "$@" "$f")
  echo "round $r $name  $e s  $(mb "$f" "$e") MB/s  cpu $c s  $(mb "$f" "$c") MB/cpu-s"
}
# pay_bench on FILE as round R's KIND line; a file with rejected
# transactions measures the reject path, not mapping: stop.
pb() {
  local line
  line=$("$b/bench/pay_bench" "$3")
  echo "round $1 pay_bench $2  $line"
  case $line in
    *$'\t'"0 rejected"*) ;;
    *) echo "pay_bench.sh: $3 has rejected transactions (txscreen parse --rejects shows why)" >&2
       exit 1 ;;
  esac
}
for r in $(seq 1 "$rounds"); do
  tool "$r" "xmllint --stream" "$mx" xmllint --stream --noout
  pb "$r" mx "$mx"
  tool "$r" "wc -l" "$mt" wc -l
  pb "$r" mt "$mt"
done
